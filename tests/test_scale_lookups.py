"""A very large deal (10,000 patents, 5,000 licences): the look-ups, array comparisons and text assembly that replaced
scans and repeated work give exactly what the scans gave, on the examples and on a pool whose licences overlap."""

from __future__ import annotations

import copy
import datetime as dt

import numpy as np
import pytest

from ipsa.engine.assessment import ChainStep, Finding
from ipsa.engine.graph import DealGraph
from ipsa.engine.loading import validate_mapping
from ipsa.engine.risk.inputs import PoolInputs, build, period_index
from ipsa.engine.risk.screening import screen
from ipsa.engine.text import Message, N_, collecting, joined, msg
from tests.conftest import EXAMPLE_NAMES, EXAMPLES, example_mapping
from tests.test_risk import one_licence_deal


def overlapping_deal() -> dict:
    """Four licensees whose licences share patents (one licence covers all four) and begin and end on, just before
    and just after the model's period ends, so that every comparison of `build` meets its boundary."""
    deal = one_licence_deal(licensees=4, quarters=12)
    licences = deal["licences"]
    licences[1]["patents"] = ["p1", "p0"]
    licences[2]["patents"] = ["p3", "p1", "p2"]
    licences[3]["patents"] = ["p2", "p0", "p1", "p3"]
    licences[0]["start"], licences[0]["end"] = "2026-04-01", "2028-07-01"  # a period end; 90 days after one
    licences[1]["start"], licences[1]["end"] = "2026-03-31", "2028-10-02"
    licences[2]["start"], licences[2]["end"] = "2026-07-02", "2028-03-02"
    deal["parties"][4]["owners"] = [{"owner": "lee1", "share": 0.8}]  # lee1's obligor group holds lee1 and lee2
    deal["patents"][3]["technology"] = "T0"  # lic0 and lic2 (group T0) sit apart in the deal's order
    return deal


def pool_and_deal(mapping: dict) -> tuple[PoolInputs, DealGraph]:
    deal = validate_mapping(copy.deepcopy(mapping), "test.yaml", EXAMPLES).deal
    g = DealGraph(deal)
    return build(g, deal.deal.as_of, screen(g, deal.deal.as_of)), g


CASES = {"overlapping": overlapping_deal, **{name: (lambda name=name: example_mapping(name)) for name in EXAMPLE_NAMES}}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_pool_arrays_are_those_of_a_licence_by_licence_scan(case):
    pool, g = pool_and_deal(CASES[case]())
    deal = g.deal
    months = 12 // pool.periods_per_year
    obligor = {lic.id: lic.licensee for lic in deal.licences} | {loan.id: loan.borrower for loan in deal.loans}
    licences = [deal.licence(i) for i in pool.licences if i not in {loan.id for loan in deal.loans}]
    for row, lic in enumerate(licences):
        scanned = [end > lic.start and end - dt.timedelta(days=months * 30) < lic.end for end in pool.period_ends]
        assert pool.active[row].tolist() == scanned, lic.id
        covers = set(lic.patents) | set(lic.other_ip)
        assert pool.incidence[row].tolist() == [p in covers for p in pool.patents], lic.id
    weight = np.zeros(len(pool.patents))
    for row in range(len(licences)):
        covered = pool.incidence[row]
        if covered.any():
            weight[covered] += pool.base[row] / covered.sum()
    assert pool.patent_weight.tolist() == weight.tolist()  # bit for bit: the shares are added in the same order
    obligors = [obligor[i] for i in pool.licences]
    assert pool.licence_licensee.tolist() == [pool.licensees.index(o) for o in obligors]
    assert pool.licensee_group.tolist() == [pool.licence_group[obligors.index(k)] for k in pool.licensees]
    first_seen = list(dict.fromkeys(pool.licence_group.tolist()))  # groups numbered in order, each one contiguous
    assert first_seen == list(range(len(pool.groups))) and pool.licence_group.tolist() == sorted(pool.licence_group)


def test_an_obligor_group_of_licensees_is_named_with_its_members_in_order():
    pool, _ = pool_and_deal(overlapping_deal())
    assert pool.licences == ["lic0", "lic2", "lic1", "lic3"] and pool.groups == ["T0", "T1", "T2"]
    assert pool.licensee_obligor.tolist() == [0, 1, 1, 3]
    assert pool.assumptions["group lee1"].startswith("lee1, lee2 form one obligor group")


def test_the_first_period_ending_on_or_after_a_day_is_found_as_a_scan_finds_it():
    pool, _ = pool_and_deal(overlapping_deal())
    ends = pool.period_ends
    days = [ends[0] - dt.timedelta(days=400)] + [end + dt.timedelta(days=d) for end in ends for d in (-1, 0, 1)]
    for day in days:
        assert period_index(ends, day) == next((n for n, end in enumerate(ends) if end >= day), len(ends))


# -- texts: the English and the message a run collects are those the template and values make ----------------------

def _made_afresh(message: Message) -> str:
    """The English of a message made from its template and values alone, nothing kept from before."""
    return Message(message.template, dict(message.params))._make_english()


def test_a_text_built_of_texts_reads_and_is_collected_as_its_message_makes_it():
    with collecting() as made:
        name = msg("{name} ({country})", name="Helix", country="US")
        bare = Message("a {kind} licence", {"kind": "sole"})
        texts = [
            msg("{who!l} pays {amount:,.0f} a year under {licence!r}", who=msg("The {x}", x="Licensee"), amount=1234567.891,
                licence=N_("lic-1")),
            msg("{who!u} holds {share:.1%}; {bare}; {bare:>20}|", who=name, share=0.12345, bare=bare),
            name + N_("; ") + msg("{count} patents", count=3) + "",
            joined([name, N_("plain"), "raw"], ", "),
            joined([]),
            msg("no values here"),
        ]
    for text in texts:
        assert str(text) == _made_afresh(text.message)
        if text.message.params:
            assert made[str(text)] is text.message
    assert str(texts[0]) == "the Licensee pays 1,234,568 a year under 'lic-1'"
    assert str(texts[1]) == "Helix (US) holds 12.3%; a sole licence;       a sole licence|"
    assert texts[3].message.template == "{p0}{sep}{p1}{sep}{p2}" and texts[3].message.params["p0"] is name.message
    assert texts[2].message.template == "{p0}{p1}" and texts[2].message.params["p1"] == ""


def test_the_empty_defaults_of_steps_and_findings_are_fresh_for_each():
    first, second = ChainStep(kind="fact", id="a", text="A."), ChainStep(kind="fact", id="b", text="B.")
    assert first.citations == [] and first.citations is not second.citations
    fields = Finding.model_fields
    assert fields["figures"].default_factory is dict and fields["tags"].default_factory is list


def test_objects_set_aside_from_the_collector_are_collected_after_the_outermost_block():
    """The advisor's run and each variant's assessment set aside what they make from the cyclic collector; nested,
    the outermost block gives everything back: the collector's settings are restored and garbage made inside, even
    set aside, is collected afterwards."""
    import gc
    import weakref

    from ipsa.engine.assess import older_objects_set_aside

    class Node:
        pass

    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    with older_objects_set_aside():
        assert gc.get_freeze_count() > frozen and gc.get_threshold()[2] >= 100
        with older_objects_set_aside() as set_aside:
            node = Node()
            node.self = node  # a reference cycle: only the cyclic collector frees it
            gone = weakref.ref(node)
            set_aside()
            del node
        gc.collect()
        assert gone() is not None  # still set aside inside the outer block
    assert gc.get_threshold() == thresholds and gc.get_freeze_count() == frozen
    gc.collect()
    assert gone() is None
