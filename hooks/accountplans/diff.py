"""`accountplans diff BASE [HEAD]`: see issue 5 (not built yet)."""

from __future__ import annotations

import sys

from .settings import Project


def main(project: Project, base: str, head: str | None) -> int:
    print("accountplans diff: not available yet", file=sys.stderr)
    return 2
