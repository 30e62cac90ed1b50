"""The small lists (versions, alliances, prompts): an OptionList keyed by record id.

OptionList renders only what is visible. The panes, which can hold 10,000 lines, use
`virtual_list.VirtualList` instead, which does not even measure what it does not show.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList


class LineList(OptionList):
    """An OptionList that moves with j/k too and remembers its selection by id."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def selected_id(self) -> str | None:
        option = self.highlighted_option
        return None if option is None else option.id

    def select_id(self, option_id: str | None) -> None:
        """Highlight the option with this id, if it is still there."""
        if option_id is None:
            return
        try:
            self.highlighted = self.get_option_index(option_id)
        except Exception:  # OptionDoesNotExist: the line is gone, keep what is highlighted
            return
