"""The one way a file is written: a crash at any moment leaves the old file or the new one.

A temporary file in the same folder, private (0600), flushed and fsynced, is moved over
the old file with `os.replace`, then the folder is fsynced so the move itself survives a
power cut (SPEC §6). A save killed half-way leaves only its temporary file, which the
next holder of the lock removes (`clean_strays`).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

#: What is written: bytes, or pieces written one after another (never joined: copying
#: megabytes costs as much as encoding them, see `codec.Encoder`).
Payload = bytes | list[bytes]


def write_durably(path: Path, payload: Payload) -> None:
    """Write `payload` to `path` so that a crash leaves the old file or the new one."""
    with durable_temp(path, payload) as temp:
        os.replace(temp, path)
    sync_folder(path.parent)


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
