"""The workspace as its users meet it: a real uvicorn server on a free localhost port, over a real database (a fresh
SQLite file, or a fresh database on the PostgreSQL server at 127.0.0.1:5432), with real worker processes."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

POSTGRES_ADMIN = os.environ.get("IPSA_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PASSWORD = "correct horse battery staple"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_database():
    """A new, empty PostgreSQL database for one test module, dropped afterwards. Without a server: skipped, unless
    IPSA_REQUIRE_POSTGRES is set (as .ci/run sets it), where it fails."""
    from sqlalchemy import create_engine, text

    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"ipsa_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - no server: the reason is reported
        admin.dispose()
        if os.environ.get("IPSA_REQUIRE_POSTGRES"):
            raise
        pytest.skip(f"no PostgreSQL server at {POSTGRES_ADMIN}: {exc.__class__.__name__}")
    try:
        yield POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass
class Workspace:
    base: str
    url: str  # the database URL
    maker: object
    app: object = None  # the running FastAPI app (its state holds the worker pool)
    clients: list = field(default_factory=list)  # closed when the workspace stops

    def client(self, **options) -> httpx.Client:
        made = httpx.Client(base_url=self.base, timeout=120, **options)
        self.clients.append(made)
        return made

    def user(self, email: str, role: str = "lawyer") -> None:
        from ipsa.web import service

        with self.maker() as db:
            service.add_user(db, email, role, PASSWORD)
            db.commit()

    def browser_client(self, email: str) -> "Signed":
        client = httpx.Client(base_url=self.base, follow_redirects=True, timeout=120)
        page = client.get("/login")
        token = csrf_of(page.text)
        signed = client.post("/login", data={"csrf": token, "email": email, "password": PASSWORD},
                             follow_redirects=False)
        assert signed.status_code == 303, signed.text[:500]
        answer = client.get("/")
        assert answer.status_code == 200 and "Sign out" in answer.text, answer.text[:500]
        self.clients.append(client)
        return Signed(client, csrf_of(answer.text))


@dataclass
class Signed:
    """A signed-in browser: its cookies and the form token its pages carry."""
    http: httpx.Client
    csrf: str

    def post(self, path: str, data: dict | None = None, **kw) -> httpx.Response:
        return self.http.post(path, data={"csrf": self.csrf, **(data or {})}, **kw)

    def api(self, method: str, path: str, **kw) -> httpx.Response:
        headers = {"X-CSRF-Token": self.csrf, **kw.pop("headers", {})}
        return self.http.request(method, path, headers=headers, **kw)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page carries no form token"
    return found.group(1)


@contextmanager
def running_workspace(data: Path, database_url: str | None, workers: int = 1):
    import uvicorn

    from ipsa.web.app import Settings, create_app
    from ipsa.web.database import make_engine, sessions

    settings = Settings(data=data, database_url=database_url, workers=workers)
    app = create_app(settings)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the workspace did not start")
        time.sleep(0.05)
    engine = make_engine(settings.url)
    workspace = Workspace(f"http://127.0.0.1:{port}", settings.url, sessions(engine), app=app)
    try:
        yield workspace
    finally:
        for client in workspace.clients:
            client.close()
        server.should_exit = True
        thread.join(60)
        engine.dispose()


def wait_for_job(client: Signed, matter: int, job: int, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = client.http.get(f"/api/matters/{matter}/jobs/{job}").json()
        if state["status"] in ("done", "failed"):
            return state
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job} still {state['status']} after {timeout} s")
        time.sleep(0.2)
