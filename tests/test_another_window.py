"""What another window does shows here as a fresh window would show it (SPEC §6, §9).

A window that sees another one's change reads only the new events and redraws only the
lines they touched; these tests check that what it then shows is exactly what a window
opened afterwards on the same file shows, pane by pane, for every kind of change.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

from alliance_tui.app import AllianceApp
from alliance_tui.domain import Alliance, Moment, Outcome, rules
from alliance_tui.store import Store
from alliance_tui.widgets.virtual_list import VirtualList

PANES = ("partner-a", "partner-b", "agreement", "history")

Step = Callable[[Alliance, Moment], Outcome]


def _rows(app: AllianceApp) -> dict[str, list[str]]:
    shown = {}
    for pane_id in PANES:
        pane = app.screen.query_one(f"#{pane_id}", VirtualList)
        shown[pane_id] = [pane.row_plain(n) for n in range(pane.row_count)]
    return shown


async def _fresh_rows(path: Path, alliance_id: str) -> dict[str, list[str]]:
    app = AllianceApp(path, alliance=alliance_id, bound_to="Sarah", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        return _rows(app)


def _line(a: Alliance, text: str) -> int:
    """The line that was ever worded `text`."""
    return next(line.id for line in a.lines.values() if any(w.text == text for w in line.wordings))


async def test_each_change_by_another_window_shows_as_a_fresh_window_shows_it(tmp_path: Path) -> None:
    path = tmp_path / "shared.json"
    other = Store(path)
    a = other.create(("Sarah", "Peter"), title="Shared")
    act = other.act
    act(a.id, lambda a, m: rules.draft(a, 0, "Sarah's own line", m))
    act(a.id, lambda a, m: rules.draft(a, 1, "Agreed early", m))
    act(a.id, lambda a, m: rules.propose(a, 1, _line(a, "Agreed early"), m))
    act(a.id, lambda a, m: rules.accept(a, 0, _line(a, "Agreed early"), m))

    steps: list[tuple[str, Step]] = [
        ("Peter's first private draft", lambda a, m: rules.draft(a, 1, "Peter thinks", m)),
        ("another private draft", lambda a, m: rules.draft(a, 1, "Peter thinks more", m)),
        ("a draft edited", lambda a, m: rules.edit(a, 1, _line(a, "Peter thinks"), "Peter thought", m)),
        ("a draft proposed", lambda a, m: rules.propose(a, 1, _line(a, "Peter thought"), m)),
        ("an offer accepted", lambda a, m: rules.accept(a, 0, _line(a, "Peter thought"), m)),
        ("a line reopened", lambda a, m: rules.reopen(a, 1, _line(a, "Agreed early"), m, text="Later")),
        ("a change answered", lambda a, m: rules.accept(a, 0, _line(a, "Agreed early"), m)),
        ("a draft offered again", lambda a, m: rules.propose(a, 1, _line(a, "Peter thinks more"), m)),
        ("an offer declined", lambda a, m: rules.decline(a, 0, _line(a, "Peter thinks more"), m)),
        ("Peter's third private draft", lambda a, m: rules.draft(a, 1, "Peter, later", m)),
        ("a draft deleted", lambda a, m: rules.delete(a, 1, _line(a, "Peter, later"), m)),
        ("the keyboard passed", lambda a, m: rules.pass_keyboard(a, a.active, m)),
    ]
    app = AllianceApp(path, alliance=a.id, bound_to="Sarah", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        for what, step in steps:
            act(a.id, step)
            screen.poll()  # type: ignore[attr-defined]
            await pilot.pause()
            assert _rows(app) == await _fresh_rows(path, a.id), what


async def test_a_history_that_no_longer_follows_is_read_anew(tmp_path: Path) -> None:
    """When the end of the file's history does not follow what the window read (the file
    replaced by another one, say), the window reads the history again instead of adding."""
    path = tmp_path / "shared.json"
    other = Store(path)
    a = other.create(("Sarah", "Peter"), title="Shared")
    other.act(a.id, lambda a, m: rules.draft(a, 1, "One", m))
    app = AllianceApp(path, alliance=a.id, bound_to="Sarah", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        before = list(screen.events)  # type: ignore[attr-defined]
        # Replace the file by another alliance history of the same length, plus one.
        replacement = tmp_path / "other.json"
        twin = Store(replacement)
        b = twin.create(("Sarah", "Peter"), title="Shared")
        twin.act(b.id, lambda a, m: rules.draft(a, 1, "Two", m))
        twin.act(b.id, lambda a, m: rules.draft(a, 1, "Three", m))
        replacement.replace(path)
        assert screen.alliance_id != b.id  # type: ignore[attr-defined]
        screen.alliance_id = b.id  # type: ignore[attr-defined]
        screen.poll()  # type: ignore[attr-defined]
        await pilot.pause()
        events = screen.events  # type: ignore[attr-defined]
        assert events[: len(before)] != before
        assert events == Store(path).history(b.id)


async def test_what_the_first_frame_holds_is_frozen_until_the_window_closes(tmp_path: Path) -> None:
    """The collector's full passes do not walk the lines a window holds (SPEC §9: they
    took 50 to 120 ms at 10,000 lines, a change from another window waiting behind
    them), and they are let go when the window closes."""
    path = tmp_path / "frozen.json"
    store = Store(path)
    a = store.create(("Sarah", "Peter"))
    for n in range(200):
        store.act(a.id, lambda a, m, n=n: rules.draft(a, 0, f"Line {n}.", m))
    gc.unfreeze()
    app = AllianceApp(path, alliance=a.id, bound_to="Sarah", poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert gc.isenabled()
        lines = app.store.load(a.id).lines
        assert gc.get_freeze_count() > len(lines), "the window's lines are not frozen"
        frozen = {id(obj) for obj in gc.get_objects()}
        assert not any(id(line) in frozen for line in lines.values()), "a full pass walks them"
    assert gc.get_freeze_count() == 0
