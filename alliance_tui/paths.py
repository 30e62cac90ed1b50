"""Where the database lives: `--db`, then `$ALLIANCE_TUI_DB`, then the user data folder."""

from __future__ import annotations

import os
from pathlib import Path

ENV = "ALLIANCE_TUI_DB"
FILENAME = "alliance.json"


def database_path(given: str | None) -> tuple[Path, bool]:
    """The database to use, and whether it is the platform default (whose folder we make)."""
    if given:
        return Path(given).expanduser(), False
    if env := os.environ.get(ENV):
        return Path(env).expanduser(), False
    from platformdirs import user_data_path

    return user_data_path("alliance-tui", appauthor=False) / FILENAME, True


def make_private_folder(folder: Path) -> None:
    """Create the default data folder readable by its owner alone."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
