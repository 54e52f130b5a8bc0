"""Rules of the European Union (Regulation (EU) 2017/2402 and the Interest and Royalties Directive)."""

from ipsa.engine.text import N_
from ipsa.engine.jurisdiction import Jurisdiction

JURISDICTION = Jurisdiction(
    code="EU", name=N_("European Union"), order=50,
    offices={"EP": N_("the EPO")},
    regulators=("ESMA",),
    vehicle_choice_deferred=N_("the Member State of the SSPE must be chosen first; ipsa does not assess Member State company law"),
)
