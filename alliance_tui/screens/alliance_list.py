"""`ctrl+o`: the alliances in this database, to open one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ..domain import Alliance
from ..domain.text import visible
from ..domain.views import plural, review_due, turn
from ..widgets.line_list import LineList


def alliance_prompt(a: Alliance, today: date) -> Content:
    t = turn(a)
    version = f"v{a.version}" if a.version else "unsigned"
    if a.version and a.changed_since_version:
        version += " (changed)"
    pending = [
        f"{plural(count, 'proposal')} for {name}"
        for name, count in ((t.active, t.waiting_active), (t.other, t.waiting_other))
        if count
    ]
    parts: list[str | Content | tuple[str, str]] = [
        (visible(a.title), "bold"),
        (f"  {a.kind.value}", "$text-muted"),
        "\n   ",
        visible(f"{a.names[0]} & {a.names[1]}"),
        (f"  ·  {version}  ·  {', '.join(pending) or 'nothing pending'}", "$text-muted"),
    ]
    if review_due(a, today):
        parts.append(("  ·  review due", "bold $text-warning"))
    return Content.assemble(*parts)


class AllianceListScreen(ModalScreen[None]):
    """Pick an alliance; `enter` opens it."""

    BINDINGS = [Binding("escape", "cancel", "Close")]

    def __init__(self, alliances: list[Alliance], today: date, open_: Callable[[str], None]) -> None:
        super().__init__()
        self.alliances = alliances
        self.today = today
        self.open = open_

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="alliances"):
            yield Label(Content.styled("Alliances", "bold"), id="heading")
            yield LineList(
                *[Option(alliance_prompt(a, self.today), id=a.id) for a in self.alliances],
                id="alliance-list",
            )
            yield Static(Content.styled("enter open · ctrl+n new · escape close", "$text-muted"), id="keys")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_id is not None:
            self.dismiss()
            self.open(event.option_id)

    def action_cancel(self) -> None:
        self.dismiss()
