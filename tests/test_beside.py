"""The generated pages and downloads written beside the build (accountplans.site.beside): in
forked children of a real `mkdocs build` process, the same site as when they are written at
once, and a failure there stops the build with one line and leaves the last site whole.

The forking runs are separate Python processes: a test process may have threads (servers of
other tests), and then nothing forks, by design.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from accountplans.site import beside
from conftest import copy_project
from plan_factory import TODAY, build_site, epoch

BIN = Path(sys.executable).parent
DOWNLOADS = ("calendar.ics", "plans.json", "plans.csv", "plans.schema.json")


_HEAD_START = """
    import time
    from accountplans.site import beside
    take, taken = beside.FromTheEnd.take, []
    def counted(self, key):
        if not taken:
            time.sleep(0.2)  # the child's head start: it surely makes some items
        value = take(self, key)
        taken.append((key, value is not None))
        return value
    beside.FromTheEnd.take = counted
"""
"""Code run first by _python(head_start=True): the build waits before it takes its first item
from a child (FromTheEnd.take), and `taken` holds (item, whether the child made it)."""


def _python(code: str, cwd: Path, *, head_start: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch(TODAY), "NO_MKDOCS_2_WARNING": "1"}
    source = (textwrap.dedent(_HEAD_START) if head_start else "") + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", source], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False, timeout=300)


def test_work_beside_is_done_in_a_child(tmp_path: Path) -> None:
    """In a one-thread process the work runs in another process, and wait() says it was done."""
    done = _python("""
        import os
        from pathlib import Path
        from accountplans.site import beside
        parent = os.getpid()
        job = beside.run_beside(lambda: Path("out.txt").write_text(str(os.getpid())))
        assert job.pid is not None
        assert job.wait() is None
        assert int(Path("out.txt").read_text()) not in (parent, 0)
        print("ok")
    """, tmp_path)
    assert done.stdout == "ok\n", done.stderr


def test_failure_beside_is_told_by_wait(tmp_path: Path) -> None:
    """An exception in the child comes back as wait()'s sentence, not a traceback."""
    done = _python("""
        from accountplans.site import beside
        def fail():
            raise OSError(28, "No space left on device")
        print(beside.run_beside(fail).wait())
    """, tmp_path)
    assert done.stdout == "[Errno 28] No space left on device\n", done.stderr
    assert "Traceback" not in done.stderr


def test_nothing_forks_while_another_thread_runs() -> None:
    """With a second thread, can_fork() is False and the work is done at once."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not beside.can_fork()
        seen: list[int] = []
        job = beside.run_beside(lambda: seen.append(os.getpid()))
        assert job.pid is None and seen == [os.getpid()]
        assert job.wait() is None
    finally:
        stop.set()
        thread.join()


def test_failure_of_work_done_at_once_is_told_by_wait() -> None:
    """Work done at once (no fork) fails as the child's does: by wait()'s sentence."""
    def fail() -> None:
        raise OSError(28, "No space left on device")

    assert beside.run_beside(fail, fork=False).wait() == "[Errno 28] No space left on device"


def test_items_from_the_end_are_made_by_the_child(tmp_path: Path) -> None:
    """The child makes the last items first; the parent gets each item, from the child once
    the child has started it, else None (it makes the item itself)."""
    done = _python("""
        import os, time
        from pathlib import Path
        from accountplans.site import beside
        keys = [f"k{i}" for i in range(20)]
        def make(key):
            if key == "k19":
                Path("started").write_text("")
            return key.upper(), os.getpid()
        ahead = beside.from_the_end(keys, make)
        while not Path("started").exists():
            time.sleep(0.01)
        got = [ahead.take(key) for key in keys]
        ahead.stop()
        assert got[-1] is not None and got[-1][1] != os.getpid(), got
        assert all(value is None or value[0] == key.upper() for key, value in zip(keys, got)), got
        assert ahead.pid is None
        print("ok")
    """, tmp_path)
    assert done.stdout == "ok\n", done.stderr


def test_items_the_child_leaves_or_fails_are_the_parents(tmp_path: Path) -> None:
    """An item whose value is None, or whose making raises or warns (a plan's page, a checked
    file), comes back as None: the parent makes it; the items around it still come from the
    child."""
    done = _python("""
        import time, warnings
        from pathlib import Path
        from accountplans.site import beside
        def make(key):
            if key == "a":
                Path("started").write_text("")
            if key == "b":
                return None
            if key == "c":
                raise ValueError("no")
            if key == "e":
                warnings.warn("a library's warning", DeprecationWarning, stacklevel=1)
            return key * 2
        ahead = beside.from_the_end(["a", "b", "c", "d", "e"], make)
        while not Path("started").exists():
            time.sleep(0.01)
        print([ahead.take(key) for key in "abcde"])
        ahead.stop()
    """, tmp_path)
    assert done.stdout == "['aa', None, None, 'dd', None]\n", done.stderr


def test_a_child_that_dies_leaves_its_items_to_the_parent(tmp_path: Path) -> None:
    """A child that ends without telling (killed, out of memory) does not hold the parent up."""
    done = _python("""
        import os
        from accountplans.site import beside
        ahead = beside.from_the_end(["a", "b", "c"], lambda key: os._exit(3))
        print([ahead.take(key) for key in "abc"])
        ahead.stop()
    """, tmp_path)
    assert done.stdout == "[None, None, None]\n", done.stderr


def test_nothing_is_made_from_the_end_while_another_thread_runs() -> None:
    """With a second thread, no child is forked and every item is the parent's."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        made: list[str] = []
        ahead = beside.from_the_end(["a", "b"], made.append)
        assert ahead.pid is None
        assert [ahead.take("a"), ahead.take("b")] == [None, None] and made == []
    finally:
        stop.set()
        thread.join()


def test_files_checked_beside_are_the_files_checked_at_once(tmp_path: Path) -> None:
    """A build's check shared with a child gives the same checked files, problems and all, as
    a check made in one process, and the child checked some of them."""
    project = copy_project(tmp_path / "project")
    done = _python("""
        from pathlib import Path
        from accountplans.plan.rendered import DEFAULT_MARKDOWN
        from accountplans.plan.sitecheck import check_site
        from accountplans.settings import Settings
        from accountplans.site.sitebuild import _ChecksBeside
        (Path("plans") / "broken.md").write_text("---\\naccount: [\\n---\\n# Broken\\n", encoding="utf-8")
        shared = _ChecksBeside(Settings(), DEFAULT_MARKDOWN)
        beside_check = check_site([Path("plans")], Settings(), display=Path("."), checker_for=shared.start)
        shared.stop()
        at_once = check_site([Path("plans")], Settings(), display=Path("."))
        assert beside_check == at_once
        assert any(p.path == "plans/broken.md" and p.is_error for p in at_once.problems)
        print(sum(made for _, made in taken), len(at_once.files))
    """, project, head_start=True)
    assert done.returncode == 0, done.stderr
    made, files = done.stdout.split()
    assert 0 < int(made) <= int(files)


def test_forked_build_equals_a_build_that_writes_at_once(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A `mkdocs build` process (pages and downloads forked, plans' pages shared with a child)
    writes the same site as a build that makes them all itself (Pagefind's index apart: its
    file names are hashes)."""
    project = copy_project(tmp_path / "project")
    built = _python("""
        import sys
        from mkdocs.__main__ import cli
        sys.argv = ["mkdocs", "build", "--strict", "--site-dir", "forked"]
        try:
            cli()
        finally:
            # The plans' pages are src_uris; the files checked beside are absolute paths.
            print(sum(made for key, made in taken if not key.startswith("/")))
    """, project, head_start=True)
    assert built.returncode == 0, built.stderr
    assert int(built.stdout) > 0, "no plan page was made by the child"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    monkeypatch.setattr(beside, "can_fork", lambda: False)
    at_once = build_site(project, project / "at-once")
    forked, at_once_files = _site_files(project / "forked"), _site_files(at_once)
    assert {*DOWNLOADS, "quarters/2027-q1/index.html"} <= forked.keys()
    owner_files = [name for name in forked if name.startswith("owners/")]
    assert any(name.endswith("/calendar.ics") for name in owner_files)
    assert any(name.endswith("/2027-q1/index.html") for name in owner_files)
    assert forked.keys() == at_once_files.keys()
    assert [name for name in forked if forked[name] != at_once_files[name]] == []


def _site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and not p.relative_to(site).as_posix().startswith("pagefind/")}


def _mkdocs_build(project: Path) -> subprocess.CompletedProcess[str]:
    """`mkdocs build` as a person runs it: its own process, so the children are forked."""
    return subprocess.run([str(BIN / "mkdocs"), "build"], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": epoch(TODAY)}, check=False, timeout=300)


def _build_failing_in(project: Path, module: str, function: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build` in its own process with `module.function` raising a full disk's OSError."""
    return _python(f"""
        import sys
        from accountplans.{module.rpartition(".")[0]} import {module.rpartition(".")[2]} as module
        def no_room(*args, **kwargs):
            raise OSError(28, "No space left on device")
        module.{function} = no_room
        from mkdocs.__main__ import cli
        sys.argv = ["mkdocs", "build"]
        cli()
    """, project)


@pytest.mark.parametrize(("module", "function", "kept", "message"), [
    ("exports.downloads", "plans_csv", "plans.csv",
     "The downloads (calendars, plans.json, plans.csv) could not be written"),
    ("site.owners", "owner_page_markdown", "index.html", "The owner and quarter pages could not be written"),
], ids=["downloads", "pages"])
def test_a_failure_beside_stops_the_build_and_keeps_the_last_site(tmp_path: Path, module: str, function: str,
                                                                  kept: str, message: str) -> None:
    """A download or page that cannot be made in its child stops `mkdocs build` with one error
    line (a page's before any page is rendered, a download's after); the site built before
    stays as it was."""
    project = copy_project(tmp_path / "project")
    first = _mkdocs_build(project)
    assert first.returncode == 0, first.stderr
    before = (project / "site" / kept).read_bytes()
    failed = _build_failing_in(project, module, function)
    assert failed.returncode == 1
    assert (f"ERROR   -  {message}: [Errno 28] No space left on device; fix that and build again"
            in failed.stderr)
    assert "Traceback" not in failed.stderr
    assert (project / "site" / kept).read_bytes() == before


def test_a_docs_file_of_a_generated_name_is_kept(tmp_path: Path) -> None:
    """A docs file named like a generated download is published as it is, with a warning, and
    the rest is still made beside the build."""
    project = copy_project(tmp_path / "project")
    (project / "plans" / "plans.csv").write_text("our own,file\n", encoding="utf-8")
    built = _mkdocs_build(project)
    assert built.returncode == 0, built.stderr
    assert ("WARNING -  accountplans: plans.csv is made by accountplans at every build, but the docs "
            "folder has a file of that name; the file is kept: rename it") in built.stderr
    assert (project / "site" / "plans.csv").read_text(encoding="utf-8") == "our own,file\n"
    assert (project / "site" / "plans.json").read_bytes().startswith(b"{")
