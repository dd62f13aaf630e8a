"""The built-in macros a page may call: one table, and the one grammar of a call.

Every list of macro names and every pattern that finds a call comes from here: the checker
(body.py, AP401), the fast path that fills in plain pages (htmlblocks.py), the page the
sanitizer's check converts (rendered.py), the print-size estimate (printsize.py), the
renderers (macros.py for plan pages, portfolio.py for the others) and the names a team's
macro may not take (teammacros.py). Adding a macro: one entry here, and its function (a
method of portfolio.Portfolio named as the macro, or a line of macros.plan_macros), plus a
print-size estimate in printsize.ESTIMATES when plans may call it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from accountplans.site.headings import HEADINGS

PageKind = Literal["plan", "site"]


@dataclass(frozen=True)
class MacroSpec:
    """One built-in macro."""

    name: str
    page: PageKind
    """Where it may be called: a plan's page, or the site's other pages (the dashboard...)."""
    renderer: str
    """The function that makes its output (module.function), for the reader of this table."""
    print_size: str = ""
    """The key of its estimate in printsize.ESTIMATES (a plan macro's output is printed)."""
    choices: tuple[str, ...] = ()
    """The words its one argument may be, in quotes (`heading('plans_table')`); no argument
    when empty."""


#: Every built-in macro, plan pages' first, in the order AP401's message lists them.
MACRO_TABLE: tuple[MacroSpec, ...] = (
    MacroSpec("targets_table", "plan", "site.macros.targets_table", print_size="targets"),
    MacroSpec("milestones_table", "plan", "site.macros.milestones_table", print_size="milestones"),
    MacroSpec("contacts_picture", "plan", "site.contacts.contacts_picture", print_size="contacts"),
    MacroSpec("actuals_table", "plan", "compute.actuals.actuals_table", print_size="actuals"),
    MacroSpec("portfolio_totals", "site", "site.portfolio.Portfolio.portfolio_totals"),
    MacroSpec("owner_totals", "site", "site.portfolio.Portfolio.owner_totals"),
    MacroSpec("upcoming_milestones", "site", "site.portfolio.Portfolio.upcoming_milestones"),
    MacroSpec("overdue_milestones", "site", "site.portfolio.Portfolio.overdue_milestones"),
    MacroSpec("overdue_reviews", "site", "site.portfolio.Portfolio.overdue_reviews"),
    MacroSpec("plans_with_warnings", "site", "site.portfolio.Portfolio.plans_with_warnings"),
    MacroSpec("plans_table", "site", "site.portfolio.Portfolio.plans_table"),
    MacroSpec("archived_plans", "site", "site.portfolio.Portfolio.archived_plans"),
    MacroSpec("downloads", "site", "site.portfolio.Portfolio.downloads"),
    MacroSpec("computed_on", "site", "site.portfolio.Portfolio.computed_on"),
    MacroSpec("owner_plans", "site", "site.portfolio.Portfolio.owner_plans"),
    MacroSpec("portfolio_actuals", "site", "site.portfolio.Portfolio.portfolio_actuals"),
    MacroSpec("rules_table", "site", "site.portfolio.Portfolio.rules_table"),
    MacroSpec("quarterly_views", "site", "site.portfolio.Portfolio.quarterly_views"),
    MacroSpec("headline", "site", "site.portfolio.Portfolio.headline"),
    MacroSpec("heading", "site", "site.portfolio.Portfolio.heading", choices=tuple(HEADINGS)),
)

MACROS: dict[str, MacroSpec] = {spec.name: spec for spec in MACRO_TABLE}

#: Macros a plan may call. One list for the checker and the renderer.
PLAN_MACROS = tuple(spec.name for spec in MACRO_TABLE if spec.page == "plan")
#: Macros the dashboard and the site's other pages may call.
PORTFOLIO_MACROS = tuple(spec.name for spec in MACRO_TABLE if spec.page == "site")


# --- the grammar of a call ---------------------------------------------------------------------
# `{{ name() }}`, `{{ name('word') }}` for a built-in macro with choices, and for a team's macro
# literal arguments (`{{ quote('Training', 3, flag=true) }}`): each literal alone, so that every
# call the checker accepts is one the renderer's Jinja parses into constants (no `'a' 'b'`, no
# `1_000`, no escapes in text, no trailing comma); `{{-`/`-}}` trim as in Jinja; spaces and tabs
# between the parts; on one line.

MACRO_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
"""A name a macro may be registered under (a team's: teammacros.py)."""
_CALLED = r"[A-Za-z_][A-Za-z0-9_]*"
"""What a call's head reads as a name: wider than MACRO_NAME, so `{{ _x() }}` is reported as a
call of a macro that does not exist."""
_SPACE = r"[ \t]*"
_WORD = r"""(?:'([a-z_]*)'|"([a-z_]*)")"""
"""A built-in macro's argument: a word in single or double quotes (two groups)."""

CALL_HEAD = re.compile(rf"\{{\{{-?{_SPACE}({_CALLED}){_SPACE}\({_SPACE}")
"""The start of a call, up to its first argument: `{{ name(`."""
LITERAL = (r"'[^'\\\n]*'|\"[^\"\\\n]*\"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?![0-9A-Za-z_.])"
           r"|(?:true|false|none|True|False|None)(?![A-Za-z0-9_])")
ARGUMENT = re.compile(rf"(?:({_CALLED}){_SPACE}=(?!=){_SPACE})?(?:{LITERAL}){_SPACE}(,{_SPACE})?")
"""One argument, positional or `keyword=`, and the comma after it (group 2)."""
CALL_END = re.compile(rf"\){_SPACE}-?\}}\}}")
"""The end of a call: `) }}`."""

SIMPLE_CALL = re.compile(rf"\{{\{{(-?){_SPACE}({_CALLED}){_SPACE}\({_SPACE}(?:{_WORD}{_SPACE})?\)"
                         rf"{_SPACE}(-?)\}}\}}")
"""A call of a built-in macro: no argument, or one word in quotes. Groups: the opening trim
`-`, the name, the word (in single or double quotes), the closing trim `-`."""


def simple_call_parts(match: re.Match[str]) -> tuple[str, str | None, bool]:
    """The name, the word (None without one) and whether the call trims whitespace (`{{-`)."""
    word = match.group(3) if match.group(3) is not None else match.group(4)
    return match.group(2), word, bool(match.group(1) or match.group(5))


def fits(name: str, word: str | None) -> bool:
    """Whether a simple call of the built-in macro `name` (with `word`, or none) is one the
    checker accepts: a word exactly when the macro has choices, and one of them. A name the
    table does not have (a team's macro) is judged by the checker itself: True here."""
    spec = MACROS.get(name)
    if spec is None:
        return True
    return word is None if not spec.choices else word in spec.choices
