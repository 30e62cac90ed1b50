"""How events read in the timeline: every action has its words, nothing crashes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alliance_tui.domain import Action, Alliance, Event, Kind, Partner
from alliance_tui.domain.model import Reset
from alliance_tui.widgets.render import VERBS, event_prompt

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _alliance() -> Alliance:
    return Alliance("a1", "Mornings", Kind.COUPLE, (Partner("Sarah"), Partner("Peter")), AT)


def test_every_action_has_words_in_the_timeline() -> None:
    assert set(VERBS) == set(Action), "a new Action needs its words in render.VERBS"


@pytest.mark.parametrize("action", list(Action))
def test_every_action_renders(action: Action) -> None:
    event = Event(AT, 1, 0, action, line=None, text="new [b]words[/]", before="old", reason="rename")
    plain = event_prompt(_alliance(), event).plain
    assert plain.startswith("2026-03-02") and "Sarah" in plain


def test_a_change_proposed_reads_as_a_sentence() -> None:
    event = Event(AT, 1, 1, Action.CHANGE_PROPOSED, text="Quiet mornings", reason="rename")
    assert event_prompt(_alliance(), event).plain.endswith("Peter proposed to rename it to Quiet mornings")


def test_actions_after_a_passphrase_reset_are_marked() -> None:
    a = _alliance()
    a.partners[1].reset = Reset(by=0, at=AT)
    event = Event(AT, 1, 1, Action.PROPOSED, line=3, text="Quiet")
    assert "(passphrase reset)" in event_prompt(a, event, unguarded=True).plain
    assert "(passphrase reset)" not in event_prompt(a, event).plain


def test_a_change_of_terms_only_says_so() -> None:
    event = Event(AT, 1, 0, Action.EDITED, line=2, text="Quiet mornings", before="Quiet mornings")
    plain = event_prompt(_alliance(), event).plain
    assert plain.endswith("edited a draft line 2: Quiet mornings  (its topic or trial date changed)")
