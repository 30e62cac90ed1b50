"""A real terminal for tests: a program in a pseudo-terminal, read by a VT emulator.

Pilot drives the app inside the test's own process, headless: nothing reaches a
terminal. Some faults live exactly there (an escape sequence from a partner's name, two
processes at two keyboards), so these tests run `alliance-tui` as a person would, in a
pty of a fixed size, type bytes into it, and read both the raw bytes it wrote and the
screen a terminal would show (`pyte`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pyte

KEYS = {
    "enter": "\r",
    "escape": "\x1b",
    "tab": "\t",
    "backspace": "\x7f",
    "ctrl+q": "\x11",
    "ctrl+t": "\x14",
    "ctrl+o": "\x0f",
    "down": "\x1b[B",
    "up": "\x1b[A",
}


class Terminal:
    """`alliance-tui ARGS` running in a pseudo-terminal of `columns` × `rows`."""

    def __init__(
        self, args: Sequence[str], *, columns: int = 120, rows: int = 40, env: dict[str, str] | None = None
    ) -> None:
        self.columns, self.rows = columns, rows
        self.raw = bytearray()
        self._lock = threading.Lock()
        self._screen = pyte.Screen(columns, rows)
        self._stream = pyte.ByteStream(self._screen)
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        environment = {
            **os.environ,
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "TEXTUAL_ANIMATIONS": "none",
            **(env or {}),
        }
        environment.pop("TEXTUAL_DRIVER", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "alliance_tui", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=environment,
            start_new_session=True,
            cwd=Path(__file__).parent.parent,
        )
        os.close(slave)
        self._master = master
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self._master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self.raw += chunk
                self._stream.feed(chunk)

    def text(self) -> str:
        """The screen as a terminal shows it now, one line per row."""
        with self._lock:
            return "\n".join(self._screen.display)

    def wait_for(self, needle: str, timeout: float = 20.0) -> str:
        """Wait until `needle` is on the screen; the screen, or an AssertionError naming it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.text()
            if needle in screen:
                return screen
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} never appeared; the screen was:\n{self.text()}")

    def press(self, *keys: str, pause: float = 0.15) -> None:
        """Type keys one by one (names from `KEYS`, or text as it is)."""
        for key in keys:
            os.write(self._master, KEYS.get(key, key).encode())
            time.sleep(pause)

    def send(self, data: bytes) -> None:
        """Write `data` to the terminal in one write, as a fast typist over SSH or a
        paste delivers it: the app reads it all at once (issue 11 item 2)."""
        view = memoryview(data)
        while view:
            view = view[os.write(self._master, view) :]

    def close(self, timeout: float = 15.0) -> int:
        """Quit with ctrl+q (or kill, if it does not go); the exit status."""
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                os.write(self._master, b"\x11")
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        time.sleep(0.1)
        with contextlib.suppress(OSError):
            os.close(self._master)
        return self.process.returncode


def run_in_pty(args: Sequence[str], *, timeout: float = 30.0) -> bytes:
    """Run a short command on a terminal and return every byte it wrote there."""
    terminal = Terminal(args, columns=200, rows=50)
    try:
        terminal.process.wait(timeout)
    finally:
        time.sleep(0.1)
        terminal.close()
    return bytes(terminal.raw)
