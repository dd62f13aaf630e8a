"""MkDocs hooks: check every plan in every build, render the macros, show problems.

Thin glue: the checks and the macros' content live in the `accountplans` package.
MkDocs loads this file by path with `hooks/` on sys.path only while it first runs, so the
package is imported here at the top. `mkdocs serve` never reloads this module: everything
that belongs to one build is made anew in `on_config` and kept in `_build`.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import plan_macros
from accountplans import check
from accountplans.cli import today_from_environment
from accountplans.keyfacts import insert_key_facts, key_facts
from accountplans.macros import plan_macros as macros_for_plan
from accountplans.portfolio import portfolio_macros
from accountplans.problems import Problem, count_errors, problem
from accountplans.settings import Settings, SettingsError, settings_from_mapping
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page

# Under the `mkdocs` logger, so that --strict counts our warnings.
log = get_plugin_logger("accountplans")


@dataclass
class _Build:
    """Everything one build knows; replaced in on_config, so `serve` rebuilds start clean."""

    settings: Settings
    today: dt.date
    serving: bool
    files: dict[str, check.CheckedFile] = field(default_factory=dict)
    """Checked Markdown files by `src_uri`."""
    problems: list[Problem] = field(default_factory=list)
    env: Any = None


_command = "build"
_build: _Build | None = None


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    extra: dict[str, Any] = dict(config.extra or {})
    raw = extra.get("accountplans")
    try:
        settings = settings_from_mapping(raw)
    except SettingsError as err:
        raise PluginError(f"mkdocs.yml: {err}") from None
    _build = _Build(settings, today_from_environment(), serving=_command == "serve",
                    env=plan_macros.make_environment())
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    """Read and check every Markdown file before MkDocs empties site_dir.

    If a plan has errors, `mkdocs build` stops here, so the previous site is left whole:
    nothing is lost or half-published. Every error is logged first, not only the first.
    """
    state = _state()
    docs_dir = Path(config.docs_dir)
    root = Path(config.config_file_path or ".").parent
    prefix = _relative(docs_dir, root)
    for path in check.markdown_files([docs_dir]):
        src_uri = path.relative_to(docs_dir).as_posix()
        shown = f"{prefix}{src_uri}"
        try:
            data = path.read_bytes()
        except OSError as err:
            state.problems.append(problem(shown, 0, 0, "AP403", f"the file cannot be read: {err}"))
            continue
        checked = check.check_bytes(shown, data, state.settings)
        state.files[src_uri] = checked
        state.problems.extend(checked.problems)
    state.problems.extend(check.check_portfolio(list(state.files.values())))
    for p in state.problems:
        (log.error if p.is_error else log.warning)(str(p))
    errors = count_errors(state.problems)
    if errors and not state.serving:
        raise PluginError(
            f"{errors} error(s) in the plans, listed above; fix them (or run "
            "'accountplans check' to see them again) and build again"
        )


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Drafts are shown by `mkdocs serve` and left out of the published site."""
    state = _state()
    for file in files.documentation_pages():
        checked = state.files.get(file.src_uri)
        if checked is not None and checked.plan is not None and checked.plan.is_draft:
            file.inclusion = InclusionLevel.DRAFT
    return files


# Before other plugins read the page's Markdown (e.g. Material's tags), so they see the
# rendered tables, and search later indexes them.
@event_priority(50)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    state = _state()
    checked = state.files.get(page.file.src_uri)
    body_line = checked.source.body_line if checked and checked.source else 1
    if checked is not None and checked.plan is not None:
        macros = macros_for_plan(checked.plan, state.settings, state.today)
    else:
        macros = portfolio_macros(list(state.files.values()), state.settings, state.today)
    page_problems = list(checked.problems) if checked else []
    # A plan with AP401 (template code other than a macro call) is not rendered at all: under
    # serve its text is shown as written, under its problems; `build` stopped in on_pre_build.
    refused = any(p.code == "AP401" for p in page_problems) and checked is not None \
        and checked.plan is not None
    try:
        if not refused:
            markdown = plan_macros.render(state.env, markdown, macros)
    except plan_macros.RenderError as err:
        shown = checked.path if checked else page.file.src_uri
        found = problem(shown, body_line + max(err.line, 1) - 1, 0, "AP401",
                        f"{err.message}; remove it or call a known macro")
        log.error(str(found))
        page_problems.append(found)
        if not state.serving:
            raise PluginError(f"{shown}: template code failed, see above") from None
    if checked is not None and checked.plan is not None:
        # After rendering: the block holds plan text, which must never reach Jinja.
        markdown = insert_key_facts(markdown, key_facts(checked.plan, state.settings, state.today))
    if state.serving and page_problems:
        markdown = _problems_box(page_problems) + "\n\n" + markdown
    return markdown


def _problems_box(found: list[Problem]) -> str:
    """Under `mkdocs serve`: the page's problems at its top, so the author sees them live."""
    errors = count_errors(found)
    kind = "failure" if errors else "warning"
    items = "".join(f"<li><code>{html.escape(p.location())}</code> {html.escape(p.code)} "
                    f"{html.escape(p.severity)}: {html.escape(p.message)}</li>" for p in found)
    title = f"{len(found)} problem(s) in this file ({errors} error(s)) — fix them before publishing"
    return (f'<div class="admonition {kind} accountplans-problems">'
            f'<p class="admonition-title">{html.escape(title)}</p><ul>{items}</ul></div>')


def _state() -> _Build:
    if _build is None:  # on_config always runs first; this guards a misconfigured mkdocs.yml
        raise PluginError("the accountplans hook was not configured: list it under 'hooks:'")
    return _build


def _relative(docs_dir: Path, root: Path) -> str:
    try:
        rel = os.path.relpath(docs_dir, root)
    except ValueError:
        return ""
    return "" if rel == "." else rel.replace(os.sep, "/") + "/"

