"""The authoring loop (issue 14): `make serve` rebuilds only what a change affects, and the
site it serves is the site a full build of the same sources makes.

The decisions (accountplans.site.serve: check cache, navigation fingerprints; accountplans.compute.memo)
are tested alone; the builder (accountplans.site.livebuild) with real in-process builds of a
generated project and real file changes, each compared file by file with a full `mkdocs
serve` build (mkdocs.commands.build.build with a serve URL) of the same sources. Speed is
measured by `make bench` (bench/run.py, part `serve`), never here.
"""

from __future__ import annotations

import functools
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from accountplans.compute.memo import by_identity, keep_results
from accountplans.plan.check import check_file
from accountplans.plan.rendered import MarkdownSetup
from accountplans.settings import Settings
from accountplans.site import livebuild
from accountplans.site.livebuild import LiveSite, PendingPages, wait_for_search, write_pending_before_serving
from accountplans.site.serve import CheckCache, NavNode, nav_views
from conftest import bench_generator
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

DATA = Path(__file__).parent / "data"
SERVE_URL = "http://127.0.0.1:8000/"


# --- the check cache -------------------------------------------------------------------

def _old(path: Path) -> None:
    """Dated a minute back: a file changed within the last seconds is always checked again."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 60_000_000_000))


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.md"
    path.write_text((DATA / "good-plan.md").read_text(encoding="utf-8"), encoding="utf-8")
    _old(path)
    return path


def test_cache_reuses_an_unchanged_file(plan_file: Path) -> None:
    """A file whose size and mtime did not change is not checked again: the same result."""
    cache, settings, markdown = CheckCache(), Settings(), MarkdownSetup()
    cache.start(settings, markdown)
    first = cache.check(plan_file, "plans/plan.md", settings, markdown)
    cache.start(settings, MarkdownSetup())
    again = cache.check(plan_file, "plans/plan.md", settings, markdown)
    assert again is first and (cache.hits, cache.misses) == (1, 0)


def test_cache_checks_a_changed_file_again(plan_file: Path) -> None:
    """A changed file is checked again, and its new problems are reported."""
    cache, settings, markdown = CheckCache(), Settings(), MarkdownSetup()
    cache.start(settings, markdown)
    cache.check(plan_file, "plans/plan.md", settings, markdown)
    plan_file.write_text(plan_file.read_text(encoding="utf-8").replace("year1: 80000", "year1: -5"),
                         encoding="utf-8")
    _old(plan_file)
    cache.start(settings, markdown)
    checked = cache.check(plan_file, "plans/plan.md", settings, markdown)
    assert checked == check_file(plan_file, "plans/plan.md", settings, markdown)
    assert any(p.code == "AP005" for p in checked.problems)


def test_cache_is_emptied_when_the_settings_change(plan_file: Path) -> None:
    """Other settings (here max_pages) check every file again."""
    cache, markdown = CheckCache(), MarkdownSetup()
    cache.start(Settings(), markdown)
    cache.check(plan_file, "plans/plan.md", Settings(), markdown)
    cache.start(Settings(max_pages=1), markdown)
    cache.check(plan_file, "plans/plan.md", Settings(max_pages=1), markdown)
    assert (cache.hits, cache.misses) == (0, 1)


def test_cache_keeps_only_the_last_builds_files(plan_file: Path, tmp_path: Path) -> None:
    """A file the last build did not check (deleted, renamed) is dropped: the cache is bounded."""
    other = tmp_path / "other.md"
    shutil.copy(plan_file, other)
    _old(other)
    cache, settings, markdown = CheckCache(), Settings(), MarkdownSetup()
    cache.start(settings, markdown)
    cache.check(plan_file, "plans/plan.md", settings, markdown)
    cache.check(other, "plans/other.md", settings, markdown)
    cache.start(settings, markdown)
    cache.check(plan_file, "plans/plan.md", settings, markdown)
    cache.start(settings, markdown)
    assert [shown for _, shown in cache.entries] == ["plans/plan.md"]


def test_cache_does_not_trust_a_file_just_written(plan_file: Path) -> None:
    """A file written within the last seconds may change again without a new mtime: checked again."""
    plan_file.write_text(plan_file.read_text(encoding="utf-8"), encoding="utf-8")
    cache, settings, markdown = CheckCache(), Settings(), MarkdownSetup()
    cache.start(settings, markdown)
    cache.check(plan_file, "plans/plan.md", settings, markdown)
    cache.start(settings, markdown)
    cache.check(plan_file, "plans/plan.md", settings, markdown)
    assert cache.misses == 1 and cache.hits == 0


# --- memo ------------------------------------------------------------------------------

@pytest.fixture
def keeping() -> Iterator[None]:
    keep_results()
    yield
    keep_results(False)


def test_memo_keeps_nothing_unless_asked() -> None:
    """A `mkdocs build` keeps no result (its peak memory): only `serve` asks memo to keep."""
    calls: list[int] = []

    @by_identity()
    def double(x: int) -> int:
        calls.append(x)
        return 2 * x

    double(1)
    double(1)
    assert calls == [1, 1]


@pytest.mark.usefixtures("keeping")
def test_memo_reuses_a_result_for_the_same_object() -> None:
    """Called again with the very same object, the function does not run again."""
    calls: list[object] = []

    @by_identity(0)
    def size(items: list[int], scale: int) -> int:
        calls.append(items)
        return len(items) * scale

    items = [1, 2, 3]
    assert (size(items, 2), size(items, 2)) == (6, 6)
    assert len(calls) == 1


@pytest.mark.usefixtures("keeping")
def test_memo_runs_again_for_an_equal_but_other_object() -> None:
    """An equal object that is not the same one (a plan read again) is computed anew."""
    calls: list[object] = []

    @by_identity(0)
    def size(items: list[int]) -> int:
        calls.append(items)
        return len(items)

    size([1, 2])
    size([1, 2])
    assert len(calls) == 2


@pytest.mark.usefixtures("keeping")
def test_memo_is_bounded() -> None:
    """At most `size` results are kept; the least recently used goes first."""
    calls: list[int] = []

    @by_identity(size=2)
    def double(x: int) -> int:
        calls.append(x)
        return 2 * x

    for x in (1, 2, 3, 1):
        double(x)
    assert calls == [1, 2, 3, 1]


# --- navigation fingerprints -----------------------------------------------------------

def _page(uri: str, title: str | None = None) -> NavNode:
    return NavNode(title or uri, f"{uri}/", uri)


def _nav(a_titles: list[str]) -> tuple[tuple[NavNode, ...], tuple[NavNode, ...]]:
    a = NavNode("Anna", "", None, tuple(_page(f"a{i}", t) for i, t in enumerate(a_titles)), True)
    b = NavNode("Bert", "", None, tuple(_page(f"b{i}") for i in range(3)), True)
    items = (_page("index"), a, b)
    order = (items[0], *a.children, *b.children)
    return items, order


def test_a_renamed_plan_changes_its_sections_pages_only() -> None:
    """Renaming a section's last plan changes what its section's pages show and the next
    section's first page (its previous link); the other pages keep their navigation."""
    before = nav_views(*_nav(["A", "B", "C"]))
    after = nav_views(*_nav(["A", "B", "Renamed"]))
    changed = {uri for uri in before if before[uri] != after[uri]}
    assert changed == {"a0", "a1", "a2", "b0"}


def test_a_page_out_of_the_navigation_shows_the_top_level() -> None:
    """A page in no section (e.g. an owner's quarter page) changes with the top level only."""
    items, order = _nav(["A", "B"])
    views = nav_views(items, order, ["owners/x/2027-q1.md"])
    again = nav_views(*_nav(["A", "B", "New"]), ["owners/x/2027-q1.md"])
    assert views["owners/x/2027-q1.md"] == again["owners/x/2027-q1.md"]


# --- pages written after the reload ---------------------------------------------------

def test_a_pending_page_asked_for_is_written_at_once_and_once() -> None:
    """A page still to be written is written when asked for, once; the others by write_all."""
    written: list[str] = []
    pending = PendingPages(written.append, {"/site/a/index.html": "a.md", "/site/b/index.html": "b.md"})
    pending.write("/site/b/index.html")
    pending.write("/site/b/index.html")
    pending.write("/site/assets/site.css")
    assert written == ["b.md"]
    pending.write_all()
    assert written == ["b.md", "a.md"]


def test_a_pending_page_that_fails_fails_the_finish() -> None:
    """A page that cannot be written is raised by write_all (the build's finish: the next
    build is then a full one), not by the request that asked for it."""
    def fail(uri: str) -> None:
        raise ValueError(uri)

    pending = PendingPages(fail, {"/site/a/index.html": "a.md"})
    pending.write("/site/a/index.html")
    with pytest.raises(ValueError, match=re.escape("a.md")):
        pending.write_all()


class _HeldRender:
    """A render that holds the first page it is given until released, and records the order
    in which pages are written."""

    def __init__(self, render: Callable[[str], None] = lambda uri: None) -> None:
        self.inner = render
        self.written: list[str] = []
        self.holding = threading.Event()
        self.release = threading.Event()

    def __call__(self, uri: str) -> None:
        if not self.holding.is_set():
            self.holding.set()
            self.release.wait(60)
        self.inner(uri)
        self.written.append(uri)


def _until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.001)


def _in_thread(target: Callable[[], object]) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def test_a_request_goes_before_the_pages_still_waiting() -> None:
    """A page asked for while the finishing thread writes another is written next, before
    the pages that were waiting ahead of it."""
    render = _HeldRender()
    pending = PendingPages(render, {f"/site/{name}/index.html": f"{name}.md" for name in "abcd"})
    writer = _in_thread(pending.write_all)
    assert render.holding.wait(60)
    asker = _in_thread(lambda: pending.write("/site/d/index.html"))
    _until(lambda: pending.asking == 1, "the request to wait for its turn")
    render.release.set()
    asker.join(60)
    writer.join(60)
    assert render.written == ["a.md", "d.md", "b.md", "c.md"]


def test_a_request_for_the_page_being_written_waits_until_it_is_written() -> None:
    """A page asked for while it is being written is served once written, and written once."""
    render = _HeldRender()
    pending = PendingPages(render, {"/site/a/index.html": "a.md"})
    writer = _in_thread(pending.write_all)
    assert render.holding.wait(60)
    seen_on_return: list[list[str]] = []

    def ask() -> None:
        pending.write("/site/a/index.html")
        seen_on_return.append(list(render.written))

    asker = _in_thread(ask)
    _until(lambda: pending.asking == 1, "the request to wait for the page")
    render.release.set()
    asker.join(60)
    writer.join(60)
    assert seen_on_return == [["a.md"]] and render.written == ["a.md"]


def test_a_file_that_is_not_waiting_is_served_while_a_page_is_written() -> None:
    """A stylesheet (or a page written before the reload) does not wait for the page being written."""
    render = _HeldRender()
    pending = PendingPages(render, {"/site/a/index.html": "a.md", "/site/b/index.html": "b.md"})
    writer = _in_thread(pending.write_all)
    assert render.holding.wait(60)
    asker = _in_thread(lambda: pending.write("/site/assets/site.css"))
    asker.join(60)
    answered_while_held = not asker.is_alive() and render.written == []
    render.release.set()
    writer.join(60)
    assert answered_while_held and render.written == ["a.md", "b.md"]


@pytest.mark.parametrize("asked", ["/accounts/x/", "/accounts/x"])
def test_the_server_writes_a_pending_page_before_answering(tmp_path: Path, asked: str) -> None:
    """MkDocs' server, asked for a page (with or without its slash), has it written first."""
    page = tmp_path / "accounts" / "x" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html><body>before the save</body></html>", encoding="utf-8")

    def write_pending(path: str) -> None:
        if path == str(page):
            page.write_text("<html><body>after the save</body></html>", encoding="utf-8")

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        write_pending_before_serving(server, write_pending)
        answer = server.serve_request({"PATH_INFO": asked}, lambda status, headers: None)
        assert "after the save" in page.read_text(encoding="utf-8")
        close = getattr(answer, "close", None)
        if close is not None:
            close()
    finally:
        server.server_close()


# --- real builds: the incremental site equals a full build -----------------------------

@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1802649600")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _full_build(project: Path, site: Path) -> dict[str, bytes]:
    """What `mkdocs serve` builds from these sources (every page, the serve URL)."""
    shutil.rmtree(site, ignore_errors=True)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.site_url = SERVE_URL
    config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url=SERVE_URL)
    wait_for_search(config)
    return _snapshot(site)


_SPACE = re.compile(rb"\s+")


def _same(name: str, a: bytes | None, b: bytes | None) -> bool:
    """Equal bytes; pages equal but for runs of white space. Material's navigation template
    writes white space for every item of a collapsed section, and a page whose navigation
    differs in nothing else is not rebuilt (README "Authoring loop")."""
    if a is None or b is None or not name.endswith(".html"):
        return a == b
    return a == b or _SPACE.sub(b" ", a) == _SPACE.sub(b" ", b)


_UNSTABLE = re.compile(r"^pagefind/[a-z]+/(pagefind-entry\.json|pagefind\.[a-z]+_[0-9a-f]+\.pf_meta|"
                       r"filter/[a-z]+_[0-9a-f]+\.pf_filter)$")
"""Pagefind's entry, meta and filter files differ between two full builds of the same sources
(they carry hashes of the indexed copies, which hold each build's own block markers); its
fragments (each page's text) and word index are compared byte for byte."""


def _comparable(files: dict[str, bytes]) -> dict[str, bytes]:
    out = {k: v for k, v in files.items() if not _UNSTABLE.match(k)}
    out.update({f"{k.rsplit('/', 1)[0]}/<{k.rsplit('.', 1)[-1]}>": b"" for k in files if _UNSTABLE.match(k)})
    return out


def _differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    a, b = _comparable(a), _comparable(b)
    return sorted(k for k in a.keys() | b.keys() if not _same(k, a.get(k), b.get(k)))


class Loop:
    """A generated project served by the incremental builder."""

    def __init__(self, project: Path, work: Path) -> None:
        self.project, self.work = project, work
        self.docs = project / "plans"
        self.site = LiveSite(str(project / "mkdocs.yml"), str(work / "served"), SERVE_URL)
        self.first = self.site.build()
        self.site.wait_for_search()

    def plans(self) -> list[Path]:
        return sorted(p for p in self.docs.glob("*.md") if "account:" in p.read_text(encoding="utf-8")[:200])

    def rebuilt_equals_full(self) -> tuple[set[str], list[str]]:
        """Rebuilt as `make serve` does (the sitemap, search index and clean-up finished after
        the reload), then compared with a full build once that is finished."""
        report = self.site.build(finish_later=True)
        assert not report.full
        self.site.wait_for_search()
        served = _snapshot(self.work / "served")
        return set(report.built), _differences(served, _full_build(self.project, self.work / "full"))


def _search_plugin(project: Path, material: bool) -> None:
    """The site's search: Material's plugin listed in mkdocs.yml, or Pagefind (none listed)."""
    config = project / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    out: list[str] = []
    skipping = False
    for line in lines:
        if line.startswith("  - search"):
            skipping = True
            continue
        if skipping and (line.startswith("      ") or line.lstrip().startswith("#")):
            continue
        skipping = False
        if material and line.startswith("  - tags"):
            out.append("  - search:\n      lang: [en, nl]\n")
        out.append(line)
    config.write_text("".join(out), encoding="utf-8")


@pytest.fixture(scope="module", params=["pagefind", "material-search"])
def loop(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Loop]:
    """A project of 24 generated plans, with Pagefind or with Material's search."""
    work = tmp_path_factory.mktemp("serve-loop")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1802649600")
    mp.setenv("NO_MKDOCS_2_WARNING", "1")
    project = work / "project"
    bench_generator().generate(project, 24)
    _search_plugin(project, request.param == "material-search")
    served = None
    try:
        served = Loop(project, work)
        yield served
    finally:
        if served is not None:
            served.site.close()
        keep_results(False)  # LiveSite turned it on; the tests after these build as `build` does
        mp.undo()


def _owner(text: str) -> str:
    found = re.search(r"^owner: *(.+)$", text, re.M)
    assert found is not None
    return found.group(1).strip().strip("'\"")


def _edit(path: Path, change: Callable[[str], str]) -> None:
    text = path.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text
    path.write_text(changed, encoding="utf-8")


def test_first_build_converts_every_page(loop: Loop) -> None:
    """The first build knows nothing yet: every page is built, and the site has its search index."""
    assert loop.first.full and loop.first.pages == len(loop.first.built)
    served = loop.work / "served"
    assert (served / "search" / "search_index.json").is_file() or any(served.glob("pagefind/*/pagefind.js"))


def test_nothing_changed_rebuilds_only_pages_over_all_plans(loop: Loop) -> None:
    """With no change, only the pages that may show any plan (dashboard, tags, help) are built."""
    built, diff = loop.rebuilt_equals_full()
    assert diff == []
    assert all(not p.endswith(".md") or "/" in p or p in {"index.md", "tags.md"} or
               "account:" not in (loop.docs / p).read_text(encoding="utf-8")[:200]
               for p in built if (loop.docs / p).is_file())


def test_editing_a_plans_text(loop: Loop) -> None:
    """A plan's text edited: that page (and the dashboard's kind) rebuilt, the site as a full build's."""
    plan = loop.plans()[3]
    _edit(plan, lambda t: t.replace("\n## ", "\nA sentence added while serving.\n\n## ", 1))
    built, diff = loop.rebuilt_equals_full()
    assert diff == []
    assert plan.name in built and len(built) < loop.first.pages // 2


def test_changing_a_target(loop: Loop) -> None:
    """A target changed: the plan, its owner's page and the quarter pages show the new figures."""
    plan = loop.plans()[5]
    _edit(plan, lambda t: re.sub(r"year1: (\d+)", lambda m: f"year1: {int(m.group(1)) + 1000}", t, count=1))
    built, diff = loop.rebuilt_equals_full()
    assert diff == []
    assert plan.name in built and any(p.startswith("owners/") for p in built)


def test_adding_a_plan(loop: Loop) -> None:
    """A new plan: its page, its section's navigation, the owner page, search: as a full build."""
    source = loop.plans()[0]
    text = source.read_text(encoding="utf-8")
    account = re.search(r"^account: *(.+)$", text, re.M)
    assert account is not None
    (loop.docs / "zz-new-while-serving.md").write_text(
        text.replace(account.group(0), "account: Zz Nieuw Tijdens Serve B.V."), encoding="utf-8")
    built, diff = loop.rebuilt_equals_full()
    assert diff == []
    assert "zz-new-while-serving.md" in built and len(built) < loop.first.pages


def test_renaming_a_plan(loop: Loop) -> None:
    """A plan's file renamed and its account renamed: the old page is gone, the new one in the
    navigation, as in a full build."""
    old = loop.plans()[7]
    new = loop.docs / "aa-renamed-while-serving.md"
    old.rename(new)
    _edit(new, lambda t: re.sub(r"^account: *.+$", "account: Aa Hernoemd B.V.", t, count=1, flags=re.M))
    built, diff = loop.rebuilt_equals_full()
    assert diff == []
    assert new.name in built
    assert not (loop.work / "served" / old.stem).exists()


def test_deleting_a_plan(loop: Loop) -> None:
    """A plan deleted: its page and its entries in navigation, search and downloads are gone."""
    gone = loop.plans()[10]
    gone.unlink()
    built, diff = loop.rebuilt_equals_full()
    assert diff == []
    assert not (loop.work / "served" / gone.stem).exists()
    assert len(built) < loop.first.pages


def test_changing_a_plans_owner(loop: Loop) -> None:
    """A plan moved to another owner: both owners' sections and pages, as in a full build."""
    plans = loop.plans()
    moved = plans[2]
    other = next(_owner(p.read_text(encoding="utf-8")) for p in plans
                 if _owner(p.read_text(encoding="utf-8")) != _owner(moved.read_text(encoding="utf-8")))
    _edit(moved, lambda t: re.sub(r"^owner: *.+$", f"owner: {other}", t, count=1, flags=re.M))
    built, diff = loop.rebuilt_equals_full()
    assert diff == []
    assert moved.name in built


def test_a_plan_with_an_error_is_served_and_then_fixed(loop: Loop) -> None:
    """An error while serving: the page lists it, as a full build's does; fixed, it is gone."""
    plan = loop.plans()[4]
    original = plan.read_text(encoding="utf-8")
    _edit(plan, lambda t: re.sub(r"year1: \d+", "year1: -5", t, count=1))
    built, diff = loop.rebuilt_equals_full()
    assert diff == [] and plan.name in built
    page = (loop.work / "served" / plan.stem / "index.html").read_text(encoding="utf-8")
    assert "AP005" in page
    plan.write_text(original, encoding="utf-8")
    built, diff = loop.rebuilt_equals_full()
    assert diff == []
    assert "AP005" not in (loop.work / "served" / plan.stem / "index.html").read_text(encoding="utf-8")


def test_a_changed_mkdocs_yml_makes_a_full_build(loop: Loop) -> None:
    """mkdocs.yml changed: the next build is a full one."""
    config = loop.project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "site_name: Account plans", "site_name: Account plans (served)"), encoding="utf-8")
    report = loop.site.build()
    assert report.full
    loop.site.wait_for_search()
    assert _differences(_snapshot(loop.work / "served"), _full_build(loop.project, loop.work / "full")) == []



def test_a_rebuild_writes_search_copies_of_the_pages_it_built_only(loop: Loop) -> None:
    """Pagefind's copies of the pages not built again stay from the build before (not a
    thousand files per save); with Material's search there are none."""
    folder = loop.site.kept.search
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*.html")}
    plan = loop.plans()[6]
    _edit(plan, lambda t: t.replace("\n## ", "\nOne more sentence while serving.\n\n## ", 1))
    built, diff = loop.rebuilt_equals_full()
    assert diff == []
    after = {p: p.stat().st_mtime_ns for p in folder.rglob("*.html")}
    written = {p.relative_to(folder).as_posix().split("/", 1)[1] for p in after if before.get(p) != after[p]}
    if before:
        assert f"{plan.stem}/index.html" in written and len(written) <= len(built) < len(before)
    else:
        assert after == {}


def test_a_page_asked_for_after_the_reload_is_already_the_new_one(loop: Loop) -> None:
    """A plan added: its section's other pages and the team's quarter pages are written after
    the reload, and one asked for right then is written first, equal to a full build's; the
    plan's page and its owner's page are written before."""
    source = loop.plans()[0]
    text = source.read_text(encoding="utf-8")
    account = re.search(r"^account: *(.+)$", text, re.M)
    assert account is not None
    (loop.docs / "zz-asked-while-serving.md").write_text(
        text.replace(account.group(0), "account: Zz Gevraagd Tijdens Serve B.V."), encoding="utf-8")
    report = loop.site.build(finish_later=True)
    quarter = next(uri for uri in report.after_reload if uri.startswith("quarters/"))
    assert source.name in report.after_reload
    assert not {"zz-asked-while-serving.md", "index.md"} & set(report.after_reload)
    assert not any(uri.startswith("owners/") and uri.endswith("/index.md") for uri in report.after_reload)
    served = loop.work / "served"
    asked = {name: served / name for name in (f"{source.stem}/index.html",
                                               f"{quarter.removesuffix('.md')}/index.html")}
    shown = {}
    for name, path in asked.items():
        loop.site.write_pending(str(path))
        shown[name] = path.read_bytes()
    loop.site.wait_for_search()
    full = _full_build(loop.project, loop.work / "full")
    assert all(_same(name, shown[name], full[name]) for name in asked)
    assert _differences(_snapshot(served), full) == []


def test_pages_asked_for_while_a_section_is_written_come_first(loop: Loop,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan added: while the finishing thread writes a page of those written after the
    reload, requests for two pages still waiting (the last in its order) are written next,
    before the others, and each is served equal to a full build's."""
    render: _HeldRender | None = None

    class HeldPages(PendingPages):
        def __init__(self, write: Callable[[str], None], waiting: dict[str, str]) -> None:
            nonlocal render
            render = _HeldRender(write)
            super().__init__(render, waiting)

    monkeypatch.setattr(livebuild, "PendingPages", HeldPages)
    source = loop.plans()[1]
    text = source.read_text(encoding="utf-8")
    account = re.search(r"^account: *(.+)$", text, re.M)
    assert account is not None
    (loop.docs / "zz-asked-while-written.md").write_text(
        text.replace(account.group(0), "account: Zz Gevraagd Tijdens Schrijven B.V."), encoding="utf-8")
    loop.site.build(finish_later=True)
    assert render is not None and render.holding.wait(60)
    waiting = list(loop.site.pending.waiting.items())
    assert len(waiting) >= 3
    asked = dict(waiting[-2:])
    shown: dict[str, bytes] = {}

    def ask(path: str) -> None:
        loop.site.write_pending(path)
        shown[path] = Path(path).read_bytes()

    askers = [_in_thread(functools.partial(ask, path)) for path in asked]
    _until(lambda: loop.site.pending.asking == 2, "both requests to wait for their turn")
    render.release.set()
    for asker in askers:
        asker.join(60)
    loop.site.wait_for_search()
    assert set(render.written[1:3]) == set(asked.values())
    full = _full_build(loop.project, loop.work / "full")
    served = loop.work / "served"
    assert all(_same(path, shown[path], full[Path(path).relative_to(served).as_posix()]) for path in asked)
    assert _differences(_snapshot(served), full) == []


def test_a_rebuild_writes_its_generated_files_in_the_scratch_folder(tmp_path: Path) -> None:
    """Given a scratch folder (make serve's memory folder), a rebuild writes its generated
    files (owner pages, plans.json...) there, removes them when finished, and serves the site
    a full build makes."""
    project, scratch = tmp_path / "project", tmp_path / "scratch"
    bench_generator().generate(project, 6)
    scratch.mkdir()
    site = LiveSite(str(project / "mkdocs.yml"), str(tmp_path / "served"), SERVE_URL, scratch=str(scratch))
    try:
        site.build()
        site.wait_for_search()
        assert list(scratch.iterdir()) == []
        plan = next(p for p in sorted((project / "plans").glob("*.md"))
                    if "account:" in p.read_text(encoding="utf-8")[:200])
        _edit(plan, lambda t: re.sub(r"year1: (\d+)", lambda m: f"year1: {int(m.group(1)) + 1}", t, count=1))
        seen: list[str] = []
        real_copy = livebuild._copy_static_files

        def copy_and_look(*args: Any) -> dict[str, str]:
            seen.extend(p.relative_to(scratch).as_posix().split("/", 1)[1]
                        for p in scratch.rglob("plans.json"))
            return real_copy(*args)

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(livebuild, "_copy_static_files", copy_and_look)
            site.build(finish_later=True)
        site.wait_for_search()
        assert seen == ["plans.json"] and list(scratch.iterdir()) == []
        assert _differences(_snapshot(tmp_path / "served"), _full_build(project, tmp_path / "full")) == []
    finally:
        site.close()
        keep_results(False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_make_serve_reloads_a_saved_plan(tmp_path: Path) -> None:
    """`make serve`'s command, run for real: it serves the site, a plan saved while it runs is
    served with the change after it logs the reload, and stopped (SIGTERM) it removes its
    temporary folders (the site, the search copies, the generated files)."""
    project, temporary = tmp_path / "project", tmp_path / "temporary"
    temporary.mkdir()
    bench_generator().generate(project, 6)
    plan = next(p for p in sorted((project / "plans").glob("*.md"))
                if "account:" in p.read_text(encoding="utf-8")[:200])
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "accountplans.site.livebuild", "-a", f"127.0.0.1:{port}"],
                            cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "TMPDIR": str(temporary)})
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.put(line)
        lines.put("")  # the process ended

    def wait_for(text: str) -> None:
        seen: list[str] = []
        while text not in (line := lines.get(timeout=120)):
            assert line, f"make serve ended before logging {text!r}:\n{''.join(seen[-20:])}"
            seen.append(line)

    threading.Thread(target=read, daemon=True).start()
    try:
        wait_for("Serving on")
        text = plan.read_text(encoding="utf-8")
        plan.write_text(text.replace("\n## ", "\nSaved while make serve runs.\n\n## ", 1), encoding="utf-8")
        wait_for("Reloading browsers")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{plan.stem}/", timeout=60) as answer:
            assert "Saved while make serve runs." in answer.read().decode("utf-8")
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        assert proc.stderr is not None
        proc.stderr.close()
    assert list(temporary.iterdir()) == []
