"""A partner's pane: the lines they wrote, with their state."""

from __future__ import annotations

from datetime import date
from functools import partial

from textual.content import Content

from ..domain import Alliance
from ..domain.text import visible
from ..domain.views import plural, private_drafts, visible_lines
from .line_list import line_option_id
from .render import line_prompt
from .virtual_list import Row, VirtualList


class PartnerPane(VirtualList):
    """The lines one partner wrote. The other partner's drafts show only as a count."""

    def __init__(self, partner: int, *, id: str) -> None:
        super().__init__(id=id)
        self.partner = partner

    def show(self, a: Alliance, today: date) -> None:
        viewer = a.active
        name = visible(a.name(self.partner))
        # A border title given as a str is parsed as markup: typed names go in as Content.
        self.border_title = Content(f"{name} · at the keyboard" if viewer == self.partner else name)
        self.set_class(viewer == self.partner, "-active")
        lines = visible_lines(a, viewer, author=self.partner)
        rows = [
            Row(line_option_id(line.id), partial(line_prompt, a, line, viewer, today)) for line in lines
        ]
        if viewer != self.partner and (drafts := private_drafts(a, self.partner)):
            note = f"{name} has {plural(drafts, 'private draft')}"
            rows.append(Row(None, partial(Content.styled, note, "italic $text-muted")))
        if not rows:
            hint = "No lines yet: press n to write one." if viewer == self.partner else "No lines yet."
            rows.append(Row(None, partial(Content.styled, hint, "italic $text-muted")))
        waiting = sum(1 for line in lines if line.waiting_for == viewer)
        self.border_subtitle = Content(f"{plural(waiting, 'proposal')} for you" if waiting else "")
        self.set_rows(rows)
        if self.highlighted is None and lines:
            # Start on what waits for the person at the keyboard, else on the first line.
            first = next((i for i, line in enumerate(lines) if line.waiting_for == viewer), 0)
            self.highlighted = first
