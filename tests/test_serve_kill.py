"""Kill the server, the tabs and the tabs' apps at random moments: the file always opens
and holds every action a screen showed as done (issue 12, SPEC §6, §10).

Each round opens two tabs on a running `alliance-tui serve` (Ann's and Bob's), each
drafting and proposing lines as fast as keys go, then SIGKILLs, at a random moment in a
random order, two of: a tab, the app process textual-serve started for a tab, or (every
fourth round) the server itself, started again with new links. After each round, once no app
process is left on the file, a fresh store opens it, and every line a tab's screen had
shown as drafted or proposed (read from the bytes the app sent that tab) is in it, in
that state or further.

Why no browser: a browser tab is, to the server, a websocket; killing the browser is
its connection dropping without a word, which killing the process that holds the
websocket (`serve_tab_worker.py`) does the same way, at a twentieth of the cost. The app
processes, the server and every write to the file are the real ones. A real browser
stops a tab in `test_browser.py`; the app killed alone is `test_app_crash.py`'s subject.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from alliance_tui.domain import Kind, State
from alliance_tui.store import Store

from .test_serve import path_of, read_invites, start_server

WORKER = Path(__file__).with_name("serve_tab_worker.py")
ROUNDS = 25  # two kills a round: 50
SEED = 20261129
#: The longest one round may take before the test fails rather than hang CI.
ROUND_SECONDS = 30.0

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc to find the apps"),
]


def apps_on(db: Path, name: str | None = None) -> list[int]:
    """The app processes textual-serve started on `db` (for `name`'s tab, if given)."""
    found = []
    wanted = f"--as={name}".encode() if name else b"--as="
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if f"--db={db}".encode() in cmdline and wanted in cmdline:
                found.append(int(entry.name))
    return found


def kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


class Tab:
    """A tab's worker process, and what its screen showed as done."""

    def __init__(self, url: str, prefix: str, errors: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), url, prefix],
            stdout=subprocess.PIPE,
            stderr=errors.open("ab"),
            text=True,
        )
        self.lines: list[str] = []
        self.ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.endswith("\n"):  # a line cut short by the kill was never shown
                self.lines.append(line.strip())
                if line == "ready\n":
                    self.ready.set()
        self.ready.set()

    def shown(self, action: str) -> set[int]:
        return {int(line.split()[2]) for line in self.lines if line.startswith(f"shown {action} ")}

    def end(self) -> None:
        kill(self.process.pid)
        self.process.wait(timeout=10)
        self._reader.join(timeout=10)


def wait_until(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_killing_server_tabs_and_apps_loses_nothing_a_screen_showed_done(tmp_path: Path) -> None:
    db = tmp_path / "alliance.json"
    alliance_id = Store(db).create(("Ann", "Bob"), title="Killed often", kind=Kind.WORK).id
    rng = random.Random(SEED)
    drafted: set[int] = set()
    proposed: set[int] = set()
    kills = {"tab": 0, "app": 0, "server": 0}
    shown_while_killed = 0
    server: subprocess.Popen[bytes] | None = None
    links: dict[str, str] = {}
    started = time.monotonic()
    try:
        for round_ in range(ROUNDS):
            round_started = time.monotonic()
            if server is None or server.poll() is not None:
                (tmp_path / "serve.out").unlink(missing_ok=True)
                server, out, _ = start_server(db, tmp_path)
                links = read_invites(out, server, 2)
            port = int(links["Ann"].split(":")[2].split("/")[0])
            tabs = {
                name: Tab(
                    f"ws://127.0.0.1:{port}{path_of(links[name])}/ws?width=100&height=30",
                    f"{name}{round_}",
                    tmp_path / "tabs.err",
                )
                for name in ("Ann", "Bob")
            }
            for name, tab in tabs.items():
                assert tab.ready.wait(ROUND_SECONDS) and "ready" in tab.lines, (
                    f"round {round_}: {name}'s tab never drew: {tab.lines[-3:]}, worker "
                    f"{tab.process.poll()}, server {server.poll()}, apps {apps_on(db)}"
                )
            # Two kills, at random moments: each tab's own (its process or its app), or
            # the server in place of the second one, now and then.
            order = rng.sample(["Ann", "Bob"], 2)
            plan = [(name, rng.choice(["tab", "app"])) for name in order]
            if round_ % 4 == 3:
                plan[1] = (plan[1][0], "server")
            for name, target in plan:
                time.sleep(rng.uniform(0.1, 1.0))
                # A kill that lands after this round's tabs showed new actions done.
                shown_while_killed += any(tab.shown("drafted") - drafted for tab in tabs.values())
                if target == "tab":
                    kill(tabs[name].process.pid)
                elif target == "app":
                    for pid in apps_on(db, name):
                        kill(pid)
                else:
                    assert server is not None
                    kill(server.pid)
                    server.wait(timeout=10)
                kills[target] += 1
            for tab in tabs.values():
                tab.end()
            # What is left of the round ends by itself: a tab whose websocket dropped is
            # told to quit; one whose server died sees its input end.
            wait_until(lambda: not apps_on(db), ROUND_SECONDS, f"round {round_}: an app ran on")
            for tab in tabs.values():
                drafted |= tab.shown("drafted")
                proposed |= tab.shown("proposed")

            store = Store(db, create=False)  # the file always opens ...
            lines = store.load(alliance_id).lines
            missing = sorted(drafted - lines.keys())
            assert not missing, f"round {round_}: shown as drafted, not in the file: {missing[:5]}"
            unproposed = sorted(n for n in proposed if lines[n].state is not State.PROPOSED)
            assert not unproposed, f"round {round_}: shown as proposed, not so in the file: {unproposed[:5]}"
            assert time.monotonic() - round_started < ROUND_SECONDS
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=15)
        for pid in apps_on(db):
            kill(pid)
    assert sum(kills.values()) >= 50
    assert all(kills.values()), f"every kind of kill happened: {kills}"
    assert shown_while_killed >= sum(kills.values()) // 2, "most kills land while screens show actions"
    assert len(drafted) >= ROUNDS and len(proposed) >= ROUNDS // 2, (len(drafted), len(proposed))
    seconds = time.monotonic() - started
    print(f"{kills}; {len(drafted)} drafted, {len(proposed)} proposed shown; {seconds:.0f} s")
