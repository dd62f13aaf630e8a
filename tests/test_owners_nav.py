"""Owner pages made at build time, the navigation grouped per owner, and Material tags."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from accountplans.plan.check import check_text
from accountplans.settings import Settings, TeamMember
from accountplans.site.owners import (
    NAV_CHUNK,
    OWNER_SECTIONS,
    NavGroup,
    chunked,
    group_owners,
    nav_groups,
)
from accountplans.site.portfolio import Entry
from mkdocs.exceptions import Abort
from plan_factory import TODAY, build_site, clear_plans, epoch, plan_text, write_plan


def _entry(account: str, owner: str, status: str = "active") -> Entry:
    checked = check_text(f"plans/{account}.md", plan_text(account, owner, status=status), Settings())
    assert checked.plan is not None
    return Entry(f"{account}.md", checked.plan)


def _primary_nav(html: str) -> str:
    found = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>', html, re.S)
    assert found is not None
    return found.group(0)


@pytest.fixture
def site(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    clear_plans(project)
    write_plan(project, "acme", plan_text("Acme", "Sanne de Vries", tags=["retail"]))
    write_plan(project, "bolt", plan_text("Bolt", "sanne  de vries"))
    write_plan(project, "crux", plan_text("Crux", "Joost Hendriks", tags=["industry"]))
    write_plan(project, "dawn", plan_text("Dawn", "Joost Hendriks", status="draft"))
    write_plan(project, "evil", plan_text("Evil", "<img src=x>Eve", heading=False))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    return build_site(project)


def test_one_page_per_owner_made_at_build_time(site: Path, project: Path) -> None:
    """Every owner of a published plan has a page; none is kept by hand in plans/."""
    owners = sorted(p.name for p in (site / "owners").iterdir() if (p / "index.html").is_file())
    assert owners == ["img-src-x-eve", "joost-hendriks", "sanne-de-vries"]
    assert not (project / "plans" / "owners").exists()


def test_owner_page_lists_only_their_plans(site: Path) -> None:
    """Owner names differing in case and spacing are one owner; drafts are left out."""
    article = re.search(r"<article.*?</article>", (site / "owners" / "sanne-de-vries" / "index.html")
                        .read_text(encoding="utf-8"), re.S)
    assert article is not None
    text = article.group(0)
    assert "Acme" in text and "Bolt" in text and "Crux" not in text
    joost = (site / "owners" / "joost-hendriks" / "index.html").read_text(encoding="utf-8")
    assert "Dawn" not in joost


def test_owner_page_links_resolve(site: Path) -> None:
    """Links to plans, other owners and the owner's calendar point at built files."""
    page = site / "owners" / "sanne-de-vries"
    article = re.search(r"<article.*?</article>", (page / "index.html").read_text(encoding="utf-8"), re.S)
    assert article is not None
    hrefs = [h for h in re.findall(r'href="([^"#]+)"', article.group(0)) if "://" not in h]
    assert "calendar.ics" in hrefs and "../../acme/" in hrefs
    for href in hrefs:
        target = (page / href).resolve()
        assert (target / "index.html" if href.endswith("/") else target).is_file(), href


def test_owner_names_are_escaped_in_titles(site: Path) -> None:
    """An owner name with HTML is text in the page title and the navigation."""
    html = (site / "owners" / "img-src-x-eve" / "index.html").read_text(encoding="utf-8")
    assert "<img src=x>" not in html and "&lt;img src=x&gt;Eve" in html


def test_navigation_groups_plans_per_owner(site: Path) -> None:
    """A plan page's navigation opens its owner's section, pruned of other owners' plans."""
    nav = _primary_nav((site / "acme" / "index.html").read_text(encoding="utf-8"))
    assert "Sanne de Vries" in nav and "Joost Hendriks" in nav
    assert 'href="../bolt/"' in nav  # same owner: shown
    assert "../crux/" not in nav     # other owner: pruned


def test_tags_page_lists_plans_by_tag(site: Path) -> None:
    """Material's tags plugin lists each tag with its plans on the generated tags page."""
    html = (site / "tags" / "index.html").read_text(encoding="utf-8")
    assert "retail" in html and "industry" in html and "../acme/" in html


def test_a_file_named_like_a_download_is_kept(project: Path, monkeypatch: pytest.MonkeyPatch,
                                              caplog: pytest.LogCaptureFixture) -> None:
    """A hand-made plans/calendar.ics is not overwritten; the build warns about it."""
    clear_plans(project)
    write_plan(project, "acme", plan_text("Acme", "Sanne"))
    (project / "plans" / "calendar.ics").write_text("mine")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    site = build_site(project)
    assert (site / "calendar.ics").read_text() == "mine"
    assert "calendar.ics is made by accountplans" in caplog.text


def test_owners_whose_names_make_the_same_slug_get_two_pages() -> None:
    """'Anne-Marie' and 'Anne Marie' are two people: two distinct pages."""
    owners = group_owners([_entry("a", "Anne-Marie"), _entry("b", "Anne Marie")])
    assert len({o.page_uri for o in owners}) == 2


def test_many_plans_of_one_owner_are_chunked() -> None:
    """More than NAV_CHUNK plans make alphabetical sub-sections of at most NAV_CHUNK."""
    found = [_entry(f"acc{i:03d}", "Sanne") for i in range(NAV_CHUNK * 2 + 5)]
    groups = chunked(found)
    assert len(groups) == 3 and all(isinstance(g, NavGroup) for g in groups)
    assert [len(g.children) for g in groups if isinstance(g, NavGroup)] == [NAV_CHUNK, NAV_CHUNK, 5]


def test_very_many_plans_are_chunked_twice() -> None:
    """More chunks than fit in one section are grouped again; every plan is there once, in order."""
    found = [_entry(f"acc{i:03d}", "Sanne") for i in range(20)]
    groups = chunked(found, size=3)
    assert len(groups) <= 3

    def pages(items: tuple[str | NavGroup, ...]) -> list[str]:
        return [p for item in items for p in ([item] if isinstance(item, str) else pages(item.children))]
    assert pages(groups) == [f"acc{i:03d}.md" for i in range(20)]


def test_archived_plans_are_a_section_of_their_own() -> None:
    """The owner's section holds active plans; archived ones are under 'Archived plans'."""
    groups = nav_groups(group_owners([_entry("a", "Sanne"), _entry("b", "Sanne", status="archived")]))
    assert [(g.title, g.children) for g in groups] == [("Sanne", ("a.md",)), ("Archived plans", ("b.md",))]


def _owner_names(count: int) -> list[str]:
    return [f"{chr(ord('A') + i % 26)}{'x' * (i // 26)} Owner{i:03d}" for i in range(count)]


def test_few_owners_are_top_level_sections() -> None:
    """Up to OWNER_SECTIONS owners, each owner is a top-level section."""
    names = _owner_names(OWNER_SECTIONS)
    groups = nav_groups(group_owners([_entry(f"a{i:03d}", n) for i, n in enumerate(names)]))
    assert [g.title for g in groups] == sorted(names)


def test_many_owners_are_grouped_alphabetically() -> None:
    """More owners make about √owners sections titled by initials (A–D, E–H...), in order."""
    names = _owner_names(100)
    groups = nav_groups(group_owners([_entry(f"a{i:03d}", n) for i, n in enumerate(names)]))
    assert 5 <= len(groups) <= 15
    assert all(g.index_uri is None for g in groups)
    owners = [c for g in groups for c in g.children]
    assert [o.title for o in owners if isinstance(o, NavGroup)] == sorted(names, key=str.casefold)
    for group in groups:
        first, _, last = group.title.partition("–")
        last = last or first
        initials = {c.title[0] for c in group.children if isinstance(c, NavGroup)}
        assert min(initials) == first and max(initials) == last


def test_one_initial_stays_in_one_section() -> None:
    """Owners with the same initial are never split, so section titles do not overlap."""
    names = [f"S{i:02d}" for i in range(30)] + ["Anna", "Bram", "Zoë"]
    groups = nav_groups(group_owners([_entry(f"a{i:03d}", n) for i, n in enumerate(names)]))
    holding_s = [g.title for g in groups if any(isinstance(c, NavGroup) and c.title.startswith("S")
                                                  for c in g.children)]
    assert len(holding_s) == 1


def test_initials_ignore_accents_and_file_others_under_hash() -> None:
    """`Émile` is filed under E and `3M Team` under #."""
    names = ["Émile", "3M Team", *_owner_names(OWNER_SECTIONS)]
    groups = nav_groups(group_owners([_entry(f"a{i:03d}", n) for i, n in enumerate(names)]))
    where = {c.title: g.title for g in groups for c in g.children if isinstance(c, NavGroup)}
    assert where["3M Team"].startswith("#")
    first, _, last = where["Émile"].partition("–")
    assert first <= "E" <= (last or first)


def test_built_navigation_opens_the_owners_letter_section(project: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """With many owners a plan page shows the letter sections, its owner and its own plans only."""
    clear_plans(project)
    names = _owner_names(OWNER_SECTIONS + 4)
    for i, name in enumerate(names):
        write_plan(project, f"p{i:03d}", plan_text(f"P{i:03d}", name))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    site = build_site(project)
    groups = nav_groups(group_owners([_entry(f"p{i:03d}", n) for i, n in enumerate(names)]))
    nav = _primary_nav((site / "p000" / "index.html").read_text(encoding="utf-8"))
    assert all(g.title in nav for g in groups)
    assert names[0] in nav and 'href="./"' in nav
    assert names[-1] not in nav and "p023/" not in nav


def test_serve_shows_a_draft_in_no_owner_section(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under `serve` a draft page is built, but its owner's page and section leave it out."""
    clear_plans(project)
    write_plan(project, "acme", plan_text("Acme", "Sanne"))
    write_plan(project, "dawn", plan_text("Dawn", "Sanne", status="draft"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    build_site(project, project / "served", command="serve", serve_url="http://127.0.0.1:8000/")
    assert (project / "served" / "dawn" / "index.html").is_file()
    owner = (project / "served" / "owners" / "sanne" / "index.html").read_text(encoding="utf-8")
    assert "Dawn" not in owner and "../../acme/" in owner


def test_links_resolve_without_directory_urls(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With `use_directory_urls: false` the dashboard's and owner pages' links still resolve."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("use_directory_urls: true", "use_directory_urls: false"))
    clear_plans(project)
    write_plan(project, "acme", plan_text("Acme", "Sanne de Vries"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    site = build_site(project)
    for page in (site / "index.html", site / "owners" / "sanne-de-vries" / "index.html"):
        article = re.search(r"<article.*?</article>", page.read_text(encoding="utf-8"), re.S)
        assert article is not None
        hrefs = [h for h in re.findall(r'href="([^"#]+)"', article.group(0)) if "://" not in h]
        assert any(h.endswith("acme.html") for h in hrefs)
        for href in hrefs:
            assert (page.parent / href).resolve().is_file(), (page, href)


def test_downloads_are_written_to_a_temporary_folder_that_is_removed(
        project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The calendars and plans.json reach the site; their temporary folder is gone after the build."""
    clear_plans(project)
    write_plan(project, "acme", plan_text("Acme", "Sanne"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    site = build_site(project)
    assert (site / "calendar.ics").read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    assert (site / "owners" / "sanne" / "calendar.ics").is_file()
    assert json.loads((site / "plans.json").read_text(encoding="utf-8"))
    assert list(tmp_path.glob("accountplans-downloads-*")) == []


def test_downloads_folder_is_removed_when_the_build_fails(
        project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A page whose template code fails stops the build, and the temporary folder goes too."""
    clear_plans(project)
    write_plan(project, "acme", plan_text("Acme", "Sanne"))
    (project / "plans" / "notes.md").write_text("# Notes\n\n{{ 1 / 0 }}\n", encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(Abort):
        build_site(project)
    assert list(tmp_path.glob("accountplans-downloads-*")) == []


# --- the team roster (issue 11) -----------------------------------------------------------


def test_team_roster_is_read_from_settings() -> None:
    """`team:` takes names, or names with an e-mail address."""
    from accountplans.settings import TeamMember, settings_from_mapping

    settings = settings_from_mapping({"team": ["Mark  de Groot", {"name": "Sanne de Vries",
                                                                  "email": "sanne@example.com"}]})
    assert settings.team == (TeamMember("Mark de Groot"), TeamMember("Sanne de Vries", "sanne@example.com"))


@pytest.mark.parametrize("team", [[3], [{"naam": "X"}], "Mark", [{"name": "X", "phone": "1"}]])
def test_bad_team_roster_is_a_settings_error(team: object) -> None:
    """A roster entry that is neither a name nor a name and e-mail is refused with a message."""
    from accountplans.settings import SettingsError, settings_from_mapping

    with pytest.raises(SettingsError, match="team"):
        settings_from_mapping({"team": team})


def test_owner_not_in_roster_gets_did_you_mean() -> None:
    """With a roster, `owner: M. de Groot` is AP308 "did you mean Mark de Groot?" at the owner line."""
    settings = Settings(team=(TeamMember("Mark de Groot"), TeamMember("Sanne de Vries")))
    text = plan_text("Acme", "M. de Groot")
    (found,) = [p for p in check_text("plans/acme.md", text, settings).problems if p.code == "AP308"]
    assert found.line == text.split("\n").index('owner: "M. de Groot"') + 1
    assert "did you mean Mark de Groot?" in found.message


def test_owner_in_roster_whatever_the_case_has_no_problem() -> None:
    """`owner: MARK  de groot` is the roster's Mark de Groot: no problem."""
    settings = Settings(team=(TeamMember("Mark de Groot"),))
    assert check_text("plans/acme.md", plan_text("Acme", "MARK  de groot"), settings).problems == ()


def test_owner_pages_per_roster_person_with_the_roster_spelling() -> None:
    """Plans of `mark de groot` and `Mark de Groot` make one owner, named as the roster writes it."""
    team = (TeamMember("Mark de Groot"),)
    owners = group_owners([_entry("Acme", "mark de groot"), _entry("Bolt", "Mark de Groot")], team)
    assert [(o.name, len(o.entries)) for o in owners] == [("Mark de Groot", 2)]


def test_without_roster_initials_are_probable_duplicates() -> None:
    """Without a roster, `M. de Groot` next to `Mark de Groot` is AP309 on the plan with the initial."""
    from accountplans.plan.sitecheck import probable_duplicates

    found = probable_duplicates([check_text(f"plans/{account}.md", plan_text(account, owner), Settings())
                                 for account, owner in (("Acme", "M. de Groot"), ("Bolt", "Mark de Groot"),
                                                        ("Crux", "Sanne de Vries"))], Settings())
    assert [(p.code, p.path) for p in found] == [("AP309", "plans/Acme.md")]
    assert "Mark de Groot" in found[0].message
