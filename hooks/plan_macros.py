"""Rendering macros in a sandbox: the only place that touches Jinja.

mkdocs-macros renders pages in a plain `jinja2.Environment` and hands them `config`,
`environment` and the plugin, so a page can read CI secrets or run a shell command
(README, "Your own macros"). We render pages ourselves in an `ImmutableSandboxedEnvironment` whose only
names are the known macros: no globals (`lipsum`, `cycler`, `range`, ...), no filters or
tests, no `config`, no `environment`, no paths, no loader (so no `include`/`import`); an
unknown name is an error (`StrictUndefined`), not silent text; `{{ }}` prints only text, never
an object's repr. Before anything runs, the parsed page is checked to hold nothing but
text, `{% raw %}` and `{{ name() }}`, or for a team's macro `{{ name('text', 3, flag=true) }}`
(`_only_calls`): no loops, conditions, variables, attribute reads or computed values, so no
page can hang the build with `9**9**9` or nested loops. Then the page must pass check's own
AP401 rule (accountplans.plan.body.check_templates), so that `accountplans check` and the build
refuse exactly the same pages. The sandbox settings below stay as a second line of defence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from accountplans.i18n import N_, gettext
from accountplans.plan.body import check_templates
from accountplans.plan.check import without_raw_blocks
from accountplans.settings import MacroShape
from accountplans.site.sitebuild import Renderer, TemplateFailed
from jinja2 import DictLoader, StrictUndefined, TemplateError, TemplateSyntaxError, nodes
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


Macro = Callable[..., Any]


def render(env: ImmutableSandboxedEnvironment, markdown: str, macros: Mapping[str, Macro],
           team: Sequence[MacroShape] = (), language: str = "en") -> str:
    """Render the page's template code with only `macros` in scope. `team` are the shapes of
    the team's macros among them (Settings.team_macros); the others take no arguments but
    `heading`. A RenderError's message is in `language` (the site's: it goes to the build log).

    Jinja's own words about what went wrong (`err.message`) are quoted as Jinja wrote them."""
    if "{" not in markdown:  # most text has no template code: skip the compiler
        return markdown
    try:
        tree = env.parse(markdown)
        _only_calls(tree, macros, language)
        _as_check_says(markdown, macros, team, language)
        return env.from_string(tree).render(dict(macros))
    except RenderError:
        raise
    except TemplateSyntaxError as err:
        raise RenderError(err.lineno or 0, gettext(
            "template code cannot be read: {error}", language, error=err.message)) from None
    except TemplateNotFound as err:
        raise RenderError(_line(err), gettext(
            "template code tried to load the template '{name}'; pages cannot include other "
            "templates", language, name=err.name)) from None
    except SecurityError as err:
        raise RenderError(_line(err), gettext(
            "template code tried something unsafe ({error}); pages may only call the known "
            "macros", language, error=err)) from None
    except TemplateError as err:
        raise RenderError(_line(err), gettext(
            "template code failed: {error}; known macros: {known}", language, error=err.message,
            known=", ".join(sorted(macros)))) from None
    except Exception as err:  # noqa: BLE001 - a bug in a macro must not become a traceback
        # Only the type is shown: the text of an arbitrary exception may hold anything.
        raise RenderError(_line(err), gettext(
            "a macro failed (internal error: {error}); please report it to the team that "
            "maintains the plan site", language, error=type(err).__name__)) from None


def _as_check_says(markdown: str, macros: Mapping[str, Macro], team: Sequence[MacroShape],
                   language: str) -> None:
    """Refuse what `accountplans check` refuses (AP401), with its sentence: whatever Jinja
    would also accept (a call split over lines, `'a' 'b'`), check and build agree."""
    team_names = {shape.name for shape in team}
    built_in = tuple(name for name in macros if name not in team_names)
    found = check_templates("", without_raw_blocks(markdown), 1, built_in,
                            [shape for shape in team if shape.name in macros], language)
    if found:
        raise RenderError(found[0].line, found[0].message)


#: What a page's template code may consist of: text, `{% raw %}` (which is text once parsed)
#: and `{{ name() }}` (a team's macro also with literal arguments). Anything else (loops,
#: `set`, `if`, `macro`, attribute access, computed values) is refused before it runs: the
#: sandbox stops reads of Python internals, but not, say, a nest of loops that never ends.
_ALLOWED = (nodes.Template, nodes.Output, nodes.TemplateData)


#: How the refused kinds of template code are named in the message.
_KINDS = {
    "Getattr": N_("reading an attribute ('.name')"), "Getitem": N_("reading an item ('[...]')"),
    "For": N_("a loop ('for')"), "If": N_("a condition ('if')"), "CondExpr": N_("a condition ('if')"),
    "Assign": N_("setting a variable ('set')"), "AssignBlock": N_("setting a variable ('set')"),
    "Macro": N_("defining a macro"), "CallBlock": N_("a 'call' block"), "FilterBlock": N_("a filter"),
    "Filter": N_("a filter ('|')"), "Test": N_("a test ('is')"), "Const": N_("a literal value"),
    "Include": N_("including a template"), "Import": N_("importing a template"),
    "FromImport": N_("importing a template"), "Extends": N_("extending a template"),
    "Call": N_("a call with computed arguments, or of something that is not a macro"),
}
for _op in ("Add", "Sub", "Mul", "Div", "FloorDiv", "Mod", "Pow", "Neg", "Pos", "Concat"):
    _KINDS[_op] = N_("arithmetic")


def _only_calls(tree: nodes.Template, macros: Mapping[str, Macro], language: str = "en") -> None:
    # The Name nodes that are called and their literal arguments (a parent comes before its
    # children in find_all, so they are known when they are reached).
    callees: set[int] = set()
    example = f"{{{{ {min(macros, default='computed_on')}() }}}}"
    for node in tree.find_all(nodes.Node):
        if isinstance(node, _ALLOWED) or id(node) in callees:
            continue
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) \
                and not (node.dyn_args or node.dyn_kwargs) \
                and all(_literal(arg) for arg in node.args) \
                and all(_literal(kw.value) for kw in node.kwargs):
            for part in (node.node, *node.args, *node.kwargs, *(kw.value for kw in node.kwargs)):
                callees.update(id(n) for n in (part, *part.find_all(nodes.Node)))
            continue
        if isinstance(node, nodes.Name):
            what = gettext("'{name}' without '()'", language, name=node.name)
        elif type(node).__name__ in _KINDS:
            what = gettext(_KINDS[type(node).__name__], language)
        else:
            what = gettext("template code ({kind})", language, kind=type(node).__name__)
        raise RenderError(node.lineno, gettext(
            "{what} is not allowed: pages may only call the known macros, e.g. {example}",
            language, what=what, example=example))


def _literal(node: nodes.Node) -> bool:
    """A constant a page may pass a macro: text, a number, true, false or none."""
    if isinstance(node, nodes.Neg):  # Jinja reads `-5` as minus 5
        node = node.node
        return isinstance(node, nodes.Const) and type(node.value) in (int, float)
    return isinstance(node, nodes.Const) and type(node.value) in (str, int, float, bool, type(None))


def _line(err: BaseException) -> int:
    """The template line of a runtime error, from Jinja's rewritten traceback."""
    tb = err.__traceback__
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def renderer() -> Renderer:
    """One build's sandboxed renderer for accountplans.site.sitebuild.SiteBuild: a fresh
    environment, its failures as the build's TemplateFailed."""
    env = make_environment()

    def render_page(markdown: str, macros: Mapping[str, Macro], team: Sequence[MacroShape],
                    language: str) -> str:
        try:
            return render(env, markdown, macros, team, language)
        except RenderError as err:
            raise TemplateFailed(err.line, err.message) from None

    return render_page
