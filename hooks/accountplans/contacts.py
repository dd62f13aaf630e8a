"""The relationship picture: who reports to whom, who decides, who is for or against us.

Plain HTML (nested lists and words, no colour-only meaning), so it reads the same on screen,
in print and to a screen reader. Every name and role is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from . import fmt
from .model import Contact


@dataclass(frozen=True)
class Node:
    """A contact with the contacts who report to them."""

    contact: Contact
    reports: tuple[Node, ...]


def org_tree(contacts: Sequence[Contact]) -> tuple[Node, ...]:
    """The reporting lines as a forest, in the order contacts are listed.

    A contact is a root when they report to nobody, to someone not listed, or when their
    chain of `reports_to` runs in a circle (each contact appears exactly once).
    """
    by_name = {c.name.casefold(): c for c in contacts}
    children: dict[str, list[Contact]] = {}
    roots: list[Contact] = []
    for c in contacts:
        boss = c.reports_to.casefold() if c.reports_to else None
        if boss is None or boss not in by_name or boss == c.name.casefold() or _in_circle(c, by_name):
            roots.append(c)
        else:
            children.setdefault(boss, []).append(c)
    seen: set[str] = set()

    def grow(c: Contact) -> Node:
        seen.add(c.name.casefold())
        below = [k for k in children.get(c.name.casefold(), []) if k.name.casefold() not in seen]
        return Node(c, tuple(grow(k) for k in below))

    return tuple(grow(c) for c in roots if c.name.casefold() not in seen)


def _in_circle(contact: Contact, by_name: dict[str, Contact]) -> bool:
    """True when following `reports_to` from `contact` comes back to `contact` itself."""
    me = contact.name.casefold()
    met: set[str] = set()
    current = contact
    while current.reports_to:
        boss = current.reports_to.casefold()
        if boss == me:
            return True
        if boss not in by_name or boss in met:  # the chain ends, or circles without us
            return False
        met.add(boss)
        current = by_name[boss]
    return False


def contacts_picture(contacts: Sequence[Contact], language: str) -> str:
    """The reporting tree with each contact's role, decision power, attitude and influence,
    then one line naming the deciders, champions and critics."""
    lang = language
    if not contacts:
        return f'<p class="accountplans-note">{escape(fmt.label("no_contacts", lang))}</p>'
    tree = " ".join(_item(node, lang) for node in org_tree(contacts))
    summary = []
    for key, chosen in (
        ("summary_decides", [c for c in contacts if c.decision_maker]),
        ("summary_champions", [c for c in contacts if c.attitude == "champion"]),
        ("summary_critics", [c for c in contacts if c.attitude == "critic"]),
    ):
        names = ", ".join(escape(c.name) for c in chosen) or escape(fmt.label("none", lang))
        summary.append(f"<strong>{escape(fmt.label(key, lang))}:</strong> {names}")
    title = fmt.label("contacts", lang)
    return (f'<div class="accountplans-contacts" role="group" aria-label="{escape(title)}">'
            f'<ul class="accountplans-tree">{tree}</ul>'
            f'<p class="accountplans-note">{" · ".join(summary)}</p></div>')


def _item(node: Node, lang: str) -> str:
    c = node.contact
    words = []
    if c.decision_maker:
        words.append(f'<strong class="accountplans-decides">{escape(fmt.label("decides", lang))}</strong>')
    if c.attitude:
        words.append(f'<span class="accountplans-attitude accountplans-{escape(c.attitude)}">'
                     f"{escape(fmt.value(c.attitude, lang))}</span>")
    if c.influence:
        words.append(escape(fmt.label("influence", lang, level=fmt.value(c.influence, lang))))
    role = f", {escape(c.role)}" if c.role else ""
    details = f" — {' · '.join(words)}" if words else ""
    below = f'<ul>{" ".join(_item(n, lang) for n in node.reports)}</ul>' if node.reports else ""
    return f"<li><strong>{escape(c.name)}</strong>{role}{details}{below}</li>"
