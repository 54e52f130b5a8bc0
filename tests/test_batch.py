"""Portfolio runs on a real local Dask cluster of worker processes (issue #13): one JSON per deal, a summary with the
status per jurisdiction and area, the same figures as a single run, and a bad deal as an error row."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys

from openpyxl import load_workbook

from ipsa.engine import pipeline
from ipsa.engine.batch import BatchOptions, deal_files, run_batch
from ipsa.engine.loading import load_deal
from tests.conftest import EXAMPLES

NAMES = ("cn_licence_special_plan", "vn_company_spv", "us_music_catalogue")


def test_a_portfolio_runs_on_a_local_dask_cluster_with_the_figures_of_a_single_run(tmp_path):
    folder = tmp_path / "deals"
    folder.mkdir()
    for name in NAMES:
        shutil.copy(EXAMPLES / f"{name}.yaml", folder)
    (folder / "broken.yaml").write_text("schema_version: 1\ndeal: {}\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not a deal", encoding="utf-8")
    files = deal_files([str(folder)])
    assert [f.name for f in files] == ["broken.yaml", "cn_licence_special_plan.yaml", "us_music_catalogue.yaml",
                                       "vn_company_spv.yaml"]
    out = tmp_path / "out"
    options = BatchOptions(paths=300, seed=5)
    result = run_batch(files, out, options, workers=2)
    assert result.workers == 2
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{n}.json" for n in NAMES] + ["summary.csv", "summary.xlsx"])
    with (out / "summary.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    by_file = {row["file"].rsplit("/", 1)[-1]: row for row in rows}
    assert by_file["broken.yaml"]["status"] == "error" and "deal.name: required field is missing" in by_file["broken.yaml"]["error"]
    for name in NAMES:
        single = pipeline.run(load_deal(folder / f"{name}.yaml"), pipeline.Options(paths=300, seed=5, advice=False))
        batch = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        assert batch == json.loads(json.dumps(single.model_dump(mode="json")))  # one set of figures
        row = by_file[f"{name}.yaml"]
        assert row["status"] == "ok" and float(row["senior_pd"]) == single.risk.classes[0].pd
        for jurisdiction, areas in single.status_table.items():
            for area, status in areas.items():
                assert row[f"{jurisdiction} {area}"] == status
    sheet = load_workbook(out / "summary.xlsx").active
    assert [c.value for c in sheet[1]][:3] == ["file", "deal", "status"] and sheet.max_row == 5


def test_batch_without_deal_files_is_refused(tmp_path):
    result = subprocess.run([sys.executable, "-m", "ipsa.engine.cli", "batch", str(tmp_path), "-o", str(tmp_path / "out")],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "no deal files" in result.stderr and "Traceback" not in result.stderr


def _batch(*args):
    return subprocess.run([sys.executable, "-m", "ipsa.engine.cli", "batch", *map(str, args)], capture_output=True,
                          text=True)


def test_a_batch_that_would_overwrite_a_deal_with_its_output_is_refused_before_any_work(tmp_path):
    """A JSON deal in the output folder would be replaced by its own assessment (`deal.json`), and a deal named like
    the summary by the summary: refused, exit 2, the deals as they were."""
    deal = tmp_path / "deal.json"
    deal.write_text(json.dumps(load_deal(EXAMPLES / "vn_company_spv.yaml").deal.model_dump(mode="json",
                                                                                         exclude_none=True)),
                    encoding="utf-8")
    before = deal.read_bytes()
    for args in ([deal, "-o", tmp_path], [tmp_path, "-o", tmp_path]):
        result = _batch(*args, "-w", "1", "--no-risk")
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert "would overwrite this deal" in result.stderr and str(deal) in result.stderr
        assert deal.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["deal.json"]


def test_a_scheduler_that_cannot_be_reached_is_refused_and_leaves_no_folder(tmp_path):
    result = _batch(EXAMPLES / "vn_company_spv.yaml", "-o", tmp_path / "out", "--scheduler", "not-an-address")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "cannot reach a Dask scheduler at 'not-an-address'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_deal_that_ipsa_fails_on_is_its_own_error_row_and_the_portfolio_goes_on(monkeypatch):
    """A defect of ipsa's on one deal of thousands is recorded in that deal's row (named as ipsa's failure, to report)
    instead of stopping the run and losing the other deals' results."""
    from ipsa.engine import batch

    def broken(*_, **__):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(pipeline, "run", broken)
    result = batch.assess_file(str(EXAMPLES / "vn_company_spv.yaml"), BatchOptions(risk=False))
    assert result["json"] is None and result["row"]["status"] == "error"
    assert result["row"]["error"] == "internal error (ZeroDivisionError): float division by zero; please report it"
