"""Which Gherkin scenarios exercise which rule: scenarios (and each Examples row) tagged with a rule id."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

from gherkin.parser import Parser
from gherkin.pickles.compiler import Compiler


def feature_files() -> list[tuple[str, str]]:
    """(name, text) of every bundled .feature file, in a stable order."""
    root = resources.files("ipsa.features")
    found = []
    for folder in sorted(root.iterdir(), key=lambda p: p.name):
        if folder.is_dir():
            for entry in sorted(folder.iterdir(), key=lambda p: p.name):
                if entry.name.endswith(".feature"):
                    found.append((f"{folder.name}/{entry.name}", entry.read_text(encoding="utf-8")))
    return found


@cache
def scenario_counts() -> Counter:
    """Rule id -> number of scenarios (pickles, one per Examples row) tagged with it."""
    counts: Counter = Counter()
    for name, text in feature_files():
        document = Parser().parse(text)
        document["uri"] = name
        for pickle in Compiler().compile(document):
            for tag in {t["name"].lstrip("@") for t in pickle["tags"]}:
                counts[tag] += 1
    return counts


@dataclass(frozen=True)
class ScenarioText:
    """One scenario (or one Examples row of an outline) as a lawyer reads it."""

    feature: str
    name: str
    steps: tuple[str, ...]


@cache
def scenarios_by_rule() -> dict[str, tuple[ScenarioText, ...]]:
    """Rule id -> the scenarios tagged with it, steps rendered with their example values."""
    found: dict[str, list[ScenarioText]] = {}
    for name, text in feature_files():
        document = Parser().parse(text)
        document["uri"] = name
        for pickle in Compiler().compile(document):
            scenario = ScenarioText(name, pickle["name"], tuple(step["text"] for step in pickle["steps"]))
            for tag in sorted({t["name"].lstrip("@") for t in pickle["tags"]}):
                found.setdefault(tag, []).append(scenario)
    return {rule_id: tuple(items) for rule_id, items in found.items()}
