"""Mutated example deals are either assessed or rejected with file, line and field — never a crash."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings, strategies as st

from ipsa.engine.assess import assess
from ipsa.engine.loading import DealInputError, validate_mapping
from tests.conftest import EXAMPLES, EXAMPLE_NAMES, example_mapping

ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**18, max_value=10**18),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["", "2026-02-30", "9999-12-31", "CN", "nobody", "<script>", "‮", "1e309", "-1"]),
    st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))


def _mutate(deal, path, action, value):
    if not path:
        return value if action == "replace" else deal
    parent = deal
    for part in path[:-1]:
        parent = parent[part]
    key = path[-1]
    if action == "drop":
        if isinstance(parent, dict):
            del parent[key]
        else:
            parent.pop(key)
    else:
        parent[key] = value
    return deal


MUTANTS = dict(name=st.sampled_from(EXAMPLE_NAMES), pick=st.integers(min_value=0, max_value=10**6),
               action=st.sampled_from(["drop", "replace"]), value=ODD_VALUES)


def _load_mutant(name, pick, action, value):
    """The example with one field dropped or replaced: loaded, or None after checking the rejection names the
    file, line and field."""
    deal = example_mapping(name)
    paths = list(_paths(deal))
    mutant = _mutate(copy.deepcopy(deal), paths[pick % len(paths)], action, value)
    try:
        return validate_mapping(mutant, f"{name}.yaml", EXAMPLES)
    except DealInputError as exc:
        assert exc.issues
        for issue in exc.issues:
            assert issue.file and issue.message
            assert str(issue).startswith(issue.file)
        return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**MUTANTS)
def test_mutants_are_assessed_or_rejected_cleanly(name, pick, action, value):
    loaded = _load_mutant(name, pick, action, value)
    if loaded is None:
        return
    assessment = assess(loaded)
    assert assessment.input_sha256 == loaded.input_sha256
    # The adapter and the plain-Python reference evaluator agree on every mutant that loads.
    from ipsa.engine.assess import engine
    from ipsa.engine.facts import derive_facts
    from ipsa.engine.graph import DealGraph
    from ipsa.engine.reference import ReferenceEvaluator

    facts = derive_facts(DealGraph(loaded.deal), assessment.as_of)
    by_loops = ReferenceEvaluator(engine()).run(facts, assessment.as_of)
    assert sorted(f.id for f in by_loops.findings) == sorted(f.id for f in assessment.findings)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**MUTANTS)
def test_the_risk_core_models_every_mutant_that_loads(name, pick, action, value):
    """Whatever a loadable deal holds, the risk core returns finite, bounded figures and never crashes."""
    import math

    from ipsa.engine.graph import DealGraph
    from ipsa.engine.risk import RiskOptions, analyse

    loaded = _load_mutant(name, pick, action, value)
    if loaded is None:
        return
    report = analyse(DealGraph(loaded.deal), loaded.deal.deal.as_of,
                     RiskOptions(paths=200, stresses=False, selection_paths=100))
    for c in report.classes:
        assert 0 <= c.pd <= 1 and 0 <= c.expected_loss <= 1 + 1e-9 and math.isfinite(c.wal_years)
    assert all(math.isfinite(v) for v in report.collections_mean)
