"""The kinds of fact the rules reason on, each with its typed fields.

Base facts are derived from the deal (`ipsa.engine.facts`); conclusions are what rules conclude (`Conclude`) and
always carry `about`, their subject. Rule conditions are checked against these declarations when the rule base
loads, and every fact is checked against its kind when it is built, so a misspelt field or a None fails loudly.
Field types are str, int, float (an int is accepted), bool and list[str].
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Callable, ClassVar, get_type_hints

RESERVED_FIELDS = frozenset({"id", "kind", "text", "rule", "because", "sid"})


class FactKindError(ValueError):
    """A fact or a declaration does not fit the declared kinds."""


_ALLOWED: dict[Any, tuple[type, ...]] = {str: (str,), int: (int,), float: (int, float), bool: (bool,), list[str]: (list,)}


def fits(declared: Any, value: Any) -> bool:
    """True if `value` is of the declared field type."""
    return type(value) in _ALLOWED[declared] and (type(value) is not list or all(type(item) is str for item in value))


def type_name(declared: Any) -> str:
    return declared.__name__ if isinstance(declared, type) else str(declared)


class FactKind:
    """Base of every declared kind: checks each field's type when an instance is built."""

    KIND: ClassVar[str] = ""
    TYPES: ClassVar[dict[str, Any]] = {}
    _CHECKS: ClassVar[tuple[tuple[str, tuple[type, ...]], ...]] = ()  # (field, allowed types)

    def __post_init__(self) -> None:
        values = vars(self)
        for name, allowed in self._CHECKS:  # `fits`, inlined: every derived fact passes here
            value = values[name]
            if type(value) not in allowed or (type(value) is list and not all(type(item) is str for item in value)):
                raise FactKindError(f"{self.KIND}.{name} must be {type_name(self.TYPES[name])}, not {value!r}")


@dataclass
class Conclusion(FactKind):
    """Base of the conclusion kinds: a legal proposition about a subject (a patent, a licence, "deal", ...)."""

    about: str


KINDS: dict[str, type[FactKind]] = {}


def kind(name: str) -> Callable[[type], type]:
    """Declare a fact kind: the class becomes a dataclass registered under `name`."""

    def declare(cls: type) -> type:
        if name in KINDS:
            raise FactKindError(f"fact kind {name!r} is declared twice")
        cls = dataclass(cls)
        types = get_type_hints(cls)
        declared = {f.name: types[f.name] for f in fields(cls)}
        for field_name, field_type in declared.items():
            if field_name in RESERVED_FIELDS:
                raise FactKindError(f"fact kind {name!r} declares the reserved field {field_name!r}")
            if field_type not in _ALLOWED:
                raise FactKindError(f"{name}.{field_name}: type {field_type!r} is not one a fact can hold")
        cls.KIND, cls.TYPES = name, declared
        cls._CHECKS = tuple((field_name, _ALLOWED[field_type]) for field_name, field_type in declared.items())
        KINDS[name] = cls
        return cls

    return declare


def fields_of(name: str) -> dict[str, Any] | None:
    """The declared fields of kind `name` and their types, or None if no kind has that name."""
    cls = KINDS.get(name)
    return None if cls is None else cls.TYPES


def as_fact(instance: FactKind, key: str, text: str) -> dict[str, Any]:
    """The fact the engine sees: a unique id, the kind, its statement in a lawyer's words and the fields."""
    return {"id": f"{instance.KIND}:{key}", "kind": instance.KIND, "text": text, **vars(instance)}


def check_conclusion(name: str, about: str, data: dict[str, Any]) -> None:
    """Raise FactKindError unless `data` (with `about`) is exactly an instance of the conclusion kind `name`."""
    cls = KINDS.get(name)
    if cls is None or not issubclass(cls, Conclusion):
        raise FactKindError(f"{name!r} is not a declared conclusion kind")
    expected = set(cls.TYPES) - {"about"}
    if set(data) != expected:
        missing, extra = sorted(expected - set(data)), sorted(set(data) - expected)
        raise FactKindError(f"conclusion {name!r}" + (f" lacks {missing}" if missing else "")
                            + (f" has undeclared {extra}" if extra else ""))
    cls(about=about, **data)


# -- base facts ------------------------------------------------------------------------------------------------------

@kind("spv")
class Spv(FactKind):
    """The SPV: its form, manager, ownership, board and covenants, and its tax position."""

    party: str
    form: str
    country: str
    manager: str
    manager_type: str
    manager_in_originator_group: bool
    originator_controls: bool
    originator_equity: float
    originator_board_share: float
    directors: int
    independent_directors: int
    separateness: str  # yes, no or unstated, like the other covenants
    non_petition: str
    limited_recourse: str
    activities_limited: str
    orphan: str
    originator_nominated_directors: int
    guarantees_affiliate_debt: str
    tax_residence: str
    entity_classification: str
    payout_ratio: float  # -1 if unstated
    note_classes: int
    seniority_levels: int
    form_jurisdiction: str
    form_available: bool
    non_consolidation_opinion: bool  # an opinion under an originator's country's law is recorded


@kind("title_link")
class TitleLink(FactKind):
    """One transfer in a pooled patent's chain of title, and whether it is registered."""

    patent: str
    patent_number: str
    office: str
    transfer: str
    method: str
    from_party: str
    to_party: str
    position: int
    registered: bool
    to_spv: bool
    days_since: int
    days_to_registration: int  # -1 if unregistered


@kind("pool_patent")
class PoolPatent(FactKind):
    """A pooled patent: how it reaches the SPV (route), its chain and its term."""

    patent: str
    patent_number: str
    office: str
    status: str
    route: str  # title, licence, pledge or royalties_only
    links: int
    all_registered: bool
    in_trust: bool
    record_owner_is_originator: bool
    expiry: str  # ISO date or unstated
    legal_final: str
    expires_before_final: bool


@kind("royalty_flow")
class RoyaltyFlow(FactKind):
    """Royalties under one pooled licence: who pays whom, through whose account, and their tax position."""

    licence: str
    licensor: str
    licensee: str
    payer_country: str
    payee: str
    payee_country: str
    cross_border: bool
    via_originator: bool
    to_spv: bool
    licensor_in_originator_group: bool
    receivables_sold: bool
    notified: bool
    perfection_registries: list[str]
    treaty_rate: float  # -1 if no treaty rate is given
    treaty: str
    gross_up: str
    expected_annual: float
    account_holder_country: str
    licensor_country: str
    patent_offices: list[str]
    payer_in_eu: bool
    payee_in_eu: bool
    payer_payee_associated: bool
    recorded_offices: list[str]
    exclusive: bool
    licence_right: str  # exclusive_right, non_exclusive_right or unstated (JP senyo / tsujo jisshiken)
    territory_countries: list[str]  # where the licensee may use the patents
    licensor_insolvent: bool  # proceedings actually opened, not the hypothetical every deal is tested against
    licensor_insolvency_country: str  # where those proceedings are pending; none if none are open
    licensee_insolvent: bool


@kind("receivable")
class Receivable(FactKind):
    """Royalty receivables under one licence sold to the SPV, with notice and perfection."""

    licence: str
    licensee: str
    payer_country: str
    transfer: str
    notified: bool
    to_spv: bool
    perfection_registries: list[str]
    notice_certified: bool
    seller_country: str


@kind("loan_receivable")
class LoanReceivable(FactKind):
    """A loan or finance lease secured on IP whose repayments were sold to the SPV: the borrower's notice and the
    registration of the IP pledge that secures it."""

    loan: str
    loan_kind: str  # loan or finance_lease
    borrower: str
    borrower_country: str
    transfer: str
    notified: bool
    seller_country: str
    collateral_count: int
    collateral_offices: list[str]  # offices of the pledged patents and registered IP
    pledge_registered: str  # yes, no or unstated
    to_spv: bool  # repayments are paid into an account held by the SPV


@kind("transfer")
class Transfer(FactKind):
    """A transfer to the SPV: method, price, recourse and who keeps the cash."""

    transfer: str
    method: str
    from_party: str
    from_originator: bool
    recourse: str
    repurchase: bool
    price_ratio: float  # price over appraised value; -1 if either is unknown
    days_before_as_of: int
    patents: list[str]
    receivables: list[str]
    patent_offices: list[str]
    price: float  # -1 if unstated
    seller_country: str
    collections_via_seller: bool
    seller_services: bool
    title_passes: bool
    receivables_only: bool
    true_sale_opinion: bool  # a true-sale opinion under the seller's country's law covers it
    seller_insolvent: bool
    seller_insolvency_opened: str  # YYYY-MM-DD, or none


@kind("concentration")
class Concentration(FactKind):
    """How concentrated the expected royalties are along one dimension (licensee, family, technology)."""

    dimension: str
    hhi: float
    top_share: float
    top_name: str
    count: int


@kind("role_conflict")
class RoleConflict(FactKind):
    """A party holding roles that conflict."""

    party: str
    conflict: str


@kind("servicing")
class Servicing(FactKind):
    """Who services the pool, with or without a backup, and how fast collections reach the SPV."""

    servicer: str
    servicer_country: str
    servicer_in_originator_group: bool
    backup: bool
    sweep_days: int  # -1 if unstated
    collections_via_originator: int


@kind("offering")
class Offering(FactKind):
    """The notes' offering, investors, filings, retention and reporting."""

    offering: str
    exchange: str
    investor_types: list[str]
    investor_count: int  # -1 if unstated
    spv_form: str
    spv_country: str
    established: str  # ISO date or unstated
    amac_filed: bool
    amac_working_days: int
    working_days_since_established: int
    working_days_provisional: bool  # the count reaches a year whose official holiday schedule is not yet held
    pooled_licences: int
    pooled_patents: int
    contracted_royalties: float
    pooled_loans: int  # loans and leases secured on IP whose repayments back the notes
    investor_jurisdictions: list[str]
    eu_investors: bool
    uk_investors: bool
    originator_in_eu: bool
    originator_in_uk: bool
    tranched: bool
    retention_holder: str
    retention_holder_role: str
    retention_share: float  # -1 if no retention is stated
    retention_form: str
    reporting_entity: str
    regulators_filed: list[str]
    asset_liquidation_plan: str
    public: bool
    all_notes_rated: bool
    all_notes_wrapped: bool


@kind("originator")
class Originator(FactKind):
    """An originator: where it is and what kind of entity."""

    party: str
    name: str
    country: str
    entity_type: str
    private: bool
    insolvent: bool
    insolvency_opened: str  # YYYY-MM-DD, or none


@kind("risk")
class Risk(FactKind):
    """The risk core's results: default probability, coverage, guarantor dependence, patent life against tenor."""

    spv_form: str
    spv_country: str
    senior_pd: float
    senior_pd_se: float
    target_pd: float
    senior_el: float
    dscr_min_p5: float
    dscr_min_p50: float
    guarantor_dependence: float
    guarantor_stressed_pd: float
    largest_licensee_stressed_pd: float
    residual_life_years: float
    tenor_years: float
    excluded_patents: int
    top_licensee_share: float
    paths: int
    stress_paths: int  # the paths the named stresses ran on (0: none ran); their standard errors are over these


# -- conclusions -----------------------------------------------------------------------------------------------------

@kind("transfer_not_effective")
class TransferNotEffective(Conclusion):
    """A transfer of the patent `about` has not taken effect (registration is a condition of effect)."""

    office: str
    patent_number: str
    transfer: str


@kind("spv_lacks_title")
class SpvLacksTitle(Conclusion):
    """The SPV does not hold title to the patent `about`."""

    office: str
    patent_number: str
    transfer: str


@kind("trust_may_have_no_effect")
class TrustMayHaveNoEffect(Conclusion):
    """The trust over the patent `about` may have no effect."""

    office: str
    patent_number: str


@kind("assignment_not_binding_on_licensee")
class AssignmentNotBindingOnLicensee(Conclusion):
    """The assignment of royalties under the licence `about` does not yet bind the licensee."""

    licensee: str
    payer_country: str


@kind("sale_may_be_loan")
class SaleMayBeLoan(Conclusion):
    """The transfer `about` carries features of a secured loan."""

    country: str
    indicators: int


@kind("sale_of_accounts_unperfected")
class SaleOfAccountsUnperfected(Conclusion):
    """The sale of royalties under the licence `about` is not perfected."""

    transfer: str


@kind("securitisation_in_scope")
class SecuritisationInScope(Conclusion):
    """The deal is a securitisation under `regime` (EU or GB)."""

    regime: str


@kind("due_diligence_gap")
class DueDiligenceGap(Conclusion):
    """A duty investors must verify (`about`: retention or transparency) is not met under `regime`."""

    regime: str
