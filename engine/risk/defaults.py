"""Documented defaults of the risk model. Every figure names its source and a confidence mark (H primary, M
secondary or derived, L ipsa's assumption with no published figure); `../shared/research/risk-parameters.md` holds
the research table. A deal's own data (payment history, a licensee's PD) always takes precedence.
"""

from __future__ import annotations

from ipsa.engine.text import N_, msg
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Sourced:
    value: float
    source: str
    confidence: str  # H, M or L


# -- invalidation ------------------------------------------------------------------------------------------------
PTAB_INSTITUTION_RATE = Sourced(0.769, N_("Merchant & Gould PTAB statistics: 76.9% of merits decisions instituted"), "H")
PTAB_ALL_CLAIMS_INVALID = Sourced(0.6327, N_("Finnegan PTAB statistics: 63.27% of 4,274 final written decisions left no instituted claim"), "H")
COURT_INVALIDITY = Sourced(0.46, N_("Allison & Lemley, 26 AIPLA Q.J. 185 (1998): about 46% of patents litigated to judgment held invalid"), "H")
CHALLENGE_RESOLUTION_QUARTERS = Sourced(6, N_("35 U.S.C. §316(a)(11): final decision within one year of institution, after about six months to institute"), "M")
ANNUAL_CHALLENGE_RATE = Sourced(
    0.0015, N_("Lemley, 95 Nw. U. L. Rev. 1495 (2001): about 1.5% of patents are ever litigated, spread over about ten years of life"), "M")

# -- lapse -------------------------------------------------------------------------------------------------------
# Share of the 1996 US grant cohort that did NOT pay each maintenance fee, given it paid the previous one
# (84% / 63% / 49% paid the first / second / third fee: Patently-O, 2009 and 2012).
MAINTENANCE_NONPAYMENT = (
    Sourced(1 - 0.84, N_("Patently-O (2009, 2012): 84% of the 1996 cohort paid the 3.5-year fee"), "H"),
    Sourced(1 - 0.63 / 0.84, N_("Patently-O: 63% paid the 7.5-year fee"), "H"),
    Sourced(1 - 0.49 / 0.63, N_("Patently-O: 49% paid the 11.5-year fee"), "H"),
)
MAINTENANCE_FEE_YEARS = (3.5, 7.5, 11.5)  # 35 U.S.C. §41(b), H

# -- erosion after expiry ----------------------------------------------------------------------------------------
EROSION_AT_TWO_YEARS = Sourced(0.49, N_("Grabowski & Vernon, J. Law & Econ. 35:331 (1992): average generic share two years after expiry"), "H")
EROSION_QUARTERS = 8

# -- copyrights and trademarks ------------------------------------------------------------------------------------
# A trademark registration runs for ten years and is renewed for ten more on request (e.g. 15 U.S.C. §1059, PRC
# Trademark Law Arts 39-40, Japan Trademark Act Art 19); a licensed brand earning royalties is normally renewed, and
# no published non-renewal rate for licensed marks was found.
TRADEMARK_NON_RENEWAL = Sourced(
    0.05, N_("ipsa assumption: chance that a licensed trademark is not renewed at the end of its term (no published rate "
    "for licensed marks was found)"), "L")
OTHER_IP_INVALIDITY = Sourced(
    0.0, N_("ipsa assumption: copyrights and registered trademarks earning royalties are not modelled as invalidated "
    "(no published rate for such challenges was found)"), "L")

IP_PLEDGE_RECOVERY = Sourced(
    0.30, N_("ipsa assumption: share of a pledged patent's or trademark's appraised value realised when a defaulted "
    "borrower's IP is enforced (no published recovery rate for IP-pledge loans was found; IP sold in distress fetches "
    "well below its appraisal)"), "L")

# -- sales -------------------------------------------------------------------------------------------------------
SALES_VOLATILITY = Sourced(0.20, N_("ipsa assumption: no published figure for licensees' sales volatility; calibrated from history where given"), "L")
SALES_FACTOR_CORRELATION = Sourced(0.30, N_("ipsa assumption: share of sales variance from common factors (economy and technology class together)"), "L")
SALES_SYSTEMIC_SHARE = Sourced(
    1 / 3, N_("ipsa assumption: the economy-wide part of the sales-factor correlation, set at the same one-third split as "
    "licensee defaults (no published figure for licensees' sales)"), "L")

# -- licensee and guarantor default ------------------------------------------------------------------------------
# Long-run average one-year corporate default rates by rating (S&P Global Ratings, Annual Global Corporate
# Default and Rating Transition Study, 1981-2022 averages), M: figures from the published study, not re-read here.
RATING_PD: dict[str, float] = {
    "AAA": 0.0001, "AA+": 0.0002, "AA": 0.0002, "AA-": 0.0003, "A+": 0.0004, "A": 0.0005, "A-": 0.0007,
    "BBB+": 0.0010, "BBB": 0.0015, "BBB-": 0.0025, "BB+": 0.0035, "BB": 0.0060, "BB-": 0.0110,
    "B+": 0.0200, "B": 0.0310, "B-": 0.0550, "CCC": 0.2680, "CC": 0.2680, "C": 0.2680, "D": 1.0,
}
RATING_PD_SOURCE = Sourced(0.0, N_("S&P Global Ratings, 1981-2022 average one-year default rates by rating (notches interpolated)"), "M")
UNRATED_PD = Sourced(0.0060, N_("ipsa assumption: an unrated counterparty without a PD is treated as BB"), "L")


# -- correlation structure -----------------------------------------------------------------------------------------
# A licensee's latent variable is sqrt(rho_sys) Z + sqrt(rho - rho_sys) G_class + sqrt(1 - rho) e: Z is economy-wide,
# G_class is its technology class's factor, rho the Basel IRB correlation for its PD (so two licensees of one class
# keep the Basel correlation, as before) and rho_sys = SYSTEMIC_SHARE x rho the part that licensees in different
# classes share. No public source splits the Basel correlation into economy and sector parts; one third follows the
# ratio of the between-industry to the within-industry asset correlation in S&P's corporate CDO criteria (about 5%
# against 15%: "Update To Global Methodologies And Assumptions For Corporate Cash Flow And Synthetic CDOs",
# September 2009; figures as recalled, not re-read here), hence L.
SYSTEMIC_SHARE = Sourced(
    1 / 3, N_("ipsa assumption: the economy-wide share of a licensee's Basel asset correlation, one third after the ratio of "
    "between- to within-industry asset correlation (about 5% to 15%) in S&P's 2009 corporate CDO criteria (not re-read here)"), "L")
# A wrap provider or guarantor (a monoline, an insurer, a bank) carries the credit cycle of the whole economy rather
# than one technology class: its whole Basel correlation for its own PD loads on the economy-wide factor, so it tends
# to fail in the states in which the licensees fail (wrong-way risk).
WRAP_SYSTEMIC_SHARE = Sourced(
    1.0, N_("ipsa assumption: a wrap provider's or guarantor's whole Basel asset correlation (for its own PD) is with the "
    "economy-wide factor, its book spanning the economy; the monolines' 2007-2009 failures alongside their insured "
    "portfolios are the cautionary case"), "L")
# Parties more than half owned, directly or up a chain, by another party of the deal form one obligor group: one
# latent variable for the group, so its members default together (each at its own PD: equal PDs, one default time).
GROUP_CONTROL_SHARE = Sourced(
    0.5, N_("IFRS 10 para B35: more than half of the voting rights gives power over the investee (control); treating a "
    "controlled group as one obligor with one latent default variable is ipsa's assumption"), "M")


def basel_correlation(pd: float) -> float:
    """Asset correlation of the Basel II IRB corporate formula (BCBS, June 2006, para 272), H."""
    weight = (1 - math.exp(-50 * pd)) / (1 - math.exp(-50))
    return 0.12 * weight + 0.24 * (1 - weight)


def annual_pd(rating: str | None, default_probability: float | None) -> tuple[float, str]:
    """A counterparty's annual PD and where it came from."""
    if default_probability is not None:
        return default_probability, N_("deal input")
    if rating and rating in RATING_PD:
        return RATING_PD[rating], msg("rating {rating}: {source}", rating=rating, source=RATING_PD_SOURCE.source)
    return UNRATED_PD.value, UNRATED_PD.source


def all_defaults() -> dict[str, Sourced]:
    """Every sourced default, for the report's assumptions table."""
    return {name: value for name, value in globals().items() if isinstance(value, Sourced)} | {
        f"MAINTENANCE_NONPAYMENT_{n + 1}": s for n, s in enumerate(MAINTENANCE_NONPAYMENT)}


# -- targets: published multi-year cumulative default rates ---------------------------------------------------------
# The target default probability of a rated class over its life is the published average CUMULATIVE default rate of
# its rating category at that horizon, not the one-year rate compounded (which about halves it: 0.295% against
# 0.57% for A over six years). `cumulative_default_rates.yaml` holds S&P's Table 24 (1981-2024, years 1 to 15) as
# transcribed in two independent public copies that agree figure for figure; it was not read at S&P's own page (see
# the file's header), hence M. A notched rating takes its category's row (A+, A and A- the A row): the by-notch table
# rests on one copy only and is not monotone across notches.
def _cumulative_table() -> dict:
    from pathlib import Path

    from ruamel.yaml import YAML

    return YAML(typ="safe").load((Path(__file__).with_name("cumulative_default_rates.yaml")).read_text(encoding="utf-8"))


CUMULATIVE = _cumulative_table()
CUMULATIVE_SOURCE = Sourced(
    0.0, N_("S&P Global Ratings, 2024 Annual Global Corporate Default And Rating Transition Study, Table 24: global corporate "
    "average cumulative default rates 1981-2024, as transcribed in two public copies that agree (not read at S&P's page)"), "M")


def rating_category(rating: str) -> str:
    if rating in ("CCC", "CC", "C", "D") or rating.startswith("CCC"):
        return "CCC/C"
    return rating.rstrip("+-")


def cumulative_default_rate(rating: str, years: float) -> float:
    """The published average cumulative default rate of the rating's category over `years`: linear between whole
    years, pro rata below one year, and beyond fifteen years the fifteenth year's increment carried on."""
    row = [v / 100 for v in CUMULATIVE["by_category"][rating_category(rating)]]
    years = max(float(years), 0.0)
    if years <= 1:
        return row[0] * years
    if years >= len(row):
        return min(row[-1] + (row[-1] - row[-2]) * (years - len(row)), 1.0)
    low = int(years)
    return row[low - 1] + (row[low] - row[low - 1]) * (years - low)
