"""Rules of the United Kingdom (the Securitisation Regulations 2024 regime, tax and patents)."""

from ipsa.engine.text import N_
from ipsa.engine.jurisdiction import Jurisdiction

JURISDICTION = Jurisdiction(
    code="GB", name=N_("United Kingdom"), order=60,
    offices={"GB": N_("the UK IPO")},
    regulators=("FCA",),
)
