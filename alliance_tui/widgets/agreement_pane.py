"""The shared agreement: agreed lines, numbered and grouped by topic."""

from __future__ import annotations

from datetime import date
from functools import partial

from textual.content import Content

from ..domain import AgreedLine, Alliance, Line
from ..domain.export import heading_of
from ..domain.rules import agreement
from ..domain.text import visible
from .line_list import line_option_id
from .render import short_date, text
from .virtual_list import Row, VirtualList


def agreed_prompt(item: AgreedLine, line: Line, today: date) -> Content:
    parts: list[str | Content | tuple[str, str]] = [(f"{item.number:>3}. ", "bold"), text(item.text)]
    if item.trial_until:
        due = item.trial_until < today
        parts.append(
            (f"  [trial until {short_date(item.trial_until)}{', review due' if due else ''}]",
             "bold $text-warning" if due else "$text-muted")
        )
    if line.change_pending:
        parts.append(("  ⟳ change pending", "bold $text-warning"))
    return Content.assemble(*parts)


class AgreementPane(VirtualList):
    """What both partners have agreed, as it stands now."""

    BORDER_TITLE = "Agreement"

    def show(self, a: Alliance, today: date) -> None:
        rows: list[Row] = []
        topic: object = object()
        for item in agreement(a):
            folded = item.topic.casefold() if item.topic else None
            if folded != topic:
                topic = folded
                rows.append(Row(None, partial(Content.styled, visible(heading_of(folded)), "bold $text-secondary")))
            rows.append(Row(line_option_id(item.line), partial(agreed_prompt, item, a.lines[item.line], today)))
        if not rows:
            rows.append(Row(None, partial(
                Content.styled,
                "Nothing agreed yet. Lines enter here once the other partner accepts them.",
                "italic $text-muted",
            )))
        self.set_rows(rows)
        if self.highlighted is None:
            self.highlighted = self._first_selectable(0)
