"""AP201: how many A4 pages a plan will print on, estimated without a browser.

The whole model is here, in `PrintModel`, so it can be calibrated against real prints
(tests/test_print_calibration.py prints generated plans with Chromium and compares). The
estimate must err only towards "too long": it may say a plan needs one page more than it
does, never that it fits when it does not.

How: the body is cut into blocks as the print stylesheet lays them out (title, key facts,
paragraphs, lists, tables, the generated tables and charts), each with its height in printed
body-text lines. Blocks the stylesheet keeps whole (`break-inside: avoid`: key facts, tables,
charts) move to the next page when they do not fit on the current one, as Chromium moves
them; headings stay with what follows. Text flows over pages.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from accountplans.i18n import gettext
from accountplans.plan.body import heading, marked_lines
from accountplans.plan.model import Plan
from accountplans.site.macrotable import MACROS, SIMPLE_CALL, fits, simple_call_parts

_TABLE_RULE = re.compile(r"^[\s|:\-]+$")
_ADMONITION = re.compile(r"^(?:!!!|\?\?\?\+?)\s")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_CALL = SIMPLE_CALL  # a built-in macro's call (the macro table's grammar)
# Bounded, and `<` excluded inside a tag: an unbounded `<[^>]+>` takes quadratic time on a
# long line of unclosed `<a ` (seconds for 200 kB), and a plan may be 1 MiB.
_MARKUP = re.compile(r"\*\*|__|`|\[|\]\([^()\]\n]{0,500}\)|<[^<>\n]{1,500}>")


@dataclass(frozen=True)
class PrintModel:
    """Sizes in printed lines of body text (print.css: 9pt Liberation Sans, the font the site
    ships in theme_overrides/assets/fonts and uses in print whatever the machine has;
    line-height 1.35, i.e. 16.2 px at 96 dpi) on an A4 page with print.css's margins.
    Measured in Chromium with tests/test_print_calibration.py (24 plans of 1-4 pages: 16
    estimated exactly, 8 one page long, none short); each constant is rounded towards
    "longer"."""

    lines_per_page: float = 63.5
    """A4 minus the @page margins (273 mm = 1032 px) over one body line (16.2 px): 63.7."""
    chars_per_line: int = 116
    """Characters of body text per printed line (measured 120+ with Arial's metrics)."""
    list_chars_per_line: int = 100
    """Characters per line in a list item, which is indented."""
    title: float = 2.2
    """The page title (h1) with its spacing."""
    key_facts: float = 5.1
    """The key-facts block written at the top of every plan, with one decision maker..."""
    key_facts_per_decision_maker: float = 0.85
    """... and each further decision maker (names and roles wrap in the block's column)."""
    heading2: float = 1.9
    heading3: float = 1.6
    paragraph_gap: float = 0.25
    list_item_gap: float = 0.15
    table_row: float = 1.0
    """One text line of a table row (7.5pt text, padding and rule)."""
    table_chars_per_line: int = 108
    """Characters of a table row's cells, all columns together, per line of the row."""
    table_gap: float = 0.9
    """Space around a table, its caption or Material's wrapper."""
    code_line: float = 1.1
    admonition: float = 2.7
    quote_gap: float = 0.6
    """A block quote's extra spacing (its text is narrower, by `list_chars_per_line`)."""
    """An admonition's (`!!! note`) title bar, box padding and spacing; its text is a paragraph."""
    # Generated content, per macro call found in the body.
    targets_quarters_fixed: float = 2.2
    """targets_table(): the quarter table's caption, header row and spacing ..."""
    targets_months_fixed: float = 3.0
    """... the month table's caption, two header rows and spacing ..."""
    targets_row: float = 0.97
    """... one row per product (plus a total row when there are two or more products), once
    in the quarter table and twice (two halves of six months) in the month table ..."""
    targets_chart: float = 5.0
    """... the monthly bar chart ..."""
    targets_note: float = 3.5
    """... and the note on how the targets are rounded."""
    milestones_fixed: float = 2.1
    """milestones_table(): caption, header row and spacing of the table ..."""
    milestones_row: float = 0.96
    milestone_title_chars: int = 95
    """... a row per milestone (longer titles wrap in their column) ..."""
    milestones_after: float = 3.4
    """... the quarterly evaluations and the visit cadence below it."""
    contacts_fixed: float = 1.4
    contacts_per_contact: float = 1.5
    actuals_in_year: float = 17.5
    """actuals_table() in the plan year: four quarters and the year to date, and a chart ..."""
    actuals_before_year: float = 3.6
    """... before it: caption, header and spacing of a table with one row per product (plus a
    total row; rows as `targets_row`). The estimate takes the larger form: AP201 must not
    change with the date of the build."""
    margin: float = 1.5
    """Added at the end so that rounding and fonts err towards "too long"."""


DEFAULT_MODEL = PrintModel()


@dataclass(slots=True)
class Block:
    """Something printed: its height in lines, and whether the print keeps it whole. (Not
    frozen: `blocks` names each block's section once the section ends, ~20 blocks a plan.)"""

    lines: float
    whole: bool = False
    heading: bool = False
    """Kept with the block that follows it (break-after: avoid)."""
    section: str = ""
    """The title of the level-2 section the block is in ("" before the first)."""


def blocks(plan: Plan | None, body: str, model: PrintModel = DEFAULT_MODEL) -> list[Block]:
    """The printed blocks of a plan page, top to bottom."""
    found = [Block(model.title, whole=True, heading=True)]
    if plan is not None:
        deciders = max(1, sum(1 for c in plan.contacts if c.decision_maker))
        found.append(Block(model.key_facts + model.key_facts_per_decision_maker * deciders, whole=True))
    sections: list[tuple[int, str]] = []  # (index of the section's first block, its title)
    paragraph: list[str] = []
    quote: list[str] = []
    item: list[str] = []
    table: list[str] = []
    code = 0

    def flush() -> None:
        nonlocal code
        if paragraph:
            found.append(Block(_text_lines(" ".join(paragraph), model.chars_per_line) + model.paragraph_gap))
            paragraph.clear()
        if item:
            found.append(Block(_text_lines(" ".join(item), model.list_chars_per_line) + model.list_item_gap))
            item.clear()
        if quote:
            found.append(Block(_text_lines(" ".join(quote), model.list_chars_per_line)
                               + model.paragraph_gap + model.quote_gap))
            quote.clear()
        if table:
            found.append(Block(_table_lines(table, model), whole=True))
            table.clear()
        if code:
            found.append(Block(code * model.code_line + model.paragraph_gap))
            code = 0

    for raw, in_code in marked_lines(body):
        text = raw.strip()
        if in_code:
            if paragraph or quote or item or table:
                flush()
            code += 1
            continue
        if not text:
            flush()
            continue
        h = heading(text) if text.startswith("#") else None  # (text is stripped)
        if h is not None:
            flush()
            if h[0] == 2:
                sections.append((len(found), h[1]))
            if h[0] >= 2:  # the h1 is the page title, counted above
                found.append(Block(model.heading2 if h[0] == 2 else model.heading3, heading=True))
            continue
        calls = [name for name, word, _ in map(simple_call_parts, _CALL.finditer(text))
                 if fits(name, word)] if "{" in text else []
        if calls:
            flush()
            for name in calls:
                found.extend(_generated(name, plan, model))
            text = _CALL.sub("", text).strip()
            if not text:
                continue
        # `text` is stripped, so its first character tells what the line may be: a table row
        # starts with '|', a quote with '>', an admonition with '!' or '?', a list item with a
        # bullet or a digit (`\d`: str.isdecimal); most lines are text and need no pattern.
        first = text[0]
        if first == "|":
            if paragraph or quote or item:
                flush()
            table.append(text)
        elif first == ">":
            if paragraph or item or table:
                flush()
            quote.append(text.lstrip("> "))
        elif first in "!?" and _ADMONITION.match(text):
            # `!!! note "Title"`: a boxed title bar, kept with the indented text under it
            flush()
            found.append(Block(model.admonition, heading=True))
        elif (first in "-*+" or first.isdecimal()) and _LIST_ITEM.match(text):
            flush()
            item.append(_LIST_ITEM.sub("", text))
        elif item:
            item.append(text)  # a continuation line of the list item
        else:
            if table or quote:
                flush()
            paragraph.append(text)
    flush()
    ends = [start for start, _ in sections[1:]] + [len(found)]
    for (start, title), end in zip(sections, ends[: len(sections)], strict=True):
        for block in found[start:end]:
            block.section = title
    found.append(Block(model.margin))
    return found


def _text_lines(text: str, per_line: int) -> float:
    return max(1, math.ceil(len(_without_markup(text)) / per_line))


def _without_markup(text: str) -> str:
    """`text` without the marks _MARKUP removes; most text has none of the characters they
    are made of (`*`, `_`, backticks, brackets, `<`)."""
    if "*" in text or "_" in text or "`" in text or "[" in text or "]" in text or "<" in text:
        return _MARKUP.sub("", text)
    return text


def _table_lines(rows: list[str], model: PrintModel) -> float:
    total = model.table_gap
    for row in rows:
        if _TABLE_RULE.fullmatch(row):
            continue
        cells = [_without_markup(c).strip() for c in row.strip().strip("|").split("|")]
        chars = sum(len(c) for c in cells) + 2 * len(cells)
        total += model.table_row * max(1, math.ceil(chars / model.table_chars_per_line))
    return total


def _generated(name: str, plan: Plan | None, model: PrintModel) -> list[Block]:
    """What the call of macro `name` prints, by the estimate the macro table names for it."""
    spec = MACROS.get(name)
    if plan is None or spec is None or not spec.print_size:
        return []
    return ESTIMATES[spec.print_size](plan, model)


def _targets(plan: Plan, model: PrintModel) -> list[Block]:
    if not plan.targets:
        return [Block(2.0)]
    rows = len(plan.targets) + (1 if len(plan.targets) > 1 else 0)
    return [Block(model.targets_quarters_fixed + model.targets_row * rows, whole=True),
            Block(model.targets_months_fixed + 2 * model.targets_row * rows, whole=True),
            Block(model.targets_chart, whole=True),
            Block(model.targets_note)]


def _milestones(plan: Plan, model: PrintModel) -> list[Block]:
    rows = sum(max(1, math.ceil(len(m.title) / model.milestone_title_chars)) for m in plan.milestones)
    table = [Block(model.milestones_fixed + model.milestones_row * rows, whole=True)] if rows else []
    return [*table, Block(model.milestones_after)]


def _contacts(plan: Plan, model: PrintModel) -> list[Block]:
    return [Block(model.contacts_fixed + model.contacts_per_contact * len(plan.contacts), whole=True)]


def _actuals(plan: Plan, model: PrintModel) -> list[Block]:
    rows = len(plan.targets) + (1 if len(plan.targets) > 1 else 0)
    before = model.actuals_before_year + model.targets_row * rows
    return [Block(max(model.actuals_in_year, before), whole=True)]


#: The printed size of each plan macro's output, by the key the macro table gives it
#: (macrotable.MacroSpec.print_size).
ESTIMATES: dict[str, Callable[[Plan, PrintModel], list[Block]]] = {
    "targets": _targets,
    "milestones": _milestones,
    "contacts": _contacts,
    "actuals": _actuals,
}


def estimate_lines(plan: Plan | None, body: str, model: PrintModel = DEFAULT_MODEL) -> float:
    """Printed lines of the page, key facts and generated tables included, no page breaks."""
    return sum(b.lines for b in blocks(plan, body, model))


def estimate_pages(plan: Plan | None, body: str, model: PrintModel = DEFAULT_MODEL) -> int:
    """Whole A4 pages the plan will print on, never fewer than it needs."""
    return paginate(blocks(plan, body, model), model.lines_per_page)


def paginate(found: list[Block], per_page: float) -> int:
    """Lay the blocks out on pages as the print stylesheet does; the number of pages used."""
    pages, used = 1, 0.0
    for index, block in enumerate(found):
        need = block.lines if block.whole else min(block.lines, 2.0)  # orphans: 2 lines
        if block.heading and index + 1 < len(found):
            following = found[index + 1]
            need += following.lines if following.whole else min(following.lines, 2.0)
        if used > 0 and used + min(need, per_page) > per_page:
            pages, used = pages + 1, 0.0
        used += block.lines
        while used > per_page:  # text (or a block taller than a page) flows on
            pages, used = pages + 1, used - per_page
    return pages


def too_long(plan: Plan | None, body: str, max_pages: int, language: str,
             model: PrintModel = DEFAULT_MODEL) -> str | None:
    """AP201's message when the plan prints on more than `max_pages`, else None: the pages,
    the longest section, and about how many printed lines to cut from it."""
    found = blocks(plan, body, model)
    pages = paginate(found, model.lines_per_page)
    if pages <= max_pages:
        return None
    sizes: dict[str, float] = {}
    for block in found:
        if block.section:
            sizes[block.section] = sizes.get(block.section, 0.0) + block.lines
    longest = max(sizes, key=lambda title: sizes[title]) if sizes else ""
    cut = lines_to_cut(found, longest, max_pages, model.lines_per_page)
    if not longest:
        return gettext("the plan would print on about {pages} A4 pages, more than the {allowed} "
                       "allowed (generated tables included); cut about {lines} printed lines",
                       language, pages=pages, allowed=max_pages, lines=cut)
    return gettext("the plan would print on about {pages} A4 pages, more than the {allowed} "
                   "allowed (generated tables included); its longest section is '{section}' "
                   "(about {size} printed lines): cut about {lines} lines, keeping each section to "
                   "what the next quarter needs", language, pages=pages, allowed=max_pages,
                   section=longest, size=math.ceil(sizes[longest]), lines=cut)


def lines_to_cut(found: list[Block], section: str, max_pages: int, per_page: float) -> int:
    """About how many printed lines of text must go for the blocks to fit on `max_pages`:
    taken from the text of `section` first, then from any text, as the estimate lays it out."""
    order = [i for i, b in enumerate(found) if not b.whole and not b.heading and b.section == section]
    order += [i for i, b in enumerate(found) if not b.whole and not b.heading and b.section != section]
    shortened = list(found)
    cut = 0
    for index in order:
        while shortened[index].lines >= 1:
            shortened[index] = replace(shortened[index], lines=shortened[index].lines - 1)
            cut += 1
            if paginate(shortened, per_page) <= max_pages:
                return cut
    # Text alone cannot make it fit (tables kept whole): what is over the pages' lines.
    over = sum(b.lines for b in found) - max_pages * per_page
    return max(cut, math.ceil(over), 1)
