"""The file's JSON, in and out: orjson for speed, the stdlib for precise refusals, and
an encoder that does not encode the history again at every save.
"""

from __future__ import annotations

import itertools
import json
import operator
from typing import Any

import orjson

from .schema import HISTORY, Data

#: Tables whose documents are only ever added (the history): see `Encoder`.
APPEND_ONLY = frozenset({HISTORY})
#: Tables whose documents are replaced whole when they change, never edited in place
#: (the lines, see `Store._save`): encoded in blocks, each reused while it holds the very
#: documents it was encoded from (`Encoder._blocks`).
REPLACED_WHOLE = frozenset({"lines"})
#: Documents per block of such a table: an action re-encodes one block or two.
BLOCK = 256


def loads(raw: bytes) -> Any:
    """Parse the file: orjson (about ten times faster), the stdlib to say what is wrong."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    # The stdlib says where, in lines and columns; and raises for what orjson refuses
    # but it would take: NaN, a number too large for a float, or one of 5,000 digits.
    return json.loads(
        raw.decode("utf-8"), parse_constant=_not_a_number, parse_float=_finite, parse_int=_whole
    )


def loads_or_none(raw: bytes | memoryview) -> Any:
    """Parse JSON quickly, or None if it is not JSON (the caller then takes the long way)."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None


def dumps(data: Any) -> bytes:
    """Compact UTF-8 JSON of the whole database, as TinyDB itself would read it."""
    return orjson.dumps(data)


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


class Encoder:
    """Encodes the whole file as pieces to write in turn, append-only tables reused.

    The history is most of the file and only ever grows: re-encoding 50,000 events for
    each action took longer than the rest of the action. A table is reused only while it
    is the very dict encoded before, grown by appends alone (deleting an alliance makes
    each table anew, and its encoding starts again). The pieces are written one after
    another, never joined: copying megabytes costs as much as encoding.
    """

    def __init__(self) -> None:
        #: What append-only tables were last encoded as: (the dict, its length, the
        #: encoded documents in chunks, without the braces).
        self._encoded: dict[str, tuple[dict[str, Any], int, list[bytes]]] = {}
        #: What tables of documents replaced whole were last encoded as, block by block:
        #: (its keys, its documents, the block encoded without the braces).
        self._blocked: dict[str, list[tuple[list[str], list[Any], bytes]]] = {}

    def forget(self) -> None:
        self._encoded.clear()
        self._blocked.clear()

    def remember(self, name: str, table: dict[str, Any], inner: bytes) -> None:
        """Take `inner` (the table's JSON without its braces) as what `table` encodes to:
        a history parsed from the file's bytes is then not encoded again at the next save."""
        self._encoded[name] = (table, len(table), [inner])

    def encode(self, data: Data) -> list[bytes]:
        """The whole file as pieces, the history last (so opening can leave it unread)."""
        pieces = [b"{"]
        tables = [(name, table) for name, table in data.items() if name != HISTORY]
        if HISTORY in data:
            tables.append((HISTORY, data[HISTORY]))
        for number, (name, table) in enumerate(tables):
            pieces.append(b"," + dumps(name) + b":" if number else dumps(name) + b":")
            if name in REPLACED_WHOLE and isinstance(table, dict):
                chunks: list[bytes] | None = self._blocks(name, table)
            else:
                chunks = self._grown(name, table) if name in APPEND_ONLY else None
            if chunks is None:
                encoded = dumps(table)
                if name in APPEND_ONLY and len(table):
                    chunks = [encoded[1:-1]]
                    self._encoded[name] = (table, len(table), chunks)
                else:
                    pieces.append(encoded)
                    continue
            pieces.append(b"{")
            for index, chunk in enumerate(chunks):
                if index:
                    pieces.append(b",")
                pieces.append(chunk)
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
            # Taken from the end: skipping 50,000 documents from the start costs a millisecond.
            added = list(itertools.islice(reversed(table.items()), len(table) - count))[::-1]
            chunks.append(dumps(dict(added))[1:-1])
            if len(chunks) > 64:  # many small chunks cost a write each: fold them together
                chunks[:] = [chunks[0], b",".join(chunks[1:])]
        self._encoded[name] = (table, len(table), chunks)
        return chunks

    def _blocks(self, name: str, table: dict[str, Any]) -> list[bytes]:
        """A table's documents encoded in blocks of `BLOCK`, reusing every block that
        holds the same keys and the very same documents as when it was encoded.

        At 10,000 lines encoding the whole table took three milliseconds of each action;
        an action replaces a line or two, and adds at the end. A block is compared by
        identity, which is sound because these documents are never edited in place.
        """
        keys, docs = list(table), list(table.values())
        known = self._blocked.get(name, [])
        blocks: list[tuple[list[str], list[Any], bytes]] = []
        for number, start in enumerate(range(0, len(keys), BLOCK)):
            block_keys, block_docs = keys[start : start + BLOCK], docs[start : start + BLOCK]
            if number < len(known):
                old_keys, old_docs, encoded = known[number]
                if old_keys == block_keys and all(map(operator.is_, old_docs, block_docs)):
                    blocks.append(known[number])
                    continue
            encoded = dumps(dict(zip(block_keys, block_docs, strict=True)))[1:-1]
            blocks.append((block_keys, block_docs, encoded))
        self._blocked[name] = blocks
        return [encoded for _, _, encoded in blocks]
