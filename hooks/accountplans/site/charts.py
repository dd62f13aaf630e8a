"""Charts as inline SVG made at build time: no JavaScript, nothing loaded, prints in black
and white.

Bars are drawn in `currentColor` at partial opacity, so they follow the text colour of the
page (light or dark scheme) and print as grey with a black outline on any printer. The chart
is an image for assistive technology (`role="img"`) named by its `<title>`, with the values
in `<desc>`; the exact amounts are in the table next to it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal

from accountplans.site.markup import Html, html_text

WIDTH = 600
HEIGHT = 120
_TOP = 16  # room for the value above the tallest bar
_BOTTOM = 18  # room for the labels under the bars
_BAR_SHARE = Decimal("0.7")  # of each slot's width


def bar_chart(values: Sequence[Decimal], labels: Sequence[str], value_labels: Sequence[str],
              title: str, description: str, css_class: str = "accountplans-chart") -> Html:
    """A bar chart of non-negative `values`, one bar per label, as one line of SVG markup.

    The texts are text (escaped as they meet the markup)."""
    if len(values) != len(labels) or len(values) != len(value_labels) or not values:
        raise ValueError("one label and one value label per value")
    bar_width, slots = _slots(len(values))
    area = HEIGHT - _TOP - _BOTTOM
    highest = max(max(values), Decimal(0))
    parts: list[str] = [
        _START.format(css_class=css_class, width=WIDTH, height=HEIGHT, title=title,
                      description=description, axis=HEIGHT - _BOTTOM),
    ]
    for (x, centre), value, label, shown in zip(slots, values, labels, value_labels, strict=True):
        height = (max(value, Decimal(0)) / highest * area) if highest > 0 else Decimal(0)
        y = HEIGHT - _BOTTOM - height
        # What _BAR.format gives: the two texts escaped by html_text, the coordinates (digits
        # made by _n) as they are; str's own format, twelve bars on every plan page.
        parts.append(str.format(_BAR, x=x, y=_n(y), width=bar_width, height=_n(height),
                                centre=centre, value_y=_n(y - 4), label_y=HEIGHT - 4,
                                shown=html_text(shown), label=html_text(label)))
    parts.append("</svg>")
    return Html("".join(parts))


_START = Html(
    '<svg class="{css_class}" role="img" viewBox="0 0 {width} {height}" '
    'xmlns="http://www.w3.org/2000/svg" aria-label="{title}">'
    "<title>{title}</title><desc>{description}</desc>"
    '<line x1="0" y1="{axis}" x2="{width}" y2="{axis}" stroke="currentColor" stroke-width="1"/>')
_BAR = Html(
    '<rect x="{x}" y="{y}" width="{width}" height="{height}" '
    'fill="currentColor" fill-opacity="0.35" stroke="currentColor" stroke-width="1"/>'
    '<text x="{centre}" y="{value_y}" text-anchor="middle" font-size="11" '
    'fill="currentColor">{shown}</text>'
    '<text x="{centre}" y="{label_y}" text-anchor="middle" font-size="12" '
    'fill="currentColor">{label}</text>')


@functools.lru_cache(maxsize=16)
def _slots(count: int) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The bar width and each bar's left edge and centre, as written: the same for every
    chart of `count` bars (12 months), so worked out once."""
    slot = Decimal(WIDTH) / count
    bar_width = slot * _BAR_SHARE
    return _n(bar_width), tuple((_n(slot * i + (slot - bar_width) / 2), _n(slot * i + slot / 2))
                                for i in range(count))


def _n(value: Decimal) -> str:
    """A coordinate with one decimal at most."""
    return format(value.quantize(Decimal("0.1")).normalize(), "f")
