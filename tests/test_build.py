"""In-process `mkdocs build` of a copy of the project: the hooks check every plan.

Builds run through plan_factory.build_site (as the CLI runs them), the log is read with
caplog. "Today" is pinned with SOURCE_DATE_EPOCH=1795737600 (2026-11-27 00:00 UTC).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from accountplans import Settings, check_paths
from conftest import indexed_pages
from mkdocs.exceptions import Abort, PluginError
from plan_factory import build_site

DATA = Path(__file__).parent / "data"
GOOD = (DATA / "good-plan.md").read_text(encoding="utf-8")

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


def logged(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str]]:
    """(level, text) of every WARNING or ERROR record of the build."""
    return [(r.levelname, r.getMessage()) for r in caplog.records if r.levelno >= logging.WARNING]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_clean_build_logs_no_warning(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The example project builds with no WARNING or ERROR record."""
    caplog.set_level(logging.INFO)
    build_site(project)
    assert logged(caplog) == []
    assert (project / "site" / "bakkerij-van-dijk" / "index.html").is_file()


def test_clean_build_passes_strict(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    """`--strict` passes on the example plans."""
    build_site(project, strict=True)
    assert logged(caplog) == []


def test_errors_abort_after_logging_every_one(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Two plans with errors: every problem is logged exactly, then the build aborts."""
    (project / "plans" / "broken-a.md").write_text(BAD_A, encoding="utf-8")
    (project / "plans" / "broken-b.md").write_text(BAD_B, encoding="utf-8")
    with pytest.raises((Abort, PluginError)):
        build_site(project)
    problems = [(level, text) for level, text in logged(caplog) if " AP" in text]
    assert problems == BAD_LINES
    assert any("3 errors in the plans" in text for _, text in logged(caplog))


def test_errors_leave_the_previous_site_whole(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A failed build does not empty or change site_dir: the last good site stays published."""
    build_site(project)
    before = snapshot(project / "site")
    assert "index.html" in before
    (project / "plans" / "broken-a.md").write_text(BAD_A, encoding="utf-8")
    with pytest.raises((Abort, PluginError)):
        build_site(project)
    assert snapshot(project / "site") == before


def test_unreadable_front_matter_is_an_error(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    """MkDocs would swallow bad YAML; the hook reports AP002 at its line and aborts."""
    (project / "plans" / "broken.md").write_text("---\naccount: A\nowner: [B\n---\n\n# A\n", encoding="utf-8")
    with pytest.raises((Abort, PluginError)):
        build_site(project)
    [line] = [text for _, text in logged(caplog) if " AP" in text]
    assert line.startswith("plans/broken.md:4:1: AP002 error: the front-matter is not valid YAML")


def test_latin1_plan_is_an_error(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A Latin-1 plan fails the build with AP403, not a UnicodeDecodeError."""
    (project / "plans" / "latin.md").write_bytes(GOOD.replace("depots", "dépôts").encode("latin-1"))
    with pytest.raises((Abort, PluginError)):
        build_site(project)
    assert any(text.startswith("plans/latin.md:") and " AP403 error: " in text for _, text in logged(caplog))


def test_warning_fails_strict(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A plan with only a warning builds, but fails `--strict`."""
    (project / "plans" / "northwind.md").write_text(GOOD.replace("visits_per_year", "visits_per_yer"),
                                                    encoding="utf-8")
    build_site(project)
    assert ("WARNING", "plans/northwind.md:30:1: AP006 warning: unknown field 'visits_per_yer'; "
                       "did you mean 'visits_per_year'?") in logged(caplog)
    with pytest.raises(Abort, match="BuildError"):
        build_site(project, strict=True)
    assert ("ERROR", "1 warning in the plans, listed above, and the build is strict; fix it "
                     "and build again") in logged(caplog)


def test_draft_is_left_out_of_the_published_site(project: Path) -> None:
    """A draft (even with missing sections) builds, but has no page in site_dir."""
    draft = GOOD.replace("status: active", "status: draft").replace("account: Northwind", "account: Draft")
    draft = draft.replace("## Market position\n\nChallenger to the two national carriers.\n", "")
    (project / "plans" / "draft-plan.md").write_text(draft, encoding="utf-8")
    (project / "plans" / "northwind.md").write_text(GOOD, encoding="utf-8")
    build_site(project)
    site = project / "site"
    assert (site / "northwind" / "index.html").is_file()
    assert not (site / "draft-plan").exists()
    indexed = indexed_pages(site)
    assert indexed and "Draft Logistics" not in " ".join(indexed.values())


def test_serve_builds_a_plan_with_errors_and_lists_them(project: Path) -> None:
    """Under `serve` the build goes on; the plan's page starts with its problems."""
    (project / "plans" / "broken-a.md").write_text(BAD_A, encoding="utf-8")
    build_site(project, project / "served", command="serve", serve_url="http://127.0.0.1:8000/")
    page = (project / "served" / "broken-a" / "index.html").read_text(encoding="utf-8")
    assert "accountplans-problems" in page
    assert "AP005" in page and "targets[1].year1 must be a positive number, got -5" in page
    assert "AP006" in page
    assert page.index("accountplans-problems") < page.index("Northwind runs 14 depots")


def test_serve_shows_drafts(project: Path) -> None:
    """Under `serve` a draft is built, so its author can see it."""
    draft = GOOD.replace("status: active", "status: draft").replace("account: Northwind", "account: Draft")
    (project / "plans" / "draft-plan.md").write_text(draft, encoding="utf-8")
    build_site(project, project / "served", command="serve", serve_url="http://127.0.0.1:8000/")
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
    build_site(project, project / "served", command="serve", serve_url="http://127.0.0.1:8000/")
    page = (project / "served" / name.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
    assert "accountplans-problems" in page and code in page
    assert len(page) < 512 * 1024


def _one_defect_per_rule() -> dict[str, str]:
    """A plan (file name -> text) for each rule of the rule table (README), AP001 to AP403."""
    def plan(account: str, old: str = "", new: str = "") -> str:
        text = GOOD.replace("account: Northwind Logistics Ltd", f"account: {account}")
        assert old in text
        return text.replace(old, new, 1)

    long_text = "\n\n".join(["The sponsor wants the rollout done before the summer peak. " * 6] * 40)
    return {
        "ap001.md": "---\n- a list\n---\n\n# Not fields\n",
        "ap002.md": plan("AP002", "owner: Tom Baker", "owner: Tom: Baker"),
        "ap003.md": plan("AP003", "status: active\n", "status: active\nstatus: draft\n"),
        "ap004.md": plan("AP004", "owner: Tom Baker\n"),
        "ap005.md": plan("AP005", "language: en", "language: NO"),
        "ap006.md": plan("AP006", "tags:", "tagz:"),
        "ap101.md": plan("AP101", "## Customer goals\n\nCut empty kilometres by 10% in 2027.\n"),
        "ap102.md": plan("AP102", "Challenger to the two national carriers.\n"),
        "ap103.md": plan("AP103", "## Organisation\n\nNorthwind runs 14 depots across the Midlands.\n\n")
        + "\n## Organisation\n\nNorthwind runs 14 depots.\n",
        "ap104.md": plan("AP104") + "\n## Timeline\n\nTwice.\n",
        "ap201.md": plan("AP201", "Northwind runs 14 depots across the Midlands.", long_text),
        "ap301.md": plan("AP301", "reports_to: Grace Hill", "reports_to: Grace Hall"),
        "ap302.md": plan("AP302", "    decision_maker: true\n"),
        "ap303.md": plan("AP303", "Q3 review\n    kind: evaluation", "Q3 review\n    kind: visit"),
        "ap304-a.md": plan("AP304"),
        "ap304-b.md": plan("AP304"),
        "ap401.md": plan("AP401", "{{ targets_table() }}", "{{ config.extra }}"),
        "ap402.md": plan("AP402", "Cut empty", '<span onmouseover="x()">Cut</span> empty'),
    }


def test_build_logs_exactly_what_check_prints(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    """One plan per rule: the build logs the same lines `accountplans check` prints, every rule."""
    for name, text in _one_defect_per_rule().items():
        (project / "plans" / name).write_text(text, encoding="utf-8")
    (project / "plans" / "ap403.md").write_bytes(GOOD.replace("depots", "dépôts").encode("latin-1"))
    _, expected = check_paths([project / "plans"], Settings(), display=project)
    assert {p.code for p in expected} >= {
        "AP001", "AP002", "AP003", "AP004", "AP005", "AP006", "AP101", "AP102", "AP103", "AP104",
        "AP201", "AP301", "AP302", "AP303", "AP304", "AP401", "AP402", "AP403"}
    with pytest.raises((Abort, PluginError)):
        build_site(project)
    assert sorted(text for _, text in logged(caplog) if " AP" in text) == sorted(map(str, expected))
    levels = {text: level for level, text in logged(caplog)}
    assert all(levels[str(p)] == ("ERROR" if p.is_error else "WARNING") for p in expected)


def test_plan_front_matter_is_parsed_once(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs gets a plan's body only: its front-matter is not parsed again, its tags still apply."""
    from mkdocs.structure import pages

    seen: list[str] = []
    get_data = pages.meta.get_data

    def recording(doc: str) -> Any:
        seen.append(doc)
        return get_data(doc)

    monkeypatch.setattr(pages.meta, "get_data", recording)
    (project / "plans" / "northwind.md").write_text(GOOD, encoding="utf-8")
    build_site(project)
    plan_docs = [doc for doc in seen if "## Organisation" in doc or "## Organisatie" in doc]
    assert len(plan_docs) >= 2  # the examples and northwind
    assert all(doc.startswith("---\n{}\n---\n") and "account:" not in doc for doc in plan_docs)
    page = (project / "site" / "northwind" / "index.html").read_text(encoding="utf-8")
    assert "Northwind Logistics Ltd" in page
    tags = GOOD.split("tags: [", 1)[1].split("]", 1)[0].split(",")
    assert all(f'class="md-tag">{t.strip()}</a>' in page for t in tags)
