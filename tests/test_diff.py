"""`accountplans diff BASE [HEAD]`: real git repositories in tmp_path, real commits.

Each test commits plan files under plans/, changes them the way a pull request would, and
asserts the lines of the Markdown summary a reviewer reads. Nothing here depends on today's
date (the summary compares two revisions), so SOURCE_DATE_EPOCH is not needed.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from accountplans.review.diff import money
from hypothesis import given
from hypothesis import strategies as st
from plan_factory import REVIEW_BODY, VAN_DIJK_MILESTONES, review_plan_text
from plan_repo import MKDOCS_YML, Repo, bullets, run_cli


@pytest.fixture
def repo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Repo:
    """A repository whose first commit (`base`) holds Van Dijk's plan and one more plan."""
    made = Repo(tmp_path / "repo", capsys)
    made.write("plans/bakkerij-van-dijk.md", review_plan_text())
    made.write("plans/de-groot.md", review_plan_text(
        "De Groot Logistiek", owner="Jan Visser", targets=(("Cloud ERP licences", 50000, 150000),)))
    made.commit("base")
    made.git("tag", "base")
    return made


def test_raised_target_shows_old_new_difference_and_percentage(repo: Repo) -> None:
    """A raised year-1 target reads "old → new CUR (+diff, +pct%)" with the account's name."""
    repo.write("plans/bakkerij-van-dijk.md", review_plan_text(
        targets=(("Cloud ERP licences", 150000, 400000), ("Training", 15000, 45000))))
    repo.commit("raise Cloud ERP")
    code, out, _ = repo.diff("base", "HEAD")
    assert code == 0
    assert bullets(out) == [
        "Bakkerij Van Dijk B.V.: Cloud ERP licences year1 120,000 → 150,000 EUR (+30,000, +25.0%)",
        "Bakkerij Van Dijk B.V.: year-1 total 135,000 → 165,000 EUR (+30,000, +22.2%)",
    ]


def test_raised_target_changes_the_portfolio_total(repo: Repo) -> None:
    """The portfolio line adds every active plan's year-1 total, before and after."""
    repo.write("plans/bakkerij-van-dijk.md", review_plan_text(
        targets=(("Cloud ERP licences", 150000, 400000), ("Training", 15000, 45000))))
    repo.commit("raise Cloud ERP")
    _, out, _ = repo.diff("base", "HEAD")
    assert "**Portfolio year-1 total** (active plans): 185,000 → 215,000 EUR (+30,000, +16.2%)" in out


def test_lowered_year3_target_shows_a_negative_difference(repo: Repo) -> None:
    """A lower 3-year target is shown with a minus sign and no year-1 total line."""
    repo.write("plans/bakkerij-van-dijk.md", review_plan_text(
        targets=(("Cloud ERP licences", 120000, 300000), ("Training", 15000, 45000))))
    repo.commit("lower year3")
    _, out, _ = repo.diff("base", "HEAD")
    assert bullets(out) == [
        "Bakkerij Van Dijk B.V.: Cloud ERP licences year3 400,000 → 300,000 EUR (-100,000, -25.0%)"]


def test_added_and_removed_products(repo: Repo) -> None:
    """A new product row and a dropped one are both named, with their amounts."""
    repo.write("plans/bakkerij-van-dijk.md", review_plan_text(
        targets=(("Cloud ERP licences", 120000, 400000), ("Support contract", "12000.50", None))))
    repo.commit("swap training for support")
    _, out, _ = repo.diff("base", "HEAD")
    assert "Bakkerij Van Dijk B.V.: Training removed (year1 was 15,000 EUR)" in bullets(out)
    assert "Bakkerij Van Dijk B.V.: Support contract added: year1 12,000.50 EUR" in bullets(out)
    assert ("Bakkerij Van Dijk B.V.: year-1 total 135,000 → 132,000.50 EUR (-2,999.50, -2.2%)"
            in bullets(out))


def test_moved_milestone_shows_old_and_new_date(repo: Repo) -> None:
    """A milestone matched by its title and given another date is reported as moved."""
    moved = list(VAN_DIJK_MILESTONES)
    moved[0] = ("2027-01-29", "Kick-off with the CFO", "contact", False)
    repo.write("plans/bakkerij-van-dijk.md", review_plan_text(milestones=moved))
    repo.commit("move kick-off")
    _, out, _ = repo.diff("base", "HEAD")
    assert bullets(out) == [
        "Bakkerij Van Dijk B.V.: milestone moved: Kick-off with the CFO 2027-01-15 → 2027-01-29 (+14 days)"]


def test_milestone_done_added_and_removed(repo: Repo) -> None:
    """Done, added and removed milestones each get their own line."""
    changed = [("2027-01-15", "Kick-off with the CFO", "contact", True), *VAN_DIJK_MILESTONES[1:4],
               ("2027-12-10", "Quarterly review Q4 and plan 2028", "evaluation", False)]
    repo.write("plans/bakkerij-van-dijk.md", review_plan_text(milestones=changed))
    repo.commit("milestones")
    _, out, _ = repo.diff("base", "HEAD")
    assert bullets(out) == [
        "Bakkerij Van Dijk B.V.: milestone done: Kick-off with the CFO (2027-01-15)",
        "Bakkerij Van Dijk B.V.: milestone removed: 2027-12-14 Quarterly review Q4 (evaluation)",
        "Bakkerij Van Dijk B.V.: milestone added: 2027-12-10 Quarterly review Q4 and plan 2028 (evaluation)",
    ]


def test_contacts_added_removed_and_decision_maker_changes(repo: Repo) -> None:
    """Contacts are matched by name; decision-maker changes are said in words."""
    contacts = (("Anna Bakker", "Managing director", True), ("Pieter Jansen", "CFO", False),
                ("Kees de Boer", "Store manager", True))
    repo.write("plans/bakkerij-van-dijk.md", review_plan_text(contacts=contacts))
    repo.commit("contacts")
    _, out, _ = repo.diff("base", "HEAD")
    assert bullets(out) == [
        "Bakkerij Van Dijk B.V.: contact Pieter Jansen is no longer a decision maker",
        "Bakkerij Van Dijk B.V.: contact removed: Ilse Mulder (Head of IT)",
        "Bakkerij Van Dijk B.V.: contact added: Kees de Boer (Store manager), decision maker",
    ]


def test_owner_change(repo: Repo) -> None:
    """A plan handed to another account manager shows old → new owner."""
    repo.write("plans/de-groot.md", review_plan_text(
        "De Groot Logistiek", owner="Sanne de Vries", targets=(("Cloud ERP licences", 50000, 150000),)))
    repo.commit("hand over")
    _, out, _ = repo.diff("base", "HEAD")
    assert bullets(out) == ["De Groot Logistiek: owner Jan Visser → Sanne de Vries"]


def test_archived_plan_leaves_the_portfolio_total(repo: Repo) -> None:
    """A status change is reported, and an archived plan counts in no total."""
    repo.write("plans/de-groot.md", review_plan_text(
        "De Groot Logistiek", owner="Jan Visser", status="archived",
        targets=(("Cloud ERP licences", 50000, 150000),)))
    repo.commit("archive")
    _, out, _ = repo.diff("base", "HEAD")
    assert bullets(out) == ["De Groot Logistiek: status active → archived"]
    assert "**Portfolio year-1 total** (active plans): 185,000 → 135,000 EUR (-50,000, -27.0%)" in out


def test_renamed_file_is_followed(repo: Repo) -> None:
    """`git mv` of a plan is a rename, not a removed and an added plan."""
    repo.git("mv", "plans/bakkerij-van-dijk.md", "plans/van-dijk.md")
    repo.commit("shorter name")
    _, out, _ = repo.diff("base", "HEAD")
    assert bullets(out) == [
        "Bakkerij Van Dijk B.V.: file renamed `plans/bakkerij-van-dijk.md` → `plans/van-dijk.md`"]
    assert "(active plans): 185,000 → 185,000 EUR (no change)" in out


def test_renamed_and_changed_file_shows_both(repo: Repo) -> None:
    """A renamed plan whose target also changed shows the rename and the new amount."""
    repo.git("mv", "plans/bakkerij-van-dijk.md", "plans/van-dijk.md")
    repo.write("plans/van-dijk.md", review_plan_text(
        targets=(("Cloud ERP licences", 120000, 400000), ("Training", 20000, 45000))))
    repo.commit("rename and raise training")
    _, out, _ = repo.diff("base", "HEAD")
    assert bullets(out)[:2] == [
        "Bakkerij Van Dijk B.V.: file renamed `plans/bakkerij-van-dijk.md` → `plans/van-dijk.md`",
        "Bakkerij Van Dijk B.V.: Training year1 15,000 → 20,000 EUR (+5,000, +33.3%)",
    ]


def test_rewritten_plan_under_a_new_name_is_matched_by_account(repo: Repo) -> None:
    """A file git cannot follow (new name, new text) is still the same account's plan."""
    repo.git("rm", "-q", "plans/de-groot.md")
    repo.write("plans/groot.md", review_plan_text(
        "De Groot Logistiek", owner="Jan Visser", targets=(("Fleet telematics", 80000, None),),
        body=REVIEW_BODY.replace("A family business with 38 shops.", "Logistics, 600 trucks, 4 depots.")
        .replace("Runner-up in the region.", "Market leader in cold transport.")))
    repo.commit("rewrite")
    _, out, _ = repo.diff("base", "HEAD")
    assert bullets(out)[0] == "De Groot Logistiek: file renamed `plans/de-groot.md` → `plans/groot.md`"
    assert "De Groot Logistiek: Fleet telematics added: year1 80,000 EUR" in bullets(out)


def test_plan_broken_in_head_is_reported_not_compared(repo: Repo) -> None:
    """A YAML error on one side gives "has errors in HEAD: CODE at line N", exit 0."""
    broken = review_plan_text().replace("year: 2027", "year: [2027")
    repo.write("plans/bakkerij-van-dijk.md", broken)
    repo.commit("oops")
    code, out, _ = repo.diff("base", "HEAD")
    assert code == 0
    (line,) = bullets(out)
    assert line.startswith("Bakkerij Van Dijk B.V.: has errors in HEAD: AP002 at line ")
    assert line.endswith("not compared. Run `accountplans check plans/bakkerij-van-dijk.md` to see them")
    assert "Not counted, because they have errors: `plans/bakkerij-van-dijk.md` (errors in HEAD)" in out


def test_plan_broken_in_base_and_fixed_in_head(repo: Repo) -> None:
    """A plan with an invalid amount in BASE is reported with the rule code and line."""
    repo.write("plans/bakkerij-van-dijk.md", review_plan_text(
        targets=(("Cloud ERP licences", -5, 400000), ("Training", 15000, 45000))))
    repo.commit("broken")
    repo.git("tag", "broken")
    repo.write("plans/bakkerij-van-dijk.md", review_plan_text())
    repo.commit("fixed")
    _, out, _ = repo.diff("broken", "HEAD")
    (line,) = bullets(out)
    assert line.startswith("Bakkerij Van Dijk B.V.: has errors in BASE: AP005 at line ")


def test_added_plan_with_its_totals(repo: Repo) -> None:
    """A new plan is listed with owner, total and counts, and joins the portfolio."""
    repo.write("plans/jansen.md", review_plan_text(
        "Jansen Bouw", owner="Piet Smit", targets=(("Cloud ERP licences", 30000, 90000),)))
    repo.commit("new plan")
    _, out, _ = repo.diff("base", "HEAD")
    assert bullets(out) == ["Jansen Bouw: plan added (active), owner Piet Smit, year-1 total 30,000 EUR, "
                            "1 product, 5 milestones, 3 contacts"]
    assert "185,000 → 215,000 EUR (+30,000, +16.2%)" in out


def test_removed_plan(repo: Repo) -> None:
    """A deleted plan says what total it took with it."""
    repo.git("rm", "-q", "plans/de-groot.md")
    repo.commit("lost the customer")
    _, out, _ = repo.diff("base", "HEAD")
    assert bullets(out) == ["De Groot Logistiek: plan removed (was active, year-1 total 50,000 EUR)"]


def test_draft_is_added_but_not_counted(repo: Repo) -> None:
    """A draft plan shows as added (draft) and does not change the portfolio total."""
    repo.write("plans/jansen.md", review_plan_text("Jansen Bouw", status="draft",
                                            targets=(("Training", 9000, None),)))
    repo.commit("draft")
    _, out, _ = repo.diff("base", "HEAD")
    assert bullets(out)[0].startswith("Jansen Bouw: plan added (draft), owner Sanne de Vries")
    assert "185,000 → 185,000 EUR (no change)" in out


def test_portfolio_totals_per_currency(repo: Repo) -> None:
    """Plans in another currency get their own portfolio line; amounts are never mixed."""
    repo.write("plans/acme.md", review_plan_text("Acme Ltd", currency="GBP",
                                                 targets=(("Training", 10000, None),)))
    repo.commit("uk customer")
    _, out, _ = repo.diff("base", "HEAD")
    assert "**Portfolio year-1 total** (active plans): (none) → 10,000 GBP" in out
    assert "Acme Ltd: plan added (active), owner Sanne de Vries, year-1 total 10,000 GBP" in out


def test_no_changes(repo: Repo) -> None:
    """Two revisions with the same plans: exit 0 and "No plan changes."."""
    repo.write("plans/index.md", "# Plans\n\nThe dashboard changed, no plan did.\n")
    repo.commit("dashboard text")
    code, out, _ = repo.diff("base", "HEAD")
    assert code == 0
    assert out.splitlines()[-1] == "No plan changes."
    assert bullets(out) == []


def test_text_only_change_is_still_listed(repo: Repo) -> None:
    """Prose edits with the same numbers are named, so the reviewer reads the plan."""
    repo.write("plans/de-groot.md", review_plan_text(
        "De Groot Logistiek", owner="Jan Visser", targets=(("Cloud ERP licences", 50000, 150000),),
        body=REVIEW_BODY.replace("Runner-up in the region.", "Runner-up, gaining on the leader.")))
    repo.commit("prose")
    _, out, _ = repo.diff("base", "HEAD")
    assert bullets(out) == [
        "De Groot Logistiek: text changed (targets, milestones and contacts are the same)"]


def test_head_defaults_to_the_working_tree(repo: Repo) -> None:
    """Without HEAD, uncommitted edits and new untracked plans are compared."""
    repo.write("plans/bakkerij-van-dijk.md", review_plan_text(
        targets=(("Cloud ERP licences", 150000, 400000), ("Training", 15000, 45000))))
    repo.write("plans/jansen.md", review_plan_text("Jansen Bouw", targets=(("Training", 9000, None),)))
    code, out, _ = repo.diff("base")
    assert code == 0
    short = repo.git("rev-parse", "--short=7", "base")
    assert out.splitlines()[0] == f"## Account plan changes: `base` ({short}) → the working tree"
    assert ("Bakkerij Van Dijk B.V.: Cloud ERP licences year1 120,000 → 150,000 EUR (+30,000, +25.0%)"
            in bullets(out))
    assert any(b.startswith("Jansen Bouw: plan added (active)") for b in bullets(out))


def test_unknown_revision_exits_2(repo: Repo) -> None:
    """A revision git does not know is a usage error with a clear message, not a traceback."""
    code, out, err = repo.diff("no-such-branch", "HEAD")
    assert code == 2
    assert out == ""
    assert "accountplans diff: unknown revision 'no-such-branch'" in err


def test_outside_a_git_repository_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a git repository there is nothing to compare: exit 2 and say so."""
    folder = tmp_path / "not-a-repo"
    (folder / "plans").mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    # Stop git from finding a repository in a folder above the temp folder.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    code, _, err = run_cli(capsys, ["-f", str(folder / "mkdocs.yml"), "diff", "main"])
    assert code == 2
    assert "is not inside a git repository" in err


def test_option_like_revision_is_refused(repo: Repo) -> None:
    """A revision that looks like an option is never passed on to git as one."""
    code, _, err = repo.diff("--", "--output=/tmp/x", "HEAD")
    assert code == 2
    assert "is not a git revision" in err


def test_command_line_entry_point(repo: Repo) -> None:
    """The installed `accountplans` command prints the same summary from the repository."""
    repo.write("plans/bakkerij-van-dijk.md", review_plan_text(
        targets=(("Cloud ERP licences", 150000, 400000), ("Training", 15000, 45000))))
    repo.commit("raise")
    exe = Path(sys.executable).with_name("accountplans")
    done = subprocess.run([str(exe), "diff", "base", "HEAD"], cwd=repo.root, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "- Bakkerij Van Dijk B.V.: Cloud ERP licences year1 120,000 → 150,000 EUR (+30,000, +25.0%)" \
        in done.stdout.splitlines()


@pytest.mark.parametrize(("amount", "shown"), [
    ("120000", "120,000"), ("1234.5", "1,234.50"), ("0", "0"), ("999.99", "999.99"),
    ("1000000", "1,000,000")])
def test_money_format(amount: str, shown: str) -> None:
    """Amounts have thousands separators, and cents only when there are any."""
    assert money(Decimal(amount)) == shown


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_money_format_reads_back_as_the_same_amount(amount: Decimal) -> None:
    """Whatever the amount, the shown text without separators is the same number."""
    assert Decimal(money(amount).replace(",", "")) == amount


def test_summary_in_dutch_with_dutch_numbers(repo: Repo) -> None:
    """`diff --lang nl`: the summary's words from the Dutch catalog, amounts and percentages
    written the Dutch way."""
    repo.write("plans/bakkerij-van-dijk.md", review_plan_text(
        targets=(("Cloud ERP licences", 150000, 400000), ("Training", 15000, 45000))))
    repo.commit("raise Cloud ERP")
    code, out, _ = run_cli(repo.capsys, ["-f", str(repo.root / "mkdocs.yml"), "diff", "--lang", "nl",
                                         "base", "HEAD"])
    assert code == 0
    assert out.splitlines()[0].startswith("## Wijzigingen in accountplannen: ")
    assert ("**Totaal jaar 1 van de portefeuille** (actieve plannen): "
            "185.000 → 215.000 EUR (+30.000, +16,2%)") in out
    assert bullets(out) == [
        "Bakkerij Van Dijk B.V.: Cloud ERP licences jaar 1 120.000 → 150.000 EUR (+30.000, +25,0%)",
        "Bakkerij Van Dijk B.V.: totaal jaar 1 135.000 → 165.000 EUR (+30.000, +22,2%)",
    ]


def test_summary_follows_the_site_language(repo: Repo) -> None:
    """Without --lang, the summary is in extra.accountplans.language."""
    repo.write("mkdocs.yml", MKDOCS_YML.replace("language: en", "language: nl"))
    repo.commit("Dutch site")
    repo.write("plans/de-groot.md", review_plan_text("De Groot Logistiek", owner="Jan Visser", status="draft",
                                              targets=(("Cloud ERP licences", 50000, 150000),)))
    _, out, _ = repo.diff("base")
    assert out.splitlines()[0].endswith("→ de werkmap")
    assert "De Groot Logistiek: status actief → concept" in bullets(out)
