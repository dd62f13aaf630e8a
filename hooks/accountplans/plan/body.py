"""The Markdown body of a page: a plan's sections (AP101-AP104) and template code (AP401).

Python-Markdown keeps no source lines, so we scan the raw text, skipping fenced code. (HTML
is judged on the page it becomes, by the site's sanitizer: accountplans.plan.rendered.)
"""

from __future__ import annotations

import difflib
import functools
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from accountplans.i18n import LANGUAGES, N_, gettext
from accountplans.plan.model import Section
from accountplans.plan.newplan import PROMPTS
from accountplans.plan.problems import Problem, problem
from accountplans.settings import MacroShape, SectionSpec, Settings, normalise_title
from accountplans.site.macrotable import ARGUMENT, CALL_END, CALL_HEAD, MACRO_TABLE
from accountplans.site.macrotable import (
    PLAN_MACROS as PLAN_MACROS,  # re-exported: check and tests read them here
)
from accountplans.site.macrotable import PORTFOLIO_MACROS as PORTFOLIO_MACROS

#: The built-in macros that take an argument (the others take none), and what it may be
#: (from the macro table, accountplans.site.macrotable).
_BUILT_IN_SHAPES = {spec.name: MacroShape(spec.name, (("part", 1, False),))
                    for spec in MACRO_TABLE if spec.choices}
_BUILT_IN_CHOICES = {spec.name: spec.choices for spec in MACRO_TABLE if spec.choices}

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TEMPLATE = re.compile(r"\{\{|\{%|\{#")
_TEMPLATE_END = {"{{": "}}", "{%": "%}", "{#": "#}"}


@dataclass(frozen=True)
class Line:
    number: int
    """File line (1-based)."""
    text: str
    in_code: bool


def lines(body: str, first_line: int) -> Iterator[Line]:
    """Every body line with its file line number, marking those inside fenced code."""
    for number, text, in_code in numbered_lines(body, first_line):
        yield Line(number, text, in_code)


def numbered_lines(body: str, first_line: int) -> Iterator[tuple[int, str, bool]]:
    """`lines` as plain (number, text, in_code) tuples."""
    for number, (text, in_code) in enumerate(marked_lines(body), first_line):
        yield number, text, in_code


@functools.lru_cache(maxsize=4)
def marked_lines(body: str) -> tuple[tuple[str, bool], ...]:
    """Every body line as (text, in_code), for the checks that read every line of every plan
    (a frozen dataclass a line cost a quarter of the check's time). Made once for a body: the
    section scan and the print estimate read the same one in turn, as a tuple, not through a
    generator."""
    marked: list[tuple[str, bool]] = []
    fence: str | None = None
    for text in body.split("\n"):
        if fence is None:
            m = _FENCE.match(text) if "`" in text or "~" in text else None
            if m:
                fence = m.group(1)
            marked.append((text, m is not None))
            continue
        m = _FENCE.match(text)
        if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                and not text.strip()[len(m.group(1)):].strip():
            fence = None
        marked.append((text, True))
    return tuple(marked)


def heading(text: str) -> tuple[int, str] | None:
    """(level, title) of an ATX heading, without trailing #'s or an attribute list.

    Parsed by hand, not by one regex: a heading line of a few thousand spaces made the
    regex backtrack for minutes.
    """
    rest = text.lstrip(" ")
    if len(text) - len(rest) > 3 or not rest.startswith("#"):
        return None
    level = len(rest) - len(rest.lstrip("#"))
    rest = rest[level:]
    if level > 6 or (rest and rest[0] not in " \t"):
        return None
    title = rest.strip(" \t")
    closing = title.rstrip("#")
    if closing != title and (not closing or closing[-1] in " \t"):  # "## Title ##"
        title = closing.rstrip(" \t")
    return level, _without_attr_list(title).strip()


def _without_attr_list(title: str) -> str:
    """`Organisation {#org}` -> `Organisation`: the attr_list extension's `{...}` at the end."""
    title = title.rstrip()
    if not title.endswith("}"):
        return title
    opening = title.find("{", title.rfind("}", 0, len(title) - 1) + 1)
    return title[:opening] if opening >= 0 else title


def find_sections(path: str, body: str, first_line: int,
                  settings: Settings) -> tuple[tuple[Section, ...], list[Problem]]:
    """The plan's parts in the order written, with AP101-AP104."""
    found: list[Problem] = []
    headings: list[tuple[int, int, str]] = []  # (line, level, title)
    content_after: dict[int, bool] = {}
    prompt_at: dict[int, int] = {}  # heading line -> line of a template prompt left under it
    prompts = template_prompts()
    section_for = _section_index(settings.sections).get
    current: int | None = None
    for number, (text, in_code) in enumerate(marked_lines(body), first_line):
        # A heading has '#' within its first four characters: only those lines are parsed.
        h = None if in_code or "#" not in text[:4] else heading(text)
        if h is not None and h[0] <= 2:
            headings.append((number, h[0], h[1]))
            current = number
            content_after[current] = False
            continue
        if current is not None and (stripped := text.strip()) and not (
                stripped.startswith("<!--") and stripped.endswith("-->")):  # a comment is no text
            content_after[current] = True
            if not in_code and stripped in prompts:
                prompt_at.setdefault(current, number)

    sections: list[Section] = []
    first_seen: dict[str, Section] = {}
    for line, level, title in headings:
        if level != 2:
            continue
        spec = section_for(normalise_title(title))
        if spec is None:
            continue
        # Interned: every plan has the same few titles, and a build keeps all its plans.
        section = Section(spec.id, sys.intern(title), line, content_after[line])
        if spec.id in first_seen:
            found.append(problem(path, line, 1, "AP104", gettext(
                "the section '{title}' appears twice (first on line {line}); merge the two into one",
                settings.language, title=title, line=first_seen[spec.id].line)))
            continue
        first_seen[spec.id] = section
        sections.append(section)
        if line in prompt_at:
            found.append(problem(path, prompt_at[line], 1, "AP105", gettext(
                "the section '{title}' still holds the template's prompt, so it is not filled in "
                "yet; replace the prompt with the plan's own text", settings.language, title=title)))
        if not section.has_content:
            found.append(problem(path, line, 1, "AP102", gettext(
                "the section '{title}' is not filled in yet: it has a heading but no text; write "
                "at least a sentence under it, or 'n.v.t.' / 'n/a' if it does not apply",
                settings.language, title=title)))

    order = [spec.id for spec in settings.sections]
    in_order = _longest_ordered(sections, order)
    for section in sections if len(in_order) < len(sections) else ():
        if section not in in_order:
            found.append(problem(path, section.line, 1, "AP103", gettext(
                "the section '{title}' is out of the template's order ({order}); move it to its "
                "place in that order", settings.language, title=section.title, order=_titles(settings))))

    end_line = first_line + body.rstrip().count("\n")  # the last line with text: add it below
    unmatched = [(line, title) for line, level, title in headings
                 if level == 2 and section_for(normalise_title(title)) is None]
    for spec in settings.sections:
        if spec.required and spec.id not in first_seen:
            near = _near_heading(spec.titles, unmatched)
            if near is not None:
                unmatched.remove(near[:2])
                found.append(problem(path, near[0], 1, "AP101", gettext(
                    "the heading '{heading}' is not a section of the plan, and the required "
                    "section '{title}' is missing; did you mean {title}? Write the heading "
                    "as '## {title}'", settings.language, heading=near[1], title=near[2])))
                continue
            found.append(problem(path, end_line, 1, "AP101", gettext(
                "the required section '{title}' is missing; add a heading '## {title}' (or "
                "'## {dutch}') with its text", settings.language, title=spec.titles[0],
                dutch=_dutch(spec.titles))))
    return tuple(sections), found


@functools.cache
def template_prompts() -> frozenset[str]:
    """The prompts `accountplans new` writes under each heading, in every language, as a
    line of text (with or without the comment marks around them)."""
    shown = set()
    for _, prompt in PROMPTS:
        for language in LANGUAGES:
            text = gettext(prompt, language)
            shown.update({text, f"<!-- {text} -->"})
    return frozenset(shown)


def _near_heading(titles: tuple[str, ...],
                  unmatched: list[tuple[int, str]]) -> tuple[int, str, str] | None:
    """The first unmatched heading close to one of `titles` (a typo, a space too many):
    (line, heading, the title it is close to)."""
    def squeezed(title: str) -> str:
        return normalise_title(title).replace(" ", "").replace("-", "")

    for line, written in unmatched:
        score, title = max((difflib.SequenceMatcher(None, squeezed(written), squeezed(t)).ratio(), t)
                           for t in titles)
        if score >= 0.8:
            return line, written, title
    return None


def _longest_ordered(sections: list[Section], order: list[str]) -> set[Section]:
    """The most sections that are already in the template's order; the rest are moved.

    Reporting only the others names the one section that was put in the wrong place,
    not every section after it.
    """
    ranks = [order.index(s.id) for s in sections]
    if ranks == sorted(set(ranks)):  # in order, each once: as most plans are
        return set(sections)
    best: list[list[int]] = []  # best[i]: the longest ordered run ending at sections[i]
    for i, rank in enumerate(ranks):
        before = [best[j] for j in range(i) if ranks[j] < rank]
        best.append([*max(before, key=len, default=[]), i])
    keep = max(best, key=len, default=[])
    return {sections[i] for i in keep}


def _titles(settings: Settings) -> str:
    return " → ".join(spec.titles[0] for spec in settings.sections)


def _dutch(titles: tuple[str, ...]) -> str:
    return titles[1] if len(titles) > 1 else titles[0]


_indexes: dict[int, tuple[tuple[SectionSpec, ...], dict[str, SectionSpec]]] = {}


def _section_index(sections: tuple[SectionSpec, ...]) -> dict[str, SectionSpec]:
    """Normalised title -> the first of `sections` with that title: Settings.section_for as
    one lookup (it compares a heading with every title of every section). Made once per
    tuple of sections (kept by identity, with the tuple, so an id is never reused)."""
    kept = _indexes.get(id(sections))
    if kept is None or kept[0] is not sections:
        index: dict[str, SectionSpec] = {}
        for spec in sections:
            for title in spec.titles:
                index.setdefault(normalise_title(title), spec)
        if len(_indexes) > 8:
            _indexes.clear()
        kept = _indexes[id(sections)] = (sections, index)
    return kept[1]


def check_templates(path: str, body: str, first_line: int,
                    allowed: tuple[str, ...] = PLAN_MACROS,
                    team: Sequence[MacroShape] = (), language: str = "en") -> list[Problem]:
    """AP401: anything in `{{ }}`, `{% %}` or `{# #}` other than a call of a macro: one of
    `allowed` (built in, no arguments) or of `team` (the team's, with literal arguments that
    fit its parameters). The renderer (hooks/plan_macros.py) refuses what this refuses.

    Fenced code is scanned too: the renderer would run template code found there.
    """
    if "{" not in body:
        return []
    shapes = _shapes(allowed, tuple(team))
    found: list[Problem] = []
    # Every line, fenced code too (so not numbered_lines, which tells code apart).
    for number, text in enumerate(body.split("\n"), first_line):
        if "{" not in text:
            continue
        pos = 0
        while (m := _TEMPLATE.search(text, pos)) is not None:
            start = m.start()
            head = _CALL_HEAD.match(text, start)
            call = _call(text, head) if head is not None else None
            shape = shapes.get(head.group(1)) if head is not None else None
            fits = call is not None and call.closed and shape is not None and _fits(shape, call)
            end = text.find(_TEMPLATE_END[m.group(0)], start + 2)
            snippet = text[start: end + 2 if end >= 0 else start + 30].strip()
            if fits and call is not None and head is not None:
                wrong = _wrong_choice(head.group(1), text[head.end():call.end], snippet, language)
                if wrong is None:
                    pos = call.end
                    continue
                msg = wrong
            elif head is not None and shape is not None and (call is None or call.closed):
                msg = gettext(_NOT_FITTING if call is not None else _NOT_LITERAL, language,
                              snippet=snippet, call=f"{{{{ {shape.shown()} }}}}")
            elif head is not None and shape is None:
                close = [n for n in shapes if _similar(n, head.group(1))]
                msg = gettext("'{name}' is not a known macro; did you mean {call}?", language,
                              name=head.group(1), call=f"{{{{ {shapes[close[0]].shown()} }}}}") \
                    if close else gettext("'{name}' is not a known macro; plans can call: {known}",
                                          language, name=head.group(1), known=_known(shapes))
            elif m.group(0) == "{#":
                msg = gettext("'{snippet}' starts a template comment; if it is a heading id, "
                              "remove it, else write '{{ #' with a space", language, snippet=snippet)
            else:
                msg = gettext("template code '{snippet}' is not allowed in a plan; plans can only "
                              "call {known}. Remove it or write it without the braces", language,
                              snippet=snippet, known=_known(shapes))
            found.append(problem(path, number, start + 1, "AP401", msg))
            pos = end + 2 if end >= 0 else len(text)
    return found


#: The AP401 sentences about a macro's arguments.
_NOT_FITTING = N_("'{snippet}' does not fit the macro's arguments; call it as {call}")
_NOT_LITERAL = N_("'{snippet}' passes the macro something other than literal values; a macro "
                  "takes text in quotes (without a backslash), whole or decimal numbers, true, "
                  "false or none, e.g. {call}")
_QUOTED = re.compile(r"""['"]([^'"]*)['"]""")


def _wrong_choice(name: str, arguments: str, snippet: str, language: str) -> str | None:
    """AP401's sentence when a built-in macro's argument is none of the ones it knows
    (`heading('plan_table')`), else None."""
    choices = _BUILT_IN_CHOICES.get(name)
    if choices is None:
        return None
    given = _QUOTED.search(arguments)
    value = given.group(1) if given is not None else arguments.strip(" ,)}")
    if value in choices:
        return None
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    if close:
        return gettext("'{snippet}' names no part that {name}() knows; did you mean {call}?",
                       language, snippet=snippet, name=name, call=f"{{{{ {name}('{close[0]}') }}}}")
    return gettext("'{snippet}' names no part that {name}() knows; write one of: {choices}",
                   language, snippet=snippet, name=name, choices=", ".join(choices))

# The grammar of a call is the macro table's (accountplans.site.macrotable): `{{ name(` then
# literal arguments, each alone, then `) }}` on the same line.
_CALL_HEAD, _ARGUMENT, _CALL_END = CALL_HEAD, ARGUMENT, CALL_END


@dataclass(frozen=True)
class _Call:
    end: int
    positional: int
    keywords: tuple[str, ...]
    closed: bool
    """Whether `) }}` ends it (else it is followed by a filter, an operator...)."""


def _call(text: str, head: re.Match[str]) -> _Call | None:
    """The call that `head` starts, if its arguments are literals; else None."""
    pos, positional = head.end(), 0
    keywords: list[str] = []
    more = text[pos:pos + 1] != ")"
    while more:
        argument = _ARGUMENT.match(text, pos)
        if argument is None or (keywords and argument.group(1) is None):
            return None
        if argument.group(1) is None:
            positional += 1
        else:
            keywords.append(argument.group(1))
        pos, more = argument.end(), argument.group(2) is not None
    end = _CALL_END.match(text, pos)
    return _Call(end.end() if end is not None else pos, positional, tuple(keywords), end is not None)


@functools.cache
def _shapes(allowed: tuple[str, ...], team: tuple[MacroShape, ...]) -> dict[str, MacroShape]:
    """Every macro a page may call, by name (the same few sets for every file)."""
    return {name: _BUILT_IN_SHAPES.get(name) or MacroShape(name) for name in allowed} \
        | {shape.name: shape for shape in team}


def _fits(shape: MacroShape, call: _Call) -> bool:
    if not shape.parameters:  # every built-in macro: no signature to build
        return not (call.positional or call.keywords)
    return len(set(call.keywords)) == len(call.keywords) and shape.accepts(call.positional,
                                                                           call.keywords)


def _known(shapes: dict[str, MacroShape]) -> str:
    return ", ".join(f"{{{{ {shape.shown()} }}}}" for shape in shapes.values())


def _similar(a: str, b: str) -> bool:
    import difflib

    return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.6
