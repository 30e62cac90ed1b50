"""A partner's pane: the lines they wrote, with their state."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial

from textual import events, on
from textual.content import Content

from ..domain import Alliance, Line
from ..domain.text import visible
from ..domain.views import Tally, plural, sees, tally, visible_lines
from .line_ids import line_option_id
from .render import line_prompt
from .virtual_list import LazyRows, Row, VirtualList


class PartnerPane(VirtualList):
    """The lines one partner wrote. The other partner's drafts show only as a count."""

    def __init__(self, partner: int, *, id: str) -> None:
        super().__init__(id=id)
        self.partner = partner
        self._viewer: int | None = None
        self._notes = False
        self._last_id = 0
        #: The partner's name and this window's marker ("this window"; "" for none).
        self._title = ("", "")

    def show_changed(
        self, a: Alliance, viewer: int, today: date, changed: Sequence[Line], counts: Tally
    ) -> bool:
        """Redraw only the rows of lines an action touched; False when a full `show` is due.

        An action changes a line or two: at 10,000 lines, rebuilding the pane for it would
        cost more than the action's own durable save.
        """
        if viewer != self._viewer:
            return False
        for line in changed:
            key = line_option_id(line.id)
            mine = line.author == self.partner and sees(line, viewer)
            if line.author == self.partner and not mine:
                # The partner's private draft (another window wrote it): only the count
                # of their drafts shows, at the end.
                if self.has_row(key) or not self._drafts_note(a, viewer, counts):
                    return False
            elif self.has_row(key) and mine:
                self.replace_row(Row(key, partial(line_prompt, a, line, viewer, today)))
            elif mine and line.id > self._last_id and self._drafts_note(a, viewer, counts):
                # The partner proposed a draft: its line comes in before the count of the
                # drafts they still hold (just said again).
                self.insert_before_last(Row(key, partial(line_prompt, a, line, viewer, today)))
                self._last_id = line.id
            elif self.has_row(key) or (mine and (self._notes or line.id < self._last_id)):
                return False  # it moved, or a row must go before the notes: lay out anew
            elif mine:
                self.append_rows([Row(key, partial(line_prompt, a, line, viewer, today))])
                self._last_id = line.id
        self._subtitle(counts.waiting[self.partner][viewer] if viewer in (0, 1) else 0)
        return True

    def _drafts_note(self, a: Alliance, viewer: int, counts: Tally) -> bool:
        """Say again how many private drafts the partner holds; False if no such note
        ends the pane (a full `show` is due)."""
        if not (self._notes and self.row_count and viewer != self.partner):
            return False
        drafts = counts.drafts[self.partner]
        if not drafts or self.row_key(self.row_count - 1) is not None:
            return False
        self.replace_last_row(Row(None, partial(Content.styled, self._note(a, drafts), "italic $text-muted")))
        return True

    def _note(self, a: Alliance, drafts: int) -> str:
        return f"{visible(a.name(self.partner))} has {plural(drafts, 'private draft')}"

    def _retitle(self) -> None:
        """The pane's title: the partner's name, and whose window this is. A long name gives
        way to the marker, which says who acts here (a 40-letter name hid it at 80 columns)."""
        name, here = self._title
        if here:
            # The border and the title's own padding take some of the pane's width.
            room = self.size.width - 6 - len(f" · {here}")
            if 0 < room < Content(name).cell_length:
                name = Content(name).truncate(max(room, 8), ellipsis=True).plain
            name = f"{name} · {here}"
        # A border title given as a str is parsed as markup: typed names go in as Content.
        self.border_title = Content(name)

    @on(events.Resize)
    def _resized(self) -> None:
        self._retitle()  # besides `VirtualList.on_resize`, which Textual calls as well

    def _subtitle(self, waiting: int) -> None:
        self.border_subtitle = Content(f"{plural(waiting, 'proposal')} for you" if waiting else "")

    def show(
        self, a: Alliance, viewer: int, today: date, counts: Tally | None = None, *, here: str = ""
    ) -> None:
        """Show the lines `viewer` may read; `here` marks the pane of this window's partner."""
        self._viewer = viewer
        self._title = (visible(a.name(self.partner)), here if here and viewer == self.partner else "")
        self._retitle()
        counts = counts or tally(a)
        lines = visible_lines(a, viewer, author=self.partner)

        def row(line: Line) -> Row:
            return Row(line_option_id(line.id), partial(line_prompt, a, line, viewer, today))

        rows = LazyRows(lines, lambda line: line_option_id(line.id), row)
        self._last_id = lines[-1].id if lines else 0
        self._notes = False
        if viewer != self.partner and (drafts := counts.drafts[self.partner]):
            rows.append(Row(None, partial(Content.styled, self._note(a, drafts), "italic $text-muted")))
            self._notes = True
        if not rows:
            self._notes = True
            hint = "No lines yet: press n to write one." if viewer == self.partner else "No lines yet."
            rows.append(Row(None, partial(Content.styled, hint, "italic $text-muted")))
        self._subtitle(counts.waiting[self.partner][viewer] if viewer in (0, 1) else 0)
        self.set_rows(rows)
        if self.highlighted is None and lines:
            # Start on what waits for the person at the keyboard, else on the first line
            # (looked for only when the counts say something waits: 10,000 lines, SPEC §9).
            waits = viewer in (0, 1) and counts.waiting[self.partner][viewer]
            first = next((i for i, line in enumerate(lines) if line.waiting_for == viewer), 0) if waits else 0
            self.highlighted = first
