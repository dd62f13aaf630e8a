"""The site builds the same with MkDocs and with ProperDocs, the maintained fork of MkDocs 1.x.

Both run as real commands (`mkdocs build`, `properdocs build`) in a fresh process each:
ProperDocs' command line redirects every `mkdocs.*` import to `properdocs.*` for the whole
process, so it must not run inside the test process. The plans come from
tests/plan_factory.py, in a temporary copy of the project.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, indexed_pages
from plan_factory import TODAY, clear_plans, epoch, plan_text, write_plan

BIN = Path(sys.executable).parent
GENERATOR_META = re.compile(rb'<meta name="generator" content="[^"]*">')


def run_build(generator: str, project: Path, site: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch(TODAY), "NO_MKDOCS_2_WARNING": "1",
           "DISABLE_MKDOCS_2_WARNING": "true"}
    return subprocess.run([str(BIN / generator), "build", "--strict", "-f", "mkdocs.yml", "--site-dir", site],
                          cwd=project, env=env, capture_output=True, text=True, check=False, timeout=300)


def files_of(site: Path) -> dict[str, bytes]:
    """Every file of the site but Pagefind's index, whose file names are hashes that need not
    repeat from one run to the next; what it indexed is compared apart (`search` below)."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and not p.relative_to(site).as_posix().startswith("pagefind/")}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The same project (three plans, one of them a draft, and actuals) built by both."""
    project = copy_project(tmp_path_factory.mktemp("properdocs"))
    clear_plans(project)
    write_plan(project, "alpha", plan_text("Alpha B.V.", "Sanne de Vries", tags=["retail"],
                                           milestones=[("2027-04-02", "Visit", "visit", False)]))
    write_plan(project, "beta", plan_text("Beta N.V.", "Joost Hendriks", language="nl"))
    write_plan(project, "draft", plan_text("Gamma B.V.", "Joost Hendriks", status="draft"))
    (project / "plans" / "actuals.csv").write_text(
        "account,product,month,amount\nAlpha B.V.,Licences,2027-01,9000.00\n", encoding="utf-8")
    built = []
    for generator in ("mkdocs", "properdocs"):
        done = run_build(generator, project, f"site-{generator}")
        assert done.returncode == 0, done.stderr
        site = project / f"site-{generator}"
        indexed = {f"search:{url}": text.encode() for url, text in indexed_pages(site).items()}
        built.append(files_of(site) | indexed)
    return built[0], built[1]


def test_both_generators_write_the_same_files(sites: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    """The same pages, downloads and assets; the draft is left out by both."""
    mkdocs_site, properdocs_site = sites
    assert sorted(mkdocs_site) == sorted(properdocs_site)
    assert {"plans.json", "alpha/index.html", "owners/sanne-de-vries/index.html"} <= set(mkdocs_site)
    assert "draft/index.html" not in mkdocs_site


def test_sites_differ_only_in_the_generator_meta(sites: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    """Every file is byte for byte the same once `<meta name="generator">` is taken out."""
    mkdocs_site, properdocs_site = sites
    differing = sorted(name for name in mkdocs_site if mkdocs_site[name] != properdocs_site[name])
    assert differing, "ProperDocs names itself in the generator meta; no difference means no ProperDocs"
    assert all(name.endswith(".html") for name in differing), differing
    for name in differing:
        without = [GENERATOR_META.sub(b"", site[name]) for site in (mkdocs_site, properdocs_site)]
        assert without[0] == without[1], name
    assert b"ProperDocs" in properdocs_site["alpha/index.html"]


def test_properdocs_runs_the_hooks_checks(tmp_path: Path) -> None:
    """A plan with an error fails `properdocs build --strict` with its rule code, as MkDocs does."""
    project = copy_project(tmp_path)
    clear_plans(project)
    write_plan(project, "bad", plan_text("Bad B.V.", "Sanne de Vries").replace("year1: 120000", "year1: -5"))
    done = run_build("properdocs", project, "site")
    assert done.returncode != 0
    assert "AP005" in done.stderr
    assert not (project / "site" / "bad" / "index.html").exists()


def test_make_site_takes_the_generator() -> None:
    """`make site GENERATOR=properdocs` builds with ProperDocs and runs the publish check on it."""
    # --no-print-directory: under `make test` this make is a sub-make, which would add
    # "make[1]: Leaving directory" lines.
    done = subprocess.run(["make", "--no-print-directory", "-n", "site", "GENERATOR=properdocs",
                           "SITE_DIR=out"], cwd=ROOT,
                          capture_output=True, text=True, check=True, timeout=60)
    commands = [line.split("/")[-1] if line.startswith(".venv/bin/") else line
                for line in done.stdout.splitlines()]
    check, build, publish = commands[-3:]
    assert check.startswith("accountplans check")
    assert (build, publish) == ("properdocs build --strict -f mkdocs.yml --site-dir out",
                                "python -m accountplans.exports.publishcheck out")
