"""What a reader may get: the site's allowlist HTML sanitizer (nh3, the binding of Rust's
ammonia), and what it removed or changed in a page.

Safety is decided on the HTML a page really becomes, by a maintained sanitizer, never by
guessing from the Markdown source: `clean` is what every published page's content goes
through, and `removed` names what `clean` took out, so that `accountplans check` and the
build can report it (AP402) at the source line where it was written.

How `removed` knows what changed without patterns of its own: the same HTML is cleaned twice
by the same parser and serializer, once with the site's policy and once with a permissive
policy that keeps every element, attribute and URL scheme the input has.
Both outputs are normalised the same way (html5ever's parse and serialization), so they
differ exactly where the site's policy removed or changed something.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

from accountplans.i18n import N_, gettext

__all__ = ["POLICY", "Finding", "Policy", "clean", "clean_generated", "removed", "text_only"]


@dataclass(frozen=True)
class Policy:
    """An allowlist: elements, attributes per element (`*`: on every element), attribute
    name prefixes allowed on every element, and URL schemes."""

    tags: frozenset[str]
    attributes: dict[str, frozenset[str]]
    attribute_prefixes: frozenset[str]
    url_schemes: frozenset[str]


_GENERIC = frozenset({"id", "class", "title", "lang", "dir", "role"})
_SVG = {
    "svg": frozenset({"viewBox", "width", "height", "xmlns", "preserveAspectRatio", "focusable"}),
    "g": frozenset({"transform", "fill", "stroke"}),
    "rect": frozenset({"x", "y", "width", "height", "rx", "ry", "fill", "fill-opacity", "stroke",
                       "stroke-width"}),
    "line": frozenset({"x1", "x2", "y1", "y2", "stroke", "stroke-width", "stroke-dasharray"}),
    "polyline": frozenset({"points", "fill", "stroke", "stroke-width"}),
    "path": frozenset({"d", "fill", "stroke", "stroke-width"}),
    "circle": frozenset({"cx", "cy", "r", "fill", "stroke", "stroke-width"}),
    "text": frozenset({"x", "y", "dx", "dy", "fill", "font-size", "font-weight", "text-anchor",
                       "dominant-baseline"}),
    "tspan": frozenset({"x", "y", "dx", "dy", "fill", "font-weight"}),
    "title": frozenset(),
    "desc": frozenset(),
}

POLICY = Policy(
    tags=frozenset({
        "a", "abbr", "article", "aside", "b", "blockquote", "br", "caption", "cite", "code", "col",
        "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "input", "ins",
        "kbd", "label", "li", "mark", "nav", "ol", "p", "pre", "q", "s", "samp", "section", "small",
        "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
        "time", "tr", "u", "ul", "var", "wbr",
        *_SVG,
    }),
    attributes={
        "*": _GENERIC,
        "a": frozenset({"href", "download", "hreflang"}),
        "img": frozenset({"src", "alt", "width", "height", "loading"}),
        "input": frozenset({"type", "placeholder", "autocomplete"}),
        "label": frozenset({"for"}),
        "td": frozenset({"colspan", "rowspan", "align", "style"}),
        "th": frozenset({"colspan", "rowspan", "align", "scope", "style"}),
        "col": frozenset({"span"}),
        "colgroup": frozenset({"span"}),
        "ol": frozenset({"start", "reversed", "type"}),
        "time": frozenset({"datetime"}),
        "details": frozenset({"open"}),
        "blockquote": frozenset({"cite"}),
        "q": frozenset({"cite"}),
        "del": frozenset({"datetime"}),
        "ins": frozenset({"datetime"}),
        **_SVG,
    },
    # aria-* for accessibility; data-* are inert (the site's scripts read data-sort and
    # data-filter, which only sort and filter tables).
    attribute_prefixes=frozenset({"aria-", "data-"}),
    url_schemes=frozenset({"http", "https", "mailto", "data"}),
)

# Python-Markdown's tables write a column's alignment as a style; no other style is kept
# (a style can load a resource from another host: `background: url(...)`).
_ALIGNMENT_STYLE = re.compile(r"text-align: ?(?:left|right|center);?")

# Attributes whose URL the reader's browser fetches by itself (no click): only from the
# site's own host (a relative URL) or a data: image.
_RESOURCE_ATTRIBUTES = frozenset({("img", "src")})
_LINK_ATTRIBUTES = frozenset({("a", "href"), ("blockquote", "cite"), ("q", "cite"),
                              ("del", "cite"), ("ins", "cite")})
_DATA_IMAGE = re.compile(r"data:image/(?:png|gif|jpeg|webp);base64,[A-Za-z0-9+/=\s]*", re.I)
_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))


def _resource_url(value: str) -> str | None:
    """The URL if the browser would fetch it from the site itself (or it is a data: image),
    else None. Read as browsers read URLs (WHATWG): tabs and newlines dropped, leading and
    trailing controls and spaces ignored, `\\` as `/`."""
    url = value.translate(_TAB_OR_NEWLINE).strip(_C0_AND_SPACE)
    if _DATA_IMAGE.fullmatch(url):
        return value
    if url[:2].replace("\\", "/") == "//":  # another host, with the page's scheme
        return None
    return None if urlsplit(url).scheme else value


def _site_filter(element: str, attribute: str, value: str) -> str | None:
    if attribute == "style":
        return value if _ALIGNMENT_STYLE.fullmatch(value.strip()) else None
    if (element, attribute) in _RESOURCE_ATTRIBUTES:
        return _resource_url(value)
    if (element, attribute) in _LINK_ATTRIBUTES:
        # data: URLs are for images only (allowed as a scheme for img src above).
        scheme = urlsplit(value.translate(_TAB_OR_NEWLINE).strip(_C0_AND_SPACE)).scheme
        return None if scheme.lower() == "data" else value
    return value


# Built once: making ammonia's builder costs nine times the cleaning of a typical block.
_CLEANER = nh3.Cleaner(
    tags=set(POLICY.tags),
    clean_content_tags={"script", "style"},
    attributes={tag: set(names) for tag, names in POLICY.attributes.items()},
    attribute_filter=_site_filter,
    strip_comments=True,
    link_rel=None,
    generic_attribute_prefixes=set(POLICY.attribute_prefixes),
    url_schemes=set(POLICY.url_schemes),
)
_TEXT_ONLY = nh3.Cleaner(tags=set())
# For the site's own HTML (tables, charts, key facts): the policy less what only an author's
# HTML needs (a table's alignment style, data: images), so that no attribute needs the
# filter's Python callback, which cost a third of the cleaning of a plan's tables.
_GENERATED = nh3.Cleaner(
    tags=set(POLICY.tags),
    clean_content_tags={"script", "style"},
    attributes={tag: set(names) - {"style"} for tag, names in POLICY.attributes.items()},
    strip_comments=True,
    link_rel=None,
    generic_attribute_prefixes=set(POLICY.attribute_prefixes),
    url_schemes=set(POLICY.url_schemes) - {"data"},
)


def clean(html: str) -> str:
    """The HTML as the site publishes it: everything outside the policy removed."""
    return _CLEANER.clean(html)


def clean_generated(html: str) -> str:
    """The site's own HTML as it publishes it: stricter than `clean` (no style, no data:
    URL), and faster. Every block goes through the sanitizer as it is: what is published is
    what nh3 wrote, never a text put back into a template it cleaned earlier (tried this
    session for 0.6 s CPU at 1000 plans, and left out: README "Performance")."""
    return str(_GENERATED.clean(html))


def text_only(html: str) -> str:
    """HTML made text that may be printed as it is: every tag removed, `<`, `>` and `&`
    escaped (a title's `&lt;script&gt;` stays text, even through Jinja's striptags)."""
    return _TEXT_ONLY.clean(html)


class _Inventory(HTMLParser):
    """Every element, attribute and URL scheme written in some HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.schemes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for _, value in attrs:
            if value is None:
                continue
            url = value.translate(_TAB_OR_NEWLINE).strip(_C0_AND_SPACE)
            if ":" in url:
                self.schemes.add(url.split(":", 1)[0].lower())

    handle_startendtag = handle_starttag


# Elements the permissive pass keeps even when Python's HTML parser did not see them (html5ever,
# the sanitizer's parser, reads some malformed markup otherwise, e.g. `<!-->` ends a comment):
# so that what the policy removes is reported, not only removed.
_KNOWN_ELEMENTS = frozenset({
    "applet", "audio", "base", "basefont", "bgsound", "button", "canvas", "dialog", "embed",
    "fieldset", "foreignObject", "form", "frame", "frameset", "iframe", "image", "isindex",
    "keygen", "link", "marquee", "math", "meta", "noembed", "noframes", "noscript", "object",
    "option", "param", "picture", "plaintext", "script", "select", "slot", "source", "style",
    "template", "textarea", "title", "track", "use", "video", "xmp",
})


def _as_is(html: str, inventory: _Inventory) -> str:
    """The HTML through the same parser and serializer as `clean`, with nothing removed: every
    element seen, every attribute (the empty prefix matches them all), every URL scheme seen."""
    tags = {t for t in inventory.tags if (t.isascii() and t.isidentifier()) or "-" in t}
    schemes = {s for s in inventory.schemes if s and s.isascii()} | set(POLICY.url_schemes)
    return nh3.clean(
        html,
        tags=tags | set(POLICY.tags) | set(_KNOWN_ELEMENTS),
        clean_content_tags=set(),
        attributes={},
        strip_comments=True,
        link_rel=None,
        generic_attribute_prefixes={""},
        url_schemes=schemes,
    )


class _Tokens(HTMLParser):
    """A serialized fragment as comparable tokens: start tags with their attributes, end
    tags, and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[str, str, tuple[tuple[str, str], ...]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(("start", tag, tuple((k, v or "") for k, v in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(("end", tag, ()))

    def handle_data(self, data: str) -> None:
        self.tokens.append(("text", data, ()))


def _tokens(html: str) -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    return parser.tokens


@dataclass(frozen=True)
class Finding:
    """One thing `clean` removes or changes: a phrase for the reader (`the element <script>`,
    `the attribute onclick="..." of <p>`), and the words to look for in the source to point
    at it (the value as written, the attribute, the tag)."""

    message: str
    """The phrase's message id (English), with `{fields}`."""
    fields: tuple[tuple[str, str], ...] = ()
    needles: tuple[str, ...] = ()

    def text(self, language: str) -> str:
        """The phrase in `language`, as a problem's message names it."""
        return gettext(self.message, language, **dict(self.fields))

    def __str__(self) -> str:
        return self.text("en")


def removed(html: str) -> list[Finding]:
    """What `clean` removes from or changes in `html`; empty when nothing."""
    inventory = _Inventory()
    inventory.feed(html)
    inventory.close()
    # Elements and attributes outside the allowlist. Needed besides the comparison below:
    # ammonia drops some elements (SVG animation) whatever it is told, from both outputs.
    found = [_element(tag) for tag in sorted(inventory.tags - POLICY.tags)]
    kept = clean(html)
    as_is = _as_is(html, inventory)
    if kept == as_is:
        return list(dict.fromkeys(found))
    before, after = _tokens(as_is), _tokens(kept)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        found.extend(_describe(before[i1:i2], after[j1:j2]))
    return list(dict.fromkeys(found)) or [Finding(N_("content that the sanitizer changes"))]


def _describe(gone: Iterable[tuple[str, str, tuple[tuple[str, str], ...]]],
              came: Iterable[tuple[str, str, tuple[tuple[str, str], ...]]]) -> list[Finding]:
    kept_starts: dict[str, list[dict[str, str]]] = {}
    for kind, name, attrs in came:
        if kind == "start":
            kept_starts.setdefault(name, []).append(dict(attrs))
    found: list[Finding] = []
    gone = list(gone)
    # The text of a removed <script> or <style> goes with it: naming the element is enough.
    elements_gone = any(kind == "start" and name not in kept_starts for kind, name, _ in gone)
    for kind, name, attrs in gone:
        if kind == "start":
            versions = kept_starts.get(name)
            if not versions:
                found.append(_element(name))
                continue
            kept = versions.pop(0)
            for attr, value in attrs:
                # A URL is pointed at by its value ([text](url) has no attribute name).
                needles = (value, value[:4], attr, f"<{name}") if ":" in value \
                    else (attr, value, f"<{name}")
                if attr not in kept:
                    found.append(Finding(N_('the attribute {attribute}="{value}" of <{element}>'),
                                         (("attribute", attr), ("value", _short(value)),
                                          ("element", name)), needles))
                elif kept[attr] != value:
                    found.append(Finding(N_('the value "{value}" of {attribute} in <{element}>'),
                                         (("value", _short(value)), ("attribute", attr),
                                          ("element", name)), needles))
        elif kind == "text" and name.strip() and not elements_gone:
            found.append(Finding(N_('the text "{text}"'), (("text", _short(name.strip())),),
                                 (name.strip()[:20],)))
    return found


def _element(tag: str) -> Finding:
    return Finding(N_("the element <{element}>"), (("element", tag),), (f"<{tag}", tag))


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

