"""United States — supervision: the offering route, the Investment Company Act, and credit risk retention.

Two definitions of "asset-backed security" matter and they differ. Regulation AB (Item 1101(c)) decides whether the
notes can be registered on the shelf forms for ABS: a discrete pool of receivables or other financial assets that by
their terms convert into cash within a finite period; whether a pool of patent royalties fits is an analysis, not a
rule of law. Regulation RR applies to any securitizer of an asset-backed security as the Exchange Act §3(a)(79)
defines it (any self-liquidating financial asset, including a secured or unsecured receivable), whether the notes are
registered or sold under Rule 144A and whether or not the pool fits Regulation AB (US-SUP-004 -> US-SUP-003).

US-SUP-005 to US-SUP-010 read the risk model's results (concentration, a licensee that also supports the notes,
dependence on guarantors and insurers, the senior default probability against its target, patent life against the
notes) against rating-agency practice, the shape written once in rules/risk_practice.py: market practice, not law.
"""

from ipsa.engine.text import N_, msg
from ipsa.engine.rulekit import Conclude, Find, On, Rule, cite, this
from ipsa.rules.patterns import Law, risk_retention
from ipsa.rules.risk_practice import practices, risk_practice_rules, spv_in

_REG_AB_DEFINITION = (
    N_("Regulation AB defines an asset-backed security as one primarily serviced by the cash flows of a discrete pool of "
    "receivables or other financial assets that by their terms convert into cash within a finite time period; it says "
    "nothing about intellectual property."))


def _offering(x):
    o = x.o
    if o["offering"] == "public":
        yield Find("risk", "deal",
                   msg("The notes are to be offered publicly. Registration on the ABS forms needs the notes to fit "
                       "Regulation AB. {reg_ab_definition} Whether this pool fits is an analysis, not settled law: "
                       "royalty receivables under existing licences are receivables, but running royalties depend "
                       "on the licensees' future sales rather than converting into cash by the licences' own "
                       "terms, and the SEC staff has read that phrase narrowly. If the pool does not fit, the "
                       "notes would be registered on the general forms with full disclosure of the issuer's "
                       "business.", reg_ab_definition=_REG_AB_DEFINITION),
                   remediation=msg("Obtain counsel's analysis of the pool under Item 1101(c), or offer the notes under Rule 144A to "
                               "qualified institutional buyers, as IP royalty deals usually are."))
    elif "retail" in o["investor_types"]:
        yield Find("fail", "deal",
                   msg("A class is sold to retail investors although the notes are not registered; resales under Rule 144A are limited "
                   "to qualified institutional buyers."))
    else:
        route = "Rule 144A" if o["offering"] == "rule_144a" else o["offering"].replace("_", " ")
        yield Find("pass", "deal",
                   msg("The notes are placed by {route} with institutional investors, the usual route for IP "
                       "royalty deals. No registration is needed, so whether the pool fits Regulation AB's "
                       "definition of an asset-backed security does not decide the offering; credit risk retention "
                       "turns on the broader Exchange Act definition (US-SUP-004).", route=route))


def _investment_company(x):
    o = x.o
    if o["offering"] == "public" or "retail" in o["investor_types"]:
        yield Find("risk", "deal",
                   msg("The issuer holds receivables and could be an investment company. The §3(c)(7) exclusion needs a private offering "
                   "to qualified purchasers only, which this offering is not; the issuer must fit Rule 3a-7 instead, whose "
                   "conditions an IP royalty pool may not meet."),
                   remediation=msg("Confine the offering to qualified purchasers under §3(c)(7), or document Rule 3a-7 compliance."))
    else:
        yield Find("pass", "deal",
                   msg("The issuer can rely on the §3(c)(7) exclusion (private offering to qualified purchasers), or on Rule 3a-7; the "
                   "offering documents must restrict transfers to qualified purchasers."))


def _exchange_act_abs(x):
    o = x.o
    route = (N_("registered publicly") if o["offering"] == "public"
             else msg("sold privately ({offering})", offering=o["offering"].replace("_", " ")))
    if o["pooled_licences"] > 0:
        yield Conclude("securitisation_in_scope", "deal",
                       msg("The notes are asset-backed securities under Exchange Act §3(a)(79): they are paid "
                           "primarily from royalty receivables under {pooled_licences} licence(s), receivables being a "
                           "self-liquidating financial asset.", pooled_licences=o['pooled_licences']),
                       {"regime": "US"})
        yield Find("info", "deal",
                   msg("The notes are {route} and paid primarily from royalty receivables under {pooled_licences} "
                       "licence(s). For credit risk retention the Exchange Act defines an asset-backed security "
                       "broadly, as a security collateralized by any self-liquidating financial asset, including a "
                       "secured or unsecured receivable, whose payments depend primarily on the asset's cash flow. "
                       "ipsa reads licence receivables as within it, so Regulation RR applies whether or not the "
                       "pool fits Regulation AB's narrower definition and however the notes are offered; counsel "
                       "should confirm the analysis (a pool of IP ownership or whole-business cash flows is "
                       "arguably outside it).", route=route, pooled_licences=o['pooled_licences']))
    else:
        yield Find("info", "deal",
                   msg("No royalty receivables back the notes (no licence's royalties are sold to the SPV and the SPV grants none). The "
                   "SPV's assets are then the patents themselves, which are arguably not the self-liquidating financial assets of "
                   "Exchange Act §3(a)(79); ipsa does not apply Regulation RR, and counsel should confirm that analysis."))


RULES = [
    Rule(
        id="US-SUP-001",
        jurisdiction="US",
        area="supervision",
        tags=("offering", "investors",),
        requirement=("A public offering of IP royalty notes on the ABS forms needs the pool to fit Regulation AB's definition, "
                     "which calls for analysis; such notes are usually sold under Rule 144A to institutional buyers."),
        law=(msg("{reg_ab_definition} Whether patent royalty receivables convert into cash by their terms is "
                 "a question of analysis for each pool (fixed payments under existing licences come closer "
                 "than running royalties). Notes sold under Rule 144A to qualified institutional buyers need "
                 "no registration.", reg_ab_definition=_REG_AB_DEFINITION)),
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
    Rule(
        id="US-SUP-004",
        jurisdiction="US",
        area="supervision",
        tags=("scope",),
        requirement=("Regulation RR applies to notes that are asset-backed securities under Exchange Act §3(a)(79), a definition "
                     "broader than Regulation AB's and indifferent to how the notes are offered."),
        law=("Exchange Act §3(a)(79): an asset-backed security is a fixed-income or other security collateralized by any type of "
             "self-liquidating financial asset (including a loan, a lease, a mortgage, or a secured or unsecured receivable) "
             "that lets the holder receive payments depending primarily on the asset's cash flow. Section 15G and Regulation RR "
             "use this definition, not Regulation AB's, and reach privately placed deals as well."),
        citations=(cite("US-EXCHANGE-ACT", "3(a)(79)"), cite("US-REG-RR")),
        remediation="Have counsel confirm whether the notes are asset-backed securities under §3(a)(79) before closing.",
        when=(On("o", "offering", this.spv_country == "US"),),
        then=_exchange_act_abs,
    ),
    risk_retention(
        "US-SUP-003", "US", parameter="us.risk_retention.min_share",
        requirement="The sponsor of notes that are asset-backed securities under §3(a)(79) retains at least 5% of the credit risk.",
        law=Law((cite("US-REG-RR"), cite("US-EXCHANGE-ACT", "3(a)(79)")),
                "Securities Exchange Act §15G and Regulation RR require the sponsor of a securitization of asset-backed "
                "securities, as Exchange Act §3(a)(79) defines them (broader than Regulation AB's definition, and including "
                "Rule 144A deals), to retain at least 5% of the credit risk, in a vertical, horizontal or L-shaped form, and not "
                "to hedge or transfer it."),
        condition=this.spv_country == "US", retainer="sponsor", forms=N_("a vertical, horizontal or L-shaped interest"),
        scope="securitisation_in_scope",
        remediation="Have the sponsor (or a majority-owned affiliate) retain at least 5% in an eligible form for the required period.",
    ),
]

# The risk core's results judged against rating-agency practice (rules/risk_practice.py): market practice, not law.
RULES += risk_practice_rules(
    "US", ("US-SUP-005", "US-SUP-006", "US-SUP-007", "US-SUP-008", "US-SUP-009", "US-SUP-010"),
    spv=spv_in("US"), where=N_("in the United States"),
    **practices("US", extra={"concentration": (N_("largest obligors (DBRS Morningstar)"),)},
                notes={"concentration": N_("US rating methodologies carry largest-obligor analyses (DBRS Morningstar's, "
                                        "for example).")}),
)
