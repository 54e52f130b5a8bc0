"""`ipsa lawdiff`: what changes for a deal between two dates, each change traced to the change in the law."""

from __future__ import annotations

import datetime as dt
import json

from ipsa.engine.lawdiff import lawdiff
from ipsa.engine.loading import load_deal
from tests.conftest import EXAMPLES, assess_mapping, example_mapping
from tests.test_cli import ipsa


def test_the_chinese_vat_law_replaces_the_pilot_notice_on_2026_01_01():
    diff = lawdiff(load_deal(EXAMPLES / "cn_licence_special_plan.yaml"), dt.date(2025, 6, 30), dt.date(2026, 6, 30))
    added = [c for c in diff.findings if c.change == "added" and any("Value-Added Tax Law" in b and "2026-01-01" in b for b in c.because)]
    removed = [c for c in diff.findings if c.change == "removed" and any("Caishui [2016] No. 36" in b and "ceases" in b for b in c.because)]
    assert added and removed
    assert any(change.on == dt.date(2026, 1, 1) for change in diff.law_changes)
    assert all(c.because for c in diff.findings)


def test_nothing_changes_between_two_dates_with_the_same_law():
    day = dt.date(2026, 6, 30)
    diff = lawdiff(load_deal(EXAMPLES / "cn_licence_special_plan.yaml"), day, day)
    assert diff.findings == [] and diff.law_changes == []


def test_a_change_no_dated_law_explains_is_put_down_to_time():
    """The AMAC deadline runs out between the dates; no law changed, so the reason says the facts moved."""
    deal = example_mapping("cn_licence_special_plan")
    deal["regulation"]["established"] = "2026-06-01"
    deal["regulation"]["filings"] = [f for f in deal["regulation"].get("filings", []) if f["regulator"] != "AMAC"]
    from ipsa.engine.loading import validate_mapping

    loaded = validate_mapping(deal, "edited.yaml", EXAMPLES)
    diff = lawdiff(loaded, dt.date(2026, 6, 2), dt.date(2026, 6, 30))
    amac = [c for c in diff.findings if c.rule_id == "CN-SUP-001"]
    assert amac and amac[0].change == "changed" and "facts are read on another date" in amac[0].because[0]
    assert assess_mapping(deal, dt.date(2026, 6, 30)).findings  # the same deal assesses on its own


def test_the_lawdiff_command(tmp_path):
    data = json.loads(ipsa("lawdiff", EXAMPLES / "cn_licence_special_plan.yaml", "--from", "2025-06-30", "--to", "2026-06-30",
                           "--json").stdout)
    assert data["from_date"] == "2025-06-30" and data["findings"]
    text = ipsa("lawdiff", EXAMPLES / "cn_licence_special_plan.yaml", "--from", "2025-06-30", "--to", "2026-06-30").stdout
    assert "because" in text and "Changes in the law between the dates" in text
    bad = ipsa("lawdiff", EXAMPLES / "cn_licence_special_plan.yaml", "--from", "2025-13-01", "--to", "2026-06-30", check=False)
    assert bad.returncode == 2 and "error: --from: " in bad.stderr and "YYYY-MM-DD" in bad.stderr and "Traceback" not in bad.stderr


def test_a_finding_that_only_moves_to_the_successor_law_is_a_hand_over():
    """Viet Nam's Bankruptcy Law 2014 gives way to Law 142/2025/QH15 on 2026-03-01; a finding worded the same under
    both is reported once, as resting on the later law, with both instruments as the reason."""
    diff = lawdiff(load_deal(EXAMPLES / "vn_company_spv.yaml"), dt.date(2026, 2, 28), dt.date(2026, 3, 1))
    handed = [c for c in diff.findings if c.change == "handed_over"]
    assert handed and all(c.previous_rule and c.before == c.after for c in handed)
    assert all(any("142/2025/QH15" in b for b in c.because) and any("ceases to apply" in b for b in c.because) for c in handed)
    moved = {(c.previous_rule, c.about) for c in handed} | {(c.rule_id, c.about) for c in handed}
    assert not any(c.change in ("added", "removed") and (c.rule_id, c.about) in moved for c in diff.findings)
