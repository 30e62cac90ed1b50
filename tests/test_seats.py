"""Seats (SPEC §2): the window decides who acts, never the file.

A shared window passes its seat with `ctrl+t`; a bound window (`--as NAME`) always acts
as its person and never passes. What another window does to its own seat changes nothing
here; an editor opened as Ann saves as Ann.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from alliance_tui.app import AllianceApp
from alliance_tui.dialogs.field import FieldDialog
from alliance_tui.dialogs.line_editor import LineEditor
from alliance_tui.domain import State, alliance_rules, rules
from alliance_tui.domain.seats import Pause, Role, Seat
from alliance_tui.screens.line_story import LineStoryScreen
from alliance_tui.screens.negotiation import NegotiationScreen
from alliance_tui.store import Store, durable

from .conftest import FakeClock


@pytest.fixture(autouse=True)
def _no_dialog_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The passphrase dialog answers at once: the wait under test is the seat's `Pause`,
    on a clock the tests move by hand (no test sleeps on the wall clock)."""
    from alliance_tui.screens import window

    monkeypatch.setattr(window, "PASSPHRASE_PAUSE", 0.0)


def _alliance(path: Path) -> tuple[Store, str]:
    store = Store(path, clock=FakeClock())
    return store, store.create(("Ann", "Bob"), title="Studio").id


def _app(path: Path, **options: object) -> AllianceApp:
    return AllianceApp(path, clock=FakeClock(), poll_seconds=None, **options)  # type: ignore[arg-type]


def _said(app: AllianceApp) -> list[str]:
    return [n.message for n in app._notifications]


def _main(app: AllianceApp) -> NegotiationScreen:
    screen = app.screen
    assert isinstance(screen, NegotiationScreen)
    return screen


def _turn(app: AllianceApp) -> str:
    return str(app.screen.query_one("#turn").render())


async def test_a_shared_window_opens_with_whoever_last_held_a_shared_seat(db_path: Path) -> None:
    store, alliance_id = _alliance(db_path)
    store.act(alliance_id, lambda a, m: rules.pass_keyboard(a, 0, m))  # Ann passed to Bob
    app = _app(db_path)
    async with app.run_test(size=(120, 40)):
        assert _main(app).me == Seat(Role.B, bound=False)
        assert _turn(app).startswith("▶ Bob is at the keyboard")


async def test_a_bound_window_acts_as_its_person_and_never_passes(db_path: Path) -> None:
    store, alliance_id = _alliance(db_path)  # the file says Ann last held the shared seat
    app = _app(db_path, bound_to="bob")  # any case
    async with app.run_test(size=(120, 40)) as pilot:
        assert _main(app).me == Seat(Role.B, bound=True)
        assert _turn(app).startswith("▶ This window is Bob's")
        keys = str(app.screen.query_one("KeyBar").render())
        assert "Pass" not in keys, "ctrl+t is not offered in a bound window"
        await pilot.press("ctrl+t")
        assert "This window is Bob's alone: it does not pass. Ann acts from their own window." in _said(app)
        assert _main(app).me.role == Role.B
        await pilot.press("n", *"Bob writes this", "enter")
        await pilot.pause()
    (line,) = Store(db_path).load(alliance_id).lines.values()
    assert (line.author, line.current.text) == (1, "Bob writes this")
    actions = [(e.action.value, e.actor) for e in Store(db_path).history(alliance_id)]
    assert ("passed", 1) not in actions and ("drafted", 1) in actions


async def test_another_windows_pass_changes_nothing_here(db_path: Path) -> None:
    """Terminal 1 shows Ann; terminal 2 presses ctrl+t; terminal 1's `enter` saves as Ann."""
    store, alliance_id = _alliance(db_path)
    app = _app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", *"Ann types this")
        Store(db_path).act(alliance_id, lambda a, m: rules.pass_keyboard(a, 0, m))  # the other window
        app.screen_stack[-2].poll()  # the main screen behind the editor looks again
        await pilot.pause()
        assert isinstance(app.screen, LineEditor)
        await pilot.press("enter")
        await pilot.pause()
        assert _main(app).me.role == Role.A, "the seat is the window's"
        assert _turn(app).startswith("▶ Ann is at the keyboard")
    (line,) = Store(db_path).load(alliance_id).lines.values()
    assert (line.author, line.current.text) == (0, "Ann types this")


async def test_an_editor_saves_as_the_seat_it_was_opened_in(db_path: Path) -> None:
    """Even if this very window's seat had moved on, the editor acts as whom it was opened for."""
    store, alliance_id = _alliance(db_path)
    app = _app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", *"Written as Ann")
        _main_screen = app.screen_stack[-2]
        assert isinstance(_main_screen, NegotiationScreen)
        _main_screen.seat = Seat(Role.B)  # what no key can do while a dialog is open
        await pilot.press("enter")
        await pilot.pause()
    (line,) = Store(db_path).load(alliance_id).lines.values()
    assert line.author == 0


async def test_ctrl_t_lands_on_what_waits_for_the_new_seat(db_path: Path) -> None:
    store, alliance_id = _alliance(db_path)
    line = store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Quiet mornings", m)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, line, m))
    app = _app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        screen = _main(app)
        assert screen.me.role == Role.B
        assert "Bob has the keyboard." in _said(app)
        assert screen.focused is screen.query_one("#partner-a"), "Ann's pane holds what waits for Bob"
        selected = screen.selected()
        assert selected is not None and selected.id == line
        keys = str(app.screen.query_one("KeyBar").render())
        assert "Accept" in keys
        await pilot.press("a")
        await pilot.pause()
    assert Store(db_path).load(alliance_id).lines[line].state is State.AGREED


async def test_enter_edits_ones_own_draft_and_shows_anothers_line(db_path: Path) -> None:
    store, alliance_id = _alliance(db_path)
    mine = store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Mine", m)).outcome.lines[0].id
    theirs = store.act(alliance_id, lambda a, m: rules.draft(a, 1, "Theirs", m)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 1, theirs, m))
    app = _app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        _main(app).select_line(mine)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LineEditor), "enter on one's own draft edits it"
        await pilot.press("end", *" now", "enter")
        await pilot.pause()
        _main(app).select_line(theirs)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LineStoryScreen), "enter on another line shows its story"
    assert Store(db_path).load(alliance_id).lines[mine].current.text == "Mine now"


async def test_after_a_failed_save_the_screen_shows_the_file(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk is full when Ann proposes: the pane still says draft, and the next p works."""
    store, alliance_id = _alliance(db_path)
    line = store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Quiet mornings", m)).outcome.lines[0].id
    app = _app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        _main(app).select_line(line)

        def full(*_: object, **__: object) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(durable, "write_durably", full)
        await pilot.press("p")
        await pilot.pause()
        assert any(said.startswith("Not saved:") for said in _said(app))
        screen = _main(app)
        assert screen.alliance.lines[line].state is State.DRAFT, "the screen shows the file"
        assert "draft" in app.screen.query_one("#partner-a").row_plain(0)  # type: ignore[attr-defined]
        assert Store(db_path).load(alliance_id).lines[line].state is State.DRAFT
        monkeypatch.undo()
        app.clear_notifications()
        await pilot.press("p")
        await pilot.pause()
        assert "Proposed to Bob." in _said(app)
    assert Store(db_path).load(alliance_id).lines[line].state is State.PROPOSED


async def test_a_bound_seat_with_a_passphrase_asks_for_it_first(db_path: Path) -> None:
    store, alliance_id = _alliance(db_path)
    store.act(alliance_id, lambda a, m: alliance_rules.set_passphrase(a, 1, "bobs secret", m))
    secret = store.act(alliance_id, lambda a, m: rules.draft(a, 1, "Bob's secret draft", m))
    assert secret.outcome.line is not None
    app = _app(db_path, bound_to="Bob")
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, FieldDialog)
        behind = app.screen_stack[-2]
        assert isinstance(behind, NegotiationScreen)
        pane = behind.query_one("#partner-b")
        rows = [pane.row_plain(i) for i in range(pane.row_count)]  # type: ignore[attr-defined]
        assert rows == ["Bob has 1 private draft"], "nothing private shows before the passphrase"
        # What the keys do, as the sentence above them says it (they read "enter save").
        assert str(app.screen.query_one("#keys").render()) == "enter take the seat · escape close the app"
        now = [100.0]
        behind.window.pause = Pause(lambda: now[0], 1.0)  # a clock that moves when told
        await pilot.press(*"wrong one", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FieldDialog)
        assert "That is not Bob's passphrase." in str(app.screen.query_one("#error").render())
        now[0] += 1.0
        await pilot.press(*["backspace"] * len("wrong one"), *"bobs secret", "enter")
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
        pane = app.screen.query_one("#partner-b")
        rows = [pane.row_plain(i) for i in range(pane.row_count)]  # type: ignore[attr-defined]
        assert any("Bob's secret draft" in row for row in rows), rows


async def test_escape_on_a_bound_seats_passphrase_closes_the_app(db_path: Path) -> None:
    store, alliance_id = _alliance(db_path)
    store.act(alliance_id, lambda a, m: alliance_rules.set_passphrase(a, 1, "bobs secret", m))
    app = _app(db_path, bound_to="Bob")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 2


async def test_the_wrong_passphrase_pause_belongs_to_the_seat(db_path: Path) -> None:
    """escape then ctrl+t again does not skip the wait (issue 15: a PIN fell in 9.7 s)."""
    store, alliance_id = _alliance(db_path)
    store.act(alliance_id, lambda a, m: alliance_rules.set_passphrase(a, 1, "bobs secret", m))
    app = _app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        now = [100.0]
        _main(app).window.pause = Pause(lambda: now[0], 1.0)  # a clock that moves when told
        await pilot.press("ctrl+t", *"0000", "enter")
        await pilot.pause()
        await pilot.press("escape", "ctrl+t", *"bobs secret", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FieldDialog), "the right passphrase waits too"
        assert "Wait 1 s before trying Bob's passphrase again." in str(
            app.screen.query_one("#error").render()
        )
        assert _main_of(app).me.role == Role.A
        now[0] += 1.0  # the wait is over; a second wrong try waits twice as long
        await pilot.press("escape", "ctrl+t", *"1111", "enter")
        await pilot.pause()
        await pilot.press("escape", "ctrl+t", *"bobs secret", "enter")
        await pilot.pause()
        assert "Wait 2 s" in str(app.screen.query_one("#error").render())
        now[0] += 2.0
        await pilot.press("escape", "ctrl+t", *"bobs secret", "enter")
        await pilot.pause()
        assert _main(app).me.role == Role.B
    actions = [e.action.value for e in Store(db_path).history(alliance_id)]
    assert actions.count("passed") == 1, "only the right passphrase, after the wait, passed it"


def _main_of(app: AllianceApp) -> NegotiationScreen:
    for screen in reversed(app.screen_stack):
        if isinstance(screen, NegotiationScreen):
            return screen
    raise AssertionError("no main screen")


async def test_a_bound_window_does_not_open_an_alliance_without_its_person(db_path: Path) -> None:
    store, _ = _alliance(db_path)
    other = store.create(("Cleo", "Dan"), title="Other").id
    app = _app(db_path, bound_to="Ann")
    async with app.run_test(size=(120, 40)) as pilot:
        opened = app.open_alliance(other)
        assert opened is None
        await pilot.pause()
        assert "Nobody called 'Ann' sits at 'Other': its partners are Cleo and Dan." in _said(app)


async def test_what_another_window_did_is_said_here(db_path: Path) -> None:
    """Bob's window hears when Ann's proposal waits for him, and when she signs."""
    store, alliance_id = _alliance(db_path)
    app = _app(db_path, bound_to="Bob")
    async with app.run_test(size=(120, 40)) as pilot:
        other = Store(db_path)
        line = other.act(alliance_id, lambda a, m: rules.draft(a, 0, "Quiet mornings", m)).outcome.lines[0].id
        _main(app).poll()
        await pilot.pause()
        assert _said(app) == [], "a private draft is nobody else's news"
        other.act(alliance_id, lambda a, m: rules.propose(a, 0, line, m))
        _main(app).poll()
        await pilot.pause()
        assert _said(app) == ["Ann proposed line 1: it waits for you."]
        selected = _main(app).selected()
        assert selected is not None and selected.id == line, "the selection lands on it"
        await pilot.press("1", "a")
        await pilot.pause()
        app.clear_notifications()
        other.act(alliance_id, lambda a, m: rules.sign(a, 0, m))
        _main(app).poll()
        await pilot.pause()
        assert _said(app) == ["Ann signed: it waits for your signature."]


async def test_an_answer_that_undoes_a_signature_says_so(db_path: Path) -> None:
    """Ann signed; Bob accepts a pending line: the notice says her signature no longer holds."""
    store, alliance_id = _alliance(db_path)
    first = store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Quiet mornings", m)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, first, m))
    store.act(alliance_id, lambda a, m: rules.accept(a, 1, first, m))
    second = store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Loud evenings", m)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, second, m))
    store.act(alliance_id, lambda a, m: rules.sign(a, 0, m))
    app = _app(db_path, bound_to="Bob")
    async with app.run_test(size=(120, 40)) as pilot:
        assert "Bob still to sign" in _turn(app)
        _main(app).select_line(second)
        await pilot.press("a")
        await pilot.pause()
        assert _said(app) == [
            "Agreed: line 2 is in the agreement. That changed the agreement, so Ann's signature "
            "no longer holds: both sign again."
        ]


async def test_a_shared_window_asks_the_opening_seats_passphrase(db_path: Path) -> None:
    """The file says Bob last held the shared seat (it could have been edited: issue 15):
    the window asks Bob's passphrase first; escape sits as Ann, who has none."""
    store, alliance_id = _alliance(db_path)
    store.act(alliance_id, lambda a, m: alliance_rules.set_passphrase(a, 1, "bobs secret", m))
    store.act(alliance_id, lambda a, m: rules.draft(a, 1, "Bob's secret draft", m))
    store.act(alliance_id, lambda a, m: rules.pass_keyboard(a, 0, m, passphrase="bobs secret"))
    app = _app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, FieldDialog)
        behind = app.screen_stack[-2]
        assert isinstance(behind, NegotiationScreen) and behind.me.role == Role.B
        pane = behind.query_one("#partner-b")
        rows = [pane.row_plain(i) for i in range(pane.row_count)]  # type: ignore[attr-defined]
        assert rows == ["Bob has 1 private draft"]
        await pilot.press("escape")
        await pilot.pause()
        assert _main(app).me == Seat(Role.A, bound=False)
        assert "Ann has the keyboard." in _said(app)
    actions = [e.action.value for e in Store(db_path).history(alliance_id)]
    assert actions.count("passed") == 1, "opening as Ann is no hand-over: nothing is recorded"


async def test_a_bound_window_lists_only_its_persons_alliances(db_path: Path) -> None:
    """A served seat or an --as terminal never learns of the other alliances in the file."""
    store, alliance_id = _alliance(db_path)
    store.create(("Cleo", "Dan"), title="Someone else's")
    app = _app(db_path, alliance=alliance_id, bound_to="Ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        listing = app.screen.query_one("#alliance-list")
        shown = [listing.get_option_at_index(i).id for i in range(listing.option_count)]  # type: ignore[attr-defined]
        assert shown == [alliance_id]


async def test_creating_alliances_while_the_poll_runs_fast_under_load(db_path: Path) -> None:
    """Issue 10: about 1 in 75 creations crashed (`NoMatches '#partner-a'`), the app's poll
    reaching a main screen still composing. The poll now lives in each main screen, from
    its mount on. Here it runs every 5 ms while another window writes all the time."""
    import threading

    from textual.widgets import Input

    from alliance_tui.screens.new_alliance import NewAllianceScreen

    store, alliance_id = _alliance(db_path)
    stop = threading.Event()

    def other_window() -> None:
        other = Store(db_path)
        n = 0
        while not stop.is_set() and n < 400:
            other.act(alliance_id, lambda a, m, n=n: rules.draft(a, 1, f"Elsewhere {n}", m))
            n += 1

    writer = threading.Thread(target=other_window)
    app = AllianceApp(db_path, alliance=alliance_id, clock=FakeClock(), poll_seconds=0.005)
    async with app.run_test(size=(80, 24)) as pilot:
        writer.start()
        try:
            for n in range(15):
                await pilot.press("ctrl+n")
                await pilot.pause()
                assert isinstance(app.screen, NewAllianceScreen)
                app.screen.query_one("#name-a", Input).value = f"Ann {n}"
                app.screen.query_one("#name-b", Input).value = f"Bob {n}"
                await pilot.press("enter")
                await pilot.pause()
                assert isinstance(app.screen, NegotiationScreen), n
        finally:
            stop.set()
            writer.join(60)
    assert app.return_code in (None, 0)
    assert len(Store(db_path).alliances()) == 16


async def test_nothing_is_done_as_a_locked_seat_even_from_the_palette(db_path: Path) -> None:
    """The palette opens over the passphrase dialog: its commands are refused all the same."""
    from .conftest import choose_in_palette

    store, alliance_id = _alliance(db_path)
    store.act(alliance_id, lambda a, m: alliance_rules.set_passphrase(a, 1, "bobs secret", m))
    line = store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Quiet mornings", m)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, line, m))
    app = _app(db_path, bound_to="Bob")
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, FieldDialog)
        behind = app.screen_stack[-2]
        assert isinstance(behind, NegotiationScreen)
        behind.select_line(line)
        await choose_in_palette(app, "Accept")
        await pilot.pause()
        assert "Type Bob's passphrase first." in _said(app)
    assert Store(db_path).load(alliance_id).lines[line].state is State.PROPOSED


async def test_ctrl_t_is_offered_again_once_a_dialog_closes(db_path: Path) -> None:
    """Issue 11: `^t Pass` is the key both need most; it vanished after the first draft."""
    _alliance(db_path)
    app = _app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Pass" in str(app.screen.query_one("KeyBar").render())
        await pilot.press("n", *"Invoices on Fridays", "enter")
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
        assert "Pass" in str(app.screen.query_one("KeyBar").render())


async def test_a_proposal_that_waits_keeps_all_its_answers_in_the_key_bar_at_80_columns(
    db_path: Path,
) -> None:
    """The play-through at 80×24: on a proposal waiting for Bob the bar showed Accept and
    Amend, but Decline had fallen off while New line stayed. The line's keys come first."""
    store, alliance_id = _alliance(db_path)
    line = (
        store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Invoices on Fridays.", m)).outcome.lines[0].id
    )
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, line, m))
    store.act(alliance_id, lambda a, m: rules.pass_keyboard(a, 0, m))
    app = _app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = str(app.screen.query_one("KeyBar").render())
        for word in ("Accept", "Amend", "Decline", "Help", "Pass"):
            assert word in bar, bar
        assert bar.index("Decline") < bar.index("Help")


async def test_the_key_bar_steps_back_under_a_dialog(db_path: Path) -> None:
    """Issue 11: main-screen keys stayed in the footer under dialogs, doing nothing there."""
    _alliance(db_path)
    app = _app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        bar = app.screen.query_one("KeyBar")
        assert "New line" in str(bar.render())
        await pilot.press("n")
        await pilot.pause()
        assert str(bar.render()) == ""
        await pilot.press("escape")
        await pilot.pause()
        assert "New line" in str(bar.render())


async def test_a_new_turn_starts_with_one_toast_not_the_last_turns_stack(db_path: Path) -> None:
    """At 80×24 the toasts of the last turn covered the history; they were for the other."""
    store, alliance_id = _alliance(db_path)
    line = store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Quiet mornings", m)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, line, m))
    app = _app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")  # Ann may not accept her own proposal: a refusal is said
        await pilot.pause()
        assert len(_said(app)) == 1 and "has the keyboard" not in _said(app)[0]
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert _said(app) == ["Bob has the keyboard."]
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert _said(app) == ["Ann has the keyboard."]


async def test_a_new_turn_keeps_what_belongs_to_whoever_sits_here(db_path: Path) -> None:
    """A review due (a titled notice) and errors outlive the turn; refusals do not."""
    from datetime import date

    store = Store(db_path, clock=FakeClock())
    store.create(("Ann", "Bob"), title="Studio", review_on=date(2000, 1, 1))
    app = _app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert any(said.startswith("Review due") for said in _said(app)), _said(app)
        app.notify("The disk is full.", severity="error")
        await pilot.press("s")  # nothing to sign yet: a refusal, for Ann
        await pilot.pause()
        refusals = [said for said in _said(app) if not said.startswith(("Review due", "The disk"))]
        assert refusals, _said(app)
        await pilot.press("ctrl+t")
        await pilot.pause()
        said = _said(app)
        assert said[-1] == "Bob has the keyboard.", said
        assert any(s.startswith("Review due") for s in said) and "The disk is full." in said
        assert not set(refusals) & set(said), said


async def test_a_bound_window_starts_no_alliance_and_says_why(db_path: Path) -> None:
    """ctrl+n (and the palette's New alliance) in a window bound to Bob, as a served seat is:
    refused in a sentence, nothing made; a shared window still starts one."""
    from .conftest import choose_in_palette

    _alliance(db_path)
    app = _app(db_path, bound_to="bob")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
        assert _said(app)[-1].startswith("This window is Bob's seat in this alliance:")
        await choose_in_palette(app, "New alliance")
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
        assert _said(app)[-1].startswith("This window is Bob's seat in this alliance:")
    assert len(Store(db_path).alliances()) == 1

    app = _app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert type(app.screen).__name__ == "NewAllianceScreen"


def test_a_bound_seat_names_everyone_else_who_acts_from_their_own_window() -> None:
    from datetime import UTC, datetime

    from alliance_tui.domain import Alliance, Kind, Partner, Refused
    from alliance_tui.domain.seats import may_pass

    a = Alliance(
        "a1", "Studio", Kind.WORK, (Partner("Ann"), Partner("Bob")), datetime(2026, 3, 2, tzinfo=UTC)
    )
    with pytest.raises(
        Refused, match=r"^This window is Bob's alone: it does not pass\. Ann acts from their own window\.$"
    ):
        may_pass(a, Seat(Role.B, bound=True))
    a.coach = "Cleo"
    with pytest.raises(
        Refused,
        match=r"^This window is Bob's alone: it does not pass\. Ann and Cleo act from their own windows\.$",
    ):
        may_pass(a, Seat(Role.B, bound=True))
