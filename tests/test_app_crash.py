"""SIGKILL the running app at random moments while it acts: every file opens, and every
action the app acknowledged is in it (SPEC §6).

To afford 120 kills, the test imports the app once and forks a fresh process for each
run: each child opens the app on the shared, growing file and drafts and proposes lines,
reporting each one after `attempt` returns (that is, after the durable save). Each kill
comes at a random moment after the child says its app is up: timed from the fork, the
kills missed the actions whenever the machine was busy (the file grows to thousands of
lines, and other tests run beside this one); kills at start-up are `test_crash.py`'s.
"""

from __future__ import annotations

import asyncio
import os
import random
import select
import signal
import time
from pathlib import Path

import pytest

from alliance_tui.app import AllianceApp
from alliance_tui.domain import rules
from alliance_tui.store import Store

KILLS = 120  # with test_crash.py (200 kills of a bare store): enough moments, in CI time
SEED = 20261125


def _act_until_killed(path: Path, run: int, out: int) -> None:
    """In the child: open the app and act, writing `ack TEXT` after each saved action."""
    report = os.fdopen(out, "w", buffering=1)

    async def main() -> None:
        app = AllianceApp(path, poll_seconds=None)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            report.write("ready\n")
            for n in range(10_000):
                text = f"run {run} line {n}"
                done = screen.attempt(lambda a, m, t=text: rules.draft(a, a.active, t, m))  # type: ignore[attr-defined]
                if done is not None:
                    raise SystemExit(done)
                report.write(f"ack {text}\n")
                line = screen.last_done.outcome.lines[0].id  # type: ignore[attr-defined]
                if (
                    n % 2 == 0
                    and screen.attempt(lambda a, m, i=line: rules.propose(a, a.active, i, m)) is None
                ):  # type: ignore[attr-defined]
                    report.write(f"proposed {text}\n")
                if n % 4 == 0:
                    await pilot.pause()

    asyncio.run(main())


def _until_ready(read: int, pid: int, wait: float = 30.0) -> bytes:
    """What the child wrote up to its "ready" line (the app is up), waiting at most `wait`
    seconds for it."""
    said = b""
    deadline = time.monotonic() + wait
    while b"ready\n" not in said:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([read], [], [], left)[0]:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise AssertionError(f"the app did not start within {wait:.0f} s")
        chunk = os.read(read, 65536)
        if not chunk:
            os.waitpid(pid, 0)
            raise AssertionError(f"the app ended before it was up: {said.decode()[-300:]!r}")
        said += chunk
    return said


@pytest.mark.slow
def test_killing_the_running_app_loses_no_acknowledged_action(tmp_path: Path) -> None:
    path = tmp_path / "alliance.json"
    Store(path).create(("Sarah", "Peter"), title="Killed often")
    rng = random.Random(SEED)
    acked: set[str] = set()
    proposed: set[str] = set()
    killed_while_acting = 0
    for run in range(KILLS):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            os.close(read)
            try:
                _act_until_killed(path, run, write)
            finally:
                os._exit(0)
        os.close(write)
        said = _until_ready(read, pid)
        time.sleep(rng.uniform(0.0, 0.3))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with os.fdopen(read, "rb") as reader:
            said += reader.read()
        lines = said.decode().split("\n")[:-1]  # only complete lines were acknowledged
        run_acks = {line.removeprefix("ack ") for line in lines if line.startswith("ack ")}
        proposed |= {line.removeprefix("proposed ") for line in lines if line.startswith("proposed ")}
        killed_while_acting += bool(run_acks)
        acked |= run_acks

        store = Store(path)  # the file always opens ...
        (a,) = store.alliances()
        states = {line.current.text: line.state.value for line in a.lines.values()}
        missing = acked - states.keys()
        assert not missing, f"after kill {run + 1}: acknowledged but lost: {sorted(missing)[:3]}"
        assert all(states[text] == "proposed" for text in proposed), f"a proposal was lost by kill {run + 1}"
        assert not list(tmp_path.glob(".alliance.json.tmp-*")), "opening cleans a killed save's leftovers"
    assert killed_while_acting >= KILLS // 2, "most kills should land while the app is acting"
    assert len(acked) >= KILLS // 2
