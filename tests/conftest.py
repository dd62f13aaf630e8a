"""Shared fixtures. Builds run in-process against a copy of the project in a temp folder."""

from __future__ import annotations

import gzip
import importlib.util
import json
import shutil
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def copy_project(target: Path) -> Path:
    """Copy mkdocs.yml, hooks/, theme_overrides/ and plans/ into `target`."""
    for name in ("hooks", "theme_overrides", "plans"):
        shutil.copytree(ROOT / name, target / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
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
