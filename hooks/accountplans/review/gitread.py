"""Reading plan files out of git revisions, with the real `git` command.

Only `accountplans diff` uses this. Every git failure becomes a `GitError` whose message a
person can act on; nothing here parses plans.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


class GitError(Exception):
    """git could not answer: not a repository, an unknown revision, git missing."""


@dataclass(frozen=True)
class Change:
    """One line of `git diff --name-status -M`: status letter, old path, new path."""

    status: str
    old_path: str | None
    new_path: str | None


def _git(root: Path, args: Sequence[str], stdin: bytes | None = None) -> bytes:
    # Plain, predictable output whatever the user's git config says: no pager, no colour,
    # no external diff drivers, English messages for the errors we pass on.
    env = {**os.environ, "GIT_PAGER": "cat", "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    command = ["git", "-C", str(root), "-c", "core.quotepath=off", *args]
    try:
        done = subprocess.run(command, input=stdin, capture_output=True, env=env, check=False)
    except FileNotFoundError as err:
        raise GitError("git is not installed or not on PATH; install git to compare revisions") from err
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed ({done.returncode})")
    return done.stdout


def toplevel(folder: Path) -> Path:
    """The root of the git work tree that holds `folder`."""
    if not folder.is_dir():
        raise GitError(f"{folder} is not a folder")
    try:
        out = _git(folder, ["rev-parse", "--show-toplevel"])
    except GitError as err:
        raise GitError(f"{folder.resolve()} is not inside a git repository ({err})") from err
    return Path(out.decode("utf-8").strip())


def resolve(root: Path, revision: str) -> str:
    """The commit id that `revision` (a branch, tag, SHA, `HEAD~1`, ...) names."""
    if not revision or revision.startswith("-"):
        raise GitError(f"'{revision}' is not a git revision")
    try:
        out = _git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"])
    except GitError:
        out = b""
    commit = out.decode("utf-8").strip()
    if not commit:
        raise GitError(f"unknown revision '{revision}': no such branch, tag or commit in this "
                       "repository (for a pull request, fetch the base branch first, e.g. "
                       "`git fetch origin main` or checkout with fetch-depth: 0)")
    return commit


def tree_files(root: Path, commit: str, folder: str) -> dict[str, str]:
    """Every file under `folder` at `commit`: path (from the repository root) -> blob id."""
    out = _git(root, ["ls-tree", "-r", "-z", "--full-tree", commit, "--", folder])
    files: dict[str, str] = {}
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        mode, kind, blob = meta.decode("ascii").split()
        if kind == "blob" and mode != "120000":  # a symlink's blob is its target, not a plan
            files[path.decode("utf-8", "surrogateescape")] = blob
    return files


def worktree_files(root: Path, folder: str) -> list[str]:
    """Files under `folder` in the working tree: tracked ones that still exist, and new
    ones that are not ignored (so a plan made with `accountplans new` shows before `git add`)."""
    out = _git(root, ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", folder])
    paths = {p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p}
    return sorted(p for p in paths if (root / p).is_file())


def read_blobs(root: Path, blobs: Iterable[str]) -> dict[str, bytes]:
    """The contents of the given blob ids, read by one `git cat-file --batch`."""
    wanted = sorted(set(blobs))
    if not wanted:
        return {}
    out = _git(root, ["cat-file", "--batch"], stdin="".join(f"{b}\n" for b in wanted).encode())
    contents: dict[str, bytes] = {}
    at = 0
    for blob in wanted:
        end = out.index(b"\n", at)
        header = out[at:end].decode("ascii").split()
        if len(header) != 3:
            raise GitError(f"git could not read object {blob}: {' '.join(header)}")
        size = int(header[2])
        contents[blob] = out[end + 1:end + 1 + size]
        at = end + 1 + size + 1  # the content is followed by a newline
    return contents


def renames(root: Path, base: str, head: str | None, folder: str) -> dict[str, str]:
    """Files git sees as renamed between `base` and `head` (None: the working tree):
    old path -> new path, from `git diff --name-status -M`."""
    revisions = [base] if head is None else [base, head]
    out = _git(root, ["diff", "--no-ext-diff", "--no-textconv", "--name-status", "-M", "-z",
                      *revisions, "--", folder])
    found: dict[str, str] = {}
    for change in parse_name_status(out):
        if change.status == "R" and change.old_path and change.new_path:
            found[change.old_path] = change.new_path
    return found


def parse_name_status(out: bytes) -> list[Change]:
    """Parse `git diff --name-status -z`: `R100\\0old\\0new\\0M\\0path\\0...`."""
    fields = [f.decode("utf-8", "surrogateescape") for f in out.split(b"\0")]
    changes: list[Change] = []
    at = 0
    while at < len(fields) and fields[at]:
        letter = fields[at][0]
        if letter in "RC":
            changes.append(Change(letter, fields[at + 1], fields[at + 2]))
            at += 3
        else:
            path = fields[at + 1]
            changes.append(Change(letter, None if letter == "A" else path, None if letter == "D" else path))
            at += 2
    return changes
