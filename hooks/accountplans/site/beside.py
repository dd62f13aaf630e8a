"""Work done on the machine's other core while the build goes on.

MkDocs builds in one thread; a machine that builds the site (a laptop, a CI runner) has two
cores or more. The generated pages (owner and quarter pages) and the downloads (calendars,
plans.json, plans.csv) depend on nothing the plans' pages do, so `mkdocs build` makes each
kind in a child process: the pages in one forked when the plans are read, waited for before
MkDocs reads the first of them (SiteBuild.read_source); the downloads in one forked when
every page is converted, while MkDocs renders the pages, waited for before the site is put
in place (SiteBuild.release and finish). A child shares the parsed plans with the build
(fork copies nothing until it is written) and writes files only; whether it made them is
known by its exit status.

The plans' pages are shared (`from_the_end`): MkDocs converts them one by one in its own
order, a child forked when the first is read makes their Markdown from the last one back, and
each page is made by whichever of the two gets to it first. The build takes the child's
Markdown only for the pages it has not started, and only when the child made it from the very
text MkDocs hands the build; else, or when the child failed, the build makes it itself.

Forking is only safe in a process with one thread (a lock held by another thread stays held
in the child): `mkdocs serve`, a test run that started a server, or a system without fork do
the work at once instead, with the same result.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import pickle
import signal
import struct
import sys
import tempfile
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

__all__ = ["Beside", "FromTheEnd", "can_fork", "from_the_end", "run_beside"]

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


_AT = struct.Struct("q")
"""In the memory both share: where the parent is (offset 0), what the child took last (offset 8)."""
_NOTICE = struct.Struct("qqq")
"""What the child tells the parent of each item it took: the item, where its pickled value is
in the data file, and its length (-1: the parent makes that item itself)."""
_PIPE_BYTES = 1 << 20
"""The notices' pipe, made this large where Linux lets it (a notice per item, 24 bytes): the
child never waits for the parent to read them."""


@dataclass
class FromTheEnd:
    """Items made by a child from the last one back (`from_the_end`); the parent takes them
    with `take` in its own order, from the first."""

    index: dict[str, int]
    pid: int | None = None
    shared: mmap.mmap | None = None
    notices: IO[bytes] | None = None
    data: IO[bytes] | None = None
    told: dict[int, tuple[int, int]] = field(default_factory=dict)
    """Items the child is done with: where each value is in the data file, and its length."""
    parent_at: int = -1

    def take(self, key: str) -> Any | None:
        """The child's value for `key`, waiting for it if the child has started it; None when
        the parent must make it itself (the child had not started it, left it, or failed)."""
        at = self.index.get(key)
        if at is None or self.shared is None or self.notices is None or self.data is None:
            return None
        if at > self.parent_at:  # the child stops before any item the parent has got to
            self.parent_at = at
            _AT.pack_into(self.shared, 0, at)
        if _AT.unpack_from(self.shared, 8)[0] > at:
            return None
        while at not in self.told:
            notice = self.notices.read(_NOTICE.size)
            if len(notice) < _NOTICE.size:
                return None  # the child has ended without it
            item, offset, length = _NOTICE.unpack(notice)
            self.told[item] = (offset, length)
        offset, length = self.told.pop(at)
        if length < 0:
            return None
        blob = os.pread(self.data.fileno(), length, offset)
        try:
            return pickle.loads(blob) if len(blob) == length else None  # noqa: S301 - our child's
        except Exception:  # noqa: BLE001 - whatever it is, the parent makes the item itself
            return None

    def stop(self) -> None:
        """Ends the child (what it still makes is not needed) and lets go of what they share."""
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
            self.pid = None
        for held in (self.notices, self.data, self.shared):
            if held is not None:
                held.close()
        self.notices = self.data = self.shared = None
        self.told = {}


def from_the_end(keys: Sequence[str], make: Callable[[str], object | None]) -> FromTheEnd:
    """A child forked now makes `make(key)` for `keys` from the last one back, until it gets to
    an item the parent has asked for (FromTheEnd.take); it leaves an item whose value is None,
    or whose making raises or warns, to the parent. In a process that may not fork, the child
    makes nothing."""
    ahead = FromTheEnd({key: i for i, key in enumerate(keys)})
    if len(keys) < 2 or not can_fork():
        return ahead
    shared = mmap.mmap(-1, 2 * _AT.size)
    _AT.pack_into(shared, 0, -1)
    _AT.pack_into(shared, 8, len(keys))
    reader, writer = os.pipe()
    with contextlib.suppress(AttributeError, OSError):  # not Linux: the child may wait for the parent
        import fcntl

        fcntl.fcntl(writer, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    data = tempfile.TemporaryFile()  # noqa: SIM115 - FromTheEnd.stop closes it
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: make items until the parent gets there, then end without cleaning up
        os.close(reader)
        try:
            _make_from_the_end(keys, make, shared, writer, data.fileno())
        finally:
            os._exit(0)
    os.close(writer)
    ahead.pid, ahead.shared, ahead.data = pid, shared, data
    ahead.notices = os.fdopen(reader, "rb")
    return ahead


def _make_from_the_end(keys: Sequence[str], make: Callable[[str], object | None], shared: mmap.mmap,
                       notices: int, data: int) -> None:
    written = 0
    for at in range(len(keys) - 1, -1, -1):
        if _AT.unpack_from(shared, 0)[0] >= at:
            return
        _AT.pack_into(shared, 8, at)
        try:
            with warnings.catch_warnings(record=True) as warned:
                warnings.simplefilter("always")
                value = make(keys[at])
            # A warning is the parent's to show: it makes that item itself.
            blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL) \
                if value is not None and not warned else None
        except Exception:  # noqa: BLE001 - the parent makes it, and tells what is wrong
            blob = None
        if blob is None:
            os.write(notices, _NOTICE.pack(at, 0, -1))
            continue
        done, view = 0, memoryview(blob)
        while done < len(blob):
            done += os.pwrite(data, view[done:], written + done)
        os.write(notices, _NOTICE.pack(at, written, len(blob)))
        written += len(blob)
