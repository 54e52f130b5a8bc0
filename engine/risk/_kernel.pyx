# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The waterfall of `waterfall.run` in compiled code: the same steps, in the same order, with the same floating-point
operations on each path, so that every figure is bit for bit what the NumPy waterfall gives.

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

Paths run in blocks of LANES side by side: each figure of a path is a row of LANES values, one per path, and every
statement runs across the row. A path's own arithmetic is unchanged (each lane is one path, computed as it would be
alone); what the block buys is that the paths' independent chains of operations overlap in the processor instead of
each path waiting on its own last result. Where a path takes a branch the others need not (a breached covenant, a
wrap whose provider has failed), the row computes both and keeps, lane by lane, what that path's branch gives. A last,
partial block repeats its last path in the spare lanes and keeps only its own paths' figures.
"""

from libc.stdlib cimport calloc, free
from libc.math cimport INFINITY, NAN

cdef enum:
    LANES = 32  # paths computed side by side (measured on the US example: 8 lanes 29.6 ms, 16 28.6, 32 26.9, 64 25.5
    # for 10,000 paths on one thread; 32 keeps a block's figures within the first-level cache)
BLOCK_PATHS = LANES  # for the tests: path counts on either side of a whole block


cdef inline double _max(double a, double b) noexcept nogil:
    return a if (a != a or a > b) else b  # b on a tie, and b where b is NaN (a > NaN is false)


cdef inline double _min(double a, double b) noexcept nogil:
    return a if (a != a or a < b) else b  # b on a tie, and b where b is NaN (a < NaN is false)


cdef inline double _clip(double x, double lo, double hi) noexcept nogil:
    if x != x:
        return x
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


cdef inline void _sum(const double *rows, long count, double *total) noexcept nogil:
    """`waterfall.across` on a block: each lane's sum of `count` rows, from 0.0, one row after another."""
    cdef long j, l
    for l in range(LANES):
        total[l] = 0.0
    for j in range(count):
        for l in range(LANES):
            total[l] = total[l] + rows[j * LANES + l]


cdef inline long _rank(const long *rank_ptr, const long *rank_cols, long r, long *sel) noexcept nogil:
    """The classes of rank `r` (one seniority group of a step), in order, into `sel`; returns how many."""
    cdef long j, g = rank_ptr[r + 1] - rank_ptr[r]
    for j in range(g):
        sel[j] = rank_cols[rank_ptr[r] + j]
    return g


cdef inline void _difference(double *out, const double *a, const double *b, const long *sel, long g) noexcept nogil:
    """out = a - b on the classes `sel` (rows of each): NumPy's elementwise difference over a seniority group."""
    cdef long j, l, at
    for j in range(g):
        for l in range(LANES):
            at = sel[j] * LANES + l
            out[at] = a[at] - b[at]


cdef inline void _add(double *out, const double *a, const double *b, const long *sel, long g) noexcept nogil:
    """out = a + b on the classes `sel` (rows of each)."""
    cdef long j, l, at
    for j in range(g):
        for l in range(LANES):
            at = sel[j] * LANES + l
            out[at] = a[at] + b[at]


cdef inline void _pro_rata(const double *available, const double *wanted, const long *cols, long g, double *parts,
                           double *paid, double *total) noexcept nogil:
    """`waterfall._pro_rata` on a block: each lane's `available` shared over the rows `wanted[cols[j]]` into
    `parts[cols[j]]`; `paid` gets each lane's total paid (`total`: scratch)."""
    cdef long j, l
    cdef const double *want
    cdef double *part
    cdef double ratio
    if g == 1:
        want = wanted + cols[0] * LANES
        part = parts + cols[0] * LANES
        for l in range(LANES):
            part[l] = _min(available[l], want[l])
            paid[l] = part[l]
        return
    for l in range(LANES):
        total[l] = 0.0
    for j in range(g):
        want = wanted + cols[j] * LANES
        for l in range(LANES):
            total[l] = total[l] + want[l]
    for l in range(LANES):
        paid[l] = _min(available[l], total[l])
        total[l] = paid[l] / total[l] if total[l] > 0 else 0.0  # now the ratio
    for j in range(g):
        want = wanted + cols[j] * LANES
        part = parts + cols[j] * LANES
        for l in range(LANES):
            part[l] = want[l] * total[l]


cdef inline void _draw_wrap(const double *shortfall, const long *sel, long g, long t, long C, long W,
                            const unsigned char *covers, const long *wrap_default, double *wrap_room,
                            double *wanted, double *part, double *drawn, double *wrap_paid,
                            double *amount, double *scratch) noexcept nogil:
    """`run`'s draw_wrap on a block: what each wrap covering the classes `sel` pays of their shortfall, into `drawn`;
    a wrap whose provider has defaulted by t pays nothing on that path. `covers` is [W, C]; `wrap_default` and
    `wrap_room` are [W] rows, `wrap_paid` [C] rows."""
    cdef long w, j, c, l
    cdef bint covered_any, covering
    for j in range(g):
        for l in range(LANES):
            drawn[sel[j] * LANES + l] = 0.0
    for w in range(W):
        covered_any = False
        for j in range(g):
            if covers[w * C + sel[j]]:
                covered_any = True
        if not covered_any:
            continue
        for j in range(g):
            c = sel[j]
            covering = covers[w * C + c]
            for l in range(LANES):
                wanted[c * LANES + l] = (shortfall[c * LANES + l] - drawn[c * LANES + l]) if covering else 0.0
        _pro_rata(wrap_room + w * LANES, wanted, sel, g, part, amount, scratch)
        for l in range(LANES):  # a failed provider's lane keeps what it had
            if wrap_default[w * LANES + l] > t:
                wrap_room[w * LANES + l] = wrap_room[w * LANES + l] - amount[l]
        for j in range(g):
            c = sel[j]
            for l in range(LANES):
                if wrap_default[w * LANES + l] > t:
                    drawn[c * LANES + l] = drawn[c * LANES + l] + part[c * LANES + l]
    for j in range(g):
        c = sel[j]
        for l in range(LANES):
            wrap_paid[c * LANES + l] = wrap_paid[c * LANES + l] + drawn[c * LANES + l]


cdef inline void _pay_principal(const double *principal, double *paid, long C, const unsigned char *bullet,
                                double *balance, double *ledger, double years, double *principal_time,
                                double *received) noexcept nogil:
    """`waterfall._pay_principal` on a block (every argument but `bullet` and `years` is [C] rows)."""
    cdef long c, l, at
    cdef bint any_bullet = False, repaid, is_bullet
    cdef double banked
    for c in range(C):
        if bullet[c]:
            any_bullet = True
    for c in range(C):
        is_bullet = bullet[c]
        for l in range(LANES):
            at = c * LANES + l
            if any_bullet:
                banked = principal[at] * (1.0 if is_bullet else 0.0)
                ledger[at] = ledger[at] + banked
                repaid = is_bullet and ledger[at] >= balance[at] - 1e-9 and balance[at] > 0
                paid[at] = (principal[at] - banked) + (balance[at] if repaid else 0.0)
                if repaid:
                    ledger[at] = 0.0
            else:
                paid[at] = principal[at] + 0.0
            balance[at] = balance[at] - paid[at]
            principal_time[at] = principal_time[at] + paid[at] * years
            received[at] = received[at] + paid[at]


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
    # Every figure below is a row of LANES values (one per path of the block): a class's figure is C rows, held
    # class after class, a fee's F rows, a wrap's W rows, a period's T rows, a covenant's K rows.
    cdef double *memory = <double *> calloc(LANES * (26 * C + 4 * F + 2 * W + 3 * T + 1 + K + 24), sizeof(double))
    cdef long *counters = <long *> calloc(LANES * (2 * K + W + 1) + 8 + C, sizeof(long))
    cdef unsigned char *flags = <unsigned char *> calloc(LANES * (C + K + 8), sizeof(unsigned char))
    if memory == NULL or counters == NULL or flags == NULL:
        free(memory)
        free(counters)
        free(flags)
        raise MemoryError()
    cdef double *balance = memory
    cdef double *ledger = balance + C * LANES
    cdef double *arrears = ledger + C * LANES
    cdef double *original = arrears + C * LANES
    cdef double *target = original + C * LANES
    cdef double *before = target + C * LANES
    cdef double *step_due = before + C * LANES
    cdef double *interest_now = step_due + C * LANES
    cdef double *due = interest_now + C * LANES
    cdef double *paid = due + C * LANES
    cdef double *short = paid + C * LANES
    cdef double *from_reserve = short + C * LANES
    cdef double *wrap_part = from_reserve + C * LANES
    cdef double *wrap_wanted = wrap_part + C * LANES
    cdef double *wrap_drawn = wrap_wanted + C * LANES
    cdef double *principal = wrap_drawn + C * LANES
    cdef double *due_now = principal + C * LANES
    cdef double *outstanding = due_now + C * LANES
    cdef double *want = outstanding + C * LANES
    cdef double *scratch = want + C * LANES
    cdef double *scale_of = scratch + C * LANES  # each path's balance scale per class
    cdef double *loss_of = scale_of + C * LANES  # the outcome rows, written out at the block's end
    cdef double *principal_loss_of = loss_of + C * LANES
    cdef double *principal_time_of = principal_loss_of + C * LANES
    cdef double *wrap_paid_of = principal_time_of + C * LANES
    cdef double *received_of = wrap_paid_of + C * LANES
    cdef double *fee_owed = received_of + C * LANES
    cdef double *fee_paid_year = fee_owed + F * LANES
    cdef double *fee_due = fee_paid_year + F * LANES
    cdef double *capped_due = fee_due + F * LANES
    cdef double *wrap_room = capped_due + F * LANES
    cdef double *premium_due = wrap_room + W * LANES
    cdef double *net_history = premium_due + W * LANES
    cdef double *service_history = net_history + T * LANES
    cdef double *bought_income = service_history + T * LANES  # T + 1 rows
    cdef double *measures = bought_income + (T + 1) * LANES  # [K]: this period's measure per covenant
    cdef double *cash = measures + K * LANES  # one row each from here
    cdef double *reserve = cash + LANES
    cdef double *min_dscr = reserve + LANES
    cdef double *trap = min_dscr + LANES
    cdef double *total = trap + LANES
    cdef double *service = total + LANES
    cdef double *net = service + LANES
    cdef double *dscr = net + LANES
    cdef double *amount = dscr + LANES
    cdef double *ratio = amount + LANES
    cdef double *first_sum = ratio + LANES
    cdef double *second_sum = first_sum + LANES
    cdef double *budget = second_sum + LANES
    cdef long *below = counters
    cdef long *above = below + K * LANES
    cdef long *default_of = above + K * LANES  # [W]: the period each wrap's provider defaults, per path
    cdef long *path = default_of + W * LANES  # the block's paths, one per lane
    cdef long *sel = path + LANES
    cdef unsigned char *deferred = flags  # [C]
    cdef unsigned char *breached = deferred + C * LANES  # [K]
    cdef unsigned char *live_any = breached + K * LANES  # one row each from here
    cdef unsigned char *rapid = live_any + LANES
    cdef unsigned char *sequential = rapid + LANES
    cdef unsigned char *ever_rapid = sequential + LANES
    cdef unsigned char *revolving_on = ever_rapid + LANES
    cdef long start, last, l, at, row, t, c, f, w, k, s, r, j, g, first, period, end, shared_with
    cdef double factor, coefficient, accrued, value, performance, bought, available, draw, room, spent
    cdef double total_due, trapped, run_rate, collateral, from_ledger, paid_now, recovered, num, den, share
    cdef double scheduled
    cdef bint covering, failing, at_final, through, holding
    cdef const unsigned char *covers_at = &wrap_covers[0, 0] if W else NULL
    cdef const unsigned char *bullet_at = &bullet[0]
    cdef const long *ranks_at = &rank_ptr[0]
    cdef const long *rank_cols_at = &rank_cols[0] if rank_cols.shape[0] else NULL
    with nogil:
        start = 0
        while start < n:
            last = n - 1 if start + LANES > n else start + LANES - 1
            for l in range(LANES):  # a partial block repeats its last path in the spare lanes
                path[l] = start + l if start + l <= last else last
            for c in range(C):
                factor = 1.0 if debt[c] else 0.0
                for l in range(LANES):
                    at = c * LANES + l
                    row = path[l] if per_path_scale else 0
                    scale_of[at] = scale[row, c]
                    original[at] = note_balance[c] * scale_of[at]
                    target[at] = original[at]
                    balance[at] = original[at] * factor
                    ledger[at] = 0.0
                    arrears[at] = 0.0
                    loss_of[at] = 0.0
                    principal_loss_of[at] = 0.0
                    principal_time_of[at] = 0.0
                    wrap_paid_of[at] = 0.0
                    received_of[at] = 0.0
            for at in range(F * LANES):
                fee_owed[at] = 0.0
                fee_paid_year[at] = 0.0
            for w in range(W):
                for l in range(LANES):
                    wrap_room[w * LANES + l] = wrap_limit[w]
                    default_of[w * LANES + l] = wrap_default[path[l], w]
            for at in range(K * LANES):
                below[at] = 0
                above[at] = 0
                breached[at] = 0
            for at in range((T + 1) * LANES):
                bought_income[at] = 0.0
            for l in range(LANES):
                reserve[l] = reserve_initial
                ever_rapid[l] = False
                min_dscr[l] = INFINITY
                revolving_on[l] = False
            for t in range(T):
                for c in range(C):
                    scheduled = schedule[c, t]
                    factor = 1.0 if amortising[c] else 0.0
                    for l in range(LANES):
                        at = c * LANES + l
                        before[at] = target[at]
                        target[at] = scheduled * scale_of[at]
                        step_due[at] = _max((target[at] - before[at]) * -1.0, 0.0) * factor
                for l in range(LANES):
                    cash[l] = collections[path[l], t]
                if revolving:
                    for l in range(LANES):
                        performance = (_clip(collections[path[l], t] / expected_total[t], 0.0, 2.0)
                                       if expected_total[t] > 0 else 1.0)
                        bought = bought_income[t * LANES + l] * performance
                        cash[l] = cash[l] + bought
                        revolving_on[l] = (t < rev_end) and not ever_rapid[l]
                if t % per_year == 0:
                    for at in range(F * LANES):
                        fee_paid_year[at] = 0.0
                _sum(balance, C, total)  # the debt outstanding
                for f in range(F):
                    for l in range(LANES):
                        fee_due[f * LANES + l] = fee_rate[f] * total[l] + fee_amount[f]
                for w in range(W):
                    for l in range(LANES):
                        amount[l] = 0.0
                    for c in range(C):
                        factor = 1.0 if wrap_covers[w, c] else 0.0
                        for l in range(LANES):
                            amount[l] = amount[l] + balance[c * LANES + l] * factor
                    for l in range(LANES):
                        premium_due[w * LANES + l] = premium_rate[w] * amount[l]
                for f in range(F):
                    for l in range(LANES):
                        at = f * LANES + l
                        capped_due[at] = _min(fee_due[at], _max(fee_cap[f] - fee_paid_year[at], 0.0))
                        fee_owed[at] = fee_owed[at] + (fee_due[at] - capped_due[at])

                # Covenant tests on this period's figures, before any payment.
                for l in range(LANES):
                    live_any[l] = False
                    total[l] = 0.0
                    service[l] = 0.0
                for c in range(C):
                    coefficient = rate[c, t]
                    accrued = accrual[c, t]
                    for l in range(LANES):
                        at = c * LANES + l
                        interest_now[at] = balance[at] * coefficient * accrued
                        total[l] = total[l] + interest_now[at]
                for c in range(C):
                    for l in range(LANES):
                        at = c * LANES + l
                        service[l] = service[l] + step_due[at] * (1.0 if balance[at] > 1e-9 else 0.0)
                        if debt[c] and balance[at] > 1e-9:
                            live_any[l] = True
                _sum(premium_due, W, first_sum)
                _sum(capped_due, F, second_sum)
                for l in range(LANES):
                    service[l] = total[l] + service[l]
                    net[l] = cash[l] - first_sum[l] - second_sum[l]
                    dscr[l] = net[l] / service[l] if service[l] > 0 else INFINITY
                    if live_any[l]:
                        min_dscr[l] = _min(min_dscr[l], dscr[l])
                    net_history[t * LANES + l] = net[l]
                    service_history[t * LANES + l] = service[l]
                for k in range(K):
                    first = t - trig_lookback[k] + 1
                    shared_with = -1
                    for j in range(k):  # covenants testing the same figure share it (as the NumPy waterfall does)
                        if trig_test[j] == trig_test[k] and trig_lookback[j] == trig_lookback[k]:
                            shared_with = j
                            break
                    if shared_with >= 0:
                        for l in range(LANES):
                            measures[k * LANES + l] = measures[shared_with * LANES + l]
                    elif first < 0:
                        for l in range(LANES):
                            measures[k * LANES + l] = INFINITY
                    elif trig_test[k] == TEST_DSCR and trig_lookback[k] == 1:
                        for l in range(LANES):
                            measures[k * LANES + l] = dscr[l]
                    elif trig_test[k] == TEST_DSCR:
                        for l in range(LANES):
                            num = 0.0
                            den = 0.0
                            for period in range(first, t + 1):
                                num = num + net_history[period * LANES + l]
                            for period in range(first, t + 1):
                                den = den + service_history[period * LANES + l]
                            measures[k * LANES + l] = num / den if den > 0 else INFINITY
                    else:
                        for l in range(LANES):
                            num = 0.0
                            for period in range(first, t + 1):
                                num = num + collections[path[l], period]
                            measures[k * LANES + l] = num / trig_denominator[k, t]
                    for l in range(LANES):
                        at = k * LANES + l
                        failing = measures[at] < trig_threshold[k]
                        below[at] = below[at] + 1 if failing else 0
                        above[at] = 0 if failing else above[at] + 1
                        if below[at] >= trig_periods[k]:
                            breached[at] = True
                        if trig_cure[k] >= 0 and not (above[at] < trig_cure[k]):
                            breached[at] = False
                for l in range(LANES):
                    rapid[l] = False
                    trap[l] = 0.0
                    sequential[l] = False
                for at in range(C * LANES):
                    deferred[at] = False
                for k in range(K):
                    for l in range(LANES):
                        if not breached[k * LANES + l]:
                            continue
                        if trig_consequence[k] == RAPID:
                            rapid[l] = True
                        elif trig_consequence[k] == TRAP:
                            trap[l] = _max(trap[l], trig_trap[k])
                        elif trig_consequence[k] == SEQUENTIAL:
                            sequential[l] = True
                        elif trig_consequence[k] == DEFERRAL:
                            for c in range(C):
                                if trig_applies[k, c]:
                                    deferred[c * LANES + l] = True
                for l in range(LANES):
                    ever_rapid[l] = ever_rapid[l] or rapid[l]
                    sequential[l] = sequential[l] or rapid[l]
                    if revolving:
                        revolving_on[l] = revolving_on[l] and not rapid[l]

                for s in range(S):
                    if step_kind[s] == PREMIUMS:
                        for w in range(W):
                            for l in range(LANES):
                                value = _min(cash[l], premium_due[w * LANES + l])
                                cash[l] = cash[l] - value
                    elif step_kind[s] == SENIOR_FEES:
                        for f in range(F):
                            for l in range(LANES):
                                at = f * LANES + l
                                value = _min(cash[l], capped_due[at])
                                cash[l] = cash[l] - value
                                fee_paid_year[at] = fee_paid_year[at] + value
                                fee_owed[at] = fee_owed[at] + (capped_due[at] - value)
                    elif step_kind[s] == INTEREST:
                        for r in range(step_rank_ptr[s], step_rank_ptr[s + 1]):
                            g = _rank(ranks_at, rank_cols_at, r, sel)
                            for j in range(g):
                                c = sel[j]
                                for l in range(LANES):
                                    at = c * LANES + l
                                    due[at] = 0.0 if deferred[at] else interest_now[at] + arrears[at]
                            _pro_rata(cash, due, sel, g, paid, amount, ratio)
                            for l in range(LANES):
                                cash[l] = cash[l] - amount[l]
                            _difference(short, due, paid, sel, g)
                            _pro_rata(reserve, short, sel, g, from_reserve, amount, ratio)
                            for l in range(LANES):
                                reserve[l] = reserve[l] - amount[l]
                            _difference(short, short, from_reserve, sel, g)
                            _draw_wrap(short, sel, g, t, C, W, covers_at, default_of, wrap_room, wrap_wanted,
                                       wrap_part, wrap_drawn, wrap_paid_of, amount, ratio)
                            for j in range(g):
                                c = sel[j]
                                for l in range(LANES):
                                    at = c * LANES + l
                                    short[at] = short[at] - wrap_drawn[at]
                                    if deferred[at]:
                                        arrears[at] = arrears[at] + interest_now[at]
                                    else:
                                        arrears[at] = short[at]
                                    received_of[at] = received_of[at] + (due[at] - short[at])
                    elif step_kind[s] == RESERVE:
                        for l in range(LANES):
                            value = _min(cash[l], _max(reserve_target - reserve[l], 0.0))
                            reserve[l] = reserve[l] + value
                            cash[l] = cash[l] - value
                    elif step_kind[s] == PRINCIPAL:
                        if revolving:
                            end = t + 1 + rev_term
                            if end > T + 1:
                                end = T + 1
                            for l in range(LANES):
                                if not revolving_on[l]:
                                    continue
                                available = cash[l]
                                draw = 0.0
                                if rev_vfn >= 0:
                                    at = rev_vfn * LANES + l
                                    room = _max(rev_commitment - balance[at], 0.0)
                                    draw = _min(_max(rev_purchases - available, 0.0), room)
                                    balance[at] = balance[at] + draw
                                bought = _min(available + draw, rev_purchases)
                                spent = bought - draw
                                for period in range(t + 1, end):
                                    bought_income[period * LANES + l] = bought_income[period * LANES + l] + bought * rev_ppu
                                cash[l] = cash[l] - spent
                        for c in range(C):
                            at_final = t >= final_period[c]
                            through = pass_through[c]
                            factor = 1.0 if debt[c] else 0.0
                            holding = revolving and t < final_period[c]
                            for l in range(LANES):
                                at = c * LANES + l
                                outstanding[at] = balance[at] - ledger[at]
                                value = _max(outstanding[at] - target[at], 0.0)
                                if at_final or through:
                                    value = outstanding[at]
                                value = value * factor
                                if holding and revolving_on[l]:
                                    value = 0.0
                                due_now[at] = value
                                principal[at] = 0.0
                        if pro_rata_mode:
                            for l in range(LANES):
                                total[l] = 0.0
                            for j in range(step_cols_ptr[s], step_cols_ptr[s + 1]):
                                c = step_cols[j]
                                for l in range(LANES):
                                    total[l] = total[l] + due_now[c * LANES + l]
                            for j in range(step_cols_ptr[s], step_cols_ptr[s + 1]):
                                c = step_cols[j]
                                for l in range(LANES):
                                    at = c * LANES + l
                                    total_due = total[l]
                                    share = due_now[at] / total_due if total_due > 0 else 0.0
                                    principal[at] = 0.0 if sequential[l] else _min(cash[l], total_due) * share
                            _sum(principal, C, amount)
                            for l in range(LANES):
                                cash[l] = cash[l] - amount[l]
                        for r in range(step_rank_ptr[s], step_rank_ptr[s + 1]):
                            g = _rank(ranks_at, rank_cols_at, r, sel)
                            for j in range(g):
                                c = sel[j]
                                for l in range(LANES):
                                    at = c * LANES + l
                                    want[at] = _max((outstanding[at] if rapid[l] else due_now[at]) - principal[at], 0.0)
                            _pro_rata(cash, want, sel, g, scratch, amount, ratio)
                            _add(principal, principal, scratch, sel, g)
                            for l in range(LANES):
                                cash[l] = cash[l] - amount[l]
                        if s == last_principal:
                            for l in range(LANES):
                                trapped = cash[l] * trap[l]
                                reserve[l] = reserve[l] + trapped
                                cash[l] = cash[l] - trapped
                        _pay_principal(principal, paid, C, bullet_at, balance, ledger, years_paid[t],
                                       principal_time_of, received_of)
                    elif step_kind[s] == OVERCOLLATERALISATION and oc_ratio != 0.0:
                        _sum(balance, C, first_sum)
                        _sum(ledger, C, second_sum)
                        for l in range(LANES):
                            run_rate = collections[path[l], t] / expected_floor[t]
                            collateral = oc_pv[t] * run_rate
                            budget[l] = _min(cash[l], _max(first_sum[l] - second_sum[l] - collateral / oc_ratio, 0.0))
                        for at in range(C * LANES):
                            principal[at] = 0.0
                        for r in range(debt_rank_lo, debt_rank_hi):
                            g = _rank(ranks_at, rank_cols_at, r, sel)
                            for j in range(g):
                                c = sel[j]
                                for l in range(LANES):
                                    at = c * LANES + l
                                    want[at] = _max(balance[at] - ledger[at], 0.0)
                            _pro_rata(budget, want, sel, g, scratch, amount, ratio)
                            _add(principal, principal, scratch, sel, g)
                            for l in range(LANES):
                                budget[l] = budget[l] - amount[l]
                                cash[l] = cash[l] - amount[l]
                        _pay_principal(principal, paid, C, bullet_at, balance, ledger, years_paid[t],
                                       principal_time_of, received_of)
                    elif step_kind[s] == SUBORDINATED_FEES:
                        for f in range(F):
                            for l in range(LANES):
                                at = f * LANES + l
                                value = _min(cash[l], fee_owed[at])
                                cash[l] = cash[l] - value
                                fee_owed[at] = fee_owed[at] - value
                    elif step_kind[s] == RESIDUAL:
                        for l in range(LANES):
                            if residual_col >= 0:
                                at = residual_col * LANES + l
                                received_of[at] = received_of[at] + cash[l]
                            cash[l] = 0.0

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
                        for l in range(LANES):
                            at = c * LANES + l
                            due[at] = _max(balance[at] - ledger[at], 0.0) + arrears[at]  # owed
                            from_ledger = _min(ledger[at], balance[at])
                            principal_time_of[at] = principal_time_of[at] + from_ledger * years_paid[t]
                            received_of[at] = received_of[at] + from_ledger
                            ledger[at] = 0.0
                    _pro_rata(reserve, due, sel, g, from_reserve, amount, ratio)
                    for l in range(LANES):
                        reserve[l] = reserve[l] - amount[l]
                    _difference(short, due, from_reserve, sel, g)  # remaining
                    _draw_wrap(short, sel, g, t, C, W, covers_at, default_of, wrap_room, wrap_wanted, wrap_part,
                               wrap_drawn, wrap_paid_of, amount, ratio)
                    for j in range(g):
                        c = sel[j]
                        for l in range(LANES):
                            at = c * LANES + l
                            short[at] = short[at] - wrap_drawn[at]
                            paid_now = due[at] - short[at]
                            recovered = _max(paid_now - arrears[at], 0.0)
                            principal_time_of[at] = principal_time_of[at] + recovered * years_paid[t]
                            received_of[at] = received_of[at] + paid_now
                            loss_of[at] = short[at]
                            principal_loss_of[at] = _max(short[at] - arrears[at], 0.0)
                            balance[at] = 0.0
                            arrears[at] = 0.0
            for c in range(C):  # a residual class is not owed anything: its investment not returned is its loss
                if not debt[c]:
                    for l in range(LANES):
                        at = c * LANES + l
                        principal_loss_of[at] = _max(original[at] - received_of[at], 0.0)
            for l in range(last - start + 1):  # the block's own paths, without the spare lanes
                for c in range(C):
                    at = c * LANES + l
                    loss[start + l, c] = loss_of[at]
                    principal_loss[start + l, c] = principal_loss_of[at]
                    principal_time[start + l, c] = principal_time_of[at]
                    wrap_paid[start + l, c] = wrap_paid_of[at]
                    received[start + l, c] = received_of[at]
                min_dscr_out[start + l] = min_dscr[l] if (min_dscr[l] - min_dscr[l] == 0.0) else NAN
                triggered[start + l] = ever_rapid[l]
            start = start + LANES
    free(memory)
    free(counters)
    free(flags)
