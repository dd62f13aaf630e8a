"""Material's navigation rendered once per group of pages (accountplans.site.theme.SharedNav,
hooks/site_nav.py, theme_overrides/partials/nav.html), and Material's words looked up once per
build (theme_overrides/partials/language.html, partials/site-search.html): every page is
exactly what Material renders for it alone."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import material
import pytest
from accountplans.site import theme
from accountplans.site.theme import LinkGroups, NavSlot, SharedNav, link_base
from mkdocs.config import load_config
from mkdocs.plugins import PluginCollection
from plan_factory import TODAY, build_site, clear_plans, epoch, plan_text, write_plan

# --- which pages share their links -------------------------------------------------------


def test_link_base_of_a_folder_and_a_file() -> None:
    """A page's links start from its URL's folder; a file's URL starts from the file's folder."""
    assert (link_base("a/b/"), link_base("a/b.html"), link_base("")) == (("a", "b"), ("a",), ())


def test_pages_side_by_side_share_their_links() -> None:
    """`a/b/` and `a/c/` are one group when nothing else lies under either."""
    groups = LinkGroups(["", "a/b/", "a/c/", "d/"])
    assert groups.key("a/b/") == groups.key("a/c/") is not None
    assert groups.key("a/b/") != groups.key("d/")


def test_a_page_with_pages_under_it_is_alone() -> None:
    """`a/` links to `a/b/` as `b/`, which no page beside it writes: it is in no group."""
    assert LinkGroups(["a/", "a/b/", "c/"]).key("a/") is None


def test_the_home_page_is_alone() -> None:
    """The site's root page has every page under it."""
    assert LinkGroups(["", "a/"]).key("") is None


def test_a_page_that_is_also_the_home_link_is_alone() -> None:
    """A page whose URL is the navigation's home link is that target twice."""
    assert LinkGroups(["a/", "a/", "b/"]).key("a/") is None


def test_files_of_one_folder_share_their_links() -> None:
    """With use_directory_urls off, `a/b.html` and `a/c.html` start from the same folder."""
    groups = LinkGroups(["index.html", "a/b.html", "a/c.html", "a/index.html"])
    assert groups.key("a/b.html") == groups.key("a/c.html") == groups.key("a/index.html") is not None


def test_full_urls_do_not_count() -> None:
    """A link to another host is written as it is on every page."""
    assert LinkGroups(["https://example.org/a/b/", "a/b/", "a/c/"]).key("a/b/") is not None


# --- splicing ------------------------------------------------------------------------------

def _slots(count: int) -> list[NavSlot]:
    return [NavSlot(f"page{i}", f"__nav_{i}", 1, None) for i in range(1, count + 1)]


def _nav(active: int, count: int) -> tuple[str, list[str]]:
    """A stand-in for Material's navigation with item `active` open, and its items' texts."""
    items = [f"<li>{'ACTIVE' if i == active else 'plain'} {i}</li>" for i in range(count)]
    return "<nav><ul>\n" + "\n".join(items) + "\n</ul></nav>", items


def _group(count: int) -> SharedNav:
    shared = SharedNav(_slots(count))
    shared.pages = count
    return shared


def _learnt(count: int, index: int) -> SharedNav:
    shared = _group(count)
    assert shared.mode() == "learn"
    material, items = _nav(index, count)
    for text in items:
        shared.keep(text)
    assert shared.learn(index, material) == material
    return shared


def test_a_small_group_is_rendered_by_material() -> None:
    """Two pages would save nothing: Material renders both as it is."""
    shared = SharedNav(_slots(5))
    shared.pages = 2
    assert (shared.mode(), shared.mode()) == ("material", "material")


@pytest.mark.parametrize("own", [0, 2, 4])
def test_a_further_page_gets_material_s_navigation_for_it(own: int) -> None:
    """Before, after or beside the learnt page, the spliced text is the one rendered for it."""
    shared = _learnt(5, 1)
    assert shared.mode() == "reuse"
    assert shared.nav(own, f"<li>ACTIVE {own}</li>", "<li>plain 1</li>") == _nav(own, 5)[0]


def test_an_item_not_where_material_put_it_gives_the_group_up() -> None:
    """If an item's text is not found in order, every later page is rendered by Material."""
    shared = _group(3)
    assert shared.mode() == "learn"
    material, items = _nav(1, 3)
    for text in reversed(items):
        shared.keep(text)
    assert shared.learn(1, material) == material
    assert shared.mode() == "material"


# --- the same site -------------------------------------------------------------------------

def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


@pytest.fixture
def varied_project(project: Path) -> Path:
    """Owners with several plans, plans in a folder, and pages of a folder with an index page,
    a subfolder, and a page with a page under it."""
    clear_plans(project)
    for n in range(5):
        write_plan(project, f"anna-{n}", plan_text(f"Anna Account {n}", "Anna Smit"))
    for n in range(3):
        write_plan(project, f"bram-{n}", plan_text(f"Bram Account {n}", "Bram Kok"))
    (project / "plans" / "accounts").mkdir()
    for n in range(4):
        write_plan(project, f"accounts/cees-{n}", plan_text(f"Cees Account {n}", "Cees Vos"))
    notes = project / "plans" / "notes"
    (notes / "deep").mkdir(parents=True)
    (notes / "index.md").write_text("# Notes\n\nAbout the notes.\n", encoding="utf-8")
    for name in ("one", "two", "three"):
        (notes / f"{name}.md").write_text(f"# Note {name}\n\n## Part\n\nText.\n", encoding="utf-8")
    for name in ("deep-a", "deep-b", "deep-c"):
        (notes / "deep" / f"{name}.md").write_text(f"# {name}\n\nText.\n", encoding="utf-8")
    (notes / "guide.md").write_text("# Guide\n\nText.\n", encoding="utf-8")
    (notes / "guide").mkdir()
    (notes / "guide" / "part.md").write_text("# Guide part\n\nText.\n", encoding="utf-8")
    return project


@pytest.fixture
def modes(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """What each grouped page did, counted."""
    counted: Counter[str] = Counter()
    mode = SharedNav.mode

    def counting(self: SharedNav) -> Any:
        counted[found := mode(self)] += 1
        return found

    monkeypatch.setattr(SharedNav, "mode", counting)
    yield counted


class _Forgetful(dict[Any, Any]):
    """A template cache that never has what is asked: every page looks everything up again."""

    def __contains__(self, key: object) -> bool:
        return False


def _both_ways(project: Path, monkeypatch: pytest.MonkeyPatch, **options: Any) -> tuple[Path, Path]:
    """The site built with the navigation shared and the words kept, then with Material
    rendering every page and looking up every word."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    shared = build_site(project, project.parent / "shared", **options)
    on_env = PluginCollection.on_env

    def forgetful(self: PluginCollection, env: Any, **arguments: Any) -> Any:
        env = on_env(self, env, **arguments)
        env.globals["accountplans_template_cache"] = _Forgetful()
        return env

    with monkeypatch.context() as alone:
        alone.setattr(theme.SharedNav, "mode", lambda self: "material")
        alone.setattr(PluginCollection, "on_env", forgetful)
        material = build_site(project, project.parent / "material", **options)
    return shared, material


def test_every_page_has_material_s_navigation(varied_project: Path, modes: Counter[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page is byte for byte what Material renders for it alone, and most pages were spliced."""
    shared, material = _both_ways(varied_project, monkeypatch)
    assert _pages(shared) == _pages(material)
    assert modes["reuse"] >= 6


def test_every_page_has_material_s_navigation_without_directory_urls(
        varied_project: Path, modes: Counter[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The same with use_directory_urls off (`a/b.html`: a folder's pages share every link)."""
    shared, material = _both_ways(varied_project, monkeypatch, use_directory_urls=False)
    assert _pages(shared) == _pages(material)
    assert modes["reuse"] >= 6



@pytest.mark.parametrize("language", ["en", "nl"])
def test_material_s_plugins_get_material_s_words(project: Path, language: str) -> None:
    """An environment of Material's own (its search plugin translates a word in one, without the
    hooks' cache) gets from the override what Material's partials/language.html gives."""
    config = load_config(config_file=str(project / "mkdocs.yml"), theme={"name": "material",
                         "custom_dir": str(project / "theme_overrides"), "language": language})
    ours = config.theme.get_env().get_template("partials/language.html", None, {"config": config})
    material_dir = Path(material.__file__).parent / "templates"
    theirs = jinja2.Environment(loader=jinja2.FileSystemLoader(str(material_dir)), autoescape=False) \
        .get_template("partials/language.html", None, {"config": config})
    keys = ["search.config.separator", "search.config.lang", "search", "language", "no.such.key"]
    assert [str(ours.module.t(k)) for k in keys] == [str(theirs.module.t(k)) for k in keys]
