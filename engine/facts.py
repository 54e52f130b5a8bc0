"""Facts for the rule engine, derived from graph queries: one function per fact kind (`ipsa.engine.factkinds`).

Each fact has a unique, deterministic `id`, a `kind` the rules match on, the kind's declared fields (strings,
numbers, booleans, lists of strings) and a `text` that states it in a lawyer's words for the memo's chain of
reasoning. Facts never carry None: an unstated covenant is the string "unstated", an unknown number is -1.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ipsa.engine.text import N_, joined, msg
from ipsa.engine import factkinds as k
from ipsa.engine.dates import provisional, working_days_between
from ipsa.engine.factkinds import as_fact
from ipsa.engine.graph import Concentration, DealGraph, RoleConflict, RoyaltyPath, TitleChain, country, in_eu
from ipsa.engine.jurisdiction import office_names
from ipsa.engine.model import Patent, Transfer
from ipsa.knowledge_base import load as load_knowledge_base

Fact = dict[str, Any]


def tri(value: bool | None) -> str:
    return "unstated" if value is None else ("yes" if value else "no")


def derive_facts(g: DealGraph, as_of: dt.date) -> list[Fact]:
    """Every base fact of the deal in a stable order, the memo's (a patent's title links before it, a licence's
    receivable after its royalty flow)."""
    facts = [_spv(g)]
    legal_final = max(n.legal_final for n in g.deal.notes)
    for patent in g.pooled_patents:
        chain = g.chain_of_title(patent.id)
        facts += _title_links(g, patent, chain, as_of)
        facts.append(_pool_patent(g, patent, chain, as_of, legal_final))
    paths = g.royalty_paths()
    for path in paths:
        facts.append(_royalty_flow(g, path))
        if path.receivables_transfer:
            facts.append(_receivable(g, path))
    facts += [_loan(g, loan) for loan in g.pooled_loans]
    via_seller = {p.receivables_transfer for p in paths if p.via_originator}
    facts += [_transfer(g, t, via_seller, as_of) for t in g.deal.transfers if t.to == g.spv]
    facts += [_concentration(item) for item in g.concentration()]
    facts += [_role_conflict(conflict) for conflict in g.role_conflicts()]
    if g.deal.servicing:
        facts.append(_servicing(g, paths))
    facts.append(_offering(g, paths, as_of))
    facts += [_originator(g, o) for o in g.originators]
    return facts


def _spv(g: DealGraph) -> Fact:
    deal = g.deal
    spv = deal.party(g.spv)
    control = g.originator_control_of_spv()
    vehicle = load_knowledge_base().vehicles[deal.spv.form]
    manager = deal.party(deal.spv.manager) if deal.spv.manager else None
    text = (msg("The SPV is {name}, a {name2} in {jurisdiction}",
                name=spv.name, name2=vehicle.name, jurisdiction=deal.spv.jurisdiction)
            + (msg(", managed by {name} ({entity_type})",
                   name=manager.name, entity_type=manager.entity_type.replace('_', ' ')) if manager else "")
            + msg("; the originator group holds {equity:.0%} of it and nominated {board_share:.0%} of its "
                  "board.", equity=control.equity, board_share=control.board_share))
    return as_fact(k.Spv(
        party=spv.id, form=deal.spv.form, country=country(deal.spv.jurisdiction),
        manager=manager.id if manager else "none", manager_type=manager.entity_type if manager else "none",
        manager_in_originator_group=bool(manager and manager.id in g.originator_group),
        originator_controls=control.controls, originator_equity=round(control.equity, 6),
        originator_board_share=round(control.board_share, 6), directors=len(spv.directors),
        independent_directors=sum(1 for d in spv.directors if d.independent),
        separateness=tri(deal.spv.separateness_covenants), non_petition=tri(deal.spv.non_petition),
        limited_recourse=tri(deal.spv.limited_recourse), activities_limited=tri(deal.spv.activities_limited),
        orphan=tri(deal.spv.orphan),
        originator_nominated_directors=sum(1 for d in spv.directors if not d.independent and d.nominated_by in g.originator_group),
        guarantees_affiliate_debt=tri(deal.spv.guarantees_affiliate_debt),
        tax_residence=country(spv.tax_residence or spv.jurisdiction),
        entity_classification=deal.tax.entity_classification or "unstated",
        payout_ratio=deal.tax.distribution_payout_ratio if deal.tax.distribution_payout_ratio is not None else -1.0,
        note_classes=len(deal.notes), seniority_levels=len({n.seniority for n in deal.notes}),
        form_jurisdiction=vehicle.jurisdiction, form_available=vehicle.available,
        non_consolidation_opinion=any(_opinion_under(g, "non_consolidation", country(deal.party(o).jurisdiction))
                                      for o in g.originators),
    ), spv.id, text)


def _title_links(g: DealGraph, patent: Patent, chain: TitleChain, as_of: dt.date) -> list[Fact]:
    deal = g.deal
    office = office_names().get(patent.office, patent.office)
    facts = []
    for position, link in enumerate(chain.links):
        source, target = deal.party(link.from_party).name, deal.party(link.to_party).name
        state = msg("registered with {office} on {registration_date}",
                    office=office, registration_date=link.registration_date) if link.registered else msg("not registered with {office}", office=office)
        facts.append(as_fact(k.TitleLink(
            patent=patent.id, patent_number=patent.number, office=patent.office, transfer=link.transfer,
            method=link.method, from_party=link.from_party, to_party=link.to_party, position=position,
            registered=link.registered, to_spv=link.to_party == g.spv, days_since=(as_of - link.date).days,
            days_to_registration=(link.registration_date - link.date).days if link.registration_date else -1,
        ), f"{patent.id}:{link.transfer}",
            msg("Transfer {transfer} ({method}) of {office} patent {number} from {source} to {target} on "
                "{date} is {state}.",
                transfer=link.transfer, method=link.method.replace('_', ' '), office=patent.office, number=patent.number, source=source, target=target, date=link.date, state=state)))
    return facts


_HOLDER_TEXT = {
    "title": N_("passes by a chain of title transfers to the SPV"),
    "licence": N_("is licensed, not transferred, to the SPV"),
    "pledge": N_("is only pledged to the SPV"),
    "royalties_only": N_("stays with its owner; only royalties from it reach the SPV"),
}


def _pool_patent(g: DealGraph, patent: Patent, chain: TitleChain, as_of: dt.date, legal_final: dt.date) -> Fact:
    if chain.reaches_spv:
        route = "title"
    elif "licence" in chain.other_routes or "sublicence" in chain.other_routes:
        route = "licence"
    else:
        route = "pledge" if "pledge" in chain.other_routes else "royalties_only"
    return as_fact(k.PoolPatent(
        patent=patent.id, patent_number=patent.number, office=patent.office, status=patent.status, route=route,
        links=len(chain.links), all_registered=chain.all_registered,
        in_trust=any(link.method == "trust_settlement" for link in chain.links),
        record_owner_is_originator=patent.owner in g.originator_group,
        expiry=patent.expiry_date.isoformat() if patent.expiry_date else "unstated",
        legal_final=legal_final.isoformat(),
        expires_before_final=bool(patent.expiry_date and as_of < patent.expiry_date < legal_final),
    ), patent.id, msg("{office} patent {number} ({title}), {status}, {holder}.", office=patent.office, number=patent.number,
                      title=patent.title, status=patent.status, holder=_HOLDER_TEXT[route]))


def _royalty_flow(g: DealGraph, path: RoyaltyPath) -> Fact:
    deal = g.deal
    licence = deal.licence(path.licence)
    licensor = deal.party(path.licensor)
    holder = deal.party(path.account_holder)
    treaty = g.treaty(path.payer_country, path.payee_country)
    text = (msg("{name} ({payer_country}) pays royalties under licence {licence} into ",
                name=deal.party(path.licensee).name, payer_country=path.payer_country, licence=path.licence)
            + (msg("account {account} held by {name}", account=path.account, name=holder.name) if path.account else msg("the hands of {name}", name=holder.name))
            + msg("; about {expected_annual:,.0f} {currency} a year; the royalty belongs to ",
                  expected_annual=path.expected_annual, currency=deal.deal.currency)
            + msg("{payee} ({country}).", payee=deal.party(path.payee).name, country=path.payee_country))
    return as_fact(k.RoyaltyFlow(
        licence=path.licence, licensor=path.licensor, licensee=path.licensee, payer_country=path.payer_country,
        payee=path.payee, payee_country=path.payee_country, cross_border=path.cross_border,
        via_originator=path.via_originator, to_spv=path.to_spv,
        licensor_in_originator_group=path.licensor in g.originator_group,
        receivables_sold=path.receivables_transfer is not None, notified=path.notified,
        perfection_registries=list(path.perfection_registries),
        treaty_rate=treaty.royalty_rate if treaty else -1.0,
        treaty=treaty.treaty if treaty else "none", gross_up=tri(deal.tax.gross_up),
        expected_annual=round(path.expected_annual, 2),
        account_holder_country=country(holder.tax_residence or holder.jurisdiction),
        licensor_country=country(licensor.jurisdiction),
        patent_offices=sorted({deal.patent(pid).office for pid in licence.patents}),
        payer_in_eu=in_eu(path.payer_country), payee_in_eu=in_eu(path.payee_country),
        payer_payee_associated=g.associated(path.licensee, path.payee),
        recorded_offices=sorted(licence.recorded_with), exclusive=licence.exclusive,
        licence_right=licence.right or "unstated", territory_countries=sorted({country(t) for t in licence.territory}),
        licensor_insolvent=licensor.insolvency is not None,
        licensor_insolvency_country=country(licensor.insolvency.jurisdiction) if licensor.insolvency else "none",
        licensee_insolvent=deal.party(path.licensee).insolvency is not None,
    ), path.licence, text + _insolvency_text(g, path.licensor, path.licensee))


def _receivable(g: DealGraph, path: RoyaltyPath) -> Fact:
    deal = g.deal
    notice = msg("notified on {notice_date}", notice_date=path.notice_date) if path.notified else N_("not notified")
    return as_fact(k.Receivable(
        licence=path.licence, licensee=path.licensee, payer_country=path.payer_country,
        transfer=path.receivables_transfer, notified=path.notified, to_spv=path.to_spv,
        perfection_registries=list(path.perfection_registries), notice_certified=path.notice_certified,
        seller_country=country(deal.party(path.licensor).jurisdiction),
    ), path.licence,
        msg("The royalty receivables under licence {licence} were assigned to the SPV by transfer "
            "{receivables_transfer}; the licensee {name} was {notice}.",
            licence=path.licence, receivables_transfer=path.receivables_transfer, name=deal.party(path.licensee).name, notice=notice))


def _loan(g: DealGraph, loan) -> Fact:
    deal = g.deal
    transfer = g.sale_of(loan.id)
    notice = g.notice_of(transfer, loan.borrower)
    borrower = deal.party(loan.borrower)
    account = deal.account(loan.pays_to) if loan.pays_to else None
    offices = sorted({deal.patent(p).office for p in loan.collateral_patents}
                     | {o.office for o in deal.other_ip if o.id in loan.collateral_other_ip and o.office})
    pledged = len(loan.collateral_patents) + len(loan.collateral_other_ip)
    return as_fact(k.LoanReceivable(
        loan=loan.id, loan_kind=loan.kind, borrower=loan.borrower,
        borrower_country=country(borrower.tax_residence or borrower.jurisdiction), transfer=transfer.id,
        notified=notice is not None, seller_country=country(deal.party(transfer.from_party).jurisdiction),
        collateral_count=pledged, collateral_offices=offices, pledge_registered=tri(loan.pledge_registered),
        to_spv=bool(account and account.holder == g.spv),
    ), loan.id,
        msg("The repayments of {kind} {id} to {name} ({principal:,.0f} {currency} outstanding, secured "
            "on {pledged} pledged IP right(s)) were sold to the SPV by transfer {id2}; the borrower was ",
            kind=loan.kind.replace('_', ' '), id=loan.id, name=borrower.name, principal=loan.principal, currency=deal.deal.currency, pledged=pledged, id2=transfer.id) + (msg("notified on {date}", date=notice.date) if notice else N_("not notified"))
        + N_("; the pledge is ") + {"yes": N_("registered"), "no": N_("not registered"), "unstated": N_("of unstated registration")}[tri(loan.pledge_registered)] + ".")


def _transfer(g: DealGraph, transfer: Transfer, via_seller: set[str | None], as_of: dt.date) -> Fact:
    """`via_seller`: the transfers whose sold royalties are collected through the originator's group."""
    deal = g.deal
    seller = deal.party(transfer.from_party)
    ratio = transfer.price / transfer.appraised_value if transfer.price is not None and transfer.appraised_value else -1.0
    text = (msg("Transfer {id}: {name} to the SPV by {method} on {date}",
                id=transfer.id, name=deal.party(transfer.from_party).name, method=transfer.method.replace('_', ' '), date=transfer.date)
            + (msg(" for {price:,.0f} against an appraised {appraised_value:,.0f} ({ratio:.0%})",
                   price=transfer.price, appraised_value=transfer.appraised_value, ratio=ratio) if ratio >= 0 else "")
            + msg("; recourse {recourse}", recourse=transfer.recourse) + (N_("; with a repurchase obligation") if transfer.repurchase_obligation else "") + ".")
    return as_fact(k.Transfer(
        transfer=transfer.id, method=transfer.method, from_party=transfer.from_party,
        from_originator=transfer.from_party in g.originator_group, recourse=transfer.recourse,
        repurchase=transfer.repurchase_obligation, price_ratio=round(ratio, 6), days_before_as_of=(as_of - transfer.date).days,
        patents=list(transfer.patents), receivables=list(transfer.receivables),
        patent_offices=sorted({deal.patent(pid).office for pid in transfer.patents}),
        price=transfer.price if transfer.price is not None else -1.0,
        seller_country=country(deal.party(transfer.from_party).jurisdiction),
        collections_via_seller=transfer.id in via_seller,
        seller_services=bool(deal.servicing and deal.servicing.servicer in g.group_of(transfer.from_party)),
        title_passes=transfer.method in ("assignment", "sale", "sale_and_leaseback", "trust_settlement"),
        receivables_only=not transfer.patents,
        true_sale_opinion=_opinion_under(g, "true_sale", country(deal.party(transfer.from_party).jurisdiction), transfer.id),
        seller_insolvent=seller.insolvency is not None,
        seller_insolvency_opened=seller.insolvency.opened.isoformat() if seller.insolvency else "none",
    ), transfer.id, text + _insolvency_text(g, transfer.from_party))


def _concentration(item: Concentration) -> Fact:
    return as_fact(k.Concentration(
        dimension=item.dimension, hhi=round(item.hhi, 6), top_share=round(item.top_share, 6), top_name=item.top_name,
        count=item.count,
    ), item.dimension,
        msg("By {dimension}, the largest share of expected royalties is {top_share:.0%} ({top_name}); "
            "HHI {hhi:.2f} across {count}.",
            dimension=item.dimension, top_share=item.top_share, top_name=item.top_name, hhi=item.hhi, count=item.count))


def _role_conflict(conflict: RoleConflict) -> Fact:
    return as_fact(k.RoleConflict(party=conflict.party, conflict=conflict.conflict),
                   f"{conflict.party}:{conflict.conflict}", conflict.description + ".")


def _servicing(g: DealGraph, paths: list[RoyaltyPath]) -> Fact:
    deal = g.deal
    servicing = deal.servicing
    servicer = deal.party(servicing.servicer)
    backup = deal.party(servicing.backup_servicer) if servicing.backup_servicer else None
    text = (msg("{name} services the pool", name=servicer.name) + (msg(", with {name} as backup servicer", name=backup.name) if backup else N_(", with no backup servicer"))
            + (msg("; collections are swept to the SPV within {sweep_days} days", sweep_days=servicing.sweep_days) if servicing.sweep_days is not None else "")
            + ".")
    return as_fact(k.Servicing(
        servicer=servicer.id, servicer_country=country(servicer.jurisdiction),
        servicer_in_originator_group=servicer.id in g.originator_group, backup=backup is not None,
        sweep_days=servicing.sweep_days if servicing.sweep_days is not None else -1,
        collections_via_originator=sum(1 for p in paths if p.via_originator),
    ), servicer.id, text)


def _offering(g: DealGraph, paths: list[RoyaltyPath], as_of: dt.date) -> Fact:
    deal = g.deal
    reg = deal.regulation
    amac = next((f for f in reg.filings if f.regulator == "AMAC" and f.status == "made" and f.date), None)
    investor_types = sorted({n.investor_type for n in deal.notes})
    retention = reg.risk_retention
    retention_role = "none"
    if retention:
        roles = set(deal.party(retention.holder).roles)
        retention_role = next((r for r in ("originator", "sponsor") if r in roles), "other")
        if retention_role == "other" and retention.holder in g.originator_group:
            retention_role = "originator_group"
    text = (msg("The notes are offered by {offering}", offering=reg.offering.replace('_', ' '))
            + (msg(" on {exchange}", exchange=reg.exchange) if reg.exchange else "")
            + msg(" to {investor_types} investors", investor_types=joined(investor_types, ", "))
            + (msg(" ({count} investors)", count=reg.investor_count) if reg.investor_count else "")
            + (msg("; the vehicle was established on {established}", established=reg.established) if reg.established else "")
            + (msg("; filed with AMAC on {date}", date=amac.date) if amac else "") + "."
            + (N_(" Working days are counted on China's official calendar; the State Council has not yet published (or ipsa "
               "does not yet hold) the holiday schedule for a year the count reaches, so the count is provisional.")
               if reg.established and provisional(reg.established, amac.date if amac else as_of, "CN") else ""))
    return as_fact(k.Offering(
        offering=reg.offering, exchange=reg.exchange or "none", investor_types=investor_types,
        investor_count=reg.investor_count or -1, spv_form=deal.spv.form, spv_country=country(deal.spv.jurisdiction),
        established=reg.established.isoformat() if reg.established else "unstated",
        amac_filed=amac is not None,
        amac_working_days=working_days_between(reg.established, amac.date, "CN") if (amac and reg.established) else -1,
        working_days_since_established=working_days_between(reg.established, as_of, "CN") if reg.established else -1,
        working_days_provisional=bool(reg.established) and provisional(reg.established, amac.date if amac else as_of, "CN"),
        pooled_licences=len(g.pooled_licences), pooled_loans=len(g.pooled_loans), pooled_patents=len(g.pooled_patents),
        contracted_royalties=round(sum(p.expected_annual for p in paths), 2),
        investor_jurisdictions=sorted({country(j) if j != "EU" else "EU" for j in reg.investor_jurisdictions}),
        eu_investors=any(in_eu(j) for j in reg.investor_jurisdictions),
        uk_investors=any(country(j) == "GB" for j in reg.investor_jurisdictions),
        originator_in_eu=any(in_eu(deal.party(o).jurisdiction) for o in g.originators),
        originator_in_uk=any(country(deal.party(o).jurisdiction) == "GB" for o in g.originators),
        tranched=len({n.seniority for n in deal.notes}) > 1,
        retention_holder=retention.holder if retention else "none",
        retention_holder_role=retention_role, retention_share=retention.share if retention else -1.0,
        retention_form=retention.form if retention else "none",
        reporting_entity=reg.reporting_entity or "none",
        regulators_filed=sorted({f.regulator for f in reg.filings if f.status == "made"}),
        asset_liquidation_plan=tri(reg.asset_liquidation_plan),
        public=reg.offering == "public",
        all_notes_rated=all(n.target_rating not in (None, "NR") for n in deal.notes),
        all_notes_wrapped=all(any(n.id in w.covers for w in deal.credit_enhancement.wraps) for n in deal.notes),
    ), "deal", text)


def _originator(g: DealGraph, party_id: str) -> Fact:
    party = g.deal.party(party_id)
    return as_fact(k.Originator(
        party=party.id, name=party.name, country=country(party.jurisdiction), entity_type=party.entity_type,
        private=party.entity_type not in ("government_entity", "university", "research_institute"),
        insolvent=party.insolvency is not None,
        insolvency_opened=party.insolvency.opened.isoformat() if party.insolvency else "none",
    ), party.id, msg("The originator is {name}, a {entity_type} in {jurisdiction}.",
                     name=party.name, entity_type=party.entity_type.replace('_', ' '), jurisdiction=party.jurisdiction)
        + _insolvency_text(g, party.id))


def _opinion_under(g: DealGraph, kind: str, law: str, transfer: str | None = None) -> bool:
    """True if the deal records an opinion of `kind` under the law of country `law` (covering `transfer`, if named)."""
    return any(o.kind == kind and country(o.jurisdiction) == law and (transfer is None or not o.covers or transfer in o.covers)
               for o in g.deal.opinions)


def _insolvency_text(g: DealGraph, *party_ids: str) -> str:
    """What a fact's text adds where a party is in insolvency proceedings (nothing otherwise)."""
    out = ""
    for party_id in dict.fromkeys(party_ids):
        insolvency = g.deal.party(party_id).insolvency
        if insolvency:
            out += (msg(" {name} is in {kind} proceedings opened on {opened} in {jurisdiction}.",
                        name=g.deal.party(party_id).name, kind=insolvency.kind, opened=insolvency.opened, jurisdiction=insolvency.jurisdiction))
    return out


def derive_risk_facts(g: DealGraph, report) -> list[Fact]:
    """The risk core's results as one fact the rule base can reason on (issue #4): senior default probability
    against its target, coverage, guarantor dependence, residual patent life against the tenor, concentration."""
    deal = g.deal
    senior = report.senior()
    stressed = {s.name: s for s in report.stresses}
    guarantor = stressed.get("guarantor_default")
    largest = stressed.get("largest_licensee_default")
    top_licensee = next((c.top_share for c in g.concentration() if c.dimension == "licensee"), -1.0)
    target = report.enhancement.target_senior_pd if report.enhancement else -1.0
    text = (msg("Over {paths:,} simulated paths the senior class defaults with probability {pd:.2%} (s.e. "
                "{pd_se:.2%}) against a target of {target:.2%}; the lowest debt-service coverage on a path "
                "is {value:.2f}x or less one time in twenty; royalty-weighted residual patent life is "
                "{residual_life_years:.1f} years against a tenor of {tenor_years:.1f} years.",
                paths=report.paths, pd=senior.pd, pd_se=senior.pd_se, target=target, value=report.dscr_min_p5 or 0, residual_life_years=report.residual_life_years, tenor_years=report.tenor_years)
            if senior else N_("No licence income survives screening, so nothing backs the notes."))
    return [as_fact(k.Risk(
        spv_form=deal.spv.form, spv_country=country(deal.spv.jurisdiction),
        senior_pd=round(senior.pd, 6) if senior else 1.0, senior_pd_se=round(senior.pd_se, 6) if senior else 0.0,
        target_pd=round(target, 6), senior_el=round(senior.expected_loss, 6) if senior else 1.0,
        dscr_min_p5=round(report.dscr_min_p5, 6) if report.dscr_min_p5 is not None else -1.0,
        dscr_min_p50=round(report.dscr_min_p50, 6) if report.dscr_min_p50 is not None else -1.0,
        guarantor_dependence=round(guarantor.senior_pd - senior.pd, 6) if (guarantor and senior) else -1.0,
        guarantor_stressed_pd=round(guarantor.senior_pd, 6) if guarantor else -1.0,
        largest_licensee_stressed_pd=round(largest.senior_pd, 6) if largest else -1.0,
        residual_life_years=round(report.residual_life_years, 4), tenor_years=round(report.tenor_years, 4),
        excluded_patents=sum(1 for s in report.screening if s.excluded), top_licensee_share=round(top_licensee, 6),
        paths=report.paths, stress_paths=min((s.paths for s in report.stresses), default=0),
    ), "deal", text)]
