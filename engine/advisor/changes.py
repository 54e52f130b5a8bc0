"""Edits to a deal description, as a lawyer writes them in a small YAML file, and their application.

    changes:
      - set: spv.separateness_covenants
        value: true
      - append: transfers[t-optics].registrations
        value: {office: CN, date: 2026-07-15}
      - remove: licences[lic-minhang]

A path is dotted keys; `name[x]` picks the list item whose `id` is x (or, for a number, the item at that index).
`set` replaces or creates a value, `append` adds to a list (creating it), `remove` deletes a key or list item.
The edited deal is validated like any deal file, so a change that breaks it is reported with the field at fault.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError, model_validator

from ipsa.engine.text import N_, msg
from ipsa.engine.loading import DealInputError, InputIssue, LoadedDeal, _parse_text, read_input_text, validate_mapping

MAX_CHANGES_BYTES = 1024 * 1024  # a lawyer's edits; a larger file is not a changes file

_STEP = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*)(\[(?P<pick>[^\]]+)\])?$")


class Change(BaseModel):
    """One edit; exactly one of set, append and remove names its path."""

    model_config = ConfigDict(extra="forbid")

    set: str | None = None
    append: str | None = None
    remove: str | None = None
    value: Any = None
    _line: int | None = PrivateAttr(default=None)  # where the change stands in its file, for messages

    @model_validator(mode="after")
    def _one_operation(self) -> "Change":
        named = [op for op in ("set", "append", "remove") if getattr(self, op) is not None]
        if len(named) != 1:
            raise ValueError("each change names exactly one of set, append or remove")
        if named[0] != "remove" and "value" not in self.model_fields_set:
            raise ValueError(f"'{named[0]}' needs a value")
        return self

    @property
    def operation(self) -> Literal["set", "append", "remove"]:
        return next(op for op in ("set", "append", "remove") if getattr(self, op) is not None)  # type: ignore[return-value]

    @property
    def path(self) -> str:
        return getattr(self, self.operation)

    def describe(self) -> str:
        if self.operation == "remove":
            return f"remove {self.path}"
        return f"{self.operation} {self.path} = {self.value!r}"


class ChangeError(ValueError):
    """A change that cannot be applied; says which change and why."""

    def __init__(self, message: str, index: int | None = None):
        super().__init__(message)
        self.index = index


def _pick(items: list, pick: str, where: str) -> int:
    for index, item in enumerate(items):
        if isinstance(item, dict) and str(item.get("id")) == pick:
            return index
    if pick.isdigit() and int(pick) < len(items):
        return int(pick)
    raise ChangeError(msg("{where}: no item with id {pick!r}", where=where, pick=pick))


def _walk(mapping: dict, path: str, create: bool) -> tuple[Any, str | int]:
    """The container holding the last step of `path`, and the key or index of that step in it."""
    steps = path.split(".")
    node: Any = mapping
    for number, step in enumerate(steps):
        match = _STEP.match(step)
        if not match:
            raise ChangeError(msg("{path}: {step!r} is not a field name or name[id]", path=path, step=step))
        key, pick = match["key"], match["pick"]
        last = number == len(steps) - 1
        if not isinstance(node, dict):
            raise ChangeError(msg("{path}: {value} is not a section", path=path, value='.'.join(steps[:number])))
        if pick is None:
            if last:
                return node, key
            if key not in node:
                if not create:
                    raise ChangeError(msg("{path}: {key!r} is not present", path=path, key=key))
                node[key] = {}
            node = node[key]
        else:
            items = node.get(key)
            if not isinstance(items, list):
                raise ChangeError(msg("{path}: {key!r} is not a list", path=path, key=key))
            index = _pick(items, pick, path)
            if last:
                return items, index
            node = items[index]
    raise ChangeError(msg("{path}: empty path", path=path))


def apply_changes(mapping: dict, changes: list[Change]) -> dict:
    """A new mapping with the changes applied in order."""
    return _applied(copy.deepcopy(mapping), changes)


def _applied(edited: dict, changes: list[Change]) -> dict:
    """`edited` itself with the changes applied in order."""
    for number, change in enumerate(changes):
        try:
            container, key = _walk(edited, change.path, create=change.operation != "remove")
            if change.operation == "set":
                container[key] = copy.deepcopy(change.value)
            elif change.operation == "append":
                target = container.setdefault(key, []) if isinstance(container, dict) else container[key]
                if not isinstance(target, list):
                    raise ChangeError(f"{change.path}: not a list")
                target.append(copy.deepcopy(change.value))
            else:
                if isinstance(container, dict) and key not in container:
                    raise ChangeError(msg("{path}: {key!r} is not present", path=change.path, key=key))
                del container[key]
        except ChangeError as exc:
            raise ChangeError(str(exc), number) from None
    return edited


def deal_mapping(loaded: LoadedDeal) -> dict:
    """The validated deal as a plain mapping again (schedules already merged into `patents`)."""
    mapping = loaded.deal.model_dump(mode="json", by_alias=True, exclude_none=True)
    mapping["patent_schedule"] = []
    return mapping


def revalidate(loaded: LoadedDeal, changes: list[Change], label: str) -> LoadedDeal:
    """The deal with the changes applied, validated again; a change that breaks it raises DealInputError. The
    deal's copy and validation allocate as much as an assessment: the collector likewise leaves older objects alone."""
    from ipsa.engine.assess import older_objects_set_aside

    with older_objects_set_aside():
        edited = _applied(deal_mapping(loaded), changes)  # a fresh mapping of its own: no copy needed
        return validate_mapping(edited, f"{loaded.source} + {label}", Path(loaded.source).parent)


def load_changes(path: Path) -> list[Change]:
    """Read a changes file with the deal loader's YAML reading (dates kept as text, duplicate keys refused);
    every problem names the file, line and field."""
    source = str(path)
    data = _parse_text(read_input_text(path, N_("changes file"), MAX_CHANGES_BYTES), source)
    items = data.get("changes") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise DealInputError([InputIssue(source, 1, "changes", "expected a list of changes under the key 'changes'")])
    out, issues = [], []
    for index, item in enumerate(items):
        line = items.lc.item(index)[0] + 1 if hasattr(items, "lc") else None
        try:
            change = Change.model_validate(item)
            change._line = line
            out.append(change)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            issues.append(InputIssue(source, line, f"changes[{index}]" + (f".{field}" if field else ""),
                                     first["msg"].removeprefix("Value error, ")))
    if issues:
        raise DealInputError(issues)
    return out


def changes_issue(source: str, changes: list[Change], error: ChangeError) -> InputIssue:
    """A ChangeError as a file:line:field message about the change at fault."""
    index = error.index if error.index is not None else 0
    return InputIssue(source, changes[index]._line if changes else None, f"changes[{index}]", str(error))


class ChangedDealInvalid(DealInputError):
    """The deal as changed cannot be assessed (`pipeline.whatif`): its issues are the changes' to answer for, unlike
    those of the deal as it stands or of the command's options."""


def invalid_after_changes(source: str, changes: list[Change], error: DealInputError) -> DealInputError:
    """Validation problems of the edited deal, reported against the change that touched the field at fault; a
    problem with an option (--as-of) is the option's, not a change's."""
    if not isinstance(error, ChangedDealInvalid):
        return error
    issues = []
    for issue in error.issues:
        if issue.file.startswith("--"):
            issues.append(issue)
            continue
        top = issue.field.split(".")[0].split("[")[0]
        culprit = next((n for n, c in enumerate(changes) if c.path.split(".")[0].split("[")[0] == top), None)
        line = changes[culprit]._line if culprit is not None else None
        field = f"changes[{culprit}]" if culprit is not None else "changes"
        issues.append(InputIssue(source, line, field, msg("after the changes, {field}: {message}", field=issue.field, message=issue.message)))
    return DealInputError(issues)
