"""Vietnam — bankruptcy remoteness.

Registration with IP Viet Nam is a condition of an assignment's effect (VN-BR-001 -> 002 -> 003). An assignment of
royalties binds the licensee only once it is notified in writing (VN-BR-005 -> 006). Nothing protects a licensee
when the licensor fails (VN-BR-007), and a licence binds third parties only once registered (VN-BR-013).

The Law on Bankruptcy No. 51/2014/QH13 applied until 2026-02-28; the Law on Rehabilitation and Bankruptcy No.
142/2025/QH15 replaced it from 2026-03-01. Each rule resting on the insolvency law has one rule per era (as the CN VAT
rules do): VN-BR-003, 006, 007, 008, 010, 011 and 012 state the requirement under the 2025 Law from 2026-03-01 (cited as
a whole: ipsa has not read its articles); VN-BR-015 to 021 state it under the 2014 Law until 2026-02-28.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from ipsa.engine.text import N_, msg
from ipsa.engine.rulekit import Find, On, Rule, cite, this
from ipsa.rules.patterns import (
    TRUE_SALE_PRICE_RATIO, Law, backup_servicer, commingling, notice_chain, patent_term, registration_chain, true_sale,
)

OLD_LAW, NEW_LAW = "VN-BANKRUPTCY-LAW", "VN-REHAB-BANKRUPTCY-LAW"
OLD_NAME, NEW_NAME = N_("Law on Bankruptcy"), N_("Law on Rehabilitation and Bankruptcy of 2025")

ESTATE = Law((cite(OLD_LAW),),
             N_("Under the Law on Bankruptcy the assets of the insolvent enterprise, including property it still owns in law, are "
             "gathered to pay its creditors; a patent whose assignment has not taken effect is still the transferor's."))

IP_EFFECT = Law((cite("VN-IP-LAW", "138"), cite("VN-IP-LAW", "148")),
                N_("Law on IP Arts 138 and 148(1): an industrial property right is assigned by written contract, and an "
                "assignment of a registered right takes effect only once registered with the state IP authority."))


def _eras(rule: Rule, earlier_id: str) -> tuple[Rule, Rule]:
    """One requirement in two eras: under the 2014 Law until 2026-02-28 (renamed `earlier_id`), and under the Law on
    Rehabilitation and Bankruptcy from 2026-03-01 (keeping the rule's id), where the 2014 Law's citations, at article
    level or as a whole, become the 2025 Law as a whole: ipsa has not read its articles."""
    cites, seen = [], set()
    for ref in rule.citations:
        new = cite(NEW_LAW) if ref.instrument == OLD_LAW else ref
        if (new.instrument, new.article) not in seen:
            seen.add((new.instrument, new.article))
            cites.append(new)
    later = dataclasses.replace(rule, citations=tuple(cites), law=rule.law.replace(OLD_NAME, NEW_NAME))
    return dataclasses.replace(rule, id=earlier_id), later


def _no_licensee_protection(x):
    flow = x.flow
    live = (N_(" The licensor is already in insolvency proceedings, so the exposure is live, not hypothetical.")
            if flow["licensor_insolvent"] else "")
    yield Find("risk", flow["licence"],
               msg("Licence {licence} was granted by the originator. Vietnamese insolvency law gives a "
                   "licensee no protection like US §365(n) if the licensor fails; the licence can fall with "
                   "the originator and the royalties with it.{live}",
                   licence=flow['licence'], live=live))


def _licence_unregistered(x):
    flow = x.flow
    if "VN" not in flow["patent_offices"]:
        return
    if "VN" in flow["recorded_offices"]:
        yield Find("pass", flow["licence"], msg("Licence {licence} is registered with IP Viet Nam and binds third parties.", licence=flow['licence']))
    else:
        yield Find("risk", flow["licence"],
                   msg("Licence {licence} of VN patents is not registered with IP Viet Nam, so it does not bind "
                       "third parties, such as a later owner of the patents.", licence=flow['licence']),
                   remediation=msg("Register the licence contract with IP Viet Nam."))


# -- transfers below market price: Art 59 of the 2014 Law, and its successor ----------------------------------------

CLAWBACK_WHEN = (On("t", "transfer", (this.seller_country == "VN") & this.from_originator & (this.price_ratio >= 0)
                    & (this.price_ratio < TRUE_SALE_PRICE_RATIO)),)
BENCHMARK = (msg("ipsa treats a price below {true_sale_price_ratio:.0%} of appraised value as not at market "
                 "price; the statute sets no number", true_sale_price_ratio=TRUE_SALE_PRICE_RATIO))


def _transfer_day(x, t) -> dt.date:
    return x.as_of - dt.timedelta(days=t["days_before_as_of"])


def _clawback_2014(x):
    t = x.t
    window = int(x.param("vn.bankruptcy.void_window_days"))
    related = int(x.param("vn.bankruptcy.void_window_related_days"))
    made = _transfer_day(x, t)
    if t["seller_insolvent"] and t["seller_insolvency_opened"] != "none":
        opened = dt.date.fromisoformat(t["seller_insolvency_opened"])
        before = (opened - made).days
        figures = {"price_ratio": t["price_ratio"], "days_before_opening": float(before)}
        if before < 0:
            yield Find("info", t["transfer"],
                       msg("Transfer {transfer} was made on {made}, after the court opened proceedings against the "
                           "seller on {opened}. Art 59 looks back from the opening decision and does not reach it; "
                           "what the seller could do after opening is not assessed here.",
                           transfer=t['transfer'], made=made, opened=opened), figures=figures)
        elif before <= window:
            yield Find("fail", t["transfer"],
                       msg("Proceedings against the seller were opened on {opened}. Transfer {transfer} was made on "
                           "{made}, {before} days before that decision, at {price_ratio:.0%} of appraised value: "
                           "within the six months before the decision to open proceedings, a transfer not at market "
                           "price is void ({benchmark}).",
                           opened=opened, transfer=t['transfer'], made=made, before=before, price_ratio=t['price_ratio'], benchmark=BENCHMARK),
                       figures=figures)
        elif before <= related:
            yield Find("risk", t["transfer"],
                       msg("Proceedings against the seller were opened on {opened}. Transfer {transfer} was made on "
                           "{made}, {before} days before that decision, at {price_ratio:.0%} of appraised value: "
                           "outside the six months for unrelated parties but within the eighteen months that apply if "
                           "the SPV is a related person of the seller ({benchmark}).",
                           opened=opened, transfer=t['transfer'], made=made, before=before, price_ratio=t['price_ratio'], benchmark=BENCHMARK), figures=figures,
                       remediation=msg("Establish whether the SPV is a related person of the seller; if it is, the transfer is void."))
        else:
            yield Find("pass", t["transfer"],
                       msg("Proceedings against the seller were opened on {opened}; transfer {transfer} was made on "
                           "{made}, {before} days before, outside both look-back periods (six months, eighteen with "
                           "related persons).",
                           opened=opened, transfer=t['transfer'], made=made, before=before),
                       figures=figures)
        return
    if t["days_before_as_of"] >= window:
        return
    yield Find("risk", t["transfer"],
               msg("Transfer {transfer} was made on {made} at {price_ratio:.0%} of appraised value. If the "
                   "court decides to open bankruptcy proceedings against the seller within {window} days after "
                   "it (eighteen months if the SPV is a related person), the transfer is void as one not at "
                   "market price ({benchmark}).",
                   transfer=t['transfer'], made=made, price_ratio=t['price_ratio'], window=window, benchmark=BENCHMARK),
               figures={"price_ratio": t["price_ratio"], "days_exposed": float(window - t["days_before_as_of"])})


def _clawback_2025(x):
    t = x.t
    made = _transfer_day(x, t)
    live = ""
    if t["seller_insolvent"] and t["seller_insolvency_opened"] != "none":
        live = msg(" Proceedings against the seller were actually opened on {seller_insolvency_opened}.",
                   seller_insolvency_opened=t['seller_insolvency_opened'])
    yield Find("risk", t["transfer"],
               msg("Transfer {transfer} was made on {made} at {price_ratio:.0%} of appraised value "
                   "({benchmark}).{live} The Law on Rehabilitation and Bankruptcy of 2025 governs its "
                   "avoidance from 2026-03-01; ipsa has not read that Law's void-transaction article or its "
                   "look-back periods (the 2014 Law's were six months before the decision to open proceedings, "
                   "eighteen with related persons), so it cannot say when the exposure ends.",
                   transfer=t['transfer'], made=made, price_ratio=t['price_ratio'], benchmark=BENCHMARK, live=live),
               figures={"price_ratio": t["price_ratio"]},
               remediation=msg("Have Vietnamese counsel confirm the 2025 Law's avoidance rules and look-back periods; pay a price "
                           "supported by an independent valuation."))


CLAWBACK_REMEDY = (N_("Pay a market price supported by an independent valuation; where the SPV is a related person, the window is "
                   "eighteen months."))

_chain = registration_chain(
    "VN", N_("IP Viet Nam"),
    effect=IP_EFFECT,
    estate=ESTATE,
    register=N_("Register the assignment contract with IP Viet Nam before closing."),
)
_notice = notice_chain(
    "VN",
    notice=Law((cite("VN-CIVIL-CODE"),),
               N_("Civil Code Arts 365 and 369: a creditor may assign a claim without the debtor's consent but must notify the "
               "debtor in writing; a debtor not notified may refuse to perform to the assignee who does not prove the "
               "assignment, and one who pays the assignor is discharged.")),
    exposure=Law((cite("VN-CIVIL-CODE"), cite(OLD_LAW)),
                 N_("Until written notice the licensee validly pays the originator (Civil Code Arts 365 and 369); cash in the "
                 "originator's hands when it becomes insolvent is gathered for its creditors under the Law on Bankruptcy.")),
)
_licensee = Rule(
    id="VN-BR-007",
    jurisdiction="VN",
    area="bankruptcy_remoteness",
    tags=("licensee_protection",),
    requirement="A licence granted by the originator is not protected if the originator becomes bankrupt.",
    law=("The Law on Bankruptcy contains no rule keeping an IP licence alive against the licensor's insolvency, unlike US "
         "§365(n) or Japan's Bankruptcy Act Art 56."),
    citations=(cite(OLD_LAW),),
    remediation="Move the licensor position to the SPV (registered assignment of the patents) or size enhancement for the loss.",
    when=(On("flow", "royalty_flow", (this.licensor_country == "VN") & this.licensor_in_originator_group),),
    then=_no_licensee_protection,
)
_clawback = Rule(
    id="VN-BR-018",
    jurisdiction="VN",
    area="bankruptcy_remoteness",
    tags=("clawback",),
    requirement=("A transfer not at market price within six months before the court's decision to open bankruptcy proceedings "
                 "(eighteen months with related persons) is void."),
    law=("Law on Bankruptcy Art 59: transactions of an insolvent enterprise made within six months before the date the court "
         "decides to open bankruptcy proceedings (eighteen months with related persons) that transfer assets other than at "
         "market price are void. The window runs back from the opening decision, not from the petition."),
    citations=(cite(OLD_LAW, "59"),),
    remediation=CLAWBACK_REMEDY,
    when=CLAWBACK_WHEN,
    parameters=("vn.bankruptcy.void_window_days", "vn.bankruptcy.void_window_related_days"),
    then=_clawback_2014,
)
_sale = true_sale(
    "VN", ("009", "010"),
    indicators=Law((cite("VN-CIVIL-CODE"),),
                   N_("The Civil Code governs the sale and assignment of property and claims; with no securitization statute, "
                   "whether a transfer is a sale or a secured financing is judged on its terms: recourse, repurchase, price and control.")),
    consequence=Law((cite(OLD_LAW),),
                    N_("If the transfer is a financing, the assets remain the originator's and are gathered for its creditors "
                    "under the Law on Bankruptcy; the SPV would at most hold a security interest, effective against third "
                    "parties only if registered.")),
)
_commingling = commingling(
    "VN-BR-011", "VN",
    law=Law((cite(OLD_LAW),),
            "Money in the originator's own accounts when it becomes insolvent is gathered for its creditors under the Law on "
            "Bankruptcy unless the SPV can show it is identifiably its own."),
)
_servicer = backup_servicer(
    "VN-BR-012", "VN",
    law=Law((cite(OLD_LAW),),
            "An insolvent servicer's contracts are handled in its bankruptcy under the Law on Bankruptcy, and nothing in "
            "Vietnamese law lets the SPV take over servicing without a contractual backup arrangement."),
)

RULES = [
    *_chain[:2],
    *_eras(_chain[2], "VN-BR-015"),
    _notice[0],
    *_eras(_notice[1], "VN-BR-016"),
    dataclasses.replace(_licensee, id="VN-BR-017"),
    dataclasses.replace(_eras(_licensee, "VN-BR-017")[1], law=(
        "No rule keeping an IP licence alive against the licensor's insolvency, like US §365(n) or Japan's Bankruptcy Act "
        "Art 56, is reported for the Law on Rehabilitation and Bankruptcy of 2025 (the 2014 Law had none); ipsa has not "
        "read the 2025 Law's articles: confirm with Vietnamese counsel.")),
    _clawback,
    Rule(
        id="VN-BR-008",
        jurisdiction="VN",
        area="bankruptcy_remoteness",
        tags=("clawback",),
        requirement="From 2026-03-01 a transfer below market price is exposed to avoidance under the Law on Rehabilitation and Bankruptcy.",
        law=("The Law on Rehabilitation and Bankruptcy of 2025 replaced the Law on Bankruptcy from 2026-03-01. ipsa has not read "
             "its void-transaction article; under the 2014 Law (Art 59) a transfer not at market price within six months before "
             "the decision to open proceedings (eighteen with related persons) was void."),
        citations=(cite(NEW_LAW),),
        remediation=CLAWBACK_REMEDY,
        when=CLAWBACK_WHEN,
        then=_clawback_2025,
    ),
    _sale[0],
    *_eras(_sale[1], "VN-BR-019"),
    *_eras(_commingling, "VN-BR-020"),
    *_eras(_servicer, "VN-BR-021"),
    Rule(
        id="VN-BR-013",
        jurisdiction="VN",
        area="bankruptcy_remoteness",
        tags=("registration", "licensee_protection",),
        requirement="A licence of Vietnamese patents binds third parties only once registered with IP Viet Nam.",
        law=("Law on IP Art 148(2) (as amended 2009): a licence of a registered industrial property right takes effect as the "
             "parties agree but binds third parties only once registered. Whether the 2022 or 2025 amendments changed this "
             "clause has not been read."),
        citations=(cite("VN-IP-LAW", "148"),),
        remediation="Register each licence contract with IP Viet Nam.",
        when=(On("flow", "royalty_flow", this.payer_country == "VN"),),
        then=_licence_unregistered,
    ),
    patent_term(
        "VN-BR-014", "VN",
        law=Law((cite("VN-IP-LAW", "93"),), "Law on IP Art 93: an invention patent is valid from grant until twenty years from filing."),
        after_expiry=N_("After expiry the invention is free to use, and licence royalties for it fall away."),
    ),
]
