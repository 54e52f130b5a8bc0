"""Japan — the vehicle: TMK and TMS under the Act on Securitization of Assets, GK-TK, and IP trusts."""

from ipsa.engine.text import N_
from ipsa.engine.rulekit import cite
from ipsa.rules.patterns import Law, spv_separateness, vehicle_offered

TRUSTEES = ("trust_company", "trust_bank")

RULES = [
    vehicle_offered(
        "JP-SPV-001", "JP",
        law=Law((cite("JP-ASSET-SECURITIZATION-ACT", "2"), cite("JP-COMPANIES-ACT", "2"), cite("JP-COMMERCIAL-CODE", "535"),
                 cite("JP-TRUST-BUSINESS-ACT", "5"), cite("JP-TRUST-ACT")),
                "Japan offers dedicated vehicles under the Act on Securitization of Assets (the TMK company and the TMS trust), "
                "the common GK-TK structure (a godo kaisha, a company under Companies Act Art 2(1)(i), funded by silent-"
                "partnership contributions under Commercial Code Art 535), and IP trusts run by trust companies licensed under "
                "the Trust Business Act since 2004; trust property is outside the trustee's bankruptcy estate (Trust Act Art "
                "25, read only at secondary sources; the Trust Act is cited as a whole)."),
        requirement="A Japanese SPV is a TMK, TMS, GK-TK or IP trust; a trust form needs a licensed trust company or trust bank as trustee.",
        trustee_forms={"jp_tms": TRUSTEES, "jp_ip_trust": TRUSTEES},
        remediation="Use a TMK or GK-TK, or appoint a licensed trust company or trust bank as trustee of the trust.",
    ),
    spv_separateness(
        "JP-SPV-002", "JP",
        law=Law((cite("JP-BANKRUPTCY-ACT", "34"), cite("JP-COMPANIES-ACT", "3")),
                "A GK is a legal person separate from its members (Companies Act Art 3), and a TMK likewise, but its assets are "
                "safe from the originator's bankruptcy estate (Bankruptcy Act Art 34(1)) only if it is truly separate; Japanese "
                "practice holds the vehicle's equity through an independent general incorporated association and takes "
                "non-petition and limited-recourse undertakings."),
        requirement="A Japanese company SPV (TMK or GK) must be independent of the originator, with non-petition and limited-recourse terms.",
        exempt_forms=("jp_tms", "jp_ip_trust"),
        why=N_("A Japanese company SPV held by the originator invites the argument that its assets are the originator's in substance."),
    ),
]
