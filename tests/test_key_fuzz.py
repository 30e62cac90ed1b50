"""Random keys on the running app: it never crashes, and the file always loads (issue 15).

Seeded and bounded: in CI 3 seeds of 300 keys each. `FUZZ_KEYS=20000` (keys per seed)
and `FUZZ_SEEDS=20` run it at the size where rare faults show; a failure names its seed,
and `FUZZ_SEED=N` replays that one seed alone.

The keys come from the documented key map (SPEC §4) plus letters, digits, enter, escape,
tab and the editing keys, sent partly one by one and partly in bursts (several keys in
one read, as a fast typist over SSH sends them: see `test_bursts.burst`). `ctrl+q` and
`ctrl+p` are left out: the first ends the run, the second runs random commands by name.
When the app closes itself (escape on the first screen), it is started again on the same
file and the keys go on.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from alliance_tui.app import AllianceApp
from alliance_tui.demo import make_demo
from alliance_tui.domain import Kind
from alliance_tui.store import Store

from .conftest import FakeClock
from .test_bursts import burst

KEYS_PER_SEED = int(os.environ.get("FUZZ_KEYS", "300"))
SEEDS = (
    [int(os.environ["FUZZ_SEED"])]
    if "FUZZ_SEED" in os.environ
    else list(range(int(os.environ.get("FUZZ_SEEDS", "3"))))
)

#: SPEC §4, without ctrl+q and ctrl+p.
KEY_MAP = [
    "f1", "question_mark", "ctrl+t", "tab", "shift+tab", "1", "2", "3", "4", "ctrl+n", "ctrl+o",
    "c", "C", "up", "down", "j", "k", "home", "end", "n", "e", "enter", "p", "a", "m", "x", "w",
    "delete", "r", "s", "v", "b", "o", "h", "exclamation_mark",
]  # fmt: skip
#: What a person types into the dialogs those keys open.
TYPING = [*"abcdefghijklmnopqrstuvwxyz", "A", "Z", "0", "9", "space", "minus", "full_stop"]
EDITING = ["backspace", "delete", "left", "right", "escape", "enter", "tab", "y", "f2", "ctrl+u"]


def random_keys(rng: random.Random, count: int) -> list[str]:
    """Mostly commands, then typing: roughly what two people at the keyboard do."""
    pools = [(KEY_MAP, 5), (TYPING, 4), (EDITING, 2)]
    keys: list[str] = []
    while len(keys) < count:
        (pool,) = rng.choices([p for p, _ in pools], weights=[w for _, w in pools])
        keys.append(rng.choice(pool))
    return keys


def small_database(path: Path) -> None:
    """Two empty alliances: the keys write every line (the demo has lines in every state)."""
    store = Store(path, clock=FakeClock())
    store.create(("Sarah", "Peter"), title="Living together", kind=Kind.COUPLE)
    store.create(("Ann", "Bob"), title="Work", kind=Kind.WORK)


@pytest.fixture(autouse=True)
def no_clipboard_or_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`c` copies: keep the system clipboard and the user's own config out of the fuzz."""
    monkeypatch.setattr("alliance_tui.clipboard.system_copy", lambda text, timeout=0: False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


async def fuzz(path: Path, seed: int) -> None:
    rng = random.Random(seed)
    keys = random_keys(rng, KEYS_PER_SEED)
    done = 0
    launches = 0
    while done < len(keys):
        launches += 1
        app = AllianceApp(path, clock=FakeClock(), poll_seconds=None)
        where = f"seed {seed}, launch {launches}"
        try:
            async with app.run_test(size=rng.choice([(120, 40), (80, 24)])) as pilot:
                await pilot.pause()
                while done < len(keys) and app.is_running and app.return_code is None:
                    size = rng.choice([1, 2, 3, 5, 8])
                    chunk = keys[done : done + size]
                    screen = type(app.screen).__name__
                    where = f"seed {seed}: keys {done}..{done + len(chunk)} {chunk} on {screen}"
                    if size == 1:
                        await pilot.press(*chunk)
                    else:
                        await burst(pilot, *chunk, rounds=2)
                    done += len(chunk)
                    assert app.return_code in (None, 0), where
                    if rng.random() < 0.1:
                        Store(path)  # the file loads at any moment, not just at the end
        except Exception as error:
            error.add_note(f"while sending {where} (replay with FUZZ_SEED)")
            raise
        assert app.return_code in (None, 0), f"seed {seed}: exit {app.return_code}"
        Store(path).alliances(archived=True)
        assert launches < 50, f"seed {seed}: the app closed itself {launches} times"


@pytest.mark.parametrize("seed", SEEDS)
async def test_random_keys_never_crash_and_the_file_always_loads(tmp_path: Path, seed: int) -> None:
    """Even seeds run on the demo (lines in every state), odd ones on two empty alliances."""
    path = tmp_path / "alliance.json"
    if seed % 2 == 0:
        make_demo(path)
    else:
        small_database(path)
    await fuzz(path, seed)
