"""Issue #13 (a 2,000-patent deal in seconds): the indexes and shared objects that replaced scans and repeated work
answer exactly as the scans did, on the examples and on edited deals where the first of several matches counts."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from ipsa.engine.assess import assess, engine, rule_citations
from ipsa.engine.assessment import ChainStep
from ipsa.engine.graph import TITLE_METHODS, DealGraph, TitleChain, TitleLink
from ipsa.engine.loading import DealInputError, validate_mapping
from ipsa.knowledge_base import load as load_knowledge_base
from tests.conftest import EXAMPLE_NAMES, EXAMPLES, by_id, example_mapping


def graph(mapping) -> DealGraph:
    return DealGraph(validate_mapping(mapping, "<test>", EXAMPLES).deal)


def scanned_chain(g: DealGraph, patent_id: str) -> TitleChain:
    """The chain of title as found before the index: every transfer of the deal scanned for each link."""
    deal, patent = g.deal, g.deal.patent(patent_id)
    holder, links, used = patent.owner, [], set()
    while holder != g.spv:
        candidates = sorted((t for t in deal.transfers if patent_id in t.patents and t.from_party == holder
                             and t.method in TITLE_METHODS and t.id not in used), key=lambda t: (t.date, t.id))
        if not candidates:
            break
        transfer = candidates[0]
        used.add(transfer.id)
        registration = next((r for r in transfer.registrations if r.office == patent.office), None)
        links.append(TitleLink(transfer.id, transfer.method, transfer.from_party, transfer.to, transfer.date,
                               registration is not None, registration.date if registration else None))
        holder = transfer.to
    other = tuple(sorted({t.method for t in deal.transfers
                          if patent_id in t.patents and t.to == g.spv and t.method not in TITLE_METHODS}))
    return TitleChain(patent_id, patent.office, patent.owner, tuple(links), holder == g.spv, other)


def scanned_route(g: DealGraph, licence_id: str) -> tuple:
    """A licence's account, sale and notice as found before the indexes: the first of each in the deal's order."""
    deal = g.deal
    licence = next(lic for lic in deal.licences if lic.id == licence_id)
    account = next((a for a in deal.accounts if a.id == licence.pays_to), None)
    transfer = next((t for t in deal.transfers if t.to == g.spv and licence.id in t.receivables), None)
    notice = next((n for n in transfer.notices if n.party == licence.licensee), None) if transfer else None
    return account, transfer, notice


def chained_cn_deal() -> dict:
    """The Chinese example with a title chain of two links for one patent and a pledge of another."""
    deal = example_mapping("cn_licence_special_plan")
    deal["parties"].append({"id": "uni", "name": "Zhejiang Optics Institute", "roles": ["licensor"], "jurisdiction": "CN",
                            "entity_type": "university"})
    by_id(deal["patents"], "p-optics")["owner"] = "uni"
    deal["transfers"].append({"id": "t-uni", "from": "uni", "to": "lingxi", "method": "assignment", "patents": ["p-optics"],
                              "date": "2025-01-10", "registrations": [{"office": "CN", "date": "2025-02-01"}]})
    return deal


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_chains_of_title_and_royalty_paths_match_the_scans(name):
    g = graph(example_mapping(name))
    assert [g.chain_of_title(p.id) for p in g.deal.patents] == [scanned_chain(g, p.id) for p in g.deal.patents]
    for path in g.royalty_paths():
        account, transfer, notice = scanned_route(g, path.licence)
        assert path.account == (account.id if account else None)
        assert path.receivables_transfer == (transfer.id if transfer else None)
        assert (path.notified, path.notice_date) == (notice is not None, notice.date if notice else None)


def test_a_chain_of_several_links_matches_the_scan():
    g = graph(chained_cn_deal())
    chain = g.chain_of_title("p-optics")
    assert [link.transfer for link in chain.links] == ["t-uni", "t-optics"]
    assert [g.chain_of_title(p.id) for p in g.deal.patents] == [scanned_chain(g, p.id) for p in g.deal.patents]


def test_the_first_sale_and_the_first_notice_count_where_several_name_a_licence():
    deal = example_mapping("cn_licence_special_plan")
    first = deal["transfers"][0]
    licensee = first["notices"][0]["party"]
    first["notices"].append({"party": licensee, "date": "2026-04-30", "acknowledged": True})
    second = {key: value for key, value in first.items() if key not in ("notices", "id")}
    deal["transfers"].append({**second, "id": "t-again", "date": "2026-05-01",
                              "notices": [{"party": licensee, "date": "2026-05-02", "acknowledged": True}]})
    g = graph(deal)
    for path in g.royalty_paths():
        account, transfer, notice = scanned_route(g, path.licence)
        assert path.receivables_transfer == transfer.id == first["id"]
        assert path.notice_date == (notice.date if notice else None)
    assert g.notice_of(g.sale_of(g.royalty_paths()[0].licence), licensee).date.isoformat() == first["notices"][0]["date"]


def owns_edges_of_the_whole_graph(g: DealGraph) -> nx.DiGraph:
    return nx.DiGraph(((u, v, d) for u, v, d in g.graph.edges(data=True) if d["rel"] == "owns"))


def same_ownership(first: nx.DiGraph, second: nx.DiGraph) -> bool:
    """The same nodes and edges in the same order, with the same shares (the order decides how shares add up)."""
    def listed(owns: nx.DiGraph):
        return list(owns.nodes), [(u, [(v, d["share"]) for v, d in owns.adj[u].items()]) for u in owns]
    return listed(first) == listed(second)


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_the_ownership_graph_is_the_whole_graphs_owns_edges(name):
    g = graph(example_mapping(name))
    assert same_ownership(g._ownership, owns_edges_of_the_whole_graph(g))


def test_the_ownership_graph_matches_on_random_holdings():
    rng = random.Random(13)
    checked = 0
    for _ in range(60):
        deal = example_mapping("cn_licence_special_plan")
        ids = [p["id"] for p in deal["parties"]]
        for party in deal["parties"]:
            owners = rng.sample([i for i in ids if i != party["id"]], rng.randrange(0, 3))
            party["owners"] = [{"owner": o, "share": round(rng.uniform(0.05, 0.45), 3)} for o in owners]
        try:
            g = graph(deal)
        except DealInputError:
            continue
        assert same_ownership(g._ownership, owns_edges_of_the_whole_graph(g))
        checked += 1
    assert checked > 30


def test_group_of_is_remembered_and_unchanged():
    g = graph(example_mapping("vn_company_spv"))
    parties = [p.id for p in g.deal.parties]
    first = {p: g.group_of(p) for p in parties}
    fresh = DealGraph(g.deal)
    assert {p: fresh.group_of(p) for p in reversed(parties)} == first
    assert all(g.group_of(p) is first[p] for p in parties)


def test_deal_looks_up_licences_and_accounts_by_id():
    deal = graph(example_mapping("us_royalty_llc")).deal
    assert deal.licence("lic-arbor") is deal.licences[0]
    assert deal.account(deal.licences[0].pays_to).id == deal.licences[0].pays_to
    with pytest.raises(StopIteration):
        deal.licence("nothing")


def scanned_steps(result, roots, rules, kb, as_of) -> list[ChainStep]:
    """A finding's chain of reasoning built afresh for each finding, as before the steps were shared."""
    steps, seen = [], set()

    def visit(fact_id):
        if fact_id in seen:
            return
        seen.add(fact_id)
        fact = result.facts[fact_id]
        if "rule" in fact:
            for premise in fact["because"]:
                visit(premise)
            steps.append(ChainStep(kind="conclusion", id=fact_id, text=fact["text"], rule_id=fact["rule"],
                                   citations=rule_citations(kb, rules[fact["rule"]], as_of)))
        else:
            steps.append(ChainStep(kind="fact", id=fact_id, text=fact["text"]))

    for root in roots:
        visit(root)
    return steps


@pytest.mark.parametrize("name", ["cn_licence_special_plan", "us_royalty_llc"])
def test_shared_citations_and_steps_equal_those_built_for_each_finding(name):
    from ipsa.engine.facts import derive_facts

    loaded = validate_mapping(example_mapping(name), "<test>", EXAMPLES)
    day = loaded.deal.deal.as_of
    kb, inference = load_knowledge_base(), engine()
    assessment = assess(loaded)
    result = inference.run(derive_facts(DealGraph(loaded.deal), day), day)
    raw = {f.id: f for f in result.findings}
    assert {f.id for f in assessment.findings} == set(raw)
    for finding in assessment.findings:
        assert finding.citations == rule_citations(kb, inference.rules[finding.rule_id], day)
        assert finding.because == scanned_steps(result, raw[finding.id].because, inference.rules, kb, day)
