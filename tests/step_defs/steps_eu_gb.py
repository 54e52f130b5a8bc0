"""Step definitions for the eu_gb features (edits of the example deals a lawyer can read)."""

from __future__ import annotations
