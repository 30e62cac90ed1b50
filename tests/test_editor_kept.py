"""Nothing typed in an open line editor is lost without a word (issue 12, SPEC §10).

When the app leaves under a person's hands — textual-serve asks it to quit because the
server stopped or the tab closed, or the server died and the tab's input ended — the
wording in an open line editor becomes its writer's private draft, and the app says so
as its last words. Here the app is driven with Pilot and made to leave as the web
driver makes it (`App.exit`); `tests/test_serve.py` does it through a real server.
"""

from __future__ import annotations

from pathlib import Path

from alliance_tui.app import AllianceApp
from alliance_tui.dialogs.line_editor import LineEditor
from alliance_tui.domain import Action, State, rules
from alliance_tui.store import Store
from alliance_tui.widgets.history_pane import HistoryPane

from .conftest import FakeClock


def _alliance(path: Path) -> str:
    return Store(path, clock=FakeClock()).create(("Sarah", "Peter"), title="Mornings").id


async def test_a_new_line_typed_but_not_saved_is_kept_as_a_private_draft(db_path: Path) -> None:
    alliance_id = _alliance(db_path)
    app = AllianceApp(db_path, bound_to="Peter", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", *"Ask before", "tab", *"logistics")
        await pilot.pause()
        assert isinstance(app.screen, LineEditor)
        app.exit()  # as the web driver does when textual-serve says "quit"
        await pilot.pause()
    (line,) = Store(db_path).load(alliance_id).lines.values()
    assert (line.author, line.state, line.current.text, line.current.topic) == (
        1,
        State.DRAFT,
        "Ask before",
        "logistics",
    )
    assert app.window.kept == [
        f"What Peter typed in the open line editor (a new line) is kept as their private draft "
        f"(line {line.id}) in “Mornings”."
    ]
    drafted = Store(db_path).history(alliance_id)[-1]
    assert (drafted.action, drafted.actor, drafted.private) == (Action.DRAFTED, 1, True)
    assert drafted.reason == "kept when the app closed on a new line"


async def test_an_amendment_left_open_is_kept_as_a_draft_and_answers_nothing(db_path: Path) -> None:
    alliance_id = _alliance(db_path)
    store = Store(db_path, clock=FakeClock())
    line = store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Quiet mornings", m)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, line, m))
    app = AllianceApp(db_path, bound_to="Peter", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.select_line(line)  # type: ignore[attr-defined]
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, LineEditor)
        await pilot.press("end", *" after nine")
        await pilot.pause()
        app.exit()
        await pilot.pause()
    a = Store(db_path).load(alliance_id)
    assert a.lines[line].state is State.PROPOSED, "the proposal still waits for Peter's answer"
    kept = [other for other in a.lines.values() if other.id != line]
    assert [(k.author, k.state, k.current.text) for k in kept] == [
        (1, State.DRAFT, "Quiet mornings after nine")
    ]
    # A new draft, not linked to the line: its writer is told where it came from, in the
    # timeline and as their seat opens next (a served tab's last words reach only the host).
    (draft,) = kept
    said = (
        f"When the app last closed with your editor open (an amendment of line {line}), it kept the "
        f"words as your private draft, line {draft.id}, selected here: p proposes it as a line of its "
        f"own, or m on line {line} starts from it."
    )
    app = AllianceApp(db_path, bound_to="Peter", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        assert said in [n.message for n in app._notifications]
        assert app.screen.selected().id == draft.id, "e and p act on it, as said"  # type: ignore[attr-defined]
        history = app.screen.query_one("#history", HistoryPane)
        newest = history.row_plain(history.row_count - 1)
        assert newest.endswith(
            f"Peter drafted line {draft.id}: Quiet mornings after nine  "
            f"(kept when the app closed on an amendment of line {line})"
        ), newest
    app = AllianceApp(db_path, bound_to="Peter", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        assert not any("kept the words" in n.message for n in app._notifications), (
            "told once, not at every start"
        )
        # `m` on the line again starts from the kept words; once offered, the copy goes.
        app.screen.select_line(line)  # type: ignore[attr-defined]
        await pilot.press("m")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, LineEditor)
        assert editor.query_one("#wording").text == "Quiet mornings after nine"  # type: ignore[attr-defined]
        assert f"kept when the app closed (your draft, line {draft.id})" in str(
            editor.query_one("#context").render()
        )
        await pilot.press("enter")
        await pilot.pause()
    a = Store(db_path).load(alliance_id)
    assert draft.id not in a.lines, "the copy kept aside went"
    assert (a.lines[line].state, a.lines[line].current.text) == (State.COUNTERED, "Quiet mornings after nine")
    app = AllianceApp(db_path, bound_to="Sarah", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        assert not any("kept the words" in n.message for n in app._notifications), "Peter's, not hers"
        history = app.screen.query_one("#history", HistoryPane)
        rows = [history.row_plain(i) for i in range(history.row_count)]
        assert not any("kept when" in row for row in rows), rows  # why Peter drafted it is his


async def test_an_edit_of_one_s_own_draft_left_open_is_saved_to_that_draft(db_path: Path) -> None:
    """Not a second copy beside the first: the draft is its writer's alone, so the edit
    decides nothing for anyone else. Its sign is kept with it (it was dropped)."""
    alliance_id = _alliance(db_path)
    store = Store(db_path, clock=FakeClock())
    line = store.act(alliance_id, lambda a, m: rules.draft(a, 1, "Quiet mornings", m)).outcome.lines[0].id
    app = AllianceApp(db_path, bound_to="Peter", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.select_line(line)  # type: ignore[attr-defined]
        await pilot.press("e", "end", *" until nine", "tab", "tab", "tab", *"we both sleep better")
        await pilot.pause()
        assert isinstance(app.screen, LineEditor)
        assert app.screen.query_one("#sign").value == "we both sleep better"  # type: ignore[attr-defined]
        app.exit()
        await pilot.pause()
    a = Store(db_path).load(alliance_id)
    assert list(a.lines) == [line], "no second draft"
    assert (a.lines[line].state, a.lines[line].current.text, a.lines[line].current.sign) == (
        State.DRAFT,
        "Quiet mornings until nine",
        "we both sleep better",
    )
    edited = Store(db_path).history(alliance_id)[-1]
    assert (edited.action, edited.reason) == (
        Action.EDITED,
        f"kept when the app closed on an edit of line {line}",
    )
    assert app.window.kept == [
        f"What Peter typed in the open line editor (an edit of line {line}) is kept as their private "
        f"draft (line {line}) in “Mornings”."
    ]


async def test_an_editor_closed_by_enter_or_escape_or_left_untouched_keeps_nothing(db_path: Path) -> None:
    alliance_id = _alliance(db_path)
    app = AllianceApp(db_path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", *"Thrown away", "escape", "escape")
        await pilot.press("n", *"Saved", "enter")
        await pilot.press("n")  # open, nothing typed
        await pilot.pause()
        assert isinstance(app.screen, LineEditor)
        app.exit()
        await pilot.pause()
    texts = [line.current.text for line in Store(db_path).load(alliance_id).lines.values()]
    assert texts == ["Saved"]
    assert app.window.kept == []


def test_the_command_line_says_what_was_kept_as_its_last_words(capsys: object) -> None:
    from types import SimpleNamespace

    from alliance_tui.cli import _say_kept

    _say_kept(SimpleNamespace(window=SimpleNamespace(kept=["What Peter typed … is kept."])))
    _say_kept(SimpleNamespace())  # an app that never opened a window: nothing to say
    assert capsys.readouterr().err == "alliance-tui: What Peter typed … is kept.\n"  # type: ignore[attr-defined]


def test_the_last_words_never_drive_the_terminal(capsys: object) -> None:
    """A name or a title holding an escape sequence is said with it made visible (SPEC §8)."""
    from types import SimpleNamespace

    from alliance_tui.cli import _say_kept

    hostile = "What \x1b]0;owned\x07Pe\x1b[31mter typed is kept."
    _say_kept(SimpleNamespace(window=SimpleNamespace(kept=[hostile])))
    said = capsys.readouterr().err  # type: ignore[attr-defined]
    assert "\x1b" not in said and "\x07" not in said
    assert said == "alliance-tui: What ␛]0;owned␇Pe␛[31mter typed is kept.\n"


def test_ctrl_q_in_a_real_terminal_keeps_the_editor_and_says_so(tmp_path: Path) -> None:
    """In a terminal, leaving with ctrl+q while a line is half written keeps it, and the
    terminal's last line says where it went."""
    from .terminal import Terminal

    db = tmp_path / "alliance.json"
    alliance_id = _alliance(db)
    terminal = Terminal(["--db", str(db), "--as", "Sarah"], columns=120, rows=40)
    try:
        terminal.wait_for("Sarah · this window")
        terminal.press("n", "Half a thought")
        terminal.wait_for("Half a thought")
    finally:
        assert terminal.close() == 0
    (line,) = Store(db).load(alliance_id).lines.values()
    assert (line.author, line.state, line.current.text) == (0, State.DRAFT, "Half a thought")
    said = bytes(terminal.raw).decode("utf-8", "replace")  # written after the app's own screen
    kept = (
        "alliance-tui: What Sarah typed in the open line editor (a new line) is kept as their private draft"
    )
    # Wrapped between words at the terminal's width (it broke mid-word at 80 columns).
    last = said[said.rindex("alliance-tui: What") :]
    assert all(len(row) < 120 for row in last.replace("\r", "").splitlines()), last
    assert f"{kept} (line {line.id})" in " ".join(last.split()), said[-500:]


def test_why_a_draft_was_kept_is_as_private_as_its_words(db_path: Path) -> None:
    from alliance_tui.domain.views import seen_event

    alliance_id = _alliance(db_path)
    store = Store(db_path, clock=FakeClock())
    store.act(alliance_id, lambda a, m: rules.draft(a, 1, "Mine", m, kept="an amendment of line 1"))
    (event,) = [e for e in store.history(alliance_id) if e.action is Action.DRAFTED]
    assert (event.text, event.reason) == ("Mine", "kept when the app closed on an amendment of line 1")
    for viewer in (0, None):
        assert (seen_event(event, viewer).text, seen_event(event, viewer).reason) == (None, None)
    assert seen_event(event, 1) == event
