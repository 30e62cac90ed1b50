"""The copies of earlier files kept beside the database (`NAME.bak1` … `bak3`).

The last good file of each of the last few launches stays beside the database, the
oldest dropped, so a mistake (or a bug) can be undone by hand.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import durable

#: How many earlier files are kept beside the database.
BACKUPS = 3


def backups(file: Path) -> list[Path]:
    """The kept copies of earlier files, newest first (`<name>.bak1` … `bak3`)."""
    return [file.with_name(f"{file.name}.bak{n}") for n in range(1, BACKUPS + 1)]


def keep(file: Path, raw: bytes) -> None:
    """Keep `raw` (the file as it was) as the newest copy, the others moved one down.

    The copy is written in full before any older one moves: a save that fails (a full
    disk) rotates nothing away, however often it is tried.
    """
    kept = backups(file)
    with durable.durable_temp(kept[0], raw) as copy:
        for older, newer in zip(reversed(kept[1:]), reversed(kept[:-1]), strict=True):
            if newer.exists():
                os.replace(newer, older)
        os.replace(copy, kept[0])
    durable.sync_folder(file.parent)
