"""A database that cannot be used: say so plainly, touch nothing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from ..domain.text import visible


class ErrorScreen(Screen[None]):
    """Shown instead of the app when the database file cannot be opened."""

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="error"):
            yield Label(Content.styled("This database cannot be used", "bold $text-error"), id="heading")
            yield Static(Content(visible(self.problem)), id="context")
            yield Static(
                Content.styled(
                    "Nothing was changed. Open another file with --db PATH, or try --demo. "
                    "Press ctrl+q to quit.",
                    "$text-muted",
                ),
                id="keys",
            )
        yield Footer()
