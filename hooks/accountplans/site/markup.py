"""HTML as a type: every fragment the build makes is `Html`, every value is escaped exactly
once, when text meets HTML.

`Html` is a `markupsafe.Markup` (the type Jinja uses for safe HTML), so the rules are
Markup's: a function that returns HTML returns `Html`; text stays `str` until it meets
`Html.format`, `Html.join`, `+` or `escape()`, which escape it; HTML passed to them is left
as it is. Nothing is escaped by hand, and nothing twice.

Why a subclass:
- markupsafe writes a quote as `&#34;`/`&#39;`, Python's `html.escape` (which the site's HTML
  was written with before) as `&quot;`/`&#x27;`. `Html` escapes as `html.escape` does, so the
  pages keep their bytes; a browser reads both the same.
- A plan page fills in hundreds of cells, a dashboard thousands: Markup's `format` and
  `join` go through a Python formatter and a class method per value (about 10 µs a call).
  `Html`'s do the same escaping with str's own format and join, several times faster.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from markupsafe import Markup

__all__ = ["Html", "each", "escape", "html_text", "message"]

_escape_in_c: Callable[[str], str] | None
try:  # markupsafe's escaping in C; a markupsafe without its C extension falls back
    from markupsafe._speedups import _escape_inner as _escape_in_c
except ImportError:  # pragma: no cover - markupsafe without its C extension
    _escape_in_c = None


def _escape_text(text: str, quote: bool = True) -> str:
    """`html.escape(text, quote)`: the text escaped as Python's html module escapes it."""
    if not quote or _escape_in_c is None:
        return html.escape(text, quote)
    # markupsafe escapes the same five characters, quotes as `&#34;`/`&#39;`, in C (a
    # quarter of html.escape's five str.replace calls for a table cell's text); the quotes
    # are then written as html.escape writes them. "&#3" is only ever one of those two:
    # an `&` of the text itself comes back as `&amp;`.
    escaped: str = _escape_in_c(text)
    if "&#3" in escaped:
        escaped = escaped.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
    return escaped
_new = str.__new__


class Html(Markup):
    """Safe HTML. Text joined to it, formatted into it or added to it is escaped (as
    `html.escape` escapes: `&quot;` and `&#x27;`)."""

    __slots__ = ()

    @classmethod
    def escape(cls, s: Any, /) -> Html:
        """`s` as HTML: escaped when it is text, as it is when it is HTML already."""
        kind = type(s)
        if kind is Html:
            return s  # type: ignore[no-any-return]
        if kind is not str and hasattr(s, "__html__"):
            return Html(s.__html__())
        return _new(Html, _escape_text(str(s)))

    def format(self, /, *args: Any, **kwargs: Any) -> Html:
        """What Markup.format gives: each value escaped once, then filled in. Fields are
        whole values (`{}`, `{name}`); a format spec applies to numbers (`{week:02d}`), or
        to text as escaped."""
        return _new(Html, str.format(self, *map(_field, args),
                                     **{k: _field(v) for k, v in kwargs.items()}))

    def join(self, iterable: Iterable[str | Any], /) -> Html:
        """What Markup.join gives: the parts, text escaped, with this between them."""
        return _new(Html, str.join(self, map(_field_html, iterable)))


def _field_html(value: object) -> str:
    kind = type(value)
    if kind is Html:
        return value  # type: ignore[return-value]
    if kind is str:
        return _escape_text(value)  # type: ignore[arg-type]
    return Html.escape(value)


def _field(value: object) -> object:
    """A value as `Html.format` fills it in: numbers as they are (their format specs apply),
    everything else as HTML."""
    kind = type(value)
    if kind is Html or kind is int or kind is Decimal or kind is float:
        return value
    if kind is str:
        return _escape_text(value)  # type: ignore[arg-type]
    return Html.escape(value)


def each(template: Html, values: Iterable[object], between: str = "") -> Html:
    """`template.format(value)` for each value, joined by `between` (HTML): what
    `Html(between).join(template.format(v) for v in values)` gives, in one pass, for the
    cells of a table (a plan page has hundreds). `template` holds one `{}` and no other
    braces."""
    before, field, after = str.partition(template, "{}")
    if not field or "{" in before + after or "}" in before + after:
        raise ValueError(f"one {{}} and no other braces in {template!r}")
    return _new(Html, str.join(between, [before + html_text(v) + after for v in values]))


def html_text(value: object) -> str:
    """A value as HTML (text escaped, HTML as it is) in a plain str, so that `+` never meets
    Html (whose `+` would escape the other side): for a block of thousands of pieces joined
    with str's own join and made `Html` once, at its end."""
    kind = type(value)
    if kind is str:
        return _escape_text(value)  # type: ignore[arg-type]
    return str.__str__(Html.escape(value))


def escape(value: object) -> Html:
    """Text (or a number, a date) as HTML, escaped for element content and attribute values;
    HTML as it is."""
    return Html.escape(value)


def message(text: str) -> Html:
    """A sentence (a translated message) as HTML for element content, before its `{fields}`
    are filled in with `Html.format`: `<`, `>` and `&` escaped, quotes kept as written (they
    mean nothing between tags), as the site has always shown its sentences. HTML as it is."""
    if hasattr(text, "__html__"):
        return Html.escape(text)
    return _new(Html, _escape_text(text, quote=False))
