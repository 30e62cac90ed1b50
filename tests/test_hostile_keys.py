"""Keys pressed by the hundred and an app that fails (issue 15 item 7)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alliance_tui.app import AllianceApp
from alliance_tui.store import Store

from .conftest import FakeClock


async def test_a_refused_key_pressed_again_and_again_says_it_once(db_path: Path) -> None:
    """2,000 refused presses once made 2,000 toasts (9.4 s of stalled UI, 70 MB)."""
    Store(db_path).create(("Ann", "Bob"), title="Studio")
    app = AllianceApp(db_path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*["s"] * 200)  # nothing agreed yet: signing is refused each time
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert said == ["Nothing is agreed yet: accept at least one line before signing."]
        assert len(app.screen.query("Toast")) <= 1
        app.clear_notifications()
        await pilot.press("s")
        await pilot.pause()
        assert len(list(app._notifications)) == 1, "once cleared, it is said again"


def test_an_app_that_fails_exits_non_zero(tmp_path: Path) -> None:
    """A crash must never look like success to a script or a forced SSH command."""
    path = tmp_path / "a.json"
    Store(path).create(("Ann", "Bob"), title="Studio")
    code = (
        "import sys\n"
        "from alliance_tui import cli\n"
        "from alliance_tui.screens.seat_actions import SeatActions\n"
        "def broken(self):\n"
        "    raise RuntimeError('a fault of ours')\n"
        "SeatActions.after_opening = broken\n"
        f"sys.exit(cli.main(['--db', {str(path)!r}]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={"TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver", "PATH": ""},
    )
    assert done.returncode != 0, done.stdout + done.stderr
