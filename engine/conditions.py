"""ipsa's condition language: what a rule's pattern asks of a fact, as a tree ipsa can inspect.

`this.office == "CN"` compares a field of the fact being matched with a literal; `this.patent == earlier.gap.about`
with a field of the fact that an earlier pattern of the same rule bound to `gap`. Conditions combine with `&` (all)
and `|` (either); a boolean field alone means it is true and `~this.field` that it is false. The rule kit checks the
tree against the declared fact kinds, the engine adapter compiles it for durable_rules, and the reference
evaluator interprets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

Value = str | int | float | bool
OPERATORS = ("==", "!=", "<", "<=", ">", ">=")


class Condition:
    """What a pattern requires of a fact; `&` and `|` combine conditions."""

    def __and__(self, other: Condition) -> And:
        return And(_parts(self, And) + _parts(other, And))

    def __or__(self, other: Condition) -> Or:
        return Or(_parts(self, Or) + _parts(other, Or))

    def __bool__(self) -> bool:
        raise TypeError("combine conditions with & and |, not with `and`, `or` or `if`")

    def nodes(self) -> Iterator[Condition]:
        """This node and every node below it."""
        yield self

    def comparisons(self) -> Iterator[Compare]:
        return (node for node in self.nodes() if isinstance(node, Compare))


def as_condition(value: object) -> Condition:
    """A condition as written; a bare boolean field stands for `field == True`."""
    if isinstance(value, Field):
        return Compare(value, "==", True)
    if isinstance(value, (Compare, _Combined)):
        return value
    raise TypeError(f"{value!r} is not an ipsa condition (write it with `this` and `earlier`)")


def _parts(condition: Condition, kind: type) -> tuple[Condition, ...]:
    condition = as_condition(condition)
    return condition.parts if isinstance(condition, kind) else (condition,)


@dataclass(frozen=True, eq=False)
class Field(Condition):
    """A field of the fact being matched: `this.office`."""

    name: str

    def __eq__(self, value: object) -> Compare:  # type: ignore[override]
        return Compare(self, "==", value)

    def __ne__(self, value: object) -> Compare:  # type: ignore[override]
        return Compare(self, "!=", value)

    def __lt__(self, value: object) -> Compare:
        return Compare(self, "<", value)

    def __le__(self, value: object) -> Compare:
        return Compare(self, "<=", value)

    def __gt__(self, value: object) -> Compare:
        return Compare(self, ">", value)

    def __ge__(self, value: object) -> Compare:
        return Compare(self, ">=", value)

    def __invert__(self) -> Compare:
        return Compare(self, "==", False)


@dataclass(frozen=True, eq=False)
class Ref:
    """A field of the fact an earlier pattern of the rule bound to `alias`: `earlier.gap.about`."""

    alias: str
    name: str


@dataclass(frozen=True, eq=False)
class Compare(Condition):
    """`field op value`, where value is a literal or a field of an earlier pattern's fact."""

    field: Field
    op: str
    value: Ref | Value

    def __post_init__(self) -> None:
        if self.op not in OPERATORS:
            raise ValueError(f"unknown comparison {self.op!r}")
        if not isinstance(self.value, (Ref, str, int, float, bool)):
            raise TypeError(f"this.{self.field.name} {self.op} {self.value!r}: compare with a literal or an `earlier` field")


@dataclass(frozen=True, eq=False)
class _Combined(Condition):
    parts: tuple[Condition, ...]

    def nodes(self) -> Iterator[Condition]:
        yield self
        for part in self.parts:
            yield from part.nodes()


class And(_Combined):
    """Every part holds."""


class Or(_Combined):
    """At least one part (a branch) holds."""


class _This:
    def __getattr__(self, name: str) -> Field:
        if name.startswith("__"):
            raise AttributeError(name)
        return Field(name)


class _Bound:
    def __init__(self, alias: str):
        self._alias = alias

    def __getattr__(self, name: str) -> Ref:
        if name.startswith("__"):
            raise AttributeError(name)
        return Ref(self._alias, name)


class _Earlier:
    def __getattr__(self, alias: str) -> _Bound:
        if alias.startswith("__"):
            raise AttributeError(alias)
        return _Bound(alias)


this = _This()
earlier = _Earlier()
