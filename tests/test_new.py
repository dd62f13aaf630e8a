"""`accountplans new`: a draft plan the checker accepts, never overwriting a plan, with only
what the author gave.

"Today" is pinned with SOURCE_DATE_EPOCH=1795737600 (2026-11-27 00:00 UTC), so the draft's
default year (2027) is known.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from accountplans import Settings, check_bytes, cli
from accountplans.names import slugify
from conftest import ROOT

TODAY_EPOCH = "1795737600"  # 2026-11-27


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project (mkdocs.yml, no plans yet) as the current directory, today pinned."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    return tmp_path


def new(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["new", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_new_writes_a_draft_the_checker_accepts(workdir: Path, capsys: pytest.CaptureFixture[str],
                                                lang: str) -> None:
    """The new plan is plans/<slug>.md, a draft with no errors (warnings allowed)."""
    code, out, _ = new(capsys, "Bakkerij Van Dijk B.V.", "--owner", "Sanne de Vries", "--lang", lang)
    path = workdir / "plans" / "bakkerij-van-dijk-bv.md"
    assert code == 0
    assert out.strip() == str(Path("plans") / "bakkerij-van-dijk-bv.md")
    checked = check_bytes("plans/bakkerij-van-dijk-bv.md", path.read_bytes(), Settings())
    assert checked.plan is not None and checked.plan.is_draft
    assert checked.errors == ()
    assert checked.plan.language == lang


def test_new_check_command_exits_0(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`accountplans check` right after `new` passes (exit 0)."""
    new(capsys, "Acme Corp", "--owner", "Jo Smith", "--lang", "en")
    assert cli.main(["check"]) == 0


def test_new_has_the_six_sections_in_the_language(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Dutch titles for --lang nl, English for --lang en, each with a prompt and the macros."""
    new(capsys, "Acme NL", "--owner", "Jo", "--lang", "nl")
    new(capsys, "Acme EN", "--owner", "Jo", "--lang", "en")
    nl = (workdir / "plans" / "acme-nl.md").read_text(encoding="utf-8")
    en = (workdir / "plans" / "acme-en.md").read_text(encoding="utf-8")
    for title in ("Organisatie", "Marktpositie", "Doelen van de klant", "SWOT-analyse", "Onze doelen",
                  "Tijdsplanning"):
        assert f"\n## {title}\n\n" in nl
    for title in ("Organisation", "Market position", "Customer goals", "SWOT", "Our goals", "Timeline"):
        assert f"\n## {title}\n\n" in en
    assert "{{ targets_table() }}" in en and "{{ milestones_table() }}" in nl


def test_new_refuses_to_overwrite(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A second `new` for the same name exits 1 and leaves the file unchanged."""
    new(capsys, "Acme Corp", "--owner", "Jo Smith")
    path = workdir / "plans" / "acme-corp.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nMy own notes.\n", encoding="utf-8")
    before = path.read_bytes()
    code, out, err = new(capsys, "ACME corp.", "--owner", "Someone Else")
    assert (code, out) == (1, "")
    assert "already exists" in err
    assert path.read_bytes() == before


def test_new_without_owner_is_usage_error(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--owner is required: exit 2, nothing written."""
    with pytest.raises(SystemExit) as stop:
        cli.main(["new", "Acme"])
    assert stop.value.code == 2
    assert not (workdir / "plans").exists()


def test_new_rejects_blank_names_and_bad_year(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An empty account or a year outside 2000-2100 is a usage error (exit 2)."""
    assert new(capsys, "  ", "--owner", "Jo")[0] == 2
    assert new(capsys, "Acme", "--owner", "Jo", "--year", "1999")[0] == 2
    assert not (workdir / "plans").exists()


@pytest.mark.parametrize(("name", "slug"), [
    ("Bakkerij Van Dijk B.V.", "bakkerij-van-dijk-bv"),
    ("Café Zürich", "cafe-zurich"),
    ("  --  ", "plan"),
    ("北京", "plan"),
])
def test_slugify(name: str, slug: str) -> None:
    """File names are lowercase ASCII with dashes."""
    assert slugify(name) == slug


def test_new_front_matter_has_only_what_the_author_gave(workdir: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Account, owner, language and year as given; every other field written empty (not filled in)."""
    new(capsys, "NO: Norway & Co #1", "--owner", 'Kim "the closer" Ng', "--lang", "en")
    text = (workdir / "plans" / "no-norway-co-1.md").read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("---\n")[1])
    assert {k: v for k, v in data.items() if v is not None} == {
        "account": "NO: Norway & Co #1", "owner": 'Kim "the closer" Ng', "year": 2027,
        "status": "draft", "language": "en"}
    assert sorted(k for k, v in data.items() if v is None) == [
        "contacts", "market_position", "milestones", "organisation", "reviewed", "targets"]


def test_new_year_option(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--year sets the plan year."""
    new(capsys, "Later BV", "--owner", "Jo", "--year", "2029")
    data = yaml.safe_load((workdir / "plans" / "later-bv.md").read_text(encoding="utf-8").split("---\n")[1])
    assert data["year"] == 2029


def test_new_draft_says_not_filled_in_yet(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each field left empty is AP007 "not filled in yet", a warning while the plan is a draft."""
    new(capsys, "Acme Corp", "--owner", "Jo Smith", "--lang", "en")
    checked = check_bytes("plans/acme-corp.md", (workdir / "plans" / "acme-corp.md").read_bytes(), Settings())
    not_filled = [p for p in checked.problems if p.code == "AP007"]
    assert len(not_filled) == 6
    assert all(p.severity == "warning" and "not filled in yet" in p.message for p in not_filled)


def test_untouched_draft_made_active_has_errors(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An untouched template set to `status: active` fails: every part not filled in is an error."""
    new(capsys, "Acme Corp", "--owner", "Jo Smith", "--lang", "en")
    path = workdir / "plans" / "acme-corp.md"
    text = path.read_text(encoding="utf-8").replace("status: draft", "status: active")
    checked = check_bytes("plans/acme-corp.md", text.encode(), Settings())
    codes = sorted(p.code for p in checked.errors)
    assert codes == ["AP007"] * 6 + ["AP102"] * 4


def test_new_refuses_an_account_that_has_a_plan(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An account that already has a plan, under another file name, is refused naming that file."""
    new(capsys, "Acme Corp", "--owner", "Jo Smith")
    path = workdir / "plans" / "acme-corp.md"
    path.rename(workdir / "plans" / "our-biggest-customer.md")
    code, out, err = new(capsys, "ACME  corp", "--owner", "Someone Else")
    assert (code, out) == (1, "")
    assert "plans/our-biggest-customer.md" in err
    assert not path.exists()


@pytest.mark.parametrize("other", ["Bakkerij van Dijk BV", "Bakkerij Van-Dijk", "BAKKERIJ VAN DIJK",
                                   "Bakkerij Van Dijk b.v", "Bäkkerij Van Dijk B.V."])
def test_new_warns_about_a_near_duplicate(workdir: Path, capsys: pytest.CaptureFixture[str],
                                          other: str) -> None:
    """Case, punctuation, legal form and accents aside the same name: written, with a warning
    naming the file."""
    new(capsys, "Bakkerij Van Dijk B.V.", "--owner", "Sanne")
    (workdir / "plans" / "bakkerij-van-dijk-bv.md").rename(workdir / "plans" / "van-dijk.md")
    code, _, err = new(capsys, other, "--owner", "Sanne")
    assert code == 0
    assert "plans/van-dijk.md" in err and "warning" in err


def test_new_messages_in_the_site_language(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """In a Dutch site (`extra.accountplans.language: nl`) `new` answers in Dutch."""
    config = workdir / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en\n    currency",
                                                                  "language: nl\n    currency"))
    new(capsys, "Acme Corp", "--owner", "Jo Smith")
    code, _, err = new(capsys, "Acme Corp", "--owner", "Jo Smith")
    assert code == 1 and "heeft al een plan" in err


def test_prompt_left_as_text_is_ap105(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A template prompt turned into text (the comment marks removed) is AP105 at its line."""
    new(capsys, "Acme Corp", "--owner", "Jo Smith", "--lang", "nl")
    text = (workdir / "plans" / "acme-corp.md").read_text(encoding="utf-8")
    text = text.replace("<!-- Wat doet de klant", "Wat doet de klant").replace("klanten? -->", "klanten?")
    checked = check_bytes("plans/acme-corp.md", text.encode(), Settings())
    (found,) = [p for p in checked.problems if p.code == "AP105"]
    assert text.split("\n")[found.line - 1].startswith("Wat doet de klant")


def test_new_then_the_readme_site_command_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """On a fresh copy, README's `new` then `make site` (check, then mkdocs build --strict)
    passes: the draft's warnings are shown, not counted, and the draft is not published."""
    from conftest import copy_project
    from plan_factory import build_site

    project = copy_project(tmp_path / "fresh")
    monkeypatch.chdir(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    code, _, err = new(capsys, "Tuincentrum De Groene Vingers B.V.", "--owner", "Mark de Groot",
                       "--lang", "nl")
    assert (code, err) == (0, "")
    assert cli.main(["check", "--strict"]) == 0
    site = build_site(project, strict=True)
    assert (site / "index.html").exists()
    assert not (site / "tuincentrum-de-groene-vingers-bv").exists()
