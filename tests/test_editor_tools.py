"""Authoring tools: the pre-commit hook manifest and the VS Code task's problem matcher.

The manifest is validated offline by pre-commit itself (`pre-commit validate-manifest`); the
matcher's regular expressions are read from .vscode/tasks.json and applied to real output of
`accountplans check`.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from accountplans.cli.commands import _parser
from conftest import ROOT

BIN = Path(sys.executable).parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
TASKS = ROOT / ".vscode" / "tasks.json"
BAD_PLAN = "tests/data/bad-plan.md"


def validate_manifest(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "pre-commit"), "validate-manifest", str(path)], capture_output=True,
                          text=True, check=False, timeout=120)


def hook() -> dict[str, Any]:
    (found,) = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(found, dict)
    return found


def matchers() -> list[dict[str, Any]]:
    (task,) = [t for t in json.loads(TASKS.read_text(encoding="utf-8"))["tasks"]
               if t["label"] == "accountplans: check all plans"]
    found = task["problemMatcher"]
    assert isinstance(found, list)
    return found


def parse(line: str) -> dict[str, str]:
    """What VS Code reads from `line`: the fields of the one matcher whose regexp matches it."""
    parsed = []
    for matcher in matchers():
        pattern = matcher["pattern"]
        match = re.match(pattern["regexp"], line)
        if match:
            parsed.append({field: match.group(index) or "" for field, index in pattern.items()
                           if isinstance(index, int)} | {"kind": pattern.get("kind", "location")})
    assert len(parsed) == 1, f"{len(parsed)} matchers take {line!r}"
    return parsed[0]


# --- pre-commit ---------------------------------------------------------------------------------

def test_pre_commit_accepts_the_manifest() -> None:
    """`pre-commit validate-manifest` (offline) finds nothing wrong in .pre-commit-hooks.yaml."""
    done = validate_manifest(MANIFEST)
    assert done.returncode == 0, done.stdout + done.stderr


def test_pre_commit_rejects_a_broken_manifest(tmp_path: Path) -> None:
    """The validation really validates: a hook without `entry` is refused."""
    broken = tmp_path / ".pre-commit-hooks.yaml"
    broken.write_text("- id: x\n  name: x\n  language: python\n", encoding="utf-8")
    done = validate_manifest(broken)
    assert done.returncode != 0
    assert "entry" in done.stdout + done.stderr


def test_hook_checks_every_plan_not_the_commits_files() -> None:
    """`accountplans check` with no file names, so AP304 and AP502 compare all plans."""
    found = hook()
    assert (found["id"], found["language"]) == ("accountplans-check", "python")
    assert found["pass_filenames"] is False
    words = shlex.split(found["entry"])
    assert words[0] == "accountplans"
    assert _parser().parse_args(words[1:]).paths == []


def test_hook_command_is_installed_by_the_package() -> None:
    """`language: python` installs this repository; its entry is the package's console script."""
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert shlex.split(hook()["entry"])[0] in scripts


@pytest.mark.parametrize(("path", "runs"), [
    ("plans/van-dijk.md", True), ("plans/team/north/a.md", True), ("plans/actuals.csv", True),
    ("mkdocs.yml", True), ("hooks/accountplans/cli/commands.py", False), ("README.md", False),
    ("theme_overrides/main.html", False),
])
def test_hook_runs_when_plans_or_settings_change(path: str, runs: bool) -> None:
    """The `files` pattern takes the plans folder and mkdocs.yml, not the code."""
    assert bool(re.search(hook()["files"], path)) is runs


# --- VS Code ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bad_plan_output() -> list[str]:
    done = subprocess.run([str(BIN / "accountplans"), "check", BAD_PLAN], cwd=ROOT, capture_output=True,
                          text=True, check=False, timeout=120)
    assert done.returncode == 1, done.stderr
    return done.stdout.splitlines()


def test_matcher_reads_every_line_of_check(bad_plan_output: list[str]) -> None:
    """Each problem line of a bad plan gives file, line, column, code, severity and message."""
    parsed = [parse(line) for line in bad_plan_output]
    assert {p["code"] for p in parsed} >= {"AP005", "AP006", "AP301", "AP102"}
    for line, p in zip(bad_plan_output, parsed, strict=True):
        assert (ROOT / p["file"]).is_file()
        assert p["file"] == BAD_PLAN
        assert int(p["line"]) > 0 and int(p["column"]) > 0
        assert p["severity"] in ("error", "warning")
        assert line.endswith(p["message"]) and p["message"]


def test_matcher_places_the_amount_error(bad_plan_output: list[str]) -> None:
    """The negative amount is an error at line 27, column 12, where `-5` is written."""
    (amount,) = [parse(line) for line in bad_plan_output if " AP005 " in line]
    assert (amount["line"], amount["column"], amount["severity"]) == ("27", "12", "error")
    source = (ROOT / BAD_PLAN).read_text(encoding="utf-8").splitlines()[26]
    assert source[11:].startswith("-5")


def test_matcher_takes_a_problem_without_a_line(tmp_path: Path) -> None:
    """A whole-file problem (an actuals.csv over 32 MiB, AP501) goes to the file, without a line."""
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "actuals.csv").write_bytes(b"account,product,month,amount\n" + b"x" * (33 * 2**20))
    done = subprocess.run([str(BIN / "accountplans"), "check", "plans"], cwd=tmp_path, capture_output=True,
                          text=True, check=False, timeout=120)
    (line,) = done.stdout.splitlines()
    p = parse(line)
    assert (p["kind"], p["file"], p["code"], p["severity"]) == ("file", "plans/actuals.csv", "AP501", "error")


def test_task_runs_check_over_all_plans() -> None:
    """The task runs the venv's `accountplans check` with no paths, from the workspace folder."""
    (task,) = [t for t in json.loads(TASKS.read_text(encoding="utf-8"))["tasks"]
               if t["label"] == "accountplans: check all plans"]
    assert (task["command"], task["args"]) == ("${workspaceFolder}/.venv/bin/accountplans", ["check"])
    assert all(m["fileLocation"] == ["relative", "${workspaceFolder}"] for m in matchers())
