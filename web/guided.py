"""The guided form: the deal's main sections (parties, patents, licences, transfers, SPV, notes) as tables whose
columns come from the deal's JSON Schema (`Deal.model_json_schema()`), so a field added to the model appears here
without editing a page.

A column is a field of one value (text, number, whole number, yes/no, a choice, a date) or a list of such values
(written comma-separated). Nested structures (a licence's royalty terms, a transfer's registrations, a party's
owners) are not columns: they are kept exactly as the text has them and edited in the text editor. Saving the form
changes only the cells it shows, in the parsed text (comments and the other sections kept), and stores the result
as a new version; a value the schema refuses is saved too and reported at its line, as an upload would be."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

SECTIONS = ("parties", "patents", "licences", "transfers", "spv", "notes")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_ROWS = 200  # a section longer than this (a large patent pool) is edited as text or uploaded as a schedule


@dataclass(frozen=True)
class Column:
    name: str
    title: str
    kind: str  # text, number, integer, bool, choice, date, list
    choices: tuple[str, ...] = ()
    required: bool = False
    help: str = ""


@dataclass
class Section:
    name: str
    title: str
    is_list: bool
    columns: list[Column]
    rows: list[dict[str, str]]  # display text per column
    kept: list[str]  # fields of this section not shown (edited as text)
    too_long: bool = False


def _value_kind(spec: dict) -> tuple[str, tuple[str, ...]] | None:
    """The kind of a one-value field (or None for a nested structure)."""
    options = [s for s in spec.get("anyOf", [spec]) if s.get("type") != "null"]
    if len(options) != 1:
        return None
    s = options[0]
    if "enum" in s:
        return "choice", tuple(str(v) for v in s["enum"])
    if s.get("type") == "string":
        return ("date", ()) if s.get("format") == "date" else ("text", ())
    if s.get("type") in ("number", "integer", "boolean"):
        return {"number": "number", "integer": "integer", "boolean": "bool"}[s["type"]], ()
    return None


@lru_cache(maxsize=1)
def _schema() -> dict:
    from ipsa.engine.model import Deal

    return Deal.model_json_schema()


def columns(section: str) -> tuple[list[Column], list[str]]:
    """The columns of a section's items, and the names of the fields left to the text editor."""
    schema = _schema()
    spec = schema["properties"][section]
    ref = (spec.get("items") or spec)["$ref"].rsplit("/", 1)[-1]
    item = schema["$defs"][ref]
    required = set(item.get("required", ()))
    shown, kept = [], []
    for name, field in item["properties"].items():
        kind = _value_kind(field)
        if kind is None and field.get("type") == "array":
            inner = _value_kind(field.get("items", {}))
            kind = ("list", inner[1]) if inner else None
        if kind is None:
            kept.append(name)
            continue
        shown.append(Column(name, field.get("title", name), kind[0], kind[1], name in required,
                            field.get("description", "")))
    return shown, kept


def _shown(value: Any, column: Column) -> str:
    if value is None:
        return ""
    if column.kind == "list":
        return ", ".join(str(v) for v in value)
    if column.kind == "bool":
        return "on" if value else ""
    return str(value)


def sections(raw: Mapping) -> list[Section]:
    out = []
    for name in SECTIONS:
        cols, kept = columns(name)
        spec = _schema()["properties"][name]
        is_list = spec.get("type") == "array"
        items = raw.get(name) or ([] if is_list else {})
        items = items if is_list else [items]
        rows = [{c.name: _shown(item.get(c.name), c) for c in cols} for item in items if isinstance(item, Mapping)]
        out.append(Section(name, spec.get("title", name), is_list, cols, rows[:MAX_ROWS], kept, len(rows) > MAX_ROWS))
    return out


def _parsed(text: str, column: Column) -> Any:
    """A cell's text as the value the deal holds; text the schema will refuse is kept as text, so the loader names
    the field and line instead of this form guessing."""
    text = text.strip()
    if column.kind == "list":
        return [part.strip() for part in text.split(",") if part.strip()]
    if column.kind in ("number", "integer"):
        try:
            number = float(text.replace(",", "").replace("_", ""))
        except ValueError:
            return text
        whole = number.is_integer() and (column.kind == "integer" or not any(c in text for c in ".eE"))
        return int(number) if whole else number
    return text


def apply(raw: Any, form: Mapping[str, str]) -> bool:
    """Write the form's cells into the parsed deal: `section.row.field` for a row shown, `section.new.field` for a
    row added, `section.row._remove` to drop a row. Unshown fields and other sections stay as they were; a section
    the deal lacks is added only when a row is written into it. Whether anything changed."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    changed = False
    for section in sections(raw):
        if section.too_long:
            continue
        cols, name = section.columns, section.name
        present = raw.get(name)
        if not section.is_list:  # the SPV: one row, written into the deal only if it says something
            item = present if present is not None else CommentedMap()
            wrote = _write(item, cols, lambda c: form.get(f"{name}.0.{c.name}"))
            if wrote and present is None:
                raw[name] = item
            changed |= wrote
            continue
        items = present if present is not None else CommentedSeq()
        removed = [index for index, item in enumerate(items)
                   if isinstance(item, dict) and form.get(f"{name}.{index}._remove") == "on"]
        for index, item in enumerate(items):
            if isinstance(item, dict) and index not in removed:
                changed |= _write(item, cols, lambda c, i=index: form.get(f"{name}.{i}.{c.name}"))
        for index in reversed(removed):
            del items[index]
        changed |= bool(removed)
        if any(str(form.get(f"{name}.new.{c.name}", "")).strip() for c in cols if c.kind != "bool"):
            item = CommentedMap()
            _write(item, cols, lambda c: form.get(f"{name}.new.{c.name}"))
            items.append(item)
            if present is None:
                raw[name] = items
            changed = True
    return changed


def _write(item: dict, cols: list[Column], cell) -> bool:
    """Write one row's cells into `item`; whether any value changed."""
    changed = False
    for column in cols:
        sent = cell(column)
        if column.kind == "bool":
            was = item.get(column.name)
            now = sent == "on"
            if now or was is not None:  # an absent flag stays absent when left unticked
                changed |= was is not now
                item[column.name] = now
            continue
        if sent is None:
            continue
        value = _parsed(str(sent), column)
        if value in ("", []):
            changed |= item.pop(column.name, None) is not None
        elif _shown(item.get(column.name), column) != _shown(value, column):
            item[column.name] = value
            changed = True
    return changed


def edited_text(text: str, filename: str, form: Mapping[str, str]) -> str | None:
    """The version's text with the form applied, in its own format (YAML keeps its comments; JSON is re-indented);
    None where the form changes nothing. ValueError where the text is not a deal mapping the form could show."""
    from ipsa.engine.loading import DealInputError, _parse_text, _yaml

    try:
        raw = _parse_text(text, filename)
    except DealInputError:
        raw = None
    if not isinstance(raw, dict):
        raise ValueError("this version's text cannot be read; fix it in the text editor first")
    if not apply(raw, form):
        return None
    if filename.lower().endswith(".json"):
        return json.dumps(raw, indent=2, ensure_ascii=False) + "\n"
    out = io.StringIO()
    writer = _yaml()
    writer.indent(mapping=2, sequence=4, offset=2)  # the bundled examples' layout
    writer.width = 4096  # long names stay on one line
    writer.dump(_dates_plain(raw), out)
    return out.getvalue()


def _dates_plain(node: Any) -> Any:
    """The loader keeps dates as text; write them back as plain dates (2026-06-30), not as quoted strings."""
    if isinstance(node, dict):
        for key in list(node):
            node[key] = _dates_plain(node[key])
    elif isinstance(node, list):
        for index, value in enumerate(node):
            node[index] = _dates_plain(value)
    elif isinstance(node, str) and _ISO_DATE.fullmatch(node):
        try:
            return dt.date.fromisoformat(node)
        except ValueError:
            return node
    return node
