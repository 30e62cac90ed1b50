"""The one way a file is written: a crash at any moment leaves the old file or the new one.

A temporary file in the same folder, private (0600), flushed and fsynced, is moved over
the old file with `os.replace`, then the folder is fsynced so the move itself survives a
power cut (SPEC §6). A save killed half-way leaves only its temporary file, which the
next holder of the lock removes (`clean_strays`).
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

#: What is written: bytes, or pieces written one after another (never joined: copying
#: megabytes costs as much as encoding them, see `codec.Encoder`).
Payload = bytes | list[bytes]


def write_durably(path: Path, payload: Payload) -> None:
    """Write `payload` to `path` so that a crash leaves the old file or the new one."""
    old = _hold(path)
    try:
        with durable_temp(path, payload) as temp:
            os.replace(temp, path)
        sync_folder(path.parent)
    finally:
        _let_go(old)


def _hold(path: Path) -> int | None:
    """A descriptor of the file about to be replaced (None if there is no such file).

    Moving a file over another frees the old one's blocks there and then: 3 ms of each
    action at 10,000 lines (SPEC §9). While a descriptor holds the old file, they are
    freed only when it is closed, which `_let_go` does beside the action, not in it.
    """
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None  # never opened: a device or a pipe may do something when opened
        return os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None


class _LettingGo:
    """One thread that closes the descriptors of replaced files, in the order given."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[int | threading.Event] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        os.register_at_fork(after_in_child=self._forked)

    def close(self, fd: int) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=LETTING_GO, daemon=True)
                self._thread.start()
        self._queue.put(fd)

    def settle(self, timeout: float = 10) -> bool:
        """Wait until every descriptor handed over so far is closed (for tests)."""
        if self._thread is None:
            return True
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if isinstance(item, threading.Event):
                item.set()
            else:
                with contextlib.suppress(OSError):
                    os.close(item)

    def _forked(self) -> None:
        """A forked child has no such thread: it starts its own when it first saves."""
        self._queue = queue.SimpleQueue()
        self._thread = None
        self._lock = threading.Lock()


#: The name of the thread that closes replaced files (`_let_go`).
LETTING_GO = "alliance-tui: letting go of replaced files"
_letting_go = _LettingGo()
settle = _letting_go.settle


def _let_go(fd: int | None) -> None:
    """Close the replaced file's descriptor beside the action: freeing it costs it nothing."""
    if fd is not None:
        _letting_go.close(fd)


@contextlib.contextmanager
def durable_temp(path: Path, payload: Payload) -> Iterator[Path]:
    """A temporary file beside `path` holding `payload`, fsynced, private; removed unless
    the block moved it away (`os.replace`)."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=_temp_prefix(path))
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.writelines([payload] if isinstance(payload, bytes) else payload)
            handle.flush()
            os.fsync(handle.fileno())
        yield Path(temp)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def sync_folder(folder: Path) -> None:
    """Make the moves made in `folder` durable: a rename lives in the folder, not the file."""
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _temp_prefix(path: Path) -> str:
    return f".{path.name}.tmp-"


def _strays(file: Path) -> re.Pattern[str]:
    """The names of the temporary files saving `file` makes: of the file itself, of its
    backups (`.NAME.bak1.tmp-…`) and of a schema backup (`.NAME.schema1.bak.tmp-…`)."""
    name = re.escape(file.name)
    return re.compile(rf"\.{name}(?:\.bak[0-9]+|\.schema[0-9]+\.bak)?\.tmp-[A-Za-z0-9_]+")


def clean_strays(file: Path) -> None:
    """Remove temporary files a killed save left behind: only ours, only under the lock.

    Every save writes its temporary file while holding the lock, so one found by whoever
    holds it now was left by a save that never finished.
    """
    pattern = _strays(file)
    try:
        names = os.listdir(file.parent)
    except OSError:
        return
    for name in names:
        if pattern.fullmatch(name):
            stray = file.parent / name
            with contextlib.suppress(OSError):
                if stat.S_ISREG(os.lstat(stray).st_mode):
                    stray.unlink()
