"""Help: every key, grouped by where it applies (made from the key map itself)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ..keys import GROUPS, KEYMAP


def help_content() -> Content:
    parts: list[str | Content | tuple[str, str]] = []
    for group in GROUPS:
        if parts:
            parts.append("\n")
        parts += [(group, "bold $text-secondary"), "\n"]
        for key in KEYMAP:
            if key.where == group:
                parts += [(f"  {key.shown:<22}", "bold $text-accent"), (f"{key.command:<20}", "bold"), key.help, "\n"]
    return Content.assemble(*parts)


class HelpScreen(ModalScreen[None]):
    """The key map of SPEC §4, as the app really binds it."""

    BINDINGS = [Binding("escape,f1,question_mark,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="help"):
            yield Label(Content.styled("Keys", "bold"), id="heading")
            with VerticalScroll():
                yield Static(help_content(), id="keymap")
            yield Static(
                Content.styled("Every key is also a command in ctrl+p. escape closes.", "$text-muted"),
                id="keys",
            )

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss()
