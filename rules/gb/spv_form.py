"""United Kingdom — where the SSPE may be established."""

from ipsa.engine.rulekit import cite, this
from ipsa.rules.patterns import Law, sspe_location

RULES = [
    sspe_location(
        "GB-SPV-001", "GB", list_id="gb.sspe_restricted_locations",
        law=Law((cite("UK-SECR-2024"),),
                "The Securitisation Regulations 2024 keep the restriction on establishing an SSPE in a high-risk third country; "
                "ipsa holds only the countries every such list includes."),
        requirement="The SSPE of a securitisation reaching the UK is not established in a high-risk third country.",
        engaged=this.uk_investors | this.originator_in_uk,
    ),
]
