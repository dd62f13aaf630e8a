"""Checking files: one file at a time (every rule but AP304), then the portfolio (AP304).

`accountplans check` and the MkDocs hooks both call `check_bytes`; nothing here imports
MkDocs, so the checks outlive the site generator.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from accountplans.i18n import gettext
from accountplans.names import name_key
from accountplans.plan import body as body_rules
from accountplans.plan import printsize
from accountplans.plan.drafts import fails_strict
from accountplans.plan.frontmatter import check_structure, compose, decode, split
from accountplans.plan.model import Plan
from accountplans.plan.pagemeta import page_meta
from accountplans.plan.problems import Problem, as_draft, printable, problem
from accountplans.plan.rendered import DEFAULT_MARKDOWN, MarkdownSetup, too_costly, unsafe_html
from accountplans.plan.schema import read_plan
from accountplans.settings import Settings


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
    page_meta: tuple[tuple[str, object], ...] = ()
    """A page that is not a plan: the front-matter keys the theme may see, checked (see
    accountplans.plan.pagemeta). A plan's theme meta is its tags."""
    has_front_matter: bool = False

    @property
    def is_plan(self) -> bool:
        return self.plan is not None

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)


def check_bytes(path: str, data: bytes, settings: Settings,
                markdown: MarkdownSetup = DEFAULT_MARKDOWN) -> CheckedFile:
    """Check one file's bytes. Never raises: every outcome is a list of coded problems."""
    text, found = decode(path, data, settings.language)
    if text is None:
        return CheckedFile(path, None, tuple(found), readable=False)
    return check_text(path, text, settings, markdown)


def check_text(path: str, text: str, settings: Settings,
               markdown: MarkdownSetup = DEFAULT_MARKDOWN) -> CheckedFile:
    try:
        return _check_text(path, text, settings, markdown)
    except Exception as err:  # noqa: BLE001 - the promise is: no traceback, ever
        # A bug of ours must still reach the author as a coded line, not a traceback.
        return CheckedFile(path, None, (problem(path, 0, 0, "AP002", gettext(
            "accountplans could not read this file (internal error: {error}); please report it "
            "to the team that maintains the plan site", settings.language,
            error=type(err).__name__)),), readable=False)


def _check_text(path: str, text: str, settings: Settings, markdown: MarkdownSetup) -> CheckedFile:
    """Every page, plan or not, is read the same way: its front-matter with the one YAML
    reader, its template code (AP401) and the HTML it becomes (AP402)."""
    source, found = split(path, text, settings.language)
    body_line = source.body_line
    root = None
    if source.front_matter is not None:
        root, more = compose(source, settings.language)
        found += more
        if root is not None:
            found += check_structure(source, root, settings.language)
    costly = too_costly(path, source.body, body_line, settings.language)
    if costly is not None:
        # Neither checked further nor converted by MkDocs: `serve` shows a stand-in.
        return CheckedFile(path, None, tuple(sorted([*found, costly], key=_place)), readable=False,
                           body_line=body_line)
    plan: Plan | None = None
    meta: dict[str, object] = {}
    if root is not None and _is_plan(root):
        assert isinstance(root, yaml.MappingNode)
        plan = read_plan(source, root, settings)
        sections, section_problems = body_rules.find_sections(path, source.body, source.body_line,
                                                              settings)
        found += plan.problems
        found += section_problems
        too_long = printsize.too_long(plan, source.body, settings.max_pages, settings.language)
        if too_long is not None:
            found.append(problem(path, source.body_line, 1, "AP201", too_long))
    elif root is not None:
        meta, more = page_meta(source, root, settings.language)
        found += more
    macros = body_rules.PLAN_MACROS if plan is not None else body_rules.PORTFOLIO_MACROS
    found += body_rules.check_templates(path, without_raw_blocks(source.body), source.body_line,
                                        macros, settings.team_macros, settings.language)
    found += unsafe_html(path, source.body, source.body_line, markdown, settings.language)
    if plan is not None and plan.is_draft:
        found = as_draft(found)
    found = sorted(set(found), key=_place)
    if plan is not None:
        plan = replace(plan, sections=sections, problems=tuple(found))
    return CheckedFile(path, plan, tuple(found), body_line=body_line,
                       page_meta=tuple(meta.items()),
                       has_front_matter=source.front_matter is not None)


_RAW_OPEN = re.compile(r"\{%-? *raw *-?%\}")
_RAW_CLOSE = re.compile(r"\{%-? *endraw *-?%\}")


def without_raw_blocks(body: str) -> str:
    """The body with each `{% raw %}...{% endraw %}` blanked (line breaks kept): its text is
    shown as written, never run, in the build's renderer too. An unclosed one is kept, and
    reported as template code."""
    if "raw" not in body:
        return body
    out: list[str] = []
    pos = 0
    while (opening := _RAW_OPEN.search(body, pos)) is not None:
        closing = _RAW_CLOSE.search(body, opening.end())
        if closing is None:
            break
        out.append(body[pos:opening.start()])
        out.append(re.sub(r"[^\n]", " ", body[opening.start():closing.end()]))
        pos = closing.end()
    out.append(body[pos:])
    return "".join(out)


def _place(p: Problem) -> tuple[int, int, str, str]:
    return (p.line, p.col, p.code, p.message)


def _is_plan(root: yaml.Node) -> bool:
    """A page is a plan when its front-matter has `account:`."""
    return isinstance(root, yaml.MappingNode) and any(
        isinstance(k, yaml.ScalarNode) and k.value == "account" for k, _ in root.value)


def check_portfolio(files: Sequence[CheckedFile], language: str = "en") -> list[Problem]:
    """AP304: two plans with the same account (compared case- and space-insensitively) for
    the same plan year."""
    found: list[Problem] = []
    first: dict[tuple[str, int | None], CheckedFile] = {}
    for checked in sorted(files, key=lambda c: c.path):
        plan = checked.plan
        if plan is None or not plan.account:
            continue
        # One plan per account and plan year: a roll-over keeps last year's plan, archived.
        key = (name_key(plan.account), plan.year)
        if key in first:
            other = first[key]
            found.append(problem(checked.path, plan.lines.get("account", 1), 1, "AP304", gettext(
                "the account '{account}' already has a plan in {path}; merge the two plans or "
                "give this one the customer's full, distinct name", language,
                account=plan.account, path=other.path)))
        else:
            first[key] = checked
    return found


#: The file names MkDocs renders as pages (mkdocs.utils.markdown_extensions), lower case.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
#: Other files the docs folder may hold: MkDocs copies them to the site as they are, so only
#: types a browser never runs as a page or script (no .html, .svg, .js, .css, .xml...).
STATIC_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".pdf", ".txt", ".csv", ".ics", ".json")


@dataclass(frozen=True)
class DocsFolder:
    """What a folder of plans holds: the Markdown files to check, and the files the site
    refuses to publish (AP404), each with its problem."""

    markdown: tuple[Path, ...]
    refused: tuple[tuple[Path, Problem], ...]


def is_markdown(name: str) -> bool:
    """A page, whatever the letter case of its extension."""
    return name.lower().endswith(MARKDOWN_SUFFIXES)


def scan_folder(folder: Path, shown: Callable[[Path], str], language: str = "en") -> DocsFolder:
    """Every file under `folder`, as MkDocs would publish it (hidden files and folders are
    not published), without following symlinks. `shown(path)` is how a path is reported."""
    markdown: list[Path] = []
    refused: list[tuple[Path, Problem]] = []

    def refuse(path: Path, message: str) -> None:
        refused.append((path, problem(shown(path), 0, 0, "AP404", message)))

    for base, dirs, names in _walk(folder):
        for d, is_link in dirs:
            if is_link:
                refuse(base / d, gettext(
                    "this folder is a symbolic link, which the site never publishes (it could "
                    "publish files from outside the plans folder); move the files themselves "
                    "into the plans folder", language))
        for name, is_link in names:
            path = base / name
            if is_link:
                refuse(path, gettext(
                    "this file is a symbolic link, which the site never publishes (it could "
                    "publish a file from outside the plans folder); put the file itself in the "
                    "plans folder", language))
            elif is_markdown(name):
                markdown.append(path)
                if not name.endswith(MARKDOWN_SUFFIXES):
                    refuse(path, gettext(
                        "MkDocs does not turn '{suffix}' files into pages and would publish "
                        "this one as it is; rename it to end in '{lower}'", language,
                        suffix=path.suffix, lower=path.suffix.lower()))
            elif not name.lower().endswith(STATIC_SUFFIXES):
                suffix = path.suffix or name
                refuse(path, gettext(
                    "files of type '{suffix}' are not published by the site (a browser could "
                    "run them); write the page in Markdown, or keep only {allowed} files "
                    "beside the plans", language, suffix=suffix, allowed=", ".join(STATIC_SUFFIXES)))
    return DocsFolder(tuple(markdown), tuple(refused))


_Names = list[tuple[str, bool]]


def _walk(folder: Path) -> Iterator[tuple[Path, _Names, _Names]]:
    """What os.walk(folder) yields, top down, each folder's names sorted and hidden ones left
    out, with whether each is a symbolic link (not followed): from the folder's listing
    (os.scandir), without a system call per file to ask."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:  # as os.walk: a folder that cannot be listed is passed over
        return
    dirs: _Names = []
    names: _Names = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        (dirs if is_dir else names).append((entry.name, entry.is_symlink()))
    yield folder, dirs, names
    for name, is_link in dirs:
        if not is_link:
            yield from _walk(folder / name)


def markdown_files(paths: Iterable[Path]) -> list[Path]:
    """Every Markdown file under the given files and folders, sorted (see scan_folder)."""
    out: set[Path] = set()
    for path in paths:
        if path.is_dir():
            out.update(scan_folder(path, lambda p: p.as_posix()).markdown)
        else:
            out.add(path)
    return sorted(out)


Checker = Callable[[Path, str, Settings, MarkdownSetup], CheckedFile]
"""Checks one file: (path, the path as shown, settings, Markdown setup) -> the checked file."""


def check_paths(paths: Iterable[Path], settings: Settings, display: Path | None = None,
                markdown: MarkdownSetup = DEFAULT_MARKDOWN, checker: Checker | None = None,
                checker_for: Callable[[Sequence[tuple[Path, str]]], Checker] | None = None,
                ) -> tuple[list[CheckedFile], list[Problem]]:
    """Check every Markdown file under `paths`: (files, their problems, AP404 and AP304).

    Paths are shown relative to `display` (e.g. the project root) when they lie under it.
    `checker` checks one file (default `check_file`); `serve` passes a cache's
    (accountplans.site.serve.CheckCache), so a rebuild checks only the files that changed.
    `checker_for`, given every file to check in order (path, as shown), returns the checker
    instead: `build` shares the files with a child (accountplans.site.sitebuild).
    """
    files = []
    # Resolved once, not once per file: resolving walks every folder of the path.
    display = display.resolve() if display is not None else None
    folders: dict[Path, str | None] = {}
    refused: list[Problem] = []
    markdown_paths: set[Path] = set()
    for path in paths:
        if path.is_dir():
            scanned = scan_folder(path, lambda p: _shown(p, display, folders), settings.language)
            markdown_paths.update(scanned.markdown)
            refused += [p for _, p in scanned.refused]
        else:
            markdown_paths.add(path)
    jobs = [(path, _shown(path, display, folders)) for path in sorted(markdown_paths)]
    check = checker_for(jobs) if checker_for is not None else checker or check_file
    for path, shown in jobs:
        files.append(check(path, shown, settings, markdown))
    found = [p for f in files for p in f.problems] + refused
    found += check_portfolio(files, settings.language)
    return files, found


def counted(files: Sequence[CheckedFile], found: Iterable[Problem]) -> list[Problem]:
    """The problems that fail `--strict` (errors, and warnings but a draft's: see drafts),
    the same for `accountplans check --strict` and `mkdocs build --strict`."""
    plans = {printable(f.path): f.plan for f in files}
    return [p for p in found if fails_strict(p, plans.get(p.path))]


def check_file(path: Path, shown: str, settings: Settings,
               markdown: MarkdownSetup = DEFAULT_MARKDOWN) -> CheckedFile:
    """Read and check one file; the one way `check` and the build read a page."""
    try:
        data = path.read_bytes()
    except OSError as err:
        return CheckedFile(shown, None, (problem(shown, 0, 0, "AP403", gettext(
            "the file cannot be read ({reason}); check that it exists and is readable",
            settings.language, reason=err.strerror)),), readable=False)
    return check_bytes(shown, data, settings, markdown)


def shown_path(path: Path, display: Path | None) -> str:
    """How a problem names `path`: relative to `display` when it lies under it, as check_paths
    names the files it checks."""
    return _shown(path, display.resolve() if display is not None else None, {})


def _shown(path: Path, display: Path | None, folders: dict[Path, str | None]) -> str:
    """`path` relative to `display` (already resolved), else as given.

    A file is shown by its resolved folder plus its own name, never by what a symlink points
    to (a symlink is reported where it lies), and each folder is resolved, and made relative,
    once (`folders`: the folder's text to put before a name, None when it is not under
    `display`).
    """
    if display is not None:
        parent = path.parent
        if parent in folders:
            prefix = folders[parent]
        else:
            try:
                relative = parent.resolve().relative_to(display).as_posix()
                prefix = "" if relative == "." else f"{relative}/"
            except ValueError:
                prefix = None
            folders[parent] = prefix
        if prefix is not None:
            return prefix + path.name
    return path.as_posix()
