"""Reading a Markdown file: bytes to text (AP403), front-matter to YAML nodes (AP001-AP003).

MkDocs swallows front-matter errors (bad YAML gives an empty `meta`), and PyYAML keeps the
last of two equal keys without a word. So we split and compose the front-matter ourselves,
keeping every node's line and column, and report what MkDocs would hide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

import yaml

from accountplans.i18n import N_, gettext
from accountplans.plan.problems import Problem, problem

MAX_BYTES = 1024 * 1024
"""AP403: a plan is at most 1 MiB. Larger files are not parsed at all."""

MAX_NODES = 20_000
"""Front-matter with more YAML nodes than this is refused (a plan has a few hundred)."""

# libyaml's composer when PyYAML was built with it: about ten times faster.
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc]
    """The safe loader, remembering which tag each plain scalar that may not be a string
    resolves to.

    libyaml calls PyYAML's resolver, in Python, for every node, and plans repeat the same
    keys and values ('name', 'kind', 'evaluation', 'true') hundreds of times. This private
    loader has no path resolvers (PyYAML's safe loaders have none), so a plain scalar's tag
    depends only on its text, and any other node's only on its kind: a plain scalar's is
    looked up once per process, the others are the defaults.
    """

    _tags: ClassVar[dict[str, str]] = {}
    """Plain scalar text -> its tag, for texts an implicit tag may start with."""

    # libyaml calls these on every node for path resolvers, which this loader never has:
    # do nothing, without even looking.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> Any:
        # Called for every node of every plan: the loader's constants are module names
        # (below), not looked up on the class each time.
        if kind is _SCALAR and implicit[0]:
            tag = _TAGS.get(value)
            if tag is not None:
                return tag
            if value and value[0] not in _IMPLICIT_STARTS:
                # A plain scalar no implicit tag starts with (most names and titles): a
                # string. Not remembered, so the cache holds only values that can be
                # something else.
                return _STR_TAG
            tag = super().resolve(kind, value, implicit)
            if len(_TAGS) > 100_000:  # bounded: values come from authors
                _TAGS.clear()
            _TAGS[value] = tag
            return tag
        # What the resolver answers for a quoted scalar, a block or a list.
        if kind is _SCALAR:
            return _STR_TAG
        return _SEQUENCE_TAG if kind is _SEQUENCE else _MAPPING_TAG


_SCALAR, _SEQUENCE = yaml.ScalarNode, yaml.SequenceNode
_TAGS = _Loader._tags
_STR_TAG = _Loader.DEFAULT_SCALAR_TAG
_SEQUENCE_TAG, _MAPPING_TAG = _Loader.DEFAULT_SEQUENCE_TAG, _Loader.DEFAULT_MAPPING_TAG
#: The first characters an implicit tag may start with (the resolvers are the safe loader's,
#: fixed: nothing adds one to this private loader).
_IMPLICIT_STARTS = frozenset(_Loader.yaml_implicit_resolvers)
assert None not in _IMPLICIT_STARTS, "a resolver for any first character: every scalar must be resolved"
assert not _Loader.yaml_path_resolvers, "a plain scalar's tag would depend on its place"

_OPEN = re.compile(r"---[ \t]*\n")
_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
"""The line that closes the front-matter, matched where a line starts."""
_CLOSE_LATER = re.compile(r"\n((?:---|\.\.\.)[ \t]*)$", re.MULTILINE)
"""A later line that closes it: the newline before it comes first, which the regular
expression engine finds by scanning for that one character (a pattern starting with `^` is
tried at every character of the front-matter, most of the time of splitting a plan)."""


def _closing(text: str, start: int) -> tuple[int, int] | None:
    """Where the first line from `start` (where a line starts) on that closes the front-matter
    starts and ends."""
    if (found := _CLOSE.match(text, start)) is not None:
        return found.span()
    later = _CLOSE_LATER.search(text, start)
    return later.span(1) if later is not None else None


@dataclass(frozen=True)
class SourceFile:
    """A file's text split into front-matter and body, with the line each starts on."""

    path: str
    text: str
    front_matter: str | None
    """The YAML between the `---` lines, or None when the file has none."""
    front_line: int
    """File line (1-based) of the YAML's first line."""
    body: str
    body_line: int
    """File line (1-based) of the body's first line."""


def decode(path: str, data: bytes, language: str = "en") -> tuple[str | None, list[Problem]]:
    """Bytes to text: UTF-8 (a BOM allowed), at most 1 MiB; else AP403 (in `language`, the
    site's)."""
    if len(data) > MAX_BYTES:
        size = len(data) / MAX_BYTES
        return None, [
            problem(
                path, 0, 0, "AP403", gettext(
                    "the file is {size} MiB, more than the 1 MiB a plan may have; remove pasted "
                    "images or documents and link to them instead", language, size=f"{size:.1f}"),
            )
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        return None, [
            problem(
                path, line, col, "AP403", gettext(
                    "the file is not UTF-8 text (byte 0x{byte}); save it as UTF-8 in your editor "
                    "(e.g. 'Save with encoding: UTF-8')", language, byte=f"{data[err.start]:02x}"),
            )
        ]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [
            problem(path, line, 0, "AP403", gettext(
                "the file contains a NUL byte, so it is not text; save it as plain UTF-8 text",
                language))
        ]
    return normalise_text(text), []


def normalise_text(text: str) -> str:
    """Drop a BOM and make every line end in a plain newline."""
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def split(path: str, text: str, language: str = "en") -> tuple[SourceFile, list[Problem]]:
    """Split off front-matter delimited by `---` and `---` (or `...`), as MkDocs does."""
    if not _OPEN.match(text):
        return SourceFile(path, text, None, 0, text, 1), []
    start = _OPEN.match(text).end()  # type: ignore[union-attr]
    close = _closing(text, start)
    if close is None:
        return SourceFile(path, text, None, 0, text, 1), [
            problem(path, 1, 1, "AP002", gettext(
                "the front-matter starts with --- on line 1 but never ends; add a line with only "
                "--- after the last field", language))
        ]
    close_start, close_end = close
    front = text[start:close_start]
    end = close_end + 1 if close_end < len(text) else close_end
    body_line = text.count("\n", 0, end) + 1
    return SourceFile(path, text, front, 2, text[end:], body_line), []


def compose(source: SourceFile, language: str = "en") -> tuple[yaml.Node | None, list[Problem]]:
    """The front-matter as one YAML node, or None with AP002 problems."""
    assert source.front_matter is not None
    try:
        node = yaml.compose(source.front_matter, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = _mark_position(source, mark)
        typed_lines = source.front_matter.split("\n")
        typed = typed_lines[mark.line] if mark is not None and mark.line < len(typed_lines) else ""
        return None, [problem(source.path, line, col, "AP002", _yaml_message(err, typed, language))]
    except yaml.YAMLError as err:
        return None, [problem(source.path, source.front_line, 1, "AP002", gettext(
            "the front-matter is not valid YAML ({what}); check indentation, colons and quotes",
            language, what=_one_line(str(err))))]
    except RecursionError:
        return None, [problem(source.path, source.front_line, 1, "AP002", gettext(
            "the front-matter is nested too deeply to read; a plan needs at most three levels "
            "of indentation", language))]
    return node, []


def _mark_position(source: SourceFile, mark: yaml.Mark | None) -> tuple[int, int]:
    if mark is None:
        return source.front_line, 1
    return source.front_line + mark.line, mark.column + 1


_TABS = N_("indent with spaces, not tabs")
_LINE_UP = N_("check that the fields line up at the same indentation")
#: What to do about each of the YAML reader's complaints (its words, as PyYAML writes them).
_HINTS = (
    ("tab character", _TABS),
    ("found character '\\t'", _TABS),
    ("mapping values are not allowed", N_("put a value that contains ': ' in quotes, and line up "
                                          "the fields at the same indentation")),
    ("could not find expected ':'", N_("every field needs 'name: value'; check the line above")),
    ("found undefined alias", N_("remove the '*' or put the value in quotes")),
    ("expected <block end>", _LINE_UP),
    ("did not find expected key", _LINE_UP),
    ("did not find expected '-'", N_("start every item of the list with '- ' at the same "
                                     "indentation")),
    ("expected ',' or ']'", N_("close the list with ']' on the same line, or write one '- ' item "
                               "a line")),
    ("expected ',' or '}'", N_("close the block with '{brace}' on the same line, or write one "
                               "field a line")),
    ("unknown escape character", N_("use single quotes, or write a backslash as \\\\")),
    ("found unexpected end of stream", N_("close the quote or bracket that is still open")),
    ("expected a single document", N_("remove the extra '---' or '...' line from the "
                                      "front-matter")),
    ("found duplicate anchor", N_("use each '&name' anchor once")),
    ("exceeded maximum nesting depth", N_("a plan needs at most three levels of indentation or "
                                          "brackets; remove the deeper ones")),
    ("cannot start any token", N_("put a value that starts with @, ` or % in quotes")),
)


def _yaml_message(err: yaml.MarkedYAMLError, typed: str = "", language: str = "en") -> str:
    what = " ".join(part for part in (err.context, err.problem) if part)
    what = _one_line(what) or gettext("cannot be read", language)
    if "\t" in typed[: len(typed) - len(typed.lstrip())]:
        # libyaml does not always say that the character it cannot read is a tab
        hint = _TABS
    else:
        hint = next((h for key, h in _HINTS if key in what), N_("check indentation, colons and quotes"))
    # `what` is the YAML reader's own words (English), quoted as it wrote them.
    return gettext("the front-matter is not valid YAML: {what}; {hint}", language, what=what,
                   hint=gettext(hint, language, brace="}"))


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def position(source: SourceFile, node: yaml.Node) -> tuple[int, int]:
    """File line and column (1-based) where a node starts."""
    return _mark_position(source, node.start_mark)


def check_structure(source: SourceFile, root: yaml.Node, language: str = "en") -> list[Problem]:
    """AP001 (root is not a mapping), AP003 (duplicate keys) and a size limit, on any page.

    Aliases make the node graph a DAG: each node is visited once, so an alias bomb
    costs no more than its text.
    """
    found: list[Problem] = []
    if not isinstance(root, yaml.MappingNode):
        line, col = position(source, root)
        message = N_("the front-matter must be fields of the form 'name: value', got a list; start "
                     "each line with a field name such as 'account:'") \
            if isinstance(root, yaml.SequenceNode) else \
            N_("the front-matter must be fields of the form 'name: value', got plain text; start "
               "each line with a field name such as 'account:'")
        found.append(problem(source.path, line, col, "AP001", gettext(message, language)))
    return found + _duplicate_keys(source, root, language)


def _duplicate_keys(source: SourceFile, root: yaml.Node, language: str) -> list[Problem]:
    """AP003 for every block; AP002 (and stop) past MAX_NODES values.

    It runs on every page of every build, so scalars, most of the nodes, are counted but
    never put on the stack.
    """
    if _plainly_unique(root):
        return []
    found: list[Problem] = []
    mapping, sequence, scalar = yaml.MappingNode, yaml.SequenceNode, yaml.ScalarNode
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        children: list[yaml.Node]
        if isinstance(node, mapping):
            keys: dict[tuple[str, str], yaml.Node] = {}
            children = []
            for key, value in node.value:
                if isinstance(key, scalar):
                    ident = (key.tag, key.value)
                    if ident in keys:
                        found.append(_duplicate(source, keys[ident], key, language))
                    else:
                        keys[ident] = key
                children.append(key)
                children.append(value)
        elif isinstance(node, sequence):
            children = node.value
        else:
            continue
        for child in children:
            if isinstance(child, scalar):
                seen.add(id(child))
            else:
                stack.append(child)
        if len(seen) > MAX_NODES:
            found.append(problem(source.path, source.front_line, 1, "AP002", gettext(
                "the front-matter has more than {n} values; a plan needs a few hundred at most, "
                "remove the rest", language, n=MAX_NODES)))
            break
    return found


def _plainly_unique(root: yaml.Node) -> bool:
    """True when no block has a key twice, every key is a plain value, and there are at most
    MAX_NODES nodes (counting an alias's each time): then `_duplicate_keys` finds nothing, as
    for every plan there is, and this walk is a few times cheaper. False sends the front-matter
    to `_duplicate_keys`' own walk, which says what it finds in its order."""
    mapping, sequence, scalar = yaml.MappingNode, yaml.SequenceNode, yaml.ScalarNode
    seen: set[int] = set()
    stack = [root]
    count = 1
    while stack:
        node = stack.pop()
        if node.__class__ is mapping:
            pairs = node.value
            count += 2 * len(pairs)
            try:  # keys' texts, tags aside: `1` and `'1'` send the block to the exact walk
                if len({key.value for key, _ in pairs}) != len(pairs):
                    return False
            except TypeError:  # a key that is a block or a list
                return False
            children = [value for _, value in pairs if value.__class__ is not scalar]
        elif node.__class__ is sequence:
            count += len(node.value)
            children = [item for item in node.value if item.__class__ is not scalar]
        elif node.__class__ is scalar:
            continue
        else:
            return False
        if count > MAX_NODES:
            return False
        for child in children:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return True


def _duplicate(source: SourceFile, first: yaml.Node, key: yaml.ScalarNode, language: str) -> Problem:
    first_line, _ = position(source, first)
    line, col = position(source, key)
    return problem(source.path, line, col, "AP003", gettext(
        "'{key}' appears twice in the same block (first on line {first}); YAML would silently "
        "keep only this one, merge the two into one", language, key=key.value, first=first_line))
