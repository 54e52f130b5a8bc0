"""Vietnam — supervision: privately placed bonds for professional investors, and the 2025 policy context."""

from ipsa.engine.rulekit import Find, On, Rule, cite, this


def _private_bonds(x):
    o = x.o
    if o["public"] or "retail" in o["investor_types"]:
        yield Find("fail", "deal",
                   "The bonds are offered to the public or to retail investors. Privately placed corporate bonds may be sold only "
                   "to professional securities investors, and a public offering needs a licence the SPV cannot obtain as a new "
                   "company without an operating record.")
    elif o["all_notes_rated"] or o["all_notes_wrapped"]:
        yield Find("pass", "deal",
                   "The bonds are placed privately with professional investors and are rated or guaranteed, so individual "
                   "professional investors may also buy them.")
    else:
        yield Find("risk", "deal",
                   "The bonds are placed privately with professional investors, but they are neither rated nor guaranteed; "
                   "individual professional investors may buy only bonds that are rated, secured or guaranteed by a bank, "
                   "which narrows the buyers to institutions.",
                   remediation="Obtain a credit rating or a bank guarantee, or sell only to institutional professional investors.")


def _policy(x):
    orig = x.orig
    yield Find("info", orig["party"],
               "The originator is a private Vietnamese enterprise. Politburo Resolution 68-NQ/TW (2025-05-04) names intangible "
               "assets as an economic resource and calls for rules on their ownership and use in finance; it is policy, not law, "
               "and creates no securitization rule yet.")


RULES = [
    Rule(
        id="VN-SUP-001",
        jurisdiction="VN",
        area="supervision",
        tags=("offering", "investors",),
        requirement="Privately placed bonds go only to professional investors; individuals may buy only rated, secured or bank-guaranteed bonds.",
        law=("Vietnam has no securitization statute, so the notes are corporate bonds. The Law on Securities as amended in 2024 "
             "and Decree 153/2020 (amended by Decrees 65/2022 and 08/2023) limit private placements to professional investors "
             "and let individual professional investors buy only rated, secured or bank-guaranteed bonds."),
        citations=(cite("VN-SECURITIES-LAW"), cite("VN-DECREE-153-2020")),
        remediation="Place the bonds privately with professional investors, and rate or guarantee them if individuals are to buy.",
        when=(On("o", "offering", this.spv_country == "VN"),),
        then=_private_bonds,
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
]


def _guarantor_dependence(x):
    r = x.r
    rise = r["guarantor_dependence"]
    if rise <= 0.01:
        yield Find("pass", "deal",
                   f"The bonds do not lean on the guarantee: if the guarantor failed, the senior default probability would be "
                   f"{r['guarantor_stressed_pd']:.2%} against {r['senior_pd']:.2%} with it.",
                   figures={"guarantor_dependence": rise})
    else:
        yield Find("risk", "deal",
                   f"The bonds' quality rests on the guarantee, the feature that lets individual professional investors buy "
                   f"them: if the guarantor failed, the senior default probability would rise from {r['senior_pd']:.2%} to "
                   f"{r['guarantor_stressed_pd']:.2%}. Investors carry the guarantor's own credit risk.",
                   figures={"guarantor_dependence": rise, "guarantor_stressed_pd": r["guarantor_stressed_pd"]},
                   remediation="Choose a stronger guarantor, add subordination or a reserve, or disclose the dependence "
                               "prominently to investors.")


RULES.append(Rule(
    id="VN-SUP-003",
    jurisdiction="VN",
    area="supervision",
    tags=("guarantor",),
    requirement="Where a bank guarantee opens the bonds to individual professional investors, the guarantor's own risk must be weighed.",
    law=("Decree 153/2020 as amended lets individual professional investors buy privately placed bonds that are rated, "
         "secured or guaranteed by a bank; the guarantee is then part of what makes the bonds eligible, and the risk model "
         "measures how much the bonds depend on it."),
    citations=(cite("VN-DECREE-153-2020"),),
    remediation="Reduce the bonds' dependence on the guarantee or disclose it.",
    when=(On("r", "risk", (this.spv_country == "VN") & (this.guarantor_dependence >= 0)),),
    then=_guarantor_dependence,
))
