"""The fast parse of a deal (libyaml, issue #13) reads every text exactly as ruamel's round-trip parse does, or leaves
the text to it; a deal with a problem is reported word for word as before."""

from __future__ import annotations

import io
import json
import math
import random

import pytest
import yaml
from ruamel.yaml import YAML
from ruamel.yaml.resolver import VersionedResolver

from benchmarks.large_deal import large_deal
from ipsa.engine import loading, plainyaml
from ipsa.engine.loading import DealInputError, _parse_text, load_deal, load_text
from ipsa.engine.plainyaml import NeedsRoundTrip, parse_fast
from tests.conftest import EXAMPLE_NAMES, EXAMPLES

pytestmark = pytest.mark.skipif(plainyaml.CParser is None, reason="PyYAML without libyaml: no fast parse to compare")


def described(data, exact: bool):
    """Data as nested (type, value) pairs, mappings with their keys in order, floats by repr (nan, -0.0). ruamel's
    subclasses (CommentedMap, ScalarFloat, LiteralScalarString, ...) count as their base types unless `exact`."""
    if isinstance(data, dict):
        assert not exact or type(data) is dict, type(data)
        return "dict", [(described(k, exact), described(v, exact)) for k, v in data.items()]
    if isinstance(data, list):
        assert not exact or type(data) is list, type(data)
        return "list", [described(v, exact) for v in data]
    if data is None:
        return ("None",)
    for base in (bool, int, float, str):
        if isinstance(data, base):
            assert not exact or type(data) is base, type(data)
            return base.__name__, repr(float(data)) if base is float else base(data)
    raise AssertionError(f"unexpected {type(data)}")


def read_alike(text: str) -> bool:
    """False where the fast parse leaves the text to the round-trip parse; otherwise True, once both read it alike."""
    try:
        fast = parse_fast(text)
    except NeedsRoundTrip:
        return False
    assert described(fast, exact=True) == described(_parse_text(text, "t.yaml"), exact=False), repr(text)
    return True


# A plain scalar's spelling and what YAML 1.2 (ruamel's round-trip loader) makes of it.
SPELLINGS = [
    ("NO", "NO"), ("no", "no"), ("yes", "yes"), ("Yes", "Yes"), ("on", "on"), ("OFF", "OFF"), ("y", "y"), ("n", "n"),
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False), ("FALSE", False),
    ("tRUE", "tRUE"), ("null", None), ("Null", None), ("NULL", None), ("~", None), ("", None), ("nULL", "nULL"),
    ("1", 1), ("-1", -1), ("+1", 1), ("0", 0), ("00", 0), ("017", 17), ("-017", -17), ("0o17", 15), ("0O17", "0O17"),
    ("0b101", 5), ("-0b101", -5), ("0x1F", 31), ("0x1f", 31), ("-0x1F", -31), ("0X1F", "0X1F"), ("1_000", 1000),
    ("1__0", 10), ("1_", 1), ("0o8", "0o8"), ("08", 8), ("1234567890123456789012345", 1234567890123456789012345),
    ("1e3", 1000.0), ("1E3", 1000.0), ("1e+3", 1000.0), ("1e-3", 0.001), ("-1e3", -1000.0), ("1.5e3", 1500.0),
    ("1.", 1.0), (".5", 0.5), ("-.5", -0.5), ("+.5", 0.5), ("1.0", 1.0), ("-0.0", -0.0), ("1_0.5", 10.5),
    ("1.e3", 1000.0), (".5e+3", 500.0), (".5e3", ".5e3"), ("1e", "1e"), ("1e+", "1e+"), ("1e400", math.inf),
    (".inf", math.inf), ("-.inf", -math.inf), ("+.inf", math.inf), (".Inf", math.inf), (".INF", math.inf),
    (".iNf", ".iNf"), (".nan", math.nan), (".NaN", math.nan), (".NAN", math.nan), ("-.nan", "-.nan"),
    ("2024-01-31", "2024-01-31"), ("2024-1-31", "2024-1-31"), ("2024-02-30", "2024-02-30"),
    ("2024-01-31T10:00:00", "2024-01-31T10:00:00"), ("2024-01-31t10:00:00Z", "2024-01-31t10:00:00Z"),
    ("2024-01-31 10:00:00", "2024-01-31 10:00:00"), ("2024-01-31T10:00:00.5+01:00", "2024-01-31T10:00:00.5+01:00"),
    ("20240131", 20240131), ("12:30", "12:30"), ("190:20:30", "190:20:30"), ("1,000", "1,000"), ("1.2.3", "1.2.3"),
    ("0.1.2", "0.1.2"), ("--", "--"), ("+", "+"), (".", "."), ("..", ".."), ("a#b", "a#b"), ("x-y", "x-y"),
    ("0xg", "0xg"), ("é中文😀", "é中文😀"), ("a b  c", "a b  c"), ("-x", "-x"),
]


@pytest.mark.parametrize("spelling, value", SPELLINGS, ids=[repr(s) for s, _ in SPELLINGS])
def test_a_plain_scalar_reads_as_in_yaml_1_2_and_as_ruamel_reads_it(spelling, value):
    key_first = spelling if spelling and spelling not in ("~", "null", "Null", "NULL") else "k"
    for text in (f"a: {spelling}\n", f"a: [{spelling}]\n", f"a:\n- {spelling}\n", f"a: {{b: {spelling}}}\n",
                 f"{key_first}: a\n"):
        assert read_alike(text), text
    assert described(parse_fast(f"a: {spelling}\n")["a"], exact=True) == described(value, exact=True)


def test_the_fast_parse_types_scalars_with_ruamels_own_resolvers():
    resolvers = VersionedResolver().versioned_resolver
    assert None not in resolvers  # `_plain_value` looks resolvers up by first character only
    tags = {tag for by_first in resolvers.values() for tag, _ in by_first}
    assert tags - plainyaml._PLAIN_VALUES.keys() == {"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value",
                                                   "tag:yaml.org,2002:yaml"}  # left to the round-trip parse
    quoted = parse_fast("a: '1'\nb: \"true\"\nc: '~'\nd: \"2024-01-31\"\ne: ''\n")
    assert described(quoted, exact=True) == described({"a": "1", "b": "true", "c": "~", "d": "2024-01-31", "e": ""},
                                                      exact=True)


STRUCTURES = [
    "# only a comment\na: 1\n", "---\na: 1\n", "---\na: 1\n...\n", "a: 1 # c\n# c\nb: 2\n", "a:\n", "a: \n", "a: ''\n",
    "a:\n  - 1\n  - 2\n", "a:\n- 1\n- 2\n", "a: {b: 1, c: [2, 3]}\n", "a: {b, c}\n", "a: [b: c]\n", "a: [b: c, d]\n",
    "a: {b:1}\n", "a: {b: 1,}\n", "a: [1,]\n", "a: [\n]\n", "a: {\n}\n", "a: [1,\n 2]\n", "a: {b: [1,\n2]}\n",
    "? a\n: b\n", "? a\n", "a: 'it''s'\n", 'a: "\\x41\\u263A\\U0001F600\\/\\N\\_\\L\\P\\e\\0"\n',
    'a: "multi\n  line"\n',
    "a: 'multi\n  line'\n", 'a: "x\\\n  y"\n', "a: b\n  c\n  d\n", "a: b # comment\n", "a: b#c\n", "a: 'b'#c\n",
    "a: |\n  line1\n  line2\n", "a: |-\n  x\n\n", "a: |+\n  x\n\n", "a: >\n  folded\n  text\n\n  para\n",
    "a: >-\n  x\n   y\n  z\n", "a: |2\n    indented\n", "a: |\n\n    x\n", "a: |\n x\n \n  y\n", "a: b\r\nc: d\r\n",
    "\ufeffa: b\n", "a: \ue000\U0010ffff\n", "key with spaces: v\n", "'a': b\n", "1: a\n2.5: b\nfalse: c\n~: d\n",
    "a: " + "x" * 1100 + "\n", "a:    1\n", "  a: 1\n  b: 2\n", "a:\n    - 1\n    -  2\n", "a: b\n  # comment\nc: d\n",
    "a: #c\n  x: 1\n\nd: e\n", "a: #c\n  - 1\n\nd: e\n", "a:\n  #c\n  b\n\nc: d\n", "a: -b\n",
    '{"a": [1, 2.5, true, null, "x", {"b": -1e-3}], "c": "\\u00e9\\n", "d": {}}', '{"a": 1}',
    "a: " + "[" * 39 + "]" * 39 + "\n",
]


@pytest.mark.parametrize("text", STRUCTURES)
def test_structures_read_fast_as_the_round_trip_parse_reads_them(text):
    assert read_alike(text)


LEFT_TO_THE_ROUND_TRIP_PARSE = [
    "a: !!python/object/apply:os.system [echo]\n", "a: !!str 1\n", "a: !foo x\n", "a: ! 1\n", "!!map {a: 1}\n",
    "a: &x 1\nb: *x\n", "a: *x\n", "<<: {a: 1}\nb: 2\n", "a: <<\n", "a: =\n", "%YAML 1.1\n---\na: yes\n",
    "%YAML 1.2\n---\na: 1\n", "%TAG !e! tag:example.com,2000:\n---\na: 1\n", "a: 1\na: 2\n", "a: {c: 1, c: 2}\n",
    "1: a\n1.0: b\n", "1: a\ntrue: b\n", "~: a\nnull: b\n", ".nan: a\n.nan: b\n", "0o17: a\n15: b\n",
    '{"a": 1, "a": 2}', "? [a, b]\n: c\n", "? {a: 1}\n: c\n", "a: 1\n---\nb: 2\n", "a: x\n...\nb: y\n",
    "a:\tb\n", "a: b\t\n", '{"a":\t1}', "a: b\x85c\n", "a: b\u2028c\n", "a: b\u2029c\n", "a: b\rc: d\r",
    "a: b\r\r\nc: d",
    "a: \ufeffb\n", "a: |#\n x\n", "a: >+#c\n x\n", "a: |\n \n    x\n", "a: #c\n  b\n\nc: d\n",
    "a: #c\n  #d\n  b\n\nc: d\n", "a: #c\n\n  b\n\nc: d\n", "a: #c\n  |\n   x\n\nd: e\n", "a: 0b_\n", "a: -_\n",
    "a: " + "[" * 40 + "]" * 40 + "\n", "[a]\n", "a\n", "", "# nothing\n", "a: [1, 2\n", "a: b: c\n", "a: 'x\n",
    'a: "\\ud800"\n', "a: \x01\n", "a: \x7f\n",
]


@pytest.mark.parametrize("text", LEFT_TO_THE_ROUND_TRIP_PARSE)
def test_tags_anchors_duplicates_and_text_read_differently_are_left_to_the_round_trip_parse(text):
    with pytest.raises(NeedsRoundTrip):
        parse_fast(text)


def test_more_values_than_the_limit_are_left_to_the_round_trip_parse(monkeypatch):
    monkeypatch.setattr(plainyaml, "MAX_ITEMS", 6)  # keys count too: the mapping, a, the list and its three items
    assert parse_fast("a: [1, 2, 3]\n") == {"a": [1, 2, 3]}
    with pytest.raises(NeedsRoundTrip):
        parse_fast("a: [1, 2, 3, 4]\n")


ATOMS = ["yes", "NO", "on", "1e3", "0o17", "017", "0x1F", "1_000", ".inf", "-.inf", ".nan", "~", "null", "", " ",
         "2024-01-31", "12:30", "a: b", "- x", "# c", "x #y", "'q'", '"d"', "line1\nline2", "trail\n", "\n lead", "é😀",
         "\\", "a\\nb", "tab\there", "cr\rhere", "nul\x00", "\x85", "\u2028", "\ufeff", "<<", "=", "!x", "&a", "*a",
         "%x", "@x", "`x", "[x]", "{x}", "x,y", "?", ":", "-", "---", "...", "  spaced  ", "true", "0", "-0", "+1", "1.",
         ".5"]


def random_document(rng: random.Random) -> str:
    """Random data written by PyYAML or ruamel in a random style, with comments and blank lines put in."""
    def atom():
        pick = rng.random()
        if pick < 0.6:
            return rng.choice(ATOMS) + (rng.choice(ATOMS) if rng.random() < 0.3 else "")
        if pick < 0.75:
            return rng.choice([0, -7, 10**20, 1.5, -0.0, 1e300, float("inf"), 2.5e-8])
        return rng.choice([True, False, None])

    def data(depth=0):
        pick = rng.random()
        if depth > 3 or pick < 0.4:
            return atom()
        if pick < 0.7:
            return {str(atom()): data(depth + 1) for _ in range(rng.randint(0, 4))}
        return [data(depth + 1) for _ in range(rng.randint(0, 4))]

    document = {"root": data()}
    if rng.random() < 0.5:
        text = yaml.safe_dump(document, default_flow_style=rng.choice([False, None, True]), sort_keys=False,
                              allow_unicode=rng.random() < 0.5, width=rng.choice([20, 80, 4096]),
                              default_style=rng.choice([None, None, "'", '"', "|", ">"]))
    else:
        writer = YAML(typ="rt")
        writer.width = rng.choice([20, 80, 4096])
        writer.indent(mapping=rng.choice([2, 4]), sequence=rng.choice([2, 4]), offset=rng.choice([0, 2]))
        out = io.StringIO()
        writer.dump(document, out)
        text = out.getvalue()
    lines = []
    for line in text.split("\n"):
        lines.append(line + (rng.choice(["  # comment", " #"]) if rng.random() < 0.1 else ""))
        if rng.random() < 0.1:
            lines.append(rng.choice(["", "   ", "# a comment line"]))
    text = "\n".join(lines)
    return text.replace("\n", "\r\n") if rng.random() < 0.2 else text


PIECES = ["a", "key", "1", "0o7", "1e3", "-", "- ", ": ", ":", "? ", "[", "]", "{", "}", ", ", "'", '"', "#", " #c",
          "\n", "\n  ", "\n- ", " ", "|", ">", "|-", ">+", "\\", "\\n", "\\x41", "---", "...", "\r\n", "\r", "~",
          "true",
          "yes", "2024-01-31", "\u2028", "\x85", "\ufeff", "é", "%", "@", "!", "&", "*", "<<", "=", "\u3000", "\t"]


def random_text(rng: random.Random) -> str:
    """Lines of YAML's punctuation and words at random indentation under a key: mostly not YAML at all."""
    lines = [" " * rng.choice([0, 1, 2, 4]) + rng.choice(["", "k: ", "- ", "? "])
             + "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(1, 5))]
    return "root:\n" + "\n".join(lines) + "\n"


def test_random_texts_read_fast_read_as_the_round_trip_parse_reads_them():
    """Every difference between the parsers found this way is now left to the round-trip parse (see
    `_read_differently`); the search that found them ran on hundreds of thousands of such texts."""
    rng = random.Random(13)
    documents = [random_document(rng) for _ in range(150)]
    read = sum(read_alike(text) for text in documents)
    assert read > len(documents) // 2  # most valid documents are read fast
    texts = [random_text(rng) for _ in range(400)]
    assert sum(read_alike(text) for text in texts) > 10


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_each_example_is_the_same_deal_read_fast_or_round_trip(name, monkeypatch):
    text = (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8")
    fast = load_text(text, f"{name}.yaml", EXAMPLES)
    as_json = load_text(json.dumps(parse_fast(text)), f"{name}.json", EXAMPLES)
    monkeypatch.setattr(plainyaml, "CParser", None)  # PyYAML without libyaml: the round-trip parse only
    slow = load_text(text, f"{name}.yaml", EXAMPLES)
    assert fast.deal == slow.deal == as_json.deal
    assert fast.input_sha256 == slow.input_sha256 == as_json.input_sha256


def test_a_valid_deal_is_read_without_the_round_trip_parse(monkeypatch, tmp_path):
    def refuse(text, file):
        raise AssertionError("the round-trip parse was used for a valid deal")

    text = yaml.safe_dump(large_deal(200, 50), sort_keys=False)
    (tmp_path / "large.yaml").write_text(text, encoding="utf-8")
    slow = load_deal(tmp_path / "large.yaml")
    monkeypatch.setattr(loading, "_parse_text", refuse)
    fast = load_deal(tmp_path / "large.yaml")
    assert len(fast.deal.patents) == 200
    monkeypatch.undo()
    assert fast.deal == slow.deal and fast.input_sha256 == slow.input_sha256


CN = (EXAMPLES / "cn_licence_special_plan.yaml").read_text(encoding="utf-8")
US = (EXAMPLES / "us_royalty_llc.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("text", [
    CN.replace("  limited_recourse: true", "  limited_recourse: true\n  non_pettion: true"),
    CN.replace("    amount: 85000000", "    amount: eighty-five million"),
    CN.replace("    licensee: minhang", "    licensee: nobody"),
    CN.replace("    expiry_date: 2039-03-11", "    expiry_date: 2020-01-01"),
    CN.replace("    filing_date: 2019-03-11", "    filing_date: 2019-02-30"),
    CN.replace("  - id: haoguang", "  - id: yuanwei"),
    CN.replace("  currency: CNY", "  currency: CNY\n  currency: USD"),
    CN.replace("  currency: CNY", "  currency: [CNY"),
    CN.replace("  currency: CNY", "  currency: !!python/name:os.system CNY"),
    US.replace("[us_patents.csv]", "[missing.csv]"),
    "[1, 2]\n",
], ids=["unknown field", "wrong type", "reference", "expiry", "calendar", "duplicate id", "duplicate key",
        "invalid YAML", "python tag", "schedule", "not a mapping"])
def test_a_deal_with_a_problem_is_reported_as_by_the_round_trip_parse(text, monkeypatch):
    def issues():
        with pytest.raises(DealInputError) as caught:
            load_text(text, "deal.yaml", EXAMPLES)
        return caught.value.issues

    reported = issues()
    assert any(issue.line for issue in reported)
    monkeypatch.setattr(plainyaml, "CParser", None)
    assert reported == issues()
