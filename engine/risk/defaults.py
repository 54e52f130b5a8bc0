"""Documented defaults of the risk model. Every figure names its source and a confidence mark (H primary, M
secondary or derived, L ipsa's assumption with no published figure); `../shared/research/risk-parameters.md` holds
the research table. A deal's own data (payment history, a licensee's PD) always takes precedence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Sourced:
    value: float
    source: str
    confidence: str  # H, M or L


# -- invalidation ------------------------------------------------------------------------------------------------
PTAB_INSTITUTION_RATE = Sourced(0.769, "Merchant & Gould PTAB statistics: 76.9% of merits decisions instituted", "H")
PTAB_ALL_CLAIMS_INVALID = Sourced(0.6327, "Finnegan PTAB statistics: 63.27% of 4,274 final written decisions left no instituted claim", "H")
COURT_INVALIDITY = Sourced(0.46, "Allison & Lemley, 26 AIPLA Q.J. 185 (1998): about 46% of patents litigated to judgment held invalid", "H")
CHALLENGE_RESOLUTION_QUARTERS = Sourced(6, "35 U.S.C. §316(a)(11): final decision within one year of institution, after about six months to institute", "M")
ANNUAL_CHALLENGE_RATE = Sourced(
    0.0015, "Lemley, 95 Nw. U. L. Rev. 1495 (2001): about 1.5% of patents are ever litigated, spread over about ten years of life", "M")

# -- lapse -------------------------------------------------------------------------------------------------------
# Share of the 1996 US grant cohort that did NOT pay each maintenance fee, given it paid the previous one
# (84% / 63% / 49% paid the first / second / third fee: Patently-O, 2009 and 2012).
MAINTENANCE_NONPAYMENT = (
    Sourced(1 - 0.84, "Patently-O (2009, 2012): 84% of the 1996 cohort paid the 3.5-year fee", "H"),
    Sourced(1 - 0.63 / 0.84, "Patently-O: 63% paid the 7.5-year fee", "H"),
    Sourced(1 - 0.49 / 0.63, "Patently-O: 49% paid the 11.5-year fee", "H"),
)
MAINTENANCE_FEE_YEARS = (3.5, 7.5, 11.5)  # 35 U.S.C. §41(b), H

# -- erosion after expiry ----------------------------------------------------------------------------------------
EROSION_AT_TWO_YEARS = Sourced(0.49, "Grabowski & Vernon, J. Law & Econ. 35:331 (1992): average generic share two years after expiry", "H")
EROSION_QUARTERS = 8

# -- sales -------------------------------------------------------------------------------------------------------
SALES_VOLATILITY = Sourced(0.20, "ipsa assumption: no published figure for licensees' sales volatility; calibrated from history where given", "L")
SALES_FACTOR_CORRELATION = Sourced(0.30, "ipsa assumption: share of sales variance from the technology factor", "L")

# -- licensee and guarantor default ------------------------------------------------------------------------------
# Long-run average one-year corporate default rates by rating (S&P Global Ratings, Annual Global Corporate
# Default and Rating Transition Study, 1981-2022 averages), M: figures from the published study, not re-read here.
RATING_PD: dict[str, float] = {
    "AAA": 0.0001, "AA+": 0.0002, "AA": 0.0002, "AA-": 0.0003, "A+": 0.0004, "A": 0.0005, "A-": 0.0007,
    "BBB+": 0.0010, "BBB": 0.0015, "BBB-": 0.0025, "BB+": 0.0035, "BB": 0.0060, "BB-": 0.0110,
    "B+": 0.0200, "B": 0.0310, "B-": 0.0550, "CCC": 0.2680, "CC": 0.2680, "C": 0.2680, "D": 1.0,
}
RATING_PD_SOURCE = Sourced(0.0, "S&P Global Ratings, 1981-2022 average one-year default rates by rating (notches interpolated)", "M")
UNRATED_PD = Sourced(0.0060, "ipsa assumption: an unrated counterparty without a PD is treated as BB", "L")


def basel_correlation(pd: float) -> float:
    """Asset correlation of the Basel II IRB corporate formula (BCBS, June 2006, para 272), H."""
    weight = (1 - math.exp(-50 * pd)) / (1 - math.exp(-50))
    return 0.12 * weight + 0.24 * (1 - weight)


def annual_pd(rating: str | None, default_probability: float | None) -> tuple[float, str]:
    """A counterparty's annual PD and where it came from."""
    if default_probability is not None:
        return default_probability, "deal input"
    if rating and rating in RATING_PD:
        return RATING_PD[rating], f"rating {rating}: {RATING_PD_SOURCE.source}"
    return UNRATED_PD.value, UNRATED_PD.source


def all_defaults() -> dict[str, Sourced]:
    """Every sourced default, for the report's assumptions table."""
    return {name: value for name, value in globals().items() if isinstance(value, Sourced)} | {
        f"MAINTENANCE_NONPAYMENT_{n + 1}": s for n, s in enumerate(MAINTENANCE_NONPAYMENT)}
