"""Rules of the United Kingdom (the Securitisation Regulations 2024 regime, tax and patents)."""

from ipsa.engine.jurisdiction import Jurisdiction

JURISDICTION = Jurisdiction(
    code="GB", name="United Kingdom", order=60,
    offices={"GB": "the UK IPO"},
    regulators=("FCA",),
)
