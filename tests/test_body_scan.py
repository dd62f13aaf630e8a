"""The line scan of plan bodies and the shortcuts the checks take on it.

The checks read every line of every plan, so they skip lines that cannot matter (no '#' near
the start: no heading; no '`' or '~': no fence, no code span). These tests state what each
shortcut relies on, for any text.
"""

from __future__ import annotations

from accountplans.plan.body import heading, lines, numbered_lines
from hypothesis import given
from hypothesis import strategies as st

# Lines built from the pieces that matter to the scan: fences of both kinds and lengths,
# indentation, headings, code spans, template braces and plain words.
_PIECES = st.sampled_from(["```", "~~~", "````", "~~~~", "``", "~", " ", "   ", "    ", "#", "## ",
                           "\t", "`x`", "{{", "}}", "word", "python", "<b>", "\\"])
_LINE = st.lists(_PIECES, max_size=6).map("".join)
_BODY = st.lists(_LINE, max_size=30).map("\n".join)


def _reference_scan(body: str, first_line: int) -> list[tuple[int, str, bool]]:
    """Fenced code as CommonMark opens and closes it, written out plainly: a fence is 3+
    backticks or tildes indented at most 3 spaces; it is closed by a line of the same
    character, at least as long, with nothing after it."""
    out = []
    fence = ""
    for offset, text in enumerate(body.split("\n")):
        stripped = text.lstrip(" ")
        indent = len(text) - len(stripped)
        run = len(stripped) - len(stripped.lstrip(stripped[:1])) if stripped[:1] in ("`", "~") else 0
        if not fence:
            if indent <= 3 and run >= 3:
                fence = stripped[:run]
            out.append((first_line + offset, text, bool(fence)))
            continue
        if indent <= 3 and run >= len(fence) and stripped[0] == fence[0] and not stripped[run:].strip():
            fence = ""
        out.append((first_line + offset, text, True))
    return out


@given(_BODY, st.integers(min_value=0, max_value=500))
def test_numbered_lines_mark_fenced_code(body: str, first_line: int) -> None:
    """Each line has its file number and is marked in code exactly inside a fence."""
    assert list(numbered_lines(body, first_line)) == _reference_scan(body, first_line)


@given(_BODY)
def test_lines_are_numbered_lines_as_records(body: str) -> None:
    """`lines` gives the same lines as `numbered_lines`, as Line records."""
    assert [(ln.number, ln.text, ln.in_code) for ln in lines(body, 7)] == list(numbered_lines(body, 7))


@given(_LINE)
def test_a_heading_has_a_hash_in_its_first_four_characters(text: str) -> None:
    """What find_sections relies on to skip a line: no '#' in its first four, no heading."""
    if "#" not in text[:4]:
        assert heading(text) is None

