"""The `alliance-tui` command's first step: the garbage collector waits while it starts.

Starting the app imports Textual and this package and reads the database: some 200,000
objects that live as long as the window, and hardly any garbage. The collector's passes
over them cost 15 ms of every start, and far more at 10,000 lines, all before the first
frame (SPEC §9). So it is held off from the first import: the app freezes what start-up
made and turns collection back on once its first frame is up (`AllianceApp.on_ready`),
and every other command turns it on before it does anything (`cli.main`).

Only the command imports this module; importing the package anywhere else changes
nothing.
"""

from __future__ import annotations

import gc

gc.disable()


def main() -> int:
    from .cli import main as command

    return command()
