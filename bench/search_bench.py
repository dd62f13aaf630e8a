"""Search in `make bench` (issue 15): Material's search against Pagefind on the same site.

For each N in BENCH_SEARCH_SIZES (default 1000,5000, those of BENCH_SIZES) the generated
project (bench/generate.py) is built twice, taking turns: as it is (Material's search plugin)
and without that plugin (Pagefind, hooks/search_hook.py). Then each site is served on
127.0.0.1 and opened in Chromium (Debian's, as the browser tests do):

- what a first query downloads: on a fresh page (the dashboard, no cache) one query typed and
  answered, the bytes the server sent for search's own requests (Material: its index, worker
  and language files, which it loads with the page; Pagefind: its bundles' files and the
  box's script and stylesheet), uncompressed; the page's other requests are the same for both;
- the index's share of the build: Pagefind's time as the hook logs it, against the build;
  Material's search plugin has no such line (it indexes while pages are written), so for it
  the difference with the Pagefind build is shown;
- result quality on the issue's queries: how many results, and of the first 10 how many are
  plans whose text has the word (word forms), or at which place the plan comes (names).

Speed is measured here, never asserted in a unit test.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import yaml

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MATERIAL_SEARCH = re.compile(r"^  - search:\n(?:      .*\n)+", re.MULTILINE)
PAGEFIND_LINE = re.compile(r"made by Pagefind in ([0-9.]+) s \(([0-9.]+) s CPU\)")
RESULT_META = re.compile(r"\d|No matching|Geen")
WORD_FORMS = (("webshops", "webshop"), ("leveranciers", "leverancier"), ("contracts", "contract"))
FIRST_QUERY = "leveranciers"


@dataclass
class Engine:
    build_s: float = 0.0
    build_cpu_s: float = 0.0
    index_s: float = 0.0
    index_cpu_s: float = 0.0
    first_query_bytes: int = 0
    page_bytes: int = 0
    """Every request of that page and query, search's included."""
    first_query_requests: int = 0
    quality: dict[str, str] = field(default_factory=dict)


@dataclass
class SearchRow:
    n: int
    material: Engine = field(default_factory=Engine)
    pagefind: Engine = field(default_factory=Engine)


def _timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, str]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    with proc.stderr:
        err = proc.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.stderr.write(err[-4000:])
        raise SystemExit(f"bench: {' '.join(cmd)} failed in {cwd}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, err


def pagefind_copy(project: Path, out: Path) -> Path:
    """The same project without Material's search plugin: Pagefind is its search."""
    shutil.rmtree(out, ignore_errors=True)
    for name in ("hooks", "theme_overrides", "plans"):
        shutil.copytree(project / name, out / name)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (out / "mkdocs.yml").write_text(MATERIAL_SEARCH.sub("", config), encoding="utf-8")
    return out


SEARCH_PATHS = re.compile(r"^/(?:search/|assets/javascripts/workers/|assets/javascripts/lunr/|pagefind/"
                          r"|assets/javascripts/search\.js|assets/stylesheets/search\.css)")
"""What each search downloads for itself: Material's index, worker and language files;
Pagefind's bundles and the box's own script and stylesheet."""


class _Counting(SimpleHTTPRequestHandler):
    """Serves the site and counts the bytes of every file it sends, by path."""

    sent: ClassVar[dict[str, int]] = {}

    def send_head(self) -> Any:
        found = super().send_head()
        if found is not None and hasattr(found, "fileno"):
            path = self.path.split("?", 1)[0]
            self.sent[path] = self.sent.get(path, 0) + os.fstat(found.fileno()).st_size
        return found

    def log_message(self, format: str, *args: Any) -> None:
        """No access log."""

    def handle(self) -> None:
        with contextlib.suppress(ConnectionError):  # the browser closed a connection it did not need
            super().handle()


@contextmanager
def _served(site: Path) -> Iterator[str]:
    _Counting.sent = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Counting, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _first_query(browser: Any, url: str, query: str, material: bool) -> tuple[int, int, int]:
    """A fresh page (no cache) and one query answered: (bytes of search's own requests, their
    count, bytes of every request), as the server sent them."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _Counting.sent = {}
    page.goto(url, wait_until="networkidle" if material else "load")
    _query(page, query, material)
    page.wait_for_load_state("networkidle")
    context.close()
    search = {path: size for path, size in _Counting.sent.items() if SEARCH_PATHS.match(path)}
    return sum(search.values()), len(search), sum(_Counting.sent.values())


def _query(page: Any, query: str, material: bool) -> list[str]:
    box = page.locator("input.md-search__input")
    box.click()
    meta = page.locator(".md-search-result__meta")
    if RESULT_META.search(meta.inner_text()):  # an earlier query's answer: clear it first
        box.fill("")
        page.wait_for_function("el => !/\\d|No matching|Geen/.test(el.textContent)",
                               arg=meta.element_handle())
    if material:  # Material searches on key presses (see tests/test_browser.py)
        box.fill(query[:-1])
        box.press(query[-1])
    else:
        box.fill(query)
    page.locator(".md-search-result__meta").filter(has_text=RESULT_META).first.wait_for(timeout=120_000)
    links = page.locator("a.md-search-result__link")
    meta = page.locator(".md-search-result__meta").inner_text()
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(min(links.count(), 10))]
    return [meta, *hrefs]


def _slug(href: str) -> str:
    return href.rstrip("/").rsplit("/", 1)[-1].split("#")[0].split("?")[0]


def _quality(browser: Any, url: str, material: bool, plans: Path,
             names: list[tuple[str, str, Callable[[str], bool]]]) -> dict[str, str]:
    text_of: dict[str, str] = {}

    def plan_text(slug: str) -> str:
        if slug not in text_of:
            path = plans / f"{slug}.md"
            text_of[slug] = path.read_text(encoding="utf-8").lower() if path.is_file() else ""
        return text_of[slug]

    out: dict[str, str] = {}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    for query, word in WORD_FORMS:
        meta, *hrefs = _query(page, query, material)
        good = sum(1 for h in hrefs if re.search(rf"\b{word}", plan_text(_slug(h))))
        out[query] = f"{_count(meta)} results, {good}/{len(hrefs)} of the first plans have '{word}'"
    for label, query, wanted in names:
        meta, *hrefs = _query(page, query, material)
        place = next((i + 1 for i, h in enumerate(hrefs) if wanted(_slug(h))), None)
        out[label] = f"{_count(meta)} results, plan at place {place}" if place else \
            f"{_count(meta)} results, plan not in the first {len(hrefs)}"
    context.close()
    return out


def _count(meta: str) -> str:
    found = re.search(r"\d[\d.,]*", meta)
    return found.group(0) if found else "0"


def _names(project: Path) -> list[tuple[str, str, Callable[[str], bool]]]:
    """An account, a decision maker and a product of one generated plan (the middle one)."""
    plans = sorted(p for p in (project / "plans").glob("*.md")
                   if p.read_text(encoding="utf-8").startswith("---\naccount:"))
    path = plans[len(plans) // 2]
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    contact = next(c["name"] for c in front["contacts"] if c.get("decision_maker")) \
        if any(c.get("decision_maker") for c in front["contacts"]) else front["contacts"][0]["name"]
    product = front["targets"][0]["product"]

    def has(text: str) -> Callable[[str], bool]:
        def check(slug: str) -> bool:
            source = project / "plans" / f"{slug}.md"
            return source.is_file() and text in source.read_text(encoding="utf-8")
        return check

    return [("account", front["account"], lambda slug: slug == path.stem),
            ("contact", contact, has(f"name: \"{contact}\"")),
            ("product", product, has(f"product: \"{product}\""))]


SIZES = [int(s) for s in os.environ.get("BENCH_SEARCH_SIZES", "1000,5000").split(",") if s.strip()]
"""The plan counts at which search is measured (of those BENCH_SIZES generates)."""


def measure(target: Any, env: dict[str, str]) -> dict[str, object]:
    """Both searches on one generated project (run.py's `Generated`: .project, .n)."""
    from playwright.sync_api import sync_playwright

    mkdocs = Path(sys.executable).parent / "mkdocs"
    project: Path = target.project
    other = pagefind_copy(project, project.parent / "search-pagefind")
    row = SearchRow(target.n)
    sites = {"material": project.parent / "site-material", "pagefind": other / "site"}
    try:
        for name, root in (("material", project), ("pagefind", other)):
            engine: Engine = getattr(row, name)
            engine.build_s, engine.build_cpu_s, log = _timed(
                [str(mkdocs), "build", "-d", str(sites[name])], root, env)
            found = PAGEFIND_LINE.search(log)
            if found:
                engine.index_s, engine.index_cpu_s = float(found.group(1)), float(found.group(2))
            print(f"  search, {name} build: {engine.build_s:.2f} s ({engine.build_cpu_s:.2f} s CPU)",
                  file=sys.stderr, flush=True)
        names = _names(project)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for name in ("material", "pagefind"):
                engine = getattr(row, name)
                material = name == "material"
                with _served(sites[name]) as url:
                    engine.first_query_bytes, engine.first_query_requests, engine.page_bytes = \
                        _first_query(browser, url, FIRST_QUERY, material)
                    engine.quality = _quality(browser, url, material, project / "plans", names)
                print(f"  search, {name}: a first query downloads {engine.first_query_bytes / 1000:.0f} KB",
                      file=sys.stderr, flush=True)
            browser.close()
    finally:
        for site in sites.values():
            shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(other, ignore_errors=True)
    return asdict(row)


def report(figures: dict[str, Any]) -> str:
    """The comparison at one N, as two Markdown tables."""
    m, p, n = Engine(**figures["material"]), Engine(**figures["pagefind"]), figures["n"]
    out = [f"Search at N = {n}: Material's search plugin against Pagefind, the same site, one build each.",
           "",
           "| search | a first query downloads | its requests | build | index (CPU) | index / build |",
           "|---|---:|---:|---:|---:|---:|",
           f"| Material | {m.first_query_bytes / 1e3:,.0f} KB | {m.first_query_requests} "
           f"| {m.build_s:.1f} s ({m.build_cpu_s:.1f}) | inside the build | – |",
           f"| Pagefind | {p.first_query_bytes / 1e3:,.0f} KB | {p.first_query_requests} "
           f"| {p.build_s:.1f} s ({p.build_cpu_s:.1f}) | {p.index_s:.2f} s ({p.index_cpu_s:.2f}) "
           f"| {_share(p.index_s, p.build_s)} ({_share(p.index_cpu_s, p.build_cpu_s)} of the CPU) |",
           "", "| query | Material | Pagefind |", "|---|---|---|"]
    out += [f"| {q} | {m.quality[q]} | {p.quality.get(q, '')} |" for q in m.quality]
    return "\n".join(out)


def _share(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"
