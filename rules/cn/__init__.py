"""Rules of the People's Republic of China."""

from ipsa.engine.text import N_
from ipsa.engine.jurisdiction import FormAssumption, Jurisdiction

JURISDICTION = Jurisdiction(
    code="CN", name=N_("People's Republic of China"), order=10,
    offices={"CN": "CNIPA"},
    registration_decides_transfer=frozenset({"CN"}),  # Patent Law Art 10: a transfer takes effect on registration
    regulators=("AMAC", "CSRC", "SSE", "SZSE", "NAFMII"),
    form_assumptions=(
        FormAssumption("cn_asset_backed_special_plan", "regulation.established",
                       N_("The plan's establishment date is not stated, so the AMAC filing deadline is not computed.")),
    ),
)
