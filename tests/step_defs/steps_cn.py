"""Step definitions for the cn features (edits of the example deals a lawyer can read)."""

from __future__ import annotations

from pytest_bdd import given, parsers

from tests.conftest import by_id



@given(parsers.parse('the CN court accepted a bankruptcy petition against "{party}" on "{day}"'))
def cn_bankruptcy_petition_accepted(world, party, day):
    """Under the Enterprise Bankruptcy Law the proceedings open when the court accepts the petition (受理)."""
    by_id(world["deal"]["parties"], party)["insolvency"] = {"kind": "liquidation", "opened": day, "jurisdiction": "CN"}


def _cn_opinion(world, kind, law, covers):
    world["deal"].setdefault("opinions", []).append({
        "kind": kind, "jurisdiction": law, "firm": f"{law} counsel (example)", "date": "2026-03-16", "covers": covers,
    })


@given(parsers.parse('counsel gives a true-sale opinion under "{law}" law for transfer "{transfer}"'))
def cn_true_sale_opinion(world, law, transfer):
    _cn_opinion(world, "true_sale", law, [transfer])


@given(parsers.parse('counsel gives a non-consolidation opinion under "{law}" law'))
def cn_non_consolidation_opinion(world, law):
    _cn_opinion(world, "non_consolidation", law, [])


@given(parsers.parse('the pledge securing loan "{loan}" is registered'))
def cn_pledge_registered(world, loan):
    by_id(world["deal"]["loans"], loan)["pledge_registered"] = True


@given(parsers.parse('the pledge securing loan "{loan}" is not registered'))
def cn_pledge_not_registered(world, loan):
    by_id(world["deal"]["loans"], loan)["pledge_registered"] = False
