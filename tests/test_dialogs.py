"""Dialogs answer once, whatever arrives after (issue 15 item 2, issue 11 items 1 and 9).

A second `enter` read together with the first saved a second copy and then popped the
screen under the dialog (`ScreenStackError`). Each test sends the keys as one read
(`burst`), then checks the file through a fresh `Store` and the screen on top.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Select

from alliance_tui.app import AllianceApp
from alliance_tui.dialogs.confirm import ConfirmDialog
from alliance_tui.dialogs.field import FieldDialog
from alliance_tui.dialogs.line_editor import LineEditor
from alliance_tui.dialogs.reason import ReasonDialog
from alliance_tui.domain import Kind, alliance_rules, rules
from alliance_tui.screens.alliance_list import AllianceListScreen
from alliance_tui.screens.new_alliance import NewAllianceScreen
from alliance_tui.store import Store

from .conftest import FakeClock
from .test_bursts import burst, couple, wordings

SECRET = "peter's quiet word"


def new_app(path: Path) -> AllianceApp:
    return AllianceApp(path, clock=FakeClock(), poll_seconds=None)


def actions(path: Path) -> list[str]:
    store = Store(path)
    (a,) = store.alliances(archived=True)
    return [e.action.value for e in store.history(a.id)]


# -- submitted once (issue 15 item 2) ------------------------------------------------------


async def test_enter_enter_in_the_line_editor_saves_one_draft(db_path: Path) -> None:
    """The second `enter` saves no second copy: read after the first closed the editor, it
    is the main screen's, as it is when pressed a moment later: it opens the draft just
    written (`enter` edits one's own draft, SPEC §4)."""
    couple(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, LineEditor)
        await burst(pilot, *"No talking before coffee", "enter", "enter")
        assert isinstance(app.screen, LineEditor)
        assert str(app.screen.query_one("#heading").render()) == "Edit line 1"
        assert len(app.screen_stack) == 2, "the main screen is still there, under it"
    assert app.return_code is None
    assert wordings(db_path) == ["No talking before coffee"]


async def test_enter_enter_on_the_first_run_form_creates_one_alliance(db_path: Path) -> None:
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, NewAllianceScreen)
        await burst(pilot, *"Ann", "tab", *"Bob", "enter", "enter")
        assert not isinstance(app.screen, NewAllianceScreen)
    assert app.return_code is None
    assert [a.names for a in Store(db_path).alliances()] == [("Ann", "Bob")]


async def test_enter_enter_on_the_passphrase_passes_the_keyboard_once(db_path: Path) -> None:
    store = Store(db_path)
    a = store.create(("Sarah", "Peter"), title="Guarded")
    store.act(a.id, lambda a, m: rules.pass_keyboard(a, a.active, m))
    store.act(a.id, lambda a, m: alliance_rules.set_passphrase(a, a.active, SECRET, m))
    store.act(a.id, lambda a, m: rules.pass_keyboard(a, a.active, m))  # Sarah's turn; Peter guarded
    before = actions(db_path).count("passed")
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+t")
        assert isinstance(app.screen, FieldDialog)
        await burst(pilot, *SECRET, "enter", "enter")
        assert not isinstance(app.screen, FieldDialog)
    assert app.return_code is None
    assert Store(db_path).load(a.id).active == 1, "Peter has the keyboard, not Sarah again"
    assert actions(db_path).count("passed") == before + 1


async def test_enter_enter_on_a_decline_declines_once(db_path: Path) -> None:
    couple(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", *"Quiet mornings", "enter", "p", "ctrl+t", "1", "x")
        assert isinstance(app.screen, ReasonDialog)
        await burst(pilot, *"not every day", "enter", "enter")
        assert not isinstance(app.screen, ReasonDialog)
    assert app.return_code is None
    assert actions(db_path).count("declined") == 1


async def test_enter_enter_on_a_rename_renames_once(db_path: Path) -> None:
    couple(db_path)
    Store(db_path).create(("Ann", "Bob"), title="Work")
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, AllianceListScreen)
        await pilot.press("r")
        assert isinstance(app.screen, FieldDialog)
        await burst(pilot, "ctrl+u", *"Our home", "enter", "enter")
        # The second `enter` is the list's, as when pressed a moment later: it opens the
        # alliance just renamed.
        assert not isinstance(app.screen, (FieldDialog, AllianceListScreen))
        assert app.screen.alliance.title == "Our home"  # type: ignore[attr-defined]
    assert app.return_code is None
    assert sorted(a.title for a in Store(db_path).alliances()) == ["Our home", "Work"]


async def test_enter_enter_on_the_list_opens_the_alliance_once(db_path: Path) -> None:
    couple(db_path)
    Store(db_path).create(("Ann", "Bob"), title="Work")
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, AllianceListScreen)
        await burst(pilot, "enter", "enter")
        assert app.shown_alliance() is not None
        assert not isinstance(app.screen, AllianceListScreen)
        stack = [type(s).__name__ for s in app.screen_stack]
        assert stack == ["Screen", "NegotiationScreen"], "opened once, and nothing else popped"
    assert app.return_code is None


# -- confirm dialogs answer enter (issue 11 item 9) ----------------------------------------


async def test_enter_answers_yes_on_a_confirm_dialog(db_path: Path) -> None:
    couple(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", *"A draft to delete", "enter", "delete")
        assert isinstance(app.screen, ConfirmDialog)
        assert "enter" in str(app.screen.query_one("#keys").render())
        assert str(app.screen.query_one("#heading").render()) == "Delete draft line 1?"  # which one
        await pilot.press("enter")
        assert not isinstance(app.screen, ConfirmDialog)
    assert wordings(db_path) == []
    assert actions(db_path).count("deleted") == 1


async def test_escape_on_a_confirm_dialog_keeps_the_draft(db_path: Path) -> None:
    couple(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", *"A draft to keep", "enter", "delete")
        assert isinstance(app.screen, ConfirmDialog)
        await burst(pilot, "escape", "enter")  # the enter after the answer does not say yes
        assert not isinstance(app.screen, ConfirmDialog)
    assert wordings(db_path) == ["A draft to keep"]


# -- the kind from the keyboard (issue 11 item 1) ------------------------------------------


async def _to_kind(pilot) -> Select[str]:  # type: ignore[no-untyped-def]
    app = pilot.app
    assert isinstance(app.screen, NewAllianceScreen)
    await pilot.press(*"Sam", "tab", *"Sue", "tab")
    kind = app.screen.query_one("#kind", Select)
    assert app.focused is kind
    return kind


async def test_the_kind_is_chosen_with_space_down_enter_and_a_later_enter_creates(db_path: Path) -> None:
    """The keys of issue 11, which created the alliance as "other" at the first enter."""
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        kind = await _to_kind(pilot)
        await pilot.press("space")
        assert kind.expanded, "space opens the list"
        await pilot.press("down", "down", "down", "enter")  # business, couple, work
        assert isinstance(app.screen, NewAllianceScreen), "enter chose a kind; it did not create"
        assert kind.value == "work" and not kind.expanded
        await pilot.press("enter")
        assert not isinstance(app.screen, NewAllianceScreen)
    (a,) = Store(db_path).alliances()
    assert (a.kind, a.names) == (Kind.WORK, ("Sam", "Sue"))


async def test_down_opens_the_kind_list_and_the_title_comes_after(db_path: Path) -> None:
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        kind = await _to_kind(pilot)
        await pilot.press("down")
        assert kind.expanded and isinstance(app.screen, NewAllianceScreen)
        await pilot.press("down", "down", "enter")  # couple
        await pilot.press("tab", *"Moving in", "enter")
        assert not isinstance(app.screen, NewAllianceScreen)
    (a,) = Store(db_path).alliances()
    assert (a.kind, a.title) == (Kind.COUPLE, "Moving in")


async def test_escape_closes_the_kind_list_and_keeps_the_form(db_path: Path) -> None:
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        kind = await _to_kind(pilot)
        await pilot.press("space", "escape")
        assert not kind.expanded and isinstance(app.screen, NewAllianceScreen)
        await pilot.press("enter")  # the list closed: enter creates, the kind left as "other"
        assert not isinstance(app.screen, NewAllianceScreen)
    (a,) = Store(db_path).alliances()
    assert a.kind is Kind.OTHER


async def test_the_form_names_each_kind_as_the_header_does(db_path: Path) -> None:
    """Issue 11: the form said "Employee and manager" where the header said "work"."""
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        kind = await _to_kind(pilot)
        await pilot.press("space", "down", "down", "down", "enter")
        label = kind.query_one("SelectCurrent").label
        assert str(label).startswith("work · employee and manager")
        await pilot.press("enter")
        await pilot.pause()
        title_bar = "".join(str(w.render()) for w in app.screen.query("TitleBar"))
        assert "work" in title_bar


# -- the alliance list while it is composed or after it left (issue 15 item 7) -------------


async def test_list_actions_before_the_list_is_composed_do_nothing(db_path: Path) -> None:
    """A key read with the `ctrl+o` that opened the list reached it before its rows existed."""
    couple(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        store = Store(db_path)
        listing = app.alliance_list(store.alliances())
        app.push_screen(listing)  # not awaited: the next action arrives while it composes
        for action in ("archive_alliance", "rename_alliance", "delete_alliance", "open_selected"):
            await listing.run_action(action)
        await pilot.pause()
        assert app.screen is listing
    assert app.return_code is None
    (a,) = Store(db_path).alliances(archived=True)
    assert not a.archived


async def test_list_actions_after_the_list_left_do_nothing(db_path: Path) -> None:
    couple(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o")
        listing = app.screen
        assert isinstance(listing, AllianceListScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, AllianceListScreen)
        for action in ("archive_alliance", "toggle_archived", "open_selected", "cancel"):
            await listing.run_action(action)
        await pilot.pause()
        assert app.shown_alliance() is not None, "the alliance stays open"
    assert app.return_code is None
    (a,) = Store(db_path).alliances(archived=True)
    assert not a.archived


async def test_archiving_the_open_alliance_twice_in_one_read_archives_it_once(db_path: Path) -> None:
    couple(db_path)
    Store(db_path).create(("Ann", "Bob"), title="Work")
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # open the first alliance
        shown = app.shown_alliance()
        await pilot.press("ctrl+o")
        await burst(pilot, "a", "a")  # the second reaches the list that is being replaced
        assert isinstance(app.screen, AllianceListScreen)
    assert app.return_code is None
    store = Store(db_path)
    archived = [a for a in store.alliances(archived=True) if a.archived]
    assert [a.id for a in archived] == [shown], "archived once, not archived and brought back"


# -- escape in the editor (issue 11 item 9) ------------------------------------------------


async def test_escape_in_the_editor_asks_before_throwing_typing_away(db_path: Path) -> None:
    couple(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", *"Half a thought")
        await pilot.press("escape")
        assert isinstance(app.screen, LineEditor), "the first escape only warns"
        assert "escape again throws away" in str(app.screen.query_one("#error").render())
        await pilot.press(*" more", "escape")  # typed again: warned again, still kept
        assert isinstance(app.screen, LineEditor)
        await pilot.press("enter")
    assert wordings(db_path) == ["Half a thought more"]


async def test_a_second_escape_throws_the_typing_away(db_path: Path) -> None:
    couple(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", *"Half a thought", "escape", "escape")
        assert not isinstance(app.screen, LineEditor)
        await pilot.press("n", "escape")  # nothing typed: one escape closes
        assert not isinstance(app.screen, LineEditor)
    assert wordings(db_path) == []


async def test_an_unticked_box_is_empty_and_a_ticked_one_shows_its_x(db_path: Path) -> None:
    """Without colour (a monochrome terminal, a screen reader) a dim X read as ticked."""
    from textual.widgets import Checkbox

    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NewAllianceScreen)
        box = app.screen.query_one("#prompts", Checkbox)
        assert "X" not in box.render().plain
        box.value = True
        await pilot.pause()
        assert "X" in box.render().plain


async def test_the_forms_keys_are_all_read_at_80_columns(db_path: Path) -> None:
    """Opened with ctrl+n the line ends "escape cancel": cut at 80 columns, it said "escape"."""
    Store(db_path).create(("Sam", "Sue"), title="Studio")
    app = new_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NewAllianceScreen)
        keys = app.screen.query_one("#keys")
        assert keys.size.height == 2 and "escape cancel" in str(keys.render())


async def test_a_dialog_s_keys_say_what_enter_does_there(db_path: Path) -> None:
    """A question is asked, an answer made ready, a note added: "enter save" misled."""
    Store(db_path, clock=FakeClock()).create(("Sarah", "Peter"), title="Mornings", coach="Cleo")
    app = AllianceApp(db_path, bound_to="Cleo", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert str(app.screen.query_one("#keys").render()) == "enter ask · escape cancel"
        await pilot.press(*"Evenings?", "escape")
        await pilot.pause()
        assert str(app.screen.query_one("#error").render()) == (
            "escape again throws away what you typed · enter asks it"
        )
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert str(app.screen.query_one("#keys").render()) == "enter add it to the timeline · escape cancel"
    app = AllianceApp(db_path, bound_to="Sarah", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert str(app.screen.query_one("#keys").render()) == "enter ready · escape cancel"


async def _each_says_first(app: AllianceApp, pilot: Pilot[None], first: str) -> None:
    """ctrl+t, ctrl+n and ctrl+o on the screen on top: each says what to do `first`, and
    the screen stays."""
    screen = app.screen
    for key, name in (
        ("ctrl+t", "Pass the keyboard"),
        ("ctrl+n", "New alliance"),
        ("ctrl+o", "Open alliance"),
    ):
        app.clear_notifications()
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is screen
        assert [n.message for n in app._notifications] == [f"{first}, then {key}: {name}."]


async def test_the_keys_for_everywhere_say_what_to_do_first_in_a_dialog(db_path: Path) -> None:
    """ctrl+t, ctrl+n and ctrl+o did nothing in a dialog, without a word (a modal screen
    leaves the app's keys out); f1 opens the help over it."""
    from alliance_tui.screens.help import HelpScreen

    couple(db_path)
    app = AllianceApp(db_path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("n", *"Tea")
        editor = app.screen
        assert isinstance(editor, LineEditor)
        await _each_says_first(app, pilot, "Finish or cancel this first (enter or escape)")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is editor
        await pilot.press("enter")
        await pilot.pause()
    assert wordings(db_path) == ["Tea"], "what was typed is saved as it was"


@pytest.mark.parametrize("opening", ["v", "f1", "i"])
async def test_the_keys_for_everywhere_say_what_to_do_first_in_a_viewer(db_path: Path, opening: str) -> None:
    """In the versions, the help and a line's story, ctrl+t, ctrl+n and ctrl+o did nothing
    without a word (play-tested); f1 and ? open the help over them."""
    from alliance_tui.screens.help import HelpScreen

    alliance_id = couple(db_path)
    line = Store(db_path).act(alliance_id, lambda a, m: rules.draft(a, 0, "Tea", m)).outcome.lines[0].id
    app = AllianceApp(db_path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        app.screen.select_line(line)  # type: ignore[attr-defined]
        await pilot.press(opening)
        await pilot.pause()
        viewer = app.screen
        assert viewer is not app.screen_stack[0]
        first = "Close the help first (escape)" if opening == "f1" else "Close this first (escape)"
        await _each_says_first(app, pilot, first)
        assert app.screen is viewer
        if opening != "f1":
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
