"""Shared fixtures: the bundled examples, and assessing an edited copy of one."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from ipsa.engine.assess import assess
from ipsa.engine.loading import validate_mapping

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EXAMPLE_NAMES = ("cn_licence_special_plan", "us_royalty_llc", "vn_company_spv", "jp_tmk_licence", "us_music_catalogue",
                 "cn_ip_loans_special_plan")
RULE_TAG = re.compile(r"^([A-Z]{2,3}-[A-Z]{2,4}-\d{3}|advisor)$")

_cache: dict[str, dict] = {}


def by_id(items: list[dict], ident: str) -> dict:
    """The item of a deal mapping's list (parties, licences, transfers, ...) with this id; the step fails otherwise."""
    for item in items:
        if item["id"] == ident:
            return item
    raise AssertionError(f"no item with id {ident!r}")


def example_mapping(name: str) -> dict:
    """A fresh, editable plain-dict copy of an example deal (dates as ISO text)."""
    if name not in _cache:
        text = (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8")
        _cache[name] = _plain(YAML(typ="safe").load(text))
    return copy.deepcopy(_cache[name])


def _plain(value):
    import datetime as dt

    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def assess_mapping(mapping: dict, as_of=None, source: str = "<edited deal>", risk=None):
    loaded = validate_mapping(copy.deepcopy(mapping), source, EXAMPLES)
    return assess(loaded, as_of, risk)


def pytest_bdd_apply_tag(tag, function):
    """Rule-id tags (@CN-BR-001) mark the scenario with `rule(id)` instead of becoming unknown marks."""
    if RULE_TAG.match(tag):
        pytest.mark.rule(tag)(function)
        return True
    return None


def pytest_configure(config):
    config.addinivalue_line("markers", "rule(id): the scenario exercises the named legal rule")
