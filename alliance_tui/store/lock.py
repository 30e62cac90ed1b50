"""The lock two processes share: a read-modify-write of the file happens under it.

`flock` on a file beside the database (`.NAME.lock`), never on the database itself: a
save replaces the database file, and a lock on a replaced file guards nothing. Taking
it waits a bounded time, then says who holds it (`DatabaseBusy`): a screen must never
freeze behind a lock.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import DatabaseBusy, DatabaseError, problem

#: How long an action waits for another process's lock before saying it is busy. A save
#: holds it for milliseconds; waiting for ever would freeze the screen (`FileLock.held`).
LOCK_WAIT = 3.0


class FileLock:
    """The cross-process lock of the database at `path`, held on the file `lock_path`."""

    def __init__(self, path: Path, lock_path: Path) -> None:
        #: The database's path as given, which every message names.
        self.path = path
        self.lock_path = lock_path

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Hold the lock, waiting at most `LOCK_WAIT` seconds (read now: tests shorten it).

        The lock file is never followed through a symbolic link planted in its place,
        and holds the process id of whoever holds it, for the busy message.
        """
        fd = self._open()
        try:
            self._take(fd, LOCK_WAIT)
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            yield
        finally:
            os.close(fd)

    @contextlib.contextmanager
    def held_if_free(self) -> Iterator[bool]:
        """Take the lock only if its file exists and nobody holds it; whether it was taken.

        Makes nothing: opening a file only to read it leaves nothing beside it.
        """
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            yield False  # no lock file, or none we may use: reading needs none
            return
        try:
            try:
                taken = stat.S_ISREG(os.fstat(fd).st_mode)
                if taken:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                taken = False  # another process holds it
            yield taken
        finally:
            os.close(fd)

    def _open(self) -> int:
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            fd = os.open(self.lock_path, flags, 0o600)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise DatabaseError(
                    self.path, f"its lock file {self.lock_path} is a symbolic link; remove it to go on"
                ) from None
            raise DatabaseError(self.path, f"cannot take the lock ({problem(error)})") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise DatabaseError(self.path, f"its lock file {self.lock_path} is not a regular file")
        return fd

    def _take(self, fd: int, wait: float) -> None:
        """Take the lock on `fd` within `wait` seconds, or raise `DatabaseBusy` (`fd` stays open)."""
        deadline = time.monotonic() + wait
        pause = 0.002
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    break
            except OSError as error:
                raise DatabaseError(self.path, f"cannot take the lock ({problem(error)})") from None
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        try:
            holder = os.pread(fd, 32, 0).decode("ascii").strip()
        except (OSError, UnicodeDecodeError):
            holder = ""
        who = f"another alliance-tui (process {holder})" if holder.isdigit() else "another program"
        raise DatabaseBusy(
            self.path, f"busy: {who} has held it for {wait:g} s; nothing was changed, try again"
        )
