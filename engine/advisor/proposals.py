"""The remediation catalogue: for the fail and risk findings of an assessment, the changes a lawyer would draft.

Each candidate is a concrete edit of the deal; the advisor applies it and re-assesses, so a candidate that cures
nothing is simply not offered. Placeholders for parties still to be chosen (a backup servicer, an insurer) are
named as such.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ipsa.engine.advisor.changes import Change
from ipsa.engine.assessment import Assessment
from ipsa.engine.graph import DealGraph, country
from ipsa.engine.loading import LoadedDeal


@dataclass
class Candidate:
    id: str
    title: str
    why: str
    changes: list[Change]


def open_issues(a: Assessment) -> frozenset[str]:
    """What the rules behind the fail and risk findings are about (their tags): the catalogue keys on these."""
    return frozenset(tag for f in a.findings if f.status in ("fail", "risk") for tag in f.tags)


def candidates(loaded: LoadedDeal, base: Assessment, as_of: dt.date) -> list[Candidate]:
    deal = loaded.deal
    g = DealGraph(deal)
    issues = open_issues(base)
    day = as_of.isoformat()
    spv = deal.party(deal.spv.party)
    originator = g.originators[0] if g.originators else None
    out: list[Candidate] = []

    # Title: record every unregistered transfer with its patent office.
    registrations = []
    for patent in g.pooled_patents:
        for link in g.chain_of_title(patent.id).links:
            if not link.registered:
                registrations.append(Change(append=f"transfers[{link.transfer}].registrations", value={"office": patent.office, "date": day}))
    if registrations and "registration" in issues:
        out.append(Candidate("record_transfers", "Record the assignments with the patent offices",
                             "Where registration is a condition of effect (China, Japan, Viet Nam) the SPV owns nothing until it is "
                             "made; in the US and UK it protects the SPV against a later buyer.", registrations))

    # Receivables: notify every licensee (with a certified date, which Japanese law needs against third parties).
    notices = []
    for path in g.royalty_paths():
        transfer = next((t for t in deal.transfers if t.id == path.receivables_transfer), None)
        if transfer is None:
            continue
        existing = [n for n in transfer.notices if n.party == path.licensee]
        if not existing:
            notices.append(Change(append=f"transfers[{transfer.id}].notices",
                                  value={"party": path.licensee, "date": day, "acknowledged": True, "certified_date": True}))
        elif path.payer_country == "JP" and not existing[0].certified_date:
            index = transfer.notices.index(existing[0])
            notices.append(Change(set=f"transfers[{transfer.id}].notices[{index}].certified_date", value=True))
    if notices:
        out.append(Candidate("notify_licensees", "Notify every licensee of the assignment",
                             "Until notified a licensee may pay the originator and set off its own claims; a certified date "
                             "also binds third parties under Japanese law.", notices))

    # Perfection of a US sale of royalties.
    filings = []
    for transfer in deal.transfers:
        seller = deal.party(transfer.from_party)
        if transfer.to == spv.id and transfer.receivables and country(seller.jurisdiction) == "US" and \
                not any(f.registry == "ucc" for f in transfer.perfection_filings):
            filings.append(Change(append=f"transfers[{transfer.id}].perfection_filings",
                                  value={"registry": "ucc", "jurisdiction": seller.jurisdiction, "date": day}))
    if filings:
        out.append(Candidate("file_ucc", "File a UCC-1 financing statement against the seller",
                             "A sale of licence royalties is perfected only by filing; unperfected, the seller's trustee can undo it.",
                             filings))

    # Collections: every licensee pays into an account in the SPV's name.
    if "commingling" in issues:
        account = next((a for a in deal.accounts if a.holder == spv.id and a.kind == "collection"), None)
        changes = []
        if account is None:
            changes.append(Change(append="accounts", value={"id": "acc-spv-collection", "holder": spv.id, "kind": "collection"}))
        target = account.id if account else "acc-spv-collection"
        changes += [Change(set=f"licences[{p.licence}].pays_to", value=target) for p in g.royalty_paths() if not p.to_spv]
        if len(changes) > (0 if account else 1):
            out.append(Candidate("redirect_royalties", "Redirect the royalties to a collection account in the SPV's name",
                                 "Cash that passes through the originator can be swept into its estate; paid straight to the "
                                 "SPV's account it stays the SPV's.", changes))

    # Servicing: a warm backup servicer.
    if deal.servicing and not deal.servicing.backup_servicer and "backup_servicer" in issues:
        out.append(Candidate("backup_servicer", "Appoint a backup servicer",
                             "If the originator fails, someone must be ready to invoice, collect and report at once.",
                             [Change(append="parties", value={"id": "backup-servicer", "name": "Backup servicer (to be appointed)",
                                                              "roles": ["backup_servicer"], "jurisdiction": spv.jurisdiction}),
                              Change(set="servicing.backup_servicer", value="backup-servicer")]))

    # The SPV: an independent director and separateness covenants.
    if "separateness" in issues:
        changes = [Change(set="spv.separateness_covenants", value=True), Change(set="spv.non_petition", value=True),
                   Change(set="spv.limited_recourse", value=True), Change(set="spv.activities_limited", value=True)]
        if not any(d.independent for d in spv.directors):
            changes.insert(0, Change(append=f"parties[{spv.id}].directors", value={"name": "Independent director (to be appointed)", "independent": True}))
        if deal.spv.guarantees_affiliate_debt:
            changes.append(Change(set="spv.guarantees_affiliate_debt", value=False))
        out.append(Candidate("independent_director", "Add an independent director and separateness covenants",
                             "An independent director whose vote is needed for any insolvency filing, with separateness, "
                             "non-petition and limited-recourse terms, is what answers the consolidation tests.", changes))

    # True sale and price.
    sale_fixes, price_fixes = [], []
    for transfer in deal.transfers:
        if transfer.to != spv.id:
            continue
        if transfer.recourse != "none" or transfer.repurchase_obligation:
            sale_fixes += [Change(set=f"transfers[{transfer.id}].recourse", value="none"),
                           Change(set=f"transfers[{transfer.id}].repurchase_obligation", value=False)]
        if transfer.price is not None and transfer.appraised_value and transfer.price < 0.7 * transfer.appraised_value:
            price_fixes.append(Change(set=f"transfers[{transfer.id}].price", value=transfer.appraised_value))
    if sale_fixes:
        out.append(Candidate("true_sale", "Remove recourse and repurchase obligations beyond warranties",
                             "Recourse and repurchase duties make the transfer look like a secured loan.", sale_fixes))
    if price_fixes:
        out.append(Candidate("fair_price", "Pay the appraised value",
                             "A price far below value invites an administrator to set the transfer aside.", price_fixes))

    # China: a bare patent pool is steered to a licence-backed special plan.
    if "eligible_assets" in issues and originator:
        pooled = {l.id for l in g.pooled_licences}
        patents = {p.id for p in g.pooled_patents}
        unsold = [l for l in deal.licences if l.id not in pooled and set(l.patents) & patents and l.licensor in g.originator_group]
        if unsold:
            out.append(Candidate(
                "licence_backed_plan", "Base the plan on the contracted licence royalties (a licence-backed special plan)",
                "A special plan needs independent, predictable cash flow; the licence royalties on the same patents are that "
                "cash flow, where a bare patent is on AMAC's negative list.",
                [Change(append="transfers", value={
                    "id": "t-licence-receivables", "from": originator, "to": spv.id, "method": "sale",
                    "receivables": [l.id for l in unsold], "date": day,
                    "notices": [{"party": l.licensee, "date": day, "acknowledged": True} for l in unsold]})]))

    # China: a patent-in-trust becomes a licence to the plan.
    if "patent_in_trust" in issues:
        changes = [Change(set=f"transfers[{t.id}].method", value="licence") for t in deal.transfers
                   if t.method == "trust_settlement" and t.to == spv.id]
        if changes:
            out.append(Candidate("licence_and_sublicence", "Restructure the patent-in-trust as a licence and sublicence",
                                 "No registration route exists for patents held in trust; a licence to the plan, recorded with "
                                 "CNIPA, with sublicences to the operators, is the structure Chinese deals use.", changes))

    # Risk: drop a challenged patent from licences that keep other patents.
    for patent in g.pooled_patents:
        if any(c.status == "pending" for c in patent.challenges):
            edits = [Change(set=f"licences[{l.id}].patents", value=[p for p in l.patents if p != patent.id])
                     for l in g.pooled_licences if patent.id in l.patents and len(l.patents) > 1]
            if edits:
                out.append(Candidate(f"drop_{patent.id}", f"Drop the challenged patent {patent.number} from the pool",
                                     "A pending challenge can invalidate the patent; the licences' other patents carry the royalties.",
                                     edits))

    # Structure: more subordination.
    notes = sorted(deal.notes, key=lambda n: (n.seniority, n.id))
    if len(notes) > 1 and base.risk and base.risk.enhancement and \
            base.risk.enhancement.required_enhancement > base.risk.enhancement.current_enhancement:
        shift = round(notes[0].amount * 0.10, 2)
        out.append(Candidate("raise_subordination", "Move a tenth of the senior class into the most junior class",
                             "The senior class carries more than the pool supports at its target; subordination absorbs losses first.",
                             [Change(set=f"notes[{notes[0].id}].amount", value=notes[0].amount - shift),
                              Change(set=f"notes[{notes[-1].id}].amount", value=notes[-1].amount + shift)]))

    # Tax: a gross-up.
    if "withholding" in issues and not deal.tax.gross_up:
        out.append(Candidate("gross_up", "Negotiate a gross-up from the licensees",
                             "Withholding tax otherwise comes out of the royalties that serve the notes.",
                             [Change(set="tax.gross_up", value=True)]))

    # Supervision: retention, reporting entity, the TMK notification.
    if "retention" in issues and originator:
        out.append(Candidate("retain_five_percent", "Have the originator retain a 5% vertical interest",
                             "The retention rules of the US, EU, UK and Chinese credit ABS all ask for 5% held by the originator side.",
                             [Change(set="regulation.risk_retention", value={"holder": originator, "share": 0.05, "form": "vertical"})]))
    if "transparency" in issues and originator:
        out.append(Candidate("reporting_entity", "Designate the originator as reporting entity",
                             "One party must make the transparency disclosures investors need for their due diligence.",
                             [Change(set="regulation.reporting_entity", value=originator)]))
    if "vehicle_notification" in issues:
        out.append(Candidate("tmk_notification", "File the TMK's business-commencement notification with its asset liquidation plan",
                             "A TMK may not start business without it.",
                             [Change(append="regulation.filings", value={"regulator": "JP_LFB", "kind": "business commencement notification", "date": day}),
                              Change(set="regulation.asset_liquidation_plan", value=True)]))

    # Pool selection from the risk core.
    selection = base.risk.selection if base.risk else None
    if selection and selection.dropped_licences:
        dropped = set(selection.dropped_licences)
        edits = [Change(set=f"transfers[{t.id}].receivables", value=[r for r in t.receivables if r not in dropped])
                 for t in deal.transfers if t.to == spv.id and set(t.receivables) & dropped]
        if edits:
            out.append(Candidate("pool_selection", f"Leave {', '.join(sorted(dropped))} out of the pool", selection.why, edits))
    return out


def insurance_candidate(loaded: LoadedDeal, rating: str, premium_rate: float) -> Candidate | None:
    """Insure the senior class with a wrap from an insurer of the given rating, whose own default the model keeps."""
    deal = loaded.deal
    senior = sorted(deal.notes, key=lambda n: (n.seniority, n.id))[0]
    if any(senior.id in w.covers for w in deal.credit_enhancement.wraps):
        return None
    return Candidate(
        "insure_senior", f"Insure the senior class with {'an' if rating.startswith('A') else 'a'} {rating}-rated insurer at {premium_rate:.2%} a year",
        "Insurance of the patent pool's cash flow: the insurer pays senior shortfalls for as long as it survives, and the "
        "model keeps the insurer's own default risk.",
        [Change(append="parties", value={"id": "pool-insurer", "name": f"Pool insurer rated {rating} (to be selected)",
                                         "roles": ["insurer"], "jurisdiction": deal.spv.jurisdiction, "entity_type": "insurer",
                                         "rating": rating}),
         Change(append="credit_enhancement.wraps", value={"provider": "pool-insurer", "kind": "insurance", "covers": [senior.id],
                                                          "premium_rate": premium_rate})])
