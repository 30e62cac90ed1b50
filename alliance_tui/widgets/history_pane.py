"""The history timeline: every action, oldest first, a divider for each session."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets.option_list import Option

from ..domain import Alliance, Event
from ..domain.views import seen_event
from .line_list import LineList
from .render import event_prompt


class HistoryPane(LineList):
    """Only ever appended to; follows new events unless the reader has moved away."""

    BORDER_TITLE = "History"

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._shown = 0
        self._viewer: int | None = None
        self._session: int | None = None
        #: Show only this line's events (None: everything).
        self.line_filter: int | None = None

    def filter_to(self, line_id: int | None) -> None:
        """Show only one line's events, or everything again; the next `show` lays out anew."""
        self.line_filter = line_id
        self._viewer = None
        self.border_title = "History" if line_id is None else f"History · line {line_id} only (f: all)"

    def show(self, a: Alliance, events: Sequence[Event]) -> None:
        viewer = a.active
        if viewer != self._viewer or len(events) < self._shown:
            # Who may read a draft's wording changed: lay the timeline out anew.
            self.clear_options()
            self._shown = 0
            self._session = None
            self._viewer = viewer
        at_end = self.highlighted is None or self.highlighted >= self.option_count - 1
        options: list[Option] = []
        for event in events[self._shown:]:
            if self.line_filter is not None and event.line != self.line_filter:
                continue
            if event.session != self._session:
                self._session = event.session
                label = "created" if event.session == 0 else f"session {event.session}"
                options.append(
                    Option(Content.styled(f"── {label} ──", "$text-muted"), disabled=True)
                )
            options.append(Option(event_prompt(a, seen_event(event, viewer))))
        self._shown = len(events)
        if options:
            self.add_options(options)
            self.border_subtitle = f"{self._shown} events"
            if at_end:
                self.highlighted = self.option_count - 1
                self.scroll_end(animate=False)
