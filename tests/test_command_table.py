"""A walk through the command table: every line command, in every line state, for each
seat, by its key and from the palette (issue 10, "Must show").

Each press either does what the command says — checked in the saved file or in the
dialog it opens — or says the domain's own sentence for why not and changes nothing.
No key silently does nothing, `enter` included. What is expected is worked out from the
domain's guards and the file, never from the screen's own answer.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pyperclip
import pytest
from textual.widgets import TextArea

from alliance_tui.app import AllianceApp
from alliance_tui.commands import COMMANDS, Where
from alliance_tui.dialogs.confirm import ConfirmDialog
from alliance_tui.dialogs.line_editor import LineEditor
from alliance_tui.dialogs.reason import ReasonDialog
from alliance_tui.domain import Alliance, Line, State, alliance_rules, rules
from alliance_tui.screens.line_story import LineStoryScreen
from alliance_tui.screens.negotiation import NegotiationScreen
from alliance_tui.store import Store
from alliance_tui.widgets.history_pane import HistoryPane

from .conftest import FakeClock, choose_in_palette

ANN, BOB = 0, 1

#: The guard the domain answers with, for each line command of the table.
GUARDS: dict[str, Callable[..., None] | None] = {
    "edit": rules.may_edit,
    "propose": rules.may_propose,
    "accept": rules.may_accept,
    "amend": rules.may_amend,
    "decline": rules.may_decline,
    "withdraw": rules.may_withdraw,
    "delete_draft": rules.may_delete,
    "reopen": rules.may_reopen,
    "copy_line": None,
    "story": None,
    "filter_history": None,
    "flag": alliance_rules.may_flag,  # the coach's: refused to the partners, with a sentence
}


def _lines_in_every_state(path: Path) -> tuple[str, dict[str, int]]:
    """Ann and Bob, with a line in each state (and a re-design pending)."""
    store = Store(path, clock=FakeClock())
    alliance_id = store.create(("Ann", "Bob"), title="Studio").id

    def act(op: Callable[..., object]) -> Line:
        done = store.act(alliance_id, op)  # type: ignore[arg-type]
        return done.outcome.lines[0] if done.outcome.lines else None  # type: ignore[return-value]

    def drafted(by: int, text: str) -> int:
        return act(lambda a, m: rules.draft(a, by, text, m)).id

    lines = {
        "Ann's draft": drafted(ANN, "Ann drafts"),
        "Bob's draft": drafted(BOB, "Bob drafts"),
    }
    proposed = lines["proposed by Ann"] = drafted(ANN, "Ann proposes")
    act(lambda a, m: rules.propose(a, ANN, proposed, m))
    countered = lines["countered by Bob"] = drafted(ANN, "Ann offers")
    act(lambda a, m: rules.propose(a, ANN, countered, m))
    act(lambda a, m: rules.counter(a, BOB, countered, "Bob answers", m))
    agreed = lines["agreed"] = drafted(ANN, "Both agree")
    act(lambda a, m: rules.propose(a, ANN, agreed, m))
    act(lambda a, m: rules.accept(a, BOB, agreed, m))
    declined = lines["declined"] = drafted(ANN, "Bob says no")
    act(lambda a, m: rules.propose(a, ANN, declined, m))
    act(lambda a, m: rules.decline(a, BOB, declined, m, reason="Not yet."))
    withdrawn = lines["withdrawn"] = drafted(BOB, "Bob takes back")
    act(lambda a, m: rules.propose(a, BOB, withdrawn, m))
    act(lambda a, m: rules.withdraw(a, BOB, withdrawn, m))
    removal = lines["removal proposed"] = drafted(ANN, "Ann wants it out")
    act(lambda a, m: rules.propose(a, ANN, removal, m))
    act(lambda a, m: rules.accept(a, BOB, removal, m))
    act(lambda a, m: rules.reopen(a, ANN, removal, m, text=None))
    return alliance_id, lines


def _restore(path: Path, original: bytes) -> None:
    """Put the file back as it was (a new file, as another window's save would be)."""
    spare = path.with_name(".restore")
    spare.write_bytes(original)
    os.replace(spare, path)


def _load(path: Path, alliance_id: str) -> Alliance:
    return Store(path).load(alliance_id)


async def _check_effect(
    app: AllianceApp, pilot: object, action: str, path: Path, alliance_id: str, line: Line
) -> None:
    """The allowed command did what it says."""
    after = _load(path, alliance_id)
    screen = app.screen
    if action in ("edit", "amend", "reopen"):
        assert isinstance(screen, LineEditor), action
        screen.query_one("#wording", TextArea).insert(" (changed)")
        await pilot.press("enter")  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
        changed = _load(path, alliance_id).lines[line.id]
        assert changed.current.text.endswith("(changed)"), action
        expected = {"edit": State.DRAFT, "amend": State.COUNTERED, "reopen": State.PROPOSED}[action]
        assert changed.state is expected, action
    elif action == "decline":
        assert isinstance(screen, ReasonDialog)
        await pilot.press("enter")  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
        answered = _load(path, alliance_id).lines[line.id]
        assert answered.state is (State.AGREED if line.in_force is not None else State.DECLINED)
    elif action == "delete_draft":
        assert isinstance(screen, ConfirmDialog)
        await pilot.press("y")  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
        assert line.id not in _load(path, alliance_id).lines
    elif action == "propose":
        assert after.lines[line.id].state is State.PROPOSED
    elif action == "accept":
        removal = line.removal_by is not None
        assert after.lines[line.id].state is (State.REMOVED if removal else State.AGREED)
    elif action == "withdraw":
        if line.state is State.COUNTERED and line.earlier:  # only the counter is taken back
            expected = State.COUNTERED if len(line.earlier) > 1 else State.PROPOSED
        else:
            expected = State.AGREED if line.in_force is not None else State.WITHDRAWN
        assert after.lines[line.id].state is expected
    elif action == "copy_line":
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]
        assert app.last_copy is not None and app.last_copy[1] == line.current.text
    elif action == "story":
        assert isinstance(screen, LineStoryScreen)
    elif action == "filter_history":
        assert app.screen.query_one("#history", HistoryPane).line_filter == line.id
    else:  # pragma: no cover - a command the walk does not know
        raise AssertionError(f"no check for {action}")


@pytest.mark.parametrize("seat", ["Ann", "Bob"])
@pytest.mark.parametrize("way", ["key", "palette"])
async def test_every_line_command_in_every_state_for_each_seat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seat: str, way: str
) -> None:
    monkeypatch.setattr(pyperclip, "copy", lambda text: None)
    monkeypatch.setattr(pyperclip, "paste", lambda: "")
    path = tmp_path / "walk.json"
    alliance_id, lines = _lines_in_every_state(path)
    original = path.read_bytes()
    role = ANN if seat == "Ann" else BOB
    commands = [c for c in COMMANDS if c.where is Where.LINE]
    assert {c.action for c in commands} == set(GUARDS), "the walk knows every line command"
    app = AllianceApp(path, bound_to=seat, clock=FakeClock(), poll_seconds=None)
    tried = refused = 0
    async with app.run_test(size=(120, 40)) as pilot:
        for state, line_id in lines.items():
            for command in commands:
                _restore(path, original)
                screen = app.screen
                assert isinstance(screen, NegotiationScreen)
                screen.query_one("#history", HistoryPane).filter_to(None)  # `f` toggles
                screen.reload()
                a = _load(path, alliance_id)
                line = a.lines[line_id]
                if line.state is State.DRAFT and line.author != role:
                    continue  # another's private draft: not on this seat's screen at all
                _select(screen, line)
                await pilot.pause()
                assert screen.selected() is not None and screen.selected().id == line_id  # type: ignore[union-attr]
                guard = GUARDS[command.action]
                why = None if guard is None else rules.refusal(guard, a, role, line)
                app.clear_notifications()
                if way == "key":
                    await pilot.press(command.keys.split(",")[0])
                else:
                    await choose_in_palette(app, command.name)
                await pilot.pause()
                said = [n.message for n in app._notifications]
                tried += 1
                if why is not None:
                    refused += 1
                    assert said == [why], (state, command.action, said)
                    assert path.read_bytes() == original, (state, command.action, "changed nothing")
                    assert isinstance(app.screen, NegotiationScreen)
                else:
                    await _check_effect(app, pilot, command.action, path, alliance_id, line)
                while not isinstance(app.screen, NegotiationScreen):
                    await pilot.press("escape")
                    await pilot.pause()
    assert tried > 60 and 0 < refused < tried


def _select(screen: NegotiationScreen, line: Line) -> None:
    """Select a line where a person finds it: an agreed line in the agreement pane (3),
    any other in its author's pane."""
    from alliance_tui.widgets.line_ids import line_option_id

    if line.in_force is None:
        screen.select_line(line.id)
        return
    pane = screen.query_one("#agreement")
    pane.select_id(line_option_id(line.id))  # type: ignore[attr-defined]
    pane.focus()


@pytest.mark.parametrize("seat", ["Ann", "Bob"])
async def test_enter_on_every_line_edits_or_shows_its_story(tmp_path: Path, seat: str) -> None:
    """`enter` on a line: one's own rewritable line opens the editor, any other its story."""
    path = tmp_path / "walk.json"
    alliance_id, lines = _lines_in_every_state(path)
    role = ANN if seat == "Ann" else BOB
    app = AllianceApp(path, bound_to=seat, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        for line_id in lines.values():
            screen = app.screen
            assert isinstance(screen, NegotiationScreen)
            a = _load(path, alliance_id)
            line = a.lines[line_id]
            if line.state is State.DRAFT and line.author != role:
                continue
            _select(screen, line)
            await pilot.press("enter")
            await pilot.pause()
            editable = rules.refusal(rules.may_edit, a, role, line) is None
            assert isinstance(app.screen, LineEditor if editable else LineStoryScreen), (line.state, editable)
            await pilot.press("escape")
            await pilot.pause()


async def test_the_main_screens_own_commands_apply_or_say_why(tmp_path: Path) -> None:
    """n, s, c, v, and the two partner panes' keys, for a seat that may and may not."""
    path = tmp_path / "walk.json"
    alliance_id, _ = _lines_in_every_state(path)
    app = AllianceApp(path, bound_to="Ann", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert _load(path, alliance_id).signatures == set(), "what is signed is shown first"
        await pilot.press("enter")
        await pilot.pause()
        assert _load(path, alliance_id).signatures == {ANN}
        app.clear_notifications()
        await pilot.press("s")
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["Ann has already signed: it waits for Bob."]
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, LineEditor)
        await pilot.press("escape", "v")
        await pilot.pause()
        from alliance_tui.screens.versions import VersionsScreen

        assert isinstance(app.screen, VersionsScreen)
        await pilot.press("escape")
        await pilot.pause()
        for key, pane in (("1", "partner-a"), ("2", "partner-b"), ("3", "agreement"), ("4", "history")):
            await pilot.press(key)
            assert app.screen.focused is app.screen.query_one(f"#{pane}")
