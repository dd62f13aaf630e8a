"""Rendering macros in a sandbox: the only place that touches Jinja.

mkdocs-macros renders pages in a plain `jinja2.Environment` and hands them `config`,
`environment` and the plugin, so a page can read CI secrets or run a shell command
(MKDOCS-NOTES.md). We render pages ourselves in an `ImmutableSandboxedEnvironment` whose only
names are the known macros: no globals (`lipsum`, `cycler`, `range`, ...), no filters or
tests, no `config`, no `environment`, no paths, no loader (so no `include`/`import`); an
unknown name is an error (`StrictUndefined`), not silent text; `{{ }}` prints only text, never
an object's repr. Arithmetic is refused too:
`9**9**9` or `'x' * 10**9` would hang or exhaust the build, and a page never needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import DictLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.exceptions import SecurityError, TemplateNotFound
from jinja2.sandbox import ImmutableSandboxedEnvironment


@dataclass(frozen=True)
class RenderError(Exception):
    """A page's template code failed: where (line in the rendered text) and why."""

    line: int
    message: str


class PageEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, with every binary arithmetic operator refused."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        raise SecurityError(f"the operator '{operator}' is not allowed in a page")


def _only_text(value: Any) -> str:
    """What `{{ }}` may print: text (a macro's output or a literal), never an object's repr."""
    if isinstance(value, str):
        return value
    raise SecurityError(f"only the text a macro returns may be shown, not a {type(value).__name__}")


def make_environment() -> PageEnvironment:
    # An empty loader: `include`/`import`/`extends` fail as "not found", reading no file.
    env = PageEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True,
                          loader=DictLoader({}), finalize=_only_text)
    env.globals.clear()
    env.filters.clear()
    env.tests.clear()
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
    except TemplateNotFound as err:
        raise RenderError(_line(err), f"template code tried to load the template '{err.name}'; "
                                      "pages cannot include other templates") from None
    except SecurityError as err:
        raise RenderError(_line(err), f"template code tried something unsafe ({err}); "
                                      "pages may only call the known macros") from None
    except TemplateError as err:
        raise RenderError(_line(err), f"template code failed: {err.message}; "
                                      f"known macros: {', '.join(sorted(macros))}") from None
    except Exception as err:  # noqa: BLE001 - a bug in a macro must not become a traceback
        # Only the type is shown: the text of an arbitrary exception may hold anything.
        raise RenderError(_line(err), f"a macro failed (internal error: {type(err).__name__}); "
                                      "please report it to the team that maintains the plan "
                                      "site") from None


def _line(err: BaseException) -> int:
    """The template line of a runtime error, from Jinja's rewritten traceback."""
    tb = err.__traceback__
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
