"""Text that can be translated: a template with named placeholders and the values to fill it.

`msg("Patent {number} lapsed on {day}.", number=..., day=...)` reads in English exactly as the f-string it replaces
(the placeholders take Python format specs: `{share:.0%}`); the memo in another language looks the template up in
that language's catalog (`ipsa.reports.i18n`) and fills the same values in, formatted for the locale. Every text
made here is remembered by its English words (`known`), so an assessment can carry, beside each English sentence,
the template and values it came from. `N_` marks a fixed text for the catalogs and returns it unchanged.
"""

from __future__ import annotations

import string
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

_FORMATTER = string.Formatter()
_KNOWN: "OrderedDict[str, Message]" = OrderedDict()
KNOWN_LIMIT = 200_000  # texts remembered per process; the oldest go first (an assessment captures its own at once)


@dataclass(frozen=True)
class Message:
    """A template and its values; `str()` is the English text."""

    template: str
    params: dict[str, Any]

    def english(self) -> str:
        return _FORMATTER.vformat(self.template, (), {k: _english(v) for k, v in self.params.items()}) \
            if self.params else self.template

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


def _english(value: Any) -> Any:
    return value.english() if isinstance(value, Message) else value


def msg(template: str, **params: Any) -> Text:
    """The English text of `template` filled with `params`, remembered with its message for translation. A value
    that is itself a `Text` is translated in its own right."""
    message = Message(template, {k: (v.message if isinstance(v, Text) else v) for k, v in params.items()})
    made = Text(message)
    remember(str(made), message)
    return made


def N_(text: str) -> str:  # noqa: N802  (gettext's own name for "mark for translation")
    return text


def remember(english: str, message: Message) -> None:
    _KNOWN[english] = message
    _KNOWN.move_to_end(english)
    while len(_KNOWN) > KNOWN_LIMIT:
        _KNOWN.popitem(last=False)


def known(english: str) -> Message | None:
    return _KNOWN.get(english)


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


def capture(tree: Any) -> dict[str, dict[str, Any]]:
    """The messages behind every text in `tree` (an assessment dumped to JSON), by English text, sorted."""
    found: dict[str, dict[str, Any]] = {}
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            message = _KNOWN.get(item)
            if message is not None and message.params:
                found[item] = to_json(message)
        elif isinstance(item, dict):
            stack.extend(item.values())
            stack.extend(k for k in item if isinstance(k, str))
        elif isinstance(item, list):
            stack.extend(item)
    return dict(sorted(found.items()))
