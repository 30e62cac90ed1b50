"""Keys that arrive together, as a fast typist over SSH or a paste sends them.

`pilot.press` waits for the app to settle after every key, so it never shows what goes
wrong when a terminal read holds several keys. `burst` puts every key in the app's queue
at once, as the driver does with one read, and only then lets the app run.
"""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest
from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot
from textual.widgets import TextArea

import alliance_tui.app
from alliance_tui.app import AllianceApp
from alliance_tui.dialogs.confirm import ConfirmDialog
from alliance_tui.dialogs.field import FieldDialog
from alliance_tui.dialogs.line_editor import LineEditor
from alliance_tui.dialogs.typeahead import TypeAhead
from alliance_tui.domain import Kind, rules
from alliance_tui.store import Store
from alliance_tui.widgets.text_entry import OrderedInput, OrderedTextArea

from .conftest import FakeClock
from .terminal import Terminal


def key_event(key: str) -> events.Key:
    """The event the driver makes for `key` (a name like "enter", or one character)."""
    if key.startswith("alt+") and len(key) == len("alt+") + 1:  # escape and a letter, read together
        return events.Key(key, key[-1])
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        character: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        character = key if len(key) == 1 else None
    return events.Key(key, character)


async def settle(pilot: Pilot[object], rounds: int = 4) -> None:
    """Let every queued key and what it started run to the end."""
    for _ in range(rounds):
        await pilot.pause()


async def burst(pilot: Pilot[object], *keys: str, rounds: int = 4) -> None:
    """Send `keys` as one terminal read: all queued before the app handles the first."""
    app = pilot.app
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app.post_message(event)
    await settle(pilot, rounds)


if issubclass(AllianceApp, TypeAhead):
    TypeAheadApp = AllianceApp
else:

    class TypeAheadApp(TypeAhead, AllianceApp):  # type: ignore[no-redef]
        """The app with keys typed ahead passed on to the screen they were meant for."""

        CSS_PATH = Path(alliance_tui.app.__file__).with_name("app.tcss")


def app_for(path: Path) -> AllianceApp:
    """The app, reading keys ahead (itself, once `AllianceApp` has the mixin)."""
    return TypeAheadApp(path, clock=FakeClock(), poll_seconds=None)


def couple(path: Path) -> str:
    return Store(path).create(("Sarah", "Peter"), title="Living together", kind=Kind.COUPLE).id


def wordings(path: Path) -> list[str]:
    (a,) = Store(path).alliances()
    return [line.current.text for line in a.lines.values()]


# -- keys in order (issue 11 item 2) -------------------------------------------------------


async def test_a_backspace_in_a_burst_takes_the_letter_before_it(db_path: Path) -> None:
    couple(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, LineEditor)
        await burst(pilot, *"0123456789", "backspace", "q")
        wording = app.screen.query_one("#wording", TextArea)
        assert isinstance(wording, OrderedTextArea)
        assert wording.text == "012345678q"


async def test_110_backspaces_then_a_sentence_save_the_sentence(db_path: Path) -> None:
    couple(db_path)
    sentence = "Sam sends Sue work at least 3 working days before it is due."
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await burst(pilot, *"Sue works best with room to think; " * 3)  # about 100 letters
        await burst(pilot, *["backspace"] * 110, *sentence, "enter")
        assert not isinstance(app.screen, LineEditor)
    assert wordings(db_path) == [sentence]


async def test_editing_keys_keep_their_place_in_a_one_line_field(db_path: Path) -> None:
    """The same in an `Input`: here the topic, with cursor moves and deletes mixed in."""
    couple(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await burst(pilot, *"Ask first", "tab", *"logisticz", "backspace", "home", "delete", "L")
        topic = app.screen.query_one("#topic", OrderedInput)
        assert topic.value == "Logistic"
        await burst(pilot, "end", *"s", "enter")
    (a,) = Store(db_path).alliances()
    (line,) = a.lines.values()
    assert (line.current.text, line.current.topic) == ("Ask first", "Logistics")


async def test_a_passphrase_typed_in_a_burst_with_a_backspace_is_the_one_meant(db_path: Path) -> None:
    store = Store(db_path)
    a = store.create(("Sarah", "Peter"), title="Guarded")
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *"Set passphrase")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FieldDialog)
        await burst(pilot, *"quiet wordx", "backspace", "enter")
        assert isinstance(app.screen, FieldDialog) and app.screen.label == "Again"
        await burst(pilot, *"quiet word", "enter")
        assert not isinstance(app.screen, FieldDialog)
    from alliance_tui.domain.passphrase import opens

    sealed = Store(db_path).load(a.id).partners[0].passphrase
    assert sealed is not None and opens(sealed, "quiet word")


# -- keys typed right after the key that opens a dialog (issue 15 item 7) ------------------


async def test_letters_typed_with_n_land_in_the_new_line(db_path: Path) -> None:
    couple(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, "n", *"Quiet mornings")
        assert isinstance(app.screen, LineEditor)
        assert app.screen.query_one("#wording", TextArea).text == "Quiet mornings"
        await burst(pilot, *" please", "enter")
    assert wordings(db_path) == ["Quiet mornings please"]


async def test_letters_that_reach_the_editor_before_its_field_has_focus_land_in_it(db_path: Path) -> None:
    """Just after it opens, nothing in the editor has the focus: the app hands keys to the
    editor itself. They go to the wording, in order, backspace included."""
    couple(db_path)
    app = AllianceApp(db_path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        editor = app.screen
        assert isinstance(editor, LineEditor)
        editor.set_focus(None)
        await burst(pilot, *"Quiet mornx", "backspace", *"ings")
        wording = editor.query_one("#wording", TextArea)
        assert wording.text == "Quiet mornings" and wording.has_focus
        await pilot.press("enter")
    assert wordings(db_path) == ["Quiet mornings"]


async def test_n_a_wording_and_enter_in_one_read_save_one_draft(db_path: Path) -> None:
    """The second `enter` saves no second copy: it is read by the main screen, where it
    opens the draft just written (`enter` edits one's own draft, SPEC §4)."""
    couple(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, "n", *"Quiet mornings", "enter", "enter")
        assert app.return_code is None
        assert isinstance(app.screen, LineEditor)
        assert str(app.screen.query_one("#heading").render()) == "Edit line 1"
    assert wordings(db_path) == ["Quiet mornings"]


async def test_n_then_escape_in_one_read_closes_the_editor(db_path: Path) -> None:
    couple(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, "n", "escape")
        assert not isinstance(app.screen, LineEditor)
    assert wordings(db_path) == []


async def test_delete_and_its_yes_in_one_read_delete_the_draft(db_path: Path) -> None:
    couple(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, "n", *"Gone soon", "enter")
        assert wordings(db_path) == ["Gone soon"]
        await burst(pilot, "delete", "y")
        assert not isinstance(app.screen, ConfirmDialog)
    assert wordings(db_path) == []


async def test_a_new_alliance_typed_in_one_read_with_ctrl_n(db_path: Path) -> None:
    couple(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, "ctrl+n", *"Ann", "tab", *"Bob", "enter")
        await settle(pilot)
    titles = sorted(tuple(a.names) for a in Store(db_path).alliances())
    assert titles == [("Ann", "Bob"), ("Sarah", "Peter")]


def test_the_app_itself_reads_keys_ahead() -> None:
    """The tests above run on the app as shipped, not on a test-only subclass."""
    assert issubclass(AllianceApp, TypeAhead)


# -- the same through a real terminal (issue 11 item 2) ------------------------------------


@pytest.mark.slow
def test_a_burst_of_backspaces_and_letters_through_a_real_terminal(tmp_path: Path) -> None:
    """110 backspaces over a typed sentence, then a new one, in ONE write to the pty: the
    file holds exactly the new sentence (it once saved "Sam Sue work at least 3 workis")."""
    path = tmp_path / "a.json"
    couple(path)
    first = ("Sue works best with room to think; " * 3).strip()  # 104 characters
    sentence = "Sam sends Sue work at least 3 working days before it is due."
    terminal = Terminal(["--db", str(path)], columns=120, rows=40)
    try:
        terminal.wait_for("Sarah is at the keyboard")
        terminal.press("n")
        terminal.wait_for("escape cancel")
        terminal.send(first.encode())
        terminal.wait_for(f"{len(first)} / 1,000")  # its counter: every letter arrived
        terminal.send(b"\x7f" * 110 + sentence.encode())
        terminal.wait_for(f"{len(sentence)} / 1,000")
        terminal.press("enter")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not wordings(path):
            time.sleep(0.05)
    finally:
        assert terminal.close() == 0
    assert wordings(path) == [sentence]


@pytest.mark.slow
def test_a_pane_key_and_an_action_in_one_write_act_on_that_pane(tmp_path: Path) -> None:
    """'2p' typed in one go proposes the draft selected in pane 2, not whatever was
    selected in the pane left (a fast '1a' once answered the wrong line)."""
    path = tmp_path / "a.json"
    store = Store(path)
    alliance_id = couple(path)
    waiting = store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Quiet mornings.", m)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, waiting, m))
    store.act(alliance_id, lambda a, m: rules.pass_keyboard(a, 0, m))
    mine = store.act(alliance_id, lambda a, m: rules.draft(a, 1, "Dishes the same evening.", m))
    mine_id = mine.outcome.lines[0].id
    terminal = Terminal(["--db", str(path)], columns=120, rows=40)
    try:
        # Peter's turn opens on Sarah's proposal, in her pane (what waits for him).
        terminal.wait_for("Peter is at the keyboard")
        terminal.send(b"2p")
        deadline = time.monotonic() + 20
        while (
            time.monotonic() < deadline
            and Store(path).load(alliance_id).lines[mine_id].state.value != "proposed"
        ):
            time.sleep(0.05)
    finally:
        assert terminal.close() == 0
    lines = Store(path).load(alliance_id).lines
    assert lines[mine_id].state.value == "proposed", "p acted on pane 2's selected line"
    assert lines[waiting].state.value == "proposed", "Sarah's proposal still waits"


@pytest.mark.slow
def test_letters_read_while_the_editor_opens_keep_their_order_in_a_real_terminal(tmp_path: Path) -> None:
    """`n` and a wording typed fast arrive in several reads: some letters are handed to
    the main screen before `n` has opened the editor, others while it is being mounted.
    All of them land in the wording, in the order typed (it saved "need ten minutesI",
    "eed ten minutes" or "ter work", issue 10)."""
    path = tmp_path / "a.json"
    couple(path)
    sentences = [f"I need {n} minutes alone after work, then we talk." for n in range(1, 7)]
    terminal = Terminal(["--db", str(path)], columns=80, rows=24)
    try:
        terminal.wait_for("Sarah is at the keyboard")
        for sentence in sentences:
            data = b"n" + sentence.encode() + b"\r"
            for start in range(0, len(data), 4):  # read by read, as a fast typist's keys come
                terminal.send(data[start : start + 4])
                time.sleep(0.002)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and len(wordings(path)) < sentences.index(sentence) + 1:
                time.sleep(0.05)
            time.sleep(0.3)
    finally:
        assert terminal.close() == 0
    assert wordings(path) == sentences


async def test_keys_typed_with_the_enter_that_opens_an_alliance_act_in_it(db_path: Path) -> None:
    """From the list, `enter` opens the highlighted alliance (the main screen is switched),
    and "n", a wording and `enter` typed with it write a draft there, whole (they were
    lost: the list's own `enter` acted through a message, after them)."""
    from alliance_tui.screens.alliance_list import AllianceListScreen

    store = Store(db_path)
    store.create(("Sarah", "Peter"), title="Living together", kind=Kind.COUPLE)
    other = store.create(("Maya", "Jon"), title="Studio", kind=Kind.BUSINESS).id
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, AllianceListScreen)
        app.screen.query_one("#alliance-list").select_id(other)  # type: ignore[attr-defined]
        await settle(pilot)
        await burst(pilot, "enter", "n", *"Replies within a day.", "enter", rounds=8)
        assert not isinstance(app.screen, (AllianceListScreen, LineEditor))
    texts = [line.current.text for line in Store(db_path).load(other).lines.values()]
    assert texts == ["Replies within a day."]


@pytest.mark.slow
def test_keys_typed_with_the_enter_that_opens_an_alliance_in_a_real_terminal(tmp_path: Path) -> None:
    """The same in a real terminal, read by read as a fast typist's keys come."""
    path = tmp_path / "a.json"
    store = Store(path)
    store.create(("Sarah", "Peter"), title="Living together", kind=Kind.COUPLE)
    other = store.create(("Maya", "Jon"), title="Studio", kind=Kind.BUSINESS).id
    sentence = "Replies within a day, or a word that says when."
    terminal = Terminal(["--db", str(path), "--alliance", "Living together"], columns=80, rows=24)
    try:
        terminal.wait_for("Sarah is at the keyboard")
        terminal.press("ctrl+o")
        terminal.wait_for("Studio")
        terminal.press("down")  # the list starts on the alliance shown: Studio is next
        data = b"\r" + b"n" + sentence.encode() + b"\r"
        for start in range(0, len(data), 4):
            terminal.send(data[start : start + 4])
            time.sleep(0.002)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not Store(path).load(other).lines:
            time.sleep(0.05)
        time.sleep(0.3)
    finally:
        assert terminal.close() == 0
    assert [line.current.text for line in Store(path).load(other).lines.values()] == [sentence]


# -- keys typed after the enter that closes a dialog (play-tested in tmux) -----------------


async def test_two_new_lines_typed_in_one_read_save_both(db_path: Path) -> None:
    """`n` "Burst A" `enter` `n` "Burst B" `enter` as one read: the keys after the first
    `enter` went into the editor it was closing, and "Burst B" was never written."""
    couple(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, "n", *"Burst A", "enter", "n", *"Burst B", "enter", rounds=8)
        assert wordings(db_path) == ["Burst A", "Burst B"]
        assert not isinstance(app.screen, LineEditor)


async def test_a_draft_proposed_and_passed_in_one_read(db_path: Path) -> None:
    """`n` a wording `enter` `p` `ctrl+t` `a`: written, proposed, passed, accepted."""
    alliance_id = couple(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, "n", *"Tea at four", "enter", "p", "ctrl+t", "a", rounds=10)
    (line,) = Store(db_path).load(alliance_id).lines.values()
    assert (line.current.text, line.state.value) == ("Tea at four", "agreed")


async def test_a_key_typed_after_escape_reaches_the_screen_below(db_path: Path) -> None:
    """`n` "gone" `escape` `escape` `n` "kept" `enter`: the second `n` opened nothing."""
    couple(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, "n", *"gone", "escape", "escape", "n", *"kept", "enter", rounds=10)
        assert wordings(db_path) == ["kept"]


@pytest.mark.slow
def test_a_whole_negotiation_typed_in_one_write_in_a_real_terminal(tmp_path: Path) -> None:
    """At one shared keyboard, in one write: Sarah writes a line and proposes it, passes
    the keyboard, Peter accepts, both sign (played in tmux: only the draft was written,
    every key after its `enter` went into the closing editor)."""
    path = tmp_path / "a.json"
    alliance_id = couple(path)
    terminal = Terminal(["--db", str(path)], columns=80, rows=24)
    try:
        terminal.wait_for("Sarah is at the keyboard")
        terminal.send(b"nFirst burst line\rp\x14asy\x14sy")  # \x14: ctrl+t; s then y signs
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and Store(path).load(alliance_id).version < 1:
            time.sleep(0.1)
        time.sleep(0.3)
    finally:
        assert terminal.close() == 0
    a = Store(path).load(alliance_id)
    assert [(line.current.text, line.state.value) for line in a.lines.values()] == [
        ("First burst line", "agreed")
    ]
    assert a.version == 1, "both signed"


async def test_letters_typed_with_ctrl_q_are_kept_with_the_rest(db_path: Path) -> None:
    """`e`, then " fast" and ctrl+q in one read: ctrl+q acted as it was read and the editor
    was kept without the letters still queued for it (play-tested)."""
    alliance_id = couple(db_path)
    line = Store(db_path).act(alliance_id, lambda a, m: rules.draft(a, 0, "Slow", m)).outcome.lines[0].id
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.select_line(line)  # type: ignore[attr-defined]
        await pilot.press("e")
        assert isinstance(app.screen, LineEditor)
        await burst(pilot, "end", *" fast", "ctrl+q")
    assert wordings(db_path) == ["Slow fast"]


async def test_escape_and_a_letter_read_as_alt_are_both_keys(db_path: Path) -> None:
    """A terminal reads escape and a letter typed within its escape delay as alt+letter:
    `n` escape `n` "tea" `enter` wrote the draft "ntea"; "abc" escape escape `n` "xyz"
    saved "abcnxyz" where "abc" was thrown away (play-tested)."""
    couple(db_path)
    app = app_for(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, "n", "alt+n", *"tea", "enter", rounds=8)
        assert wordings(db_path) == ["tea"]
        await burst(pilot, "n", *"abc", "escape", "alt+n", *"xyz", "enter", rounds=10)
        assert wordings(db_path) == ["tea", "xyz"]


@pytest.mark.slow
def test_escape_and_keys_after_it_in_one_write_in_a_real_terminal(tmp_path: Path) -> None:
    """The terminal's own reading of escape then `n` (alt+n), and " fast" typed with
    ctrl+q: both as a person typing fast sends them."""
    path = tmp_path / "a.json"
    alliance_id = couple(path)
    terminal = Terminal(["--db", str(path)], columns=80, rows=24)
    try:
        terminal.wait_for("Sarah is at the keyboard")
        terminal.send(b"nabc\x1b\x1bnxyz\r")  # "abc" thrown away by escape twice, then a new line
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not Store(path).load(alliance_id).lines:
            time.sleep(0.1)
        time.sleep(0.3)
        terminal.send(b"e")
        terminal.wait_for("Edit line 1")
        terminal.send(b"\x1b[F fast\x11")  # end, " fast", ctrl+q: in one write
    finally:
        assert terminal.close() == 0
    assert wordings(path) == ["xyz fast"]
