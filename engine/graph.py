"""The deal as a graph, and the questions the rule base asks of it.

Nodes are parties, patents, licences, note classes and accounts; edges carry a `rel`: owns, nominates,
controls, record_owner, transfer, grants, licensed_to, covers, pays_into, held_by, wraps, services,
backs_up, issues. Every query here is a plain function of the deal and is tested on its own; the queries asked for
each patent or licence read indexes over the deal, built once per graph, so a 2,000-patent deal costs no more per
patent than a small one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import networkx as nx

from ipsa.engine.text import msg
from ipsa.engine.model import Deal, Licence, Notice, Patent, Transfer, TreatyRate

TITLE_METHODS = frozenset({"assignment", "sale", "trust_settlement", "sale_and_leaseback"})
PERIODS_PER_YEAR = {"monthly": 12, "quarterly": 4, "semiannual": 2, "annual": 1}


# Member states of the European Union (ISO 3166-1 alpha-2; Greece as GR).
EU_MEMBER_STATES = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
    "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
})


def in_eu(code: str) -> bool:
    """True for the Union itself ('EU') and for each member state."""
    return code == "EU" or country(code) in EU_MEMBER_STATES


def country(jurisdiction: str) -> str:
    """ISO country part of a jurisdiction code ('US-DE' -> 'US')."""
    return jurisdiction.split("-")[0]


def node(kind: str, ident: str) -> str:
    return f"{kind}:{ident}"


@dataclass(frozen=True)
class Control:
    controller: str
    target: str
    equity: float  # effective economic share through all ownership chains
    voting: float  # direct holdings of the controller's group (itself and what it controls)
    board_share: float  # share of the target's directors nominated by the controller's group
    via_manager: bool  # the target's manager or trustee belongs to the controller's group

    @property
    def controls(self) -> bool:
        return self.voting > 0.5 or self.board_share > 0.5 or self.via_manager


@dataclass(frozen=True)
class TitleLink:
    transfer: str
    method: str
    from_party: str
    to_party: str
    date: dt.date
    registered: bool
    registration_date: dt.date | None


@dataclass(frozen=True)
class TitleChain:
    patent: str
    office: str
    record_owner: str
    links: tuple[TitleLink, ...]
    reaches_spv: bool
    other_routes: tuple[str, ...]  # methods of non-title transfers of this patent to the SPV (licence, pledge)

    @property
    def all_registered(self) -> bool:
        return all(link.registered for link in self.links)


@dataclass(frozen=True)
class RoyaltyPath:
    licence: str
    licensor: str
    licensee: str
    payer_country: str
    account: str | None
    account_holder: str  # who receives the cash (the licensor where no account is named)
    via_originator: bool  # the cash lands with the originator's group before the SPV
    to_spv: bool
    receivables_transfer: str | None  # transfer of this licence's receivables to the SPV
    notified: bool
    notice_date: dt.date | None
    notice_certified: bool
    perfection_registries: tuple[str, ...]
    payee: str  # who is entitled to the royalty for tax purposes
    payee_country: str
    expected_annual: float

    @property
    def cross_border(self) -> bool:
        return self.payer_country != self.payee_country


@dataclass(frozen=True)
class Concentration:
    dimension: str
    hhi: float
    top_share: float
    top_name: str
    count: int


@dataclass(frozen=True)
class RoleConflict:
    party: str
    conflict: str
    description: str


@dataclass
class DealGraph:
    deal: Deal

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The whole deal as a graph, built on first use: the queries below read the deal's own indexes."""
        return build_graph(self.deal)

    @property
    def spv(self) -> str:
        return self.deal.spv.party

    # Indexes over the deal, built once per graph (a deal is not edited in place after validation), so that a query
    # asked for each of thousands of patents or licences looks up what it needs instead of scanning every transfer.

    @cached_property
    def _transfers_of(self) -> dict[str, tuple[Transfer, ...]]:
        """Each patent -> the transfers that name it, in the deal's order."""
        out: dict[str, list[Transfer]] = {}
        for t in self.deal.transfers:
            for pid in dict.fromkeys(t.patents):
                out.setdefault(pid, []).append(t)
        return {pid: tuple(ts) for pid, ts in out.items()}

    @cached_property
    def _sales(self) -> dict[str, Transfer]:
        """Each receivable sold to the SPV (a licence's or a loan's id) -> the first transfer to the SPV naming it."""
        out: dict[str, Transfer] = {}
        for t in self.deal.transfers:
            if t.to == self.spv:
                for rid in t.receivables:
                    out.setdefault(rid, t)
        return out

    def sale_of(self, receivable: str) -> Transfer | None:
        """The transfer that sold a licence's or a loan's receivables to the SPV (the first, if several did)."""
        return self._sales.get(receivable)

    @cached_property
    def _notices(self) -> dict[tuple[str, str], Notice]:
        """(transfer, party) -> the first notice of that transfer given to that party."""
        out: dict[tuple[str, str], Notice] = {}
        for t in self.deal.transfers:
            for n in t.notices:
                out.setdefault((t.id, n.party), n)
        return out

    def notice_of(self, transfer: Transfer, party: str) -> Notice | None:
        """The notice of `transfer` given to `party`, if any (the first, if several were)."""
        return self._notices.get((transfer.id, party))

    @cached_property
    def _treaties(self) -> dict[tuple[str, str], TreatyRate]:
        """(payer, payee) -> the treaty rate the deal states for that pair (the last, if it states several)."""
        return {(t.payer, t.payee): t for t in self.deal.tax.treaty_rates}

    def treaty(self, payer: str, payee: str) -> TreatyRate | None:
        """The withholding-tax treaty rate between two countries, asked for each licence's royalty flow."""
        return self._treaties.get((payer, payee))

    @cached_property
    def originators(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.deal.parties if "originator" in p.roles)

    @cached_property
    def _ownership(self) -> nx.DiGraph:
        """The graph's `owns` edges, in the graph's own order (each owner's holdings in the order of the parties held),
        so that shares along several chains are added in the same order."""
        held: dict[str, list[tuple[str, float]]] = {}
        for p in self.deal.parties:
            for holding in p.owners:
                held.setdefault(holding.owner, []).append((p.id, holding.share))
        owns = nx.DiGraph()
        for owner in self.deal.parties:
            for target, share in held.get(owner.id, ()):
                owns.add_edge(node("party", owner.id), node("party", target), share=share)
        return owns

    def ownership_share(self, owner: str, target: str) -> float:
        """Effective economic share of `owner` in `target`: the sum over ownership chains of the product of shares."""
        owns = self._ownership
        src, dst = node("party", owner), node("party", target)
        if src not in owns or dst not in owns:
            return 0.0
        total = 0.0
        for path in nx.all_simple_paths(owns, src, dst):
            share = 1.0
            for u, v in zip(path, path[1:]):
                share *= owns.edges[u, v]["share"]
            total += share
        return min(total, 1.0)

    def associated(self, first: str, second: str, threshold: float = 0.25) -> bool:
        """One holds at least `threshold` of the other, or a third party holds that much of both."""
        if first == second:
            return True
        if self.ownership_share(first, second) >= threshold or self.ownership_share(second, first) >= threshold:
            return True
        # Only a common owner, direct or through others, can hold a share of both: the ancestors of both in the
        # ownership graph (a handful), not every party of the deal (the check ran once per licence per party).
        owns = self._ownership
        src, dst = node("party", first), node("party", second)
        if src not in owns or dst not in owns:
            return False
        common = sorted(owner.split(":", 1)[1] for owner in (nx.ancestors(owns, src) & nx.ancestors(owns, dst)) - {src, dst})
        return any(self.ownership_share(owner, first) >= threshold and self.ownership_share(owner, second) >= threshold
                   for owner in common)

    def group_of(self, party: str) -> frozenset[str]:
        """The party and every party it owns more than half of, directly or through others (asked for each transfer;
        each answer, a pass over every party, is kept)."""
        group = self._groups.get(party)
        if group is None:
            members = {party}
            for other in self.deal.parties:
                if other.id != party and self.ownership_share(party, other.id) > 0.5:
                    members.add(other.id)
            group = self._groups[party] = frozenset(members)
        return group

    @cached_property
    def _groups(self) -> dict[str, frozenset[str]]:
        """`group_of`'s answers so far, by party (not a field: the graph's fields are the deal alone)."""
        return {}

    @cached_property
    def originator_group(self) -> frozenset[str]:
        """The originators and the parties they own or are owned with, other than the SPV itself: cash or a role held
        by the SPV is the SPV's, even where the originator owns it (that control is judged separately)."""
        group: set[str] = set()
        for originator in self.originators:
            group |= self.group_of(originator)
        return frozenset(group - {self.spv})

    def control(self, controller: str, target: str) -> Control:
        group = self.group_of(controller)
        directors = self.deal.party(target).directors
        nominated = sum(1 for d in directors if d.nominated_by in group)
        board_share = nominated / len(directors) if directors else 0.0
        voting = sum(h.share for h in self.deal.party(target).owners if h.owner in group)
        via_manager = target == self.spv and self.deal.spv.manager in group
        return Control(controller, target, self.ownership_share(controller, target), min(voting, 1.0), board_share, via_manager)

    def originator_control_of_spv(self) -> Control:
        """The strongest control any originator has over the SPV (none if the deal names no originator)."""
        controls = [self.control(o, self.spv) for o in self.originators]
        if not controls:
            return Control("", self.spv, 0.0, 0.0, 0.0, False)
        return max(controls, key=lambda c: (c.controls, c.voting, c.equity, c.board_share))

    def chain_of_title(self, patent_id: str) -> TitleChain:
        """Follow title-passing transfers of one patent from its owner of record toward the SPV."""
        patent = self.deal.patent(patent_id)
        transfers = self._transfers_of.get(patent_id, ())
        holder, links, used = patent.owner, [], set()
        while holder != self.spv:
            candidates = sorted(
                (t for t in transfers if t.from_party == holder and t.method in TITLE_METHODS and t.id not in used),
                key=lambda t: (t.date, t.id),
            )
            if not candidates:
                break
            transfer = candidates[0]
            used.add(transfer.id)
            registration = next((r for r in transfer.registrations if r.office == patent.office), None)
            links.append(TitleLink(
                transfer.id, transfer.method, transfer.from_party, transfer.to, transfer.date,
                registration is not None, registration.date if registration else None,
            ))
            holder = transfer.to
        other = tuple(sorted({t.method for t in transfers if t.to == self.spv and t.method not in TITLE_METHODS}))
        return TitleChain(patent_id, patent.office, patent.owner, tuple(links), holder == self.spv, other)

    @cached_property
    def pooled_licences(self) -> tuple[Licence, ...]:
        """Licences whose royalties back the notes: receivables sold to the SPV, or licences the SPV grants."""
        return tuple(l for l in self.deal.licences if l.id in self._sales or l.licensor == self.spv)

    @cached_property
    def pooled_loans(self) -> tuple:
        """Loans secured on IP whose repayments were sold to the SPV."""
        return tuple(loan for loan in self.deal.loans if loan.id in self._sales)

    @cached_property
    def pooled_patents(self) -> tuple[Patent, ...]:
        """Patents transferred to the SPV in any form, or covered by a pooled licence."""
        ids = {pid for t in self.deal.transfers if t.to == self.spv for pid in t.patents}
        ids |= {pid for l in self.pooled_licences for pid in l.patents}
        return tuple(p for p in self.deal.patents if p.id in ids)

    def expected_annual_royalty(self, licence: Licence) -> float:
        r = licence.royalty
        per_year = PERIODS_PER_YEAR[r.frequency]
        if r.base == "fixed":
            amount = (r.fixed_amount or 0.0) * per_year
        elif r.base == "units":
            amount = (r.unit_royalty or 0.0) * (r.expected_annual_base or 0.0)
        else:
            amount = (r.rate or 0.0) * (r.expected_annual_base or 0.0)
        if amount == 0.0 and licence.history:
            recent = sorted(licence.history, key=lambda h: h.period_end)[-per_year:]
            amount = sum(h.amount for h in recent) * per_year / len(recent)
        # Where co-owners split the royalty, only the pool's share backs the notes (and bears the pool's taxes).
        return max(amount, r.minimum_annual or 0.0) * (licence.pool_share if licence.pool_share is not None else 1.0)

    def royalty_paths(self) -> list[RoyaltyPath]:
        """How each pooled licence's royalties reach whoever holds them, in the pool's order (a new list each call)."""
        return list(self._royalty_paths)

    @cached_property
    def _royalty_paths(self) -> tuple[RoyaltyPath, ...]:
        paths = []
        for lic in self.pooled_licences:
            licensee = self.deal.party(lic.licensee)
            account = self.deal.account(lic.pays_to) if lic.pays_to else None
            holder = account.holder if account else lic.licensor
            transfer = self.sale_of(lic.id)
            notice = self.notice_of(transfer, lic.licensee) if transfer else None
            payee = self.spv if (transfer or lic.licensor == self.spv) else lic.licensor
            payee_party = self.deal.party(payee)
            paths.append(RoyaltyPath(
                licence=lic.id,
                licensor=lic.licensor,
                licensee=lic.licensee,
                payer_country=country(licensee.tax_residence or licensee.jurisdiction),
                account=account.id if account else None,
                account_holder=holder,
                via_originator=holder in self.originator_group,
                to_spv=holder == self.spv,
                receivables_transfer=transfer.id if transfer else None,
                notified=notice is not None,
                notice_date=notice.date if notice else None,
                notice_certified=bool(notice and notice.certified_date),
                perfection_registries=tuple(sorted({f.registry for f in transfer.perfection_filings})) if transfer else (),
                payee=payee,
                payee_country=country(payee_party.tax_residence or payee_party.jurisdiction),
                expected_annual=self.expected_annual_royalty(lic),
            ))
        return tuple(paths)

    def concentration(self) -> list[Concentration]:
        """HHI and largest share of expected royalties by licensee, patent family and technology (a new list each call)."""
        return list(self._concentration)

    @cached_property
    def _concentration(self) -> tuple[Concentration, ...]:
        weights: dict[str, dict[str, float]] = {"licensee": {}, "family": {}, "technology": {}}
        for lic in self.pooled_licences:
            amount = self.expected_annual_royalty(lic)
            licensee = self.deal.party(lic.licensee).name
            weights["licensee"][licensee] = weights["licensee"].get(licensee, 0.0) + amount
            patents = [self.deal.patent(pid) for pid in lic.patents]
            others = [self.deal.other(oid) for oid in lic.other_ip]
            keys = ([(p.family or p.id, p.technology or "unclassified") for p in patents]
                    + [(o.category or o.id, o.category or o.kind) for o in others])
            for family, technology in keys:
                share = amount / len(keys)
                for dimension, key in (("family", family), ("technology", technology)):
                    weights[dimension][key] = weights[dimension].get(key, 0.0) + share
        for loan in self.pooled_loans:  # a loan's borrower is an obligor like a licensee; its collateral a family
            amount = loan.principal * loan.rate + loan.principal / max((loan.maturity - loan.start).days / 365.25, 1.0)
            borrower = self.deal.party(loan.borrower).name
            weights["licensee"][borrower] = weights["licensee"].get(borrower, 0.0) + amount
            weights["family"][loan.id] = weights["family"].get(loan.id, 0.0) + amount
            weights["technology"]["IP-secured loans"] = weights["technology"].get("IP-secured loans", 0.0) + amount
        out = []
        for dimension, by_key in weights.items():
            total = sum(by_key.values())
            if total <= 0:
                continue
            shares = {k: v / total for k, v in by_key.items()}
            top = max(sorted(shares), key=lambda k: shares[k])
            out.append(Concentration(dimension, sum(s * s for s in shares.values()), shares[top], top, len(shares)))
        return tuple(out)

    def role_conflicts(self) -> list[RoleConflict]:
        conflicts = []
        providers = {w.provider for w in self.deal.credit_enhancement.wraps}
        for party in self.deal.parties:
            roles = set(party.roles)
            if "licensee" in roles and (roles & {"guarantor", "insurer"} or party.id in providers):
                conflicts.append(RoleConflict(party.id, "licensee_credit_support",
                                              msg("{name} pays royalties and also supports the notes, so one failure hits both", name=party.name)))
            if "licensee" in roles and "investor" in roles:
                conflicts.append(RoleConflict(party.id, "licensee_investor",
                                              msg("{name} is both a royalty payer and an investor in the notes", name=party.name)))
        servicing = self.deal.servicing
        if servicing and servicing.servicer in self.originator_group and not servicing.backup_servicer:
            name = self.deal.party(servicing.servicer).name
            conflicts.append(RoleConflict(servicing.servicer, "originator_servicer_no_backup",
                                          msg("{name} services the pool for the SPV although it is the originator, and no backup servicer "
                                              "is named", name=name)))
        return conflicts

    def cross_border_flows(self) -> list[RoyaltyPath]:
        return [p for p in self.royalty_paths() if p.cross_border]


def build_graph(deal: Deal) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for p in deal.parties:
        g.add_node(node("party", p.id), kind="party", name=p.name, roles=tuple(p.roles), jurisdiction=p.jurisdiction)
    for p in deal.patents:
        g.add_node(node("patent", p.id), kind="patent", office=p.office, number=p.number)
        g.add_edge(node("party", p.owner), node("patent", p.id), rel="record_owner")
    for o in deal.other_ip:
        g.add_node(node("other_ip", o.id), kind="other_ip", ip_kind=o.kind, title=o.title)
        g.add_edge(node("party", o.owner), node("other_ip", o.id), rel="record_owner")
    for lic in deal.licences:
        g.add_node(node("licence", lic.id), kind="licence", exclusive=lic.exclusive)
        g.add_edge(node("party", lic.licensor), node("licence", lic.id), rel="grants")
        g.add_edge(node("licence", lic.id), node("party", lic.licensee), rel="licensed_to")
        for pid in lic.patents:
            g.add_edge(node("licence", lic.id), node("patent", pid), rel="covers")
        for oid in lic.other_ip:
            g.add_edge(node("licence", lic.id), node("other_ip", oid), rel="covers")
        if lic.pays_to:
            g.add_edge(node("party", lic.licensee), node("account", lic.pays_to), rel="pays_into", licence=lic.id)
    for note in deal.notes:
        g.add_node(node("note", note.id), kind="note", amount=note.amount, seniority=note.seniority)
        g.add_edge(node("party", deal.spv.party), node("note", note.id), rel="issues")
    for account in deal.accounts:
        g.add_node(node("account", account.id), kind="account", account_kind=account.kind)
        g.add_edge(node("account", account.id), node("party", account.holder), rel="held_by")
    for p in deal.parties:
        for holding in p.owners:
            g.add_edge(node("party", holding.owner), node("party", p.id), rel="owns", share=holding.share)
        for director in p.directors:
            if director.nominated_by:
                g.add_edge(node("party", director.nominated_by), node("party", p.id), rel="nominates", director=director.name)
    for t in deal.transfers:
        g.add_edge(node("party", t.from_party), node("party", t.to), key=t.id, rel="transfer", method=t.method,
                   patents=tuple(t.patents), receivables=tuple(t.receivables))
    for wrap in deal.credit_enhancement.wraps:
        for note_id in wrap.covers:
            g.add_edge(node("party", wrap.provider), node("note", note_id), rel="wraps", kind=wrap.kind)
    if deal.servicing:
        g.add_edge(node("party", deal.servicing.servicer), node("party", deal.spv.party), rel="services")
        if deal.servicing.backup_servicer:
            g.add_edge(node("party", deal.servicing.backup_servicer), node("party", deal.spv.party), rel="backs_up")
    return g
