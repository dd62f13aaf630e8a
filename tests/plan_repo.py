"""A git repository of plans for the review commands' tests (`accountplans diff`, `roll`):
real commits in a temporary folder, the CLI run in-process with its output captured."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from accountplans.cli import commands as cli

MKDOCS_YML = """\
site_name: Test plans
docs_dir: plans
extra:
  accountplans:
    language: en
    currency: EUR
"""


class Repo:
    """A git repository in a temp folder with mkdocs.yml and a plans/ folder."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.capsys = capsys
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.write("mkdocs.yml", MKDOCS_YML)
        self.write("plans/index.md", "# Plans\n\nThe team's portfolio.\n")

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", "-c", "user.name=Test Author", "-c", "user.email=author@example.invalid",
             "-c", "commit.gpgsign=false", *args],
            cwd=self.root, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")

    def diff(self, *revisions: str) -> tuple[int, str, str]:
        """Run `accountplans diff` in-process, as the CLI does; (exit code, stdout, stderr)."""
        return run_cli(self.capsys, ["-f", str(self.root / "mkdocs.yml"), "diff", *revisions])


def run_cli(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def bullets(summary: str) -> list[str]:
    """The summary's bullet lines, without their "- "."""
    return [line[2:] for line in summary.splitlines() if line.startswith("- ")]
