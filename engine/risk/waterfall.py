"""The priority of payments, vectorised over paths and stepped through the periods.

The waterfall is data: `PoolInputs.steps`, a list of named steps in the order the documents give (the deal's
`waterfall` section, or ipsa's default order when the deal names none). Each period, after the covenant tests:

  premiums            wrap premiums on the balances each wrap covers
  senior_fees         trustee, servicer and administrator fees, each up to its yearly cap (the rest is owed below)
  interest            the classes named (pari passu among them; all debt classes by seniority when none are named):
                      current interest and arrears, from collections, then the reserve, then a wrap whose provider
                      still stands; a class whose interest-deferral covenant is breached is skipped and its interest
                      accrues as arrears
  reserve             the reserve topped up to its target
  principal           (in a revolving period: the cash buys further receivables, a variable funding note drawn for
                      what the purchases target needs beyond it; no principal is paid until the period ends or a
                      rapid amortisation ends it) scheduled principal of the classes named: pro rata across them while every class amortises
                      pro rata and no sequential-switch or rapid-amortisation covenant is breached, else
                      sequentially by seniority; all remaining cash after a rapid-amortisation trigger; a cash trap
                      keeps its share of what is left in the reserve
  overcollateralisation  further principal, sequentially, until the present value of the remaining royalties (at
                      this path's run rate) over the debt outstanding is back at the documents' ratio
  subordinated_fees   the part of each fee above its cap, and unpaid fees
  residual            what is left to the residual class, or released to the originator where there is none

A class's legal final calls its whole balance due, from cash, the reserve and its wrap; what is still unpaid then
is its loss. Covenants: the debt-service coverage ratio as the documents define it (the period's collections less
premiums and senior fees, over the period's interest at the coupon and the period's scheduled principal: no
catch-up of earlier shortfalls), or collections against the expected royalties, each on the period alone or summed
over the trailing periods the documents name (`lookback`: lumpy semiannual or lagged royalties are tested that way,
from the first period with that many behind it); breached after `periods` periods
below the threshold, cured after `cure_periods` periods at or above it (a rapid amortisation never cures unless
the deal gives a cure period; the other consequences cure at the first period passing unless it gives one).

Pari passu: classes of equal seniority rank equally; whatever is available to them is shared pro rata to what each
is due, so a class's figures never depend on its id.

With `log` given, every amount of every step is recorded per period (for the first path): the cash-flow log an
analyst checks line by line; sources (collections, reserve and wrap draws, the principal ledger paid out) equal uses
in every period.

Two implementations, one set of figures: `run_numpy` below is the reference, vectorised over paths, and it alone
writes the log; `run_compiled` runs the same steps in compiled code, each path's own arithmetic with blocks of
paths side by side (engine/risk/_kernel.pyx, several times faster, its paths spread over the cores), and gives every
path the same figures to the last bit, which
tests/test_waterfall_kernel.py checks on every example and on generated structures using every option. `run` takes
the compiled one wherever it covers the pool. A change to the waterfall is made in both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ipsa.engine.risk.inputs import PoolInputs
from ipsa.engine.risk.simulate import Block
from ipsa.engine.risk.threads import core_threads

try:  # the compiled waterfall (engine/risk/_kernel.pyx), built when ipsa is installed
    from ipsa.engine.risk import _kernel
except ImportError:  # not built (a source checkout never installed): the NumPy waterfall runs every path
    _kernel = None

STEP_NAMES = ("premiums", "senior_fees", "interest", "reserve", "principal", "overcollateralisation",
              "subordinated_fees", "residual")


@dataclass
class ClassOutcome:
    """Per-path results for each class (arrays [n, C]) and the path-level coverage figures ([n])."""

    loss: np.ndarray  # unpaid principal and interest at legal final (any of it is a default); 0 for a residual class
    principal_loss: np.ndarray  # unpaid principal at legal final; a residual class: its investment not returned
    principal_time: np.ndarray  # sum over periods of years x principal paid
    wrap_paid: np.ndarray
    min_dscr: np.ndarray  # [n]
    triggered: np.ndarray  # [n] bool: a rapid-amortisation trigger fired
    distributions: np.ndarray | None = None  # [n, C] cash paid to each class over the life (interest, principal, residual)


def ranks(notes, cols: np.ndarray | None = None) -> list[np.ndarray]:
    """The classes of each seniority, most senior first: index arrays into the notes' order (of `cols` only)."""
    seniority = np.asarray(notes.seniority)
    cols = np.arange(len(seniority)) if cols is None else np.asarray(cols)
    return [cols[seniority[cols] == level] for level in np.unique(seniority[cols])]


WIDEST_SUM = 8  # `across` adds a row column by column below this width, as the kernel does; NumPy sums wider rows pairwise


def across(values: np.ndarray) -> np.ndarray:
    """`values.sum(axis=1)` of an [n, C] array, to the last bit, without NumPy's slow reduction along a short axis.

    Below eight columns NumPy adds a row's entries one by one from zero; so does this, column by column (an order of
    magnitude faster for a few classes). From eight on NumPy sums pairwise, and this leaves the sum to it."""
    if values.ndim != 2 or values.shape[1] >= WIDEST_SUM:
        return values.sum(axis=1)
    total = np.zeros(values.shape[0], dtype=np.result_type(values.dtype, np.float64))
    for column in range(values.shape[1]):
        total += values[:, column]
    return total


def any_across(mask: np.ndarray) -> np.ndarray:
    """`mask.any(axis=1)` of an [n, k] bool array, column by column (NumPy's reduction along a short axis is slow)."""
    if mask.shape[1] == 0:
        return np.zeros(mask.shape[0], dtype=bool)
    out = mask[:, 0].copy()
    for column in range(1, mask.shape[1]):
        out |= mask[:, column]
    return out


def _pro_rata(available: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pay `wanted` ([n, g], one column per class of a rank) from `available` ([n]) pro rata to what each wants:
    (the payments [n, g], their total [n]). With one class this is min(available, wanted), exactly."""
    if wanted.shape[1] == 1:
        paid = np.minimum(available, wanted[:, 0])
        return paid[:, None], paid
    total = across(wanted)
    paid = np.minimum(available, total)
    ratio = np.where(total > 0, paid / np.where(total > 0, total, 1.0), 0.0)
    return wanted * ratio[:, None], paid


class CashFlowLog:
    """Per-period amounts of one path, by column; `columns` keeps the order in which steps first wrote them."""

    def __init__(self, periods: int):
        self.periods = periods
        self.values: dict[str, np.ndarray] = {}
        self.kinds: dict[str, str] = {}  # column -> "source", "use" or "state"

    def add(self, column: str, t: int, amount, kind: str = "use") -> None:
        if column not in self.values:
            self.values[column] = np.zeros(self.periods)
            self.kinds[column] = kind
        self.values[column][t] += float(np.asarray(amount, dtype=float).reshape(-1)[0])

    def set(self, column: str, t: int, amount) -> None:
        self.add(column, t, 0.0, "state")
        self.values[column][t] = float(np.asarray(amount, dtype=float).reshape(-1)[0])

    def total(self, kind: str) -> np.ndarray:
        """Per-period sum of every column of one kind."""
        columns = [v for c, v in self.values.items() if self.kinds[c] == kind]
        return np.sum(columns, axis=0) if columns else np.zeros(self.periods)


def run(pool: PoolInputs, block: Block, balance_scale: np.ndarray | None = None,
        log: CashFlowLog | None = None) -> ClassOutcome:
    """Run the priority of payments on every path of `block`, the classes' balances scaled by `balance_scale` ([C], or
    [n, C] path by path). Without a log, the compiled waterfall runs it where it covers the pool (`compiled_covers`):
    bit for bit the same figures, several times faster; the NumPy waterfall (`run_numpy`) is the reference, and it
    alone writes the cash-flow log."""
    if log is None and COMPILED and compiled_covers(pool):
        return run_compiled(pool, block, balance_scale)
    return run_numpy(pool, block, balance_scale, log)


COMPILED = True  # False: every run on the NumPy waterfall (the baseline benchmarks/bench_waterfall.py measures against)


# The compiled waterfall's codes for the steps, the covenants' consequences and their tests (engine/risk/_kernel.pyx).
KERNEL_STEPS = {"premiums": 0, "senior_fees": 1, "interest": 2, "reserve": 3, "principal": 4,
                "overcollateralisation": 5, "subordinated_fees": 6, "residual": 7}
KERNEL_CONSEQUENCES = {"rapid_amortisation": 0, "cash_trap": 1, "sequential_switch": 2, "interest_deferral": 3}
KERNEL_TESTS = {"dscr": 0, "royalty_vs_forecast": 1}


def compiled_covers(pool: PoolInputs) -> bool:
    """Whether the compiled waterfall is built and gives this pool's figures bit for bit: every step, consequence and
    test is one it knows, and every sum across classes, fees or a covenant's trailing periods is narrower than
    WIDEST_SUM (wider ones NumPy adds pairwise, in an order the kernel does not copy)."""
    return (_kernel is not None and len(pool.notes.ids) < WIDEST_SUM and len(pool.fees) < WIDEST_SUM
            and all(step.pay in KERNEL_STEPS for step in pool.steps)
            and all(t.consequence in KERNEL_CONSEQUENCES and t.test in KERNEL_TESTS and t.lookback < WIDEST_SUM
                    for t in pool.triggers))


def run_compiled(pool: PoolInputs, block: Block, balance_scale: np.ndarray | None = None) -> ClassOutcome:
    """`run_numpy` without a log, in compiled code (paths in blocks side by side); every constant it reads is made here as
    `run_numpy` makes it (a fee's rate per period, a period's year fraction, a covenant's expected royalties)."""
    notes = pool.notes
    n, T = block.collections.shape
    C = len(notes.ids)
    per_year = pool.periods_per_year
    int64, flag = np.int64, np.uint8
    scale = np.ones((1, C)) if balance_scale is None else np.asarray(balance_scale, dtype=float)
    scale = np.ascontiguousarray(scale.reshape(1, C) if scale.ndim == 1 else scale)
    debt = ~notes.residual
    step_ranks = [ranks(notes, step.cols) for step in pool.steps]
    debt_ranks = ranks(notes, np.nonzero(debt)[0])
    table = [rank for groups in step_ranks for rank in groups] + debt_ranks
    step_rank_ptr = np.cumsum([0] + [len(groups) for groups in step_ranks], dtype=int64)
    rank_ptr = np.cumsum([0] + [len(rank) for rank in table], dtype=int64)
    step_cols_ptr = np.cumsum([0] + [len(step.cols) for step in pool.steps], dtype=int64)
    concat = lambda parts: np.ascontiguousarray(np.concatenate([np.asarray(p, dtype=int64) for p in parts])  # noqa: E731
                                                 if parts else np.zeros(0, dtype=int64))
    triggers, expected_total = pool.triggers, pool.expected_total
    denominator = np.ones((len(triggers), T))
    for k, trigger in enumerate(triggers):
        for t in range(trigger.lookback - 1, T):
            denominator[k, t] = max(expected_total[t - trigger.lookback + 1:t + 1].sum(), 1e-9)
    revolving = pool.revolving
    residual_cols = np.nonzero(notes.residual)[0]
    outcome = ClassOutcome(loss=np.zeros((n, C)), principal_loss=np.zeros((n, C)), principal_time=np.zeros((n, C)),
                           wrap_paid=np.zeros((n, C)), min_dscr=np.zeros(n), triggered=np.zeros(n, dtype=bool),
                           distributions=np.zeros((n, C)))
    collections = np.ascontiguousarray(block.collections, dtype=float)
    wrap_default = np.ascontiguousarray(block.wrap_default, dtype=int64).reshape(n, len(pool.wraps))
    shared = (
        np.ascontiguousarray(notes.balance, dtype=float), np.ascontiguousarray(notes.schedule, dtype=float),
        np.ascontiguousarray(notes.rate, dtype=float), np.ascontiguousarray(notes.accrual, dtype=float),
        np.ascontiguousarray(notes.final_period, dtype=int64),
        debt.astype(flag), notes.pass_through.astype(flag), notes.bullet.astype(flag),
        (debt & ~notes.pass_through).astype(flag), int(residual_cols[0]) if residual_cols.size else -1,
        bool(notes.pro_rata),
        np.array([KERNEL_STEPS[step.pay] for step in pool.steps], dtype=int64), step_rank_ptr, step_cols_ptr,
        concat([step.cols for step in pool.steps]), rank_ptr, concat(table),
        sum(len(groups) for groups in step_ranks), len(table),
        max((i for i, s in enumerate(pool.steps) if s.pay == "principal"), default=-1),
        np.array([f.annual_rate / per_year for f in pool.fees], dtype=float),
        np.array([f.annual_amount / per_year for f in pool.fees], dtype=float),
        np.array([f.cap_per_year for f in pool.fees], dtype=float),
        np.array([w.covers for w in pool.wraps], dtype=flag).reshape(len(pool.wraps), C),
        np.array([w.limit for w in pool.wraps], dtype=float),
        np.array([w.premium_rate / per_year for w in pool.wraps], dtype=float),
        np.array([KERNEL_TESTS[t.test] for t in triggers], dtype=int64),
        np.array([t.threshold for t in triggers], dtype=float), np.array([t.periods for t in triggers], dtype=int64),
        np.array([KERNEL_CONSEQUENCES[t.consequence] for t in triggers], dtype=int64),
        np.array([t.trap_share for t in triggers], dtype=float),
        np.array([-1 if t.cure_periods is None else t.cure_periods for t in triggers], dtype=int64),
        np.array([np.zeros(C, dtype=bool) if t.applies is None else t.applies for t in triggers],
                 dtype=flag).reshape(len(triggers), C),
        np.array([t.lookback for t in triggers], dtype=int64), denominator,
        np.ascontiguousarray(expected_total, dtype=float),
        np.array([max(expected_total[t], 1e-9) for t in range(T)], dtype=float),
        np.ascontiguousarray(pool.oc_remaining_pv, dtype=float) if pool.oc_remaining_pv is not None else np.zeros(T),
        float(pool.oc_ratio or 0.0), float(pool.reserve_initial), float(pool.reserve_target), per_year,
        np.array([(t + 1) / per_year for t in range(T)], dtype=float),
        revolving is not None, revolving.end if revolving else 0, revolving.payment_per_unit if revolving else 0.0,
        revolving.term if revolving else 0, revolving.purchases if revolving else 0.0,
        revolving.vfn if revolving else -1, revolving.commitment if revolving else 0.0)
    triggered = outcome.triggered.view(flag)

    def paths(rows: slice) -> None:  # the kernel releases the GIL: slices of paths run on the cores side by side
        _kernel.run_paths(collections[rows], wrap_default[rows], scale if scale.shape[0] == 1 else scale[rows],
                          *shared, outcome.loss[rows], outcome.principal_loss[rows], outcome.principal_time[rows],
                          outcome.wrap_paid[rows], outcome.distributions[rows], outcome.min_dscr[rows],
                          triggered[rows])

    slices = [slice(start, min(start + PATHS_PER_THREAD, n)) for start in range(0, n, PATHS_PER_THREAD)]
    threads = core_threads() if len(slices) > 1 else None
    if threads is None:
        paths(slice(0, n))
    else:
        list(threads.map(paths, slices))
    return outcome


PATHS_PER_THREAD = 1_000  # paths per slice a thread takes; a run of fewer stays on one thread (a slice of 500 or 1,000
# paths takes a few milliseconds, many times what handing it to a thread costs)


def run_numpy(pool: PoolInputs, block: Block, balance_scale: np.ndarray | None = None,
              log: CashFlowLog | None = None) -> ClassOutcome:
    """The waterfall, vectorised over paths and stepped through the periods (the module docstring)."""
    notes = pool.notes
    n, T = block.collections.shape
    C = len(notes.ids)
    debt = ~notes.residual
    debt_cols = np.nonzero(debt)[0]
    all_debt, any_pass_through = bool(debt.all()), bool(notes.pass_through.any())  # skip masks that change nothing
    residual_cols = np.nonzero(notes.residual)[0]
    per_year = pool.periods_per_year
    # The classes' balances scaled alike on every path ([C]) or path by path ([n, C], the sizing search's sizes).
    scale = np.ones(C) if balance_scale is None else balance_scale
    original = notes.balance * scale
    amortising = debt & ~notes.pass_through
    target = original  # each period: the balance the schedule targets at its end ([C] or [n, C]); before it, at closing
    balance = np.broadcast_to(original * debt, (n, C)).copy()
    ledger = np.zeros((n, C))  # principal accumulated for bullet classes
    arrears = np.zeros((n, C))
    loss = np.zeros((n, C))
    principal_loss = np.zeros((n, C))
    principal_time = np.zeros((n, C))
    wrap_paid = np.zeros((n, C))
    received = np.zeros((n, C))
    wrap_room = np.array([[w.limit for w in pool.wraps]] * n) if pool.wraps else np.zeros((n, 0))
    reserve = np.full(n, float(pool.reserve_initial))
    K = len(pool.triggers)
    below = np.zeros((K, n), dtype=np.int64)  # by covenant, then path: each covenant's counts are one contiguous row
    above = np.zeros((K, n), dtype=np.int64)
    breached = np.zeros((K, n), dtype=bool)
    ever_rapid = np.zeros(n, dtype=bool)
    min_dscr = np.full(n, np.inf)
    expected_total = pool.expected_total  # contractual expectation per period, on each licence's payment calendar
    fees = pool.fees
    fee_owed = np.zeros((n, len(fees)))  # above the cap or unpaid: paid at the subordinated step
    fee_paid_year = np.zeros((n, len(fees)))
    accrual = notes.accrual  # [C, T] year fractions
    rate = notes.rate  # [C, T] annual coupon of each period
    oc_pv = pool.oc_remaining_pv  # [T] PV after each period of the contractual royalties still to come
    pro_rata_mode = bool(notes.pro_rata)
    ids = notes.ids

    def record(column: str, t: int, amount, kind: str = "use") -> None:
        if log is not None:
            log.add(column, t, amount, kind)

    def state(column: str, t: int, amount) -> None:
        if log is not None:
            log.set(column, t, amount)

    last_principal = max((i for i, s in enumerate(pool.steps) if s.pay == "principal"), default=-1)

    def draw_wrap(shortfall: np.ndarray, cols: np.ndarray, t: int) -> np.ndarray:
        """Pay `shortfall` ([n, g]) of the classes `cols` (one rank) from any wrap covering them whose provider has
        not defaulted by t; a wrap covering several of them shares its remaining limit pro rata to their shortfalls."""
        paid = np.zeros_like(shortfall)
        for w, wrap in enumerate(pool.wraps):
            covered = wrap.covers[cols]
            if not covered.any():
                continue
            alive = block.wrap_default[:, w] > t
            if not alive.any():  # its provider has failed on every path (as in the standalone sizing): it pays nothing
                continue
            parts, amount = _pro_rata(wrap_room[:, w], np.where(covered[None, :], shortfall - paid, 0.0))
            amount = np.where(alive, amount, 0.0)
            wrap_room[:, w] -= amount
            paid += np.where(alive[:, None], parts, 0.0)
        wrap_paid[:, cols] += paid
        if log is not None:
            record("wrap draws", t, across(paid), "source")
        return paid

    revolving = pool.revolving
    bought_income = np.zeros((n, T + 1)) if revolving is not None else None
    looks_back = any(trigger.lookback > 1 for trigger in pool.triggers)
    net_history = np.zeros((T, n)) if looks_back else None  # the coverage's terms by period, for trailing covenants
    service_history = np.zeros((T, n)) if looks_back else None
    collections = np.ascontiguousarray(block.collections.T)  # [T, n]: each period's cash is one contiguous row
    step_ranks = [ranks(notes, step.cols) for step in pool.steps]  # the seniority groups each step pays, once
    debt_ranks = ranks(notes, debt_cols)
    fee_caps = np.array([f.cap_per_year for f in fees])
    final_first = int(notes.final_period.min()) if C else T  # the first period in which some class is due in full
    for t in range(T):
        # This period's scheduled balance and the principal it schedules, made per period (a sizing run's per-path
        # sizes would otherwise make [n, C, T] arrays read across their last axis).
        target, before = notes.schedule[:, t] * scale, target
        step_due = np.maximum((target - before) * -1.0, 0.0) * amortising
        cash = collections[t].copy()
        record("collections", t, cash, "source")
        if revolving is not None:  # receivables bought in the revolving period pay as the pool performs on the path
            performance = np.clip(collections[t] / expected_total[t], 0.0, 2.0) if expected_total[t] > 0 else 1.0
            bought = bought_income[:, t] * performance
            cash += bought
            record("collections from receivables bought", t, bought, "source")
            revolving_on = (t < revolving.end) & ~ever_rapid
        state("reserve at start", t, reserve)
        if t % per_year == 0:
            fee_paid_year[:] = 0.0
        live = balance > 1e-9
        outstanding_debt = across(balance)
        fee_due = np.stack([f.annual_rate / per_year * outstanding_debt + f.annual_amount / per_year for f in fees],
                           axis=1) if fees else np.zeros((n, 0))
        premium_due = [w.premium_rate / per_year * across(balance * w.covers) for w in pool.wraps]
        capped_due = np.minimum(fee_due, np.maximum(fee_caps[None, :] - fee_paid_year, 0.0)) \
            if fees else fee_due
        fee_owed += fee_due - capped_due

        # Covenant tests on this period's figures, before any payment.
        interest_now = balance * rate[:, t] * accrual[:, t]
        service_due = across(interest_now) + across(step_due * live)
        net = cash - sum(premium_due, np.zeros(n)) - across(capped_due)
        dscr = np.where(service_due > 0, net / np.where(service_due > 0, service_due, 1.0), np.inf)
        min_dscr = np.where(any_across(live[:, debt_cols]), np.minimum(min_dscr, dscr), min_dscr)
        state("coverage ratio", t, dscr if np.isfinite(dscr[0]) else np.nan)
        if looks_back:
            net_history[t], service_history[t] = net, service_due
        measures: dict[tuple[str, int], np.ndarray] = {}  # covenants testing the same figure share it
        for k, trigger in enumerate(pool.triggers):
            first = t - trigger.lookback + 1  # a trailing test sums the periods it looks back over
            measure = measures.get((trigger.test, trigger.lookback))
            if measure is None:
                if first < 0:  # and is first made once that many periods have passed
                    measure = np.full(n, np.inf)
                elif trigger.test == "dscr":
                    measure = dscr if trigger.lookback == 1 else _ratio(across(net_history[first:t + 1].T),
                                                                       across(service_history[first:t + 1].T))
                else:
                    measure = across(collections[first:t + 1].T) / max(expected_total[first:t + 1].sum(), 1e-9)
                measures[trigger.test, trigger.lookback] = measure
            failing = measure < trigger.threshold
            below[k] += 1  # periods in a row below the threshold, and at or above it
            below[k] *= failing
            above[k] += 1
            above[k] *= ~failing
            state(f"covenant {trigger.name} measure", t, measure if np.isfinite(measure[0]) else np.nan)
            breached[k] |= below[k] >= trigger.periods
            if trigger.cure_periods is not None:
                breached[k] &= above[k] < trigger.cure_periods
            state(f"covenant {trigger.name} breached", t, breached[k])
        rapid = np.zeros(n, dtype=bool)
        trap = np.zeros(n)
        sequential = np.zeros(n, dtype=bool)
        deferred = None  # [n, C] bool once a deferral covenant is breached on some path this period
        for k, trigger in enumerate(pool.triggers):
            on = breached[k]
            if not on.any():  # breached on no path: it changes nothing this period
                continue
            if trigger.consequence == "rapid_amortisation":
                rapid |= on
            elif trigger.consequence == "cash_trap":
                trap = np.maximum(trap, np.where(on, trigger.trap_share, 0.0))
            elif trigger.consequence == "sequential_switch":
                sequential |= on
            elif trigger.consequence == "interest_deferral":
                deferred = (np.zeros((n, C), dtype=bool) if deferred is None else deferred) \
                    | (on[:, None] & trigger.applies[None, :])
        ever_rapid |= rapid
        sequential |= rapid
        any_rapid, any_sequential = bool(rapid.any()), bool(sequential.any())
        if revolving is not None:
            revolving_on &= ~rapid  # an early amortisation event ends the revolving period

        for index, step in enumerate(pool.steps):
            if step.pay == "premiums":
                for w, premium in enumerate(premium_due):
                    paid = np.minimum(cash, premium)
                    cash -= paid
                    record("wrap premiums", t, paid)
            elif step.pay == "senior_fees":
                for f, fee in enumerate(fees):
                    paid = np.minimum(cash, capped_due[:, f])
                    cash -= paid
                    fee_paid_year[:, f] += paid
                    fee_owed[:, f] += capped_due[:, f] - paid
                    record(f"fee {fee.id}", t, paid)
            elif step.pay == "interest":
                for cols in step_ranks[index]:
                    due = interest_now[:, cols] + arrears[:, cols]
                    if deferred is not None:
                        due = np.where(deferred[:, cols], 0.0, due)
                    paid, total = _pro_rata(cash, due)
                    cash -= total
                    short = due - paid
                    from_reserve, total = _pro_rata(reserve, short)
                    reserve -= total
                    record("reserve draws", t, total, "source")
                    short -= from_reserve
                    short -= draw_wrap(short, cols, t)
                    arrears[:, cols] = short if deferred is None else \
                        np.where(deferred[:, cols], arrears[:, cols] + interest_now[:, cols], short)
                    got = due - short
                    received[:, cols] += got
                    for j, c in enumerate(cols):
                        record(f"interest {ids[c]}", t, got[:, j])
            elif step.pay == "reserve":
                top_up = np.minimum(cash, np.maximum(pool.reserve_target - reserve, 0.0))
                reserve += top_up
                cash -= top_up
                record("reserve top-up", t, top_up)
            elif step.pay == "principal":
                cols_all = step.cols
                if revolving is not None and revolving_on.any():
                    cash = _reinvest(revolving, revolving_on, cash, balance, bought_income, t, record)
                outstanding = balance - ledger
                due_now = np.maximum(outstanding - target, 0.0)
                if t >= final_first:  # a class at its legal final is due in full
                    due_now = np.where((t >= notes.final_period)[None, :], outstanding, due_now)
                if any_pass_through:
                    due_now = np.where(notes.pass_through[None, :], outstanding, due_now)
                if not all_debt:
                    due_now = due_now * debt[None, :]
                if revolving is not None:  # no principal is paid while the period revolves
                    due_now = np.where(revolving_on[:, None] & (t < notes.final_period)[None, :], 0.0, due_now)
                principal = np.zeros((n, C))
                if pro_rata_mode:
                    want = due_now[:, cols_all]
                    total_due = across(want)
                    share = np.where(total_due[:, None] > 0, want / np.where(total_due > 0, total_due, 1.0)[:, None], 0.0)
                    pro = np.minimum(cash, total_due)[:, None] * share
                    principal[:, cols_all] = np.where(sequential[:, None], 0.0, pro) if any_sequential else pro
                    cash -= across(principal)
                for cols in step_ranks[index]:
                    want = (np.where(rapid[:, None], outstanding[:, cols], due_now[:, cols]) if any_rapid
                            else due_now[:, cols]) - principal[:, cols]
                    pay, total = _pro_rata(cash, np.maximum(want, 0.0))
                    principal[:, cols] += pay
                    cash -= total
                if index == last_principal:
                    trapped = cash * trap
                    reserve += trapped
                    cash -= trapped
                    record("cash trapped in the reserve", t, trapped)
                _pay_principal(principal, t, per_year, notes, balance, ledger, principal_time, received, ids, record,
                               log is not None)
            elif step.pay == "overcollateralisation" and pool.oc_ratio:
                run_rate = collections[t] / max(expected_total[t], 1e-9)
                collateral = oc_pv[t] * run_rate
                excess_debt = np.maximum(across(balance) - across(ledger) - collateral / pool.oc_ratio, 0.0)
                principal = np.zeros((n, C))
                budget = np.minimum(cash, excess_debt)
                for cols in debt_ranks:
                    pay, total = _pro_rata(budget, np.maximum(balance[:, cols] - ledger[:, cols], 0.0))
                    principal[:, cols] += pay
                    budget -= total
                    cash -= total
                if log is not None:
                    state("of which overcollateralisation principal", t, across(principal))
                _pay_principal(principal, t, per_year, notes, balance, ledger, principal_time, received, ids, record,
                               log is not None)
            elif step.pay == "subordinated_fees":
                for f, fee in enumerate(fees):
                    paid = np.minimum(cash, fee_owed[:, f])
                    cash -= paid
                    fee_owed[:, f] -= paid
                    record(f"fee {fee.id} (subordinated)", t, paid)
            elif step.pay == "residual":
                if residual_cols.size:
                    received[:, residual_cols[0]] += cash
                    record(f"residual to {ids[residual_cols[0]]}", t, cash)
                else:
                    record("released to the originator", t, cash)
                cash = np.zeros(n)
        if cash.any():  # a waterfall without a residual step: what is left is released
            record("released to the originator", t, cash)

        # Legal final: what is still owed is met from the reserve, then the wrap; the rest is lost.
        for rank in debt_ranks:
            cols = rank[notes.final_period[rank] == t]
            if not cols.size:
                continue
            owed = np.maximum(balance[:, cols] - ledger[:, cols], 0.0) + arrears[:, cols]
            from_ledger = np.minimum(ledger[:, cols], balance[:, cols])
            principal_time[:, cols] += from_ledger * ((t + 1) / per_year)
            received[:, cols] += from_ledger
            if log is not None and notes.bullet[cols].any():
                record("principal ledger paid out", t, across(from_ledger), "source")
            ledger[:, cols] = 0.0
            from_reserve, total = _pro_rata(reserve, owed)
            reserve -= total
            record("reserve draws", t, total, "source")
            remaining = owed - from_reserve
            remaining -= draw_wrap(remaining, cols, t)
            paid_now = owed - remaining
            recovered_principal = np.maximum(paid_now - arrears[:, cols], 0.0)  # interest is met first
            principal_time[:, cols] += recovered_principal * ((t + 1) / per_year)
            received[:, cols] += paid_now
            for j, c in enumerate(cols):
                record(f"interest {ids[c]}", t, np.minimum(paid_now[:, j], arrears[:, c]))
                record(f"principal {ids[c]}", t, from_ledger[:, j] + recovered_principal[:, j])
            loss[:, cols] = remaining
            principal_loss[:, cols] = np.maximum(remaining - arrears[:, cols], 0.0)  # interest was met first
            balance[:, cols] = 0.0
            arrears[:, cols] = 0.0
        if log is not None:
            log.set("reserve at end", t, reserve)
            for c in debt_cols:
                log.set(f"balance {ids[c]}", t, balance[:, c])
                log.set(f"interest arrears {ids[c]}", t, arrears[:, c])
            for f, fee in enumerate(fees):
                log.set(f"fee {fee.id} owed", t, fee_owed[:, f])
    for c in residual_cols:  # a residual class is not owed anything: its investment not returned is its loss
        invested = original[..., c]
        principal_loss[:, c] = np.maximum(invested - received[:, c], 0.0)
    return ClassOutcome(loss=loss, principal_loss=principal_loss, principal_time=principal_time, wrap_paid=wrap_paid,
                        min_dscr=np.where(np.isfinite(min_dscr), min_dscr, np.nan), triggered=ever_rapid,
                        distributions=received)


def _reinvest(revolving, on: np.ndarray, cash: np.ndarray, balance: np.ndarray, bought_income: np.ndarray, t: int,
              record) -> np.ndarray:
    """The revolving period's purchases on the paths still revolving: the cash at the principal step (up to the
    purchases target), and draws on the variable funding note for what it does not cover; each purchase adds level
    payments over the receivables' term from the next period. Returns the cash left."""
    available = np.where(on, cash, 0.0)
    draw = np.zeros_like(cash)
    if revolving.vfn >= 0:
        room = np.maximum(revolving.commitment - balance[:, revolving.vfn], 0.0)
        draw = np.where(on, np.minimum(np.maximum(revolving.purchases - available, 0.0), room), 0.0)
        balance[:, revolving.vfn] += draw
        record("variable funding note drawn", t, draw, "source")
    bought = np.minimum(available + draw, revolving.purchases)
    spent = bought - draw
    record("receivables bought", t, bought)
    end = min(t + 1 + revolving.term, bought_income.shape[1])
    bought_income[:, t + 1:end] += (bought * revolving.payment_per_unit)[:, None]
    return cash - spent


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), np.inf)


def _pay_principal(principal, t, per_year, notes, balance, ledger, principal_time, received, ids, record,
                   logging: bool) -> None:
    """Apply principal payments already taken from cash: a bullet class banks them in its ledger and is repaid at once
    when the ledger covers its balance; the others reduce their balance."""
    if notes.bullet.any():
        banked = principal * notes.bullet
        ledger += banked
        paid = principal - banked
        repaid = notes.bullet[None, :] & (ledger >= balance - 1e-9) & (balance > 0)
        from_ledger = np.where(repaid, balance, 0.0)
        paid = paid + from_ledger
        ledger[:] = np.where(repaid, 0.0, ledger)
    else:  # no class banks principal: every payment reduces its balance (the same figures, without the ledger's work;
        paid = principal + 0.0  # adding zero turns -0.0 into 0.0 as the ledger's arithmetic does)
    balance -= paid
    principal_time += paid * ((t + 1) / per_year)
    received += paid
    if logging and notes.bullet.any():
        record("principal ledger paid in", t, across(banked))
        record("principal ledger paid out", t, across(from_ledger), "source")
    if logging:
        for c in np.nonzero(~notes.residual)[0]:
            record(f"principal {ids[c]}", t, paid[:, c])
