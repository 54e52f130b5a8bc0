"""The card's layout installs as one namespace `ipsa`; generic top-level names stay free."""

from __future__ import annotations

import subprocess
import sys


def test_only_the_ipsa_namespace_is_installed(tmp_path):
    probe = ("import importlib.util as u; "
             "print([n for n in ('engine','rules','knowledge_base','reports','features','web','examples') if u.find_spec(n)]); "
             "import ipsa.engine, ipsa.rules, ipsa.knowledge_base, ipsa.reports, ipsa.features, ipsa.web, ipsa.examples; print('ok')")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path)
    assert result.stdout.split() == ["[]", "ok"], result.stderr


def test_bundled_data_is_reachable_from_an_installed_package(tmp_path):
    probe = ("from ipsa.engine.scenarios import scenario_counts; from ipsa.knowledge_base import load; "
             "print(scenario_counts()['CN-BR-001'] > 0, len(load().instruments) > 10)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path)
    assert result.stdout.strip() == "True True", result.stderr


def test_the_wheel_carries_every_module_and_data_file(tmp_path):
    """A package or knowledge-base file left out of pyproject would vanish from an installed ipsa."""
    import zipfile
    from pathlib import Path

    import shutil

    root = Path(__file__).resolve().parents[1]
    source = tmp_path / "source"  # a clean copy: a stale build/ folder in the work tree would hide a missing package
    shutil.copytree(root, source, ignore=shutil.ignore_patterns("build", "dist", ".git", ".venv*", "*.egg-info", "__pycache__",
                                                                ".pytest_cache", ".hypothesis", "out", "*.so", "_kernel.c"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(source)],
                   check=True, capture_output=True)
    names = set(zipfile.ZipFile(next(tmp_path.glob("ipsa-*.whl"))).namelist())
    expected = {f"ipsa/{folder}/{p.relative_to(root / folder)}" for folder in ("engine", "rules", "reports")
                for p in (root / folder).rglob("*.py")}
    expected |= {f"ipsa/knowledge_base/{p.relative_to(root / 'knowledge_base')}" for p in (root / "knowledge_base").rglob("*.yaml")}
    expected |= {f"ipsa/features/{p.relative_to(root / 'features')}" for p in (root / "features").rglob("*.feature")}
    expected |= {f"ipsa/reports/templates/{p.name}" for p in (root / "reports" / "templates").iterdir()}
    # The translation catalogs and the glossary, beside what they translate.
    expected |= {f"ipsa/{p.relative_to(root)}" for folder in ("rules", "reports") for p in (root / folder).rglob("locale/*")}
    # The bundled examples (the workspace's demo matter reads one) and the workspace: its modules, migrations (with
    # Alembic's template), pages and static files.
    expected |= {f"ipsa/examples/{p.name}" for p in (root / "examples").iterdir() if p.suffix in (".yaml", ".csv")}
    expected |= {f"ipsa/web/{p.relative_to(root / 'web')}" for p in (root / "web").rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts}
    assert expected - names == set()
    # The compiled waterfall, built from its Cython source by the wheel's own build (not copied from this tree).
    assert any(n.startswith("ipsa/engine/risk/_kernel.") and n.endswith((".so", ".pyd")) for n in names)
    assert not [n for n in names if n.endswith(".c")]  # Cython's generated C is built, not shipped
