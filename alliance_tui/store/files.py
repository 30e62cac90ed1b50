"""Looking at and reading the database file without ever hanging on something else.

Whatever sits at the path is checked before it is read: a folder, a pipe, a device or a
socket is refused by name, not opened for reading (reading a FIFO waits for ever,
`/dev/zero` never ends), and no file is read past `MAX_BYTES`.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
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


#: Files being read ahead (`prefetch`), by their real path: the reading thread, and
#: what it read once it is done.
_ahead: dict[str, tuple[threading.Thread, list[tuple[bytes, Stamp]]]] = {}


def prefetch(path: Path) -> None:
    """Start reading the file at `path` while this process does something else.

    The app imports Textual before it opens the database: some 130 ms in which the
    other processor can copy the file into memory, since reading lets go of Python's
    lock. At 10,000 lines and 50,000 events that took 6 ms of the first frame (SPEC §9).
    `read_file` takes what was read only if the file is still the file that was read
    (its stamp); a file that cannot be read is left for `read_file` to refuse in words.
    """
    file = os.path.realpath(path)
    read: list[tuple[bytes, Stamp]] = []

    def ahead() -> None:
        with contextlib.suppress(DatabaseError):  # refused in words by `read_file`
            read.append(_read(Path(file), Path(file)))

    reader = threading.Thread(target=ahead, name="alliance-tui: reading ahead", daemon=True)
    _ahead[file] = (reader, read)
    reader.start()


def _read_ahead(file: Path) -> tuple[bytes, Stamp] | None:
    """What `prefetch` read of `file`, if it is still what the file holds."""
    found = _ahead.pop(str(file), None)
    if found is None:
        return None
    reader, read = found
    reader.join()
    if not read:
        return None
    raw, stamp = read[0]
    try:
        now = os.stat(file)
    except OSError:
        return None
    return (raw, stamp) if stamp_of(now) == stamp else None


def read_file(path: Path, file: Path) -> tuple[bytes, Stamp]:
    """The bytes of `file` and the stamp of what was read, never blocking on a non-file
    (or what `prefetch` read of it, if it is still what the file holds)."""
    return _read_ahead(file) or _read(path, file)


def _read(path: Path, file: Path) -> tuple[bytes, Stamp]:
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
