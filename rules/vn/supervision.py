"""Vietnam — supervision: privately placed bonds for professional investors, and the 2025 policy context.

Who among professional investors may buy privately placed corporate bonds changed on 2026-01-01: Law No. 56/2024/QH15
lets individual professional investors buy only bonds that are credit-rated AND either secured by collateral or covered
by a credit institution's payment guarantee. VN-SUP-001 and VN-SUP-003 state the rules from 2026-01-01; VN-SUP-004 and
VN-SUP-005 state them before, when no such condition is held (ipsa's earlier "rated, secured or guaranteed" reading was
not supported by the sources, audit B44).
"""

import datetime as dt

from ipsa.engine.text import N_, msg
from ipsa.engine.rulekit import Find, On, Rule, cite, this

INDIVIDUALS_FROM = dt.date(2026, 1, 1)
BONDS_LAW = (cite("VN-SECURITIES-LAW", "11"), cite("VN-LAW-56-2024"), cite("VN-DECREE-153-2020"))

PUBLIC_FAIL = (N_("The bonds are offered to the public or to retail investors. Privately placed corporate bonds may be sold only "
               "to professional securities investors, and a public offering needs a licence the SPV cannot obtain as a new "
               "company without an operating record."))


def _private_bonds_2026(x):
    o = x.o
    if o["public"] or "retail" in o["investor_types"]:
        yield Find("fail", "deal", PUBLIC_FAIL)
    elif o["all_notes_rated"] and o["all_notes_wrapped"]:
        yield Find("pass", "deal",
                   msg("The bonds are placed privately with professional investors, are credit-rated and carry a guarantee, so "
                   "individual professional investors may also buy them, provided the guarantee is a payment guarantee from a "
                   "credit institution (the deal data do not say which kind of institution gives it)."))
    elif o["all_notes_rated"]:
        yield Find("risk", "deal",
                   msg("The bonds are placed privately with professional investors and are rated but carry no guarantee. From "
                   "2026-01-01 individual professional investors may buy only rated bonds that are also secured by collateral "
                   "or guaranteed by a credit institution; the deal data do not record collateral, so unless the bonds are "
                   "secured the buyers narrow to institutions."),
                   remediation=msg("Secure the bonds with collateral or obtain a credit institution's payment guarantee, or sell "
                               "only to institutional professional investors."))
    else:
        wrapped = N_(" They carry a guarantee, but a guarantee without a rating is not enough.") if o["all_notes_wrapped"] else ""
        yield Find("risk", "deal",
                   msg("The bonds are placed privately with professional investors but are not credit-rated. From "
                       "2026-01-01 individual professional investors may buy only bonds that are rated and also "
                       "secured by collateral or guaranteed by a credit institution, which narrows the buyers to "
                       "institutions.{wrapped}", wrapped=wrapped),
                   remediation=msg("Obtain a credit rating together with collateral or a credit institution's payment guarantee, "
                               "or sell only to institutional professional investors."))


def _private_bonds_2021(x):
    o = x.o
    if o["public"] or "retail" in o["investor_types"]:
        yield Find("fail", "deal", PUBLIC_FAIL)
    else:
        yield Find("pass", "deal",
                   msg("The bonds are placed privately with professional securities investors. Before 2026-01-01 ipsa holds no "
                   "rating or guarantee condition for individual professional investors (from that date Law 56/2024/QH15 "
                   "adds one)."))


def _policy(x):
    orig = x.orig
    yield Find("info", orig["party"],
               msg("The originator is a private Vietnamese enterprise. Politburo Resolution 68-NQ/TW (2025-05-04) names intangible "
               "assets as an economic resource and calls for rules on their ownership and use in finance; it is policy, not law, "
               "and creates no securitization rule yet."))


def _guarantor_dependence(why: str):
    def judge(x):
        r = x.r
        rise = r["guarantor_dependence"]
        if rise <= 0.01:
            yield Find("pass", "deal",
                       msg("The bonds do not lean on the guarantee: if the guarantor failed, the senior default "
                           "probability would be {guarantor_stressed_pd:.2%} against {senior_pd:.2%} with it.",
                           guarantor_stressed_pd=r['guarantor_stressed_pd'], senior_pd=r['senior_pd']),
                       figures={"guarantor_dependence": rise})
        else:
            yield Find("risk", "deal",
                       msg("The bonds' quality rests on the guarantee, {why}: if the guarantor failed, the senior "
                           "default probability would rise from {senior_pd:.2%} to {guarantor_stressed_pd:.2%}. "
                           "Investors carry the guarantor's own credit risk.",
                           why=why, senior_pd=r['senior_pd'], guarantor_stressed_pd=r['guarantor_stressed_pd']),
                       figures={"guarantor_dependence": rise, "guarantor_stressed_pd": r["guarantor_stressed_pd"]},
                       remediation=msg("Choose a stronger guarantor, add subordination or a reserve, or disclose the dependence "
                                   "prominently to investors."))
    return judge


RULES = [
    Rule(
        id="VN-SUP-001",
        jurisdiction="VN",
        area="supervision",
        tags=("offering", "investors",),
        requirement=("Privately placed bonds go only to professional investors; from 2026-01-01 individuals among them may buy "
                     "only bonds that are credit-rated and also secured by collateral or guaranteed by a credit institution."),
        law=("Vietnam has no securitization statute, so the notes are corporate bonds. The Law on Securities and Decree 153/2020 "
             "(amended by Decrees 65/2022 and 08/2023) limit private placements to professional investors; Law 56/2024/QH15, "
             "amending the Law on Securities, lets individual professional investors buy privately placed corporate bonds from "
             "2026-01-01 only if they are credit-rated and either secured by collateral or covered by a credit institution's "
             "payment guarantee."),
        citations=BONDS_LAW,
        remediation="Place the bonds privately with professional investors, and rate them and secure or bank-guarantee them if "
                    "individuals are to buy.",
        when=(On("o", "offering", this.spv_country == "VN"),),
        effective_from=INDIVIDUALS_FROM,
        then=_private_bonds_2026,
    ),
    Rule(
        id="VN-SUP-004",
        jurisdiction="VN",
        area="supervision",
        tags=("offering", "investors",),
        requirement="Before 2026-01-01, privately placed bonds go only to professional investors.",
        law=("Vietnam has no securitization statute, so the notes are corporate bonds. The Law on Securities and Decree 153/2020 "
             "(amended by Decrees 65/2022 and 08/2023) limit private placements to professional investors. The rating and "
             "security condition for individual professional investors applies only from 2026-01-01 (Law 56/2024/QH15)."),
        citations=(cite("VN-SECURITIES-LAW", "11"), cite("VN-DECREE-153-2020")),
        remediation="Place the bonds privately with professional investors.",
        when=(On("o", "offering", this.spv_country == "VN"),),
        effective_to=INDIVIDUALS_FROM - dt.timedelta(days=1),
        then=_private_bonds_2021,
    ),
    Rule(
        id="VN-SUP-002",
        jurisdiction="VN",
        area="supervision",
        tags=("policy",),
        requirement="Policy context: Resolution 68-NQ/TW supports using intangible assets in finance for private firms from 2025-05-04.",
        law=("Politburo Resolution 68-NQ/TW of 2025-05-04 on private-sector development names intangible assets as an economic "
             "resource and calls for rules on their ownership, disposal and use in finance."),
        citations=(cite("VN-RES-68"),),
        remediation="None needed; cite the policy in submissions to regulators and investors.",
        when=(On("orig", "originator", (this.country == "VN") & this.private),),
        then=_policy,
    ),
    Rule(
        id="VN-SUP-003",
        jurisdiction="VN",
        area="supervision",
        tags=("guarantor",),
        requirement=("Where a credit institution's guarantee, with a rating, opens the bonds to individual professional "
                     "investors, the guarantor's own risk must be weighed."),
        law=("From 2026-01-01 Law 56/2024/QH15 lets individual professional investors buy privately placed corporate bonds that "
             "are credit-rated and secured by collateral or guaranteed by a credit institution; a guarantee is then part of what "
             "makes the bonds eligible, and the risk model measures how much the bonds depend on it."),
        citations=(cite("VN-LAW-56-2024"), cite("VN-DECREE-153-2020")),
        remediation="Reduce the bonds' dependence on the guarantee or disclose it.",
        when=(On("r", "risk", (this.spv_country == "VN") & (this.guarantor_dependence >= 0)),),
        effective_from=INDIVIDUALS_FROM,
        then=_guarantor_dependence(N_("one of the two routes (with a rating) by which individual professional investors may buy them")),
    ),
    Rule(
        id="VN-SUP-005",
        jurisdiction="VN",
        area="supervision",
        tags=("guarantor",),
        requirement="Before 2026-01-01, where a bank guarantee supports the bonds, the guarantor's own risk must be weighed.",
        law=("Privately placed corporate bonds under Decree 153/2020 as amended may carry a payment guarantee; where they do, the "
             "bonds' quality rests partly on the guarantor, and the risk model measures how much."),
        citations=(cite("VN-DECREE-153-2020"),),
        remediation="Reduce the bonds' dependence on the guarantee or disclose it.",
        when=(On("r", "risk", (this.spv_country == "VN") & (this.guarantor_dependence >= 0)),),
        effective_to=INDIVIDUALS_FROM - dt.timedelta(days=1),
        then=_guarantor_dependence(N_("which investors rely on")),
    ),
]
