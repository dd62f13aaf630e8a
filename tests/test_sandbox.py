"""The sandbox: pages may call the registered macros (built in, or a team's) and nothing else.

The payloads are those that read the build's environment or run a shell command under
mkdocs-macros-plugin, whose pages render in a plain Jinja environment. Each is tried on a plan
and on a non-plan page, in a real in-process build: `mkdocs build` fails with a coded error,
under `serve` the page shows the problem, and nothing of Python or of the environment (a
canary variable) reaches site/ or the search index. A team's own macros
(`extra.accountplans.macro_modules`, tests/data/team_macros.py) are called in the same sandbox,
and `accountplans check` and the build accept exactly the same calls.
"""

from __future__ import annotations

import logging
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from accountplans.cli import commands as cli
from accountplans.plan.body import PLAN_MACROS, check_templates
from accountplans.settings import SettingsError
from accountplans.site.teammacros import load
from conftest import copy_project
from mkdocs.exceptions import Abort
from plan_factory import build_site

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(ROOT / "hooks"))
import plan_macros  # noqa: E402 - hooks/ is not a package; the hook imports it the same way

CANARY_NAME = "ACCOUNTPLANS_SANDBOX_CANARY"
CANARY = "canary-5b1e7d-do-not-publish"
BUILD_EPOCH = "1795046400"  # 2026-11-19

PAYLOADS = {
    "environ": "{{ cycler.__init__.__globals__.os.environ }}",
    "popen": "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "config": "{{ config }}",
    "environment": "{{ environment }}",
    "misspelt": "{{ target_table() }}",
}
#: What would show that a payload ran: the canary, `id`'s output, a Python object's repr.
LEAKS = (CANARY, "uid=", "environ(", "<module", "<function", "<class", "Traceback", "MkDocsConfig")

PLAN = "plans/northwind-logistics.md"
PAGE = "plans/index.md"
#: The payload that runs `id` under mkdocs-macros-plugin (README, "Your own macros").
MKDOCS_MACROS_PAYLOAD = PAYLOADS["popen"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project whose only plan is tests/data/good-plan.md (not the examples)."""
    copy = copy_project(tmp_path)
    for path in (copy / "plans").rglob("*.md"):
        front = re.match(r"---\n(.*?)\n---\n", path.read_text(encoding="utf-8"), re.S)
        if front and re.search(r"^account:", front.group(1), re.M):
            path.unlink()
    (copy / "plans" / "actuals.csv").unlink(missing_ok=True)
    shutil.copy(DATA / "good-plan.md", copy / PLAN)
    return copy


@pytest.fixture(autouse=True)
def _canary(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(CANARY_NAME, CANARY)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    yield


def _macros() -> dict[str, Callable[[], str]]:
    return {"targets_table": lambda: "<table>T</table>"}


# --- the renderer --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_payload_is_refused_by_the_renderer(name: str) -> None:
    """Each payload raises a RenderError whose message holds nothing of the environment."""
    with pytest.raises(plan_macros.RenderError) as info:
        plan_macros.render(plan_macros.make_environment(), f"text\n{PAYLOADS[name]}\n", _macros())
    assert info.value.line == 2
    assert not any(leak in info.value.message for leak in LEAKS)


def test_known_macro_is_rendered() -> None:
    """A call of a known macro is replaced by its output."""
    out = plan_macros.render(plan_macros.make_environment(), "a {{ targets_table() }} b", _macros())
    assert out == "a <table>T</table> b"


def test_misspelt_macro_is_an_error_naming_the_known_ones() -> None:
    """A typo is an error that lists the known macros, not silent text."""
    expected = r"'target_table' is not a known macro; did you mean \{\{ targets_table\(\) \}\}\?"
    with pytest.raises(plan_macros.RenderError, match=expected):
        plan_macros.render(plan_macros.make_environment(), "{{ target_table() }}", _macros())


@pytest.mark.parametrize("source", [
    "{{ 9**9**9 }}", "{{ 'x' * 1000000 }}", "{{ range(10) }}", "{{ targets_table|pprint }}",
    "{% include 'mkdocs.yml' %}", "{{ targets_table }}", "{{ self }}", "{{ targets_table.__globals__ }}",
    "{{ ''.__class__.__mro__ }}", "{% import 'x' as y %}", "{{ namespace() }}",
])
def test_everything_but_a_macro_call_is_refused(source: str) -> None:
    """Arithmetic, globals, filters, includes, object reprs and dunder access all fail."""
    with pytest.raises(plan_macros.RenderError):
        plan_macros.render(plan_macros.make_environment(), source, _macros())


def test_endless_loops_are_refused_before_they_run() -> None:
    """Nested loops over long text would hang the build: they are refused when read, with the line."""
    loop = "{% for a in 'x' * 100000 %}{% for b in 'y' * 100000 %}.{% endfor %}{% endfor %}"
    with pytest.raises(plan_macros.RenderError, match=r"a loop \('for'\) is not allowed") as info:
        plan_macros.render(plan_macros.make_environment(), f"one\ntwo\n{loop}", _macros())
    assert info.value.line == 3


@pytest.mark.parametrize(("source", "said"), [
    ("{% for a in 'x' %}.{% endfor %}", "een lus ('for') is niet toegestaan: pagina's mogen alleen"),
    ("{{ target_table() }}", "'target_table' is geen bekende macro; bedoel je {{ targets_table() }}?"),
])
def test_the_renderer_refuses_in_the_site_language(source: str, said: str) -> None:
    """With the site's language nl, the renderer says what it refuses in Dutch."""
    with pytest.raises(plan_macros.RenderError) as info:
        plan_macros.render(plan_macros.make_environment(), source, _macros(), language="nl")
    assert info.value.message.startswith(said)


@pytest.mark.parametrize(("source", "said"), [
    ("{{ config }}", "'config' without '()'"),
    ("{{ cycler.__init__ }}", "reading an attribute"),
    ("{% set x = targets_table() %}", "setting a variable"),
    ("{{ targets_table('x') }}", "does not fit the macro's arguments"),
    ("{{ targets_table(x) }}", "a call with computed arguments"),
])
def test_refusals_say_what_was_refused(source: str, said: str) -> None:
    """The message names what the page tried, and how to call a macro instead."""
    with pytest.raises(plan_macros.RenderError) as info:
        plan_macros.render(plan_macros.make_environment(), source, _macros())
    assert said in info.value.message and "{{ targets_table() }}" in info.value.message


def test_raw_blocks_still_show_template_code() -> None:
    """A help page can show macro calls inside {% raw %}."""
    out = plan_macros.render(plan_macros.make_environment(), "{% raw %}{{ targets_table() }}{% endraw %}", {})
    assert out == "{{ targets_table() }}"


# --- real builds ---------------------------------------------------------------------------


def _insert(project: Path, rel: str, payload: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + f"\n\nSee: {payload}\n", encoding="utf-8")


def _site_text(site: Path) -> str:
    if not site.exists():
        return ""
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
                     if p.is_file() and p.suffix in {".html", ".json", ".xml", ".csv", ".ics", ".txt"})


@pytest.mark.parametrize("where", [PLAN, PAGE])
@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_build_fails_with_a_coded_error(project: Path, caplog: pytest.LogCaptureFixture,
                                        where: str, name: str) -> None:
    """`mkdocs build` stops with an AP401 line for the file, and site/ holds nothing of the payload."""
    _insert(project, where, PAYLOADS[name])
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_site(project)
    assert re.search(rf"{re.escape(where)}:\d+(:\d+)?: AP401 error: ", caplog.text)
    assert CANARY not in caplog.text
    site = _site_text(project / "site")
    assert not any(leak in site for leak in LEAKS)


@pytest.mark.parametrize("where", [PLAN, PAGE])
@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_serve_shows_the_problem_and_nothing_leaks(project: Path, where: str, name: str) -> None:
    """Under `serve` the page is built with its AP401 problem on top; neither the page nor the
    search index holds the environment or a Python object."""
    _insert(project, where, PAYLOADS[name])
    build_site(project, command="serve", serve_url="http://127.0.0.1:8000/")
    site = project / "site"
    page = site / ("northwind-logistics" if where == PLAN else "") / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "accountplans-problems" in html and "AP401" in html
    assert (site / "tags" / "index.html").is_file()  # the build went on to the end
    assert not any(leak in _site_text(site) for leak in LEAKS)


def test_mkdocs_macros_payload_is_ap401_in_check_and_build(
        project: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The page that runs `id` under mkdocs-macros-plugin is the same AP401 line in
    `accountplans check` and in `mkdocs build`, and runs nothing."""
    _insert(project, PAGE, MKDOCS_MACROS_PAYLOAD)
    monkeypatch.chdir(project)
    assert cli.main(["check"]) == 1
    out = capsys.readouterr().out
    [line] = [row for row in out.splitlines() if " AP401 " in row]
    assert line.startswith(f"{PAGE}:") and "uid=" not in out
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_site(project)
    assert line in caplog.text and "uid=" not in caplog.text


# --- the team's own macros -----------------------------------------------------------------


def _with_team_macros(project: Path, module: str | None = None) -> None:
    """`macro_modules: [team_macros]` in mkdocs.yml, and the module beside it (by default
    tests/data/team_macros.py)."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n  accountplans:\n" in text
    config.write_text(text.replace("\n  accountplans:\n",
                                   "\n  accountplans:\n    macro_modules: [team_macros]\n"),
                      encoding="utf-8")
    if module is None:
        shutil.copy(DATA / "team_macros.py", project / "team_macros.py")
    else:
        (project / "team_macros.py").write_text(module, encoding="utf-8")


TEAM_CALLS = "{{ product_pitch('Route planning suite', 7.5, launch=true) }}\n\n{{ signed_off() }}"


def _team_shapes() -> Any:
    return load(DATA, ["team_macros"]).shapes


def _team_functions() -> dict[str, Callable[..., Any]]:
    return {"targets_table": lambda: "T", **load(DATA, ["team_macros"]).functions}


@pytest.mark.parametrize("where", [PLAN, PAGE])
def test_team_macros_render_in_a_strict_build(project: Path, caplog: pytest.LogCaptureFixture,
                                              where: str) -> None:
    """A team module's macros, with literal arguments, become the page's Markdown in a real
    `mkdocs build --strict`, on a plan and on another page."""
    _with_team_macros(project)
    _insert(project, where, TEAM_CALLS)
    with caplog.at_level(logging.WARNING):
        build_site(project, strict=True)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    page = project / "site" / ("northwind-logistics" if where == PLAN else "") / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "<strong>Route planning suite</strong> with 7.5% off. New this year." in html
    assert "<em>Reviewed by the sales lead.</em>" in html


def test_check_knows_the_team_macros(project: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """`accountplans check` loads the team's modules: their calls are clean, and without
    `macro_modules` the same calls are AP401."""
    _insert(project, PLAN, TEAM_CALLS)
    monkeypatch.chdir(project)
    assert cli.main(["check", "--strict"]) == 1
    assert "'product_pitch' is not a known macro" in capsys.readouterr().out
    _with_team_macros(project)
    assert cli.main(["check", "--strict"]) == 0


@pytest.mark.parametrize("call", [
    "{{ product_pitch() }}",                        # a required argument missing
    "{{ product_pitch('x', colour='red') }}",       # an argument it does not have
    "{{ product_pitch('x', discount=1 + 2) }}",     # computed, not literal
    "{{ signed_off('x') }}",                        # takes none
    "{{ product_pich('x') }}",                      # misspelt
])
def test_a_misfit_call_is_the_same_ap401_in_check_and_build(
        project: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, call: str) -> None:
    """A call that does not fit the team macro's parameters is one AP401 line, printed by
    check and logged by the build alike."""
    _with_team_macros(project)
    _insert(project, PLAN, call)
    monkeypatch.chdir(project)
    assert cli.main(["check"]) == 1
    [line] = [row for row in capsys.readouterr().out.splitlines() if " AP401 " in row]
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_site(project)
    assert line in caplog.text


#: Template code around the edge of what a call is: (text, accepted).
EDGES = [
    ("{{ product_pitch('a') }}", True),
    ('{{ product_pitch("a", -2.5) }}', True),
    ("{{- product_pitch('a', discount=0, launch=false) -}}", True),
    ("{{ product_pitch('}}{% x %}') }}", True),
    ("{{product_pitch('a',launch=None)}}", True),
    ("{% raw %}{{ anything }}{% endraw %}", True),
    ("{{ product_pitch('a' 'b') }}", False),
    ("{{ product_pitch('a',) }}", False),
    ("{{ product_pitch('a',\n 2) }}", False),
    ("{{ product_pitch('a\\n') }}", False),
    ("{{ product_pitch('a', 1_000) }}", False),
    ("{{ product_pitch('a', 0x10) }}", False),
    ("{{ product_pitch('a', 012) }}", False),
    ("{{ product_pitch('a', 1e3) }}", False),
    ("{{ product_pitch('a', --1) }}", False),
    ("{{ product_pitch(product='a', product='b') }}", False),
    ("{{ product_pitch(launch=true, 'a') }}", False),
    ("{{ product_pitch(['a']) }}", False),
    ("{{ product_pitch(('a')) }}", False),
    ("{{ product_pitch('a', discount=targets_table()) }}", False),
    ("{{ signed_off() }}{{ targets_table() }}", True),
    ("{{ targets_table(1) }}", False),
    ("{{ product_pitch }}", False),
]


@pytest.mark.parametrize(("text", "accepted"), EDGES)
def test_check_and_renderer_accept_exactly_the_same_calls(text: str, accepted: bool) -> None:
    """On each edge case, check's AP401 rule and the renderer say the same, and say it right."""
    body = plan_macros.without_raw_blocks(text)
    by_check = not check_templates("p.md", body, 1, PLAN_MACROS[:1], _team_shapes())
    try:
        plan_macros.render(plan_macros.make_environment(), text, _team_functions(), _team_shapes())
        by_renderer = True
    except plan_macros.RenderError:
        by_renderer = False
    assert (by_check, by_renderer) == (accepted, accepted)


BROKEN_MODULES = {
    "import": ("import no_such_package_here\n", "ModuleNotFoundError", "team_macros.py:1"),
    "syntax": ("def define_env(env):\n    return (\n", "SyntaxError", "team_macros.py:"),
    "exit": ("import sys\nsys.exit(3)\n", "SystemExit", "team_macros.py:2"),
    "no define_env": ("X = 1\n", "has no define_env(env) function", ""),
    "define_env fails": ("def define_env(env):\n    raise KeyError('zone')\n", "KeyError",
                         "team_macros.py:2"),
    "env.variables": ("def define_env(env):\n    env.variables['x'] = 1\n",
                      "env.variables, which accountplans does not offer", ""),
    "built-in name": ("def define_env(env):\n    env.macro(lambda: '', 'targets_table')\n",
                      "which the built-in macros already has", ""),
    "reserved name": ("def define_env(env):\n    env.macro(lambda: '', 'true')\n",
                      "registered a macro named 'true'", ""),
    "not a function": ("def define_env(env):\n    env.macro('text', 'x')\n",
                       "only a function can be one", ""),
}


@pytest.mark.parametrize("case", sorted(BROKEN_MODULES))
def test_a_broken_team_module_is_a_settings_error(
        project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture, case: str) -> None:
    """A module that cannot be loaded stops check (exit 2) and the build with one line naming
    mkdocs.yml, macro_modules, the module and what failed; never a traceback."""
    source, said, where = BROKEN_MODULES[case]
    _with_team_macros(project, source)
    monkeypatch.chdir(project)
    assert cli.main(["check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("accountplans: mkdocs.yml: extra.accountplans.macro_modules: ")
    assert "'team_macros'" in err and said in err and where in err and "Traceback" not in err
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_site(project)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == \
        [err.removeprefix("accountplans: ").strip()]


def test_a_missing_team_module_is_named(tmp_path: Path) -> None:
    """A module named in macro_modules that is not beside mkdocs.yml is a SettingsError
    saying where it was looked for."""
    with pytest.raises(SettingsError, match=r"no module 'team\.extra' .*team/extra\.py or "
                                            r"team/extra/__init__\.py"):
        load(tmp_path, ["team.extra"])


def test_a_missing_team_module_is_named_in_the_site_language(tmp_path: Path) -> None:
    """With the site's language nl, the same SettingsError is told in Dutch."""
    with pytest.raises(SettingsError, match=r"er is geen module 'team\.extra' naast mkdocs\.yml"):
        load(tmp_path, ["team.extra"], "nl")


def test_team_macro_output_is_sanitized(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    """What a team's macro returns goes through the site's sanitizer: a script stops the
    build, and nothing is published."""
    _with_team_macros(project, "def define_env(env):\n"
                               "    env.macro(lambda: '<script>alert(1)</script>', 'evil')\n")
    _insert(project, PAGE, "{{ evil() }}")
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_site(project)
    assert "<script>" in caplog.text and "AP402" in caplog.text
    assert not (project / "site").exists()
