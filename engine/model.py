"""The deal description a lawyer writes: parties, patents, licences, transfers, the SPV, notes and regulation.

Validated by pydantic v2. Unknown fields are rejected (a typo must not pass silently), amounts must be finite and
within sane bounds, and cross-references (ids) are checked in `engine.loading` after the shape is valid, so that
every message can name the file, line and field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints

from ipsa.engine.jurisdiction import office_names, regulators
from ipsa.knowledge_base import load as load_knowledge_base

SCHEMA_VERSION = 1

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")]
# Characters that would corrupt a memo or a terminal: C0 controls and DEL (ANSI escapes start with ESC, a NUL breaks
# the Word file) and the invisible bidirectional controls that reorder what a reader sees (a "Trojan source" name).
_BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def printable(value: str, newlines: bool) -> str:
    """`value` if it holds no control character (line breaks and tabs only where `newlines`) and no invisible direction
    control; else ValueError saying which (the deal's names and the workspace's fields share this rule)."""
    for ch in value:
        code = ord(ch)
        if ch in _BIDI:
            raise ValueError(f"contains the invisible direction control U+{code:04X}; remove it")
        if (code < 32 and not (newlines and ch in "\n\t")) or code == 127:
            what = "a line break" if ch in "\r\n" else f"the control character U+{code:04X}"
            raise ValueError(f"contains {what}; " + ("text may hold line breaks and tabs but no other control characters"
                                                        if newlines else "a name must be one line of printable text"))
    return value


Text = Annotated[str, StringConstraints(min_length=1, max_length=2000), AfterValidator(lambda v: printable(v, True))]
# Names and titles appear in headings, tables, file metadata and the terminal: one line, at most 300 characters.
Name = Annotated[str, StringConstraints(min_length=1, max_length=300), AfterValidator(lambda v: printable(v, False))]
# ISO 3166-1 alpha-2, optionally with a subdivision (US-DE), or EU for the Union as a whole.
Jurisdiction = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")]
# Patent offices, regulators and vehicle forms come from the jurisdiction packages and the knowledge base, so that a
# new jurisdiction adds its own without editing this file; they stay enumerations in the JSON Schema.
Office = Literal[tuple(sorted(office_names()))]  # type: ignore[valid-type]
Regulator = Literal[regulators()]  # type: ignore[valid-type]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Money = Annotated[float, Field(ge=0, le=1e15, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Rating = Literal[
    "AAA", "AA+", "AA", "AA-", "A+", "A", "A-", "BBB+", "BBB", "BBB-", "BB+", "BB", "BB-",
    "B+", "B", "B-", "CCC", "CC", "C", "D", "NR",
]
Role = Literal[
    "originator", "spv", "trustee", "manager", "servicer", "backup_servicer", "licensee", "investor",
    "guarantor", "insurer", "account_bank", "custodian", "arranger", "licensor", "sponsor",
]
EntityType = Literal[
    "company", "llc", "statutory_trust", "securities_company", "fund_management_subsidiary",
    "fund_management_company", "trust_company", "trust_bank", "bank", "insurer", "university",
    "research_institute", "government_entity", "charitable_trust", "individual", "partnership", "fund", "trust",
]
VehicleFormId = Literal[tuple(load_knowledge_base().vehicles)]  # type: ignore[valid-type]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class DealInfo(Strict):
    name: Name
    as_of: dt.date = Field(description="Date the law is applied as of; overridable with --as-of")
    governing_law: Jurisdiction = Field(description="Law governing the transaction documents")
    currency: Currency
    client: Name
    counsel: Name
    closing_date: dt.date | None = None


class Holding(Strict):
    owner: Id = Field(description="Party that owns the share")
    share: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]


class Director(Strict):
    name: Name
    independent: bool = False
    nominated_by: Id | None = Field(default=None, description="Party that nominated the director")


class Insolvency(Strict):
    """Insolvency proceedings actually opened against a party (every deal is also tested against a hypothetical one)."""

    kind: Literal["liquidation", "reorganisation", "rehabilitation", "other"]
    opened: dt.date = Field(description="Date the court opened the proceedings")
    jurisdiction: Jurisdiction = Field(description="Where the proceedings are pending")


class Party(Strict):
    id: Id
    name: Name
    roles: list[Role] = Field(min_length=1)
    jurisdiction: Jurisdiction
    entity_type: EntityType = "company"
    rating: Rating | None = None
    default_probability: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] | None = Field(
        default=None, description="Annual probability of default"
    )
    owners: list[Holding] = []
    directors: list[Director] = []
    tax_residence: Jurisdiction | None = Field(default=None, description="Defaults to the jurisdiction")
    insolvency: Insolvency | None = Field(default=None, description="Proceedings actually opened against the party")


class Challenge(Strict):
    kind: Literal["invalidation", "opposition", "inter_partes_review", "reexamination", "infringement_litigation"]
    forum: Text | None = None
    filed: dt.date | None = None
    status: Literal["pending", "claims_upheld", "claims_cancelled", "settled"] = "pending"


class Encumbrance(Strict):
    kind: Literal["pledge", "security_interest", "lien", "exclusive_licence", "other"]
    holder: Id | None = None
    registered: bool = False
    released: bool = False


class Patent(Strict):
    id: Id
    office: Office
    number: Text
    title: Name
    owner: Id = Field(description="Owner of record before the deal's transfers")
    status: Literal["granted", "pending", "lapsed", "expired", "revoked"]
    filing_date: dt.date
    grant_date: dt.date | None = None
    expiry_date: dt.date | None = None
    maintenance: Literal["paid", "due", "in_grace", "unpaid"] = "paid"
    challenges: list[Challenge] = []
    encumbrances: list[Encumbrance] = []
    family: Text | None = None
    technology: Text | None = Field(default=None, description="Technology class, e.g. an IPC or CPC class")
    claims: Annotated[int, Field(ge=1, le=10000)] | None = None
    invalidation_hazard: Share | None = Field(
        default=None, description="Annual probability that the patent is held invalid, where counsel or the analyst "
        "has assessed it (0 for a patent beyond challenge); none: ipsa's default from litigation rates")


class OtherIP(Strict):
    """Copyrights (music, film, software), trademarks and other IP; a licence may carry royalties on them."""

    id: Id
    kind: Literal["trademark", "copyright", "design", "trade_secret"]
    office: Text | None = None
    number: Text | None = None
    title: Name
    owner: Id
    expiry_date: dt.date | None = Field(
        default=None, description="End of the copyright term, or of the trademark registration's current term")
    renewable: bool = Field(
        default=False, description="A registration renewed at each term's end (trademarks, every ten years)")
    category: Text | None = Field(
        default=None, description="Genre, catalogue or product class: groups assets for correlation like a patent's "
        "technology class")


class Royalty(Strict):
    rate: Share | None = Field(default=None, description="Share of the royalty base")
    base: Literal["net_sales", "units", "fixed"] = "net_sales"
    expected_annual_base: Money | None = Field(default=None, description="Licensee's expected annual net sales or units")
    unit_royalty: Money | None = None
    fixed_amount: Money | None = Field(default=None, description="Fixed payment per period")
    minimum_annual: Money | None = None
    frequency: Literal["monthly", "quarterly", "semiannual", "annual"] = "quarterly"
    payment_lag_days: Annotated[int, Field(ge=0, le=365)] = Field(
        default=0, description="Days after each royalty period's end that the licensee pays")


class RoyaltyPayment(Strict):
    period_end: dt.date
    amount: Money


class Licence(Strict):
    id: Id
    licensor: Id
    licensee: Id
    patents: list[Id] = []
    other_ip: list[Id] = Field(default=[], description="Copyrights, trademarks and other IP the licence covers")
    exclusive: bool = False
    right: Literal["exclusive_right", "non_exclusive_right"] | None = Field(
        default=None, description="Where the law distinguishes the kind of licence right: an exclusive right that takes "
        "effect on registration (JP senyo jisshiken) or a non-exclusive right (JP tsujo jisshiken)")
    territory: list[Jurisdiction] = Field(min_length=1, description="Where the licensee may use the patents")
    start: dt.date
    end: dt.date
    royalty: Royalty
    recorded_with: list[Office] = Field(default=[], description="Patent offices where the licence is recorded")
    pays_to: Id | None = Field(default=None, description="Account into which the licensee pays royalties")
    sublicence_of: Id | None = Field(default=None, description="Head licence this one sublicenses")
    history: list[RoyaltyPayment] = []
    pool_share: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] | None = Field(
        default=None, description="Share of the licence's royalties that backs the notes where co-owners split them "
        "(history records the whole payment); none: all of it")


class Loan(Strict):
    """A loan or finance lease secured on IP (a pledge of patents, trademarks or copyrights): the receivable is its
    scheduled repayments; when the borrower defaults, the collateral is enforced and recovers part of what is owed."""

    id: Id
    lender: Id = Field(description="The originator that made the loan or lease")
    borrower: Id
    kind: Literal["loan", "finance_lease"] = "loan"
    principal: Money = Field(description="Principal outstanding at the deal's as-of date")
    rate: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] = Field(description="Annual interest rate")
    start: dt.date
    maturity: dt.date
    amortisation: Literal["equal_principal", "annuity", "bullet"] = "equal_principal"
    frequency: Literal["monthly", "quarterly", "semiannual", "annual"] = "quarterly"
    collateral_patents: list[Id] = []
    collateral_other_ip: list[Id] = []
    pledge_registered: bool | None = Field(
        default=None, description="The pledge of the IP is registered with its office (CNIPA for patents and marks)")
    collateral_value: Money | None = Field(default=None, description="Appraised value of the pledged IP")
    recovery_rate: Share | None = Field(
        default=None, description="Share of the collateral's value realised on enforcement; none: ipsa's default")
    recovery_months: Annotated[int, Field(ge=0, le=120)] = Field(
        default=18, description="Months from the borrower's default to the recovery")
    pays_to: Id | None = None


class Registration(Strict):
    office: Office
    date: dt.date


class Notice(Strict):
    party: Id = Field(description="Licensee or obligor notified")
    date: dt.date
    acknowledged: bool = False
    certified_date: bool = Field(
        default=False, description="Notice or consent given by an instrument bearing a certified date (JP Civil Code Art 467(2))"
    )


class PerfectionFiling(Strict):
    registry: Literal["ucc", "pboc_receivables_registry", "jp_claims_assignment_registry", "vn_security_registry", "other"]
    jurisdiction: Jurisdiction
    date: dt.date


class Transfer(Strict):
    id: Id
    from_party: Id = Field(alias="from")
    to: Id
    method: Literal["assignment", "sale", "licence", "sublicence", "pledge", "trust_settlement", "sale_and_leaseback"]
    patents: list[Id] = []
    receivables: list[Id] = Field(default=[], description="Licences whose royalty receivables, or loans whose "
                                  "repayments, are transferred")
    date: dt.date
    price: Money | None = None
    appraised_value: Money | None = None
    recourse: Literal["none", "limited", "full"] = "none"
    repurchase_obligation: bool = False
    registrations: list[Registration] = []
    notices: list[Notice] = []
    perfection_filings: list[PerfectionFiling] = []


class SPV(Strict):
    party: Id
    form: VehicleFormId
    jurisdiction: Jurisdiction
    manager: Id | None = Field(default=None, description="Plan manager or trustee, where the form has one")
    separateness_covenants: bool | None = None
    non_petition: bool | None = None
    limited_recourse: bool | None = None
    activities_limited: bool | None = Field(default=None, description="Constitutional documents limit it to the deal")
    orphan: bool | None = Field(default=None, description="Shares held on charitable trust, not by the originator")
    guarantees_affiliate_debt: bool | None = Field(
        default=None, description="The SPV guarantees or secures debts of the originator's group"
    )


class NoteClass(Strict):
    id: Id
    amount: Annotated[float, Field(gt=0, le=1e15, allow_inf_nan=False)]
    coupon: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
    seniority: Annotated[int, Field(ge=1, le=20)] = Field(description="1 is the most senior")
    amortisation: Literal["sequential", "pro_rata", "bullet", "pass_through"] = "sequential"
    legal_final: dt.date
    expected_maturity: dt.date | None = None
    target_rating: Rating | None = None
    listing: Text | None = None
    investor_type: Literal["qualified", "institutional", "professional", "retail"] = "qualified"
    residual: bool = Field(
        default=False, description="The residual (equity, 次级) class: owed no coupon or principal; receives what is "
        "left after every other step of the waterfall; at most one, the most junior")
    floating_over: Id | None = Field(
        default=None, description="Rate curve (rate_curves[].id) the coupon floats over; `coupon` is then the margin")
    day_count: Literal["30/360", "act/360", "act/365"] = Field(
        default="30/360", description="Accrual convention of the interest of each period")
    outstanding: Annotated[float, Field(ge=0, le=1e15, allow_inf_nan=False)] | None = Field(
        default=None, description="Balance outstanding at the as-of date of a seasoned deal; none: `amount`, as issued")
    commitment: Money | None = Field(
        default=None, description="A variable funding note: the most it may be drawn to; `amount` is drawn at closing "
        "and further draws fund purchases during the revolving period")


class ReserveAccount(Strict):
    target_amount: Money | None = None
    target_months_interest: Annotated[float, Field(ge=0, le=60, allow_inf_nan=False)] | None = None
    funded_at_close: Money = 0
    balance: Money | None = Field(
        default=None, description="Balance at the as-of date of a seasoned deal; none: the amount funded at closing")
    account: Id | None = None


class Wrap(Strict):
    provider: Id
    kind: Literal["insurance", "guarantee", "surety"]
    covers: list[Id] = Field(min_length=1, description="Note classes covered")
    limit: Money | None = None
    premium_rate: Share | None = None


class Trigger(Strict):
    """A covenant test and what a breach does. `dscr` is the period's collections less wrap premiums and senior fees
    over the period's interest at the coupon and scheduled principal."""

    test: Literal["dscr", "royalty_vs_forecast"]
    threshold: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
    periods: Annotated[int, Field(ge=1, le=40)] = Field(default=1, description="Periods below the threshold to breach")
    consequence: Literal["rapid_amortisation", "cash_trap", "sequential_switch", "interest_deferral"]
    trap_share: Share | None = None
    applies_to: list[Id] = Field(
        default=[], description="Note classes an interest deferral applies to (required for interest_deferral)")
    lookback_periods: Annotated[int, Field(ge=1, le=12)] = Field(
        default=1, description="Periods the test sums over, the most recent last (e.g. 4: the trailing four quarters)")
    cure_periods: Annotated[int, Field(ge=1, le=40)] | None = Field(
        default=None, description="Periods at or above the threshold that cure a breach; none: a rapid amortisation "
        "never cures, the other consequences cure at the first period passing")


class CreditEnhancement(Strict):
    reserve: ReserveAccount | None = None
    overcollateralisation: Annotated[float, Field(ge=1, le=100, allow_inf_nan=False)] | None = Field(
        default=None, description="Ratio the documents require of the present value of the royalties still to come "
        "(at the notes' coupon) to the debt notes outstanding, e.g. 1.15; below it, cash left after scheduled "
        "principal pays principal until the ratio is restored")
    wraps: list[Wrap] = []
    triggers: list[Trigger] = []


class Fee(Strict):
    """An expense of the issuer paid from collections ahead of the notes: trustee, servicer, administrator."""

    id: Id
    payee: Id
    kind: Literal["trustee", "servicer", "administrator", "paying_agent", "rating_agency", "other"]
    annual_rate: Share | None = Field(default=None, description="A year's fee as a share of the debt notes outstanding")
    annual_amount: Money | None = Field(default=None, description="A fixed fee a year")
    cap_per_year: Money | None = Field(
        default=None, description="Most paid a year at the senior step; the rest is paid after the notes")


class RatePoint(Strict):
    start: dt.date = Field(description="The rate applies to periods beginning on or after this date")
    rate: Annotated[float, Field(ge=-0.05, le=1, allow_inf_nan=False)]


class RateCurve(Strict):
    """A reference rate (SOFR, TONA, the LPR) as a step curve: each point applies until the next; flat after the last."""

    id: Id
    name: Name
    points: list[RatePoint] = Field(min_length=1)


class Revolving(Strict):
    """A revolving period: until `until` the cash that would amortise the notes buys further receivables of the
    kind in the pool (royalty interests, IP-secured loans), which pay level amounts at `eligible_yield` over
    `eligible_term_years`; a breached rapid-amortisation covenant ends it early."""

    until: dt.date
    eligible_yield: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] = Field(
        description="Annual yield of the receivables bought (their level payments repay the price with this return)")
    eligible_term_years: Annotated[float, Field(gt=0, le=30, allow_inf_nan=False)]
    purchases_per_period: Money | None = Field(
        default=None, description="Receivables to buy each period; where collections fall short, the variable "
        "funding note is drawn for the rest. None: all available principal collections are reinvested")
    variable_funding_note: Id | None = Field(default=None, description="The class drawn to fund purchases")


class WaterfallStep(Strict):
    """One step of the priority of payments, in the documents' order (see ipsa.engine.risk.waterfall)."""

    pay: Literal["premiums", "senior_fees", "interest", "reserve", "principal", "overcollateralisation",
                 "subordinated_fees", "residual"]
    classes: list[Id] = Field(
        default=[], description="Interest or principal: the classes this step pays (pari passu where of equal "
        "seniority, else by seniority); empty: every debt class")


class Account(Strict):
    id: Id
    holder: Id = Field(description="Party in whose name the account is held")
    bank: Id | None = None
    kind: Literal["collection", "reserve", "distribution", "operating"]
    pledged_to: Id | None = None


class Servicing(Strict):
    servicer: Id
    backup_servicer: Id | None = None
    sweep_days: Annotated[int, Field(ge=0, le=365)] | None = Field(
        default=None, description="Days collections may sit with the servicer before they are swept"
    )


class Filing(Strict):
    regulator: Regulator
    kind: Text
    date: dt.date | None = None
    status: Literal["made", "pending", "not_made"] = "made"


class RiskRetention(Strict):
    holder: Id
    share: Share
    form: Literal["vertical", "horizontal", "l_shaped", "seller_share", "first_loss"]


class Regulation(Strict):
    offering: Literal["public", "private_placement", "rule_144a", "reg_s", "exchange_listed_private"]
    exchange: Text | None = None
    established: dt.date | None = Field(default=None, description="Date the plan or vehicle was established")
    filings: list[Filing] = []
    risk_retention: RiskRetention | None = None
    investor_count: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    investor_jurisdictions: list[Jurisdiction] = Field(
        default=[], description="Where the note investors are established (EU or UK investors engage their due-diligence rules)"
    )
    reporting_entity: Id | None = Field(
        default=None, description="Party designated to make the securitisation's transparency disclosures"
    )
    asset_liquidation_plan: bool | None = Field(
        default=None, description="A TMK's business-commencement notification attaches an asset liquidation plan"
    )


class TreatyRate(Strict):
    payer: Jurisdiction
    payee: Jurisdiction
    royalty_rate: Share
    treaty: Text


class Tax(Strict):
    gross_up: bool | None = Field(default=None, description="Licensees gross up royalties for withholding")
    treaty_rates: list[TreatyRate] = []
    entity_classification: Literal["disregarded", "partnership", "corporation"] | None = Field(
        default=None, description="US federal tax classification of the SPV (check-the-box)"
    )
    distribution_payout_ratio: Share | None = Field(
        default=None, description="Share of distributable profit the SPV pays out (JP TMK dividend deduction)"
    )


class Opinion(Strict):
    """A legal opinion delivered at closing (market practice: rating agencies ask for them; no statute does)."""

    kind: Literal["true_sale", "non_consolidation", "enforceability", "security_perfection", "tax"]
    jurisdiction: Jurisdiction = Field(description="The law the opinion is given under")
    firm: Name
    date: dt.date
    covers: list[Id] = Field(default=[], description="Transfers the opinion covers; empty: every transfer to the SPV")
    qualifications: list[Text] = []


class Deal(Strict):
    """A whole deal description (schema version 1)."""

    schema_version: Literal[1]
    deal: DealInfo
    parties: list[Party] = Field(min_length=1)
    patents: list[Patent] = []
    patent_schedule: list[Text] = Field(default=[], description="CSV or XLSX patent schedules, relative to this file")
    other_ip: list[OtherIP] = []
    licences: list[Licence] = []
    loans: list[Loan] = []
    transfers: list[Transfer] = []
    spv: SPV
    notes: list[NoteClass] = Field(min_length=1)
    credit_enhancement: CreditEnhancement = CreditEnhancement()
    fees: list[Fee] = []
    rate_curves: list[RateCurve] = []
    revolving: Revolving | None = None
    waterfall: list[WaterfallStep] = Field(
        default=[], description="The priority of payments in the documents' order; empty: ipsa's default order "
        "(premiums, senior fees, interest by seniority, reserve, principal, overcollateralisation, subordinated fees, "
        "residual)")
    accounts: list[Account] = []
    servicing: Servicing | None = None
    regulation: Regulation
    tax: Tax = Tax()
    opinions: list[Opinion] = []

    _by_id: dict = PrivateAttr(default_factory=dict)

    def _lookup(self, collection: str, item_id: str):
        """Constant-time look-up by id (the index is built on first use; a deal is not edited in place after
        validation: edits go through a new validation). Raises StopIteration, as the linear search did, when absent.
        The index is read from `__pydantic_private__` directly: `self._by_id` goes through pydantic's `__getattr__`,
        which costs ten times the look-up itself, and a large deal is looked up tens of thousands of times."""
        by_id = self.__pydantic_private__["_by_id"]
        index = by_id.get(collection)
        if index is None:
            index = by_id[collection] = {item.id: item for item in getattr(self, collection)}
        try:
            return index[item_id]
        except KeyError:
            raise StopIteration(f"no {collection[:-1]} {item_id!r}") from None

    def party(self, party_id: str) -> Party:
        return self._lookup("parties", party_id)

    def patent(self, patent_id: str) -> Patent:
        return self._lookup("patents", patent_id)

    def other(self, asset_id: str) -> OtherIP:
        return self._lookup("other_ip", asset_id)

    def licence(self, licence_id: str) -> Licence:
        return self._lookup("licences", licence_id)

    def account(self, account_id: str) -> Account:
        return self._lookup("accounts", account_id)
