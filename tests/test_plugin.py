"""A jurisdiction is a plug-in: the fixture under tests/fixtures/jurisdiction_kr, dropped beside the project's own
folders with no other file edited, is discovered, listed, put in the rule book, applied and has its features run;
and the wheel built from that tree carries it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "jurisdiction_kr"
ROOTS = ("engine", "rules", "knowledge_base", "reports", "features")
IGNORE = shutil.ignore_patterns("__pycache__", ".pytest_cache", ".hypothesis", "*.egg-info", "build", "dist")


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """A copy of the project with the fixture's folders added, importable as `ipsa` ahead of the installed one."""
    base = tmp_path_factory.mktemp("plugin")
    project = base / "project"
    for name in (*ROOTS, "tests", "examples"):
        shutil.copytree(ROOT / name, project / name, ignore=IGNORE)
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy2(ROOT / name, project / name)
    shutil.rmtree(project / "tests" / "fixtures")
    added = []
    for source in FIXTURE.rglob("*"):
        if source.is_file() and source.name != "README.md":
            target = project / source.relative_to(FIXTURE)
            assert not target.exists(), f"the fixture would overwrite {target}"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            added.append(target.relative_to(project).as_posix())
    site = base / "site" / "ipsa"
    site.mkdir(parents=True)
    for name in ROOTS:
        (site / name).symlink_to(project / name, target_is_directory=True)
    env = {**os.environ, "PYTHONPATH": f"{site.parent}{os.pathsep}{project}"}
    return project, env, sorted(added)


def _run(args, project, env, check=True):
    result = subprocess.run([sys.executable, *args], cwd=project, env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def test_the_fixture_adds_files_only_under_its_own_code(tree):
    _, _, added = tree
    assert added == ["features/kr/bankruptcy_remoteness.feature", "knowledge_base/kr/instruments.yaml",
                     "rules/kr/__init__.py", "rules/kr/bankruptcy_remoteness.py"]


def test_the_new_jurisdiction_is_discovered_and_listed(tree):
    project, env, _ = tree
    probe = "import ipsa.rules as r; print(r.__file__)"
    assert _run(["-c", probe], project, env).stdout.strip().startswith(str(project.parent / "site"))
    listing = json.loads(_run(["-m", "ipsa.engine.cli", "rules", "--jurisdiction", "KR", "--json"], project, env).stdout)
    assert [rule["id"] for rule in listing] == ["KR-BR-001", "KR-BR-002", "KR-BR-003"]
    assert all(rule["scenarios"] >= 2 for rule in listing)
    citation = listing[0]["citations"][0]
    assert (citation["instrument"], citation["article"], citation["title"], citation["verified"]) == (
        "KR-PATENT-ACT", "101", "Patent Act (Republic of Korea)", False)
    assert "fixture" in citation["unverified_reason"]


def test_the_new_jurisdiction_is_in_the_rule_book(tree):
    project, env, _ = tree
    html = _run(["-m", "ipsa.engine.cli", "rulebook"], project, env).stdout
    assert "Republic of Korea" in html and "KR-BR-003" in html and "특허법" in html


def test_the_new_jurisdictions_features_run(tree):
    project, env, _ = tree
    result = _run(["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/step_defs", "-k", "kipo or korean"],
                  project, env, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "2 passed" in result.stdout


def test_the_wheel_carries_the_new_jurisdiction(tree, tmp_path):
    project, _, added = tree
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path),
                    str(project)], check=True, capture_output=True, timeout=600)
    names = set(zipfile.ZipFile(next(tmp_path.glob("ipsa-*.whl"))).namelist())
    assert {f"ipsa/{path}" for path in added} <= names
