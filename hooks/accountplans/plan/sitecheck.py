"""`check_site`: every check of the plans, the one path `accountplans check` and the build take.

The files (every rule of accountplans.plan.check, the refused files AP404, the portfolio's AP304),
the owners' names (AP309), then each checked folder's actuals.csv (AP501/AP502) against the
plans: the same inputs give the same problems, in the same order, printed as the same lines.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from accountplans.compute.actualsfile import ACTUALS_CSV, Actuals, load_actuals
from accountplans.i18n import gettext
from accountplans.names import name_key, same_person
from accountplans.plan.check import CheckedFile, Checker, check_paths, counted, shown_path
from accountplans.plan.model import Plan
from accountplans.plan.problems import Problem, count_errors, problem
from accountplans.plan.rendered import DEFAULT_MARKDOWN, MarkdownSetup
from accountplans.settings import Settings

__all__ = ["SiteCheck", "check_site", "collector_paused"]

@dataclass(frozen=True)
class SiteCheck:
    """What checking the plans found."""

    files: tuple[CheckedFile, ...]
    problems: tuple[Problem, ...]
    """Every problem, in the order it is reported: the files' (AP404 and AP304 among them),
    the owners' (AP309), then the actuals'."""
    actuals_problems: tuple[Problem, ...] = ()
    """AP501/AP502, also in `problems`: the dashboard lists them."""
    actuals: Mapping[Path, Actuals] = field(default_factory=dict)
    """Each checked folder's actuals.csv that could be read, by folder."""

    @property
    def errors(self) -> int:
        return count_errors(self.problems)

    @property
    def failing_strict(self) -> list[Problem]:
        """The problems that fail `--strict`: errors, and warnings but a draft's."""
        return counted(self.files, self.problems)


def check_site(paths: Sequence[Path], settings: Settings, *, display: Path | None = None,
               markdown: MarkdownSetup = DEFAULT_MARKDOWN, checker: Checker | None = None,
               checker_for: Callable[[Sequence[tuple[Path, str]]], Checker] | None = None) -> SiteCheck:
    """Check every Markdown file under `paths` and the actuals.csv of each folder among them.

    Paths are shown relative to `display` when they lie under it (see check.check_paths);
    `checker` checks one file (`serve` passes its cache's), or `checker_for` makes the
    checker once the files to check are known (`build` shares them with a child).
    """
    with collector_paused():
        return _check_site(paths, settings, display, markdown, checker, checker_for)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off while checking, back as it was after.

    Checking makes hundreds of thousands of YAML nodes, values and problems, none in a cycle
    (reference counting frees them), while the plans it keeps grow: the collector's passes,
    each walking all that is kept, cost a tenth or more of a check at 1000 plans and free
    nothing. (Its first pass once it is back walks what is still kept; `accountplans check`
    keeps it off until the results are let go of.)
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_site(paths: Sequence[Path], settings: Settings, display: Path | None,
                markdown: MarkdownSetup, checker: Checker | None,
                checker_for: Callable[[Sequence[tuple[Path, str]]], Checker] | None) -> SiteCheck:
    files, found = check_paths(paths, settings, display=display, markdown=markdown, checker=checker,
                               checker_for=checker_for)
    found += probable_duplicates(files, settings)  # AP309
    plans = [f.plan for f in files if f.plan is not None]
    actuals: dict[Path, Actuals] = {}
    actuals_problems: list[Problem] = []
    for folder in sorted({p for p in paths if p.is_dir()}):
        csv_path = folder / ACTUALS_CSV
        read, problems = load_actuals(csv_path, shown_path(csv_path, display), plans,
                                      settings.language)
        if read is not None:
            actuals[folder] = read
        actuals_problems += problems
    return SiteCheck(tuple(files), (*found, *actuals_problems), tuple(actuals_problems), actuals)


def probable_duplicates(files: Sequence[CheckedFile], settings: Settings) -> list[Problem]:
    """AP309, without a team roster: owner names that are probably one person (`M. de Groot`
    and `Mark de Groot`), reported at each published plan that uses the shorter spelling, in
    the order of the plans' accounts."""
    if settings.team:
        return []
    published = sorted((f.plan for f in files if f.plan is not None and not f.plan.is_draft),
                       key=lambda plan: (name_key(plan.account), plan.path))
    spellings: dict[str, str] = {}
    for plan in published:
        name = _owner_name(plan)
        spellings.setdefault(name_key(name), name)
    # Compared once per pair of spellings, not per plan: a team has dozens of owners and
    # a thousand plans.
    longer: dict[str, list[str]] = {}
    problems = []
    for plan in published:
        name = _owner_name(plan)
        if name not in longer:
            longer[name] = [other for other in spellings.values()
                            if len(other) > len(name) and same_person(name, other)]
        others = longer[name]
        if others:
            problems.append(problem(plan.path, plan.lines.get("owner", 1), 1, "AP309", gettext(
                "the owner '{owner}' is probably {other}, who owns other plans; write the name the same "
                "way in every plan, or list the team under extra.accountplans.team in mkdocs.yml",
                settings.language, owner=name, other=others[0])))
    return problems


def _owner_name(plan: Plan) -> str:
    """The owner as the owner pages name them (accountplans.compute.figures.owner_name)."""
    return " ".join((plan.owner or "(no owner)").split())
