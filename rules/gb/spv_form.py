"""United Kingdom — where the SSPE may be established.

From 2024-11-01 regulation 8A of the Securitisation Regulations 2024 (inserted by SI 2024/705) is the whole test: an
SSPE may not be established in a country outside the UK that the FATF lists, for the time being, as a high-risk
jurisdiction subject to a call for enhanced due diligence or countermeasures (GB-SPV-001). Before then the onshored
Art 4 of the UK Securitisation Regulation applied (GB-SPV-002); its text was not read, so ipsa cites it unverified and
checks only the FATF call-for-action countries, which any high-risk list includes.
"""

from ipsa.engine.rulekit import cite, this
from ipsa.rules.patterns import Law, sspe_location

ENGAGED = this.uk_investors | this.originator_in_uk

RULES = [
    sspe_location(
        "GB-SPV-001", "GB", list_id="gb.sspe_restricted_locations",
        law=Law((cite("UK-SECR-2024", "8A"),),
                "The Securitisation Regulations 2024 reg 8A (inserted by SI 2024/705): the originator and sponsor must ensure "
                "the securitisation is not carried out through an SSPE established outside the UK in a country the FATF lists "
                "for the time being as a high-risk jurisdiction subject to a call for enhanced due diligence or for "
                "countermeasures (8A(1)); an institutional investor must not invest in it (8A(2)). There is no tax-list or "
                "OECD limb. ipsa holds the FATF call-for-action countries as dated data."),
        requirement="The SSPE of a securitisation reaching the UK is not established in a country on the FATF call-for-action list.",
        engaged=ENGAGED,
    ),
    sspe_location(
        "GB-SPV-002", "GB", list_id="gb.sspe_restricted_locations",
        law=Law((cite("UK-SECR-ONSHORED", "4"),),
                "From 2021-01-01 until 2024-10-31 the onshored Art 4 of the UK Securitisation Regulation restricted where an "
                "SSPE could be established (high-risk third countries; text not read here, cited unverified). ipsa "
                "checks only the FATF call-for-action countries, which any such list includes; confirm the rest of the test."),
        requirement="Before 2024-11-01, the SSPE of a securitisation reaching the UK was not established in a high-risk third country.",
        engaged=ENGAGED,
    ),
]
