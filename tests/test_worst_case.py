"""Issue 10, item 6: no check over author text is worse than linear. Each case is one file of
about 1 MiB (the AP403 size limit) shaped as the worst case of one construct; `check_text`
(the same reading the build does before MkDocs converts anything) must answer within a
second of CPU time, with coded problems and no traceback.

CPU time, not wall time: other processes on the machine do not count. Before the limits of
accountplans.plan.rendered, 10,000 '[' on one line took Python-Markdown about a minute, and a
million would have taken days.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from accountplans import Settings, check_text
from accountplans.plan.frontmatter import MAX_BYTES

GOOD = (Path(__file__).parent / "data" / "good-plan.md").read_text(encoding="utf-8")
ROOM = MAX_BYTES - len(GOOD.encode()) - 64


def _repeat(unit: str) -> str:
    return unit * (ROOM // len(unit.encode()))


BODIES = {
    "one line of backticks": _repeat("`"),
    "one line of '['": _repeat("["),
    "lines of '['": _repeat("[\n"),
    "images '!['": _repeat("!["),
    "links '[](': ": _repeat("[]("),
    "unclosed '<a '": _repeat("<a "),
    "'](' without '['": _repeat("]("),
    "template braces": _repeat("{{"),
    "attribute lists": _repeat("{: "),
    "entities '&#'": _repeat("&#"),
    "emphasis '*a '": _repeat("*a "),
    "underscores": _repeat("_"),
    "'<' alone": _repeat("<"),
    "quotes '>'": _repeat(">"),
    "heading marks": _repeat("#"),
    "spaces then text": _repeat(" ") + "x",
    "indented fences": _repeat("    ~~~\n"),
    "reference definitions": _repeat("[x]: \n"),
    "html blocks": _repeat("<div>\n"),
    "table pipes": _repeat("|"),
    "many short paragraphs of tags": _repeat("<b>x</b> " * 100 + "\n\n"),
}


@pytest.mark.parametrize("name", list(BODIES))
def test_check_of_a_worst_case_file_takes_under_a_second(name: str) -> None:
    """A 1 MiB worst case of each construct is checked within a second of CPU time."""
    text = GOOD + "\n" + BODIES[name] + "\n"
    assert len(text.encode()) <= MAX_BYTES
    start = time.process_time()
    checked = check_text("plans/worst.md", text, Settings())
    spent = time.process_time() - start
    assert spent < 1.0, f"{name}: {spent:.2f} s"
    assert all(p.code != "AP002" or "internal error" not in p.message for p in checked.problems)


def test_a_paragraph_too_costly_to_convert_is_ap403_at_its_line() -> None:
    """A paragraph past the Markdown cost limits is AP403 at its first line, and the file is
    not converted (nor served) at all."""
    text = GOOD + "\nSee:\n" + "[" * 5000 + "\n"
    checked = check_text("plans/worst.md", text, Settings())
    [p] = [p for p in checked.problems if p.code == "AP403"]
    assert p.line == GOOD.count("\n") + 2
    assert "split it into paragraphs" in p.message
    assert not checked.readable
