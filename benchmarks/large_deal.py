"""A synthetic large deal for scale benchmarks: the US example's structure with N patents and M licences.

    python benchmarks/large_deal.py --patents 2000 --licences 500 -o big.yaml

Each licence is exclusive over its own slice of the patents (so N/M patents each), granted by the originator to one
of M/5 licensees (rated BBB- to A+, in the US, Japan and Germany), with royalties on net sales of 1-20 million a
year. A fifth of the licences pay to the originator's own account, so one rule (collections to the originator)
fails for a hundred licences at once: the case of a repeated finding. The patent schedule is written inline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

import yaml

RATINGS = ["A+", "A", "A-", "BBB+", "BBB", "BBB-"]
COUNTRIES = [("US", "US-NJ"), ("JP", "JP"), ("DE", "DE")]


def large_deal(patents: int, licences: int, seed: int = 7) -> dict:
    """The deal as a mapping, ready for `yaml.safe_dump` or `validate_mapping`."""
    rng = random.Random(seed)
    licensees = max(1, licences // 5)
    parties = [
        {"id": "helix", "name": "Helix Therapeutics, Inc.", "roles": ["originator", "licensor", "servicer"],
         "jurisdiction": "US-DE", "rating": "BB"},
        {"id": "funding", "name": "Helix Royalty Funding LLC", "roles": ["spv"], "jurisdiction": "US-DE",
         "entity_type": "llc", "owners": [{"owner": "helix", "share": 1.0}],
         "directors": [{"name": "Independent manager", "independent": True, "nominated_by": "trustee"}]},
        {"id": "trustee", "name": "Granite Trust Company, N.A.", "roles": ["trustee", "account_bank"],
         "jurisdiction": "US", "entity_type": "bank", "rating": "AA-"},
    ]
    for k in range(licensees):
        country, jurisdiction = COUNTRIES[k % len(COUNTRIES)]
        parties.append({"id": f"lee-{k:04d}", "name": f"Licensee {k:04d} Pharma", "roles": ["licensee"],
                        "jurisdiction": jurisdiction, "rating": rng.choice(RATINGS)})
    schedule = []
    per = max(1, patents // licences)
    for n in range(patents):
        licensee = min(n // per, licences - 1) % licensees
        country = COUNTRIES[licensee % len(COUNTRIES)][0]  # patented where its licensee sells
        filed = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(0, 9 * 365))
        schedule.append({
            "id": f"p-{n:05d}", "office": country, "number": f"{country} {9_000_000 + n}", "title": f"Compound {n}",
            "owner": "helix", "status": "granted", "filing_date": filed.isoformat(),
            "grant_date": (filed + dt.timedelta(days=3 * 365)).isoformat(),
            "expiry_date": filed.replace(year=filed.year + 20).isoformat(), "maintenance": "paid",
            "family": f"F-{n // 4:04d}", "technology": "A61K", "claims": rng.randrange(5, 40)})
    deal_licences = []
    for m in range(licences):
        covered = schedule[m * per:(m + 1) * per] or schedule[-1:]
        licensee = parties[3 + m % licensees]
        end = max(dt.date.fromisoformat(p["expiry_date"]) for p in covered)
        deal_licences.append({
            "id": f"lic-{m:04d}", "licensor": "helix", "licensee": licensee["id"],
            "patents": [p["id"] for p in covered], "exclusive": True,
            "territory": [licensee["jurisdiction"][:2]], "start": "2022-01-01", "end": end.isoformat(),
            "royalty": {"rate": 0.05, "base": "net_sales", "expected_annual_base": rng.randrange(1, 20) * 1_000_000,
                        "frequency": "quarterly"},
            "pays_to": "acc-helix" if m % 5 == 0 else "acc-collection"})
    total = sum(lic["royalty"]["expected_annual_base"] * 0.05 for lic in deal_licences)
    senior = int(total * 4 // 1_000_000 * 1_000_000) or 1_000_000
    return {
        "schema_version": 1,
        "deal": {"name": f"Helix Royalty Funding LLC {patents}-{licences}", "as_of": "2026-09-30",
                 "governing_law": "US-NY", "currency": "USD", "client": "Helix Therapeutics, Inc.",
                 "counsel": "ipsa benchmark counsel",
                 "closing_date": "2026-09-15"},
        "parties": parties,
        "patents": schedule,
        "licences": deal_licences,
        "transfers": [{"id": "t-royalties", "from": "helix", "to": "funding", "method": "sale",
                       "receivables": [lic["id"] for lic in deal_licences], "date": "2026-09-15",
                       "price": senior, "recourse": "none",
                       "perfection_filings": [{"registry": "ucc", "jurisdiction": "US-DE", "date": "2026-09-15"}]}],
        "spv": {"party": "funding", "form": "us_delaware_llc", "jurisdiction": "US-DE", "separateness_covenants": True,
                "non_petition": True, "limited_recourse": True, "activities_limited": True, "orphan": False},
        "notes": [{"id": "A", "amount": senior, "coupon": 0.06, "seniority": 1, "legal_final": "2045-06-30",
                   "expected_maturity": "2038-12-31", "target_rating": "A", "investor_type": "institutional"}],
        "credit_enhancement": {"reserve": {"target_months_interest": 6, "funded_at_close": senior * 0.03,
                                           "account": "acc-reserve"}},
        "accounts": [
            {"id": "acc-collection", "holder": "funding", "bank": "trustee", "kind": "collection",
             "pledged_to": "trustee"},
            {"id": "acc-reserve", "holder": "funding", "bank": "trustee", "kind": "reserve", "pledged_to": "trustee"},
            {"id": "acc-helix", "holder": "helix", "bank": "trustee", "kind": "operating"}],
        "servicing": {"servicer": "helix", "sweep_days": 2},
        "regulation": {"offering": "rule_144a", "risk_retention": {"holder": "helix", "share": 0.05,
                                                                   "form": "vertical"}},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patents", type=int, default=2000)
    parser.add_argument("--licences", type=int, default=500)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    args.output.write_text(yaml.safe_dump(large_deal(args.patents, args.licences), sort_keys=False), encoding="utf-8")


if __name__ == "__main__":
    main()
