"""The downloads written beside the build (accountplans.site.beside): in a forked child of a
real `mkdocs build` process, the same files as when they are written at once, and a failure
there stops the build with one line and leaves the last site whole.

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


def _python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch(TODAY), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, env=env,
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


def test_forked_downloads_equal_downloads_written_at_once(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A `mkdocs build` process (downloads forked) writes the same downloads as a build that
    writes them at once."""
    project = copy_project(tmp_path / "project")
    built = _python("""
        import sys
        from mkdocs.__main__ import cli
        sys.argv = ["mkdocs", "build", "--strict", "--site-dir", "forked"]
        cli()
    """, project)
    assert built.returncode == 0, built.stderr
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    monkeypatch.setattr(beside, "can_fork", lambda: False)
    at_once = build_site(project, project / "at-once")
    forked = project / "forked"
    calendars = sorted(p.relative_to(forked).as_posix() for p in forked.glob("owners/*/calendar.ics"))
    assert calendars
    for name in (*DOWNLOADS, *calendars):
        assert (forked / name).read_bytes() == (at_once / name).read_bytes(), name


def test_failed_downloads_stop_the_build_and_keep_the_last_site(tmp_path: Path) -> None:
    """A download that cannot be written in the child stops `mkdocs build` with one error line
    naming it; the site built before stays as it was."""
    project = copy_project(tmp_path / "project")
    first = subprocess.run([str(BIN / "mkdocs"), "build"], cwd=project, capture_output=True, text=True,
                           env={**os.environ, "SOURCE_DATE_EPOCH": epoch(TODAY)}, check=False, timeout=300)
    assert first.returncode == 0, first.stderr
    before = (project / "site" / "plans.csv").read_bytes()
    failed = _python("""
        import sys
        from accountplans.exports import downloads
        def no_room(*args, **kwargs):
            raise OSError(28, "No space left on device")
        downloads.plans_csv = no_room
        from mkdocs.__main__ import cli
        sys.argv = ["mkdocs", "build"]
        cli()
    """, project)
    assert failed.returncode == 1
    assert ("ERROR   -  The downloads (calendars, plans.json, plans.csv) could not be "
            "written: [Errno 28] No space left on device; fix that and build again") in failed.stderr
    assert "Traceback" not in failed.stderr
    assert (project / "site" / "plans.csv").read_bytes() == before
