"""The alliances in one database file: the one place that touches TinyDB.

Every action runs as one locked read-modify-write (`Store.act`): the file is re-read if
another process changed it, the rule is applied, and the result is on disk, fsynced,
before `act` returns. Alliances read from the file are kept in memory until the file
changes under us.

There is one write path: every change (`create`, `act`, `update`, deleting) edits the
data our storage holds, found through the `Index`, then hands it to `storage.write`,
which saves it durably (`durable`) under the lock. TinyDB's tables only search.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from ..domain import Action, Alliance, Event, Kind, Line, Moment, Outcome, Partner, Refused, Version
from ..domain.text import TextRefused, clean_name, clean_partners, clean_title
from . import chain, records
from .errors import DatabaseError
from .index import Index
from .storage import DurableStorage

if TYPE_CHECKING:
    from tinydb.table import Document, Table

# TinyDB itself is imported where a table is made: opening a file reads the data our
# storage holds (see `Index`), and start-up is faster without it (SPEC §9).

Clock = Callable[[], datetime]

#: How many of the latest events are checked when a file of one alliance is opened:
#: more than its main screen reads (300) before the rest is checked (`alliances`).
CHECKED_AT_OPENING = 400
Operation = Callable[[Alliance, Moment], Outcome]


def utc_now() -> datetime:
    return datetime.now(UTC)


def _owner(record: dict[str, Any]) -> str:
    """The alliance a record says it belongs to, short enough for a message."""
    return str(record.get("alliance"))[:40]


class NotFound(LookupError):
    """No alliance answers to what was asked, in a sentence a person can read."""


class Done(NamedTuple):
    """What `Store.act` did: the alliance after the action, and the action's outcome."""

    alliance: Alliance
    outcome: Outcome
    session: int


class Store:
    """The alliances in one database file."""

    def __init__(self, path: Path | str, *, create: bool = True, clock: Clock = utc_now) -> None:
        self.path = Path(path)
        self.clock = clock
        self.storage = DurableStorage(self.path, create=create)
        self._cache: dict[str, Alliance] = {}
        #: Each alliance's lines as last read or saved, by the key of their records, with
        #: the table of records they were read from: after another process's save, a
        #: line whose record is what it was is taken as it was (SPEC §9; `_lines_of`).
        self._lines_seen: dict[str, tuple[dict[str, Any], dict[str, Line]]] = {}
        self._index: Index | None = None
        self._generation = -1
        #: Whether every record of the file was checked (`read_everything`), or the end
        #: of its history (see `alliances`).
        self._checked = self._tail_checked = False
        #: The end of the history as checked at opening, decoded, and how many events
        #: come before it, while the history is still unread: the main screen's first
        #: read of it (`history_tail`) is taken from here (SPEC §9).
        self._opening_tail: tuple[object, list[Event], int] | None = None

    # -- tables and cache --------------------------------------------------------------

    def _table(self, name: str) -> Table:
        # A fresh Table each time: TinyDB's tables cache query results and their next
        # document id, which go stale when another process writes (PITFALLS.md).
        from tinydb.table import Table

        return Table(self.storage, name, cache_size=0)  # type: ignore[arg-type]

    def _fresh(self, *, history: bool = False) -> None:
        """Forget what we read if the file changed since; with the history parsed if asked.

        Writers ask: whatever parsing the history finds is then known before they act.
        """
        self.storage.refresh()
        if history:
            self.storage.read_unread()
        if self._generation != self.storage.generation:
            self._cache.clear()
            self._index = None
            self._generation = self.storage.generation

    def _forget(self) -> None:
        """Drop everything held in memory: the next read comes from the file."""
        self.storage.forget()
        self._generation = -1
        self._lines_seen.clear()  # a failed action may have changed them in memory only

    def look(self) -> int:
        """Look at the file again; the count of times it was read changes when anyone wrote.

        A screen remembers the number it last showed and redraws when it differs, so no
        change by another process is missed, whoever noticed it first.
        """
        self._fresh()
        return self.storage.generation

    def read_everything(self) -> None:
        """Parse what opening left unread (most of the history), checking all of the file.

        Raises `DatabaseError` if any record of any alliance is damaged (a hand-edited
        history included), so that nothing read later can fail half-way through a screen;
        nothing is written either way. Only the bytes read at opening are parsed:
        whatever happened to the file since (another window's save, a deletion) is for
        the next read to find.
        """
        self.storage.read_unread()
        data = self.storage.peek()
        for alliance_id, doc_id in self._where().alliances.items():
            if alliance_id not in self._cache:
                self._load(doc_id)
        for doc in data.get("versions", {}).values():
            self._decode(f"a version of alliance {_owner(doc)}", records.version_in, doc)
        event_in = records.event_in
        for doc in data.get("events", {}).values():
            try:
                event_in(doc)
            except Exception:  # said in a sentence, naming the alliance, by `_decode`
                self._decode(f"an event of alliance {_owner(doc)}", event_in, doc)
        self._checked = True  # once per store: what it saves later is its own

    def _data(self) -> dict[str, dict[str, Any]]:
        return self.storage.read()

    def _where(self) -> Index:
        if self._index is None:
            try:
                self._index = Index.of(self.storage.peek())
            except ValueError as error:
                raise DatabaseError(self.path, f"{error}; it was left untouched") from None
        return self._index

    def _records(self, table: str, alliance_id: str) -> list[Document]:
        from tinydb import where

        return self._table(table).search(where("alliance") == alliance_id)

    def _decode(self, what: str, decode: Callable[[Any], Any], record: Any) -> Any:
        try:
            return decode(record)
        except (
            KeyError,
            TypeError,
            ValueError,
            IndexError,
            AttributeError,
            OverflowError,
            RecursionError,
        ) as error:
            raise DatabaseError(self.path, f"{what} cannot be read ({error!s})") from None

    def _load(self, doc_id: int) -> Alliance:
        data = self.storage.peek()  # no history needed: it may stay unread
        a: Alliance = self._decode("an alliance record", records.alliance_in, data["alliances"][str(doc_id)])
        lines = data.get("lines", {})
        docs = self._where().lines.get(a.id, {})
        found = self._decode(
            f"a line of alliance {a.id}", lambda _: self._lines_of(a.id, lines, docs.values()), None
        )
        a.lines = {line.id: line for line in sorted(found, key=lambda line: line.id)}
        if a.lines and max(a.lines) >= a.next_line:
            # The next line written would take the number of one that exists.
            raise DatabaseError(
                self.path,
                f"alliance {a.id} cannot be read (it holds line {max(a.lines)}, "
                f"but its next line would be number {a.next_line})",
            )
        self._cache[a.id] = a
        return a

    def _lines_of(self, alliance_id: str, lines: dict[str, Any], doc_ids: Iterable[int]) -> list[Line]:
        """The lines of these records, each decoded only if its record changed since it
        was last read or saved (`_lines_seen`).

        At 10,000 lines decoding every line again after another window's save took most
        of the time that change took to show here; a save changes a line or two. Equal
        records are compared once more as JSON, so a value that only compares equal
        (`true` for `1`, `1.0`) is decoded, and refused, as before.
        """
        keys = [str(doc_id) for doc_id in doc_ids]
        decode = records.line_in
        known = self._lines_seen.get(alliance_id)
        if known is None:
            found = records.lines_in([lines[key] for key in keys])
        else:
            table, by_key = known
            encode = orjson.dumps
            found = []
            for key in keys:
                record, before, line = lines[key], table.get(key), by_key.get(key)
                if (
                    line is None
                    or before is None
                    or not (before is record or (before == record and encode(before) == encode(record)))
                ):
                    line = decode(record)
                found.append(line)
        self._lines_seen[alliance_id] = (lines, dict(zip(keys, found, strict=True)))
        return found

    # -- reading -----------------------------------------------------------------------

    def alliances(self, *, archived: bool = False, opening: bool = False) -> list[Alliance]:
        """Every alliance, oldest first; archived ones only when asked for.

        The first time a file of several alliances is listed, all of it is checked
        (`read_everything`): the list comes first there, before any history is needed,
        and a damaged history found only when its alliance is opened would stop that
        screen half-drawn. A file of one alliance, or one the app is `opening` straight
        at an alliance, has only the end of its history checked now (what its main
        screen shows first), the rest after the first frame (SPEC §9).
        """
        self._fresh()
        if not self._checked:
            several = len(self._where().alliances) > 1
            if several and not opening:
                self.read_everything()
            elif not self._tail_checked:
                if several:
                    # Its screen finds its events among everyone's (`history_tail`): the
                    # history is parsed now, so that a file broken there is refused first.
                    self.storage.read_unread()
                tail, before = self.storage.tail(CHECKED_AT_OPENING)
                checked = [
                    self._decode(f"an event of alliance {_owner(record)}", records.event_in, record)
                    for record in tail
                ]
                self._opening_tail = (self.storage.unread, checked, before)
                self._tail_checked = True
        result = []
        for alliance_id, doc_id in self._where().alliances.items():
            a = self._cache.get(alliance_id) or self._load(doc_id)
            if archived or not a.archived:
                result.append(a)
        return result

    def load(self, alliance_id: str) -> Alliance:
        self._fresh()
        a = self._cache.get(alliance_id)
        if a is not None:
            return a
        doc_id = self._where().alliances.get(alliance_id)
        if doc_id is None:
            raise NotFound(f"No alliance has the id {alliance_id!r}.")
        return self._load(doc_id)

    def find(self, ref: str | None, *, opening: bool = False) -> Alliance:
        """An alliance by id or title, or any unambiguous prefix of either, in any case
        (SPEC §5); `None` when the file holds just one. An ambiguous one is refused with
        the candidates named. `opening`: see `alliances`."""
        everything = self.alliances(archived=True, opening=opening)
        if ref is None:
            if len(everything) == 1:
                return everything[0]
            if not everything:
                raise NotFound("There is no alliance yet: create one with `alliance-tui new`.")
            raise NotFound(
                f"There are {len(everything)} alliances: name one by title or id (see `alliance-tui list`)."
            )
        for a in everything:
            if a.id == ref:
                return a
        wanted = ref.strip().casefold()
        matches = [a for a in everything if a.title.casefold() == wanted]
        if len(matches) == 1:
            return matches[0]
        if matches:
            ids = ", ".join(a.id for a in matches)
            raise NotFound(f"{len(matches)} alliances are titled {ref!r}: name one by id ({ids}).")
        if wanted:
            matches = [
                a
                for a in everything
                if a.title.casefold().startswith(wanted) or a.id.casefold().startswith(wanted)
            ]
            if len(matches) == 1:
                return matches[0]
            if matches:
                named = ", ".join(f"{a.title!r} ({a.id})" for a in matches)
                raise NotFound(f"{ref!r} could be {len(matches)} alliances: {named}. Name one by more of it.")
        raise NotFound(f"No alliance has the title or id {ref!r} (see `alliance-tui list`).")

    def history(self, alliance_id: str, start: int = 0, stop: int | None = None) -> list[Event]:
        """The timeline of an alliance, oldest first; `start`/`stop` take a slice of it."""
        self._fresh()
        data = self._data()
        events = data.get("events", {})
        return [
            self._decode(f"an event of alliance {alliance_id}", records.event_in, events[str(doc_id)])
            for doc_id in self._where().events(data).get(alliance_id, [])[start:stop]
        ]

    def history_tail(self, alliance_id: str, count: int) -> tuple[list[Event], int]:
        """The latest `count` events of an alliance, and how many came before them.

        With one alliance in the file (the usual case) every event is its own, so the end
        of the table is read directly, without even parsing the rest of the history
        (`DurableStorage.tail`), instead of indexing 50,000 events first.
        """
        self._fresh()
        where_ = self._where()
        if where_.found_events is None and list(where_.alliances) == [alliance_id]:
            kept = self._opening_tail
            if kept is not None and kept[0] is self.storage.unread is not None and count <= len(kept[1]):
                found, before = kept[1], kept[2]  # the history is as it was checked
                return found[len(found) - count :], before + len(found) - count
            tail, before = self.storage.tail(count)
            decoded = [
                self._decode(f"an event of alliance {alliance_id}", records.event_in, record)
                for record in tail
            ]
            return decoded, before
        total = len(where_.events(self._data()).get(alliance_id, []))
        start = max(total - count, 0)
        return self.history(alliance_id, start=start), start

    def audit(self, alliance_id: str) -> str | None:
        """What is wrong with an alliance's history as the file holds it, or None.

        First whether the events were edited by hand (`chain`), then whether what they
        tell keeps the rule of consent (`domain.audit`). Reads the whole history.
        """
        from ..domain.audit import consent_breach

        self._fresh()
        data = self._data()
        events = data.get("events", {})
        found = [events[str(doc_id)] for doc_id in self._where().events(data).get(alliance_id, [])]
        doc_id = self._where().alliances.get(alliance_id)
        if doc_id is None:
            raise NotFound(f"No alliance has the id {alliance_id!r}.")
        head = data["alliances"][str(doc_id)].get(chain.KEY)
        broken = chain.altered_after(found, head if isinstance(head, str) else None)
        if broken is not None:
            return f"the history was altered after event {broken}"
        history = [
            self._decode(f"an event of alliance {alliance_id}", records.event_in, record) for record in found
        ]
        return consent_breach(self.load(alliance_id), history)

    def line_history(self, alliance_id: str, line_id: int) -> list[Event]:
        """Every event of one line, oldest first."""
        self._fresh()
        data = self._data()
        events = data.get("events", {})
        return [
            self._decode(f"an event of alliance {alliance_id}", records.event_in, record)
            for doc_id in self._where().events(data).get(alliance_id, [])
            if (record := events[str(doc_id)]).get("line") == line_id
        ]

    def versions(self, alliance_id: str) -> list[Version]:
        """Every signed version of an alliance, oldest first."""
        self._fresh()
        found = [
            self._decode(f"a version of alliance {alliance_id}", records.version_in, doc)
            for doc in self._records("versions", alliance_id)
        ]
        return sorted(found, key=lambda v: v.number)

    def version(self, alliance_id: str, number: int) -> Version:
        for version in self.versions(alliance_id):
            if version.number == number:
                return version
        raise NotFound(f"This alliance has no version {number}.")

    # -- writing -----------------------------------------------------------------------

    def create(
        self,
        partners: tuple[str, str],
        *,
        title: str = "",
        kind: Kind = Kind.OTHER,
        review_on: date | None = None,
        coach: str | None = None,
    ) -> Alliance:
        """A new alliance between two partners (and their coach, if named); the first
        partner named is active first."""
        try:
            names = clean_partners(*partners)
            title = clean_title(title)
            if coach is not None:
                coach = clean_name(coach, "The coach's name")
                if coach.casefold() in (names[0].casefold(), names[1].casefold()):
                    raise TextRefused(f"The coach needs a name of their own ({coach!r} is a partner).")
        except TextRefused as error:
            raise ValueError(str(error)) from None
        now = self.clock()
        with self.storage.batch():
            self._fresh(history=True)
            import secrets

            existing = set(self._where().alliances)
            alliance_id = secrets.token_hex(4)
            while alliance_id in existing:
                alliance_id = secrets.token_hex(4)
            a = Alliance(
                id=alliance_id,
                title=title or f"{names[0]} & {names[1]}",
                kind=kind,
                partners=(Partner(names[0]), Partner(names[1])),
                created_at=now,
                review_on=review_on,
                coach=coach,
            )
            event = Event(at=now, session=0, actor=None, action=Action.CREATED, text=a.title)
            record = records.alliance_out(a)
            data, where_ = self._data(), self._where()
            doc_id = where_.alliances[a.id] = self._next_id(where_, "alliances")
            data.setdefault("alliances", {})[str(doc_id)] = record
            record[chain.KEY] = self._append_events(data, where_, a.id, None, [event])
            self.storage.write(data)
            self._cache[a.id] = a
        return a

    def act(self, alliance_id: str, operation: Operation, *, session: int | None = None) -> Done:
        """Apply one action of the negotiation and save it durably before returning.

        `session` is the app launch's session number; None starts a new session. Raises
        `Refused` (nothing changed), `NotFound`, or `DatabaseError` (nothing saved).
        """
        with self.storage.batch():
            self._fresh(history=True)
            a = self.load(alliance_id)
            try:
                outcome = operation(a, Moment(at=self.clock(), session=session or a.sessions + 1))
                if session is None:
                    a.sessions += 1
                    session = a.sessions
                if outcome.delete_alliance:  # both consented (SPEC §2): the history goes too
                    self._remove_alliance(alliance_id)
                else:
                    self._save(a, outcome)
            except Refused:
                raise  # the rules refuse before they change anything
            except BaseException:
                self._forget()
                raise
        return Done(alliance=a, outcome=outcome, session=session)

    def update(self, alliance_id: str, **fields: Any) -> Alliance:
        """Change an alliance's own fields (title, review date, archived)."""
        allowed = {"title", "review_on", "archived"}
        if not set(fields) <= allowed:
            raise TypeError(f"cannot update {sorted(set(fields) - allowed)}")
        with self.storage.batch():
            self._fresh(history=True)
            a = self.load(alliance_id)
            if "title" in fields:
                try:
                    fields["title"] = clean_title(fields["title"]) or a.title
                except TextRefused as error:
                    raise ValueError(str(error)) from None
            for name, value in fields.items():
                setattr(a, name, value)
            self._save(a, Outcome())
        return a

    def delete_alliance(self, alliance_id: str) -> None:
        """Delete an alliance and everything it holds."""
        with self.storage.batch():
            self._fresh(history=True)
            self.load(alliance_id)
            self._remove_alliance(alliance_id)

    def _remove_alliance(self, alliance_id: str) -> None:
        """Drop every record of an alliance: each table is made afresh without them."""
        data = self._data()
        for table in ("alliances", "lines", "events", "versions"):
            key = "id" if table == "alliances" else "alliance"
            found = data.get(table, {})
            data[table] = {doc_id: doc for doc_id, doc in found.items() if doc.get(key) != alliance_id}
        self.storage.write(data)
        self._cache.pop(alliance_id, None)
        self._lines_seen.pop(alliance_id, None)
        self._index = None

    def _save(self, a: Alliance, outcome: Outcome) -> None:
        """Put what an action changed into the data, in O(changes): see `Index`."""
        data, where_ = self._data(), self._where()
        alliance_doc = str(where_.alliances[a.id])
        head = data["alliances"][alliance_doc].get(chain.KEY)
        data["alliances"][alliance_doc] = records.alliance_out(a)
        lines = data.setdefault("lines", {})
        docs = where_.lines.setdefault(a.id, {})
        for line in outcome.lines:
            if line.id not in docs:
                docs[line.id] = self._next_id(where_, "lines")
            lines[str(docs[line.id])] = records.line_out(a.id, line)
        removed = []
        for line_id in outcome.deleted:
            if (doc_id := docs.pop(line_id, None)) is not None:
                removed.append(str(doc_id))
                lines.pop(str(doc_id), None)
        self._saw_lines(a, lines, docs, outcome.lines, removed)
        head = self._append_events(data, where_, a.id, head, outcome.events)
        if head is not None:
            data["alliances"][alliance_doc][chain.KEY] = head
        if outcome.version is not None:
            doc_id = self._next_id(where_, "versions")
            data.setdefault("versions", {})[str(doc_id)] = records.version_out(a.id, outcome.version)
        self.storage.write(data)

    def _saw_lines(
        self,
        a: Alliance,
        lines: dict[str, Any],
        docs: dict[int, int],
        changed: list[Line],
        removed: list[str],
    ) -> None:
        """Keep the lines just saved with their records (`_lines_of`): the ones the
        action changed, or all of them when this alliance was made here, not read."""
        seen = self._lines_seen.get(a.id)
        if seen is None or seen[0] is not lines:
            by_key = {str(doc_id): line for line_id, doc_id in docs.items() if (line := a.lines.get(line_id))}
            self._lines_seen[a.id] = (lines, by_key)
            return
        by_key = seen[1]
        for line in changed:
            by_key[str(docs[line.id])] = line
        for key in removed:
            by_key.pop(key, None)

    def _append_events(
        self,
        data: dict[str, dict[str, Any]],
        where_: Index,
        alliance_id: str,
        head: str | None,
        events: list[Event],
    ) -> str | None:
        """Add events to the history, each linked to the one before (`chain`); the new head."""
        table = data.setdefault("events", {})
        if "events" not in where_.next_id:
            where_.next_id["events"] = max(map(int, table), default=0) + 1
        history = None if where_.found_events is None else where_.found_events.setdefault(alliance_id, [])
        for event in events:
            doc_id = self._next_id(where_, "events")
            record = records.event_out(alliance_id, event)
            head = record[chain.KEY] = chain.link(head, record)
            table[str(doc_id)] = record
            if history is not None:
                history.append(doc_id)
        return head

    @staticmethod
    def _next_id(where_: Index, table: str) -> int:
        doc_id = where_.next_id.get(table, 1)
        where_.next_id[table] = doc_id + 1
        return doc_id
