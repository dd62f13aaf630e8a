"""`python -m accountplans.exports.publishcheck`: the publish jobs refuse a site built without the hooks.

Sites are built for real (MkDocs in-process) from plans made by tests/plan_factory.py.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from accountplans.exports.publishcheck import main
from conftest import copy_project
from jinja2 import TemplateNotFound
from plan_factory import TODAY, build_site, clear_plans, epoch, plan_text, write_plan

HOOK_LINES = "hooks:\n  - hooks/accountplans_hook.py\n"


def make_project(target: Path) -> Path:
    """A project with two active plans, an archived one and a draft."""
    project = copy_project(target)
    clear_plans(project)
    write_plan(project, "alpha", plan_text("Alpha B.V.", "Sanne de Vries"))
    write_plan(project, "beta", plan_text("Beta N.V.", "Joost Hendriks"))
    write_plan(project, "old", plan_text("Old Customer B.V.", "Joost Hendriks", status="archived"))
    write_plan(project, "next", plan_text("Next Customer B.V.", "Sanne de Vries", status="draft"))
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project and its site as `mkdocs build` with the hooks makes it."""
    project = make_project(tmp_path_factory.mktemp("publish"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
        build_site(project)
    return project


def check(project: Path, site: str, capsys: pytest.CaptureFixture[str],
          monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(project)
    code = main([site])
    return code, capsys.readouterr().out


def test_a_site_built_with_the_hooks_may_be_published(built: Path, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """plans.json and the three published plans' pages are there: exit 0, no problem printed."""
    code, out = check(built, "site", capsys, monkeypatch)
    assert (code, out) == (0, "")


def test_a_site_built_without_the_hooks_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Without `hooks:` (as Zensical builds) plans.json is missing and the draft is published.
    (The site's search box, 404 page and shared navigation need the hooks too, so they go as
    well: see the next test.)"""
    project = make_project(tmp_path)
    _without_hooks(project)
    for partial in ("header.html", "site-search.html", "nav.html"):
        (project / "theme_overrides" / "partials" / partial).unlink()
    (project / "theme_overrides" / "404.html").unlink()  # its heading comes from the hook too
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    build_site(project)
    code, out = check(project, "site", capsys, monkeypatch)
    assert code == 1
    assert "site/plans.json is missing" in out
    assert "next.md is a draft, but the site has its page site/next/index.html" in out


def test_the_project_itself_does_not_build_without_its_hooks(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """As it is, the project's theme needs the search hook: a generator that ignores `hooks:`
    fails instead of publishing unchecked plans."""
    project = make_project(tmp_path)
    _without_hooks(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    with pytest.raises(TemplateNotFound):
        build_site(project)
    assert not (project / "site" / "index.html").exists()


def _without_hooks(project: Path) -> None:
    """Every hook gone from mkdocs.yml, as a generator that ignores `hooks:` builds."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert HOOK_LINES in text
    config.write_text(re.sub(r"^hooks:\n(?:  - .*\n)+", "", text, flags=re.M), encoding="utf-8")


def test_a_missing_plan_page_is_refused(built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A published plan whose page is not in the site is named, with the page looked for."""
    site = shutil.copytree(built / "site", tmp_path / "site")
    shutil.rmtree(site / "beta")
    shutil.copy(built / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(built / "plans", tmp_path / "plans")
    code, out = check(tmp_path, "site", capsys, monkeypatch)
    assert code == 1
    assert out.splitlines() == [
        "beta.md ('Beta N.V.') has no page in the site (looked for beta/index.html or beta.html); "
        "build the site again from this checkout with `mkdocs build` or `properdocs build`."]


def test_plans_json_of_other_plans_is_refused(built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan added after the build is not in plans.json: the site is not from these plans."""
    shutil.copy(built / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(built / "plans", tmp_path / "plans")
    shutil.copytree(built / "site", tmp_path / "site")
    write_plan(tmp_path, "gamma", plan_text("Gamma B.V.", "Sanne de Vries"))
    code, out = check(tmp_path, "site", capsys, monkeypatch)
    assert code == 1
    assert "site/plans.json does not list 'Gamma B.V.' (gamma.md)" in out


def test_no_site_folder_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A site folder that does not exist: exit 2 and a sentence saying to build first."""
    monkeypatch.chdir(tmp_path)
    assert main(["public"]) == 2
    assert "no such folder: public" in capsys.readouterr().err


def test_a_dutch_site_is_refused_in_dutch(built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """With `language: nl`, the problems and argparse's words are Dutch."""
    project = tmp_path / "nl"
    shutil.copytree(built, project)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("    language: en\n", "    language: nl\n", 1), encoding="utf-8")
    (project / "site" / "plans.json").unlink()
    code, out = check(project, "site", capsys, monkeypatch)
    assert code == 1 and out.startswith("site/plans.json ontbreekt: de site is zonder de accountplans-hooks")
    with pytest.raises(SystemExit):
        main(["--help"])
    assert capsys.readouterr().out.startswith("gebruik: python -m accountplans.exports.publishcheck")
