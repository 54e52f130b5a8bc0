"""United States — tax: a tax-neutral issuer, and withholding on royalties paid to foreign persons."""

from ipsa.engine.text import N_, joined, msg
from ipsa.engine.rulekit import Find, On, Rule, cite, this


def _classification(x):
    spv = x.spv
    kind = spv["entity_classification"]
    if kind in ("disregarded", "partnership"):
        yield Find("pass", spv["party"],
                   msg("The SPV is {value} for federal tax, so it pays no entity-level income tax on the "
                       "royalties.",
                       value=N_("disregarded as separate from its owner") if kind == "disregarded" else N_("a partnership")))
    elif kind == "corporation":
        yield Find("fail", spv["party"],
                   msg("The SPV is classified as a corporation for federal tax; the spread between royalties and note interest "
                   "bears corporate income tax, and the deal is not tax-neutral."))
    else:
        yield Find("risk", spv["party"],
                   msg("The deal does not state the SPV's federal tax classification. An eligible entity with one owner is disregarded "
                   "and one with several is a partnership by default, but an election or a publicly traded partnership could make it a "
                   "corporation; counsel should confirm it in the tax opinion."),
                   remediation=msg("State the classification, and make or confirm the check-the-box election."))


def _withholding(x):
    """US withholding follows the source of the royalty, which is where the patents are used (the licence territory),
    not where the payer sits."""
    flow = x.flow
    territory = flow["territory_countries"]
    used_in_us = "US" in territory
    abroad = [c for c in territory if c != "US"]
    if not used_in_us:
        if flow["payer_country"] == "US":
            yield Find("pass", flow["licence"],
                       msg("Licence {licence} lets the licensee use the patents only in {territory}. The royalties are "
                           "foreign-source income (§862(a)(4)) although a US licensee pays them, so no US tax is "
                           "withheld when they are paid to the {payee_country} recipient; the licensee should still "
                           "document the source (the territory clause and sales reports) for its information returns.",
                           licence=flow['licence'], territory=joined(territory, ", "), payee_country=flow['payee_country']),
                       figures={"withholding_rate": 0.0, "annual_tax": 0.0})
        return
    statutory = x.param("us.withholding.royalty_rate")
    treaty = flow["treaty_rate"] >= 0
    rate = flow["treaty_rate"] if treaty else statutory
    basis = (msg("the {treaty} rate", treaty=flow['treaty']) if treaty else
             N_("the statutory 30% rate (no treaty rate was given") + (
                 ")" if flow["payer_country"] == "US" else
                 msg("; the deal records treaty rates by payer and payee country, and this payer is in "
                     "{payer_country}: the US treaty with the recipient's country, if any, still applies)",
                     payer_country=flow['payer_country'])))
    share = (N_(" The licence territory also covers ") + joined(abroad, ", ") + N_(": only the royalties for use in the United States "
             "are US-source, so the withholding applies to the part attributable to US use.")) if abroad else ""
    payer = (N_("The licensee") if flow["payer_country"] == "US"
             else msg("The licensee, although in {payer_country}, controls the payment and",
                      payer_country=flow['payer_country']))
    leakage = rate * flow["expected_annual"]
    if rate == 0:
        yield Find("pass", flow["licence"],
                   msg("Royalties under licence {licence} are for use of the patents in the United States and so "
                       "US-source; paid to a {payee_country} recipient they are free of US withholding under "
                       "{basis}. The relief must be claimed with the payer's forms (W-8BEN-E) and the recipient's "
                       "treaty residence.",
                       licence=flow['licence'], payee_country=flow['payee_country'], basis=basis) + share,
                   figures={"withholding_rate": 0.0, "annual_tax": 0.0})
    elif flow["gross_up"] == "yes":
        yield Find("info", flow["licence"],
                   msg("Royalties under licence {licence} are US-source (use in the United States) and paid to a "
                       "{payee_country} recipient. {payer} withholds {rate:.2%} ({basis}) and grosses up, so the "
                       "SPV receives the full royalty.",
                       licence=flow['licence'], payee_country=flow['payee_country'], payer=payer, rate=rate, basis=basis) + share,
                   figures={"withholding_rate": rate, "annual_tax": leakage})
    else:
        unstated = N_(" (the deal does not say whether licensees gross up)") if flow["gross_up"] == "unstated" else ""
        yield Find("risk", flow["licence"],
                   msg("Royalties under licence {licence} are US-source (use in the United States) and paid to a "
                       "{payee_country} recipient. {payer} must withhold {rate:.2%} ({basis}) at source{unstated}, "
                       "about {leakage:,.0f} a year that the SPV does not receive.",
                       licence=flow['licence'], payee_country=flow['payee_country'], payer=payer, rate=rate, basis=basis, unstated=unstated, leakage=leakage) + share,
                   figures={"withholding_rate": rate, "annual_tax": leakage})


RULES = [
    Rule(
        id="US-TAX-001",
        jurisdiction="US",
        area="tax",
        tags=("entity_tax",),
        requirement="A US issuer should be disregarded or a partnership for federal tax, so that it pays no entity-level tax.",
        law=("Treas. Reg. §301.7701-3: an eligible entity such as an LLC (or a statutory trust that is a business entity) is, "
             "by default, disregarded if it has one owner and a partnership if it has more, unless it elects to be taxed as a "
             "corporation."),
        citations=(cite("US-TREAS-REG-301-7701-3"),),
        remediation="Keep the SPV disregarded (single owner) or a partnership, and obtain a tax opinion.",
        when=(On("spv", "spv", (this.country == "US") & ((this.form == "us_delaware_llc") | (this.form == "us_delaware_statutory_trust"))),),
        then=_classification,
    ),
    Rule(
        id="US-TAX-002",
        jurisdiction="US",
        area="tax",
        tags=("withholding",),
        requirement=("Royalties for patents used in the United States are US-source; paid to a foreign person they bear 30% "
                     "tax withheld at source unless a treaty reduces it. Royalties for use abroad are foreign-source and bear none."),
        law=("A royalty's source is where the patent is used: royalties for the use of patents in the United States are "
             "US-source (IRC §861(a)(4); Treas. Reg. §1.861-5), royalties for their use outside it are foreign-source "
             "(§862(a)(4)). §881(a) taxes a foreign corporation at 30% on US-source royalties not connected with a US "
             "business, and §§1441-1442 make whoever pays them, US or foreign, withhold it; an income tax treaty may "
             "reduce or remove the tax. Where the payer is, or where the money is paid, does not decide the source."),
        citations=(cite("US-IRC", "861(a)(4)"), cite("US-TREAS-REG-1-861-5", "1.861-5"), cite("US-IRC", "862(a)(4)"),
                   cite("US-IRC", "881"), cite("US-IRC", "1442")),
        remediation="Obtain a gross-up from the licensees or claim treaty relief with a tax residence certificate; size the notes on net royalties.",
        when=(On("flow", "royalty_flow", this.payee_country != "US"),),
        parameters=("us.withholding.royalty_rate",),
        then=_withholding,
    ),
]
