"""United States — tax: a tax-neutral issuer, and withholding on royalties paid to foreign persons."""

from ipsa.engine.rulekit import Find, On, Rule, cite, this
from ipsa.rules.patterns import Law, withholding


def _classification(x):
    spv = x.spv
    kind = spv["entity_classification"]
    if kind in ("disregarded", "partnership"):
        yield Find("pass", spv["party"],
                   f"The SPV is {'disregarded as separate from its owner' if kind == 'disregarded' else 'a partnership'} for "
                   "federal tax, so it pays no entity-level income tax on the royalties.")
    elif kind == "corporation":
        yield Find("fail", spv["party"],
                   "The SPV is classified as a corporation for federal tax; the spread between royalties and note interest "
                   "bears corporate income tax, and the deal is not tax-neutral.")
    else:
        yield Find("risk", spv["party"],
                   "The deal does not state the SPV's federal tax classification. An eligible entity with one owner is disregarded "
                   "and one with several is a partnership by default, but an election or a publicly traded partnership could make it a "
                   "corporation; counsel should confirm it in the tax opinion.",
                   remediation="State the classification, and make or confirm the check-the-box election.")


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
    withholding(
        "US-TAX-002", "US", parameter="us.withholding.royalty_rate",
        requirement="US-source royalties paid to a foreign person bear 30% tax withheld at source unless a treaty reduces it.",
        law=Law((cite("US-IRC", "881"), cite("US-IRC", "1442")),
                "IRC §881(a) taxes a foreign corporation at 30% on US-source royalties not connected with a US business; "
                "§1442 makes the payer withhold it; an income tax treaty may reduce or remove the tax."),
        rate_words="the statutory 30% rate",
    ),
]
