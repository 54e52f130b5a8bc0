"""The rule base: one package per jurisdiction (its descriptor in `__init__.py`, one module per area declaring
`RULES`), discovered at start; `patterns.py` holds rule shapes the jurisdictions share.

`all_rules()` is the whole rule base in a stable order; `RULEBASE_VERSION` names it in every assessment
(a release number plus a digest of every rule's metadata and of the knowledge base).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import cache
from importlib import import_module

from ipsa.engine.text import msg
from ipsa.engine.jurisdiction import JurisdictionError, jurisdictions, rule_modules
from ipsa.engine.rulekit import Rule
from ipsa.knowledge_base import load as load_knowledge_base

RELEASE = "0.1.0"


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every jurisdiction package's rule modules (found by `ipsa.engine.jurisdiction`), sorted by rule id."""
    rules: list[Rule] = []
    for jurisdiction in jurisdictions():
        for name in rule_modules(jurisdiction.code):
            module = import_module(name)
            if not hasattr(module, "RULES"):
                raise JurisdictionError(msg("{name} declares no RULES", name=name))
            rules.extend(module.RULES)
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
