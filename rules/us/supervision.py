"""United States — supervision: the offering route, the Investment Company Act, and credit risk retention."""

from ipsa.engine.rulekit import Find, On, Rule, cite, this
from ipsa.rules.patterns import Law, risk_retention


def _offering(x):
    o = x.o
    if o["offering"] == "public":
        yield Find("risk", "deal",
                   "The notes are to be offered publicly. A pool of patent-licence royalties is not the discrete pool of financial "
                   "assets Regulation AB's definition of an asset-backed security requires, so the shelf forms for ABS are not "
                   "available; registration would be on general forms with full operating disclosure.",
                   remediation="Offer the notes under Rule 144A to qualified institutional buyers, as IP royalty deals usually are.")
    elif "retail" in o["investor_types"]:
        yield Find("fail", "deal",
                   "A class is sold to retail investors although the notes are not registered; resales under Rule 144A are limited "
                   "to qualified institutional buyers.")
    else:
        route = "Rule 144A" if o["offering"] == "rule_144a" else o["offering"].replace("_", " ")
        yield Find("pass", "deal",
                   f"The notes are placed by {route} with institutional investors, the usual route for IP royalty deals, which fall "
                   "outside Regulation AB's definition of an asset-backed security.")


def _investment_company(x):
    o = x.o
    if o["offering"] == "public" or "retail" in o["investor_types"]:
        yield Find("risk", "deal",
                   "The issuer holds receivables and could be an investment company. The §3(c)(7) exclusion needs a private offering "
                   "to qualified purchasers only, which this offering is not; the issuer must fit Rule 3a-7 instead, whose "
                   "conditions an IP royalty pool may not meet.",
                   remediation="Confine the offering to qualified purchasers under §3(c)(7), or document Rule 3a-7 compliance.")
    else:
        yield Find("pass", "deal",
                   "The issuer can rely on the §3(c)(7) exclusion (private offering to qualified purchasers), or on Rule 3a-7; the "
                   "offering documents must restrict transfers to qualified purchasers.")


RULES = [
    Rule(
        id="US-SUP-001",
        jurisdiction="US",
        area="supervision",
        tags=("offering", "investors",),
        requirement="IP royalty notes are sold under Rule 144A to institutional buyers; they do not fit Regulation AB.",
        law=("Regulation AB Item 1101(c) defines an asset-backed security by a discrete pool of financial assets that convert "
             "into cash by their terms; patent royalty pools usually fall outside it and are sold under Rule 144A to qualified "
             "institutional buyers."),
        citations=(cite("US-REG-AB", "1101(c)"), cite("US-RULE-144A")),
        remediation="Offer under Rule 144A to qualified institutional buyers with transfer restrictions.",
        when=(On("o", "offering", this.spv_country == "US"),),
        then=_offering,
    ),
    Rule(
        id="US-SUP-002",
        jurisdiction="US",
        area="supervision",
        tags=("investment_company",),
        requirement="The issuer must fall within an Investment Company Act exception: §3(c)(7) or Rule 3a-7.",
        law=("An issuer holding receivables may be an investment company; §3(c)(7) excludes an issuer whose securities are held "
             "only by qualified purchasers and not publicly offered, and Rule 3a-7 excludes qualifying asset-backed issuers."),
        citations=(cite("US-ICA", "3(c)(7)"), cite("US-RULE-3A-7")),
        remediation="Restrict holders to qualified purchasers, or meet the conditions of Rule 3a-7.",
        when=(On("o", "offering", this.spv_country == "US"),),
        then=_investment_company,
    ),
    risk_retention(
        "US-SUP-003", "US", parameter="us.risk_retention.min_share",
        requirement="The sponsor retains at least 5% of the credit risk of the securitized assets.",
        law=Law((cite("US-REG-RR"),),
                "Securities Exchange Act §15G and Regulation RR require the sponsor of a securitization of asset-backed securities "
                "to retain at least 5% of the credit risk, in a vertical, horizontal or L-shaped form, and not to hedge or transfer it."),
        condition=this.spv_country == "US", retainer="sponsor", forms="a vertical, horizontal or L-shaped interest",
        remediation="Have the sponsor (or a majority-owned affiliate) retain at least 5% in an eligible form for the required period.",
    ),
]
