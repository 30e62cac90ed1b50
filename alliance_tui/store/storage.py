"""A TinyDB storage that never leaves a broken file, and sees another process's saves.

TinyDB's own `JSONStorage` rewrites its file in place and keeps the handle open, so a
crash mid-write breaks the file and a file replaced underneath is lost (PITFALLS.md).
This storage saves through `durable` (a temporary file, fsynced, moved over the old
one), under the lock two processes share (`lock`). It re-reads the file only when its
identity (inode, size, mtime) changed, so reads are cheap and another process's writes
are seen. Inside `batch()` the writes of one action are gathered into a single save.

What it composes, each in a module of its own: reading without hanging on a non-file
(`files`), the schema check and migration (`schema`), the JSON and its encoding cache
(`codec`), the history left unread at opening (`history`) and the copies of earlier
files (`backups`).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import backups, durable, files, history, schema
from .codec import Encoder, loads, loads_or_none
from .errors import DatabaseError, problem
from .lock import FileLock
from .schema import Data


class DurableStorage:
    """The database file, saved atomically and durably at every write.

    A TinyDB storage (`read`, `write`), without importing TinyDB: start-up does
    not need it (SPEC §9); `Store` hands it to a TinyDB table when it searches one.
    """

    def __init__(self, path: Path, *, create: bool = True) -> None:
        #: The path as given, which every message names.
        self.path = Path(path)
        #: The file itself, the path's symbolic links resolved once: saves replace it in
        #: its own folder, so a symlinked database stays a symlink, and its lock, backups
        #: and temporary files sit beside it, whichever link another process opened.
        self.file = Path(os.path.realpath(self.path))
        self.lock_path = self.file.with_name(f".{self.file.name}.lock")
        self._lock = FileLock(self.path, self.lock_path)
        self._cleaned = False
        self._data: Data | None = None
        self._stamp: files.Stamp | None = None
        self._batch = 0
        self._dirty = False
        self._thread_lock = threading.RLock()
        self._encoder = Encoder()
        #: The history as read from the file and not parsed yet (see `history.split`).
        self._unread: history.Unread | None = None
        self._backed_up = False
        #: Counts the times the file was read because someone else changed it.
        self.generation = 0
        if not self.file.parent.is_dir():
            raise DatabaseError(self.path, f"the folder {self.path.parent} does not exist")
        found = self._stat()
        if found is None:
            if not create:
                raise DatabaseError(self.path, "no such database")
            with self.locked():
                if self._stat() is None:
                    self._save(schema.empty_database())
        elif (refused := files.not_regular(found)) is not None:
            raise DatabaseError(self.path, refused)
        self.refresh()  # a file that cannot be used is refused before anything is made beside it
        self._clean_after_a_kill()

    def _clean_after_a_kill(self) -> None:
        """Remove the temporary files a killed save left, if no save is under way now.

        Every save takes the lock file first, so where there is none no save ever ran
        and nothing is made here: opening a file only to read it (or to refuse it) leaves
        nothing beside it. Where the lock is held, the one saving cleans up instead.
        """
        with self._lock.held_if_free() as taken:
            if taken:
                durable.clean_strays(self.file)
                self._cleaned = True

    def _stat(self) -> os.stat_result | None:
        """The file's status, None if there is no file; `DatabaseError` if it cannot be seen."""
        return files.status(self.path, self.file)

    # -- reading -----------------------------------------------------------------------

    def refresh(self) -> bool:
        """Re-read the file if anyone changed it since we last saw it; True if so."""
        found = self._stat()
        if found is None:
            raise DatabaseError(self.path, "the file was deleted or moved away")
        stamp = files.stamp_of(found)
        if stamp == self._stamp and self._data is not None:
            return False
        raw, stamp = files.read_file(self.path, self.file)
        self._encoder.forget()
        self._unread = None
        try:
            self._data = self._parse(raw)
        except DatabaseError:
            self._data = self._stamp = None  # nothing half-read stays behind
            raise
        self._stamp = stamp
        self.generation += 1
        return True

    def _parse(self, raw: bytes) -> Data:
        """The file's tables, the history perhaps left unread (see `history.split`)."""
        if not raw or raw.isspace():
            raise DatabaseError(self.path, "the file is empty, not an alliance-tui database")
        split = history.split(raw)
        if split is not None:
            head, start, end = split
            data: Data = loads_or_none(head)
            if history.may_stay_unread(data):
                schema.check(self.path, data)
                said = schema.meta_of(data).get("events")
                self._unread = history.Unread(raw, start, end, said)
                return data
        return self._parse_whole(raw)

    def _parse_whole(self, raw: bytes) -> Data:
        try:
            data: Data = loads(raw)
        except UnicodeDecodeError:
            raise DatabaseError(self.path, "not a text file, not an alliance-tui database") from None
        except json.JSONDecodeError as error:
            raise DatabaseError(
                self.path,
                f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}); "
                "it was left untouched",
            ) from None
        except RecursionError:
            raise DatabaseError(
                self.path, "nested too deeply to be an alliance-tui database; it was left untouched"
            ) from None
        except ValueError as error:  # a number out of range, NaN: see `codec.loads`
            raise DatabaseError(self.path, f"not valid JSON ({error}); it was left untouched") from None
        version = schema.check(self.path, data)
        if version < schema.SCHEMA:
            data = self._migrate(raw, data, version)
        return data

    def _migrate(self, raw: bytes, data: Data, version: int) -> Data:
        """Bring an older file up to date under the lock, after a copy (`schema.migrate`)."""
        try:
            with self.locked():
                return schema.migrate(self.file, raw, data, version, self._save)
        except OSError as error:
            raise DatabaseError(
                self.path, f"needs an upgrade from schema {version} but {problem(error)}"
            ) from None

    def read(self) -> Data:
        """Every table, the history parsed if it was still unread."""
        self.peek()
        self.read_unread()
        assert self._data is not None
        return self._data

    def peek(self) -> Data:
        """The tables as read, without parsing the history if it is still unread."""
        if self._data is None:
            self.refresh()
        assert self._data is not None
        return self._data

    def tail(self, count: int) -> tuple[list[dict[str, Any]], int]:
        """The last `count` records of the history, and how many come before them.

        While the history is unread, only its end is parsed.
        """
        self.peek()
        if self._unread is not None:
            found = self._unread.tail(count)
            if found is not None:
                return found
            self.read_unread()
        table = self.peek().get(schema.HISTORY, {})
        docs = list(itertools.islice(reversed(table.values()), count))[::-1]
        return docs, len(table) - len(docs)

    @property
    def unread(self) -> history.Unread | None:
        """The history left unread, if it still is: the same object until the file is
        read again or the history parsed (a cache of what was read from it can tell)."""
        return self._unread

    def read_unread(self) -> None:
        """Parse what opening left unread, from the bytes read then (the file is not
        looked at again): a `DatabaseError` here means the file as read is damaged."""
        if self._unread is not None:
            self._read_history()

    def _read_history(self) -> None:
        """Parse the history left unread; the whole file again if it is not what it seemed."""
        unread, data = self._unread, self._data
        assert unread is not None and data is not None
        table = loads_or_none(unread.table())
        if isinstance(table, dict):
            schema.check_table(self.path, schema.HISTORY, table)
            if len(table) != unread.count:
                self.generation += 1  # a screen showed the estimate: have it look again
            data[schema.HISTORY] = table
            if table:  # it is already encoded: the next save reuses the bytes (`Encoder`)
                self._encoder.remember(schema.HISTORY, table, bytes(unread.table()[1:-1]))
        else:  # e.g. another table after it: read the whole file, errors and all
            self._data = self._parse_whole(unread.raw)
            self.generation += 1
        self._unread = None

    # -- writing -----------------------------------------------------------------------

    def write(self, data: Data) -> None:
        self._data = data
        if self._batch:
            self._dirty = True
        else:
            self._commit()

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """One locked read-modify-write: everything written inside is saved once, at the end.

        The file is re-read first, so the action applies on top of what another process
        wrote. If anything fails, nothing is saved and the next read starts from the disk.
        """
        with self.locked():
            self._batch += 1
            try:
                if self._batch == 1:
                    self.refresh()
                yield
                if self._batch == 1 and self._dirty:
                    self._commit()
            except BaseException:
                if self._dirty:
                    self.forget()
                raise
            finally:
                self._batch -= 1
                if not self._batch:
                    self._dirty = False

    def forget(self) -> None:
        """Drop what is in memory, so the next read comes from the file."""
        self._data = None
        self._stamp = None
        self._unread = None
        self._encoder.forget()

    def _commit(self) -> None:
        assert self._data is not None
        self.read_unread()  # never write the file without its history
        try:
            if not self._backed_up:
                self._back_up()
            self._save(self._data)
        except OSError as error:
            self.forget()
            raise DatabaseError(self.path, f"could not save ({problem(error)})") from None

    def backups(self) -> list[Path]:
        """The kept copies of earlier files, newest first (`<name>.bak1` … `bak3`)."""
        return backups.backups(self.file)

    def _back_up(self) -> None:
        """Before this process first changes the file, keep the file as it was (`backups`)."""
        if self._stat() is not None:
            raw, _ = files.read_file(self.path, self.file)
            backups.keep(self.file, raw)
        self._backed_up = True

    def _save(self, data: Data) -> None:
        """The one place the database file is written: durably, the history last."""
        history.mark_last(schema.meta_of(data), len(data.get(schema.HISTORY, {})))
        durable.write_durably(self.file, self._encoder.encode(data))
        self._stamp = files.stamp_of(os.stat(self.file))

    # -- locking -----------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the cross-process lock (and this process's) for a read-modify-write.

        Waits at most `lock.LOCK_WAIT` seconds for another process, then raises
        `DatabaseBusy` naming it (`FileLock.held`). Inside a batch the lock is already
        held.
        """
        with self._thread_lock:
            if self._batch:
                yield
                return
            with self._lock.held():
                if not self._cleaned or self._data is None or not self._stamp:
                    # Under the lock no save is under way: what matches is a killed one's.
                    durable.clean_strays(self.file)
                    self._cleaned = True
                yield
