"""The `ipsa` command line: assess, validate, schema, rules.

Exit codes: 0 done, 2 bad input (with file, line and field, never a traceback), 1 an internal error.
Output files are written atomically: a failed run leaves no half-written file behind.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from ipsa.engine.loading import DealInputError, InputIssue, load_deal
from ipsa.engine.model import Deal

app = typer.Typer(add_completion=False, no_args_is_help=True, help="ipsa, the IP Securitization Advisor.")
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


class MemoFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"


def _as_of(value: Optional[str]) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DealInputError([InputIssue("--as-of", None, "", f"{value!r} is not a date in the form YYYY-MM-DD")]) from None


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` via a temporary file in the same folder, so the file is whole or absent."""
    path = path.resolve()
    if not path.parent.is_dir():
        raise DealInputError([InputIssue(str(path), None, "", "the output folder does not exist")])
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes the file private; a memo gets ordinary permissions
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def assessment_json(assessment) -> str:
    return json.dumps(assessment.model_dump(mode="json"), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


@app.command()
def assess(
    deal: Annotated[Path, typer.Argument(help="Deal description (YAML or JSON)")],
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Apply the law in force on this date (YYYY-MM-DD)")] = None,
    fmt: Annotated[Optional[MemoFormat], typer.Option("--format", "-f", help="md, html or json (default: from -o, else md)")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of standard output")] = None,
    templates: Annotated[Optional[Path], typer.Option("--templates", help="A folder of firm templates that replace the bundled ones")] = None,
) -> None:
    """Assess a deal and write the memo (Markdown or HTML) or the assessment as JSON."""
    from ipsa.engine.assess import assess as run_assessment
    from ipsa.reports import render

    day = _as_of(as_of)
    suffix = output.suffix.lstrip(".").lower() if output else ""
    chosen = fmt.value if fmt else (suffix if suffix in MemoFormat.__members__ else "md")
    if templates is not None and not templates.is_dir():
        raise DealInputError([InputIssue(str(templates), None, "", "template folder not found")])
    loaded = load_deal(deal)
    assessment = run_assessment(loaded, day)
    text = assessment_json(assessment) if chosen == "json" else render(assessment, chosen, templates)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomically(output, text)
        counts = {s: sum(1 for f in assessment.findings if f.status == s) for s in ("fail", "risk", "pass", "info")}
        err.print(f"Wrote {output} ({chosen}): {counts['fail']} fail, {counts['risk']} risk, {counts['pass']} pass, {counts['info']} info.")


@app.command()
def validate(deal: Annotated[Path, typer.Argument(help="Deal description (YAML or JSON)")]) -> None:
    """Check a deal description without assessing it."""
    loaded = load_deal(deal)
    d = loaded.deal
    out.print(f"{deal}: valid — {len(d.parties)} parties, {len(d.patents)} patents, {len(d.licences)} licences, "
              f"{len(d.transfers)} transfers, {len(d.notes)} note classes.")


@app.command()
def schema() -> None:
    """Print the JSON Schema of deal descriptions, for editors to validate and autocomplete."""
    sys.stdout.write(json.dumps(Deal.model_json_schema(by_alias=True), indent=2) + "\n")


@app.command()
def rules(
    jurisdiction: Annotated[Optional[str], typer.Option("--jurisdiction", "-j", help="Only this jurisdiction (CN, VN, US, JP, EU, GB)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list")] = False,
) -> None:
    """List the rule base: each rule's requirement, citations and how many scenarios exercise it."""
    from ipsa.engine.scenarios import scenario_counts
    from ipsa.knowledge_base import load as load_kb
    from ipsa.rules import all_rules, in_force_window

    kb = load_kb()
    counts = scenario_counts()
    selected = [r for r in all_rules() if jurisdiction is None or r.jurisdiction == jurisdiction.upper()]
    listing = []
    for rule in selected:
        entry = rule.metadata()
        entry["citations"] = [
            {"instrument": c.instrument, "article": c.article, "title": c.title_en, "verified": c.verified}
            for c in (kb.resolve(ref) for ref in rule.citations)
        ]
        entry["scenarios"] = counts.get(rule.id, 0)
        start, end = in_force_window(rule)
        entry["applies_from"] = start.isoformat() if start else None
        entry["applies_until"] = end.isoformat() if end else None
        listing.append(entry)
    if as_json:
        sys.stdout.write(json.dumps(listing, indent=2, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"ipsa rule base ({len(listing)} rules)")
    for column in ("id", "area", "requirement", "citations", "scenarios"):
        table.add_column(column, overflow="fold")
    for entry in listing:
        cites = "; ".join(f"{c['instrument']}{' Art ' + c['article'] if c['article'] else ''}{'' if c['verified'] else ' (unverified)'}"
                          for c in entry["citations"])
        table.add_row(entry["id"], entry["area"], entry["requirement"], cites, str(entry["scenarios"]))
    out.print(table)


@app.command()
def rulebook(
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the HTML here instead of standard output")] = None,
    templates: Annotated[Optional[Path], typer.Option("--templates", help="Folder whose templates replace the bundled ones")] = None,
) -> None:
    """Render the whole rule base as one HTML document a lawyer can review."""
    from ipsa.reports import render_rulebook

    html = render_rulebook(templates)
    if output is None:
        sys.stdout.write(html)
    else:
        write_atomically(output, html)
        err.print(f"wrote {output}", markup=False)


def main() -> None:
    """Entry point: typer handles usage errors (exit 2); bad deal input becomes a clear message and exit 2."""
    from ipsa.engine.inference import RuleEngineError
    from ipsa.knowledge_base import KnowledgeBaseError

    try:
        app()
    except DealInputError as exc:
        for issue in exc.issues:
            err.print(f"error: {issue}", markup=False)
        raise SystemExit(2) from None
    except (RuleEngineError, KnowledgeBaseError) as exc:
        err.print(f"internal error: {exc}", markup=False)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
