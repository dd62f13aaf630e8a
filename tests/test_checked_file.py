"""What a checked file keeps for the rest of the build: the plan and its problems, not its text.

A build holds every checked file until it ends; these tests pin down that the text is not
among what it holds, and that the smaller (slotted) model objects still behave as values.
"""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

from accountplans import Settings, check_bytes, check_paths, check_text

DATA = Path(__file__).parent / "data"
GOOD = (DATA / "good-plan.md").read_text(encoding="utf-8")
PATH = "plans/x.md"


def _strings(value: object, seen: set[int] | None = None) -> list[str]:
    """Every string reachable from a checked file (fields, tuples, dicts), depth first."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in _strings(getattr(value, f.name), seen)]
    if isinstance(value, tuple | list):
        return [s for item in value for s in _strings(item, seen)]
    if isinstance(value, dict):
        return [s for pair in value.items() for s in _strings(pair, seen)]
    return []


def test_checked_plan_holds_no_copy_of_its_text() -> None:
    """No string a checked plan holds is the file, its front-matter or its body."""
    checked = check_text(PATH, GOOD, Settings())
    assert checked.plan is not None
    front, body = GOOD.removeprefix("---\n").split("\n---\n", 1)
    held = _strings(checked)
    assert held and max(len(s) for s in held) < min(len(front), len(body))



def test_body_line_is_the_line_after_the_front_matter() -> None:
    """body_line is the file line just after the closing '---'."""
    checked = check_text(PATH, GOOD, Settings())
    closing = GOOD.split("\n").index("---", 1) + 1  # 1-based line of the closing ---
    assert checked.readable and checked.body_line == closing + 1


def test_page_without_front_matter_starts_its_body_on_line_1() -> None:
    """A page with no front-matter is readable and its body starts on line 1."""
    checked = check_text("plans/help.md", "# Help\n\nText.\n", Settings())
    assert (checked.readable, checked.body_line, checked.plan) == (True, 1, None)


def test_file_that_is_not_utf8_is_not_readable() -> None:
    """A Latin-1 file (AP403) is marked not readable, so serve shows a stand-in page."""
    checked = check_bytes(PATH, "---\naccount: Café\n---\n".encode("latin-1"), Settings())
    assert not checked.readable and [p.code for p in checked.problems] == ["AP403"]


def test_unreadable_path_is_not_readable(tmp_path: Path) -> None:
    """check_paths marks a Markdown file it cannot read (a dangling link) as not readable."""
    (tmp_path / "gone.md").symlink_to(tmp_path / "missing.md")
    files, _ = check_paths([tmp_path / "gone.md"], Settings())
    assert [(f.readable, [p.code for p in f.problems]) for f in files] == [(False, ["AP403"])]


def test_model_objects_have_no_instance_dict() -> None:
    """Plan and its parts are slotted: no per-object __dict__ (a third of their memory)."""
    checked = check_text(PATH, GOOD, Settings())
    plan = checked.plan
    assert plan is not None and plan.contacts and plan.targets and plan.milestones and plan.sections
    for obj in (checked, plan, plan.organisation, plan.contacts[0], plan.targets[0],
                plan.milestones[0], plan.sections[0]):
        assert not hasattr(obj, "__dict__"), type(obj).__name__


def test_slotted_plan_pickles_compares_and_hashes_as_before() -> None:
    """A plan survives pickling equal, with the same hash, and dataclasses.replace works."""
    plan = check_text(PATH, GOOD, Settings()).plan
    assert plan is not None
    again = pickle.loads(pickle.dumps(plan))
    assert again == plan and hash(again) == hash(plan) and again.lines == plan.lines
    renamed = dataclasses.replace(plan, account="Other B.V.")
    assert renamed.account == "Other B.V." and renamed.targets == plan.targets and renamed != plan
