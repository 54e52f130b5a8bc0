"""Law as data: instruments with their articles, dated parameters and vehicle forms.

Everything a memo cites is rendered from here, never typed into a template. The YAML files beside this module
are validated on first use; a malformed knowledge base stops the process with the file and field at fault.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from ruamel.yaml import YAML

from ipsa.engine.plainyaml import plain_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Article(_Strict):
    """An article ipsa relies on: its gist in ipsa's words and, once its text was read at an official or
    authoritative source, where (`source`), which version or on what date (`read`) and its operative words in the
    original language (`quote`). Otherwise `unverified_reason` says why it could not be read."""

    gist: str
    verified: bool = False
    source: str | None = None
    read: str | None = None
    quote: str | None = None
    unverified_reason: str | None = None

    def lacks_evidence(self) -> bool:
        """A verified article must name its source, the version or date read and quote its operative words."""
        return self.verified and not (self.source and self.read and self.quote)


InstrumentKind = Literal[
    "statute", "regulation", "notice", "self_regulatory_rule", "case", "policy", "guidance", "treaty",
    "market_practice",  # rating criteria, opinion practice: cited as practice, never as law
]


class Instrument(_Strict):
    id: str = Field(pattern=r"^[A-Z]{2}(-[A-Z0-9]+)+$")
    jurisdiction: str
    kind: InstrumentKind
    title_original: str
    title_en: str
    year: int
    version: str | None = None
    status: Literal["in_force", "superseded", "repealed", "policy"]
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    source: str
    checked: str
    articles: dict[str, Article] = {}
    successor: str | None = None  # the instrument that replaced it, where one did
    unverified_reason: str | None = None  # why a rule cites it as a whole rather than a verified article

    def in_force_on(self, day: dt.date) -> bool:
        starts = self.effective_from is None or self.effective_from <= day
        ends = self.effective_to is None or day <= self.effective_to
        return starts and ends


class CitationRef(_Strict):
    """A pointer into the knowledge base: an instrument, optionally one of its articles."""

    instrument: str
    article: str | None = None


class ResolvedCitation(_Strict):
    """A citation with everything a memo prints. `verified` is true only for an article whose text was read."""

    instrument: str
    article: str | None
    title_en: str
    title_original: str
    year: int
    source: str
    gist: str | None
    verified: bool
    quote: str | None = None  # the article's operative words in the original language, where read
    read: str | None = None  # the version or date read
    unverified_reason: str | None = None

    @property
    def label(self) -> str:
        """"Title, Art. 18-201" for a numbered provision; "Title, holding" for a named part (a case's holding, a
        practice topic), which no one would call an article."""
        if not self.article:
            return self.title_en
        return f"{self.title_en}, Art. {self.article}" if self.article[0].isdigit() else f"{self.title_en}, {self.article}"


class DatedValue(_Strict):
    from_: dt.date = Field(alias="from")
    value: float
    until: dt.date | None = None
    reference: CitationRef
    note: str | None = None


class Parameter(_Strict):
    id: str
    jurisdiction: str
    description: str
    unit: Literal["rate", "days", "months", "working_days", "count", "money"]
    values: list[DatedValue] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> "Parameter":
        starts = [v.from_ for v in self.values]
        if starts != sorted(starts) or len(set(starts)) != len(starts):
            raise ValueError(f"parameter {self.id}: values must be in strictly increasing date order")
        for earlier, later in zip(self.values, self.values[1:]):
            if earlier.until is not None and earlier.until >= later.from_:
                raise ValueError(f"parameter {self.id}: value from {earlier.from_} overlaps the one from {later.from_}")
        return self

    def value_on(self, day: dt.date) -> DatedValue | None:
        """The value in force on `day`, or None where the law sets none then."""
        current = None
        for candidate in self.values:
            if candidate.from_ <= day:
                current = candidate
        if current is None or (current.until is not None and day > current.until):
            return None
        return current


class DatedMembership(_Strict):
    from_: dt.date = Field(alias="from")
    members: list[str]
    reference: CitationRef
    verified: bool = False
    note: str | None = None


class JurisdictionList(_Strict):
    """A list the law incorporates by reference (e.g. the EU tax list), dated like a parameter."""

    id: str
    description: str
    values: list[DatedMembership] = Field(min_length=1)

    def value_on(self, day: dt.date) -> DatedMembership | None:
        current = None
        for candidate in self.values:
            if candidate.from_ <= day:
                current = candidate
        return current


class VehicleForm(_Strict):
    id: str
    jurisdiction: str
    name: str
    kind: Literal["company", "trust", "plan", "fund", "partnership"]
    available: bool
    legal_basis: list[CitationRef]
    manager_types: list[str]
    summary: str
    reason: str | None = None
    steps: list[str] = []  # regulatory and formation steps the form requires, as the rule base states them
    investors: str = ""  # who can buy its securities
    tested: bool = True  # false where the law offers the form but it has not been used for such assets


class KnowledgeBaseError(RuntimeError):
    """The bundled knowledge base is malformed: a packaging defect, not bad user input."""


class KnowledgeBase:
    """The loaded, cross-checked knowledge base."""

    def __init__(self, instruments: list[Instrument], parameters: list[Parameter], vehicles: list[VehicleForm], digest: str,
                 lists: list[JurisdictionList] = ()):
        self.instruments = {i.id: i for i in instruments}
        self.lists = {item.id: item for item in lists}
        self.parameters = {p.id: p for p in parameters}
        self.vehicles = {v.id: v for v in vehicles}
        self.digest = digest
        if len(self.instruments) != len(instruments):
            raise KnowledgeBaseError("duplicate instrument id in the knowledge base")
        for ref in [*(v.reference for p in parameters for v in p.values), *(r for v in vehicles for r in v.legal_basis),
                    *(v.reference for item in lists for v in item.values)]:
            self.resolve(ref)

    def resolve(self, ref: CitationRef) -> ResolvedCitation:
        instrument = self.instruments.get(ref.instrument)
        if instrument is None:
            raise KnowledgeBaseError(f"citation names unknown instrument {ref.instrument!r}")
        article = None
        if ref.article is not None:
            article = instrument.articles.get(ref.article)
            if article is None:
                raise KnowledgeBaseError(f"citation names article {ref.article} that {ref.instrument} does not hold")
        return ResolvedCitation(
            instrument=instrument.id,
            article=ref.article,
            title_en=instrument.title_en,
            title_original=instrument.title_original,
            year=instrument.year,
            source=(article.source if article and article.source else instrument.source),
            gist=article.gist if article else None,
            verified=bool(article and article.verified),
            quote=article.quote if article else None,
            read=article.read if article else None,
            unverified_reason=None if article and article.verified else (
                (article.unverified_reason if article else None) or instrument.unverified_reason
                or ("cited as a whole: no article is named" if article is None else "its text has not been read at a source")),
        )

    def parameter(self, parameter_id: str, day: dt.date) -> DatedValue | None:
        try:
            return self.parameters[parameter_id].value_on(day)
        except KeyError:
            raise KnowledgeBaseError(f"unknown parameter {parameter_id!r}") from None

    def vehicles_in(self, jurisdiction: str) -> list[VehicleForm]:
        return [v for v in self.vehicles.values() if v.jurisdiction == jurisdiction]


def _read_yaml_list(name: str) -> tuple[list, bytes]:
    """A file's items and bytes: read by libyaml where the file is in the plain subset of YAML 1.2 both parsers read
    alike (a tenth of ruamel's time, which was a tenth of a typical run), else by ruamel."""
    raw = resources.files(__package__).joinpath(name).read_bytes()
    data = plain_yaml(raw.decode("utf-8"), list)
    if data is None:
        data = YAML(typ="safe").load(raw)
    if not isinstance(data, list):
        raise KnowledgeBaseError(f"knowledge_base/{name}: expected a list")
    return data, raw


def _validated(model: type[BaseModel], items: list, name: str) -> list:
    out = []
    for index, item in enumerate(items):
        try:
            out.append(model.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise KnowledgeBaseError(f"knowledge_base/{name}[{index}].{where}: {first['msg']}") from None
    return out


# The files a jurisdiction's folder (knowledge_base/<code>/) may hold, each a YAML list of one model.
FILES: dict[str, type[BaseModel]] = {
    "instruments.yaml": Instrument, "parameters.yaml": Parameter, "vehicles.yaml": VehicleForm, "lists.yaml": JurisdictionList,
}


@cache
def load() -> KnowledgeBase:
    """Load and validate the bundled knowledge base once per process: every jurisdiction folder's files."""
    digest = hashlib.sha256()
    found: dict[str, list] = {name: [] for name in FILES}
    root = resources.files(__package__)
    for folder in sorted((entry for entry in root.iterdir() if entry.is_dir() and not entry.name.startswith("_")),
                         key=lambda entry: entry.name):
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith(".yaml"):
                continue
            if entry.name not in FILES:
                raise KnowledgeBaseError(f"knowledge_base/{folder.name}/{entry.name}: expected one of {', '.join(FILES)}")
            name = f"{folder.name}/{entry.name}"
            items, raw = _read_yaml_list(name)
            digest.update(name.encode() + b"\0" + raw)
            found[entry.name].extend(_validated(FILES[entry.name], items, name))
    return KnowledgeBase(found["instruments.yaml"], found["parameters.yaml"], found["vehicles.yaml"], digest.hexdigest(),
                         found["lists.yaml"])
