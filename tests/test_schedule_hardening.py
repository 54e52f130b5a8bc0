"""Bad patent schedules a deal names (`patent_schedule`): a damaged XLSX workbook, a file name the file system cannot
take, and schedules that used to load quietly wrong. Each gets a message naming the file, line and column, exit 2, no
traceback, and nothing written."""

from __future__ import annotations

import csv
import io
import os
import zipfile

import pytest

from ipsa.engine.loading import DealInputError, load_deal
from tests.conftest import EXAMPLES
from tests.test_hardening import ipsa, refused

SCHEDULE = EXAMPLES / "us_patents.csv"
SHEET = "xl/worksheets/sheet1.xml"


def validate_refused(folder, *words):
    """`ipsa validate deal.yaml` in `folder` exits 2 with `words`, and leaves the folder as it was."""
    before = sorted(os.listdir(folder))
    refused(ipsa("validate", folder / "deal.yaml"), *words)
    assert sorted(os.listdir(folder)) == before


def deal_naming(tmp_path, name: str):
    """The US royalty example, in tmp_path, with its schedule reference (a YAML double-quoted string) set to `name`."""
    text = (EXAMPLES / "us_royalty_llc.yaml").read_text(encoding="utf-8")
    changed = text.replace("[us_patents.csv]", f"[{name}]")
    assert changed != text
    path = tmp_path / "deal.yaml"
    path.write_text(changed, encoding="utf-8")
    return path


def schedule_line(deal) -> int:
    lines = deal.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith("patent_schedule"))


def only_issue(deal):
    with pytest.raises(DealInputError) as caught:
        load_deal(deal)
    (issue,) = caught.value.issues
    return issue


def example_rows() -> list[list[str]]:
    with SCHEDULE.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_book(path, rows) -> None:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)


def rewrite_members(path, change) -> None:
    """Rewrite a valid XLSX's zip: `change(name, data)` gives a member's new bytes, or None to leave it out."""
    with zipfile.ZipFile(path) as original:
        members = [(name, original.read(name)) for name in original.namelist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as changed:
        for name, data in members:
            data = change(name, data)
            if data is not None:
                changed.writestr(name, data)
    path.write_bytes(out.getvalue())


# A damaged workbook fails only while its sheet is read (openpyxl reads lazily), not when it is opened.

DAMAGE = {
    "sheet cut in half": (lambda name, data: data[: len(data) // 2] if name == SHEET else data, "damaged or incomplete"),
    "sheet missing": (lambda name, data: None if name == SHEET else data, "holds no worksheet"),
    "impossible cell": (lambda name, data: data.replace(b'r="A2"', b'r="ZZZZZZ2"') if name == SHEET else data,
                        "damaged or incomplete"),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_xlsx_schedule_is_refused_naming_the_workbook(tmp_path, damage):
    change, words = DAMAGE[damage]
    book = tmp_path / "pats.xlsx"
    write_book(book, example_rows())
    rewrite_members(book, change)
    deal = deal_naming(tmp_path, "pats.xlsx")
    issue = only_issue(deal)
    assert issue.file.endswith("pats.xlsx") and "not a readable XLSX workbook" in issue.message and words in issue.message
    validate_refused(tmp_path, "pats.xlsx", "not a readable XLSX workbook", words)


def test_an_intact_xlsx_schedule_still_loads(tmp_path):
    write_book(tmp_path / "pats.xlsx", example_rows())
    loaded = load_deal(deal_naming(tmp_path, "pats.xlsx"))
    assert [p.id for p in loaded.deal.patents] == ["us-001", "us-002", "us-003", "jp-001"]


# A name the file system cannot take is reported at the deal's `patent_schedule` line.

def test_a_schedule_name_with_a_null_character_is_refused(tmp_path):
    deal = deal_naming(tmp_path, '"a\\0.csv"')
    issue = only_issue(deal)
    assert (issue.line, issue.field) == (schedule_line(deal), "patent_schedule[0]")
    assert "null character" in issue.message
    validate_refused(tmp_path, "deal.yaml:", "patent_schedule[0]", "null character")


def test_a_schedule_name_longer_than_the_file_system_allows_is_refused(tmp_path):
    deal = deal_naming(tmp_path, "x" * 300 + ".csv")
    issue = only_issue(deal)
    assert (issue.line, issue.field) == (schedule_line(deal), "patent_schedule[0]")
    assert "(304 characters) is longer than the file system allows" in issue.message
    validate_refused(tmp_path, "patent_schedule[0]", "longer than the file system allows")


def test_a_schedule_that_is_a_symbolic_link_loop_is_refused(tmp_path):
    try:
        os.symlink("loop.csv", tmp_path / "loop.csv")
    except (OSError, NotImplementedError):
        pytest.skip("no symbolic links here")
    deal = deal_naming(tmp_path, "loop.csv")
    issue = only_issue(deal)
    assert (issue.line, issue.field) == (schedule_line(deal), "patent_schedule[0]")
    assert "'loop.csv'" in issue.message and ("link that leads back to itself" in issue.message or "not found" in issue.message)
    validate_refused(tmp_path, "patent_schedule[0]", "loop.csv")


# Schedules that used to load quietly wrong.

def write_csv(path, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def test_a_csv_schedule_naming_a_column_twice_is_refused(tmp_path):
    rows = example_rows()
    rows[0][rows[0].index("technology")] = "owner"  # columns 5 and 12 are both "owner"
    write_csv(tmp_path / "pats.csv", rows)
    issue = only_issue(deal_naming(tmp_path, "pats.csv"))
    assert issue.file.endswith("pats.csv") and (issue.line, issue.field) == (1, "owner")
    assert "appears twice in the header row (columns 5 and 12)" in issue.message
    validate_refused(tmp_path, "pats.csv:1:", "owner", "appears twice")


def test_an_xlsx_schedule_naming_a_column_twice_is_refused(tmp_path):
    rows = example_rows()
    rows[0][rows[0].index("technology")] = "owner"
    write_book(tmp_path / "pats.xlsx", rows)
    issue = only_issue(deal_naming(tmp_path, "pats.xlsx"))
    assert (issue.line, issue.field) == (1, "owner") and "columns 5 and 12" in issue.message


def test_a_csv_row_with_more_values_than_the_header_is_refused(tmp_path):
    rows = example_rows()
    rows[2].append("an unquoted, comma")  # line 3
    write_csv(tmp_path / "pats.csv", rows)
    issue = only_issue(deal_naming(tmp_path, "pats.csv"))
    assert issue.file.endswith("pats.csv") and issue.line == 3
    assert "has 16 values but the header row names 15 columns" in issue.message
    validate_refused(tmp_path, "pats.csv:3:", "16 values", "15 columns")


def test_a_csv_row_with_only_empty_values_past_the_header_still_loads(tmp_path):
    """Trailing empty values (a spreadsheet's export of a wider range) hold nothing that could be lost."""
    rows = example_rows()
    rows[2] += ["", " "]
    write_csv(tmp_path / "pats.csv", rows)
    assert len(load_deal(deal_naming(tmp_path, "pats.csv")).deal.patents) == 4


def test_an_xlsx_schedule_whose_first_row_is_blank_says_the_header_is_missing(tmp_path):
    write_book(tmp_path / "pats.xlsx", [[None] * 3] + example_rows())  # the header in row 2
    issue = only_issue(deal_naming(tmp_path, "pats.xlsx"))
    assert issue.file.endswith("pats.xlsx") and issue.line == 1
    assert "header row (row 1) is blank or missing" in issue.message
    validate_refused(tmp_path, "pats.xlsx:1:", "header row (row 1) is blank")


@pytest.mark.parametrize("text", ["", "\n" + SCHEDULE.read_text(encoding="utf-8"), ",,\n"],
                         ids=["empty", "blank line first", "commas only"])
def test_a_csv_schedule_without_a_header_says_so(tmp_path, text):
    (tmp_path / "pats.csv").write_text(text, encoding="utf-8")
    issue = only_issue(deal_naming(tmp_path, "pats.csv"))
    assert issue.line == 1 and "header row (row 1) is blank or missing" in issue.message
