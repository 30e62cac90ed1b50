"""A hash chain through each alliance's history, so that an edit shows (issue 15 item 6).

Every event the app writes carries `chain`: the first 32 hex digits of a SHA-256 of the
chain of the event before it and of the event's own record, in one canonical form. The
alliance record keeps the chain of its last event. Changing, removing or inserting an
event by hand then breaks the chain from that point on: "the history was altered after
event N". Events written before the chain existed carry none; the chain starts at the
first event that has one.

This is evidence against hand edits, not a seal: anyone who can run this code can compute
a new chain. Nothing here is secret.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

KEY = "chain"


def _canonical(record: dict[str, Any]) -> bytes:
    """The record without its chain: compact UTF-8 JSON, keys sorted."""
    return orjson.dumps({k: v for k, v in record.items() if k != KEY}, option=orjson.OPT_SORT_KEYS)


def link(previous: str | None, record: dict[str, Any]) -> str:
    """The chain of `record`, following an event whose chain is `previous`."""
    # Imported here: opening a file needs no hash, and hashlib costs start-up about a
    # millisecond (SPEC §9); after the first save the import is a dictionary look-up.
    import hashlib

    digest = hashlib.sha256((previous or "").encode("ascii") + b"\n" + _canonical(record))
    return digest.hexdigest()[:32]


def altered_after(records: Iterable[dict[str, Any]], head: str | None) -> int | None:
    """Where a history's chain breaks: the number of the last event still intact (0 when
    the first is already altered), or None when the chain holds to `head`, the chain the
    alliance record keeps of its last event."""
    chain: str | None = None
    number = 0
    for number, record in enumerate(records, start=1):
        written = record.get(KEY)
        if written is None:
            if chain is not None:
                return number - 1  # an unchained event after the chain began: put in by hand
            continue
        if written != link(chain, record):
            return number - 1
        chain = written
    if head is not None and head != chain:
        return number  # the last events were removed, or the head was edited
    return None
