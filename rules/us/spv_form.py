"""United States — the vehicle: a Delaware LLC or statutory trust, separate enough to resist substantive consolidation."""

from ipsa.engine.rulekit import cite
from ipsa.rules.patterns import Law, spv_separateness, vehicle_offered

RULES = [
    vehicle_offered(
        "US-SPV-001", "US",
        law=Law((cite("US-DE-LLC-ACT"), cite("US-DE-STATUTORY-TRUST-ACT", "3807")),
                "US IP securitizations use a Delaware limited liability company or a Delaware statutory trust; a statutory "
                "trust must have at least one trustee resident, or with its principal place of business, in Delaware "
                "(12 Del. C. §3807)."),
        requirement="A US SPV is a Delaware LLC or statutory trust; a statutory trust needs a Delaware trustee.",
        trustee_forms={"us_delaware_statutory_trust": ("trust_company", "bank")},
        remediation="Form the issuer as a Delaware LLC, or as a statutory trust with a Delaware bank or trust company as trustee.",
    ),
    spv_separateness(
        "US-SPV-002", "US",
        law=Law((cite("US-CASE-AUGIE-RESTIVO"), cite("US-CASE-OWENS-CORNING"), cite("US-DE-LLC-ACT")),
                "A bankruptcy court may substantively consolidate related entities, pooling their assets and creditors, where "
                "creditors dealt with them as one economic unit or their affairs are so entangled that separating them would "
                "harm all creditors (Augie/Restivo); it is an extraordinary remedy, used sparingly (Owens Corning). Independent "
                "directors, separateness and non-petition covenants come from rating criteria and market practice, not statute; "
                "they are the evidence that answers those tests."),
        requirement="An SPV owned by the originator needs an independent director, separateness covenants and non-petition terms to resist consolidation.",
        why="A US court may consolidate an SPV with its bankrupt parent where creditors relied on them as one or their affairs are entangled.",
    ),
]
