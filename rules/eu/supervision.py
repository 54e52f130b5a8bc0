"""European Union — the Securitisation Regulation: scope, retention, transparency and investor due diligence.

The chain: a tranched deal reaching the Union is a securitisation (EU-SUP-001). Arts 6 (retention) and 7
(transparency) bind an originator, sponsor or original lender established in the Union (EU-SUP-002, EU-SUP-003); a
third-country originator is not bound by them, but EU institutional investors must verify before investing that it
retains at least 5% and has made the Art 7 information available (Art 5(1)(d) and (e), EU-SUP-005). Either way a gap
bars EU institutional investors (EU-SUP-004).

EU-SUP-006 to EU-SUP-011 read the risk model's results (concentration, a licensee that also supports the notes,
dependence on guarantors and insurers, the senior default probability against its target, patent life against the
notes) against rating-agency practice, the shape written once in rules/risk_practice.py: market practice, not law.
"""

from dataclasses import replace

from ipsa.engine.text import N_
from ipsa.engine.graph import EU_MEMBER_STATES
from ipsa.engine.rulekit import On, Rule, cite, this
from ipsa.rules.patterns import (
    DueDiligenceRoute, Law, investor_due_diligence, risk_retention, securitisation_scope, third_country_originator, transparency,
)
from ipsa.rules.risk_practice import practices, risk_practice_rules, spv_in

ENGAGED = this.eu_investors | this.originator_in_eu


THIRD_COUNTRY = DueDiligenceRoute(
    regime="EU", floor_parameter="eu.risk_retention.min_share", outside=N_("outside the Union"),
    third_country=N_("third-country originator"), retention_duty="Art 6", transparency_duty="Art 7",
    retention_check=N_("under Art 5(1)(d)"), transparency_check=N_("under Art 5(1)(e)"), information=N_("the Art 7 information"),
    both_duties=N_("Arts 6 and 7 do not bind it directly"), both_checks=N_("under Art 5(1)(d) and (e)"),
    closing=(N_("The originator is established outside the Union: Arts 6 and 7 do not bind it and it is not in breach of "
             "them. The gap reaches the deal through EU investors' due diligence (Art 5(1)(d) and (e)), which bars them "
             "from holding the notes until it is cured (see EU-SUP-004).")),
)


RULES = [
    securitisation_scope(
        "EU-SUP-001", "EU",
        law=Law((cite("EU-SECR", "2"),),
                "Regulation (EU) 2017/2402 Art 2(1): a securitisation tranches the credit risk of an exposure or pool, with "
                "payments depending on the pool's performance and subordination deciding how losses fall across the tranches; "
                "specialised-lending exposures (CRR Art 147(8)) are excluded. ipsa reads tranching from the note classes only."),
        engaged=ENGAGED,
        requirement="A tranched deal with EU investors or an EU originator is a securitisation under Regulation (EU) 2017/2402.",
        who=N_("EU investors or an EU originator"),
    ),
    risk_retention(
        "EU-SUP-002", "EU", parameter="eu.risk_retention.min_share",
        requirement="An originator, sponsor or original lender established in the Union retains a material net economic interest of at least 5%.",
        law=Law((cite("EU-SECR", "6"),),
                "Regulation (EU) 2017/2402 Art 6 (text not read here; cited unverified): the originator, sponsor or "
                "original lender keeps, on an ongoing basis, a material net economic interest of at least 5% in one of the "
                "forms the Article lists. Art 5(1)(c) (read) confirms that this duty is verified as Art 6's for a party "
                "established in the Union; a third-country originator is reached only through Art 5(1)(d) (EU-SUP-005)."),
        condition=this.originator_in_eu, retainer=N_("originator, sponsor or original lender"),
        forms=N_("a vertical slice, a seller's share, randomly selected exposures or a first-loss tranche"),
        remediation="Have the originator retain at least 5% in an Art 6 form and state it in the prospectus and reports.",
        scope="securitisation_in_scope",
    ),
    replace(
        transparency(
            "EU-SUP-003", "EU",
            law=Law((cite("EU-SECR", "7"),),
                    "Regulation (EU) 2017/2402 Art 7 (text not read here; cited unverified): an originator, sponsor and "
                    "SSPE established in the Union make the underlying exposure data, the transaction documents and regular "
                    "investor reports available, and designate one of them to do it. A third-country originator is reached "
                    "only through the investors' check under Art 5(1)(e) (EU-SUP-005)."),
            requirement="An EU originator, sponsor or SSPE designates one of them to make the securitisation's transparency disclosures.",
        ),
        when=(On("scope", "securitisation_in_scope", this.regime == "EU"), On("o", "offering", this.originator_in_eu)),
    ),
    investor_due_diligence(
        "EU-SUP-004", "EU",
        law=Law((cite("EU-SECR", "5"),),
                "Regulation (EU) 2017/2402 Art 5(1): before holding a securitisation position an EU institutional investor "
                "verifies that the retention is held (under Art 6 for an EU retainer, at least 5% for a third-country one) and "
                "that the Art 7 information is available."),
        requirement="EU institutional investors may hold the notes only if retention and transparency are verifiably met.",
        investors=this.eu_investors,
    ),
    Rule(
        id="EU-SUP-005", jurisdiction="EU", area="supervision", tags=("due_diligence",),
        requirement="Where the originator is outside the Union, EU investors must verify that it retains at least 5% and makes the Art 7 information available.",
        law=("Regulation (EU) 2017/2402 Art 5(1)(d) and (e): an EU institutional investor verifies that an originator, "
             "sponsor or original lender established in a third country retains on an ongoing basis a material net economic "
             "interest of not less than 5%, determined in accordance with Art 6, and that the Art 7 information has been "
             "made available. Arts 6 and 7 do not bind the third-country originator itself."),
        citations=(cite("EU-SECR", "5"),),
        remediation="Obtain the originator's contractual undertaking to retain at least 5% in an Art 6 form and to provide "
                    "Art 7 information through a designated reporting entity, or do not sell to EU institutional investors.",
        when=(On("scope", "securitisation_in_scope", this.regime == "EU"),
              On("o", "offering", this.eu_investors & ~this.originator_in_eu)),
        parameters=("eu.risk_retention.min_share",),
        then=third_country_originator(THIRD_COUNTRY),
    ),
]

# The risk core's results judged against rating-agency practice (rules/risk_practice.py): market practice, not law.
# No fact field says that the SPV is in the Union (the `risk` fact carries `spv_country`, an ISO code; `offering` has
# eu_investors and originator_in_eu, not the SPV's seat), so the rules match each member state's code.
RULES += risk_practice_rules(
    "EU", ("EU-SUP-006", "EU-SUP-007", "EU-SUP-008", "EU-SUP-009", "EU-SUP-010", "EU-SUP-011"),
    spv=spv_in(*EU_MEMBER_STATES), where=N_("in an EU member state"),
    **practices("EU", extra={"concentration": (N_("obligor concentration (Scope)"),), "counterparty": (N_("counterparties (Scope)"),),
                             "target": (N_("default probability by rating (Scope)"),)},
                notes={"concentration": N_("Scope Ratings, an EU agency, analyses obligor concentration in non-granular "
                                        "pools in its general structured-finance methodology."),
                       "counterparty": N_("Scope's counterparty methodology weighs the materiality of each counterparty "
                                       "exposure and the replacement triggers that remedy it."),
                       "target": N_("Scope's general methodology fixes an acceptable default probability for each rating "
                                 "level.")}),
)
