"""Loaded by every Python process the browser benchmark starts (it is put on PYTHONPATH).

When ALLIANCE_BENCH_LOG names a file, each Textual app in the process appends one line to
it per update it renders: `frame TIME PID` (wall-clock seconds). Served apps are started
by textual-serve, out of the benchmark's reach; this is how their first frame and their
updates are seen. Nothing else is changed, and without the variable nothing at all.
"""

from __future__ import annotations

import os

LOG = os.environ.get("ALLIANCE_BENCH_LOG")

if LOG:
    import time

    from textual.app import App

    _display = App._display
    _pid = os.getpid()

    def _logged(self, screen, renderable):  # type: ignore[no-untyped-def]
        _display(self, screen, renderable)
        if renderable is not None:
            with open(LOG, "a", encoding="utf-8") as log:
                log.write(f"frame {time.time()!r} {_pid}\n")

    App._display = _logged  # type: ignore[method-assign]
