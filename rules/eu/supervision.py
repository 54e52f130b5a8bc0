"""European Union — the Securitisation Regulation: scope, retention, transparency and investor due diligence.

The chain: a tranched deal reaching the Union is a securitisation (EU-SUP-001); within it, a retention shortfall
(EU-SUP-002) or a missing reporting entity (EU-SUP-003) is a gap that bars EU institutional investors (EU-SUP-004).
"""

from ipsa.engine.rulekit import cite, this
from ipsa.rules.patterns import Law, investor_due_diligence, risk_retention, securitisation_scope, transparency

ENGAGED = this.eu_investors | this.originator_in_eu

RULES = [
    securitisation_scope(
        "EU-SUP-001", "EU",
        law=Law((cite("EU-SECR", "2"),),
                "Regulation (EU) 2017/2402 Art 2(1): a securitisation tranches the credit risk of an exposure or pool, with "
                "payments depending on the pool's performance and subordination deciding how losses fall across the tranches."),
        engaged=ENGAGED,
        requirement="A tranched deal with EU investors or an EU originator is a securitisation under Regulation (EU) 2017/2402.",
        who="EU investors or an EU originator",
    ),
    risk_retention(
        "EU-SUP-002", "EU", parameter="eu.risk_retention.min_share",
        requirement="The originator, sponsor or original lender retains a material net economic interest of at least 5%.",
        law=Law((cite("EU-SECR", "6"),),
                "Regulation (EU) 2017/2402 Art 6: the originator, sponsor or original lender keeps, on an ongoing basis, a "
                "material net economic interest of at least 5% in one of the forms the Article lists, and may not hedge it."),
        condition=ENGAGED, retainer="originator, sponsor or original lender",
        forms="a vertical slice, a seller's share, randomly selected exposures or a first-loss tranche",
        remediation="Have the originator retain at least 5% in an Art 6 form and state it in the prospectus and reports.",
        scope="securitisation_in_scope",
    ),
    transparency(
        "EU-SUP-003", "EU",
        law=Law((cite("EU-SECR", "7"),),
                "Regulation (EU) 2017/2402 Art 7: the originator, sponsor and SSPE make the underlying exposure data, the "
                "transaction documents and regular investor reports available, and designate one of them to do it."),
        requirement="One of originator, sponsor or SSPE is designated to make the securitisation's transparency disclosures.",
    ),
    investor_due_diligence(
        "EU-SUP-004", "EU",
        law=Law((cite("EU-SECR", "5"),),
                "Regulation (EU) 2017/2402 Art 5: before holding a securitisation position an EU institutional investor verifies, "
                "among other things, that the retention is held and that the transparency information is available."),
        requirement="EU institutional investors may hold the notes only if retention and transparency are verifiably met.",
        investors=this.eu_investors,
    ),
]
