"""Two real terminals on one file, each its own app process (SPEC §2 "Seat", §6).

The seat belongs to the window: what one terminal does to its own seat never changes who
acts in the other. Each terminal is `alliance-tui` in a pseudo-terminal (tests/terminal.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance_tui.domain import State
from alliance_tui.store import Store

from .terminal import Terminal


def _events(path: Path, alliance_id: str) -> list[tuple[str, int | None]]:
    return [(e.action.value, e.actor) for e in Store(path).history(alliance_id)]


@pytest.mark.slow
def test_two_shared_terminals_a_pass_in_one_leaves_the_other_as_it_was(tmp_path: Path) -> None:
    """Terminal 1 shows Ann, `n`, types; terminal 2 presses ctrl+t; terminal 1's `enter`
    saves Ann's text as Ann's draft (it was saved as Bob's, silently: issue 10)."""
    path = tmp_path / "a.json"
    alliance_id = Store(path).create(("Ann", "Bob"), title="Studio").id
    first = Terminal(["--db", str(path)], columns=120, rows=40)
    second = Terminal(["--db", str(path)], columns=120, rows=40)
    try:
        first.wait_for("Ann is at the keyboard")
        second.wait_for("Ann is at the keyboard")
        first.press("n")
        first.wait_for("private draft")
        first.press("Ann types this")
        second.press("ctrl+t")
        second.wait_for("Bob is at the keyboard")
        first.press("enter")
        first.wait_for("Ann types this")
        screen = first.wait_for("Ann is at the keyboard")
        assert "Bob is at the keyboard" not in screen
        second.wait_for("Ann has 1 private draft")  # Bob sees that it exists, not its words
        assert "Ann types this" not in second.text()
    finally:
        assert first.close() == 0 and second.close() == 0
    (line,) = Store(path).load(alliance_id).lines.values()
    assert (line.author, line.current.text, line.state) == (0, "Ann types this", State.DRAFT)
    assert ("drafted", 0) in _events(path, alliance_id)


@pytest.mark.slow
def test_two_bound_terminals_negotiate_each_as_themselves(tmp_path: Path) -> None:
    """`--as Ann` and `--as Bob`: Ann drafts and proposes, Bob's ctrl+t is refused, Bob
    accepts; every action in the file carries the actor of the window it was done in."""
    path = tmp_path / "a.json"
    alliance_id = Store(path).create(("Ann", "Bob"), title="Studio").id
    ann = Terminal(["--db", str(path), "--as", "Ann"], columns=120, rows=40)
    bob = Terminal(["--db", str(path), "--as", "bob"], columns=120, rows=40)
    try:
        ann.wait_for("This window is Ann's")
        bob.wait_for("This window is Bob's")
        ann.press("n")
        ann.wait_for("private draft")
        ann.press("Quiet mornings", "enter")
        ann.wait_for("draft     Quiet mornings")
        bob.press("ctrl+t")
        bob.wait_for("does not pass")
        ann.press("p")
        bob.wait_for("Quiet mornings")
        bob.press("1", "a")
        ann.wait_for("agreed")
    finally:
        assert ann.close() == 0 and bob.close() == 0
    (line,) = Store(path).load(alliance_id).lines.values()
    assert line.state is State.AGREED
    assert _events(path, alliance_id)[1:] == [("drafted", 0), ("proposed", 0), ("accepted", 1)]


def test_as_a_name_that_is_not_a_partner_is_one_line_and_exit_2(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "a.json"
    Store(path).create(("Ann", "Bob"), title="Studio")
    done = subprocess.run(
        [sys.executable, "-m", "alliance_tui", "--db", str(path), "--as", "Zed"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr == (
        "alliance-tui: Nobody called 'Zed' sits at 'Studio': its partners are Ann and Bob.\n"
    )


@pytest.mark.slow
def test_three_bound_terminals_a_coached_blind_round(tmp_path: Path) -> None:
    """Two partners and their coach, each in a terminal of their own on one file (issue 13):
    the coach asks, both answer blind, and only after both does anyone read an answer."""
    path = tmp_path / "a.json"
    alliance_id = Store(path).create(("Ann", "Bob"), title="Studio", coach="Cleo").id
    ann = Terminal(["--db", str(path), "--as", "Ann"], columns=120, rows=40)
    bob = Terminal(["--db", str(path), "--as", "Bob"], columns=120, rows=40)
    cleo = Terminal(["--db", str(path), "--as", "Cleo"], columns=120, rows=40)
    try:
        cleo.wait_for("This window is the coach's (Cleo)")
        ann.wait_for("This window is Ann's")
        bob.wait_for("This window is Bob's")
        cleo.press("b")
        cleo.wait_for("A blind round")
        cleo.press("What turn-around time do you need?", "enter")
        ann.wait_for("Cleo's question: Ann writing")
        ann.press("b")
        ann.wait_for("private until both are ready")
        ann.press("Two working days.", "enter")
        bob.wait_for("Ann ready")
        assert "Two working days" not in bob.text() and "Two working days" not in cleo.text()
        bob.press("b")
        bob.wait_for("private until both are ready")
        bob.press("One working day.", "enter")
        for terminal in (ann, bob, cleo):
            terminal.wait_for("revealed")
        ann.wait_for("Two working days.")
    finally:
        assert ann.close() == 0 and bob.close() == 0 and cleo.close() == 0
    a = Store(path).load(alliance_id)
    assert a.round is None
    assert sorted((line.author, line.current.text) for line in a.lines.values()) == [
        (0, "Two working days."),
        (1, "One working day."),
    ]
