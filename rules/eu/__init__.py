"""Rules of the European Union (Regulation (EU) 2017/2402 and the Interest and Royalties Directive)."""

from ipsa.engine.jurisdiction import Jurisdiction

JURISDICTION = Jurisdiction(
    code="EU", name="European Union", order=50,
    offices={"EP": "the EPO"},
    regulators=("ESMA",),
    vehicle_choice_deferred="the Member State of the SSPE must be chosen first; ipsa does not assess Member State company law",
)
