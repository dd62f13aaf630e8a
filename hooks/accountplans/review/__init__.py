"""Reviewing changes: `accountplans diff` (plans at two git revisions) and `accountplans roll`."""
