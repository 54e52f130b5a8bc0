"""Working days on each country's official calendar (the `holidays` library), as the law's deadlines count them."""

from __future__ import annotations

import datetime as dt

from ipsa.engine.dates import provisional, schedule_published_through, working_days_between
from tests.conftest import assess_mapping, example_mapping


def test_a_chinese_count_across_national_day_2025_uses_the_make_up_working_days():
    """Established Friday 26 September 2025: Sunday 28 September was a make-up working day, 1-8 October a holiday,
    so a filing on Friday 10 October is on the fifth working day (plain weekdays would make it the tenth)."""
    established, filed = dt.date(2025, 9, 26), dt.date(2025, 10, 10)
    assert working_days_between(established, filed, "CN") == 5
    assert working_days_between(dt.date(2025, 9, 30), dt.date(2025, 10, 11), "CN") == 3  # Saturday 11 October worked


def test_other_countries_count_their_own_holidays():
    assert working_days_between(dt.date(2026, 4, 28), dt.date(2026, 5, 8), "JP") == 4  # 30 Apr, 1, 7, 8 May: Golden Week off
    assert working_days_between(dt.date(2026, 1, 2), dt.date(2026, 1, 9), "US") == 5
    assert working_days_between(dt.date(2026, 1, 9), dt.date(2026, 1, 9), "CN") == 0


def test_a_count_into_an_unpublished_year_is_provisional():
    last = schedule_published_through("CN")
    assert last is not None and last >= 2026
    assert provisional(dt.date(last, 12, 20), dt.date(last + 1, 1, 10), "CN")
    assert not provisional(dt.date(last, 3, 1), dt.date(last, 3, 20), "CN")
    assert schedule_published_through("US") is None and not provisional(dt.date(2090, 1, 1), dt.date(2090, 2, 1), "US")


def test_the_amac_filing_across_national_day_is_on_time():
    deal = example_mapping("cn_licence_special_plan")
    deal["regulation"]["established"] = "2025-09-26"
    deal["regulation"]["filings"] = [f for f in deal["regulation"].get("filings", []) if f["regulator"] != "AMAC"]
    deal["regulation"]["filings"].append({"regulator": "AMAC", "kind": "plan filing", "date": "2025-10-10"})
    finding = next(f for f in assess_mapping(deal, dt.date(2025, 12, 1)).findings if f.rule_id == "CN-SUP-001")
    assert finding.status == "pass" and "5 working days" in finding.conclusion
