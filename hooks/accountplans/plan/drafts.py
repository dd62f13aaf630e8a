"""Drafts can be merged: their warnings are shown but never fail `--strict`.

A draft is written step by step in pull requests: it is expected to have warnings (the
rules of problems.DRAFT_WARNINGS are lowered to warnings for it, and "not filled in yet" is
what a fresh draft says). `mkdocs build --strict` and `accountplans check --strict` count a
problem only when `fails_strict` says so; the others are still printed (the build log shows
them at INFO level, not WARNING, which MkDocs would count).
"""

from __future__ import annotations

from accountplans.plan.model import Plan
from accountplans.plan.problems import Problem


def fails_strict(found: Problem, plan: Plan | None) -> bool:
    """Whether `found` fails a strict build: an error always; a warning unless it is in a
    draft plan (`plan` is the checked plan of the problem's file, None for other files)."""
    return found.is_error or plan is None or not plan.is_draft
