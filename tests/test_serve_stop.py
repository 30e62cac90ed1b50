"""When the server stops, nothing typed in a tab's open line editor is lost without a word
(issue 12, SPEC §10), against the real server and the app processes it starts.

A tab is opened as textual.js opens it (its websocket), a wording is typed into a new
line's editor and never saved, and then the server is stopped (SIGTERM: it tells each
tab's app to quit) or killed (SIGKILL: no word reaches the apps; their input just ends).
Either way the wording is in the file as its writer's private draft, the tab's app
process is gone (no orphan left running on the file), and a tab's page says so
(`serve_web.ENDED`, checked in a real browser by `test_browser.py`). No browser is
needed here: the app process a browser tab runs is this same process, fed the same bytes.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import aiohttp
import pytest

from alliance_tui.domain import Action, Kind, State
from alliance_tui.serve_web import ENDED
from alliance_tui.store import Store

from .test_serve import _apps_on, _first_frame, path_of, read_invites, start_server

WORDING = "Words typed, never saved"

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/cmdline").exists(), reason="reads /proc to find the tabs' apps"
)


@pytest.mark.parametrize("stop_with", [signal.SIGTERM, signal.SIGKILL], ids=["stopped", "killed"])
def test_a_wording_in_an_open_editor_outlives_the_server(tmp_path: Path, stop_with: signal.Signals) -> None:
    db = tmp_path / "a.json"
    alliance_id = Store(db).create(("Ann", "Bob"), title="Stopping", kind=Kind.WORK).id
    process, out, _ = start_server(db, tmp_path)
    try:
        links = read_invites(out, process, 2)
        port = int(links["Bob"].split(":")[2].split("/")[0])

        async def scenario() -> list[int]:
            url = f"ws://127.0.0.1:{port}{path_of(links['Bob'])}/ws?width=100&height=30"
            async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
                assert await _first_frame(ws, []) > 2000
                for keys in ("n", WORDING):  # the editor opens; the wording is typed, not saved
                    await ws.send_json(["stdin", keys])
                    await asyncio.sleep(0.6)
                await asyncio.sleep(0.5)
                running = _apps_on(db)
                process.send_signal(stop_with)
                deadline = time.monotonic() + 15
                while True:  # the tab hears the end: its websocket closes
                    assert time.monotonic() < deadline, "the tab was never told"
                    message = await ws.receive(timeout=15)
                    if message.type != aiohttp.WSMsgType.BINARY:
                        break
                ended = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)
                assert message.type in ended, message
                return running

        running = asyncio.run(scenario())
        assert running, "the tab ran an app process of its own"
        process.wait(timeout=15)
        deadline = time.monotonic() + 15
        while _apps_on(db) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _apps_on(db) == [], "no app process runs on without its server"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
    store = Store(db)
    (line,) = store.load(alliance_id).lines.values()
    assert (line.author, line.state, line.current.text) == (1, State.DRAFT, WORDING)
    drafted = store.history(alliance_id)[-1]
    assert (drafted.action, drafted.actor) == (Action.DRAFTED, 1)
    assert "kept as their writer's private draft" in ENDED


def test_the_link_of_a_coach_removed_since_the_server_started_opens_nothing(tmp_path: Path) -> None:
    """Invite links are made at start (README): the removed coach's link ends at once."""
    from alliance_tui.domain.alliance_rules import set_coach

    db = tmp_path / "a.json"
    store = Store(db)
    alliance_id = store.create(("Ann", "Bob"), title="Coached", kind=Kind.WORK, coach="Dana").id
    process, out, _ = start_server(db, tmp_path)
    try:
        links = read_invites(out, process, 3)
        assert list(links) == ["Ann", "Bob", "Dana"]
        store.act(alliance_id, lambda a, m: set_coach(a, 0, None, m))
        port = int(links["Dana"].split(":")[2].split("/")[0])

        async def scenario() -> tuple[int, aiohttp.WSMsgType]:
            url = f"ws://127.0.0.1:{port}{path_of(links['Dana'])}/ws?width=100&height=30"
            async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
                received = 0
                while True:
                    message = await ws.receive(timeout=15)
                    if message.type == aiohttp.WSMsgType.BINARY:
                        received += len(message.data)
                    elif message.type != aiohttp.WSMsgType.TEXT:
                        return received, message.type

        received, ended = asyncio.run(scenario())
        assert ended in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        assert received < 2000, "no app was drawn for a seat that no longer exists"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
    assert Store(db).load(alliance_id).coach is None


def test_a_tab_whose_app_was_killed_is_told_the_session_ended(tmp_path: Path) -> None:
    """textual-serve closes a tab only when its app says "exit"; a killed app says nothing,
    and the tab must not sit on its last frame as if it still worked."""
    db = tmp_path / "a.json"
    Store(db).create(("Ann", "Bob"), title="Killed", kind=Kind.WORK)
    process, out, _ = start_server(db, tmp_path)
    try:
        links = read_invites(out, process, 2)
        port = int(links["Ann"].split(":")[2].split("/")[0])

        async def scenario() -> aiohttp.WSMsgType:
            url = f"ws://127.0.0.1:{port}{path_of(links['Ann'])}/ws?width=100&height=30"
            async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
                assert await _first_frame(ws, []) > 2000
                apps = _apps_on(db)
                assert apps
                for pid in apps:
                    os.kill(pid, signal.SIGKILL)
                while True:
                    message = await ws.receive(timeout=15)
                    if message.type not in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                        return message.type

        assert asyncio.run(scenario()) in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        assert process.poll() is None, "the server goes on serving the other links"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
