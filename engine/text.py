"""Text that can be translated: a template with named placeholders and the values to fill it.

`msg("Patent {number} lapsed on {day}.", number=..., day=...)` reads in English exactly as the f-string it replaces
(the placeholders take Python format specs: `{share:.0%}`); the memo in another language looks the template up in
that language's catalog (`ipsa.reports.i18n`) and fills the same values in, formatted for the locale. The texts a
run makes are collected by their English words (`collecting`), so its assessment can carry, beside each English
sentence, the template and values it came from. `N_` marks a fixed text for the catalogs (its words unchanged).
"""

from __future__ import annotations

import string
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

class _Formatter(string.Formatter):
    """str.format, plus the conversions `!l` and `!u`: the value with its first letter in lower case (a sentence
    quoted inside another) or upper case (a clause that starts a sentence)."""

    def convert_field(self, value, conversion):
        if conversion in ("l", "u"):
            text = str(value)
            return (text[:1].lower() if conversion == "l" else text[:1].upper()) + text[1:]
        return super().convert_field(value, conversion)


_FORMATTER = _Formatter()
_SCOPE: "ContextVar[dict[str, Message] | None]" = ContextVar("ipsa_text_scope", default=None)


def _fill(template: str, values: dict[str, Any]) -> str:
    """The template filled with values already in English (a text's value is its own words)."""
    if "!l" in template or "!u" in template:
        return _FORMATTER.vformat(template, (), values)
    return template.format_map(values)  # the same text as the formatter's, without its Python-level parse


@dataclass(frozen=True)
class Message:
    """A template and its values; `str()` is the English text."""

    template: str
    params: dict[str, Any]

    def english(self) -> str:
        """Made once and kept (a sentence built clause by clause holds its clauses' messages, each already in
        English); kept in the instance's dict directly, without functools.cached_property's lock (Python 3.11)."""
        try:
            return self.__dict__["_made"]
        except KeyError:
            return self._keep(self._make_english())

    def _keep(self, english: str) -> str:
        """Keep `english` as this message's text: what `english` makes, handed over by `msg` where it knows it."""
        self.__dict__["_made"] = english
        return english

    def _make_english(self) -> str:
        if not self.params:
            return self.template
        return _fill(self.template, {k: _english(v) for k, v in self.params.items()})

    def __str__(self) -> str:
        return self.english()


class Text(str):
    """The English text of a message, usable wherever a str is, that still knows its message."""

    message: Message

    def __new__(cls, message: Message) -> "Text":
        made = super().__new__(cls, message.english())
        made.message = message
        return made

    def __reduce__(self):  # copies and pickles (worker processes, the risk cache) keep the message
        return (Text, (self.message,))

    # A sentence built from clauses (`msg(...) + msg(...)`) stays a sequence of translatable parts, the text
    # `joined([a, b])` makes (made here directly: a large deal adds clauses by the hundred thousand); Python gives a
    # str subclass's reflected method priority, so `"plain" + text` arrives here too.
    def __add__(self, other):
        return _text(_PAIR, {"p0": self, "p1": other}) if isinstance(other, str) else NotImplemented

    def __radd__(self, other):
        return _text(_PAIR, {"p0": other, "p1": self}) if isinstance(other, str) else NotImplemented


def _english(value: Any) -> Any:
    return value.english() if isinstance(value, Message) else value


def msg(template: str, **params: Any) -> Text:
    """The English text of `template` filled with `params`, remembered with its message for translation. A value
    that is itself a `Text` is translated in its own right."""
    return _text(template, params)


def _text(template: str, params: dict[str, Any]) -> Text:
    """`msg` with its values in a dict (`joined` has one already). A `Text` value is kept as its message; being a
    str of its own English words, it fills the English template as it is, so no clause's English is looked up again
    (a bare `Message` value has no such words: its English is made from the message)."""
    stored: dict[str, Any] = {}
    english_given = True
    for name, value in params.items():
        if isinstance(value, Text):
            value = value.message
        elif isinstance(value, Message):
            english_given = False
        stored[name] = value
    message = Message(template, stored)
    if stored:
        english = message._keep(_fill(template, params)) if english_given else message.english()
        remember(english, message)
    return Text(message)


def joined(parts, separator: str = "") -> Text:
    """Parts (texts or plain strings) one after another with `separator` between them, as one text whose parts are
    each translated: "; ".join(clauses) for a memo in any language."""
    parts = list(parts)
    names, template = _joined_layout(len(parts), bool(separator))
    params: dict[str, Any] = dict(zip(names, parts))
    if separator:
        params["sep"] = separator
    return _text(template, params)


@lru_cache(maxsize=256)
def _joined_layout(count: int, separated: bool) -> tuple[tuple[str, ...], str]:
    """`joined`'s placeholder names for `count` parts and its template: the same few shapes recur for every clause."""
    names = tuple(f"p{n}" for n in range(count))
    return names, ("{sep}" if separated else "").join("{" + n + "}" for n in names)


_PAIR = _joined_layout(2, False)[1]  # the template of `joined` for two parts without a separator: `Text` + `Text`


def N_(text: str) -> Text:  # noqa: N802  (gettext's own name for "mark for translation")
    """A fixed text, marked for the catalogs; it joins other texts as a translatable part."""
    return Text(Message(text, {}))


@contextmanager
def collecting() -> Iterator[dict[str, "Message"]]:
    """The messages made while the block runs (inside any enclosing collection too), in the order made: what one
    assessment writes, whatever else the process has written before, so its messages are the same in every
    process (a worker, the command line, the workspace)."""
    outer = _SCOPE.get()
    scope: dict[str, Message] = {}
    token = _SCOPE.set(scope)
    try:
        yield scope
    finally:
        _SCOPE.reset(token)
        if outer is not None:
            outer.update(scope)


def replay(messages: dict[str, "Message"]) -> None:
    """Messages made earlier (a cached result's), remembered again as if made now."""
    for english, message in messages.items():
        remember(english, message)


def remember(english: str, message: Message) -> None:
    """Into the run's collection, if a run is collecting (outside one, nothing keeps a text's message)."""
    scope = _SCOPE.get()
    if scope is not None:
        scope[english] = message


# -- carried in an assessment: the English text -> its message, as JSON ------------------------------------------

def to_json(message: Message) -> dict[str, Any]:
    return {"template": message.template, "params": {k: _param_json(v) for k, v in message.params.items()}}


def _param_json(value: Any) -> Any:
    if isinstance(value, Message):
        return to_json(value)
    if isinstance(value, (list, tuple)):
        return [_param_json(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)  # a date: its ISO form, as the English text shows it


def from_json(data: dict[str, Any]) -> Message:
    return Message(data["template"], {k: _param_from_json(v) for k, v in data["params"].items()})


def _param_from_json(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"template", "params"}:
        return from_json(value)
    if isinstance(value, list):
        return [_param_from_json(v) for v in value]
    return value


def capture(tree: Any, made: dict[str, Message]) -> dict[str, dict[str, Any]]:
    """The messages behind every text in `tree` (an assessment dumped to JSON) among those `made` by its run, by
    English text, sorted; a text that a message's values hold is followed too."""
    found: dict[str, dict[str, Any]] = {}
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            message = made.get(item)
            if message is not None and message.params and item not in found:
                found[item] = to_json(message)
                stack.extend(_strings(message))
        elif isinstance(item, dict):
            stack.extend(item.values())
            stack.extend(k for k in item if isinstance(k, str))
        elif isinstance(item, list):
            stack.extend(item)
    return dict(sorted(found.items()))


def _strings(message: Message) -> list[str]:
    out: list[str] = []
    for value in message.params.values():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, Message):
                out += _strings(item)
            elif isinstance(item, str):
                out.append(item)
    return out
