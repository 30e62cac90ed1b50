"""What a screen needs from the window it is shown in, handed down by the app.

A window is one running app: a terminal, or a browser tab of `serve`. Screens get the
store, the clock, this launch's session numbers and whom the window is bound to from a
`Window`, never by importing the app (no import cycle, and tests can build one). What a
screen needs the app to do, it asks by a message (`CopyText`, `AllianceGone`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime

from textual.message import Message

from ..domain import Alliance
from ..domain.seats import Pause
from ..store import Store

#: Seconds a wrong passphrase waits before it is refused, and before the next try.
PASSPHRASE_PAUSE = 1.0


class Window:
    """One window's share of the app: its store, clock, sessions and binding.

    Written out, not a dataclass: one a window, and a dataclass took 0.5 ms of every start
    to define (SPEC §9).
    """

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        bound_to: str | None = None,
        poll_seconds: float | None = 0.2,
    ) -> None:
        self.store = store
        self.clock = clock
        #: The name this window is bound to (`--as NAME`), or None for a shared window.
        self.bound_to = bound_to
        #: Seconds between looks at the file for what other windows did (None: never).
        self.poll_seconds = poll_seconds
        #: This launch's session number in each alliance it acted on (SPEC §2, History).
        self.sessions: dict[str, int] = {}
        #: Wrong passphrases wait, per person, for the whole window (not per dialog).
        self.pause = Pause(time.monotonic, PASSPHRASE_PAUSE)
        #: Seats opened in this window whose passphrase was not typed yet, by alliance:
        #: they show nothing private and act on nothing (`SeatActions.unlock_opening_seat`).
        self.locked: set[tuple[str, int]] = set()
        #: Seats whose passphrase was typed in this window, by alliance: not asked again.
        self.unlocked: set[tuple[str, int]] = set()
        #: Takes back the toasts said to the last person at the keyboard (the app's
        #: `forget_turn`): a new turn starts with its own words, not a stack of theirs.
        self.forget_turn: Callable[[], None] = lambda: None
        #: What was kept of an editor the app left under its writer's hands (issue 12),
        #: one sentence each: said on leaving (`cli`), as the app's last words.
        self.kept: list[str] = []

    def unsaved(self, not_done: str) -> Callable[[str], None]:
        """What a dialog that decides something (a decline, a rename, a note for both to
        read) does with text the app leaves under its writer's hands (issue 12): nothing
        is saved, since nobody confirmed it, and what was typed is said as the app's last
        words (`kept`), so it is not lost without a word. `not_done` says what did not
        happen ("Line 3 was not declined")."""
        kept = self.kept

        def say(typed: str) -> None:
            kept.append(f"{not_done}: the app left with it open. It read: “{typed}”")

        return say

    def today(self) -> date:
        return self.clock().astimezone().date()

    def mine(self, alliances: list[Alliance]) -> list[Alliance]:
        """The alliances this window may see: all of them in a shared window; in one bound
        to a person, only those they sit at, as a partner or as the coach (a served seat
        never learns of other alliances)."""
        if self.bound_to is None:
            return alliances
        wanted = self.bound_to.strip().casefold()
        return [a for a in alliances if wanted in (a.name(role).casefold() for role in a.seats())]


class CopyText(Message):
    """Put `text` on the clipboard; `what` names it in the notice ("the agreement")."""

    def __init__(self, text: str, what: str) -> None:
        super().__init__()
        self.text = text
        self.what = what


class AllianceGone(Message):
    """The alliance on screen no longer exists (deleted in another window)."""


class AllianceChanged(Message):
    """An alliance's own fields changed (its title): a main screen showing it redraws."""

    def __init__(self, alliance_id: str) -> None:
        super().__init__()
        self.alliance_id = alliance_id


class CloseAlliance(Message):
    """The alliance on the main screen is being archived or deleted: close it first.

    `then` runs once its main screen has left (the deletion); the list comes back with
    `select` highlighted.
    """

    def __init__(self, select: str | None, show_archived: bool, then: Callable[[], object] | None) -> None:
        super().__init__()
        self.select = select
        self.show_archived = show_archived
        self.then = then
