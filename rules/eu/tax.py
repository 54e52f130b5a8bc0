"""European Union — withholding on royalties paid from a Member State."""

from ipsa.engine.rulekit import Find, On, Rule, cite, this


def _royalties(x):
    flow = x.flow
    if flow["payee_in_eu"] and flow["payer_payee_associated"]:
        yield Find("pass", flow["licence"],
                   f"Royalties under licence {flow['licence']} pass between associated companies of two Member States; the "
                   "Interest and Royalties Directive exempts them from tax in the payer's state, once the exemption is claimed.")
        return
    why = ("the recipient is outside the Union" if not flow["payee_in_eu"]
           else "the licensee and the recipient are not associated companies (a 25% direct holding)")
    treaty = f"; the {flow['treaty']} rate of {flow['treaty_rate']:.0%} applies" if flow["treaty_rate"] >= 0 else "; no treaty rate is given"
    yield Find("risk", flow["licence"],
               f"Royalties under licence {flow['licence']} leave {flow['payer_country']}; the Interest and Royalties Directive does "
               f"not help because {why}, so {flow['payer_country']}'s own withholding tax applies{treaty}.",
               figures={"withholding_rate": flow["treaty_rate"]} if flow["treaty_rate"] >= 0 else {},
               remediation="Confirm the payer state's domestic rate and claim treaty relief, or obtain a gross-up.")


RULES = [
    Rule(
        id="EU-TAX-001",
        jurisdiction="EU",
        area="tax",
        tags=("withholding",),
        requirement="Royalties leaving a Member State escape its withholding only between associated EU companies or under a treaty.",
        law=("Directive 2003/49/EC Arts 1 and 3 (Art 1(1) read; Art 3(b) not read): royalties arising in a Member State are exempt there if the beneficial owner "
             "is a company of another Member State associated with the payer (a 25% direct holding); otherwise the payer "
             "state's withholding applies, subject to treaties."),
        # Art 1(1) read at EUR-Lex (consolidated 02003L0049-20130701); Art 3(b), the 25% test, not read: cited unverified.
        citations=(cite("EU-INTEREST-ROYALTIES-DIRECTIVE", "1"), cite("EU-INTEREST-ROYALTIES-DIRECTIVE", "3")),
        remediation="Claim treaty relief or obtain a gross-up; the Directive does not reach an unassociated SPV.",
        when=(On("flow", "royalty_flow", this.payer_in_eu & this.cross_border),),
        then=_royalties,
    ),
]
