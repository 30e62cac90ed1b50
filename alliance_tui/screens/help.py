"""Help: how the negotiation goes, then every key, grouped by where it applies.

The keys are made from the command table itself (`alliance_tui.commands`), so the help
says exactly what the app binds.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ..commands import Where, in_group
from ..dialogs.base import everywhere_keys
from ..domain.text import visible

#: SPEC §3: draft → propose → answer → agree → sign → check in, in a few plain sentences.
HOW_IT_GOES = (
    "Each of you writes lines (n): a draft stays yours alone until you propose it (p). "
    "The other answers: accept (a), amend with their own wording (m), or decline (x). "
    "A wording enters the agreement only when the one who did not write it accepts it. "
    "When the agreement reads right, both sign it (s): that makes a version. "
    "Try it, then check in on it (h): each of you rates every line privately, both ratings "
    "show together, and you reopen (r) any line that is not working. "
    "At one keyboard, ctrl+t passes the seat; the status line always says who acts here."
)


def help_rows() -> list[tuple[Content, Content]]:
    """(keys, what they do) for every command with keys, with a heading per group."""
    rows: list[tuple[Content, Content]] = []
    for where in Where:
        commands = [command for command in in_group(where) if command.shown or where is Where.PALETTE]
        if not commands:
            continue
        rows.append((Content.styled(where.value, "bold $text-secondary"), Content("")))
        for command in commands:
            rows.append(
                (
                    Content.styled(f"  {command.shown}", "bold $text-accent"),
                    Content.assemble((command.name, "bold"), " — ", command.help),
                )
            )
    return rows


class HelpScreen(ModalScreen[None]):
    """How it goes, and the key map of SPEC §4 as the app really binds it."""

    BINDINGS = [
        Binding("escape,f1,question_mark,q", "dismiss", "Close"),
        *everywhere_keys("Close the help first (escape)", help_keys=""),
    ]

    def __init__(self, saved_in: str | None = None) -> None:
        """`saved_in` says where the alliances are saved (None in a browser: a served
        page never shows a path of the host)."""
        super().__init__()
        self.saved_in = saved_in

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="help"):
            yield Label(Content.styled("How it goes", "bold"), id="heading")
            with VerticalScroll(id="keymap"):
                yield Static(Content(HOW_IT_GOES), classes="how")
                if self.saved_in is not None:
                    yield Static(
                        Content.assemble(("Everything is saved in ", "$text-muted"), visible(self.saved_in)),
                        classes="how",
                    )
                with Grid(classes="keys-grid"):
                    for keys, what in help_rows():
                        yield Static(keys, classes="keys")
                        yield Static(what, classes="what")
            yield Static(
                Content.styled("Every key is also a command in ctrl+p. escape closes.", "$text-muted"),
                id="keys",
            )

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss()
