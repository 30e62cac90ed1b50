"""The file is not trusted (issue 15 item 6): hand edits of the history show, and a
history that breaks the rule of consent is reported, naming the event."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from alliance_tui.demo import make_demo
from alliance_tui.domain import Action, Alliance, Event, Kind, Partner, rules
from alliance_tui.domain.audit import consent_breach
from alliance_tui.store import Store

from .conftest import FakeClock

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _negotiated(path: Path) -> tuple[str, int]:
    """Sarah proposes line 1, Peter accepts it; Sarah proposes line 2."""
    store = Store(path, clock=FakeClock())
    alliance_id = store.create(("Sarah", "Peter"), title="Mornings").id
    first = store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Quiet mornings", m)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, first, m))
    store.act(alliance_id, lambda a, m: rules.accept(a, 1, first, m))
    second = store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Loud evenings", m)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, second, m))
    return alliance_id, second


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def _events(data: dict) -> list[dict]:  # type: ignore[type-arg]
    return [data["events"][key] for key in sorted(data["events"], key=int)]


def test_a_history_written_by_the_app_holds(tmp_path: Path) -> None:
    path = tmp_path / "demo.json"
    store = make_demo(path)
    for a in Store(path).alliances():
        assert store.audit(a.id) is None, a.title
    for event in _events(json.loads(path.read_text(encoding="utf-8"))):
        assert len(event["chain"]) == 32, "every event the app writes is chained"


def test_an_edited_event_shows_where_the_history_was_altered(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    alliance_id, _ = _negotiated(path)

    def soften(data: dict) -> None:  # type: ignore[type-arg]
        _events(data)[2]["text"] = "Loud mornings"  # event 3: Sarah proposed line 1

    _edit(path, soften)
    assert Store(path).audit(alliance_id) == "the history was altered after event 2"


def test_a_removed_last_event_shows(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    alliance_id, _ = _negotiated(path)

    def drop_last(data: dict) -> None:  # type: ignore[type-arg]
        del data["events"][max(data["events"], key=int)]

    _edit(path, drop_last)
    assert Store(path).audit(alliance_id) == "the history was altered after event 5"


def test_a_line_set_to_agreed_by_hand_is_reported(tmp_path: Path) -> None:
    """sed 's/"state":"proposed"/"state":"agreed"/': the history shows no consent to it."""
    path = tmp_path / "a.json"
    alliance_id, second = _negotiated(path)

    def agree(data: dict) -> None:  # type: ignore[type-arg]
        for line in data["lines"].values():
            if line["id"] == second:
                line.update(state="agreed", agreed=line["offer"], agreed_at=line["wordings"][0]["at"])
                del line["offer"]

    _edit(path, agree)
    store = Store(path)
    assert store.load(alliance_id).lines[second].in_force is not None
    assert store.audit(alliance_id) == (
        f"line {second} is agreed in the file, but its history shows nobody else accepting it"
    )


def test_accepting_ones_own_offer_is_named_by_its_event() -> None:
    a = Alliance("a1", "Mornings", Kind.COUPLE, (Partner("Sarah"), Partner("Peter")), AT)
    history = [
        Event(AT, 1, 0, Action.DRAFTED, line=1, text="Quiet", private=True),
        Event(AT, 1, 0, Action.PROPOSED, line=1, text="Quiet"),
        Event(AT, 1, 0, Action.ACCEPTED, line=1, text="Quiet"),
    ]
    assert consent_breach(a, history) == (
        "event 3 breaks the rule of consent: Sarah accepted their own offer on line 1"
    )
    countered = [*history[:2], Event(AT, 1, 1, Action.COUNTERED, line=1, text="Louder")]
    assert consent_breach(a, [*countered, Event(AT, 1, 0, Action.ACCEPTED, line=1)]) is None
    assert consent_breach(a, [*countered, Event(AT, 1, 1, Action.ACCEPTED, line=1)]) is not None
    withdrawn = [*countered, Event(AT, 1, 1, Action.WITHDRAWN, line=1)]
    assert consent_breach(a, [*withdrawn, Event(AT, 1, 1, Action.ACCEPTED, line=1)]) is None


def test_a_file_from_before_the_chain_still_holds(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    alliance_id, _ = _negotiated(path)

    def unchain(data: dict) -> None:  # type: ignore[type-arg]
        for event in data["events"].values():
            del event["chain"]
        for alliance in data["alliances"].values():
            del alliance["chain"]

    _edit(path, unchain)
    store = Store(path)
    assert store.audit(alliance_id) is None
    store.act(alliance_id, lambda a, m: rules.pass_keyboard(a, 0, m))  # the chain starts here
    assert Store(path).audit(alliance_id) is None


def _altered(path: Path) -> str:
    alliance_id, _ = _negotiated(path)

    def soften(data: dict) -> None:  # type: ignore[type-arg]
        _events(data)[2]["text"] = "Loud mornings"

    _edit(path, soften)
    return alliance_id


def test_list_and_export_say_the_history_was_altered(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "a.json"
    _altered(path)
    before = path.read_bytes()
    listed = subprocess.run(
        [sys.executable, "-m", "alliance_tui", "list", "--db", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 0
    assert "HISTORY ALTERED: the history was altered after event 2" in listed.stdout
    exported = subprocess.run(
        [sys.executable, "-m", "alliance_tui", "export", "--db", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert exported.returncode == 0 and "Quiet mornings" in exported.stdout, "exported all the same"
    assert exported.stderr == (
        "alliance-tui: warning: this alliance's file was changed outside the app: "
        "the history was altered after event 2\n"
    )
    assert path.read_bytes() == before, "nothing is rewritten"


async def test_the_app_says_the_history_was_altered(tmp_path: Path) -> None:
    from alliance_tui.app import AllianceApp

    path = tmp_path / "a.json"
    _altered(path)
    app = AllianceApp(path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(160, 40)) as pilot:
        for _ in range(100):  # the check runs in a thread once the first frame is up
            await pilot.pause()
            await app.workers.wait_for_complete()
            if app._notifications:
                break
        said = [n.message for n in app._notifications]
        assert said == [
            "This alliance's file was changed outside the app: the history was altered after event 2."
        ]
        assert "⚠ the history was altered after event 2" in str(app.screen.sub_title)
