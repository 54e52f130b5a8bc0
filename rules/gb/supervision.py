"""United Kingdom — the securitisation regime: scope, retention, transparency and investor due diligence.

The regime changed on 2024-11-01: the Securitisation Regulations 2024 (SI 2024/102) with the FCA and PRA rules
replaced the onshored EU regulation. GB-SUP-005 and GB-SUP-006 state the earlier law for deals assessed before then.
"""

from ipsa.engine.rulekit import cite, this
from ipsa.rules.patterns import Law, investor_due_diligence, risk_retention, securitisation_scope, transparency

ENGAGED = this.uk_investors | this.originator_in_uk
RETENTION_FORMS = "a vertical slice, a seller's share, randomly selected exposures or a first-loss tranche"

RULES = [
    securitisation_scope(
        "GB-SUP-001", "GB",
        law=Law((cite("UK-SECR-2024"),),
                "From 2024-11-01 the Securitisation Regulations 2024 (SI 2024/102), with the FCA's Securitisation sourcebook and "
                "the PRA's rules, govern securitisations (transactions tranching the credit risk of a pool) with UK investors "
                "or UK originators and sponsors."),
        engaged=ENGAGED,
        requirement="A tranched deal with UK investors or a UK originator is a securitisation under the Securitisation Regulations 2024.",
        who="UK investors or a UK originator",
    ),
    risk_retention(
        "GB-SUP-002", "GB", parameter="gb.risk_retention.min_share",
        requirement="The originator, sponsor or original lender retains a material net economic interest of at least 5%.",
        law=Law((cite("UK-FCA-SECN"),),
                "The FCA's Securitisation sourcebook (and the PRA's equivalent rules) require the originator, sponsor or "
                "original lender to retain at least 5% on an ongoing basis in one of the listed forms."),
        condition=ENGAGED, retainer="originator, sponsor or original lender", forms=RETENTION_FORMS,
        remediation="Have the originator retain at least 5% in an eligible form and disclose it.",
        scope="securitisation_in_scope",
    ),
    transparency(
        "GB-SUP-003", "GB",
        law=Law((cite("UK-FCA-SECN"), cite("UK-SECR-2024")),
                "The UK regime requires the originator, sponsor and SSPE to make information on the securitisation available "
                "to investors and regulators and to designate one of them to do so."),
        requirement="One of originator, sponsor or SSPE is designated to make the UK transparency disclosures.",
    ),
    investor_due_diligence(
        "GB-SUP-004", "GB",
        law=Law((cite("UK-SECR-2024"),),
                "The Securitisation Regulations 2024 require UK institutional investors to verify, before holding a "
                "securitisation position, that the retention is held and that the required information is available."),
        requirement="UK institutional investors may hold the notes only if retention and transparency are verifiably met.",
        investors=this.uk_investors,
    ),
    securitisation_scope(
        "GB-SUP-005", "GB",
        law=Law((cite("UK-SECR-ONSHORED"),),
                "From 2021-01-01 until 2024-10-31 the onshored version of Regulation (EU) 2017/2402 governed securitisations "
                "(tranched credit risk) with UK investors or UK originators."),
        engaged=ENGAGED,
        requirement="Before 2024-11-01, a tranched deal reaching the UK was a securitisation under the onshored UK Securitisation Regulation.",
        who="UK investors or a UK originator",
    ),
    risk_retention(
        "GB-SUP-006", "GB", parameter="gb.risk_retention.min_share",
        requirement="Before 2024-11-01, the originator, sponsor or original lender retained at least 5% under the onshored regulation.",
        law=Law((cite("UK-SECR-ONSHORED"),),
                "The onshored Art 6 required the originator, sponsor or original lender to retain a material net economic "
                "interest of at least 5%."),
        condition=ENGAGED, retainer="originator, sponsor or original lender", forms=RETENTION_FORMS,
        remediation="Have the originator retain at least 5% in an eligible form and disclose it.",
        scope="securitisation_in_scope",
    ),
]
