"""The status line: who is at the keyboard and what waits for whom."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ..domain import Alliance
from ..domain.seats import Seat
from ..domain.text import visible
from ..domain.views import Tally, turn


class TurnLine(Static):
    """Always says whom this window acts as, so nobody acts in the other's name by mistake."""

    def show(
        self,
        a: Alliance,
        seat: Seat,
        counts: Tally | None = None,
        undone: frozenset[int] = frozenset(),
        *,
        gone: str | None = None,
    ) -> None:
        """`gone` is said instead when this window's seat no longer exists (issue 13);
        `undone` names whose signatures a change took back (issue 11)."""
        if gone is not None:
            self.update(Content.assemble(("▶ ", "bold $text-warning"), Content(visible(gone))))
            return
        said = turn(a, seat.role, counts, bound=seat.bound, undone=undone).describe()
        self.update(Content.assemble(("▶ ", "bold $text-accent"), Content(visible(said))))
