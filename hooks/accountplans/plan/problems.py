"""Problems found in plans: one problem, one line.

Every problem has a rule code, a severity, a file, a line (and column where known) and one
sentence that says what is wrong and how to fix it. The same objects are printed by
`accountplans check` and logged by the MkDocs hooks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Literal

from accountplans.i18n import N_, gettext

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Rule:
    """One rule of the checker: the one place its code, severity and texts are written.

    `summary` and `fix` are English message ids (translated where shown, see i18n.py); the
    dashboard's rules_table and the README's rule table are made from them.
    """

    code: str
    severity: Severity
    summary: str
    """What is wrong, as a phrase (the rules table's "what" column)."""
    fix: str
    """How to fix it, as a phrase (the README's "how to fix it" column)."""
    checker: str
    """The module of accountplans that finds it (where to look when changing the rule)."""
    draft_warning: bool = False
    """In a plan with `status: draft` the rule is a warning (see as_draft)."""


#: Every rule, in the order the rules table shows them. A new rule is one entry here and the
#: code that reports it with problem(path, line, col, code, message).
RULE_TABLE: tuple[Rule, ...] = (
    Rule("AP001", "error", N_("the front-matter is not a mapping"),
         N_("write the front-matter as fields, one a line, each starting with its name: "
            "`account: …`"), "plan.frontmatter"),
    Rule("AP002", "error", N_("YAML syntax error"),
         N_("look at the line and column given: indentation (spaces, not tabs), a `:` in an "
            "unquoted value, an unclosed quote or bracket"), "plan.frontmatter"),
    Rule("AP003", "error", N_("a key appears twice in one mapping"),
         N_("merge the two; YAML would silently keep only the last"), "plan.frontmatter"),
    Rule("AP004", "error", N_("a required field is missing"),
         N_("add it; the message gives an example line"), "plan.schema"),
    Rule("AP005", "error", N_("a field has the wrong type or an invalid value"),
         N_("write it as the message says: quotes for text (`NO` is read as false), digits only "
            "for amounts (not `012` or `120.000`), `YYYY-MM-DD` for dates"), "plan.schema"),
    Rule("AP006", "warning", N_("unknown field"),
         N_("fix the typo (the message says \"did you mean …\") or remove the field"), "plan.schema"),
    Rule("AP007", "error",
         N_("a field is not filled in yet (written without a value, as `new` leaves it)"),
         N_("fill it in as its comment says"), "plan.schema", draft_warning=True),
    Rule("AP101", "error", N_("a required section is missing"),
         N_("add the `## …` heading with its text; a heading close to the section's title "
            "(`## Markt positie`) is reported at that heading: fix it"), "plan.body",
         draft_warning=True),
    Rule("AP102", "error", N_("a section has a heading but no content"),
         N_("write at least a sentence, or `n.v.t.` / `n/a`"), "plan.body", draft_warning=True),
    Rule("AP103", "warning", N_("sections out of the template's order"),
         N_("move the section named to its place"), "plan.body"),
    Rule("AP104", "error", N_("the same section appears twice"), N_("merge the two"), "plan.body"),
    Rule("AP105", "error", N_("a section still holds the template's prompt (not filled in yet)"),
         N_("replace the prompt with the plan's own text"), "plan.body", draft_warning=True),
    Rule("AP201", "error", N_("the plan would print on more than max_pages A4 pages"),
         N_("shorten the section the message names by about the lines it says (tables count "
            "too)"), "plan.printsize", draft_warning=True),
    Rule("AP301", "error", N_("a milestone or reports_to names a contact that is not listed"),
         N_("add the person to `contacts` or fix the name"), "plan.schema"),
    Rule("AP302", "warning", N_("no contact is marked decision_maker"),
         N_("add `decision_maker: true` to the person who signs"), "plan.schema"),
    Rule("AP303", "warning", N_("a quarter of the plan year has no evaluation milestone"),
         N_("add a milestone with `kind: evaluation` in that quarter"), "plan.schema"),
    Rule("AP304", "error", N_("two plans have the same account"),
         N_("merge them, or give each the customer's full, distinct name"), "plan.check"),
    Rule("AP305", "error", N_("an active plan has no targets"),
         N_("add at least one product under `targets:`"), "plan.schema", draft_warning=True),
    Rule("AP306", "error", N_("an active plan has no contacts"),
         N_("add the people you deal with under `contacts:`"), "plan.schema", draft_warning=True),
    Rule("AP307", "warning", N_("a decision maker with whom no milestone is planned"),
         N_("plan a milestone `with:` them"), "plan.schema"),
    Rule("AP308", "warning",
         N_("the owner is not in the team roster (extra.accountplans.team)"),
         N_("write the roster's name (the message says \"did you mean …\"), or add the person "
            "to the roster"), "plan.schema"),
    Rule("AP309", "warning", N_("two owner names are probably one person (no team roster)"),
         N_("write the name the same way everywhere (`M. de Groot` or `Mark de Groot`), or set "
            "up the roster"), "plan.sitecheck"),
    Rule("AP401", "error", N_("template code other than a call of a known macro"),
         N_("remove it, fix the macro's name, or call it as the message shows (a team's own "
            "macro takes literal arguments only)"), "plan.body"),
    Rule("AP402", "error", N_("HTML that the site's sanitizer would remove or change"),
         N_("paste plain text (scripts, `on…=` handlers, `javascript:` links, frames, forms, "
            "styles and images from other hosts are removed); link to `https://` addresses; put "
            "images in the plans folder"), "plan.rendered"),
    Rule("AP403", "error", N_("the file is not UTF-8 text, or is larger than 1 MiB"),
         N_("save as UTF-8; link to large documents instead of pasting them; split a paragraph "
            "Markdown cannot convert in reasonable time (hundreds of `[`, `<` or `!`, quotes "
            "nested 30 deep)"), "plan.frontmatter"),
    Rule("AP404", "error",
         N_("a file the site does not publish: a symlink, an unrendered Markdown extension (.MD), "
            "a type a browser could run (.html, .svg, .js)"),
         N_("put the file itself in the folder; rename to `.md`; write the page in Markdown"),
         "plan.check"),
    Rule("AP501", "error", N_("a row of plans/actuals.csv is malformed"),
         N_("fix the row at the line given"), "compute.actualsfile"),
    Rule("AP502", "warning", N_("actuals name an account or product that no plan has"),
         N_("fix the name in the export or in the plan"), "compute.actualsfile"),
)

#: The rules by code.
RULES: dict[str, Rule] = {rule.code: rule for rule in RULE_TABLE}

#: Rules that are warnings, not errors, in a plan with `status: draft`.
DRAFT_WARNINGS = frozenset(rule.code for rule in RULE_TABLE if rule.draft_warning)

_SEVERITY_WORDS: dict[str, str] = {"error": N_("error"), "warning": N_("warning")}


def severity_word(severity: str, language: str) -> str:
    """`error` or `warning` in `language`."""
    return gettext(_SEVERITY_WORDS.get(severity, severity), language)


_RULES_HEAD = (N_("code"), N_("severity"), N_("what is wrong"), N_("how to fix it"))
_DRAFT_NOTE = N_("In a plan with `status: draft`, {codes} are warnings, and a draft's warnings "
                 "are shown but never fail `--strict`, so a plan can be written step by step and "
                 "merged as a draft.")


def rules_markdown(language: str = "en") -> str:
    """The rule table as Markdown (the README's, between its markers): code, severity (with
    `*` when a draft lowers it to a warning), what is wrong, how to fix it."""
    head = [gettext(h, language) for h in _RULES_HEAD]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for rule in RULE_TABLE:
        severity = severity_word(rule.severity, language) + ("*" if rule.draft_warning else "")
        cells = [rule.code, severity, gettext(rule.summary, language), gettext(rule.fix, language)]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    codes = [rule.code for rule in RULE_TABLE if rule.draft_warning]
    listed = gettext("{words} and {last}", language, words=", ".join(codes[:-1]), last=codes[-1])
    # The note's asterisk escaped: at the start of a line Markdown would make it a list item.
    return "\n".join(lines) + "\n\n\\* " + gettext(_DRAFT_NOTE, language, codes=listed)


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
    return Problem(path, line, col, code, RULES[code].severity, message)


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
    import json  # here: only `check --format json` writes it, and a check imports what it runs

    return json.dumps([asdict(p) for p in found], ensure_ascii=False, indent=2)
