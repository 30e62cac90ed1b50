"""The status line: who is at the keyboard and what waits for whom."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ..domain import Alliance
from ..domain.text import visible
from ..domain.views import Tally, turn


class TurnLine(Static):
    """Always says who is active, so nobody acts in the other's name by mistake."""

    def show(self, a: Alliance, counts: Tally | None = None) -> None:
        self.update(
            Content.assemble(("▶ ", "bold $text-accent"), Content(visible(turn(a, counts).describe())))
        )
