"""A partner's pane: the lines they wrote, with their state."""

from __future__ import annotations

from datetime import date

from textual.content import Content
from textual.widgets.option_list import Option

from ..domain import Alliance
from ..domain.text import visible
from ..domain.views import plural, private_drafts, visible_lines
from .line_list import LineList, line_option_id
from .render import line_prompt


class PartnerPane(LineList):
    """The lines one partner wrote. The other partner's drafts show only as a count."""

    def __init__(self, partner: int, *, id: str) -> None:
        super().__init__(id=id)
        self.partner = partner

    def show(self, a: Alliance, today: date) -> None:
        viewer = a.active
        keep = self.selected_id()
        name = visible(a.name(self.partner))
        # A border title given as a str is parsed as markup: typed names go in as Content.
        self.border_title = Content(f"{name} · at the keyboard" if viewer == self.partner else name)
        self.set_class(viewer == self.partner, "-active")
        lines = visible_lines(a, viewer, author=self.partner)
        options: list[Option] = [
            Option(line_prompt(a, line, viewer, today), id=line_option_id(line.id)) for line in lines
        ]
        if viewer != self.partner and (drafts := private_drafts(a, self.partner)):
            note = f"{name} has {plural(drafts, 'private draft')}"
            options.append(Option(Content.styled(note, "italic $text-muted"), disabled=True))
        if not options:
            hint = "No lines yet: press n to write one." if viewer == self.partner else "No lines yet."
            options.append(Option(Content.styled(hint, "italic $text-muted"), disabled=True))
        waiting = sum(1 for line in lines if line.waiting_for == viewer)
        self.border_subtitle = Content(f"{plural(waiting, 'proposal')} for you" if waiting else "")
        self.set_options(options)
        self.select_id(keep)
        if self.highlighted is None and lines:
            # Start on what waits for the person at the keyboard, else on the first line.
            first = next((i for i, line in enumerate(lines) if line.waiting_for == viewer), 0)
            self.highlighted = first
