"""Step definitions for the cn features (edits of the example deals a lawyer can read)."""

from __future__ import annotations
