"""Text typed in a dialog that decides something is never lost without a word (issue 12).

A decline with its reason, a new title, kind or coach, a blind round's question, a coach's
note: saving any of them at exit would decide for a person who never pressed `enter`. So
when the app leaves under their hands (a tab closed, the server stopped, ctrl+q), nothing
is saved, the file is left as it was, and the app's last words say what did not happen
and what was typed. A first `escape` with something typed only warns, as in the line
editor; a second one throws it away.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from alliance_tui.app import AllianceApp
from alliance_tui.dialogs.field import FieldDialog
from alliance_tui.dialogs.reason import ReasonDialog
from alliance_tui.domain import State, rules
from alliance_tui.screens.alliance_list import AllianceListScreen
from alliance_tui.store import Store

from .conftest import FakeClock, choose_in_palette


def proposed(path: Path) -> tuple[str, int]:
    """Sarah and Peter's "Mornings", Sarah's line 1 proposed to Peter; Cleo coaches."""
    store = Store(path, clock=FakeClock())
    alliance_id = store.create(("Sarah", "Peter"), title="Mornings", coach="Cleo").id
    line = store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Quiet until nine", m)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, line, m))
    return alliance_id, line


async def _typed_then_left(app: AllianceApp, pilot: Pilot[None], typed: str) -> None:
    """Type into the open dialog's field (after whatever it holds), then leave as the web
    driver does when textual-serve says "quit"."""
    await pilot.pause()
    assert isinstance(app.screen, FieldDialog), app.screen
    await pilot.press("end", *typed)
    await pilot.pause()
    app.exit()
    await pilot.pause()


async def test_a_decline_left_open_declines_nothing_and_says_the_reason(db_path: Path) -> None:
    alliance_id, line = proposed(db_path)
    before = db_path.read_bytes()
    app = AllianceApp(db_path, bound_to="Peter", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.select_line(line)  # type: ignore[attr-defined]
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ReasonDialog)
        await _typed_then_left(app, pilot, "Too early for me")
    assert db_path.read_bytes() == before, "nobody declined: the file is as it was"
    assert Store(db_path).load(alliance_id).lines[line].state is State.PROPOSED
    assert app.window.kept == [
        f"Line {line} was not declined in “Mornings”: the app left with it open. It read: “Too early for me”"
    ]


async def test_escape_with_a_reason_typed_warns_once_then_closes(db_path: Path) -> None:
    alliance_id, line = proposed(db_path)
    app = AllianceApp(db_path, bound_to="Peter", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.select_line(line)  # type: ignore[attr-defined]
        await pilot.press("x", *"Too early", "escape")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog), "one escape does not throw a reason away"
        warning = str(dialog.query_one("#error").render())
        assert warning == "escape again throws away what you typed · enter declines with it"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReasonDialog)
        # Nothing typed: one escape closes at once; enter declines with the reason typed.
        await pilot.press("x", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReasonDialog)
        await pilot.press("x", *"Too early", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, ReasonDialog)
        app.exit()
    assert app.window.kept == []
    declined = Store(db_path).load(alliance_id).lines[line]
    assert (declined.state, declined.reason) == (State.DECLINED, "Too early")


def _key(key: str) -> Callable[[AllianceApp, Pilot[None]], Awaitable[None]]:
    async def press(app: AllianceApp, pilot: Pilot[None]) -> None:
        await pilot.press(key)

    return press


def _chosen(name: str) -> Callable[[AllianceApp, Pilot[None]], Awaitable[None]]:
    async def choose(app: AllianceApp, pilot: Pilot[None]) -> None:
        await choose_in_palette(app, name)

    return choose


def _in_the_list(key: str) -> Callable[[AllianceApp, Pilot[None]], Awaitable[None]]:
    async def press(app: AllianceApp, pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, AllianceListScreen)
        await pilot.press(key)

    return press


@pytest.mark.parametrize(
    ("seat", "opening", "typed", "said"),
    [
        ("Sarah", _chosen("Rename this alliance"), " together", "“Mornings” was not renamed"),
        ("Sarah", _chosen("Change the relationship's kind"), "x", "The kind of “Mornings” was not changed"),
        ("Sarah", _chosen("Add or change the coach"), "Dana", "The coach of “Mornings” was not changed"),
        ("Sarah", _key("b"), "What makes a good morning?", "No blind round was asked in “Mornings”"),
        ("Cleo", _key("o"), "They listen well", "The coach's note was not added to “Mornings”"),
        ("Sarah", _in_the_list("r"), " together", "“Mornings” was not renamed"),
        ("Sarah", _in_the_list("c"), " Rowe", "The coach of “Mornings” was not changed"),
    ],
    ids=["rename", "kind", "coach", "question", "coach-note", "list-rename", "list-coach"],
)
async def test_a_dialog_left_open_decides_nothing_and_says_what_was_typed(
    db_path: Path,
    seat: str,
    opening: Callable[[AllianceApp, Pilot[None]], Awaitable[None]],
    typed: str,
    said: str,
) -> None:
    proposed(db_path)
    before = db_path.read_bytes()
    app = AllianceApp(db_path, bound_to=seat, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await opening(app, pilot)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FieldDialog)
        opened_with = dialog.value
        await _typed_then_left(app, pilot, typed)
    assert db_path.read_bytes() == before, "nothing was decided: the file is as it was"
    assert app.window.kept == [f"{said}: the app left with it open. It read: “{opened_with}{typed}”"]


async def test_a_passphrase_typed_is_never_said(db_path: Path) -> None:
    """A passphrase dialog left open keeps nothing and says nothing: a secret never goes
    to the terminal's scrollback."""
    proposed(db_path)
    app = AllianceApp(db_path, bound_to="Sarah", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await choose_in_palette(app, "Set passphrase")
        await _typed_then_left(app, pilot, "correct horse")
    assert app.window.kept == []


# -- the new-alliance form --------------------------------------------------------------


async def test_a_new_alliance_form_left_open_creates_nothing_and_says_what_it_held(db_path: Path) -> None:
    from alliance_tui.screens.new_alliance import NewAllianceScreen

    Store(db_path, clock=FakeClock()).create(("Sarah", "Peter"), title="Mornings")
    before = db_path.read_bytes()
    app = AllianceApp(db_path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NewAllianceScreen)
        await pilot.press(*"Ann", "tab", *"Bob", "tab", "tab", *"Evenings")
        await pilot.pause()
        app.exit()
        await pilot.pause()
    assert db_path.read_bytes() == before, "nobody pressed enter: nothing was created"
    assert app.window.kept == [
        "No alliance was created: the app left with it open. "
        "It read: “first partner Ann, second partner Bob, title Evenings”"
    ]


async def test_escape_on_a_filled_form_warns_once_and_an_empty_one_closes_at_once(db_path: Path) -> None:
    from alliance_tui.screens.new_alliance import NewAllianceScreen

    Store(db_path, clock=FakeClock()).create(("Sarah", "Peter"), title="Mornings")
    app = AllianceApp(db_path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+n", *"Ann", "escape")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewAllianceScreen), "one escape does not throw the names away"
        warning = str(form.query_one("#error").render())
        assert warning == "escape again throws away what you typed · enter creates the alliance"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, NewAllianceScreen)
        await pilot.press("ctrl+n", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, NewAllianceScreen), "nothing typed: escape closes at once"
        app.exit()
        await pilot.pause()
    assert app.window.kept == [], "thrown away on purpose: nothing to say"


async def test_the_first_run_form_says_what_it_held_and_escape_twice_quits_in_silence(db_path: Path) -> None:
    from alliance_tui.screens.new_alliance import NewAllianceScreen

    app = AllianceApp(db_path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NewAllianceScreen)
        await pilot.press(*"Ann", "escape")
        await pilot.pause()
        warning = str(app.screen.query_one("#error").render())
        assert warning == "escape again quits, throwing away what you typed · enter creates the alliance"
        await pilot.press("escape")
        await pilot.pause()
    assert app.window.kept == []
    assert Store(db_path).alliances() == []

    app = AllianceApp(db_path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press(*"Ann")
        await pilot.pause()
        app.exit()
        await pilot.pause()
    assert app.window.kept == [
        "No alliance was created: the app left with it open. It read: “first partner Ann”"
    ]
