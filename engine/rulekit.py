"""How a legal rule is written: metadata a lawyer reads, patterns the engine matches, and what the rule concludes.

A rule module in `ipsa.rules` declares `RULES = [Rule(...), ...]`. Conditions use durable_rules' own pattern
language (`m.office == "CN"`, joins through `c.<alias>.<field>`); `then` is a plain function of the matched
facts that yields `Conclude` (an intermediate legal proposition other rules can build on) and `Find` (a finding
for the client). The engine adapter in `ipsa.engine.inference` is the only code that touches durable_rules'
runtime.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Literal

from durable.lang import c, m  # noqa: F401  (re-exported for rule modules)

from ipsa.knowledge_base import CitationRef

Area = Literal["spv_form", "bankruptcy_remoteness", "tax", "supervision"]
Status = Literal["fail", "risk", "pass", "info"]
AREAS: tuple[Area, ...] = ("spv_form", "bankruptcy_remoteness", "tax", "supervision")
RESERVED_ALIASES = frozenset({"s", "m", "host", "sid", "post", "assert_fact", "retract_fact", "delete_state",
                              "get_facts", "start_timer", "cancel_timer", "renew_action_lease", "get_pending_events"})
STATUS_ORDER: dict[str, int] = {"fail": 0, "risk": 1, "pass": 2, "info": 3}


def cite(instrument: str, article: str | None = None) -> CitationRef:
    return CitationRef(instrument=instrument, article=article)


@dataclass(frozen=True)
class On:
    """One pattern: a fact of `kind`, bound to `alias`, satisfying `where` (a durable_rules expression)."""

    alias: str
    kind: str
    where: Any = None

    def __post_init__(self) -> None:
        # durable_rules' closure already uses these names (`c.s` is the session state, `c.m` the message).
        if not self.alias.isidentifier() or self.alias.startswith("_") or self.alias in RESERVED_ALIASES:
            raise ValueError(f"pattern alias {self.alias!r} is reserved or not an identifier")
        if self.where is not None and _mentions_identity(self.where.define()):
            # Observed: a join on `id` (durable_rules' fact-identity field) silently fails to match once a second
            # fact of the kind is present. Rules must match on domain fields (patent, licence, transfer, about).
            raise ValueError(f"pattern {self.alias!r} matches on 'id'; match on a domain field instead")


def _mentions_identity(node: Any) -> bool:
    if isinstance(node, dict):
        return any(key == "id" or value == "id" or _mentions_identity(value) for key, value in node.items())
    if isinstance(node, list):
        return any(_mentions_identity(item) for item in node)
    return False


@dataclass(frozen=True)
class Conclude:
    """An intermediate legal proposition, asserted as a fact of `kind` about `about`."""

    kind: str
    about: str
    says: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Find:
    """A finding for the client."""

    status: Status
    about: str
    says: str
    figures: dict[str, float] = field(default_factory=dict)
    remediation: str | None = None  # replaces the rule's default remediation where the facts call for another


class Match:
    """What a rule's `then` sees: matched facts by alias, the assessment date and dated parameters in force."""

    def __init__(self, facts: dict[str, dict[str, Any]], as_of: dt.date, params: dict[str, float]):
        self._facts = facts
        self.as_of = as_of
        self.params = params

    def __getattr__(self, alias: str) -> dict[str, Any]:
        try:
            return self._facts[alias]
        except KeyError:
            raise AttributeError(f"no pattern is bound to {alias!r}") from None

    def param(self, parameter_id: str) -> float:
        return self.params[parameter_id]


@dataclass(frozen=True)
class Rule:
    id: str
    jurisdiction: str
    area: Area
    requirement: str
    law: str  # the gist of the provisions, in ipsa's words, beside the rule
    citations: tuple[CitationRef, ...]
    remediation: str
    when: tuple[On, ...]
    then: Callable[[Match], Iterable[Conclude | Find]]
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    overrides: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # what the rule is about (registration, notice, commingling, ...): the advisor keys on these

    def in_force_on(self, day: dt.date) -> bool:
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day <= self.effective_to
        )

    def metadata(self) -> dict[str, Any]:
        """Everything about the rule except its executable parts (for listings, hashing and the rulebook)."""
        return {
            "id": self.id,
            "jurisdiction": self.jurisdiction,
            "area": self.area,
            "requirement": self.requirement,
            "law": self.law,
            "citations": [ref.model_dump() for ref in self.citations],
            "remediation": self.remediation,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "overrides": list(self.overrides),
            "parameters": list(self.parameters),
            "tags": list(self.tags),
            "matches": [{"alias": on.alias, "kind": on.kind} for on in self.when],
        }
