"""`accountplans new`: a draft plan the checker accepts, never overwriting a plan.

"Today" is pinned with SOURCE_DATE_EPOCH=1795737600 (2026-11-27 00:00 UTC), so the draft's
`reviewed` date and its default year (2027) are known.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from accountplans import Settings, check_bytes, cli
from accountplans.newplan import slugify
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
    for title in ("Organisatie", "Marktpositie", "Doelen van de klant", "SWOT", "Onze doelen",
                  "Tijdsplanning"):
        assert f"\n## {title}\n\n" in nl
    for title in ("Organisation", "Market position", "Customer goals", "SWOT", "Our goals", "Timeline"):
        assert f"\n## {title}\n\n" in en
    assert "{{ targets_table() }}" in en and "{{ milestones_table() }}" in nl


def test_new_front_matter_values(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Account and owner as given, reviewed today, year next year, four quarterly evaluations."""
    new(capsys, "NO: Norway & Co #1", "--owner", 'Kim "the closer" Ng')
    text = (workdir / "plans" / "no-norway-co-1.md").read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("---\n")[1])
    assert data["account"] == "NO: Norway & Co #1"
    assert data["owner"] == 'Kim "the closer" Ng'
    assert str(data["reviewed"]) == "2026-11-27"
    assert data["year"] == 2027 and data["status"] == "draft"
    assert [m["date"].month for m in data["milestones"] if m["kind"] == "evaluation"] == [3, 6, 9, 12]


def test_new_year_option(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--year sets the plan year and the evaluations' year."""
    new(capsys, "Later BV", "--owner", "Jo", "--year", "2029")
    data = yaml.safe_load((workdir / "plans" / "later-bv.md").read_text(encoding="utf-8").split("---\n")[1])
    assert data["year"] == 2029
    assert {m["date"].year for m in data["milestones"]} == {2029}


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
