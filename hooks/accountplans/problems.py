"""Problems found in plans: one problem, one line.

Every problem has a rule code, a severity, a file, a line (and column where known) and one
sentence that says what is wrong and how to fix it. The same objects are printed by
`accountplans check` and logged by the MkDocs hooks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Literal

Severity = Literal["error", "warning"]

#: Every rule of DESIGN.md: code -> (default severity, what it is about).
RULES: dict[str, tuple[Severity, str]] = {
    "AP001": ("error", "the front-matter is not a mapping"),
    "AP002": ("error", "YAML syntax error"),
    "AP003": ("error", "a key appears twice in one mapping"),
    "AP004": ("error", "a required field is missing"),
    "AP005": ("error", "a field has the wrong type or an invalid value"),
    "AP006": ("warning", "unknown field"),
    "AP007": ("error", "a field is not filled in yet (written without a value, as `new` leaves it)"),
    "AP101": ("error", "a required section is missing"),
    "AP102": ("error", "a section has a heading but no content"),
    "AP103": ("warning", "sections out of the template's order"),
    "AP104": ("error", "the same section appears twice"),
    "AP105": ("error", "a section still holds the template's prompt (not filled in yet)"),
    "AP201": ("error", "the plan would print on more than max_pages A4 pages"),
    "AP301": ("error", "a milestone or reports_to names a contact that is not listed"),
    "AP302": ("warning", "no contact is marked decision_maker"),
    "AP303": ("warning", "a quarter of the plan year has no evaluation milestone"),
    "AP304": ("error", "two plans have the same account"),
    "AP305": ("error", "an active plan has no targets"),
    "AP306": ("error", "an active plan has no contacts"),
    "AP307": ("warning", "a decision maker with whom no milestone is planned"),
    "AP308": ("warning", "the owner is not in the team roster (extra.accountplans.team)"),
    "AP309": ("warning", "two owner names are probably one person (no team roster)"),
    "AP401": ("error", "template code other than a call of a known macro"),
    "AP402": ("error", "HTML that the site's sanitizer would remove or change"),
    "AP403": ("error", "the file is not UTF-8 text, or is larger than 1 MiB"),
    "AP404": ("error", "a file the site does not publish: a symlink, an unrendered Markdown "
                       "extension (.MD), a type a browser could run (.html, .svg, .js)"),
    "AP501": ("error", "a row of plans/actuals.csv is malformed"),
    "AP502": ("warning", "actuals name an account or product that no plan has"),
}

#: Rules that are warnings, not errors, in a plan with `status: draft`.
DRAFT_WARNINGS = frozenset({"AP007", "AP101", "AP102", "AP105", "AP201", "AP305", "AP306"})


@dataclass(frozen=True, order=True)
class Problem:
    """One problem at one place. `line`/`col` are 1-based; 0 means "no place"."""

    path: str
    line: int
    col: int
    code: str
    severity: Severity
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def location(self) -> str:
        """`path:line:col`, leaving out what is not known."""
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        return where

    def __post_init__(self) -> None:
        # File names and quoted values come from authors: a newline in a file name would
        # forge a problem line (or a `::notice` workflow command in a CI log) of its own.
        object.__setattr__(self, "path", printable(self.path))
        object.__setattr__(self, "message", printable(self.message))

    def __str__(self) -> str:
        return f"{self.location()}: {self.code} {self.severity}: {self.message}"


# Control characters, line and paragraph separators, and the bidirectional overrides that
# make a terminal show text in another order than it is.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every control character written as an escape (`\\x0a`, `\\u202e`)."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x100
                            else f"\\u{ord(m.group(0)):04x}", text)


MAX_MESSAGE = 400
"""Longer messages lose their middle (a quoted value); the fix at the end is kept."""


def problem(path: str, line: int, col: int, code: str, message: str) -> Problem:
    """A problem with the rule's default severity, its message made one short line.

    Messages quote what the author typed, which may span lines (a YAML block scalar) or be
    very long (a pasted document as a field name).
    """
    message = printable(" ".join(message.split()))  # escaped first: the limit holds after
    if len(message) > MAX_MESSAGE:
        message = f"{message[: MAX_MESSAGE // 2]} … {message[-MAX_MESSAGE // 2 :]}"
    return Problem(path, line, col, code, RULES[code][0], message)


def as_draft(found: Iterable[Problem]) -> list[Problem]:
    """Lower the rules that a draft may break to warnings."""
    return [replace(p, severity="warning") if p.code in DRAFT_WARNINGS else p for p in found]


def count_errors(found: Iterable[Problem]) -> int:
    return sum(1 for p in found if p.is_error)


def _github_escape(text: str, *, property_value: bool = False) -> str:
    # Workflow commands need %, CR and LF escaped; property values also : and ,
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(p: Problem) -> str:
    """A GitHub Actions workflow annotation (`::error file=...,line=...::message`)."""
    props = [f"file={_github_escape(p.path, property_value=True)}"]
    if p.line:
        props.append(f"line={p.line}")
        if p.col:
            props.append(f"col={p.col}")
    props.append(f"title={p.code}")
    return f"::{p.severity} {','.join(props)}::{_github_escape(f'{p.code} {p.message}')}"


def format_json(found: Iterable[Problem]) -> str:
    """A JSON list of objects, one per problem, in the order given."""
    return json.dumps([asdict(p) for p in found], ensure_ascii=False, indent=2)
