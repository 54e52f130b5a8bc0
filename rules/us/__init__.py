"""Rules of the United States (federal law, Delaware entity law and the UCC as enacted in Delaware)."""

from ipsa.engine.text import N_
from ipsa.engine.jurisdiction import FormAssumption, Jurisdiction

JURISDICTION = Jurisdiction(
    code="US", name=N_("United States"), order=30,
    offices={"US": N_("the USPTO")},
    regulators=("SEC",),
    spv_seat="US-DE",  # the US forms ipsa holds are Delaware entities
    form_assumptions=tuple(
        FormAssumption(form, "tax.entity_classification",
                       N_("The SPV's US tax classification is not stated; the default classification is discussed but not assumed."))
        for form in ("us_delaware_llc", "us_delaware_statutory_trust")),
)
