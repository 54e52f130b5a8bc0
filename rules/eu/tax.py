"""European Union — withholding on royalties paid from a Member State."""

from ipsa.engine.text import N_, msg
from ipsa.engine.rulekit import Find, On, Rule, cite, this


def _royalties(x):
    flow = x.flow
    if flow["payee_in_eu"] and flow["payer_payee_associated"]:
        yield Find("pass", flow["licence"],
                   msg("Royalties under licence {licence} pass between associated companies of two Member States; "
                       "the Interest and Royalties Directive exempts them from tax in the payer's state, once the "
                       "exemption is claimed.", licence=flow['licence']))
        return
    why = (N_("the recipient is outside the Union") if not flow["payee_in_eu"]
           else N_("the licensee and the recipient are not associated companies (a 25% direct holding)"))
    treaty = msg("; the {treaty} rate of {treaty_rate:.0%} applies",
                 treaty=flow['treaty'], treaty_rate=flow['treaty_rate']) if flow["treaty_rate"] >= 0 else N_("; no treaty rate is given")
    yield Find("risk", flow["licence"],
               msg("Royalties under licence {licence} leave {payer_country}; the Interest and Royalties "
                   "Directive does not help because {why}, so {payer_country}'s own withholding tax "
                   "applies{treaty}.",
                   licence=flow['licence'], payer_country=flow['payer_country'], why=why, treaty=treaty),
               figures={"withholding_rate": flow["treaty_rate"]} if flow["treaty_rate"] >= 0 else {},
               remediation=msg("Confirm the payer state's domestic rate and claim treaty relief, or obtain a gross-up."))


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
