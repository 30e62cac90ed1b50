"""The history left unread: opening a grown file parses everything but the end of it.

The history (the "events" table) is most of a grown file, so the storage writes it last
and says so in `_meta` ("history": "last"). Opening such a file parses everything before
the history, and of the history only its end (`Unread.tail`); the rest is parsed when
first needed, or when asked (which the app does just after its first frame, SPEC §9).
"""

from __future__ import annotations

from typing import Any

from . import schema
from .codec import loads_or_none

_HISTORY_KEY = b',"' + schema.HISTORY.encode() + b'":{'
_ALLIANCE_KEY = b'"alliance":'


def mark_last(meta: dict[str, Any], count: int) -> None:
    """Say in the file's own record that the history is its last table (see `split`), and
    how many records it holds (`Unread.count`)."""
    if meta:
        meta["history"] = "last"
        meta["events"] = count


def may_stay_unread(head: Any) -> bool:
    """Whether a file's head (parsed without its history) says its history was cut off
    soundly: written by this storage, at this schema, the history last and not in the head."""
    if not isinstance(head, dict):
        return False
    meta = schema.meta_of(head)
    current = meta.get("schema") == schema.SCHEMA
    return current and meta.get("history") == "last" and schema.HISTORY not in head


class Unread:
    """The history as it stands in the file, not parsed yet: `raw[start:end]` is its JSON.

    `count` is its number of records as seen without parsing: as the file's own record
    says (`mark_last`, given as `said`), or else counted. Should a hand-edited file make
    it wrong, `DurableStorage._read_history` notices and counts again.
    """

    __slots__ = ("count", "end", "raw", "start")

    def __init__(self, raw: bytes, start: int, end: int, said: Any = None) -> None:
        self.raw, self.start, self.end = raw, start, end
        empty = raw.find(b'"', start, end) < 0  # not one key
        if type(said) is int and said >= 0 and (said == 0) == empty:
            # Counting 50,000 records takes 5 ms of the first frame (SPEC §9).
            self.count = said
        else:
            self.count = 0 if empty else count(raw, start, end)

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
        # What `count` records take on average, and a quarter more: one piece to parse,
        # mostly (parsing four times too much took 2 ms of the first frame, SPEC §9).
        size = max(16 * 1024, (self.end - self.start) // self.count * count * 5 // 4)
        while size < self.end - self.start:
            cut = self.raw.find(b'},"', self.end - size, self.end)
            if cut >= 0:
                part = loads_or_none(b"{" + self.raw[cut + 2 : self.end])
                if not isinstance(part, dict) or not all(type(doc) is dict for doc in part.values()):
                    return None
                if len(part) >= count:
                    docs = list(part.values())[len(part) - count :] if count else []
                    return docs, self.count - len(docs)
            size *= 4
        return None


def count(raw: bytes, start: int, end: int) -> int:
    """The records of the history in `raw[start:end]` (not empty), without parsing it.

    Each record names its alliance once, and `"alliance":` cannot be inside a string
    (its quotes would be escaped): counting that is three times quicker than counting
    the `},"` between records (5 ms instead of 15 at 50,000 events, SPEC §9).
    """
    named = raw.count(_ALLIANCE_KEY, start, end)
    # Records that name no alliance are not this app's: then count what ends them.
    return named or raw.count(b'},"', start, end) + 1


def split(raw: bytes) -> tuple[bytes, int, int] | None:
    """The file without its history (closed as an object), and where the history's JSON
    starts and ends in `raw` (to be kept `Unread`).

    Only when the history is the last table, as this storage writes it; the caller also
    asks for the mark this storage leaves in `_meta` (`may_stay_unread`: files written
    before it did, or by other tools, are parsed whole). The cut is sound when the rest
    parses as an object: `,"events":{` cannot be inside a string (its quote would be
    escaped) so it is a key, and a key at any other depth would leave the head's braces
    unbalanced (it is then parsed whole).
    """
    end = len(raw)
    while end and raw[end - 1] in b" \t\r\n":
        end -= 1
    if raw[end - 2 : end] != b"}}":
        return None
    # The first such key, not the last: the history follows everything else, a fifth
    # of the file at 10,000 lines, so looking from the start reads far less of it.
    at = raw.find(_HISTORY_KEY, 0, end)
    if at < 0:
        return None
    return raw[:at] + b"}", at + len(_HISTORY_KEY) - 1, end - 1
