"""A yes-or-no question before something that cannot be undone."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, Static

from .base import Dialog


class ConfirmDialog(Dialog[bool]):
    """`y` or `enter` confirms; `n` or `escape` does nothing. Answered once."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: Content, detail: Content | None = None) -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="confirm"):
            yield Label(self.question, id="heading")
            if self.detail is not None:
                yield Static(self.detail, id="context")
            yield Static(Content.styled("y or enter yes · n or escape no", "$text-muted"), id="keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
