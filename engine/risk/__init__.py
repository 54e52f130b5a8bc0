"""The numeric risk core: screen the patents, forecast the royalties, run the waterfall, size the enhancement,
try the named stresses and choose the pool. `analyse` is the one entry point; its `RiskReport` goes into the
assessment JSON, the memo and, as facts, into the rule base.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence

import numpy as np
from pydantic import BaseModel
from scipy.optimize import brentq
from scipy.special import bdtr, bdtrik, betaincinv, xlogy  # not scipy.stats: its import alone costs 0.2 s a run

from ipsa.engine.text import N_, joined, msg
from ipsa.engine.graph import DealGraph
from ipsa.engine.risk import defaults as D
from ipsa.engine.risk.cache import ResultCache, fingerprint
from ipsa.engine.risk.inputs import (PoolInputs, asset_expiry, asset_family, asset_group, build, note_balance,
                                    period_index)
from ipsa.engine.risk.screening import screen
from ipsa.engine.risk.simulate import (BLOCK, NO_STRESS, Block, PathBlock, Stress, blocks, joined_blocks,
                                      simulate_block, simulate_runs)
from ipsa.engine.risk.waterfall import CashFlowLog, ClassOutcome, ranks, run

STRESS_NAMES = ("destocking", "largest_patent_invalid", "largest_licensee_default", "guarantor_default")
SELECTION_MARGIN = 0.05  # ipsa's materiality: a removal must cut the senior expected loss by 5% of it (L)
SELECTION_Z = 1.645  # and by more than the one-sided 95% noise of the paired difference
DEFAULT_LIMITS = {N_("licensee"): 0.40, N_("family"): 0.50, N_("technology"): 0.60}  # ipsa defaults (L): set per deal


@dataclass
class RiskOptions:
    paths: int = 10_000
    seed: int = 0
    stress: str | None = None
    chunk_blocks: int = 4
    keep: frozenset[str] = frozenset()
    strict: bool = False
    target_pd: float | None = None
    periods_per_year: int = 4
    limits: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    selection_paths: int = 2_000
    stresses: bool = True
    extra_stresses: tuple[str, ...] = ()  # parametric stresses (`parse_stress`) run beside the named ones
    select: bool = True
    progress: Callable[[int, int], None] | None = None


class ScreenedItem(BaseModel):
    patent: str
    number: str
    office: str
    score: float
    excluded: bool
    kept_by_user: bool
    defects: list[dict[str, str | bool]]


CONFIDENCE = 0.95  # the level of every one-sided upper bound and two-sided interval the report gives
_Z = 1.959963984540054  # the two-sided 95% normal quantile, for intervals turned into standard errors


class ClassMetrics(BaseModel):
    """One class over the simulated paths: pd counts any shortfall of principal or interest at legal final;
    expected_loss is the mean unpaid principal as a share of the balance; wal_years weighs principal by time.
    pd_upper_95 and expected_loss_upper_95 are one-sided 95% upper confidence bounds (`pd_upper`, `mean_upper`):
    exact for any number of paths, and informative where few or no defaults were observed."""

    id: str
    balance: float
    pd: float
    pd_se: float
    pd_upper_95: float
    expected_loss: float
    expected_loss_se: float
    expected_loss_upper_95: float
    wal_years: float
    wal_se: float
    wrap_reliance: float  # share of the class's payments that came from a wrap, on average
    residual: bool = False  # the residual class: owed nothing, so no default; pd is 0 and expected_loss is the mean
    # share of its investment not returned
    distributions_multiple: float | None = None  # mean cash paid to the class over its balance (residual: its multiple)


class StressResult(BaseModel):
    name: str
    description: str
    # The paths the stress ran on: the main run's first ones (`stress_paths`); 0 in an assessment stored before
    # stresses recorded it, which the workspace still reads.
    paths: int = 0
    senior_pd: float
    senior_pd_se: float
    senior_pd_upper_95: float
    senior_expected_loss: float


class Enhancement(BaseModel):
    """Standalone enhancement: sized with every wrap or guarantee ignored. The senior class is the most senior rank
    (classes of equal seniority sized together, pro rata to their balances).

    The size (`_enhancement`, `_CriticalSizes`): each path has a critical size, the senior balance at which it first
    defaults; the largest senior balance meeting the target PD p is the largest size at which at most floor(n p) paths
    have defaulted, i.e. just below the (floor(n p) + 1)-th smallest critical size, found to 0.01% of the senior
    balance and confirmed by running every path at it. A path's default need not be monotone in the senior size (a
    larger class can breach a coverage covenant sooner and be repaid faster by the amortisation that follows): its
    earliest default is the one that counts (the earliest the search sees: a default and a recovery both between two
    sizes it tried on that path pass unseen), so a larger senior class never reads as safer than a smaller one; where
    the count of defaults crosses the target several times, the first crossing is the answer, not whichever a root
    search lands on. This errs towards a smaller senior class. Biased
    upwards where n p is below a handful of paths; the interval below shows how wide the answer is there.

    Standard errors: the size is a quantile of the paths' critical sizes, so its error is that of a quantile. The
    r-th and s-th smallest critical sizes, r and s the exact binomial ranks of `quantile_ranks`, are the
    distribution-free order-statistic 95% interval for it (to 0.1% of the senior balance); max_senior_balance_se is
    that interval's width over 2z, z the two-sided 95% normal quantile (from the upper end alone, its half-width over
    z, when too few paths default for the interval to close below). They come from the same search.
    required_enhancement_se adds the error of the PV of expected collections (mean of n paths' PVs) as if the two were independent; they are
    positively correlated, so this overstates the error of their ratio a little."""

    target_senior_pd: float
    target_source: str
    max_senior_balance: float
    max_senior_balance_se: float
    senior_balance: float
    expected_collections_pv: float
    required_enhancement: float  # 1 - max senior / PV of expected collections
    required_enhancement_se: float
    current_enhancement: float
    # The default probability of a senior class sized at almost nothing: the paths on which collections stop before
    # the class's schedule ends (the pool's own failure, which no subordination cures). Above the target, no senior
    # balance meets it and `achievable` is False: the target needs a reserve, a trap, a faster amortisation or support.
    smallest_senior_pd: float = 0.0
    achievable: bool = True


class Selection(BaseModel):
    limits: dict[str, float]
    chosen_licences: list[str]
    dropped_licences: list[str]
    dropped_patents: list[str]
    take_all_senior_el: float
    chosen_senior_el: float
    take_all_collateral: float
    chosen_collateral: float
    take_all_top_shares: dict[str, float]
    chosen_top_shares: dict[str, float]
    why: str


class CashFlows(BaseModel):
    """The waterfall, period by period, on one path: `path` is "mean" (the mean of the simulated collections, every
    wrap provider standing) or a path number of the main run. Each column is one kind of amount; `kinds` says which
    columns are sources of cash, uses of it, or states (balances, ratios, covenant flags). Sources equal uses in every
    period (`check` holds the largest difference)."""

    path: str
    period_ends: list[dt.date]
    columns: list[str]
    kinds: dict[str, str]
    rows: list[list[float | None]]  # one per period, in `columns` order; None where a ratio is undefined
    check: float


class RiskReport(BaseModel):
    paths: int
    seed: int
    periods_per_year: int
    stress: str | None
    screening: list[ScreenedItem]
    licences_modelled: list[str]
    period_ends: list[dt.date]
    expected_contractual: list[float]
    collections_mean: list[float]
    collections_p5: list[float]
    collections_p50: list[float]
    collections_p95: list[float]
    classes: list[ClassMetrics]
    dscr_min_p5: float | None
    dscr_min_p5_se: float | None  # order-statistic interval for the quantile (`quantile_se`)
    dscr_min_p50: float | None
    dscr_min_p50_se: float | None
    trigger_rate: float
    trigger_rate_se: float  # binomial: sqrt(p(1-p)/n)
    pool_loss_quantiles: dict[str, float]
    pool_loss_histogram: dict[str, list[float]]  # edges (share of the notes lost) and path counts, for the memo's chart
    enhancement: Enhancement | None
    stresses: list[StressResult]
    selection: Selection | None
    residual_life_years: float
    tenor_years: float
    assumptions: dict[str, str]
    cash_flows: CashFlows | None = None  # the mean path, for the memo's appendix

    def senior(self) -> ClassMetrics | None:
        """The senior class: the first of the most senior rank still outstanding at the as-of date (a class already
        repaid is no longer the one investors and rating criteria look to)."""
        return next((c for c in self.classes if c.balance > 0), self.classes[0] if self.classes else None)


STRESS_TEXT = {
    "destocking": N_("sales-driven royalties halved for the first four quarters, minimum royalties and fixed fees holding "
                  "(a destocking shock)"),
    "largest_patent_invalid": N_("the licensed asset (patent, copyright or trademark) carrying the most expected "
                              "royalties is invalid or lost from the start"),
    "largest_licensee_default": N_("the licensee paying the most royalties defaults at once"),
    "guarantor_default": N_("every wrap or guarantee provider defaults at once"),
}


# -- statistics ----------------------------------------------------------------------------------------------------

def pd_upper(defaults: int, paths: int, confidence: float = CONFIDENCE) -> float:
    """Exact one-sided Clopper-Pearson upper bound on a probability from `defaults` events in `paths` independent
    paths: the p at which seeing `defaults` or fewer has probability 1 - confidence, i.e. the beta quantile
    B(confidence; k + 1, n - k). With no event it is 1 - (1 - confidence)^(1/n): 0.15% for 2,000 paths."""
    if paths <= 0:
        return 1.0
    if defaults >= paths:
        return 1.0
    return float(betaincinv(defaults + 1, paths - defaults, confidence))  # scipy.stats.beta.ppf's own function


def mean_upper(mean: float, paths: int, confidence: float = CONFIDENCE) -> float:
    """One-sided upper bound on the mean of a variable bounded in [0, 1] (a loss as a share of the balance) from the
    mean of `paths` independent draws: the largest q >= mean with n KL(mean || q) <= ln(1 / (1 - confidence)), KL
    the Bernoulli relative entropy (Chernoff-Hoeffding; Hoeffding 1963, Theorem 1, which bounds the lower tail of the
    sample mean of any [0, 1] variable by that of a Bernoulli one). Why this bound: it holds for any number of paths
    and any loss distribution (no normal approximation, no bootstrap), it reduces to the exact Clopper-Pearson bound
    when no loss is seen (a zero mean gives 1 - (1 - confidence)^(1/n), as for the PD), and unlike "the bound on the
    probability of any loss times the largest possible loss" it credits partial losses, so with losses given default
    well below 100% it is several times tighter. It is conservative where losses are many: about 2.45 standard errors
    of a Bernoulli variable with the same mean above it (sqrt(2 ln 20)), against 1.645 for a normal-theory bound, and
    never tighter than the exact Clopper-Pearson bound for all-or-nothing losses."""
    if paths <= 0:
        return 1.0
    mean = min(max(float(mean), 0.0), 1.0)
    if mean >= 1.0:
        return 1.0
    budget = math.log(1 / (1 - confidence)) / paths

    def excess(q: float) -> float:
        kl = xlogy(mean, mean) - xlogy(mean, q) + xlogy(1 - mean, 1 - mean) - xlogy(1 - mean, 1 - q)
        return kl - budget

    top = 1 - 1e-15
    if excess(top) <= 0:
        return 1.0
    if mean == 0.0:
        return -math.expm1(-budget)  # closed form: -ln(1 - q) = budget
    return float(brentq(excess, mean, top, xtol=1e-15, rtol=1e-12, maxiter=200))


def quantile_ranks(m: int, q: float, confidence: float = CONFIDENCE) -> tuple[int, int]:
    """1-based ranks (r, s) of the order statistics that bound the q-quantile of m draws with `confidence`: the number
    of draws below the true quantile is binomial (m, q), so r is its lower (1 - confidence) / 2 quantile and s one
    above its upper one (exact binomial ranks, not the normal approximation, so that they stay right where m q is a
    handful of paths). r = 0 means the interval is open below."""
    tail = (1 - confidence) / 2
    return _binomial_quantile(tail, m, q), _binomial_quantile(1 - tail, m, q) + 1


def _binomial_quantile(level: float, n: int, p: float) -> int:
    """The smallest k with P(Binomial(n, p) <= k) >= level: scipy.stats.binom.ppf, computed as it computes it (the
    inverse of the binomial distribution function in k, rounded up, then one step back where that still reaches the
    level), from scipy.special alone."""
    if p <= 0.0:  # a point mass at 0 (where the inverse is undefined)
        return 0
    inverse = float(bdtrik(level, n, p))
    if math.isnan(inverse):  # p too small for the inverse (below about 1e-17): all the mass at 0 within the level
        return 0 if bdtr(0, n, p) >= level else n
    k = math.ceil(inverse)
    return k - 1 if k >= 1 and bdtr(k - 1, n, p) >= level else k


def quantile_se(values: np.ndarray, q: float) -> float:
    """Standard error of the q-quantile of `values` from the distribution-free order-statistic 95% interval
    (`quantile_ranks`): the interval's width over 2z, z the two-sided 95% normal quantile; from the upper end alone
    (its half-width over z) where the interval is open below. Zero where the values tie across it (a quantile on a
    point mass is exact)."""
    m = values.size
    if m < 2:
        return 0.0
    ordered = np.sort(values)
    r, s = quantile_ranks(m, q)
    centre = float(np.percentile(values, 100 * q))
    upper = ordered[min(s, m) - 1]
    if r < 1:
        return float(max(upper - centre, 0.0) / _Z)
    return float((upper - ordered[r - 1]) / (2 * _Z))


# The named stresses are presets of the parametric form (`parse_stress`), kept so that reports and findings can
# name them: a destocking shock halves the sales-driven royalties for the first year (minimum royalties and fixed
# fees hold), the largest patent is invalid and the largest licensee defaults from the start, every wrap fails.
PRESETS = {
    "destocking": "sales=0.5,start=0,periods=4",
    "largest_patent_invalid": "patent=largest,at=0",
    "largest_licensee_default": "licensee=largest,at=0",
    "guarantor_default": "wraps,at=0",
}
STRESS_KEYS = {"sales", "start", "periods", "permanent", "touches", "patent", "licensee", "wraps", "at"}


class StressError(ValueError):
    """A stress written in a form ipsa does not read."""


def parse_stress(spec: str, pool: PoolInputs | None = None) -> Stress:
    """A stress from its preset name or its parameters, comma-separated: `sales=0.6,start=4,periods=8` (royalties
    at 60% from the fifth period for eight periods), `sales=0.7,permanent`, `touches=all` (minimum and fixed
    royalties fall too), `licensee=largest` or `licensee=<party id>`, `patent=largest` or `patent=<patent id>`,
    `wraps` (every provider fails), each at period `at` (0, the first period, unless given). Periods are the
    model's (quarters by default). With `pool`, ids are resolved to its indices."""
    text = PRESETS.get(spec, spec)
    fields: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, _, value = part.partition("=")
        key = key.strip()
        if key not in STRESS_KEYS:
            raise StressError(msg("{spec!r}: {key!r} is not a stress parameter; use a preset ({presets}) or {stress_keys}",
                                  spec=spec, key=key, presets=', '.join(PRESETS), stress_keys=', '.join(sorted(STRESS_KEYS))))
        if key in fields:
            raise StressError(msg("{spec!r}: {key} is given twice", spec=spec, key=key))
        fields[key] = value.strip()
    if not fields.keys() - {"at", "touches"}:  # a period alone, or what it touches, stresses nothing
        raise StressError(msg("{spec!r} names no stress", spec=spec))

    def number(key: str, kind=float, low: float = 0.0, high: float = 1e9):
        try:
            value = kind(fields[key])
        except ValueError:
            raise StressError(msg("{spec!r}: {key} must be a {value}number, not {value2!r}",
                                  spec=spec, key=key, value='whole ' if kind is int else '', value2=fields[key])) from None
        if not low <= value <= high or value != value:
            raise StressError(msg("{spec!r}: {key} must be between {low:g} and {high:g}", spec=spec, key=key, low=low, high=high))
        return value

    at = number("at", int, 0, 10_000) if "at" in fields else 0
    args: dict = {}
    if "sales" in fields:
        args.update(sales_multiplier=number("sales", float, 0.0, 10.0),
                    sales_start=number("start", int, 0, 10_000) if "start" in fields else at,
                    sales_periods=None if "permanent" in fields else (number("periods", int, 1, 10_000) if "periods" in fields else None))
    elif {"start", "periods", "permanent"} & fields.keys():
        raise StressError(msg("{spec!r}: start, periods and permanent go with sales=", spec=spec))
    if "touches" in fields:
        if fields["touches"] not in ("sales", "all"):
            raise StressError(msg("{spec!r}: touches is 'sales' or 'all'", spec=spec))
        args["touches"] = fields["touches"]
    if "licensee" in fields:
        args.update(default_licensee=_target_index(spec, "licensee", fields["licensee"], pool), default_at=at)
    if "patent" in fields:
        args.update(kill_patent=_target_index(spec, "patent", fields["patent"], pool), kill_at=at)
    if "wraps" in fields:
        args.update(default_wraps=True, wraps_at=at)
    return Stress(spec, **args)


def _target_index(spec: str, what: str, value: str, pool: PoolInputs | None) -> int | None:
    if pool is None:
        return None
    if what == "licensee":
        if value == "largest":
            by_licensee = np.bincount(pool.licence_licensee, weights=pool.base, minlength=len(pool.licensees))
            return int(np.argmax(by_licensee)) if len(pool.licensees) else None
        if value not in pool.licensees:
            raise StressError(msg("{spec!r}: {value!r} is not a licensee of the modelled pool ({licensees})",
                                  spec=spec, value=value, licensees=', '.join(pool.licensees)))
        return pool.licensees.index(value)
    if value == "largest":
        return int(np.argmax(pool.patent_weight)) if len(pool.patents) else None
    if value not in pool.patents:
        raise StressError(msg("{spec!r}: {value!r} is not a patent of the modelled pool", spec=spec, value=value))
    return pool.patents.index(value)


def describe_stress(spec: str) -> str:
    """A stress in words: the preset's description, or its parameters spelt out."""
    if spec in STRESS_TEXT:
        return STRESS_TEXT[spec]
    stress = parse_stress(spec)
    parts = []
    if stress.sales_periods != 0 and stress.sales_multiplier != 1.0:
        span = N_("for good") if stress.sales_periods is None else msg("for {sales_periods} period(s)", sales_periods=stress.sales_periods)
        what = N_("royalties, minimum and fixed ones included,") if stress.touches == "all" else N_("sales-driven royalties")
        parts.append(msg("{what} at {sales_multiplier:.0%} from period {sales_start} {span}",
                         what=what, sales_multiplier=stress.sales_multiplier, sales_start=stress.sales_start + 1, span=span))
    fields = {key.strip(): value.strip() for key, _, value in (p.partition("=") for p in PRESETS.get(spec, spec).split(","))}
    if stress.default_licensee is not None or "licensee" in fields:
        parts.append(msg("licensee {licensee} in default from period {default_at}",
                         licensee=fields['licensee'], default_at=stress.default_at + 1))
    if "patent" in fields:
        parts.append(msg("patent {patent} invalid from period {kill_at}", patent=fields['patent'], kill_at=stress.kill_at + 1))
    if stress.default_wraps:
        parts.append(msg("every wrap or guarantee provider failed from period {wraps_at}", wraps_at=stress.wraps_at + 1))
    return "; ".join(parts) or spec


def stress_for(name: str, pool: PoolInputs) -> Stress:
    if name == "none":
        return NO_STRESS
    return parse_stress(name, pool)


@dataclass
class _Run:
    outcome: ClassOutcome
    collections: np.ndarray
    wrap_default: np.ndarray


def _senior_cols(pool: PoolInputs) -> np.ndarray:
    """The classes of the most senior rank with anything outstanding (the first rank where every class is repaid)."""
    every = ranks(pool.notes)
    return next((cols for cols in every if pool.notes.balance[cols].sum() > 0), every[0])


# What only the waterfall reads: two pools that differ in these alone simulate the same paths.
WATERFALL_ONLY = frozenset({"notes", "reserve_target", "reserve_initial", "triggers", "assumptions", "fees", "steps",
                            "oc_ratio", "oc_remaining_pv", "revolving"})
# What only the wrap providers' draws read (from a stream of their own): no path's royalties depend on them, unless a
# stress fails every provider and with them any licensee that is one.
WRAPS_ONLY = frozenset({"wraps", "wrap_corr", "wrap_licensee", "wrap_obligor", "wrap_first"})


def _paths_keys(pool: PoolInputs, options: RiskOptions,
                runs: Sequence[tuple[Stress, int]]) -> list[tuple[str | None, Stress]]:
    """Each run's key in `SIMULATION_CACHE` (None: not cacheable), and its stress as far as the paths depend on it:
    not its name; nor the providers' failure unless one of them is a licensee. The pool's inputs are digested once
    for all the runs (a 5,000-licence pool's arrays run to a hundred megabytes)."""
    providers_license = pool.wrap_licensee is not None and bool((pool.wrap_licensee >= 0).any())
    digests: dict[bool, str | None] = {}
    keys = []
    for stress, paths in runs:
        on_paths = dataclasses.replace(stress, name="", **({} if providers_license else {"default_wraps": False, "wraps_at": 0}))
        if on_paths.default_wraps not in digests:
            ignored = WATERFALL_ONLY if on_paths.default_wraps else WATERFALL_ONLY | WRAPS_ONLY
            digests[on_paths.default_wraps] = fingerprint(
                "paths", [(f.name, getattr(pool, f.name)) for f in dataclasses.fields(pool) if f.name not in ignored])
        read = digests[on_paths.default_wraps]
        keys.append((None if read is None else fingerprint(read, paths, options.seed, on_paths), on_paths))
    return keys


def _simulated(pool: PoolInputs, options: RiskOptions, stress: Stress, paths: int, keep_licences: bool,
               together: Sequence[tuple[Stress, int]] = (), progress=None) -> Iterator[Block]:
    """The simulated blocks of a run. Without per-licence flows, the paths are reused from an earlier run in this
    process whose simulation read the same inputs (`SIMULATION_CACHE`), and only the wrap providers are drawn: an
    advisor's variant that changes the notes, the reserve, the covenants or the wraps runs its waterfall on the
    base's paths, bit for bit the paths it would simulate. `together`: the runs (stress, paths) that later calls will
    ask for; those not yet simulated are simulated in the same pass as this one (`simulate_runs`: the random numbers
    drawn once for all of them, every run's paths as it would have them alone) and kept for those calls. `progress`
    (done, total) is told the paths simulated as the pass goes, of the largest run in it."""
    (key, on_paths), *others = _paths_keys(pool, options, [(stress, paths), *together])
    simulated = None if keep_licences else SIMULATION_CACHE.get(key)
    pending = [] if simulated is not None else [(key, on_paths, paths)]
    for (other_key, other_on_paths), (_, other_paths) in zip(others, together):
        if other_key is not None and other_key not in SIMULATION_CACHE and other_key not in (k for k, _, _ in pending):
            pending.append((other_key, other_on_paths, other_paths))
    if pending:
        keep = keep_licences and simulated is None  # each licence's cash is too large to keep: the first run's only
        results = _simulate_together(pool, options.seed, [(s, n) for _, s, n in pending], keep, progress)
        for (run_key, _, _), result in zip(pending, results):
            SIMULATION_CACHE.put(run_key, [(b, dataclasses.replace(p, by_licence=None)) for b, p in result])
        simulated = results[0] if simulated is None else simulated
    size = options.chunk_blocks
    return (joined_blocks(pool, options.seed, stress, simulated[start:start + size])
            for start in range(0, len(simulated), size))


def _simulate_together(pool: PoolInputs, seed: int, runs: list[tuple[Stress, int]],
                       keep_first: bool, progress=None) -> list[list[tuple[int, PathBlock]]]:
    """Each run's blocks (block index, paths), simulated block by block in one pass for all runs."""
    out: list[list[tuple[int, PathBlock]]] = [[] for _ in runs]
    most = max(n for _, n in runs)
    for b in range(len(blocks(most))):
        present = [i for i, (_, n) in enumerate(runs) if n > b * BLOCK]
        simulated = simulate_runs(pool, seed, b, [(runs[i][0], min(BLOCK, runs[i][1] - b * BLOCK)) for i in present],
                                  keep_licences=keep_first and present[0] == 0)
        for i, paths in zip(present, simulated):
            out[i].append((b, paths))
        if progress:
            progress(min((b + 1) * BLOCK, most), most)
    return out


def _run(pool: PoolInputs, options: RiskOptions, stress: Stress, paths: int, report_progress: bool = False,
         keep_licences: bool = False, together: Sequence[tuple[Stress, int]] = ()) -> tuple[_Run, np.ndarray | None]:
    """One run's waterfall on its simulated paths; `report_progress`: the simulation, where it is done here (not
    reused), tells `options.progress` how far it has come (the simulation is most of a large pool's time)."""
    outcomes, collections, wraps, by_licence = [], [], [], []
    for block in _simulated(pool, options, stress, paths, keep_licences, together,
                            options.progress if report_progress else None):
        outcomes.append(run(pool, block))
        collections.append(block.collections)
        wraps.append(block.wrap_default)
        if keep_licences:
            by_licence.append(block.by_licence)
    joined = ClassOutcome(*(np.concatenate([getattr(o, f) for o in outcomes]) for f in
                            ("loss", "principal_loss", "principal_time", "wrap_paid", "min_dscr", "triggered",
                             "distributions")))
    return (_Run(joined, np.concatenate(collections), np.concatenate(wraps)),
            (by_licence[0] if len(by_licence) == 1 else np.concatenate(by_licence)) if keep_licences else None)


def cash_flows(pool: PoolInputs, options: RiskOptions, path: int | None = None,
               collections_mean: np.ndarray | None = None) -> CashFlows:
    """The cash-flow log of one path: `path` None is the mean path (the waterfall on the mean collections, every wrap
    provider standing); a number is that path of the main run (same seed, same stress: its own defaults and wraps)."""
    if path is None:
        if collections_mean is None:
            main, _ = _run(pool, options, stress_for(options.stress or "none", pool), options.paths)
            collections_mean = main.collections.mean(axis=0)
        block = Block(np.asarray(collections_mean, dtype=float)[None, :], None,
                      np.full((1, len(pool.wraps)), pool.horizon, dtype=np.int64))
        label = "mean"
    else:
        if not 0 <= path < options.paths:
            raise ValueError(msg("path {path} is not one of the run's {paths:,} paths (0 to {paths2})",
                                 path=path, paths=options.paths, paths2=options.paths - 1))
        number, row = divmod(path, BLOCK)
        size = min(BLOCK, options.paths - number * BLOCK)
        whole = simulate_block(pool, options.seed, number, size, stress_for(options.stress or "none", pool))
        block = Block(whole.collections[row:row + 1], None, whole.wrap_default[row:row + 1])
        label = str(path)
    return _logged(pool, block, label, pool.horizon)


def _logged(pool: PoolInputs, block: Block, label: str, periods: int) -> CashFlows:
    """The waterfall run once on a one-path block with its log kept, as the first `periods` periods of CashFlows; an
    undefined ratio (no debt service due) becomes None so that the JSON stays JSON."""
    log = CashFlowLog(pool.horizon)
    run(pool, block, log=log)
    columns = list(log.values)
    rows = [[float(v) if np.isfinite(v := log.values[c][t]) else None for c in columns] for t in range(periods)]
    check = float(np.max(np.abs(log.total("source") - log.total("use"))[:periods])) if periods else 0.0
    return CashFlows(path=label, period_ends=pool.period_ends[:periods], columns=columns, kinds=dict(log.kinds),
                     rows=rows, check=check)


class ReplayError(ValueError):
    """The deal holds no royalty history to replay."""


def replay(g: DealGraph, options: RiskOptions) -> CashFlows:
    """The back-test of a seasoned deal: the waterfall run once, deterministically, on the royalties actually received
    (`licences[].history`, each payment in the period that contains its date plus the licence's payment lag, at the
    pool's share), from closing (the deal's closing date,
    else its first transfer) to the period of the last payment; every covenant test is in the log, period by period.
    A wrap provider stands unless proceedings against it were opened (`parties[].insolvency.opened`)."""
    deal = g.deal
    # A payment reaches the SPV its licence's lag after the royalty period ends; co-owners keep their share.
    payments = [(h.period_end + dt.timedelta(days=lic.royalty.payment_lag_days), h.amount * (lic.pool_share or 1.0))
                for lic in g.pooled_licences for h in lic.history]
    if not payments:
        raise ReplayError("no pooled licence has a royalty history to replay (licences[].history)")
    start = deal.deal.closing_date or min(t.date for t in deal.transfers)
    pool = pool_for(g, start, options)
    if not pool.period_ends:
        raise ReplayError("the notes' legal final is not after the closing date")
    collections = np.zeros(pool.horizon)
    last = 0
    for day, amount in payments:
        if day <= start or day > pool.period_ends[-1]:
            continue
        t = period_index(pool.period_ends, day)
        collections[t] += amount
        last = max(last, t)
    if not collections.any():
        raise ReplayError(msg("no royalty payment in the history falls between closing ({start}) and the legal final", start=start))
    wrap_default = np.full((1, len(pool.wraps)), pool.horizon, dtype=np.int64)
    for w, wrap in enumerate(pool.wraps):
        insolvency = deal.party(wrap.provider).insolvency
        if insolvency is not None:
            wrap_default[0, w] = period_index(pool.period_ends, insolvency.opened)
    return _logged(pool, Block(collections[None, :], None, wrap_default), "history", last + 1)


def _class_metrics(pool: PoolInputs, outcome: ClassOutcome, scale: np.ndarray | None = None) -> list[ClassMetrics]:
    notes = pool.notes
    balances = notes.balance * (scale if scale is not None else 1.0)
    n = outcome.loss.shape[0]
    out = []
    revolving = pool.revolving
    for c, class_id in enumerate(notes.ids):
        # Shares are of the balance; a variable funding note not yet drawn at the as-of date is measured against its
        # commitment (what it may be drawn up to); any other class with nothing outstanding is repaid: it is owed
        # nothing, so it loses nothing and cannot default.
        owed = balances[c] if balances[c] > 0 or revolving is None or revolving.vfn != c else revolving.commitment

        def share(values: np.ndarray) -> np.ndarray:  # divided, not multiplied by 1 / owed: the same last bit as ever
            return values / owed if owed > 0 else np.zeros_like(values)

        loss = share(outcome.principal_loss[:, c])
        defaulted = outcome.loss[:, c] > 1e-6 * owed  # a residual class's loss is 0: it cannot default
        if owed <= 0:
            defaulted = np.zeros(n, dtype=bool)
        pd = float(defaulted.mean())
        wal = share(outcome.principal_time[:, c])
        expected_loss = float(loss.mean())
        out.append(ClassMetrics(
            id=class_id, balance=float(balances[c]), pd=pd, pd_se=math.sqrt(pd * (1 - pd) / n),
            pd_upper_95=pd_upper(int(defaulted.sum()), n),
            expected_loss=expected_loss, expected_loss_se=float(loss.std(ddof=1) / math.sqrt(n)) if n > 1 else 0.0,
            expected_loss_upper_95=mean_upper(expected_loss, n),
            wal_years=float(wal.mean()), wal_se=float(wal.std(ddof=1) / math.sqrt(n)) if n > 1 else 0.0,
            wrap_reliance=float(share(outcome.wrap_paid[:, c].mean())),
            residual=bool(notes.residual[c]),
            distributions_multiple=(float(outcome.distributions[:, c].mean() / balances[c])
                                    if outcome.distributions is not None and balances[c] > 0 else None),
        ))
    return out


def _senior_defaults(pool: PoolInputs, outcome: ClassOutcome, scale: np.ndarray | None = None) -> np.ndarray:
    """[n] bool: a class of the most senior rank defaulted (its classes are paid pari passu, whatever their ids)."""
    cols = _senior_cols(pool)
    balances = pool.notes.balance[cols] * (scale[..., cols] if scale is not None else 1.0)  # [g], or [n, g] by path
    return (outcome.loss[:, cols] > 1e-6 * balances).any(axis=1)


def _senior_loss(pool: PoolInputs, outcome: ClassOutcome, scale: np.ndarray | None = None) -> np.ndarray:
    """[n] principal lost by the most senior rank as a share of its balance."""
    cols = _senior_cols(pool)
    balances = pool.notes.balance[cols] * (scale[cols] if scale is not None else 1.0)
    owed = balances.sum()
    return outcome.principal_loss[:, cols].sum(axis=1) / owed if owed > 0 else np.zeros(outcome.loss.shape[0])


def _target(pool: PoolInputs, g: DealGraph, options: RiskOptions, tenor: float) -> tuple[float, str]:
    if options.target_pd is not None:
        return options.target_pd, N_("given with --target-pd")
    # The senior rank is the most senior with anything outstanding (`_senior_cols`), as sized and reported.
    outstanding = [n for n in g.deal.notes if note_balance(n) > 0]
    top = min(n.seniority for n in outstanding or g.deal.notes)
    # Of a pari passu senior rank, the strictest target any of its classes names (whatever the classes' ids).
    given = [n.target_rating for n in g.deal.notes if n.seniority == top and n.target_rating in D.RATING_PD]
    rating = min(given, key=lambda r: D.RATING_PD[r]) if given else "A"
    category = D.rating_category(rating)
    return D.cumulative_default_rate(rating, tenor), (
        msg("the {category} category's average cumulative default rate over {tenor:.1f} years",
            category=category, tenor=tenor)
        + (msg(" (for {rating})", rating=rating) if category != rating else "") + msg(": {source}", source=D.CUMULATIVE_SOURCE.source)
        + ("" if given else N_("; no target rating given, A assumed")))


SIZING_ROUNDS = 64  # most rounds of the search: each narrows every undecided path's bracket at least by half
SIZING_ROWS = 1024  # paths x sizes a round of the search runs once few paths are undecided: about the waterfall's
# fixed cost per run in per-path work, so a round costs at most about twice its overhead (L)
SIZING_CHECKS = 16  # most whole-pool runs confirming a found size, should paths keep defaulting where not foreseen


class _CriticalSizes:
    """Each path's critical senior size, the balance of the most senior rank at which the path first defaults, held
    as a bracket per path and narrowed by bisection path by path: `lo` is a size at which the path stood (-inf: it
    defaults at the smallest size searched), `hi` one at which it defaulted, or the largest size searched, which is
    not run (one and a half times the larger of the senior balance and the collections' PV: almost every path
    defaults there, and one that stands is found standing as its bracket closes on that end). Every run of the
    waterfall gives each path its own size (per-path balance scales), and only the paths whose bracket can still
    move an order statistic the report needs are run again: a few runs of the whole pool in all."""

    def __init__(self, pool: PoolInputs, collections: np.ndarray, low: float, high: float):
        self.pool, self.collections = pool, collections
        self.cols = _senior_cols(pool)
        self.senior = float(pool.notes.balance[self.cols].sum())
        self.n = collections.shape[0]
        self.low, self.high = low, high
        at_low = self.defaults(np.full(self.n, low))
        self.smallest_defaults = int(at_low.sum())
        self.lo = np.where(at_low, -np.inf, low)
        self.hi = np.where(at_low, low, high)

    def defaults(self, sizes: np.ndarray, paths: np.ndarray | None = None) -> np.ndarray:
        """[m] bool: the senior rank defaulted on each path (all, or `paths`) with its balance at the path's size."""
        collections = self.collections if paths is None else self.collections[paths]
        m = collections.shape[0]
        scale = np.ones((m, len(self.pool.notes.ids)))
        scale[:, self.cols] = (sizes / self.senior)[:, None]
        block = Block(collections, None, np.zeros((m, len(self.pool.wraps)), dtype=np.int64))
        return _senior_defaults(self.pool, run(self.pool, block, scale), scale)

    def below(self, rank: int) -> float:
        """A size at which fewer than `rank` paths have defaulted (the rank-th smallest `lo`); `high` when fewer than
        `rank` paths default anywhere in the range searched."""
        if rank > self.n:
            return self.high
        size = float(np.partition(self.lo, rank - 1)[rank - 1])
        return 0.0 if size == -np.inf else min(size, self.high)  # -inf: that many paths default at the smallest size

    def above(self, rank: int) -> float:
        """A size at which at least `rank` paths have defaulted (the rank-th smallest `hi`; the largest size searched
        where that many have not yet been seen defaulting below it)."""
        return float(np.partition(self.hi, rank - 1)[rank - 1]) if rank <= self.n else np.inf

    def narrow(self, wanted: dict[int, float]) -> None:
        """Search every path whose bracket straddles a wanted order statistic's interval (rank -> tolerance) until
        each interval is within its tolerance. A round tries each such path at `points` sizes evenly inside its
        bracket (one, bisection, while many paths are undecided; more as they become few, so that a round's cost stays
        near the waterfall's own overhead); the bracket becomes the span before the first size at which it defaults."""
        for _ in range(SIZING_ROUNDS):
            straddling = np.zeros(self.n, dtype=bool)
            for rank, tolerance in wanted.items():
                below, above = self.below(rank), min(self.above(rank), self.high)
                if above - below > tolerance:
                    straddling |= (self.lo < above) & (self.hi > below) & (self.hi - self.lo > tolerance)
            straddling &= np.isfinite(self.lo)  # a path defaulting at the smallest size is decided
            paths = np.nonzero(straddling)[0]
            if not paths.size:
                return
            points = int(np.clip(SIZING_ROWS // paths.size, 1, 15))
            lo, hi = self.lo[paths], self.hi[paths]
            trial = lo[:, None] + (hi - lo)[:, None] * (np.arange(1, points + 1) / (points + 1))[None, :]
            hit = self.defaults(trial.ravel(), np.repeat(paths, points)).reshape(paths.size, points)
            first = np.where(hit.any(axis=1), hit.argmax(axis=1), points)  # the first size at which it defaults
            rows = np.arange(paths.size)
            self.lo[paths] = np.where(first > 0, trial[rows, np.maximum(first - 1, 0)], lo)
            self.hi[paths] = np.where(first < points, trial[rows, np.minimum(first, points - 1)], hi)

    def largest_meeting(self, allowed: int, tolerance: float) -> float:
        """The largest size, to `tolerance`, at which at most `allowed` paths default, confirmed by running the whole
        pool at it. A path's default need not be monotone in the senior size (a larger class can breach a coverage
        covenant sooner and be repaid faster by the amortisation that follows), so a path that defaults at the size
        found although it stood above it is searched again below it: its earliest default is the one that counts."""
        if self.smallest_defaults > allowed:
            return 0.0
        failing = self.high
        for _ in range(SIZING_CHECKS):
            self.narrow({allowed + 1: tolerance})
            size = self.below(allowed + 1)
            defaulted = self.defaults(np.full(self.n, size))
            if int(defaulted.sum()) <= allowed:
                return size
            failing = min(failing, size)
            unforeseen = defaulted & (self.lo >= size)
            self.hi[unforeseen] = size
            self.lo[unforeseen] = self.low
        # Paths kept defaulting where they had stood: bisect between the smallest size (which meets the target) and
        # the smallest found failing, on the whole pool's run at each size together with every path already seen
        # defaulting at a size below it (the earliest default still counts).
        meeting = self.low
        while failing - meeting > tolerance:
            middle = 0.5 * (meeting + failing)
            if int((self.defaults(np.full(self.n, middle)) | (self.hi <= middle)).sum()) <= allowed:
                meeting = middle
            else:
                failing = middle
        return meeting


def collections_pv(pool: PoolInputs, collections: np.ndarray) -> tuple[float, float, float]:
    """(senior balance, PV of the expected collections discounted at the senior rank's coupon, its standard error as
    the mean of the paths' PVs): what the required enhancement is measured against."""
    cols = _senior_cols(pool)
    senior = float(pool.notes.balance[cols].sum())
    coupon = (float(pool.notes.coupon[cols[0]]) if cols.size == 1 else  # a pari passu rank: its balance-weighted coupon
              float(pool.notes.balance[cols] @ pool.notes.coupon[cols]) / senior if senior > 0 else 0.0)
    discount = (1 + coupon / pool.periods_per_year) ** -np.arange(1, pool.horizon + 1)
    path_pv = collections @ discount
    n = path_pv.size
    pv = float(collections.mean(axis=0) @ discount)
    return senior, pv, float(path_pv.std(ddof=1) / math.sqrt(n)) if n > 1 else 0.0


def _enhancement(pool: PoolInputs, target_and_source: tuple[float, str], base: _Run) -> Enhancement | None:
    if not pool.licences:
        return None
    target, source = target_and_source
    senior, pv, pv_se = collections_pv(pool, base.collections)
    if senior <= 0:  # every class repaid: no senior balance to size
        return None
    n = base.collections.shape[0]
    # Standalone: the enhancement the pool and structure must give before any wrap, whose provider may fail.
    low, high = 1e-6 * senior, max(pv, senior) * 1.5
    sizes = _CriticalSizes(pool, base.collections, low, high)
    allowed = math.floor(target * n + 1e-9)
    r, s_rank = quantile_ranks(n, target)
    tolerance, interval = max(senior * 1e-4, 1.0), max(senior * 1e-3, 1.0)  # the size; its interval's ends
    sizes.narrow({**{rank: interval for rank in (r, s_rank) if rank >= 1}, allowed + 1: tolerance})
    best = sizes.largest_meeting(allowed, tolerance)
    # The size at which the k-th path defaults is the k-th order statistic of the critical sizes.
    upper = sizes.below(s_rank)
    if r >= 1:
        best_se = (upper - sizes.below(r)) / (2 * _Z)
    else:
        best_se = max(upper - best, 0.0) / _Z
    required_se = (math.hypot(best_se / pv, best * pv_se / pv**2)) if pv > 0 else 0.0
    return Enhancement(
        target_senior_pd=target, target_source=source, max_senior_balance=float(best),
        max_senior_balance_se=float(best_se), senior_balance=float(senior),
        expected_collections_pv=pv, required_enhancement=float(1 - best / pv) if pv > 0 else 1.0,
        required_enhancement_se=float(required_se), current_enhancement=float(1 - senior / pv) if pv > 0 else 1.0,
        smallest_senior_pd=sizes.smallest_defaults / n, achievable=sizes.smallest_defaults / n <= target,
    )


class _Concentration:
    """Largest share of expected royalties by licensee, patent family and technology among chosen licences.

    Each licence's expected royalties are split evenly over its assets (a loan counts as its own family, in the loans'
    group); the split is computed once per pool, so a candidate pool's shares are one weighted count per dimension
    (linear in the number of assets) instead of a walk through the deal."""

    DIMENSIONS = ("licensee", "family", "technology")

    def __init__(self, deal, pool: PoolInputs):
        self.base = np.asarray(pool.base, dtype=float)
        self.entries: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, int]] = {}  # licence, key, royalties, keys
        rows: dict[str, tuple[list[int], list[str], list[float]]] = {d: ([], [], []) for d in self.DIMENSIONS}
        for index in range(len(pool.licences)):
            patents = [pool.patents[p] for p in np.nonzero(pool.incidence[index])[0]]
            obligor = pool.licensees[pool.licence_licensee[index]]
            for dimension in self.DIMENSIONS:
                if dimension == "licensee":
                    keys = [obligor]
                elif not patents:  # a loan: its own family, the loans' group
                    keys = [pool.licences[index] if dimension == "family" else pool.groups[pool.licence_group[index]]]
                else:
                    keys = [asset_family(deal, p) if dimension == "family" else asset_group(deal, p) for p in patents]
                licence_rows, key_rows, weight_rows = rows[dimension]
                for key in keys:
                    licence_rows.append(index)
                    key_rows.append(key)
                    weight_rows.append(1.0 / len(keys))
        for dimension, (licence_rows, key_rows, weight_rows) in rows.items():
            names = {key: k for k, key in enumerate(dict.fromkeys(key_rows))}
            licences = np.asarray(licence_rows, dtype=np.int64)
            self.entries[dimension] = (licences, np.asarray([names[k] for k in key_rows], dtype=np.int64),
                                       np.asarray(weight_rows, dtype=float) * self.base[licences], len(names))

    def shares(self, chosen: np.ndarray) -> dict[str, float]:
        total = float(self.base[chosen].sum()) or 1.0
        out = {}
        for dimension, (licence, key, royalties, count) in self.entries.items():
            taken = royalties * chosen[licence]
            out[dimension] = round(float(np.bincount(key, weights=taken, minlength=count).max(initial=0.0)) / total, 6)
        return out


SELECTION_EXACT = 40  # up to this many licences every single removal is run through the waterfall (L)
SELECTION_SHORTLIST = 12  # beyond it, the removals the screen ranks best are run through the waterfall (L)
SELECTION_BYTES = 512 * 2**20  # most memory the selection's per-licence cash may take (single precision)
SELECTION_MIN_PATHS = 200  # fewer paths than this would leave the paired comparison mostly noise


def _removal_screen(per_path: np.ndarray, chosen: np.ndarray, worth: np.ndarray) -> np.ndarray:
    """A cheap score for removing each chosen licence: how much it raises collections per unit of collateral on the
    worst tenth of paths (where the senior class loses), from the per-path totals alone. Higher is better;
    licences not chosen score -inf. Used only to shortlist the removals that the waterfall then judges."""
    kept = float(worth[chosen].sum())
    totals = per_path[:, chosen].sum(axis=1)
    worst = totals <= np.quantile(totals, 0.1)
    remaining = np.maximum(kept - worth, 1e-12)
    after = (totals[worst, None] - per_path[worst, :]) / remaining[None, :]
    score = after.mean(axis=0) - float(totals[worst].mean()) / kept
    return np.where(chosen & (worth < kept), score, -np.inf)


def _select(g: DealGraph, pool: PoolInputs, options: RiskOptions) -> Selection | None:
    L = len(pool.licences)
    if L < 2:
        return None
    # Every licence's cash on every path is kept: for a very large pool, on as many paths as fit SELECTION_BYTES.
    fit = max(SELECTION_MIN_PATHS, SELECTION_BYTES // max(1, L * pool.horizon * 4))
    paths = min(options.selection_paths, options.paths, fit)
    run_all, by_licence = _run(pool, options, NO_STRESS, paths, report_progress=True, keep_licences=True,
                               together=_report_runs(pool, options))
    worth = pool.base * pool.active.sum(axis=1)  # each licence's expected collateral (undiscounted royalties)
    expected_all = float(worth.sum())
    per_path = by_licence.sum(axis=2, dtype=np.float64) if L > SELECTION_EXACT else None
    concentration = _Concentration(g.deal, pool)

    def collateral(chosen: np.ndarray) -> float:
        return float(worth[chosen].sum())

    def senior_losses(chosen: np.ndarray) -> np.ndarray:
        """Senior loss per unit of collateral on each path; every candidate pool is run on the same simulated paths
        (common random numbers), so the difference between two pools is not blurred by sampling noise."""
        kept = collateral(chosen)
        if kept <= 0:
            return np.ones(paths)  # licences that bring no expected royalties back nothing: the senior class is lost
        scale = np.full(len(pool.notes.ids), kept / expected_all)
        block = Block(_sum_of_licences(by_licence, chosen), None, run_all.wrap_default)
        return _senior_loss(pool, run(pool, block, scale), scale)

    def violation(chosen: np.ndarray) -> float:
        shares = concentration.shares(chosen)
        return sum(max(shares[k] - options.limits.get(k, 1.0), 0.0) for k in shares)

    def beyond_noise(before: np.ndarray, after: np.ndarray) -> bool:
        """The removal lowers the senior expected loss by at least SELECTION_MARGIN of it and by more than
        SELECTION_Z standard errors of the paired difference on the common paths."""
        gain = before - after
        se = float(gain.std(ddof=1) / math.sqrt(gain.size)) if gain.size > 1 else 0.0
        return float(gain.mean()) >= SELECTION_MARGIN * float(before.mean()) and float(gain.mean()) > SELECTION_Z * se

    chosen = np.ones(L, dtype=bool)
    losses = senior_losses(chosen)
    take_all_el, take_all_shares = float(losses.mean()), concentration.shares(chosen)
    reasons = []
    while chosen.sum() > 1:
        candidates = []  # (index, violation, collateral) of every removal that leaves a pool bringing royalties
        for index in np.nonzero(chosen)[0]:
            trial = chosen.copy()
            trial[index] = False
            if collateral(trial) > 0:
                candidates.append((index, violation(trial), collateral(trial)))
        if not candidates:
            break
        now = violation(chosen)
        if now > 1e-9:
            # Over a limit: of the removals that reduce the excess, the one that gives up the least collateral (not
            # the largest licence just because dropping it cuts concentration most), then the lower loss.
            fixing = [c for c in candidates if c[1] < now - 1e-9]
            if not fixing:
                break
            most = max(c[2] for c in fixing)
            judged = [(c[0], senior_losses(_without(chosen, c[0]))) for c in fixing if c[2] == most]
            index, trial_losses = min(judged, key=lambda c: float(c[1].mean()))
            reasons.append(msg("dropped {value} to bring concentration within the limits, giving up the least expected "
                               "royalties of the removals that do", value=pool.licences[index]))
        else:
            within = [c[0] for c in candidates if c[1] <= 1e-9]
            if not within:
                break
            if per_path is not None and len(within) > SELECTION_SHORTLIST:
                score = _removal_screen(per_path, chosen, worth)
                within = sorted(within, key=lambda i: -score[i])[:SELECTION_SHORTLIST]
            judged = [(i, senior_losses(_without(chosen, i))) for i in within]
            index, trial_losses = min(judged, key=lambda c: float(c[1].mean()))
            if not beyond_noise(losses, trial_losses):
                break
            reasons.append(msg("dropped {value}: senior expected loss per unit of collateral falls from {value2:.3%} to "
                               "{value3:.3%}",
                               value=pool.licences[index], value2=float(losses.mean()), value3=float(trial_losses.mean())))
        chosen[index] = False
        losses = trial_losses
    current = float(losses.mean())
    dropped = [pool.licences[i] for i in np.nonzero(~chosen)[0]]
    kept_patents = {pool.patents[p] for i in np.nonzero(chosen)[0] for p in np.nonzero(pool.incidence[i])[0]}
    dropped_patents = sorted(set(pool.patents) - kept_patents)
    if violation(chosen) > 1e-9:
        reasons.append(N_("no subset of these licences meets every concentration limit; the least concentrated was kept"))
    screened = (msg("; of {l} licences, each round ran the {selection_shortlist} removals that most raise "
                    "collections on the worst tenth of paths through the waterfall",
                    l=L, selection_shortlist=SELECTION_SHORTLIST) if per_path is not None else "")
    if paths < min(options.selection_paths, options.paths):
        screened += (msg("; the selection ran on {paths:,} paths, the most whose per-licence cash fits "
                         "{selection_bytes:,} MB",
                         paths=paths, selection_bytes=SELECTION_BYTES // 2**20))
    return Selection(
        limits=options.limits, chosen_licences=[pool.licences[i] for i in np.nonzero(chosen)[0]], dropped_licences=dropped,
        dropped_patents=dropped_patents, take_all_senior_el=take_all_el, chosen_senior_el=current,
        take_all_collateral=expected_all, chosen_collateral=collateral(chosen),
        take_all_top_shares=take_all_shares, chosen_top_shares=concentration.shares(chosen),
        why=_sentence(joined(reasons, "; ") if reasons else (
            msg("taking every licence is best: no removal lowers senior risk per unit of collateral by "
                "{selection_margin:.0%} or more, beyond the simulation's noise (paired on the same paths, "
                "{selection_z:g} standard errors), within the limits",
                selection_margin=SELECTION_MARGIN, selection_z=SELECTION_Z))) + screened,
    )


def _sum_of_licences(by_licence: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """[n, T] collections of the chosen licences, added licence by licence in double precision (the order and
    precision of `by_licence[:, chosen].sum(axis=1, dtype=float64)`, without copying the chosen licences' flows)."""
    total = np.zeros((by_licence.shape[0], by_licence.shape[2]))
    for index in np.nonzero(chosen)[0]:
        total += by_licence[:, index, :]
    return total


def _without(chosen: np.ndarray, index: int) -> np.ndarray:
    trial = chosen.copy()
    trial[index] = False
    return trial


def _histogram(values: np.ndarray, bins: int = 20) -> dict[str, list[float]]:
    top = float(values.max()) if values.size and values.max() > 0 else 1.0
    counts, edges = np.histogram(values, bins=bins, range=(0.0, top))
    return {"edges": [float(e) for e in edges], "counts": [float(c) for c in counts]}


def _sentence(text: str) -> str:
    """The clause as a sentence's start: its first letter capitalised (in the languages that have capitals)."""
    return msg("{clause!u}", clause=text)


def pool_for(g: DealGraph, as_of: dt.date, options: RiskOptions) -> PoolInputs:
    """The modelled pool `analyse` runs: the patents screened with the options' keep and strict choices."""
    return build(g, as_of, screen(g, as_of, options.keep, options.strict), options.periods_per_year)


def analyse(g: DealGraph, as_of: dt.date, options: RiskOptions | None = None) -> RiskReport:
    """Screen, forecast, run the waterfall and the stresses, size enhancement and choose the pool.

    Everything but the screening and the pool selection is reused from an earlier call in this process whose inputs
    were identical (the modelled pool, which holds what the screening excluded, the notes' targets, the options): the
    advisor's variants mostly leave the cash untouched, and their figures are then the base's to the last bit
    (`RISK_CACHE`); a variant that only cures a screening defect (a transfer recorded) reuses them too."""
    options = options or RiskOptions()
    screened = screen(g, as_of, options.keep, options.strict)
    pool = build(g, as_of, screened, options.periods_per_year)
    tenor = (max(n.legal_final for n in g.deal.notes) - as_of).days / 365.25
    residual = np.array([max(((asset_expiry(g.deal, p) or as_of) - as_of).days / 365.25, 0.0) for p in pool.patents])
    target = _target(pool, g, options, tenor)
    key = fingerprint("risk-core", pool, tenor, residual, target, options.paths, options.seed, options.stress,
                      options.stresses, tuple(options.extra_stresses), options.periods_per_year, options.chunk_blocks)
    # The selection first: where it runs on the main run's paths, their simulation (kept with each licence's cash for
    # it) then serves the main run too.
    selection = _select(g, pool, options) if options.select else None
    report = RISK_CACHE.get_or_compute(key, lambda: _core_report(pool, options, tenor, residual, target))
    report.screening = [
        ScreenedItem(patent=s.patent, number=s.number, office=s.office, score=s.score, excluded=s.excluded,
                     kept_by_user=s.kept_by_user,
                     defects=[{"code": d.code, "reason": d.reason, "excludes": d.excludes} for d in s.defects])
        for s in screened]
    if options.progress:  # a reused report ran no paths here: the bar still ends full
        options.progress(options.paths, options.paths)
    report.selection = selection
    return report


RISK_CACHE = ResultCache(size=8)
SIMULATION_CACHE = ResultCache(size=12, max_bytes=1 << 30)  # a base run and its stresses, for a deal or two


def stress_paths(paths: int) -> int:
    """Paths each stress runs on: the main run's first ones, at most 5,000."""
    return min(paths, 5_000)


def _stress_names(pool: PoolInputs, options: RiskOptions) -> tuple[str, ...]:
    """The stresses the report runs: the named ones (the guarantor's only where there is one) and the user's."""
    if not options.stresses:
        return ()
    return tuple(name for name in STRESS_NAMES + tuple(options.extra_stresses)
                 if name != "guarantor_default" or pool.wraps)


def _report_runs(pool: PoolInputs, options: RiskOptions) -> list[tuple[Stress, int]]:
    """Every simulation the report runs (stress, paths): the main run and each stress's."""
    return ([(stress_for(options.stress or "none", pool), options.paths)]
            + [(stress_for(name, pool), stress_paths(options.paths)) for name in _stress_names(pool, options)])


def _core_report(pool: PoolInputs, options: RiskOptions, tenor: float, residual: np.ndarray,
                 target: tuple[float, str]) -> RiskReport:
    """The risk report of a modelled pool, without the screening and the pool selection; reads nothing but its
    arguments."""
    (main, paths), *stress_runs = runs = _report_runs(pool, options)
    base, _ = _run(pool, options, main, paths, report_progress=True, together=runs)

    stresses = []
    for name, (stress, count) in zip(_stress_names(pool, options), stress_runs):
        stressed, _ = _run(pool, options, stress, count)
        defaulted = _senior_defaults(pool, stressed.outcome)
        m, k = defaulted.size, int(defaulted.sum())
        stresses.append(StressResult(name=name, description=describe_stress(name), paths=m, senior_pd=k / m,
                                     senior_pd_se=math.sqrt(k / m * (1 - k / m) / m), senior_pd_upper_95=pd_upper(k, m),
                                     senior_expected_loss=float(_senior_loss(pool, stressed.outcome).mean())))
    debt = ~pool.notes.residual  # the residual class is owed nothing: its shortfall is not a loss of the notes
    owed = pool.notes.balance[debt].sum()  # nothing where every class is repaid: then nothing can be lost
    pool_loss = base.outcome.principal_loss[:, debt].sum(axis=1) / owed if owed > 0 else np.zeros(options.paths)
    dscr = base.outcome.min_dscr[np.isfinite(base.outcome.min_dscr)]
    trigger_rate = float(base.outcome.triggered.mean())
    weights = pool.patent_weight if pool.patent_weight is not None and pool.patent_weight.sum() > 0 else np.ones(len(pool.patents))
    return RiskReport(
        paths=options.paths, seed=options.seed, periods_per_year=options.periods_per_year, stress=options.stress,
        screening=[],
        licences_modelled=pool.licences, period_ends=pool.period_ends,
        expected_contractual=[float(v) for v in pool.expected_total],
        collections_mean=[float(v) for v in base.collections.mean(axis=0)],
        collections_p5=[float(v) for v in np.percentile(base.collections, 5, axis=0)],
        collections_p50=[float(v) for v in np.percentile(base.collections, 50, axis=0)],
        collections_p95=[float(v) for v in np.percentile(base.collections, 95, axis=0)],
        classes=_class_metrics(pool, base.outcome),
        dscr_min_p5=float(np.percentile(dscr, 5)) if dscr.size else None,
        dscr_min_p5_se=quantile_se(dscr, 0.05) if dscr.size else None,
        dscr_min_p50=float(np.percentile(dscr, 50)) if dscr.size else None,
        dscr_min_p50_se=quantile_se(dscr, 0.50) if dscr.size else None,
        trigger_rate=trigger_rate, trigger_rate_se=math.sqrt(trigger_rate * (1 - trigger_rate) / options.paths),
        pool_loss_quantiles={q: float(np.percentile(pool_loss, float(q[1:]))) for q in ("p50", "p90", "p95", "p99")},
        pool_loss_histogram=_histogram(pool_loss),
        enhancement=_enhancement(pool, target, base),
        stresses=stresses, selection=None,
        residual_life_years=float(residual @ weights / weights.sum()) if len(residual) else 0.0,
        tenor_years=tenor, assumptions=pool.assumptions,
        cash_flows=cash_flows(pool, options, collections_mean=base.collections.mean(axis=0)),
    )
