"""Where the database lives: `--db`, then `$ALLIANCE_TUI_DB`, then the user data folder."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

ENV = "ALLIANCE_TUI_DB"
FILENAME = "alliance.json"


def database_path(given: str | None) -> tuple[Path, bool]:
    """The database to use, and whether it is the platform default (whose folder we make).

    An empty `--db ""` is a mistake (a variable that was not set, say), refused with a
    sentence: it never quietly means the default database.
    """
    if given is not None:
        if not given.strip():
            raise ValueError("--db needs a file name; an empty one was given")
        return Path(given).expanduser(), False
    if env := os.environ.get(ENV):
        return Path(env).expanduser(), False
    from platformdirs import user_data_path

    return user_data_path("alliance-tui", appauthor=False) / FILENAME, True


def make_private_folder(folder: Path) -> None:
    """Make the default data folder readable by its owner alone (SPEC §6).

    Missing parents are made as `mkdir -p` would, but never writable by others, whatever
    the umask (under umask 000 they would be 0777). The folder itself is made 0700, and
    one found open to others (0755, made by an older version or by hand) is tightened.
    """
    missing = []
    parent = folder
    while not parent.exists() and parent != parent.parent:
        missing.append(parent)
        parent = parent.parent
    for path in reversed(missing):
        # The umask can only take bits away from these modes: never group- or world-writable.
        with contextlib.suppress(FileExistsError):  # made meanwhile by another process
            path.mkdir(mode=0o700 if path == folder else 0o755)
    found = os.stat(folder)
    if found.st_uid == os.geteuid() and stat.S_IMODE(found.st_mode) & 0o077:
        os.chmod(folder, stat.S_IMODE(found.st_mode) & 0o700)
