"""Risk findings cited to rating-agency criteria and market practice (never to law), one shape for every jurisdiction.

The risk core's results reach the rule base as the `risk` fact (senior default probability against its target,
guarantor dependence, residual patent life against the tenor, the largest licensee's share) beside the deal's
`concentration` and `role_conflict` facts. Rating agencies, not statutes, judge these: a pool resting on one
licensee or one patent family, a licensee that also supports the notes, notes whose quality rests on a guarantor or
insurer, a senior class above the default probability its target rating stands for, patents that end before the
notes. `risk_practice_rules` writes the six rules once; each jurisdiction's supervision module instantiates them for
the deals whose SPV it seats, with that jurisdiction's own `market_practice` instruments.

Every rule joins the `risk` fact, so these findings appear when the risk model ran (as CN-SUP-006 and VN-SUP-003).

The benchmarks below are ipsa's assumptions, not figures any agency publishes in this form (the criteria read say
that concentration, third-party dependence and the sovereign can cap a rating, without a single share that
triggers it); each finding says so where it applies one:

- SINGLE_OBLIGOR_SHARE: above a fifth of the expected royalties from one licensee, ipsa treats the pool as
  non-granular and asks whether the senior class survives that licensee's default at once (the risk core's
  `largest_licensee_default` stress).
- SINGLE_ASSET_SHARE: above half of the royalties on one patent family, one invalidation, design-around or expiry
  ends most of the income; SINGLE_ASSET_NOTE (a fifth) is where ipsa starts to mention the concentration.
- MATERIAL_RISE: where no target default probability is known, a rise of the senior default probability of one
  percentage point under a stress is material (the threshold VN-SUP-003 uses).
- Z_95 and the zero-default bound: the senior default probability is compared with its target through a two-sided
  95% band (1.96 standard errors); with no default on any path the exact one-sided 95% upper bound
  1 - 0.05^(1/paths) (about 3/paths) replaces the zero standard error. A stressed default probability (largest
  licensee, support providers) is judged the same way with its binomial standard error over the stress's paths
  (the risk fact's `stress_paths`): above the target only on the point estimate is "within simulation error", not a
  breach.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ipsa.engine.text import N_, msg
from ipsa.engine.conditions import Condition
from ipsa.engine.rulekit import Find, On, Rule, this
from ipsa.knowledge_base import CitationRef

SINGLE_OBLIGOR_SHARE = 0.20  # ipsa's assumption (module docstring)
SINGLE_ASSET_SHARE = 0.50  # ipsa's assumption
SINGLE_ASSET_NOTE = 0.20  # ipsa's assumption
MATERIAL_RISE = 0.01  # ipsa's assumption, as VN-SUP-003
Z_95 = 1.96
PRACTICE = N_("rating-agency criteria and market practice, not law")


@dataclass(frozen=True)
class Practice:
    """Market-practice citations (rating criteria) and their gist in ipsa's words, for one kind of finding."""

    cites: tuple[CitationRef, ...]
    gist: str


CONCENTRATION_GIST = (
    N_("Rating agencies analyse a pool of few obligors obligor by obligor rather than as a granular portfolio, test the notes "
    "against the default of the largest obligors, and can cap a structured rating for obligor or asset concentration. No "
    "agency publishes one share above which it acts; the benchmarks the findings apply are ipsa's."))
COUNTERPARTY_GIST = (
    N_("Where unconditional third-party support (a guarantee, insurance or a letter of credit) carries the notes, rating "
    "agencies link the notes' rating to the support provider's (credit substitution), and dependence on a third party can "
    "cap a structured rating; support from a party whose own failure is the risk it covers (a licensee guaranteeing the "
    "notes its royalties pay) protects least when it is needed."))
TARGET_GIST = (
    N_("A rating stands for a default probability: the agencies' default studies give the default rates by rating from which "
    "ipsa's risk core takes the senior class's target; and a structured rating above the sovereign's must withstand a "
    "sovereign default, so diversification cannot lift the notes above the economy they depend on."))
LIFE_GIST = (
    N_("Rated IP royalty deals size and amortise the notes on royalties within the patents' remaining life, with a tail; "
    "residual patent life is among the success factors of patent-backed deals."))


def practices(prefix: str, *, extra: dict[str, tuple[str, ...]] | None = None,
              notes: dict[str, str] | None = None) -> dict[str, Practice]:
    """The four practice citations of a jurisdiction's risk rules, from its instruments `{prefix}-PRACTICE-...`
    (knowledge_base/<j>/instruments.yaml): the articles every jurisdiction holds, plus `extra` articles by topic
    (concentration, counterparty, target, life) and `notes` by topic on the jurisdiction's own agencies, added to the gist."""
    extra, notes = extra or {}, notes or {}

    def gist(topic: str, text: str) -> str:
        return f"{text} {notes[topic]}" if topic in notes else text

    def cited(instrument: str, topic: str, *articles: str) -> tuple[CitationRef, ...]:
        return tuple(CitationRef(instrument=f"{prefix}-PRACTICE-{instrument}", article=a)
                     for a in articles + extra.get(topic, ()))

    return {
        "concentration": Practice(
            cited("RATING-CONCENTRATION", "concentration", N_("small pools (JCR Eurasia)"), N_("rating caps (Fitch)")),
            gist("concentration", CONCENTRATION_GIST)),
        "counterparty": Practice(
            cited("RATING-COUNTERPARTY", "counterparty", N_("credit substitution (S&P)"), N_("rating caps (Fitch)")),
            gist("counterparty", COUNTERPARTY_GIST)),
        "target": Practice(
            cited("RATING-DEFAULT-RATES", "target", N_("default rates by rating (S&P)"), N_("sovereign cap (S&P)")),
            gist("target", TARGET_GIST)),
        "life": Practice(cited("IP-ROYALTY-TENOR", "life", N_("residual patent life")), gist("life", LIFE_GIST)),
    }


def spv_in(*countries: str) -> Condition:
    """The `risk` fact of a deal whose SPV is established in one of `countries` (ISO codes)."""
    condition: Condition | None = None
    for code in sorted(countries):
        compare = this.spv_country == code
        condition = compare if condition is None else condition | compare
    if condition is None:
        raise ValueError("spv_in needs at least one country")
    return condition


# -- the judgments (plain functions of the facts, tested through the rules) -----------------------------------------

def stress_verdict(pd: float, r: dict) -> str:
    """How a stressed senior default probability stands against the target: "meets" (at or below it), "noise" (above
    it on the point estimate but within 1.96 binomial standard errors over the stress's paths) or "exceeds". Without a
    target, the rise over the unstressed probability is compared with MATERIAL_RISE the same way."""
    n = max(int(r["stress_paths"]), 1)
    se = math.sqrt(max(pd * (1 - pd), 0.0) / n)
    excess = pd - r["target_pd"] if r["target_pd"] >= 0 else pd - r["senior_pd"] - MATERIAL_RISE
    if excess <= 0:
        return "meets"
    return "noise" if excess - Z_95 * se <= 0 else "exceeds"


def _target_text(r: dict) -> str:
    return (msg("the target of {target_pd:.2%}", target_pd=r['target_pd']) if r["target_pd"] >= 0
            else msg("a rise of no more than {material_rise:.0%} (no target is known; ipsa's benchmark)",
                     material_rise=MATERIAL_RISE))


def pd_band(r: dict) -> tuple[float, float]:
    """The 95% band around the simulated senior default probability: (lower, upper). With no default on any path,
    the exact one-sided 95% upper bound 1 - 0.05^(1/paths)."""
    pd, se, paths = r["senior_pd"], r["senior_pd_se"], max(int(r["paths"]), 1)
    if pd <= 0:
        return 0.0, 1 - 0.05 ** (1 / paths)
    return max(pd - Z_95 * se, 0.0), min(pd + Z_95 * se, 1.0)


def _single_obligor(x):
    r, c = x.r, x.c
    share, name, count = c["top_share"], c["top_name"], c["count"]
    stressed = r["largest_licensee_stressed_pd"]
    figures = {"top_licensee_share": share, "largest_licensee_stressed_pd": stressed, "senior_pd": r["senior_pd"]}
    if share <= SINGLE_OBLIGOR_SHARE:
        yield Find("pass", "licensee",
                   msg("No licensee pays more than {single_obligor_share:.0%} of the expected royalties (the "
                       "largest, {name}, pays {share:.0%} across {count} licensees), ipsa's benchmark for a pool "
                       "whose loss is not a single-name event ({practice}).",
                       single_obligor_share=SINGLE_OBLIGOR_SHARE, name=name, share=share, count=count, practice=PRACTICE), figures=figures)
    elif stressed >= 0 and stress_verdict(stressed, r) != "exceeds":
        against = (msg("within {r}", r=_target_text(r)) if stress_verdict(stressed, r) == "meets"
                   else msg("above {r} on the point estimate but within simulation error", r=_target_text(r)))
        yield Find("info", "licensee",
                   msg("{name} pays {share:.0%} of the expected royalties ({count} licensee(s)), above the "
                       "{single_obligor_share:.0%} ipsa treats as a single-name concentration; if it defaulted at "
                       "once the senior default probability would be {stressed:.2%}, {against}, so the senior "
                       "class survives the loss of its largest obligor in the simulation. Rating agencies analyse "
                       "such small pools obligor by obligor ({practice}).",
                       name=name, share=share, count=count, single_obligor_share=SINGLE_OBLIGOR_SHARE, stressed=stressed, against=against, practice=PRACTICE),
                   figures=figures)
    else:
        outcome = (msg("if it defaulted at once the senior default probability would rise from {senior_pd:.2%} to "
                       "{stressed:.2%}, beyond {r}",
                       senior_pd=r['senior_pd'], stressed=stressed, r=_target_text(r)) if stressed >= 0
                   else N_("the risk model did not run the largest-licensee stress"))
        yield Find("risk", "licensee",
                   msg("{name} pays {share:.0%} of the expected royalties ({count} licensee(s)), above the "
                       "{single_obligor_share:.0%} ipsa treats as a single-name concentration, and {outcome}. The "
                       "notes then carry that licensee's own credit: rating agencies analyse a pool of few "
                       "obligors obligor by obligor and can cap the notes' rating for the concentration "
                       "({practice}).",
                       name=name, share=share, count=count, single_obligor_share=SINGLE_OBLIGOR_SHARE, outcome=outcome, practice=PRACTICE), figures=figures)


def _single_asset(x):
    c = x.c
    share, name, count = c["top_share"], c["top_name"], c["count"]
    figures = {"top_family_share": share, "families": float(count)}
    if share > SINGLE_ASSET_SHARE:
        only = N_("the only patent family in the pool") if count == 1 else msg("one of {count} patent families", count=count)
        yield Find("risk", "family",
                   msg("Patent family {name}, {only}, carries {share:.0%} of the expected royalties, above the "
                       "{single_asset_share:.0%} ipsa treats as a single-asset pool: one invalidation, "
                       "design-around or early expiry of that family ends most of the income whatever the "
                       "licensees' credit. Rating agencies treat asset concentration as a reason to cap a "
                       "structured rating ({practice}).",
                       name=name, only=only, share=share, single_asset_share=SINGLE_ASSET_SHARE, practice=PRACTICE), figures=figures)
    elif share > SINGLE_ASSET_NOTE:
        yield Find("info", "family",
                   msg("The largest patent family, {name}, carries {share:.0%} of the expected royalties across "
                       "{count} families: concentrated, but below the {single_asset_share:.0%} ipsa treats as a "
                       "single-asset pool ({practice}).",
                       name=name, share=share, count=count, single_asset_share=SINGLE_ASSET_SHARE, practice=PRACTICE),
                   figures=figures)
    else:
        yield Find("pass", "family",
                   msg("No patent family carries more than {single_asset_note:.0%} of the expected royalties (the "
                       "largest, {name}, {share:.0%} across {count}), ipsa's benchmark for a pool not resting on "
                       "one asset ({practice}).",
                       single_asset_note=SINGLE_ASSET_NOTE, name=name, share=share, count=count, practice=PRACTICE),
                   figures=figures)


def _common_obligor(x):
    r, rc = x.r, x.rc
    party, said = rc["party"], rc["text"].rstrip(".")  # the fact states the conflict with the party's name
    if rc["conflict"] == "licensee_investor":
        yield Find("info", party,
                   msg("{said}: as a noteholder it votes on waivers and amendments that touch its own licence. Not "
                       "a credit exposure, but offering documents usually disclose it and disenfranchise such a "
                       "holder on matters concerning its own obligations ({practice}).",
                       said=said, practice=PRACTICE))
        return
    dependence = r["guarantor_dependence"]
    if 0 <= dependence <= MATERIAL_RISE:
        yield Find("info", party,
                   msg("{said}. The notes do not lean on that support in the simulation (the senior default "
                       "probability rises by {dependence:.2%} without it, within ipsa's {material_rise:.0%} "
                       "benchmark), so the common obligor weighs little here ({practice}).",
                       said=said, dependence=dependence, material_rise=MATERIAL_RISE, practice=PRACTICE),
                   figures={"guarantor_dependence": dependence})
        return
    moved = (msg("without the support the senior default probability would rise from {senior_pd:.2%} to "
                 "{guarantor_stressed_pd:.2%}",
                 senior_pd=r['senior_pd'], guarantor_stressed_pd=r['guarantor_stressed_pd']) if dependence >= 0
             else N_("the deal names it as guarantor or insurer, but no wrap or guarantee of the notes is recorded to stress"))
    yield Find("risk", party,
               msg("{said}: the support fails exactly when that licensee's royalties do (wrong-way risk), so "
                   "it protects least in the event it is there for; {moved}. Rating agencies give credit to a "
                   "support provider only as a party whose own credit stands apart from the risk it covers "
                   "({practice}).", said=said, moved=moved, practice=PRACTICE),
               figures={"guarantor_dependence": dependence, "guarantor_stressed_pd": r["guarantor_stressed_pd"]})


def _support_dependence(x):
    r = x.r
    dependence, stressed = r["guarantor_dependence"], r["guarantor_stressed_pd"]
    figures = {"guarantor_dependence": dependence, "guarantor_stressed_pd": stressed, "senior_pd": r["senior_pd"]}
    verdict = stress_verdict(stressed, r)
    if verdict == "meets":
        yield Find("pass", "deal",
                   msg("The notes do not rest on their guarantor or insurer: if every support provider failed at "
                       "once the senior default probability would be {stressed:.2%}, within {r} ({practice}).",
                       stressed=stressed, r=_target_text(r), practice=PRACTICE), figures=figures)
    elif verdict == "noise":
        yield Find("info", "deal",
                   msg("If every guarantor or insurer failed at once the senior default probability would be "
                       "{stressed:.2%} against {senior_pd:.2%} with the support: above {r} on the point estimate "
                       "but within simulation error, so the notes lean on the support at the margin; rerun with "
                       "more paths to decide ({practice}).",
                       stressed=stressed, senior_pd=r['senior_pd'], r=_target_text(r), practice=PRACTICE), figures=figures)
    else:
        yield Find("risk", "deal",
                   msg("The notes' quality rests on their guarantor or insurer: if every support provider failed "
                       "at once the senior default probability would rise from {senior_pd:.2%} to {stressed:.2%}, "
                       "beyond {r}. Rating agencies then link the notes' rating to the provider's own (credit "
                       "substitution), so a downgrade of the provider moves the notes ({practice}).",
                       senior_pd=r['senior_pd'], stressed=stressed, r=_target_text(r), practice=PRACTICE), figures=figures)


def _senior_pd(x):
    r = x.r
    pd, target, paths = r["senior_pd"], r["target_pd"], r["paths"]
    lower, upper = pd_band(r)
    figures = {"senior_pd": pd, "senior_pd_se": r["senior_pd_se"], "target_pd": target, "senior_pd_upper": upper}
    if target < 0:
        yield Find("info", "deal",
                   msg("The senior class defaults with probability {pd:.2%} (95% band {lower:.2%} to {upper:.2%}, "
                       "{paths:,} paths); no target default probability is known (no target rating), so ipsa "
                       "cannot compare it ({practice}).",
                       pd=pd, lower=lower, upper=upper, paths=paths, practice=PRACTICE),
                   figures=figures)
        return
    band = (msg("no default on any of {paths:,} paths, 95% upper bound {upper:.2%}", paths=paths, upper=upper) if pd <= 0
            else msg("95% band {lower:.2%} to {upper:.2%} over {paths:,} paths", lower=lower, upper=upper, paths=paths))
    if upper <= target:
        yield Find("pass", "deal",
                   msg("The senior class defaults with probability {pd:.2%} ({band}), within the {target:.2%} its "
                       "target rating stands for in the rating agencies' default studies ({practice}).",
                       pd=pd, band=band, target=target, practice=PRACTICE), figures=figures)
    elif lower > target:
        yield Find("risk", "deal",
                   msg("The senior class defaults with probability {pd:.2%} ({band}), above the {target:.2%} its "
                       "target rating stands for in the rating agencies' default studies, beyond simulation error: "
                       "the structure does not support the target rating as modelled ({practice}).",
                       pd=pd, band=band, target=target, practice=PRACTICE), figures=figures)
    else:
        side = N_("above") if pd > target else N_("at or below")
        yield Find("info", "deal",
                   msg("The senior class defaults with probability {pd:.2%} ({band}), {side} the {target:.2%} its "
                       "target rating stands for, but the target lies within the simulation's error: rerun with "
                       "more paths before relying on either conclusion ({practice}).",
                       pd=pd, band=band, side=side, target=target, practice=PRACTICE), figures=figures)


def _asset_life(x):
    r = x.r
    life, tenor = r["residual_life_years"], r["tenor_years"]
    figures = {"residual_life_years": life, "tenor_years": tenor}
    if life >= tenor:
        yield Find("pass", "deal",
                   msg("The pool's royalty-weighted residual patent life, {life:.1f} years, outlasts the "
                       "{tenor:.1f} years to the notes' legal final ({practice}).",
                       life=life, tenor=tenor, practice=PRACTICE), figures=figures)
    else:
        yield Find("risk", "deal",
                   msg("The pool's royalty-weighted residual patent life, {life:.1f} years, falls {tenor:.1f} "
                       "years short of the {tenor2:.1f} years to the notes' legal final: the royalties that pay "
                       "the notes end, or erode to generic levels, before the notes are due. Rating analyses of "
                       "royalty deals look for collateral that outlives the notes with a tail ({practice}).",
                       life=life, tenor=tenor - life, tenor2=tenor, practice=PRACTICE), figures=figures)


# -- the rules -------------------------------------------------------------------------------------------------------

def risk_practice_rules(jurisdiction: str, ids: tuple[str, str, str, str, str, str], *, spv: Condition, where: str,
                        concentration: Practice, counterparty: Practice, target: Practice, life: Practice) -> list[Rule]:
    """Six supervision rules for deals whose SPV matches `spv` (a condition on the `risk` fact's `spv_country`):
    single obligor, single asset, a licensee that also supports the notes, dependence on the support providers, senior
    default probability against its target, residual patent life against the notes. `where` names the SPV's seat in
    the requirements ("in the United States")."""
    j = jurisdiction
    obligor, asset, common, support, senior, life_id = ids

    def rule(rule_id, requirement, practice: Practice, remediation, when, then, tags):
        return Rule(id=rule_id, jurisdiction=j, area="supervision", requirement=requirement,
                    law="Market practice, not law. " + practice.gist, citations=practice.cites,
                    remediation=remediation, when=when, then=then, tags=tags)

    return [
        rule(obligor,
             msg("The royalties behind notes of an SPV {where} should not rest on one licensee beyond what "
                 "the senior class survives (rating-agency practice, not law).", where=where),
             concentration,
             N_("Add licensees, cap the largest licensee's share with an eligibility or concentration limit, or size "
             "subordination or a reserve to survive that licensee's default."),
             (On("r", "risk", spv), On("c", "concentration", this.dimension == "licensee")),
             _single_obligor, ("cash_flow",)),
        rule(asset,
             msg("The royalties behind notes of an SPV {where} should not rest on one patent family "
                 "(rating-agency practice, not law).", where=where),
             concentration,
             N_("Add licences on other patent families, or size enhancement on the loss of the largest family's royalties."),
             (On("r", "risk", spv), On("c", "concentration", this.dimension == "family")),
             _single_asset, ("cash_flow",)),
        rule(common,
             msg("A licensee of an SPV {where} should not also guarantee, insure or hold the notes it pays "
                 "into (rating-agency practice, not law).", where=where),
             counterparty,
             N_("Replace the licensee as guarantor or insurer with an unrelated provider, or give the notes no credit for its "
             "support; disclose a licensee's holding of notes and disenfranchise it on matters touching its own licence."),
             (On("r", "risk", spv),
              On("rc", "role_conflict", (this.conflict == "licensee_credit_support") | (this.conflict == "licensee_investor"))),
             _common_obligor, ("guarantor",)),
        rule(support,
             msg("Notes of an SPV {where} that meet their target only with a guarantor's or insurer's "
                 "support carry that provider's credit (rating-agency practice, not law).",
                 where=where),
             counterparty,
             N_("Strengthen the pool or the subordination so that the notes stand without the support, choose a stronger "
             "provider, or add replacement and collateral-posting triggers on the provider's downgrade."),
             (On("r", "risk", spv & (this.guarantor_dependence >= 0)),),
             _support_dependence, ("guarantor",)),
        rule(senior,
             msg("The senior notes of an SPV {where} should default no more often than their target rating "
                 "allows (rating-agency practice, not law).", where=where),
             target,
             N_("Add subordination, a reserve or overcollateralisation, shorten the amortisation, or lower the target rating, "
             "until the senior default probability meets the target."),
             (On("r", "risk", spv),),
             _senior_pd, ("cash_flow",)),
        rule(life_id,
             msg("The patents behind notes of an SPV {where} should outlast the notes (rating-agency "
                 "practice, not law).", where=where),
             life,
             N_("Shorten the legal final or the amortisation to the pool's residual life, add patents that outlast the notes, "
             "or size enhancement on royalties that stop at expiry."),
             (On("r", "risk", spv),),
             _asset_life, ("patent_term",)),
    ]
