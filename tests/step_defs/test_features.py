"""Runs every scenario in features/ (the legal requirements) against the engine: every folder of .feature files,
so that a new jurisdiction's features/<code>/ runs without being listed here."""

from pathlib import Path

from pytest_bdd import scenarios

FEATURES = Path(__file__).resolve().parents[2] / "features"

scenarios(*sorted(folder.name for folder in FEATURES.iterdir() if folder.is_dir() and any(folder.glob("*.feature"))))
