"""The remediation catalogue: for the fail and risk findings of an assessment, the changes a lawyer would draft.

Each candidate is a concrete edit of the deal; the advisor applies it and re-assesses, so a candidate that cures
nothing is simply not offered. Placeholders for parties still to be chosen (a backup servicer, an insurer) are
named as such.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from ipsa.engine.text import N_, joined, msg
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


@dataclass(frozen=True)
class Context:
    """What every remedy looks at: the deal, its graph, the base assessment and what its findings are about."""

    loaded: LoadedDeal
    g: DealGraph
    base: Assessment
    issues: frozenset[str]
    day: str  # the as-of date, on which proposed filings and notices are dated

    @property
    def deal(self):
        return self.loaded.deal

    @property
    def spv(self):
        return self.deal.party(self.deal.spv.party)

    @property
    def originator(self) -> str | None:
        return self.g.originators[0] if self.g.originators else None


Remedy = Callable[[Context], "Candidate | list[Candidate] | None"]  # a falsy result: nothing to propose
# (the tags of the findings a remedy answers, or None where the deal's data alone calls for it; the remedy)
CATALOGUE: list[tuple[frozenset[str] | None, Remedy]] = []


def remedy(*answers: str) -> Callable[[Remedy], Remedy]:
    """Register a remedy; with tags, it is tried only when a fail or risk finding carries one of them."""
    def register(build: Remedy) -> Remedy:
        CATALOGUE.append((frozenset(answers) or None, build))
        return build
    return register


@remedy("registration")
def record_transfers(x: Context) -> Candidate | None:
    """Record every unregistered transfer in the pool's chains of title with its patent office."""
    changes = [Change(append=f"transfers[{link.transfer}].registrations", value={"office": patent.office, "date": x.day})
               for patent in x.g.pooled_patents for link in x.g.chain_of_title(patent.id).links if not link.registered]
    return changes and Candidate(
        "record_transfers", N_("Record the assignments with the patent offices"),
        N_("Where registration is a condition of effect (China, Japan, Viet Nam) the SPV owns nothing until it is "
        "made; in the US and UK it protects the SPV against a later buyer."), changes)


@remedy()
def notify_licensees(x: Context) -> Candidate | None:
    """Notify every licensee whose royalties were sold (with a certified date, which Japanese law needs)."""
    changes = []
    for path in x.g.royalty_paths():
        transfer = next((t for t in x.deal.transfers if t.id == path.receivables_transfer), None)
        if transfer is None:
            continue
        existing = [n for n in transfer.notices if n.party == path.licensee]
        if not existing:
            changes.append(Change(append=f"transfers[{transfer.id}].notices",
                                  value={"party": path.licensee, "date": x.day, "acknowledged": True, "certified_date": True}))
        elif path.payer_country == "JP" and not existing[0].certified_date:
            index = transfer.notices.index(existing[0])
            changes.append(Change(set=f"transfers[{transfer.id}].notices[{index}].certified_date", value=True))
    for loan in x.g.pooled_loans:  # a borrower whose repayments were sold is a debtor to notify like a licensee
        transfer = next(t for t in x.deal.transfers if t.to == x.spv.id and loan.id in t.receivables)
        if not any(n.party == loan.borrower for n in transfer.notices):
            changes.append(Change(append=f"transfers[{transfer.id}].notices",
                                  value={"party": loan.borrower, "date": x.day, "acknowledged": True, "certified_date": True}))
    return changes and Candidate(
        "notify_licensees", N_("Notify every licensee and borrower of the assignment"),
        N_("Until notified a licensee may pay the originator and set off its own claims; a certified date "
        "also binds third parties under Japanese law."), changes)


@remedy("pledge")
def register_pledges(x: Context) -> Candidate | None:
    """Register the pledge of the IP securing each pooled loan with its office."""
    changes = [Change(set=f"loans[{loan.id}].pledge_registered", value=True)
               for loan in x.g.pooled_loans if not loan.pledge_registered]
    return changes and Candidate(
        "register_pledges", N_("Register the pledges of IP that secure the pooled loans"),
        N_("A pledge of a patent, trademark or copyright exists only from its registration; unregistered, a defaulted "
        "borrower's IP cannot be enforced for the pool."), changes)


@remedy()
def file_ucc(x: Context) -> Candidate | None:
    """Perfect a US seller's sale of royalties by a UCC-1 filing."""
    changes = []
    for transfer in x.deal.transfers:
        seller = x.deal.party(transfer.from_party)
        if transfer.to == x.spv.id and transfer.receivables and country(seller.jurisdiction) == "US" and \
                not any(f.registry == "ucc" for f in transfer.perfection_filings):
            changes.append(Change(append=f"transfers[{transfer.id}].perfection_filings",
                                  value={"registry": "ucc", "jurisdiction": seller.jurisdiction, "date": x.day}))
    return changes and Candidate(
        "file_ucc", N_("File a UCC-1 financing statement against the seller"),
        N_("A sale of licence royalties is perfected only by filing; unperfected, the seller's trustee can undo it."), changes)


@remedy("commingling")
def redirect_royalties(x: Context) -> Candidate | None:
    """Every licensee pays into a collection account in the SPV's name."""
    account = next((a for a in x.deal.accounts if a.holder == x.spv.id and a.kind == "collection"), None)
    changes = [] if account else [Change(append="accounts", value={"id": "acc-spv-collection", "holder": x.spv.id, "kind": "collection"})]
    target = account.id if account else "acc-spv-collection"
    redirects = [Change(set=f"licences[{p.licence}].pays_to", value=target) for p in x.g.royalty_paths() if not p.to_spv]
    return redirects and Candidate(
        "redirect_royalties", N_("Redirect the royalties to a collection account in the SPV's name"),
        N_("Cash that passes through the originator can be swept into its estate; paid straight to the "
        "SPV's account it stays the SPV's."), changes + redirects)


@remedy("backup_servicer")
def backup_servicer(x: Context) -> Candidate | None:
    """A warm backup servicer, to be appointed."""
    if not x.deal.servicing or x.deal.servicing.backup_servicer:
        return None
    return Candidate("backup_servicer", N_("Appoint a backup servicer"),
                     N_("If the originator fails, someone must be ready to invoice, collect and report at once."),
                     [Change(append="parties", value={"id": "backup-servicer", "name": N_("Backup servicer (to be appointed)"),
                                                      "roles": ["backup_servicer"], "jurisdiction": x.spv.jurisdiction}),
                      Change(set="servicing.backup_servicer", value="backup-servicer")])


@remedy("separateness")
def independent_director(x: Context) -> Candidate | None:
    """An independent director and the separateness, non-petition and limited-recourse covenants."""
    changes = [Change(set="spv.separateness_covenants", value=True), Change(set="spv.non_petition", value=True),
               Change(set="spv.limited_recourse", value=True), Change(set="spv.activities_limited", value=True)]
    if not any(d.independent for d in x.spv.directors):
        changes.insert(0, Change(append=f"parties[{x.spv.id}].directors", value={"name": N_("Independent director (to be appointed)"), "independent": True}))
    if x.deal.spv.guarantees_affiliate_debt:
        changes.append(Change(set="spv.guarantees_affiliate_debt", value=False))
    return Candidate("independent_director", N_("Add an independent director and separateness covenants"),
                     N_("An independent director whose vote is needed for any insolvency filing, with separateness, "
                     "non-petition and limited-recourse terms, is what answers the consolidation tests."), changes)


def _transfers_to_spv(x: Context):
    return [t for t in x.deal.transfers if t.to == x.spv.id]


@remedy()
def true_sale(x: Context) -> Candidate | None:
    """No recourse or repurchase beyond warranties."""
    changes = [change for t in _transfers_to_spv(x) if t.recourse != "none" or t.repurchase_obligation
               for change in (Change(set=f"transfers[{t.id}].recourse", value="none"),
                              Change(set=f"transfers[{t.id}].repurchase_obligation", value=False))]
    return changes and Candidate("true_sale", N_("Remove recourse and repurchase obligations beyond warranties"),
                                 N_("Recourse and repurchase duties make the transfer look like a secured loan."), changes)


@remedy()
def fair_price(x: Context) -> Candidate | None:
    """Pay the appraised value where the price is far below it."""
    changes = [Change(set=f"transfers[{t.id}].price", value=t.appraised_value) for t in _transfers_to_spv(x)
               if t.price is not None and t.appraised_value and t.price < 0.7 * t.appraised_value]
    return changes and Candidate("fair_price", N_("Pay the appraised value"),
                                 N_("A price far below value invites an administrator to set the transfer aside."), changes)


@remedy("legal_opinion")
def obtain_opinions(x: Context) -> Candidate | None:
    """Counsel's true-sale opinion for each transfer, and a non-consolidation opinion for the SPV, where findings
    ask for them (market practice: a rated deal closes on them)."""
    wanted = {f.about for f in x.base.findings if "legal_opinion" in f.tags and f.status in ("fail", "risk")}
    transfers = {t.id: t for t in _transfers_to_spv(x)}
    changes = []
    for about in sorted(wanted):
        if about in transfers:
            law = x.deal.party(transfers[about].from_party).jurisdiction
            changes.append(Change(append="opinions", value={"kind": "true_sale", "jurisdiction": law, "date": x.day,
                                                            "firm": N_("Transaction counsel (to be instructed)"), "covers": [about]}))
        elif about == x.spv.id and x.originator:
            changes.append(Change(append="opinions", value={
                "kind": "non_consolidation", "jurisdiction": x.deal.party(x.originator).jurisdiction, "date": x.day,
                "firm": N_("Transaction counsel (to be instructed)")}))
    return changes and Candidate(
        "obtain_opinions", N_("Obtain the closing legal opinions"),
        N_("Rating agencies and investors expect counsel's reasoned true-sale and non-consolidation opinions at closing; "
        "they rest on the transfer terms and the SPV's separateness, which the other steps put right."), changes)


@remedy("eligible_assets")
def licence_backed_plan(x: Context) -> Candidate | None:
    """China: a bare patent pool is steered to a plan over the contracted licence royalties on the same patents."""
    if not x.originator:
        return None
    pooled = {lic.id for lic in x.g.pooled_licences}
    patents = {p.id for p in x.g.pooled_patents}
    unsold = [lic for lic in x.deal.licences
              if lic.id not in pooled and set(lic.patents) & patents and lic.licensor in x.g.originator_group]
    return unsold and Candidate(
        "licence_backed_plan", N_("Base the plan on the contracted licence royalties (a licence-backed special plan)"),
        N_("A special plan needs independent, predictable cash flow; the licence royalties on the same patents are that "
        "cash flow, where a bare patent is on AMAC's negative list."),
        [Change(append="transfers", value={
            "id": "t-licence-receivables", "from": x.originator, "to": x.spv.id, "method": "sale",
            "receivables": [lic.id for lic in unsold], "date": x.day,
            "notices": [{"party": lic.licensee, "date": x.day, "acknowledged": True} for lic in unsold]})])


@remedy("patent_in_trust")
def licence_and_sublicence(x: Context) -> Candidate | None:
    """China: a patent-in-trust becomes a licence to the plan."""
    changes = [Change(set=f"transfers[{t.id}].method", value="licence") for t in _transfers_to_spv(x) if t.method == "trust_settlement"]
    return changes and Candidate(
        "licence_and_sublicence", N_("Restructure the patent-in-trust as a licence and sublicence"),
        N_("No registration route exists for patents held in trust; a licence to the plan, recorded with "
        "CNIPA, with sublicences to the operators, is the structure Chinese deals use."), changes)


@remedy()
def drop_challenged(x: Context) -> list[Candidate]:
    """Drop each challenged patent from the licences that keep other patents (one candidate per patent)."""
    out = []
    for patent in x.g.pooled_patents:
        if any(c.status == "pending" for c in patent.challenges):
            edits = [Change(set=f"licences[{lic.id}].patents", value=[p for p in lic.patents if p != patent.id])
                     for lic in x.g.pooled_licences if patent.id in lic.patents and len(lic.patents) > 1]
            if edits:
                out.append(Candidate(f"drop_{patent.id}", msg("Drop the challenged patent {number} from the pool", number=patent.number),
                                     N_("A pending challenge can invalidate the patent; the licences' other patents carry the royalties."),
                                     edits))
    return out


@remedy()
def raise_subordination(x: Context) -> Candidate | None:
    """Move a tenth of the senior class into the most junior class where the senior carries more than it should."""
    notes = sorted(x.deal.notes, key=lambda n: (n.seniority, n.id))
    enhancement = x.base.risk.enhancement if x.base.risk else None
    if len(notes) < 2 or not enhancement or enhancement.required_enhancement <= enhancement.current_enhancement:
        return None
    shift = round(notes[0].amount * 0.10, 2)
    return Candidate("raise_subordination", N_("Move a tenth of the senior class into the most junior class"),
                     N_("The senior class carries more than the pool supports at its target; subordination absorbs losses first."),
                     [Change(set=f"notes[{notes[0].id}].amount", value=notes[0].amount - shift),
                      Change(set=f"notes[{notes[-1].id}].amount", value=notes[-1].amount + shift)])


@remedy("withholding")
def gross_up(x: Context) -> Candidate | None:
    if x.deal.tax.gross_up:
        return None
    return Candidate("gross_up", N_("Negotiate a gross-up from the licensees"),
                     N_("Withholding tax otherwise comes out of the royalties that serve the notes."), [Change(set="tax.gross_up", value=True)])


@remedy("retention")
def retain_five_percent(x: Context) -> Candidate | None:
    return x.originator and Candidate(
        "retain_five_percent", N_("Have the originator retain a 5% vertical interest"),
        N_("The retention rules of the US, EU, UK and Chinese credit ABS all ask for 5% held by the originator side."),
        [Change(set="regulation.risk_retention", value={"holder": x.originator, "share": 0.05, "form": "vertical"})])


@remedy("transparency")
def reporting_entity(x: Context) -> Candidate | None:
    return x.originator and Candidate(
        "reporting_entity", N_("Designate the originator as reporting entity"),
        N_("One party must make the transparency disclosures investors need for their due diligence."),
        [Change(set="regulation.reporting_entity", value=x.originator)])


@remedy("vehicle_notification")
def tmk_notification(x: Context) -> Candidate | None:
    return Candidate(
        "tmk_notification", N_("File the TMK's business-commencement notification with its asset liquidation plan"),
        N_("A TMK may not start business without it."),
        [Change(append="regulation.filings", value={"regulator": "JP_LFB", "kind": N_("business commencement notification"), "date": x.day}),
         Change(set="regulation.asset_liquidation_plan", value=True)])


@remedy()
def pool_selection(x: Context) -> Candidate | None:
    """Leave out the licences the risk core's pool selection drops."""
    selection = x.base.risk.selection if x.base.risk else None
    if not selection or not selection.dropped_licences:
        return None
    dropped = set(selection.dropped_licences)
    edits = [Change(set=f"transfers[{t.id}].receivables", value=[r for r in t.receivables if r not in dropped])
             for t in _transfers_to_spv(x) if set(t.receivables) & dropped]
    return edits and Candidate("pool_selection", msg("Leave {dropped} out of the pool", dropped=joined(sorted(dropped), ", ")), selection.why, edits)


def candidates(loaded: LoadedDeal, base: Assessment, as_of: dt.date) -> list[Candidate]:
    """Every remedy the deal calls for; one keyed on tags is tried only if a finding it answers is open."""
    x = Context(loaded, DealGraph(loaded.deal), base, open_issues(base), as_of.isoformat())
    out: list[Candidate] = []
    for answers, build in CATALOGUE:
        if answers is None or answers & x.issues:
            proposed = build(x)
            out += proposed if isinstance(proposed, list) else [proposed] if proposed else []
    return out


def insurance_candidate(loaded: LoadedDeal, rating: str, premium_rate: float) -> Candidate | None:
    """Insure the senior class with a wrap from an insurer of the given rating, whose own default the model keeps."""
    deal = loaded.deal
    senior = sorted(deal.notes, key=lambda n: (n.seniority, n.id))[0]
    if any(senior.id in w.covers for w in deal.credit_enhancement.wraps):
        return None
    return Candidate(
        "insure_senior", (msg("Insure the senior class with an {rating}-rated insurer at {premium_rate:.2%} a year",
                              rating=rating, premium_rate=premium_rate) if rating.startswith("A") else
                          msg("Insure the senior class with a {rating}-rated insurer at {premium_rate:.2%} a year",
                              rating=rating, premium_rate=premium_rate)),
        N_("Insurance of the patent pool's cash flow: the insurer pays senior shortfalls for as long as it survives, and the "
        "model keeps the insurer's own default risk."),
        [Change(append="parties", value={"id": "pool-insurer", "name": msg("Pool insurer rated {rating} (to be selected)", rating=rating),
                                         "roles": ["insurer"], "jurisdiction": deal.spv.jurisdiction, "entity_type": "insurer",
                                         "rating": rating}),
         Change(append="credit_enhancement.wraps", value={"provider": "pool-insurer", "kind": "insurance", "covers": [senior.id],
                                                          "premium_rate": premium_rate})])
