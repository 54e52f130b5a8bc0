"""The deal turned into the arrays the simulator and the waterfall need, with the source of every default."""

from __future__ import annotations

import bisect
import datetime as dt
import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ipsa.engine.text import N_, joined, msg
from ipsa.engine.dates import add_months
from ipsa.engine.graph import PERIODS_PER_YEAR, DealGraph
from ipsa.engine.risk import defaults as D
from ipsa.engine.risk.screening import ScreenedPatent


@dataclass
class NoteInputs:
    ids: list[str]
    balance: np.ndarray  # [C] original balances, seniority order
    coupon: np.ndarray  # [C] annual
    final_period: np.ndarray  # [C] index of the period in which the class is due in full
    schedule: np.ndarray  # [C, T] target balance at the end of each period (scheduled amortisation)
    pass_through: np.ndarray  # [C] bool
    bullet: np.ndarray  # [C] bool: principal accumulates on the schedule and is paid at once when fully covered
    pro_rata: bool
    seniority: np.ndarray  # [C] rank (1 most senior); classes of equal rank are paid pari passu
    residual: np.ndarray | None = None  # [C] bool: the residual class (owed nothing; takes what is left)
    rate: np.ndarray | None = None  # [C, T] annual coupon of each period (a floating class: its curve plus margin)
    accrual: np.ndarray | None = None  # [C, T] year fraction of each period under the class's day count

    def __post_init__(self) -> None:
        C, T = self.schedule.shape
        if self.residual is None:
            self.residual = np.zeros(C, dtype=bool)
        if self.rate is None:
            self.rate = np.repeat(self.coupon[:, None], T, axis=1)
        if self.accrual is None:
            self.accrual = np.full((C, T), 0.25)


@dataclass
class WrapInputs:
    provider: str
    covers: np.ndarray  # [C] bool
    limit: float  # inf if none
    premium_rate: float
    annual_pd: float
    pd_source: str


@dataclass
class Trigger:
    test: str
    threshold: float
    periods: int
    consequence: str
    trap_share: float
    name: str = ""
    cure_periods: int | None = None  # None: a rapid amortisation never cures; the others cure at the first pass
    applies: np.ndarray | None = None  # [C] bool: classes an interest deferral defers
    lookback: int = 1  # periods the test sums over (1: the period alone)


@dataclass
class RevolvingInputs:
    end: int  # first period after the revolving period
    payment_per_unit: float  # level payment per period per unit of price
    term: int  # periods those payments last
    purchases: float  # target purchases per period (inf: all available principal cash)
    vfn: int  # index of the variable funding note, -1 if none
    commitment: float


@dataclass
class LoanInputs:
    """Loans and leases secured on IP, the last streams of the pool: their scheduled repayments, and what the pledged
    IP recovers when the borrower defaults."""

    ids: list[str]
    payments: np.ndarray  # [M, T] scheduled interest and principal per period
    outstanding: np.ndarray  # [M, T] principal outstanding at the start of each period
    recovery_rate: np.ndarray  # [M] share of the collateral value (or of the principal, none given) recovered
    recovery_cap: np.ndarray  # [M] most the collateral can bring (its value x the rate; inf where no value is given)
    recovery_lag: np.ndarray  # [M] periods from default to recovery


@dataclass
class FeeInputs:
    id: str
    annual_rate: float  # share of the debt outstanding a year
    annual_amount: float
    cap_per_year: float  # inf if none


@dataclass
class StepInputs:
    pay: str
    cols: np.ndarray  # class indices (debt classes) the step pays


def default_steps(C: int, residual: np.ndarray, oc: bool) -> list[StepInputs]:
    """ipsa's order where the deal gives none: premiums, senior fees, interest by seniority, reserve, principal,
    overcollateralisation (where the deal sets a ratio), subordinated fees, residual."""
    debt = np.nonzero(~residual)[0]
    names = ["premiums", "senior_fees", "interest", "reserve", "principal"] + (["overcollateralisation"] if oc else []) + [
        "subordinated_fees", "residual"]
    return [StepInputs(name, debt) for name in names]


@dataclass
class PoolInputs:
    as_of: dt.date
    periods_per_year: int
    period_ends: list[dt.date]
    licences: list[str]
    licensees: list[str]
    licence_licensee: np.ndarray  # [L] index into licensees
    licence_group: np.ndarray  # [L] technology group index
    groups: list[str]
    base: np.ndarray  # [L] expected royalty per period
    floor: np.ndarray  # [L] minimum royalty per period
    sales_exposed: np.ndarray  # [L] bool: royalty moves with the licensee's sales
    sigma: np.ndarray  # [L] annual sales volatility
    mu: np.ndarray  # [L] annual sales trend
    active: np.ndarray  # [L, T] bool: the licence is in its term
    patents: list[str]
    incidence: np.ndarray  # [L, P] bool: licence l covers patent p
    expiry_period: np.ndarray  # [P] first period in which the patent no longer exists (T if beyond horizon)
    invalid_prob: np.ndarray  # [P] probability of invalidation within the window
    invalid_window: np.ndarray  # [P] periods over which that probability is spread (0: annual hazard instead)
    invalid_hazard: np.ndarray  # [P] per-period hazard for unchallenged patents
    lapse_prob: np.ndarray  # [P] probability of lapse at the next fee
    lapse_period: np.ndarray  # [P]
    licensee_pd: np.ndarray  # [K] annual
    licensee_corr: np.ndarray  # [K] Basel asset correlation
    licensee_group: np.ndarray  # [K]
    notes: NoteInputs
    wraps: list[WrapInputs]
    reserve_target: float  # absolute amount (inf-safe)
    reserve_initial: float
    triggers: list[Trigger]
    assumptions: dict[str, str] = field(default_factory=dict)
    fees: list[FeeInputs] = field(default_factory=list)
    steps: list[StepInputs] = field(default_factory=list)  # the priority of payments (empty: ipsa's default order)
    oc_ratio: float | None = None  # PV of remaining royalties over debt outstanding the documents require
    oc_remaining_pv: np.ndarray | None = None  # [T] PV, after each period, of the contractual royalties still to come
    loans: "LoanInputs | None" = None  # the last len(loans.ids) streams are loans secured on IP
    revolving: "RevolvingInputs | None" = None
    erodes: np.ndarray | None = None  # [L] bool: generic erosion follows its first patent's death (patents only)
    pay_schedule: list | None = None  # [L] per licence None (paid as it accrues) or [T, T]: accrual period s is paid in t

    def expected_paid(self) -> np.ndarray:
        """[L, T] the contractual royalties as paid: accrued each period, paid on each licence's own calendar."""
        return _expected_paid(self.base, self.active, self.pay_schedule, self.loans)

    @cached_property
    def expected_total(self) -> np.ndarray:
        """[T] the contractual collections per period: computed once, read by every waterfall run."""
        return self.expected_paid().sum(axis=0)
    patent_weight: np.ndarray | None = None  # [P] expected royalty weight, for the "largest patent" stress
    # Correlation with the economy (None: built before these existed, read as no economy-wide factor).
    licensee_systemic: np.ndarray | None = None  # [K] the part of licensee_corr shared with the economy-wide factor
    licensee_obligor: np.ndarray | None = None  # [K] licensee whose latent variable this one uses (its obligor group's)
    sales_systemic: float = 0.0  # the economy-wide part of the sales-factor correlation
    wrap_corr: np.ndarray | None = None  # [W] each provider's correlation with the economy-wide factor
    wrap_licensee: np.ndarray | None = None  # [W] the licensee that is the same party as the provider, or -1
    wrap_obligor: np.ndarray | None = None  # [W] a licensee of the provider's obligor group, or -1
    wrap_first: np.ndarray | None = None  # [W] first wrap of the same provider group (whose draw it shares)

    def __post_init__(self) -> None:
        for trigger in self.triggers:
            if trigger.applies is None:
                trigger.applies = np.zeros(len(self.notes.ids), dtype=bool)
        if not self.steps:
            self.steps = default_steps(len(self.notes.ids), self.notes.residual, bool(self.oc_ratio))

    @property
    def group_slices(self) -> list[tuple[int, int, int]]:
        """(group, first licence, end licence): licences are ordered so that each group is contiguous."""
        out = []
        for start in range(len(self.licences)):
            if start == 0 or self.licence_group[start] != self.licence_group[start - 1]:
                out.append([int(self.licence_group[start]), start, start + 1])
            else:
                out[-1][2] = start + 1
        return [tuple(x) for x in out]

    @cached_property
    def licence_patent_runs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(patents, starts, licences): every licence's patents one after another, where each licence with patents
        starts in that list, and which licences those are (loans have none): for a licence-by-licence minimum and
        maximum of patent deaths in one pass (`np.minimum.reduceat`), read once per pool."""
        runs = [np.nonzero(row)[0] for row in self.incidence]
        licences = np.array([i for i, r in enumerate(runs) if r.size], dtype=np.int64)
        lengths = np.array([runs[i].size for i in licences], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64) if lengths.size else lengths
        patents = np.concatenate([runs[i] for i in licences]) if licences.size else np.zeros(0, dtype=np.int64)
        return patents, starts, licences

    @property
    def horizon(self) -> int:
        return len(self.period_ends)


def period_index(period_ends: list[dt.date], day: dt.date) -> int:
    """Index of the first period whose end is on or after `day` (len if none); `period_ends` ascend, so a binary
    search finds it (asked for every patent of the pool)."""
    return bisect.bisect_left(period_ends, day)


def _history_calibration(amounts: list[float], per_year: int) -> tuple[float, float] | None:
    """Annual trend and volatility of log royalty changes, from at least five payments."""
    values = np.array([a for a in amounts if a > 0], dtype=float)
    if values.size < 5:
        return None
    steps = np.diff(np.log(values))
    return float(steps.mean() * per_year), float(steps.std(ddof=1) * math.sqrt(per_year))


def build(g: DealGraph, as_of: dt.date, screened: list[ScreenedPatent], periods_per_year: int = 4,
          licences: list[str] | None = None) -> PoolInputs:
    deal = g.deal
    months = 12 // periods_per_year
    legal_final = max(n.legal_final for n in deal.notes)
    period_ends: list[dt.date] = []
    while not period_ends or period_ends[-1] < legal_final:
        period_ends.append(add_months(as_of, months * (len(period_ends) + 1)))
    T = len(period_ends)
    assumptions: dict[str, str] = {}

    # The licensed assets: patents the screening keeps, and every copyright, trademark or other IP a licence covers
    # (they are not screened; their life is their term and, for a trademark, its renewal).
    modelled = {s.patent for s in screened if not s.excluded} | {o for lic in g.pooled_licences for o in lic.other_ip}
    covered = {lic.id: [p for p in list(lic.patents) + list(lic.other_ip) if p in modelled] for lic in g.pooled_licences}
    wanted = None if licences is None else set(licences)
    pooled = [lic for lic in g.pooled_licences if covered[lic.id] and (wanted is None or lic.id in wanted)]
    # Licences of one technology group sit side by side, so the simulator adds each group's factor to a slice.
    technology = {lic.id: asset_group(deal, covered[lic.id][0]) for lic in pooled}
    first_seen = {t: n for n, t in reversed(list(enumerate(technology[lic.id] for lic in pooled)))}
    pooled.sort(key=lambda lic: first_seen[technology[lic.id]])
    patent_ids = sorted({p for lic in pooled for p in covered[lic.id]})
    patent_index = {p: n for n, p in enumerate(patent_ids)}
    P, L = len(patent_ids), len(pooled)

    loans = [loan for loan in g.pooled_loans if wanted is None or loan.id in wanted]
    licensee_ids = sorted({lic.licensee for lic in pooled} | {loan.borrower for loan in loans})
    licensee_index = {party_id: k for k, party_id in enumerate(licensee_ids)}
    groups: list[str] = []
    group_index: dict[str, int] = {}  # each group's position in `groups`, in order of first appearance
    licence_group = np.zeros(L, dtype=np.int64)
    base = np.zeros(L)
    floor = np.zeros(L)
    exposed = np.zeros(L, dtype=bool)
    sigma = np.full(L, D.SALES_VOLATILITY.value)
    mu = np.zeros(L)
    active = np.zeros((L, T), dtype=bool)
    incidence = np.zeros((L, P), dtype=bool)
    covered_columns: list[list[int]] = []  # each licence's patents as columns of `incidence`, without repeats
    schedule_of: list[np.ndarray | None] = [None] * L
    # A licence is active in the periods that end after it starts and begin (counted back 30 days a month from their
    # end) before it ends: the period ends as day numbers, once, so each licence compares all periods at once.
    period_days = np.array(period_ends, dtype="datetime64[D]")
    nominal_starts = period_days - np.timedelta64(months * 30, "D")
    for index, lic in enumerate(pooled):
        group = technology[lic.id]
        if group not in group_index:
            group_index[group] = len(groups)
            groups.append(group)
        licence_group[index] = group_index[group]
        base[index] = g.expected_annual_royalty(lic) / periods_per_year
        floor[index] = (lic.royalty.minimum_annual or 0.0) / periods_per_year * (lic.pool_share or 1.0)
        if lic.pool_share is not None:
            assumptions[msg("share {id}", id=lic.id)] = msg("{pool_share:.1%} of the licence's royalties back the notes (co-owners split the rest)",
                                                 pool_share=lic.pool_share)
        schedule_of[index] = _payment_schedule(lic, as_of, period_ends, periods_per_year)
        if schedule_of[index] is not None:
            assumptions[msg("payments {id}", id=lic.id)] = (
                N_("royalties accrue each period and are paid ")
                + {"monthly": N_("monthly"), "quarterly": N_("quarterly"), "semiannual": N_("twice a year"), "annual": N_("once a year")}[lic.royalty.frequency]
                + (msg(", {payment_lag_days} days after each royalty period ends",
                       payment_lag_days=lic.royalty.payment_lag_days) if lic.royalty.payment_lag_days else "")
                + N_("; accrued royalties not yet paid when the licensee defaults are lost"))
        exposed[index] = lic.royalty.base != "fixed"
        calibrated = _history_calibration([h.amount for h in sorted(lic.history, key=lambda h: h.period_end)],
                                          PERIODS_PER_YEAR[lic.royalty.frequency])
        if calibrated and exposed[index]:
            mu[index], sigma[index] = calibrated
            assumptions[msg("sales {id}", id=lic.id)] = msg("trend {value:+.1%} and volatility {value2:.1%} a year from {history} payments",
                                                 value=mu[index], value2=sigma[index], history=len(lic.history))
        elif exposed[index]:
            assumptions[msg("sales {id}", id=lic.id)] = msg("volatility {sigma:.0%} a year: {source} ({confidence})", sigma=sigma[index],
                                                           source=D.SALES_VOLATILITY.source, confidence=D.SALES_VOLATILITY.confidence)
        active[index] = (period_days > np.datetime64(lic.start)) & (nominal_starts < np.datetime64(lic.end))
        columns = sorted({patent_index[p] for p in covered[lic.id]})
        incidence[index, columns] = True
        covered_columns.append(columns)

    # Loans and leases secured on IP follow the licences: scheduled repayments, ended by the borrower's default, then
    # a recovery from the pledged IP (ipsa's loan model; `LoanInputs`).
    loan_inputs = _loans(loans, as_of, period_ends, periods_per_year, assumptions) if loans else None
    if loans:
        group = N_("IP-secured loans")
        groups.append(group)
        count = len(loans)
        licence_group = np.concatenate([licence_group, np.full(count, len(groups) - 1, dtype=np.int64)])
        paying = np.maximum((loan_inputs.payments > 0).sum(axis=1), 1)
        base = np.concatenate([base, loan_inputs.payments.sum(axis=1) / paying])  # the mean scheduled payment
        floor = np.concatenate([floor, np.zeros(count)])
        exposed = np.concatenate([exposed, np.zeros(count, dtype=bool)])
        sigma = np.concatenate([sigma, np.zeros(count)])
        mu = np.concatenate([mu, np.zeros(count)])
        active = np.concatenate([active, loan_inputs.payments > 0])
        incidence = np.concatenate([incidence, np.zeros((count, P), dtype=bool)])
        schedule_of += [None] * count
    streams = [(lic.id, lic.licensee) for lic in pooled] + [(loan.id, loan.borrower) for loan in loans]

    expiry_period = np.full(P, T, dtype=np.int64)
    invalid_prob = np.zeros(P)
    invalid_window = np.zeros(P, dtype=np.int64)
    invalid_hazard = np.zeros(P)
    lapse_prob = np.zeros(P)
    lapse_period = np.full(P, T, dtype=np.int64)
    quarterly_challenge = 1 - (1 - D.ANNUAL_CHALLENGE_RATE.value * D.COURT_INVALIDITY.value) ** (1 / periods_per_year)
    other_ids = {o.id for o in deal.other_ip}
    for index, pid in enumerate(patent_ids):
        if pid in other_ids:  # a copyright or trademark: its term; a trademark may lapse at renewal
            other = deal.other(pid)
            if other.expiry_date and not other.renewable:
                expiry_period[index] = period_index(period_ends, other.expiry_date)
            elif other.expiry_date:
                lapse_prob[index] = D.TRADEMARK_NON_RENEWAL.value
                lapse_period[index] = min(period_index(period_ends, other.expiry_date), T)
            continue
        patent = deal.patent(pid)
        if patent.expiry_date:
            expiry_period[index] = period_index(period_ends, patent.expiry_date)
        pending = [c for c in patent.challenges if c.status == "pending"]
        if pending:
            ipr = any(c.kind in ("inter_partes_review", "opposition", "invalidation", "reexamination") for c in pending)
            invalid_prob[index] = (D.PTAB_INSTITUTION_RATE.value * D.PTAB_ALL_CLAIMS_INVALID.value) if ipr else D.COURT_INVALIDITY.value
            invalid_window[index] = int(D.CHALLENGE_RESOLUTION_QUARTERS.value * periods_per_year / 4)
        else:
            invalid_hazard[index] = (quarterly_challenge if patent.invalidation_hazard is None else
                                     1 - (1 - patent.invalidation_hazard) ** (1 / periods_per_year))
            if patent.invalidation_hazard is not None:
                assumptions[msg("invalidation {id}", id=pid)] = (msg("{invalidation_hazard:.2%} a year, as the deal states (instead of ipsa's default from "
                                                          "litigation rates)",
                                                          invalidation_hazard=patent.invalidation_hazard))
        if patent.maintenance in ("due", "in_grace") and patent.grant_date:
            age = (as_of - patent.grant_date).days / 365.25
            stage = min(sum(1 for y in D.MAINTENANCE_FEE_YEARS if y - 0.5 <= age), len(D.MAINTENANCE_NONPAYMENT)) - 1
            lapse_prob[index] = D.MAINTENANCE_NONPAYMENT[max(stage, 0)].value
            lapse_period[index] = 0 if patent.maintenance == "in_grace" else min(1, T - 1)
    assumptions[N_("invalidation")] = (
        msg("pending PTAB-type challenge: {value:.1%} instituted x {value2:.2%} all claims lost; "
            "pending litigation: {value3:.0%} held invalid; resolved within {value4} quarters; "
            "unchallenged: {value5:.2%} challenged a year x {value3:.0%} ({source})",
            value=D.PTAB_INSTITUTION_RATE.value, value2=D.PTAB_ALL_CLAIMS_INVALID.value, value3=D.COURT_INVALIDITY.value, value4=D.CHALLENGE_RESOLUTION_QUARTERS.value, value5=D.ANNUAL_CHALLENGE_RATE.value, source=D.ANNUAL_CHALLENGE_RATE.source))
    assumptions[N_("amortisation")] = (N_("sequential and pro-rata classes amortise straight-line to their expected maturity "
                                    "(or legal final); a bullet class accumulates principal on that schedule and is repaid "
                                    "when the ledger covers it; excess cash is released to the residual holder unless a "
                                    "trigger applies (ipsa's conventions)"))
    assumptions[N_("erosion")] = msg("{value:.0%} of sales lost over two years after a licence's first patent dies ({source})",
                                 value=D.EROSION_AT_TWO_YEARS.value, source=D.EROSION_AT_TWO_YEARS.source)
    if pooled:
        assumptions[N_("licensee default")] = (N_("a licensee in default pays nothing more, and no recovery on the SPV's claim in "
                                           "its insolvency is counted (ipsa's convention: a conservative zero)"))
    erodes = np.array([all(p not in other_ids for p in covered[lic.id]) for lic in pooled] + [False] * len(loans), dtype=bool)
    if any(p in other_ids for p in patent_ids):
        assumptions[N_("copyrights and trademarks")] = (
            msg("a copyright pays until its term ends and a trademark until it lapses at renewal "
                "({value:.0%} chance at each renewal within the notes' life: {source}, {confidence}); "
                "neither is modelled as invalidated ({source2}, {confidence2}); a licensed mark is in use "
                "by its licensee, so cancellation for non-use (after three or five years without use, by "
                "country) does not arise while the licence pays; no generic erosion applies to licences "
                "carrying them",
                value=D.TRADEMARK_NON_RENEWAL.value, source=D.TRADEMARK_NON_RENEWAL.source, confidence=D.TRADEMARK_NON_RENEWAL.confidence, source2=D.OTHER_IP_INVALIDITY.source, confidence2=D.OTHER_IP_INVALIDITY.confidence))

    group_of = _obligor_groups(deal)
    first_stream: dict[str, int] = {}  # each licensee's or borrower's first stream
    for n, (_, obligor) in enumerate(streams):
        first_stream.setdefault(obligor, n)
    licensee_pd = np.zeros(len(licensee_ids))
    licensee_corr = np.zeros(len(licensee_ids))
    licensee_group = np.zeros(len(licensee_ids), dtype=np.int64)
    for k, party_id in enumerate(licensee_ids):
        party = deal.party(party_id)
        licensee_pd[k], source = D.annual_pd(party.rating, party.default_probability)
        licensee_corr[k] = D.basel_correlation(licensee_pd[k])
        licensee_group[k] = licence_group[first_stream[party_id]]
        assumptions[msg("default {id}", id=party_id)] = (
            msg("annual PD {value:.2%} ({source}); asset correlation {value2:.2f} (Basel II IRB, H), "
                "{value3:.3f} of it with the economy and the rest with its technology class",
                value=licensee_pd[k], source=source, value2=licensee_corr[k], value3=D.SYSTEMIC_SHARE.value * licensee_corr[k]))
    licensee_systemic = D.SYSTEMIC_SHARE.value * licensee_corr
    # One latent variable per obligor group: the group's top party if it is a licensee, else its first licensee.
    representative: dict[str, int] = {}
    for k, party_id in enumerate(licensee_ids):
        top = group_of[party_id]
        if top not in representative or party_id == top:
            representative[top] = k
    licensee_obligor = np.array([representative[group_of[p]] for p in licensee_ids], dtype=np.int64)
    members_of: dict[str, list[str]] = {}  # each obligor group's licensees, in licensee order
    for party_id in licensee_ids:
        members_of.setdefault(group_of[party_id], []).append(party_id)
    for top, k in representative.items():
        members = members_of[top]
        if len(members) > 1:
            assumptions[msg("group {id}", id=top)] = (
                msg("{members} form one obligor group (more than {value:.0%} owned within the deal's parties): "
                    "one latent default variable, each at its own PD ({source}, {confidence})",
                    members=', '.join(members), value=D.GROUP_CONTROL_SHARE.value, source=D.GROUP_CONTROL_SHARE.source, confidence=D.GROUP_CONTROL_SHARE.confidence))
    assumptions[N_("correlation")] = (
        msg("licensee defaults: Basel IRB asset correlation for each PD, {value:.0%} of it with an "
            "economy-wide factor and the rest with the technology class ({source}, {confidence}); "
            "sales: {value2:.0%} of the variance of each quarter's shock common, {value3:.0%} of that "
            "economy-wide ({confidence2}); wrap providers and guarantors: {value4:.0%} of their own "
            "Basel correlation with the same economy-wide factor ({confidence3}); a party in several "
            "roles has one default time",
            value=D.SYSTEMIC_SHARE.value, source=D.SYSTEMIC_SHARE.source, confidence=D.SYSTEMIC_SHARE.confidence, value2=D.SALES_FACTOR_CORRELATION.value, value3=D.SALES_SYSTEMIC_SHARE.value, confidence2=D.SALES_SYSTEMIC_SHARE.confidence, value4=D.WRAP_SYSTEMIC_SHARE.value, confidence3=D.WRAP_SYSTEMIC_SHARE.confidence))

    notes = sorted(deal.notes, key=lambda n: (n.seniority, n.id))
    C = len(notes)
    if any(n.outstanding is not None for n in notes):
        assumptions[N_("seasoned")] = (N_("the notes are modelled from their balances outstanding at the as-of date ")
                                   + ", ".join(f"{n.id} {note_balance(n):,.0f}" for n in notes)
                                   + N_("; each amortises straight-line from there to its expected maturity"))
    revolving_end = sum(end <= deal.revolving.until for end in period_ends) if deal.revolving else 0  # periods it covers
    schedule = np.zeros((C, T))
    final_period = np.zeros(C, dtype=np.int64)
    for c, note in enumerate(notes):
        final_period[c] = min(period_index(period_ends, note.legal_final), T - 1)
        target_end = min(period_index(period_ends, note.expected_maturity or note.legal_final), T - 1)
        if note.amortisation in ("sequential", "pro_rata", "bullet"):
            # Straight-line to the expected maturity (or legal final), from the end of any revolving period; a bullet
            # class accumulates on the same schedule in a principal ledger and is repaid at once (ipsa's convention,
            # stated in the report).
            steps = np.arange(1, T + 1) - revolving_end
            span = max(target_end + 1 - revolving_end, 1)
            schedule[c] = np.clip(note_balance(note) * (1 - np.maximum(steps, 0) / span), 0, None)
        # pass_through: the schedule is zero, all available principal is paid
    rate = _coupon_paths(deal, notes, as_of, period_ends)
    note_inputs = NoteInputs(
        ids=[n.id for n in notes], balance=np.array([note_balance(n) for n in notes]), coupon=rate[:, 0].copy(),
        final_period=final_period, schedule=schedule,
        pass_through=np.array([n.amortisation == "pass_through" for n in notes]),
        bullet=np.array([n.amortisation == "bullet" for n in notes]),
        pro_rata=any(n.amortisation == "pro_rata" for n in notes),
        seniority=np.array([n.seniority for n in notes], dtype=np.int64),
        residual=np.array([n.residual for n in notes], dtype=bool),
        rate=rate, accrual=_accruals(notes, as_of, period_ends),
    )
    if any(n.floating_over for n in notes):
        assumptions[N_("floating coupons")] = (N_("a floating class pays its curve's rate at the start of each period plus its "
                                           "margin (the coupon field); the curve is flat after its last point"))
    assumptions[N_("coverage")] = (N_("debt-service coverage as the documents define it: the period's collections less wrap "
                               "premiums and senior fees, over the period's interest at the coupon and its scheduled "
                               "principal (no catch-up of earlier shortfalls)"))
    wraps = []
    wrap_corr, wrap_licensee, wrap_obligor, wrap_first = [], [], [], []
    first_of_group: dict[str, int] = {}
    for w, wrap in enumerate(deal.credit_enhancement.wraps):
        provider = deal.party(wrap.provider)
        pd, source = D.annual_pd(provider.rating, provider.default_probability)
        wraps.append(WrapInputs(provider.id, np.array([n.id in wrap.covers for n in notes]), wrap.limit or math.inf,
                                wrap.premium_rate or 0.0, pd, source))
        top = group_of.get(provider.id, provider.id)
        wrap_corr.append(D.WRAP_SYSTEMIC_SHARE.value * D.basel_correlation(pd))
        wrap_licensee.append(licensee_index.get(provider.id, -1))
        wrap_obligor.append(representative.get(top, -1))
        wrap_first.append(first_of_group.setdefault(top, w))
        if wrap_licensee[-1] >= 0:
            how = N_("it is also a licensee of the pool: one default time for both roles")
        elif wrap_obligor[-1] >= 0:
            how = msg("it belongs to the obligor group of {value}: one latent default variable",
                      value=licensee_ids[wrap_obligor[-1]])
        else:
            how = msg("asset correlation {value:.2f} with the economy-wide factor (wrong-way risk)", value=wrap_corr[-1])
        assumptions[msg("default {id}", id=provider.id)] = (msg("annual PD {pd:.2%} ({source}); the {kind} pays only while its provider survives; {how}",
                                                     pd=pd, source=source, kind=wrap.kind, how=how))
    reserve = deal.credit_enhancement.reserve
    interest_per_period = float(note_inputs.balance @ note_inputs.coupon) / periods_per_year
    target = 0.0
    if reserve:
        target = reserve.target_amount if reserve.target_amount is not None else (
            (reserve.target_months_interest or 0) * interest_per_period * periods_per_year / 12)
    ids = [n.id for n in notes]
    triggers = [Trigger(t.test, t.threshold, t.periods, t.consequence, t.trap_share if t.trap_share is not None else 1.0,
                        name=f"{k + 1} ({t.test}{f' over {t.lookback_periods} periods' if t.lookback_periods > 1 else ''} "
                             f"< {t.threshold:g}: {t.consequence.replace('_', ' ')})",
                        cure_periods=t.cure_periods if t.cure_periods is not None else
                        (None if t.consequence == "rapid_amortisation" else 1),
                        applies=np.array([i in t.applies_to for i in ids], dtype=bool), lookback=t.lookback_periods)
                for k, t in enumerate(deal.credit_enhancement.triggers)]
    fees = [FeeInputs(f.id, f.annual_rate or 0.0, f.annual_amount or 0.0,
                      f.cap_per_year if f.cap_per_year is not None else math.inf) for f in deal.fees]
    if fees:
        assumptions[N_("fees")] = joined([
            msg("{fee} ({kind}, to {payee}): ", fee=f.id, kind=f.kind, payee=f.payee)
            + joined(([msg("{annual_rate:.3%} of the debt outstanding", annual_rate=f.annual_rate)] if f.annual_rate else [])
                     + ([msg("{amount:,.0f}", amount=f.annual_amount)] if f.annual_amount else []), " + ")
            + N_(" a year")
            + (msg(", capped at {cap_per_year:,.0f} a year at the senior step", cap_per_year=f.cap_per_year)
               if f.cap_per_year is not None else "")
            for f in deal.fees], "; ")
    debt = np.array([not n.residual for n in notes])
    steps = [StepInputs(step.pay, np.array([ids.index(i) for i in step.classes] if step.classes else np.nonzero(debt)[0],
                                           dtype=np.int64)) for step in deal.waterfall]
    oc_ratio = deal.credit_enhancement.overcollateralisation
    debt_balance = float(note_inputs.balance[debt].sum())
    oc_rate = float(note_inputs.balance[debt] @ note_inputs.coupon[debt]) / debt_balance if debt_balance else 0.0
    expected_total = _expected_paid(base, active, schedule_of, loan_inputs).sum(axis=0)
    discount = (1 + oc_rate / periods_per_year) ** -np.arange(1, T + 1)
    # PV at the end of period t of the royalties of periods t+1..T-1: discounted back to t.
    tail = np.concatenate([np.cumsum((expected_total * discount)[::-1])[::-1][1:], [0.0]])
    oc_remaining_pv = tail / discount
    if oc_ratio:
        assumptions[N_("overcollateralisation")] = (
            msg("the present value of the royalties still to come (the contractual forecast at the notes' "
                "average coupon {oc_rate:.2%}, scaled by the path's collections against the forecast that "
                "period) must be at least {oc_ratio:g}x the debt outstanding; below it, cash after "
                "scheduled principal pays principal sequentially", oc_rate=oc_rate, oc_ratio=oc_ratio))
    assumptions[N_("waterfall")] = (N_("the deal's priority of payments: ") + ", ".join(
        s.pay + (f" ({', '.join(s.classes)})" if s.classes else "") for s in deal.waterfall)
        if deal.waterfall else N_("ipsa's default priority of payments: premiums, senior fees, interest by seniority, "
        "reserve, principal, overcollateralisation where set, subordinated fees, residual"))
    # Each licence's expected royalty spread evenly over its patents; `np.add.at` adds a patent's shares in licence
    # order, as a loop over the licences would.
    weight = np.zeros(P)
    if covered_columns:
        counts = np.array([len(columns) for columns in covered_columns])
        np.add.at(weight, np.concatenate(covered_columns), np.repeat(base[:L] / counts, counts))
    revolving_inputs = None
    if deal.revolving is not None:
        r = deal.revolving
        m = max(int(round(r.eligible_term_years * periods_per_year)), 1)
        y = r.eligible_yield / periods_per_year
        revolving_inputs = RevolvingInputs(
            end=revolving_end, payment_per_unit=y / (1 - (1 + y) ** -m), term=m,
            purchases=r.purchases_per_period if r.purchases_per_period is not None else math.inf,
            vfn=[n.id for n in notes].index(r.variable_funding_note) if r.variable_funding_note else -1,
            commitment=next((n.commitment for n in notes if n.id == r.variable_funding_note), 0.0) or 0.0)
        assumptions[N_("revolving")] = (
            msg("until {until} the cash that would amortise the notes buys further receivables", until=r.until)
            + (msg(" (up to {purchases_per_period:,.0f} a period, the variable funding note "
                   "{variable_funding_note} drawn up to its commitment for what collections do not cover)",
                   purchases_per_period=r.purchases_per_period, variable_funding_note=r.variable_funding_note) if r.purchases_per_period is not None else "")
            + msg(", paying level amounts at {eligible_yield:.2%} a year over {eligible_term_years:g} years "
                  "and performing as the pool does on that path (its collections against forecast); a rapid "
                  "amortisation ends the period early",
                  eligible_yield=r.eligible_yield, eligible_term_years=r.eligible_term_years))
    return PoolInputs(
        as_of=as_of, periods_per_year=periods_per_year, period_ends=period_ends, licences=[sid for sid, _ in streams],
        licensees=licensee_ids, licence_licensee=np.array([licensee_index[o] for _, o in streams], dtype=np.int64),
        loans=loan_inputs,
        licence_group=licence_group, groups=groups, base=base, floor=floor, sales_exposed=exposed, sigma=sigma, mu=mu,
        active=active, patents=patent_ids, incidence=incidence, expiry_period=expiry_period, invalid_prob=invalid_prob,
        invalid_window=invalid_window, invalid_hazard=invalid_hazard, lapse_prob=lapse_prob, lapse_period=lapse_period,
        licensee_pd=licensee_pd, licensee_corr=licensee_corr, licensee_group=licensee_group, notes=note_inputs,
        wraps=wraps, reserve_target=target,
        reserve_initial=(reserve.balance if reserve.balance is not None else reserve.funded_at_close) if reserve else 0.0,
        triggers=triggers, assumptions=assumptions, patent_weight=weight, fees=fees, steps=steps, erodes=erodes,
        pay_schedule=schedule_of, revolving=revolving_inputs,
        oc_ratio=oc_ratio, oc_remaining_pv=oc_remaining_pv,
        licensee_systemic=licensee_systemic, licensee_obligor=licensee_obligor,
        sales_systemic=D.SALES_SYSTEMIC_SHARE.value, wrap_corr=np.array(wrap_corr, dtype=float),
        wrap_licensee=np.array(wrap_licensee, dtype=np.int64), wrap_obligor=np.array(wrap_obligor, dtype=np.int64),
        wrap_first=np.array(wrap_first, dtype=np.int64),
    )


def _loans(loans, as_of: dt.date, period_ends: list[dt.date], per_year: int, assumptions: dict[str, str]) -> LoanInputs:
    """Each loan's schedule on the model's periods (equal principal, annuity or bullet, repaid by maturity), and its
    recovery: the pledged IP's value times the recovery rate, capped at the principal then owed, `recovery_months`
    after default; an unregistered pledge recovers nothing (the pool holds an unsecured claim)."""
    T = len(period_ends)
    M = len(loans)
    payments, outstanding = np.zeros((M, T)), np.zeros((M, T))
    rate, cap, lag = np.zeros(M), np.full(M, np.inf), np.zeros(M, dtype=np.int64)
    for m, loan in enumerate(loans):
        n = max(period_index(period_ends, loan.maturity) + 1, 1)
        balance, r = loan.principal, loan.rate / per_year
        for t in range(min(n, T)):
            outstanding[m, t] = balance
            if loan.amortisation == "bullet":
                principal = balance if t == n - 1 else 0.0
            elif loan.amortisation == "annuity" and r > 0:
                principal = balance * r / ((1 + r) ** (n - t) - 1)
            else:
                principal = balance / (n - t)
            payments[m, t] = balance * r + principal
            balance -= principal
        registered = loan.pledge_registered is True
        rate[m] = (loan.recovery_rate if loan.recovery_rate is not None else D.IP_PLEDGE_RECOVERY.value) if registered else 0.0
        if loan.collateral_value is not None:
            cap[m] = loan.collateral_value * rate[m]
        lag[m] = int(round(loan.recovery_months / 12 * per_year))
        assumptions[msg("loan {id}", id=loan.id)] = (
            msg("{amortisation} repayment of {principal:,.0f} at {rate:.2%} by {maturity}; ",
                amortisation=loan.amortisation.replace('_', ' '), principal=loan.principal, rate=loan.rate, maturity=loan.maturity)
            + (msg("on the borrower's default the pledged IP recovers {value:.0%} of ", value=rate[m])
               + (N_("its appraised value, at most the principal then owed") if loan.collateral_value is not None else N_("the principal then owed"))
               + msg(", {recovery_months} months later", recovery_months=loan.recovery_months)
               + ("" if loan.recovery_rate is not None else msg(" ({source}, {confidence})", source=D.IP_PLEDGE_RECOVERY.source,
                                                                confidence=D.IP_PLEDGE_RECOVERY.confidence))
               if registered else N_("the pledge is not registered, so no recovery from the IP is counted")))
    return LoanInputs([loan.id for loan in loans], payments, outstanding, rate, cap, lag)


def _other(deal, asset_id: str):
    """The copyright, trademark or other IP with this id, or None for a patent."""
    try:
        return deal.other(asset_id)
    except StopIteration:
        return None


def asset_group(deal, asset_id: str) -> str:
    """The correlation group of a licensed asset: a patent's technology class, another asset's category or kind."""
    other = _other(deal, asset_id)
    if other is not None:
        return other.category or other.kind
    return deal.patent(asset_id).technology or "unclassified"


def asset_family(deal, asset_id: str) -> str:
    """A licensed asset's family for concentration: a patent's family, another asset's category or own id."""
    other = _other(deal, asset_id)
    if other is not None:
        return other.category or other.id
    return deal.patent(asset_id).family or asset_id


def asset_expiry(deal, asset_id: str) -> dt.date | None:
    other = _other(deal, asset_id)
    return other.expiry_date if other is not None else deal.patent(asset_id).expiry_date


PRE_CLOSING = 8  # model periods before closing whose royalties may still be paid after it (annual, a year late)


def _payment_schedule(lic, as_of: dt.date, period_ends: list[dt.date], periods_per_year: int) -> np.ndarray | None:
    """[PRE_CLOSING + T, T] 0/1: the royalty accrued in model period s is paid in period t; the first PRE_CLOSING
    rows are the periods before closing, whose royalties are paid after it and belong to the SPV (it buys what is
    paid after the cut-off). None where the licence pays every period as it accrues (its frequency at least the
    model's and no lag). Payment dates run from the licence's start every 12/frequency months; what accrued since
    the last payment date is paid at the next one, `payment_lag_days` later; a payment after the last period is
    beyond the notes and dropped."""
    per_year = PERIODS_PER_YEAR[lic.royalty.frequency]
    lag = lic.royalty.payment_lag_days
    if per_year >= periods_per_year and not lag:
        return None
    T = len(period_ends)
    step = 12 // periods_per_year
    months = 12 // min(per_year, periods_per_year)
    before = [add_months(as_of, -step * k) for k in range(PRE_CLOSING - 1, -1, -1)]  # ends of periods up to closing
    first = min(lic.start, before[0])
    dates, k = [], 0
    while not dates or dates[-1] < period_ends[-1] + dt.timedelta(days=366):
        day = add_months(lic.start, months * k)
        if day >= first - dt.timedelta(days=366):
            dates.append(day)
        k += 1
    matrix = np.zeros((PRE_CLOSING + T, T))
    for s, end in enumerate(before + period_ends):
        if end <= lic.start:
            continue  # nothing accrued before the licence began
        due = next(d for d in dates if d >= end) + dt.timedelta(days=lag)
        if due <= as_of:
            continue  # paid before closing: the seller's
        t = period_index(period_ends, due)
        if t < T:
            matrix[s, t] = 1.0
    return matrix


def _expected_paid(base: np.ndarray, active: np.ndarray, schedules, loans: "LoanInputs | None" = None) -> np.ndarray:
    accrued = base[:, None] * active
    if loans is not None:  # a loan's contractual cash is its repayment schedule
        accrued[len(base) - len(loans.ids):] = loans.payments
    if schedules:
        for index, matrix in enumerate(schedules):
            if matrix is not None:
                accrued[index] = accrued[index] @ matrix[PRE_CLOSING:] + base[index] * matrix[:PRE_CLOSING].sum(axis=0)
    return accrued


def note_balance(note) -> float:
    """A class's balance at the as-of date: what a seasoned deal says is outstanding, else the amount issued."""
    return note.outstanding if note.outstanding is not None else note.amount


def _period_starts(as_of: dt.date, period_ends: list[dt.date]) -> list[dt.date]:
    return [as_of] + period_ends[:-1]


def _coupon_paths(deal, notes, as_of: dt.date, period_ends: list[dt.date]) -> np.ndarray:
    """[C, T] annual coupon of each period: fixed, or the curve's rate at the period's start plus the margin."""
    starts = _period_starts(as_of, period_ends)
    curves = {c.id: c for c in deal.rate_curves}
    out = np.zeros((len(notes), len(period_ends)))
    for c, note in enumerate(notes):
        if note.residual:
            continue
        if note.floating_over is None:
            out[c] = note.coupon
            continue
        points = curves[note.floating_over].points
        for t, start in enumerate(starts):
            applicable = [p.rate for p in points if p.start <= start]
            out[c, t] = (applicable[-1] if applicable else points[0].rate) + note.coupon
    return out


def _accruals(notes, as_of: dt.date, period_ends: list[dt.date]) -> np.ndarray:
    """[C, T] year fraction of each period under each class's day count (30/360 counts whole months as 30 days)."""
    starts = _period_starts(as_of, period_ends)
    out = np.zeros((len(notes), len(period_ends)))
    for t, (start, end) in enumerate(zip(starts, period_ends)):
        days = (end - start).days
        d1 = min(start.day, 30)
        d2 = min(end.day, 30) if d1 == 30 else end.day  # 30/360 bond basis
        thirty = 360 * (end.year - start.year) + 30 * (end.month - start.month) + (d2 - d1)
        for c, note in enumerate(notes):
            out[c, t] = {"30/360": thirty / 360, "act/360": days / 360, "act/365": days / 365}[note.day_count]
    return out


def _obligor_groups(deal) -> dict[str, str]:
    """Each party's obligor group, named by its top party: follow owners holding more than half of it (among the deal's
    parties) up the chain; a party without such an owner heads its own group."""
    parties = {p.id: p for p in deal.parties}
    out = {}
    for party_id in parties:
        chain = [party_id]
        while True:
            owner = next((h.owner for h in parties[chain[-1]].owners
                          if h.share > D.GROUP_CONTROL_SHARE.value and h.owner in parties), None)
            if owner is None:
                out[party_id] = chain[-1]
                break
            if owner in chain:  # parties owning each other: the cycle's first id in order heads the group
                out[party_id] = min(chain[chain.index(owner):])
                break
            chain.append(owner)
    return out
