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

from accountplans.compute.actuals import ACTUALS_CSV, Actuals, load_actuals
from accountplans.compute.figures import entries
from accountplans.plan.check import CheckedFile, check_paths, counted, shown_path
from accountplans.plan.problems import Problem, count_errors
from accountplans.plan.rendered import DEFAULT_MARKDOWN, MarkdownSetup
from accountplans.settings import Settings
from accountplans.site.owners import probable_duplicates

__all__ = ["SiteCheck", "check_site"]

Checker = Callable[[Path, str, Settings, MarkdownSetup], CheckedFile]


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
               markdown: MarkdownSetup = DEFAULT_MARKDOWN, checker: Checker | None = None) -> SiteCheck:
    """Check every Markdown file under `paths` and the actuals.csv of each folder among them.

    Paths are shown relative to `display` when they lie under it (see check.check_paths);
    `checker` checks one file (`serve` passes its cache's).
    """
    with _collector_paused():
        return _check_site(paths, settings, display, markdown, checker)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cycle collector off while checking, back as it was after.

    Checking makes hundreds of thousands of YAML nodes, values and problems, none in a cycle
    (reference counting frees them), while the plans it keeps grow: the collector's passes,
    each walking all that is kept, cost a tenth or more of a check at 1000 plans and free
    nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_site(paths: Sequence[Path], settings: Settings, display: Path | None,
                markdown: MarkdownSetup, checker: Checker | None) -> SiteCheck:
    files, found = check_paths(paths, settings, display=display, markdown=markdown, checker=checker)
    found += probable_duplicates(entries({f.path: f for f in files}), settings)  # AP309
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
