"""Rendering macros in a sandbox: the only place that touches Jinja.

mkdocs-macros renders pages in a plain `jinja2.Environment` and hands them `config`,
`environment` and the plugin, so a page can read CI secrets or run a shell command
(MKDOCS-NOTES.md). We render pages ourselves in an `ImmutableSandboxedEnvironment` whose only
names are the known macros: no globals (`lipsum`, `cycler`, `range`, ...), no `config`, no
`environment`, no paths; an unknown name is an error (`StrictUndefined`), not silent text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment


@dataclass(frozen=True)
class RenderError(Exception):
    """A page's template code failed: where (line in the rendered text) and why."""

    line: int
    message: str


def make_environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    env.globals.clear()
    return env


def render(env: ImmutableSandboxedEnvironment, markdown: str,
           macros: Mapping[str, Callable[[], str]]) -> str:
    """Render the page's template code with only `macros` in scope."""
    if "{" not in markdown:  # most text has no template code: skip the compiler
        return markdown
    try:
        template = env.from_string(markdown)
        return template.render(dict(macros))
    except TemplateSyntaxError as err:
        raise RenderError(err.lineno or 0, f"template code cannot be read: {err.message}") from None
    except SecurityError as err:
        raise RenderError(_line(err), f"template code tried something unsafe ({err}); "
                                      "pages may only call the known macros") from None
    except TemplateError as err:
        raise RenderError(_line(err), f"template code failed: {err.message}; "
                                      f"known macros: {', '.join(sorted(macros))}") from None


def _line(err: BaseException) -> int:
    """The template line of a runtime error, from Jinja's rewritten traceback."""
    tb = err.__traceback__
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
