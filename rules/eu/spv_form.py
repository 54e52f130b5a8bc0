"""European Union — where the SSPE may be established."""

from ipsa.engine.rulekit import cite, this
from ipsa.rules.patterns import Law, sspe_location

RULES = [
    sspe_location(
        "EU-SPV-001", "EU", list_id="eu.non_cooperative_tax_jurisdictions",
        law=Law((cite("EU-SECR", "4"), cite("EU-NONCOOP-TAX-LIST")),
                "Regulation (EU) 2017/2402 Art 4: an SSPE may not be established in a third country on the EU list of high-risk "
                "money-laundering countries or on the EU list of non-cooperative jurisdictions for tax purposes. ipsa holds "
                "the tax list; the money-laundering list must be checked separately."),
        requirement="The SSPE of a securitisation reaching the EU is not established in a listed non-cooperative or high-risk country.",
        engaged=this.eu_investors | this.originator_in_eu,
    ),
]
