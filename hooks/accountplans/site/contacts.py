"""The relationship picture: who reports to whom, who decides, who is for or against us.

Plain HTML (nested lists and words, no colour-only meaning), so it reads the same on screen,
in print and to a screen reader. Every name and role is text, escaped as it meets the markup
(accountplans.site.markup).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from accountplans import fmt
from accountplans.names import name_key
from accountplans.plan.model import Contact
from accountplans.site.markup import Html, escape


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
    by_name = {name_key(c.name): c for c in contacts}
    children: dict[str, list[Contact]] = {}
    roots: list[Contact] = []
    for c in contacts:
        boss = name_key(c.reports_to) if c.reports_to else None
        if boss is None or boss not in by_name or boss == name_key(c.name) or _in_circle(c, by_name):
            roots.append(c)
        else:
            children.setdefault(boss, []).append(c)
    seen: set[str] = set()

    def grow(c: Contact) -> Node:
        seen.add(name_key(c.name))
        below = [k for k in children.get(name_key(c.name), []) if name_key(k.name) not in seen]
        return Node(c, tuple(grow(k) for k in below))

    return tuple(grow(c) for c in roots if name_key(c.name) not in seen)


def _in_circle(contact: Contact, by_name: dict[str, Contact]) -> bool:
    """True when following `reports_to` from `contact` comes back to `contact` itself."""
    me = name_key(contact.name)
    met: set[str] = set()
    current = contact
    while current.reports_to:
        boss = name_key(current.reports_to)
        if boss == me:
            return True
        if boss not in by_name or boss in met:  # the chain ends, or circles without us
            return False
        met.add(boss)
        current = by_name[boss]
    return False


def contacts_picture(contacts: Sequence[Contact], language: str) -> Html:
    """The reporting tree with each contact's role, decision power, attitude and influence,
    then one line naming the deciders, champions and critics."""
    lang = language
    if not contacts:
        return Html('<p class="accountplans-note">{}</p>').format(fmt.label("no_contacts", lang))
    tree = Html(" ").join(_item(node, lang) for node in org_tree(contacts))
    summary = []
    for key, chosen in (
        ("summary_decides", [c for c in contacts if c.decision_maker]),
        ("summary_champions", [c for c in contacts if c.attitude == "champion"]),
        ("summary_critics", [c for c in contacts if c.attitude == "critic"]),
    ):
        names = Html(", ").join(c.name for c in chosen) or escape(fmt.label("none", lang))
        summary.append(Html("<strong>{}:</strong> {}").format(fmt.label(key, lang), names))
    return Html('<div class="accountplans-contacts" role="group" aria-label="{title}">'
                '<ul class="accountplans-tree">{tree}</ul>'
                '<p class="accountplans-note">{summary}</p></div>').format(
        title=fmt.label("contacts", lang), tree=tree, summary=Html(" · ").join(summary))


def _item(node: Node, lang: str) -> Html:
    c = node.contact
    words = []
    if c.decision_maker:
        words.append(Html('<strong class="accountplans-decides">{}</strong>').format(
            fmt.label("decides", lang)))
    if c.attitude:
        words.append(Html('<span class="accountplans-attitude accountplans-{}">{}</span>').format(
            c.attitude, fmt.value(c.attitude, lang)))
    if c.influence:
        words.append(escape(fmt.label("influence", lang, level=fmt.value(c.influence, lang))))
    role = Html(", {}").format(c.role) if c.role else Html()
    details = Html(" — {}").format(Html(" · ").join(words)) if words else Html()
    below = Html("<ul>{}</ul>").format(Html(" ").join(_item(n, lang) for n in node.reports)) \
        if node.reports else Html()
    return Html("<li><strong>{}</strong>{}{}{}</li>").format(c.name, role, details, below)
