"""The header line: an icon, then the screen's title and subtitle, centred.

Textual's `Header` is four widgets (the header, its icon, its title and the room for a
clock); each widget costs start-up time in styling, layout and drawing (SPEC §9). This
is the same line drawn by one widget. A click on the icon opens the command palette, as
in the `Header`.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widget import Widget

#: The cells the icon takes on the left, and those kept free on the right (as `Header`).
ICON_CELLS = 8
RIGHT_CELLS = 10
#: The fewest cells a title keeps when its subtitle needs the room.
MIN_TITLE = 12


class TitleBar(Widget):
    """One line at the top: the icon, and the title and subtitle of the screen."""

    ALLOW_SELECT = False

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self, icon: str) -> None:
        super().__init__()
        self.icon = icon

    def on_mount(self) -> None:
        self.tooltip = "Open the command palette" if self.app.ENABLE_COMMAND_PALETTE else None
        for owner in (self.app, self.screen):
            self.watch(owner, "title", self._retitle, init=False)
            self.watch(owner, "sub_title", self._retitle, init=False)

    def _retitle(self) -> None:
        self.refresh()

    def title_content(self, room: int | None = None) -> Content:
        """The title and subtitle as the app formats them (titles are set as text), fitted
        to `room` cells: the title gives way before the subtitle, which says where the
        alliance stands ("signed by Sarah, not yet by Peter" was cut at 80 columns)."""
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        if room is not None and sub_title:
            whole = Content(title)
            over = whole.cell_length + len(" — ") + Content(sub_title).cell_length - room
            if over > 0:
                kept = max(whole.cell_length - over, min(MIN_TITLE, whole.cell_length))
                title = whole.truncate(kept, ellipsis=True).plain
        return app.format_title(title, sub_title)

    def render(self) -> Content:
        width = self.size.width
        icon = Content(f" {self.icon}").pad_right(max(ICON_CELLS - 2, 0))
        room = max(width - ICON_CELLS - RIGHT_CELLS, 0)
        title = self.title_content(room).truncate(room, ellipsis=True)
        left = (room - title.cell_length) // 2
        return icon + Content(" " * left) + title

    def on_click(self, event: events.Click) -> None:
        if event.x < ICON_CELLS and self.app.ENABLE_COMMAND_PALETTE:
            self.app.action_command_palette()
