"""The fast parse of YAML: libyaml (through PyYAML) reads a text in the plain subset of YAML 1.2 that it and ruamel
read alike, as plain dicts and lists typed by ruamel's own YAML 1.2 resolvers; anything else is left to ruamel
(`NeedsRoundTrip`). A deal is read so (`ipsa.engine.loading`), and so are the knowledge base's files, which the deal
model reads when it is imported: this module depends on nothing else of ipsa.
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable

from ruamel.yaml.resolver import VersionedResolver

try:  # libyaml, through PyYAML: the fast parse of a valid deal (see `parse_fast`)
    from yaml import (AliasEvent, DocumentEndEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent,
                      ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent)
    from yaml import YAMLError as PyYAMLError
    from yaml.cyaml import CParser
except ImportError:  # no PyYAML, or PyYAML built without libyaml: every text takes the round-trip parse
    CParser = None


MAX_DEPTH = 40  # a deal nests about eight levels; anything far deeper is an error or an attack


MAX_ITEMS = 5_000_000  # values in a deal once YAML aliases are expanded (a 10,000-patent deal has about 500,000)


class NeedsRoundTrip(Exception):
    """The text uses something the fast parse leaves to the round-trip parse (see `parse_fast`)."""


def _yaml12_int(text: str) -> int:
    """A YAML 1.2 int as ruamel's round-trip loader reads it: underscores ignored, 0b/0o/0x bases, leading zeros
    decimal."""
    digits = text.replace("_", "")
    sign = -1 if digits.startswith("-") else 1
    digits = digits.lstrip("+-")
    base = {"0b": 2, "0o": 8, "0x": 16}.get(digits[:2])
    return sign * (int(digits[2:], base) if base else int(digits))


def _yaml12_float(text: str) -> float:
    """A YAML 1.2 float as ruamel's round-trip loader reads it: underscores ignored, .inf and .nan."""
    digits = text.replace("_", "").lower()
    sign = -1 if digits.startswith("-") else 1
    digits = digits.lstrip("+-")
    if digits == ".nan":
        return math.nan  # one object, as in ruamel, so that `.nan` twice is a duplicate key there and here
    return sign * (math.inf if digits == ".inf" else float(digits))


# What a plain scalar's implicit tag makes of its text. Dates stay text, as the deal's round-trip parse keeps them
# (`ipsa.engine.loading._DatesAsText`); a tag not here (the merge key `<<`, the value key `=`) is left to the
# round-trip parse.
_PLAIN_VALUES = {
    "tag:yaml.org,2002:null": lambda text: None,
    "tag:yaml.org,2002:bool": lambda text: text.lower() == "true",
    "tag:yaml.org,2002:int": _yaml12_int,
    "tag:yaml.org,2002:float": _yaml12_float,
    "tag:yaml.org,2002:timestamp": str,
}

# ruamel's own implicit resolvers, by a plain scalar's first character ("" for the empty scalar), in ruamel's order,
# for the YAML version its round-trip loader reads by default (1.2): so that both parses type every scalar alike.
_PLAIN_RESOLVERS = {
    first: [(regexp.match, _PLAIN_VALUES.get(tag)) for tag, regexp in resolvers]
    for first, resolvers in VersionedResolver().versioned_resolver.items()
}


def _plain_value(text: str) -> Any:
    """A plain (unquoted, untagged) scalar's value: its implicit tag's reading of the text, or the text."""
    for matches, read in _PLAIN_RESOLVERS.get(text[:1], ()):
        if matches(text):
            if read is None:
                raise NeedsRoundTrip
            return read(text)
    return text


# Text that ruamel reads otherwise than libyaml, found by comparing the two on random texts. Each pattern starts
# with a literal, which makes its search fast.
_READ_DIFFERENTLY = [re.compile(pattern) for pattern in (
    r"\t",  # a tab: ruamel refuses one beside a plain scalar
    "\x85", "\u2028", "\u2029",  # YAML 1.1's line breaks NEL, LS and PS
    r"\r(?!\n)",  # a carriage return alone
    r"\|[-+0-9]*\#", r">[-+0-9]*\#",  # a comment straight after a block scalar's indicator: ruamel refuses it
)]
_LINE_OF_SPACES = re.compile(r"\n\ +(?=\r?\n)")
_KEY_COMMENT = re.compile(r":\ +\#")
# After a key's comment: lines blank or comments, then maybe a scalar (not a comment, collection or key).
_SCALAR_AFTER_COMMENTS = re.compile(r"""(?:\ *(?:\#.*)?\r?\n)*+(\ +(?![-?]\s|[\#'"[{\ ]|.*:(?:\s|$)))?""")


def _read_differently(text: str) -> bool:
    """Whether ruamel may read the text otherwise than libyaml: a pattern of `_READ_DIFFERENTLY`, a byte-order mark
    after the start (ruamel keeps it as text), a line of spaces after a block scalar's indicator (ruamel refuses
    it if a line below is more indented), or a key's comment with the key's scalar on a line below (ruamel fails on
    a blank line after it). Linear in the text, as it is searched before every fast parse."""
    if any(pattern.search(text) for pattern in _READ_DIFFERENTLY) or text.find("\ufeff", 1) >= 0:
        return True
    for spaces in _LINE_OF_SPACES.finditer(text):
        line_before = text[text.rfind("\n", 0, spaces.start()) + 1:spaces.start()]
        if "|" in line_before or ">" in line_before:
            return True
    return _key_comment_with_scalar_below(text) is not None


def _key_comment_with_scalar_below(text: str) -> int | None:
    """Where the first key's comment with the key's scalar on a line below starts (None if there is none)."""
    position = 0
    while comment := _KEY_COMMENT.search(text, position):
        next_line = text.find("\n", comment.end()) + 1
        if not next_line:
            return None
        below = _SCALAR_AFTER_COMMENTS.match(text, next_line)
        if below.group(1):
            return comment.start()
        position = below.end()  # a key's comment on a line passed over has the same lines below
    return None


def where_ruamel_fails(text: str) -> tuple[int | None, str]:
    """For text the round-trip parse (ruamel.yaml) fails on inside its own code rather than with a YAML error: the
    line (1-based, None if not found) and what a lawyer can change there. Two such failures are known (ruamel.yaml
    0.19): a plain scalar its YAML 1.2 resolvers take for a number that holds no digits (`0b_`, `-_`), and a key
    followed by a comment whose value is on a line below with a blank line after it."""
    if CParser is not None:
        parser = CParser(text)
        try:
            while (event := parser.get_event()).__class__ is not StreamEndEvent:
                if event.__class__ is ScalarEvent and event.implicit[0]:
                    try:
                        _plain_value(event.value)
                    except ValueError:
                        return event.start_mark.line + 1, (
                            f'"{event.value}" reads as a number in YAML but has no digits: put it in quotes if it '
                            f"is text")
                    except NeedsRoundTrip:
                        continue
        except PyYAMLError:
            pass
        finally:
            parser.dispose()
    comment = _key_comment_with_scalar_below(text)
    if comment is not None:
        key = text[text.rfind("\n", 0, comment) + 1:comment].strip(" -")
        return text.count("\n", 0, comment) + 1, (
            f'a comment after "{key}:" with its value on a line below: put the value on the key\'s line, before the '
            "comment")
    return None, "the YAML reader failed on this text: check the quoting and indentation near its end"


def parse_fast(text: str, root: type = dict) -> Any:
    """A deal's YAML or JSON parsed by libyaml to the data `_parse_text` gives, but as plain dicts and lists (ruamel's
    commented ones, slow to build, serve only to give error messages their lines): about thirty times faster.

    Only a `root` (a mapping, or for the knowledge base's files a list) in the common subset of YAML is read here; for anything else `NeedsRoundTrip` is raised and the
    round-trip parse reads or refuses the text as it always has: a YAML error, a directive (%YAML 1.1 changes the
    typing), a tag, an anchor or alias, a merge key, a duplicate or non-scalar key, a second document, text ruamel
    may read differently (`_read_differently`), nesting beyond MAX_DEPTH levels, or more than MAX_ITEMS values and
    keys. The data is built without recursion, so that a deep text cannot exhaust the stack."""
    if CParser is None or _read_differently(text):
        raise NeedsRoundTrip
    parser = CParser(text)
    try:
        return _build_from_events(parser.get_event, root)
    except (PyYAMLError, ValueError):  # ValueError: text libyaml cannot take, or a number ruamel fails on too
        raise NeedsRoundTrip from None
    finally:
        parser.dispose()


def plain_yaml(text: str, root: type) -> Any | None:
    """`text` read by the fast parse as plain data whose top is a `root` (dict or list), or None where it needs the
    round-trip parse (`parse_fast`): what the knowledge base reads its files with, as a deal is read."""
    try:
        return parse_fast(text, root)
    except NeedsRoundTrip:
        return None


def _build_from_events(next_event: Callable[[], Any], expected: type = dict) -> Any:
    """The `expected` (dict or list) a stream of libyaml's events describes; see `parse_fast` for what raises
    `NeedsRoundTrip`."""
    no_key = object()
    open_containers: list[list] = []  # [the list or dict being filled, the dict's key awaiting its value]
    top: list | None = None
    root = None
    values = 0
    documents = 0
    plain_values: dict[str, Any] = {}  # a deal repeats its field names and many values: read each text once
    while True:
        event = next_event()
        kind = event.__class__
        if kind is ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                raise NeedsRoundTrip
            value = event.value
            if event.implicit[0]:
                read = plain_values.get(value, no_key)
                if read is no_key:
                    read = plain_values[value] = _plain_value(value)
                value = read
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None or len(open_containers) >= MAX_DEPTH:
                raise NeedsRoundTrip
            value = {} if kind is MappingStartEvent else []
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            open_containers.pop()
            top = open_containers[-1] if open_containers else None
            continue
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1 or event.version is not None or event.tags:
                raise NeedsRoundTrip
            continue
        elif kind is DocumentEndEvent:
            continue
        elif kind is StreamEndEvent:
            if root.__class__ is not expected:  # not a deal: the round-trip parse reads it for the message
                raise NeedsRoundTrip
            return root
        elif kind is AliasEvent:
            raise NeedsRoundTrip
        else:  # the stream's start
            continue
        values += 1
        if values > MAX_ITEMS:
            raise NeedsRoundTrip
        if top is None:
            root = value
        elif top[0].__class__ is list:
            top[0].append(value)
        elif top[1] is no_key:
            if value.__class__ is dict or value.__class__ is list or value in top[0]:
                raise NeedsRoundTrip
            top[1] = value
        else:
            top[0][top[1]] = value
            top[1] = no_key
        if value.__class__ is dict or value.__class__ is list:
            top = [value, no_key]
            open_containers.append(top)
