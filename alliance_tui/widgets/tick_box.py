"""A checkbox that says whether it is ticked without colour."""

from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    """A `Checkbox` whose unticked box is empty: Textual draws an X either way and tells
    them apart by colour only, so on a monochrome terminal, or read aloud, an unticked
    box read as ticked (play-tested; issue 11 had hidden the X by colour alone)."""

    def __init__(
        self, label: str, value: bool = False, *, id: str | None = None, compact: bool = False
    ) -> None:
        super().__init__(label, value, id=id, compact=compact)
        self.BUTTON_INNER = "X" if value else " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()
