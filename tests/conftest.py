"""Shared fixtures: a fixed clock and a fresh database in a temporary folder."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from alliance_tui.store import Store

from .desk import Desk

# Before any fixture: servers and workers that module-wide fixtures start (`serve`, the
# terminals) inherit this, not the real user's settings. Each test then gets its own
# (`_settings_of_their_own`). Both start as someone who has taken the first-run tour.
_SESSION_SETTINGS = Path(tempfile.mkdtemp(prefix="alliance-tests-settings-")) / "settings.json"
_SESSION_SETTINGS.write_text('{"toured": true}', encoding="utf-8")
os.environ["ALLIANCE_TUI_CONFIG"] = str(_SESSION_SETTINGS)
# pytest-xdist's workers say COLUMNS=80 and LINES=24; the apps the tests start in a
# terminal or behind a browser take their size from there, as a person's would (Textual
# asks `shutil.get_terminal_size`, which reads these first).
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)


class FakeClock:
    """A clock that moves only when told to (one second per reading by default)."""

    def __init__(self, start: datetime = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "alliance.json"


@pytest.fixture
def store(db_path: Path, clock: FakeClock) -> Store:
    return Store(db_path, clock=clock)


@pytest.fixture
def desk() -> Desk:
    """A fresh table for the rules tests (tests/desk.py)."""
    return Desk()


async def choose_in_palette(app: object, name: str) -> None:
    """Run a command by its palette name, as the command palette runs it."""
    from collections.abc import Awaitable

    for command in app.get_system_commands(app.screen):  # type: ignore[attr-defined]
        if command.title == name:
            result = command.callback()
            if isinstance(result, Awaitable):
                await result
            return
    raise AssertionError(f"{name} is not in the palette")


@pytest.fixture(autouse=True)
def _settings_of_their_own(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's settings (theme, last alliance). Each starts
    as someone who has taken the first-run tour; the tour's own tests remove that."""
    folder = tmp_path_factory.mktemp("settings")
    (folder / "settings.json").write_text('{"toured": true}', encoding="utf-8")
    monkeypatch.setenv("ALLIANCE_TUI_CONFIG", str(folder / "settings.json"))


@pytest.fixture(autouse=True)
def _a_clipboard_of_their_own(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests in this process copy into a clipboard of their own: the system's is one for
    every test running at once (`pytest -n auto`), and one test's copy would be another's
    paste. Only the test marked `clipboard` reaches the real one (xclip under Xvfb)."""
    if request.node.get_closest_marker("clipboard") is not None:
        return
    monkeypatch.delenv("DISPLAY", raising=False)  # nor do the apps it starts
    import pyperclip

    held = [""]

    def copy(text: str) -> None:
        held[0] = text

    monkeypatch.setattr(pyperclip, "copy", copy)
    monkeypatch.setattr(pyperclip, "paste", lambda: held[0])
