"""Golden files: the four examples' assessment JSON and memo Markdown, as committed under tests/golden/.

A change to a golden file is a change to what ipsa tells a client: regenerate with
`IPSA_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py` and explain the difference in the commit.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

from ipsa.engine import pipeline
from ipsa.engine.loading import load_deal
from ipsa.reports.memo import memo
from tests.conftest import EXAMPLE_NAMES, ROOT

GOLDEN = ROOT / "tests" / "golden"
OPTIONS = pipeline.Options(paths=2_000, seed=0)  # the CLI's defaults for `ipsa assess`
DATE_LINE = "2026-11-25"


@pytest.fixture(scope="module", params=EXAMPLE_NAMES)
def outputs(request):
    cwd = Path.cwd()
    os.chdir(ROOT)  # the assessment names its source as given: a relative path is the same on every machine
    try:
        assessment = pipeline.run(load_deal(Path("examples") / f"{request.param}.yaml"), OPTIONS)
    finally:
        os.chdir(cwd)
    return request.param, {"json": memo(assessment, "json"), "md": memo(assessment, "md", generated=DATE_LINE)}


@pytest.mark.parametrize("fmt", ["json", "md"])
def test_the_example_matches_its_golden_file(outputs, fmt):
    name, produced = outputs
    path = GOLDEN / f"{name}.{fmt}"
    if os.environ.get("IPSA_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(produced[fmt])
    assert path.exists(), f"no golden file {path.name}; run with IPSA_UPDATE_GOLDEN=1 to write it"
    text, golden = produced[fmt].decode("utf-8"), path.read_text(encoding="utf-8")
    if fmt == "json":
        # Unrounded floats may move in their last bits with the NumPy build (its sums and transcendental functions
        # are not bit-stable across releases); every figure a reader sees is rounded far above that.
        differences = _differences(json.loads(golden), json.loads(text))
        assert not differences, (f"{name}.json differs from its golden file at {differences[:5]}: if the change is "
                                 "deliberate, regenerate and explain it")
    else:
        assert text == golden, f"{name}.{fmt} differs from its golden file: if the change is deliberate, regenerate and explain it"


def _differences(expected, actual, where: str = "$") -> list[str]:
    """Where two JSON documents differ: exactly, except floats, which may differ by one part in 10^9."""
    if isinstance(expected, float) or isinstance(actual, float):
        same = isinstance(expected, (int, float)) and isinstance(actual, (int, float)) and \
            math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-12)
        return [] if same else [where]
    if isinstance(expected, dict) and isinstance(actual, dict):
        if list(expected) != list(actual):
            return [f"{where} (keys {sorted(set(expected) ^ set(actual))})"]
        return [d for k in expected for d in _differences(expected[k], actual[k], f"{where}.{k}")]
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{where} (length {len(expected)} != {len(actual)})"]
        return [d for n, (e, a) in enumerate(zip(expected, actual)) for d in _differences(e, a, f"{where}[{n}]")]
    return [] if expected == actual else [where]
