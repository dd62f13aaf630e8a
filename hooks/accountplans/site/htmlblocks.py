"""Generated HTML kept out of Markdown while a page is converted, and the macro calls of a
plain page filled in without a template engine: the build's fast path, in plain functions.

Why: the tables, charts and key facts of a plan are half of its HTML, the dashboard's and
owner pages' tables grow with every plan, and Python-Markdown re-parses raw HTML blocks with
its HTML parser only to keep them verbatim. A block is kept out as a token paragraph, and put
back in the converted HTML, only where that gives the same page: a page whose Markdown has no
HTML, no code fence and only known macro calls alone on a line between blank lines
(`plain_markdown`), and output made of whole block-level HTML elements. Anything else takes
the ordinary path through Markdown (and the sandboxed template renderer).

A kept element whose tag carries `data-search-exclude` (Material's search leaves it out) is
put back only after search has indexed the page: until then it waits as an HTML comment,
which search's parser skips, so search never parses what it would not index.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass, field

from accountplans.site.macrotable import SIMPLE_CALL, fits, simple_call_parts
from accountplans.plan.sanitize import clean_generated
from accountplans.site.markup import Html

__all__ = [
    "SEARCH_EXCLUDE",
    "KeptBlocks",
    "fill_in",
    "keep_generated_blocks",
    "kept_macros",
    "plain_markdown",
]

Macro = Callable[..., str]

# A call takes no argument, or one word in quotes (`heading('plans_table')`): the macro
# table's simple call. One that trims whitespace (`{{-`) is left to the sandbox, which trims.
_MACRO_CALL = SIMPLE_CALL
_MACRO_LINE = re.compile(SIMPLE_CALL.pattern + "[ \t]*")
_FENCE_LINE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})", re.MULTILINE)
_BLOCK_START = re.compile(r"<(address|article|aside|blockquote|details|div|dl|fieldset|figure|"
                          r"footer|form|h[1-6]|header|hr|nav|ol|p|pre|section|table|ul)[\s>/]")
SEARCH_EXCLUDE = Html(" data-search-exclude")
"""In an element's start tag: Material's search leaves the element out of its index (HTML, for
the blocks' templates; the Pagefind search leaves it out too, accountplans.site.search)."""


def plain_markdown(markdown: str, macro_names: Container[str]) -> bool:
    """No HTML, no code fence, no template code but known macros called alone on a line
    between blank lines: the page can be filled in (`fill_in`) and its blocks kept out."""
    if "<" in markdown or "{%" in markdown or "{#" in markdown or _FENCE_LINE.search(markdown):
        return False
    rows = markdown.split("\n")
    for i, row in enumerate(rows):
        if "{" not in row:
            continue
        m = _MACRO_LINE.fullmatch(row)
        if m is None:
            return False
        name, word, trims = simple_call_parts(m)
        if trims or name not in macro_names or not fits(name, word):
            return False
        if (i > 0 and rows[i - 1].strip()) or (i + 1 < len(rows) and rows[i + 1].strip()):
            return False
    return True


def fill_in(markdown: str, macros: Mapping[str, Macro]) -> str | None:
    """A plain page (see plain_markdown) with each call replaced by its macro's text.

    The same text the sandbox renders, without compiling the page as a template. None when a
    macro fails or returns anything but text: the sandbox then renders the page and reports
    that with its line, as it always does.
    """
    def call(m: re.Match[str]) -> str:
        name, argument, _ = simple_call_parts(m)
        value = macros[name]() if argument is None else macros[name](argument)
        if not isinstance(value, str):
            raise TypeError(name)
        return value

    try:
        return _MACRO_CALL.sub(call, markdown)
    except Exception:  # noqa: BLE001 - the sandbox path reports it with its line
        return None


def kept_macros(macros: Mapping[str, Macro], keep: Callable[[str], str]) -> dict[str, Macro]:
    """The macros, each with its output kept out of Markdown by `keep`."""
    def kept(macro: Macro) -> Macro:
        return lambda *argument: keep(macro(*argument))

    return {name: kept(macro) for name, macro in macros.items()}


def keep_generated_blocks(markdown: str, keep: Callable[[str], str]) -> str:
    """A page the build made itself (Markdown headings between HTML blocks, each block apart
    between blank lines) with its HTML blocks kept out of Markdown by `keep`."""
    return "\n\n".join(keep(chunk) if chunk.startswith("<") else chunk
                       for chunk in markdown.split("\n\n"))


_MARK = r"accountplansblock[0-9a-f]+n[0-9]+x"
_TOKEN = re.compile(rf"<p>({_MARK})</p>|({_MARK})")
"""A kept block's token, alone in its paragraph (group 1) or not (group 2); any build's
tokens (accountplans.site.livebuild renders a page again from an earlier build's blocks)."""
_WAITING = re.compile(rf"<!--({_MARK})-->")


@dataclass
class KeptBlocks:
    """One build's kept blocks: per page, as UTF-8, until the page is written.

    MkDocs converts every page before it renders the first and keeps each page's HTML until
    then. The blocks are not compressed: at 1000 plans they are about 30 MB, and compressing
    them cost 0.6 s CPU of a build (zlib, tried).
    """

    token: str = field(default_factory=lambda: secrets.token_hex(8))
    """Makes the tokens unlike any text a plan may hold."""
    pages: dict[str, dict[str, tuple[bool, bytes]]] = field(default_factory=dict)
    """Per page: token -> (indexed by search, the HTML as UTF-8)."""
    unindexed: dict[str, dict[str, bytes]] = field(default_factory=dict)
    """Per page: the blocks search leaves out, from `put_back` until `put_back_unindexed`."""

    def keeper(self, page: str) -> Callable[[str], str]:
        """A function that keeps a block of HTML of `page` and returns its tokens, or returns
        the block itself when it is not made of whole block-level elements."""
        blocks = self.pages.setdefault(page, {})

        def keep(block: str) -> str:
            chunks = [c.strip() for c in block.split("\n\n") if c.strip()]
            if not chunks or not all(_BLOCK_START.match(c) and c.endswith(">") for c in chunks):
                return block
            tokens = []
            for chunk in chunks:  # one token per element: search may leave some of them out
                token = f"accountplansblock{self.token}n{len(blocks)}x"
                indexed = SEARCH_EXCLUDE not in chunk[:chunk.find(">")]
                # Sanitized like every page's HTML (the hook's on_page_content), which never
                # sees the kept blocks: what the reader gets is always the sanitizer's output.
                blocks[token] = (indexed, clean_generated(chunk).encode("utf-8"))
                tokens.append(token)
            return "\n\n".join(tokens)

        return keep

    def put_back(self, page: str, html: str) -> str:
        """The page's converted HTML with its blocks back, but those search leaves out, which
        wait as comments (see `put_back_unindexed`). One pass over the page: a team's quarter
        page holds thousands of blocks (a replace per block was quadratic)."""
        blocks = self.pages.pop(page, None)
        if not blocks:
            return html
        found = _TOKEN.findall(html)
        # A token alone in its paragraph takes the paragraph's place (the first one only);
        # else every place it stands in.
        in_paragraph = {p for p, _ in found if p in blocks}
        waiting = self.unindexed.setdefault(page, {})
        for token, (indexed, utf8) in blocks.items():
            if not indexed:
                waiting[token] = utf8
        done: set[str] = set()

        def block(match: re.Match[str]) -> str:
            paragraph, bare = match[1], match[2]
            token = paragraph or bare
            kept = blocks.get(token)
            if kept is None or (paragraph and token in done) or (bare and token in in_paragraph):
                return match[0]
            if paragraph:
                done.add(token)
            indexed, utf8 = kept
            return utf8.decode("utf-8") if indexed else f"<!--{token}-->"

        return _TOKEN.sub(block, html)

    def put_back_unindexed(self, page: str, html: str) -> str:
        """The rendered page with the blocks search left out back in their places (the first
        place of each), in one pass."""
        waiting = self.unindexed.pop(page, {})
        if not waiting:
            return html
        done: set[str] = set()

        def block(match: re.Match[str]) -> str:
            token = match[1]
            utf8 = waiting.get(token)
            if utf8 is None or token in done:
                return match[0]
            done.add(token)
            return utf8.decode("utf-8")

        return _WAITING.sub(block, html)
