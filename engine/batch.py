"""Portfolio runs: many deals assessed through the one pipeline on a Dask cluster, one JSON per deal and a summary.

Locally a `LocalCluster` of worker processes (one thread each: durable_rules keeps one session open at a time per
process, so a process assesses one deal at a time); on a cluster, the scheduler's address. Each task reads, validates
and assesses one deal and returns the assessment's JSON and its summary row, so that the client alone writes files: a
remote worker needs the deal file's path to be readable where it runs, nothing else. A deal that fails validation
becomes an error row, never the end of the run.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ipsa.engine.rulekit import AREAS

SUFFIXES = (".yaml", ".yml", ".json")


def deal_files(inputs: Iterable[str]) -> list[Path]:
    """The deal files an argument list names: files as given, every deal file directly inside a folder, and glob
    patterns; sorted, without duplicates."""
    found: set[Path] = set()
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found |= {p.resolve() for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file()}
        elif any(ch in item for ch in "*?["):  # a glob pattern
            found |= {Path(p).resolve() for p in glob.glob(item) if Path(p).is_file()}
        else:
            found.add(path.resolve())
    return sorted(found)


@dataclass(frozen=True)
class BatchOptions:
    as_of: str | None = None  # ISO date; None: each deal's own
    risk: bool = True
    paths: int = 2_000
    seed: int = 0
    advice: bool = False  # the advisor re-runs variants: off by default for a portfolio screen

    def pipeline_options(self, **extra):
        """These choices as the pipeline's options (`extra`: progress and stage callbacks)."""
        import datetime as dt

        from ipsa.engine import pipeline

        return pipeline.Options(as_of=dt.date.fromisoformat(self.as_of) if self.as_of else None, risk=self.risk,
                                paths=self.paths, seed=self.seed, advice=self.advice, **extra)


COLUMNS = ["file", "deal", "status", "error", "as_of", "fails", "risks", "worst", "senior_class", "senior_pd",
           "senior_pd_upper_95", "required_enhancement", "current_enhancement", "input_sha256", "rule_base_version"]


def assess_file(path: str, options: BatchOptions) -> dict:
    """One deal, in a worker: {"row": summary row, "json": the assessment JSON or None}. Bad input is an error row."""
    from ipsa.engine import pipeline
    from ipsa.engine.loading import DealInputError, load_deal

    row = {column: "" for column in COLUMNS}
    row["file"] = path
    try:
        loaded = load_deal(path)
        assessment = pipeline.run(loaded, options.pipeline_options())
    except DealInputError as exc:
        row.update(status="error", error="; ".join(str(issue) for issue in exc.issues))
        return {"row": row, "json": None}
    except Exception as exc:  # noqa: BLE001 - a defect of ipsa's on one deal must not sink a portfolio of thousands:
        # it is that deal's error row, named as ipsa's own failure (to report), and the other deals are assessed
        row.update(status="error", error=f"internal error ({type(exc).__name__}): {exc}; please report it")
        return {"row": row, "json": None}
    findings = assessment.findings
    row.update(deal=assessment.deal.name, status="ok", as_of=assessment.as_of.isoformat(),
               fails=sum(f.status == "fail" for f in findings), risks=sum(f.status == "risk" for f in findings),
               input_sha256=assessment.input_sha256, rule_base_version=assessment.rule_base_version)
    row["worst"] = "fail" if row["fails"] else "risk" if row["risks"] else "pass"
    for jurisdiction, areas in assessment.status_table.items():
        for area in AREAS:
            row[f"{jurisdiction} {area}"] = areas.get(area, "none")
    risk = assessment.risk
    if risk is not None and risk.classes:
        senior = risk.senior()
        row.update(senior_class=senior.id, senior_pd=senior.pd, senior_pd_upper_95=senior.pd_upper_95)
        if risk.enhancement is not None:
            row.update(required_enhancement=risk.enhancement.required_enhancement if risk.enhancement.achievable else "",
                       current_enhancement=risk.enhancement.current_enhancement)
    return {"row": row, "json": json.dumps(assessment.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"}


@dataclass
class BatchResult:
    rows: list[dict]
    written: list[Path]
    workers: int


def run_batch(files: list[Path], out_dir: Path, options: BatchOptions, workers: int | None = None,
              scheduler: str | None = None, progress: Callable[[int, int], None] | None = None) -> BatchResult:
    """Assess `files` on a Dask cluster (a local one of `workers` processes unless `scheduler` names one), write
    `<stem>.json` per deal and `summary.csv` / `summary.xlsx` in `out_dir`, and return the rows in file order."""
    from distributed import Client, LocalCluster, as_completed

    from ipsa.engine.loading import DealInputError, InputIssue

    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
        except (OSError, ValueError, TypeError) as exc:  # no port, no such host, nothing listening, a timeout
            raise DealInputError([InputIssue("--scheduler", None, "", f"cannot reach a Dask scheduler at "
                                             f"{scheduler!r}: {exc}")]) from None
    else:
        cluster = LocalCluster(n_workers=workers or max(os.cpu_count() or 1, 1), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    out_dir.mkdir(parents=True, exist_ok=True)  # once the cluster answers: a refused scheduler leaves no folder
    try:
        count = len(client.scheduler_info()["workers"])
        futures = {client.submit(assess_file, str(path), options, pure=False, key=f"ipsa-{n}-{path.name}"): n
                   for n, path in enumerate(files)}
        results: dict[int, dict] = {}
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            if progress:
                progress(done, len(files))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    targets = output_paths(files, out_dir)
    written = []
    rows = []
    for n, path in enumerate(files):
        result = results[n]
        rows.append(result["row"])
        if result["json"] is not None:
            target = targets[n]
            _write(target, result["json"].encode("utf-8"))
            written.append(target)
    _write(out_dir / SUMMARIES[0], summary_csv(rows).encode("utf-8"))
    _write(out_dir / SUMMARIES[1], summary_xlsx(rows))
    return BatchResult(rows=rows, written=written, workers=count)


SUMMARIES = ("summary.csv", "summary.xlsx")
SCHEDULER_TIMEOUT = "10s"  # a scheduler that does not answer in this time is reported, not waited on


def output_paths(files: list[Path], out_dir: Path) -> list[Path]:
    """`<stem>.json` in `out_dir` per deal; where two deals share a stem, the later ones get `-2`, `-3`."""
    seen: dict[str, int] = {}
    paths = []
    for path in files:
        stem = path.stem
        seen[stem] = seen.get(stem, 0) + 1
        paths.append(out_dir / (f"{stem}.json" if seen[stem] == 1 else f"{stem}-{seen[stem]}.json"))
    return paths


def overwritten_inputs(files: list[Path], out_dir: Path) -> list[Path]:
    """The deal files the batch would overwrite with its own output (a JSON deal in the output folder, or one named
    like a summary): refused before any work, since a deal replaced by its assessment is lost."""
    written = {p.resolve() for p in output_paths(files, out_dir)} | {(out_dir / name).resolve() for name in SUMMARIES}
    return [path for path in files if path.resolve() in written]


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.part")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _columns(rows: list[dict]) -> list[str]:
    extra = sorted({key for row in rows for key in row} - set(COLUMNS))
    return COLUMNS + extra


def summary_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=_columns(rows), lineterminator="\n", restval="")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def summary_xlsx(rows: list[dict]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "portfolio"
    columns = _columns(rows)
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(column, "") for column in columns])
    for name in ("senior_pd", "senior_pd_upper_95", "required_enhancement", "current_enhancement"):
        index = columns.index(name) + 1
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = "0.00%"
    sheet.freeze_panes = "C2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
