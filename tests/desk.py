"""The table the rules tests negotiate at: an alliance between Sarah (partner 0) and Peter
(partner 1), a clock that moves a minute per action, and the history the actions wrote.

Every rules test drives the domain with plain function calls. A refusal must say why in
the product's words and leave the alliance exactly as it was.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from alliance_tui.domain import (
    AgreedLine,
    Alliance,
    Event,
    Kind,
    Moment,
    Outcome,
    Partner,
    Refused,
)
from alliance_tui.domain.rules import (
    accept,
    agreement,
    draft,
    pass_keyboard,
    propose,
)

SARAH, PETER = 0, 1
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Desk:
    """One alliance on the table, a clock, and the history its actions wrote."""

    def __init__(self) -> None:
        self.a = Alliance(
            id="a1",
            title="Mornings",
            kind=Kind.COUPLE,
            partners=(Partner("Sarah"), Partner("Peter")),
            created_at=START,
        )
        self.now = START
        self.history: list[Event] = []

    def moment(self) -> Moment:
        self.now += timedelta(minutes=1)
        return Moment(at=self.now, session=1)

    def at_keyboard(self, partner: int) -> None:
        """Pass a shared keyboard to `partner` (only the views read who last held it)."""
        if self.a.active != partner:
            self.history += pass_keyboard(self.a, self.a.active, self.moment()).events

    def do(self, action: Callable[..., Outcome], *args: Any, by: int, **kwargs: Any) -> Outcome:
        """`by` does `action`: every rule takes its actor explicitly (SPEC §2, Seat)."""
        outcome = action(self.a, by, *args, when=self.moment(), **kwargs)
        self.history += outcome.events
        return outcome

    def refuse(self, action: Callable[..., Outcome], *args: Any, by: int, why: str, **kwargs: Any) -> None:
        """The action is refused with `why`, and nothing at all changes."""
        before = copy.deepcopy(self.a)
        history = list(self.history)
        with pytest.raises(Refused) as refusal:
            action(self.a, by, *args, when=self.moment(), **kwargs)
        assert refusal.value.reason == why
        assert str(refusal.value) == why
        assert self.a == before
        assert self.history == history

    # -- short ways to reach a state -------------------------------------------------

    def drafted(
        self, text: str = "Quiet mornings until Sarah's first coffee.", by: int = SARAH, **terms: Any
    ) -> int:
        line = self.do(draft, text, by=by, **terms).line
        assert line is not None
        return line.id

    def proposed(
        self, text: str = "Quiet mornings until Sarah's first coffee.", by: int = SARAH, **terms: Any
    ) -> int:
        line_id = self.drafted(text, by=by, **terms)
        self.do(propose, line_id, by=by)
        return line_id

    def agreed(
        self, text: str = "Quiet mornings until Sarah's first coffee.", by: int = SARAH, **terms: Any
    ) -> int:
        line_id = self.proposed(text, by=by, **terms)
        self.do(accept, line_id, by=1 - by)
        return line_id


def last(desk: Desk) -> Event:
    return desk.history[-1]


def in_force(a: Alliance) -> list[AgreedLine]:
    """The agreement, checking that the one the rules keep is the one worked out anew."""
    kept = agreement(a)
    assert agreement(a.replace(agreement_cache=None)) == kept
    return kept
