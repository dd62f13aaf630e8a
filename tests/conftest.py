"""Shared fixtures. Builds run in-process against a copy of the project in a temp folder.

The tests never read the plans in plans/: a team deletes the example plans and actuals.csv
when it adopts the template (README, "Adopt it for your team"), and its own plans are not the
tests' business. A project copy takes the site's sources (mkdocs.yml, hooks/, theme_overrides/
and the pages of plans/ that are not plans, such as the dashboard) and the example plans kept
for the tests in tests/data/example-plans/ (with their actuals.csv).
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import shutil
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
# No time limit per example: the tests assert behaviour, never speed (that is `make bench`), and
# on a busy machine a first call that waits for a core would fail as "flaky".
settings.register_profile("accountplans", deadline=None)
settings.load_profile("accountplans")
DATA = ROOT / "tests" / "data"
EXAMPLE_PLANS = DATA / "example-plans"
"""Copies of the template's example plans and their actuals.csv: the tests' example project."""
_ACCOUNT_FIELD = re.compile(r"^account\s*:", re.MULTILINE)


def is_plan_source(text: str) -> bool:
    """Whether a Markdown page is a plan: `account:` in its front-matter (the adoption step's rule)."""
    if not text.startswith("---\n"):
        return False
    end = text.find("\n---", 3)
    return _ACCOUNT_FIELD.search(text[: end if end > 0 else len(text)]) is not None


def is_team_data(relative: str, text: str | None) -> bool:
    """Whether a file of the repository (path relative to it) is a plan or the CRM export, which
    the adoption step deletes; `text` is a Markdown file's text (None for other files)."""
    if relative == "plans/actuals.csv":
        return True
    return relative.startswith("plans/") and relative.endswith(".md") and text is not None \
        and is_plan_source(text)


def copy_project(target: Path, *, example_plans: bool = True) -> Path:
    """Copy mkdocs.yml, hooks/, theme_overrides/ and the pages of plans/ that are not plans into
    `target`, then the example plans and actuals.csv of tests/data (unless `example_plans` is
    False)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in ("hooks", "theme_overrides"):
        shutil.copytree(ROOT / name, target / name, ignore=ignore)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    docs = target / "plans"
    docs.mkdir(parents=True)
    for source in sorted((ROOT / "plans").rglob("*")):
        relative = source.relative_to(ROOT).as_posix()
        if not source.is_file() or "__pycache__" in source.parts:
            continue
        text = source.read_text(encoding="utf-8", errors="replace") if source.suffix == ".md" else None
        if is_team_data(relative, text):
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target / relative)
    if example_plans:
        shutil.copytree(EXAMPLE_PLANS, docs, dirs_exist_ok=True)
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's site sources that a test may change."""
    return copy_project(tmp_path)


def indexed_pages(site: Path) -> dict[str, str]:
    """What search indexed, per page URL: the title and text of every Pagefind record of the
    site's bundles (one per language; see hooks/search_hook.py)."""
    pages: dict[str, str] = {}
    for path in (site / "pagefind").glob("*/fragment/*"):
        data = gzip.decompress(path.read_bytes())
        record = json.loads(data[data.index(b"{"):])
        pages[record["url"]] = " ".join(f"{record['meta'].get('title', '')} {record['content']}".split())
    return pages


def bench_generator() -> ModuleType:
    """bench/generate.py (not a package), loaded by path."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
