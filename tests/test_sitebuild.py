"""The build object (accountplans.site.sitebuild) and the one path through check and build
(accountplans.plan.sitecheck): `accountplans check` and `mkdocs build` report the same lines."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from accountplans.cli import commands as cli
from accountplans.plan.rendered import DEFAULT_MARKDOWN
from accountplans.settings import MacroShape
from accountplans.site.sitebuild import BuildStopped, SiteBuild, TemplateFailed
from conftest import ROOT
from mkdocs.exceptions import Abort, PluginError
from plan_factory import build_site

DATA = Path(__file__).parent / "data"
GOOD = (DATA / "good-plan.md").read_text(encoding="utf-8")
TODAY = dt.date(2026, 11, 27)
# An error and a warning in a plan, its owner probably another's, a warning in a draft (not
# counted by --strict), a malformed row and an unknown account in actuals.csv.
BROKEN = GOOD.replace("account: Northwind Logistics Ltd", "account: Broken A") \
    .replace("year1: 80000", "year1: -5").replace("visits_per_year: 4", "visits_per_yer: 4") \
    .replace("owner: Tom Baker", "owner: T. Baker")
DRAFT = GOOD.replace("account: Northwind Logistics Ltd", "account: Draft B") \
    .replace("status: active", "status: draft").replace("visits_per_year: 4", "visits_per_yer: 4")
ACTUALS = ("account,product,month,amount\n"
           "Northwind Logistics Ltd,Route planning suite,2026-13,100\n"
           "Nobody Ltd,Route planning suite,2026-03,100\n")


def _site(folder: Path, plans: Mapping[str, str]) -> Path:
    """The project's mkdocs.yml, hooks and theme with only the given files in plans/."""
    for name in ("hooks", "theme_overrides"):
        shutil.copytree(ROOT / name, folder / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    (folder / "plans").mkdir()
    for name, text in plans.items():
        (folder / "plans" / name).write_text(text, encoding="utf-8")
    return folder


def _identity(markdown: str, macros: Mapping[str, Callable[..., Any]], team: Sequence[MacroShape],
              language: str) -> str:
    return markdown


def _failing(markdown: str, macros: Mapping[str, Callable[..., Any]], team: Sequence[MacroShape],
             language: str) -> str:
    raise TemplateFailed(3, "template code failed: 'x' is undefined")


def _build_object(render: Callable[..., str], *, serving: bool = False) -> SiteBuild:
    return SiteBuild.start(None, Path("."), today=TODAY, serving=serving, strict=False,
                           markdown=DEFAULT_MARKDOWN, render=render,
                           log=logging.LoggerAdapter(logging.getLogger("mkdocs.plugins.accountplans")))


def test_check_and_build_print_the_same_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str],
                                              caplog: pytest.LogCaptureFixture) -> None:
    """The plans' and actuals.csv's problems: the build logs exactly the lines check prints."""
    project = _site(tmp_path, {"good.md": GOOD, "broken-a.md": BROKEN, "draft-b.md": DRAFT,
                               "actuals.csv": ACTUALS})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(project)
    assert cli.main(["check"]) == 1
    printed = capsys.readouterr().out.splitlines()
    caplog.set_level(logging.INFO)
    with pytest.raises((Abort, PluginError)):
        build_site(project)
    logged = [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.accountplans"]
    assert logged == printed
    codes = ("AP005", "AP006", "AP309", "AP501", "AP502")
    assert [c for line in printed for c in codes if f" {c} " in line] \
        == ["AP005", "AP006", "AP006", "AP309", "AP501", "AP502"]


def test_build_object_imports_nothing_from_mkdocs_or_jinja() -> None:
    """accountplans.site.sitebuild loads without MkDocs or Jinja: the hook hands them in."""
    done = subprocess.run([sys.executable, "-c", "import sys, accountplans.site.sitebuild; "
                           "print(sorted({m.split('.')[0] for m in sys.modules} & {'mkdocs', 'jinja2'}))"],
                          capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "[]"


def test_plan_page_rendered_without_mkdocs(tmp_path: Path) -> None:
    """The steps on plain values: a checked plan's page has its key facts and its account as title."""
    _site(tmp_path, {"good.md": GOOD})
    state = _build_object(_identity)
    state.check(tmp_path / "plans", tmp_path)
    made = state.page_markdown("good.md", "good.md", "# Northwind\n\nText.\n", {}, use_directory_urls=True)
    assert made.meta == {"tags": ["logistics", "tier-b"], "title": "Northwind Logistics Ltd"}
    converted = "".join(f"<p>{chunk.strip()}</p>" for chunk in made.markdown.split("\n\n") if chunk.strip())
    page = state.put_back("good.md", converted)
    assert page.startswith("<p># Northwind</p>") and "Tom Baker" in page and page.endswith("<p>Text.</p>")


def test_template_failure_stops_a_build_at_its_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A renderer's TemplateFailed is AP401 at the page's file line, and stops a build."""
    _site(tmp_path, {"good.md": GOOD})
    state = _build_object(_failing)
    state.check(tmp_path / "plans", tmp_path)
    body_line = state.files["good.md"].body_line
    with pytest.raises(BuildStopped, match=r"plans/good\.md: template code failed"):
        state.page_markdown("good.md", "good.md", "# Northwind\n\n{{ x }}\n", {}, use_directory_urls=True)
    assert [r.getMessage() for r in caplog.records] == [
        f"plans/good.md:{body_line + 2}: AP401 error: template code failed: 'x' is undefined; "
        "remove it or call a known macro"]


def test_refused_files_and_actuals_are_not_published(tmp_path: Path) -> None:
    """actuals.csv and the files check refuses (AP404) are left out of the site, under serve too."""
    _site(tmp_path, {"good.md": GOOD, "actuals.csv": "account,product,month,amount\n",
                     "page.html": "<p>x</p>"})
    state = _build_object(_identity, serving=True)
    state.check(tmp_path / "plans", tmp_path)
    assert [state.publishes(uri) for uri in ("good.md", "actuals.csv", "page.html")] == [True, False, False]


def _shared(tmp_path: Path, render: Callable[..., str] = _identity) -> SiteBuild:
    """A build of one plan (good.md) whose page is shared with a child (share_plan_pages)."""
    _site(tmp_path, {"good.md": GOOD})
    state = _build_object(render)
    state.check(tmp_path / "plans", tmp_path)
    state.share_plan_pages([("good.md", str(tmp_path / "plans" / "good.md"), "good")],
                           use_directory_urls=True)
    return state


def test_plan_page_made_ahead_is_the_builds(tmp_path: Path) -> None:
    """What the child makes of a plan's page is what page_markdown makes of the Markdown MkDocs
    hands it: the same Markdown, meta and kept blocks."""
    state = _shared(tmp_path)
    ahead = state.plan_page_ahead("good.md")
    assert ahead is not None
    markdown, name, made, blocks = ahead
    body = GOOD.split("\n---\n", 1)[1]
    assert (markdown, name) == (body.lstrip("\n"), "good")
    assert blocks and "good.md" not in state.blocks.pages
    assert state.page_markdown("good.md", "good", markdown, {}, use_directory_urls=True) == made
    assert state.blocks.pages["good.md"] == blocks


def test_plan_page_that_logs_is_left_to_the_build(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A page whose making logs a message is not made ahead, and the message is not logged by
    the child: the build makes that page itself and logs it then."""
    state = _shared(tmp_path)
    made = state.page_markdown

    def logging_page_markdown(*args: Any, **kwargs: Any) -> Any:
        state.log.warning("a message of the page")
        return made(*args, **kwargs)

    monkeypatch.setattr(state, "page_markdown", logging_page_markdown)
    assert state.plan_page_ahead("good.md") is None
    assert [r.getMessage() for r in caplog.records] == []
    assert state.log.logger.name == "mkdocs.plugins.accountplans"


def test_plan_pages_are_not_shared_under_serve(tmp_path: Path) -> None:
    """`serve` never forks: share_plan_pages keeps nothing for a child."""
    _site(tmp_path, {"good.md": GOOD})
    state = _build_object(_identity, serving=True)
    state.check(tmp_path / "plans", tmp_path)
    state.share_plan_pages([("good.md", str(tmp_path / "plans" / "good.md"), "good")],
                           use_directory_urls=True)
    assert state.plan_pages == {}


def test_release_makes_the_page_folders_and_the_downloads_of_a_build(tmp_path: Path) -> None:
    """Under `build`, release() starts the downloads (beside or at once) after making the
    folders MkDocs writes the pages into; both are there once they are waited for."""
    _site(tmp_path, {"good.md": GOOD})
    state = _build_object(_identity)
    state.check(tmp_path / "plans", tmp_path)
    state.write_generated(lambda uri: False, use_directory_urls=True, site_url=None, with_tags=False)
    assert "plans.json" in state.downloads_late and state.write_downloads is not None
    folders = [tmp_path / "site" / "good", tmp_path / "site" / "owners" / "tom-baker"]
    state.release([str(folder) for folder in folders])
    assert state.downloads_beside.wait() is None
    assert all(folder.is_dir() for folder in folders)
    assert state.downloads is not None and (state.downloads / "plans.json").read_bytes().startswith(b"{")
    state.abandon()
