"""The sandbox: pages may call the known macros and nothing else.

The payloads are those of MKDOCS-NOTES.md, which read the build's environment or run a shell
command under mkdocs-macros. Each is tried on a plan and on a non-plan page, in a real
in-process build: `mkdocs build` fails with a coded error, under `serve` the page shows the
problem, and nothing of Python or of the environment (a canary variable) reaches site/ or the
search index.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

ROOT = Path(__file__).resolve().parent.parent
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

PLAN = "plans/bakkerij-van-dijk.md"
PAGE = "plans/index.md"


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
    expected = r"'target_table' is undefined; known macros: targets_table"
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
    ("{{ config }}", "'config' without '()'"),
    ("{{ cycler.__init__ }}", "reading an attribute"),
    ("{% set x = targets_table() %}", "setting a variable"),
    ("{{ targets_table('x') }}", "a call with arguments"),
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


def _config(project: Path) -> MkDocsConfig:
    return load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(project / "site"))


@pytest.mark.parametrize("where", [PLAN, PAGE])
@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_build_fails_with_a_coded_error(project: Path, caplog: pytest.LogCaptureFixture,
                                        where: str, name: str) -> None:
    """`mkdocs build` stops with an AP401 line for the file, and site/ holds nothing of the payload."""
    _insert(project, where, PAYLOADS[name])
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build(_config(project))
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
    config = _config(project)
    config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url="http://127.0.0.1:8000/")
    site = project / "site"
    page = site / ("bakkerij-van-dijk" if where == PLAN else "") / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "accountplans-problems" in html and "AP401" in html
    assert (site / "search" / "search_index.json").is_file()
    assert not any(leak in _site_text(site) for leak in LEAKS)
