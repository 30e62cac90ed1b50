"""The shared agreement: agreed lines, numbered and grouped by topic."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial

from textual.content import Content

from ..domain import AgreedLine, Alliance, Line
from ..domain.export import heading_of
from ..domain.rules import agreement
from ..domain.text import visible
from .line_list import line_option_id
from .render import short_date, text
from .virtual_list import LazyRows, Row, VirtualList


def agreed_prompt(item: AgreedLine, line: Line, today: date) -> Content:
    parts: list[str | Content | tuple[str, str]] = [(f"{item.number:>3}. ", "bold"), text(item.text)]
    if item.trial_until:
        due = item.trial_until < today
        parts.append(
            (
                f"  [trial until {short_date(item.trial_until)}{', review due' if due else ''}]",
                "bold $text-warning" if due else "$text-muted",
            )
        )
    if line.change_pending:
        parts.append(("  ⟳ change pending", "bold $text-warning"))
    return Content.assemble(*parts)


def _key_of(item: AgreedLine | str | None) -> str | None:
    return line_option_id(item.line) if isinstance(item, AgreedLine) else None


class AgreementPane(VirtualList):
    """What both partners have agreed, as it stands now."""

    BORDER_TITLE = "Agreement"

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._shown: list[AgreedLine] | None = None
        self._items: dict[int, AgreedLine] = {}
        self._rows_of: dict[int, Row] = {}
        self._alliance: Alliance | None = None
        self._today: date | None = None

    def _prompt(self, line_id: int) -> Content:
        """A row's text, made when it is first seen, from the agreement as it is now."""
        assert self._alliance is not None and self._today is not None
        return agreed_prompt(self._items[line_id], self._alliance.lines[line_id], self._today)

    def _row_of(self, item: AgreedLine | str | None) -> Row:
        if isinstance(item, AgreedLine):
            return self._row(item.line)
        return Row(None, partial(Content.styled, visible(heading_of(item)), "bold $text-secondary"))

    def _row(self, line_id: int) -> Row:
        row = self._rows_of.get(line_id)
        if row is None:
            row = self._rows_of[line_id] = Row(line_option_id(line_id), partial(self._prompt, line_id))
        return row

    def show_changed(self, a: Alliance, today: date, changed: Sequence[Line]) -> bool:
        """Redraw only the changed lines' rows; False when the agreement itself changed."""
        if agreement(a) is not self._shown or a is not self._alliance:
            return False
        for line in changed:
            if line.id in self._items:
                self.replace_row(self._row(line.id))
        return True

    def show(self, a: Alliance, today: date) -> None:
        """Lay the agreement out anew: cheap, since a row's text is made only when seen."""
        self._shown = shown = agreement(a)
        self._items = {item.line: item for item in shown}
        self._alliance, self._today = a, today
        # One item per row: a topic's heading (its name) before its first line.
        items: list[AgreedLine | str | None] = []
        topic: object = object()
        for item in shown:
            folded = item.topic.casefold() if item.topic else None
            if folded != topic:
                topic = folded
                items.append(folded)
            items.append(item)
        rows = LazyRows(items, _key_of, self._row_of)
        if not items:
            rows.append(
                Row(
                    None,
                    partial(
                        Content.styled,
                        "Nothing agreed yet. Lines enter here once the other partner accepts them.",
                        "italic $text-muted",
                    ),
                )
            )
        self.set_rows(rows)
        if self.highlighted is None:
            self.highlighted = self._first_selectable(0)
