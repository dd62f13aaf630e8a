"""AP402, decided on the rendered page: a page's Markdown converted with the site's own
Markdown extensions, then put through the site's sanitizer (`accountplans.plan.sanitize`).

`accountplans check` and the build call the same `unsafe_html`, so both report the same
problems at the same lines. The build also sanitizes the HTML it really publishes
(`sanitize.clean`), so what a reader gets never depends on this check being right.

Macro calls are left out before converting: what they write is the site's own HTML, made
with every value escaped, and checked by the tests through the same sanitizer.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown
import yaml

from accountplans.i18n import gettext
from accountplans.plan.problems import Problem, problem
from accountplans.plan.sanitize import Finding, removed
from accountplans.settings import construct_plain
from accountplans.site.macrotable import SIMPLE_CALL

__all__ = ["DEFAULT_MARKDOWN", "MarkdownSetup", "load_markdown_setup", "markdown_setup", "may_hold_html",
           "too_costly", "unsafe_html"]

# MkDocs' own defaults, always on (mkdocs/config/defaults.py, markdown_extensions).
_MKDOCS_BUILTIN = ("toc", "tables", "fenced_code")

# Extensions whose every piece of HTML comes from Markdown syntax that needs one of
# `_SYNTAX` in the text (raw HTML `<`, links, images and references `[`, attribute lists `{`)
# or a character reference (`&` then `#` or a letter). A page without those, under these
# extensions only, cannot produce a tag or attribute outside the allowlist: it need not be
# converted to be checked.
_PLAIN_SAFE_EXTENSIONS = frozenset({
    "toc", "tables", "fenced_code", "admonition", "attr_list", "def_list", "footnotes", "abbr",
    "sane_lists", "smarty", "nl2br", "md_in_html", "meta", "legacy_attrs", "legacy_em",
    "wikilinks",
})
_SYNTAX = ("<", "[", "{")
_CHARACTER_REFERENCE = re.compile(r"&[#A-Za-z]")
"""An '&' that can start an entity (`&lt;`, `&#106;`); `Vos & Zn.` is text, whatever follows."""
# What the template renderer leaves out of the page: macro calls (replaced by the site's own
# HTML) and the `{% raw %}` / `{% endraw %}` markers (their text stays).
_TEMPLATE_ONLY = re.compile(SIMPLE_CALL.pattern + r"|\{%-? *(?:end)?raw *-?%\}")

MAX_FINDINGS = 20
"""Findings located per file; a pasted page of hostile HTML stops there."""

# Python-Markdown's inline patterns take time that grows with the square or the cube of the
# number of '[', '<' and '!' in one paragraph (10,000 '[' on a line: a minute; a million: a
# day), and its block quotes recurse once per '>'. A page past these limits is not converted
# (by check or by MkDocs): AP403, with the paragraph's line. A two-page plan never comes near.
MAX_INLINE_MARKS = 400
"""'[', '<' or '!' in one paragraph (a table is one paragraph)."""
MAX_QUOTE_DEPTH = 30
"""'>' at the start of a line."""
MAX_AMPERSANDS = 20_000
"""'&' in a page: each that starts no entity costs the sanitizer's parser ~10 µs."""
MAX_TAGS = 5_000
"""'<' in a page: Markdown and the sanitizer take ~30 µs for each tag (a 1 MiB page of tags:
several seconds); a plan that prints on two pages has a few dozen."""


@dataclass(frozen=True, eq=False)
class MarkdownSetup:
    """The site's Markdown extensions (names as in mkdocs.yml) and their settings."""

    extensions: tuple[str, ...] = _MKDOCS_BUILTIN
    configs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def plain_is_safe(self) -> bool:
        return all(_short_name(name) in _PLAIN_SAFE_EXTENSIONS for name in self.extensions)

    def converter(self) -> markdown.Markdown:
        configs = {k: dict(v) for k, v in self.configs.items()}
        return markdown.Markdown(extensions=[_extension(name, configs.get(name, {}))
                                             for name in self.extensions],
                                 extension_configs=configs)


#: Python-Markdown's own extensions, by the names its entry points give them. Given by name,
#: Markdown looks the name up among every installed package's entry points first, which reads
#: every package's metadata: a tenth of a second or more, once per process, and `accountplans
#: check` builds one converter per run. These are made from their classes instead (as that
#: look-up would make them, unless another package registered the same name); any other name
#: is left to Markdown.
_MARKDOWN_OWN = {
    "abbr": "abbr:AbbrExtension", "admonition": "admonition:AdmonitionExtension",
    "attr_list": "attr_list:AttrListExtension", "codehilite": "codehilite:CodeHiliteExtension",
    "def_list": "def_list:DefListExtension", "extra": "extra:ExtraExtension",
    "fenced_code": "fenced_code:FencedCodeExtension", "footnotes": "footnotes:FootnoteExtension",
    "legacy_attrs": "legacy_attrs:LegacyAttrExtension", "legacy_em": "legacy_em:LegacyEmExtension",
    "md_in_html": "md_in_html:MarkdownInHtmlExtension", "meta": "meta:MetaExtension",
    "nl2br": "nl2br:Nl2BrExtension", "sane_lists": "sane_lists:SaneListExtension",
    "smarty": "smarty:SmartyExtension", "tables": "tables:TableExtension",
    "toc": "toc:TocExtension", "wikilinks": "wikilinks:WikiLinkExtension",
}


def _extension(name: str, config: Mapping[str, Any]) -> Any:
    """The extension `name` with its settings, made from its class when it is one of
    Python-Markdown's own; else the name, for Markdown to find."""
    target = _MARKDOWN_OWN.get(name)
    if target is None:
        return name
    module, cls = target.split(":")
    return getattr(importlib.import_module(f"markdown.extensions.{module}"), cls)(**config)


DEFAULT_MARKDOWN = MarkdownSetup()


def _short_name(name: str) -> str:
    return name.removeprefix("markdown.extensions.")


def markdown_setup(raw: Any) -> MarkdownSetup:
    """The `markdown_extensions` of mkdocs.yml, read as MkDocs reads them: a list of names,
    each alone or as a one-key mapping to its settings; MkDocs' own three always come first."""
    names: list[str] = list(_MKDOCS_BUILTIN)
    configs: dict[str, Mapping[str, Any]] = {}
    for item in raw or []:
        if isinstance(item, str):
            name, config = item, None
        elif isinstance(item, dict) and len(item) == 1:
            name, config = next(iter(item.items()))
        else:
            raise ValueError(f"markdown_extensions: '{item}' is not an extension name")
        if name not in names:
            names.append(str(name))
        if isinstance(config, dict):
            configs[str(name)] = config
    return MarkdownSetup(tuple(names), configs)


class _MkDocsYamlLoader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it: `!!python/name:` resolved (extension settings such as
    pymdownx.emoji's index), `!ENV` and other tags read as their plain value."""


def _python_name(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    module, _, attribute = suffix.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


_MkDocsYamlLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)
_MkDocsYamlLoader.add_multi_constructor("!", construct_plain)


def load_markdown_setup(config_file: Path) -> MarkdownSetup:
    """The Markdown setup of a site's mkdocs.yml, without MkDocs."""
    with config_file.open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_MkDocsYamlLoader) or {}  # noqa: S506 - a SafeLoader
    return markdown_setup(data.get("markdown_extensions") if isinstance(data, dict) else None)


def too_costly(path: str, body: str, first_line: int, language: str = "en") -> Problem | None:
    """AP403 when Markdown could not convert the body in reasonable time (see the limits
    above), at the first paragraph past them; else None. Linear in the body."""
    for mark, limit in (("&", MAX_AMPERSANDS), ("<", MAX_TAGS)):
        if body.count(mark) > limit:
            return problem(path, first_line, 0, "AP403", gettext(
                "the page holds more than {limit} '{mark}', more than a plan needs and more "
                "than the site can check in reasonable time; remove the pasted markup",
                language, limit=limit, mark=mark))
    if (body.count("[") + body.count("<") + body.count("!") <= MAX_INLINE_MARKS
            and body.count(">") <= MAX_QUOTE_DEPTH):
        return None  # no paragraph, nor line, can hold more than the whole page does
    marks = 0
    start = 0
    for index, line in enumerate(body.split("\n")):
        if not line.strip():
            marks, start = 0, index + 1
            continue
        marks += line.count("[") + line.count("<") + line.count("!")
        if marks > MAX_INLINE_MARKS:
            return problem(path, first_line + start, 0, "AP403", gettext(
                "this paragraph holds more than {limit} of the marks '[', '<' and '!', which "
                "Markdown cannot convert in reasonable time; split it into paragraphs or "
                "remove the pasted markup", language, limit=MAX_INLINE_MARKS))
        stripped = line.lstrip(" ")
        if stripped.startswith(">") and _quote_depth(stripped) > MAX_QUOTE_DEPTH:
            return problem(path, first_line + index, 0, "AP403", gettext(
                "this line opens more than {limit} quotes ('>'), which Markdown cannot convert; "
                "remove the extra '>'", language, limit=MAX_QUOTE_DEPTH))
    return None


def _quote_depth(line: str) -> int:
    depth = 0
    for char in line:
        if char == ">":
            depth += 1
        elif char != " ":
            break
    return depth


def may_hold_html(body: str, setup: MarkdownSetup) -> bool:
    """False when the body cannot become HTML outside the allowlist (see _SYNTAX)."""
    if not setup.plain_is_safe:
        return True
    text = _TEMPLATE_ONLY.sub("", body) if "{" in body else body
    return any(c in text for c in _SYNTAX) or (
        "&" in text and _CHARACTER_REFERENCE.search(text) is not None)


class _Renderer:
    def __init__(self, setup: MarkdownSetup) -> None:
        self.md = setup.converter()

    def html(self, lines: Sequence[str]) -> str:
        self.md.reset()
        return str(self.md.convert("\n".join(_TEMPLATE_ONLY.sub("", line) if "{" in line else line
                                             for line in lines)))


_renderers: dict[str, _Renderer] = {}


def _renderer(setup: MarkdownSetup) -> _Renderer:
    # One converter per setup: building one loads every extension (about 2 ms).
    key = repr((setup.extensions, sorted(setup.configs.items())))
    if key not in _renderers:
        _renderers.clear()
        _renderers[key] = _Renderer(setup)
    return _renderers[key]


def unsafe_html(path: str, body: str, first_line: int,
                setup: MarkdownSetup = DEFAULT_MARKDOWN, language: str = "en") -> list[Problem]:
    """AP402 for everything the site's sanitizer would remove from or change in the page
    that `body` becomes, each at the first line from which the page holds it."""
    if not may_hold_html(body, setup):
        return []
    renderer = _renderer(setup)
    lines = body.split("\n")
    found = removed(renderer.html(lines))
    if not found:
        return []
    out: list[Problem] = []
    for what in found[:MAX_FINDINGS]:
        line = _first_line_with(what, lines, renderer)
        out.append(problem(
            path, first_line + line, _column(lines[line], what), "AP402", gettext(
                "the site's HTML sanitizer removes {what} from this page (it could run code or "
                "load from another host in the reader's browser); remove it and write plain "
                "Markdown: link with [text](https://...), put images in the plans folder",
                language, what=what.text(language))))
    if len(found) > MAX_FINDINGS:
        out.append(problem(path, first_line, 0, "AP402", gettext(
            "and {n} more pieces of HTML the sanitizer removes; remove the pasted HTML and write "
            "plain Markdown", language, n=len(found) - MAX_FINDINGS)))
    return out


def _column(line: str, what: Finding) -> int:
    """Where on its line the finding was written, when it can be seen there (1-based), else 0.
    Only for pointing: what is unsafe was decided by the sanitizer."""
    folded = line.casefold()
    for needle in what.needles:
        if needle and (at := folded.find(needle.casefold())) >= 0:
            return at + 1
    return 0


def _first_line_with(what: Finding, lines: list[str], renderer: _Renderer) -> int:
    """The 0-based index of the first line whose page up to there holds `what`: a binary
    search over the page's first lines (a definition written later can make an earlier
    link unsafe, and is then the line to fix)."""
    low, high = 1, len(lines)
    while low < high:
        middle = (low + high) // 2
        if what in removed(renderer.html(lines[:middle])):
            high = middle
        else:
            low = middle + 1
    return low - 1
