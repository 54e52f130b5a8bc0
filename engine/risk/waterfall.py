"""The priority of payments, vectorised over paths and stepped through the periods.

Each period: (1) wrap premiums; (2) interest by seniority, from collections, then from the reserve, then from a
wrap whose provider still stands; (3) the reserve topped up to its target; (4) scheduled principal by seniority
(sequential, or pro rata across all classes until a trigger), with all remaining cash to principal after a
rapid-amortisation trigger and a share of it trapped in the reserve under a cash trap; (5) the rest released to
the equity. A class's legal final calls its whole balance due, from cash, the reserve and its wrap; what is still
unpaid then is its loss. Triggers: a debt-service coverage ratio (collections over interest and scheduled
principal due) or collections against the expected royalties, below the threshold for n periods running.

Pari passu: classes of equal seniority rank equally. At every step (interest, draws on the reserve and on a wrap
covering several of them, principal, the legal final) whatever cash is available to their rank is shared between
them pro rata to what each is due, so a class's figures never depend on its id. The ranks come from
`notes.seniority` ([C], 1 the most senior, in the notes' order).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ipsa.engine.risk.inputs import PoolInputs
from ipsa.engine.risk.simulate import Block


@dataclass
class ClassOutcome:
    """Per-path results for each class (arrays [n, C]) and the path-level coverage figures ([n])."""

    loss: np.ndarray  # unpaid principal and interest at legal final (any of it is a default)
    principal_loss: np.ndarray  # unpaid principal at legal final (the expected-loss measure)
    principal_time: np.ndarray  # sum over periods of years x principal paid
    wrap_paid: np.ndarray
    min_dscr: np.ndarray  # [n]
    triggered: np.ndarray  # [n] bool: a rapid-amortisation trigger fired


def ranks(notes) -> list[np.ndarray]:
    """The classes of each seniority, most senior first: index arrays into the notes' order."""
    seniority = np.asarray(notes.seniority)
    return [np.nonzero(seniority == level)[0] for level in np.unique(seniority)]


def _pro_rata(available: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pay `wanted` ([n, g], one column per class of a rank) from `available` ([n]) pro rata to what each wants:
    (the payments [n, g], their total [n]). With one class this is min(available, wanted), exactly."""
    if wanted.shape[1] == 1:
        paid = np.minimum(available, wanted[:, 0])
        return paid[:, None], paid
    total = wanted.sum(axis=1)
    paid = np.minimum(available, total)
    ratio = np.where(total > 0, paid / np.where(total > 0, total, 1.0), 0.0)
    return wanted * ratio[:, None], paid


def run(pool: PoolInputs, block: Block, balance_scale: np.ndarray | None = None) -> ClassOutcome:
    notes = pool.notes
    n, T = block.collections.shape
    C = len(notes.ids)
    groups = ranks(notes)
    per_year = pool.periods_per_year
    scale = np.ones(C) if balance_scale is None else balance_scale
    original = notes.balance * scale
    schedule = notes.schedule * scale[:, None]
    balance = np.broadcast_to(original, (n, C)).copy()
    ledger = np.zeros((n, C))  # principal accumulated for bullet classes
    arrears = np.zeros((n, C))
    loss = np.zeros((n, C))
    principal_loss = np.zeros((n, C))
    principal_time = np.zeros((n, C))
    wrap_paid = np.zeros((n, C))
    wrap_room = np.array([[w.limit for w in pool.wraps]] * n) if pool.wraps else np.zeros((n, 0))
    reserve = np.full(n, float(pool.reserve_initial))
    below = np.zeros((n, len(pool.triggers)), dtype=np.int64)
    rapid = np.zeros(n, dtype=bool)
    trap = np.zeros(n)
    min_dscr = np.full(n, np.inf)
    expected = pool.base[:, None] * pool.active  # [L, T] contractual expectation
    expected_total = expected.sum(axis=0)
    coupon = notes.coupon / per_year

    def draw_wrap(shortfall: np.ndarray, cols: np.ndarray, t: int) -> np.ndarray:
        """Pay `shortfall` ([n, g]) of the classes `cols` (one rank) from any wrap covering them whose provider has
        not defaulted by t; a wrap covering several of them shares its remaining limit pro rata to their shortfalls."""
        paid = np.zeros_like(shortfall)
        for w, wrap in enumerate(pool.wraps):
            covered = wrap.covers[cols]
            if not covered.any():
                continue
            alive = block.wrap_default[:, w] > t
            parts, amount = _pro_rata(wrap_room[:, w], np.where(covered[None, :], shortfall - paid, 0.0))
            amount = np.where(alive, amount, 0.0)
            wrap_room[:, w] -= amount
            paid += np.where(alive[:, None], parts, 0.0)
        wrap_paid[:, cols] += paid
        return paid

    for t in range(T):
        cash = block.collections[:, t].copy()
        live = balance > 1e-9
        for w, wrap in enumerate(pool.wraps):
            premium = wrap.premium_rate / per_year * (balance * wrap.covers).sum(axis=1)
            cash -= np.minimum(cash, premium)

        interest_due = balance * coupon + arrears
        scheduled_due = np.maximum(balance - ledger - schedule[:, t], 0.0) * ~notes.pass_through
        service_due = (balance * coupon).sum(axis=1) + scheduled_due.sum(axis=1)
        dscr = np.where(service_due > 0, block.collections[:, t] / np.where(service_due > 0, service_due, 1.0), np.inf)
        min_dscr = np.where(live.any(axis=1), np.minimum(min_dscr, dscr), min_dscr)

        for cols in groups:
            due = interest_due[:, cols]
            paid, total = _pro_rata(cash, due)
            cash -= total
            short = due - paid
            from_reserve, total = _pro_rata(reserve, short)
            reserve -= total
            short -= from_reserve
            short -= draw_wrap(short, cols, t)
            arrears[:, cols] = short

        top_up = np.minimum(cash, np.maximum(pool.reserve_target - reserve, 0.0))
        reserve += top_up
        cash -= top_up

        for k, trigger in enumerate(pool.triggers):
            measure = dscr if trigger.test == "dscr" else block.collections[:, t] / max(expected_total[t], 1e-9)
            below[:, k] = np.where(measure < trigger.threshold, below[:, k] + 1, 0)
            hit = below[:, k] >= trigger.periods
            if trigger.consequence == "rapid_amortisation":
                rapid |= hit
            else:
                trap = np.where(hit, trigger.trap_share, 0.0)

        # Principal: scheduled amounts first (pro rata until a trigger, else sequential), then turbo if rapid.
        outstanding = balance - ledger
        due_now = np.where((t >= notes.final_period)[None, :], outstanding, scheduled_due)
        due_now = np.where(notes.pass_through[None, :], outstanding, due_now)
        principal = np.zeros((n, C))
        if notes.pro_rata:
            total_due = due_now.sum(axis=1)
            share = np.where(total_due[:, None] > 0, due_now / np.where(total_due > 0, total_due, 1.0)[:, None], 0.0)
            pro = np.minimum(cash, total_due)[:, None] * share
            principal = np.where(rapid[:, None], 0.0, pro)
            cash -= principal.sum(axis=1)
        for cols in groups:
            want = np.where(rapid[:, None], outstanding[:, cols], due_now[:, cols]) - principal[:, cols]
            pay, total = _pro_rata(cash, np.maximum(want, 0.0))
            principal[:, cols] += pay
            cash -= total
        trapped = cash * trap
        reserve += trapped
        cash -= trapped
        # Bullet classes bank their principal in the ledger and are repaid once it covers the balance.
        banked = principal * notes.bullet
        ledger += banked
        principal -= banked
        repaid = notes.bullet[None, :] & (ledger >= balance - 1e-9) & (balance > 0)
        principal += np.where(repaid, balance, 0.0)
        ledger = np.where(repaid, 0.0, ledger)
        balance -= principal
        principal_time += principal * ((t + 1) / per_year)

        # Legal final: what is still owed is met from the reserve, then the wrap; the rest is lost.
        for rank in groups:
            cols = rank[notes.final_period[rank] == t]
            if not cols.size:
                continue
            owed = np.maximum(balance[:, cols] - ledger[:, cols], 0.0) + arrears[:, cols]
            principal_time[:, cols] += np.minimum(ledger[:, cols], balance[:, cols]) * ((t + 1) / per_year)
            ledger[:, cols] = 0.0
            from_reserve, total = _pro_rata(reserve, owed)
            reserve -= total
            remaining = owed - from_reserve
            remaining -= draw_wrap(remaining, cols, t)
            recovered_principal = np.maximum(owed - remaining - arrears[:, cols], 0.0)  # interest is met first
            principal_time[:, cols] += recovered_principal * ((t + 1) / per_year)
            loss[:, cols] = remaining
            principal_loss[:, cols] = np.maximum(remaining - arrears[:, cols], 0.0)  # interest was met first
            balance[:, cols] = 0.0
            arrears[:, cols] = 0.0
    return ClassOutcome(loss=loss, principal_loss=principal_loss, principal_time=principal_time, wrap_paid=wrap_paid,
                        min_dscr=np.where(np.isfinite(min_dscr), min_dscr, np.nan), triggered=rapid)
