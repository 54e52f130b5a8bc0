"""Step definitions for the vn features (edits of the example deals a lawyer can read)."""

from __future__ import annotations

import datetime as dt

from pytest_bdd import given, parsers, when

from tests.conftest import by_id




@given(parsers.parse('transfer "{transfer}" is dated "{day}"'))
def vn_transfer_dated(world, transfer, day):
    by_id(world["deal"]["transfers"], transfer)["date"] = day


@given(parsers.parse('"{party}" is in "{kind}" proceedings opened in "{jurisdiction}" on "{day}"'))
def vn_party_in_proceedings(world, party, kind, jurisdiction, day):
    by_id(world["deal"]["parties"], party)["insolvency"] = {"kind": kind, "opened": day, "jurisdiction": jurisdiction}


@when(parsers.parse('the deal is assessed with the risk model as of "{day}"'))
def vn_assessed_with_risk_as_of(world, day):
    from ipsa.engine.risk import RiskOptions
    from tests.conftest import assess_mapping

    world["assessment"] = assess_mapping(world["deal"], dt.date.fromisoformat(day),
                                         risk=RiskOptions(paths=2000, seed=0, selection_paths=200))
