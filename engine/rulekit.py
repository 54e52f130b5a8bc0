"""How a legal rule is written: metadata a lawyer reads, patterns the engine matches, and what the rule concludes.

A rule module in `ipsa.rules` declares `RULES = [Rule(...), ...]`. Each pattern (`On`) names a declared fact kind
(`ipsa.engine.factkinds`) and a condition in ipsa's own language (`ipsa.engine.conditions`: `this.office == "CN"`,
joins through `earlier.<alias>.<field>`); `then` is a plain function of the matched facts that yields `Conclude`
(an intermediate legal proposition other rules can build on) and `Find` (a finding for the client). A rule whose
patterns name an undeclared kind or field, or whose tags are missing or unknown, is refused when it is defined.
Only the engine adapter in `ipsa.engine.inference` knows durable_rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Literal, NoReturn

from ipsa.engine.conditions import Condition, Ref, as_condition
from ipsa.engine.conditions import earlier, this  # noqa: F401  (re-exported for rule modules)
from ipsa.engine.factkinds import fields_of, fits, type_name
from ipsa.knowledge_base import CitationRef

Area = Literal["spv_form", "bankruptcy_remoteness", "tax", "supervision"]
Status = Literal["fail", "risk", "pass", "info"]
AREAS: tuple[Area, ...] = ("spv_form", "bankruptcy_remoteness", "tax", "supervision")
RESERVED_ALIASES = frozenset({"s", "m", "host", "sid", "post", "assert_fact", "retract_fact", "delete_state",
                              "get_facts", "start_timer", "cancel_timer", "renew_action_lease", "get_pending_events"})
STATUS_ORDER: dict[str, int] = {"fail": 0, "risk": 1, "pass": 2, "info": 3}
_ORDERING = frozenset({"<", "<=", ">", ">="})

TAGS: dict[str, str] = {
    "registration": "a transfer or licence must be registered or recorded with a patent office",
    "notice": "notice of an assignment to the licensee or borrower (the debtor)",
    "pledge": "registration of the pledge of IP that secures a loan or lease in the pool",
    "perfection": "perfection of a sale of receivables against third parties (UCC filing, claims-assignment registry)",
    "commingling": "royalties pass through the originator's hands or accounts",
    "backup_servicer": "a backup servicer for an originator that services its own pool",
    "separateness": "the SPV's separateness from the originator (consolidation)",
    "true_sale": "whether a transfer is a sale or a secured loan",
    "clawback": "avoidance of a transfer at an undervalue in the seller's insolvency",
    "withholding": "tax withheld at source on royalties",
    "retention": "risk retention by the originator or sponsor",
    "transparency": "the securitisation's transparency disclosures and reporting entity",
    "eligible_assets": "which assets may back the vehicle",
    "patent_in_trust": "patents settled into a trust",
    "vehicle_notification": "notifying a regulator before the vehicle starts business (the TMK notification)",
    "filing": "filings with a regulator or an exchange that the vehicle or its listing needs",
    "vehicle_form": "whether the vehicle is a form the jurisdiction offers, properly managed and isolated",
    "licensee_protection": "whether a licence, and its royalties, survive the licensor's insolvency or bind third parties",
    "vat": "VAT on the transfer of patent rights",
    "stamp_duty": "stamp duty on the transfer instrument",
    "entity_tax": "tax paid by the SPV itself (tax neutrality)",
    "offering": "how the notes are offered and under which securities law",
    "investors": "who may buy the notes and how many",
    "investment_company": "the issuer's status under investment company law",
    "patent_term": "patents expiring before the notes' legal final",
    "cash_flow": "whether the royalties serve the notes with margin",
    "guarantor": "the notes' dependence on a guarantor",
    "policy": "policy context that creates no rule",
    "scope": "whether a securitisation regime applies to the deal",
    "due_diligence": "what investors must verify before holding the notes",
    "location": "where the vehicle may be established",
    "legal_opinion": "legal opinions delivered at closing (true sale, non-consolidation): market practice, not law",
}


class RuleDefinitionError(ValueError):
    """A rule refers to an undeclared kind, field or alias, or lacks a known tag."""


def cite(instrument: str, article: str | None = None) -> CitationRef:
    return CitationRef(instrument=instrument, article=article)


@dataclass(frozen=True)
class On:
    """One pattern: a fact of `kind`, bound to `alias`, satisfying `where` (an ipsa condition)."""

    alias: str
    kind: str
    where: Condition | None = None

    def __post_init__(self) -> None:
        # The engine's closure already uses these names (`c.s` is the session state, `c.m` the message).
        if not self.alias.isidentifier() or self.alias.startswith("_") or self.alias in RESERVED_ALIASES:
            raise ValueError(f"pattern alias {self.alias!r} is reserved or not an identifier")
        if self.where is None:
            return
        object.__setattr__(self, "where", as_condition(self.where))
        named = {c.field.name for c in self.where.comparisons()}
        named |= {c.value.name for c in self.where.comparisons() if isinstance(c.value, Ref)}
        if "id" in named:
            # Observed: a join on `id` (durable_rules' fact-identity field) silently fails to match once a second
            # fact of the kind is present. Rules must match on domain fields (patent, licence, transfer, about).
            raise ValueError(f"pattern {self.alias!r} matches on 'id'; match on a domain field instead")


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
    lists: tuple[str, ...] = ()  # incorporated lists (knowledge_base lists.yaml) the rule reads, dated like parameters
    tags: tuple[str, ...] = ()  # what the rule is about (TAGS): the advisor keys on these

    def __post_init__(self) -> None:
        if not self.tags:
            raise RuleDefinitionError(f"rule {self.id} has no tag; tag it with what it is about (see rulekit.TAGS)")
        unknown = [t for t in self.tags if t not in TAGS]
        if unknown:
            raise RuleDefinitionError(f"rule {self.id} has unknown tags {unknown}; the vocabulary is rulekit.TAGS")
        _check_patterns(self)

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
            "lists": list(self.lists),
            "tags": list(self.tags),
            "matches": [{"alias": on.alias, "kind": on.kind} for on in self.when],
        }


def _check_patterns(rule: Rule) -> None:
    """Every kind, field and join a rule's patterns name must be declared, and every literal of its field's type."""
    bound: dict[str, dict[str, Any]] = {}  # alias -> the declared fields of its kind

    def refuse(on: On, problem: str) -> NoReturn:
        raise RuleDefinitionError(f"rule {rule.id}, pattern {on.alias!r} ({on.kind}): {problem}")

    for on in rule.when:
        declared = fields_of(on.kind)
        if declared is None:
            refuse(on, f"no fact kind {on.kind!r} is declared")
        if on.alias in bound:
            refuse(on, "the alias is bound twice")
        for compare in on.where.comparisons() if on.where is not None else ():
            name, value = compare.field.name, compare.value
            if name not in declared:
                refuse(on, f"{on.kind} has no field {name!r}")
            field_type = declared[name]
            if isinstance(value, Ref):
                if value.alias not in bound:
                    refuse(on, f"joins to {value.alias!r}, which no earlier pattern binds")
                if value.name not in bound[value.alias]:
                    refuse(on, f"joins to {value.alias}.{value.name}, a field its kind does not declare")
                other = bound[value.alias][value.name]
                if other != field_type and {other, field_type} != {int, float}:
                    refuse(on, f"compares {name} ({type_name(field_type)}) with {value.alias}.{value.name} "
                               f"({type_name(other)})")
            elif not fits(field_type, value):
                refuse(on, f"compares {name} ({type_name(field_type)}) with {value!r}")
            if compare.op in _ORDERING and field_type not in (int, float):
                refuse(on, f"orders {name}, which is {type_name(field_type)}, not a number")
        bound[on.alias] = declared
