"""In-process `mkdocs build` of a copy of the project: the hooks check every plan.

Builds use mkdocs.commands.build.build with mkdocs.config.load_config, the log is read with
caplog. "Today" is pinned with SOURCE_DATE_EPOCH=1795737600 (2026-11-27 00:00 UTC).
"""

from __future__ import annotations

import logging
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError

DATA = Path(__file__).parent / "data"
GOOD = (DATA / "good-plan.md").read_text(encoding="utf-8")
HOOK = "hooks/accountplans_hook.py"

# Two plans with errors (and one warning), and the exact lines the build must log for them.
BAD_A = (GOOD.replace("account: Northwind Logistics Ltd", "account: Broken A")
             .replace("year1: 80000", "year1: -5")
             .replace("visits_per_year: 4", "visits_per_yer: 4"))
BAD_B = (GOOD.replace("account: Northwind Logistics Ltd", "account: Broken B")
             .replace("reviewed: 2026-11-10", "reviewed: 2026-13-01")
             .replace("{{ milestones_table() }}", "{{ milestone_table() }}"))
BAD_LINES = [
    ("ERROR", "plans/broken-a.md:27:12: AP005 error: targets[1].year1 must be a positive number, "
              "got -5; write digits only, e.g. 120000 or 1250.50"),
    ("WARNING", "plans/broken-a.md:30:1: AP006 warning: unknown field 'visits_per_yer'; "
                "did you mean 'visits_per_year'?"),
    ("ERROR", "plans/broken-b.md:5:11: AP005 error: reviewed 2026-13-01 is not a date that exists; "
              "write it as YYYY-MM-DD, e.g. 2027-01-15"),
    ("ERROR", "plans/broken-b.md:72:1: AP401 error: 'milestone_table' is not a known macro; "
              "did you mean {{ milestones_table() }}?"),
]


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


def configure(project: Path, command: str = "build", **options: Any) -> MkDocsConfig:
    """Load the project's mkdocs.yml and tell the hook which command runs (as the CLI does)."""
    config = load_config(str(project / "mkdocs.yml"), **options)
    hook: ModuleType = config.hooks[HOOK]
    hook.on_startup(command=command, dirty=False)
    return config


def logged(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str]]:
    """(level, text) of every WARNING or ERROR record of the build."""
    return [(r.levelname, r.getMessage()) for r in caplog.records if r.levelno >= logging.WARNING]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_clean_build_logs_no_warning(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The example project builds with no WARNING or ERROR record."""
    caplog.set_level(logging.INFO)
    build(configure(project))
    assert logged(caplog) == []
    assert (project / "site" / "bakkerij-van-dijk" / "index.html").is_file()


def test_clean_build_passes_strict(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    """`--strict` passes on the example plans."""
    build(configure(project, strict=True))
    assert logged(caplog) == []


def test_errors_abort_after_logging_every_one(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Two plans with errors: every problem is logged exactly, then the build aborts."""
    (project / "plans" / "broken-a.md").write_text(BAD_A, encoding="utf-8")
    (project / "plans" / "broken-b.md").write_text(BAD_B, encoding="utf-8")
    with pytest.raises((Abort, PluginError)):
        build(configure(project))
    problems = [(level, text) for level, text in logged(caplog) if " AP" in text]
    assert problems == BAD_LINES
    assert any("3 error(s) in the plans" in text for _, text in logged(caplog))


def test_errors_leave_the_previous_site_whole(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A failed build does not empty or change site_dir: the last good site stays published."""
    build(configure(project))
    before = snapshot(project / "site")
    assert "index.html" in before
    (project / "plans" / "broken-a.md").write_text(BAD_A, encoding="utf-8")
    with pytest.raises((Abort, PluginError)):
        build(configure(project))
    assert snapshot(project / "site") == before


def test_unreadable_front_matter_is_an_error(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    """MkDocs would swallow bad YAML; the hook reports AP002 at its line and aborts."""
    (project / "plans" / "broken.md").write_text("---\naccount: A\nowner: [B\n---\n\n# A\n", encoding="utf-8")
    with pytest.raises((Abort, PluginError)):
        build(configure(project))
    [line] = [text for _, text in logged(caplog) if " AP" in text]
    assert line.startswith("plans/broken.md:4:1: AP002 error: the front-matter is not valid YAML")


def test_latin1_plan_is_an_error(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A Latin-1 plan fails the build with AP403, not a UnicodeDecodeError."""
    (project / "plans" / "latin.md").write_bytes(GOOD.replace("depots", "dépôts").encode("latin-1"))
    with pytest.raises((Abort, PluginError)):
        build(configure(project))
    assert any(text.startswith("plans/latin.md:") and " AP403 error: " in text for _, text in logged(caplog))


def test_warning_fails_strict(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A plan with only a warning builds, but fails `--strict`."""
    (project / "plans" / "northwind.md").write_text(GOOD.replace("visits_per_year", "visits_per_yer"),
                                                    encoding="utf-8")
    build(configure(project))
    assert ("WARNING", "plans/northwind.md:30:1: AP006 warning: unknown field 'visits_per_yer'; "
                       "did you mean 'visits_per_year'?") in logged(caplog)
    with pytest.raises(Abort, match="in strict mode"):
        build(configure(project, strict=True))


def test_draft_is_left_out_of_the_published_site(project: Path) -> None:
    """A draft (even with missing sections) builds, but has no page in site_dir."""
    draft = GOOD.replace("status: active", "status: draft").replace("account: Northwind", "account: Draft")
    draft = draft.replace("## Market position\n\nChallenger to the two national carriers.\n", "")
    (project / "plans" / "draft-plan.md").write_text(draft, encoding="utf-8")
    (project / "plans" / "northwind.md").write_text(GOOD, encoding="utf-8")
    build(configure(project))
    site = project / "site"
    assert (site / "northwind" / "index.html").is_file()
    assert not (site / "draft-plan").exists()
    assert "Draft Logistics" not in (site / "search" / "search_index.json").read_text(encoding="utf-8")


def test_serve_builds_a_plan_with_errors_and_lists_them(project: Path) -> None:
    """Under `serve` the build goes on; the plan's page starts with its problems."""
    (project / "plans" / "broken-a.md").write_text(BAD_A, encoding="utf-8")
    config = configure(project, "serve", site_dir=str(project / "served"))
    build(config, serve_url="http://127.0.0.1:8000/")
    page = (project / "served" / "broken-a" / "index.html").read_text(encoding="utf-8")
    assert "accountplans-problems" in page
    assert "AP005" in page and "targets[1].year1 must be a positive number, got -5" in page
    assert "AP006" in page
    assert page.index("accountplans-problems") < page.index("Northwind runs 14 depots")


def test_serve_shows_drafts(project: Path) -> None:
    """Under `serve` a draft is built, so its author can see it."""
    draft = GOOD.replace("status: active", "status: draft").replace("account: Northwind", "account: Draft")
    (project / "plans" / "draft-plan.md").write_text(draft, encoding="utf-8")
    config = configure(project, "serve", site_dir=str(project / "served"))
    build(config, serve_url="http://127.0.0.1:8000/")
    assert (project / "served" / "draft-plan" / "index.html").is_file()


@pytest.mark.parametrize(("name", "data", "code"), [
    ("latin.md", GOOD.replace("depots", "dépôts").encode("latin-1"), "AP403"),
    ("huge.md", GOOD.encode() + b"\nx" * (600 * 1024), "AP403"),
    ("yaml.md", GOOD.replace("owner: Tom Baker", "owner: [Tom").encode(), "AP002"),
    ("macro.md", BAD_B.encode(), "AP401"),
])
def test_serve_survives_any_broken_plan(project: Path, name: str, data: bytes, code: str) -> None:
    """Under `serve` a Latin-1, oversized, unreadable or bad-macro plan still gets its page."""
    (project / "plans" / name).write_bytes(data)
    config = configure(project, "serve", site_dir=str(project / "served"))
    build(config, serve_url="http://127.0.0.1:8000/")
    page = (project / "served" / name.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
    assert "accountplans-problems" in page and code in page
    assert len(page) < 512 * 1024
