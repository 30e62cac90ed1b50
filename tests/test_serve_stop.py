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
    assert "kept as its writer's private draft" in ENDED
