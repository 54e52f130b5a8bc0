"""Step definitions for the us features (edits of the example deals a lawyer can read)."""

from __future__ import annotations
