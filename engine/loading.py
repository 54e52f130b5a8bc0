"""Reading a deal file: YAML or JSON, plus CSV/XLSX patent schedules, into a validated `Deal`.

A deal file is untrusted input. Every problem becomes an `InputIssue` naming the file, the line and the field,
and all of them are reported together; nothing is assessed until the whole description is valid.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ipsa.engine.model import Deal, Patent
from ipsa.engine.issues import DealInputError, InputIssue  # noqa: F401 (imported from here across ipsa)
from ipsa.engine.plainyaml import MAX_DEPTH, MAX_ITEMS, NeedsRoundTrip, parse_fast, where_ruamel_fails

MAX_DEAL_BYTES = 5 * 1024 * 1024
MAX_SCHEDULE_ROWS = 100_000
MAX_SCHEDULE_COLUMNS = 64  # a schedule has at most seventeen known columns


@dataclass(frozen=True)
class LoadedDeal:
    deal: Deal
    source: str
    input_sha256: str


class _DatesAsText(RoundTripConstructor):
    """Leave YAML timestamps as text so pydantic validates them and names the field of an impossible date."""


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", lambda self, node: self.construct_scalar(node))


def _yaml() -> YAML:
    loader = YAML(typ="rt")
    loader.Constructor = _DatesAsText
    loader.allow_duplicate_keys = False
    return loader


@dataclass
class _Locator:
    """Maps a pydantic location (('patents', 3, 'expiry_date')) to a file and line."""

    file: str
    root: Any
    # patents that came from a schedule: index in deal.patents -> (file, line, column names by field)
    schedule_rows: dict[int, tuple[str, int]] = field(default_factory=dict)

    def locate(self, loc: Iterable[Any]) -> tuple[str, int | None]:
        loc = list(loc)
        if len(loc) >= 2 and loc[0] == "patents" and isinstance(loc[1], int) and loc[1] in self.schedule_rows:
            return self.schedule_rows[loc[1]]
        node, line = self.root, _line_of_node(self.root)
        for part in loc:
            if isinstance(node, CommentedMap) and isinstance(part, str) and part in node:
                line = node.lc.key(part)[0] + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                try:
                    line = node.lc.item(part)[0] + 1
                except (KeyError, TypeError, AttributeError):
                    pass
                node = node[part]
            else:
                break
        return self.file, line


def _line_of_node(node: Any) -> int | None:
    lc = getattr(node, "lc", None)
    return lc.line + 1 if lc is not None and lc.line is not None else None


def _field_path(loc: Iterable[Any]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif isinstance(part, str) and not part.startswith(("function-", "literal[")):
            text += f".{part}" if text else part
    return text


def _describe(error: dict) -> str:
    kind, message = error["type"], error["msg"]
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; `ipsa schema` lists the fields)"
    if kind == "missing":
        return "required field is missing"
    if kind == "literal_error":
        return message.replace("Input should be", "expected one of")
    given = error.get("input")
    if isinstance(given, (str, int, float, bool)) and len(str(given)) <= 60:
        return f"{message} (got {given!r})"
    return message


def _issue_at(locator: _Locator, loc: tuple, message: str) -> InputIssue:
    """An issue at a pydantic-style location; a patent from a schedule is shown by its file, row and column."""
    file, line = locator.locate(loc)
    path = _field_path(loc)
    if file != locator.file:
        path = ".".join(str(p) for p in loc[2:]) or "row"
    return InputIssue(file, line, path, message)


def _pydantic_issues(exc: ValidationError, locator: _Locator) -> list[InputIssue]:
    return [_issue_at(locator, tuple(error["loc"]), _describe(error)) for error in exc.errors()]


def _shape_problem(data: Any, depth_limit: int = MAX_DEPTH, item_limit: int = MAX_ITEMS) -> str | None:
    """What makes parsed data unsafe to process, or None: nesting beyond `depth_limit` levels, or more than
    `item_limit` values once aliases are expanded (a YAML "billion laughs" is tiny as text and shares its lists,
    but every later step would walk each copy). Each shared list or mapping is visited once, so this is linear in
    the text, not in its expansion."""
    sizes: dict[int, int] = {}  # id of a container -> values within it, expanded
    depths: dict[int, int] = {}  # id of a container -> the deepest level it was reached at
    stack: list[tuple[Any, int, bool]] = [(data, 1, False)]
    while stack:
        item, depth, done = stack.pop()
        if not isinstance(item, (dict, list)):
            continue
        key = id(item)
        children = list(item.values()) if isinstance(item, dict) else item
        if done:
            sizes[key] = 1 + sum(sizes.get(id(c), 1) if isinstance(c, (dict, list)) else 1 for c in children)
            if sizes[key] > item_limit:
                return f"the data expands to more than {item_limit:,} values (YAML aliases repeating lists)"
            continue
        if depth > depth_limit:
            return f"lists or mappings nest more than {depth_limit} levels deep"
        if depths.get(key, 0) >= depth:
            continue  # a shared container reached again at no greater depth: already walked
        depths[key] = depth
        stack.append((item, depth, True))
        stack.extend((c, depth + 1, False) for c in children if isinstance(c, (dict, list)))
    return None


def read_input_text(path: Path, what: str, limit: int = 0) -> str:
    """A deal or changes file's text: present, within the size limit, UTF-8; otherwise a clear DealInputError."""
    shown = str(path)
    if not path.is_file():
        raise DealInputError([InputIssue(shown, None, "", f"{what} not found")])
    limit = limit or MAX_DEAL_BYTES
    if path.stat().st_size > limit:
        raise DealInputError([InputIssue(shown, None, "", f"{what} is larger than {limit // (1024 * 1024)} MiB")])
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DealInputError([InputIssue(shown, None, "", f"not UTF-8 text (byte {exc.start})")]) from None
    except OSError as exc:
        raise DealInputError([InputIssue(shown, None, "", f"cannot read the {what}: {exc.strerror}")]) from None


def _parse_text(text: str, file: str) -> Any:
    """Parse YAML or JSON; nesting beyond MAX_DEPTH levels is refused (the parser itself recurses)."""
    try:
        data = _parse_text_unchecked(text, file)
    except RecursionError:
        problem = f"lists or mappings nest more than {MAX_DEPTH} levels deep"
    else:
        problem = _shape_problem(data)
    if problem:
        raise DealInputError([InputIssue(file, None, "", problem)])
    return data


def _parse_text_unchecked(text: str, file: str) -> Any:
    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(part for part in (exc.context, exc.problem) if part)
        if "duplicate key" in (problem or "") or "found duplicate key" in str(exc):
            problem = "duplicate key " + problem.split("duplicate key")[-1].strip()
        raise DealInputError([InputIssue(file, line, "", f"not valid YAML or JSON: {problem}")]) from None
    except YAMLError as exc:
        raise DealInputError([InputIssue(file, None, "", f"not valid YAML or JSON: {exc}")]) from None
    except (NotImplementedError, IndexError, KeyError, TypeError, ValueError, AttributeError):
        # ruamel.yaml failing inside its own code on text it should read or refuse (RecursionError, the caller's, is
        # not among these): the line and what to change there, never a traceback.
        line, problem = where_ruamel_fails(text)
        raise DealInputError([InputIssue(file, line, "", f"cannot read this YAML: {problem}")]) from None


SCHEDULE_COLUMNS = {
    "id", "office", "number", "title", "owner", "status", "filing_date", "grant_date", "expiry_date",
    "maintenance", "family", "technology", "claims", "challenge", "challenge_filed", "pledged_to", "pledge_registered",
}


def _schedule_row_to_patent(row: dict[str, Any]) -> dict[str, Any]:
    patent = {k: v for k, v in row.items() if k in Patent.model_fields and v not in (None, "")}
    if row.get("challenge"):
        patent["challenges"] = [{"kind": row["challenge"], **({"filed": row["challenge_filed"]} if row.get("challenge_filed") else {})}]
    if row.get("pledged_to"):
        registered = str(row.get("pledge_registered", "")).strip().lower() in {"true", "yes", "1"}
        patent["encumbrances"] = [{"kind": "pledge", "holder": row["pledged_to"], "registered": registered}]
    return patent


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _check_header(header: list[str], shown: str) -> None:
    """Refuse a header row that is blank (every row would then lack every field), names a column twice (only one of
    the two values could be used, silently) or names a column ipsa does not know."""
    if not any(h.strip() for h in header):
        raise DealInputError([InputIssue(shown, 1, "", "the header row (row 1) is blank or missing; the first row must "
                                         "name the columns, such as id, office, number, title, owner and status")])
    first: dict[str, int] = {}
    for column, name in enumerate(header, start=1):
        if name and name in first:
            raise DealInputError([InputIssue(shown, 1, name, f"this column appears twice in the header row (columns "
                                             f"{first[name]} and {column}); keep one, so that it is clear which value counts")])
        first.setdefault(name, column)
    unknown = [h for h in header if h and h not in SCHEDULE_COLUMNS]
    if unknown:
        raise DealInputError([InputIssue(shown, 1, unknown[0], f"unknown column; expected some of {', '.join(sorted(SCHEDULE_COLUMNS))}")])


def _read_schedule(path: Path, shown: str) -> list[tuple[int, dict[str, Any]]]:
    """Rows of a patent schedule as (line, row); the header is line 1."""
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            _check_header(header, shown)
            rows = []
            for row in reader:  # the row limit is enforced while reading, not after
                if len(rows) >= MAX_SCHEDULE_ROWS:
                    raise DealInputError([InputIssue(shown, None, "", f"more than {MAX_SCHEDULE_ROWS} rows")])
                extra = row.get(None) or []  # values beyond the header's columns, which would be dropped unseen
                if any(value.strip() for value in extra):
                    raise DealInputError([InputIssue(shown, reader.line_num, "", (
                        f"this row has {len(header) + len(extra)} values but the header row names {len(header)} columns; "
                        "put each value under a named column, and quote a value that contains a comma"))])
                rows.append((reader.line_num, {k: _cell(v) for k, v in row.items() if k is not None}))
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        def unreadable(exc: Exception) -> DealInputError:
            return DealInputError([InputIssue(shown, None, "", "not a readable XLSX workbook: the file is damaged or "
                                              f"incomplete ({exc.__class__.__name__})")])

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a corrupt file
            raise unreadable(exc) from None
        # A read-only workbook is read lazily, so a damaged sheet (cut short, missing, a cell at an impossible place)
        # fails only while its rows are read: all of that reading is guarded, not just the opening.
        try:
            if not book.worksheets:
                raise DealInputError([InputIssue(shown, None, "", "not a readable XLSX workbook: it holds no worksheet")])
            sheet = book.worksheets[0]
            # The stored dimension can under-report the rows (which silently dropped patents) or be absent: ignore it
            # and read the rows the sheet holds, at most MAX_SCHEDULE_COLUMNS wide, stopping at the row limit (blank
            # rows count, so a sheet of millions of empty rows stops early instead of being read whole).
            sheet.reset_dimensions()
            values = sheet.iter_rows(values_only=True, max_col=MAX_SCHEDULE_COLUMNS)
            header = [str(h).strip() if h is not None else "" for h in next(values, ())]
            _check_header(header, shown)
            rows = []
            for number, cells in enumerate(values, start=2):
                if number > MAX_SCHEDULE_ROWS + 1:
                    raise DealInputError([InputIssue(shown, None, "", f"more than {MAX_SCHEDULE_ROWS} rows (blank rows count)")])
                if all(c is None for c in cells):
                    continue
                rows.append((number, {h: _cell(c) for h, c in zip(header, cells) if h}))
        except DealInputError:
            raise
        except Exception as exc:  # the same many types, met while reading the sheet
            raise unreadable(exc) from None
        finally:
            book.close()
    else:
        raise DealInputError([InputIssue(shown, None, "", "a patent schedule must be a .csv or .xlsx file")])
    if len(rows) > MAX_SCHEDULE_ROWS:
        raise DealInputError([InputIssue(shown, None, "", f"more than {MAX_SCHEDULE_ROWS} rows")])
    return rows


def _resolve_inside(base: Path, name: str) -> Path | None:
    """The file `name` names, relative to `base`, or None when it lies outside `base`; raises ValueError, OSError or
    RuntimeError for a name the file system cannot take (see `_unusable_name`)."""
    candidate = (base / name).resolve()
    try:
        candidate.relative_to(base.resolve())
    except ValueError:
        return None
    return candidate


def _unusable_name(name: str, exc: Exception) -> str:
    """Why the file system refused a schedule's name, in plain words rather than an error code."""
    if "\0" in name:
        return f"the file name {name!r} contains a null character, which no file name can hold"
    if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
        return f"the file name ({len(name)} characters) is longer than the file system allows"
    if isinstance(exc, RuntimeError) or (isinstance(exc, OSError) and exc.errno == errno.ELOOP):
        return f"schedule file {name!r} is a link that leads back to itself (a symbolic link loop)"
    return f"schedule file {name!r} cannot be opened ({exc.__class__.__name__}: {exc})"


def _merge_schedules(raw: Any, base: Path, locator: _Locator, files: Mapping[str, Path] | None = None) -> list[InputIssue]:
    """Read each `patent_schedule` into `patents`: a name inside the deal's folder, or, where `files` is given (the
    workspace's uploads), only a name it maps, so that no name a user wrote ever reaches the file system."""
    if not isinstance(raw, dict):
        return []
    schedules = raw.get("patent_schedule")
    if isinstance(schedules, str):
        raw["patent_schedule"] = schedules = [schedules]
    if not isinstance(schedules, list):
        return []
    patents = raw.get("patents")
    if patents is None:
        patents = raw["patents"] = CommentedSeq()
    if not isinstance(patents, list):
        return []
    issues: list[InputIssue] = []
    for index, name in enumerate(schedules):
        if not isinstance(name, str):
            continue
        file, line = locator.locate(("patent_schedule", index))
        if files is not None:
            path = files.get(name)
            if path is None:
                issues.append(InputIssue(file, line, f"patent_schedule[{index}]",
                                         f"schedule file {name!r} was not uploaded with the deal"))
                continue
            shown = name
        else:
            shown = str(Path(locator.file).parent / name) if locator.file else name
        try:  # a name with a null character, too long, or a link loop is refused here, not with a traceback
            if files is None:  # (an upload's path was mapped above)
                path = _resolve_inside(base, name)
            found = path is not None and path.is_file()
        except (ValueError, OSError, RuntimeError) as exc:
            issues.append(InputIssue(file, line, f"patent_schedule[{index}]", _unusable_name(name, exc)))
            continue
        if path is None:
            issues.append(InputIssue(file, line, f"patent_schedule[{index}]", f"{name!r} lies outside the deal file's folder"))
            continue
        if not found:
            issues.append(InputIssue(file, line, f"patent_schedule[{index}]", f"schedule file {name!r} not found"))
            continue
        try:
            rows = _read_schedule(path, shown)
        except DealInputError as exc:
            issues.extend(exc.issues)
            continue
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            issues.append(InputIssue(shown, None, "", f"cannot read the schedule ({exc.__class__.__name__}: {exc})"))
            continue
        for row_line, row in rows:
            locator.schedule_rows[len(patents)] = (shown, row_line)
            patents.append(_schedule_row_to_patent(row))
    return issues


def _reference_issues(deal: Deal, locator: _Locator) -> list[InputIssue]:
    """Duplicate ids, references to nothing, impossible dates and roles that contradict the SPV section."""
    issues: list[InputIssue] = []

    def report(loc: tuple, message: str) -> None:
        issues.append(_issue_at(locator, loc, message))

    collections = {
        "parties": deal.parties, "patents": deal.patents, "other_ip": deal.other_ip, "licences": deal.licences,
        "transfers": deal.transfers, "notes": deal.notes, "accounts": deal.accounts, "loans": deal.loans,
    }
    ids: dict[str, set[str]] = {}
    for name, items in collections.items():
        counts = Counter(item.id for item in items)
        seen: set[str] = set()
        for index, item in enumerate(items):
            if counts[item.id] > 1 and item.id in seen:
                one = {"parties": "party", "other_ip": "other IP right", "notes": "note class"}.get(name, name[:-1])
                report((name, index, "id"), f"duplicate id {item.id!r}; each {one} needs its own id")
            seen.add(item.id)
        ids[name] = seen

    def ref(loc: tuple, value: str | None, collection: str, what: str) -> None:
        if value is not None and value not in ids[collection]:
            report(loc, f"{value!r} is not the id of any {what} in this deal")

    for i, party in enumerate(deal.parties):
        for j, holding in enumerate(party.owners):
            ref(("parties", i, "owners", j, "owner"), holding.owner, "parties", "party")
            if holding.owner == party.id:
                report(("parties", i, "owners", j, "owner"), "a party cannot own itself")
        if sum(h.share for h in party.owners) > 1 + 1e-9:
            report(("parties", i, "owners"), "ownership shares add up to more than 100%")
        for j, director in enumerate(party.directors):
            ref(("parties", i, "directors", j, "nominated_by"), director.nominated_by, "parties", "party")
    for i, patent in enumerate(deal.patents):
        ref(("patents", i, "owner"), patent.owner, "parties", "party")
        for j, enc in enumerate(patent.encumbrances):
            ref(("patents", i, "encumbrances", j, "holder"), enc.holder, "parties", "party")
        if patent.grant_date and patent.grant_date < patent.filing_date:
            report(("patents", i, "grant_date"), f"grant date {patent.grant_date} is before the filing date {patent.filing_date}")
        if patent.expiry_date:
            start = patent.grant_date or patent.filing_date
            if patent.expiry_date <= start:
                which = "grant" if patent.grant_date else "filing"
                report(("patents", i, "expiry_date"), f"expiry date {patent.expiry_date} is not after the {which} date {start}")
        if patent.status == "granted" and (patent.grant_date is None or patent.expiry_date is None):
            missing = "grant_date" if patent.grant_date is None else "expiry_date"
            report(("patents", i, missing), "a granted patent needs its grant and expiry dates")
    for i, opinion in enumerate(deal.opinions):
        for j, tid in enumerate(opinion.covers):
            ref(("opinions", i, "covers", j), tid, "transfers", "transfer")
    for i, item in enumerate(deal.other_ip):
        ref(("other_ip", i, "owner"), item.owner, "parties", "party")
    def assets(loc: tuple, patents: list[str], patents_field: str, others: list[str], others_field: str) -> None:
        for j, pid in enumerate(patents):
            ref(loc + (patents_field, j), pid, "patents", "patent")
        for j, oid in enumerate(others):
            ref(loc + (others_field, j), oid, "other_ip", "copyright, trademark or other IP")

    for i, lic in enumerate(deal.licences):
        ref(("licences", i, "licensor"), lic.licensor, "parties", "party")
        ref(("licences", i, "licensee"), lic.licensee, "parties", "party")
        assets(("licences", i), lic.patents, "patents", lic.other_ip, "other_ip")
        if not lic.patents and not lic.other_ip:
            report(("licences", i, "patents"), "a licence must name the patents or other IP (other_ip) it covers")
        ref(("licences", i, "pays_to"), lic.pays_to, "accounts", "account")
        ref(("licences", i, "sublicence_of"), lic.sublicence_of, "licences", "licence")
        if lic.end <= lic.start:
            report(("licences", i, "end"), f"licence end {lic.end} is not after its start {lic.start}")
        royalty = lic.royalty
        if royalty.base == "fixed" and royalty.fixed_amount is None:
            report(("licences", i, "royalty", "fixed_amount"), "a fixed royalty needs fixed_amount")
        if royalty.base in ("net_sales", "units") and royalty.rate is None and royalty.unit_royalty is None and royalty.minimum_annual is None:
            report(("licences", i, "royalty", "rate"), "a royalty on sales needs a rate (or unit_royalty or minimum_annual)")
    for i, loan in enumerate(deal.loans):
        ref(("loans", i, "lender"), loan.lender, "parties", "party")
        ref(("loans", i, "borrower"), loan.borrower, "parties", "party")
        ref(("loans", i, "pays_to"), loan.pays_to, "accounts", "account")
        assets(("loans", i), loan.collateral_patents, "collateral_patents", loan.collateral_other_ip, "collateral_other_ip")
        if loan.maturity <= loan.start:
            report(("loans", i, "maturity"), f"maturity {loan.maturity} is not after the loan's start {loan.start}")
        if loan.id in ids["licences"]:
            report(("loans", i, "id"), f"{loan.id!r} is also a licence's id; receivables are named by id")
    for i, transfer in enumerate(deal.transfers):
        ref(("transfers", i, "from"), transfer.from_party, "parties", "party")
        ref(("transfers", i, "to"), transfer.to, "parties", "party")
        if transfer.from_party == transfer.to:
            report(("transfers", i, "to"), "a transfer needs two different parties")
        for j, pid in enumerate(transfer.patents):
            ref(("transfers", i, "patents", j), pid, "patents", "patent")
        for j, lid in enumerate(transfer.receivables):
            if lid not in ids["licences"] and lid not in ids["loans"]:
                report(("transfers", i, "receivables", j), f"{lid!r} is not the id of any licence or loan in this deal")
        if not transfer.patents and not transfer.receivables:
            report(("transfers", i, "patents"), "a transfer must name patents or receivables")
        for j, notice in enumerate(transfer.notices):
            ref(("transfers", i, "notices", j, "party"), notice.party, "parties", "party")
    ref(("spv", "party"), deal.spv.party, "parties", "party")
    ref(("spv", "manager"), deal.spv.manager, "parties", "party")
    if deal.spv.party in ids["parties"] and "spv" not in deal.party(deal.spv.party).roles:
        report(("spv", "party"), f"party {deal.spv.party!r} is named as the SPV but does not have the role 'spv'")
    for i, wrap in enumerate(deal.credit_enhancement.wraps):
        ref(("credit_enhancement", "wraps", i, "provider"), wrap.provider, "parties", "party")
        for j, note_id in enumerate(wrap.covers):
            ref(("credit_enhancement", "wraps", i, "covers", j), note_id, "notes", "note class")
    if deal.credit_enhancement.reserve:
        ref(("credit_enhancement", "reserve", "account"), deal.credit_enhancement.reserve.account, "accounts", "account")
    _waterfall_issues(deal, report, ref)
    for i, account in enumerate(deal.accounts):
        ref(("accounts", i, "holder"), account.holder, "parties", "party")
        ref(("accounts", i, "bank"), account.bank, "parties", "party")
        ref(("accounts", i, "pledged_to"), account.pledged_to, "parties", "party")
    if deal.servicing:
        ref(("servicing", "servicer"), deal.servicing.servicer, "parties", "party")
        ref(("servicing", "backup_servicer"), deal.servicing.backup_servicer, "parties", "party")
    if deal.regulation.risk_retention:
        ref(("regulation", "risk_retention", "holder"), deal.regulation.risk_retention.holder, "parties", "party")
    if deal.regulation.reporting_entity:
        ref(("regulation", "reporting_entity"), deal.regulation.reporting_entity, "parties", "party")
    return issues


def _waterfall_issues(deal: Deal, report, ref) -> None:
    """Fees, rate curves, residual class, covenants and the priority of payments: what the cash model needs to be
    unambiguous."""
    for i, fee in enumerate(deal.fees):
        ref(("fees", i, "payee"), fee.payee, "parties", "party")
        if fee.annual_rate is None and fee.annual_amount is None:
            report(("fees", i, "annual_rate"), "a fee needs annual_rate (share of the notes outstanding) or annual_amount")
    if len({f.id for f in deal.fees}) < len(deal.fees):
        report(("fees",), "each fee needs its own id")
    curves = {c.id for c in deal.rate_curves}
    for i, curve in enumerate(deal.rate_curves):
        starts = [p.start for p in curve.points]
        if starts != sorted(set(starts)):
            report(("rate_curves", i, "points"), "a rate curve's points must be in date order, one per date")
    residual = [i for i, n in enumerate(deal.notes) if n.residual]
    if len(residual) > 1:
        report(("notes", residual[1], "residual"), "only one class can be the residual class")
    if len(residual) == len(deal.notes):
        report(("notes", residual[0], "residual"), "a deal needs at least one debt class beside the residual class")
    if residual:
        lowest = max(n.seniority for n in deal.notes)
        note = deal.notes[residual[0]]
        if note.seniority != lowest or sum(n.seniority == lowest for n in deal.notes) > 1:
            report(("notes", residual[0], "seniority"), "the residual class must be the only class of the lowest seniority")
    for i, note in enumerate(deal.notes):
        if note.floating_over is not None and note.floating_over not in curves:
            report(("notes", i, "floating_over"), f"{note.floating_over!r} is not the id of any rate curve in rate_curves")
        if note.residual and note.floating_over is not None:
            report(("notes", i, "floating_over"), "the residual class pays no coupon")
    debt_ids = {n.id for n in deal.notes if not n.residual}
    for i, trigger in enumerate(deal.credit_enhancement.triggers):
        for j, note_id in enumerate(trigger.applies_to):
            if note_id not in debt_ids:
                report(("credit_enhancement", "triggers", i, "applies_to", j), f"{note_id!r} is not the id of any debt class")
        if trigger.consequence == "interest_deferral" and not trigger.applies_to:
            report(("credit_enhancement", "triggers", i, "applies_to"), "an interest deferral must name the classes it defers")
        if trigger.consequence != "cash_trap" and trigger.trap_share is not None:
            report(("credit_enhancement", "triggers", i, "trap_share"), "trap_share applies only to a cash_trap")
    revolving = deal.revolving
    if revolving is not None:
        vfn = revolving.variable_funding_note
        if vfn is not None and vfn not in debt_ids:
            report(("revolving", "variable_funding_note"), f"{vfn!r} is not the id of any debt class")
        elif vfn is not None:
            note = next(n for n in deal.notes if n.id == vfn)
            if note.commitment is None:
                report(("revolving", "variable_funding_note"), f"class {vfn!r} has no commitment to draw on")
            elif note.amortisation != "pass_through":
                report(("revolving", "variable_funding_note"), f"class {vfn!r} is drawn as purchases need: it must "
                       "amortise pass_through (its balance is not known in advance)")
        if vfn is not None and revolving.purchases_per_period is None:
            report(("revolving", "purchases_per_period"), "a variable funding note is drawn for the purchases a period "
                   "needs: give purchases_per_period")
        if revolving.until <= deal.deal.as_of:
            report(("revolving", "until"), f"the revolving period ends on {revolving.until}, not after the as-of date")
    start = max(deal.deal.as_of, deal.deal.closing_date or deal.deal.as_of)
    for i, note in enumerate(deal.notes):
        if note.legal_final <= deal.deal.as_of or (deal.deal.closing_date and note.legal_final <= deal.deal.closing_date):
            report(("notes", i, "legal_final"), f"legal final {note.legal_final} is not after the deal's as-of and closing dates")
        elif note.legal_final.year > start.year + 100:
            report(("notes", i, "legal_final"), f"legal final {note.legal_final} is more than a hundred years away")
        if note.expected_maturity and note.expected_maturity > note.legal_final:
            report(("notes", i, "expected_maturity"), f"expected maturity {note.expected_maturity} is after the legal final")
        if note.outstanding is not None and note.outstanding > (note.commitment or note.amount):
            report(("notes", i, "outstanding"), f"outstanding {note.outstanding:,.0f} is more than the class's amount")
        if note.commitment is not None and note.commitment < note.amount:
            report(("notes", i, "commitment"), f"commitment {note.commitment:,.0f} is below the amount drawn {note.amount:,.0f}")
        if note.commitment is not None and (revolving is None or revolving.variable_funding_note != note.id):
            report(("notes", i, "commitment"), "a class with a commitment must be the revolving period's variable_funding_note")
    paid: dict[str, set[str]] = {"interest": set(), "principal": set()}
    for i, step in enumerate(deal.waterfall):
        if step.classes and step.pay not in paid:
            report(("waterfall", i, "classes"), f"a {step.pay} step does not name classes")
        for j, note_id in enumerate(step.classes):
            if note_id not in debt_ids:
                report(("waterfall", i, "classes", j), f"{note_id!r} is not the id of any debt class")
            elif note_id in paid.get(step.pay, set()):
                report(("waterfall", i, "classes", j), f"class {note_id!r} already has a {step.pay} step")
        if step.pay in paid:
            paid[step.pay] |= set(step.classes or debt_ids)
    if deal.waterfall:
        for kind in ("interest", "principal"):
            missing = sorted(debt_ids - paid[kind])
            if missing:
                report(("waterfall",), f"no {kind} step pays {', '.join(missing)}")
        if deal.credit_enhancement.overcollateralisation and not any(s.pay == "overcollateralisation" for s in deal.waterfall):
            report(("waterfall",), "the deal sets an overcollateralisation ratio but its waterfall has no "
                   "overcollateralisation step")


def _canonical_hash(deal: Deal) -> str:
    canonical = json.dumps(deal.model_dump(mode="json", by_alias=True), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def validate_mapping(raw: Any, source: str = "<deal>", base: Path | None = None, _locator: _Locator | None = None,
                     files: Mapping[str, Path] | None = None) -> LoadedDeal:
    """Validate an already-parsed deal description (a mapping) and resolve its patent schedules (in `base`, or
    among `files`: name in the deal -> a file the caller named)."""
    locator = _locator or _Locator(source, raw)
    if not isinstance(raw, dict):
        raise DealInputError([InputIssue(source, 1, "", "a deal description must be a mapping with schema_version, deal, parties, ...")])
    issues = _merge_schedules(raw, base or Path.cwd(), locator, files)
    if issues:
        raise DealInputError(issues)
    try:
        deal = Deal.model_validate(raw)
    except ValidationError as exc:
        raise DealInputError(_pydantic_issues(exc, locator)) from None
    issues = _reference_issues(deal, locator)
    if issues:
        raise DealInputError(issues)
    return LoadedDeal(deal=deal, source=source, input_sha256=_canonical_hash(deal))


def load_text(text: str, source: str = "<deal>", base: Path | None = None,
              files: Mapping[str, Path] | None = None) -> LoadedDeal:
    """Parse and validate a deal's text. A valid deal is read by the fast parse; a deal with any problem is read
    again by the round-trip parse, whose data knows its lines, so that every message is the one it has always been."""
    try:
        raw = parse_fast(text)
    except NeedsRoundTrip:
        pass
    else:
        try:
            return validate_mapping(raw, source, base, files=files)
        except DealInputError:
            pass  # reported below, with lines
    raw = _parse_text(text, source)
    return validate_mapping(raw, source, base, _Locator(source, raw), files)


def load_deal(path: str | Path) -> LoadedDeal:
    """Read and validate a deal file; raises `DealInputError` with file, line and field on any problem."""
    path = Path(path)
    return load_text(read_input_text(path, "deal file"), str(path), path.parent)
