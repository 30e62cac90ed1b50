"""Views (SPEC §2): who sees what, what waits for whom; the JSON export of a negotiation."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from alliance_tui.domain import (
    Action,
    Alliance,
    Event,
    Kind,
    Line,
    Partner,
    State,
    Wording,
    views,
)
from alliance_tui.domain.export import iso_time, to_json
from alliance_tui.domain.rules import (
    accept,
    counter,
    decline,
    edit,
    propose,
    reopen,
    sign,
)

from .desk import PETER, SARAH, START, Desk

# -- views: who sees what, and what waits ------------------------------------------


def test_visible_lines_hide_the_other_partners_drafts(desk: Desk) -> None:
    sarahs = desk.drafted("Sarah's secret.", by=SARAH)
    peters = desk.drafted("Peter's secret.", by=PETER)
    shared = desk.proposed("Shared.", by=SARAH)

    def ids(lines: list[Line]) -> list[int]:
        return [line.id for line in lines]

    assert ids(views.visible_lines(desk.a, SARAH)) == [sarahs, shared]
    assert ids(views.visible_lines(desk.a, PETER)) == [peters, shared]
    assert ids(views.visible_lines(desk.a, PETER, author=SARAH)) == [shared]
    assert ids(views.visible_lines(desk.a, SARAH, author=SARAH)) == [sarahs, shared]
    assert views.private_drafts(desk.a, SARAH) == 1
    assert views.private_drafts(desk.a, PETER) == 1
    assert not views.sees(desk.a.lines[sarahs], PETER)
    assert views.sees(desk.a.lines[shared], PETER)


def test_seen_event_hides_draft_wording_from_the_other_partner(desk: Desk) -> None:
    line_id = desk.drafted("First thought.")
    desk.do(edit, line_id, "Second thought.", by=SARAH)
    desk.do(propose, line_id, by=SARAH)
    drafted, edited, proposed = desk.history
    assert views.seen_event(edited, SARAH) == edited
    hidden = views.seen_event(edited, PETER)
    assert (hidden.text, hidden.before) == (None, None)
    assert (hidden.action, hidden.actor, hidden.line, hidden.at) == (
        edited.action,
        edited.actor,
        edited.line,
        edited.at,
    )
    assert views.seen_event(drafted, PETER).text is None
    assert views.seen_event(drafted, None).text is None
    assert views.seen_event(proposed, PETER) == proposed  # proposing shares it
    assert views.seen_event(proposed, None).text == "Second thought."


def test_turn_describes_who_is_active_and_what_waits(desk: Desk) -> None:
    assert views.turn(desk.a).describe() == "Sarah is at the keyboard · nothing waits for Sarah"
    desk.proposed("One.", by=SARAH)
    desk.proposed("Two.", by=SARAH)
    desk.proposed("Three.", by=PETER)
    desk.drafted("Peter's draft.", by=PETER)
    desk.at_keyboard(SARAH)
    turn = views.turn(desk.a)
    assert turn.describe() == (
        "Sarah is at the keyboard · 1 proposal waits for Sarah · 2 proposals wait for Peter"
        " · Peter has 1 private draft"
    )
    assert turn.unsigned_by == ("Sarah", "Peter")
    desk.drafted("Sarah's draft.", by=SARAH)
    desk.drafted("Sarah's other draft.", by=SARAH)
    desk.at_keyboard(PETER)
    assert views.turn(desk.a).describe() == (
        "Peter is at the keyboard · 2 proposals wait for Peter · 1 proposal waits for Sarah"
        " · Sarah has 2 private drafts"
    )


def test_turn_lists_who_has_not_signed(desk: Desk) -> None:
    desk.agreed()
    desk.do(sign, by=PETER)
    assert views.turn(desk.a).unsigned_by == ("Sarah",)
    # Her signature is what waits for Sarah: the status line does not say "nothing waits".
    said = views.turn(desk.a, SARAH).describe()
    assert "Sarah still to sign" in said and "nothing waits" not in said, said
    assert "nothing waits for Peter" in views.turn(desk.a, PETER).describe()


def test_trials_and_review_due_by_date(desk: Desk) -> None:
    trial = desk.agreed("Peter works from home on Fridays.", by=PETER, trial_until=date(2026, 4, 30))
    desk.agreed("No trial.")
    assert views.trials_due(desk.a, date(2026, 4, 30)) == []  # the last day of the trial
    assert views.review_due(desk.a, date(2026, 4, 30)) is False
    assert [line.id for line in views.trials_due(desk.a, date(2026, 5, 1))] == [trial]
    assert views.review_due(desk.a, date(2026, 5, 1)) is True
    # Being re-designed, the trial is being dealt with.
    desk.do(reopen, trial, by=SARAH, text="Peter works from home on Fridays.")
    assert views.trials_due(desk.a, date(2026, 5, 1)) == []
    desk.do(accept, trial, by=PETER)  # kept, without the trial date
    assert views.trials_due(desk.a, date(2027, 1, 1)) == []


def test_the_one_pass_counts_agree_with_the_lists(desk: Desk) -> None:
    """`tally` counts in one pass what `waiting_for`, `private_drafts` and `trials_due` list."""
    due = desk.agreed("Try it.", trial_until=date(2026, 4, 30))
    desk.agreed("Keep it.", by=PETER, trial_until=date(2026, 6, 30))
    desk.proposed("Waits for Peter.")
    desk.proposed("Waits for Sarah.", by=PETER)
    desk.proposed("Also waits for Sarah.", by=PETER)
    desk.drafted("Peter's draft.", by=PETER)
    desk.do(reopen, due, by=PETER, text=None)  # a removal that waits for Sarah
    counts = views.tally(desk.a, date(2026, 7, 1))
    assert (counts.waiting_for(SARAH), counts.waiting_for(PETER)) == (3, 1)
    assert counts.drafts == (0, 1)
    assert counts.trials_due == 1 == len(views.trials_due(desk.a, date(2026, 7, 1)))
    assert views.tally(desk.a, date(2026, 5, 1)).trials_due == 0  # the due one is pending
    assert views.review_due(desk.a, date(2026, 7, 1), counts) is True
    assert views.review_due(desk.a, date(2026, 5, 1), views.tally(desk.a, date(2026, 5, 1))) is False
    assert views.turn(desk.a, counts=counts) == views.turn(desk.a)


def test_kept_counts_follow_the_lines_an_action_changed(desk: Desk) -> None:
    """`KeptTally` counts only the changed lines again, and everything on a new day."""
    kept = views.KeptTally()
    day = date(2026, 7, 1)
    assert kept.count(desk.a, day) == views.tally(desk.a, day)
    due = desk.agreed("Try it.", trial_until=date(2026, 6, 30))
    assert kept.count(desk.a, day) == views.tally(desk.a, day)  # None: counted anew
    waits = desk.drafted("Waits for Peter.")
    kept.count(desk.a, day, [desk.a.lines[waits]])
    for act in (
        lambda: desk.do(propose, waits, by=SARAH),
        lambda: desk.do(reopen, due, by=PETER, text=None),  # no longer due: its removal waits
        lambda: desk.do(accept, due, by=SARAH),
    ):
        outcome = act()
        assert kept.count(desk.a, day, outcome.lines) == views.tally(desk.a, day)
    draft = desk.drafted("Sarah's draft.")
    assert kept.count(desk.a, day, [desk.a.lines[draft]]).drafts == (1, 0)
    # A later day counts every line again: a trial may have fallen due meanwhile.
    later = desk.agreed("Later.", by=PETER, trial_until=date(2026, 7, 2))
    assert kept.count(desk.a, date(2026, 7, 3), [desk.a.lines[later]]).trials_due == 1


def test_a_proposed_trial_is_not_due(desk: Desk) -> None:
    desk.proposed("Try it.", trial_until=date(2026, 1, 1))
    assert views.trials_due(desk.a, date(2026, 6, 1)) == []


def test_review_due_by_the_alliance_review_date(desk: Desk) -> None:
    assert views.review_due(desk.a, date(2030, 1, 1)) is False
    desk.a.review_on = date(2026, 6, 1)
    assert views.review_due(desk.a, date(2026, 6, 1)) is False
    assert views.review_due(desk.a, date(2026, 6, 2)) is True


# -- the JSON export of one small negotiation --------------------------------------


def test_json_export_keeps_drafts_out_and_times_in_utc(desk: Desk) -> None:
    desk.a.created_at = datetime(2026, 3, 2, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    secret = desk.drafted("Sarah's unshared thought.")
    desk.do(edit, secret, "Sarah's second unshared thought.", by=SARAH)
    agreed = desk.agreed("Quiet mornings.", topic="boundaries")
    declined = desk.proposed("Peter cooks.", by=SARAH)
    desk.do(decline, declined, by=PETER, reason="Not always.")
    exported = to_json(
        desk.a,
        [Event(at=START, session=0, actor=None, action=Action.CREATED, text="Mornings"), *desk.history],
    )
    dump = json.dumps(exported)
    assert "unshared" not in dump
    assert exported["alliance"] == {
        "id": "a1",
        "title": "Mornings",
        "kind": "couple",
        "partners": ["Sarah", "Peter"],
        "created_at": "2026-03-02T09:30:00Z",
        "version": 0,
        "review_on": None,
        "fingerprint": None,
        "coach": None,
    }
    line = desk.a.lines[agreed]
    assert exported["agreement"] == [
        {
            "number": agreed,  # the line's own number (SPEC §2, §5)
            "text": "Quiet mornings.",
            "topic": "boundaries",
            "author": "Sarah",
            "agreed_at": iso_time(line.agreed_at),
            "trial_until": None,
            "sign": None,  # SPEC §12: how they will know it works
        }
    ]
    assert exported["open"] == [
        {"id": declined, "text": "Peter cooks.", "author": "Sarah", "state": "declined", "waiting_for": None}
    ]
    history = exported["history"]
    assert history[0]["actor"] is None and history[0]["action"] == "created"
    assert [h["action"] for h in history[1:3]] == ["drafted", "edited"]
    assert all(h["text"] is None and h["before"] is None for h in history[1:3])
    assert history[-1]["reason"] == "Not always."


def test_json_export_names_the_author_of_the_wording_that_waits(desk: Desk) -> None:
    """`open[].author` is who wrote the wording that waits (SPEC §5), not who first wrote
    the line: Peter's counter to Sarah's line is Peter's, and so is his re-design of hers."""
    countered = desk.proposed("Dishes done before bed.", by=SARAH)
    desk.do(counter, countered, "Dishes done before bed, please.", by=PETER)
    redesigned = desk.agreed("Quiet mornings.")
    desk.do(reopen, redesigned, by=PETER, text="Quiet mornings, within a week.")
    removal = desk.agreed("Friday is pizza night.")
    desk.do(reopen, removal, by=SARAH)  # Sarah proposes taking out her own line
    exported = to_json(desk.a, list(desk.history))
    assert {entry["id"]: (entry["author"], entry["waiting_for"]) for entry in exported["open"]} == {
        countered: ("Peter", "Sarah"),
        redesigned: ("Peter", "Sarah"),
        removal: ("Sarah", "Peter"),
    }


@given(st.lists(st.tuples(st.sampled_from(list(State)), st.integers(0, 1)), max_size=30), st.integers(-1, 2))
def test_visible_lines_are_the_lines_the_viewer_sees(lines: list[tuple[State, int]], viewer: int) -> None:
    """`visible_lines` (written out for speed) keeps exactly the lines `sees` lets through."""
    when = datetime(2026, 1, 1, tzinfo=UTC)
    a = Alliance(id="a", title="t", kind=Kind.COUPLE, partners=(Partner("A"), Partner("B")), created_at=when)
    for number, (state, author) in enumerate(lines, start=1):
        a.lines[number] = Line(number, author, state, [Wording("x", author, when)], 0)
    for author in (None, 0, 1):
        expected = [
            line for line in a.lines.values() if views.sees(line, viewer) and author in (None, line.author)
        ]
        assert views.visible_lines(a, viewer, author) == expected
