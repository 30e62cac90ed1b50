"""Check-ins (SPEC §12): each partner rates every agreed line in private; both finished,
the ratings are revealed together, the lines not working first, and the trends grow."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from alliance_tui.domain import Action, Kind, checkins, rules
from alliance_tui.domain.checkins import finish, rate, write_note
from alliance_tui.domain.export import to_json, to_markdown, to_text
from alliance_tui.domain.model import COACH, Rating
from alliance_tui.domain.views import news, seen_event, turn
from alliance_tui.store import Store
from alliance_tui.widgets.render import event_prompt

from .conftest import FakeClock
from .desk import PETER, SARAH, Desk

W, M, X = Rating.WORKING, Rating.WOBBLY, Rating.NOT_WORKING


def _three_agreed(desk: Desk) -> tuple[int, int, int]:
    return (
        desk.agreed("Quiet mornings until Sarah's first coffee."),
        desk.agreed("Whoever cooks does not wash up.", by=PETER),
        desk.agreed("One evening each to ourselves."),
    )


def test_a_check_in_is_private_until_both_finish_then_revealed_worst_first(desk: Desk) -> None:
    quiet, cooks, evening = _three_agreed(desk)
    desk.do(rate, quiet, W, by=SARAH)
    desk.do(rate, cooks, X, by=SARAH)
    desk.do(write_note, cooks, "The pans pile up.", by=SARAH)
    desk.refuse(
        finish,
        by=SARAH,
        why="1 line still to rate (line 3): 1, 2 or 3 rates the selected line, then enter finishes.",
    )
    desk.do(rate, evening, M, by=SARAH)
    desk.do(finish, by=SARAH)
    assert checkins.own_ratings(desk.a, PETER) == {}, "Peter sees none of Sarah's ratings"
    assert checkins.own_ratings(desk.a, COACH) == {}
    assert checkins.status(desk.a) == "Check-in: Sarah done · Peter rating"
    assert "the check-in waits for Peter's ratings (h)" in turn(desk.a, PETER).describe()
    exported = json.dumps(to_json(desk.a, desk.history))
    assert "pans" not in exported and json.loads(exported)["checkins"] == []
    desk.refuse(
        rate,
        quiet,
        X,
        by=SARAH,
        why="Sarah has finished this check-in: the ratings show once Peter has finished too.",
    )
    for line_id, rating in ((quiet, W), (cooks, M), (evening, W)):
        desk.do(rate, line_id, rating, by=PETER)
    desk.do(finish, by=PETER)
    assert desk.a.checkin is None
    (checked,) = desk.a.checkins
    assert checkins.in_order(checked) == [(X, [cooks]), (M, [evening]), (W, [quiet])]
    revealed = desk.history[-1]
    assert (revealed.action, revealed.actor, revealed.reason) == (Action.CHECKED_IN, PETER, "revealed")
    assert revealed.text == "1 working, 1 wobbly, 1 not working (line 2)"
    exported_after = to_json(desk.a, desk.history)["checkins"]
    assert exported_after[0]["ratings"][2:4] == [
        {"line": cooks, "partner": "Sarah", "rating": "not_working", "note": "The pans pile up."},
        {"line": cooks, "partner": "Peter", "rating": "wobbly", "note": None},
    ]


def test_the_coach_does_not_rate_and_sees_nothing_before_the_reveal(desk: Desk) -> None:
    desk.a.coach = "Cleo"
    quiet, _, _ = _three_agreed(desk)
    why = (
        "Cleo, the coach, does not rate: each partner rates the agreement privately, and the ratings "
        "show to everyone once both have finished."
    )
    desk.refuse(rate, quiet, W, by=COACH, why=why)
    desk.refuse(finish, by=COACH, why=why)
    desk.do(rate, quiet, X, by=SARAH)
    assert "Check-in: Sarah rating · Peter rating" in turn(desk.a, COACH).describe()


def test_only_agreed_lines_are_rated_and_a_note_needs_a_rating(desk: Desk) -> None:
    quiet = desk.agreed()
    pending = desk.proposed("Invoices on Fridays.")
    desk.refuse(
        rate,
        pending,
        W,
        by=PETER,
        why=f"Line {pending} is not in the agreement: a check-in rates agreed lines only.",
    )
    desk.refuse(
        rate, 99, W, by=PETER, why="Line 99 is not in the agreement: a check-in rates agreed lines only."
    )
    desk.refuse(
        write_note, quiet, "Hm.", by=PETER, why=f"Rate line {quiet} first (1, 2 or 3), then write its note."
    )


def test_nothing_to_rate_before_anything_is_agreed(desk: Desk) -> None:
    desk.proposed()
    desk.refuse(finish, by=SARAH, why="Nothing is agreed yet: a check-in rates the agreed lines.")


def test_a_line_agreed_during_a_check_in_waits_for_the_next_one_and_a_removed_one_drops_out(
    desk: Desk,
) -> None:
    quiet, cooks, evening = _three_agreed(desk)
    desk.do(rate, cooks, X, by=SARAH)  # the check-in opens: lines 1, 2, 3
    later = desk.agreed("Tuesdays are for friends.", by=PETER)
    desk.refuse(
        rate,
        later,
        W,
        by=SARAH,
        why=f"Line {later} was agreed after this check-in began: the next check-in rates it.",
    )
    # Peter proposes removing line 2, and Sarah agrees: it drops out of the check-in.
    desk.do(rules.reopen, cooks, by=PETER)
    desk.do(rules.accept, cooks, by=SARAH)
    assert [item.line for item in checkins.to_rate(desk.a)] == [quiet, evening]
    for partner in (SARAH, PETER):
        desk.do(rate, quiet, W, by=partner)
        desk.do(rate, evening, M, by=partner)
        desk.do(finish, by=partner)
    (checked,) = desk.a.checkins
    assert {given.line for given in checked.ratings} == {quiet, evening}, "no rating of a line taken out"
    assert [item.line for item in checkins.to_rate(desk.a)] == [quiet, evening, later], "the next rates it"


def test_trends_show_the_lower_rating_of_each_of_the_last_five_check_ins(desk: Desk) -> None:
    quiet = desk.agreed()
    said = [(W, W), (W, M), (X, W), (M, M), (W, W), (X, M)]
    for sarah, peter in said:
        desk.do(rate, quiet, sarah, by=SARAH)
        desk.do(finish, by=SARAH)
        desk.do(rate, quiet, peter, by=PETER)
        desk.do(finish, by=PETER)
    assert checkins.trend(desk.a, quiet) == [M, X, M, W, X]
    assert "".join(r.mark for r in checkins.trend(desk.a, quiet)) == "~✗~✓✗"


def test_the_timeline_reads_well_and_says_nothing_private(desk: Desk) -> None:
    quiet = desk.agreed()
    desk.do(rate, quiet, X, by=SARAH)
    desk.do(write_note, quiet, "Too early for me.", by=SARAH)
    desk.do(finish, by=SARAH)
    finished = desk.history[-1]
    assert event_prompt(desk.a, seen_event(finished, PETER)).plain.endswith(
        "Sarah checked in  (ratings private until both have checked in)"
    )
    assert news(desk.a, finished, PETER) == "Sarah finished their check-in: it waits for your ratings (h)."
    desk.do(rate, quiet, W, by=PETER)
    desk.do(finish, by=PETER)
    assert event_prompt(desk.a, desk.history[-1]).plain.endswith(
        "Peter checked in too, and both ratings are revealed: 1 not working (line 1)"
    )
    assert event_prompt(desk.a, seen_event(finished, PETER)).plain.endswith("Sarah checked in"), (
        "revealed since: no longer said to be private"
    )
    assert to_markdown(desk.a) == to_markdown(desk.a) and "Too early" not in to_text(desk.a)


def test_the_review_date_a_check_in_suggests_goes_by_kind() -> None:
    today = date(2026, 1, 31)
    assert checkins.next_review(Kind.WORK, today) == date(2026, 2, 28)
    assert checkins.next_review(Kind.COUPLE, today) == date(2026, 4, 30)
    assert checkins.next_review(Kind.FAMILY, date(2026, 8, 15)) == date(2027, 2, 15)
    assert all(checkins.next_review(kind, today) > today for kind in Kind)


def test_an_open_and_a_revealed_check_in_are_saved_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    store = Store(path, clock=FakeClock())
    alliance_id = store.create(("Ann", "Bob"), title="Studio").id
    line = store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Invoices on Fridays.", m)).outcome.lines[0]
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, line.id, m))
    store.act(alliance_id, lambda a, m: rules.accept(a, 1, line.id, m))
    store.act(alliance_id, lambda a, m: rate(a, 0, line.id, X, m))
    store.act(alliance_id, lambda a, m: write_note(a, 0, line.id, "Mondays suit me.", m))
    store.act(alliance_id, lambda a, m: finish(a, 0, m))
    again = Store(path).load(alliance_id)
    assert again.checkin is not None and again.checkin.done == {0}
    assert again.checkin.ratings == {0: {line.id: (X, "Mondays suit me.")}}
    store.act(alliance_id, lambda a, m: rate(a, 1, line.id, W, m))
    store.act(alliance_id, lambda a, m: finish(a, 1, m))
    again = Store(path).load(alliance_id)
    assert again.checkin is None and len(again.checkins) == 1
    assert [tuple(g) for g in again.checkins[0].ratings] == [
        (line.id, 0, X, "Mondays suit me."),
        (line.id, 1, W, None),
    ]
    assert Store(path).audit(alliance_id) is None


def test_an_open_check_in_can_be_withdrawn_unseen(desk: Desk) -> None:
    quiet = desk.agreed()
    desk.refuse(checkins.withdraw_checkin, by=SARAH, why="No check-in is open: h starts one.")
    desk.do(rate, quiet, X, by=SARAH)
    desk.do(write_note, quiet, "Secret.", by=SARAH)
    desk.do(finish, by=SARAH)
    desk.do(checkins.withdraw_checkin, by=PETER)
    assert desk.a.checkin is None and desk.a.checkins == []
    said = event_prompt(desk.a, desk.history[-1]).plain
    assert said.endswith("Peter withdrew the open check-in  (its ratings discarded, never shown)")
    assert news(desk.a, desk.history[-1], SARAH) == (
        "Peter withdrew the open check-in: its ratings were discarded, never shown."
    )
    assert "Secret" not in json.dumps(to_json(desk.a, desk.history))
    desk.do(rate, quiet, W, by=SARAH)  # a new one starts afresh
    assert checkins.own_ratings(desk.a, SARAH) == {quiet: (W, None)}


def test_a_line_being_redesigned_is_still_rated_and_the_lists_say_a_check_in_is_open(desk: Desk) -> None:
    """A reopened line stays in force until answered (SPEC §2), so the check-in rates it;
    the alliance list and `list` say who is done."""
    from alliance_tui.domain.views import pending

    quiet, cooks, _ = _three_agreed(desk)
    desk.do(rules.reopen, quiet, text="Quiet mornings, and no phones at breakfast.", by=PETER)
    assert quiet in {item.line for item in checkins.to_rate(desk.a)}
    desk.do(rate, quiet, M, by=SARAH)
    assert checkins.own_ratings(desk.a, SARAH)[quiet] == (M, None)
    assert pending(desk.a).endswith("Check-in: Sarah rating · Peter rating")


def test_a_lines_story_tells_its_revealed_check_ins_only(desk: Desk) -> None:
    from alliance_tui.screens.line_story import story

    quiet = desk.agreed()
    desk.do(rate, quiet, X, by=SARAH)
    desk.do(write_note, quiet, "Too early for me.", by=SARAH)
    desk.do(finish, by=SARAH)
    assert "Its check-ins" not in story(desk.a, desk.a.lines[quiet], desk.history, PETER).plain
    desk.do(rate, quiet, W, by=PETER)
    desk.do(finish, by=PETER)
    told = story(desk.a, desk.a.lines[quiet], desk.history, PETER).plain
    assert "Sarah ✗ not working: Too early for me. · Peter ✓ working" in told


def test_the_rhythm_a_check_in_suggests_reads_well_for_every_kind() -> None:
    """ "A other alliance does well to check in every 3 months" (play-tested)."""
    assert checkins.rhythm(Kind.COUPLE) == "Every 3 months is a good rhythm for a couple"
    assert checkins.rhythm(Kind.WORK) == "Every month is a good rhythm for an employee and a manager"
    assert checkins.rhythm(Kind.OTHER) == "Every 3 months is a good rhythm for most alliances"
    assert all(checkins.rhythm(kind).startswith("Every ") for kind in Kind)
