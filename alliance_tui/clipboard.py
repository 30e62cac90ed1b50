"""The system clipboard through pyperclip, bounded in time and checked.

pyperclip can hang (wl-copy), raise when no clipboard program exists, or return normally
having copied nothing (a stale DISPLAY); see PITFALLS.md. So the copy runs in its own
thread with a deadline and is read back before it counts as done. The app falls back to
the terminal's own clipboard (OSC 52) when this returns False.
"""

from __future__ import annotations

import threading
import time

TIMEOUT = 3.0
#: Pauses before reading the copy back again: a clipboard program may answer a paste
#: with what was there before, for a moment (xclip on a busy X server, or over SSH).
READ_BACK = (0.05, 0.1, 0.2, 0.4)


def system_copy(text: str, timeout: float = TIMEOUT) -> bool:
    """Copy `text` to the system clipboard; True only if it is really there."""
    outcome: list[bool] = []

    def attempt() -> None:
        try:
            import pyperclip

            pyperclip.copy(text)
            there = pyperclip.paste() == text
            for pause in READ_BACK:
                if there:
                    break
                time.sleep(pause)
                there = pyperclip.paste() == text
            outcome.append(there)
        except Exception:  # PyperclipException, FileNotFoundError (WSL), OSError...
            outcome.append(False)

    worker = threading.Thread(target=attempt, name="clipboard", daemon=True)
    worker.start()
    worker.join(timeout)
    return bool(outcome and outcome[0])
