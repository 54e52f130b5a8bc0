"""The workspace's ASGI application: server-rendered pages and a JSON API (OpenAPI at /docs), both thin callers of
`ipsa.web.service`, which calls the one pipeline.

Sign-in: pages use a session cookie (HttpOnly, SameSite=Lax, Secure when served over TLS) and a form token on every
POST (CSRF); scripts use `Authorization: Bearer <token>` and send no cookie. Everything a user wrote is shown through
Jinja2's autoescaping."""


import base64
import binascii
import datetime as dt
import json
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, Field
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ipsa.engine.assessment import AREAS
from ipsa.reports.content import count, fixed, money, pct
from ipsa.web import service as S
from ipsa.web.database import database_url, make_engine, migrate, sessions
from ipsa.web.jobs import Workers
from ipsa.web.models import ROLES, ApiToken, Job, LoginSession, User, now
from ipsa.web.security import check_password, digest, new_token, same

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "ipsa_session"
LOGIN_COOKIE = "ipsa_login"  # the signed-out browser's form token, for the sign-in form itself
SESSION_HOURS = 12
LOCKOUT_AFTER, LOCKOUT_MINUTES = 10, 15  # wrong passwords for one e-mail address within the window
MAX_FORM_FIELDS = 20_000  # the guided form: six sections of up to 200 rows of their columns
MAX_REQUEST_BYTES = S.MAX_DEAL_BYTES + S.MAX_SCHEDULES * S.MAX_SCHEDULE_BYTES + 2**20


@dataclass(frozen=True)
class Settings:
    data: Path
    database_url: str | None = None
    workers: int = 2

    @property
    def url(self) -> str:
        return database_url(self.data, self.database_url)


class NotSignedIn(Exception):
    pass


class BadForm(Exception):
    """A page's form token is missing or wrong (a forged post)."""


@dataclass
class Caller:
    user: User
    csrf: str | None  # None: a script with a bearer token (no cookie, so no CSRF to guard against)


def create_app(settings: Settings) -> FastAPI:
    settings.data.mkdir(parents=True, exist_ok=True)
    url = settings.url
    migrate(url)
    engine = make_engine(url)
    maker = sessions(engine)
    pages = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                        trim_blocks=True, lstrip_blocks=True)
    for name, formatted in (("pct", pct), ("money", money), ("fixed", fixed), ("count", count)):
        # figures as the memo writes them (reports.content, the one place numbers become text)
        pages.filters[name] = lambda v, f=formatted: "—" if v is None else f(v)
    pages.filters["when"] = lambda v: v.strftime("%Y-%m-%d %H:%M UTC") if v else ""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.workers = Workers(url, settings.workers)
        with maker() as db:
            app.state.workers.resume(db)
        try:
            yield
        finally:
            app.state.workers.close()
            engine.dispose()

    app = FastAPI(title="ipsa workspace", version="1", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Matters, deal versions, assessments and memos over ipsa's pipeline. Scripts sign in "
                              "with `Authorization: Bearer <token>` (make one on the Tokens page).")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.state.maker = maker

    # Plumbing ---------------------------------------------------------------------------------------------------

    app.add_middleware(BodyLimit, limit=MAX_REQUEST_BYTES)

    @app.middleware("http")
    async def headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                    "script-src 'self'; frame-ancestors 'none'")
        return response

    def db():
        with maker() as session:
            try:
                yield session
                session.commit()
            except Exception:
                session.rollback()
                raise

    DB = Annotated[Session, Depends(db, scope="function")]  # committed before the answer leaves, not after

    async def caller(request: Request, session: DB):
        """The signed-in user (cookie or bearer token); a cookie's POST must carry the session's form token. A page's
        form is read here, once, and its uploaded files closed when the route is done."""
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(header[7:].strip())))
            user = session.get(User, token.user_id) if token else None
            if user is None or not user.active:
                raise NotSignedIn()
            yield Caller(user, None)
            return
        cookie = request.cookies.get(SESSION_COOKIE)
        login = session.get(LoginSession, digest(cookie)) if cookie else None
        if login is None or login.expires_at < now():
            raise NotSignedIn()
        user = session.get(User, login.user_id)
        if user is None or not user.active:
            raise NotSignedIn()
        form = None
        try:
            if request.method not in ("GET", "HEAD"):
                if request.url.path.startswith("/api/"):
                    sent = request.headers.get("x-csrf-token", "")
                else:
                    form = await request.form(max_files=S.MAX_SCHEDULES + 16, max_fields=MAX_FORM_FIELDS,
                                              max_part_size=S.MAX_DEAL_BYTES + 2**16)
                    request.scope[_FORM_KEY] = form
                    sent = form.get("csrf", "")
                if not isinstance(sent, str) or not same(sent, login.csrf):
                    raise BadForm()
            yield Caller(user, login.csrf)
        finally:
            if form is not None:
                await form.close()

    Who = Annotated[Caller, Depends(caller, scope="function")]

    def page(name: str, request: Request, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(pages.get_template(name).render(request=request, **context), status_code=status)

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    @app.exception_handler(NotSignedIn)
    async def _not_signed_in(request: Request, _exc: NotSignedIn):
        if wants_json(request):
            return JSONResponse({"detail": "sign in, or send a bearer token"}, 401)
        return RedirectResponse("/login", 303)

    def answer(request: Request, status: int, message: str, problems: list[dict] | None = None,
               headers: dict | None = None) -> Response:
        """A refusal: JSON ({"detail", "problems"}) to the API, the error page to a browser."""
        if wants_json(request):
            body = {"detail": message, **({"problems": problems} if problems is not None else {})}
            return JSONResponse(body, status, headers=headers)
        return page("error.html.j2", request, status, message=message, problems=problems, user=None)

    @app.exception_handler(BadForm)
    async def _bad_form(request: Request, _exc: BadForm):
        return answer(request, 403, "the form's security token is missing or wrong: reload the page and try again")

    @app.exception_handler(S.Refused)
    async def _refused(request: Request, exc: S.Refused):
        return answer(request, exc.status, exc.message)

    @app.exception_handler(S.Invalid)
    async def _invalid(request: Request, exc: S.Invalid):
        return answer(request, 422, "the input has problems", exc.problems)

    @app.exception_handler(DataError)
    async def _unstorable(request: Request, _exc: DataError):
        """A value the database cannot hold (the fields' own checks catch the known ones first)."""
        return answer(request, 422, "the input holds characters or values the database cannot store")

    @app.exception_handler(RequestValidationError)
    async def _malformed(request: Request, exc: RequestValidationError):
        """FastAPI's own checks of a request's parameters and body, in the same shape as ipsa's problems."""
        problems = [{"file": "", "line": None, "field": ".".join(str(p) for p in e.get("loc", ())[1:]) or "request",
                     "message": e.get("msg", "invalid")} for e in exc.errors()]
        return answer(request, 422, "the input has problems", problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        message = "no such page" if exc.status_code == 404 and not wants_json(request) else str(exc.detail)
        return answer(request, exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    def submit(request: Request, job: Job) -> None:
        request.app.state.workers.submit(job.id)

    # Sign-in ----------------------------------------------------------------------------------------------------

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request):
        token = request.cookies.get(LOGIN_COOKIE) or new_token()
        response = page("login.html.j2", request, csrf=token, user=None, error=None)
        _cookie(request, response, LOGIN_COOKIE, token, 3600)
        return response

    @app.post("/login", include_in_schema=False)
    async def login(request: Request, session: DB):
        async with request.form(max_files=0, max_fields=20) as form:
            fields = {k: str(v) for k, v in form.items()}
        token = request.cookies.get(LOGIN_COOKIE, "")
        if not token or not same(fields.get("csrf", ""), token):
            raise BadForm()
        email, password = fields.get("email", "").strip().lower()[:320], fields.get("password", "")
        if S.sign_ins_refused(session, email, minutes=LOCKOUT_MINUTES) >= LOCKOUT_AFTER:
            S.audit(session, None, "sign-in refused", email=email)
            return page("login.html.j2", request, 429, csrf=token, user=None,
                        error=f"Too many wrong passwords for this e-mail address: try again in {LOCKOUT_MINUTES} minutes.")
        user = session.scalar(select(User).where(User.email == email)) if "\x00" not in email else None
        if not check_password(user.password_hash if user else None, password) or not user.active:
            S.audit(session, None, "sign-in refused", email=email)
            return page("login.html.j2", request, 401, csrf=token, user=None, error="E-mail or password is wrong.")
        raw = new_token()
        session.execute(delete(LoginSession).where(LoginSession.expires_at < now()))  # old sessions go
        session.add(LoginSession(token_hash=digest(raw), user_id=user.id, csrf=new_token(),
                                 expires_at=now() + dt.timedelta(hours=SESSION_HOURS)))
        S.audit(session, user, "signed in")
        response = RedirectResponse("/", 303)
        _cookie(request, response, SESSION_COOKIE, raw, SESSION_HOURS * 3600)
        response.delete_cookie(LOGIN_COOKIE)
        return response

    @app.post("/logout", include_in_schema=False)
    async def logout(request: Request, session: DB, who: Who):
        cookie = request.cookies.get(SESSION_COOKIE, "")
        login = session.get(LoginSession, digest(cookie))
        if login is not None:
            session.delete(login)
        response = RedirectResponse("/login", 303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    # Pages ------------------------------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, session: DB, who: Who):
        return page("matters.html.j2", request, user=who.user, csrf=who.csrf, matters=S.visible_matters(session, who.user))

    @app.post("/matters", include_in_schema=False)
    async def new_matter(request: Request, session: DB, who: Who):
        form = await await_form_async(request)
        matter = S.create_matter(session, who.user, str(form.get("name", "")), str(form.get("client", "")),
                                 str(form.get("reference", "")))
        return RedirectResponse(f"/matters/{matter.id}", 303)

    @app.get("/matters/{matter_id}", response_class=HTMLResponse, include_in_schema=False)
    def matter_page(request: Request, matter_id: int, session: DB, who: Who):
        matter = S.matter_for(session, who.user, matter_id)
        working = who.user.role in S.WORKERS_ROLES
        jobs = list(session.scalars(select(Job).where(Job.matter_id == matter.id).order_by(Job.id.desc()).limit(20))) \
            if working else []
        versions = S.versions(session, matter)
        return page("matter.html.j2", request, user=who.user, csrf=who.csrf, matter=matter, working=working,
                    versions=versions if working else [], numbers={v.id: v.number for v in versions},
                    members=S.members(session, matter),
                    assessments=S.assessments(session, who.user, matter), jobs=jobs,
                    can_release=who.user.role in S.RELEASERS)

    @app.post("/matters/{matter_id}/members", include_in_schema=False)
    async def member_form(request: Request, matter_id: int, session: DB, who: Who):
        form = await await_form_async(request)
        matter = S.matter_for(session, who.user, matter_id, "release")
        S.add_member(session, who.user, matter, str(form.get("email", "")))
        return RedirectResponse(f"/matters/{matter.id}", 303)

    @app.post("/matters/{matter_id}/versions", include_in_schema=False)
    async def upload(request: Request, matter_id: int, session: DB, who: Who):
        form = await await_form_async(request)
        matter = S.matter_for(session, who.user, matter_id, "work")
        deal = form.get("deal")
        if deal is None or isinstance(deal, str) or not deal.filename:
            raise S.Invalid([{"file": "", "line": None, "field": "deal", "message": "choose a deal file to upload"}])
        schedules = await _schedules(form)
        version = S.save_version(session, who.user, matter, deal.filename, await deal.read(), schedules,
                                 str(form.get("note", "")))
        return RedirectResponse(f"/matters/{matter.id}/versions/{version.number}", 303)

    @app.get("/matters/{matter_id}/versions/{number}", response_class=HTMLResponse, include_in_schema=False)
    def version_page(request: Request, matter_id: int, number: int, session: DB, who: Who):
        matter = S.matter_for(session, who.user, matter_id, "work")
        version = S.version_for(session, who.user, matter, number)
        return page("version.html.j2", request, user=who.user, csrf=who.csrf, matter=matter, version=version,
                    problems=json.loads(version.problems), schedules=S.attachments(session, version))

    @app.post("/matters/{matter_id}/versions/{number}/edit", include_in_schema=False)
    async def edit(request: Request, matter_id: int, number: int, session: DB, who: Who):
        form = await await_form_async(request)
        matter = S.matter_for(session, who.user, matter_id, "work")
        base = S.version_for(session, who.user, matter, number)
        text = str(form.get("text", "")).replace("\r\n", "\n")
        schedules = await _schedules(form)
        if text == base.text and not schedules:
            return RedirectResponse(f"/matters/{matter.id}/versions/{base.number}", 303)  # nothing changed: no version
        version = S.save_version(session, who.user, matter, base.filename, text, schedules,
                                 note=str(form.get("note", "")) or f"edited from version {base.number}",
                                 action="edited", schedules_from=base)
        return RedirectResponse(f"/matters/{matter.id}/versions/{version.number}", 303)

    @app.get("/matters/{matter_id}/versions/{number}/form", response_class=HTMLResponse, include_in_schema=False)
    def guided_page(request: Request, matter_id: int, number: int, session: DB, who: Who):
        from ipsa.web.guided import sections

        matter = S.matter_for(session, who.user, matter_id, "work")
        version = S.version_for(session, who.user, matter, number)
        raw = S.parsed_text(version)
        return page("guided.html.j2", request, user=who.user, csrf=who.csrf, matter=matter, version=version,
                    sections=sections(raw) if isinstance(raw, dict) else None)

    @app.post("/matters/{matter_id}/versions/{number}/form", include_in_schema=False)
    async def guided_save(request: Request, matter_id: int, number: int, session: DB, who: Who):
        from ipsa.web.guided import edited_text

        form = await await_form_async(request)
        matter = S.matter_for(session, who.user, matter_id, "work")
        base = S.version_for(session, who.user, matter, number)
        try:
            text = edited_text(base.text, base.filename, {k: str(v) for k, v in form.items() if isinstance(v, str)})
        except ValueError as exc:
            raise S.Invalid([{"file": base.filename, "line": None, "field": "", "message": str(exc)}]) from None
        if text is None:
            return RedirectResponse(f"/matters/{matter.id}/versions/{base.number}", 303)  # nothing changed: no version
        version = S.save_version(session, who.user, matter, base.filename, text, action="edited with the form",
                                 note=str(form.get("note", "")) or f"form edit of version {base.number}",
                                 schedules_from=base)
        return RedirectResponse(f"/matters/{matter.id}/versions/{version.number}", 303)

    @app.post("/matters/{matter_id}/versions/{number}/assess", include_in_schema=False)
    async def assess_form(request: Request, matter_id: int, number: int, session: DB, who: Who):
        form = await await_form_async(request)
        matter = S.matter_for(session, who.user, matter_id, "work")
        version = S.version_for(session, who.user, matter, number)
        params = S.AssessParams(as_of=str(form.get("as_of", "")) or None, risk=form.get("risk") == "on",
                                paths=_int(form.get("paths"), "paths", 2000), seed=_int(form.get("seed"), "seed", 0),
                                advice=form.get("advice") == "on")
        job = S.start_assessment(session, who.user, matter, version, params)
        session.commit()
        submit(request, job)
        return RedirectResponse(f"/matters/{matter.id}/jobs/{job.id}", 303)

    @app.get("/matters/{matter_id}/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def job_page(request: Request, matter_id: int, job_id: int, session: DB, who: Who):
        matter = S.matter_for(session, who.user, matter_id, "work")
        job = S.job_for(session, who.user, matter, job_id)
        return page("job.html.j2", request, user=who.user, csrf=who.csrf, matter=matter, job=job)

    @app.get("/matters/{matter_id}/assessments/{assessment_id}", response_class=HTMLResponse, include_in_schema=False)
    def assessment_page(request: Request, matter_id: int, assessment_id: int, session: DB, who: Who):
        matter = S.matter_for(session, who.user, matter_id)
        stored = S.assessment_for(session, who.user, matter, assessment_id)
        assessment = S.loaded_assessment(stored) if who.user.role != "client" else None
        others = [a for a in S.assessments(session, who.user, matter) if a.id != stored.id]
        return page("assessment.html.j2", request, user=who.user, csrf=who.csrf, matter=matter, stored=stored,
                    a=assessment, others=others, formats=[f for f in S.MEMO_FORMATS if f != "json"], languages=S.MEMO_LANGUAGES, areas=AREAS,
                    can_release=who.user.role in S.RELEASERS)

    @app.post("/matters/{matter_id}/assessments/{assessment_id}/release", include_in_schema=False)
    async def release_form(request: Request, matter_id: int, assessment_id: int, session: DB, who: Who):
        matter = S.matter_for(session, who.user, matter_id, "release")
        S.release(session, who.user, matter, S.assessment_for(session, who.user, matter, assessment_id))
        return RedirectResponse(f"/matters/{matter.id}/assessments/{assessment_id}", 303)

    @app.get("/matters/{matter_id}/assessments/{assessment_id}/memo.{fmt}", include_in_schema=False)
    def memo_download(request: Request, matter_id: int, assessment_id: int, fmt: str, session: DB, who: Who,
                      lang: str = "en"):
        return _memo(session, who, matter_id, assessment_id, fmt, lang)

    @app.get("/matters/{matter_id}/assessments/{assessment_id}/chart/{key}.png", include_in_schema=False)
    def chart(matter_id: int, assessment_id: int, key: str, session: DB, who: Who) -> Response:
        from ipsa.reports.charts import CHARTS, draw

        matter = S.matter_for(session, who.user, matter_id)
        stored = S.assessment_for(session, who.user, matter, assessment_id)
        if key not in CHARTS or who.user.role == "client":
            raise S.Refused(404, "no such chart")
        assessment = S.loaded_assessment(stored)
        if key != "structure" and assessment.risk is None:
            raise S.Refused(404, "this assessment ran no risk analysis")
        return Response(draw(key, assessment, "png"), media_type="image/png",
                        headers={"Cache-Control": "private, max-age=86400"})

    @app.get("/matters/{matter_id}/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_page(request: Request, matter_id: int, before: int, after: int, session: DB, who: Who):
        matter = S.matter_for(session, who.user, matter_id, "work")
        diff = S.compare_assessments(session, who.user, matter, before, after)
        first, second = (S.assessment_for(session, who.user, matter, n) for n in (before, after))
        return page("compare.html.j2", request, user=who.user, csrf=who.csrf, matter=matter, diff=diff,
                    first=first, second=second, versions={v.id: v.number for v in S.versions(session, matter)})

    @app.get("/matters/{matter_id}/audit", response_class=HTMLResponse, include_in_schema=False)
    def audit_page(request: Request, matter_id: int, session: DB, who: Who):
        matter = S.matter_for(session, who.user, matter_id, "work")
        events = S.audit_log(session, who.user, matter)
        people = {u.id: u.email for u in session.scalars(select(User))}
        return page("audit.html.j2", request, user=who.user, csrf=who.csrf, matter=matter, events=events,
                    people=people, loads=json.loads)

    @app.get("/tokens", response_class=HTMLResponse, include_in_schema=False)
    def tokens_page(request: Request, session: DB, who: Who):
        mine = list(session.scalars(select(ApiToken).where(ApiToken.user_id == who.user.id)))
        return page("tokens.html.j2", request, user=who.user, csrf=who.csrf, tokens=mine, made=None)

    @app.post("/tokens", response_class=HTMLResponse, include_in_schema=False)
    async def make_token(request: Request, session: DB, who: Who):
        form = await await_form_async(request)
        made = S.new_api_token(session, who.user, str(form.get("name", "")))
        mine = list(session.scalars(select(ApiToken).where(ApiToken.user_id == who.user.id)))
        return page("tokens.html.j2", request, user=who.user, csrf=who.csrf, tokens=mine, made=made)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_reference(request: Request):
        """The JSON API's reference, rendered on the server from the OpenAPI document (/openapi.json): no script from
        elsewhere, so it reads offline and under the pages' content security policy."""
        spec = app.openapi()
        operations = [(path, method.upper(), op) for path, methods in spec["paths"].items()
                      for method, op in methods.items()]
        return page("api.html.j2", request, user=None, spec=spec, operations=operations, dumps=json.dumps)

    def admin(who: Caller) -> None:
        if who.user.role != "admin":
            raise S.Refused(403, "only an administrator manages users")

    @app.get("/admin/users", response_class=HTMLResponse, include_in_schema=False)
    def users_page(request: Request, session: DB, who: Who):
        admin(who)
        everyone = list(session.scalars(select(User).order_by(User.email)))
        return page("users.html.j2", request, user=who.user, csrf=who.csrf, users=everyone, roles=ROLES)

    @app.post("/admin/users", include_in_schema=False)
    async def users_add(request: Request, session: DB, who: Who):
        admin(who)
        form = await await_form_async(request)
        added = S.add_user(session, str(form.get("email", "")), str(form.get("role", "")), str(form.get("password", "")),
                           str(form.get("name", "")))
        S.audit(session, who.user, "user added by an administrator", email=added.email, role=added.role)
        return RedirectResponse("/admin/users", 303)

    @app.post("/admin/users/{user_id}/{action}", include_in_schema=False)
    async def users_switch(request: Request, user_id: int, action: str, session: DB, who: Who):
        admin(who)
        other = session.get(User, user_id)
        if other is None or action not in ("activate", "deactivate"):
            raise S.Refused(404, "no such user")
        if other.id == who.user.id:
            raise S.Refused(409, "an administrator cannot deactivate themselves")
        S.set_active(session, other.email, action == "activate")
        return RedirectResponse("/admin/users", 303)

    @app.post("/tokens/{token_id}/revoke", include_in_schema=False)
    async def revoke_token(request: Request, token_id: int, session: DB, who: Who):
        S.revoke_api_token(session, who.user, token_id)
        return RedirectResponse("/tokens", 303)

    # JSON API ---------------------------------------------------------------------------------------------------

    @app.get("/api/matters", tags=["matters"])
    def api_matters(session: DB, who: Who) -> list[MatterOut]:
        return [MatterOut.of(m) for m in S.visible_matters(session, who.user)]

    @app.post("/api/matters", status_code=201, tags=["matters"])
    def api_new_matter(body: MatterIn, session: DB, who: Who) -> MatterOut:
        return MatterOut.of(S.create_matter(session, who.user, body.name, body.client, body.reference))

    @app.get("/api/matters/{matter_id}", tags=["matters"])
    def api_matter(matter_id: int, session: DB, who: Who) -> MatterOut:
        return MatterOut.of(S.matter_for(session, who.user, matter_id))

    @app.post("/api/matters/{matter_id}/members", status_code=201, tags=["matters"])
    def api_member(matter_id: int, body: MemberIn, session: DB, who: Who) -> dict:
        matter = S.matter_for(session, who.user, matter_id, "release")
        other = S.add_member(session, who.user, matter, body.email)
        return {"email": other.email, "role": other.role}

    @app.get("/api/matters/{matter_id}/versions", tags=["versions"])
    def api_versions(matter_id: int, session: DB, who: Who) -> list[VersionOut]:
        matter = S.matter_for(session, who.user, matter_id, "work")
        return [VersionOut.of(v, session) for v in S.versions(session, matter)]

    @app.post("/api/matters/{matter_id}/versions", status_code=201, tags=["versions"])
    def api_new_version(matter_id: int, body: VersionIn, session: DB, who: Who) -> VersionOut:
        matter = S.matter_for(session, who.user, matter_id, "work")
        version = S.save_version(session, who.user, matter, body.filename, body.text, body.decoded_schedules(),
                                 body.note)
        return VersionOut.of(version, session)

    @app.get("/api/matters/{matter_id}/versions/{number}", tags=["versions"])
    def api_version(matter_id: int, number: int, session: DB, who: Who) -> VersionOut:
        matter = S.matter_for(session, who.user, matter_id, "work")
        return VersionOut.of(S.version_for(session, who.user, matter, number), session, text=True)

    @app.post("/api/matters/{matter_id}/versions/{number}/validate", tags=["versions"])
    def api_validate(matter_id: int, number: int, body: TextIn, session: DB, who: Who) -> dict:
        """Check edited text against the schema with this version's schedules, saving nothing (the editor's live
        check)."""
        matter = S.matter_for(session, who.user, matter_id, "work")
        version = S.version_for(session, who.user, matter, number)
        if len(body.text.encode("utf-8")) > S.MAX_DEAL_BYTES:
            raise S.Invalid([{"file": version.filename, "line": None, "field": "deal", "message": "too large"}])
        checked = S.check_deal(body.text, version.filename, {a.name: a.content for a in S.attachments(session, version)})
        return {"valid": not checked.problems, "problems": checked.problems}

    @app.post("/api/matters/{matter_id}/versions/{number}/assessments", status_code=202, tags=["assessments"])
    def api_assess(request: Request, matter_id: int, number: int, body: AssessIn, session: DB, who: Who) -> JobOut:
        matter = S.matter_for(session, who.user, matter_id, "work")
        version = S.version_for(session, who.user, matter, number)
        job = S.start_assessment(session, who.user, matter, version, S.AssessParams(**body.model_dump()))
        session.commit()
        submit(request, job)
        return JobOut.of(job)

    @app.get("/api/matters/{matter_id}/jobs/{job_id}", tags=["assessments"])
    def api_job(matter_id: int, job_id: int, session: DB, who: Who) -> JobOut:
        matter = S.matter_for(session, who.user, matter_id, "work")
        return JobOut.of(S.job_for(session, who.user, matter, job_id))

    @app.get("/api/matters/{matter_id}/assessments", tags=["assessments"])
    def api_assessments(matter_id: int, session: DB, who: Who) -> list[AssessmentOut]:
        matter = S.matter_for(session, who.user, matter_id)
        return [AssessmentOut.of(a) for a in S.assessments(session, who.user, matter)]

    @app.get("/api/matters/{matter_id}/assessments/{assessment_id}", tags=["assessments"])
    def api_assessment(matter_id: int, assessment_id: int, session: DB, who: Who) -> Response:
        """The stored assessment itself (findings, risk, advice) as the pipeline gave it."""
        return _memo(session, who, matter_id, assessment_id, "json")

    @app.get("/api/matters/{matter_id}/assessments/{assessment_id}/memo", tags=["assessments"])
    def api_memo(matter_id: int, assessment_id: int, session: DB, who: Who, format: str = "md",
                 lang: str = "en") -> Response:
        """The memo in `format` (md, html, docx, pdf, json) and `lang` (en, zh, vi, ja, or en+zh, en+vi, en+ja
        for English beside the other language)."""
        return _memo(session, who, matter_id, assessment_id, format, lang)

    @app.post("/api/matters/{matter_id}/assessments/{assessment_id}/release", tags=["assessments"])
    def api_release(matter_id: int, assessment_id: int, session: DB, who: Who) -> AssessmentOut:
        matter = S.matter_for(session, who.user, matter_id, "release")
        stored = S.assessment_for(session, who.user, matter, assessment_id)
        S.release(session, who.user, matter, stored)
        return AssessmentOut.of(stored)

    @app.get("/api/matters/{matter_id}/compare", tags=["assessments"])
    def api_compare(matter_id: int, before: int, after: int, session: DB, who: Who) -> dict:
        matter = S.matter_for(session, who.user, matter_id, "work")
        return S.compare_assessments(session, who.user, matter, before, after)

    @app.get("/api/matters/{matter_id}/audit", tags=["matters"])
    def api_audit(matter_id: int, session: DB, who: Who) -> list[dict]:
        matter = S.matter_for(session, who.user, matter_id, "work")
        people = {u.id: u.email for u in session.scalars(select(User))}
        return [{"at": e.at.isoformat(), "user": people.get(e.user_id), "action": e.action,
                 "detail": json.loads(e.detail)} for e in S.audit_log(session, who.user, matter)]

    def _memo(session: Session, who: Caller, matter_id: int, assessment_id: int, fmt: str, lang: str = "en") -> Response:
        matter = S.matter_for(session, who.user, matter_id)
        stored = S.assessment_for(session, who.user, matter, assessment_id)
        data, media = S.memo_bytes(session, who.user, matter, stored, fmt, S.FirmTemplates.in_data(settings.data), lang)
        name = f"ipsa-{matter.id}-{stored.id}{'' if lang == 'en' else '-' + lang.replace('+', '-')}.{fmt}"
        disposition = "inline" if fmt == "json" else f'attachment; filename="{name}"'
        return Response(data, media_type=media, headers={"Content-Disposition": disposition})

    return app


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Refuse a request body over `limit` bytes with 413: at once where Content-Length says so, and while it streams
    where it does not (a chunked upload would otherwise be spooled to disk whole before any check)."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            return await self._refuse(scope, receive, send)
        received = 0
        started = False

        async def counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge()
            return message

        async def watched(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope, receive, send):
        response = JSONResponse({"detail": f"the upload is larger than {self.limit // 2**20} MiB"}, 413)
        await response(scope, receive, send)


# Forms ----------------------------------------------------------------------------------------------------------

_FORM_KEY = "ipsa.form"


async def await_form_async(request: Request):
    """A page's form, read once by the sign-in check (which needs its CSRF token) before the route runs."""
    return request.scope[_FORM_KEY]


async def _schedules(form) -> dict[str, bytes]:
    """The patent schedules a page's form uploaded, by file name (its folder, if the browser sent one, dropped)."""
    return {Path(item.filename).name: await item.read() for item in form.getlist("schedules")
            if not isinstance(item, str) and item.filename}


def _int(value, field: str, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        return int(str(value).replace(",", "").replace("_", ""))
    except ValueError:
        raise S.Invalid([{"file": "", "line": None, "field": field, "message": f"{value!r} is not a whole number"}]) from None


def _cookie(request: Request, response: Response, name: str, value: str, seconds: int) -> None:
    response.set_cookie(name, value, max_age=seconds, httponly=True, samesite="lax", path="/",
                        secure=request.url.scheme == "https")


# API bodies -----------------------------------------------------------------------------------------------------

class MatterIn(BaseModel):
    name: str = Field(max_length=300)
    client: str = Field("", max_length=300)
    reference: str = Field("", max_length=100)


class MatterOut(BaseModel):
    id: int
    name: str
    client: str
    reference: str

    @classmethod
    def of(cls, m) -> "MatterOut":
        return cls(id=m.id, name=m.name, client=m.client, reference=m.reference)


class MemberIn(BaseModel):
    email: str = Field(max_length=320)


class TextIn(BaseModel):
    text: str


class VersionIn(BaseModel):
    filename: str = Field("deal.yaml", max_length=255)
    text: str
    schedules: dict[str, str] = Field(default_factory=dict, description="file name -> content, base64")
    note: str = Field("", max_length=500)

    def decoded_schedules(self) -> dict[str, bytes]:
        out = {}
        for name, content in self.schedules.items():
            try:
                out[name] = base64.b64decode(content, validate=True)
            except (binascii.Error, ValueError):
                raise S.Invalid([{"file": name, "line": None, "field": "schedules", "message": "not base64"}]) from None
        return out


class VersionOut(BaseModel):
    number: int
    filename: str
    valid: bool
    problems: list[dict]
    input_sha256: str
    deal_name: str
    note: str
    created_by: str
    created_at: str
    schedules: list[str]
    text: str | None = None

    @classmethod
    def of(cls, v, session, text: bool = False) -> "VersionOut":
        author = session.get(User, v.created_by)
        return cls(number=v.number, filename=v.filename, valid=v.valid, problems=json.loads(v.problems),
                   input_sha256=v.input_sha256, deal_name=v.deal_name, note=v.note, created_by=author.email,
                   created_at=v.created_at.isoformat(), schedules=[a.name for a in S.attachments(session, v)],
                   text=v.text if text else None)


class AssessIn(BaseModel):
    as_of: dt.date | None = None
    risk: bool = True
    paths: int = 2_000
    seed: int = 0
    advice: bool = True

    def model_dump(self, **kw):
        data = super().model_dump(**kw)
        data["as_of"] = self.as_of.isoformat() if self.as_of else None
        return data


class JobOut(BaseModel):
    id: int
    status: str
    stage: str
    done: int
    total: int
    error: str
    assessment_id: int | None

    @classmethod
    def of(cls, j) -> "JobOut":
        return cls(id=j.id, status=j.status, stage=j.stage, done=j.done, total=j.total, error=j.error,
                   assessment_id=j.assessment_id)


class AssessmentOut(BaseModel):
    id: int
    version_id: int
    as_of: dt.date
    paths: int
    seed: int
    risk: bool
    advice: bool
    fails: int
    risks: int
    input_sha256: str
    rule_base_version: str
    released: bool
    created_at: str

    @classmethod
    def of(cls, a) -> "AssessmentOut":
        return cls(id=a.id, version_id=a.version_id, as_of=a.as_of, paths=a.paths, seed=a.seed, risk=a.risk,
                   advice=a.advice, fails=a.fails, risks=a.risks, input_sha256=a.input_sha256,
                   rule_base_version=a.rule_base_version, released=a.released, created_at=a.created_at.isoformat())
