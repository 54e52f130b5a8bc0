"""Facts for the rule engine: plain dicts derived from graph queries.

Each fact has a unique, deterministic `id`, a `kind` the rules match on, flat properties (strings, numbers,
booleans, lists of strings) and a `text` that states it in a lawyer's words for the memo's chain of reasoning.
Facts never carry None: an unstated covenant is the string "unstated", an unknown number is -1.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


from ipsa.engine.dates import working_days_between
from ipsa.engine.graph import DealGraph, country, in_eu
from ipsa.knowledge_base import load as load_knowledge_base

Fact = dict[str, Any]

OFFICE_NAMES = {
    "CN": "CNIPA", "US": "the USPTO", "JP": "the JPO", "VN": "IP Viet Nam", "EP": "the EPO", "GB": "the UK IPO",
    "DE": "the DPMA", "FR": "INPI", "KR": "KIPO", "TW": "TIPO", "IN": "the Indian Patent Office", "SG": "IPOS", "WO": "WIPO",
}


def tri(value: bool | None) -> str:
    return "unstated" if value is None else ("yes" if value else "no")


def derive_facts(g: DealGraph, as_of: dt.date) -> list[Fact]:
    deal = g.deal
    spv = deal.party(g.spv)
    facts: list[Fact] = []

    def add(kind: str, key: str, text: str, **props: Any) -> None:
        facts.append({"id": f"{kind}:{key}", "kind": kind, "text": text, **props})

    control = g.originator_control_of_spv()
    vehicle = load_knowledge_base().vehicles[deal.spv.form]
    manager = deal.party(deal.spv.manager) if deal.spv.manager else None
    independent = sum(1 for d in spv.directors if d.independent)
    shared = sum(1 for d in spv.directors if not d.independent and d.nominated_by in g.originator_group)
    add(
        "spv", spv.id,
        f"The SPV is {spv.name}, a {load_knowledge_base().vehicles[deal.spv.form].name} in {deal.spv.jurisdiction}"
        + (f", managed by {manager.name} ({manager.entity_type.replace('_', ' ')})" if manager else "")
        + f"; the originator group holds {control.equity:.0%} of it and nominated {control.board_share:.0%} of its board.",
        party=spv.id, form=deal.spv.form, country=country(deal.spv.jurisdiction),
        manager=manager.id if manager else "none", manager_type=manager.entity_type if manager else "none",
        manager_in_originator_group=bool(manager and manager.id in g.originator_group),
        originator_controls=control.controls, originator_equity=round(control.equity, 6),
        originator_board_share=round(control.board_share, 6), directors=len(spv.directors), independent_directors=independent,
        separateness=tri(deal.spv.separateness_covenants), non_petition=tri(deal.spv.non_petition),
        limited_recourse=tri(deal.spv.limited_recourse), activities_limited=tri(deal.spv.activities_limited),
        orphan=tri(deal.spv.orphan), originator_nominated_directors=shared,
        guarantees_affiliate_debt=tri(deal.spv.guarantees_affiliate_debt),
        tax_residence=country(spv.tax_residence or spv.jurisdiction),
        entity_classification=deal.tax.entity_classification or "unstated",
        payout_ratio=deal.tax.distribution_payout_ratio if deal.tax.distribution_payout_ratio is not None else -1.0,
        note_classes=len(deal.notes), seniority_levels=len({n.seniority for n in deal.notes}),
        form_jurisdiction=vehicle.jurisdiction, form_available=vehicle.available,
    )

    legal_final = max(n.legal_final for n in deal.notes)
    for patent in g.pooled_patents:
        chain = g.chain_of_title(patent.id)
        office = OFFICE_NAMES.get(patent.office, patent.office)
        for position, link in enumerate(chain.links):
            source, target = deal.party(link.from_party).name, deal.party(link.to_party).name
            state = f"registered with {office} on {link.registration_date}" if link.registered else f"not registered with {office}"
            add(
                "title_link", f"{patent.id}:{link.transfer}",
                f"Transfer {link.transfer} ({link.method.replace('_', ' ')}) of {patent.office} patent {patent.number} "
                f"from {source} to {target} on {link.date} is {state}.",
                patent=patent.id, patent_number=patent.number, office=patent.office, transfer=link.transfer,
                method=link.method, from_party=link.from_party, to_party=link.to_party, position=position,
                registered=link.registered, to_spv=link.to_party == g.spv,
                days_since=(as_of - link.date).days,
                days_to_registration=(link.registration_date - link.date).days if link.registration_date else -1,
            )
        route = "title" if chain.reaches_spv else ("licence" if "licence" in chain.other_routes or "sublicence" in chain.other_routes
                                                    else ("pledge" if "pledge" in chain.other_routes else "royalties_only"))
        holder_text = {
            "title": "passes by a chain of title transfers to the SPV",
            "licence": "is licensed, not transferred, to the SPV",
            "pledge": "is only pledged to the SPV",
            "royalties_only": "stays with its owner; only royalties from it reach the SPV",
        }[route]
        add(
            "pool_patent", patent.id,
            f"{patent.office} patent {patent.number} ({patent.title}), {patent.status}, {holder_text}.",
            patent=patent.id, patent_number=patent.number, office=patent.office, status=patent.status, route=route,
            links=len(chain.links), all_registered=chain.all_registered,
            in_trust=any(link.method == "trust_settlement" for link in chain.links),
            record_owner_is_originator=patent.owner in g.originator_group,
            expiry=patent.expiry_date.isoformat() if patent.expiry_date else "unstated",
            legal_final=legal_final.isoformat(),
            expires_before_final=bool(patent.expiry_date and as_of < patent.expiry_date < legal_final),
        )

    paths = g.royalty_paths()
    licence_patents = {lic.id: lic.patents for lic in deal.licences}
    licence_recorded = {lic.id: lic.recorded_with for lic in deal.licences}
    licence_exclusive = {lic.id: lic.exclusive for lic in deal.licences}
    treaty = {(t.payer, t.payee): t for t in deal.tax.treaty_rates}
    for path in paths:
        licensee = deal.party(path.licensee)
        holder = deal.party(path.account_holder)
        treaty_rate = treaty.get((path.payer_country, path.payee_country))
        add(
            "royalty_flow", path.licence,
            f"{licensee.name} ({path.payer_country}) pays royalties under licence {path.licence} into "
            + (f"account {path.account} held by {holder.name}" if path.account else f"the hands of {holder.name}")
            + f"; about {path.expected_annual:,.0f} {deal.deal.currency} a year; the royalty belongs to "
            + f"{deal.party(path.payee).name} ({path.payee_country}).",
            licence=path.licence, licensor=path.licensor, licensee=path.licensee, payer_country=path.payer_country,
            payee=path.payee, payee_country=path.payee_country, cross_border=path.cross_border,
            via_originator=path.via_originator, to_spv=path.to_spv,
            licensor_in_originator_group=path.licensor in g.originator_group,
            receivables_sold=path.receivables_transfer is not None, notified=path.notified,
            perfection_registries=list(path.perfection_registries),
            treaty_rate=treaty_rate.royalty_rate if treaty_rate else -1.0,
            treaty=treaty_rate.treaty if treaty_rate else "none", gross_up=tri(deal.tax.gross_up),
            expected_annual=round(path.expected_annual, 2),
            account_holder_country=country(holder.tax_residence or holder.jurisdiction),
            licensor_country=country(deal.party(path.licensor).jurisdiction),
            patent_offices=sorted({deal.patent(pid).office for pid in licence_patents[path.licence]}),
            payer_in_eu=in_eu(path.payer_country), payee_in_eu=in_eu(path.payee_country),
            payer_payee_associated=g.associated(path.licensee, path.payee),
            recorded_offices=sorted(licence_recorded[path.licence]), exclusive=licence_exclusive[path.licence],
        )
        if path.receivables_transfer:
            notice = f"notified on {path.notice_date}" if path.notified else "not notified"
            add(
                "receivable", path.licence,
                f"The royalty receivables under licence {path.licence} were assigned to the SPV by transfer "
                f"{path.receivables_transfer}; the licensee {licensee.name} was {notice}.",
                licence=path.licence, licensee=path.licensee, payer_country=path.payer_country,
                transfer=path.receivables_transfer, notified=path.notified, to_spv=path.to_spv,
                perfection_registries=list(path.perfection_registries), notice_certified=path.notice_certified,
                seller_country=country(deal.party(path.licensor).jurisdiction),
            )

    for transfer in deal.transfers:
        if transfer.to != g.spv:
            continue
        ratio = transfer.price / transfer.appraised_value if transfer.price is not None and transfer.appraised_value else -1.0
        days = (as_of - transfer.date).days
        add(
            "transfer", transfer.id,
            f"Transfer {transfer.id}: {deal.party(transfer.from_party).name} to the SPV by {transfer.method.replace('_', ' ')} "
            f"on {transfer.date}"
            + (f" for {transfer.price:,.0f} against an appraised {transfer.appraised_value:,.0f} ({ratio:.0%})" if ratio >= 0 else "")
            + f"; recourse {transfer.recourse}" + ("; with a repurchase obligation" if transfer.repurchase_obligation else "") + ".",
            transfer=transfer.id, method=transfer.method, from_party=transfer.from_party,
            from_originator=transfer.from_party in g.originator_group, recourse=transfer.recourse,
            repurchase=transfer.repurchase_obligation, price_ratio=round(ratio, 6), days_before_as_of=days,
            patents=list(transfer.patents), receivables=list(transfer.receivables),
            patent_offices=sorted({deal.patent(pid).office for pid in transfer.patents}),
            price=transfer.price if transfer.price is not None else -1.0,
            seller_country=country(deal.party(transfer.from_party).jurisdiction),
            collections_via_seller=any(p.via_originator for p in paths if p.receivables_transfer == transfer.id),
            seller_services=bool(deal.servicing and deal.servicing.servicer in g.group_of(transfer.from_party)),
            title_passes=transfer.method in ("assignment", "sale", "sale_and_leaseback", "trust_settlement"),
            receivables_only=not transfer.patents,
        )

    for item in g.concentration():
        add(
            "concentration", item.dimension,
            f"By {item.dimension}, the largest share of expected royalties is {item.top_share:.0%} ({item.top_name}); "
            f"HHI {item.hhi:.2f} across {item.count}.",
            dimension=item.dimension, hhi=round(item.hhi, 6), top_share=round(item.top_share, 6), top_name=item.top_name,
            count=item.count,
        )

    for conflict in g.role_conflicts():
        add("role_conflict", f"{conflict.party}:{conflict.conflict}", conflict.description + ".",
            party=conflict.party, conflict=conflict.conflict)

    servicing = deal.servicing
    if servicing:
        servicer = deal.party(servicing.servicer)
        backup = deal.party(servicing.backup_servicer) if servicing.backup_servicer else None
        add(
            "servicing", servicer.id,
            f"{servicer.name} services the pool" + (f", with {backup.name} as backup servicer" if backup else ", with no backup servicer")
            + (f"; collections are swept to the SPV within {servicing.sweep_days} days" if servicing.sweep_days is not None else "")
            + ".",
            servicer=servicer.id, servicer_country=country(servicer.jurisdiction),
            servicer_in_originator_group=servicer.id in g.originator_group, backup=backup is not None,
            sweep_days=servicing.sweep_days if servicing.sweep_days is not None else -1,
            collections_via_originator=sum(1 for p in paths if p.via_originator),
        )

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
    add(
        "offering", "deal",
        f"The notes are offered by {reg.offering.replace('_', ' ')}"
        + (f" on {reg.exchange}" if reg.exchange else "")
        + f" to {', '.join(investor_types)} investors"
        + (f" ({reg.investor_count} investors)" if reg.investor_count else "")
        + (f"; the vehicle was established on {reg.established}" if reg.established else "")
        + (f"; filed with AMAC on {amac.date}" if amac else "") + ".",
        offering=reg.offering, exchange=reg.exchange or "none", investor_types=investor_types,
        investor_count=reg.investor_count or -1, spv_form=deal.spv.form, spv_country=country(deal.spv.jurisdiction),
        established=reg.established.isoformat() if reg.established else "unstated",
        amac_filed=amac is not None,
        amac_working_days=working_days_between(reg.established, amac.date) if (amac and reg.established) else -1,
        working_days_since_established=working_days_between(reg.established, as_of) if reg.established else -1,
        pooled_licences=len(g.pooled_licences), pooled_patents=len(g.pooled_patents),
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
    )

    originators = [deal.party(o) for o in g.originators]
    for party in originators:
        add(
            "originator", party.id,
            f"The originator is {party.name}, a {party.entity_type.replace('_', ' ')} in {party.jurisdiction}.",
            party=party.id, country=country(party.jurisdiction), entity_type=party.entity_type,
            private=party.entity_type not in ("government_entity", "university", "research_institute"),
        )
    return facts


def derive_risk_facts(g: DealGraph, report) -> list[Fact]:
    """The risk core's results as one fact the rule base can reason on (issue #4): senior default probability
    against its target, coverage, guarantor dependence, residual patent life against the tenor, concentration."""
    deal = g.deal
    senior = report.classes[0] if report.classes else None
    stressed = {s.name: s for s in report.stresses}
    guarantor = stressed.get("guarantor_default")
    largest = stressed.get("largest_licensee_default")
    top_licensee = next((c.top_share for c in g.concentration() if c.dimension == "licensee"), -1.0)
    target = report.enhancement.target_senior_pd if report.enhancement else -1.0
    text = (f"Over {report.paths:,} simulated paths the senior class defaults with probability "
            f"{senior.pd:.2%} (s.e. {senior.pd_se:.2%}) against a target of {target:.2%}; the lowest debt-service coverage "
            f"on a path is {report.dscr_min_p5 or 0:.2f}x or less one time in twenty; royalty-weighted residual patent life is "
            f"{report.residual_life_years:.1f} years against a tenor of {report.tenor_years:.1f} years."
            if senior else "No licence income survives screening, so nothing backs the notes.")
    return [{
        "id": "risk:deal", "kind": "risk", "text": text,
        "spv_form": deal.spv.form, "spv_country": country(deal.spv.jurisdiction),
        "senior_pd": round(senior.pd, 6) if senior else 1.0, "senior_pd_se": round(senior.pd_se, 6) if senior else 0.0,
        "target_pd": round(target, 6), "senior_el": round(senior.expected_loss, 6) if senior else 1.0,
        "dscr_min_p5": round(report.dscr_min_p5, 6) if report.dscr_min_p5 is not None else -1.0,
        "dscr_min_p50": round(report.dscr_min_p50, 6) if report.dscr_min_p50 is not None else -1.0,
        "guarantor_dependence": round(guarantor.senior_pd - senior.pd, 6) if (guarantor and senior) else -1.0,
        "guarantor_stressed_pd": round(guarantor.senior_pd, 6) if guarantor else -1.0,
        "largest_licensee_stressed_pd": round(largest.senior_pd, 6) if largest else -1.0,
        "residual_life_years": round(report.residual_life_years, 4), "tenor_years": round(report.tenor_years, 4),
        "excluded_patents": sum(1 for s in report.screening if s.excluded), "top_licensee_share": round(top_licensee, 6),
        "paths": report.paths,
    }]
