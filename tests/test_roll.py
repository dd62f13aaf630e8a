"""`accountplans roll YEAR` (issue 12 item 6): next year's drafts from this year's plans, in
a real git repository, run through the real CLI; "today" pinned with SOURCE_DATE_EPOCH."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from accountplans.review.roll import evaluation_day, next_year_targets, one_year_later, rolled_name
from plan_factory import epoch, review_plan_text
from plan_repo import Repo, bullets, run_cli

ROLL_DAY = dt.date(2027, 11, 20)


@pytest.fixture
def rolled(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
           ) -> tuple[Repo, int, str]:
    """Van Dijk (active, 2027, Q1 evaluated), Oud (archived) and Concept (a draft), committed
    as `base`, then rolled over to 2028."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(ROLL_DAY))
    repo = Repo(tmp_path / "repo", capsys)
    van_dijk = review_plan_text().replace(
        "    title: Quarterly review Q1\n    kind: evaluation\n    done: false",
        "    title: Quarterly review Q1\n    kind: evaluation\n    done: true\n"
        "    outcome: Training behind plan.\n    status: at-risk  # to discuss with Anna")
    repo.write("plans/bakkerij-van-dijk.md", van_dijk.replace("status: active", "status: active  # kept"))
    repo.write("plans/oud.md", review_plan_text("Oud B.V.", status="archived"))
    repo.write("plans/concept.md", review_plan_text("Concept B.V.", status="draft"))
    repo.commit("base")
    repo.git("tag", "base")
    code, out, _ = run_cli(capsys, ["-f", str(repo.root / "mkdocs.yml"), "roll", "2028"])
    return repo, code, out


def test_roll_writes_a_draft_and_archives_the_plan(rolled: tuple[Repo, int, str]) -> None:
    """Exit 0; one line printed for Van Dijk; archived and draft plans are left alone."""
    repo, code, out = rolled
    assert code == 0
    assert out.splitlines() == [
        "plans/bakkerij-van-dijk.md: archived; draft for 2028 written to plans/bakkerij-van-dijk-2028.md "
        "(Cloud ERP licences year1 120000 → 219089; Training year1 15000 → 25981)"]
    old = (repo.root / "plans" / "bakkerij-van-dijk.md").read_text(encoding="utf-8")
    assert "status: archived  # kept" in old and "year: 2027" in old
    assert not (repo.root / "plans" / "oud-2028.md").exists()
    assert not (repo.root / "plans" / "concept-2028.md").exists()


def test_the_draft_moves_year_targets_and_milestones(rolled: tuple[Repo, int, str]) -> None:
    """year 2028, draft, reviewed on the roll day; targets one year along year1 -> year3
    (120,000 x (400,000/120,000)^(1/2) = 219,089.02 -> 219,089; 400,000 x the same =
    730,296.74 -> 730,297); milestones a year later, not done, without last year's outcome."""
    repo, _, _ = rolled
    new = (repo.root / "plans" / "bakkerij-van-dijk-2028.md").read_text(encoding="utf-8")
    lines = new.split("\n")
    for line in ("year: 2028", "reviewed: 2027-11-20", "status: draft  # kept", "    year1: 219089",
                 "    year3: 730297", "    year1: 25981", "    year3: 77942", "  - date: 2028-03-25"):
        assert line in lines, line
    assert "done: true" not in new and "outcome:" not in new and "at-risk" not in new
    assert "- date: 2027-" not in new
    assert new.split("---", 2)[2] == review_plan_text().split("---", 2)[2]  # the text is kept


def test_the_rolled_over_repository_passes_check(rolled: tuple[Repo, int, str],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """`accountplans check` exits 0 after a roll: the archived and the new plan of one account
    are for different years (AP304 is per plan year)."""
    repo, _, _ = rolled
    code, _, err = run_cli(capsys, ["-f", str(repo.root / "mkdocs.yml"), "check",
                                    str(repo.root / "plans")])
    assert code == 0, err
    assert " 0 errors" in err


def test_roll_never_overwrites(rolled: tuple[Repo, int, str], capsys: pytest.CaptureFixture[str]) -> None:
    """Rolled again after the old plan was set active again: the existing draft is kept, the
    plan is skipped (exit 1) and neither file changes."""
    repo, _, _ = rolled
    plans = repo.root / "plans"
    old = plans / "bakkerij-van-dijk.md"
    old.write_text(old.read_text(encoding="utf-8").replace("status: archived", "status: active"),
                   encoding="utf-8")
    before = {p.name: p.read_bytes() for p in plans.iterdir()}
    code, out, _ = run_cli(capsys, ["-f", str(repo.root / "mkdocs.yml"), "roll", "2028"])
    assert code == 1 and "exists already (nothing is overwritten)" in out
    assert {p.name: p.read_bytes() for p in plans.iterdir()} == before


def test_diff_shows_a_roll_as_one_line_per_plan(rolled: tuple[Repo, int, str]) -> None:
    """The pull request of a roll reads as one line for Van Dijk, not an archive and a new plan."""
    repo, _, _ = rolled
    _, out, _ = repo.diff("base")
    assert bullets(out) == [
        "Bakkerij Van Dijk B.V.: rolled over to 2028: draft `plans/bakkerij-van-dijk-2028.md`, the "
        "2027 plan archived; year-1 total 135,000 → 245,070 EUR (+110,070, +81.5%)"]


def test_missing_quarterly_evaluations_are_planned(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan with an evaluation in Q1 only gets Q2-Q4 evaluations in the new year, and passes
    check; 15 June 2028 is a Thursday, 15 September a Friday, 15 December a Friday."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(ROLL_DAY))
    repo = Repo(tmp_path / "repo", capsys)
    repo.write("plans/a.md", review_plan_text("A B.V.", milestones=(
        ("2027-03-25", "Quarterly review Q1", "evaluation", True),)))
    run_cli(capsys, ["-f", str(repo.root / "mkdocs.yml"), "roll", "2028"])
    new = (repo.root / "plans" / "a-2028.md").read_text(encoding="utf-8")
    assert ("  - date: 2028-06-15\n    title: Quarterly evaluation Q2\n    kind: evaluation\n"
            "  - date: 2028-09-15\n    title: Quarterly evaluation Q3\n") in new
    code, _, err = run_cli(capsys, ["-f", str(repo.root / "mkdocs.yml"), "check", str(repo.root / "plans")])
    assert code == 0, err


def test_year_without_year3_and_a_product_that_stops() -> None:
    """No year3: year1 stays; year3 of 0: the product is left out (None)."""
    assert next_year_targets(Decimal(5000), None) == (Decimal(5000), None)
    assert next_year_targets(Decimal(5000), Decimal(0)) is None


def test_dates_and_names_of_the_new_year() -> None:
    """29 Feb 2028 becomes 28 Feb 2029; a year at the end of a file name is replaced; an
    evaluation on a Sunday the 15th moves to the Friday before."""
    assert one_year_later(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)
    assert rolled_name(Path("plans/van-dijk-2027.md"), 2028) == Path("plans/van-dijk-2028.md")
    assert evaluation_day(2026, 3) == dt.date(2026, 9, 15)
    assert evaluation_day(2027, 3) == dt.date(2027, 9, 15)
    assert evaluation_day(2030, 4) == dt.date(2030, 12, 13)  # the 15th is a Sunday


def test_roll_speaks_the_chosen_language_and_titles_in_the_plans(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """`roll --lang nl` prints Dutch lines; a Dutch plan's new evaluations get Dutch titles."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(ROLL_DAY))
    repo = Repo(tmp_path / "repo", capsys)
    repo.write("plans/a.md", review_plan_text("A B.V.", milestones=(
        ("2027-03-25", "Kwartaalevaluatie Q1", "evaluation", True),)).replace(
            "status: active", "status: active\nlanguage: nl"))
    code, out, _ = run_cli(capsys, ["-f", str(repo.root / "mkdocs.yml"), "roll", "2028", "--lang", "nl"])
    assert code == 0
    assert out.startswith("plans/a.md: gearchiveerd; concept voor 2028 geschreven naar plans/a-2028.md (")
    assert "evaluaties gepland in Q2, Q3, Q4" in out
    new = (repo.root / "plans" / "a-2028.md").read_text(encoding="utf-8")
    assert "    title: Kwartaalevaluatie Q2\n" in new and "Quarterly" not in new
