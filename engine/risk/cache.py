"""Reuse of risk results for identical inputs within one process.

The advisor assesses a dozen variants of a deal (another vehicle, an independent director, a notice given); in most
of them the modelled pool, the notes and the options are exactly the base's, so the simulation and the sizing search
would repeat to the last bit. `fingerprint` digests everything a computation reads (arrays by dtype, shape and bytes;
dataclasses and pydantic models field by field); equal digests mean equal inputs, so a hit returns what the same code
computed before: the figures are the same with or without the cache, only faster.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import pickle
from collections import OrderedDict
from typing import Any, Callable, TypeVar

import numpy as np
from pydantic import BaseModel

T = TypeVar("T")


class _Unhashable(Exception):
    """An input the digest cannot describe faithfully: the computation then runs uncached."""


def _feed(digest: "hashlib._Hash", value: Any) -> None:
    if isinstance(value, str) and type(value) is not str:  # a translatable text: the same input as its plain words
        _feed(digest, str(value))
    elif value is None or isinstance(value, (bool, int, float, str, bytes, dt.date, enum.Enum)):
        digest.update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, np.ndarray):
        digest.update(f"nd:{value.dtype.str}:{value.shape};".encode())
        digest.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, np.generic):
        _feed(digest, value.item())
    elif isinstance(value, (list, tuple)):
        digest.update(f"{type(value).__name__}[{len(value)}".encode())
        for item in value:
            _feed(digest, item)
        digest.update(b"]")
    elif isinstance(value, (dict, frozenset, set)):
        items = sorted(value.items(), key=repr) if isinstance(value, dict) else sorted(value, key=repr)
        digest.update(f"{type(value).__name__}{{{len(items)}".encode())
        for item in items:
            _feed(digest, item)
        digest.update(b"}")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        digest.update(f"dc:{type(value).__qualname__}(".encode())
        for f in dataclasses.fields(value):
            digest.update(f.name.encode())
            _feed(digest, getattr(value, f.name))
        digest.update(b")")
    elif isinstance(value, BaseModel):
        digest.update(f"model:{type(value).__qualname__}:".encode())
        digest.update(value.model_dump_json().encode())
    else:
        try:
            digest.update(pickle.dumps(value, protocol=5))
        except Exception as exc:  # a function, a lock, an open file: nothing to compare by
            raise _Unhashable(type(value).__name__) from exc


def fingerprint(*parts: Any) -> str | None:
    """SHA-256 of the parts, or None where one of them cannot be digested faithfully."""
    digest = hashlib.sha256()
    try:
        for part in parts:
            _feed(digest, part)
    except _Unhashable:
        return None
    return digest.hexdigest()


class ResultCache:
    """The last `size` results by fingerprint, at most `max_bytes` of them in all (pickled); a result is kept and
    handed out as a copy, so no caller can change another's. The bound matters in a long-lived process (a workspace
    worker): a 10,000-licence deal's simulated paths run to hundreds of megabytes."""

    def __init__(self, size: int = 8, max_bytes: int | None = None):
        self.size, self.max_bytes = size, max_bytes
        self._items: OrderedDict[str, tuple[bytes, dict]] = OrderedDict()
        self.hits = 0

    def get_or_compute(self, key: str | None, compute: Callable[[], T]) -> T:
        if key is None:
            return compute()
        from ipsa.engine.text import collecting, replay

        if key in self._items:
            self.hits += 1
            self._items.move_to_end(key)
            kept, messages = self._items[key]
            replay(messages)  # its texts' messages, as the run that computed it made them
            return pickle.loads(kept)
        with collecting() as messages:
            value = compute()
        self._keep(key, value, dict(messages))
        return value

    def get(self, key: str | None) -> Any | None:
        """The result kept under `key` (a copy, its texts' messages replayed), or None."""
        if key is None or key not in self._items:
            return None
        return self.get_or_compute(key, lambda: None)

    def __contains__(self, key: str | None) -> bool:
        return key is not None and key in self._items

    def put(self, key: str | None, value: Any) -> None:
        """Keep a result computed elsewhere (one that makes no texts) for later calls with its key."""
        if key is not None and key not in self._items:
            self._keep(key, value, {})

    def _keep(self, key: str, value: Any, messages: dict) -> None:
        self._items[key] = (pickle.dumps(value, protocol=5), messages)
        while len(self._items) > self.size or (
                self.max_bytes is not None and len(self._items) > 1
                and sum(len(kept) for kept, _ in self._items.values()) > self.max_bytes):
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()
        self.hits = 0
