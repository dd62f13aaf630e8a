"""`accountplans check`: output formats, exit codes and default paths.

Called in-process (`cli.main`, output captured) and once as the installed command.
"""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from accountplans.cli import commands as cli
from conftest import ROOT

DATA = Path(__file__).parent / "data"
GOOD = (DATA / "good-plan.md").read_text(encoding="utf-8")
LINE = re.compile(r"^(?P<path>[^:]+)(?::(?P<line>\d+)(?::(?P<col>\d+))?)?: "
                  r"(?P<code>AP\d{3}) (?P<severity>error|warning): (?P<message>\S.*)$")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder (mkdocs.yml + plans/ with one clean plan) as the current directory."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "northwind.md").write_text(GOOD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_bad_plan(workdir: Path) -> Path:
    """A plan with two errors (year1 -5, unknown contact) and one warning (typo'd field)."""
    text = (GOOD.replace("account: Northwind Logistics Ltd", "account: Bad Plan B.V.")
                .replace("year1: 80000", "year1: -5")
                .replace("reports_to: Grace Hill", "reports_to: Nobody")
                .replace("visits_per_year: 4", "visits_per_yer: 4"))
    path = workdir / "plans" / "bad.md"
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


BAD_LINES = [
    "plans/bad.md:24:17: AP301 error: Omar Reed reports_to 'Nobody', who is not in contacts; "
    "add Nobody to contacts or use one of: Grace Hill, Omar Reed",
    "plans/bad.md:27:12: AP005 error: targets[1].year1 must be a positive number, got -5; "
    "write digits only, e.g. 120000 or 1250.50",
    "plans/bad.md:30:1: AP006 warning: unknown field 'visits_per_yer'; did you mean 'visits_per_year'?",
]


def test_check_clean_project_exits_0(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A clean project: exit 0, nothing on stdout, a summary on stderr."""
    code, out, err = run(capsys, "check")
    assert (code, out) == (0, "")
    assert err.strip() == "1 file, 1 plan: 0 errors, 0 warnings"


def test_check_text_lines_exactly(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Text output is one `path:line:col: CODE severity: message` line per problem; exit 1."""
    write_bad_plan(workdir)
    code, out, err = run(capsys, "check")
    assert code == 1
    assert out.splitlines() == BAD_LINES
    assert all(LINE.match(line) for line in out.splitlines())
    assert err.strip() == "2 files, 2 plans: 2 errors, 1 warning"


def test_check_warnings_only_exits_0(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Warnings do not fail `check`."""
    (workdir / "plans" / "northwind.md").write_text(GOOD.replace("visits_per_year", "visits_per_yer"),
                                                    encoding="utf-8")
    code, out, _ = run(capsys, "check")
    assert code == 0
    assert " AP006 warning: " in out


def test_check_github_format(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--format github` prints workflow annotations with file, line, col and title."""
    write_bad_plan(workdir)
    code, out, err = run(capsys, "check", "--format", "github")
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert lines[1] == ("::error file=plans/bad.md,line=27,col=12,title=AP005::AP005 targets[1].year1 "
                        "must be a positive number, got -5; write digits only, e.g. 120000 or 1250.50")
    assert lines[2].startswith("::warning file=plans/bad.md,line=30,col=1,title=AP006::AP006 unknown")
    assert len(lines) == 3


def test_github_format_escapes_newlines_and_percent() -> None:
    """Annotation text escapes %; properties also : and ,; a newline never reaches it (a
    problem writes control characters as escapes, so no line can start a workflow command)."""
    from accountplans.plan.problems import Problem, format_github

    p = Problem("plans/a,b:c\n::notice::x.md", 3, 0, "AP005", "error", "50% off\nnext")
    assert format_github(p) == ("::error file=plans/a%2Cb%3Ac\\x0a%3A%3Anotice%3A%3Ax.md,line=3,"
                                "title=AP005::AP005 50%25 off\\x0anext")


def test_check_json_format(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--format json` is a list of objects with path, line, col, code, severity, message."""
    write_bad_plan(workdir)
    code, out, _ = run(capsys, "check", "--format", "json")
    assert code == 1
    found = json.loads(out)
    assert [f"{p['path']}:{p['line']}:{p['col']}: {p['code']} {p['severity']}: {p['message']}"
            for p in found] == BAD_LINES
    assert set(found[0]) == {"path", "line", "col", "code", "severity", "message"}


def test_check_json_clean_is_empty_list(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No problems in JSON is `[]`, still valid JSON."""
    code, out, _ = run(capsys, "check", "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_check_given_file_only(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Paths on the command line replace the default; a clean file exits 0."""
    write_bad_plan(workdir)
    code, out, _ = run(capsys, "check", "plans/northwind.md")
    assert (code, out) == (0, "")


def test_check_problem_without_place(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """AP403 for a file over 1 MiB has no line: `path: CODE severity: message`."""
    (workdir / "plans" / "big.md").write_bytes(b"x" * (1024 * 1024 + 1))
    code, out, _ = run(capsys, "check")
    assert code == 1
    assert out.startswith("plans/big.md: AP403 error: the file is 1.0 MiB, more than the 1 MiB")


def test_check_default_paths_from_docs_dir(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without paths, check reads docs_dir of mkdocs.yml (here renamed to `accounts`)."""
    config = (workdir / "mkdocs.yml").read_text(encoding="utf-8")
    (workdir / "mkdocs.yml").write_text(config.replace("docs_dir: plans", "docs_dir: accounts"),
                                        encoding="utf-8")
    (workdir / "accounts").mkdir()
    write_bad_plan(workdir).rename(workdir / "accounts" / "bad.md")
    code, out, _ = run(capsys, "check")
    assert code == 1
    assert out.splitlines()[0].startswith("accounts/bad.md:24:17: AP301 error:")
    assert "plans/" not in out


def test_check_duplicate_account_across_files(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """AP304 is found when a whole folder is checked."""
    (workdir / "plans" / "northwind-2.md").write_text(GOOD, encoding="utf-8")
    code, out, _ = run(capsys, "check")
    assert code == 1
    assert out.startswith("plans/northwind.md:2:1: AP304 error: the account 'Northwind Logistics Ltd' "
                          "already has a plan in plans/northwind-2.md")


@pytest.mark.parametrize("argv", [
    ["check", "--colour"],
    ["check", "--format", "xml"],
    ["frobnicate"],
    [],
])
def test_usage_errors_exit_2(workdir: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """An unknown option, format or command is a usage error: exit 2 with usage on stderr."""
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    out, err = capsys.readouterr()
    assert stop.value.code == 2
    assert out == "" and "usage: accountplans" in err


def test_missing_path_exits_2(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A path that does not exist is a usage error, named on stderr."""
    code, out, err = run(capsys, "check", "plans/nope.md")
    assert (code, out) == (2, "")
    assert "no such file or folder: plans/nope.md" in err


def test_broken_settings_exit_2(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An invalid extra.accountplans in mkdocs.yml is a usage error, not a traceback."""
    config = (workdir / "mkdocs.yml").read_text(encoding="utf-8")
    (workdir / "mkdocs.yml").write_text(config.replace("max_pages: 2", "max_pages: two"), encoding="utf-8")
    code, _, err = run(capsys, "check")
    assert code == 2
    assert "max_pages must be a positive whole number" in err


def test_installed_command_in_a_subprocess(workdir: Path) -> None:
    """The console script `.venv/bin/accountplans` prints the same lines and exit code."""
    write_bad_plan(workdir)
    command = Path(sys.executable).with_name("accountplans")
    assert command.is_file(), f"{command} is not installed; run `pip install -e .`"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([str(command), "check"], cwd=workdir, capture_output=True, text=True,
                          env=env, timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == BAD_LINES
    assert "Traceback" not in done.stderr


def test_check_imports_no_babel_nor_the_sites_computations(workdir: Path) -> None:
    """A check of English plans reads the compiled catalogs, without Babel, breakdowns or schedule."""
    script = ("import sys; from accountplans.cli import main; code = main(['check']); "
              "print(code, sorted(m for m in sys.modules if m.split('.')[0] == 'babel' "
              "or m in ('accountplans.compute.breakdown', 'accountplans.compute.schedule')))")
    done = subprocess.run([sys.executable, "-c", script], cwd=workdir, capture_output=True,
                          text=True, timeout=60, check=True)
    assert done.stdout.splitlines()[-1] == "0 []", done.stderr


def test_check_reads_mkdocs_yml_once(workdir: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The site's language for the help and the project come from one reading of mkdocs.yml."""
    read: list[Path] = []
    load = cli.load_project
    monkeypatch.setattr(cli, "load_project", lambda path: read.append(path) or load(path))
    code, _, err = run(capsys, "check")
    assert (code, read) == (0, [Path("mkdocs.yml")]), err


@pytest.mark.parametrize("enabled", [True, False])
def test_check_leaves_the_collector_as_it_found_it(workdir: Path, capsys: pytest.CaptureFixture[str],
                                                   enabled: bool) -> None:
    """`main(['check'])` pauses the cycle collector and leaves it on or off as it was."""
    was = gc.isenabled()
    try:
        if not enabled:
            gc.disable()
        code, _, _ = run(capsys, "check")
        assert (code, gc.isenabled()) == (0, enabled)
    finally:
        if was:
            gc.enable()


def test_config_option_after_the_command(workdir: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """`check --config path/mkdocs.yml` reads that site's docs_dir, from anywhere."""
    write_bad_plan(workdir)
    elsewhere = workdir / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, out, _ = run(capsys, "check", "--config", str(workdir / "mkdocs.yml"))
    assert code == 1
    assert "AP005 error: targets[1].year1 must be a positive number, got -5" in out


def test_check_reports_actuals_csv_like_the_build(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`check` reads plans/actuals.csv: a malformed row is AP501 at its CSV line, exit 1."""
    (workdir / "plans" / "actuals.csv").write_text(
        "account,product,month,amount\nNorthwind Logistics Ltd,Freight,2026-13,100\n", encoding="utf-8")
    code, out, _ = run(capsys, "check")
    assert code == 1
    assert out.splitlines() == [
        "plans/actuals.csv:2:1: AP501 error: the month must be written YYYY-MM (e.g. 2027-03), "
        "got '2026-13'"]


def test_help_is_in_the_language_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """`accountplans check --lang nl --help` explains the options in Dutch."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        cli.main(["check", "--lang", "nl", "--help"])
    out = capsys.readouterr().out
    assert "taal van de meldingen" in out and "language of the messages" not in out


def test_usage_messages_follow_the_site_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """With `language: nl` in mkdocs.yml, the CLI's own messages are Dutch."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: plans\nextra:\n  accountplans:\n"
                                         "    language: nl\n", encoding="utf-8")
    assert cli.main(["check", "missing.md"]) == 2
    assert capsys.readouterr().err == "accountplans: bestand of map bestaat niet: missing.md\n"
    assert cli.main(["new", "Acme", "--owner", "Jo", "--year", "1999"]) == 2
    assert capsys.readouterr().err == "accountplans new: --year moet tussen 2000 en 2100 liggen\n"
