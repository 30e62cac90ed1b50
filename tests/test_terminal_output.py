"""Nothing a person typed reaches a real terminal raw (SPEC §8, issue 15 item 1).

A partner named `Bob ESC ] 52 ; c ; <base64> BEL` once set the terminal's clipboard to
`rm -rf ~` through `alliance-tui list`, and through every refusal sentence naming him.
These tests run the real program on a pseudo-terminal and look at every byte it wrote:
the payload's ESC, BEL and C1 bytes never arrive, while its visible symbols do.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alliance_tui.domain import rules
from alliance_tui.store import Store

from .terminal import Terminal, run_in_pty

#: An OSC 52 "set the clipboard to `rm -rf ~`", then C1 CSI (clear screen), then a BEL.
PAYLOAD = "\x1b]52;c;cm0gLXJmIH4K\x07\x9b2J\x07"
BOB = "Bob" + PAYLOAD
TITLE = "Home\x1b]0;owned\x07"


def _hostile_database(path: Path) -> None:
    """Ann and a hostile Bob; Ann has proposed a line that waits for Bob."""
    store = Store(path)
    a = store.create(("Ann", BOB), title=TITLE)
    line = store.act(
        a.id, lambda a, m: rules.draft(a, a.active, "Quiet mornings", m, topic="boundaries" + PAYLOAD)
    )
    store.act(a.id, lambda a, m: rules.propose(a, a.active, line.outcome.lines[0].id, m))


#: Textual's own OSC sequence (the mouse pointer's shape), which ends with a BEL.
TEXTUAL_OSC = re.compile(rb"\x1b\]22;[a-z-]*\x07")


def _assert_no_raw_payload(written: bytes) -> None:
    written = TEXTUAL_OSC.sub(b"", written)
    assert b"\x1b]52" not in written, "an OSC 52 sequence from a name reached the terminal"
    assert b"\x1b]0;owned" not in written, "a title escape reached the terminal"
    assert b"\x07" not in written, "a BEL reached the terminal"
    decoded = written.decode("utf-8", errors="strict")
    assert not any(0x80 <= ord(char) <= 0x9F for char in decoded), "a C1 control reached the terminal"


def test_list_on_a_terminal_shows_a_hostile_name_as_symbols(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    _hostile_database(path)
    written = run_in_pty(["list", "--db", str(path)])
    _assert_no_raw_payload(written)
    text = written.decode()
    assert "1 proposal for Bob␛]52;c;cm0gLXJmIH4K␇" in text, text
    assert "Home␛]0;owned␇" in text


def test_error_lines_on_a_terminal_show_hostile_text_as_symbols(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    _hostile_database(path)
    written = run_in_pty(["export", "Nobody" + PAYLOAD, "--db", str(path)])
    _assert_no_raw_payload(written)
    assert "Nobody" in written.decode()


def test_export_on_a_terminal_shows_hostile_text_as_symbols(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    store = Store(path)
    a = store.create(("Ann", BOB), title=TITLE)
    line = store.act(a.id, lambda a, m: rules.draft(a, a.active, "Quiet" + PAYLOAD, m)).outcome.lines[0].id
    store.act(a.id, lambda a, m: rules.propose(a, a.active, line, m))
    store.act(a.id, lambda a, m: rules.pass_keyboard(a, a.active, m))
    store.act(a.id, lambda a, m: rules.accept(a, a.active, line, m))
    for form in ("md", "txt", "json"):
        written = run_in_pty(["export", "--format", form, "--db", str(path)])
        _assert_no_raw_payload(written)


@pytest.mark.slow
def test_the_app_on_a_terminal_never_writes_a_hostile_name_raw(tmp_path: Path) -> None:
    """Refusals naming Bob, the panes, the header, the alliance list: all as symbols."""
    path = tmp_path / "a.json"
    _hostile_database(path)
    terminal = Terminal(["--db", str(path)], columns=120, rows=40)
    try:
        terminal.wait_for("Quiet mornings")
        terminal.press("1", "a")  # Ann accepts her own proposal: refused, naming Bob
        terminal.wait_for("has to accept it")
        terminal.press("ctrl+o")
        terminal.wait_for("Bob␛]52")
        terminal.press("escape")
    finally:
        status = terminal.close()
    assert status == 0
    _assert_no_raw_payload(bytes(terminal.raw))


@pytest.mark.slow
def test_closing_the_terminal_takes_the_demo_folder_with_it(tmp_path: Path) -> None:
    """SIGHUP (the terminal window closed) leaves no temporary demo folder behind."""
    import os
    import signal
    import time

    terminal = Terminal(["--demo"], columns=120, rows=40, env={"TMPDIR": str(tmp_path)})
    try:
        terminal.wait_for("Living together")
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith("alliance-tui-demo-")]
        os.kill(terminal.process.pid, signal.SIGHUP)
        terminal.process.wait(20)
    finally:
        terminal.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(
        p.name.startswith("alliance-tui-demo-") for p in tmp_path.iterdir()
    ):
        time.sleep(0.05)
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("alliance-tui-demo-")]
