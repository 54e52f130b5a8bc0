"""Japan — supervision: the TMK's notification with its asset liquidation plan, and FIEA securities."""

from ipsa.engine.rulekit import Find, On, Rule, cite, this


def _notification(x):
    o = x.o
    filed = "JP_LFB" in o["regulators_filed"]
    if filed and o["asset_liquidation_plan"] == "yes":
        yield Find("pass", "deal", "The TMK has notified the Local Finance Bureau of the start of its business with an asset liquidation plan.")
    elif filed:
        yield Find("risk", "deal",
                   "The TMK has notified the Local Finance Bureau, but the deal does not show an asset liquidation plan attached.",
                   remediation="Confirm that the notification attached the asset liquidation plan, and file it if not.")
    else:
        yield Find("fail", "deal",
                   "No business-commencement notification to the Local Finance Bureau is recorded; a TMK may not start its "
                   "securitization business without it, and the notification must attach the asset liquidation plan.")


def _securities(x):
    o = x.o
    yield Find("info", "deal",
               "The TMK's specified bonds and preferred equity, or the beneficial interests in the trust, are securities under the "
               "FIEA; the offering needs a securities registration statement unless it is a private placement "
               + ("(this one is described as public)." if o["public"] else "(this one is described as private)."))


RULES = [
    Rule(
        id="JP-SUP-001",
        jurisdiction="JP",
        area="supervision",
        tags=("vehicle_notification", "filing"),
        requirement="A TMK must notify the Local Finance Bureau before starting business, attaching its asset liquidation plan.",
        law=("Act on Securitization of Assets Art 4: a TMK notifies the Prime Minister, through the Local Finance Bureau, before "
             "it begins the securitization business, with the asset liquidation plan that fixes the assets and securities."),
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
        law=("FIEA Art 2 treats a TMK's specified bonds and preferred equity, and beneficial interests in trusts, as securities, "
             "so the Act's disclosure and solicitation rules apply."),
        citations=(cite("JP-FIEA", "2"),),
        remediation="Confirm the private-placement exemption or file a securities registration statement.",
        when=(On("o", "offering", (this.spv_form == "jp_tmk") | (this.spv_form == "jp_tms") | (this.spv_form == "jp_ip_trust")),),
        then=_securities,
    ),
]
