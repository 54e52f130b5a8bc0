"""Step definitions for the us features (edits of the example deals a lawyer can read)."""

from __future__ import annotations

from pytest_bdd import given, parsers, then

from tests.conftest import by_id



@given(parsers.parse('licence "{licence}" may be used only in "{countries}"'))
def us_licence_territory(world, licence, countries):
    """The licence territory: where the licensee may use the patents (which decides the royalties' source)."""
    by_id(world["deal"]["licences"], licence)["territory"] = [c.strip() for c in countries.split(",")]


@given(parsers.parse('the sale "{transfer}" took place on "{day}"'))
def us_transfer_date(world, transfer, day):
    by_id(world["deal"]["transfers"], transfer)["date"] = day


@given(parsers.parse('"{party}" entered "{kind}" proceedings in "{jurisdiction}" on "{day}"'))
def us_party_insolvent(world, party, kind, jurisdiction, day):
    """Proceedings actually opened against the party (not the hypothetical insolvency every deal is tested against)."""
    by_id(world["deal"]["parties"], party)["insolvency"] = {"kind": kind, "opened": day, "jurisdiction": jurisdiction}


def _opinion(world, kind, law, firm, day, covers):
    world["deal"].setdefault("opinions", []).append(
        {"kind": kind, "jurisdiction": law, "firm": firm, "date": day, "covers": covers})


@given(parsers.parse('a "{kind}" opinion under "{law}" law by "{firm}" dated "{day}" covers transfer "{transfer}"'))
def us_opinion_covering(world, kind, law, firm, day, transfer):
    _opinion(world, kind, law, firm, day, [transfer])


@given(parsers.parse('a "{kind}" opinion under "{law}" law by "{firm}" is dated "{day}"'))
def us_opinion(world, kind, law, firm, day):
    _opinion(world, kind, law, firm, day, [])


@then(parsers.parse('the finding of rule "{rule_id}" about "{about}" mentions "{words}"'))
def us_finding_mentions(world, rule_id, about, words):
    found = [f for f in world["assessment"].findings if f.rule_id == rule_id and f.about == about]
    assert len(found) == 1, f"expected one finding of {rule_id} about {about}, got {len(found)}"
    assert words in found[0].conclusion, found[0].conclusion
