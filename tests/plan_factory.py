"""Valid plans written from a few parameters, and an in-process build, for the site tests.

Large realistic portfolios come from the benchmark's generators (bench/generate.py, loaded by
conftest.bench_generator), not from here.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

#: Pinned "today" of most tests: 2027-03-10, a Wednesday in Q1 (ISO week 10) of the plan
#: year 2027, so quarter and week targets are not zero.
TODAY = dt.date(2027, 3, 10)


def epoch(day: dt.date) -> str:
    """SOURCE_DATE_EPOCH of midnight UTC of `day`."""
    return str(int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()))


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted string


def plan_text(account: str, owner: str, *, year: int = 2027, status: str = "active",
              currency: str = "EUR", reviewed: str = "2027-01-05", language: str = "en",
              targets: Sequence[tuple[str, int, int]] = (("Licences", 120000, 300000),),
              milestones: Sequence[tuple[str, str, str, bool]] = (),
              tags: Sequence[str] = (), seasonality: Sequence[int] | None = None,
              paragraphs: int = 1, heading: bool = True) -> str:
    """A plan that passes every rule: four evaluations, a decision maker, the six parts.

    `milestones` are (date, title, kind, done), added to the four quarterly evaluations.
    """
    lines = ["---", f"account: {_q(account)}", f"owner: {_q(owner)}", f"year: {year}",
             f"reviewed: {reviewed}", f"status: {status}", f"language: {language}",
             f"currency: {currency}", "market_position: challenger", "contacts:",
             "  - name: Chris Decider", "    role: CEO", "    decision_maker: true", "targets:"]
    for product, year1, year3 in targets:
        lines += [f"  - product: {_q(product)}", f"    year1: {year1}", f"    year3: {year3}"]
    if seasonality:
        lines.append(f"seasonality: [{', '.join(map(str, seasonality))}]")
    lines.append("milestones:")
    evaluations = [(f"{year}-{month:02d}-15", f"Evaluation Q{q}", "evaluation", False)
                   for q, month in enumerate((3, 6, 9, 12), start=1)]
    for date, title, kind, done in [*evaluations, *milestones]:
        lines += [f"  - date: {date}", f"    title: {_q(title)}", f"    kind: {kind}",
                  f"    done: {'true' if done else 'false'}"]
        if title == "Evaluation Q1":  # the decision maker is met (AP307)
            lines.append("    with: Chris Decider")
    if tags:
        lines.append(f"tags: [{', '.join(_q(t) for t in tags)}]")
    lines.append("---")
    text = "A family firm that has grown steadily; it buys through one central desk."
    body = "\n\n".join([text] * paragraphs)
    lines += ["", f"# {account}" if heading else "", "", "## Organisation", "", body, "",
              "## Market position", "", "Second in its region.", "", "## Customer goals", "",
              "Open two shops.", "",
              "## Our goals", "", "{{ targets_table() }}", "", "## Timeline", "",
              "{{ milestones_table() }}", ""]
    return "\n".join(lines)


def clear_plans(project: Path) -> Path:
    """Leave only the dashboard and the help page in the project's plans folder."""
    docs = project / "plans"
    for path in docs.iterdir():
        if (path.suffix == ".md" and path.name not in ("index.md", "help.md")) or path.name == "actuals.csv":
            path.unlink()
    return docs


def write_plan(project: Path, slug: str, text: str) -> Path:
    path = project / "plans" / f"{slug}.md"
    path.write_text(text, encoding="utf-8")
    return path


def build_site(project: Path, *, strict: bool = False) -> Path:
    """`mkdocs build` in-process into project/site (the caller pins SOURCE_DATE_EPOCH)."""
    site = project / "site"
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site), strict=strict)
    build(config)
    return site
