"""Decline a wording, with an optional reason."""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding
from textual.content import Content

from .field import FIELD_NAVIGATION, FieldDialog


class ReasonDialog(FieldDialog):
    """Asks why (optional); `enter` declines (once), `escape` keeps the wording waiting.

    With `keep`, a reason typed is thrown away only by a second `escape`, and handed to
    `keep` when the app leaves with the dialog open (issue 12), as in any field dialog.
    """

    BINDINGS = [
        *FIELD_NAVIGATION,
        Binding("enter", "save", "Decline", priority=True, tooltip="Decline, with the reason typed"),
        Binding("escape", "cancel", "Cancel", tooltip="Close: the wording still waits"),
    ]

    KEYS = "enter decline · escape cancel"
    ENTER_DOES = "enter declines with it"

    def __init__(
        self,
        heading: Content,
        context: Content,
        submit: Callable[[str | None], str | None],
        *,
        keep: Callable[[str], object] | None = None,
    ) -> None:
        super().__init__(
            heading,
            context,
            "Reason",
            lambda typed: submit(typed or None),
            placeholder="why? (optional)",
            keep=keep,
        )
