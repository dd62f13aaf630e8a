"""HTML as a type (accountplans.site.markup): text is escaped once when it meets Html, Html is
never escaped again, and Html gives what markupsafe's Markup gives, in html.escape's
spelling of quotes."""

from __future__ import annotations

import html
from decimal import Decimal

import markupsafe
import pytest
from accountplans.site.markup import Html, each, escape, html_text, message
from hypothesis import given
from hypothesis import strategies as st


def _markupsafe_spelling(text: str) -> str:
    return str(text).replace("&quot;", "&#34;").replace("&#x27;", "&#39;")


def test_text_formatted_into_html_is_escaped() -> None:
    """Every character that means something in HTML is escaped, quotes as html.escape does."""
    assert Html('<p title="{}">{}</p>').format('a"b', "<Vos & 'Zn'>") == \
        '<p title="a&quot;b">&lt;Vos &amp; &#x27;Zn&#x27;&gt;</p>'


def test_html_formatted_into_html_is_not_escaped_again() -> None:
    """A fragment that is HTML already goes in as it is, however often it is passed on."""
    cell = Html("<td>{}</td>").format("R&D")
    row = Html("<tr>{cells}</tr>").format(cells=cell)
    assert Html("<table>{}</table>").format(row) == "<table><tr><td>R&amp;D</td></tr></table>"


def test_markupsafe_markup_is_html_already() -> None:
    """markupsafe's own Markup (as Jinja makes it) is not escaped either."""
    assert Html("<p>{}</p>").format(markupsafe.Markup("<b>x</b>")) == "<p><b>x</b></p>"


def test_numbers_keep_their_format_spec() -> None:
    """An int or a Decimal is formatted by its spec (`{:02d}`), not turned into text first."""
    assert Html("W{:02d} {}").format(3, Decimal("1.50")) == "W03 1.50"


def test_join_escapes_text_parts_and_keeps_html_parts() -> None:
    """Html.join escapes the parts that are text and keeps those that are HTML."""
    assert Html("<br>").join(["a<b", Html("<i>c</i>"), 7]) == "a&lt;b<br><i>c</i><br>7"


def test_adding_text_to_html_escapes_the_text() -> None:
    """`+` escapes text, as Markup's does, and gives Html."""
    joined = Html("<b>x</b>") + "<'y'>"
    assert joined == "<b>x</b>&lt;&#x27;y&#x27;&gt;" and isinstance(joined, Html)


def test_results_are_html() -> None:
    """format, join and escape give Html, so the result is never escaped again."""
    assert all(isinstance(v, Html) for v in (Html("{}").format("a"), Html("").join(["a"]),
                                              escape("a"), escape(markupsafe.Markup("a")),
                                              message("a")))


def test_escape_leaves_html_as_it_is() -> None:
    """escape() of Html gives it back unchanged: escaping is once, by type."""
    once = escape("<a & b>")
    assert escape(once) == once == "&lt;a &amp; b&gt;"


def test_message_keeps_quotes_and_escapes_markup() -> None:
    """A sentence's quotes stay as written (element content); `<`, `>` and `&` are escaped."""
    assert message("the quarter's <target> & {x}").format(x=Html("<b>1</b>")) == \
        "the quarter's &lt;target&gt; &amp; <b>1</b>"


@given(st.lists(st.text(), min_size=1, max_size=4))
def test_same_html_as_markupsafe(values: list[str]) -> None:
    """Html.format and Html.join give Markup's HTML but for the spelling of quotes."""
    template = "<td>{}</td>" * len(values)
    assert _markupsafe_spelling(Html(template).format(*values)) == markupsafe.Markup(template).format(*values)
    assert _markupsafe_spelling(Html("<br>").join(values)) == markupsafe.Markup("<br>").join(values)


def test_each_is_the_join_of_its_formats() -> None:
    """each() gives what joining the template's format of every value gives."""
    values = ["€ 1.234", Html("<b>x</b>"), 5, "a<'\""]
    cell = Html("<td>{}</td>")
    assert each(cell, values, " ") == Html(" ").join(cell.format(v) for v in values)


def test_each_wants_one_field_and_no_other_braces() -> None:
    """A template without `{}`, or with other braces, is refused rather than filled in wrong."""
    for template in ("<td></td>", "<td>{x}</td>", "<td>{}{}</td>"):
        with pytest.raises(ValueError, match="one"):
            each(Html(template), ["a"])


@given(st.text(alphabet=st.sampled_from("ab&<>\"'#34;9x\xa0€ ")) | st.text())
def test_text_is_escaped_as_html_escape_escapes_it(text: str) -> None:
    """Text becomes exactly what html.escape makes of it, whatever mix of `&`, quotes and
    character references it holds (markupsafe's C escaping, quotes respelled)."""
    assert escape(text) == html.escape(text)


def test_html_text_is_a_plain_str_of_escaped_html() -> None:
    """html_text escapes text, keeps HTML, and gives a plain str (so `+` never escapes)."""
    for value, shown in (("a<'b'>", "a&lt;&#x27;b&#x27;&gt;"), (Html("<i>c</i>"), "<i>c</i>"),
                         (7, "7")):
        made = html_text(value)
        assert made == shown and type(made) is str
