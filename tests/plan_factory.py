"""The tests' plans and their one way to build a site.

- `plan_text`: a valid plan from a few parameters, for the site tests (`write_plan` puts it in
  a project copy, `clear_plans` empties one first);
- `review_plan_text`: a valid plan as a person types it, for the review commands' tests
  (`accountplans diff`, `roll`, in the git repositories of tests/plan_repo.py);
- `build_site`: `mkdocs build` in-process, as the command line runs it.

Large realistic portfolios come from the benchmark's generators (bench/generate.py, loaded by
conftest.bench_generator), not from here.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

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


def build_site(project: Path, site_dir: Path | None = None, *, strict: bool = False,
               command: Literal["build", "serve"] = "build", serve_url: str | None = None,
               prepare: Callable[[MkDocsConfig], None] | None = None, **options: Any) -> Path:
    """`mkdocs build` in-process, the one way the tests build a site: mkdocs.yml loaded as the
    CLI loads it (`options` as its command-line options), every plugin and hook told which
    command runs (on_startup: `serve` for a build as `mkdocs serve` makes it, with `serve_url`),
    `prepare` given the loaded configuration, the build, then on_shutdown. Builds into
    `site_dir` (default project/site) and returns it; the caller pins SOURCE_DATE_EPOCH.
    A build that stops raises what MkDocs raises (Abort, PluginError)."""
    site = site_dir or project / "site"
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site), strict=strict,
                         **options)
    config.plugins.on_startup(command=command, dirty=False)
    try:
        if prepare is not None:
            prepare(config)
        build(config, serve_url=serve_url)
    finally:
        config.plugins.on_shutdown()
    return site


# --- plans for the review commands (accountplans diff, roll) ------------------------------

REVIEW_BODY = """
## Organisation

A family business with 38 shops.

## Market position

Runner-up in the region.

## Customer goals

One ERP for all shops by the end of 2027.

## Our goals

{{ targets_table() }}

## Timeline

{{ milestones_table() }}
"""

Targets = Sequence[tuple[str, int | str, int | str | None]]
Milestones = Sequence[tuple[str, str, str, bool]]
Contacts = Sequence[tuple[str, str, bool]]

VAN_DIJK_TARGETS: Targets = (("Cloud ERP licences", 120000, 400000), ("Training", 15000, 45000))
VAN_DIJK_MILESTONES: Milestones = (
    ("2027-01-15", "Kick-off with the CFO", "contact", False),
    ("2027-03-25", "Quarterly review Q1", "evaluation", False),
    ("2027-06-24", "Quarterly review Q2", "evaluation", False),
    ("2027-09-28", "Quarterly review Q3", "evaluation", False),
    ("2027-12-14", "Quarterly review Q4", "evaluation", False),
)
VAN_DIJK_CONTACTS: Contacts = (("Anna Bakker", "Managing director", True), ("Pieter Jansen", "CFO", True),
                               ("Ilse Mulder", "Head of IT", False))


def review_plan_text(account: str = "Bakkerij Van Dijk B.V.", *, owner: str = "Sanne de Vries",
              status: str = "active", currency: str = "EUR", targets: Targets = VAN_DIJK_TARGETS,
              milestones: Milestones = VAN_DIJK_MILESTONES, contacts: Contacts = VAN_DIJK_CONTACTS,
              body: str = REVIEW_BODY) -> str:
    """A valid plan (no errors) as the review tests (diff, roll) commit it: Van Dijk's values
    unless given, no automatic evaluations, values unquoted, as a person types them."""
    lines = ["---", f"account: {account}", f"owner: {owner}", "year: 2027", "reviewed: 2026-11-02",
             f"status: {status}", f"currency: {currency}", "market_position: runner-up", "contacts:"]
    for name, role, decides in contacts:
        lines += [f"  - name: {name}", f"    role: {role}", f"    decision_maker: {str(decides).lower()}"]
    lines.append("targets:")
    for product, year1, year3 in targets:
        lines += [f"  - product: {product}", f"    year1: {year1}"]
        if year3 is not None:
            lines.append(f"    year3: {year3}")
    lines.append("milestones:")
    for date, title, kind, done in milestones:
        lines += [f"  - date: {date}", f"    title: {title}", f"    kind: {kind}",
                  f"    done: {str(done).lower()}"]
    lines.append("---")
    return "\n".join(lines) + "\n" + body
