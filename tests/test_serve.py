"""`alliance-tui serve` against the real server (SPEC §10, issue 12 "Security tests").

One server runs for the module, in a subprocess on a free loopback port; its invite
lines are read from its stdout. Every loop is bounded; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import aiohttp
import pytest

from alliance_tui.cli import main
from alliance_tui.domain import Kind
from alliance_tui.serve import app_command, is_loopback, port_number
from alliance_tui.serve_web import ENDED, REFUSAL, check_internals
from alliance_tui.store import Store

TITLE = "Studio & <Sons>"
START_SECONDS = 20.0


class Served(NamedTuple):
    process: subprocess.Popen[bytes]
    port: int
    links: dict[str, str]
    db: Path
    alliance_id: str


def read_invites(out: Path, process: subprocess.Popen[bytes], count: int) -> dict[str, str]:
    """The `NAME: URL` lines the server printed, once it printed `count` of them."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        lines = [line for line in out.read_text(encoding="utf-8").splitlines() if ": http://" in line]
        if len(lines) >= count:
            return dict(line.split(": ", 1) for line in lines[:count])
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError(f"the server printed no invites: {out.read_text(encoding='utf-8')!r}")


def stop(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
        raise AssertionError("the server did not stop on SIGTERM within 15 s") from None


def start_server(db: Path, folder: Path, *extra: str) -> tuple[subprocess.Popen[bytes], Path, Path]:
    out, err = folder / "serve.out", folder / "serve.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "alliance_tui", "serve", "--db", str(db), "--port", "0", *extra],
            stdout=stdout,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
        )
    return process, out, err


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("serve")
    db = folder / "secret-folder" / "alliance.json"
    db.parent.mkdir()
    alliance_id = Store(db).create(("Sarah", "Peter"), title=TITLE, kind=Kind.BUSINESS).id
    process, out, _ = start_server(db, folder)
    try:
        links = read_invites(out, process, 2)
        port = int(links["Sarah"].split(":")[2].split("/")[0])
        yield Served(process, port, links, db, alliance_id)
    finally:
        if process.poll() is None:
            stop(process)


def get(port: int, path: str) -> tuple[int, str, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read().decode()
    finally:
        connection.close()


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def assert_refused(answer: tuple[int, str, str]) -> None:
    status, kind, body = answer
    assert status == 403
    assert kind.startswith("text/plain")
    assert body == REFUSAL and body.count("\n") == 1


# -- the links ------------------------------------------------------------------------------


def test_one_invite_line_per_seat_each_with_its_own_long_token(served: Served) -> None:
    assert list(served.links) == ["Sarah", "Peter"]
    tokens = [link.rsplit("/", 1)[1] for link in served.links.values()]
    assert len(set(tokens)) == 2
    for link, token in zip(served.links.values(), tokens, strict=True):
        assert link.startswith(f"http://127.0.0.1:{served.port}/s/")
        assert len(token) >= 22  # token_urlsafe: at least 128 random bits


def test_the_right_link_serves_the_page_titled_by_the_alliance_never_the_path(served: Served) -> None:
    status, kind, page = get(served.port, path_of(served.links["Sarah"]))
    assert status == 200 and kind.startswith("text/html")
    assert "<title>alliance-tui — Studio &amp; &lt;Sons&gt;</title>" in page
    for leak in (str(served.db), "secret-folder", sys.executable, "alliance_tui", "--as"):
        assert leak not in page
    assert "fonts.googleapis.com" not in page  # nothing fetched from elsewhere
    assert ENDED in page  # what the tab says when its session ends


def test_behind_a_tls_proxy_the_page_opens_its_websocket_over_tls(served: Served) -> None:
    """Caddy passes the host name and `X-Forwarded-Proto: https` (README, "Join from anywhere")."""
    path = path_of(served.links["Peter"])
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    try:
        connection.request(
            "GET", path, headers={"Host": "alliance.example.org", "X-Forwarded-Proto": "https"}
        )
        page = connection.getresponse().read().decode()
    finally:
        connection.close()
    assert f'data-session-websocket-url="wss://alliance.example.org{path}/ws"' in page


# -- refusals -------------------------------------------------------------------------------


def test_no_token_is_refused_plainly(served: Served) -> None:
    for path in ("/", "/s/", "/ws", "/index.html", "/download/", "/s"):
        assert_refused(get(served.port, path))


def test_a_wrong_token_is_refused(served: Served) -> None:
    sarah = path_of(served.links["Sarah"])
    assert_refused(get(served.port, "/s/" + secrets.token_urlsafe(32)))
    assert_refused(get(served.port, sarah[:-1] + ("A" if sarah[-1] != "A" else "B")))  # one character off
    assert_refused(get(served.port, sarah + "x"))
    assert_refused(get(served.port, sarah[: len("/s/") + 10]))  # a prefix
    assert_refused(get(served.port, "/s/%C3%A9" + sarah[len("/s/") + 1 :]))  # not even ASCII


def test_two_hundred_wrong_tokens_in_a_row_change_nothing(served: Served) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    try:
        for _ in range(200):
            connection.request("GET", "/s/" + secrets.token_urlsafe(32))
            response = connection.getresponse()
            assert (response.status, response.read().decode()) == (403, REFUSAL)
    finally:
        connection.close()
    assert get(served.port, path_of(served.links["Peter"]))[0] == 200
    assert get(served.port, path_of(served.links["Sarah"]))[0] == 200


def test_the_static_files_are_served_without_a_token_but_not_listed(served: Served) -> None:
    status, kind, script = get(served.port, "/static/js/textual.js")
    assert status == 200 and "javascript" in kind and len(script) > 100_000
    assert get(served.port, "/static/css/xterm.css")[0] == 200
    assert get(served.port, "/static/")[0] in (403, 404)
    assert get(served.port, "/static/js/")[0] in (403, 404)


def test_a_guessed_download_key_is_refused(served: Served) -> None:
    key = secrets.token_hex(16)
    assert_refused(get(served.port, f"/download/{key}"))
    assert_refused(get(served.port, f"/download/{key}?instance={secrets.token_urlsafe(16)}"))


def test_a_websocket_without_a_valid_token_is_refused(served: Served) -> None:
    async def attempt(path: str) -> int:
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(f"http://127.0.0.1:{served.port}{path}"):
                    return 101
            except aiohttp.WSServerHandshakeError as error:
                return error.status

    for path in ("/ws", f"/s/{secrets.token_urlsafe(32)}/ws", "/s//ws", "/ws?width=80&height=24"):
        assert asyncio.run(attempt(path)) == 403, path


# -- acting ---------------------------------------------------------------------------------


async def _drive(port: int, link: str, keys: list[str], seconds: float = START_SECONDS) -> int:
    """Open a tab's websocket as textual.js does, wait for the app, then type `keys`."""
    received = 0
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"ws://127.0.0.1:{port}{path_of(link)}/ws?width=120&height=40") as ws,
    ):
        deadline = time.monotonic() + seconds
        last = None
        # The first frame, then a quiet moment: the app is mounted and reads keys.
        while time.monotonic() < deadline:
            try:
                message = await ws.receive(timeout=0.7)
            except TimeoutError:
                if last is not None and received > 2000:
                    break
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                received += len(message.data)
                last = time.monotonic()
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                break
        for key in keys:
            await ws.send_json(["stdin", key])
            await asyncio.sleep(0.3)
        await asyncio.sleep(1.0)
    return received


def exported(db: Path) -> dict[str, object]:
    run = subprocess.run(
        [sys.executable, "-m", "alliance_tui", "export", "--format", "json", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    answer: dict[str, object] = json.loads(run.stdout)
    return answer


def wait_for_history(db: Path, action: str, count: int) -> list[dict[str, str]]:
    deadline = time.monotonic() + START_SECONDS
    events: list[dict[str, str]] = []
    while time.monotonic() < deadline:
        history = exported(db)["history"]
        assert isinstance(history, list)
        events = [e for e in history if e["action"] == action]
        if len(events) >= count:
            return events
        time.sleep(0.3)
    raise AssertionError(f"no {count} {action!r} events in time: {events}")


def test_each_link_acts_as_the_seat_it_names_and_nobody_else(served: Served) -> None:
    """Keys typed through Sarah's websocket draft as Sarah; through Peter's, as Peter."""
    received = asyncio.run(_drive(served.port, served.links["Sarah"], ["n", "Sarah writes this", "\r"]))
    assert received > 2000  # the app drew its screen into the tab
    (sarah,) = wait_for_history(served.db, "drafted", 1)
    assert sarah["actor"] == "Sarah"
    asyncio.run(_drive(served.port, served.links["Peter"], ["n", "Peter writes this", "\r"]))
    events = wait_for_history(served.db, "drafted", 2)
    assert [e["actor"] for e in events] == ["Sarah", "Peter"]


def test_the_command_for_a_seat_names_that_seat_and_quotes_it(tmp_path: Path) -> None:
    command = app_command(tmp_path / "a b.json", "abc123", "-Sam; rm -rf ~")
    assert command.endswith("'--as=-Sam; rm -rf ~'")
    assert "'--db=" in command and "--alliance=abc123" in command


# -- what the command line refuses -----------------------------------------------------------


def test_command_line_mistakes_are_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "two.json"
    store = Store(db)
    store.create(("Ann", "Bob"), title="Twins", kind=Kind.WORK)
    store.create(("Cy", "Di"), title="Twins", kind=Kind.WORK)
    for argv, said in (
        (["serve", "--db", str(db), "Nobody"], "No alliance"),
        (["serve", "--db", str(db), "Twins"], "2 alliances are titled"),
        (["serve", "--db", str(db)], "There are 2 alliances"),
        (["serve", "--db", str(db), "--port", "70000"], "not a port"),
        (["serve", "--db", str(db), "--port", "http"], "not a port"),
        (["serve", "--db", str(tmp_path / "none.json")], ""),
    ):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and said in err and "Traceback" not in err, (argv, err)


def test_a_port_in_use_is_one_line_and_exit_2(tmp_path: Path) -> None:
    db = tmp_path / "a.json"
    Store(db).create(("Ann", "Bob"), title="Busy", kind=Kind.WORK)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(
            [sys.executable, "-m", "alliance_tui", "serve", "--db", str(db), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and f"cannot listen on 127.0.0.1:{port}" in run.stderr


def test_only_loopback_addresses_count_as_private() -> None:
    for host in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "example.org", "localhost.example.org"):
        assert not is_loopback(host), host
    assert port_number("0") == 0 and port_number("65535") == 65535


def test_a_host_beyond_loopback_warns_about_encryption(tmp_path: Path) -> None:
    """Listening on a non-loopback name would leave the machine: only the message is checked."""
    from alliance_tui.serve import unencrypted_warning

    warning = unencrypted_warning("0.0.0.0", 8000)
    assert "without encryption" in warning and "ssh -L 8000:127.0.0.1:8000" in warning
    assert "TLS proxy" in warning and "\n" not in warning


# -- textual-serve itself --------------------------------------------------------------------


def test_textual_serve_is_the_version_serve_web_was_written_for() -> None:
    """An upgrade of textual-serve that moves any internal serve_web.py uses fails here, by name."""
    check_internals()


def test_the_server_stops_on_sigterm_and_says_nothing_on_stdout_but_the_links(tmp_path: Path) -> None:
    db = tmp_path / "a.json"
    Store(db).create(("Ann", "Bob"), title="Short", kind=Kind.WORK)
    process, out, err = start_server(db, tmp_path)
    links = read_invites(out, process, 2)
    assert list(links) == ["Ann", "Bob"]
    assert stop(process) == 0
    assert out.read_text(encoding="utf-8").count("\n") == 2
    assert "Each link acts as the person it names" in err.read_text(encoding="utf-8")


# -- downloads and stopping, through textual-serve's own protocol ----------------------------


async def _first_frame(ws: aiohttp.ClientWebSocketResponse, texts: list[object]) -> int:
    """Read until the app drew its first frame and went quiet; keep the text messages."""
    received, deadline = 0, time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            message = await ws.receive(timeout=0.7)
        except TimeoutError:
            if received > 2000:
                break
            continue
        if message.type == aiohttp.WSMsgType.BINARY:
            received += len(message.data)
        elif message.type == aiohttp.WSMsgType.TEXT:
            texts.append(json.loads(message.data))
        else:
            break
    return received


async def _await_text(ws: aiohttp.ClientWebSocketResponse, kind: str, texts: list[object]) -> object:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        for text in texts:
            if isinstance(text, list) and text[0] == kind:
                return text[1]
        try:
            message = await ws.receive(timeout=0.5)
        except TimeoutError:
            continue
        if message.type == aiohttp.WSMsgType.TEXT:
            texts.append(json.loads(message.data))
        elif message.type != aiohttp.WSMsgType.BINARY:
            break
    raise AssertionError(f"no {kind!r} message came: {texts}")


def test_download_agreement_reaches_only_the_tab_that_asked(served: Served) -> None:
    """The palette's Download agreement in Sarah's tab: the key works with her tab's secret only."""

    async def scenario() -> None:
        url = f"ws://127.0.0.1:{served.port}{path_of(served.links['Sarah'])}/ws?width=120&height=40"
        peter_url = f"ws://127.0.0.1:{served.port}{path_of(served.links['Peter'])}/ws?width=120&height=40"
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(url) as ws,
            session.ws_connect(peter_url) as peter,
        ):
            texts: list[object] = []
            peter_texts: list[object] = []
            assert await _first_frame(ws, texts) > 2000
            await _first_frame(peter, peter_texts)
            instance = await _await_text(ws, "instance_id", texts)
            peters = await _await_text(peter, "instance_id", peter_texts)
            assert isinstance(instance, str) and isinstance(peters, str) and instance != peters
            for keys in ("\x10", "Download agreement"):  # ctrl+p, then the command's name
                await ws.send_json(["stdin", keys])
                await asyncio.sleep(0.6)
            await ws.send_json(["stdin", "\r"])
            key = await _await_text(ws, "deliver_file_start", texts)
            assert isinstance(key, str)
            base = f"http://127.0.0.1:{served.port}/download/{key}"
            for wrong in ("", "?instance=", f"?instance={peters}", f"?instance={instance}x"):
                async with session.get(base + wrong) as response:
                    assert (response.status, await response.text()) == (403, REFUSAL), wrong
            async with session.get(f"{base}?instance={instance}") as response:
                assert response.status == 200
                assert "attachment" in response.headers["Content-Disposition"]
                body = await response.text()
        assert body.startswith("# ") and "Studio" in body and "Sons" in body

    asyncio.run(scenario())


def _apps_on(db: Path) -> list[int]:
    """The processes whose command line names this database (the tabs' apps)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if f"--db={db}".encode() in cmdline and b"--as=" in cmdline:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc to find the tabs' apps")
def test_stopping_the_server_closes_every_tab_and_ends_its_app(tmp_path: Path) -> None:
    db = tmp_path / "stopping.json"
    Store(db).create(("Ann", "Bob"), title="Stopping", kind=Kind.WORK)
    process, out, _ = start_server(db, tmp_path)
    links = read_invites(out, process, 2)
    port = int(links["Ann"].split(":")[2].split("/")[0])

    async def scenario() -> tuple[aiohttp.WSMsgType, int | None, list[int]]:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(f"ws://127.0.0.1:{port}{path_of(links['Ann'])}/ws?width=100&height=30") as ws,
        ):
            await _first_frame(ws, [])
            running = _apps_on(db)
            process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                message = await ws.receive(timeout=15)
                if message.type != aiohttp.WSMsgType.BINARY:
                    return message.type, ws.close_code, running
        raise AssertionError("the tab was never told the server stopped")

    kind, code, running = asyncio.run(scenario())
    assert running, "a tab runs its own app process"
    assert kind in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED) and code == 1001  # going away
    assert process.wait(timeout=15) == 0
    deadline = time.monotonic() + 10
    while _apps_on(db) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _apps_on(db) == []


def test_a_seat_with_a_passphrase_asks_for_it_in_the_browser_before_anything(tmp_path: Path) -> None:
    """Keys typed into Bob's tab go to his passphrase first: nothing is done as Bob before it."""
    from alliance_tui.domain import alliance_rules

    db = tmp_path / "guarded.json"
    store = Store(db)
    alliance_id = store.create(("Ann", "Bob"), title="Guarded", kind=Kind.WORK).id
    store.act(alliance_id, lambda a, m: alliance_rules.set_passphrase(a, 1, "bobs secret", m))
    process, out, _ = start_server(db, tmp_path)
    try:
        links = read_invites(out, process, 2)
        port = int(links["Bob"].split(":")[2].split("/")[0])

        async def scenario() -> None:
            url = f"ws://127.0.0.1:{port}{path_of(links['Bob'])}/ws?width=120&height=40"
            async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
                assert await _first_frame(ws, []) > 2000
                for keys in ("n", "Not yet", "\r"):  # lands in the passphrase field: refused
                    await ws.send_json(["stdin", keys])
                    await asyncio.sleep(0.4)
                await asyncio.sleep(2.5)  # a wrong passphrase waits before the next try
                for keys in ("\x15", "bobs secret", "\r", "n", "After the passphrase", "\r"):
                    await ws.send_json(["stdin", keys])
                    await asyncio.sleep(0.5)
                await asyncio.sleep(1.0)

        asyncio.run(scenario())
        (drafted,) = wait_for_history(db, "drafted", 1)
        assert drafted["actor"] == "Bob"
        history = exported(db)["history"]
        assert isinstance(history, list)
        assert [e["action"] for e in history if e["actor"] == "Bob"] == ["passphrase_set", "drafted"]
    finally:
        if process.poll() is None:
            stop(process)
