"""Two app processes on one file, acting at the same time, lose nothing (SPEC §6)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from alliance_tui.store import Store

HERE = Path(__file__).parent


@pytest.mark.slow
def test_two_apps_each_acting_200_times_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shared.json"
    Store(path).create(("Sarah", "Peter"), title="Shared")
    count = 200
    workers = [
        subprocess.Popen(
            [sys.executable, str(HERE / "two_apps_worker.py"), str(path), tag, str(count), str(2 * count)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("left", "right")
    ]
    shown = []
    for worker in workers:
        out, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err
        shown.append(json.loads(out.strip().splitlines()[-1])["rows"])

    store = Store(path)
    (a,) = store.alliances()
    expected = {f"{tag} {n}" for tag in ("left", "right") for n in range(count)}
    assert {line.current.text for line in a.lines.values()} == expected, "every action is in the file"
    assert len(a.lines) == 2 * count
    drafted = [e for e in store.history(a.id) if e.action.value == "drafted"]
    assert len(drafted) == 2 * count
    for rows in shown:  # and on both screens
        assert {row.split(maxsplit=2)[2] for row in rows} == expected


async def test_an_action_made_impossible_elsewhere_is_refused_clearly(tmp_path: Path) -> None:
    """Peter's screen still shows Sarah's proposal, but she withdrew it in another window;
    the typing in an open editor survives the other window's changes."""
    from textual.widgets import TextArea

    from alliance_tui.app import AllianceApp
    from alliance_tui.dialogs.line_editor import LineEditor
    from alliance_tui.domain import rules

    path = tmp_path / "shared.json"
    store = Store(path)
    a = store.create(("Sarah", "Peter"))
    line = store.act(a.id, lambda a, m: rules.draft(a, a.active, "Quiet mornings", m)).outcome.lines[0].id
    store.act(a.id, lambda a, m: rules.propose(a, a.active, line, m))
    store.act(a.id, lambda a, m: rules.pass_keyboard(a, a.active, m))
    app = AllianceApp(path, poll_seconds=None)  # a screen that has not looked again yet
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")
        other = Store(path)
        other.act(a.id, lambda a, m: rules.pass_keyboard(a, a.active, m))
        other.act(a.id, lambda a, m: rules.withdraw(a, a.active, line, m))
        other.act(a.id, lambda a, m: rules.pass_keyboard(a, a.active, m))
        await pilot.press("a")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert "This line is withdrawn: there is nothing to accept." in said
        assert Store(path).load(a.id).lines[line].state.value == "withdrawn"

        await pilot.press("n")
        app.screen.query_one("#wording", TextArea).insert("Half-typed while the other writes")
        other.act(a.id, lambda a, m: rules.draft(a, a.active, "Written in the other window", m))
        app.screen_stack[-2].poll()  # the main screen behind the editor looks again
        await pilot.pause()
        assert isinstance(app.screen, LineEditor)
        assert app.screen.query_one("#wording", TextArea).text == "Half-typed while the other writes"
