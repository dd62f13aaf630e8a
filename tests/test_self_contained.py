"""The repository stands on its own (issue 13 item 5): the test suite passes in a team's copy.

A team adopting the template deletes the example plans and plans/actuals.csv (README, "Adopt
it for your team", step 2). One test does exactly that on a copy of the repository (the files
git knows of, as they are in the working tree) and runs the test suite there with the same
virtual environment: nothing the tests need may live in the example plans. The others check
that nothing points outside the repository: package data that is not there, documents that
are not in it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from conftest import ROOT, is_team_data

THIS = Path(__file__).name


def repository_files() -> list[str]:
    """Every file git knows of or would add (tracked, and untracked but not ignored)."""
    done = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                          cwd=ROOT, capture_output=True, check=True, timeout=60)
    return sorted({name for name in done.stdout.decode("utf-8").split("\0") if name})


def adopted_copy(target: Path) -> list[str]:
    """Copy the repository into `target` without its example data; the files left out."""
    left_out = []
    for relative in repository_files():
        source = ROOT / relative
        if not source.is_file():  # deleted in the working tree, not yet in git
            continue
        is_page = relative.startswith("plans/") and relative.endswith(".md")
        text = source.read_text(encoding="utf-8", errors="replace") if is_page else None
        if is_team_data(relative, text):
            left_out.append(relative)
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / relative)
    # Installed tools, as `make test` installs them in a fresh clone: the Node packages.
    if (ROOT / "node_modules").is_dir():
        (target / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return left_out


def git_repository(folder: Path) -> None:
    """Make `folder` a git repository with one commit, as a team's fork is."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "Team", "GIT_AUTHOR_EMAIL": "team@example.com",
           "GIT_COMMITTER_NAME": "Team", "GIT_COMMITTER_EMAIL": "team@example.com"}
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "Adopted"]):
        subprocess.run(["git", *command], cwd=folder, env=env, check=True, capture_output=True, timeout=120)


def test_team_data_is_the_plans_and_the_crm_export() -> None:
    """The adoption step deletes pages of plans/ with `account:` in their front-matter and
    plans/actuals.csv; a page that shows a plan in a code block stays, and so do test files."""
    plan = "---\naccount: Acme\nowner: Sam\n---\n# Acme\n"
    help_page = "---\ntitle: Help\n---\n\n```yaml\naccount: Acme\n```\n"
    assert is_team_data("plans/acme.md", plan)
    assert not is_team_data("plans/help.md", help_page)
    assert is_team_data("plans/actuals.csv", None)
    assert not is_team_data("tests/data/good-plan.md", plan)


def test_suite_passes_without_the_example_plans(tmp_path: Path) -> None:
    """With every example plan and plans/actuals.csv deleted, the whole test suite passes."""
    copy = tmp_path / "team"
    left_out = adopted_copy(copy)
    assert "plans/actuals.csv" in left_out and len(left_out) >= 2, left_out
    assert (copy / "plans" / "index.md").is_file()
    git_repository(copy)
    # The copy's own package first (the editable install points at this repository's hooks/).
    paths = [str(copy / "hooks"), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    env.pop("PYTEST_ADDOPTS", None)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "--deselect",
         f"tests/{THIS}::test_suite_passes_without_the_example_plans"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=3600, check=False)
    summary = "\n".join(done.stdout.splitlines()[-40:])
    assert done.returncode == 0, (
        f"left out {left_out}; the suite in the copy failed:\n{summary}\n{done.stderr[-3000:]}")
    assert re.search(r"\d+ passed", summary), summary


def test_package_data_names_files_that_exist() -> None:
    """Every package-data pattern of pyproject.toml matches a file of its package."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    source = ROOT / setuptools["package-dir"][""]
    empty = [f"{package}: {pattern}" for package, patterns in setuptools["package-data"].items()
             for pattern in patterns if not any(p.is_file() for p in (source / package).glob(pattern))]
    assert empty == []


# Documents a team's copy does not have: the project's design notes, kept beside the repository.
_OUTSIDE_DOCUMENTS = ("DESIGN" + ".md", "MKDOCS" + "-NOTES", "/work" + "/shared", "../" + "shared/")


def test_no_file_cites_a_document_outside_the_repository() -> None:
    """No docstring, comment or page names a document that is not in the repository."""
    citing = []
    for relative in repository_files():
        path = ROOT / relative
        if not path.is_file() or path.stat().st_size > 2**20:
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        citing += [f"{relative}: {name}" for name in _OUTSIDE_DOCUMENTS if name in text]
    assert citing == []
