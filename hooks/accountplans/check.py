"""Checking files: one file at a time (every rule but AP304), then the portfolio (AP304).

`accountplans check` and the MkDocs hooks both call `check_bytes`; nothing here imports
MkDocs, so the checks outlive the site generator.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from . import body as body_rules
from .frontmatter import check_structure, compose, decode, split
from .model import Plan
from .printsize import estimate_pages
from .problems import Problem, as_draft, problem
from .schema import read_plan
from .settings import Settings


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """One Markdown file after checking. `plan` is None for pages that are not plans.

    The file's text is not kept: a build holds every checked file until it ends, and the
    text (with the front-matter and body split from it) was three copies of every plan.
    """

    path: str
    plan: Plan | None
    problems: tuple[Problem, ...]
    readable: bool = True
    """False when the text could not be read or parsed at all: not UTF-8, over 1 MiB,
    unreadable (AP403), or an internal error (AP002)."""
    body_line: int = 1
    """File line (1-based) of the body's first line, after the front-matter."""

    @property
    def is_plan(self) -> bool:
        return self.plan is not None

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)


def check_bytes(path: str, data: bytes, settings: Settings) -> CheckedFile:
    """Check one file's bytes. Never raises: every outcome is a list of coded problems."""
    text, found = decode(path, data)
    if text is None:
        return CheckedFile(path, None, tuple(found), readable=False)
    return check_text(path, text, settings)


def check_text(path: str, text: str, settings: Settings) -> CheckedFile:
    try:
        return _check_text(path, text, settings)
    except Exception as err:  # noqa: BLE001 - the promise is: no traceback, ever
        # A bug of ours must still reach the author as a coded line, not a traceback.
        return CheckedFile(path, None, (problem(
            path, 0, 0, "AP002",
            f"accountplans could not read this file (internal error: {type(err).__name__}); "
            "please report it to the team that maintains the plan site"),), readable=False)


def _check_text(path: str, text: str, settings: Settings) -> CheckedFile:
    source, found = split(path, text)
    body_line = source.body_line
    if source.front_matter is None:
        return CheckedFile(path, None, tuple(found), body_line=body_line)
    root, found = compose(source)
    if root is None:
        return CheckedFile(path, None, tuple(found), body_line=body_line)
    found = check_structure(source, root)
    if not _is_plan(root):
        return CheckedFile(path, None, tuple(sorted(found, key=_place)), body_line=body_line)

    assert isinstance(root, yaml.MappingNode)
    plan = read_plan(source, root, settings)
    sections, section_problems = body_rules.find_sections(path, source.body, source.body_line, settings)
    found += plan.problems
    found += section_problems
    found += body_rules.check_templates(path, source.body, source.body_line)
    found += body_rules.check_html(path, source.body, source.body_line)
    pages = estimate_pages(plan, source.body)
    if pages > settings.max_pages:
        found.append(problem(
            path, source.body_line, 1, "AP201",
            f"the plan would print on about {pages} A4 pages, more than the {settings.max_pages} "
            "allowed (generated tables included); shorten the text: keep each section to what "
            "the next quarter needs"))
    if plan.is_draft:
        found = as_draft(found)
    found = sorted(set(found), key=_place)
    plan = replace(plan, sections=sections, problems=tuple(found))
    return CheckedFile(path, plan, tuple(found), body_line=body_line)


def _place(p: Problem) -> tuple[int, int, str, str]:
    return (p.line, p.col, p.code, p.message)


def _is_plan(root: yaml.Node) -> bool:
    """A page is a plan when its front-matter has `account:`."""
    return isinstance(root, yaml.MappingNode) and any(
        isinstance(k, yaml.ScalarNode) and k.value == "account" for k, _ in root.value)


def check_portfolio(files: Sequence[CheckedFile]) -> list[Problem]:
    """AP304: two plans with the same account (compared case- and space-insensitively)."""
    found: list[Problem] = []
    first: dict[str, CheckedFile] = {}
    for checked in sorted(files, key=lambda c: c.path):
        plan = checked.plan
        if plan is None or not plan.account:
            continue
        key = " ".join(plan.account.casefold().split())
        if key in first:
            other = first[key]
            found.append(problem(
                checked.path, plan.lines.get("account", 1), 1, "AP304",
                f"the account '{plan.account}' already has a plan in {other.path}; "
                "merge the two plans or give this one the customer's full, distinct name"))
        else:
            first[key] = checked
    return found


def markdown_files(paths: Iterable[Path]) -> list[Path]:
    """Every `.md` file under the given files and folders, sorted, without hidden folders."""
    out: set[Path] = set()
    for path in paths:
        if path.is_dir():
            for folder, dirs, names in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                out.update(Path(folder, n) for n in names if n.endswith(".md"))
        else:
            out.add(path)
    return sorted(out)


def check_paths(paths: Iterable[Path], settings: Settings,
                display: Path | None = None) -> tuple[list[CheckedFile], list[Problem]]:
    """Check every Markdown file under `paths`: (files, all problems incl. AP304).

    Paths are shown relative to `display` (e.g. the project root) when they lie under it.
    """
    files = []
    # Resolved once, not once per file: resolving walks every folder of the path.
    display = display.resolve() if display is not None else None
    folders: dict[Path, Path] = {}
    for path in markdown_files(paths):
        shown = _shown(path, display, folders)
        try:
            data = path.read_bytes()
        except OSError as err:
            files.append(CheckedFile(shown, None, (problem(
                shown, 0, 0, "AP403", f"the file cannot be read ({err.strerror}); check that it "
                                      "exists and is readable"),), readable=False))
            continue
        files.append(check_bytes(shown, data, settings))
    found = [p for f in files for p in f.problems]
    found += check_portfolio(files)
    return files, found


def _shown(path: Path, display: Path | None, folders: dict[Path, Path]) -> str:
    """`path` relative to `display` (already resolved), else as given.

    A file that is not a symlink resolves to its resolved folder plus its name, so each
    folder is resolved once (`folders`), not every file.
    """
    if display is not None:
        try:
            if path.is_symlink():
                real = path.resolve()
            else:
                folder = folders.get(path.parent)
                if folder is None:
                    folder = folders[path.parent] = path.parent.resolve()
                real = folder / path.name
            return real.relative_to(display).as_posix()
        except ValueError:
            pass
    return path.as_posix()
