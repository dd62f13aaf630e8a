"""A build written beside the site and put in place only when it succeeded, so that a failed
build (an error found late, a strict warning counted at the end) leaves the last site whole."""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["discard", "replace_site", "staging_for"]


def staging_for(site_dir: Path) -> Path:
    """The folder a build writes into, beside `site_dir` (same file system: renames are cheap),
    emptied of what a killed build may have left."""
    staging = site_dir.with_name(f".{site_dir.name}.accountplans-new")
    discard(staging)
    return staging


def replace_site(staging: Path, site_dir: Path) -> None:
    """The staging folder becomes the site; the previous site is removed after the swap."""
    old = site_dir.with_name(f".{site_dir.name}.accountplans-old")
    discard(old)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    discard(old)


def discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
