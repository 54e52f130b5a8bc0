"""United States — the vehicle: a Delaware LLC or statutory trust, separate enough to resist substantive consolidation."""

from ipsa.engine.text import N_, msg
from ipsa.engine.rulekit import Find, On, Rule, cite, this
from ipsa.rules.patterns import Law, spv_separateness, vehicle_offered


def _non_consolidation_opinion(x):
    orig, spv = x.orig, x.spv
    live = (msg(" The originator is already in insolvency proceedings opened on {insolvency_opened}: a "
                "motion to consolidate the SPV with it would be made in that case.",
                insolvency_opened=orig['insolvency_opened']) if orig["insolvent"] else "")
    if spv["non_consolidation_opinion"]:
        yield Find("pass", spv["party"],
                   msg("A non-consolidation opinion under US law covers the SPV and its US originator {name}, as "
                       "rating agencies expect at closing.", name=orig['name']) + live)
    else:
        yield Find("risk", spv["party"],
                   msg("No non-consolidation opinion under US law is recorded for the SPV and its US originator "
                       "{name}. Rating agencies ask, as a closing condition of a rated US securitization, for "
                       "counsel's reasoned opinion that a court in the originator's bankruptcy would not "
                       "substantively consolidate the SPV with it, resting on the SPV's separateness covenants, "
                       "independent director and the facts certified. This is market practice, not a statutory "
                       "requirement.", name=orig['name']) + live)

RULES = [
    vehicle_offered(
        "US-SPV-001", "US",
        law=Law((cite("US-DE-LLC-ACT", "18-201"), cite("US-DE-STATUTORY-TRUST-ACT", "3807")),
                "US IP securitizations use a Delaware limited liability company or a Delaware statutory trust; a statutory "
                "trust must have at least one trustee resident, or with its principal place of business, in Delaware "
                "(12 Del. C. §3807)."),
        requirement="A US SPV is a Delaware LLC or statutory trust; a statutory trust needs a Delaware trustee.",
        trustee_forms={"us_delaware_statutory_trust": ("trust_company", "bank")},
        remediation="Form the issuer as a Delaware LLC, or as a statutory trust with a Delaware bank or trust company as trustee.",
    ),
    spv_separateness(
        "US-SPV-002", "US",
        law=Law((cite("US-CASE-AUGIE-RESTIVO"), cite("US-CASE-OWENS-CORNING"), cite("US-DE-LLC-ACT", "18-201")),
                "A bankruptcy court may substantively consolidate related entities, pooling their assets and creditors, where "
                "creditors dealt with them as one economic unit or their affairs are so entangled that separating them would "
                "harm all creditors (Augie/Restivo); it is an extraordinary remedy, used sparingly (Owens Corning). Independent "
                "directors, separateness and non-petition covenants come from rating criteria and market practice, not statute; "
                "they are the evidence that answers those tests."),
        requirement="An SPV owned by the originator needs an independent director, separateness covenants and non-petition terms to resist consolidation.",
        why=N_("A US court may consolidate an SPV with its bankrupt parent where creditors relied on them as one or their affairs are entangled."),
    ),
    Rule(
        id="US-SPV-003",
        jurisdiction="US",
        area="spv_form",
        tags=("legal_opinion",),
        requirement=("A rated securitization by a US originator closes on a reasoned non-consolidation opinion for its SPV "
                     "(market practice)."),
        law=("Rating agencies' legal criteria for structured finance ask, where the originator could become a debtor in a US "
             "case, for counsel's reasoned opinion that the SPV would not be substantively consolidated with it. No statute "
             "requires the opinion; it is market practice, and it applies the case law US-SPV-002 states (Augie/Restivo, "
             "Owens Corning) to the SPV's covenants and the facts certified."),
        citations=(cite("US-MARKET-PRACTICE-LEGAL-OPINIONS"),),
        remediation="Obtain a reasoned non-consolidation opinion from US counsel, and record it in the deal's opinions.",
        when=(On("orig", "originator", this.country == "US"), On("spv", "spv")),
        then=_non_consolidation_opinion,
    ),
]
