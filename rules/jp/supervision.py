"""Japan — supervision: the TMK's notification with its asset liquidation plan, the TMK's duty to entrust its
specified assets to a trust company, and the FIEA status of TMK, trust and GK-TK (silent-partnership) interests.

JP-SUP-005 to JP-SUP-010 read the risk model's results (concentration, a licensee that also supports the notes,
dependence on guarantors and insurers, the senior default probability against its target, patent life against the
notes) against rating-agency practice, the shape written once in rules/risk_practice.py: market practice, not law.
"""

from ipsa.engine.text import N_, msg
from ipsa.engine.rulekit import Find, On, Rule, cite, this
from ipsa.rules.risk_practice import practices, risk_practice_rules, spv_in

TRUSTEES = ("trust_company", "trust_bank")


def _notification(x):
    o = x.o
    filed = "JP_LFB" in o["regulators_filed"]
    if filed and o["asset_liquidation_plan"] == "yes":
        yield Find("pass", "deal", msg("The TMK has notified the Local Finance Bureau of the start of its business with an asset liquidation plan."))
    elif filed:
        yield Find("risk", "deal",
                   msg("The TMK has notified the Local Finance Bureau, but the deal does not show an asset liquidation plan attached."),
                   remediation=msg("Confirm that the notification attached the asset liquidation plan, and file it if not."))
    else:
        yield Find("fail", "deal",
                   msg("No business-commencement notification to the Local Finance Bureau is recorded; a TMK may not start its "
                   "securitization business without it, and the notification must attach the asset liquidation plan."))


def _securities(x):
    o = x.o
    yield Find("info", "deal",
               msg("The TMK's specified bonds and preferred equity, or the beneficial interests in the trust, are securities under the "
               "FIEA; the offering needs a securities registration statement unless it is a private placement ")
               + (msg("(this one is described as public).") if o["public"] else msg("(this one is described as private).")))


def _entrusted(x):
    spv = x.spv
    if spv["manager_type"] in TRUSTEES:
        yield Find("pass", spv["party"],
                   msg("A {manager_type} ({manager}) is named as the TMK's trustee: the TMK's specified assets can "
                       "be entrusted to it for their management and disposal, as the Act on Securitization of "
                       "Assets requires (Art 200(1)); confirm that the trust agreement covers every specified "
                       "asset.",
                       manager_type=spv['manager_type'].replace('_', ' '), manager=spv['manager']))
        return
    who = N_("no trustee or manager is named") if spv["manager"] == "none" else (
        msg("its manager ({manager}) is a {manager_type}, not a trust company or trust bank",
            manager=spv['manager'], manager_type=spv['manager_type'].replace('_', ' ')))
    yield Find("risk", spv["party"],
               msg("The deal does not show the TMK's specified assets entrusted to a trust company or trust "
                   "bank: {who}. A TMK must entrust its specified assets (other than trust beneficial "
                   "interests) to a trust company or trust bank for their management and disposal (Act on "
                   "Securitization of Assets Art 200(1)); only for the assets Art 200(2) lists may it instead "
                   "entrust their management to the transferor or another qualified person, and whether "
                   "patents and royalty receivables fall within that list is for counsel to confirm. Holding "
                   "the specified assets in trust (or entrusted as Art 200(2) allows) is also a condition of "
                   "the TMK's dividend deduction (Special Taxation Measures Act Art 67-14(1)(ii)(c)).",
                   who=who))


def _tk_interests(x):
    o = x.o
    base = (N_("The investors' silent-partnership (tokumei kumiai) interests in the GK (Commercial Code Art 535) are rights to a "
            "share of the profits of the business their contributions fund, which the FIEA deems securities (collective "
            "investment scheme interests, Art 2(2)(v), read only at secondary sources): offering them, and managing the "
            "funds, is a regulated business for which a registered financial instruments business operator must act or an "
            "exemption the Act provides for offerings to qualified institutional investors must be notified to the FSA."))
    if "JP_FSA" in o["regulators_filed"]:
        yield Find("info", "deal", base + msg(" A filing with the FSA is recorded; confirm it is the registration or notification the "
                                          "offering of the TK interests needs."))
    else:
        yield Find("risk", "deal", base + msg(" The deal records no registration or notification with the FSA for the TK interests."),
                   remediation=msg("Have a registered financial instruments business operator offer the TK interests, or file the "
                               "notification for the exemption for qualified institutional investors, and record it."))


RULES = [
    Rule(
        id="JP-SUP-001",
        jurisdiction="JP",
        area="supervision",
        tags=("vehicle_notification", "filing"),
        requirement="A TMK must notify the Local Finance Bureau before starting business, attaching its asset liquidation plan.",
        law=("Act on Securitization of Assets Art 4: a TMK notifies the Prime Minister, through the Local Finance Bureau, in "
             "advance before it conducts the securitization business, attaching its articles and the asset liquidation plan "
             "that fixes the assets and securities."),
        citations=(cite("JP-ASSET-SECURITIZATION-ACT", "4"),),
        remediation="File the business-commencement notification with the asset liquidation plan before the TMK acquires the assets.",
        when=(On("o", "offering", this.spv_form == "jp_tmk"),),
        then=_notification,
    ),
    Rule(
        id="JP-SUP-002",
        jurisdiction="JP",
        area="supervision",
        tags=("offering",),
        requirement="Securities issued by a Japanese securitization vehicle fall under the Financial Instruments and Exchange Act.",
        law=("FIEA Art 2 (read only at secondary sources; the Act is cited as a whole) treats a TMK's specified bonds and "
             "preferred equity, and beneficial interests in trusts, as securities, so the Act's disclosure and solicitation "
             "rules apply."),
        citations=(cite("JP-FIEA"),),
        remediation="Confirm the private-placement exemption or file a securities registration statement.",
        when=(On("o", "offering", (this.spv_form == "jp_tmk") | (this.spv_form == "jp_tms") | (this.spv_form == "jp_ip_trust")),),
        then=_securities,
    ),
    Rule(
        id="JP-SUP-003",
        jurisdiction="JP",
        area="supervision",
        tags=("vehicle_form",),
        requirement="A TMK must entrust its specified assets to a trust company or trust bank for their management and disposal.",
        law=("Act on Securitization of Assets Art 200(1): a TMK must entrust its specified assets (other than trust beneficial "
             "interests) to a trust company or trust bank so that it manages and disposes of them; Art 200(2) lets the TMK "
             "instead entrust the management and disposal of the assets it lists to their transferor or to another person with "
             "the financial base and staff to do it properly. Special Taxation Measures Act Art 67-14(1)(ii)(c) makes holding "
             "the specified assets in trust (or so entrusted) a condition of the TMK's dividend deduction."),
        citations=(cite("JP-ASSET-SECURITIZATION-ACT", "200"), cite("JP-SPECIAL-TAX-MEASURES-ACT", "67-14")),
        remediation=("Settle the TMK's specified assets (the patents and royalty receivables) in trust with a trust company or "
                     "trust bank, or confirm with counsel that Art 200(2) allows their management by the transferor, and "
                     "record the trustee in the deal."),
        when=(On("spv", "spv", this.form == "jp_tmk"),),
        then=_entrusted,
    ),
    Rule(
        id="JP-SUP-004",
        jurisdiction="JP",
        area="supervision",
        tags=("offering", "filing"),
        requirement="Silent-partnership (TK) interests in a GK-TK vehicle are securities under the FIEA; their offering needs a registered operator or an exemption.",
        law=("Commercial Code Art 535: in a silent partnership (tokumei kumiai) one party contributes to the other's business and "
             "the other distributes its profits. FIEA Art 2(2)(v) deems rights under such an agreement to share in the profits "
             "of the business funded by the contributions to be securities (collective investment scheme interests), so "
             "offering the TK interests and managing the funds are regulated under the FIEA unless an exclusion or exemption "
             "applies. (FIEA Art 2 was read only at secondary sources; the Act is cited as a whole.)"),
        citations=(cite("JP-COMMERCIAL-CODE", "535"), cite("JP-FIEA")),
        remediation=("Have a registered financial instruments business operator offer the TK interests, or file the notification "
                     "for the exemption for offerings to qualified institutional investors, and record the filing."),
        when=(On("o", "offering", this.spv_form == "jp_gk_tk"),),
        then=_tk_interests,
    ),
]

# The risk core's results judged against rating-agency practice (rules/risk_practice.py): market practice, not law.
RULES += risk_practice_rules(
    "JP", ("JP-SUP-005", "JP-SUP-006", "JP-SUP-007", "JP-SUP-008", "JP-SUP-009", "JP-SUP-010"),
    spv=spv_in("JP"), where=N_("in Japan"),
    **practices("JP", extra={"concentration": (N_("obligors (R&I, JCR)"),), "counterparty": (N_("external credit support (R&I)"),)},
                notes={"concentration": N_("In Japan R&I and JCR publish structured-finance methodologies that analyse "
                                        "the underlying obligors as part of the rating."),
                       "counterparty": N_("R&I's methodology treats external credit support (guarantees, insurance) as a "
                                       "mechanism whose provider's credit enters the rating.")}),
)
