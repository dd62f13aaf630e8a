"""`accountplans roll YEAR`: next year's draft plans made from this year's, which are archived.

Each active plan of YEAR - 1 without errors gets a draft for YEAR in a new file beside it
(`van-dijk.md` -> `van-dijk-2028.md`; a year already at the end of the name is replaced).
The new plan is the old file with only these values changed, so comments, the order of the
fields and the whole text stay as the author wrote them:

- `year:` YEAR, `status: draft`, `reviewed:` the day of the roll (the plan was made then);
- each target moves one year along its path: the old plan expected `year1` in the old year
  and `year3` two years later, growing by the same factor each year (the growth per year the
  plan page shows, `(year3 / year1) ** (1/2)`). The new `year1` is one year along that path,
  `year1 * (year3 / year1) ** (1/2)`, and the new `year3` one year beyond the old one,
  `year3 * (year3 / year1) ** (1/2)`, both rounded to whole units. A target without `year3`
  keeps its `year1`; a product whose `year3` is 0 (it stops) is left out of the new plan;
- every milestone one year later (29 February becomes 28 February), `done: false`, and its
  `outcome:`/`status:` (what last year's evaluation found) removed;
- an evaluation in every quarter of YEAR: a quarter without one gets "Quarterly evaluation
  Qn" (in the plan's language) on the 15th of its last month (the Friday before, on a weekend).

The old plan gets `status: archived` (it stays in the repository and on the site, listed
apart, counted in no total). Nothing is ever overwritten: when the new file exists, that plan
is skipped, both files as they were. Every step is printed, in the site's language (or
`--lang`'s).
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
import sys
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

from accountplans.i18n import gettext
from accountplans.plan.check import check_bytes
from accountplans.plan.frontmatter import normalise_text, split
from accountplans.plan.model import Plan
from accountplans.settings import Project

_YEAR_SUFFIX = re.compile(r"-\d{4}$")


def rolled_name(path: Path, year: int) -> Path:
    """`van-dijk.md` -> `van-dijk-2028.md`; `van-dijk-2027.md` -> `van-dijk-2028.md`."""
    return path.with_name(f"{_YEAR_SUFFIX.sub('', path.stem)}-{year}{path.suffix}")


def next_year_targets(year1: Decimal, year3: Decimal | None) -> tuple[Decimal, Decimal | None] | None:
    """(new year1, new year3) one year along the path from year1 to year3; None when the
    product stops (year3 is 0)."""
    if year3 is None:
        return year1, None
    if year3 == 0:
        return None
    with decimal.localcontext() as ctx:
        ctx.prec = 28
        step = (year3 / year1).sqrt()
        whole = Decimal(1)
        return ((year1 * step).quantize(whole, ROUND_HALF_UP),
                (year3 * step).quantize(whole, ROUND_HALF_UP))


def one_year_later(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def evaluation_day(year: int, quarter: int) -> dt.date:
    """The 15th of the quarter's last month, or the Friday before it on a weekend."""
    day = dt.date(year, 3 * quarter, 15)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _amount(value: Decimal) -> str:
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


@dataclass
class _Edits:
    """Text edits of one file, by character offset, applied from the end."""

    text: str
    changes: list[tuple[int, int, str]]

    def replace(self, start: int, end: int, new: str) -> None:
        self.changes.append((start, end, new))

    def apply(self) -> str:
        text = self.text
        for start, end, new in sorted(self.changes, key=lambda c: (c[0], c[1]), reverse=True):
            text = text[:start] + new + text[end:]
        return text


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """The offset after the line that holds `index - 1` (a node's end is exclusive)."""
    end = text.find("\n", max(index - 1, 0))
    return len(text) if end < 0 else end + 1


def _fields(node: yaml.Node | None) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def rolled_text(text: str, plan: Plan, year: int, today: dt.date,
                language: str = "en") -> tuple[str, list[str]] | None:
    """The new plan's text and the notes on what changed (in `language`); None when the
    front-matter cannot be read (the plan has errors then, and is not rolled)."""
    text = normalise_text(text)
    source, problems = split(plan.path, text)
    if problems or source.front_matter is None:
        return None
    base = text.find("\n") + 1  # the front-matter starts on the line after ---
    try:
        root = yaml.compose(source.front_matter, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    top = _fields(root)
    edits = _Edits(text, [])
    notes: list[str] = []

    def at(node: yaml.Node) -> tuple[int, int]:
        return base + node.start_mark.index, base + node.end_mark.index

    def set_value(name: str, value: str, after: str = "year") -> None:
        if name in top:
            edits.replace(*at(top[name][1]), value)
        else:  # a line of its own, after the line of `after`
            anchor = _line_end(text, at(top[after][1])[1])
            edits.replace(anchor, anchor, f"{name}: {value}\n")

    def remove_pair(pair: tuple[yaml.Node, yaml.Node]) -> None:
        start = _line_start(text, base + pair[0].start_mark.index)
        edits.replace(start, _line_end(text, base + pair[1].end_mark.index), "")

    set_value("year", str(year))
    set_value("reviewed", today.isoformat())
    set_value("status", "draft")
    targets = top.get("targets", (None, None))[1]
    for item, target in zip(targets.value if isinstance(targets, yaml.SequenceNode) else [],
                            plan.targets, strict=False):
        fields = _fields(item)
        moved = next_year_targets(target.year1, target.year3)
        if moved is None:
            start = _line_start(text, base + item.start_mark.index)
            edits.replace(start, _line_end(text, base + item.end_mark.index), "")
            notes.append(gettext("{product} left out (year3 is 0)", language, product=target.product))
            continue
        new1, new3 = moved
        if "year1" in fields:
            edits.replace(*at(fields["year1"][1]), _amount(new1))
        if new3 is not None and "year3" in fields:
            edits.replace(*at(fields["year3"][1]), _amount(new3))
        notes.append(gettext("{product} year1 {old} → {new}", language, product=target.product,
                             old=_amount(target.year1), new=_amount(new1)))
    milestones = top.get("milestones", (None, None))[1]
    items = milestones.value if isinstance(milestones, yaml.SequenceNode) else []
    planned: set[int] = set()
    for item, milestone in zip(items, sorted(plan.milestones, key=lambda m: m.line), strict=False):
        fields = _fields(item)
        later = one_year_later(milestone.date)
        if "date" in fields:
            edits.replace(*at(fields["date"][1]), later.isoformat())
        if "done" in fields:
            edits.replace(*at(fields["done"][1]), "false")
        for name in ("outcome", "status"):
            if name in fields:
                remove_pair(fields[name])
        if milestone.kind == "evaluation" and later.year == year:
            planned.add((later.month - 1) // 3 + 1)
    missing = [q for q in range(1, 5) if q not in planned]
    if missing:
        # A title in the plan's words: the new plan is written in its language.
        new = [(evaluation_day(year, q), gettext("Quarterly evaluation Q{quarter}", plan.language,
                                                 quarter=q)) for q in missing]
        if items:
            dash = items[-1].start_mark.column - 2
            indent = " " * max(dash, 0)
            lines = "".join(f"{indent}- date: {day.isoformat()}\n{indent}  title: {title}\n"
                            f"{indent}  kind: evaluation\n" for day, title in new)
            anchor = _line_end(text, base + items[-1].end_mark.index)
        else:
            lines = "milestones:\n" + "".join(f"  - date: {day.isoformat()}\n    title: {title}\n"
                                              "    kind: evaluation\n" for day, title in new)
            if "milestones" in top:
                remove_pair(top["milestones"])
            anchor = base + len(source.front_matter)
            if not source.front_matter.endswith("\n"):
                lines = "\n" + lines
        edits.replace(anchor, anchor, lines)
        notes.append(gettext("evaluations planned in {quarters}", language,
                             quarters=", ".join(f"Q{q}" for q in missing)))
    return edits.apply(), notes


def archived_text(text: str, plan: Plan) -> str | None:
    """The old plan's text with `status: archived`; None when it cannot be read."""
    text = normalise_text(text)
    source, problems = split(plan.path, text)
    if problems or source.front_matter is None:
        return None
    base = text.find("\n") + 1
    root = yaml.compose(source.front_matter, Loader=yaml.SafeLoader)
    top = _fields(root)
    edits = _Edits(text, [])
    if "status" in top:
        node = top["status"][1]
        edits.replace(base + node.start_mark.index, base + node.end_mark.index, "archived")
    else:
        anchor = _line_end(text, base + top["year"][1].end_mark.index)
        edits.replace(anchor, anchor, "status: archived\n")
    return edits.apply()


def roll(project: Project, year: int, today: dt.date) -> tuple[list[str], int, int]:
    """Roll every active plan of `year - 1` in the docs folder over to `year`: (the lines
    printed, in the site's language, how many plans were rolled, how many skipped)."""
    language = project.settings.language
    out: list[str] = []
    rolled = skipped = 0
    folder = project.docs_dir
    for path in sorted(folder.rglob("*.md")):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        data = path.read_bytes()
        checked = check_bytes(path.as_posix(), data, project.settings)
        plan = checked.plan
        if plan is None or plan.status != "active" or plan.year != year - 1:
            continue
        shown = _shown(path, project.root)
        target = rolled_name(path, year)
        if checked.errors:
            skipped += 1
            out.append(gettext("{path}: skipped, it has errors; run `accountplans check {path}`, "
                               "fix them and roll again", language, path=shown))
            continue
        if target.exists():
            skipped += 1
            out.append(gettext("{path}: skipped, {target} exists already (nothing is overwritten)",
                               language, path=shown, target=_shown(target, project.root)))
            continue
        text = data.decode("utf-8")
        made = rolled_text(text, plan, year, today, language)
        archived = archived_text(text, plan)
        if made is None or archived is None:
            skipped += 1
            out.append(gettext("{path}: skipped, its front-matter cannot be read", language,
                               path=shown))
            continue
        new_text, notes = made
        with target.open("x", encoding="utf-8", newline="") as fh:
            fh.write(new_text)
        path.write_text(archived, encoding="utf-8", newline="")
        rolled += 1
        out.append(gettext("{path}: archived; draft for {year} written to {target} ({notes})",
                           language, path=shown, year=year, target=_shown(target, project.root),
                           notes="; ".join(notes)))
    if not rolled and not out:
        out.append(gettext("No active plan of {year} to roll over.", language, year=year - 1))
    return out, rolled, skipped


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def main(project: Project, year: int, today: dt.date) -> int:
    """0 when every plan was rolled or there was nothing to roll; 1 when a plan was skipped."""
    if not 2000 <= year <= 2100:
        print(gettext("accountplans roll: YEAR must be between 2000 and 2100",
                      project.settings.language), file=sys.stderr)
        return 2
    lines, _, skipped = roll(project, year, today)
    for line in lines:
        print(line)
    return 1 if skipped else 0
