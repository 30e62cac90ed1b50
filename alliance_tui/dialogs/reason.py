"""Decline a wording, with an optional reason."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Label, Static

from ..domain.text import visible
from ..widgets.text_entry import OrderedInput
from .base import Dialog
from .field import after_typing


class ReasonDialog(Dialog[None]):
    """Asks why (optional); `enter` declines (once), `escape` keeps the wording waiting."""

    BINDINGS = [
        Binding("enter", "save", "Decline", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self, heading: Content, context: Content, submit: Callable[[str | None], str | None]
    ) -> None:
        super().__init__()
        self.heading = heading
        self.context = context
        self.submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.heading, id="heading")
            yield Static(self.context, id="context")
            with Horizontal(classes="field"):
                yield Label("Reason", classes="label")
                yield OrderedInput(placeholder="why? (optional)", id="reason", compact=True)
            yield Static(id="error")
            yield Static(Content.styled("enter decline · escape cancel", "$text-muted"), id="keys")

    def action_save(self) -> None:
        after_typing(self, self._save)

    def _save(self) -> None:
        if not self.can_answer:
            return
        refusal = self.submit(self.query_one("#reason", OrderedInput).value or None)
        if refusal is None:
            self.dismiss()
        else:
            self.query_one("#error", Static).update(Content.styled(visible(refusal), "bold $text-error"))

    def action_cancel(self) -> None:
        self.dismiss()
