"""A helper for test_crash.py (not a test): negotiate on a database until killed.

    python tests/crash_worker.py DATABASE

Action number N happens at BASE + N seconds (the store's clock), so every event in the
history names the action that wrote it. Actions continue from the highest number already
in the file. After each `act()` returns, the action is durable, and the worker prints
`ack N ACTION` (flushed). It never stops by itself; a refused action is a bug here and
ends it with exit status 3.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alliance_tui.domain import Alliance, Outcome, State, other, rules
from alliance_tui.store import Store

BASE = datetime(2030, 1, 1, tzinfo=UTC)
TITLE = "Crash test"


def number_of(moment: datetime) -> int:
    return round((moment - BASE).total_seconds())


def choose(a: Alliance, n: int):  # type: ignore[no-untyped-def]
    """The next action for the active partner, from the alliance's state and `n` alone."""
    chance = random.Random(n).random()  # the same n always makes the same choice
    me, them = a.active, other(a.active)
    lines = list(a.lines.values())
    for line in lines:
        if line.state is State.DRAFT and line.author == me:
            if chance < 0.15:
                return lambda a, m, i=line.id: rules.edit(a, a.active, i, f"line {n}", m)
            return lambda a, m, i=line.id: rules.propose(a, a.active, i, m)
    for line in lines:
        if line.waiting_for == me:
            if chance < 0.2 and line.removal_by is None and len(line.wordings) < 4:
                return lambda a, m, i=line.id: rules.counter(a, a.active, i, f"line {n}", m)
            if chance > 0.85:
                return lambda a, m, i=line.id: rules.decline(a, a.active, i, m, reason=f"reason {n}")
            return lambda a, m, i=line.id: rules.accept(a, a.active, i, m)
    if (
        chance < 0.4
        and me not in a.signatures
        and rules.agreement(a)
        and (a.version == 0 or a.changed_since_version)
    ):
        return lambda a, m: rules.sign(a, a.active, m)
    mine_waiting = [line for line in lines if line.waiting_for == them]
    if mine_waiting and chance > 0.85:
        return lambda a, m, i=mine_waiting[0].id: rules.withdraw(a, a.active, i, m)
    if mine_waiting or me in a.signatures:
        return lambda a, m: rules.pass_keyboard(a, a.active, m)
    agreed = [line for line in lines if line.state is State.AGREED]
    if agreed and chance > 0.9:
        line = agreed[n % len(agreed)]
        if chance > 0.95:
            return lambda a, m, i=line.id: rules.reopen(a, a.active, i, m)  # propose its removal
        return lambda a, m, i=line.id: rules.reopen(a, a.active, i, m, text=f"line {n}")
    return lambda a, m: rules.draft(a, a.active, f"line {n}", m)


def main(path: Path) -> int:
    n = 0
    store = Store(path, create=False, clock=lambda: BASE + timedelta(seconds=n))
    a = store.find(TITLE)
    n = max(number_of(event.at) for event in store.history(a.id))
    while True:
        n += 1
        action = choose(store.load(a.id), n)
        try:
            done = store.act(a.id, action)
        except rules.Refused as refusal:
            print(f"refused {n}: {refusal.reason}", file=sys.stderr, flush=True)
            return 3
        outcome: Outcome = done.outcome
        [event] = outcome.events
        print(f"ack {n} {event.action.value}", flush=True)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
