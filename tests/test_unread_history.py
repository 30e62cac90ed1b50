"""Opening a file leaves most of its history unread (SPEC §9); nothing may be lost by it.

The storage writes the history last and marks the file so; opening parses everything
before it and only the end of the history. These tests check, on real files, that what
is shown from the shortcut is what the whole file says, that the first write after it
keeps every record, and that a damaged or rearranged file is still found out and left
untouched.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from alliance_tui.app import AllianceApp
from alliance_tui.domain import Action, rules
from alliance_tui.screens.negotiation import NegotiationScreen
from alliance_tui.store import DatabaseError, Store

if TYPE_CHECKING:
    from conftest import FakeClock


def grown(db_path: Path, clock: FakeClock, passes: int = 700) -> str:
    """An alliance with a few lines and a history longer than the shortcut's first piece."""
    store = Store(db_path, clock=clock)
    a = store.create(("Sarah", "Peter"), title="Grown")
    with store.storage.batch():  # one save: the test is about reading
        for n in range(5):
            store.act(a.id, lambda a, m, n=n: rules.draft(a, a.active, f"Line {n}: an evening to myself.", m))
        for _ in range(passes):
            store.act(a.id, lambda a, m: rules.pass_keyboard(a, a.active, m))
    return a.id


def keys_in_file_order(path: Path) -> list[str]:
    return list(json.loads(path.read_text(encoding="utf-8")))


def test_the_history_is_written_last_and_the_file_says_so(db_path: Path, clock: FakeClock) -> None:
    grown(db_path, clock, passes=3)
    assert keys_in_file_order(db_path)[-1] == "events"
    data = json.loads(db_path.read_text(encoding="utf-8"))
    assert data["_meta"]["1"]["history"] == "last"
    assert data["_meta"]["1"]["events"] == len(data["events"]) == 1 + 5 + 3


@pytest.mark.parametrize("said", [None, "many", -1, 0, 10**6])
def test_a_file_that_does_not_say_how_long_its_history_is_counted(
    db_path: Path, clock: FakeClock, said: Any
) -> None:
    """Files from before the count was written, or hand-edited: counted, then read right."""
    alliance_id = grown(db_path, clock)
    data = json.loads(db_path.read_text(encoding="utf-8"))
    if said is None:
        del data["_meta"]["1"]["events"]
    else:
        data["_meta"]["1"]["events"] = said
    rewrite(db_path, data, ["_meta", "alliances", "lines", "events"])
    store = Store(db_path, clock=clock)
    _, guessed = store.history_tail(alliance_id, 300)
    store.read_everything()
    tail, before = store.history_tail(alliance_id, 300)
    assert before == len(data["events"]) - 300
    assert tail == Store(db_path, clock=clock).history(alliance_id)[-300:]
    if said != 10**6:  # what is no count (or 0 for a history that has records) is not believed
        assert guessed == before


def test_opening_reads_only_the_end_of_the_history(db_path: Path, clock: FakeClock) -> None:
    alliance_id = grown(db_path, clock)
    everything = Store(db_path, clock=clock).history(alliance_id)

    store = Store(db_path, clock=clock)
    a = store.load(alliance_id)
    tail, before = store.history_tail(alliance_id, 300)
    assert store.storage.peek().get("events") is None, "the history was parsed at opening"
    assert len(a.lines) == 5
    assert tail == everything[-300:]
    assert before == len(everything) - 300

    store.read_everything()
    assert store.history_tail(alliance_id, 300) == (tail, before)
    assert store.history(alliance_id) == everything


def test_a_short_history_is_read_at_once(db_path: Path, clock: FakeClock) -> None:
    alliance_id = grown(db_path, clock, passes=2)
    store = Store(db_path, clock=clock)
    everything = Store(db_path, clock=clock).history(alliance_id)
    assert store.history_tail(alliance_id, 300) == (everything, 0)


def test_the_first_action_after_opening_keeps_every_record(db_path: Path, clock: FakeClock) -> None:
    alliance_id = grown(db_path, clock)
    before = json.loads(db_path.read_text(encoding="utf-8"))

    store = Store(db_path, clock=clock)
    store.history_tail(alliance_id, 300)
    store.act(alliance_id, lambda a, m: rules.pass_keyboard(a, a.active, m))

    after = json.loads(db_path.read_text(encoding="utf-8"))
    assert len(after["events"]) == len(before["events"]) + 1
    assert all(after["events"][key] == record for key, record in before["events"].items())
    assert after["lines"] == before["lines"]
    assert keys_in_file_order(db_path)[-1] == "events"
    assert Store(db_path, clock=clock).history(alliance_id)[-1].action is Action.PASSED


def damage_the_middle_of_the_history(path: Path) -> None:
    raw = path.read_bytes()
    middle = raw.index(b'},"', raw.index(b'"events":{') + len(raw) // 8)
    path.write_bytes(raw[:middle] + b'}!"' + raw[middle + 3 :])


def test_a_damaged_history_is_found_and_nothing_is_written(db_path: Path, clock: FakeClock) -> None:
    alliance_id = grown(db_path, clock)
    damage_the_middle_of_the_history(db_path)
    damaged = db_path.read_bytes()

    store = Store(db_path, clock=clock)  # the shortcut does not see the damage yet
    store.history_tail(alliance_id, 300)
    with pytest.raises(DatabaseError) as caught:
        store.read_everything()
    assert "not valid JSON" in caught.value.problem
    with pytest.raises(DatabaseError):
        store.act(alliance_id, lambda a, m: rules.pass_keyboard(a, a.active, m))
    with pytest.raises(DatabaseError):
        store.history(alliance_id)
    assert db_path.read_bytes() == damaged
    kept = [path.read_bytes() for path in store.storage.backups() if path.exists()]
    assert damaged not in kept, "a damaged file was kept as if it were a good one"


async def test_the_app_refuses_a_damaged_history(db_path: Path, clock: FakeClock) -> None:
    from alliance_tui.screens.error import ErrorScreen

    alliance_id = grown(db_path, clock)
    damage_the_middle_of_the_history(db_path)
    damaged = db_path.read_bytes()
    app = AllianceApp(db_path, alliance=alliance_id, clock=clock, poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        shown = str(app.screen.query_one("#context").render())
        assert "not valid JSON" in shown and str(db_path) in shown
        assert not any(isinstance(s, NegotiationScreen) for s in app.screen_stack)
        await pilot.press("ctrl+t", "n")  # nothing is left to act on
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
    assert db_path.read_bytes() == damaged


@pytest.mark.parametrize("command", [["list"], ["export"], ["export", "--format", "json"]])
def test_the_command_line_refuses_a_damaged_history(
    db_path: Path, clock: FakeClock, command: list[str]
) -> None:
    import subprocess
    import sys

    grown(db_path, clock)
    damage_the_middle_of_the_history(db_path)
    damaged = db_path.read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "alliance_tui", *command, "--db", str(db_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and str(db_path) in done.stderr
    assert "not valid JSON" in done.stderr and "Traceback" not in done.stderr
    assert db_path.read_bytes() == damaged


def rewrite(path: Path, data: dict[str, Any], order: list[str]) -> None:
    """The same data, tables in another order, written compactly like the storage does."""
    text = json.dumps({name: data[name] for name in order}, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("marked", [False, True], ids=["older file", "marked by hand"])
def test_a_history_followed_by_another_table_is_read_whole(
    db_path: Path, clock: FakeClock, marked: bool
) -> None:
    """A file from before the history went last (or edited by hand): nothing goes missing."""
    alliance_id = grown(db_path, clock)
    data = json.loads(db_path.read_text(encoding="utf-8"))
    if not marked:
        del data["_meta"]["1"]["history"]
    rewrite(db_path, data, ["_meta", "alliances", "events", "lines"])

    store = Store(db_path, clock=clock)
    store.read_everything()
    assert len(store.load(alliance_id).lines) == 5
    store.act(alliance_id, lambda a, m: rules.draft(a, a.active, "A sixth line.", m))

    after = json.loads(db_path.read_text(encoding="utf-8"))
    assert len(after["lines"]) == 6, "a new line took the place of an old one"
    assert len(after["events"]) == len(data["events"]) + 1
    assert keys_in_file_order(db_path)[-1] == "events"


@pytest.mark.parametrize("how", ["count removed", "records removed"])
def test_an_unusual_history_is_counted_again(db_path: Path, clock: FakeClock, how: str) -> None:
    """A hand edit fools the quick count (records with objects inside, where the file does
    not say its count; records taken out, where it does); reading all fixes it."""
    alliance_id = grown(db_path, clock)
    data = json.loads(db_path.read_text(encoding="utf-8"))
    events = data["events"]
    if how == "count removed":
        del data["_meta"]["1"]["events"]
        for key in list(events)[:50]:
            events[key] = {"note": {"by": "hand", "alliance": "another"}, **events[key]}
    else:
        for key in list(events)[1:51]:
            del events[key]
    rewrite(db_path, data, ["_meta", "alliances", "lines", "events"])

    store = Store(db_path, clock=clock)
    _, guessed = store.history_tail(alliance_id, 300)
    generation = store.look()
    store.read_everything()
    assert store.look() != generation, "screens would keep showing the wrong count"
    tail, before = store.history_tail(alliance_id, 300)
    assert before == len(data["events"]) - 300
    assert guessed != before


def test_an_events_key_inside_an_earlier_table_is_read_whole(db_path: Path, clock: FakeClock) -> None:
    """The history is found by the first `,"events":{` of the file; one nested in a table
    before it (a hand edit) leaves the head unbalanced, and the file is parsed whole."""
    alliance_id = grown(db_path, clock)
    everything = Store(db_path, clock=clock).history(alliance_id)
    data = json.loads(db_path.read_text(encoding="utf-8"))
    data["_meta"]["1"]["note"] = {"by": "hand", "events": {"1": {"x": 1}}}
    rewrite(db_path, data, ["_meta", "alliances", "lines", "events"])
    assert db_path.read_bytes().count(b',"events":{') == 2

    store = Store(db_path, clock=clock)
    assert store.history_tail(alliance_id, 300) == (everything[-300:], len(everything) - 300)
    assert len(store.load(alliance_id).lines) == 5
    store.act(alliance_id, lambda a, m: rules.pass_keyboard(a, a.active, m))
    assert Store(db_path, clock=clock).history(alliance_id)[:-1] == everything


def two_alliances(db_path: Path, clock: FakeClock) -> str:
    alliance_id = grown(db_path, clock)
    Store(db_path, clock=clock).create(("Ann", "Bob"), title="Second")
    return alliance_id


@pytest.mark.parametrize("damage", ["an early event", "the JSON"])
@pytest.mark.parametrize("opened_at", ["an alliance", "the list"])
async def test_a_file_of_several_alliances_is_checked_whole_before_anything_is_done(
    db_path: Path, clock: FakeClock, damage: str, opened_at: str
) -> None:
    """Opened straight at an alliance, only the end of the history is checked before the
    first frame (SPEC §9), the rest just after it; either way a damaged file ends on the
    error screen, untouched, as when the list comes first."""
    from alliance_tui.screens.error import ErrorScreen

    alliance_id = two_alliances(db_path, clock)
    if damage == "the JSON":
        damage_the_middle_of_the_history(db_path)
    else:
        data = json.loads(db_path.read_text(encoding="utf-8"))
        first = next(iter(data["events"].values()))
        first["action"] = "vanished"
        rewrite(db_path, data, list(data))
    damaged = db_path.read_bytes()
    ref = alliance_id if opened_at == "an alliance" else None
    app = AllianceApp(db_path, alliance=ref, clock=clock, poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(3):
            await pilot.pause()
        assert isinstance(app.screen, ErrorScreen), f"{type(app.screen).__name__} shown instead"
        assert not any(isinstance(s, NegotiationScreen) for s in app.screen_stack)
        await pilot.press("ctrl+t", "n", "p")  # nothing is left to act on
        await pilot.pause()
    assert db_path.read_bytes() == damaged


async def test_a_file_of_several_alliances_opens_at_one_with_the_rest_checked_after(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole file is checked once the alliance's screen is up, not before it."""
    alliance_id = two_alliances(db_path, clock)
    happened: list[str] = []
    read_everything, mounted = Store.read_everything, NegotiationScreen.on_mount

    def checking(store: Store) -> None:
        happened.append("checked")
        read_everything(store)

    def mounting(screen: NegotiationScreen) -> None:
        happened.append("mounted")
        mounted(screen)

    monkeypatch.setattr(Store, "read_everything", checking)
    monkeypatch.setattr(NegotiationScreen, "on_mount", mounting)
    app = AllianceApp(db_path, alliance=alliance_id, clock=clock, poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(3):
            await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
    assert happened[:2] == ["mounted", "checked"]


def test_the_history_is_counted_without_parsing_it() -> None:
    """By the alliance each record names; by what ends each record when none does."""
    from alliance_tui.store import history

    def counted(events: bytes) -> int:
        raw = b'{"_meta":{"1":{}},"events":{' + events + b"}}"
        split = history.split(raw)
        assert split is not None
        return history.Unread(raw, split[1], split[2]).count

    assert counted(b"") == 0
    assert counted(b'"1":{"alliance":"a","text":"\\"alliance\\":"},"2":{"alliance":"b"}') == 2
    assert counted(b'"1":{"x":1},"2":{"x":2},"3":{"x":3}') == 3


def test_the_end_checked_at_opening_is_what_the_screen_reads_until_anything_changes(
    db_path: Path, clock: FakeClock
) -> None:
    """The events decoded by the check at opening serve the screen's first read; after a
    save (or another window's), the history is read from the file again."""
    alliance_id = grown(db_path, clock)
    everything = Store(db_path, clock=clock).history(alliance_id)
    store = Store(db_path, clock=clock)
    store.alliances(opening=True)
    for count in (0, 1, 300):
        tail, before = store.history_tail(alliance_id, count)
        assert tail == everything[len(everything) - count :]
        assert before == len(everything) - count
    assert store.storage.peek().get("events") is None, "the history was parsed at opening"

    store.act(alliance_id, lambda a, m: rules.pass_keyboard(a, a.active, m))
    tail, before = store.history_tail(alliance_id, 300)
    assert tail[-1].action is Action.PASSED and tail[:-1] == everything[-299:]
    assert before == len(everything) - 299

    other = Store(db_path, clock=clock)
    other.alliances(opening=True)
    Store(db_path, clock=clock).act(alliance_id, lambda a, m: rules.pass_keyboard(a, a.active, m))
    assert other.history_tail(alliance_id, 2)[0] == Store(db_path, clock=clock).history(alliance_id)[-2:]
