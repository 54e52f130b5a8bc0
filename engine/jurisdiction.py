"""A jurisdiction as a plug-in: what ipsa must know of it besides its rules and its law as data.

Each package `ipsa.rules.<code>` declares one `JURISDICTION = Jurisdiction(...)` in its `__init__.py`; its rule
modules sit beside it, its instruments, parameters, vehicle forms and lists under `knowledge_base/<code>/`, its
Gherkin features under `features/<code>/`. `jurisdictions()` finds them all at start by scanning the package, so
adding a jurisdiction touches no central list.
"""

from __future__ import annotations

from ipsa.engine.text import N_, msg
import pkgutil
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module


@dataclass(frozen=True)
class FormAssumption:
    """Where a deal in `form` leaves `missing` (a dotted path into the deal) unstated, the memo says `says`."""

    form: str
    missing: str
    says: str


@dataclass(frozen=True)
class Jurisdiction:
    code: str  # ISO 3166 country code, or EU
    name: str  # as a memo names it in English
    order: int = 100  # where it stands in listings (the rulebook, the memo's discussion)
    offices: dict[str, str] = field(default_factory=dict)  # patent office code -> the office's name in a sentence
    registration_decides_transfer: frozenset[str] = frozenset()  # offices where registration is a condition of effect
    regulators: tuple[str, ...] = ()  # codes a deal may name in regulation.filings
    spv_seat: str | None = None  # where a new vehicle of this jurisdiction is formed (e.g. US-DE), if not the country
    form_assumptions: tuple[FormAssumption, ...] = ()
    vehicle_choice_deferred: str | None = None  # why the advisor does not evaluate this jurisdiction's forms itself


class JurisdictionError(RuntimeError):
    """A jurisdiction package is malformed: a packaging defect, not bad user input."""


@cache
def jurisdictions() -> tuple[Jurisdiction, ...]:
    """Every jurisdiction package under ipsa.rules, in listing order."""
    rules = import_module("ipsa.rules")
    found = []
    for info in pkgutil.iter_modules(rules.__path__):
        if not info.ispkg:
            continue
        package = import_module(f"ipsa.rules.{info.name}")
        descriptor = getattr(package, "JURISDICTION", None)
        if not isinstance(descriptor, Jurisdiction):
            raise JurisdictionError(msg("ipsa.rules.{name} declares no JURISDICTION = Jurisdiction(...)", name=info.name))
        if descriptor.code.lower() != info.name:
            raise JurisdictionError(msg("ipsa.rules.{name} declares the code {code!r}", name=info.name, code=descriptor.code))
        found.append(descriptor)
    return tuple(sorted(found, key=lambda j: (j.order, j.code)))


def rule_modules(code: str) -> list[str]:
    """The modules of one jurisdiction's package, each declaring RULES, in name order."""
    package = import_module(f"ipsa.rules.{code.lower()}")
    return [f"{package.__name__}.{info.name}" for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name)
            if not info.ispkg and not info.name.startswith("_")]


def by_code() -> dict[str, Jurisdiction]:
    return {j.code: j for j in jurisdictions()}


def name_of(code: str) -> str:
    known = by_code().get(code)
    return known.name if known else code


# Patent offices ipsa knows by name though no jurisdiction package covers them (their patents are listed as not assessed).
_OTHER_OFFICES = {"DE": N_("the DPMA"), "FR": "INPI", "KR": "KIPO", "TW": "TIPO", "IN": N_("the Indian Patent Office"), "SG": "IPOS",
                  "WO": "WIPO"}


@cache
def office_names() -> dict[str, str]:
    """Patent office code -> the office's name in a sentence ('the USPTO'), every plug-in's offices included."""
    names = dict(_OTHER_OFFICES)
    for jurisdiction in jurisdictions():
        names.update(jurisdiction.offices)
    return names


def registration_decides_transfer() -> frozenset[str]:
    """Offices where registration is a condition of a transfer's effect (not just of priority)."""
    return frozenset(office for j in jurisdictions() for office in j.registration_decides_transfer)


def regulators() -> tuple[str, ...]:
    return tuple(sorted({r for j in jurisdictions() for r in j.regulators})) + ("other",)
