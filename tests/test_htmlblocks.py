"""The build's fast path in plain functions: which pages qualify, filling in macro calls, and
blocks kept out of Markdown and put back (accountplans.site.htmlblocks, no MkDocs involved)."""

from __future__ import annotations

from accountplans.plan.problems import problem
from accountplans.site.htmlblocks import KeptBlocks, fill_in, keep_generated_blocks, plain_markdown
from accountplans.site.theme import problems_box, theme_safe_meta

NAMES = {"targets_table", "milestones_table"}


def test_macros_alone_between_blank_lines_are_plain() -> None:
    """Prose and known macros alone on their line, blank lines around them: plain."""
    assert plain_markdown("# Acme\n\nText.\n\n{{ targets_table() }}\n\nMore.\n", NAMES)


def test_html_fences_and_other_template_code_are_not_plain() -> None:
    """Any HTML, code fence, statement, comment or unknown macro takes the ordinary path."""
    for markdown in ("<b>x</b>\n", "```\n{{ targets_table() }}\n```\n", "{% if x %}y{% endif %}\n",
                     "{# note #}\n", "{{ target_table() }}\n", "{{ config.extra }}\n"):
        assert not plain_markdown(markdown, NAMES), markdown


def test_a_macro_next_to_text_is_not_plain() -> None:
    """A call with text on the line before or after could join a paragraph: not plain."""
    assert not plain_markdown("Text.\n{{ targets_table() }}\n", NAMES)
    assert not plain_markdown("{{ targets_table() }}\nText.\n", NAMES)
    assert not plain_markdown("See {{ targets_table() }}.\n", NAMES)


def test_fill_in_replaces_each_call_with_its_text() -> None:
    """Each call becomes its macro's text; the rest of the page stays as written."""
    macros = {"targets_table": lambda: "<table></table>", "milestones_table": lambda: "<ul></ul>"}
    assert fill_in("A\n\n{{ targets_table() }}\n\n{{milestones_table()}}\n", macros) == \
        "A\n\n<table></table>\n\n<ul></ul>\n"


def test_fill_in_gives_up_when_a_macro_fails() -> None:
    """A macro that raises or returns no text: None, so the sandbox reports it with its line."""
    def broken() -> str:
        raise ValueError("no")

    assert fill_in("{{ targets_table() }}\n", {"targets_table": broken}) is None
    assert fill_in("{{ targets_table() }}\n", {"targets_table": lambda: 3}) is None  # type: ignore[dict-item]


def test_kept_blocks_come_back_where_their_tokens_were() -> None:
    """Each element gets a token; put_back puts every indexed element back in its place, as
    the site's sanitizer writes it (every published block goes through it)."""
    kept = KeptBlocks()
    keep = kept.keeper("a.md")
    tokens = keep('<div class="k">facts</div>\n\n<table><tr><td>1</td></tr></table>\n')
    first, second = tokens.split("\n\n")
    html = f"<h1>A</h1>\n<p>{first}</p>\n<p>{second}</p>"
    assert kept.put_back("a.md", html) == \
        '<h1>A</h1>\n<div class="k">facts</div>\n<table><tbody><tr><td>1</td></tr></tbody></table>'
    assert kept.pages == {}


def test_blocks_search_leaves_out_wait_as_comments_until_the_page_is_rendered() -> None:
    """An element with data-search-exclude is a comment for search, and back in the output."""
    kept = KeptBlocks()
    token = kept.keeper("a.md")('<figure data-search-exclude><svg></svg></figure>')
    content = kept.put_back("a.md", f"<p>{token}</p>")
    assert content == f"<!--{token}-->" and "svg" not in content
    page = f"<html><article>{content}</article></html>"
    assert kept.put_back_unindexed("a.md", page) == \
        '<html><article><figure data-search-exclude=""><svg></svg></figure></article></html>'
    assert kept.unindexed == {}


def test_html_that_is_not_whole_block_elements_is_not_kept() -> None:
    """Inline HTML, text, or a block that does not end its element stays in the Markdown."""
    keep = KeptBlocks().keeper("a.md")
    for block in ("<b>bold</b> text", "plain text", '<div class="x">open', "", "</div>"):
        assert keep(block) == block


def test_tokens_differ_between_builds() -> None:
    """Each build's tokens are its own: no plan text can be taken for one."""
    assert KeptBlocks().token != KeptBlocks().token


def test_generated_page_keeps_its_html_blocks_out_and_its_headings_in() -> None:
    """Headings stay Markdown; each HTML block becomes tokens."""
    kept = KeptBlocks()
    markdown = "## Plans\n\n<table><tr><td>A</td></tr></table>\n\n## Reviews\n\n<p>None.</p>\n"
    out = keep_generated_blocks(markdown, kept.keeper("owners/a/index.md"))
    assert out.startswith("## Plans\n\naccountplansblock") and "\n\n## Reviews\n\n" in out
    assert "<" not in out and len(kept.pages["owners/a/index.md"]) == 2


def test_theme_gets_a_plans_tags_only_and_escaped() -> None:
    """A plan's meta is its tags, escaped; another page's title and description are escaped."""
    assert theme_safe_meta({"tags": ["<i>x</i>"], "title": "T", "status": "draft"}, is_plan=True) == \
        {"tags": ["&lt;i&gt;x&lt;/i&gt;"]}
    assert theme_safe_meta({"title": "<b>", "description": "a&b"}, is_plan=False) == \
        {"title": "&lt;b&gt;", "description": "a&amp;b"}


def test_problems_box_lists_each_problem_escaped() -> None:
    """Under serve: one line per problem, with its place, code and message, as text."""
    box = problems_box([problem("plans/a.md", 3, 1, "AP005", "year1 <b>must</b> be a number")])
    assert "plans/a.md:3:1" in box and "AP005" in box and "&lt;b&gt;must" in box
    assert "admonition failure" in box and "1 problem in this file (1 error)" in box
