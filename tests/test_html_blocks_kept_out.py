"""Plan tables kept out of Markdown (the build's fast path) give the same pages as through it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from accountplans.site import htmlblocks as blocks
from conftest import EXAMPLE_PLANS, bench_generator, indexed_pages
from plan_factory import build_site

EPOCH = "1802649600"  # 2027-02-15 00:00 UTC: milestones both past and upcoming


def _site(project: Path, *, kept_out: bool) -> None:
    """An in-process build into site-<kept_out>, with or without the fast path."""
    used: list[str] = []
    # Every build uses the package's module: patch it, and put it back after.
    keeper, plain, generated = blocks.KeptBlocks.keeper, blocks.plain_markdown, blocks.keep_generated_blocks

    def counting(self: Any, page: str) -> Any:
        used.append(page)
        return keeper(self, page)

    if kept_out:
        blocks.KeptBlocks.keeper = counting
    else:
        blocks.plain_markdown = lambda markdown, names: False
        blocks.keep_generated_blocks = lambda markdown, keep: markdown
    try:
        build_site(project, project / f"site-{kept_out}")
    finally:
        blocks.KeptBlocks.keeper = keeper
        blocks.plain_markdown, blocks.keep_generated_blocks = plain, generated
    if kept_out:  # the fast path ran, for plans, dashboard and owners: the comparison means something
        assert len(used) >= 10 and "index.md" in used and any(u.startswith("owners/") for u in used)


def _normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def _search_entries(project: Path, kept_out: bool) -> dict[str, str]:
    """Each indexed page's URL -> its title and text, whitespace collapsed."""
    return indexed_pages(project / f"site-{kept_out}")


@pytest.fixture(scope="module")
def both_ways(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples and 24 generated plans, built through Markdown and with blocks kept out."""
    project = tmp_path_factory.mktemp("kept-out")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        docs = bench_generator().generate(project, 24)
        for plan in EXAMPLE_PLANS.glob("*.md"):  # the hand-written examples, besides
            if not (docs / plan.name).exists():
                shutil.copy(plan, docs / plan.name)
        _site(project, kept_out=False)
        _site(project, kept_out=True)
    return project


def _articles(project: Path, kept_out: bool) -> dict[str, str]:
    """The <article> of every plan page, the dashboard and the owner pages, by folder."""
    site = project / f"site-{kept_out}"
    pages = {}
    for page in site.rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        article = re.search(r"<article.*?</article>", text, re.S)
        if article and ("accountplans-keyfacts" in text or page.parent == site
                        or page.parent.parent.name == "owners"):
            pages[page.parent.relative_to(site).as_posix()] = article.group(0)
    return pages


def test_kept_out_blocks_give_the_same_pages(both_ways: Path) -> None:
    """Every plan page (the examples and 24 generated plans), the dashboard and the owner pages
    are the same."""
    through_markdown = _articles(both_ways, kept_out=False)
    kept_out = _articles(both_ways, kept_out=True)
    assert len(kept_out) >= 24 and "." in kept_out  # the plans and the dashboard
    assert any(name.startswith("owners/") for name in kept_out)
    assert kept_out.keys() == through_markdown.keys()
    for name, article in kept_out.items():
        assert _normalised(article) == _normalised(through_markdown[name]), name


def test_kept_out_blocks_give_the_same_search_index(both_ways: Path) -> None:
    """Search indexes the same text either way: blocks it leaves out are never parsed by it."""
    through_markdown = _search_entries(both_ways, kept_out=False)
    kept_out = _search_entries(both_ways, kept_out=True)
    assert len(kept_out) > 24
    assert kept_out == through_markdown


def test_search_leaves_out_month_targets_chart_and_rounding_note(both_ways: Path) -> None:
    """Plan and product names are indexed; month amounts, the chart and the note are not."""
    entries = _search_entries(both_ways, kept_out=True)
    text = " ".join(entries.values())
    assert "Targets per quarter" in text  # the quarter table (products, year targets) is indexed
    assert "Account manager" in text
    for left_out in ("Targets per month", "Monthly targets", "rounded down to the cent", "Bar chart"):
        assert left_out not in text, left_out
    html = " ".join(_articles(both_ways, kept_out=True).values())
    for kept in ("Targets per month", "Bar chart", "rounded down to the cent"):
        assert kept in html, kept  # still on the page, only not in the index


def test_search_leaves_out_the_dashboards_table_of_all_plans(both_ways: Path) -> None:
    """A search for an account finds its plan, not also the dashboard's table of every plan."""
    dashboard = _search_entries(both_ways, kept_out=True)["/"]
    page = (both_ways / "site-True" / "index.html").read_text(encoding="utf-8")
    assert "Click a column heading" in dashboard  # the table's caption is indexed...
    assert ">Next milestone</th>" in page  # ...its columns are on the page...
    assert "Next milestone" not in dashboard  # ...and not in the index
    assert any("Bakkerij Van Dijk" in text for url, text in _search_entries(both_ways, kept_out=True).items()
               if url.startswith("/bakkerij-van-dijk"))  # its own page is what a search finds
