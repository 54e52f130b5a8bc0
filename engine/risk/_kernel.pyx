# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The waterfall of `waterfall.run`, path by path in compiled code: the same steps, in the same order, with the same
floating-point operations on each path, so that every figure is bit for bit what the NumPy waterfall gives.

The NumPy waterfall (`waterfall.run_numpy`) is the reference: it reads as the documents' priority of payments, it
writes the cash-flow log, and `tests/test_waterfall_kernel.py` holds this kernel to it on every example and on
generated structures. This file mirrors it step by step; the NumPy idioms it reproduces:

- `np.maximum(a, b)` and `np.minimum(a, b)` return `b` on a tie (so `np.maximum(-0.0, 0.0)` is `0.0`) and NaN where
  either is NaN (`_max`, `_min`); `np.clip(x, lo, hi)` keeps `x` on a tie (`_clip`);
- `across` sums a row from 0.0, column by column (`waterfall.across`, below eight columns: the caller keeps wider
  pools on the NumPy waterfall);
- a product with a boolean mask multiplies by 1.0 or 0.0 (so a negative amount times False is -0.0);
- every Python-level constant (a fee's rate per period, a period's year fraction) is computed by the caller exactly as
  the NumPy waterfall computes it.
"""

from libc.stdlib cimport calloc, free
from libc.math cimport INFINITY, NAN

cdef inline double _max(double a, double b) noexcept nogil:
    if a != a:
        return a
    if b != b:
        return b
    return a if a > b else b


cdef inline double _min(double a, double b) noexcept nogil:
    if a != a:
        return a
    if b != b:
        return b
    return a if a < b else b


cdef inline double _clip(double x, double lo, double hi) noexcept nogil:
    if x != x:
        return x
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


cdef inline double _sum(const double *values, long count) noexcept nogil:
    """`waterfall.across` on one path: from 0.0, one entry after another."""
    cdef long j
    cdef double total = 0.0
    for j in range(count):
        total = total + values[j]
    return total


cdef inline long _rank(const long *rank_ptr, const long *rank_cols, long r, long *sel) noexcept nogil:
    """The classes of rank `r` (one seniority group of a step), in order, into `sel`; returns how many."""
    cdef long j, g = rank_ptr[r + 1] - rank_ptr[r]
    for j in range(g):
        sel[j] = rank_cols[rank_ptr[r] + j]
    return g


cdef inline double _pro_rata(double available, double *wanted, long *cols, long g, double *parts) noexcept nogil:
    """`waterfall._pro_rata` on one path: `wanted[cols[j]]` -> `parts[cols[j]]`; returns the total paid."""
    cdef long j
    cdef double total, paid, ratio
    if g == 1:
        paid = _min(available, wanted[cols[0]])
        parts[cols[0]] = paid
        return paid
    total = 0.0
    for j in range(g):
        total = total + wanted[cols[j]]
    paid = _min(available, total)
    ratio = paid / total if total > 0 else 0.0
    for j in range(g):
        parts[cols[j]] = wanted[cols[j]] * ratio
    return paid


cdef inline void _draw_wrap(double *shortfall, long *sel, long g, long t, long C, long W,
                            const unsigned char *covers, const long *wrap_default, double *wrap_room,
                            double *wanted, double *part, double *drawn, double *wrap_paid) noexcept nogil:
    """`run`'s draw_wrap on one path: what each wrap covering the classes `sel` pays of their shortfall, into
    `drawn`; a wrap whose provider has defaulted by t pays nothing. `covers` is [W, C], `wrap_default` the path's
    row [W], `wrap_paid` its row [C]."""
    cdef long w, j, c
    cdef double amount
    cdef bint covered_any
    for j in range(g):
        drawn[sel[j]] = 0.0
    for w in range(W):
        covered_any = False
        for j in range(g):
            if covers[w * C + sel[j]]:
                covered_any = True
        if not covered_any or not (wrap_default[w] > t):
            continue
        for j in range(g):
            c = sel[j]
            wanted[c] = (shortfall[c] - drawn[c]) if covers[w * C + c] else 0.0
        amount = _pro_rata(wrap_room[w], wanted, sel, g, part)
        wrap_room[w] = wrap_room[w] - amount
        for j in range(g):
            c = sel[j]
            drawn[c] = drawn[c] + part[c]
    for j in range(g):
        c = sel[j]
        wrap_paid[c] = wrap_paid[c] + drawn[c]


cdef inline void _pay_principal(double *principal, double *paid, long C, const unsigned char *bullet,
                                double *balance, double *ledger, double years, double *principal_time,
                                double *received) noexcept nogil:
    """`waterfall._pay_principal` on one path (`principal_time` and `received`: the path's rows)."""
    cdef long c
    cdef bint any_bullet = False, repaid
    cdef double banked
    for c in range(C):
        if bullet[c]:
            any_bullet = True
    for c in range(C):
        if any_bullet:
            banked = principal[c] * (1.0 if bullet[c] else 0.0)
            ledger[c] = ledger[c] + banked
            repaid = bullet[c] and ledger[c] >= balance[c] - 1e-9 and balance[c] > 0
            paid[c] = (principal[c] - banked) + (balance[c] if repaid else 0.0)
            if repaid:
                ledger[c] = 0.0
        else:
            paid[c] = principal[c] + 0.0
        balance[c] = balance[c] - paid[c]
        principal_time[c] = principal_time[c] + paid[c] * years
        received[c] = received[c] + paid[c]


# Step kinds, covenant consequences and tests: `waterfall.KERNEL_STEPS`, `KERNEL_CONSEQUENCES`, `KERNEL_TESTS`.
cdef enum:
    PREMIUMS = 0
    SENIOR_FEES = 1
    INTEREST = 2
    RESERVE = 3
    PRINCIPAL = 4
    OVERCOLLATERALISATION = 5
    SUBORDINATED_FEES = 6
    RESIDUAL = 7
cdef enum:
    RAPID = 0
    TRAP = 1
    SEQUENTIAL = 2
    DEFERRAL = 3
cdef enum:
    TEST_DSCR = 0


def run_paths(
    const double[:, ::1] collections,      # [n, T]
    const long[:, ::1] wrap_default,       # [n, W] period each wrap's provider defaults
    const double[:, ::1] scale,            # [1 or n, C] balance scales
    const double[::1] note_balance, const double[:, ::1] schedule, const double[:, ::1] rate,
    const double[:, ::1] accrual, const long[::1] final_period,
    const unsigned char[::1] debt, const unsigned char[::1] pass_through, const unsigned char[::1] bullet,
    const unsigned char[::1] amortising, long residual_col, bint pro_rata_mode,
    const long[::1] step_kind, const long[::1] step_rank_ptr, const long[::1] step_cols_ptr,
    const long[::1] step_cols, const long[::1] rank_ptr, const long[::1] rank_cols, long debt_rank_lo,
    long debt_rank_hi, long last_principal,
    const double[::1] fee_rate, const double[::1] fee_amount, const double[::1] fee_cap,
    const unsigned char[:, ::1] wrap_covers, const double[::1] wrap_limit, const double[::1] premium_rate,
    const long[::1] trig_test, const double[::1] trig_threshold, const long[::1] trig_periods,
    const long[::1] trig_consequence, const double[::1] trig_trap, const long[::1] trig_cure,
    const unsigned char[:, ::1] trig_applies, const long[::1] trig_lookback, const double[:, ::1] trig_denominator,
    const double[::1] expected_total, const double[::1] expected_floor, const double[::1] oc_pv, double oc_ratio,
    double reserve_initial, double reserve_target, long per_year, const double[::1] years_paid,
    bint revolving, long rev_end, double rev_ppu, long rev_term, double rev_purchases, long rev_vfn,
    double rev_commitment,
    double[:, ::1] loss, double[:, ::1] principal_loss, double[:, ::1] principal_time, double[:, ::1] wrap_paid,
    double[:, ::1] received, double[::1] min_dscr_out, unsigned char[::1] triggered):
    """Fill the outcome arrays (zeros on entry) for every path; see the module docstring."""
    cdef long n = collections.shape[0], T = collections.shape[1], C = note_balance.shape[0]
    cdef long F = fee_rate.shape[0], W = wrap_limit.shape[0], K = trig_test.shape[0], S = step_kind.shape[0]
    cdef bint per_path_scale = scale.shape[0] > 1
    cdef double *memory = <double *> calloc(20 * C + 4 * F + 2 * W + 3 * T + 1 + K, sizeof(double))
    cdef long *counters = <long *> calloc(3 * K + 2 * C + 1, sizeof(long))
    if memory == NULL or counters == NULL:
        free(memory)
        free(counters)
        raise MemoryError()
    cdef double *balance = memory
    cdef double *ledger = balance + C
    cdef double *arrears = ledger + C
    cdef double *original = arrears + C
    cdef double *target = original + C
    cdef double *before = target + C
    cdef double *step_due = before + C
    cdef double *interest_now = step_due + C
    cdef double *due = interest_now + C
    cdef double *paid = due + C
    cdef double *short = paid + C
    cdef double *from_reserve = short + C
    cdef double *wrap_part = from_reserve + C
    cdef double *wrap_wanted = wrap_part + C
    cdef double *wrap_drawn = wrap_wanted + C
    cdef double *principal = wrap_drawn + C
    cdef double *due_now = principal + C
    cdef double *outstanding = due_now + C
    cdef double *want = outstanding + C
    cdef double *scratch = want + C
    cdef double *fee_owed = scratch + C
    cdef double *fee_paid_year = fee_owed + F
    cdef double *fee_due = fee_paid_year + F
    cdef double *capped_due = fee_due + F
    cdef double *wrap_room = capped_due + F
    cdef double *premium_due = wrap_room + W
    cdef double *net_history = premium_due + W
    cdef double *service_history = net_history + T
    cdef double *bought_income = service_history + T  # T + 1
    cdef double *measures = bought_income + T + 1  # [K]: this period's measure per covenant
    cdef long *below = counters
    cdef long *above = below + K
    cdef long *breached = above + K
    cdef long *deferred = breached + K  # [C]
    cdef long *sel = deferred + C
    cdef long i, row, t, c, f, w, k, s, r, j, g, first, period, end
    cdef double cash, reserve, outstanding_debt, service, net, dscr, min_dscr, measure
    cdef double total, trap, performance, bought, available, draw, room, spent, run_rate, collateral
    cdef double excess_debt, budget, trapped, total_due, from_ledger, paid_now, recovered, value, num, den, share
    cdef bint live_any, rapid, sequential, ever_rapid, revolving_on, failing

    cdef const unsigned char *covers_at = &wrap_covers[0, 0] if W else NULL
    cdef const unsigned char *bullet_at = &bullet[0]
    cdef const long *default_at = NULL
    cdef const long *ranks_at = &rank_ptr[0]
    cdef const long *rank_cols_at = &rank_cols[0] if rank_cols.shape[0] else NULL
    with nogil:
        for i in range(n):
            row = i if per_path_scale else 0
            default_at = &wrap_default[i, 0] if W else NULL
            for c in range(C):
                original[c] = note_balance[c] * scale[row, c]
                target[c] = original[c]
                balance[c] = original[c] * (1.0 if debt[c] else 0.0)
                ledger[c] = 0.0
                arrears[c] = 0.0
            for f in range(F):
                fee_owed[f] = 0.0
                fee_paid_year[f] = 0.0
            for w in range(W):
                wrap_room[w] = wrap_limit[w]
            for k in range(K):
                below[k] = 0
                above[k] = 0
                breached[k] = 0
            for t in range(T + 1):
                bought_income[t] = 0.0
            reserve = reserve_initial
            ever_rapid = False
            min_dscr = INFINITY
            revolving_on = False
            for t in range(T):
                for c in range(C):
                    before[c] = target[c]
                    target[c] = schedule[c, t] * scale[row, c]
                    step_due[c] = _max((target[c] - before[c]) * -1.0, 0.0) * (1.0 if amortising[c] else 0.0)
                cash = collections[i, t]
                if revolving:
                    performance = _clip(collections[i, t] / expected_total[t], 0.0, 2.0) if expected_total[t] > 0 else 1.0
                    bought = bought_income[t] * performance
                    cash = cash + bought
                    revolving_on = (t < rev_end) and not ever_rapid
                if t % per_year == 0:
                    for f in range(F):
                        fee_paid_year[f] = 0.0
                outstanding_debt = _sum(balance, C)
                for f in range(F):
                    fee_due[f] = fee_rate[f] * outstanding_debt + fee_amount[f]
                for w in range(W):
                    total = 0.0
                    for c in range(C):
                        total = total + balance[c] * (1.0 if wrap_covers[w, c] else 0.0)
                    premium_due[w] = premium_rate[w] * total
                for f in range(F):
                    capped_due[f] = _min(fee_due[f], _max(fee_cap[f] - fee_paid_year[f], 0.0))
                    fee_owed[f] = fee_owed[f] + (fee_due[f] - capped_due[f])

                # Covenant tests on this period's figures, before any payment.
                live_any = False
                total = 0.0
                for c in range(C):
                    interest_now[c] = balance[c] * rate[c, t] * accrual[c, t]
                    total = total + interest_now[c]
                service = 0.0
                for c in range(C):
                    service = service + step_due[c] * (1.0 if balance[c] > 1e-9 else 0.0)
                    if debt[c] and balance[c] > 1e-9:
                        live_any = True
                service = total + service
                net = cash - _sum(premium_due, W) - _sum(capped_due, F)
                dscr = net / service if service > 0 else INFINITY
                if live_any:
                    min_dscr = _min(min_dscr, dscr)
                net_history[t] = net
                service_history[t] = service
                for k in range(K):
                    first = t - trig_lookback[k] + 1
                    measure = NAN
                    for j in range(k):  # covenants testing the same figure share it (as the NumPy waterfall does)
                        if trig_test[j] == trig_test[k] and trig_lookback[j] == trig_lookback[k]:
                            measure = measures[j]
                            break
                    else:
                        if first < 0:
                            measure = INFINITY
                        elif trig_test[k] == TEST_DSCR:
                            if trig_lookback[k] == 1:
                                measure = dscr
                            else:
                                num = 0.0
                                den = 0.0
                                for period in range(first, t + 1):
                                    num = num + net_history[period]
                                for period in range(first, t + 1):
                                    den = den + service_history[period]
                                measure = num / den if den > 0 else INFINITY
                        else:
                            num = 0.0
                            for period in range(first, t + 1):
                                num = num + collections[i, period]
                            measure = num / trig_denominator[k, t]
                    measures[k] = measure
                    failing = measure < trig_threshold[k]
                    below[k] = below[k] + 1 if failing else 0
                    above[k] = 0 if failing else above[k] + 1
                    if below[k] >= trig_periods[k]:
                        breached[k] = 1
                    if trig_cure[k] >= 0 and not (above[k] < trig_cure[k]):
                        breached[k] = 0
                rapid = False
                trap = 0.0
                sequential = False
                for c in range(C):
                    deferred[c] = 0
                for k in range(K):
                    if not breached[k]:
                        continue
                    if trig_consequence[k] == RAPID:
                        rapid = True
                    elif trig_consequence[k] == TRAP:
                        trap = _max(trap, trig_trap[k])
                    elif trig_consequence[k] == SEQUENTIAL:
                        sequential = True
                    elif trig_consequence[k] == DEFERRAL:
                        for c in range(C):
                            if trig_applies[k, c]:
                                deferred[c] = 1
                ever_rapid = ever_rapid or rapid
                sequential = sequential or rapid
                if revolving:
                    revolving_on = revolving_on and not rapid

                for s in range(S):
                    if step_kind[s] == PREMIUMS:
                        for w in range(W):
                            value = _min(cash, premium_due[w])
                            cash = cash - value
                    elif step_kind[s] == SENIOR_FEES:
                        for f in range(F):
                            value = _min(cash, capped_due[f])
                            cash = cash - value
                            fee_paid_year[f] = fee_paid_year[f] + value
                            fee_owed[f] = fee_owed[f] + (capped_due[f] - value)
                    elif step_kind[s] == INTEREST:
                        for r in range(step_rank_ptr[s], step_rank_ptr[s + 1]):
                            g = _rank(ranks_at, rank_cols_at, r, sel)
                            for j in range(g):
                                c = sel[j]
                                due[c] = interest_now[c] + arrears[c]
                                if deferred[c]:
                                    due[c] = 0.0
                            total = _pro_rata(cash, due, sel, g, paid)
                            cash = cash - total
                            for j in range(g):
                                c = sel[j]
                                short[c] = due[c] - paid[c]
                            total = _pro_rata(reserve, short, sel, g, from_reserve)
                            reserve = reserve - total
                            for j in range(g):
                                c = sel[j]
                                short[c] = short[c] - from_reserve[c]
                            _draw_wrap(short, sel, g, t, C, W, covers_at, default_at, wrap_room, wrap_wanted,
                                       wrap_part, wrap_drawn, &wrap_paid[i, 0])
                            for j in range(g):
                                c = sel[j]
                                short[c] = short[c] - wrap_drawn[c]
                                if deferred[c]:
                                    arrears[c] = arrears[c] + interest_now[c]
                                else:
                                    arrears[c] = short[c]
                                received[i, c] = received[i, c] + (due[c] - short[c])
                    elif step_kind[s] == RESERVE:
                        value = _min(cash, _max(reserve_target - reserve, 0.0))
                        reserve = reserve + value
                        cash = cash - value
                    elif step_kind[s] == PRINCIPAL:
                        if revolving and revolving_on:
                            available = cash
                            draw = 0.0
                            if rev_vfn >= 0:
                                room = _max(rev_commitment - balance[rev_vfn], 0.0)
                                draw = _min(_max(rev_purchases - available, 0.0), room)
                                balance[rev_vfn] = balance[rev_vfn] + draw
                            bought = _min(available + draw, rev_purchases)
                            spent = bought - draw
                            end = t + 1 + rev_term
                            if end > T + 1:
                                end = T + 1
                            for period in range(t + 1, end):
                                bought_income[period] = bought_income[period] + bought * rev_ppu
                            cash = cash - spent
                        for c in range(C):
                            outstanding[c] = balance[c] - ledger[c]
                            due_now[c] = _max(outstanding[c] - target[c], 0.0)
                            if t >= final_period[c]:
                                due_now[c] = outstanding[c]
                            if pass_through[c]:
                                due_now[c] = outstanding[c]
                            due_now[c] = due_now[c] * (1.0 if debt[c] else 0.0)
                            if revolving and revolving_on and t < final_period[c]:
                                due_now[c] = 0.0
                            principal[c] = 0.0
                        if pro_rata_mode:
                            total_due = 0.0
                            for j in range(step_cols_ptr[s], step_cols_ptr[s + 1]):
                                total_due = total_due + due_now[step_cols[j]]
                            for j in range(step_cols_ptr[s], step_cols_ptr[s + 1]):
                                c = step_cols[j]
                                share = due_now[c] / total_due if total_due > 0 else 0.0
                                principal[c] = 0.0 if sequential else _min(cash, total_due) * share
                            cash = cash - _sum(principal, C)
                        for r in range(step_rank_ptr[s], step_rank_ptr[s + 1]):
                            g = _rank(ranks_at, rank_cols_at, r, sel)
                            for j in range(g):
                                c = sel[j]
                                want[c] = _max((outstanding[c] if rapid else due_now[c]) - principal[c], 0.0)
                            total = _pro_rata(cash, want, sel, g, scratch)
                            for j in range(g):
                                c = sel[j]
                                principal[c] = principal[c] + scratch[c]
                            cash = cash - total
                        if s == last_principal:
                            trapped = cash * trap
                            reserve = reserve + trapped
                            cash = cash - trapped
                        _pay_principal(principal, paid, C, bullet_at, balance, ledger, years_paid[t],
                                       &principal_time[i, 0], &received[i, 0])
                    elif step_kind[s] == OVERCOLLATERALISATION and oc_ratio != 0.0:
                        run_rate = collections[i, t] / expected_floor[t]
                        collateral = oc_pv[t] * run_rate
                        excess_debt = _max(_sum(balance, C) - _sum(ledger, C) - collateral / oc_ratio, 0.0)
                        for c in range(C):
                            principal[c] = 0.0
                        budget = _min(cash, excess_debt)
                        for r in range(debt_rank_lo, debt_rank_hi):
                            g = _rank(ranks_at, rank_cols_at, r, sel)
                            for j in range(g):
                                c = sel[j]
                                want[c] = _max(balance[c] - ledger[c], 0.0)
                            total = _pro_rata(budget, want, sel, g, scratch)
                            for j in range(g):
                                c = sel[j]
                                principal[c] = principal[c] + scratch[c]
                            budget = budget - total
                            cash = cash - total
                        _pay_principal(principal, paid, C, bullet_at, balance, ledger, years_paid[t],
                                       &principal_time[i, 0], &received[i, 0])
                    elif step_kind[s] == SUBORDINATED_FEES:
                        for f in range(F):
                            value = _min(cash, fee_owed[f])
                            cash = cash - value
                            fee_owed[f] = fee_owed[f] - value
                    elif step_kind[s] == RESIDUAL:
                        if residual_col >= 0:
                            received[i, residual_col] = received[i, residual_col] + cash
                        cash = 0.0

                # Legal final: what is still owed is met from the reserve, then the wrap; the rest is lost.
                for r in range(debt_rank_lo, debt_rank_hi):
                    g = 0
                    for j in range(rank_ptr[r], rank_ptr[r + 1]):
                        c = rank_cols[j]
                        if final_period[c] == t:
                            sel[g] = c
                            g = g + 1
                    if g == 0:
                        continue
                    for j in range(g):
                        c = sel[j]
                        due[c] = _max(balance[c] - ledger[c], 0.0) + arrears[c]  # owed
                        from_ledger = _min(ledger[c], balance[c])
                        principal_time[i, c] = principal_time[i, c] + from_ledger * years_paid[t]
                        received[i, c] = received[i, c] + from_ledger
                        ledger[c] = 0.0
                    total = _pro_rata(reserve, due, sel, g, from_reserve)
                    reserve = reserve - total
                    for j in range(g):
                        c = sel[j]
                        short[c] = due[c] - from_reserve[c]  # remaining
                    _draw_wrap(short, sel, g, t, C, W, covers_at, default_at, wrap_room, wrap_wanted, wrap_part,
                               wrap_drawn, &wrap_paid[i, 0])
                    for j in range(g):
                        c = sel[j]
                        short[c] = short[c] - wrap_drawn[c]
                        paid_now = due[c] - short[c]
                        recovered = _max(paid_now - arrears[c], 0.0)
                        principal_time[i, c] = principal_time[i, c] + recovered * years_paid[t]
                        received[i, c] = received[i, c] + paid_now
                        loss[i, c] = short[c]
                        principal_loss[i, c] = _max(short[c] - arrears[c], 0.0)
                        balance[c] = 0.0
                        arrears[c] = 0.0
            for c in range(C):  # a residual class is not owed anything: its investment not returned is its loss
                if not debt[c]:
                    principal_loss[i, c] = _max(original[c] - received[i, c], 0.0)
            min_dscr_out[i] = min_dscr if (min_dscr - min_dscr == 0.0) else NAN
            triggered[i] = ever_rapid
    free(memory)
    free(counters)
