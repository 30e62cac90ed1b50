"""The command's first step holds the garbage collector off while the app starts
(`alliance_tui.start`, SPEC §9), and nothing is left without it afterwards."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROBE = r"""
import gc, sys
import alliance_tui
assert gc.isenabled(), "importing the package alone changed the collector"
import alliance_tui.start
assert not gc.isenabled(), "the command's first step left the collector on"
sys.argv = ["alliance-tui", *sys.argv[1:]]
status = alliance_tui.start.main()
print("enabled" if gc.isenabled() else "disabled", status)
"""


def probe(*args: str, tmp_path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_every_other_command_turns_the_collector_back_on(tmp_path: Path) -> None:
    db = tmp_path / "a.json"
    assert probe("--db", str(db), "new", "Ours", "--partners", "Ann", "Bob", tmp_path=tmp_path) == "enabled 0"
    assert probe("--db", str(db), "list", tmp_path=tmp_path) == "enabled 0"


def test_the_console_script_and_python_m_start_there() -> None:
    root = Path(__file__).resolve().parent.parent
    assert 'alliance-tui = "alliance_tui.start:main"' in (root / "pyproject.toml").read_text()
    assert "from alliance_tui.start import main" in (root / "alliance_tui" / "__main__.py").read_text()
