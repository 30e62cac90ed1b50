"""Help: every key, grouped by where it applies (made from the key map itself)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ..keys import GROUPS, KEYMAP


def help_rows() -> list[tuple[Content, Content]]:
    """(keys, what they do) for every row of the key map, with a heading per group."""
    rows: list[tuple[Content, Content]] = []
    for group in GROUPS:
        rows.append((Content.styled(group, "bold $text-secondary"), Content("")))
        for key in KEYMAP:
            if key.where == group:
                rows.append(
                    (
                        Content.styled(f"  {key.shown}", "bold $text-accent"),
                        Content.assemble((key.command, "bold"), " — ", key.help),
                    )
                )
    return rows


class HelpScreen(ModalScreen[None]):
    """The key map of SPEC §4, as the app really binds it."""

    BINDINGS = [Binding("escape,f1,question_mark,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="help"):
            yield Label(Content.styled("Keys", "bold"), id="heading")
            with VerticalScroll(id="keymap"):
                for keys, what in help_rows():
                    yield Static(keys, classes="keys")
                    yield Static(what, classes="what")
            yield Static(
                Content.styled("Every key is also a command in ctrl+p. escape closes.", "$text-muted"),
                id="keys",
            )

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss()
