"""AP201: how many A4 pages a plan will print on, estimated without a browser.

The whole model is here, in `PrintModel`, so it can be calibrated against real prints
(tests/test_print_calibration.py prints plans with Chromium and compares). The estimate must
err only towards "too long": it may say a plan needs one page more than it does, never that
it fits when it does not.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .body import heading, lines
from .model import Plan

_TABLE_ROW = re.compile(r"^\s*\|")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_CALL = re.compile(r"\{\{-?\s*([a-z_]+)\s*\(\s*\)\s*-?\}\}")


@dataclass(frozen=True)
class PrintModel:
    """Sizes in printed text lines of the print stylesheet's body font on an A4 page."""

    lines_per_page: float = 64.0
    """Body-text lines that fit on one A4 page inside the print margins."""
    chars_per_line: int = 105
    """Characters of body text per printed line."""
    title: float = 3.0
    """The page title (h1) with its spacing."""
    key_facts: float = 7.0
    """The key-facts block written at the top of every plan."""
    heading2: float = 2.2
    heading3: float = 1.6
    paragraph_gap: float = 0.5
    list_item_gap: float = 0.15
    table_row: float = 1.25
    code_line: float = 1.1
    # Generated content, per macro call found in the body.
    targets_fixed: float = 14.0
    """targets_table(): headings, header rows, total rows, the month chart."""
    targets_per_product: float = 3.75
    """targets_table(): one row in the quarter table and two in the month table (its two
    halves of six months); the total row counts as one more product when there are two."""
    milestones_fixed: float = 6.0
    """milestones_table(): caption, header, the evaluations line and the visits line."""
    milestones_per_row: float = 1.25
    contacts_fixed: float = 3.0
    contacts_per_contact: float = 1.3
    actuals_fixed: float = 10.0
    margin: float = 2.0
    """Added to every estimate so that rounding errs towards "too long"."""


DEFAULT_MODEL = PrintModel()


def estimate_lines(plan: Plan | None, body: str, model: PrintModel = DEFAULT_MODEL) -> float:
    """Printed lines of the body, the key facts and the generated tables."""
    total = model.title + model.margin + (model.key_facts if plan is not None else 0.0)
    in_paragraph = False
    for ln in lines(body, 1):
        text = ln.text.rstrip()
        if ln.in_code:
            total += model.code_line
            continue
        if not text.strip():
            if in_paragraph:
                total += model.paragraph_gap
            in_paragraph = False
            continue
        h = heading(text)
        if h is not None:
            total += model.heading2 if h[0] <= 2 else model.heading3
            in_paragraph = False
            continue
        for m in _CALL.finditer(text):
            total += _generated(m.group(1), plan, model)
        text = _CALL.sub("", text).strip()
        if not text:
            continue
        if _TABLE_ROW.match(text):
            if not re.fullmatch(r"[\s|:\-]+", text):
                cells = max(1, text.count("|") - 1)
                longest = max((len(c) for c in text.split("|")), default=0)
                total += model.table_row * max(1, math.ceil(longest * cells / model.chars_per_line))
            continue
        if _LIST_ITEM.match(text):
            total += model.list_item_gap
        total += max(1, math.ceil(len(text) / model.chars_per_line))
        in_paragraph = True
    return total


def _generated(name: str, plan: Plan | None, model: PrintModel) -> float:
    if plan is None:
        return 0.0
    if name == "targets_table":
        # A total row is shown only under two or more products.
        rows = len(plan.targets) + (1 if len(plan.targets) > 1 else 0)
        return model.targets_fixed + model.targets_per_product * rows
    if name == "milestones_table":
        # One row per milestone; the quarterly evaluations are one line, in milestones_fixed.
        return model.milestones_fixed + model.milestones_per_row * len(plan.milestones)
    if name == "contacts_picture":
        return model.contacts_fixed + model.contacts_per_contact * len(plan.contacts)
    if name == "actuals_table":
        return model.actuals_fixed + model.table_row * len(plan.targets)
    return 0.0


def estimate_pages(plan: Plan | None, body: str, model: PrintModel = DEFAULT_MODEL) -> int:
    """Whole A4 pages the plan will print on, never fewer than it needs."""
    return max(1, math.ceil(estimate_lines(plan, body, model) / model.lines_per_page))
