"""Work done on the machine's other core while the build goes on.

MkDocs builds in one thread; a machine that builds the site (a laptop, a CI runner) has two
cores or more. The generated pages (owner and quarter pages) and the downloads (calendars,
plans.json, plans.csv) depend on nothing the plans' pages do, so `mkdocs build` makes each
kind in a child process forked when the plans are read, and waits for the pages before
MkDocs reads the first of them and for the downloads before it copies them
(SiteBuild.read_source and release). A child shares the parsed plans with the build (fork
copies nothing until it is written) and writes files only; whether it made them is known by
its exit status.

Forking is only safe in a process with one thread (a lock held by another thread stays held
in the child): `mkdocs serve`, a test run that started a server, or a system without fork do
the work at once instead, with the same result.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Beside", "can_fork", "run_beside"]

_MESSAGE_BYTES = 4000
"""What the child tells of its failure: the exception's text, cut to this length."""


def can_fork() -> bool:
    """Whether this process may fork: the system has fork and the process one thread (threads
    a library started outside Python's threading module count too, where the system lists
    them)."""
    if not hasattr(os, "fork") or threading.active_count() != 1:
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return True  # no /proc: threading's count is all there is


@dataclass
class Beside:
    """Work started by run_beside: in a child process (`pid`), or already done (`pid` None)."""

    pid: int | None = None
    reader: int | None = None
    """The read end of the pipe the child writes its failure to."""
    failure: str | None = None
    """Why the work failed, when it was done at once."""

    def wait(self) -> str | None:
        """Waits for the work to end: None when it was done, else why not (one sentence in
        English, from the exception or the exit status)."""
        if self.pid is None:
            failure, self.failure = self.failure, None
            return failure
        message = b""
        if self.reader is not None:
            with os.fdopen(self.reader, "rb") as pipe:
                message = pipe.read()
            self.reader = None
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        code = os.waitstatus_to_exitcode(status)
        if code == 0:
            return None
        return message.decode("utf-8", "replace").strip() or f"the process ended with exit status {code}"

    def cancel(self) -> None:
        """Stops the work if it still runs (the build failed) and reaps the child."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        self.wait()


def run_beside(work: Callable[[], None], *, fork: bool = True) -> Beside:
    """`work` in a forked child when `fork` is asked for and this process may fork
    (can_fork), else done now. Either way its failure is told by `wait()`, which must be
    called before what `work` made is used."""
    if not (fork and can_fork()):
        try:
            work()
        except Exception as error:  # told by wait(), as the child's
            return Beside(failure=str(error))
        return Beside()
    reader, writer = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: do the work, say why it failed, and end without cleaning up
        os.close(reader)  # the parent's objects (temporary folders, servers) stay the parent's
        code = 0
        try:
            work()
        except BaseException as error:  # every failure goes to the parent, which stops the build
            os.write(writer, str(error).encode("utf-8", "replace")[:_MESSAGE_BYTES])
            code = 1
        finally:
            os._exit(code)
    os.close(writer)
    return Beside(pid, reader)
