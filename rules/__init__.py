"""The rule base: one module per jurisdiction and area, each declaring `RULES`.

`all_rules()` is the whole rule base in a stable order; `RULEBASE_VERSION` names it in every assessment
(a release number plus a digest of every rule's metadata and of the knowledge base).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import cache
from importlib import import_module

from ipsa.engine.rulekit import Rule
from ipsa.knowledge_base import load as load_knowledge_base

RELEASE = "0.1.0"

MODULES = (
    "ipsa.rules.cn.spv_form",
    "ipsa.rules.cn.bankruptcy_remoteness",
    "ipsa.rules.cn.tax",
    "ipsa.rules.cn.supervision",
    "ipsa.rules.vn.spv_form",
    "ipsa.rules.vn.bankruptcy_remoteness",
    "ipsa.rules.vn.tax",
    "ipsa.rules.vn.supervision",
    "ipsa.rules.us.spv_form",
    "ipsa.rules.us.bankruptcy_remoteness",
    "ipsa.rules.us.tax",
    "ipsa.rules.us.supervision",
    "ipsa.rules.jp.spv_form",
    "ipsa.rules.jp.bankruptcy_remoteness",
    "ipsa.rules.jp.tax",
    "ipsa.rules.jp.supervision",
    "ipsa.rules.eu.spv_form",
    "ipsa.rules.eu.tax",
    "ipsa.rules.eu.supervision",
    "ipsa.rules.gb.spv_form",
    "ipsa.rules.gb.bankruptcy_remoteness",
    "ipsa.rules.gb.tax",
    "ipsa.rules.gb.supervision",
)


@cache
def all_rules() -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for name in MODULES:
        rules.extend(import_module(name).RULES)
    return tuple(sorted(rules, key=lambda r: r.id))


def in_force_window(rule: Rule) -> tuple[dt.date | None, dt.date | None]:
    """The dates between which a rule can apply: its own dates narrowed by those of every instrument it cites
    and by the first value of every dated parameter it uses (None: open-ended)."""
    kb = load_knowledge_base()
    starts = [rule.effective_from] + [kb.instruments[ref.instrument].effective_from for ref in rule.citations]
    starts += [kb.parameters[pid].values[0].from_ for pid in rule.parameters]
    ends = [rule.effective_to] + [kb.instruments[ref.instrument].effective_to for ref in rule.citations]
    starts = [d for d in starts if d is not None]
    ends = [d for d in ends if d is not None]
    return (max(starts) if starts else None, min(ends) if ends else None)


@cache
def rulebase_version() -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps([r.metadata() for r in all_rules()], sort_keys=True).encode())
    digest.update(load_knowledge_base().digest.encode())
    return f"{RELEASE}+{digest.hexdigest()[:10]}"
