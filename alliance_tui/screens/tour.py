"""A short tour for the first time the app opens an alliance (issue 11, item 9).

Five pages on how the negotiation goes, one key to the next, one to skip. Once it is
finished or skipped it is never shown again (the settings remember it); the palette's
*Take the tour* shows it again on request.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ..dialogs.base import everywhere_keys

#: (heading, what it says): the negotiation of SPEC §3, in the order people live it.
PAGES: tuple[tuple[str, str], ...] = (
    (
        "Design your alliance",
        "Two people say how they work best and what they need from each other, and agree "
        "on it line by line. Everything is saved the moment it is done.",
    ),
    (
        "Write, then propose",
        "n writes a line. It is a private draft, yours alone, until you propose it with p. "
        "f2 in the editor offers questions a coach would ask.",
    ),
    (
        "The other answers",
        "a accepts, m amends with their own wording, x declines with a reason. A wording "
        "enters the agreement only when the one who did not write it accepts it.",
    ),
    (
        "Sign it, try it, check in",
        "When the agreement reads right, both sign it (s): that makes a version. Later, h "
        "checks in on how each line works, and r reopens a line that needs a new wording.",
    ),
    (
        "Taking turns",
        "At one keyboard, ctrl+t passes the seat to the other. The status line always says "
        "who acts here and what waits for them. f1 shows every key; ctrl+p finds any command.",
    ),
)


class TourScreen(ModalScreen[bool]):
    """The tour, page by page; dismissed with True when read to the end, False if skipped."""

    BINDINGS = [
        Binding("enter,right,space", "next", "Next", priority=True),
        Binding("left,backspace", "back", "Back"),
        Binding("escape", "skip", "Skip the tour"),
        *everywhere_keys("Finish or skip the tour first (escape)", help_keys="f1,question_mark"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.page = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="tour"):
            yield Label(id="heading")
            yield Static(id="page", classes="how")
            yield Static(id="keys")

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        heading, said = PAGES[self.page]
        self.query_one("#heading", Label).update(Content.styled(heading, "bold"))
        self.query_one("#page", Static).update(Content(said))
        last = self.page == len(PAGES) - 1
        keys = f"{self.page + 1} of {len(PAGES)} · enter {'start' if last else 'next'}"
        keys += " · ← back" if self.page else ""
        keys += "" if last else " · escape skip the tour"
        self.query_one("#keys", Static).update(Content.styled(keys, "$text-muted"))

    def action_next(self) -> None:
        if self.page == len(PAGES) - 1:
            self.dismiss(True)
            return
        self.page += 1
        self._show()

    def action_back(self) -> None:
        if self.page:
            self.page -= 1
            self._show()

    def action_skip(self) -> None:
        self.dismiss(False)
