"""The app as served to a browser (SPEC §7, §10): copy reaches the browser, never the
server's clipboard, and the agreement downloads; in a terminal, downloading says why not.

`is_web` is what Textual's web driver answers; here it is set by hand, as the served
process would see it, and `deliver_text` is recorded instead of sent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from alliance_tui.app import AllianceApp
from alliance_tui.commands import NOT_IN_BROWSER, by_name
from alliance_tui.domain import Kind
from alliance_tui.domain.export import to_markdown
from alliance_tui.screens.negotiation import NegotiationScreen
from alliance_tui.store import Store

from .conftest import FakeClock


def _couple(path: Path) -> str:
    return Store(path).create(("Sarah", "Peter"), title="Living / together: 2026", kind=Kind.COUPLE).id


def _app(path: Path) -> AllianceApp:
    return AllianceApp(path, clock=FakeClock(), poll_seconds=None, bound_to="Sarah")


@pytest.fixture
def in_browser(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The app believes it runs under textual-serve; what it delivers is recorded."""
    delivered: list[dict[str, Any]] = []

    def deliver_text(self: AllianceApp, file: Any, **options: Any) -> str:
        delivered.append({"text": file.read(), **options})
        return "key"

    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    monkeypatch.setattr(AllianceApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(AllianceApp, "deliver_text", deliver_text)
    return delivered


async def test_copy_in_a_browser_goes_to_the_browser_never_to_pyperclip(
    db_path: Path, in_browser: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyperclip

    def server_clipboard(text: str) -> None:
        raise AssertionError("pyperclip would copy onto the server's clipboard")

    monkeypatch.setattr(pyperclip, "copy", server_clipboard)
    _couple(db_path)
    app = _app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        a = Store(db_path).alliances()[0]
        assert app.last_copy == ("browser", to_markdown(a))
        assert app.clipboard == to_markdown(a)  # the OSC 52 sequence textual.js hands the browser
        assert any("this browser's clipboard" in n.message for n in app._notifications)


async def test_download_agreement_delivers_the_markdown_in_a_browser(
    db_path: Path, in_browser: list[dict[str, Any]]
) -> None:
    _couple(db_path)
    app = _app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, NegotiationScreen)
        command = by_name("Download agreement")
        assert app.screen.refusal(command.action) is None
        (run,) = [c.callback for c in app.get_system_commands(app.screen) if c.title == command.name]
        await run()
        await pilot.pause()
    a = Store(db_path).alliances()[0]
    (sent,) = in_browser
    assert sent["text"] == to_markdown(a)
    assert sent["save_filename"] == "Living-together-2026.md"  # a header-safe name, whatever the title
    assert sent["open_method"] == "download" and sent["mime_type"] == "text/markdown"


async def test_download_agreement_in_a_terminal_says_why_not(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    _couple(db_path)
    app = _app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        command = by_name("Download agreement")
        assert app.screen.refusal(command.action) == NOT_IN_BROWSER
        (run,) = [c.callback for c in app.get_system_commands(app.screen) if c.title == command.name]
        await run()
        await pilot.pause()
        assert any(n.message == NOT_IN_BROWSER for n in app._notifications)
