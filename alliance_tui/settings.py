"""What the app remembers for the person using it, apart from any database (SPEC §3).

The theme chosen, and the alliance last opened in each database, live in a small JSON
file in the user's config folder (platformdirs), or at `$ALLIANCE_TUI_CONFIG`. It holds
nothing two people wrote: that stays in the database. A missing or unreadable file only
means defaults; saving it is best effort and never interrupts anyone.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

ENV = "ALLIANCE_TUI_CONFIG"


def settings_path() -> Path:
    if given := os.environ.get(ENV):
        return Path(given).expanduser()
    from platformdirs import user_config_path

    return user_config_path("alliance-tui", appauthor=False) / "settings.json"


def load() -> dict[str, Any]:
    """The settings, or {} when there are none (or they cannot be read)."""
    try:
        with open(settings_path(), encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remember(**changes: Any) -> None:
    """Save `changes` over what is there: written whole to a temporary file, then moved."""
    path = settings_path()
    data = {**load(), **changes}
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        spare = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, sort_keys=True)
        os.replace(spare, path)
    except OSError:
        pass  # a read-only home: the app works the same, it only forgets


def last_alliance(database: Path) -> str | None:
    """The alliance last opened in `database`, if any."""
    last = load().get("last_alliance", {})
    value = last.get(str(database.resolve())) if isinstance(last, dict) else None
    return value if isinstance(value, str) else None


def remember_alliance(database: Path, alliance_id: str) -> None:
    last = load().get("last_alliance", {})
    last = last if isinstance(last, dict) else {}
    last[str(database.resolve())] = alliance_id
    remember(last_alliance=last)


#: How many kept drafts are remembered as told (`told_kept`): the latest few are enough.
_TOLD_AT_MOST = 50


def told_kept(key: str) -> bool:
    """Whether this person was told already about the words kept as `key` (a draft kept
    when the app closed on their editor): told once, not at every start after."""
    told = load().get("told_kept", [])
    return isinstance(told, list) and key in told


def remember_told_kept(key: str) -> None:
    told = load().get("told_kept", [])
    told = [k for k in told if isinstance(k, str)] if isinstance(told, list) else []
    remember(told_kept=[*told, key][-_TOLD_AT_MOST:])
