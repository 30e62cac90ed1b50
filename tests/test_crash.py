"""SIGKILL at random moments never breaks the file nor loses an acknowledged action (SPEC §6).

A worker process (tests/crash_worker.py) negotiates on one database and prints
`ack N ACTION` after each `act()` returns. The test kills it at a random moment, restarts
it on the same, growing file, and after every kill opens the file with a fresh store and
checks that every acknowledged action is in it, exactly once and in order.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from alliance_tui.domain import Action
from alliance_tui.store import Store

sys.path.insert(0, str(Path(__file__).parent))
from crash_worker import BASE, TITLE, number_of  # noqa: E402

WORKER = Path(__file__).with_name("crash_worker.py")
KILLS = 200
SEED = 20260302


def strays(db: Path) -> list[Path]:
    return list(db.parent.glob(f".{db.name}.tmp-*"))


def run_until_killed(db: Path, rng: random.Random, errors: Path) -> tuple[list[str], int]:
    """Start the worker, kill it at a random moment; its complete output lines and status."""
    with errors.open("w") as stderr:
        worker = subprocess.Popen(
            [sys.executable, str(WORKER), str(db)],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    watchdog = threading.Timer(60, worker.kill)  # a hung worker fails the test, not CI
    watchdog.start()
    try:
        assert worker.stdout is not None
        seen = ""
        if rng.random() < 0.3:
            # Anywhere from start-up, through opening the file, to the first few saves.
            time.sleep(rng.uniform(0.0, 0.2))
        else:
            # Once it is saving steadily: a short random delay lands inside a save often.
            for _ in range(rng.randint(1, 12)):
                line = worker.stdout.readline()
                seen += line
                if not line.endswith("\n"):
                    break
            time.sleep(rng.uniform(0.0, 0.012))
        worker.send_signal(signal.SIGKILL)
        seen += worker.stdout.read()  # what it printed before dying; EOF once it is gone
        status = worker.wait()
    finally:
        watchdog.cancel()
    # A line cut short by the kill (no newline) was never an acknowledgement.
    return seen.split("\n")[:-1], status


def check(db: Path, acked: dict[int, str], before: int, acked_now: int) -> int:
    """The file as a restarted app sees it; returns the number of the last action in it."""
    store = Store(db, create=False)  # raises DatabaseError if the kill broke the file
    assert not strays(db), "opening the file did not clean the temporary files"
    a = store.find(TITLE)
    history = store.history(a.id)
    numbers = [number_of(event.at) for event in history]
    # Every action once, in order, none lost in between (0 is the alliance's creation).
    assert numbers == list(range(len(numbers)))
    last = numbers[-1]
    assert last >= max(acked, default=0), "an acknowledged action is missing"
    # Besides what was acknowledged, at most the one action in flight at the kill.
    assert last <= max(before, acked_now) + 1
    for n, action in acked.items():
        assert history[n].action.value == action, (n, action, history[n])
    wordings = {w.text for line in a.lines.values() for w in line.wordings}
    for n, action in acked.items():
        if action == Action.DRAFTED:
            assert history[n].text == f"line {n}"
            assert f"line {n}" in wordings
    signed = [e.text for e in history if e.action is Action.SIGNED and e.text]
    assert [f"version {v.number}" for v in store.versions(a.id)] == signed
    assert a.version == len(signed)
    return last


@pytest.mark.slow
def test_sigkill_never_loses_an_acknowledged_action(tmp_path: Path) -> None:
    db = tmp_path / "crash.json"
    Store(db, clock=lambda: BASE).create(("Sarah", "Peter"), title=TITLE)
    rng = random.Random(SEED)
    acked: dict[int, str] = {}
    last = 0
    stats: Counter[str] = Counter()

    for _ in range(KILLS):
        lines, status = run_until_killed(db, rng, tmp_path / "worker.err")
        assert status == -signal.SIGKILL, (
            f"the worker ended by itself ({status}): {(tmp_path / 'worker.err').read_text()}"
        )
        acked_now = 0
        for line in lines:
            word, n, action = line.split()
            assert word == "ack"
            acked[int(n)] = action
            acked_now = max(acked_now, int(n))
        stats["stray temporary file after the kill"] += bool(strays(db))
        new_last = check(db, acked, last, acked_now)
        stats["saved but not acknowledged"] += new_last > max(last, acked_now)
        stats["killed before any acknowledgement"] += not lines
        last = new_last

    # A run in which nothing was acknowledged would prove nothing.
    assert len(acked) >= KILLS
    assert {"drafted", "proposed", "accepted", "passed", "signed"} <= set(acked.values())
    print(
        f"\n{KILLS} kills, {len(acked)} acknowledged actions, {last} in the file "
        f"({db.stat().st_size:,} bytes); " + ", ".join(f"{k}: {v}" for k, v in stats.items())
    )
