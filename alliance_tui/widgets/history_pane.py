"""The history timeline: every action, oldest first, a divider for each session.

It holds the most recent events; older ones are read from the store on request, so a
timeline of 50,000 events opens as fast as one of fifty.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from textual.content import Content

from ..domain import Action, Alliance, Event
from ..domain.views import actor_names, ends_privacy, seen_event
from .render import event_prompt
from .virtual_list import Row, VirtualList

EARLIER = "earlier"


def _after_reset(a: Alliance, event: Event) -> bool:
    """Taken as a partner whose passphrase stands reset by the other (SPEC §2)."""
    assert event.actor is not None
    reset = a.partners[event.actor].reset
    return reset is not None and event.at >= reset.at and event.action is not Action.PASSPHRASE_RESET


def _divider(label: str) -> Content:
    return Content.styled(f"── {label} ──", "$text-muted")


class HistoryPane(VirtualList):
    """Only ever appended to; follows new events unless the reader has moved away."""

    BORDER_TITLE = "History"

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._shown = 0
        #: Of the events shown, how many the line filter let through.
        self._matching = 0
        self._viewer: int | None = None
        self._session: int | None = None
        self._earlier = -1
        #: Show only this line's events (None: everything).
        self.line_filter: int | None = None

    def filter_to(self, line_id: int | None) -> None:
        """Show only one line's events, or everything again; the next `show` lays out anew."""
        self.line_filter = line_id
        self._viewer = None
        self.border_title = "History" if line_id is None else f"History · line {line_id} only (f: all)"

    def show(self, a: Alliance, viewer: int, events: Sequence[Event], earlier: int = 0) -> None:
        """Show `events`, the latest of the timeline, as `viewer` may read them; `earlier`
        more are still in the store."""
        at_end = self.highlighted is None or self.highlighted >= self.row_count - 1
        if (
            viewer != self._viewer
            or len(events) < self._shown
            or earlier != self._earlier
            or any(map(ends_privacy, events[self._shown :]))
        ):
            # Who may read a draft's wording changed, older events came in, or a round or
            # check-in ended (its "private until…" rows now read otherwise): lay out anew.
            self.set_rows([])
            self._shown = 0
            self._matching = 0
            self._session = None
            self._viewer = viewer
            self._earlier = earlier
            if earlier:
                label = f"▲ {earlier:,} earlier events: enter shows them"
                self.append_rows([Row(EARLIER, partial(Content.styled, label, "italic $text-accent"))])
        rows: list[Row] = []
        # Each actor as named when they acted: read back from the end, as far as needed.
        names = actor_names(a, events, self._shown)
        for position, event in enumerate(events[self._shown :], earlier + self._shown):
            if self.line_filter is not None and event.line != self.line_filter:
                continue
            self._matching += 1
            # A divider where a later session begins: two windows at once take turns in
            # the history, and an older session's event then joins without a new divider.
            if self._session is None or event.session > self._session:
                self._session = event.session
                label = "created" if event.session == 0 else f"session {event.session}"
                rows.append(Row(None, partial(_divider, label)))
            unguarded = event.actor in (0, 1) and _after_reset(a, event)
            rows.append(
                Row(
                    f"event-{position}",
                    partial(
                        event_prompt,
                        a,
                        seen_event(event, viewer),
                        unguarded=unguarded,
                        who=names[position - earlier - self._shown],
                    ),
                )
            )
        self._shown = len(events)
        if rows:
            self.append_rows(rows)
        total = earlier + len(events)
        counted = f"{total:,} event{'' if total == 1 else 's'}"
        # Filtered to one line: how many of them are that line's (it counted them all).
        self.border_subtitle = counted if self.line_filter is None else f"{self._matching:,} of {counted}"
        if at_end and self.row_count:
            self.highlighted = self.row_count - 1
