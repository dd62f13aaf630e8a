"""The hostile corpus (issue 10, deliverable 8): every file of tests/data/hostile/ is put in a
project of its own and run through `accountplans check`, a real in-process `mkdocs build`, and
Chromium (see tests/data/hostile/README.md for the classes and how a case is installed).

- check names the case's rule code, file and line, never a traceback;
- the build fails on it (or, for the `ok-` cases, succeeds) and logs exactly check's lines; a
  failed build leaves the site built before it byte for byte; no file from outside the docs
  folder is ever published;
- the pages `mkdocs serve` shows the author (hostile pages included, with their problems
  listed) open no dialog, request nothing off 127.0.0.1 and keep no live script, handler or
  dangerous URL in the DOM, and the site's normal pages raise no CSP violation while search
  works.

The projects are generated here (tests/plan_factory.py), never the example plans of plans/.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from accountplans.cli.commands import main as accountplans
from accountplans.plan.problems import RULES
from mkdocs.exceptions import Abort, PluginError
from plan_factory import build_site, plan_text

pytest.register_assert_rewrite("browser_support")
from browser_support import LOCAL_HOST, PINNED_EPOCH, ServedSite, pinned_today, serve  # noqa: E402
from conftest import ROOT  # noqa: E402
from playwright.sync_api import Browser  # noqa: E402

pytest_plugins = ["browser_support"]

HOSTILE = Path(__file__).parent / "data" / "hostile"
PLAN_BODY = ".body.md"
"""A case file ending so holds part of a plan's body: it is put into a valid plan."""
SECRET = "OUTSIDE-SECRET-7f3a9c"
"""Written in the file outside the docs folder that a symlink points at (never published)."""
FORGED_NAME = "x\n::warning file=forged.md,line=1::forged\nforged.md:1:1: AP999 error: forged"
"""The file name the newline case is saved under: problem lines must not split on it."""
FORGED_SHOWN = "plans/x\\x0a::warning file=forged.md,line=1::forged\\x0aforged.md:1:1: AP999 error: forged"

DASHBOARD = ("---\ntitle: Dashboard\n---\n\n# Account plans\n\n{{ computed_on() }}\n\n"
             "## All plans\n\n{{ plans_table() }}\n")
GOOD_ACCOUNT = "Good Plan B.V."
ORGANISATION_TEXT = "A family firm that has grown steadily; it buys through one central desk."


@dataclass(frozen=True)
class Expected:
    """What check reports for a case: the rule and the line of the case file (0: the file as
    a whole). `code` None: safe by design, no problem at all (the `ok-` cases)."""

    code: str | None
    line: int = 0

    @property
    def severity(self) -> str | None:
        return RULES[self.code].severity if self.code else None


# Every case of the corpus and what check must say about it. A file of tests/data/hostile/
# that is not listed here fails test_every_case_has_an_expectation.
EXPECTED: dict[str, Expected] = {
    # 1. AP402 in plan bodies
    "ap402-letter-case-onclick.body.md": Expected("AP402", 3),
    "ap402-gt-in-quoted-attribute.body.md": Expected("AP402", 3),
    "ap402-attr-list-paragraph-onclick.body.md": Expected("AP402", 2),
    "ap402-attr-list-heading-onclick.body.md": Expected("AP402", 1),
    "ap402-attr-list-image-onerror.body.md": Expected("AP402", 1),
    "ap402-attr-list-link-href.body.md": Expected("AP402", 1),
    "ap402-attr-list-style-url.body.md": Expected("AP402", 2),
    "ap402-indented-tilde-fence.body.md": Expected("AP402", 2),
    "ap402-backticks-in-html-block.body.md": Expected("AP402", 1),
    "ap402-svg-animate-href.body.md": Expected("AP402", 1),
    "ap402-svg-set-href.body.md": Expected("AP402", 1),
    "ap402-javascript-url-newline.body.md": Expected("AP402", 4),
    "ok-javascript-url-tab-expanded.body.md": Expected(None),
    "ap402-javascript-url-form-feed.body.md": Expected("AP402", 1),
    "ap402-javascript-url-reference-next-line.body.md": Expected("AP402", 4),
    "ap402-javascript-url-reference-in-blockquote.body.md": Expected("AP402", 3),
    # 2. titles
    "ok-title-entity-encoded-tags.md": Expected(None),
    "ok-title-code-span.md": Expected(None),
    "ok-plan-heading-entity-encoded-tags.md": Expected(None),
    # 3. pages that are not plans, and front-matter that reaches the theme
    "ap402-page-without-account.md": Expected("AP402", 7),
    "ap402-page-without-front-matter.md": Expected("AP402", 3),
    "ap004-acount-typo.md": Expected("AP004", 2),
    "ap402-top-level-merge-key.md": Expected("AP402", 9),
    "ap402-markdown-suffix.markdown": Expected("AP402", 3),
    "ap402-mdown-suffix.mdown": Expected("AP402", 3),
    "ap404-symlinked-folder.md": Expected("AP404"),
    "ap006-icon-key.md": Expected("AP006", 3),
    "ap006-template-key.md": Expected("AP006", 3),
    "ap006-author-key.md": Expected("AP006", 3),
    "ap006-status-key.md": Expected("AP006", 3),
    "ap005-plan-status-html.md": Expected("AP005", 6),
    "ap005-alias-bomb-title.md": Expected("AP005", 7),
    "ap401-config-site-name-dashboard.md": Expected("AP401", 7),
    # 4. files
    "ap404-symlink-to-outside-file.txt": Expected("AP404"),
    "ap404-draft-upper-suffix.MD": Expected("AP404"),
    "ap404-page.html": Expected("AP404"),
    "ap404-image.svg": Expected("AP404"),
    "ap404-script.js": Expected("AP404"),
    # 5. resources from other hosts
    "ap402-img-src-other-host.body.md": Expected("AP402", 1),
    "ap402-img-srcset-other-host.body.md": Expected("AP402", 1),
    "ap402-video-poster-other-host.body.md": Expected("AP402", 1),
    "ap402-style-attribute-url.body.md": Expected("AP402", 1),
    "ap402-style-element-import.body.md": Expected("AP402", 1),
    "ap402-link-stylesheet-other-host.body.md": Expected("AP402", 1),
    "ap402-form-action-other-host.body.md": Expected("AP402", 1),
    # 6. and 7. values that could only fail after site/ was emptied
    "ap005-milestone-date-9999.md": Expected("AP005", 36),
    "ap005-reviewed-9999.md": Expected("AP005", 5),
    "ap501-actuals-thousands-of-digits.csv": Expected("AP501", 2),
    # 8. a line that made a pattern take minutes
    "ok-16000-backticks.body.md": Expected(None),
    # 9. a file name with newlines
    "ap402-newline-in-file-name.body.md": Expected("AP402", 1),
    # New cases
    "ap402-svg-use-href.body.md": Expected("AP402", 1),
    "ap402-meta-refresh.body.md": Expected("AP402", 1),
    "ap402-base-href.body.md": Expected("AP402", 1),
    "ap402-object-data.body.md": Expected("AP402", 1),
    "ap402-embed-src.body.md": Expected("AP402", 1),
    "ap402-iframe-srcdoc.body.md": Expected("AP402", 1),
    "ap402-data-url-link.body.md": Expected("AP402", 1),
    "ap402-vbscript-link.body.md": Expected("AP402", 1),
    "ap402-protocol-relative-img.body.md": Expected("AP402", 1),
    "ap402-backslash-host-img.body.md": Expected("AP402", 1),
    "ap402-slash-backslash-host-img.body.md": Expected("AP402", 1),
    "ap402-markdown-image-other-host.body.md": Expected("AP402", 1),
    "ap402-reference-image-other-host.body.md": Expected("AP402", 3),
    "ap402-markdown-link-javascript.body.md": Expected("AP402", 1),
    "ap402-markdown-link-angle-javascript.body.md": Expected("AP402", 1),
    "ap402-autolink-javascript.body.md": Expected("AP402", 1),
    "ap402-numeric-entity-javascript.body.md": Expected("AP402", 1),
    "ap402-entity-tab-javascript.body.md": Expected("AP402", 1),
    # `<!-->` ends a comment for the sanitizer's parser (html5ever), not for Python's: what it
    # removes after it is still reported.
    "ap402-comment-abrupt-close.body.md": Expected("AP402", 1),
    "ap402-comment-in-attribute.body.md": Expected("AP402", 1),
    "ap402-noscript-mxss.body.md": Expected("AP402", 1),
    "ap402-math-xlink-href.body.md": Expected("AP402", 1),
    "ap402-details-ontoggle.body.md": Expected("AP402", 1),
    "ap402-button-formaction.body.md": Expected("AP402", 1),
    "ap402-input-autofocus-onfocus.body.md": Expected("AP402", 1),
    "ap402-entity-in-attribute-name.body.md": Expected("AP402", 1),
    "ap402-data-svg-img.body.md": Expected("AP402", 1),
    "ap402-table-cell-img-onerror.body.md": Expected("AP402", 3),
    "ap402-raw-block-script.body.md": Expected("AP402", 1),
    "ap402-admonition-title-html.body.md": Expected("AP402", 1),
    "ok-link-title-quote.body.md": Expected(None),
    "ok-toc-label-html.body.md": Expected(None),
    "ok-dom-clobber-config.body.md": Expected(None),
    "ok-plan-owner-html.md": Expected(None),
    "ok-plan-tag-html.md": Expected(None),
    "ok-plan-product-html.md": Expected(None),
    "ok-plan-milestone-title-html.md": Expected(None),
    "ok-plan-account-html.md": Expected(None),
    "ap005-plan-website-javascript.md": Expected("AP005", 10),
    "ok-page-title-html.md": Expected(None),
    "ok-page-description-html.md": Expected(None),
    "ok-page-tag-html.md": Expected(None),
}
CASES = sorted(EXPECTED)


# Projects ---------------------------------------------------------------------------------

def new_project(target: Path) -> Path:
    """The site's sources (mkdocs.yml, hooks, theme) with a generated docs folder: a small
    dashboard and one valid plan."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("hooks", "theme_overrides"):
        shutil.copytree(ROOT / name, target / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    docs = target / "plans"
    docs.mkdir()
    (docs / "index.md").write_text(DASHBOARD, encoding="utf-8")
    (docs / "good.md").write_text(plan_text(GOOD_ACCOUNT, "Sanne de Vries"), encoding="utf-8")
    return target


def case_slug(case: str) -> str:
    return case.removesuffix(PLAN_BODY).rsplit(".", 1)[0]


@dataclass(frozen=True)
class Installed:
    """A case put into a project: how problems show its file, the line to expect there, and
    its page's source in the docs folder (None when the site never publishes it)."""

    shown: str
    line: int
    src_uri: str | None


def install(case: str, project: Path, outside: Path) -> Installed:
    """Put `case` into the project's docs folder the way its class needs (README.md)."""
    docs = project / "plans"
    source = HOSTILE / case
    expected = EXPECTED[case]
    slug = case_slug(case)
    if case.endswith(PLAN_BODY):
        plan = plan_text(f"Hostile {slug}", "Sanne de Vries")
        before = plan[: plan.index(ORGANISATION_TEXT) + len(ORGANISATION_TEXT)] + "\n\n"
        text = before + source.read_text(encoding="utf-8") + plan[len(before) - 2:]
        name = FORGED_NAME + ".md" if "newline-in-file-name" in case else f"{slug}.md"
        (docs / name).write_text(text, encoding="utf-8")
        shown = FORGED_SHOWN + ".md" if "newline-in-file-name" in case else f"plans/{name}"
        line = before.count("\n") + expected.line if expected.line else 0
        return Installed(shown, line, None if "newline" in case else name)
    if case == "ap404-symlink-to-outside-file.txt":
        target = outside / "secret.txt"
        shutil.copy(source, target)
        (docs / "env.txt").symlink_to(target)
        return Installed("plans/env.txt", 0, None)
    if case == "ap404-symlinked-folder.md":
        folder = outside / "linked"
        folder.mkdir()
        shutil.copy(source, folder / "page.md")
        (folder / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")
        (docs / "linked").symlink_to(folder, target_is_directory=True)
        return Installed("plans/linked", 0, None)
    if case == "ap401-config-site-name-dashboard.md":
        shutil.copy(source, docs / "index.md")
        return Installed("plans/index.md", expected.line, "index.md")
    if case.endswith(".csv"):
        shutil.copy(source, docs / "actuals.csv")
        return Installed("plans/actuals.csv", expected.line, None)
    shutil.copy(source, docs / case)
    published = case if case.endswith((".md", ".markdown", ".mdown")) else None
    return Installed(f"plans/{case}", expected.line, published)


# check and build ----------------------------------------------------------------------------

PROBLEM_LINE = re.compile(r"^(?P<path>.+?)(?::(?P<line>\d+)(?::(?P<col>\d+))?)?: "
                          r"(?P<code>AP\d{3}) (?P<severity>error|warning): \S.*$")
PLACE = re.compile(r"^(?::(?P<line>\d+)(?::(?P<col>\d+))?)?: (?P<code>AP\d{3}) "
                   r"(?P<severity>error|warning): \S")


@dataclass(frozen=True)
class CheckRun:
    exit_code: int
    lines: list[str]
    stderr: str


def run_check(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
              *args: str) -> CheckRun:
    """`accountplans check` in-process, from the project's folder (as CI runs it)."""
    monkeypatch.chdir(project)
    capsys.readouterr()
    code = accountplans(["check", *args])
    out, err = capsys.readouterr()
    return CheckRun(code, out.splitlines(), err)


def logged_problems(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Every problem line the build logged (WARNING or ERROR records carrying a rule code)."""
    return [r.getMessage() for r in caplog.records
            if r.levelno >= logging.WARNING and re.search(r" AP\d{3} (error|warning): ", r.getMessage())]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def files_with_secret(folder: Path) -> list[str]:
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and SECRET.encode() in p.read_bytes()]


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", PINNED_EPOCH)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated project, built once: the site every case's build must leave alone."""
    project = new_project(tmp_path_factory.mktemp("hostile-base") / "project")
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = PINNED_EPOCH
    try:
        build_site(project)
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
    return project


@pytest.fixture
def case_project(built_project: Path, tmp_path: Path) -> Path:
    """A copy of the built project (its site/ included) for one case."""
    copy = tmp_path / "project"
    shutil.copytree(built_project, copy, symlinks=True)
    (tmp_path / "outside").mkdir()
    return copy


# The corpus itself --------------------------------------------------------------------------

def test_every_case_has_an_expectation() -> None:
    """Every file of tests/data/hostile/ (but its README) is a case listed in EXPECTED."""
    files = sorted(p.name for p in HOSTILE.iterdir() if p.is_file() and p.name != "README.md")
    assert files == CASES


def test_readme_lists_every_class() -> None:
    """The corpus README names each class of issue 10 and every rule code the cases expect."""
    readme = (HOSTILE / "README.md").read_text(encoding="utf-8")
    for code in sorted({e.code for e in EXPECTED.values() if e.code}):
        assert code in readme
    for number in range(1, 10):
        assert re.search(rf"^\| {number} \|", readme, re.M), f"class {number} is not in the README"


# (a) check ----------------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_check_reports_the_case(case: str, case_project: Path, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """`accountplans check` names the case's rule at its file and line, and only problem lines."""
    installed = install(case, case_project, case_project.parent / "outside")
    expected = EXPECTED[case]
    run = run_check(case_project, capsys, monkeypatch)
    assert "Traceback" not in run.stderr
    assert all(PROBLEM_LINE.match(line) for line in run.lines), run.lines
    if expected.code is None:
        assert (run.exit_code, run.lines) == (0, [])
        return
    found = [m for line in run.lines if line.startswith(installed.shown)
             and (m := PLACE.match(line.removeprefix(installed.shown))) and m["code"] == expected.code]
    assert found, f"no {expected.code} for {installed.shown} in {run.lines}"
    assert int(found[0]["line"] or 0) == installed.line, run.lines
    assert found[0]["severity"] == expected.severity
    assert run.exit_code == (1 if expected.severity == "error" else 0)
    assert not [line for line in run.lines if " AP002 " in line and "internal error" in line]


# (b) a real build -----------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_build_agrees_with_check(case: str, case_project: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """The build logs exactly check's lines; it fails on an error case (the last site left
    byte for byte) and publishes an `ok-` case; nothing from outside the docs folder is
    published."""
    install(case, case_project, case_project.parent / "outside")
    check = run_check(case_project, capsys, monkeypatch)
    site = case_project / "site"
    before = snapshot(site)
    caplog.set_level(logging.INFO)
    expected = EXPECTED[case]
    if expected.severity == "error":
        with pytest.raises((Abort, PluginError)):
            build_site(case_project)
        assert snapshot(site) == before
    else:
        build_site(case_project)
    assert logged_problems(caplog) == check.lines
    assert files_with_secret(site) == []


@pytest.mark.parametrize("case", [c for c in CASES if EXPECTED[c].severity == "warning"])
def test_strict_build_fails_on_a_warning_case(case: str, case_project: Path,
                                               caplog: pytest.LogCaptureFixture) -> None:
    """Under --strict a warning case fails the build and leaves the last site whole."""
    install(case, case_project, case_project.parent / "outside")
    before = snapshot(case_project / "site")
    with pytest.raises((Abort, PluginError)):
        build_site(case_project, strict=True)
    assert snapshot(case_project / "site") == before


# (d) what a reader's browser does with the pages ------------------------------------------------

SERVE_URL = "http://127.0.0.1:8000/"

# In the page, after it loaded: every element, attribute and URL that could run script, load
# from another host or send the reader elsewhere, as the browser's own parser made the DOM.
DANGEROUS_DOM = """() => {
  const found = [];
  const urlAttributes = new Set(["href", "src", "action", "formaction", "data", "poster", "srcset",
                                 "background", "ping", "cite", "xlink:href", "codebase", "manifest"]);
  const own = location.origin;
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    if (["iframe", "frame", "object", "embed", "applet", "base", "portal", "animate", "set",
         "animatemotion", "animatetransform", "foreignobject", "noscript"].includes(tag)) {
      found.push(`element <${tag}>`);
    }
    if (tag === "meta" && (el.getAttribute("http-equiv") || "").toLowerCase() === "refresh") {
      found.push("meta refresh");
    }
    if (tag === "script" && el.type !== "application/json"
        && !(el.src && new URL(el.src).origin === own)) {
      found.push(`script ${el.src || el.textContent.slice(0, 60)}`);
    }
    if (tag === "style" && /url\\(|@import|expression\\(/i.test(el.textContent)) {
      found.push(`style element ${el.textContent.slice(0, 60)}`);
    }
    if (tag === "link" && el.href && new URL(el.href).origin !== own
        && !["canonical", "alternate", "prev", "next"].includes(el.rel)) {
      found.push(`link ${el.href}`);
    }
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value;
      if (name.startsWith("on")) found.push(`<${tag} ${name}="${value.slice(0, 60)}">`);
      if (name === "srcdoc") found.push(`<${tag} srcdoc>`);
      if (name === "style" && /url\\(|@import|expression\\(/i.test(value)) {
        found.push(`<${tag} style="${value.slice(0, 60)}">`);
      }
      if (urlAttributes.has(name) || name.endsWith(":href")) {
        const url = value.replace(/[\\t\\n\\r]/g, "").replace(/^[\\x00-\\x20]+/, "").toLowerCase();
        if (/^(javascript|vbscript|data:(?!image\\/(png|gif|jpeg|webp)))/.test(url)) {
          found.push(`<${tag} ${name}="${value.slice(0, 60)}">`);
        }
      }
    }
  }
  return found;
}"""

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""

# Hover, focus and click every element of the page's content but links (a link's URL is in
# DANGEROUS_DOM): handlers that only run when a reader touches the page run now.
TOUCH_CONTENT = """() => {
  for (const el of document.querySelectorAll(".md-content *")) {
    if (el.closest("a")) continue;
    for (const type of ["mouseover", "mouseenter", "focus", "click", "toggle", "animationstart"]) {
      el.dispatchEvent(new Event(type, {bubbles: true}));
    }
  }
}"""


@dataclass
class PageVisit:
    """What one page did in Chromium."""

    url: str
    dialogs: list[str]
    foreign_requests: list[str]
    violations: list[str]
    dangerous: list[str]


def visit(browser: Browser, url: str) -> PageVisit:
    """Open `url` in a fresh context, touch its content, and record what it did."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    dialogs: list[str] = []
    requests: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(url, wait_until="load")
        page.evaluate(TOUCH_CONTENT)
        page.wait_for_timeout(100)
        dangerous = page.evaluate(DANGEROUS_DOM)
        violations = page.evaluate("() => window.__violations")
    finally:
        context.close()
    foreign = [u for u in requests
               if not u.startswith(("data:", "blob:", "about:")) and urlsplit(u).hostname != LOCAL_HOST]
    return PageVisit(url, dialogs, foreign, violations, dangerous)


@dataclass(frozen=True)
class ServedCorpus:
    """Every case in one project, built as `mkdocs serve` builds it (drafts and pages with
    errors shown, their problems listed on top), served on 127.0.0.1."""

    site: ServedSite
    installed: dict[str, Installed]


@pytest.fixture(scope="module")
def served_corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedCorpus]:
    base = tmp_path_factory.mktemp("hostile-serve")
    project = new_project(base / "project")
    outside = base / "outside"
    outside.mkdir()
    installed = {case: install(case, project, outside) for case in CASES}
    site_dir = base / "site"
    with pinned_today():
        build_site(project, site_dir, command="serve", serve_url=SERVE_URL)
    with serve(site_dir, project) as served:
        yield ServedCorpus(served, installed)


def served_pages(corpus: ServedCorpus) -> list[str]:
    """The URL of every HTML page of the served site."""
    site = corpus.site
    return [site.url + p.relative_to(site.site_dir).as_posix().removesuffix("index.html")
            for p in sorted(site.site_dir.rglob("*.html"))]


def test_serve_publishes_no_refused_file(served_corpus: ServedCorpus) -> None:
    """Under serve too, .MD drafts and files a browser runs (.html, .svg, .js) are not in the
    site. (Symlinks under serve: tests/test_hostile_open.py.)"""
    site = served_corpus.site.site_dir
    for name in ("ap404-page.html", "ap404-image.svg", "ap404-script.js",
                 "ap404-draft-upper-suffix.MD", "ap404-draft-upper-suffix"):
        assert not (site / name).exists(), name


def test_serve_shows_every_hostile_page(served_corpus: ServedCorpus) -> None:
    """Each case with a page of its own is served (so the browser test below sees it)."""
    site = served_corpus.site
    pages = served_pages(served_corpus)
    for case, installed in served_corpus.installed.items():
        if installed.src_uri is not None:
            as_md = installed.src_uri.rsplit(".", 1)[0] + ".md"  # page_url reads .md names
            assert site.page_url(as_md) in pages, case


@pytest.mark.browser
def test_no_served_page_runs_or_loads_anything_hostile(served_corpus: ServedCorpus,
                                                       chromium: Browser) -> None:
    """Every page of the served corpus: no dialog, no request off 127.0.0.1, no CSP violation,
    and no script, handler, frame or script URL left in the DOM."""
    visits = [visit(chromium, url) for url in served_pages(served_corpus)]
    assert len(visits) > len(CASES) // 2
    assert [(v.url, v.dialogs) for v in visits if v.dialogs] == []
    assert [(v.url, v.foreign_requests) for v in visits if v.foreign_requests] == []
    assert [(v.url, v.violations) for v in visits if v.violations] == []
    assert [(v.url, v.dangerous) for v in visits if v.dangerous] == []


@pytest.mark.browser
def test_visit_sees_what_a_hostile_page_does(chromium: Browser, tmp_path: Path) -> None:
    """The browser probe itself: an unsanitized page's dialog, request to another host, CSP
    violation and handler are all seen (so the tests above can fail)."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><meta http-equiv="Content-Security-Policy" content="img-src \'self\'">'
        '<div class="md-content"><p onmouseover="alert(1)">x</p>'
        '<img src="https://evil.example/x.png"></div>', encoding="utf-8")
    (tmp_path / "page.html").write_text(
        '<!doctype html><div class="md-content"><img src="https://evil.example/x.png"></div>',
        encoding="utf-8")
    with serve(tmp_path, tmp_path) as served:
        blocked = visit(chromium, served.url)
        loaded = visit(chromium, served.url + "page.html")
    assert blocked.dialogs == ["1"]
    assert blocked.violations == ["img-src https://evil.example/x.png"]
    assert blocked.dangerous == ['<p onmouseover="alert(1)">']
    assert loaded.foreign_requests == ["https://evil.example/x.png"]


@pytest.mark.browser
def test_normal_pages_raise_no_csp_violation_and_search_works(built_project: Path,
                                                              chromium: Browser) -> None:
    """The generated site's own pages, with its CSP, raise no violation while search finds a
    plan by its account, and request nothing off 127.0.0.1."""
    site_dir = built_project / "site"
    with serve(site_dir, built_project) as served:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        try:
            page.goto(served.url, wait_until="networkidle")
            box = page.locator("input.md-search__input")
            box.click()
            page.wait_for_load_state("networkidle")  # search has loaded Pagefind and its index
            box.fill("Good Pla")
            box.press("n")
            hrefs = page.locator("a.md-search-result__link").first
            hrefs.wait_for(timeout=10_000)
            found = hrefs.get_attribute("href") or ""
            page.goto(served.page_url("good.md"), wait_until="networkidle")
            violations = page.evaluate("() => window.__violations")
        finally:
            context.close()
    assert urlsplit(found).path.endswith("/good/")
    assert violations == []
    assert any("/pagefind/" in u for u in requests)  # Pagefind loaded its index from the site
    assert [u for u in requests if urlsplit(u).hostname != LOCAL_HOST] == []


def test_new_with_a_long_hostile_name_writes_a_draft_check_reads(
        case_project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Class 7: `accountplans new` with a 300-character name holding HTML writes a draft
    that check reads without a traceback or an error (the name is front-matter text)."""
    monkeypatch.chdir(case_project)
    name = "A" * 300 + " <img src=x onerror=alert(1)>"
    assert accountplans(["new", name, "--owner", "Sanne de Vries"]) == 0
    run = run_check(case_project, capsys, monkeypatch)
    assert "Traceback" not in run.stderr
    assert run.exit_code == 0
    assert all(PROBLEM_LINE.match(line) and " warning: " in line for line in run.lines)


@pytest.mark.parametrize("case", ["ap404-symlink-to-outside-file.txt", "ap404-symlinked-folder.md"])
def test_serve_never_publishes_a_symlinks_target(case: str, case_project: Path, tmp_path: Path) -> None:
    """Under `mkdocs serve`, which goes on despite errors, a symlink to a file or folder outside
    the project is refused (AP404) and its target never copied into the site."""
    install(case, case_project, case_project.parent / "outside")
    site = tmp_path / "served"
    with pinned_today():
        build_site(case_project, site, command="serve", serve_url=SERVE_URL)
    assert files_with_secret(site) == []
    assert not (site / "env.txt").exists() and not (site / "linked").exists()
