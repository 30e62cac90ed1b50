"""Where each alliance's records sit in the file, so the hot paths skip TinyDB's scans."""

from __future__ import annotations

from typing import Any


class Index:
    """Where each alliance's records sit in the file, found in one pass when it is read.

    TinyDB's `Table` converts every document id of a table on each insert and scans the
    whole table on each search, which costs tens of milliseconds at 50,000 events. The
    hot paths (an action's save, reading one alliance, a slice of its history) use this
    index on the data our storage already holds instead; the file stays TinyDB's.

    Written out, not a dataclass: one a file read, and a dataclass took 0.4 ms of every
    start to define (SPEC §9).
    """

    def __init__(self) -> None:
        self.alliances: dict[str, int] = {}
        self.lines: dict[str, dict[int, int]] = {}
        self.next_id: dict[str, int] = {}
        #: Each alliance's events, found only when first asked for: opening an alliance
        #: reads just the end of its history (see `Store.history_tail`).
        self.found_events: dict[str, list[int]] | None = None

    @classmethod
    def of(cls, data: dict[str, dict[str, Any]]) -> Index:
        """The index of a file's records; `ValueError` if two records claim one place.

        Two alliances with one id, or two lines with one number in an alliance, would
        hide one of them and let the next save overwrite it: the file is refused instead.
        """
        index = cls()
        for name in ("alliances", "versions"):
            index.next_id[name] = max(map(int, data.get(name, {})), default=0) + 1
        for doc_id, doc in data.get("alliances", {}).items():
            alliance_id = str(doc.get("id"))
            if alliance_id in index.alliances:
                raise ValueError(f"two alliances have the id {alliance_id!r}")
            index.alliances[alliance_id] = int(doc_id)
        # One pass over 10,000 lines before the first frame (SPEC §9): an alliance's
        # lines mostly follow one another, so its table is looked up when the owner changes.
        top, owner, docs = 0, None, {}
        for doc_id, doc in data.get("lines", {}).items():
            line_id, named = doc.get("id"), doc.get("alliance")
            if type(line_id) is not int:
                raise ValueError(f"line record {doc_id} has no whole number as its number")
            if named != owner or owner is None:
                owner, docs = named, index.lines.setdefault(str(named), {})
            if line_id in docs:
                raise ValueError(f"two lines of alliance {named!r} have the number {line_id}")
            number = docs[line_id] = int(doc_id)
            if number > top:
                top = number
        index.next_id["lines"] = top + 1
        return index

    def events(self, data: dict[str, dict[str, Any]]) -> dict[str, list[int]]:
        """Every alliance's event document ids, oldest first (one pass, then kept)."""
        if self.found_events is None:
            found: dict[str, list[int]] = {}
            table = data.get("events", {})
            for doc_id, doc in table.items():
                found.setdefault(str(doc.get("alliance")), []).append(int(doc_id))
            for ids in found.values():
                ids.sort()
            self.found_events = found
        return self.found_events
