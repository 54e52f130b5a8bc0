"""China — supervision: AMAC filing, eligible underlying assets, investor limits, and the 2025 policy context."""

import datetime as dt

from ipsa.engine.text import N_, joined, msg
from ipsa.engine.rulekit import Find, On, Rule, cite, this
from ipsa.rules.patterns import Law, risk_retention

SPECIAL_PLAN = "cn_asset_backed_special_plan"


def _amac_filing(x):
    o = x.o
    deadline = int(x.param("cn.amac.filing_deadline_working_days"))
    caveat = " " + msg("The {deadline}-working-day period is unverified: the only copy of the AMAC filing measures ipsa "
                       "has read leaves the number of days blank; confirm it against the current measures.",
                       deadline=deadline)
    if o["established"] == "unstated":
        yield Find("info", "deal",
                   msg("The plan's establishment date is not given; the manager must file the plan with AMAC after "
                       "establishment, within {deadline} working days as ipsa applies it.",
                       deadline=deadline) + caveat)
    elif o["amac_filed"] and o["amac_working_days"] <= deadline:
        yield Find("pass", "deal",
                   msg("The plan was filed with AMAC {amac_working_days} working days after establishment, within "
                       "the {deadline} working days ipsa applies.",
                       amac_working_days=o['amac_working_days'], deadline=deadline) + caveat)
    elif o["amac_filed"]:
        yield Find("risk", "deal",
                   msg("The plan was filed with AMAC {amac_working_days} working days after establishment, later "
                       "than the {deadline} working days ipsa applies; expect AMAC to question the late filing.",
                       amac_working_days=o['amac_working_days'], deadline=deadline) + caveat,
                   remediation=msg("Explain the late filing to AMAC and confirm that the filing has been accepted."))
    elif o["working_days_since_established"] > deadline:
        yield Find("fail", "deal",
                   msg("The plan was established {working_days_since_established} working days ago and has not "
                       "been filed with AMAC; the filing was due within {deadline} working days.",
                       working_days_since_established=o['working_days_since_established'], deadline=deadline) + caveat)
    else:
        yield Find("info", "deal",
                   msg("The plan must be filed with AMAC within {deadline} working days after establishment "
                       "({deadline2} left).",
                       deadline=deadline, deadline2=deadline - o['working_days_since_established']) + caveat)


def _negative_list(x):
    o = x.o
    if o["pooled_licences"] > 0 and o["contracted_royalties"] > 0:
        yield Find("pass", "deal",
                   msg("The underlying assets are contracted royalties under {pooled_licences} licence(s), cash "
                       "flow that is independent and predictable enough for the AMAC rules.",
                       pooled_licences=o['pooled_licences']))
    elif o["pooled_loans"] > 0:
        yield Find("pass", "deal",
                   msg("The underlying assets are the scheduled repayments of {pooled_loans} loan(s) or lease(s) "
                       "secured on IP: contracted cash flow from the borrowers, not cash that the IP produces only "
                       "when sold.", pooled_loans=o['pooled_loans']))
    else:
        yield Find("fail", "deal",
                   msg("The special plan would hold patents without contracted licence royalties. Assets that produce cash only "
                   "when sold, or whose cash is highly uncertain, are on AMAC's negative list for underlying assets."))


def _investors(x):
    o = x.o
    cap = int(x.param("cn.special_plan.max_investors"))
    problems = []
    if "retail" in o["investor_types"]:
        problems.append(N_("a class is offered to retail investors"))
    if o["investor_count"] > cap:
        problems.append(msg("{investor_count} investors exceed the cap of {cap}", investor_count=o['investor_count'], cap=cap))
    if problems:
        yield Find("fail", "deal",
                   msg("Special-plan securities may be sold only to qualified investors, at most {cap} per plan; "
                       "here ", cap=cap) + joined(problems, " and ") + ".")
    else:
        count = (msg("{count} investors", count=o["investor_count"]) if o["investor_count"] > 0
                 else N_("an unstated number of investors"))
        yield Find("pass", "deal", msg("The securities go to qualified or institutional investors ({count}; the cap is {cap}).",
                                       count=count, cap=cap))


def _policy(x):
    orig = x.orig
    yield Find("info", orig["party"],
               msg("The originator is a private enterprise. Since 2025-05-20 the Private Sector Promotion Law directs equal treatment "
               "of private firms in financing, the policy context in which IP-backed finance for private firms is being promoted; "
               "it creates no specific securitization rule."))


RULES = [
    Rule(
        id="CN-SUP-001",
        jurisdiction="CN",
        area="supervision",
        tags=("filing",),
        requirement=("The manager must file an asset-backed special plan with AMAC after it is established, within a period ipsa "
                     "takes as five working days (unverified)."),
        law=("AMAC's filing measures for asset-backed special plans require the manager to file the plan with AMAC after "
             "establishment, within a set number of working days; ipsa applies five, a figure it has not verified (the only copy "
             "of the measures read leaves the number blank). Exchange listing follows the exchange's ABS rules."),
        citations=(cite("CN-AMAC-FILING-2014"), cite("CN-CSRC-2014-49")),
        remediation="File the plan with AMAC at once and record the filing date.",
        when=(On("o", "offering", this.spv_form == SPECIAL_PLAN),),
        parameters=("cn.amac.filing_deadline_working_days",),
        then=_amac_filing,
    ),
    Rule(
        id="CN-SUP-002",
        jurisdiction="CN",
        area="supervision",
        tags=("eligible_assets",),
        requirement="A special plan's underlying assets must produce independent, predictable cash flow (contracted royalties, or loan repayments); a bare patent does not.",
        law=("CSRC Announcement [2014] No. 49 requires underlying assets with clear title and independent, predictable cash flow; "
             "AMAC's negative list excludes assets whose cash is highly uncertain or that produce cash only on disposal."),
        citations=(cite("CN-CSRC-2014-49"), cite("CN-AMAC-NEGATIVE-LIST")),
        remediation="Base the plan on contracted licence or sublicence royalties rather than on the patents themselves.",
        when=(On("o", "offering", this.spv_form == SPECIAL_PLAN),),
        then=_negative_list,
    ),
    Rule(
        id="CN-SUP-003",
        jurisdiction="CN",
        area="supervision",
        tags=("investors",),
        requirement="Special-plan securities may be sold only to qualified investors, and to no more than 200 of them.",
        law="CSRC Announcement [2014] No. 49 limits special-plan securities to qualified investors and caps their number at 200 per plan.",
        citations=(cite("CN-CSRC-2014-49"),),
        remediation="Restrict the offering to qualified investors and keep the holder count within 200.",
        when=(On("o", "offering", this.spv_form == SPECIAL_PLAN),),
        parameters=("cn.special_plan.max_investors",),
        then=_investors,
    ),
    Rule(
        id="CN-POL-001",
        jurisdiction="CN",
        area="supervision",
        tags=("policy",),
        requirement="Policy context: the Private Sector Promotion Law supports financing for private firms from 2025-05-20.",
        law=("The Private Sector Promotion Law (adopted 2025-04-30, in force 2025-05-20) has a chapter on investment and financing "
             "promotion and calls for equal treatment of private firms by financial institutions."),
        citations=(cite("CN-PSPL"),),
        remediation="None needed; cite the policy in submissions to the exchange and investors.",
        when=(On("orig", "originator", (this.country == "CN") & this.private),),
        effective_from=dt.date(2025, 5, 20),
        then=_policy,
    ),
]


RULES.append(risk_retention(
    "CN-SUP-004", "CN", parameter="cn.credit_abs.min_retention",
    requirement="In a credit-asset securitization the originator retains at least 5% of the securities.",
    law=Law((cite("CN-PBOC-CBRC-2013-21"),),
            "PBOC/CBRC Announcement [2013] No. 21 requires the originator of a credit-asset securitization through a "
            "special-purpose trust to keep a share of at least 5% of the securities it issues."),
    condition=this.spv_form == "cn_special_purpose_trust", retainer="originator", eligible=("originator", "originator_group"),
    forms=N_("a holding in a form the announcement allows"),
    remediation="Have the originator retain at least 5%, in the form the announcement allows.",
))


def _exchange_confirmation(x):
    o = x.o
    exchange = o["exchange"]
    if exchange in o["regulators_filed"]:
        yield Find("pass", "deal", msg("{exchange} has confirmed that the plan meets its listing conditions (no-objection letter).",
                                       exchange=exchange))
    else:
        yield Find("risk", "deal",
                   msg("The plan is to be listed on {exchange}, but no no-objection letter from the exchange is "
                       "recorded; the plan should not be established and sold before the exchange confirms that it "
                       "meets the listing conditions.", exchange=exchange),
                   remediation=msg("Obtain {exchange}'s no-objection letter before establishing the plan, and record it.",
                                   exchange=exchange))


RULES.append(Rule(
    id="CN-SUP-005",
    jurisdiction="CN",
    area="supervision",
    tags=("filing",),
    requirement="A special plan to be listed on an exchange needs the exchange's confirmation (no-objection letter) before it is established.",
    law=("Under the CSRC rules of 2014 special-plan securities may be listed on a stock exchange, whose ABS rules require "
         "the manager to obtain the exchange's confirmation that the listing conditions are met before the plan is set up."),
    citations=(cite("CN-CSRC-2014-49"),),
    remediation="Obtain the exchange's no-objection letter before establishing the plan.",
    when=(On("o", "offering", (this.spv_form == SPECIAL_PLAN) & ((this.exchange == "SSE") | (this.exchange == "SZSE"))),),
    then=_exchange_confirmation,
))


def _predictable(x):
    r = x.r
    problems = []
    if r["senior_pd"] > r["target_pd"] >= 0:
        problems.append(msg("the senior class defaults with probability {senior_pd:.2%} against a target of "
                            "{target_pd:.2%}", senior_pd=r['senior_pd'], target_pd=r['target_pd']))
    if 0 <= r["dscr_min_p5"] < 1.0:
        problems.append(msg("one path in twenty sees coverage fall to {dscr_min_p5:.2f}x, below debt service",
                            dscr_min_p5=r['dscr_min_p5']))
    if not problems:
        yield Find("pass", "deal",
                   msg("The royalties cover the notes with margin in the simulation ({paths:,} paths): senior "
                       "default probability {senior_pd:.2%}, coverage above 1x on at least 95% of paths (the "
                       "largest licensee pays {top_licensee_share:.0%} of the royalties).",
                       paths=r['paths'], senior_pd=r['senior_pd'], top_licensee_share=r['top_licensee_share']),
                   figures={"senior_pd": r["senior_pd"], "dscr_min_p5": r["dscr_min_p5"]})
    else:
        yield Find("risk", "deal",
                   msg("The exchange and AMAC look for independent and predictable cash flow behind a special plan; the risk model "
                   "shows it is not yet predictable enough: ") + joined(problems, "; ")
                   + msg(" (the largest licensee pays {top_licensee_share:.0%} of the royalties).",
                         top_licensee_share=r['top_licensee_share']),
                   figures={"senior_pd": r["senior_pd"], "target_pd": r["target_pd"], "dscr_min_p5": r["dscr_min_p5"],
                            "top_licensee_share": r["top_licensee_share"]},
                   remediation=msg("Add licensees or subordination, lengthen the amortisation, or add a reserve until the "
                               "senior class meets its target."))


RULES.append(Rule(
    id="CN-SUP-006",
    jurisdiction="CN",
    area="supervision",
    tags=("cash_flow",),
    requirement="A special plan's cash flow must be predictable enough to serve the senior securities with margin.",
    law=("CSRC Announcement [2014] No. 49 requires underlying assets whose cash flow is independent and predictable, and "
         "AMAC's negative list excludes assets whose cash is highly uncertain; ipsa tests this on the simulated royalties."),
    citations=(cite("CN-CSRC-2014-49"), cite("CN-AMAC-NEGATIVE-LIST")),
    remediation="Strengthen the pool or the structure until the senior class meets its target default probability.",
    when=(On("r", "risk", this.spv_form == SPECIAL_PLAN),),
    then=_predictable,
))
