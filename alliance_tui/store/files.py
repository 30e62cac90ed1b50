"""Looking at and reading the database file without ever hanging on something else.

Whatever sits at the path is checked before it is read: a folder, a pipe, a device or a
socket is refused by name, not opened for reading (reading a FIFO waits for ever,
`/dev/zero` never ends), and no file is read past `MAX_BYTES`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import DatabaseError, problem

#: The largest file read: far above any real database (50,000 events take about 10 MB),
#: low enough that a wrong file (a disk image, `/dev/zero`) is refused, not read whole.
MAX_BYTES = 512 * 1024 * 1024

#: What tells a file changed: device, inode, size and modification time.
Stamp = tuple[int, int, int, int]


def stamp_of(found: os.stat_result) -> Stamp:
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


def not_regular(found: os.stat_result) -> str | None:
    """Why a file is no database file (a folder, a pipe, a device), or None if it is one.

    Such a file is refused before anything is opened or made beside it: reading a FIFO
    waits for ever, `/dev/zero` never ends, and a lock file does not belong in `/dev`.
    """
    mode = found.st_mode
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "this is a folder, not a database file"
    if stat.S_ISFIFO(mode):
        return "this is a named pipe (FIFO), not a database file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "this is a device, not a database file"
    if stat.S_ISSOCK(mode):
        return "this is a socket, not a database file"
    return "this is not a regular file"


def status(path: Path, file: Path) -> os.stat_result | None:
    """The status of `file`, None if there is none; `DatabaseError` (naming `path`, as
    given) if it cannot be seen."""
    try:
        return os.stat(file)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise DatabaseError(path, problem(error)) from None


def read_file(path: Path, file: Path) -> tuple[bytes, Stamp]:
    """The bytes of `file` and the stamp of what was read, never blocking on a non-file.

    Opened without blocking and checked on the open descriptor, so a file swapped for a
    pipe or a device after it was looked at is refused too; read up to `MAX_BYTES` and
    no further. Errors name `path`, as given.
    """
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise DatabaseError(path, "the file was deleted or moved away") from None
    except OSError as error:
        raise DatabaseError(path, f"cannot be read ({problem(error)})") from None
    try:
        found = os.fstat(fd)
        if (refused := not_regular(found)) is not None:
            raise DatabaseError(path, refused)
        if found.st_size > MAX_BYTES:
            raise DatabaseError(path, f"{found.st_size:,} bytes is too large for an alliance-tui database")
        chunks, size = [], 0
        while chunk := os.read(fd, max(found.st_size - size, 0) + 65536):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BYTES:
                raise DatabaseError(path, "the file is too large for an alliance-tui database")
        return b"".join(chunks), stamp_of(found)
    except OSError as error:
        raise DatabaseError(path, f"cannot be read ({problem(error)})") from None
    finally:
        os.close(fd)
