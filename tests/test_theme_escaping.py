"""Front-matter that Material prints without escaping (title, description, tags) cannot put
HTML into the built pages. Real in-process builds of the example project."""

from __future__ import annotations

from pathlib import Path

import pytest
from plan_factory import build_site

PAYLOADS = ("<img src=x onerror=alert(1)>", "<script>alert(2)</script>", "<img src=y onerror=alert(3)>")


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


def _html_files(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def test_plan_front_matter_cannot_inject_html(project: Path) -> None:
    """A plan's title/description (AP006) and a tag holding HTML reach no page as HTML."""
    plan = project / "plans" / "lumen-robotics.md"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("\ntags: [", f"\ntitle: '{PAYLOADS[0]}'\ndescription: '\">{PAYLOADS[1]}'"
                                              f"\ntags: ['{PAYLOADS[2]}', ", 1), encoding="utf-8")
    build_site(project)
    pages = _html_files(project / "site")
    assert "&lt;img src=y onerror=alert(3)&gt;" in pages["lumen-robotics/index.html"]  # shown as text
    leaks = [(name, p) for name, page in pages.items() for p in PAYLOADS if p in page]
    assert leaks == []


def test_other_pages_title_and_description_are_escaped(project: Path) -> None:
    """A non-plan page keeps its title and description, printed as text, not HTML."""
    (project / "plans" / "notes.md").write_text(
        f"---\ntitle: 'R&D {PAYLOADS[0]}'\ndescription: '{PAYLOADS[1]}'\n---\n\nSome notes.\n",
        encoding="utf-8")
    build_site(project)
    page = (project / "site" / "notes" / "index.html").read_text(encoding="utf-8")
    assert "<title>R&amp;D &lt;img src=x onerror=alert(1)&gt;" in page
    assert not any(p in page for p in PAYLOADS)


def test_a_plans_title_is_its_account_whatever_its_body(project: Path) -> None:
    """A plan whose first heading holds entity-encoded tags and a code span is titled by its
    account in <title>, the page heading and the navigation; the heading stays text."""
    plan = project / "plans" / "lumen-robotics.md"
    text = plan.read_text(encoding="utf-8")
    account = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("account:"))
    front, body = text.split("\n---\n", 1)
    plan.write_text(f"{front}\n---\n# Plan &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; `<b>`\n{body}",
                    encoding="utf-8")
    build_site(project)
    page = (project / "site" / "lumen-robotics" / "index.html").read_text(encoding="utf-8")
    head = page.split("</head>", 1)[0]
    assert f"<title>{account} - " in head
    assert "<script>alert(1)" not in page
    index = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert account in index and "</title><script>" not in index


def test_another_pages_title_from_its_heading_is_text(project: Path) -> None:
    """A page without a title key is titled by its first heading, as text: entities decoded by
    the theme's striptags can no longer become tags in <title>."""
    (project / "plans" / "notes.md").write_text(
        "# Notes &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;\n\nSome notes.\n", encoding="utf-8")
    build_site(project)
    page = (project / "site" / "notes" / "index.html").read_text(encoding="utf-8")
    head = page.split("</head>", 1)[0]
    assert "<title>Notes &lt;/title&gt;&lt;script&gt;" in head
    assert "<script>alert(1)" not in page
