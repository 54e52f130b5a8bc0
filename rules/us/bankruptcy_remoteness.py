"""United States — bankruptcy remoteness.

Unlike CN, JP and VN, recording a patent assignment at the USPTO is not a condition of its effect: it protects
the assignee against a later purchaser (35 U.S.C. §261). A sale of royalty receivables ("accounts") must be
perfected by a UCC filing, or the seller's trustee can avoid it (US-BR-002 -> US-BR-003).
"""

import datetime as dt

from ipsa.engine.text import N_, joined, msg
from ipsa.engine.dates import add_months
from ipsa.engine.rulekit import Conclude, Find, On, Rule, cite, earlier, this
from ipsa.rules.patterns import (TRUE_SALE_PRICE_RATIO, Law, backup_servicer, commingling, notice_chain, patent_term,
                                 true_sale)


def _recording(x):
    link = x.link
    months = int(x.param("us.patent.recording_grace_months"))
    transfer_date = x.as_of - dt.timedelta(days=link["days_since"])
    deadline = add_months(transfer_date, months)
    if x.as_of <= deadline:
        yield Find("info", link["patent"],
                   msg("Transfer {transfer} of US patent {patent_number} is not yet recorded at the USPTO. "
                       "Recorded by {deadline} ({months} months from its date), it prevails over any later "
                       "purchaser; {days} days remain.",
                       transfer=link['transfer'], patent_number=link['patent_number'], deadline=deadline.isoformat(), months=months, days=(deadline - x.as_of).days),
                   figures={"days_left": float((deadline - x.as_of).days)},
                   remediation=msg("Record the assignment at the USPTO before the three months run out."))
    else:
        yield Find("risk", link["patent"],
                   msg("Transfer {transfer} of US patent {patent_number} was not recorded at the USPTO within "
                       "{months} months. It is valid between the parties, but void against a later purchaser or "
                       "mortgagee for value without notice who acquires before it is recorded.",
                       transfer=link['transfer'], patent_number=link['patent_number'], months=months))


def _perfection(x):
    r = x.rec
    if "ucc" in r["perfection_registries"]:
        yield Find("pass", r["licence"],
                   msg("The sale of royalties under licence {licence} is perfected by a UCC financing statement "
                       "against the seller.", licence=r['licence']))
        return
    yield Conclude("sale_of_accounts_unperfected", r["licence"],
                   msg("The sale of royalty receivables under licence {licence} has no UCC financing statement "
                       "against the seller; royalties under a patent licence are accounts, and a sale of accounts "
                       "is perfected only by filing.", licence=r['licence']),
                   {"transfer": r["transfer"]})


def _avoidable(x):
    u, t = x.unperfected, x.t
    if t["seller_insolvent"]:
        yield Find("fail", u["about"],
                   msg("The seller is in insolvency proceedings opened on {seller_insolvency_opened}, and the sale "
                       "of royalties under licence {about} was unperfected then. The trustee (or debtor in "
                       "possession) held the rights of a lien creditor from that date and can avoid the sale now; "
                       "the receivables are in the estate and the SPV is an unsecured creditor. A UCC filing made "
                       "after the petition does not cure it.",
                       seller_insolvency_opened=t['seller_insolvency_opened'], about=u['about']),
                   remediation=msg("Assert any defence to avoidance in the seller's case (for example a filing made before the "
                               "petition that ipsa was not told of); the sale cannot be perfected against the trustee now."))
        return
    yield Find("fail", u["about"],
               msg("Because the sale of royalties under licence {about} is unperfected, a bankruptcy trustee "
                   "of the seller, holding the rights of a lien creditor, can avoid it; the receivables return "
                   "to the estate and the SPV is an unsecured creditor.", about=u['about']))


def _transfer_day(x, t) -> dt.date:
    return x.as_of - dt.timedelta(days=t["days_before_as_of"])


def _param_on(parameter: str, day: dt.date) -> float | None:
    from ipsa.knowledge_base import load

    value = load().parameter(parameter, day)
    return None if value is None else value.value


def _undervalue_words(t) -> str:
    return (msg("at {price_ratio:.0%} of appraised value (ipsa flags prices below "
                "{true_sale_price_ratio:.0%} of appraised value as possibly less than reasonably "
                "equivalent; the statute sets no number)",
                price_ratio=t['price_ratio'], true_sale_price_ratio=TRUE_SALE_PRICE_RATIO))


def _clawback_548(x):
    """§548: on or within the look-back before the petition. With proceedings actually open the window runs back from
    the real petition date (and its length is the one in force then); otherwise from a petition assumed on the
    assessment date."""
    t = x.t
    made = _transfer_day(x, t)
    if t["seller_insolvent"]:
        petition = dt.date.fromisoformat(t["seller_insolvency_opened"])
        if made > petition:
            return  # a transfer after the petition is not a §548 question
        window = _param_on("us.bankruptcy.fraudulent_transfer_lookback_days", petition)
        if window is None:
            return
        before = (petition - made).days
        if before <= window:
            yield Find("fail", t["transfer"],
                       msg("The seller is in insolvency proceedings opened on {petition}. Transfer {transfer} was made "
                           "{before} days before that petition, within §548's {window}-day look-back, {t}. The trustee "
                           "can seek to avoid it now if the seller was insolvent or undercapitalised when it was made.",
                           petition=petition.isoformat(), transfer=t['transfer'], before=before, window=int(window), t=_undervalue_words(t)),
                       figures={"price_ratio": t["price_ratio"], "days_before_petition": float(before), "window_days": window},
                       remediation=msg("Prepare the defence of value: the independent valuation, the solvency certificate and "
                                   "evidence of the price's negotiation; the SPV's lien for value given in good faith (§548(c))."))
        else:
            yield Find("pass", t["transfer"],
                       msg("The seller is in insolvency proceedings opened on {petition}. Transfer {transfer} was made "
                           "{before} days before that petition, outside §548's {window}-day look-back; state law under "
                           "§544(b) may still reach it (US-BR-013).",
                           petition=petition.isoformat(), transfer=t['transfer'], before=before, window=int(window)),
                       figures={"price_ratio": t["price_ratio"], "days_before_petition": float(before), "window_days": window})
        return
    window = int(x.param("us.bankruptcy.fraudulent_transfer_lookback_days"))
    if t["days_before_as_of"] > window:
        return
    yield Find("risk", t["transfer"],
               msg("Transfer {transfer} was made {days_before_as_of} days before the assessment date {t}. For "
                   "{window} more days a petition by the seller would put it within §548's {window2}-day "
                   "look-back, and its trustee could seek to avoid it as a constructively fraudulent transfer "
                   "if the seller was insolvent or undercapitalised when it was made.",
                   transfer=t['transfer'], days_before_as_of=t['days_before_as_of'], t=_undervalue_words(t), window=window - t['days_before_as_of'], window2=window),
               figures={"price_ratio": t["price_ratio"], "days_exposed": float(window - t["days_before_as_of"])})


def _clawback_state_law(x):
    """§544(b): the trustee takes an actual unsecured creditor's state-law avoidance claim, with that law's period (ipsa
    models Delaware's UFTA: 4 years after the transfer)."""
    t = x.t
    made = _transfer_day(x, t)
    months = int(x.param("us.state_fraudulent_transfer.lookback_months"))
    if t["seller_insolvent"]:
        petition = dt.date.fromisoformat(t["seller_insolvency_opened"])
        if made > petition:
            return
        state_months = _param_on("us.state_fraudulent_transfer.lookback_months", petition)
        months = int(state_months) if state_months is not None else months
        if petition <= add_months(made, months):
            yield Find("fail", t["transfer"],
                       msg("The seller is in insolvency proceedings opened on {petition}. Transfer {transfer} was made "
                           "{days} days before that petition {t}, within the {months}-month period of state "
                           "fraudulent-transfer law (ipsa models Delaware's UFTA). Through §544(b) the trustee can "
                           "pursue it if any actual unsecured creditor of the seller could have avoided it on the "
                           "petition date.",
                           petition=petition.isoformat(), transfer=t['transfer'], days=(petition - made).days, t=_undervalue_words(t), months=months),
                       figures={"price_ratio": t["price_ratio"], "days_before_petition": float((petition - made).days),
                                "window_months": float(months)},
                       remediation=msg("Prepare the defence of reasonably equivalent value and solvency; check which state's law "
                                   "governs the claim and its period."))
        else:
            yield Find("pass", t["transfer"],
                       msg("The seller is in insolvency proceedings opened on {petition}, more than {months} months "
                           "after transfer {transfer}; ipsa's model of state fraudulent-transfer law (Delaware's UFTA) "
                           "no longer reaches it.",
                           petition=petition.isoformat(), months=months, transfer=t['transfer']), figures={"price_ratio": t["price_ratio"], "window_months": float(months)})
        return
    ends = add_months(made, months)
    if x.as_of > ends:
        return
    yield Find("risk", t["transfer"],
               msg("Transfer {transfer} was made on {made} {t}. Beyond §548's look-back, a trustee of the "
                   "seller can use state fraudulent-transfer law through §544(b) if an actual unsecured "
                   "creditor could avoid the transfer: ipsa models Delaware's UFTA, under which the claim runs "
                   "{months} months from the transfer, until {ends} ({days} days from the assessment date). "
                   "Other states' periods may be longer.",
                   transfer=t['transfer'], made=made.isoformat(), t=_undervalue_words(t), months=months, ends=ends.isoformat(), days=(ends - x.as_of).days),
               figures={"price_ratio": t["price_ratio"], "days_exposed": float((ends - x.as_of).days)})


def _true_sale_opinion(x):
    t = x.t
    live = (msg(" The seller is already in insolvency proceedings opened on {seller_insolvency_opened}: the "
                "characterisation will be argued in that case.",
                seller_insolvency_opened=t['seller_insolvency_opened']) if t["seller_insolvent"] else "")
    if t["true_sale_opinion"]:
        yield Find("pass", t["transfer"],
                   msg("A true-sale opinion under US law covers transfer {transfer}, as rating agencies expect at "
                       "closing.", transfer=t['transfer']) + live)
    else:
        yield Find("risk", t["transfer"],
                   msg("No true-sale opinion under US law is recorded for transfer {transfer}. Rating agencies "
                       "ask, as a closing condition of a rated US securitization, for counsel's reasoned opinion "
                       "that a court in the seller's bankruptcy would treat the transfer as a sale and not a loan, "
                       "so that the assets are not property of its estate. This is market practice, not a "
                       "statutory requirement.", transfer=t['transfer']) + live)


def _licensee_protection(x):
    flow = x.flow
    foreign = [o for o in flow["patent_offices"] if o != "US"]
    live = (N_(" The licensor is already in insolvency proceedings, so the election to assume or reject the licence is a "
            "present question, not a hypothetical one.") if flow["licensor_insolvent"] else "")
    if not foreign:
        yield Find("pass", flow["licence"],
                   msg("Licence {licence} is of US patents. If the originator-licensor goes bankrupt and rejects "
                       "it, the licensee may keep its rights for the term while paying the royalties (§365(n)), so "
                       "the royalty stream can continue.", licence=flow['licence'])
                   + live)
    else:
        yield Find("risk", flow["licence"],
                   msg("Licence {licence} covers {foreign} patents. §365(n) protects licensees of intellectual "
                       "property as the Code defines it, which does not reach foreign patents; if the originator "
                       "rejects the licence in a US case, the licensee's position, and the royalties, under those "
                       "patents are not protected by it.",
                       licence=flow['licence'], foreign=joined(foreign, ", ")) + live,
                   remediation=msg("Move the licensor position to the SPV, or take the foreign patents' licences from an SPV licensor."))


RULES = [
    Rule(
        id="US-BR-001",
        jurisdiction="US",
        area="bankruptcy_remoteness",
        tags=("registration",),
        requirement="An assignment of a US patent should be recorded at the USPTO within three months to prevail over later purchasers.",
        law=("35 U.S.C. §261: patents are assignable in writing; an assignment is void against a later purchaser or mortgagee "
             "for value without notice unless recorded at the USPTO within three months of its date or before the later "
             "purchase. Recording decides priority; unlike in China, Japan or Vietnam it is not a condition of the transfer's effect."),
        citations=(cite("US-PATENT-ACT", "261"),),
        remediation="Record the assignment at the USPTO at once.",
        when=(On("link", "title_link", (this.office == "US") & ~this.registered),),
        parameters=("us.patent.recording_grace_months",),
        then=_recording,
    ),
    Rule(
        id="US-BR-002",
        jurisdiction="US",
        area="bankruptcy_remoteness",
        tags=("perfection",),
        requirement="A sale of patent-licence royalties by a US seller is perfected only by a UCC financing statement.",
        law=("UCC Article 9 applies to sales of accounts (§9-109(a)(3)); royalties for licensed property are accounts "
             "(§9-102(a)(2)); unlike payment intangibles (§9-309(3)) a sale of accounts does not perfect automatically, so a "
             "financing statement must be filed in the seller's location."),
        citations=(cite("US-UCC-9", "9-109"), cite("US-UCC-9", "9-102"), cite("US-UCC-9", "9-309")),
        remediation="File a UCC-1 financing statement against the seller in its state of organisation, describing the sold royalties.",
        when=(On("rec", "receivable", this.seller_country == "US"),),
        then=_perfection,
    ),
    Rule(
        id="US-BR-003",
        jurisdiction="US",
        area="bankruptcy_remoteness",
        tags=("perfection",),
        requirement="An unperfected sale of royalties can be avoided by the seller's bankruptcy trustee.",
        law=("11 U.S.C. §544(a) gives the trustee the rights of a lien creditor at the petition date, which defeat an unperfected "
             "buyer of accounts; the receivables then fall into the estate (§541)."),
        citations=(cite("US-BANKRUPTCY-CODE", "544"), cite("US-BANKRUPTCY-CODE", "541")),
        remediation="File the UCC-1 before the seller's insolvency; a filing within the preference period may itself be attacked.",
        when=(On("unperfected", "sale_of_accounts_unperfected"),
              On("t", "transfer", this.transfer == earlier.unperfected.transfer)),
        then=_avoidable,
    ),
    Rule(
        id="US-BR-004",
        jurisdiction="US",
        area="bankruptcy_remoteness",
        tags=("licensee_protection",),
        requirement="A licensee of US patents keeps its licence if the bankrupt licensor rejects it; foreign patents are not covered.",
        law=("11 U.S.C. §365(n): when a debtor-licensor rejects a licence of intellectual property, the licensee may retain its "
             "rights for the term and keeps paying royalties; §101(35A) defines intellectual property by reference to title 35 "
             "patents, which leaves out foreign patents. Rejection is a breach, not a rescission (Tempnology)."),
        citations=(cite("US-BANKRUPTCY-CODE", "365(n)"), cite("US-BANKRUPTCY-CODE", "101(35A)"), cite("US-CASE-TEMPNOLOGY")),
        remediation="Where foreign patents are licensed, move the licensor position to the SPV or size enhancement for the loss.",
        when=(On("flow", "royalty_flow", (this.licensor_country == "US") & this.licensor_in_originator_group),),
        then=_licensee_protection,
    ),
    *notice_chain(
        "US",
        notice=Law((cite("US-UCC-9", "9-406"),),
                   N_("UCC §9-406(a): until the licensee receives notice of the assignment telling it to pay the assignee, it "
                   "discharges its debt by paying the assignor; an anti-assignment term does not stop the assignment.")),
        exposure=Law((cite("US-UCC-9", "9-406"), cite("US-BANKRUPTCY-CODE", "541")),
                     N_("Before notice the licensee pays the originator with full effect (UCC §9-406(a)); cash the originator holds "
                     "when it files, and cannot be traced to the SPV, is property of its estate (11 U.S.C. §541).")),
    ),
    *true_sale(
        "US", ("007", "008"),
        indicators=Law((cite("US-CASE-MAJORS-FURNITURE"), cite("US-UCC-9", "9-318")),
                       N_("Courts look past the label to the substance: where the seller keeps the risk of loss through recourse, "
                       "the transfer is a secured loan (Major's Furniture Mart). A seller of accounts keeps no interest in what "
                       "it has truly sold (UCC §9-318(a)).")),
        consequence=Law((cite("US-BANKRUPTCY-CODE", "541"), cite("US-CASE-OCTAGON-GAS")),
                        N_("If the transfer is a loan, the receivables are property of the seller's estate (11 U.S.C. §541); "
                        "Octagon Gas even read Article 9's inclusion of sold accounts as leaving them in the estate, a reading "
                        "Delaware's ABS Facilitation Act and UCC §9-318 answer for sales.")),
    ),
    Rule(
        id="US-BR-009",
        jurisdiction="US",
        area="bankruptcy_remoteness",
        tags=("clawback",),
        requirement="A transfer for less than reasonably equivalent value on or within two years before the seller's petition can be avoided.",
        law=("11 U.S.C. §548(a)(1): the trustee may avoid a transfer made on or within two years before the petition (one year "
             "in cases commenced before 2006-04-21) if the debtor received less than reasonably equivalent value and was "
             "insolvent, left with unreasonably small capital or about to incur debts beyond its ability to pay, or if it was "
             "made with actual intent to hinder, delay or defraud creditors. The window runs back from the petition date: "
             "the actual one where proceedings are open, otherwise a petition assumed on the assessment date."),
        citations=(cite("US-BANKRUPTCY-CODE", "548"),),
        remediation="Support the price with an independent valuation and a solvency certificate from the seller.",
        when=(On("t", "transfer", (this.seller_country == "US") & this.from_originator & (this.price_ratio >= 0)
                 & (this.price_ratio < TRUE_SALE_PRICE_RATIO)),),
        parameters=("us.bankruptcy.fraudulent_transfer_lookback_days",),
        then=_clawback_548,
    ),
    Rule(
        id="US-BR-013",
        jurisdiction="US",
        area="bankruptcy_remoteness",
        tags=("clawback",),
        requirement=("Through §544(b) the seller's trustee can also avoid an undervalue transfer under state fraudulent-transfer "
                     "law, whose reach-back (four years in Delaware) is longer than §548's."),
        law=("11 U.S.C. §544(b)(1): the trustee may avoid any transfer that an actual unsecured creditor with an allowable claim "
             "could avoid under applicable law. State fraudulent-transfer acts reach transfers for less than reasonably "
             "equivalent value by an insolvent debtor; under Delaware's Uniform Fraudulent Transfer Act the claim is "
             "extinguished unless brought within four years after the transfer (6 Del. C. §1309), so §544(b) can reach "
             "transfers §548's two years cannot. Another state's law may govern, with its own period."),
        citations=(cite("US-BANKRUPTCY-CODE", "544(b)"), cite("US-DE-UFTA", "1309")),
        remediation=("Support the price with an independent valuation and a solvency certificate, and identify which state's "
                     "fraudulent-transfer law governs the seller and its period."),
        when=(On("t", "transfer", (this.seller_country == "US") & this.from_originator & (this.price_ratio >= 0)
                 & (this.price_ratio < TRUE_SALE_PRICE_RATIO)),),
        parameters=("us.state_fraudulent_transfer.lookback_months",),
        then=_clawback_state_law,
    ),
    Rule(
        id="US-BR-014",
        jurisdiction="US",
        area="bankruptcy_remoteness",
        tags=("legal_opinion",),
        requirement="A rated US securitization closes on a reasoned true-sale opinion covering each transfer from a US seller (market practice).",
        law=("Rating agencies' legal criteria for structured finance ask, as a condition of rating the notes above the "
             "originator, for counsel's reasoned opinion that each transfer of the assets to the SPV is a true sale, so that "
             "they would not be property of the seller's bankruptcy estate. No statute requires the opinion; it is market "
             "practice, and the analysis it gives is the one US-BR-007 and US-BR-008 sketch."),
        citations=(cite("US-MARKET-PRACTICE-LEGAL-OPINIONS"),),
        remediation="Obtain a reasoned true-sale opinion from US counsel covering the transfer, and record it in the deal's opinions.",
        when=(On("t", "transfer", (this.seller_country == "US") & this.from_originator & this.title_passes),),
        then=_true_sale_opinion,
    ),
    commingling(
        "US-BR-010", "US",
        law=Law((cite("US-BANKRUPTCY-CODE", "541"),),
                "11 U.S.C. §541: the estate takes all the debtor's interests in property; collections mixed with the debtor's "
                "own cash can be claimed by the SPV only so far as they can be traced."),
    ),
    backup_servicer(
        "US-BR-011", "US",
        law=Law((cite("US-BANKRUPTCY-CODE", "365(a)"),),
                "11 U.S.C. §365(a): a bankrupt servicer may assume or reject its executory servicing contract, and the "
                "automatic stay keeps the SPV from simply replacing it."),
    ),
]

RULES.append(patent_term(
    "US-BR-012", "US",
    law=Law((cite("US-PATENT-ACT", "154"), cite("US-CASE-BRULOTTE"), cite("US-CASE-KIMBLE", "holding")),
            "35 U.S.C. §154: the term ends twenty years from filing. A licence that charges royalties for use after the "
            "patent expires is unenforceable as to those royalties (Brulotte v. Thys, reaffirmed in Kimble v. Marvel)."),
    after_expiry=N_("Royalties for use after expiry cannot be enforced (Brulotte; Kimble), whatever the licence says."),
))
