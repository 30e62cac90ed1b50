"""The disk fills, the folder turns read-only, the file vanishes or is replaced while the
app runs: a clear message, the typing kept in the editor, nothing half-written (SPEC §6)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from textual.widgets import TextArea

from alliance_tui.app import AllianceApp
from alliance_tui.dialogs.line_editor import LineEditor
from alliance_tui.domain import rules
from alliance_tui.screens.negotiation import NegotiationScreen
from alliance_tui.store import Store, durable
from alliance_tui.widgets.virtual_list import VirtualList

from .conftest import FakeClock

TYPED = "Whoever cooks does not wash up"


def _app(path: Path) -> AllianceApp:
    return AllianceApp(path, clock=FakeClock(), poll_seconds=None)


async def _write_a_line(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("n")
    pilot.app.screen.query_one("#wording", TextArea).insert(TYPED)
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize(
    ("problem", "said"),
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EROFS, "read-only"),
        (errno.EACCES, "permission denied"),
    ],
)
async def test_a_failed_save_keeps_the_typing_and_the_file(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, problem: int, said: str
) -> None:
    Store(db_path).create(("Sarah", "Peter"))
    before = db_path.read_bytes()
    app = _app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:

        def fail(*_: object, **__: object) -> None:
            raise OSError(problem, os.strerror(problem))

        monkeypatch.setattr(durable, "write_durably", fail)
        await _write_a_line(pilot)
        assert isinstance(app.screen, LineEditor), "the editor stays open"
        assert app.screen.query_one("#wording", TextArea).text == TYPED, "nothing typed is lost"
        error = str(app.screen.query_one("#error").render())
        assert "Not saved" in error and said in error and str(db_path) in error
        monkeypatch.undo()
        await pilot.press("enter")  # the disk has room again: the same words are saved
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
    assert db_path.read_bytes() != before
    (a,) = Store(db_path).alliances()
    assert [line.current.text for line in a.lines.values()] == [TYPED]
    assert not list(db_path.parent.glob(".alliance.json.tmp-*")), "nothing half-written"


async def test_the_file_deleted_while_the_app_runs(db_path: Path) -> None:
    Store(db_path).create(("Sarah", "Peter"))
    app = _app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        db_path.unlink()
        await _write_a_line(pilot)
        assert isinstance(app.screen, LineEditor)
        assert app.screen.query_one("#wording", TextArea).text == TYPED
        assert "deleted or moved away" in str(app.screen.query_one("#error").render())
        assert app.is_running
    assert not db_path.exists(), "a vanished file is not silently made anew"


async def test_the_file_replaced_while_the_app_runs_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    store = Store(path)
    a = store.create(("Sarah", "Peter"))
    app = AllianceApp(path, clock=FakeClock(), poll_seconds=0.1)
    async with app.run_test(size=(120, 40)) as pilot:
        # Another program (a sync tool, an editor) writes a new file and moves it over.
        other = tmp_path / "other.json"
        other.write_bytes(path.read_bytes())
        elsewhere = Store(other)
        elsewhere.act(a.id, lambda a, m: rules.draft(a, a.active, "Written by the sync tool", m))
        os.replace(other, path)
        await pilot.pause(0.5)
        pane = app.screen.query_one("#partner-a", VirtualList)
        assert any("sync tool" in pane.row_plain(i) for i in range(pane.row_count))
        await _write_a_line(pilot)  # and the app writes on top of it, losing nothing
    (saved,) = Store(path).alliances()
    assert {line.current.text for line in saved.lines.values()} == {"Written by the sync tool", TYPED}
