"""Step definitions for the risk findings (rules/risk_practice.py): edits of the example deals a lawyer can read that
move concentration, common obligors and support providers."""

from __future__ import annotations

from pytest_bdd import given, parsers

from tests.conftest import by_id



def _senior_class(deal):
    return sorted(deal["notes"], key=lambda n: (n["seniority"], n["id"]))[0]


@given(parsers.parse('licensee "{party}" also insures the senior notes'))
def risk_licensee_insures(world, party):
    """The licensee becomes the insurer of the senior class: it replaces every wrap provider, or wraps the senior class
    where the deal has no wrap."""
    deal = world["deal"]
    licensee = by_id(deal["parties"], party)
    licensee["roles"] = list(dict.fromkeys(licensee["roles"] + ["insurer"]))
    wraps = deal.setdefault("credit_enhancement", {}).setdefault("wraps", [])
    if wraps:
        for wrap in wraps:
            wrap["provider"] = party
    else:
        wraps.append({"provider": party, "kind": "insurance", "covers": [_senior_class(deal)["id"]], "premium_rate": 0.004})


@given(parsers.parse('licensee "{party}" also holds notes'))
def risk_licensee_holds_notes(world, party):
    licensee = by_id(world["deal"]["parties"], party)
    licensee["roles"] = list(dict.fromkeys(licensee["roles"] + ["investor"]))


@given(parsers.parse('the royalties of licence "{licence}" are shared equally among {count:d} licensees'))
def risk_licence_split(world, licence, count):
    """The licence is replaced by `count` licences on the same terms, each for 1/count of its royalties, to as many
    licensees (the original and count - 1 new ones of the same standing), all sold to the SPV alike."""
    deal = world["deal"]
    original = by_id(deal["licences"], licence)
    royalty = original["royalty"]
    for key in ("expected_annual_base", "fixed_amount", "minimum_annual"):
        if royalty.get(key) is not None:
            royalty[key] = royalty[key] / count
    licensee = by_id(deal["parties"], original["licensee"])
    for n in range(2, count + 1):
        party_id, licence_id = f"{licensee['id']}-{n}", f"{licence}-{n}"
        deal["parties"].append({**licensee, "id": party_id, "name": f"{licensee['name']} ({n})"})
        deal["licences"].append({**original, "id": licence_id, "licensee": party_id,
                                 "royalty": dict(royalty)})
        for transfer in deal["transfers"]:
            if licence in transfer.get("receivables", []):
                transfer["receivables"] = transfer["receivables"] + [licence_id]
                transfer["notices"] = transfer.get("notices", []) + [
                    {**notice, "party": party_id} for notice in transfer.get("notices", []) if notice["party"] == licensee["id"]]
