"""`accountplans new`: a draft plan with what the author gave, the rest marked not filled in.

The draft claims nothing the author did not say: account, owner, language and year are
written; every other field is written without a value, with a comment saying what belongs
there, which the checker reports as "not filled in yet" (AP007: a warning in a draft, an
error once the plan is active). Each section holds its prompt as an HTML comment, so a
section left as it is has no text (AP102); a prompt left in as text is AP105.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from accountplans.i18n import N_, gettext
from accountplans.names import name_key, near_key
from accountplans.plan.fields import PLAN_FIELDS
from accountplans.settings import Settings

#: The prompt under each section, by section id (English message ids; see the catalogs).
PROMPTS: tuple[tuple[str, str], ...] = (
    ("organisation", N_("What does the customer do, how big is it, who are its customers?")),
    ("market", N_("Leader, runner-up, challenger, niche or start-up? Who are its competitors?")),
    ("customer-goals", N_("What does the customer want to reach in the coming year or three?")),
    ("swot", N_("Our strengths, weaknesses, opportunities and threats at this customer.")),
    ("our-goals", N_("What we want to sell, and why the customer needs it.")),
    ("timeline", N_("What must happen when: visits, the quarterly evaluations, deals.")),
)
#: Macros written under a section, after its prompt.
_MACROS = {"our-goals": "{{ targets_table() }}", "timeline": "{{ milestones_table() }}"}

#: Each field `new` leaves for the author, with the comment that says what belongs there
#: (from the field table: the fields with a `left_empty` comment, in the table's order).
_LEFT_EMPTY: tuple[tuple[str, str], ...] = tuple(
    (field.name, field.left_empty) for field in PLAN_FIELDS if field.left_empty)

def _quoted(value: str) -> str:
    """A YAML double-quoted string: safe for any name (colons, 'NO', '#')."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def section_title(titles: tuple[str, ...], language: str) -> str:
    """The title a new plan gives a section: the Dutch one (second) in Dutch, else the first."""
    return titles[1] if language == "nl" and len(titles) > 1 else titles[0]


def new_plan(account: str, owner: str, *, language: str, year: int, settings: Settings) -> str:
    """The text of a new draft plan: `accountplans check` passes it with warnings only."""
    width = max(len(name) for name, _ in _LEFT_EMPTY) + 2
    empty = "\n".join(f"{name}:{' ' * (width - len(name))}# {gettext(comment, language)}"
                      for name, comment in _LEFT_EMPTY)
    head = (f"---\naccount: {_quoted(account)}\nowner: {_quoted(owner)}\nyear: {year}\n"
            f"status: draft\nlanguage: {language}\n{empty}\n---\n")
    prompts = dict(PROMPTS)
    sections = []
    for spec in settings.sections:
        text = f"## {section_title(spec.titles, language)}\n"
        if spec.id in prompts:
            text += f"\n<!-- {gettext(prompts[spec.id], language)} -->\n"
        if spec.id in _MACROS:
            text += f"\n{_MACROS[spec.id]}\n"
        sections.append(text)
    return head + "\n" + "\n".join(sections)


@dataclass(frozen=True)
class Duplicates:
    """Plans that already exist for an account: the same one, and probable ones."""

    same: tuple[str, ...]
    near: tuple[str, ...]


def duplicates(account: str, existing: Iterable[tuple[str, str]]) -> Duplicates:
    """`existing` is (path, account) of every plan; which of them are `account`, or close."""
    same: list[str] = []
    near: list[str] = []
    wanted, probable = name_key(account), near_key(account)
    for path, other in existing:
        if name_key(other) == wanted:
            same.append(path)
        elif probable and near_key(other) == probable:
            near.append(path)
    return Duplicates(tuple(same), tuple(near))
