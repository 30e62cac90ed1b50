"""The alliance's review date: when both sit down again to re-design it."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date

from textual import on
from textual.content import Content
from textual.widgets import Input, Static

from ..domain.dates import day_first_here
from ..domain.text import parse_review
from .field import FieldDialog, understood_date


class ReviewDateDialog(FieldDialog):
    """Type a date, or leave it blank for none; a bad date is refused and kept."""

    def __init__(
        self,
        current: date | None,
        today: date,
        save: Callable[[date | None], str | None],
        *,
        suggested: date | None = None,
        context: Content | None = None,
    ) -> None:
        """`suggested` is the date offered in the field (a check-in's default by kind), and
        `context` what the dialog says above it, in place of the usual sentence."""
        if context is not None:
            pass
        elif current is not None and current < today:
            context = Content.assemble(
                (f"The review date {current.isoformat()} has passed. ", "bold $text-warning"),
                ("Once you have sat down together, set the next one, or leave it blank.", "$text-muted"),
            )
        else:
            context = Content.styled(
                "When do you sit down together and re-design this alliance? "
                "A date like 2026-12-31, 31/12, in 3 months or next monday; blank for none.",
                "$text-muted",
            )
        super().__init__(
            Content.styled("Review date", "bold"),
            context,
            "Review on",
            self._submit,
            value=(
                suggested.isoformat()
                if suggested is not None
                else ""
                if current is None or current < today
                else current.isoformat()
            ),
            placeholder="a date, in 3 months…, or blank for none",
        )
        self.today = today
        self.save = save
        #: Dates like 03/04/2026 are read in the order the person's locale writes them.
        self.day_first = day_first_here(os.environ)

    def on_mount(self) -> None:
        self._understood(self.value)

    @on(Input.Changed, "#value")
    def _typed(self, event: Input.Changed) -> None:
        self._understood(event.value)

    def _understood(self, value: str) -> None:
        """Say under the field which day is understood, as it is typed (issue 11)."""
        day, note = understood_date(value, self.today, self.day_first)
        self.query_one("#error", Static).update(day if note is None else Content("\n").join([day, note]))

    def _submit(self, value: str) -> str | None:
        try:
            day = parse_review(value, self.today, day_first=self.day_first)
        except ValueError as error:
            return str(error)
        return self.save(day)
