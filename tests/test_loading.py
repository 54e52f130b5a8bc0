"""Bad input: every problem names the file, the line and the field; the CLI exits 2 and writes nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ipsa.engine.loading import DealInputError, load_deal, load_text
from tests.conftest import EXAMPLES

CN = (EXAMPLES / "cn_licence_special_plan.yaml").read_text(encoding="utf-8")


def issues_of(text: str, tmp_path: Path, name: str = "deal.yaml") -> list:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DealInputError) as caught:
        load_deal(path)
    return caught.value.issues


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_invalid_yaml_names_the_line(tmp_path):
    text = CN.replace("  currency: CNY", "  currency: [CNY")
    (issue,) = issues_of(text, tmp_path)
    assert issue.file.endswith("deal.yaml") and issue.line is not None
    assert "not valid YAML" in issue.message


def test_unknown_field_is_a_typo(tmp_path):
    text = CN.replace("  limited_recourse: true", "  limited_recourse: true\n  non_pettion: true")
    (issue,) = issues_of(text, tmp_path)
    assert issue.field == "spv.non_pettion"
    assert issue.line == line_of(text, "non_pettion")
    assert "unknown field" in issue.message


def test_wrong_type_names_field_and_value(tmp_path):
    text = CN.replace("    amount: 85000000", "    amount: eighty-five million")
    (issue,) = issues_of(text, tmp_path)
    assert issue.field == "notes[0].amount"
    assert issue.line == line_of(text, "eighty-five million")
    assert "eighty-five million" in issue.message


def test_reference_to_nothing(tmp_path):
    text = CN.replace("    licensee: minhang", "    licensee: nobody")
    (issue,) = issues_of(text, tmp_path)
    assert issue.field == "licences[2].licensee"
    assert issue.line == line_of(text, "licensee: nobody")
    assert "'nobody' is not the id of any party" in issue.message


def test_expiry_before_grant(tmp_path):
    text = CN.replace("    expiry_date: 2039-03-11", "    expiry_date: 2020-01-01")
    (issue,) = issues_of(text, tmp_path)
    assert issue.field == "patents[0].expiry_date"
    assert issue.line == line_of(text, "expiry_date: 2020-01-01")
    assert "not after the grant date" in issue.message


def test_impossible_calendar_date_names_the_field(tmp_path):
    text = CN.replace("    filing_date: 2019-03-11", "    filing_date: 2019-02-30")
    (issue,) = issues_of(text, tmp_path)
    assert issue.field == "patents[0].filing_date"
    assert issue.line == line_of(text, "2019-02-30")


def test_duplicate_id(tmp_path):
    text = CN.replace("  - id: haoguang", "  - id: yuanwei")
    issues = issues_of(text, tmp_path)
    assert any(i.field == "parties[5].id" and "duplicate id 'yuanwei'" in i.message for i in issues)


def test_duplicate_key(tmp_path):
    text = CN.replace("  currency: CNY", "  currency: CNY\n  currency: USD")
    (issue,) = issues_of(text, tmp_path)
    assert "duplicate key" in issue.message and issue.line == line_of(text, "currency: USD")


def test_missing_schedule_file(tmp_path):
    text = (EXAMPLES / "us_royalty_llc.yaml").read_text(encoding="utf-8")
    (issue,) = issues_of(text, tmp_path)
    assert issue.field == "patent_schedule[0]"
    assert issue.line == line_of(text, "patent_schedule")
    assert "not found" in issue.message


def test_schedule_outside_the_deal_folder(tmp_path):
    text = (EXAMPLES / "us_royalty_llc.yaml").read_text(encoding="utf-8").replace("[us_patents.csv]", "[../secret.csv]")
    (issue,) = issues_of(text, tmp_path)
    assert "outside the deal file's folder" in issue.message


def test_bad_schedule_row_names_schedule_file_line_and_column(tmp_path):
    shutil.copy(EXAMPLES / "us_royalty_llc.yaml", tmp_path / "deal.yaml")
    rows = (EXAMPLES / "us_patents.csv").read_text(encoding="utf-8").splitlines()
    rows[2] = rows[2].replace("2037-05-22", "2010-01-01")  # expiry before grant, line 3 of the CSV
    (tmp_path / "us_patents.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(DealInputError) as caught:
        load_deal(tmp_path / "deal.yaml")
    (issue,) = caught.value.issues
    assert issue.file.endswith("us_patents.csv") and issue.line == 3 and issue.field == "expiry_date"


def test_xlsx_schedule_is_read(tmp_path):
    import csv

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    with (EXAMPLES / "us_patents.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    book.save(tmp_path / "patents.xlsx")
    text = (EXAMPLES / "us_royalty_llc.yaml").read_text(encoding="utf-8").replace("[us_patents.csv]", "[patents.xlsx]")
    (tmp_path / "deal.yaml").write_text(text, encoding="utf-8")
    loaded = load_deal(tmp_path / "deal.yaml")
    assert [p.id for p in loaded.deal.patents] == ["us-001", "us-002", "us-003", "jp-001"]
    assert loaded.deal.patents[1].challenges[0].kind == "inter_partes_review"


def test_json_deal_is_accepted(tmp_path):
    import json

    from tests.conftest import example_mapping

    (tmp_path / "deal.json").write_text(json.dumps(example_mapping("cn_licence_special_plan")), encoding="utf-8")
    assert load_deal(tmp_path / "deal.json").deal.deal.name.startswith("Lingxi")


def test_same_content_same_hash_whatever_the_formatting():
    a = load_text(CN, "a.yaml", EXAMPLES)
    b = load_text("# a comment\n" + CN.replace("  currency: CNY", "  currency:   CNY"), "b.yaml", EXAMPLES)
    assert a.input_sha256 == b.input_sha256


@pytest.mark.parametrize("edit", [
    ("  currency: CNY", "  currency: yuan"),
    ("    licensee: minhang", "    licensee: nobody"),
])
def test_cli_exits_2_with_message_and_writes_nothing(tmp_path, edit):
    deal = tmp_path / "deal.yaml"
    deal.write_text(CN.replace(*edit), encoding="utf-8")
    memo = tmp_path / "memo.md"
    result = subprocess.run([sys.executable, "-m", "ipsa.engine.cli", "assess", str(deal), "-o", str(memo)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{deal}:{line_of(CN.replace(*edit), edit[1].strip())}:" in result.stderr
    assert not memo.exists() and list(tmp_path.iterdir()) == [deal]
