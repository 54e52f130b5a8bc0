"""Rules of Vietnam, where no trust law and no securitization statute exist."""

from ipsa.engine.text import N_
from ipsa.engine.jurisdiction import Jurisdiction

JURISDICTION = Jurisdiction(
    code="VN", name=N_("Viet Nam"), order=20,
    offices={"VN": N_("IP Viet Nam")},
    registration_decides_transfer=frozenset({"VN"}),  # IP Law Art 148: an assignment takes effect on registration
    regulators=("SSC_VN",),
)
