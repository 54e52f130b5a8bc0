"""Step definitions for the jp features (edits of the example deals a lawyer can read)."""

from __future__ import annotations

from pytest_bdd import given, parsers

from tests.conftest import by_id



@given(parsers.parse('licence "{licence}" grants the right "{right}"'))
def jp_licence_right(world, licence, right):
    """The kind of Japanese licence: an exclusive licence (senyo jisshiken) or a non-exclusive one (tsujo jisshiken)."""
    by_id(world["deal"]["licences"], licence)["right"] = right


@given(parsers.parse('licence "{licence}" does not state its right'))
def jp_licence_right_unstated(world, licence):
    by_id(world["deal"]["licences"], licence).pop("right", None)


@given(parsers.parse('a true-sale opinion under "{law}" law by "{firm}" dated "{day}" covers transfer "{transfer}"'))
def jp_true_sale_opinion(world, law, firm, day, transfer):
    world["deal"].setdefault("opinions", []).append(
        {"kind": "true_sale", "jurisdiction": law, "firm": firm, "date": day, "covers": [transfer]})


@given("no legal opinion is recorded")
def jp_no_opinions(world):
    world["deal"]["opinions"] = []


@given(parsers.parse('a filing "{kind}" was made with "{regulator}" on "{day}"'))
def jp_filing_made(world, kind, regulator, day):
    world["deal"].setdefault("regulation", {}).setdefault("filings", []).append(
        {"regulator": regulator, "kind": kind, "date": day})


@given("the SPV names no manager or trustee")
def no_manager(world):
    world["deal"]["spv"].pop("manager", None)
