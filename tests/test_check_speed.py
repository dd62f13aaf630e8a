"""What the check does to be fast changes nothing it finds or leaves behind (issue 14)."""

from __future__ import annotations

import gc
import os
from decimal import Decimal
from pathlib import Path

import pytest
from accountplans.plan.check import MARKDOWN_SUFFIXES, STATIC_SUFFIXES, check_text, is_markdown, scan_folder
from accountplans.plan.sitecheck import check_site
from accountplans.settings import Settings
from plan_factory import plan_text


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was(tmp_path: Path, enabled: bool) -> None:
    """check_site pauses the cycle collector and leaves it on or off as it found it."""
    (tmp_path / "acme.md").write_text(plan_text("Acme", "Sanne"), encoding="utf-8")
    was = gc.isenabled()
    try:
        if not enabled:
            gc.disable()
        site = check_site([tmp_path], Settings())
        assert gc.isenabled() is enabled
    finally:
        if was:
            gc.enable()
    assert [f.path for f in site.files if f.is_plan] == [(tmp_path / "acme.md").as_posix()]


@pytest.mark.parametrize(("year1", "year3", "expected"), [
    ("120000", "0", []),
    ("120000", "012", ["year3 is written 012"]),
    ("0", "300000", ["year1 must be a positive number, got 0"]),
    ("1000000000000000", "300000", []),
    ("10000000000000001", "300000", ["year1 is too large"]),
    ("１２", "300000", ["year1 must be a positive number, got １２"]),
    ("120_000", "300000", []),
])
def test_amounts_read_quickly_or_not_get_the_same_problems(year1: str, year3: str,
                                                            expected: list[str]) -> None:
    """Plain whole amounts are read in one step; every other amount by the full rules."""
    text = plan_text("Acme", "Sanne").replace("year1: 120000", f"year1: {year1}").replace(
        "year3: 300000", f"year3: {year3}")
    checked = check_text("plans/acme.md", text, Settings())
    messages = [p.message for p in checked.problems if p.code == "AP005"]
    assert len(messages) == len(expected)
    assert all(want in got for want, got in zip(expected, messages, strict=True))
    if not expected:
        assert checked.plan is not None and checked.plan.targets[0].year1 == Decimal(year1.replace("_", ""))


def test_choices_and_text_read_quickly_keep_their_values() -> None:
    """A choice in capitals is its option, text is stripped, a quoted yes is text."""
    text = plan_text("Acme", "Sanne").replace("market_position: challenger",
                                              "market_position: Challenger").replace(
        "role: CEO", "role: '  yes  '")
    checked = check_text("plans/acme.md", text, Settings())
    assert checked.plan is not None and not checked.errors
    assert checked.plan.market_position == "challenger"
    assert checked.plan.contacts[0].role == "yes"


@pytest.mark.parametrize(("front", "duplicates"), [
    ("a: 1\nb: 2\n", []),
    ("1: a\n'1': b\n", []),
    ("x: {1: a, '1': b, 1: c}\n", [(2, "1")]),
    ("? [k]\n: 1\n? [k]\n: 2\nb: 1\nb: 2\n", [(7, "b")]),
    ("base: &b {k: 1}\none: *b\ntwo: *b\nk: 1\nk: 2\n", [(6, "k")]),
])
def test_duplicate_keys_after_the_quick_walk(front: str, duplicates: list[tuple[int, str]]) -> None:
    """Keys equal but for their tag are two keys; a duplicate is found wherever it is."""
    from accountplans.plan.frontmatter import check_structure, compose, split

    source, _ = split("p.md", f"---\n{front}---\n\nbody\n")
    root, problems = compose(source)
    assert root is not None, problems
    found = [p for p in check_structure(source, root) if p.code == "AP003"]
    assert [(p.line, p.message.split("'")[1]) for p in found] == duplicates


SAMPLE_MARKDOWN = """# Title {#top}

!!! note "Note"
    Some *text* with a [link](https://example.com "title") and an abbreviation, HTML.

| a | b |
|---|---|
| 1 | 2 |

Term
:   Definition[^1]

[^1]: A footnote.

*[HTML]: Hyper Text

```python
print("code")
```
"""


def test_markdowns_own_extensions_made_from_their_classes_convert_as_by_name() -> None:
    """The check's converter, its extensions made from their classes, writes the HTML that
    Markdown's own look-up by name writes."""
    import markdown
    from accountplans.plan.rendered import _MARKDOWN_OWN, MarkdownSetup

    names = tuple(name for name in _MARKDOWN_OWN if name not in ("codehilite", "legacy_em", "nl2br"))
    configs = {"toc": {"permalink": True}, "admonition": {}}
    setup = MarkdownSetup(names, configs)
    by_name = markdown.Markdown(extensions=list(names), extension_configs=configs)
    html = by_name.convert(SAMPLE_MARKDOWN)
    assert setup.converter().convert(SAMPLE_MARKDOWN) == html
    assert 'class="headerlink"' in html and "footnote" in html  # settings and extensions at work


def _walked_as_before(folder: Path) -> tuple[list[str], list[str]]:
    """Markdown files and refused paths as the scan found them with os.walk and a stat per file."""
    markdown, refused = [], []
    for here, dirs, names in os.walk(folder):
        base = Path(here)
        refused += [str(base / d) for d in sorted(dirs) if not d.startswith(".") and (base / d).is_symlink()]
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (base / d).is_symlink())
        for name in sorted(n for n in names if not n.startswith(".")):
            path = base / name
            if path.is_symlink():
                refused.append(str(path))
            elif is_markdown(name):
                markdown.append(str(path))
                if not name.endswith(MARKDOWN_SUFFIXES):
                    refused.append(str(path))
            elif not name.lower().endswith(STATIC_SUFFIXES):
                refused.append(str(path))
    return markdown, refused


def test_the_folder_scan_finds_what_os_walk_found(tmp_path: Path) -> None:
    """Nested and hidden folders, symbolic links to folders, files and nowhere, odd suffixes:
    the same Markdown files and the same refusals, in the same order."""
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    docs = tmp_path / "plans"
    for folder in ("b", "a/z", "a/y", ".hidden", "c"):
        (docs / folder).mkdir(parents=True)
    for name in ("x.md", "b/Y.MD", "a/z/p.md", "a/y/q.markdown", ".hidden/h.md", "a/notes.html",
                 "c/script.js", "c/photo.png", ".secret.md", "a/y/readme.txt", "b/run"):
        (docs / name).write_text("# page\n", encoding="utf-8")
    (docs / "a" / "link").symlink_to(outside)
    (docs / "b" / "linked.md").symlink_to(docs / "x.md")
    (docs / "broken.md").symlink_to(tmp_path / "nowhere.md")
    scanned = scan_folder(docs, str)
    assert ([str(p) for p in scanned.markdown], [str(p) for p, _ in scanned.refused]) \
        == _walked_as_before(docs)
    assert len(scanned.refused) == 7 and len(scanned.markdown) == 4



def _around(line: str) -> str:
    return f"Some text before it.\n\n{line}\nand a second line.\n\nAfter it.\n"


@pytest.mark.parametrize(("line", "same_as"), [
    ("\u0663. Arabic-Indic digits", "3. Arabic-Indic digits"),
    ("  - an indented bullet", "- an indented bullet"),
    ("\u00a0| a | b |", "| a | b |"),
    ('???+ tip "Open"', '!!! tip "Open"'),
])
def test_print_estimate_knows_a_line_by_its_first_character(line: str, same_as: str) -> None:
    """List items (any decimal digit), table rows and admonitions are told apart from text as before."""
    from accountplans.plan.printsize import estimate_lines

    as_text = estimate_lines(None, _around("x" + same_as))
    assert estimate_lines(None, _around(line)) == estimate_lines(None, _around(same_as)) != as_text
