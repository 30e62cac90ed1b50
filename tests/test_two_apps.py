"""Two app processes on one file, acting at the same time, lose nothing (SPEC §6)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from alliance_tui.store import Store

HERE = Path(__file__).parent


@pytest.mark.slow
def test_two_apps_each_acting_200_times_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shared.json"
    Store(path).create(("Sarah", "Peter"), title="Shared")
    count = 200
    workers = [
        subprocess.Popen(
            [sys.executable, str(HERE / "two_apps_worker.py"), str(path), tag, str(count), str(2 * count)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for tag in ("left", "right")
    ]
    shown = []
    for worker in workers:
        out, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err
        shown.append(json.loads(out.strip().splitlines()[-1])["rows"])

    store = Store(path)
    (a,) = store.alliances()
    expected = {f"{tag} {n}" for tag in ("left", "right") for n in range(count)}
    assert {line.current.text for line in a.lines.values()} == expected, "every action is in the file"
    assert len(a.lines) == 2 * count
    drafted = [e for e in store.history(a.id) if e.action.value == "drafted"]
    assert len(drafted) == 2 * count
    for rows in shown:  # and on both screens
        assert {row.split(maxsplit=1)[1] for row in rows} == expected
