"""What an alliance-tui file is: its mark, its schema version, and migrating older ones.

A file that is not ours, or made by a newer version, is refused with a clear message and
never overwritten; an older one is migrated after a copy of it is written beside it
(SPEC §6).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import durable
from .errors import DatabaseError

APP = "alliance-tui"
SCHEMA = 1
META = "_meta"

#: The history's table: most of a grown file, written last (see `history`).
HISTORY = "events"

#: Migrations from schema N to N + 1; each takes and returns the whole database.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}

Data = dict[str, dict[str, Any]]


def empty_database() -> Data:
    return {META: {"1": {"app": APP, "schema": SCHEMA}}}


def meta_of(data: dict[str, Any]) -> dict[str, Any]:
    """The file's own record (app, schema, layout), or {} if it has none."""
    meta = data.get(META)
    meta = meta.get("1") if isinstance(meta, dict) else None
    return meta if isinstance(meta, dict) else {}


def check(path: Path, data: Any) -> int:
    """Refuse what is not our database; the schema version it was written with."""
    meta = data.get(META) if isinstance(data, dict) else None
    meta = meta.get("1") if isinstance(meta, dict) else None
    if not isinstance(meta, dict) or meta.get("app") != APP:
        raise DatabaseError(path, "valid JSON, but not an alliance-tui database")
    version = meta.get("schema")
    if not isinstance(version, int) or version < 1:
        raise DatabaseError(path, f"unknown schema version {version!r}")
    if version > SCHEMA:
        raise DatabaseError(
            path,
            f"made by a newer alliance-tui (schema {version}; this version knows up to "
            f"{SCHEMA}); upgrade alliance-tui to open it",
        )
    if not all(isinstance(table, dict) for table in data.values()):
        raise DatabaseError(path, "a table in it is not a JSON object")
    for name, table in data.items():
        check_table(path, name, table)
    return version


def check_table(path: Path, name: str, table: dict[str, Any]) -> None:
    """Refuse a table whose keys are not document ids or whose records are not objects."""
    # The fast test first (a file of 60,000 records is read at every start): every key at
    # once, joined (a key holding the separator adds one, which the count shows), read by
    # one expression instead of a call a key (1.4 ms at 10,000 lines took 0.6, SPEC §9).
    keys = "\x00".join(table)
    if (not table or (keys.count("\x00") == len(table) - 1 and _DOC_IDS.fullmatch(keys))) and all(
        type(doc) is dict for doc in table.values()
    ):
        return
    for doc_id, document in table.items():
        if not (_is_doc_id(doc_id) and isinstance(document, dict)):
            raise DatabaseError(path, f"record {doc_id!r} of table {name!r} is malformed")


#: Document ids (`_is_doc_id`), one after another, each after a NUL.
_DOC_IDS = re.compile(r"(?:0|[1-9][0-9]{0,17})(?:\x00(?:0|[1-9][0-9]{0,17}))*")


def _is_doc_id(key: str) -> bool:
    """A document id as TinyDB writes one: digits without a leading zero ("007" would be
    read back as 7 and then not found: a hand edit, refused here with the file)."""
    return len(key) <= 18 and key.isascii() and key.isdigit() and (key == "0" or key[0] != "0")


def migrate(file: Path, raw: bytes, data: Data, version: int, save: Callable[[Data], None]) -> Data:
    """Bring an older file up to date, after keeping a copy of it beside it.

    The copy (`NAME.schemaN.bak`, the bytes as read) is on disk before any step runs;
    one already there is left as it is. Called under the lock; `save` writes the result.
    """
    backup = file.with_name(f"{file.name}.schema{version}.bak")
    if not backup.exists():
        durable.write_durably(backup, raw)
    for step in range(version, SCHEMA):
        data = MIGRATIONS[step](data)
    data[META]["1"]["schema"] = SCHEMA
    save(data)
    return data
