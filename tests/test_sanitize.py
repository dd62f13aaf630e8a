"""The site's sanitizer (accountplans.plan.sanitize) and AP402 decided on the page a body becomes
(accountplans.plan.rendered): what a reader may get, and what the checker reports about it.

The hostile corpus (tests/test_hostile.py) runs whole pages through check, the build and
Chromium; here each piece is tested on its own.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from accountplans import Settings, check_text
from accountplans.plan.rendered import DEFAULT_MARKDOWN, load_markdown_setup, markdown_setup, unsafe_html
from accountplans.plan.sanitize import clean, clean_generated, removed, text_only
from accountplans.site.keyfacts import key_facts
from accountplans.site.macros import plan_macros
from accountplans.site.portfolio import portfolio_macros
from plan_factory import plan_text

TODAY = dt.date(2027, 3, 10)
HOSTILE_TEXT = '"><img src=x onerror=alert(1)><script>alert(2)</script>&lt;b&gt;'


def phrases(html: str) -> list[str]:
    return [str(f) for f in removed(html)]


@pytest.mark.parametrize(("html", "phrase"), [
    ('<p onClick="x()">a</p>', 'the attribute onclick="x()" of <p>'),
    ('<SCRIPT>alert(1)</SCRIPT>', "the element <script>"),
    ('<img src="https://other.example/x.png">', 'the attribute src="https://other.example/x.png" of <img>'),
    ('<img src="//other.example/x.png">', 'the attribute src="//other.example/x.png" of <img>'),
    ('<img src="/\\other.example/x.png">', 'the attribute src="/\\other.example/x.png" of <img>'),
    ('<a href="java\nscript:alert(1)">x</a>', 'the attribute href="java script:alert(1)" of <a>'),
    ('<a href="data:text/html,x">x</a>', 'the attribute href="data:text/html,x" of <a>'),
    ('<p style="background: url(//other.example/x)">a</p>',
     'the attribute style="background: url(//other.example/x)" of <p>'),
    ('<svg><animate attributeName="href" to="javascript:alert(1)"/></svg>', "the element <animate>"),
    ('<form action="https://other.example"><input></form>', "the element <form>"),
    ('<!--> <img src="a.png" onerror="alert(1)"> -->', 'the attribute onerror="alert(1)" of <img>'),
])
def test_removed_names_what_the_policy_takes_out(html: str, phrase: str) -> None:
    """Each kind of unsafe HTML is named by what the sanitizer removes from it."""
    assert phrase in phrases(html)


@pytest.mark.parametrize("html", [
    '<p>a &lt; b &amp; c</p>',
    '<table><thead><tr><th style="text-align: left;">a</th></tr></thead></table>',
    '<img src="plan.png" alt="a"><img src="data:image/png;base64,AAAA">',
    '<a href="https://example.com/x">x</a> <a href="mailto:a@example.com">m</a> <a href="../b/">b</a>',
    '<svg viewBox="0 0 10 10" role="img"><title>t</title>'
    '<rect x="1" y="1" width="2" height="2"></rect></svg>',
    '<p><div>badly nested</div></p>',
])
def test_safe_html_is_reported_as_nothing(html: str) -> None:
    """What Markdown and the site's own macros write is left alone."""
    assert removed(html) == []


def test_clean_is_what_a_reader_gets() -> None:
    """The published HTML keeps the text and loses the handler, the script and the remote image."""
    out = clean('<p onclick="x()">Hello</p><script>alert(1)</script><img src="https://o.example/i.png">')
    assert out == "<p>Hello</p><img>"


def test_a_title_is_text_even_through_striptags() -> None:
    """Entity-encoded tags in a heading stay text: no '<' reaches the theme."""
    title = text_only("Plan &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; <code>&lt;b&gt;</code>")
    assert "<" not in title and "&lt;/title&gt;" in title


def test_every_generated_block_passes_the_sanitizer_with_hostile_plan_values() -> None:
    """Account, owner, product, milestone and tag texts full of HTML: every macro's output and
    the key facts are unchanged by the sanitizer (the values are escaped, once)."""
    text = plan_text(f"Acme {HOSTILE_TEXT}", f"Owner {HOSTILE_TEXT}",
                     targets=((f"Product {HOSTILE_TEXT}", 1000, 2000),),
                     milestones=(("2027-04-01", f"Visit {HOSTILE_TEXT}", "visit", False),),
                     tags=["tag<script>"])
    checked = check_text("plans/acme.md", text, Settings())
    assert checked.plan is not None
    blocks = {name: macro() for name, macro in plan_macros(checked.plan, Settings(), TODAY).items()}
    blocks["key facts"] = key_facts(checked.plan, Settings(), TODAY)
    dashboard = portfolio_macros({"acme.md": checked}, Settings(), TODAY)
    blocks |= {f"dashboard {name}": macro() for name, macro in dashboard.items()}
    unsafe = {name: phrases(html) for name, html in blocks.items() if removed(html)}
    assert unsafe == {}
    # The stricter, faster cleaner the build uses for these blocks keeps them the same.
    assert {name: clean_generated(html) for name, html in blocks.items()} == \
        {name: clean(html) for name, html in blocks.items()}
    assert "<script>" not in "".join(blocks.values())


def test_unsafe_html_is_reported_at_the_line_that_makes_the_page_unsafe() -> None:
    """A link is harmless until its reference definition points it at javascript: that is the
    line reported."""
    body = "Intro.\n\nSee [the report][r].\n\nMore text.\n\n[r]: javascript:alert(1)\n"
    [p] = unsafe_html("plans/x.md", body, 10)
    assert (p.code, p.line, p.col) == ("AP402", 16, 6)
    assert 'href="javascript:alert(1)"' in p.message


def test_plain_text_is_not_converted_at_all() -> None:
    """A body without '<', '&', '[' or '{' under known extensions needs no conversion."""
    from accountplans.plan.rendered import may_hold_html

    assert not may_hold_html("## Goals\n\nGrow 10% a year.\n\n{{ targets_table() }}\n", DEFAULT_MARKDOWN)
    assert may_hold_html("Grow [fast](https://x.example).\n", DEFAULT_MARKDOWN)
    assert may_hold_html("Grow.\n", markdown_setup(["pymdownx.magiclink"]))


def test_markdown_setup_is_read_from_mkdocs_yml_as_mkdocs_reads_it(tmp_path: Path) -> None:
    """Names alone or with settings, !!python/name tags resolved, MkDocs' own three first."""
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nmarkdown_extensions:\n  - admonition\n  - toc:\n      permalink: true\n"
                      "  - attr_list\nextra:\n"
                      "  factory: !!python/name:markdown.extensions.toc.TocExtension\n",
                      encoding="utf-8")
    setup = load_markdown_setup(config)
    assert setup.extensions == ("toc", "tables", "fenced_code", "admonition", "attr_list")
    assert setup.configs == {"toc": {"permalink": True}}


def test_attr_list_handlers_are_ap402_only_where_the_extension_is_on() -> None:
    """`{: onclick=... }` is an attribute only when attr_list is on: the site's own setup decides."""
    body = "Text\n{: onclick=\"alert(1)\" }\n"
    assert [p.code for p in unsafe_html("plans/x.md", body, 1, markdown_setup(["attr_list"]))] == ["AP402"]
    assert unsafe_html("plans/x.md", body, 1, markdown_setup([])) == []

