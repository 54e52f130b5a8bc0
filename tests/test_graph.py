"""Graph queries the rules rely on, each on a small deal whose answer is known."""

from __future__ import annotations

import pytest

from ipsa.engine.graph import DealGraph
from ipsa.engine.loading import validate_mapping
from tests.conftest import EXAMPLES, example_mapping


def graph(mapping) -> DealGraph:
    return DealGraph(validate_mapping(mapping, "<test>", EXAMPLES).deal)


def test_originator_controls_spv_through_equity_chain():
    deal = example_mapping("vn_company_spv")
    deal["parties"].append({"id": "holdco", "name": "SH Holdings", "roles": ["sponsor"], "jurisdiction": "VN",
                            "owners": [{"owner": "songhong", "share": 0.8}]})
    spv = next(p for p in deal["parties"] if p["id"] == "spvco")
    spv["owners"] = [{"owner": "holdco", "share": 0.7}, {"owner": "songhong", "share": 0.2}]
    spv["directors"] = [{"name": "Independent", "independent": True}]
    control = graph(deal).originator_control_of_spv()
    assert control.equity == pytest.approx(0.8 * 0.7 + 0.2)
    assert control.voting == pytest.approx(0.9) and control.board_share == 0 and control.controls


def test_board_control_without_equity():
    deal = example_mapping("vn_company_spv")
    spv = next(p for p in deal["parties"] if p["id"] == "spvco")
    spv["owners"] = []
    spv["directors"] = [{"name": "A", "nominated_by": "songhong"}, {"name": "B", "nominated_by": "songhong"},
                        {"name": "C", "independent": True}]
    control = graph(deal).originator_control_of_spv()
    assert control.equity == 0 and control.board_share == pytest.approx(2 / 3) and control.controls


def test_orphan_spv_is_not_controlled():
    deal = example_mapping("vn_company_spv")
    spv = next(p for p in deal["parties"] if p["id"] == "spvco")
    spv["owners"], spv["directors"] = [], [{"name": "Independent", "independent": True}]
    assert not graph(deal).originator_control_of_spv().controls


def test_chain_of_title_follows_links_and_registration():
    deal = example_mapping("cn_licence_special_plan")
    deal["parties"].append({"id": "uni", "name": "Zhejiang Optics Institute", "roles": ["licensor"], "jurisdiction": "CN",
                            "entity_type": "university"})
    optics = next(p for p in deal["patents"] if p["id"] == "p-optics")
    optics["owner"] = "uni"
    deal["transfers"].append({"id": "t-uni", "from": "uni", "to": "lingxi", "method": "assignment", "patents": ["p-optics"],
                              "date": "2025-01-10", "registrations": [{"office": "CN", "date": "2025-02-01"}]})
    chain = graph(deal).chain_of_title("p-optics")
    assert [link.transfer for link in chain.links] == ["t-uni", "t-optics"]
    assert [link.registered for link in chain.links] == [True, False]
    assert chain.reaches_spv and not chain.all_registered


def test_chain_of_title_gap_when_no_transfer_reaches_spv():
    deal = example_mapping("cn_licence_special_plan")
    next(t for t in deal["transfers"] if t["id"] == "t-optics")["method"] = "licence"
    chain = graph(deal).chain_of_title("p-optics")
    assert not chain.reaches_spv and chain.links == () and chain.other_routes == ("licence",)


def test_royalty_paths_show_cash_through_originator_and_notice():
    paths = {p.licence: p for p in graph(example_mapping("cn_licence_special_plan")).royalty_paths()}
    assert paths["lic-minhang"].via_originator and not paths["lic-minhang"].notified
    assert paths["lic-yuanwei"].to_spv and paths["lic-yuanwei"].notified
    assert paths["lic-yuanwei"].expected_annual == pytest.approx(0.035 * 620_000_000)
    assert paths["lic-minhang"].expected_annual == pytest.approx(1_500_000 * 4)


def test_concentration_hhi_and_top_share():
    by = {c.dimension: c for c in graph(example_mapping("cn_licence_special_plan")).concentration()}
    amounts = [0.035 * 620e6, 0.03 * 280e6, 6e6]
    shares = [a / sum(amounts) for a in amounts]
    assert by["licensee"].hhi == pytest.approx(sum(s * s for s in shares))
    assert by["licensee"].top_share == pytest.approx(shares[0])
    assert by["licensee"].top_name.startswith("Suzhou Yuanwei")


def test_role_conflicts():
    deal = example_mapping("vn_company_spv")
    next(p for p in deal["parties"] if p["id"] == "mekong")["roles"].append("investor")
    conflicts = {(c.party, c.conflict) for c in graph(deal).role_conflicts()}
    assert ("mekong", "licensee_investor") in conflicts
    assert ("songhong", "originator_servicer_no_backup") in conflicts
    deal["servicing"]["backup_servicer"] = "vbank"
    assert ("songhong", "originator_servicer_no_backup") not in {(c.party, c.conflict) for c in graph(deal).role_conflicts()}


def test_cross_border_flows_use_tax_residence():
    g = graph(example_mapping("us_royalty_llc"))
    flows = {p.licence: p for p in g.cross_border_flows()}
    assert set(flows) == {"lic-kisaragi"} and flows["lic-kisaragi"].payer_country == "JP"
    assert flows["lic-kisaragi"].payee_country == "US"


def test_graph_has_the_edges_the_design_names():
    rels = {d["rel"] for _, _, d in graph(example_mapping("us_royalty_llc")).graph.edges(data=True)}
    assert {"owns", "nominates", "record_owner", "transfer", "grants", "licensed_to", "covers", "pays_into", "held_by",
            "wraps", "services", "issues"} <= rels


def test_two_companies_are_associated_through_a_common_owner_of_a_quarter_of_each():
    """Directive 2003/49 Art 3(b)(iii): a third company holding 25% of both makes two companies associated; the
    common owner is found among the owners of both, however many other parties the deal has."""
    def with_parent(share_of_spv: float) -> DealGraph:
        mapping = example_mapping("us_royalty_llc")
        mapping["parties"].append({"id": "parent", "name": "Common Parent AG", "roles": ["sponsor"], "jurisdiction": "DE"})
        next(p for p in mapping["parties"] if p["id"] == "arbor")["owners"] = [{"owner": "parent", "share": 0.3}]
        next(p for p in mapping["parties"] if p["id"] == "funding")["owners"] = [
            {"owner": "helix", "share": 1 - share_of_spv}, {"owner": "parent", "share": share_of_spv}]
        return graph(mapping)

    g = with_parent(0.3)
    assert g.associated("arbor", "funding")
    assert not with_parent(0.2).associated("arbor", "funding")  # 20% of one of them is not enough
    assert not g.associated("arbor", "kisaragi")  # no common owner at all
