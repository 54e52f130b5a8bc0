"""The one entry point: a loaded deal and its options -> one `Assessment` (findings, risk and advice), computed once.

The command line, the workspace and the batch runner call `run` (and `whatif`) and nothing else, so every memo
section, every JSON field and every page shows the same figures: the advisor's "before" is this assessment itself,
and each variant it tries is assessed with the same risk options and seed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Mapping

from ipsa.engine.advisor import advise, compare
from ipsa.engine.advisor.changes import Change, ChangedDealInvalid, revalidate
from ipsa.engine.assess import assess, older_objects_set_aside
from ipsa.engine.assessment import Assessment, Diff, RunOptions
from ipsa.engine.loading import DealInputError, LoadedDeal
from ipsa.engine.risk import DEFAULT_LIMITS, RiskOptions


@dataclass(frozen=True)
class Options:
    """What to compute. `as_of` None means the deal's own as-of date; `risk` False skips the numeric core (and
    with it every risk figure the advisor would compare); `advice` False skips the vehicle ranking and plan."""

    as_of: dt.date | None = None
    risk: bool = True
    paths: int = 2_000
    seed: int = 0
    stress: str | None = None
    extra_stresses: tuple[str, ...] = ()  # parametric stresses run beside the named ones (see risk.parse_stress)
    keep: frozenset[str] = frozenset()
    strict: bool = False
    target_pd: float | None = None
    limits: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    advice: bool = True
    insurer_rating: str = "AA"
    premium_rate: float = 0.005
    progress: Callable[[int, int], None] | None = field(default=None, compare=False)
    stage: Callable[[str], None] | None = field(default=None, compare=False)  # told what a long run is doing now
    as_of_named: str = field(default="--as-of", compare=False)  # the option that gave `as_of`, for messages


def as_of_for(loaded: LoadedDeal, as_of: dt.date | None, named: str = "--as-of") -> dt.date:
    """The date whose law applies: the one asked for, else the deal's own as-of date. Decided here only; a date
    outside what the rule base covers (`covered_dates`) is refused, naming where it came from."""
    from ipsa.engine.assess import covered_dates
    from ipsa.engine.loading import DealInputError, InputIssue

    day = as_of or loaded.deal.deal.as_of
    first, last = covered_dates()
    if not first <= day <= last:
        where = (named, None, "") if as_of else (loaded.source, None, "deal.as_of")
        raise DealInputError([InputIssue(*where, (
            f"{day} is outside the dates ipsa's rule base covers ({first} to {last}): before {first} none of its rules "
            "applies in any jurisdiction, and it does not forecast the law beyond its last date"))])
    return day


def _check_horizon(loaded: LoadedDeal, day: dt.date, risk: bool) -> None:
    """The risk analysis runs from the as-of date to the notes' last legal final: it needs one after the date."""
    from ipsa.engine.loading import DealInputError, InputIssue

    last = max(n.legal_final for n in loaded.deal.notes)
    if risk and day >= last:
        raise DealInputError([InputIssue("--as-of", None, "", (
            f"{day} is on or after the notes' last legal final ({last}): there is no cash to model; assess the law "
            "alone with --no-risk"))])


def risk_options(options: Options) -> RiskOptions | None:
    if not options.risk:
        return None
    return RiskOptions(paths=options.paths, seed=options.seed, stress=options.stress,
                       extra_stresses=tuple(options.extra_stresses), keep=options.keep,
                       strict=options.strict, target_pd=options.target_pd, limits=dict(options.limits),
                       progress=options.progress)


def _run_options(options: Options, day: dt.date) -> RunOptions:
    return RunOptions(as_of=day, risk=options.risk, paths=options.paths if options.risk else None,
                      seed=options.seed if options.risk else None, stress=options.stress, advice=options.advice)


def _quiet(_: str) -> None:
    """No one is watching: say nothing."""


def run(loaded: LoadedDeal, options: Options = Options()) -> Assessment:
    """Assess one validated deal: rules (with the risk core's results as facts), then, on that same assessment,
    the advisor's ranking and plan."""
    from ipsa.engine.text import collecting
    from ipsa.rules import all_rules

    all_rules()  # the rule base's own texts are made on import: never part of one run's messages, whichever runs first
    # The deal, its assessment and each variant's are set aside from the cyclic collector for the whole run.
    with older_objects_set_aside():
        with collecting() as made:
            assessment = _run(loaded, options)
        return with_messages(assessment, made)


def _run(loaded: LoadedDeal, options: Options) -> Assessment:
    day = as_of_for(loaded, options.as_of, options.as_of_named)
    risk = risk_options(options)
    _check_horizon(loaded, day, risk is not None)
    stage = options.stage or _quiet
    stage("applying the rules" + (" and modelling the risk" if risk is not None else ""))
    assessment = assess(loaded, day, risk)
    advice = None
    if options.advice:
        advice = advise(loaded, assessment, risk, insurer_rating=options.insurer_rating, premium_rate=options.premium_rate,
                        stage=stage)
    return assessment.model_copy(update={"advice": advice, "options": _run_options(options, day)})


def with_messages(assessment: Assessment, made: dict) -> Assessment:
    """The assessment carrying the message behind each of its texts (among those its run `made`), for memos in
    other languages."""
    from ipsa.engine.text import capture

    return assessment.model_copy(update={"messages": capture(assessment.model_dump(mode="json", exclude={"messages"}), made)})


def whatif(loaded: LoadedDeal, changes: list[Change], options: Options = Options(),
           label: str = "changes") -> tuple[Diff, Assessment, Assessment]:
    """A lawyer's own changes: the deal before and after, assessed with the same options, and the difference."""
    stage = options.stage or _quiet
    def without_advice(said: str) -> Options:
        return Options(**{**options.__dict__, "advice": False, "stage": lambda text: stage(f"{said}: {text}")})

    before = run(loaded, without_advice("the deal as it stands"))
    try:
        after = run(revalidate(loaded, changes, label), without_advice(f"the deal with {label}"))
    except DealInputError as exc:
        raise ChangedDealInvalid(exc.issues) from None
    return compare(before, after), before, after


def cash_flows(loaded: LoadedDeal, options: Options = Options(), path: int | None = None):
    """The waterfall's per-period log for the mean path (`path` None) or one path of the run `options` describe (the
    same seed, stress and screening as `run`, so path k here is path k of the assessment's figures)."""
    from ipsa.engine.graph import DealGraph
    from ipsa.engine.risk import cash_flows as log_of, pool_for

    day = as_of_for(loaded, options.as_of)
    _check_horizon(loaded, day, True)
    risk = risk_options(Options(**{**options.__dict__, "risk": True}))
    return log_of(pool_for(DealGraph(loaded.deal), day, risk), risk, path)


def replay(loaded: LoadedDeal, options: Options = Options()):
    """The waterfall on the royalties actually received, with every covenant test by period (a seasoned deal's
    back-test); raises `ReplayError` where the deal has no history to replay."""
    from ipsa.engine.graph import DealGraph
    from ipsa.engine.risk import replay as back_test

    return back_test(DealGraph(loaded.deal), risk_options(Options(**{**options.__dict__, "risk": True})))
