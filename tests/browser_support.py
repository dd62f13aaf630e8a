"""What the browser tests share: a site built in-process, served on 127.0.0.1, and Chromium.

Builds run with SOURCE_DATE_EPOCH pinned to PINNED_EPOCH (2026-11-19, a Thursday in Q4 2026,
before the example plans' year 2027 starts), so every "today"-dependent part of the pages is
the same on every run. One site build and one browser per test session: the machine is
shared and a browser start costs more than most tests.

Chromium is Debian's (/usr/bin/chromium, installed by `make browser-deps`, which `make test`
runs first). A missing browser FAILS the tests with a message saying how to install it: a
browser test that is skipped would count as passing in CI.
"""

from __future__ import annotations

import contextlib
import io
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from accountplans.plan.check import CheckedFile, check_bytes
from accountplans.settings import settings_from_mapping
from conftest import copy_project
from plan_factory import build_site
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from pypdf import PdfReader

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PINNED_EPOCH = "1795046400"
"""2026-11-19 00:00 UTC: the "today" of every browser-test build."""
LOCAL_HOST = "127.0.0.1"


@contextlib.contextmanager
def pinned_today(epoch: str = PINNED_EPOCH) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set for the duration of a build, restored after."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log on stderr: pytest output stays readable."""


@dataclass
class ServedSite:
    """A built site served over HTTP on 127.0.0.1 (a real server: the search worker and
    fetch() need http://, not file://)."""

    project: Path
    site_dir: Path
    url: str

    def page_url(self, src_uri: str) -> str:
        """The served URL of a Markdown source (use_directory_urls: `x.md` -> `x/`)."""
        stem = src_uri.removesuffix(".md")
        if stem == "index":
            return self.url
        if stem.endswith("/index"):
            stem = stem.removesuffix("/index")
        return f"{self.url}{stem}/"


@contextlib.contextmanager
def serve(site_dir: Path, project: Path) -> Iterator[ServedSite]:
    """Serve `site_dir` on 127.0.0.1 on a free port in a thread; shut down afterwards."""
    handler = partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ServedSite(project, site_dir, f"http://{LOCAL_HOST}:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def launch(playwright: Playwright) -> Browser:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium. "
                    "Run `make browser-deps` (or `make test`, which runs it first).",
                    pytrace=False)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                      args=CHROMIUM_ARGS)


@dataclass
class RecordedPage:
    """A page plus every URL it requested (page.on("request"))."""

    page: Page
    requests: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        """Requests to any host but 127.0.0.1 (data: and blob: URLs reach no host)."""
        foreign = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.hostname != LOCAL_HOST:
                foreign.append(url)
        return foreign


def example_plans(docs_dir: Path) -> list[CheckedFile]:
    """The published example plans: pages with `account:` that are not drafts."""
    settings = settings_from_mapping(None)
    plans = []
    for path in sorted(docs_dir.rglob("*.md")):
        checked = check_bytes(path.relative_to(docs_dir).as_posix(), path.read_bytes(), settings)
        if checked.plan is not None and not checked.plan.is_draft:
            plans.append(checked)
    return plans


def pdf_pages(page: Page) -> int:
    """How many A4 pages the page prints on, as Chromium prints it (print media, no
    background graphics, like a person pressing Ctrl+P with the default settings)."""
    pdf = page.pdf(format="A4", print_background=False)
    return len(PdfReader(io.BytesIO(pdf)).pages)


# Fixtures: import them into a test module to use them there.

@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(playwright_session: Playwright) -> Iterator[Browser]:
    """One Chromium for the whole session."""
    browser = launch(playwright_session)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The project's own site (example plans, dashboard), built once and served."""
    base = tmp_path_factory.mktemp("example-site")
    project = copy_project(base / "project")
    with pinned_today():
        site_dir = build_site(project, base / "site")
    with serve(site_dir, project) as served:
        yield served


@pytest.fixture
def recorded_page(chromium: Browser) -> Iterator[RecordedPage]:
    """A fresh page (own context: no cache or storage shared between tests), recording
    every request it makes."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    recorded = RecordedPage(page)
    page.on("request", lambda request: recorded.requests.append(request.url))
    yield recorded
    context.close()
