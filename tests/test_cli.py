"""The command line as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from tests.conftest import EXAMPLES, EXAMPLE_NAMES


def ipsa(*args, check=True):
    result = subprocess.run([sys.executable, "-m", "ipsa.engine.cli", *map(str, args)], capture_output=True, text=True)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_examples_assess_in_every_format(tmp_path, name):
    for fmt in ("md", "html", "json"):
        out = tmp_path / f"memo.{fmt}"
        ipsa("assess", EXAMPLES / f"{name}.yaml", "-o", out)
        assert out.stat().st_size > 500
        assert out.stat().st_mode & 0o044, "memo should be readable like any file the user writes"


def test_json_output_is_stable_and_complete(tmp_path):
    first = ipsa("assess", EXAMPLES / "cn_licence_special_plan.yaml", "--format", "json").stdout
    second = ipsa("assess", EXAMPLES / "cn_licence_special_plan.yaml", "--format", "json").stdout
    assert first == second
    data = json.loads(first)
    assert data["rule_base_version"] and len(data["input_sha256"]) == 64
    assert {"rule_id", "status", "citations", "because", "remediation"} <= set(data["findings"][0])
    assert data["status_table"]["CN"]["bankruptcy_remoteness"] == "fail"


def test_as_of_changes_the_law_applied():
    data = json.loads(ipsa("assess", EXAMPLES / "cn_licence_special_plan.yaml", "-f", "json", "--as-of", "2025-06-30").stdout)
    assert data["as_of"] == "2025-06-30"
    vat = next(f for f in data["findings"] if f["rule_id"] == "CN-TAX-004")
    assert "CN-CAISHUI-2016-36" in {c["instrument"] for c in vat["citations"]}


def test_memo_sections_and_unverified_marks():
    memo = ipsa("assess", EXAMPLES / "cn_licence_special_plan.yaml").stdout
    for heading in ("## Questions presented", "## Brief answers", "## Facts as submitted", "## Discussion",
                    "## Assumptions and qualifications", "## Table of authorities", "## Appendix: rule trace"):
        assert heading in memo
    assert "[unverified]" in memo and "Patent Law of the People's Republic of China" in memo
    assert "中华人民共和国专利法" in memo


def test_html_memo_escapes_deal_text_and_parses(tmp_path):
    text = (EXAMPLES / "cn_licence_special_plan.yaml").read_text(encoding="utf-8")
    deal = tmp_path / "deal.yaml"
    deal.write_text(text.replace("name: Ningbo Minhang Security Systems Co., Ltd.", "name: <script>alert(1)</script>"), encoding="utf-8")
    html = ipsa("assess", deal, "-f", "html").stdout
    assert "<script>" not in html and "&lt;script&gt;" in html
    HTMLParser().feed(html)
    md = ipsa("assess", deal).stdout
    assert "<script>" not in md


def test_firm_templates_replace_the_bundled_ones(tmp_path):
    (tmp_path / "memo.md.j2").write_text("FIRM MEMO {{ a.deal.name }} {{ a.findings | length }}\n", encoding="utf-8")
    out = ipsa("assess", EXAMPLES / "cn_licence_special_plan.yaml", "--templates", tmp_path).stdout
    assert out.startswith("FIRM MEMO Lingxi Photonics")


def test_validate_and_schema():
    assert "valid" in ipsa("validate", EXAMPLES / "us_royalty_llc.yaml").stdout
    schema = json.loads(ipsa("schema").stdout)
    assert "schema_version" in schema["properties"] and "Transfer" in schema["$defs"]
    assert "from" in schema["$defs"]["Transfer"]["properties"]


def test_rules_json_lists_citations_and_scenario_counts():
    listing = json.loads(ipsa("rules", "--json").stdout)
    assert {r["id"] for r in listing} >= {"CN-BR-001", "CN-TAX-001", "CN-SUP-002", "CN-SPV-001"}
    for rule in listing:
        assert {"id", "jurisdiction", "area", "requirement", "citations", "scenarios"} <= set(rule)
        assert rule["scenarios"] >= 2
        for citation in rule["citations"]:
            assert {"instrument", "article", "verified", "source", "quote", "read", "unverified_reason"} <= set(citation)
            if citation["verified"]:  # the article's words and where they were read
                assert citation["source"] and citation["quote"] and citation["read"] and not citation["unverified_reason"]
            else:
                assert citation["quote"] == "" and citation["unverified_reason"]
    vietnam = json.loads(ipsa("rules", "--jurisdiction", "VN", "--json").stdout)
    assert vietnam and {r["jurisdiction"] for r in vietnam} == {"VN"}
    assert {r["jurisdiction"] for r in listing} == {"CN", "VN", "US", "JP", "EU", "GB"}


def test_rules_unverified_lists_each_unverified_citation_with_why():
    listing = json.loads(ipsa("rules", "--json").stdout)
    report = json.loads(ipsa("rules", "--unverified", "--json").stdout)
    uses = [c for r in listing for c in r["citations"]]
    assert report["citations"] == len(uses) and report["verified"] == sum(c["verified"] for c in uses)
    unverified = {(c["instrument"], c["article"]) for c in uses if not c["verified"]}
    assert {(row["instrument"], row["article"]) for row in report["unverified"]} == unverified
    assert all(row["why"] and row["rules"] for row in report["unverified"])
    text = ipsa("rules", "--unverified").stdout
    assert f"{report['verified']} of {report['citations']} citations verified" in text
    assert ipsa("rules", "--jurisdiction", "XX", check=False).returncode == 2


def test_unknown_command_and_bad_date_exit_2():
    assert ipsa("bogus", check=False).returncode == 2
    bad = ipsa("assess", EXAMPLES / "cn_licence_special_plan.yaml", "--as-of", "2026-02-30", check=False)
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr and "Traceback" not in bad.stderr


def test_rulebook_renders_every_rule_with_its_law_and_scenarios(tmp_path):
    target = tmp_path / "rulebook.html"
    result = ipsa("rulebook", "-o", target)
    assert result.returncode == 0
    html = target.read_text(encoding="utf-8")
    listing = json.loads(ipsa("rules", "--json").stdout)
    for rule in listing:
        assert f'id="{rule["id"]}"' in html
        assert f"Scenarios ({rule['scenarios']})" in html
    assert "[unverified]" in html and "中华人民共和国专利法" in html
    assert "CN-TAX-004" in html and "until 2025-12-31" in html
    assert "Read at " in html and "Unverified: " in html  # the article's words beside the rule, or why not


def test_risk_command_is_deterministic_and_complete():
    first = ipsa("risk", EXAMPLES / "us_royalty_llc.yaml", "--paths", "1000", "--seed", "4", "--json").stdout
    second = ipsa("risk", EXAMPLES / "us_royalty_llc.yaml", "--paths", "1000", "--seed", "4", "--json").stdout
    assert first == second
    report = json.loads(first)
    assert [c["id"] for c in report["classes"]] == ["A", "B"]
    assert {s["name"] for s in report["stresses"]} == {"destocking", "largest_patent_invalid", "largest_licensee_default",
                                                       "guarantor_default"}
    assert report["enhancement"]["target_senior_pd"] > 0 and report["selection"]["chosen_licences"]
    assert any(d["code"] == "challenged" for s in report["screening"] for d in s["defects"])
    stressed = json.loads(ipsa("risk", EXAMPLES / "us_royalty_llc.yaml", "--paths", "1000", "--seed", "4", "--json",
                               "--stress", "guarantor_default").stdout)
    assert stressed["stress"] == "guarantor_default" and stressed["classes"][0]["pd"] >= report["classes"][0]["pd"]
    table = ipsa("risk", EXAMPLES / "cn_licence_special_plan.yaml", "--paths", "500").stdout
    assert "Screening" in table and "Stresses" in table


@pytest.mark.parametrize("args,message", [
    (["--stress", "meteor"], "--stress"),
    (["--keep", "no-such-patent"], "no-such-patent"),
    (["--paths", "5"], "--paths"),
    (["--limit", "licensee=2"], "--limit"),
])
def test_risk_command_rejects_bad_options_cleanly(args, message):
    result = ipsa("risk", EXAMPLES / "us_royalty_llc.yaml", *args, check=False)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_assessment_json_carries_the_risk_report_and_the_memo_discusses_it():
    data = json.loads(ipsa("assess", EXAMPLES / "vn_company_spv.yaml", "-f", "json", "--paths", "500").stdout)
    assert data["risk"]["paths"] == 500 and data["risk"]["classes"][0]["id"] == "bonds"
    assert any(f["rule_id"] == "VN-SUP-003" for f in data["findings"])
    memo = ipsa("assess", EXAMPLES / "vn_company_spv.yaml", "--paths", "500").stdout
    assert "## Risk analysis" in memo and "### Stresses" in memo
    bare = json.loads(ipsa("assess", EXAMPLES / "vn_company_spv.yaml", "-f", "json", "--no-risk").stdout)
    assert bare["risk"] is None and not any(f["rule_id"] == "VN-SUP-003" for f in bare["findings"])


def test_a_long_command_says_what_it_is_doing_on_a_terminal_and_nothing_when_piped(tmp_path):
    """On a terminal, `assess` names its stage (the rules and risk with the paths simulated, the advisor's variants,
    the memo being written) on standard error; piped, standard error holds only the result line."""
    import os
    import pty

    master, slave = pty.openpty()
    out = tmp_path / "memo.md"
    proc = subprocess.Popen([sys.executable, "-m", "ipsa.engine.cli", "assess", EXAMPLES / "cn_licence_special_plan.yaml",
                             "-o", out, "-n", "300"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave,
                            env={**os.environ, "TERM": "xterm", "COLUMNS": "160"})
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait() == 0
    shown = b"".join(chunks).decode(errors="replace")
    assert "paths simulated" in shown and "advising: " in shown and "writing the md memo" in shown
    piped = ipsa("assess", EXAMPLES / "cn_licence_special_plan.yaml", "-o", tmp_path / "again.md", "-n", "300")
    assert piped.stderr.strip().startswith("Wrote ") and "advising" not in piped.stderr


def test_a_command_leaves_what_is_alive_at_its_end_to_reference_counting(tmp_path):
    """After the memo is written the process only ends: the cyclic collector's last passes over every object still
    alive (a quarter of a second after a typical deal) are skipped by setting them aside, on success and on bad input
    alike, and the memo is whole."""
    script = ("import gc, sys\nfrom ipsa.engine.cli import main\nsys.argv = ['ipsa', *sys.argv[1:]]\n"
              "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
              "print('set aside', gc.get_freeze_count(), 'exit', code)\n")
    out = tmp_path / "memo.md"
    ran = subprocess.run([sys.executable, "-c", script, "assess", EXAMPLES / "vn_company_spv.yaml", "--no-risk",
                          "-o", out], capture_output=True, text=True)
    count, code = ran.stdout.split()[2], ran.stdout.split()[4]
    assert int(count) > 10_000 and code == "0", ran.stdout + ran.stderr
    assert out.read_text(encoding="utf-8").startswith("#")
    bad = tmp_path / "bad.yaml"
    bad.write_text("deal: [unclosed\n", encoding="utf-8")
    ran = subprocess.run([sys.executable, "-c", script, "assess", bad], capture_output=True, text=True)
    assert int(ran.stdout.split()[2]) > 10_000 and ran.stdout.split()[4] == "2", ran.stdout + ran.stderr
