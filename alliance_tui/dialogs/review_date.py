"""The alliance's review date: when both sit down again to re-design it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual.content import Content

from ..domain.text import parse_review
from .field import FieldDialog


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
                "A date like 2026-12-31; leave it blank for none.",
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
            placeholder="YYYY-MM-DD, or blank for none",
        )
        self.today = today
        self.save = save

    def _submit(self, value: str) -> str | None:
        try:
            day = parse_review(value, self.today)
        except ValueError as error:
            return str(error)
        return self.save(day)
