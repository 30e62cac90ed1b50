"""Versions: the signed versions of the agreement, each readable in full."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ..domain.export import to_text
from ..domain.text import visible_block
from ..widgets.line_list import LineList
from ..widgets.render import local_time

if TYPE_CHECKING:
    from ..app import AllianceApp


class VersionsScreen(ModalScreen[None]):
    """Pick a version on the left; read it on the right."""

    BINDINGS = [Binding("escape,v", "dismiss", "Close")]

    def __init__(self, alliance_id: str) -> None:
        super().__init__()
        self.alliance_id = alliance_id

    def compose(self) -> ComposeResult:
        app: AllianceApp = self.app  # type: ignore[assignment]
        self.versions = app.store.versions(self.alliance_id)
        with Vertical(id="dialog", classes="versions"):
            yield Label(Content.styled("Signed versions", "bold"), id="heading")
            with Horizontal():
                options = [
                    Option(f"v{v.number} · {local_time(v.at)} · {len(v.lines)} lines", id=str(v.number))
                    for v in reversed(self.versions)
                ]
                if not options:
                    options = [Option("No version yet: press s to sign.", disabled=True)]
                yield LineList(*options, id="version-list")
                with VerticalScroll(id="version-text"):
                    yield Static(id="version-body")
            yield Static(Content.styled("up/down choose · escape close", "$text-muted"), id="keys")

    def on_mount(self) -> None:
        listing = self.query_one("#version-list", LineList)
        if self.versions:
            listing.highlighted = 0
        listing.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        app: AllianceApp = self.app  # type: ignore[assignment]
        if event.option_id is None:
            return
        version = next(v for v in self.versions if str(v.number) == event.option_id)
        body = to_text(app.store.load(self.alliance_id), version)
        self.query_one("#version-body", Static).update(Content(visible_block(body.rstrip("\n"))))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss()
