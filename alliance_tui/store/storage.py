"""A TinyDB storage that never leaves a broken file, and the lock two processes share.

TinyDB's own `JSONStorage` rewrites its file in place and keeps the handle open, so a
crash mid-write breaks the file and a file replaced underneath is lost (PITFALLS.md).
This storage writes a temporary file in the same folder, fsyncs it, moves it over the
old one with `os.replace` and fsyncs the folder. It re-reads the file only when its
identity (inode, size, mtime) changed, so reads are cheap and another process's writes
are seen. Inside `batch()` the writes of one action are gathered into a single save.

The history (the "events" table) is most of a grown file and is written last. Opening a
file parses everything before it, and of the history only its end (`tail`); the rest is
parsed when first needed (`read`), or when asked (`read_unread`, which the app does just
after its first frame).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import itertools
import json
import os
import re
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

APP = "alliance-tui"
SCHEMA = 1
META = "_meta"

#: How many earlier files are kept beside the database (see `_back_up`).
BACKUPS = 3

#: Tables whose documents are only ever added (the history): see `_encode`.
APPEND_ONLY = frozenset({"events"})

#: The table written last, and read only when needed: see `_split` and `tail`.
HISTORY = "events"
_HISTORY_KEY = b',"events":{'

#: The largest file read: far above any real database (50,000 events take about 10 MB),
#: low enough that a wrong file (a disk image, `/dev/zero`) is refused, not read whole.
MAX_BYTES = 512 * 1024 * 1024

#: How long an action waits for another process's lock before saying it is busy. A save
#: holds it for milliseconds; waiting for ever would freeze the screen (`locked`).
LOCK_WAIT = 3.0

#: Migrations from schema N to N + 1; each takes and returns the whole database.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}

Data = dict[str, dict[str, Any]]


class DatabaseError(Exception):
    """A database file that cannot be used, named, with the problem in a few words."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class DatabaseBusy(DatabaseError):
    """Another process holds the file's lock for longer than an action may wait."""


def _problem(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "the disk is full; nothing was changed"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno == errno.EROFS:
        return "the file system is read-only"
    if error.errno == errno.ELOOP:
        return "a symbolic link is in the way"
    return error.strerror or str(error)


def empty_database() -> Data:
    return {META: {"1": {"app": APP, "schema": SCHEMA}}}


def _stamp(found: os.stat_result) -> tuple[int, int, int, int]:
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


def _not_regular(found: os.stat_result) -> str | None:
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


class DurableStorage:
    """The database file, saved atomically and durably at every write.

    A TinyDB storage (`read`, `write`, `close`), without importing TinyDB: start-up does
    not need it (SPEC §9); `Store` hands it to TinyDB's tables when it writes with them.
    """

    def __init__(self, path: Path, *, create: bool = True) -> None:
        #: The path as given, which every message names.
        self.path = Path(path)
        #: The file itself, the path's symbolic links resolved once: saves replace it in
        #: its own folder, so a symlinked database stays a symlink, and its lock, backups
        #: and temporary files sit beside it, whichever link another process opened.
        self.file = Path(os.path.realpath(self.path))
        self.lock_path = self.file.with_name(f".{self.file.name}.lock")
        self._cleaned = False
        self._data: Data | None = None
        self._stamp: tuple[int, int, int, int] | None = None
        self._batch = 0
        self._dirty = False
        self._thread_lock = threading.RLock()
        #: What append-only tables were last encoded as: (the dict, its length, the
        #: encoded documents in chunks, without the braces).
        self._encoded: dict[str, tuple[dict[str, Any], int, list[bytes]]] = {}
        #: The history as read from the file and not parsed yet (see `_split`).
        self._unread: _Unread | None = None
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
                    self._save(empty_database())
        elif (problem := _not_regular(found)) is not None:
            raise DatabaseError(self.path, problem)
        self.refresh()  # a file that cannot be used is refused before anything is made beside it
        self._clean_after_a_kill()

    def _clean_after_a_kill(self) -> None:
        """Remove the temporary files a killed save left, if no save is under way now.

        Every save takes the lock file first, so where there is none no save ever ran
        and nothing is made here: opening a file only to read it (or to refuse it) leaves
        nothing beside it. Where the lock is held, the one saving cleans up instead.
        """
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            return  # no lock file, or none we may use: reading needs none
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                _clean_strays(self.file)
                self._cleaned = True
        except OSError:
            pass  # another process is saving: it cleans up when it is done
        finally:
            os.close(fd)

    def _stat(self) -> os.stat_result | None:
        """The file's status, None if there is no file; `DatabaseError` if it cannot be seen."""
        try:
            return os.stat(self.file)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise DatabaseError(self.path, _problem(error)) from None

    # -- reading -----------------------------------------------------------------------

    def refresh(self) -> bool:
        """Re-read the file if anyone changed it since we last saw it; True if so."""
        found = self._stat()
        if found is None:
            raise DatabaseError(self.path, "the file was deleted or moved away")
        stamp = _stamp(found)
        if stamp == self._stamp and self._data is not None:
            return False
        raw, stamp = self._read_file()
        self._encoded.clear()
        self._unread = None
        try:
            self._data = self._parse(raw)
        except DatabaseError:
            self._data = self._stamp = None  # nothing half-read stays behind
            raise
        self._stamp = stamp
        self.generation += 1
        return True

    def _read_file(self) -> tuple[bytes, tuple[int, int, int, int]]:
        """The file's bytes and the stamp of what was read, never blocking on a non-file.

        Opened without blocking and checked on the open descriptor, so a file swapped
        for a pipe or a device after it was looked at is refused too; read up to
        `MAX_BYTES` and no further.
        """
        try:
            fd = os.open(self.file, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except FileNotFoundError:
            raise DatabaseError(self.path, "the file was deleted or moved away") from None
        except OSError as error:
            raise DatabaseError(self.path, f"cannot be read ({_problem(error)})") from None
        try:
            found = os.fstat(fd)
            if (problem := _not_regular(found)) is not None:
                raise DatabaseError(self.path, problem)
            if found.st_size > MAX_BYTES:
                raise DatabaseError(
                    self.path, f"{found.st_size:,} bytes is too large for an alliance-tui database"
                )
            chunks, size = [], 0
            while chunk := os.read(fd, max(found.st_size - size, 0) + 65536):
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_BYTES:
                    raise DatabaseError(self.path, "the file is too large for an alliance-tui database")
            return b"".join(chunks), _stamp(found)
        except OSError as error:
            raise DatabaseError(self.path, f"cannot be read ({_problem(error)})") from None
        finally:
            os.close(fd)

    def _parse(self, raw: bytes) -> Data:
        """The file's tables, the history perhaps left unread (see `_split`)."""
        if not raw or raw.isspace():
            raise DatabaseError(self.path, "the file is empty, not an alliance-tui database")
        split = _split(raw)
        if split is not None:
            head, unread = split
            data: Data = _loads_or_none(head)
            meta = _meta_of(data) if isinstance(data, dict) else {}
            if meta.get("schema") == SCHEMA and meta.get("history") == "last" and HISTORY not in data:
                self._check(data)
                self._unread = unread
                return data
        return self._parse_whole(raw)

    def _parse_whole(self, raw: bytes) -> Data:
        try:
            data: Data = _loads(raw)
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
        except ValueError as error:  # a number out of range, NaN: see `_loads`
            raise DatabaseError(self.path, f"not valid JSON ({error}); it was left untouched") from None
        schema = self._check(data)
        if schema < SCHEMA:
            data = self._migrate(raw, data, schema)
        return data

    def _check(self, data: Any) -> int:
        """Refuse what is not our database; the schema version it was written with."""
        meta = data.get(META) if isinstance(data, dict) else None
        meta = meta.get("1") if isinstance(meta, dict) else None
        if not isinstance(meta, dict) or meta.get("app") != APP:
            raise DatabaseError(self.path, "valid JSON, but not an alliance-tui database")
        schema = meta.get("schema")
        if not isinstance(schema, int) or schema < 1:
            raise DatabaseError(self.path, f"unknown schema version {schema!r}")
        if schema > SCHEMA:
            raise DatabaseError(
                self.path,
                f"made by a newer alliance-tui (schema {schema}; this version knows up to "
                f"{SCHEMA}); upgrade alliance-tui to open it",
            )
        if not all(isinstance(table, dict) for table in data.values()):
            raise DatabaseError(self.path, "a table in it is not a JSON object")
        for name, table in data.items():
            self._check_table(name, table)
        return schema

    def _check_table(self, name: str, table: dict[str, Any]) -> None:
        # The fast test first (a file of 60,000 records is read at every start).
        if all(map(_is_doc_id, table)) and all(type(doc) is dict for doc in table.values()):
            return
        for doc_id, document in table.items():
            if not (_is_doc_id(doc_id) and isinstance(document, dict)):
                raise DatabaseError(self.path, f"record {doc_id!r} of table {name!r} is malformed")

    def _migrate(self, raw: bytes, data: Data, schema: int) -> Data:
        """Bring an older file up to date, after keeping a copy of it beside it."""
        backup = self.file.with_name(f"{self.file.name}.schema{schema}.bak")
        try:
            with self.locked():
                if not backup.exists():
                    _write_durably(backup, raw)
                for step in range(schema, SCHEMA):
                    data = MIGRATIONS[step](data)
                data[META]["1"]["schema"] = SCHEMA
                self._save(data)
        except OSError as error:
            raise DatabaseError(
                self.path, f"needs an upgrade from schema {schema} but {_problem(error)}"
            ) from None
        return data

    def read(self) -> Data | None:
        """Every table, the history parsed if it was still unread."""
        if self._data is None:
            self.refresh()
        self.read_unread()
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
        table = self.peek().get(HISTORY, {})
        docs = list(itertools.islice(reversed(table.values()), count))[::-1]
        return docs, len(table) - len(docs)

    def read_unread(self) -> None:
        """Parse what opening left unread, from the bytes read then (the file is not
        looked at again): a `DatabaseError` here means the file as read is damaged."""
        if self._unread is not None:
            self._read_history()

    def _read_history(self) -> None:
        """Parse the history left unread; the whole file again if it is not what it seemed."""
        unread, data = self._unread, self._data
        assert unread is not None and data is not None
        table = _loads_or_none(unread.table())
        if isinstance(table, dict):
            self._check_table(HISTORY, table)
            if len(table) != unread.count:
                self.generation += 1  # a screen showed the estimate: have it look again
            data[HISTORY] = table
            if table:  # it is already encoded: the next save reuses the bytes (`_grown`)
                self._encoded[HISTORY] = (table, len(table), [bytes(unread.table()[1:-1])])
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
        self._encoded.clear()

    def _commit(self) -> None:
        assert self._data is not None
        self.read_unread()  # never write the file without its history
        try:
            if not self._backed_up:
                self._back_up()
            self._save(self._data)
        except OSError as error:
            self.forget()
            raise DatabaseError(self.path, f"could not save ({_problem(error)})") from None

    def backups(self) -> list[Path]:
        """The kept copies of earlier files, newest first (`<name>.bak1` … `bak3`)."""
        return [self.file.with_name(f"{self.file.name}.bak{n}") for n in range(1, BACKUPS + 1)]

    def _back_up(self) -> None:
        """Before this process first changes the file, keep the file as it was.

        The last good file of each of the last few launches stays beside the database,
        the oldest dropped, so a mistake (or a bug) can be undone by hand. The copy is
        written in full before any older one moves: a save that fails (a full disk)
        rotates nothing away, however often it is tried.
        """
        if self._stat() is not None:
            kept = self.backups()
            raw, _ = self._read_file()
            with _durable_temp(kept[0], raw) as copy:
                for older, newer in zip(reversed(kept[1:]), reversed(kept[:-1]), strict=True):
                    if newer.exists():
                        os.replace(newer, older)
                os.replace(copy, kept[0])
            _sync_folder(self.file.parent)
        self._backed_up = True

    def _save(self, data: Data) -> None:
        meta = _meta_of(data)
        if meta:  # the history goes last (`_encode`): say so, for `_parse`
            meta["history"] = "last"
        _write_durably(self.file, self._encode(data))
        self._stamp = _stamp(os.stat(self.file))

    def _encode(self, data: Data) -> list[bytes]:
        """The whole file as pieces to write in turn, append-only tables reused.

        The history is most of the file and only ever grows: re-encoding 50,000 events
        for each action took longer than the rest of the action. A table is reused only
        while it is the very dict encoded before, grown by appends alone (TinyDB's own
        writes replace a table's dict, which starts it afresh). The pieces are written
        one after another, never joined: copying megabytes costs as much as encoding.
        """
        pieces = [b"{"]
        # The history goes last, so that opening the file can leave it unread (`_split`).
        tables = [(name, table) for name, table in data.items() if name != HISTORY]
        if HISTORY in data:
            tables.append((HISTORY, data[HISTORY]))
        for number, (name, table) in enumerate(tables):
            pieces.append(b"," + _dumps(name) + b":" if number else _dumps(name) + b":")
            chunks = self._grown(name, table) if name in APPEND_ONLY else None
            if chunks is None:
                encoded = _dumps(table)
                if name in APPEND_ONLY and len(table):
                    chunks = [encoded[1:-1]]
                    self._encoded[name] = (table, len(table), chunks)
                else:
                    pieces.append(encoded)
                    continue
            pieces.append(b"{")
            for index, chunk in enumerate(chunks):
                pieces.append(b"," + chunk if index else chunk)
            pieces.append(b"}")
        pieces.append(b"}")
        return pieces

    def _grown(self, name: str, table: dict[str, Any]) -> list[bytes] | None:
        """The encoded chunks of an append-only table, with what was added since encoded."""
        known = self._encoded.get(name)
        # `is`, not id(): the cache holds the dict itself, so its address cannot be reused.
        if known is None or known[0] is not table or len(table) < known[1]:
            return None
        _, count, chunks = known
        if len(table) > count:
            chunks.append(_dumps(dict(itertools.islice(table.items(), count, None)))[1:-1])
            if len(chunks) > 64:  # many small chunks cost a write each: fold them together
                chunks[:] = [chunks[0], b",".join(chunks[1:])]
        self._encoded[name] = (table, len(table), chunks)
        return chunks

    # -- locking -----------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self, *, wait: float | None = None) -> Iterator[None]:
        """Hold the cross-process lock (and this process's) for a read-modify-write.

        Waits at most `wait` seconds (`LOCK_WAIT` by default) for another process, then
        raises `DatabaseBusy` naming it: a screen must never freeze behind a lock. The
        lock file is never followed through a symbolic link planted in its place, and
        holds the process id of whoever holds it, for that message.
        """
        with self._thread_lock:
            if self._batch:
                yield
                return
            fd = self._open_lock()
            try:
                self._take(fd, LOCK_WAIT if wait is None else wait)
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, 0)
                    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
                if not self._cleaned or self._data is None or not self._stamp:
                    # Under the lock no save is under way: what matches is a killed one's.
                    _clean_strays(self.file)
                    self._cleaned = True
                yield
            finally:
                os.close(fd)

    def _open_lock(self) -> int:
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            fd = os.open(self.lock_path, flags, 0o600)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise DatabaseError(
                    self.path, f"its lock file {self.lock_path} is a symbolic link; remove it to go on"
                ) from None
            raise DatabaseError(self.path, f"cannot take the lock ({_problem(error)})") from None
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
                raise DatabaseError(self.path, f"cannot take the lock ({_problem(error)})") from None
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

    def close(self) -> None:
        self._data = None


class _Unread:
    """The history as it stands in the file, not parsed yet: `raw[start:end]` is its JSON.

    `count` is its number of records as seen without parsing: the records are flat
    objects, so each but the last is followed by `},"`. Should a hand-edited file make
    that wrong, `DurableStorage._read_history` notices and counts again.
    """

    __slots__ = ("count", "end", "raw", "start")

    def __init__(self, raw: bytes, start: int, end: int) -> None:
        self.raw, self.start, self.end = raw, start, end
        empty = raw.find(b'"', start, end) < 0  # not one key
        self.count = 0 if empty else raw.count(b'},"', start, end) + 1

    def table(self) -> memoryview:
        return memoryview(self.raw)[self.start : self.end]

    def tail(self, count: int) -> tuple[list[dict[str, Any]], int] | None:
        """The last `count` records and how many come before, or None to parse it all.

        Parses ever larger pieces from the end, each starting at a record: after a `},"`
        at the table's own depth, `{` and the rest are a JSON object; cut anywhere else
        they are not, and that is the end of the shortcut.
        """
        if self.count == 0:
            return [], 0
        size = 64 * 1024
        while size < self.end - self.start:
            cut = self.raw.find(b'},"', self.end - size, self.end)
            if cut >= 0:
                part = _loads_or_none(b"{" + self.raw[cut + 2 : self.end])
                if not isinstance(part, dict) or not all(type(doc) is dict for doc in part.values()):
                    return None
                if len(part) >= count:
                    docs = list(part.values())[len(part) - count :] if count else []
                    return docs, self.count - len(docs)
            size *= 4
        return None


def _split(raw: bytes) -> tuple[bytes, _Unread] | None:
    """The file without its history (closed as an object), and the history unread.

    Only when the history is the last table, as this storage writes it; `_parse` also
    asks for the mark this storage leaves in `_meta` (files written before it did, or
    by other tools, are parsed whole). The cut is sound when the rest parses as an
    object: `,"events":{` outside a string can only be a key, and a key at any other
    depth would leave the rest's braces unbalanced.
    """
    end = len(raw)
    while end and raw[end - 1] in b" \t\r\n":
        end -= 1
    if raw[end - 2 : end] != b"}}":
        return None
    at = raw.rfind(_HISTORY_KEY, 0, end)
    if at < 0:
        return None
    return raw[:at] + b"}", _Unread(raw, at + len(_HISTORY_KEY) - 1, end - 1)


def _meta_of(data: dict[str, Any]) -> dict[str, Any]:
    meta = data.get(META)
    meta = meta.get("1") if isinstance(meta, dict) else None
    return meta if isinstance(meta, dict) else {}


def _loads_or_none(raw: bytes | memoryview) -> Any:
    """Parse JSON quickly, or None if it is not JSON (the caller then takes the long way)."""
    try:
        import orjson
    except ImportError:  # pragma: no cover
        try:
            return json.loads(bytes(raw).decode("utf-8"))
        except ValueError:
            return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None


def _is_doc_id(key: str) -> bool:
    return len(key) <= 18 and key.isascii() and key.isdigit()


def _loads(raw: bytes) -> Any:
    """Parse the file: orjson when installed (about ten times faster), else the stdlib."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency, the stdlib a fallback
        return json.loads(raw.decode("utf-8"))
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    # The stdlib says where, in lines and columns; and raises for what orjson refuses
    # but it would take: NaN, a number too large for a float, or one of 5,000 digits.
    return json.loads(
        raw.decode("utf-8"), parse_constant=_not_a_number, parse_float=_finite, parse_int=_whole
    )


def _not_a_number(text: str) -> Any:
    raise ValueError(f"{text} is not a number JSON allows")


def _finite(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:20]} is too large")
    return number


def _whole(text: str) -> int:
    if len(text.lstrip("-")) > 40:
        raise ValueError(f"a number of {len(text.lstrip('-')):,} digits is too large")
    return int(text)


def _dumps(data: Any) -> bytes:
    """Compact UTF-8 JSON of the whole database, as TinyDB itself would read it."""
    try:
        import orjson
    except ImportError:  # pragma: no cover
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return orjson.dumps(data)


def _temp_prefix(path: Path) -> str:
    return f".{path.name}.tmp-"


def _strays(file: Path) -> re.Pattern[str]:
    """The names of the temporary files saving `file` makes: of the file itself, of its
    backups (`.NAME.bak1.tmp-…`) and of a schema backup (`.NAME.schema1.bak.tmp-…`)."""
    name = re.escape(file.name)
    return re.compile(rf"\.{name}(?:\.bak[0-9]+|\.schema[0-9]+\.bak)?\.tmp-[A-Za-z0-9_]+")


def _clean_strays(file: Path) -> None:
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


@contextlib.contextmanager
def _durable_temp(path: Path, payload: bytes | list[bytes]) -> Iterator[Path]:
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


def _sync_folder(folder: Path) -> None:
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _write_durably(path: Path, payload: bytes | list[bytes]) -> None:
    """Write `payload` to `path` so that a crash leaves the old file or the new one."""
    with _durable_temp(path, payload) as temp:
        os.replace(temp, path)
    _sync_folder(path.parent)
