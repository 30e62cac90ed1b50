"""What goes wrong with a database file, said in a few words a person can read."""

from __future__ import annotations

import errno
from pathlib import Path


class DatabaseError(Exception):
    """A database file that cannot be used, named, with the problem in a few words."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class DatabaseBusy(DatabaseError):
    """Another process holds the file's lock for longer than an action may wait."""


def problem(error: OSError) -> str:
    """An operating system's error, in the words a message about the file uses."""
    if error.errno == errno.ENOSPC:
        return "the disk is full; nothing was changed"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno == errno.EROFS:
        return "the file system is read-only"
    if error.errno == errno.ELOOP:
        return "a symbolic link is in the way"
    return error.strerror or str(error)
