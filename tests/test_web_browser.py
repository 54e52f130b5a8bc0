"""The workspace in a real browser: the system's Chromium driven by Playwright, against a real server and database.

Chromium comes from the system's packages (Debian's `chromium`, which .ci/run installs); without it these tests are
skipped, unless IPSA_REQUIRE_BROWSER is set (as .ci/run sets it when it could install it), where they fail. With
IPSA_SCREENSHOTS=FOLDER they also save the README's screenshots there."""

from __future__ import annotations

import os
import re
import shutil
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.web_support import PASSWORD, running_workspace

CHROMIUM = next((p for p in (os.environ.get("IPSA_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"))
                 if p), None)
if CHROMIUM is None and not os.environ.get("IPSA_REQUIRE_BROWSER"):
    pytest.skip("no system Chromium (install Debian's chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    with running_workspace(tmp_path_factory.mktemp("browser-workspace"), None) as workspace:
        yield workspace


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def _shot(page, name: str) -> None:
    folder = os.environ.get("IPSA_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


def _sign_in(browser, ws, email: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(90_000)  # a shared, loaded CI machine
    page = context.new_page()
    page.goto(f"{ws.base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_selector("h1:has-text('Matters')")
    return context, page


def _assess(page, paths: int, risk: bool, meanwhile=None, stages: list[str] | None = None) -> list[dict]:
    """Start an assessment from the version page and follow its run page to the result; what the run page showed,
    sampled. `meanwhile` is called once while the run is under way. `stages` gets every "status|stage" text the run
    page displayed, as it displayed it (an observer on the page reports each change, so that a stage shown between
    two samples of a quick run is not missed)."""
    if stages is not None:
        name = f"ipsaShown{uuid.uuid4().hex}"
        page.expose_function(name, lambda text: stages.append(text))
        page.add_init_script(
            "document.addEventListener('DOMContentLoaded', () => {"
            " const stage = document.getElementById('job-stage'), status = document.getElementById('job-status');"
            " if (!stage) { return; }"
            f" const report = () => window['{name}'](status.textContent + '|' + stage.textContent);"
            " report(); new MutationObserver(report).observe(stage, {childList: true, characterData: true, subtree: true});"
            "});")
    if not risk:
        page.uncheck("input[name=risk]")
    page.uncheck("input[name=advice]")
    page.fill("input[name=paths]", str(paths))
    page.click("#assess button")
    # The run's page, or already the result: a quick run can finish before its page has been looked at.
    page.wait_for_url(re.compile(r"/(jobs|assessments)/\d+$"), timeout=120_000)
    seen = []
    if meanwhile is not None:
        meanwhile()
    deadline = time.monotonic() + 300
    while "/assessments/" not in page.url:
        try:
            seen.append(page.evaluate("() => { const b = document.getElementById('job-progress'); return b ? "
                                      "{status: document.getElementById('job-status').textContent, value: b.value, max: b.max, "
                                      "stage: document.getElementById('job-stage').textContent} : null }"))
        except Exception:  # noqa: BLE001 - the page navigated to the assessment between two looks
            pass
        assert time.monotonic() < deadline, "the run did not finish"
        time.sleep(0.1)
    page.wait_for_selector("#findings")
    return [s for s in seen if s]


def test_a_lawyer_works_a_matter_in_the_browser_and_another_is_refused(ws, browser, tmp_path):
    email, other = f"lawyer-{uuid.uuid4().hex[:6]}@firm.example", f"other-{uuid.uuid4().hex[:6]}@elsewhere.example"
    ws.user(email, "lawyer")
    ws.user(other, "lawyer")
    context, page = _sign_in(browser, ws, email)

    # A matter, and the CN example uploaded as its first version.
    page.fill("#new-matter input[name=name]", "Project Lantern")
    page.fill("#new-matter input[name=client]", "Lantern Technology Co., Ltd.")
    page.fill("#new-matter input[name=reference]", "PL-2026-01")
    page.click("#new-matter button")
    page.wait_for_selector("h1:has-text('Project Lantern')")
    matter_url = page.url
    page.set_input_files("input[name=deal]", str(EXAMPLES / "cn_licence_special_plan.yaml"))
    page.click("#upload button")
    page.wait_for_selector("h2:has-text('Assess this version')")
    _shot(page, "version")

    # The risk job runs in a worker while the page shows its progress, then opens the assessment.
    def other_tab() -> None:  # the workspace answers other pages while the worker runs the job
        tab = context.new_page()
        answer = tab.goto(matter_url)
        assert answer.status == 200 and tab.locator("#versions").is_visible()
        running = tab.goto(ws.base + "/api/matters/" + matter_url.rsplit("/", 1)[-1] + "/jobs/1").text()
        tab.close()
        assert '"status":"done"' not in running.replace(" ", ""), "the job ended before the other tab was served"

    stages: list[str] = []
    seen = _assess(page, paths=100_000, risk=True, meanwhile=other_tab, stages=stages)
    # While it ran, the page said so and what it was doing, with a bar over the run's paths.
    assert any(s["status"] == "running" and s["max"] == 100_000 for s in seen), seen[::10]
    assert any(text.startswith("running|") and "risk" in text for text in stages), stages
    failing = page.locator("details.finding.s-fail").first
    assert failing.is_visible()
    assert failing.locator("ol.chain li").count() >= 1  # the failing finding with its chain of reasons
    assert page.locator("#risk table").is_visible()
    _shot(page, "assessment")
    first_assessment = page.url

    # The DOCX memo downloads.
    with page.expect_download() as download:
        page.click("#memos a:has-text('DOCX')")
    saved = tmp_path / "memo.docx"
    download.value.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK" and saved.stat().st_size > 10_000

    # An edit in the page, checked as it is typed, saved as version 2 and assessed.
    page.goto(matter_url + "/versions/1")
    editor = page.locator("#editor textarea")
    text = editor.input_value()
    editor.fill(text.replace("as_of:", "as_of_typo:", 1))
    page.wait_for_selector("#live.bad")
    assert "as_of" in page.inner_text("#live")
    editor.fill(re.sub(r"(?m)^(\s*name:\s*).*$", r"\1Project Lantern (revised)", text, count=1))
    page.wait_for_selector("#live.ok")
    page.click("#editor button")
    page.wait_for_selector("h1:has-text('Version 2')")
    _assess(page, paths=200, risk=False)

    # Compare the two versions' assessments.
    page.goto(matter_url)
    _shot(page, "matter")
    page.click("#compare button")
    page.wait_for_selector("h2:has-text('Findings removed')")
    assert page.locator("#diff-counts").is_visible()
    _shot(page, "compare")
    context.close()

    # Another firm's lawyer reaches neither the matter nor its assessment.
    context, page = _sign_in(browser, ws, other)
    for url in (matter_url, first_assessment, first_assessment + "/memo.docx"):
        answer = page.goto(url)
        assert answer.status == 404, url
        assert "no such" in page.inner_text("body")
    assert "Project Lantern" not in page.goto(ws.base + "/").text()
    context.close()
