"""The shared agreement: agreed lines, numbered and grouped by topic."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial

from textual.content import Content

from ..domain import AgreedLine, Alliance, Line, checkins
from ..domain.export import heading_of
from ..domain.model import Rating
from ..domain.rules import agreement
from ..domain.text import visible
from .line_ids import line_option_id
from .render import short_date, text
from .virtual_list import LazyRows, Row
from .wrapped_list import WrappedList

#: Each rating's mark in a trend: told apart by its shape, and coloured as well.
TREND_STYLES = {
    Rating.WORKING: "$text-success",
    Rating.WOBBLY: "$text-warning",
    Rating.NOT_WORKING: "bold $text-error",
}


#: What the marks after the lines mean, under the pane once a check-in was revealed.
RATINGS_LEGEND = Content.assemble(
    *[
        part
        for n, rating in enumerate(Rating)
        for part in (("  " if n else "", ""), (rating.mark, TREND_STYLES[rating]), (f" {rating.label}", ""))
    ]
)


def trend_marks(trend: Sequence[Rating]) -> Content:
    """A line's last check-ins, oldest first: "✓✓~✗" (empty before its first)."""
    if not trend:
        return Content("")
    return Content.assemble(("  ", ""), *[(rating.mark, TREND_STYLES[rating]) for rating in trend])


def agreed_prompt(item: AgreedLine, line: Line, today: date, trend: Sequence[Rating] = ()) -> Content:
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
    if line.flagged:  # the coach's mark shows wherever the line does (it showed in a pane only)
        parts.append(("  ⚑ needs more conversation", "bold $text-warning"))
    parts.append(trend_marks(trend))
    if item.sign:
        # Under the line, indented past its number: how both will know it works (SPEC §12).
        parts += [("\nwe'll know it works: ", "italic $text-muted"), text(item.sign)]
    return Content.assemble(*parts)


def _key_of(item: AgreedLine | str | None) -> str | None:
    return line_option_id(item.line) if isinstance(item, AgreedLine) else None


class AgreementPane(WrappedList):
    """What both partners have agreed, as it stands now: every line in full (SPEC §3)."""

    BORDER_TITLE = "Agreement"

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._shown: list[AgreedLine] | None = None
        self._items: dict[int, AgreedLine] = {}
        self._rows_of: dict[int, Row] = {}
        self._alliance: Alliance | None = None
        self._today: date | None = None
        #: What each row shows: an agreed line, or a topic's heading.
        self._layout: list[AgreedLine | str | None] = []

    def estimate(self, start: int, width: int) -> list[int]:
        """Each agreed line's number, text and marks, wrapped at `width` (about)."""
        layout = self._layout[start:]
        trend = 7 if self._alliance is not None and self._alliance.checkins else 0
        room = max(width - 5, 1)  # once, not twice a row: 10,000 rows in 1 ms instead of 2 (SPEC §9)
        heights = [
            -(-(len(item.text) + (30 if item.trial_until else 0) + trend) // room)
            + (-(-(22 + len(item.sign)) // room) if item.sign else 0)
            if isinstance(item, AgreedLine)
            else 1
            for item in layout
        ]
        return heights + [1] * (self.row_count - start - len(heights))

    def hanging(self, index: int) -> int:
        """An agreed line's wrapped lines start under its text, past its number."""
        item = self._layout[index] if 0 <= index < len(self._layout) else None
        return len(f"{item.number:>3}. ") if isinstance(item, AgreedLine) else 0

    def _prompt(self, line_id: int) -> Content:
        """A row's text, made when it is first seen, from the agreement as it is now."""
        assert self._alliance is not None and self._today is not None
        a = self._alliance
        trend = checkins.trend(a, line_id) if a.checkins else ()
        return agreed_prompt(self._items[line_id], a.lines[line_id], self._today, trend)

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
        """Redraw only the changed lines' rows; False when the agreement itself changed.

        `a` may be the alliance read anew after another window wrote: when none of the
        changed lines is agreed, or was, the agreement shown is still the one in force.
        """
        if a is self._alliance and self._shown is not None:
            if agreement(a) is not self._shown:
                return False
        elif any(line.id in self._items or line.agreed is not None for line in changed):
            return False
        elif a is not self._alliance:
            # The same agreement, from the alliance read anew: computed again only when
            # a full `show` is due (at 10,000 lines, sorting it costs milliseconds).
            self._alliance, self._shown = a, None
        for line in changed:
            if line.id in self._items:
                self.replace_row(self._row(line.id))
        return True

    def show(self, a: Alliance, today: date) -> None:
        """Lay the agreement out anew: cheap, since a row's text is made only when seen."""
        # Once check-ins were revealed, the marks after the lines are read from a legend
        # (play-tested: a bare "✗" after a line said nothing).
        self.border_subtitle = RATINGS_LEGEND if a.checkins else ""
        self._shown = shown = agreement(a)
        self._items = {item.line: item for item in shown}
        self._alliance, self._today = a, today
        # One item per row: a topic's heading (its name) before its first line.
        items: list[AgreedLine | str | None] = []
        raw: object = object()
        topic: object = object()
        for item in shown:
            # A topic is folded only where it changes: 10,000 lines in 0.34 ms, not 0.65.
            if item.topic != raw:
                raw = item.topic
                folded = item.topic.casefold() if item.topic else None
                if folded != topic:
                    topic = folded
                    items.append(folded)
            items.append(item)
        self._layout = items
        rows = LazyRows(items, _key_of, self._row_of)
        if not items:
            # After a version, an empty agreement is not one that never was: every line
            # of it was taken out since (play-tested: it said "Nothing agreed yet").
            empty = (
                f"Nothing in force: every line of version {a.version} was taken out since."
                if a.version
                else "Nothing agreed yet. Lines enter here once the other partner accepts them."
            )
            rows.append(Row(None, partial(Content.styled, empty, "italic $text-muted")))
        self.set_rows(rows)
        if self.highlighted is None:
            self.highlighted = self._first_selectable(0)
