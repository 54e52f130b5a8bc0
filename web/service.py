"""What the workspace does, once, for the pages and the JSON API alike: each operation takes the database session and
the acting user, checks that user's right to it, does it, and writes the audit log. Access refused on a matter the
user is not a member of reads as "not found", so that ids cannot be probed."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ipsa.engine.batch import BatchOptions
from ipsa.web.models import (ROLES, ApiToken, Attachment, AuditEvent, DealVersion, Job, LoginSession, Matter,
                             Membership, StoredAssessment, User, now)
from ipsa.web.security import digest, hash_password, new_token

MAX_DEAL_BYTES = 2 * 2**20  # a deal description's text
MAX_SCHEDULE_BYTES = 10 * 2**20  # one patent schedule
MAX_SCHEDULES = 8  # schedules uploaded with one version
SCHEDULE_SUFFIXES = (".csv", ".xlsx", ".xlsm")
MEMO_FORMATS = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "pdf": "application/pdf", "json": "application/json"}
WORKERS_ROLES = ("admin", "lawyer", "analyst")  # may upload, edit and assess
RELEASERS = ("admin", "lawyer")  # may create matters, add members and release memos to the client


class Refused(Exception):
    """The operation is not allowed or its object does not exist for this user: `status` is the HTTP answer."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class Invalid(Exception):
    """The input is wrong: `problems` are {file, line, field, message}."""

    def __init__(self, problems: list[dict]):
        super().__init__("; ".join(p["message"] for p in problems))
        self.problems = problems


def clean(field: str, value: str, limit: int, required: bool = False, file: str = "") -> str:
    """One line of printable text of at most `limit` characters (the deal's own rule for names): no control
    characters (a NUL cannot even be stored in PostgreSQL), no invisible direction controls."""
    from ipsa.engine.model import printable

    value = value.strip()
    if required and not value:
        raise Invalid([_problem(field, f"{field} is required", file=file)])
    if len(value) > limit:
        raise Invalid([_problem(field, f"{field} is longer than {limit} characters", file=file)])
    try:
        return printable(value, newlines=False)
    except ValueError as exc:
        raise Invalid([_problem(field, f"{field} {exc}", file=file)]) from None


def audit(db: Session, user: User | None, action: str, matter: Matter | None = None, **detail) -> None:
    db.add(AuditEvent(user_id=user.id if user else None, matter_id=matter.id if matter else None, action=action,
                      detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)))


# Users and tokens ------------------------------------------------------------------------------------------------

def add_user(db: Session, email: str, role: str, password: str, name: str = "") -> User:
    email = clean("email", email, 320).lower()
    if role not in ROLES:
        raise Invalid([_problem("role", f"{role!r} is not one of {', '.join(ROLES)}")])
    if "@" not in email or len(email) > 320:
        raise Invalid([_problem("email", "not an e-mail address")])
    if len(password) < 10:
        raise Invalid([_problem("password", "a password needs at least 10 characters")])
    if db.scalar(select(User).where(User.email == email)):
        raise Invalid([_problem("email", f"a user {email} exists already")])
    user = User(email=email, role=role, name=clean("name", name, 200) or email.split("@")[0],
                password_hash=hash_password(password))
    db.add(user)
    db.flush()
    audit(db, None, "user added", email=email, role=role)
    return user


def _user_by_email(db: Session, email: str) -> User:
    user = db.scalar(select(User).where(User.email == clean("email", email, 320).lower()))
    if user is None:
        raise Invalid([_problem("email", f"no user {email.strip().lower()}")])
    return user


def set_password(db: Session, email: str, password: str) -> None:
    if len(password) < 10:
        raise Invalid([_problem("password", "a password needs at least 10 characters")])
    user = _user_by_email(db, email)
    user.password_hash = hash_password(password)
    db.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    audit(db, None, "password changed", email=user.email)


def set_active(db: Session, email: str, active: bool) -> None:
    user = _user_by_email(db, email)
    user.active = active
    if not active:
        db.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    audit(db, None, "user activated" if active else "user deactivated", email=user.email)


def sign_ins_refused(db: Session, email: str, minutes: int) -> int:
    """Wrong passwords given for `email` in the last `minutes` (the sign-in page stops trying after a few)."""
    since = now() - dt.timedelta(minutes=minutes)
    detail = json.dumps({"email": email}, ensure_ascii=False, sort_keys=True)
    return db.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "sign-in refused", AuditEvent.detail == detail, AuditEvent.at >= since)) or 0


def new_api_token(db: Session, user: User, name: str) -> str:
    """A bearer token for scripts; returned once, stored as its digest."""
    name = clean("name", name, 200) or "token"
    token = new_token()
    db.add(ApiToken(user_id=user.id, name=name, token_hash=digest(token)))
    audit(db, user, "API token made", name=name)
    return token


def revoke_api_token(db: Session, user: User, token_id: int) -> None:
    token = db.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise Refused(404, "no such token")
    db.delete(token)
    audit(db, user, "API token revoked", name=token.name)


# Matters and members ---------------------------------------------------------------------------------------------

def visible_matters(db: Session, user: User) -> list[Matter]:
    query = select(Matter).join(Membership, Membership.matter_id == Matter.id).where(Membership.user_id == user.id)
    return list(db.scalars(query.order_by(Matter.created_at.desc(), Matter.id.desc())))


def matter_for(db: Session, user: User, matter_id: int, need: str = "see") -> Matter:
    """The matter, if `user` is a member with the right `need`: "see" (any member), "work" (upload, edit, assess)
    or "release" (members, releases). Not a member: 404, as if it did not exist."""
    matter = db.get(Matter, matter_id)
    member = matter is not None and db.get(Membership, (matter_id, user.id)) is not None
    if not member:
        raise Refused(404, "no such matter")
    if need == "work" and user.role not in WORKERS_ROLES:
        raise Refused(403, "your role may not change or assess this matter's deal")
    if need == "release" and user.role not in RELEASERS:
        raise Refused(403, "only a lawyer or an administrator may do this")
    return matter


def create_matter(db: Session, user: User, name: str, client: str = "", reference: str = "") -> Matter:
    if user.role not in RELEASERS:
        raise Refused(403, "only a lawyer or an administrator may open a matter")
    name, client, reference = clean("name", name, 300, True), clean("client", client, 300), clean("reference", reference, 100)
    matter = Matter(name=name, client=client, reference=reference, created_by=user.id)
    db.add(matter)
    db.flush()
    db.add(Membership(matter_id=matter.id, user_id=user.id))
    audit(db, user, "matter opened", matter, name=name, client=client, reference=reference)
    return matter


def members(db: Session, matter: Matter) -> list[User]:
    query = select(User).join(Membership, Membership.user_id == User.id).where(Membership.matter_id == matter.id)
    return list(db.scalars(query.order_by(User.email)))


def add_member(db: Session, user: User, matter: Matter, email: str) -> User:
    matter_for(db, user, matter.id, "release")
    other = db.scalar(select(User).where(User.email == clean("email", email, 320).lower(), User.active.is_(True)))
    if other is None:
        raise Invalid([_problem("email", "no active user has this e-mail address")])
    if db.get(Membership, (matter.id, other.id)) is None:
        db.add(Membership(matter_id=matter.id, user_id=other.id))
        audit(db, user, "member added", matter, email=other.email, role=other.role)
    return other


# Deal versions ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Checked:
    """A deal text checked by the engine's loader: the problems (empty when valid) and, when valid, its summary."""
    problems: list[dict]
    input_sha256: str = ""
    deal_name: str = ""


def _problem(field: str, message: str, line: int | None = None, file: str = "") -> dict:
    return {"file": file, "line": line, "field": field, "message": message}


def load_version_deal(text: str, filename: str, schedules: dict[str, bytes]):
    """The engine's `LoadedDeal` for a version: schedules are written to a private temporary folder under names ipsa
    chooses (`schedule-N.csv`), and the deal's `patent_schedule` names are looked up among the uploads only."""
    from ipsa.engine.loading import load_text

    with tempfile.TemporaryDirectory(prefix="ipsa-version-") as folder:
        files = {}
        for number, (name, content) in enumerate(sorted(schedules.items())):
            path = Path(folder) / f"schedule-{number}{Path(name).suffix.lower()}"
            path.write_bytes(content)
            files[name] = path
        return load_text(text, filename, base=Path(folder), files=files)


def check_deal(text: str, filename: str, schedules: dict[str, bytes]) -> Checked:
    from ipsa.engine.loading import DealInputError

    try:
        loaded = load_version_deal(text, filename, schedules)
    except DealInputError as exc:
        return Checked([_problem(i.field, i.message, i.line, i.file) for i in exc.issues])
    return Checked([], loaded.input_sha256, loaded.deal.deal.name)


def _upload_problems(filename: str, text: bytes | str, schedules: dict[str, bytes]) -> tuple[str, list[dict]]:
    """The deal's text as str, and what is wrong with the upload itself (size, count, encoding, names)."""
    problems = []
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if len(raw) > MAX_DEAL_BYTES:
        problems.append(_problem("deal", f"the deal file is larger than {MAX_DEAL_BYTES // 2**20} MiB", file=filename))
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        decoded = ""
        problems.append(_problem("deal", f"not UTF-8 text (byte {exc.start})", file=filename))
    if "\x00" in decoded:
        problems.append(_problem("deal", "the deal file holds a NUL character: not a text file", file=filename))
    for name in (filename, *schedules):
        try:
            clean("file name", name, 255, file=name)
        except Invalid as exc:
            problems.extend(exc.problems)
    if Path(filename).suffix.lower() not in (".yaml", ".yml", ".json"):
        problems.append(_problem("deal", "a deal file is .yaml, .yml or .json", file=filename))
    if len(schedules) > MAX_SCHEDULES:
        problems.append(_problem("schedules", f"at most {MAX_SCHEDULES} schedules per version"))
    for name, content in schedules.items():
        if Path(name).suffix.lower() not in SCHEDULE_SUFFIXES or Path(name).name != name or len(name) > 255:
            problems.append(_problem("schedules", "a schedule is a .csv or .xlsx file named without folders", file=name))
        if len(content) > MAX_SCHEDULE_BYTES:
            problems.append(_problem("schedules", f"larger than {MAX_SCHEDULE_BYTES // 2**20} MiB", file=name))
    return decoded, problems


def save_version(db: Session, user: User, matter: Matter, filename: str, text: bytes | str,
                 schedules: dict[str, bytes] | None = None, note: str = "", action: str = "uploaded",
                 schedules_from: DealVersion | None = None) -> DealVersion:
    """Store a new version (valid or not: a lawyer may save work in progress; it cannot be assessed until valid).
    Numbering is done by the database's unique (matter, number): two saves at once both land, one after the other."""
    matter_for(db, user, matter.id, "work")
    filename = Path(filename or "deal.yaml").name[:255] or "deal.yaml"
    note = clean("note", note, 500)
    schedules = dict(schedules or {})
    if schedules_from is not None and not schedules:  # an edit in the page keeps the version's schedules
        schedules = {a.name: a.content for a in attachments(db, schedules_from)}
    decoded, problems = _upload_problems(filename, text, schedules)
    if problems:
        raise Invalid(problems)
    checked = check_deal(decoded, filename, schedules)
    for attempt in range(20):
        number = (db.scalar(select(func.max(DealVersion.number)).where(DealVersion.matter_id == matter.id)) or 0) + 1
        version = DealVersion(matter_id=matter.id, number=number, filename=filename, text=decoded,
                              valid=not checked.problems, problems=json.dumps(checked.problems, ensure_ascii=False),
                              input_sha256=checked.input_sha256, deal_name=checked.deal_name, note=note,
                              created_by=user.id)
        savepoint = db.begin_nested()
        try:
            db.add(version)
            db.flush()
        except IntegrityError:  # another save took this number first: take the next
            savepoint.rollback()
            continue
        savepoint.commit()
        break
    else:
        raise Refused(409, "the matter is being saved by others too often; try again")
    for name, content in schedules.items():
        db.add(Attachment(version_id=version.id, name=name, content=content))
    audit(db, user, f"version {action}", matter, version=version.number, filename=filename, valid=version.valid,
          schedules=sorted(schedules), **({"input_sha256": version.input_sha256} if version.valid else {}))
    return version


def versions(db: Session, matter: Matter) -> list[DealVersion]:
    return list(db.scalars(select(DealVersion).where(DealVersion.matter_id == matter.id)
                           .order_by(DealVersion.number.desc())))


def version_for(db: Session, user: User, matter: Matter, number: int) -> DealVersion:
    matter_for(db, user, matter.id, "work")
    version = db.scalar(select(DealVersion).where(DealVersion.matter_id == matter.id, DealVersion.number == number))
    if version is None:
        raise Refused(404, "no such version")
    return version


def parsed_text(version: DealVersion):
    """The version's text parsed (round-trip, comments kept), or None where it is not YAML or JSON at all."""
    from ipsa.engine.loading import DealInputError, _parse_text

    try:
        return _parse_text(version.text, version.filename)
    except DealInputError:
        return None


def attachments(db: Session, version: DealVersion) -> list[Attachment]:
    return list(db.scalars(select(Attachment).where(Attachment.version_id == version.id).order_by(Attachment.name)))


# Assessments, jobs, memos ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AssessParams(BatchOptions):
    """What a lawyer chose for one assessment (the batch runner's choices, with the advice on by default)."""
    advice: bool = True

    def checked(self) -> "AssessParams":
        from ipsa.engine.assess import covered_dates

        problems = []
        if self.as_of:
            first, last = covered_dates()
            try:
                day = dt.date.fromisoformat(self.as_of)
            except ValueError:
                problems.append(_problem("as_of", f"{self.as_of!r} is not a date (YYYY-MM-DD)"))
            else:
                if not first <= day <= last:
                    problems.append(_problem("as_of", f"{day} is outside the dates ipsa's rule base covers ({first} "
                                                      f"to {last})"))
        if self.risk and not 100 <= self.paths <= 100_000:
            problems.append(_problem("paths", "paths must be between 100 and 100,000"))
        if not 0 <= self.seed <= 2**31 - 1:
            problems.append(_problem("seed", "seed must be between 0 and 2,147,483,647"))
        if problems:
            raise Invalid(problems)
        return self


def start_assessment(db: Session, user: User, matter: Matter, version: DealVersion, params: AssessParams) -> Job:
    matter_for(db, user, matter.id, "work")
    if not version.valid:
        raise Invalid([_problem("version", f"version {version.number} has problems to fix before it can be assessed")])
    params = params.checked()
    job = Job(matter_id=matter.id, version_id=version.id, params=json.dumps(params.__dict__), created_by=user.id,
              total=params.paths if params.risk else 0)
    db.add(job)
    db.flush()
    audit(db, user, "assessment requested", matter, version=version.number, job=job.id, **params.__dict__)
    return job


def run_job(db: Session, job: Job, progress=None, stage=None) -> StoredAssessment:
    """Assess the job's version through the one pipeline and store the result (called in a worker process)."""
    from ipsa.engine import pipeline
    from ipsa.engine.loading import DealInputError

    version = db.get(DealVersion, job.version_id)
    params = AssessParams(**json.loads(job.params))
    schedules = {a.name: a.content for a in attachments(db, version)}
    try:
        loaded = load_version_deal(version.text, version.filename, schedules)
        assessment = pipeline.run(loaded, params.pipeline_options(progress=progress, stage=stage))
    except DealInputError as exc:
        raise Invalid([_problem(i.field, i.message, i.line, i.file) for i in exc.issues]) from None
    stored = StoredAssessment(
        matter_id=job.matter_id, version_id=version.id, as_of=assessment.as_of, risk=params.risk, paths=params.paths,
        seed=params.seed, advice=params.advice, input_sha256=assessment.input_sha256,
        rule_base_version=assessment.rule_base_version,
        fails=sum(f.status == "fail" for f in assessment.findings),
        risks=sum(f.status == "risk" for f in assessment.findings),
        result=assessment.model_dump_json(), created_by=job.created_by)
    db.add(stored)
    db.flush()
    matter = db.get(Matter, job.matter_id)
    user = db.get(User, job.created_by)
    audit(db, user, "assessed", matter, version=version.number, assessment=stored.id, as_of=assessment.as_of,
          input_sha256=assessment.input_sha256, rule_base_version=assessment.rule_base_version,
          paths=params.paths, seed=params.seed)
    return stored


def job_for(db: Session, user: User, matter: Matter, job_id: int) -> Job:
    matter_for(db, user, matter.id, "work")
    job = db.get(Job, job_id)
    if job is None or job.matter_id != matter.id:
        raise Refused(404, "no such job")
    return job


def assessments(db: Session, user: User, matter: Matter) -> list[StoredAssessment]:
    """A matter's stored assessments, newest first; a client sees only those released to them."""
    query = select(StoredAssessment).where(StoredAssessment.matter_id == matter.id)
    if user.role == "client":
        query = query.where(StoredAssessment.released.is_(True))
    return list(db.scalars(query.order_by(StoredAssessment.id.desc())))


def assessment_for(db: Session, user: User, matter: Matter, assessment_id: int) -> StoredAssessment:
    matter_for(db, user, matter.id, "see")
    stored = db.get(StoredAssessment, assessment_id)
    if stored is None or stored.matter_id != matter.id or (user.role == "client" and not stored.released):
        raise Refused(404, "no such assessment")
    return stored


def loaded_assessment(stored: StoredAssessment):
    from ipsa.engine.assessment import Assessment

    return Assessment.model_validate_json(stored.result)


def release(db: Session, user: User, matter: Matter, stored: StoredAssessment) -> None:
    matter_for(db, user, matter.id, "release")
    if not stored.released:
        stored.released = True
        audit(db, user, "memo released to the client", matter, assessment=stored.id)


@dataclass(frozen=True)
class FirmTemplates:
    """The workspace's own memo templates: a folder of Jinja templates named like the bundled ones (`memo.md.j2`,
    `memo.html.j2`, `blocks.*.j2`) and a branded `memo.docx` whose styles, header and footer the Word memo takes."""
    folder: Path | None = None
    docx: Path | None = None

    @classmethod
    def in_data(cls, data: Path) -> "FirmTemplates":
        folder = data / "templates"
        return cls(folder if folder.is_dir() else None,
                   folder / "memo.docx" if (folder / "memo.docx").is_file() else None)


MEMO_LANGUAGES = {"en": "English", "zh": "中文", "vi": "Tiếng Việt", "ja": "日本語", "en+zh": "English + 中文",
                  "en+vi": "English + Tiếng Việt", "en+ja": "English + 日本語"}


def memo_bytes(db: Session, user: User, matter: Matter, stored: StoredAssessment, fmt: str,
               firm: FirmTemplates = FirmTemplates(), language: str = "en") -> tuple[bytes, str]:
    """The memo of a stored assessment in `fmt` and `language` and its media type; written from the stored result
    (never re-run) through the workspace's firm templates where it has them."""
    if fmt not in MEMO_FORMATS:
        raise Invalid([_problem("format", f"{fmt!r} is not one of {', '.join(MEMO_FORMATS)}")])
    if language not in MEMO_LANGUAGES:
        raise Invalid([_problem("lang", f"{language!r} is not one of {', '.join(MEMO_LANGUAGES)}")])
    if user.role == "client" and fmt == "json":
        raise Refused(403, "a client receives the memo, not the working data")
    from ipsa.reports.memo import memo_and_note

    data, _ = memo_and_note(loaded_assessment(stored), fmt, templates=firm.folder, docx_template=firm.docx,
                            language=language)
    audit(db, user, "memo downloaded", matter, assessment=stored.id, format=fmt, language=language)
    return data, MEMO_FORMATS[fmt]


def compare_assessments(db: Session, user: User, matter: Matter, first: int, second: int) -> dict:
    """Two stored assessments of a matter (two versions, or one version on two dates): findings added, removed and
    changed, and the figures before and after."""
    from ipsa.engine.advisor import compare

    matter_for(db, user, matter.id, "work")
    a, b = assessment_for(db, user, matter, first), assessment_for(db, user, matter, second)
    before, after = loaded_assessment(a), loaded_assessment(b)
    diff = compare(before, after).model_dump(mode="json")
    # A jurisdiction assessed on one side only (no rule in force on the other date, say) was not checked there:
    # its findings are neither cured nor new, and are set apart with the reason.
    one_sided = set(before.jurisdictions_assessed) ^ set(after.jurisdictions_assessed)
    where = {f.rule_id: f.jurisdiction for f in (*before.findings, *after.findings)}
    not_compared = []
    for key in ("cured", "created", "changed"):
        kept = []
        for entry in diff[key]:
            (not_compared if where.get(entry.split(" ", 1)[0]) in one_sided else kept).append(entry)
        diff[key] = kept
    reasons = [f"{j}: assessed on {before.as_of} only" for j in sorted(one_sided & set(before.jurisdictions_assessed))]
    reasons += [f"{j}: assessed on {after.as_of} only" for j in sorted(one_sided & set(after.jurisdictions_assessed))]
    return {"before": a.id, "after": b.id, **diff, "not_compared": not_compared, "not_compared_because": reasons}


def audit_log(db: Session, user: User, matter: Matter) -> list[AuditEvent]:
    matter_for(db, user, matter.id, "work")
    return list(db.scalars(select(AuditEvent).where(AuditEvent.matter_id == matter.id)
                           .order_by(AuditEvent.id.desc()).limit(500)))
