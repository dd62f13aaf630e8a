"""Reading a file: bytes to text (AP403), splitting front-matter, composing YAML with places."""

from __future__ import annotations

import re

import pytest
import yaml
from accountplans.plan.frontmatter import (
    MAX_BYTES,
    MAX_NODES,
    _Loader,
    check_structure,
    compose,
    decode,
    position,
    split,
)
from hypothesis import given
from hypothesis import strategies as st


def composed(text: str) -> tuple[object, list[str]]:
    source, found = split("p.md", text)
    assert found == []
    node, problems = compose(source)
    return node, [str(p) for p in problems]


# --- decode ---------------------------------------------------------------------------


def test_decode_utf8_drops_bom_and_normalises_line_ends() -> None:
    """A BOM is dropped; CRLF and CR become LF."""
    text, found = decode("p.md", b"\xef\xbb\xbfa\r\nb\rc\n")
    assert (text, found) == ("a\nb\nc\n", [])


def test_decode_latin1_points_at_the_byte() -> None:
    """The first byte that is not UTF-8 is located by line and column."""
    text, [p] = decode("p.md", "line one\nCaf\xe9\n".encode("latin-1"))
    assert text is None
    assert (p.code, p.line, p.col) == ("AP403", 2, 4)
    assert "byte 0xe9" in p.message and "save it as UTF-8" in p.message


def test_decode_nul_byte_is_not_text() -> None:
    """A NUL byte (a binary file renamed .md) is AP403 at its line."""
    _, [p] = decode("p.md", b"a\nb\x00c\n")
    assert (p.code, p.line) == ("AP403", 2)
    assert "NUL byte" in p.message


def test_decode_size_limit_is_exactly_1_mib() -> None:
    """1 MiB is allowed; one byte more is AP403 with no place."""
    assert decode("p.md", b"a" * MAX_BYTES)[1] == []
    _, [p] = decode("p.md", b"a" * (MAX_BYTES + 1))
    assert (p.code, p.line, p.col) == ("AP403", 0, 0)


# --- split ----------------------------------------------------------------------------


def test_split_without_front_matter() -> None:
    """A page that does not start with --- has no front-matter; its body starts on line 1."""
    source, found = split("p.md", "# Title\n---\n")
    assert found == [] and source.front_matter is None and source.body_line == 1


def test_split_lines_of_front_matter_and_body() -> None:
    """The YAML starts on line 2; the body on the line after the closing ---."""
    source, _ = split("p.md", "---\na: 1\nb: 2\n---\n\n# Body\n")
    assert source.front_matter == "a: 1\nb: 2\n"
    assert (source.front_line, source.body_line) == (2, 5)
    assert source.body == "\n# Body\n"


def test_split_closing_dots() -> None:
    """`...` also closes the front-matter, as in YAML and MkDocs."""
    source, _ = split("p.md", "---\na: 1\n...\nbody\n")
    assert source.front_matter == "a: 1\n" and source.body == "body\n"


def test_split_unclosed_front_matter() -> None:
    """An opening --- without a closing line is AP002 on line 1."""
    source, [p] = split("p.md", "---\na: 1\n")
    assert (p.code, p.line, p.col) == ("AP002", 1, 1)
    assert source.front_matter is None


#: What closes front-matter, as MkDocs' front-matter reader has it: a line of only '---' or
#: '...' (spaces and tabs may follow).
_CLOSING_LINE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_LINES = st.sampled_from(["---", "...", "----", "--- ", "---\t", "... x", "..", "-", "a: b", "",
                          " ---", "---x", " ", "...\r", "--- \t ", "x---", "b: ---"])


@given(st.lists(_LINES, max_size=12), st.booleans())
def test_split_ends_front_matter_at_the_first_closing_line(lines: list[str], newline_at_end: bool) -> None:
    """The front-matter ends at the first line that is only '---' or '...', as the pattern says."""
    text = "---\n" + "\n".join(lines) + ("\n" if newline_at_end else "")
    source, problems = split("p.md", text)
    close = _CLOSING_LINE.search(text, 4)
    if close is None:
        assert (source.front_matter, [p.code for p in problems]) == (None, ["AP002"])
    else:
        assert (source.front_matter, problems) == (text[4:close.start()], [])


# --- compose and positions -------------------------------------------------------------


def test_positions_are_file_lines_and_columns() -> None:
    """A nested value's place is its line and column in the file, 1-based."""
    source, _ = split("p.md", "---\naccount: A\ncontacts:\n  - name: Kim\n---\n")
    node, _ = compose(source)
    assert isinstance(node, yaml.MappingNode)
    contacts = node.value[1][1]
    name_value = contacts.value[0].value[0][1]
    assert position(source, name_value) == (4, 11)


@pytest.mark.parametrize(("front", "place", "hint"), [
    ("a: 1\nb: c: d\n", "p.md:3:5", "in quotes"),
    ("a:\n\t- b\n", "p.md:3:1", "indent with spaces, not tabs"),
    ("a: 'open\n", "p.md:3:1", "close the quote"),
    ("a: [1, 2\n", "p.md:3:1", "close the list"),
    ("a: *nothing\n", "p.md:2:4", "remove the '*'"),
    ("a: \"x\\q\"\n", "p.md:2:6", "use single quotes"),
    ("a: " + "[" * 2000 + "\n", "p.md:2:", "at most three levels"),
])
def test_yaml_errors_have_place_and_hint(front: str, place: str, hint: str) -> None:
    """Each YAML error is AP002 at its place, with a hint for the usual mistake."""
    node, [line] = composed(f"---\n{front}---\n")
    assert node is None
    assert line.startswith(f"{place}") and " AP002 error: " in line
    assert hint in line


# --- structure --------------------------------------------------------------------------


def _structure(front: str) -> list[str]:
    source, _ = split("p.md", f"---\n{front}---\n")
    node, _ = compose(source)
    assert node is not None
    return [str(p) for p in check_structure(source, node)]


def test_duplicate_key_in_nested_flow_mapping() -> None:
    """AP003 finds duplicates in flow style too."""
    [line] = _structure("m: [{date: 2027-01-01, date: 2027-02-01}]\n")
    assert line.startswith("p.md:2:24: AP003 error: 'date' appears twice")


def test_equal_values_are_not_duplicate_keys() -> None:
    """Two different keys with equal values are fine; so are equal keys in different blocks."""
    assert _structure("a: 1\nb: 1\nc: {x: 1}\nd: {x: 1}\n") == []


def test_alias_bomb_visits_each_node_once() -> None:
    """Aliases share nodes: 30 levels of 9 aliases (9**30 leaves) are checked without expansion."""
    lines = ['l0: &l0 ["lol"]'] + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 31)]
    assert _structure("\n".join(lines) + "\n") == []


def test_too_many_values_is_refused() -> None:
    """More than MAX_NODES distinct values is reported instead of walked."""
    [line] = _structure("a: [" + ", ".join(["x"] * (MAX_NODES + 10)) + "]\n")
    assert f"more than {MAX_NODES} values" in line


@pytest.mark.parametrize(("front", "kind"), [("- 1\n", "a list"), ("hello\n", "plain text")])
def test_not_a_mapping(front: str, kind: str) -> None:
    """AP001 says what was found instead of fields."""
    [line] = _structure(front)
    assert line.startswith("p.md:2:1: AP001 error:") and kind in line


# --- the loader's remembered tags --------------------------------------------------------

_SCALARS = ("", "~", "null", "Null", "yes", "No", "on", "OFF", "true", "y", "n", "12", "012", "0o12",
            "0x1f", "-1", "+1", "1_000", "1e6", "1.5e+3", ".inf", "-.Inf", ".nan", "12:30",
            "2026-11-02", "2026-11-02 10:00:00", "<<", "=", "Training", "Pieter Jansen", "ß",
            "€ 14.400", "Tijdsplanning", "Overig", "false", "FALSE", "~x", "nothing")


def _tags(text: str, loader: type) -> list[str]:
    node = yaml.compose(text, Loader=loader)
    assert isinstance(node, yaml.SequenceNode)
    return [child.tag for child in node.value]


@pytest.mark.parametrize("style", ["plain", "single", "double"])
def test_loader_resolves_every_scalar_as_pyyaml_does(style: str) -> None:
    """The loader's tags (remembered or answered at once) equal PyYAML's own safe loader's."""
    quote = {"plain": "", "single": "'", "double": '"'}[style]
    text = "".join(f"- {quote}{v}{quote}\n" for v in _SCALARS)
    for _ in range(2):  # the second time from the remembered tags
        assert _tags(text, _Loader) == _tags(text, yaml.SafeLoader)


# --- the site's language --------------------------------------------------------------------


def test_structure_problems_in_dutch() -> None:
    """AP001 and AP003 speak the site's language when it is nl."""
    source, _ = split("p.md", "---\n- a\n---\n", "nl")
    node, _ = compose(source, "nl")
    assert node is not None
    [listed] = check_structure(source, node, "nl")
    assert listed.message.startswith("de front-matter moet uit velden van de vorm 'naam: waarde'")
    source, _ = split("p.md", "---\na: 1\na: 2\n---\n", "nl")
    node, _ = compose(source, "nl")
    assert node is not None
    [twice] = check_structure(source, node, "nl")
    assert twice.message.startswith("'a' staat twee keer in hetzelfde blok (eerst op regel 2)")


def test_yaml_error_hint_in_dutch() -> None:
    """A YAML error in a Dutch site: Dutch sentence and hint around the reader's own words."""
    source, _ = split("p.md", "---\naccount:\n\towner: x\n---\n", "nl")
    _, [found] = compose(source, "nl")
    assert found.code == "AP002" and found.message.startswith("de front-matter is geen geldige YAML")
    assert found.message.endswith("spring in met spaties, niet met tabs")


def test_undecodable_and_unterminated_files_in_dutch() -> None:
    """AP403 and an unterminated front-matter (AP002) in Dutch."""
    _, [latin] = decode("p.md", "Caf\xe9\n".encode("latin-1"), "nl")
    assert latin.message.startswith("het bestand is geen UTF-8-tekst (byte 0xe9)")
    _, [open_ended] = split("p.md", "---\naccount: x\n", "nl")
    assert open_ended.message.startswith("de front-matter begint met --- op regel 1")
