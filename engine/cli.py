"""The `ipsa` command line: assess, risk, advise, whatif, validate, schema, rules, rulebook.

Exit codes: 0 done, 2 bad input (with file, line and field, never a traceback), 1 an internal error.
Output files are written atomically: a failed run leaves no half-written file behind.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import re
import sys
import tempfile
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ipsa.engine.loading import DealInputError, InputIssue, load_deal
from ipsa.engine.model import Deal

app = typer.Typer(add_completion=False, no_args_is_help=True, help="ipsa, the IP Securitization Advisor.")


def _version(value: bool) -> None:
    if value:
        from ipsa.engine.assess import IPSA_VERSION
        from ipsa.rules import rulebase_version

        typer.echo(f"ipsa {IPSA_VERSION} (rule base {rulebase_version()})")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Print ipsa's and the rule base's versions and exit")] = False) -> None:
    """ipsa, the IP Securitization Advisor."""
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False)


# Arguments and options several commands share.
DealFile = Annotated[Path, typer.Argument(help="Deal description (YAML or JSON)")]
AsOf = Annotated[Optional[str], typer.Option("--as-of", help="Apply the law in force on this date (YYYY-MM-DD)")]
Seed = Annotated[int, typer.Option("--seed", "-s", min=0, help="Random seed of the risk analysis: the same seed gives the same figures")]


class Language(str, Enum):
    """The memo's language; a pair puts English beside the other language, paragraph by paragraph."""

    en = "en"
    zh = "zh"
    vi = "vi"
    ja = "ja"
    en_zh = "en+zh"
    en_vi = "en+vi"
    en_ja = "en+ja"


class MemoFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"
    docx = "docx"
    pdf = "pdf"


def _as_of(value: Optional[str], option: str = "--as-of") -> Optional[dt.date]:
    if value is None:
        return None
    try:  # fromisoformat also takes 20260930 and week dates (2026-W40-1): only YYYY-MM-DD is what the help says
        if not ISO_DAY.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DealInputError([InputIssue(option, None, "", f"{value!r} is not a date in the form YYYY-MM-DD")]) from None


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def write_atomically(path: Path, text: str | bytes) -> None:
    """Write `text` (or bytes) to `path` via a temporary file in the same folder, so the file is whole or absent."""
    path = path.resolve()
    if not path.parent.is_dir():
        raise DealInputError([InputIssue(str(path), None, "", "the output folder does not exist")])
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        if isinstance(text, bytes):
            with os.fdopen(handle, "wb") as binary:
                binary.write(text)
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes the file private; a memo gets ordinary permissions
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


KNOWN_SUFFIXES = {"md", "html", "json", "docx", "pdf", "csv", "xlsx"}


def check_output(output: Optional[Path], deal: Optional[Path], chosen: str, choosable: bool = True) -> None:
    """Before any work: the output must be a new or regular file in an existing folder, not the deal itself, and its
    suffix must not name another format than the one written (a .pdf holding Markdown; `choosable`: the command has a
    --format to suggest)."""
    if output is None:
        return
    shown = str(output)
    try:
        if deal is not None and output.exists() and output.resolve() == deal.resolve():
            raise DealInputError([InputIssue(shown, None, "", "the output would overwrite the deal file; choose another name")])
        if output.exists() and not output.is_file():
            raise DealInputError([InputIssue(shown, None, "", "the output is not a regular file (a folder, device or pipe); "
                                                              "name a file")])
        if not output.resolve().parent.is_dir():
            raise DealInputError([InputIssue(shown, None, "", "the output folder does not exist")])
    except (OSError, RuntimeError, ValueError) as exc:  # a name too long, a symbolic link to itself, a NUL
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).split(" from ")[0]
        raise DealInputError([InputIssue(shown[:200], None, "", f"the output cannot be written there: {reason}")]) from None
    suffix = output.suffix.lstrip(".").lower()
    if suffix in KNOWN_SUFFIXES and suffix != chosen:
        raise DealInputError([InputIssue(shown, None, "", f"the file is named .{suffix} but the format written is "
                                                          f"{chosen}; name it .{chosen}"
                                                          + (f" or choose --format {suffix}" if choosable else ""))])


def assessment_json(assessment) -> str:
    return json.dumps(assessment.model_dump(mode="json"), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


@contextmanager
def shown_stages():
    """On a terminal, a spinner on standard error naming what a long command is doing (reading the deal, the rules
    and risk with the paths simulated, each advisor variant, writing the memo); elsewhere nothing. Yields the two
    callbacks the pipeline takes: `stage(text)` and `progress(done, total)` for simulated paths."""
    if not err.is_terminal:
        yield (lambda _: None), (lambda done, total: None)
        return
    from rich.text import Text

    with err.status("reading the deal", spinner="line") as status:
        current = ["reading the deal"]

        def show(text: str) -> None:  # as plain text (a name may hold brackets), drawn at once
            status.update(Text(text), spinner="line")

        def stage(text: str) -> None:
            current[0] = text
            show(text)

        def simulated(done: int, total: int) -> None:
            show(f"{current[0]}: {done:,} of {total:,} paths simulated")

        yield stage, simulated


def _memo_command(deal: Path, as_of: Optional[str], fmt: Optional[MemoFormat], output: Optional[Path],
                  templates: Optional[Path], docx_template: Optional[Path], paths: int, seed: int, no_risk: bool,
                  no_advice: bool, quotes: bool = False, lang: Language = Language.en) -> None:
    """What `assess` and `memo` share: assess, advise, render in the chosen format, write atomically."""
    from ipsa.engine import pipeline
    from ipsa.reports.memo import BINARY, memo_and_note

    day = _as_of(as_of)
    suffix = output.suffix.lstrip(".").lower() if output else ""
    chosen = fmt.value if fmt else (suffix if suffix in MemoFormat.__members__ else "md")
    if templates is not None and not templates.is_dir():
        raise DealInputError([InputIssue(str(templates), None, "", "template folder not found")])
    if docx_template is not None and not docx_template.is_file():
        raise DealInputError([InputIssue(str(docx_template), None, "", "DOCX template not found")])
    if templates is not None:  # a firm's broken template or Word file is refused now, not after the assessment
        from ipsa.reports import check_templates

        check_templates(templates)
    if docx_template is not None:
        from ipsa.reports.docx_memo import check_template

        check_template(docx_template)
    if chosen in BINARY and output is None:
        raise typer.BadParameter(f"a {chosen} memo is a binary file; name it with -o FILE", param_hint="--output")
    check_output(output, deal, chosen)
    with shown_stages() as (stage, simulated):
        loaded = load_deal(deal)
        assessment = pipeline.run(loaded, pipeline.Options(as_of=day, risk=not no_risk, paths=paths, seed=seed,
                                                           advice=not no_advice, stage=stage, progress=simulated))
        stage(f"writing the {chosen} memo")
        data, note = memo_and_note(assessment, chosen, templates=templates, docx_template=docx_template, quotes=quotes,
                                   language=lang.value)
    if note:
        err.print(f"note: {note}", markup=False)
    if output is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        write_atomically(output, data)
        counts = {s: sum(1 for f in assessment.findings if f.status == s) for s in ("fail", "risk", "pass", "info")}
        err.print(f"Wrote {output} ({chosen}): {counts['fail']} fail, {counts['risk']} risk, {counts['pass']} pass, {counts['info']} info.")


Format = Annotated[Optional[MemoFormat], typer.Option("--format", "-f", help="md, html, json, docx or pdf (default: from -o, else md)")]
Output = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of standard output")]
Templates = Annotated[Optional[Path], typer.Option("--templates", help="A folder of firm templates that replace the bundled ones")]
DocxTemplate = Annotated[Optional[Path], typer.Option("--docx-template", help="A branded DOCX whose styles, header and footer the memo uses")]
Paths = Annotated[int, typer.Option("--paths", "-n", min=100, max=2_000_000, help="Monte Carlo paths for the risk analysis")]
NoRisk = Annotated[bool, typer.Option("--no-risk", help="Skip the numeric risk analysis")]
NoAdvice = Annotated[bool, typer.Option("--no-advice", help="Leave out the vehicle ranking and remediation plan")]
Quotes = Annotated[bool, typer.Option("--quotes", help="Give each verified article's own words in the table of authorities")]
Lang = Annotated[Language, typer.Option("--lang", help="The memo's language: en, zh, vi or ja; en+zh, en+vi or en+ja put "
                                                     "English beside it")]


@app.command()
def assess(deal: DealFile, as_of: AsOf = None, fmt: Format = None, output: Output = None, templates: Templates = None,
           docx_template: DocxTemplate = None, paths: Paths = 2_000, seed: Seed = 0, no_risk: NoRisk = False,
           no_advice: NoAdvice = False, quotes: Quotes = False, lang: Lang = Language.en) -> None:
    """Assess a deal and write the memo (Markdown, HTML, DOCX or PDF) or the assessment as JSON."""
    _memo_command(deal, as_of, fmt, output, templates, docx_template, paths, seed, no_risk, no_advice, quotes, lang)


@app.command()
def memo(deal: DealFile, as_of: AsOf = None, fmt: Format = None, output: Output = None, templates: Templates = None,
         docx_template: DocxTemplate = None, paths: Paths = 2_000, seed: Seed = 0, no_risk: NoRisk = False,
         no_advice: NoAdvice = False, quotes: Quotes = False, lang: Lang = Language.en) -> None:
    """Write the client memo: the same as `assess`, named for what leaves the firm."""
    _memo_command(deal, as_of, fmt, output, templates, docx_template, paths, seed, no_risk, no_advice, quotes, lang)


@app.command()
def validate(deal: DealFile) -> None:
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
    jurisdiction: Annotated[Optional[str], typer.Option("--jurisdiction", "-j", help="Only this jurisdiction (its code, e.g. CN)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list")] = False,
    unverified: Annotated[bool, typer.Option("--unverified", help="List only the citations not verified at a source, with why")] = False,
) -> None:
    """List the rule base: each rule's requirement, citations and how many scenarios exercise it."""
    from ipsa.engine.scenarios import scenario_counts
    from ipsa.knowledge_base import load as load_kb
    from ipsa.rules import all_rules, in_force_window

    kb = load_kb()
    counts = scenario_counts()
    selected = [r for r in all_rules() if jurisdiction is None or r.jurisdiction == jurisdiction.upper()]
    if jurisdiction is not None and not selected:
        raise typer.BadParameter(f"no rule of jurisdiction {jurisdiction!r}", param_hint="--jurisdiction")
    listing = []
    for rule in selected:
        entry = rule.metadata()
        entry["citations"] = [
            {"instrument": c.instrument, "article": c.article, "title": c.title_en, "verified": c.verified,
             "source": c.source if c.verified else "", "read": c.read or "", "quote": c.quote or "",
             "unverified_reason": c.unverified_reason or ""}
            for c in (kb.resolve(ref) for ref in rule.citations)
        ]
        entry["scenarios"] = counts.get(rule.id, 0)
        start, end = in_force_window(rule)
        entry["applies_from"] = start.isoformat() if start else None
        entry["applies_until"] = end.isoformat() if end else None
        listing.append(entry)
    if unverified:
        _print_unverified(listing, as_json)
        return
    if as_json:
        sys.stdout.write(json.dumps(listing, indent=2, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"ipsa rule base ({len(listing)} rules)")
    for column in ("id", "area", "applies", "requirement", "citations", "scenarios"):
        table.add_column(column, overflow="fold")
    for entry in listing:
        cites = "; ".join(f"{c['instrument']}{' Art ' + c['article'] if c['article'] else ''}{'' if c['verified'] else ' (unverified)'}"
                          for c in entry["citations"])
        dates = f"{entry['applies_from'] or 'always'} to {entry['applies_until'] or 'now'}"
        table.add_row(entry["id"], entry["area"], dates, entry["requirement"], cites, str(entry["scenarios"]))
    # Piped into a file or another program, the table keeps a readable width instead of the 80 columns rich assumes.
    (out if out.is_terminal else Console(highlight=False, width=160)).print(table)


def _print_unverified(listing: list[dict], as_json: bool) -> None:
    """Every citation not verified at a source, once, with the rules that rest on it and why it is unverified."""
    total = sum(len(e["citations"]) for e in listing)
    verified = sum(c["verified"] for e in listing for c in e["citations"])
    rows: dict[tuple[str, str | None], dict] = {}
    for entry in listing:
        for c in entry["citations"]:
            if not c["verified"]:
                row = rows.setdefault((c["instrument"], c["article"]), {
                    "instrument": c["instrument"], "article": c["article"], "title": c["title"],
                    "why": c["unverified_reason"], "rules": []})
                row["rules"].append(entry["id"])
    if as_json:
        sys.stdout.write(json.dumps({"citations": total, "verified": verified, "unverified": list(rows.values())},
                                    indent=2, ensure_ascii=False) + "\n")
        return
    share = verified / total if total else 1.0
    out.print(f"{verified} of {total} citations verified at their source ({share:.0%}); {len(rows)} unverified, with why:")
    table = Table()
    for column in ("instrument", "article", "why", "rules"):
        table.add_column(column, overflow="fold")
    for row in rows.values():
        table.add_row(row["instrument"], row["article"] or "(whole)", row["why"], ", ".join(row["rules"]))
    out.print(table)


@app.command()
def rulebook(
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the HTML here instead of standard output")] = None,
    templates: Annotated[Optional[Path], typer.Option("--templates", help="Folder whose templates replace the bundled ones")] = None,
    lang: Annotated[Language, typer.Option("--lang", help="en, zh, vi or ja")] = Language.en,
) -> None:
    """Render the whole rule base as one HTML document a lawyer can review."""
    from ipsa.reports import render_rulebook

    if "+" in lang.value:
        raise typer.BadParameter("the rule book is written in one language: en, zh, vi or ja", param_hint="--lang")
    check_output(output, None, "html", choosable=False)
    html = render_rulebook(templates, lang.value)
    if output is None:
        sys.stdout.write(html)
    else:
        write_atomically(output, html)
        err.print(f"wrote {output}", markup=False)


def _stress(value: Optional[str], option: str = "--stress") -> Optional[str]:
    """A stress as given: a preset name or parameters (ipsa.engine.risk.parse_stress); its form is checked here,
    the ids it names when the pool is built."""
    from ipsa.engine.risk import StressError, parse_stress

    if value is None:
        return None
    try:
        parse_stress(value)
    except StressError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None
    return value


StressOption = Annotated[Optional[str], typer.Option(
    "--stress", help="Apply a stress to the main run: destocking, largest_patent_invalid, largest_licensee_default, "
    "guarantor_default, or parameters such as 'sales=0.6,start=4,periods=8' or 'licensee=largest,at=6'")]
AddStress = Annotated[list[str], typer.Option(
    "--add-stress", help="Run this stress beside the named ones (repeatable): e.g. 'sales=0.7,permanent', "
    "'sales=0.5,start=8,periods=4,touches=all', 'patent=us-002,at=4', 'wraps,at=8'")]


def _limits(values: list[str]) -> dict[str, float]:
    from ipsa.engine.risk import DEFAULT_LIMITS

    limits = dict(DEFAULT_LIMITS)
    for value in values:
        key, _, share = value.partition("=")
        try:
            number = float(share)
        except ValueError:
            number = -1.0
        if key not in DEFAULT_LIMITS or not 0 < number <= 1:
            raise typer.BadParameter(f"{value!r}: expected licensee=, family= or technology= with a share in (0, 1]",
                                     param_hint="--limit")
        limits[key] = number
    return limits




@app.command()
def risk(
    deal: DealFile,
    paths: Annotated[int, typer.Option("--paths", "-n", min=100, max=2_000_000, help="Monte Carlo paths")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Random seed: the same seed gives the same figures")] = 0,
    stress: StressOption = None,
    add_stress: AddStress = [],
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Model from this date (YYYY-MM-DD)")] = None,
    keep: Annotated[list[str], typer.Option("--keep", help="Keep this excluded patent in the pool (repeatable)")] = [],
    strict: Annotated[bool, typer.Option("--strict", help="Exclude patents with modelled defects too")] = False,
    target_pd: Annotated[Optional[float], typer.Option("--target-pd", min=0.0, max=1.0, help="Target senior default probability")] = None,
    limit: Annotated[list[str], typer.Option("--limit", help="Concentration limit for pool selection, e.g. licensee=0.5")] = [],
    as_json: Annotated[bool, typer.Option("--json", help="Print the risk report as JSON")] = False,
) -> None:
    """Screen the patents, forecast the royalties, run the waterfall and the stresses, size enhancement, choose the pool."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from ipsa.engine import pipeline

    loaded = load_deal(deal)
    day = _as_of(as_of)
    limits = _limits(limit)
    for patent in keep:
        if all(p.id != patent for p in loaded.deal.patents):
            raise typer.BadParameter(f"{patent!r} is not the id of a patent in {deal}", param_hint="--keep")
    with Progress(TextColumn("simulating"), BarColumn(), TextColumn("{task.completed:,}/{task.total:,} paths"),
                  TimeRemainingColumn(), console=err, transient=True, disable=paths < 50_000 or not err.is_terminal) as bar:
        task = bar.add_task("paths", total=paths)
        options = pipeline.Options(as_of=day, paths=paths, seed=seed, stress=_stress(stress),
                                   extra_stresses=tuple(_stress(x, "--add-stress") for x in add_stress),
                                   keep=frozenset(keep), strict=strict, target_pd=target_pd, limits=limits, advice=False,
                                   progress=lambda done, total: bar.update(task, completed=done))
        report = pipeline.run(loaded, options).risk
    if as_json:
        sys.stdout.write(json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n")
        return
    _print_risk(report, loaded.deal.deal.currency)


def _log_format(deal: Path, output: Optional[Path], fmt: Optional[Enum], choices, default: str) -> str:
    """The format of a cash-flow log: asked for, else from -o's suffix, else `default`; an XLSX needs -o, and no
    output may overwrite the deal it was computed from."""
    suffix = output.suffix.lstrip(".").lower() if output else ""
    chosen = fmt.value if fmt else (suffix if suffix in choices.__members__ else default)
    if chosen == "xlsx" and output is None:
        raise typer.BadParameter("an XLSX log is a binary file; name it with -o FILE", param_hint="--output")
    check_output(output, deal, chosen)
    return chosen


def _log_data(flows, chosen: str, currency: str) -> str | bytes:
    from ipsa.reports.cashflows import covenant_table, to_csv, to_xlsx

    return {"md": lambda: covenant_table(flows, currency), "csv": lambda: to_csv(flows),
            "xlsx": lambda: to_xlsx(flows, currency),
            "json": lambda: json.dumps(flows.model_dump(mode="json"), indent=2) + "\n"}[chosen]()


def _emit(output: Optional[Path], data: str | bytes, message: str) -> None:
    if output is None:
        sys.stdout.write(data)
    else:
        write_atomically(output, data)
        err.print(message)


class FlowFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


@app.command()
def cashflows(
    deal: DealFile,
    path: Annotated[str, typer.Option("--path", help="'mean' (the mean of the simulated collections) or a path number of the run")] = "mean",
    fmt: Annotated[Optional[FlowFormat], typer.Option("--format", "-f", help="csv, xlsx or json (default: from -o, else csv)")] = None,
    output: Output = None,
    paths: Paths = 2_000,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Random seed of the run the path belongs to")] = 0,
    stress: StressOption = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Model from this date (YYYY-MM-DD)")] = None,
) -> None:
    """The waterfall period by period (every fee, class, reserve movement and covenant test) for the mean path or
    one simulated path, as CSV or XLSX: the log an analyst checks line by line. Path k is path k of `ipsa risk`
    and `ipsa assess` with the same --paths, --seed and --stress."""
    from ipsa.engine import pipeline

    day = _as_of(as_of)
    if path != "mean" and not path.isdigit():
        raise typer.BadParameter(f"{path!r} is neither 'mean' nor a path number", param_hint="--path")
    number = None if path == "mean" else int(path)
    if number is not None and number >= paths:
        raise typer.BadParameter(f"path {number} is not one of the run's {paths:,} paths (0 to {paths - 1})", param_hint="--path")
    chosen = _log_format(deal, output, fmt, FlowFormat, "csv")
    loaded = load_deal(deal)
    flows = pipeline.cash_flows(loaded, pipeline.Options(as_of=day, paths=paths, seed=seed, stress=_stress(stress),
                                                         advice=False), number)
    _emit(output, _log_data(flows, chosen, loaded.deal.deal.currency),
          f"Wrote {output} ({chosen}): {len(flows.rows)} periods, {len(flows.columns)} columns, path {flows.path}; "
          f"sources equal uses to {flows.check:,.2f}.")


class ReplayFormat(str, Enum):
    md = "md"
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


@app.command()
def replay(
    deal: DealFile,
    fmt: Annotated[Optional[ReplayFormat], typer.Option("--format", "-f", help="md (covenant tests by period), csv, xlsx or json (the whole log); default: from -o, else md")] = None,
    output: Output = None,
) -> None:
    """Back-test a seasoned deal: run the waterfall on the royalties actually received (licences[].history) from
    closing, and report every covenant test by period, with the whole cash-flow log in CSV, XLSX or JSON."""
    from ipsa.engine import pipeline
    from ipsa.engine.risk import ReplayError

    chosen = _log_format(deal, output, fmt, ReplayFormat, "md")
    loaded = load_deal(deal)
    try:
        flows = pipeline.replay(loaded)
    except ReplayError as exc:
        raise DealInputError([InputIssue(str(deal), None, "licences[].history", str(exc))]) from None
    _emit(output, _log_data(flows, chosen, loaded.deal.deal.currency), f"Wrote {output} ({chosen}): {len(flows.rows)} periods replayed.")


@app.command()
def batch(
    inputs: Annotated[list[str], typer.Argument(help="Deal files, folders of deal files, or glob patterns")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for one JSON per deal and the summary")],
    workers: Annotated[Optional[int], typer.Option("--workers", "-w", min=1, max=512, help="Local worker processes (default: the cores)")] = None,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="A Dask scheduler's address (tcp://host:8786) instead of a local cluster")] = None,
    as_of: AsOf = None,
    paths: Paths = 2_000,
    seed: Seed = 0,
    no_risk: NoRisk = False,
    advice: Annotated[bool, typer.Option("--advice", help="Also run the advisor for each deal (slower)")] = False,
) -> None:
    """Assess many deals on a Dask cluster (local worker processes by default): one assessment JSON per deal and a
    summary (CSV and XLSX) with the status per jurisdiction and area, the senior PD and the required enhancement."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from ipsa.engine.batch import BatchOptions, deal_files, overwritten_inputs, run_batch

    _as_of(as_of)  # refuses a malformed date before any work
    files = deal_files(inputs)
    if not files:
        raise DealInputError([InputIssue(" ".join(inputs), None, "", "no deal files (.yaml, .yml, .json) found")])
    if missing := [path for path in files if not path.exists()]:  # a deal named outright, not found: a typo
        raise DealInputError([InputIssue(str(path), None, "", "file not found") for path in missing])
    if output.exists() and not output.is_dir():
        raise DealInputError([InputIssue(str(output), None, "", "the output must be a folder")])
    if lost := overwritten_inputs(files, output):
        raise DealInputError([InputIssue(str(path), None, "", f"the batch would overwrite this deal with its output in "
                                         f"{output}: choose another output folder") for path in lost])
    options = BatchOptions(as_of=as_of, risk=not no_risk, paths=paths, seed=seed, advice=advice)
    with Progress(TextColumn("assessing"), BarColumn(), TextColumn("{task.completed:,}/{task.total:,} deals"),
                  TimeRemainingColumn(), console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("deals", total=len(files))
        result = run_batch(files, output, options, workers=workers, scheduler=scheduler,
                           progress=lambda done, total: bar.update(task, completed=done))
    failed = [row for row in result.rows if row["status"] == "error"]
    err.print(f"Assessed {len(files) - len(failed)} of {len(files)} deal(s) on {result.workers} worker(s); wrote "
              f"{len(result.written)} JSON file(s) and summary.csv / summary.xlsx in {output}"
              + (f"; {len(failed)} could not be read (see the summary's error column)" if failed else "") + ".",
              markup=False)

user_app = typer.Typer(no_args_is_help=True, help="The workspace's users.")
app.add_typer(user_app, name="user")
DataDir = Annotated[Path, typer.Option("--data", help="The workspace's data folder (its SQLite database by default)")]
DatabaseUrl = Annotated[Optional[str], typer.Option("--database-url", envvar="IPSA_DATABASE_URL",
                                                    help="A database URL (postgresql+psycopg://...) instead of SQLite")]
DEMO_USER = "demo@ipsa.example"


def _password(prompt: str) -> str:
    """The password from IPSA_PASSWORD, else asked for twice at a hidden prompt; never echoed or logged."""
    given = os.environ.get("IPSA_PASSWORD")
    if given:
        return given
    if not sys.stdin.isatty():
        raise DealInputError([InputIssue("IPSA_PASSWORD", None, "", "no password: set IPSA_PASSWORD or run at a terminal")])
    return typer.prompt(prompt, hide_input=True, confirmation_prompt=True)


@contextmanager
def _workspace_db(data: Path, database_url: Optional[str]):
    """A session on the workspace's database (migrated first); its service errors become exit-2 messages."""
    from ipsa.web.database import database_url as url_for, make_engine, migrate, sessions
    from ipsa.web.service import Invalid

    data.mkdir(parents=True, exist_ok=True)
    url = url_for(data, database_url)
    migrate(url)
    engine = make_engine(url)
    try:
        with sessions(engine)() as db:
            yield db
            db.commit()
    except Invalid as exc:
        raise DealInputError([InputIssue(p["field"], None, "", p["message"]) for p in exc.problems]) from None
    finally:
        engine.dispose()


Email = Annotated[str, typer.Argument(help="The user's e-mail address (their sign-in name)")]


@user_app.command("add")
def user_add(
    email: Email,
    role: Annotated[str, typer.Option("--role", help="admin, lawyer, analyst or client (read-only, released memos)")],
    name: Annotated[str, typer.Option("--name", help="Shown beside their actions")] = "",
    data: DataDir = Path("ipsa-data"),
    database_url: DatabaseUrl = None,
) -> None:
    """Create a workspace user; the password comes from IPSA_PASSWORD or a hidden prompt."""
    from ipsa.web.service import add_user

    password = _password("Password")
    with _workspace_db(data, database_url) as db:
        add_user(db, email, role, password, name)
    err.print(f"Added {email.strip().lower()} ({role}).", markup=False)


@user_app.command("password")
def user_password(email: Email, data: DataDir = Path("ipsa-data"), database_url: DatabaseUrl = None) -> None:
    """Set a user's new password (from IPSA_PASSWORD or a hidden prompt); their open sessions end."""
    from ipsa.web.service import set_password

    password = _password("New password")
    with _workspace_db(data, database_url) as db:
        set_password(db, email, password)
    err.print(f"Password changed for {email.strip().lower()}; their sessions have ended.", markup=False)


@user_app.command("deactivate")
def user_deactivate(email: Email, data: DataDir = Path("ipsa-data"), database_url: DatabaseUrl = None) -> None:
    """Stop a user signing in or using API tokens (their work and the audit log stay)."""
    from ipsa.web.service import set_active

    with _workspace_db(data, database_url) as db:
        set_active(db, email, False)
    err.print(f"Deactivated {email.strip().lower()}.", markup=False)


@user_app.command("activate")
def user_activate(email: Email, data: DataDir = Path("ipsa-data"), database_url: DatabaseUrl = None) -> None:
    """Let a deactivated user sign in again."""
    from ipsa.web.service import set_active

    with _workspace_db(data, database_url) as db:
        set_active(db, email, True)
    err.print(f"Activated {email.strip().lower()}.", markup=False)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on")] = 8000,
    data: DataDir = Path("ipsa-data"),
    database_url: DatabaseUrl = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Worker processes for assessments")] = 2,
    demo: Annotated[bool, typer.Option("--demo", help=f"Add the user {DEMO_USER} (password from IPSA_PASSWORD) with a "
                                                      "demo matter holding the Chinese licence example")] = False,
) -> None:
    """Start the lawyers' workspace (pages and JSON API; OpenAPI at /docs)."""
    import uvicorn

    from ipsa.web.app import Settings, create_app

    settings = Settings(data=data, database_url=database_url, workers=workers)
    if demo:
        _demo(settings, _password("Demo password"))
    app_ = create_app(settings)
    err.print(f"ipsa workspace on http://{host}:{port}/ (data: {settings.url.split('://')[0]})", markup=False)
    uvicorn.run(app_, host=host, port=port, log_level="warning")


def _demo(settings, password: str) -> None:
    """The demo user and matter, made once (a second start leaves them as they are)."""
    from sqlalchemy import select

    from ipsa.web import service
    from ipsa.web.models import User

    from ipsa.examples import example as bundled

    example = bundled("cn_licence_special_plan.yaml")  # the examples ship with the package
    with _workspace_db(settings.data, settings.database_url) as db:
        if db.scalar(select(User).where(User.email == DEMO_USER)) is None:
            user = service.add_user(db, DEMO_USER, "lawyer", password, "Demo lawyer")
            matter = service.create_matter(db, user, "Demo: CN licence special plan", "Demo client", "DEMO-1")
            service.save_version(db, user, matter, example.name, example.read_bytes(), note="the bundled example")


def _print_risk(report, currency: str) -> None:
    from ipsa.reports.content import enhancement_sentence, fixed_x, money, pct, pct_bound, pct_se

    screening = Table(title="Screening")
    for column in ("patent", "office", "score", "in pool", "defects"):
        screening.add_column(column, overflow="fold")
    for item in report.screening:
        screening.add_row(item.number, item.office, f"{item.score:.0f}",
                          "kept by user" if item.kept_by_user else ("no" if item.excluded else "yes"),
                          "; ".join(str(d["reason"]) for d in item.defects) or "none")
    out.print(screening)
    classes = Table(title=f"Notes ({report.paths:,} paths, seed {report.seed}" + (f", stress {report.stress}" if report.stress else "") + ")")
    for column in ("class", f"balance {currency}", "PD", "expected loss", "WAL (years)", "from wrap"):
        classes.add_column(column, justify="right")
    for c in report.classes:
        classes.add_row(c.id, money(c.balance), pct_bound(c.pd, c.pd_se, c.pd_upper_95),
                        pct_bound(c.expected_loss, c.expected_loss_se, c.expected_loss_upper_95),
                        f"{c.wal_years:.2f} ± {c.wal_se:.2f}", pct(c.wrap_reliance))
    out.print(classes)
    if report.dscr_min_p5 is not None:
        out.print(f"Lowest coverage on a path: p5 {fixed_x(report.dscr_min_p5)} (s.e. {fixed_x(report.dscr_min_p5_se)}), "
                  f"p50 {fixed_x(report.dscr_min_p50)} (s.e. {fixed_x(report.dscr_min_p50_se)}); rapid amortisation "
                  f"triggered on {pct_se(report.trigger_rate, report.trigger_rate_se)} of paths.")
    if report.enhancement:
        out.print(enhancement_sentence(report.enhancement, currency), markup=False)
    for c in report.classes:
        if c.residual:
            out.print(f"Residual class {c.id}: owed nothing, so it cannot default; it receives on average "
                      f"{c.distributions_multiple or 0.0:.2f} times its investment.", markup=False)
    if report.stresses:
        stresses = Table(title="Stresses (senior class)")
        for column in ("stress", "PD", "expected loss"):
            stresses.add_column(column)
        for s in report.stresses:
            stresses.add_row(s.description, pct_bound(s.senior_pd, s.senior_pd_se, s.senior_pd_upper_95), pct(s.senior_expected_loss))
        out.print(stresses)
    if report.selection:
        sel = report.selection
        out.print(f"Pool selection: {sel.why}. Chosen {', '.join(sel.chosen_licences)}: senior expected loss "
                  f"{sel.chosen_senior_el:.3%} against {sel.take_all_senior_el:.3%} taking all.")


RatingName = Enum("RatingName", {r.replace("+", "_plus").replace("-", "_minus"): r for r in
                                  ("AAA", "AA+", "AA", "AA-", "A+", "A", "A-", "BBB+", "BBB", "BBB-")}, type=str)


@app.command()
def advise(
    deal: DealFile,
    as_of: AsOf = None,
    paths: Annotated[int, typer.Option("--paths", "-n", min=100, max=200_000, help="Monte Carlo paths for each re-assessment")] = 1_000,
    seed: Seed = 0,
    insurer_rating: Annotated[RatingName, typer.Option("--insurer-rating", help="Rating of the insurer in the insurance proposal")] = "AA",
    premium: Annotated[float, typer.Option("--premium", min=0.0, max=0.2, help="Annual insurance premium as a share of the insured balance")] = 0.005,
    as_json: Annotated[bool, typer.Option("--json", help="Print the advice as JSON")] = False,
    lang: Annotated[Language, typer.Option("--lang", help="en, zh, vi or ja")] = Language.en,
) -> None:
    """Rank the vehicles the deal's jurisdictions offer and propose fixes, each proven by re-assessment."""
    from ipsa.engine import pipeline
    from ipsa.reports.content import vehicle_sentence
    from ipsa.reports.i18n import Translator

    if "+" in lang.value:
        raise typer.BadParameter("the advice is printed in one language: en, zh, vi or ja", param_hint="--lang")
    rating = insurer_rating.value if isinstance(insurer_rating, Enum) else str(insurer_rating)
    with shown_stages() as (stage, simulated):
        loaded = load_deal(deal)
        assessment = pipeline.run(loaded, pipeline.Options(as_of=_as_of(as_of), paths=paths, seed=seed,
                                                           insurer_rating=rating, premium_rate=premium, stage=stage,
                                                           progress=simulated))
    advice = assessment.advice
    if as_json:
        sys.stdout.write(json.dumps(advice.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n")
        return
    tr = Translator(lang.value, assessment.messages)
    out.print(Text.assemble((tr.msg("Vehicles for {deal}", deal=advice.deal), "bold"), " " + tr.msg(
        "(now: {form}), as of {day}", form=tr(advice.current_form), day=advice.as_of)))
    for v in advice.vehicles:
        out.print("  " + vehicle_sentence(v, advice.currency, tr), markup=False)
    for note in advice.not_evaluated:
        out.print(tr.msg("Not evaluated: {vehicle}", vehicle=tr(note)), markup=False)
    out.print(Text.assemble((tr.msg("Remediation plan"), "bold"), " " + tr.msg(
        "(ordered by effect; each change applied and the deal re-assessed)")))
    for number, proposal in enumerate(advice.plan, start=1):
        _print_proposal(f"{number}.", proposal, tr)
    if advice.insurance:
        _print_proposal(tr.msg("Insurance:"), advice.insurance, tr)


def _print_proposal(label: str, proposal, tr) -> None:
    nothing = tr.msg("nothing")
    out.print(f"  {label} {tr(proposal.title)}. {tr(proposal.why)}", markup=False)
    out.print("     " + tr.msg("cures: {cures}; creates: {creates}; senior default probability {move}",
                               cures=tr.msg("; ").join(tr(x) for x in proposal.diff.cured) or nothing,
                               creates=tr.msg("; ").join(tr(x) for x in proposal.diff.created) or nothing,
                               move=_pd_move(proposal.diff)), markup=False)
    out.print("     " + tr.msg("changes: {changes}", changes=tr.msg("; ").join(tr(x) for x in proposal.changes)), markup=False)


def _pd_move(diff) -> str:
    if diff.before.senior_pd is None or diff.after.senior_pd is None:
        return "—"
    return f"{diff.before.senior_pd:.2%} -> {diff.after.senior_pd:.2%}"


@app.command()
def whatif(
    deal: DealFile,
    changes: Annotated[Path, typer.Argument(help="A YAML file of edits: set, append or remove, with a path and a value")],
    as_of: AsOf = None,
    paths: Annotated[int, typer.Option("--paths", "-n", min=100, max=200_000, help="Monte Carlo paths for each assessment")] = 2_000,
    seed: Seed = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the difference as JSON")] = False,
) -> None:
    """Apply a lawyer's own changes to the deal and print the difference in findings and figures."""
    from ipsa.engine import pipeline
    from ipsa.engine.advisor.changes import ChangeError, changes_issue, invalid_after_changes, load_changes

    loaded = load_deal(deal)
    edits = load_changes(changes)
    try:
        with shown_stages() as (stage, simulated):
            diff, _, _ = pipeline.whatif(loaded, edits, pipeline.Options(as_of=_as_of(as_of), paths=paths, seed=seed,
                                                                         stage=stage, progress=simulated),
                                         label=str(changes))
    except ChangeError as exc:
        raise DealInputError([changes_issue(str(changes), edits, exc)]) from None
    except DealInputError as exc:
        raise invalid_after_changes(str(changes), edits, exc) from None
    if as_json:
        sys.stdout.write(json.dumps(diff.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n")
        return
    out.print(f"Fails {diff.fails_before} -> {diff.fails_after}; risks {diff.risks_before} -> {diff.risks_after}; "
              f"senior default probability {_pd_move(diff)}.")
    for title, items in (("Cured", diff.cured), ("Created", diff.created), ("Changed", diff.changed)):
        out.print(f"{title}: " + ("; ".join(items) if items else "none"))


@app.command()
def lawdiff(
    deal: DealFile,
    from_date: Annotated[str, typer.Option("--from", help="The earlier date (YYYY-MM-DD)")],
    to_date: Annotated[str, typer.Option("--to", help="The later date (YYYY-MM-DD)")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the difference as JSON")] = False,
) -> None:
    """What changes for this deal between two dates: findings added, removed or changed, each with the change in
    the law that caused it."""
    from ipsa.engine.lawdiff import lawdiff as run_lawdiff

    start, end = _as_of(from_date, "--from"), _as_of(to_date, "--to")
    loaded = load_deal(deal)
    diff = run_lawdiff(loaded, start, end)
    if as_json:
        sys.stdout.write(json.dumps(diff.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n")
        return
    out.print(f"[bold]{diff.deal}[/bold]: the law of {diff.from_date} against the law of {diff.to_date}")
    if not diff.findings:
        out.print("No finding changes between the two dates.")
    for change in diff.findings:
        moved = f" (from {change.previous_rule}: the same finding now rests on the later law)" if change.previous_rule else ""
        out.print(f"  {change.rule_id} about {change.about}: {change.change.replace('_', ' ')}{moved}", markup=False)
        if change.before and change.before == change.after:
            out.print(f"     finding: {change.after}", markup=False)
        else:
            if change.before:
                out.print(f"     before: {change.before}", markup=False)
            if change.after:
                out.print(f"     after:  {change.after}", markup=False)
        for reason in change.because:
            out.print(f"     because {reason}", markup=False)
    if diff.law_changes:
        out.print("[bold]Changes in the law between the dates[/bold] (for the rules this deal engages)")
        for change in diff.law_changes:
            out.print(f"  {change.on}: {change.what}", markup=False)


def main() -> None:
    """Entry point: typer handles usage errors (exit 2); bad deal input becomes a clear message and exit 2."""
    from ipsa.engine.inference import RuleEngineError
    from ipsa.engine.risk import StressError
    from ipsa.knowledge_base import KnowledgeBaseError

    try:
        app()
    except DealInputError as exc:
        for issue in exc.issues:
            err.print(f"error: {issue}", markup=False)
        raise SystemExit(2) from None
    except StressError as exc:
        err.print(f"error: --stress: {exc}", markup=False)
        raise SystemExit(2) from None
    except (RuleEngineError, KnowledgeBaseError) as exc:
        err.print(f"internal error: {exc}", markup=False)
        raise SystemExit(1) from None
    finally:
        # The process ends next. Everything still alive is set aside from the cyclic collector, whose passes over it
        # as the interpreter shuts down took a quarter of a second after a typical deal's memo was written; reference
        # counting still frees it, and nothing the command wrote waits on them (each file is closed as it is written).
        gc.freeze()


if __name__ == "__main__":
    main()
