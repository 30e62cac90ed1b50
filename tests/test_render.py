"""How events read in the timeline: every action has its words, nothing crashes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from alliance_tui.domain import Action, Alliance, Event, Kind, Partner, rules
from alliance_tui.domain.model import Reset
from alliance_tui.widgets.render import VERBS, event_prompt

from .desk import PETER, SARAH, Desk

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


def test_the_timeline_reads_as_sentences_people_would_say() -> None:
    """Play-tested wordings: the offer is withdrawn, not the line; the kind is changed to
    one; nobody in particular created the alliance (it read "— created the alliance")."""
    a = _alliance()
    withdrawn = Event(AT, 1, 0, Action.WITHDRAWN, line=2, text="Quiet mornings, within a week")
    assert event_prompt(a, withdrawn).plain.endswith(
        "Sarah withdrew the offer on line 2: Quiet mornings, within a week"
    )
    rekind = Event(AT, 1, 0, Action.CHANGE_PROPOSED, text="family", reason="rekind")
    assert event_prompt(a, rekind).plain.endswith("Sarah proposed to change its kind to family")
    deleted = Event(AT, 1, 1, Action.DELETED, line=6, text="Towels", private=True)
    assert "Peter deleted draft line 6" in event_prompt(a, deleted).plain
    created = Event(AT, 0, None, Action.CREATED, text="Mornings")
    assert event_prompt(a, created).plain.endswith(":00  The alliance was created: Mornings")


def test_actions_after_a_passphrase_reset_are_marked() -> None:
    a = _alliance()
    a.partners[1].reset = Reset(by=0, at=AT)
    event = Event(AT, 1, 1, Action.PROPOSED, line=3, text="Quiet")
    assert "(passphrase reset)" in event_prompt(a, event, unguarded=True).plain
    assert "(passphrase reset)" not in event_prompt(a, event).plain


def test_a_change_of_terms_only_says_which_and_to_what_when_the_line_is_unknown() -> None:
    event = Event(AT, 1, 0, Action.EDITED, line=2, text="Quiet mornings", before="Quiet mornings")
    plain = event_prompt(_alliance(), event).plain
    assert plain.endswith("edited draft line 2: Quiet mornings  (its terms changed)")


def _said(desk: Desk) -> str:
    return event_prompt(desk.a, desk.history[-1]).plain.split("  ", 1)[1]


def test_an_edit_a_counter_and_a_reopen_say_which_terms_changed_and_to_what(desk: Desk) -> None:
    """Read from the line's wordings: events carry only the words (issue 11 item 9)."""
    words = "Quiet mornings."
    line = desk.drafted(words, trial_until=date(2026, 5, 1))
    desk.do(rules.edit, line, words, by=SARAH)  # the trial taken out, the words the same
    assert _said(desk) == "Sarah edited draft line 1: Quiet mornings.  (trial until 2026-05-01 → none)"

    desk.do(rules.propose, line, by=SARAH)
    desk.do(rules.counter, line, "Quiet mornings, please.", by=PETER, topic="boundaries")
    assert _said(desk) == (
        "Peter amended line 1: Quiet mornings. → Quiet mornings, please.  (topic none → boundaries)"
    )
    desk.do(rules.accept, line, by=SARAH)

    desk.do(
        rules.reopen,
        line,
        by=SARAH,
        text="Quiet mornings, please.",
        topic="logistics",
        trial_until=date(2026, 6, 1),
        sign="Nobody sighs.",
    )
    assert _said(desk) == (
        "Sarah reopened line 1: Quiet mornings, please.  (topic boundaries → logistics; "
        "trial until none → 2026-06-01; sign none → “Nobody sighs.”)"
    )


def test_a_hidden_draft_edit_says_nothing_of_its_terms(desk: Desk) -> None:
    from alliance_tui.domain.views import seen_event

    line = desk.drafted("Quiet mornings.", trial_until=date(2026, 5, 1))
    desk.do(rules.edit, line, "Quiet mornings.", by=SARAH)
    hidden = event_prompt(desk.a, seen_event(desk.history[-1], PETER)).plain
    assert hidden.endswith("Sarah edited draft line 1  (private draft)")


def test_a_mark_taken_off_and_a_revealed_answer_read_as_sentences() -> None:
    """The play-through read "Dana marked line 2: mark taken away" and a revealed answer
    followed by "reason: <the question>"."""
    from alliance_tui.domain import rounds
    from alliance_tui.domain.alliance_rules import flag
    from alliance_tui.domain.model import COACH

    from .desk import PETER, SARAH, Desk

    desk = Desk()
    desk.a.coach = "Dana"
    line = desk.agreed()
    desk.do(flag, line, by=COACH)
    desk.do(flag, line, by=COACH)
    said = event_prompt(desk.a, desk.history[-1]).plain
    assert said.endswith(f"Dana took the mark off line {line}"), said
    desk.do(rounds.ask, "What would make mornings easy?", by=COACH)
    desk.do(rounds.answer, "Coffee first.", by=SARAH)
    desk.do(rounds.answer, "A quiet kitchen.", by=PETER)
    revealed = [e for e in desk.history if e.action.value == "revealed"]
    said = event_prompt(desk.a, revealed[0]).plain
    assert "reason:" not in said and "(the question: What would make mornings easy?)" in said, said


def test_line_numbers_keep_the_states_in_one_column_past_nine() -> None:
    """Line 8 and line 10 of one pane: their states start in the same column."""
    from alliance_tui.domain import Line, State, Wording
    from alliance_tui.widgets.render import line_prompt

    a = _alliance()
    a.next_line = 11
    rows = [
        line_prompt(a, Line(n, 0, State.DRAFT, [Wording("Quiet", 0, AT)], 0), 0, AT.date()).plain
        for n in (8, 10)
    ]
    assert rows == [" 8. draft     Quiet", "10. draft     Quiet"]
