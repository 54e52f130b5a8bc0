"""The workspace over a real server and real databases (SQLite always; PostgreSQL where a server answers): sign-in,
matters, versions, background assessments, memos, comparison, the audit log, and who may reach what."""

from __future__ import annotations

import base64
import json
import threading
import uuid
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.web_support import PASSWORD, csrf_of, postgres_database, running_workspace, wait_for_job

CN = EXAMPLES / "cn_licence_special_plan.yaml"
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def ws(request, tmp_path_factory):
    data = tmp_path_factory.mktemp(f"workspace-{request.param}")
    if request.param == "sqlite":
        with running_workspace(data, None) as workspace:
            yield workspace
    else:
        with postgres_database() as url, running_workspace(data, url) as workspace:
            yield workspace


def _email(role: str = "lawyer") -> str:
    return f"{role}-{uuid.uuid4().hex[:8]}@firm.example"


@pytest.fixture
def lawyer(ws):
    email = _email()
    ws.user(email, "lawyer")
    return ws.browser_client(email)


def _matter(client, name: str = "Project Lantern") -> int:
    answer = client.api("POST", "/api/matters", json={"name": name, "client": "Originator Co", "reference": "L-1"})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def _upload(client, matter: int, path: Path = CN, text: str | None = None, schedules: dict | None = None) -> dict:
    body = {"filename": path.name, "text": text if text is not None else path.read_text(encoding="utf-8"),
            "schedules": {k: base64.b64encode(v).decode() for k, v in (schedules or {}).items()}}
    answer = client.api("POST", f"/api/matters/{matter}/versions", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def _assess(client, matter: int, version: int, **options) -> int:
    body = {"paths": 200, "seed": 3, "advice": False, **options}
    answer = client.api("POST", f"/api/matters/{matter}/versions/{version}/assessments", json=body)
    assert answer.status_code == 202, answer.text
    state = wait_for_job(client, matter, answer.json()["id"])
    assert state["status"] == "done", state
    return state["assessment_id"]


def test_a_lawyer_assesses_the_cn_example_and_downloads_every_memo(ws, lawyer):
    matter = _matter(lawyer)
    version = _upload(lawyer, matter)
    assert version["valid"] and version["number"] == 1 and version["problems"] == []
    assessment = _assess(lawyer, matter, 1)
    page = lawyer.http.get(f"/matters/{matter}/assessments/{assessment}")
    assert page.status_code == 200
    assert "CN-SPV-" in page.text or "CN-" in page.text
    assert 'class="badge s-fail"' in page.text  # the example's failing finding, with its chain
    assert '<ol class="chain">' in page.text
    stored = lawyer.http.get(f"/api/matters/{matter}/assessments/{assessment}").json()
    assert stored["input_sha256"] == version["input_sha256"]
    assert any(f["status"] == "fail" for f in stored["findings"])
    for fmt, magic in (("md", b"# "), ("html", b"<!doctype html"), ("docx", b"PK"), ("pdf", b"%PDF")):
        memo = lawyer.http.get(f"/matters/{matter}/assessments/{assessment}/memo.{fmt}")
        assert memo.status_code == 200 and memo.content[:20].lower().startswith(magic.lower()), fmt
        assert "attachment" in memo.headers["content-disposition"]
    chart = lawyer.http.get(f"/matters/{matter}/assessments/{assessment}/chart/fan.png")
    assert chart.status_code == 200 and chart.content[:4] == b"\x89PNG"


def test_a_stored_assessment_gives_its_memo_in_the_clients_language(ws, lawyer):
    """The memo is written from the stored JSON in Chinese, Japanese, Vietnamese or beside English; the page offers
    every language; an unknown language is a 4xx with its problem named."""
    matter = _matter(lawyer)
    _upload(lawyer, matter)
    assessment = _assess(lawyer, matter, 1)
    page = lawyer.http.get(f"/matters/{matter}/assessments/{assessment}")
    assert "?lang=zh" in page.text and "?lang=en%2Bja" in page.text and "日本語" in page.text
    chinese = lawyer.http.get(f"/matters/{matter}/assessments/{assessment}/memo.md", params={"lang": "zh"})
    assert chinese.status_code == 200 and "# 备忘录" in chinese.text and "破产隔离" in chinese.text
    assert f"ipsa-{matter}-{assessment}-zh.md" in chinese.headers["content-disposition"]
    both = lawyer.api("GET", f"/api/matters/{matter}/assessments/{assessment}/memo", params={"format": "md", "lang": "en+vi"})
    assert both.status_code == 200 and "Brief answers / " in both.text
    refused = lawyer.api("GET", f"/api/matters/{matter}/assessments/{assessment}/memo", params={"format": "md", "lang": "fr"})
    assert 400 <= refused.status_code < 500 and refused.json()["problems"][0]["field"] == "lang"
    log = lawyer.api("GET", f"/api/matters/{matter}/audit").json()
    assert any(e["action"] == "memo downloaded" and e["detail"].get("language") == "zh" for e in log)


def test_the_same_version_date_seed_and_rule_base_give_the_same_figures(ws, lawyer):
    matter = _matter(lawyer)
    _upload(lawyer, matter)
    first, second = _assess(lawyer, matter, 1), _assess(lawyer, matter, 1)
    a = lawyer.http.get(f"/api/matters/{matter}/assessments/{first}").json()
    b = lawyer.http.get(f"/api/matters/{matter}/assessments/{second}").json()
    assert first != second and a == b


def test_compare_two_versions_shows_the_cured_finding(ws, lawyer):
    from tests.conftest import example_mapping

    matter = _matter(lawyer)
    _upload(lawyer, matter)
    before = _assess(lawyer, matter, 1, risk=False)
    deal = example_mapping("cn_licence_special_plan")
    first = lawyer.http.get(f"/api/matters/{matter}/assessments/{before}").json()
    failing = next(f for f in first["findings"] if f["status"] == "fail")
    # Change the deal's date so that the law differs is not needed: a second version of the same text compares
    # equal, and a version with its name changed compares equal in findings too.
    deal["deal"]["name"] = "Project Lantern, second draft"
    _upload(lawyer, matter, text=json.dumps(deal), path=Path("deal.json"))
    after = _assess(lawyer, matter, 2, risk=False)
    diff = lawyer.http.get(f"/api/matters/{matter}/compare", params={"before": before, "after": after}).json()
    assert diff["fails_before"] == diff["fails_after"] >= 1 and diff["cured"] == [] and diff["created"] == []
    page = lawyer.http.get(f"/matters/{matter}/compare", params={"before": before, "after": after})
    assert page.status_code == 200 and "Findings removed" in page.text
    assert failing["rule_id"]
    # One version on two dates: the law in force differs, and so do the findings.
    earlier = _assess(lawyer, matter, 1, risk=False, as_of="2020-01-01")
    moved = lawyer.http.get(f"/api/matters/{matter}/compare", params={"before": earlier, "after": before}).json()
    assert moved["cured"] or moved["created"] or moved["changed"], moved


def test_a_version_with_problems_is_kept_with_each_problem_at_its_line(ws, lawyer):
    matter = _matter(lawyer)
    text = CN.read_text(encoding="utf-8").replace("as_of:", "as_of_typo:", 1)
    version = _upload(lawyer, matter, text=text)
    assert not version["valid"]
    assert any(p["line"] and "as_of" in (p["field"] + p["message"]) for p in version["problems"]), version["problems"]
    refused = lawyer.api("POST", f"/api/matters/{matter}/versions/1/assessments", json={"paths": 200})
    assert refused.status_code == 422 and refused.json()["problems"]
    live = lawyer.api("POST", f"/api/matters/{matter}/versions/1/validate", json={"text": "deal: [unclosed"})
    assert live.status_code == 200 and not live.json()["valid"] and live.json()["problems"][0]["line"]
    page = lawyer.http.get(f"/matters/{matter}/versions/1")
    assert 'id="problems"' in page.text


def test_an_edit_in_the_page_is_a_new_version_and_keeps_the_schedules(ws, lawyer):
    us = EXAMPLES / "us_royalty_llc.yaml"
    schedule = EXAMPLES / "us_patents.csv"
    text = us.read_text(encoding="utf-8")
    if "us_patents.csv" not in text:
        pytest.skip("the US example names no schedule")
    matter = _matter(lawyer)
    first = _upload(lawyer, matter, path=us, schedules={"us_patents.csv": schedule.read_bytes()})
    assert first["valid"], first["problems"]
    missing = _upload(lawyer, matter, path=us)  # the schedule not uploaded: a problem at the deal's line
    assert not missing["valid"] and "not uploaded" in json.dumps(missing["problems"])
    edited = "# reviewed by the deal team\n" + text
    saved = lawyer.post(f"/matters/{matter}/versions/1/edit", {"text": edited.replace("\n", "\r\n"), "note": "tidy"})
    assert saved.status_code == 200 and "/versions/3" in str(saved.url)
    third = lawyer.http.get(f"/api/matters/{matter}/versions/3").json()
    assert third["valid"] and third["schedules"] == ["us_patents.csv"] and third["text"] == edited
    # The version without its schedule is mended in the editor by attaching the schedule.
    mended = lawyer.http.post(f"/matters/{matter}/versions/2/edit",
                              data={"csrf": lawyer.csrf, "text": text + "\n"},
                              files={"schedules": ("us_patents.csv", schedule.read_bytes())})
    assert mended.status_code == 200 and str(mended.url).endswith("/versions/4")
    fourth = lawyer.http.get(f"/api/matters/{matter}/versions/4").json()
    assert fourth["valid"] and fourth["schedules"] == ["us_patents.csv"]


def test_uploads_too_large_too_many_or_not_text_are_refused_with_a_reason(ws, lawyer):
    matter = _matter(lawyer)
    huge = lawyer.http.post(f"/matters/{matter}/versions", data={"csrf": lawyer.csrf},
                            files={"deal": ("deal.yaml", b"a: 1\n" * (600 * 1024))})
    assert huge.status_code == 422 and "larger than" in huge.text
    binary = lawyer.http.post(f"/matters/{matter}/versions", data={"csrf": lawyer.csrf},
                              files={"deal": ("deal.yaml", b"\xff\xfe\x00garbage")})
    assert binary.status_code == 422 and "UTF-8" in binary.text
    wrong = lawyer.http.post(f"/matters/{matter}/versions", data={"csrf": lawyer.csrf},
                             files={"deal": ("deal.exe", b"a: 1")})
    assert wrong.status_code == 422
    many = [("schedules", (f"s{i}.csv", b"id\n")) for i in range(12)]
    crowded = lawyer.http.post(f"/matters/{matter}/versions", data={"csrf": lawyer.csrf},
                               files=[("deal", ("deal.yaml", CN.read_bytes())), *many])
    assert crowded.status_code in (400, 422)
    traversal = lawyer.api("POST", f"/api/matters/{matter}/versions",
                           json={"filename": "deal.yaml", "text": CN.read_text(encoding="utf-8"),
                                 "schedules": {"../../etc/passwd.csv": base64.b64encode(b"id\n").decode()}})
    assert traversal.status_code == 422 and "without folders" in traversal.text
    body = b"x" * (110 * 2**20)
    too_big = lawyer.http.post(f"/matters/{matter}/versions", content=body,
                               headers={"content-type": "application/octet-stream"})
    assert too_big.status_code == 413 and too_big.json()["detail"]
    listed = lawyer.http.get(f"/api/matters/{matter}/versions").json()
    assert listed == []  # nothing half-written


def _with_markup_in_every_free_text_field(deal: dict) -> tuple[dict, int]:
    """The deal with SCRIPT appended to every string the schema accepts it in (names, titles, notes, ...): each
    string is tried in turn and kept only where the deal still validates (ids, codes, dates and choices refuse it)."""
    from ipsa.engine.loading import DealInputError, validate_mapping

    def strings(node, path=()):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from strings(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from strings(value, (*path, index))
        elif isinstance(node, str):
            yield path

    def get(node, path):
        for part in path:
            node = node[part]
        return node

    def put(node, path, value):
        get(node, path[:-1])[path[-1]] = value

    marked = 0
    for path in list(strings(deal)):
        original = get(deal, path)
        put(deal, path, f"{original} {SCRIPT}"[:300])
        try:
            validate_mapping(json.loads(json.dumps(deal)))
            marked += 1
        except DealInputError:
            put(deal, path, original)
    return deal, marked


def test_markup_in_every_text_field_of_a_deal_is_shown_escaped(ws, lawyer):
    from tests.conftest import example_mapping

    deal, marked = _with_markup_in_every_free_text_field(example_mapping("cn_licence_special_plan"))
    assert marked >= 20  # deal name, client, counsel, every party's name, every title, ...
    matter = _matter(lawyer, name=f"Matter {SCRIPT}")
    version = _upload(lawyer, matter, text=json.dumps(deal, ensure_ascii=False), path=Path("deal.json"))
    assert version["valid"], version["problems"]
    assessment = _assess(lawyer, matter, 1, risk=False, advice=True)
    for path in ("/", f"/matters/{matter}", f"/matters/{matter}/versions/1", f"/matters/{matter}/versions/1/form",
                 f"/matters/{matter}/assessments/{assessment}", f"/matters/{matter}/audit",
                 f"/matters/{matter}/assessments/{assessment}/memo.html"):
        page = lawyer.http.get(path)
        assert page.status_code == 200, path
        assert "<script>alert" not in page.text, path
    assert "&lt;script&gt;" in lawyer.http.get(f"/matters/{matter}/versions/1").text


def test_concurrent_saves_to_one_matter_lose_no_version(ws):
    from ipsa.web import service

    email = _email()
    ws.user(email)
    with ws.maker() as db:
        user = db.query(service.User).filter_by(email=email).one()
        matter = service.create_matter(db, user, "Busy matter")
        db.commit()
    text = CN.read_text(encoding="utf-8")
    errors: list[BaseException] = []

    def save(k: int) -> None:
        try:
            with ws.maker() as db:
                me = db.get(service.User, user.id)
                service.save_version(db, me, db.get(service.Matter, matter.id), "deal.yaml", text, note=f"save {k}")
                db.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with ws.maker() as db:
        numbers = sorted(v.number for v in service.versions(db, db.get(service.Matter, matter.id)))
        notes = sorted(v.note for v in service.versions(db, db.get(service.Matter, matter.id)))
    assert numbers == [1, 2, 3, 4, 5, 6] and notes == [f"save {k}" for k in range(6)]


def test_the_audit_log_records_who_did_what_with_the_input_hash_and_rule_base(ws, lawyer):
    matter = _matter(lawyer)
    version = _upload(lawyer, matter)
    assessment = _assess(lawyer, matter, 1, risk=False)
    lawyer.http.get(f"/matters/{matter}/assessments/{assessment}/memo.md")
    events = lawyer.http.get(f"/api/matters/{matter}/audit").json()
    actions = [e["action"] for e in events]
    assert {"matter opened", "version uploaded", "assessment requested", "assessed", "memo downloaded"} <= set(actions)
    assessed = next(e for e in events if e["action"] == "assessed")
    assert assessed["detail"]["input_sha256"] == version["input_sha256"] and assessed["detail"]["rule_base_version"]
    assert all(e["user"] for e in events)


# Access ---------------------------------------------------------------------------------------------------------

def _routes(ws):
    """The running app's API routes, as its OpenAPI document lists them."""
    return ws.client().get("/openapi.json").json()


def test_every_route_refuses_a_caller_who_has_not_signed_in(ws, lawyer):
    matter = _matter(lawyer)
    _upload(lawyer, matter)
    stranger = ws.client(follow_redirects=False)
    page_paths = ["/", f"/matters/{matter}", f"/matters/{matter}/versions/1", f"/matters/{matter}/audit", "/tokens",
                  f"/matters/{matter}/jobs/1", f"/matters/{matter}/assessments/1", f"/matters/{matter}/compare?before=1&after=1",
                  f"/matters/{matter}/assessments/1/memo.md", f"/matters/{matter}/assessments/1/chart/fan.png",
                  "/admin/users", f"/matters/{matter}/versions/1/form"]
    for path in page_paths:
        answer = stranger.get(path)
        assert answer.status_code == 303 and answer.headers["location"] == "/login", path
    for path in ("/matters", f"/matters/{matter}/versions", f"/matters/{matter}/members", "/logout", "/tokens",
                 f"/matters/{matter}/versions/1/edit", f"/matters/{matter}/versions/1/assess",
                 f"/matters/{matter}/assessments/1/release", "/admin/users", "/admin/users/1/deactivate",
                 "/tokens/1/revoke", f"/matters/{matter}/versions/1/form"):
        assert stranger.post(path, data={"csrf": "x"}).status_code == 303, path
    spec = _routes(ws)
    for path, methods in spec["paths"].items():
        concrete = path.replace("{matter_id}", str(matter)).replace("{number}", "1").replace("{job_id}", "1") \
            .replace("{assessment_id}", "1")
        for method in methods:
            answer = stranger.request(method.upper(), concrete, params={"before": 1, "after": 1}, json={})
            assert answer.status_code == 401 and answer.json()["detail"], (method, path)
    assert stranger.get("/api/matters", headers={"Authorization": "Bearer not-a-token"}).status_code == 401


def test_another_firms_lawyer_cannot_reach_a_matter_by_guessing_ids(ws, lawyer):
    matter = _matter(lawyer)
    _upload(lawyer, matter)
    assessment = _assess(lawyer, matter, 1, risk=False)
    job = lawyer.http.get(f"/matters/{matter}").text.count("/jobs/")
    assert job
    other = _email()
    ws.user(other)
    intruder = ws.browser_client(other)
    own = _matter(intruder, "Intruder's own")
    for path in (f"/matters/{matter}", f"/matters/{matter}/versions/1", f"/matters/{matter}/assessments/{assessment}",
                 f"/matters/{matter}/assessments/{assessment}/memo.docx", f"/matters/{matter}/jobs/1",
                 f"/matters/{matter}/audit", f"/matters/{matter}/assessments/{assessment}/chart/fan.png",
                 f"/api/matters/{matter}", f"/api/matters/{matter}/versions/1",
                 f"/api/matters/{matter}/assessments/{assessment}",
                 f"/api/matters/{matter}/assessments/{assessment}/memo?format=pdf"):
        assert intruder.http.get(path).status_code == 404, path
    # Their own matter's id with the other matter's assessment id: still nothing.
    assert intruder.http.get(f"/api/matters/{own}/assessments/{assessment}").status_code == 404
    assert intruder.http.get(f"/matters/{own}/assessments/{assessment}/memo.md").status_code == 404
    assert intruder.api("POST", f"/api/matters/{matter}/versions", json={"text": "x"}).status_code == 404
    assert intruder.post(f"/matters/{matter}/versions/1/assess", {"paths": "200"}).status_code == 404
    assert intruder.api("POST", f"/api/matters/{matter}/members", json={"email": other}).status_code == 404
    assert all(m["id"] != matter for m in intruder.http.get("/api/matters").json())


def test_a_forged_form_post_changes_nothing(ws, lawyer):
    before = lawyer.http.get("/api/matters").json()
    forged = lawyer.http.post("/matters", data={"name": "Forged"})  # the browser's cookie, no form token
    assert forged.status_code == 403 and "security token" in forged.text
    wrong = lawyer.http.post("/matters", data={"name": "Forged", "csrf": "guess"})
    assert wrong.status_code == 403
    api = lawyer.http.post("/api/matters", json={"name": "Forged"})  # cookie without the header
    assert api.status_code == 403
    login = ws.client().post("/login", data={"email": "x@y.z", "password": PASSWORD})
    assert login.status_code == 403
    assert lawyer.http.get("/api/matters").json() == before


def test_a_client_sees_only_the_memos_released_to_them(ws, lawyer):
    matter = _matter(lawyer)
    _upload(lawyer, matter)
    first = _assess(lawyer, matter, 1, risk=False)
    second = _assess(lawyer, matter, 1, risk=False)
    client_email = _email("client")
    ws.user(client_email, "client")
    assert lawyer.api("POST", f"/api/matters/{matter}/members", json={"email": client_email}).status_code == 201
    client = ws.browser_client(client_email)
    assert client.http.get(f"/api/matters/{matter}/assessments").json() == []
    assert client.http.get(f"/matters/{matter}/assessments/{first}/memo.pdf").status_code == 404
    assert client.http.get(f"/api/matters/{matter}/versions").status_code == 403
    assert client.http.get(f"/matters/{matter}/versions/1").status_code == 403
    released = lawyer.api("POST", f"/api/matters/{matter}/assessments/{first}/release")
    assert released.status_code == 200 and released.json()["released"]
    listed = client.http.get(f"/api/matters/{matter}/assessments").json()
    assert [a["id"] for a in listed] == [first]
    assert client.http.get(f"/matters/{matter}/assessments/{first}/memo.pdf").content[:4] == b"%PDF"
    assert client.http.get(f"/matters/{matter}/assessments/{second}/memo.pdf").status_code == 404
    assert client.http.get(f"/api/matters/{matter}/assessments/{first}").status_code == 403  # memo, not the data
    assert client.api("POST", f"/api/matters/{matter}/assessments/{second}/release").status_code == 403
    assert client.api("POST", "/api/matters", json={"name": "mine"}).status_code == 403


def test_an_api_token_works_for_scripts_without_a_cookie(ws, lawyer):
    page = lawyer.post("/tokens", {"name": "nightly"})
    token = page.text.split('id="new-token">')[1].split("<")[0]
    script = ws.client(headers={"Authorization": f"Bearer {token}"})
    made = script.post("/api/matters", json={"name": "From a script"})
    assert made.status_code == 201
    assert any(m["name"] == "From a script" for m in script.get("/api/matters").json())
    with ws.maker() as db:
        from ipsa.web.models import ApiToken

        assert all(token not in (t.token_hash, t.name) for t in db.query(ApiToken))


def test_sign_in_cookie_is_httponly_and_samesite_and_a_wrong_password_is_refused(ws):
    email = _email()
    ws.user(email)
    client = ws.client()
    token = csrf_of(client.get("/login").text)
    wrong = client.post("/login", data={"csrf": token, "email": email, "password": "wrong password"})
    assert wrong.status_code == 401 and "wrong" in wrong.text
    right = client.post("/login", data={"csrf": token, "email": email, "password": PASSWORD})
    cookie = right.headers["set-cookie"]
    assert right.status_code == 303 and "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    with ws.maker() as db:
        from ipsa.web.models import User

        stored = db.query(User).filter_by(email=email).one().password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_repeated_wrong_passwords_lock_the_address_out_for_a_while(ws):
    email = _email()
    ws.user(email)
    client = ws.client()
    token = csrf_of(client.get("/login").text)
    answers = [client.post("/login", data={"csrf": token, "email": email, "password": f"guess {k}"}).status_code
               for k in range(11)]
    assert answers == [401] * 10 + [429]
    right = client.post("/login", data={"csrf": token, "email": email, "password": PASSWORD})
    assert right.status_code == 429 and "Too many" in right.text  # even the right password, until the window ends
    other = _email()
    ws.user(other)
    assert client.post("/login", data={"csrf": token, "email": other, "password": PASSWORD}).status_code == 303


def test_over_tls_the_session_cookie_is_secure(ws):
    """Behind a TLS-terminating proxy on the same host (X-Forwarded-Proto: https), the cookie is marked Secure."""
    email = _email()
    ws.user(email)
    client = ws.client(headers={"X-Forwarded-Proto": "https"})
    form = client.get("/login")
    assert "; secure" in form.headers["set-cookie"].lower()
    token = csrf_of(form.text)  # the test talks plain HTTP to the server, so it hands the Secure cookie back itself
    answer = client.post("/login", data={"csrf": token, "email": email, "password": PASSWORD},
                         headers={"Cookie": f"ipsa_login={token}"})
    assert answer.status_code == 303 and "; secure" in answer.headers["set-cookie"].lower()


def test_the_schema_is_the_migrations_and_the_models_agree(ws):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from ipsa.web.models import Base

    engine = create_engine(ws.url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() is not None
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_the_guided_form_edits_the_main_sections_into_a_new_version(ws, lawyer):
    matter = _matter(lawyer)
    _upload(lawyer, matter)
    page = lawyer.http.get(f"/matters/{matter}/versions/1/form")
    assert page.status_code == 200
    for section in ("parties", "patents", "licences", "transfers", "spv", "notes"):
        assert f'id="section-{section}"' in page.text
    assert 'name="parties.0.name"' in page.text and 'name="notes.new.id"' in page.text
    assert "Kept as in the text: royalty" in page.text  # nested terms are left to the text editor
    # What a browser sends: every shown cell, with the first party renamed and a note class added.
    import re
    from html import unescape

    fields = {}
    for name, value in re.findall(r'<input name="([^"]+)" value="([^"]*)"', page.text):
        fields[name] = unescape(value)
    for name, value in re.findall(r'<input type="date" name="([^"]+)" value="([^"]*)"', page.text):
        fields[name] = value
    for name in re.findall(r'<input type="checkbox" name="([^"]+)"[^>]* checked>', page.text):
        fields[name] = "on"
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page.text, re.S):
        chosen = re.search(r"<option selected>([^<]*)</option>", body)
        fields[name] = chosen.group(1) if chosen else ""
    unchanged = lawyer.post(f"/matters/{matter}/versions/1/form", fields)  # what the page showed, sent back as it was
    assert unchanged.status_code == 200 and str(unchanged.url).endswith("/versions/1")
    fields["parties.0.name"] = "Lingxi Photonics (renamed) Co., Ltd."
    fields["notes.new.id"] = "mezzanine"
    fields["notes.new.amount"] = "5000000"
    saved = lawyer.post(f"/matters/{matter}/versions/1/form", fields)
    assert saved.status_code == 200 and str(saved.url).endswith("/versions/2")
    second = lawyer.http.get(f"/api/matters/{matter}/versions/2").json()
    first = lawyer.http.get(f"/api/matters/{matter}/versions/1").json()
    assert "Lingxi Photonics (renamed) Co., Ltd." in second["text"] and "- id: mezzanine" in second["text"]
    # The added class lacks its required terms: saved, and each problem reported at its line.
    assert not second["valid"] and {p["field"] for p in second["problems"]} >= {"notes[2].coupon", "notes[2].seniority"}
    assert all(p["line"] for p in second["problems"])
    # Everything not edited is as it was: the text differs only in the renamed party and the new class.
    changed = set(second["text"].splitlines()) ^ set(first["text"].splitlines())
    assert changed == {"    name: Lingxi Photonics Co., Ltd.", "    name: Lingxi Photonics (renamed) Co., Ltd.",
                       "  - id: mezzanine", "    amount: 5000000"}, changed


def test_the_workspace_writes_memos_through_its_firm_templates(ws, tmp_path):
    from tests.web_support import running_workspace

    data = tmp_path / "firm"
    (data / "templates").mkdir(parents=True)
    bundled = (Path(__file__).resolve().parents[1] / "reports" / "templates" / "memo.md.j2").read_text(encoding="utf-8")
    (data / "templates" / "memo.md.j2").write_text("FIRM LETTERHEAD — Dewey & Partners\n\n" + bundled, encoding="utf-8")
    with running_workspace(data, None) as firm:
        email = _email()
        firm.user(email)
        client = firm.browser_client(email)
        matter = _matter(client)
        _upload(client, matter)
        assessment = _assess(client, matter, 1, risk=False)
        memo = client.http.get(f"/matters/{matter}/assessments/{assessment}/memo.md").text
    assert memo.startswith("FIRM LETTERHEAD — Dewey & Partners")


# The command line -------------------------------------------------------------------------------------------------

def _ipsa(*args: str, env: dict | None = None, **kw):
    import os
    import subprocess
    import sys

    ipsa = Path(sys.executable).with_name("ipsa")
    return subprocess.run([str(ipsa), *args], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
                          env={**os.environ, **(env or {})}, **kw)


def test_user_add_takes_the_password_from_the_environment_and_never_prints_it(tmp_path):
    from ipsa.web.database import database_url, make_engine, sessions
    from ipsa.web.models import User
    from ipsa.web.security import check_password

    secret = "Tr0ub4dor&3-long-enough"
    done = _ipsa("user", "add", "Partner@Firm.example", "--role", "lawyer", "--data", str(tmp_path),
                 env={"IPSA_PASSWORD": secret})
    assert done.returncode == 0, done.stderr
    assert secret not in done.stdout + done.stderr and "partner@firm.example" in done.stderr
    engine = make_engine(database_url(tmp_path, None))
    with sessions(engine)() as db:
        user = db.query(User).filter_by(email="partner@firm.example").one()
        assert user.role == "lawyer" and check_password(user.password_hash, secret)
    engine.dispose()
    bad_role = _ipsa("user", "add", "x@firm.example", "--role", "partner", "--data", str(tmp_path),
                     env={"IPSA_PASSWORD": secret})
    assert bad_role.returncode == 2 and "role" in bad_role.stderr and "Traceback" not in bad_role.stderr
    again = _ipsa("user", "add", "partner@firm.example", "--role", "lawyer", "--data", str(tmp_path),
                  env={"IPSA_PASSWORD": secret})
    assert again.returncode == 2 and "exists already" in again.stderr
    no_password = _ipsa("user", "add", "y@firm.example", "--role", "analyst", "--data", str(tmp_path),
                        env={"IPSA_PASSWORD": ""})
    assert no_password.returncode == 2 and "IPSA_PASSWORD" in no_password.stderr


def test_serve_with_demo_starts_the_workspace_with_a_demo_matter(tmp_path):
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    secret = "demo-password-123"
    server = subprocess.Popen([str(Path(sys.executable).with_name("ipsa")), "serve", "--demo", "--port", str(port),
                               "--data", str(tmp_path), "--workers", "1"],
                              env={**os.environ, "IPSA_PASSWORD": secret}, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            deadline = time.monotonic() + 90
            while True:
                try:
                    page = client.get("/login")
                    break
                except httpx.TransportError:
                    assert server.poll() is None and time.monotonic() < deadline, server.stderr.read()
                    time.sleep(0.2)
            token = csrf_of(page.text)
            signed = client.post("/login", data={"csrf": token, "email": "demo@ipsa.example", "password": secret})
            assert signed.status_code == 303
            matters = client.get("/api/matters").json()
            assert [m["name"] for m in matters] == ["Demo: CN licence special plan"]
            versions = client.get(f"/api/matters/{matters[0]['id']}/versions").json()
            assert len(versions) == 1 and versions[0]["valid"]
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=60)
    assert secret not in out + err


def test_the_api_is_documented_at_docs_from_its_openapi_document(ws):
    client = ws.client()
    spec = client.get("/openapi.json").json()
    page = client.get("/docs")
    assert page.status_code == 200 and "<script src=\"http" not in page.text
    for path, methods in spec["paths"].items():
        for method in methods:
            assert f"<code>{method.upper()} {path}</code>" in page.text
    assert {"/api/matters", "/api/matters/{matter_id}/versions/{number}/assessments",
            "/api/matters/{matter_id}/compare", "/api/matters/{matter_id}/audit"} <= set(spec["paths"])


# What a new user met (a helper's trial) -------------------------------------------------------------------------

def test_control_characters_in_any_field_are_refused_not_stored(ws, lawyer):
    """PostgreSQL cannot store a NUL: it was a 500 there and silently stored on SQLite."""
    matter = _matter(lawyer)
    for path, data in (("/matters", {"name": "a\x00b"}), ("/matters", {"name": "ok", "client": "x\u202ey"}),
                       ("/tokens", {"name": "tok\x00en"}), (f"/matters/{matter}/members", {"email": "a\x00@x.example"})):
        answer = lawyer.post(path, data)
        assert answer.status_code == 422 and "control" in answer.text, (path, answer.status_code, answer.text[:300])
    _upload(lawyer, matter)
    edit = lawyer.post(f"/matters/{matter}/versions/1/edit", {"text": CN.read_text(encoding="utf-8") + "\n", "note": "n\x00te"})
    assert edit.status_code == 422
    stranger = ws.client()
    token = csrf_of(stranger.get("/login").text)
    assert stranger.post("/login", data={"csrf": token, "email": "de\x00mo@x.example", "password": "x"}).status_code == 401
    assert all("\x00" not in m["name"] for m in lawyer.http.get("/api/matters").json())


def test_a_date_no_rule_applied_on_is_shown_and_compared_as_not_checked(ws, lawyer):
    matter = _matter(lawyer)
    _upload(lawyer, matter)
    now = _assess(lawyer, matter, 1, risk=False)
    then = _assess(lawyer, matter, 1, risk=False, as_of="1900-01-01")
    page = lawyer.http.get(f"/matters/{matter}/assessments/{then}")
    assert page.status_code == 200 and "nothing was checked" in page.text
    diff = lawyer.http.get(f"/api/matters/{matter}/compare", params={"before": now, "after": then}).json()
    assert diff["cured"] == [] and diff["not_compared"] and "CN: assessed on" in diff["not_compared_because"][0]
    outside = lawyer.api("POST", f"/api/matters/{matter}/versions/1/assessments", json={"as_of": "0001-01-01"})
    assert outside.status_code == 422 and "outside the dates" in outside.text
    rules_only = lawyer.api("POST", f"/api/matters/{matter}/versions/1/assessments", json={"risk": False, "paths": 5})
    assert rules_only.status_code == 202  # paths do not matter without the risk analysis


def test_malformed_requests_answer_pages_with_a_page_and_the_api_with_problems(ws, lawyer):
    matter = _matter(lawyer)
    page = lawyer.http.get(f"/matters/{matter}/compare", params={"before": "x", "after": 1})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html") and "before" in page.text
    missing = lawyer.http.get("/no/such/page")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    api = lawyer.api("POST", f"/api/matters/{matter}/versions/1/assessments", json={"paths": "lots"})
    body = api.json()
    assert api.status_code == 422 and body["problems"][0]["field"] == "paths"
    many = [("schedules", (f"s{i}.csv", b"id\n")) for i in range(9)]
    crowded = lawyer.http.post(f"/matters/{matter}/versions", data={"csrf": lawyer.csrf},
                               files=[("deal", ("deal.yaml", CN.read_bytes())), *many])
    assert crowded.status_code == 422 and "at most 8 schedules" in crowded.text
    assert lawyer.http.get("/favicon.ico").status_code == 204


def test_saving_an_unchanged_text_or_form_makes_no_version(ws, lawyer):
    matter = _matter(lawyer)
    _upload(lawyer, matter)
    text = lawyer.http.get(f"/api/matters/{matter}/versions/1").json()["text"]
    same = lawyer.post(f"/matters/{matter}/versions/1/edit", {"text": text})
    assert same.status_code == 200 and str(same.url).endswith("/versions/1")
    assert len(lawyer.http.get(f"/api/matters/{matter}/versions").json()) == 1


def test_tokens_can_be_revoked_and_users_deactivated_or_given_a_new_password(ws, tmp_path):
    from ipsa.web import service

    email = _email()
    ws.user(email)
    user = ws.browser_client(email)
    page = user.post("/tokens", {"name": "nightly"})
    token = page.text.split('id="new-token">')[1].split("<")[0]
    script = ws.client(headers={"Authorization": f"Bearer {token}"})
    assert script.get("/api/matters").status_code == 200
    token_id = int(page.text.split('action="/tokens/')[1].split("/")[0])
    assert user.post(f"/tokens/{token_id}/revoke").status_code == 200
    assert script.get("/api/matters").status_code == 401
    with ws.maker() as db:
        service.set_password(db, email, "a brand new password")
        db.commit()
    assert user.http.get("/api/matters").status_code == 401  # the session ended with the old password
    fresh = ws.client()
    token = csrf_of(fresh.get("/login").text)
    assert fresh.post("/login", data={"csrf": token, "email": email, "password": PASSWORD}).status_code == 401
    assert fresh.post("/login", data={"csrf": token, "email": email, "password": "a brand new password"}).status_code == 303
    with ws.maker() as db:
        service.set_active(db, email, False)
        db.commit()
    assert fresh.get("/api/matters").status_code == 401
    again = ws.client()
    token = csrf_of(again.get("/login").text)
    assert again.post("/login", data={"csrf": token, "email": email, "password": "a brand new password"}).status_code == 401


def test_users_assessing_at_once_lose_nothing(ws):
    """The load benchmark, small: six users, thirty assessments at once through the API on one server; every one
    is stored and none failed (its speed is measured by benchmarks/bench_workspace.py, not here)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.bench_workspace import main

    result = main(users=6, assessments=30, workers=2, paths=0, database_url=None if "sqlite" in ws.url else ws.url)
    assert result["lost"] == 0 and result["failed"] == 0 and result["assessments"] == 30


def test_a_run_the_pipeline_refuses_fails_with_its_reason_shown(ws, lawyer):
    matter = _matter(lawyer)
    _upload(lawyer, matter)
    started = lawyer.api("POST", f"/api/matters/{matter}/versions/1/assessments",
                         json={"as_of": "2040-01-01", "risk": True, "paths": 200, "advice": False})
    assert started.status_code == 202
    state = wait_for_job(lawyer, matter, started.json()["id"])
    assert state["status"] == "failed" and "legal final" in state["error"] and state["assessment_id"] is None
    page = lawyer.http.get(f"/matters/{matter}/jobs/{started.json()['id']}")
    assert 'id="job-error"' in page.text and "legal final" in page.text


def test_an_administrator_manages_users_in_the_page_and_no_one_else_can(ws, lawyer):
    admin_email = _email("admin")
    ws.user(admin_email, "admin")
    admin = ws.browser_client(admin_email)
    assert lawyer.http.get("/admin/users").status_code == 403
    assert lawyer.post("/admin/users", {"email": "x@y.example", "role": "admin", "password": "0123456789ab"}).status_code == 403
    page = admin.http.get("/admin/users")
    assert page.status_code == 200 and admin_email in page.text
    newcomer = _email("analyst")
    added = admin.post("/admin/users", {"email": newcomer, "role": "analyst", "password": PASSWORD, "name": "New"})
    assert added.status_code == 200 and newcomer in added.text
    signed = ws.browser_client(newcomer)
    assert signed.http.get("/api/matters").status_code == 200
    user_id = int(added.text.split(newcomer)[1].split('action="/admin/users/')[1].split("/")[0])
    assert admin.post(f"/admin/users/{user_id}/deactivate").status_code == 200
    assert signed.http.get("/api/matters").status_code == 401
    weak = admin.post("/admin/users", {"email": _email(), "role": "lawyer", "password": "short"})
    assert weak.status_code == 422 and "10 characters" in weak.text


def test_an_upload_without_a_declared_length_is_cut_off_at_the_limit(ws, lawyer):
    """A chunked body (no Content-Length) is counted as it arrives and refused past the limit, not spooled whole."""
    matter = _matter(lawyer)

    def chunks():
        yield (f'--zzz\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{lawyer.csrf}\r\n'
               '--zzz\r\nContent-Disposition: form-data; name="deal"; filename="deal.yaml"\r\n'
               "Content-Type: application/octet-stream\r\n\r\n").encode()
        for _ in range(120):
            yield b"x" * 2**20  # 120 MiB of file in all, over the workspace's limit
        yield b"\r\n--zzz--\r\n"

    answer = lawyer.http.post(f"/matters/{matter}/versions", content=chunks(),
                              headers={"content-type": "multipart/form-data; boundary=zzz"})
    assert answer.status_code == 413 and "larger than" in answer.json()["detail"]
    assert lawyer.http.get(f"/api/matters/{matter}/versions").json() == []


def test_a_run_cut_short_by_a_stop_is_marked_interrupted_at_the_next_start(tmp_path):
    from tests.web_support import running_workspace

    email = _email()
    with running_workspace(tmp_path, None) as first:
        first.user(email)
        client = first.browser_client(email)
        matter = _matter(client)
        _upload(client, matter)
        job = client.api("POST", f"/api/matters/{matter}/versions/1/assessments",
                         json={"paths": 100_000, "advice": True}).json()["id"]
        import time

        deadline = time.monotonic() + 120
        while client.http.get(f"/api/matters/{matter}/jobs/{job}").json()["status"] != "running":
            assert time.monotonic() < deadline
            time.sleep(0.1)
    with running_workspace(tmp_path, None) as second:
        client = second.browser_client(email)
        state = client.http.get(f"/api/matters/{matter}/jobs/{job}").json()
    assert state["status"] == "failed" and "interrupted" in state["error"]


def test_a_deal_with_an_xlsx_schedule_is_read_from_the_upload(ws, lawyer, tmp_path):
    import csv

    from openpyxl import Workbook

    us = EXAMPLES / "us_royalty_llc.yaml"
    book = Workbook()
    sheet = book.active
    with (EXAMPLES / "us_patents.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    path = tmp_path / "us_patents.xlsx"
    book.save(path)
    text = us.read_text(encoding="utf-8").replace("us_patents.csv", "us_patents.xlsx")
    matter = _matter(lawyer)
    version = _upload(lawyer, matter, path=us, text=text, schedules={"us_patents.xlsx": path.read_bytes()})
    assert version["valid"], version["problems"]
    from ipsa.web.service import load_version_deal

    from_xlsx = load_version_deal(text, us.name, {"us_patents.xlsx": path.read_bytes()})
    from_csv = load_version_deal(us.read_text(encoding="utf-8"), us.name,
                                 {"us_patents.csv": (EXAMPLES / "us_patents.csv").read_bytes()})
    assert from_xlsx.deal.patents == from_csv.deal.patents  # the same patents, whichever file carried them


def test_the_workspace_and_the_command_line_give_the_same_assessment(ws, lawyer):
    """One set of figures: the same deal, date, seed and paths through the workspace's worker and through the
    pipeline directly give the same findings and figures (only the source's name differs)."""
    from ipsa.engine import pipeline
    from ipsa.engine.loading import load_deal

    matter = _matter(lawyer)
    _upload(lawyer, matter)
    stored = lawyer.http.get(f"/api/matters/{matter}/assessments/{_assess(lawyer, matter, 1, paths=300, seed=11)}").json()
    direct = pipeline.run(load_deal(CN), pipeline.Options(paths=300, seed=11, advice=False)).model_dump(mode="json")
    assert stored.pop("source") == CN.name and direct.pop("source") == str(CN)
    assert stored == direct
