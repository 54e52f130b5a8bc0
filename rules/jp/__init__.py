"""Rules of Japan."""

from ipsa.engine.text import N_
from ipsa.engine.jurisdiction import FormAssumption, Jurisdiction

JURISDICTION = Jurisdiction(
    code="JP", name=N_("Japan"), order=40,
    offices={"JP": N_("the JPO")},
    registration_decides_transfer=frozenset({"JP"}),  # Patent Act Art 98(1)(i): a transfer takes effect on registration
    regulators=("JP_LFB", "JP_FSA"),
    form_assumptions=(
        FormAssumption("jp_tmk", "tax.distribution_payout_ratio",
                       N_("The TMK's payout ratio is not stated; the dividend deduction is not assumed.")),
    ),
)
