"""Re-design (SPEC §2): reopening an agreed line, trials, removal."""

from __future__ import annotations

from alliance_tui.domain import (
    Action,
    State,
)
from alliance_tui.domain.rules import (
    accept,
    agreement,
    counter,
    decline,
    reopen,
    sign,
    withdraw,
)

from .desk import PETER, SARAH, Desk, in_force, last

# -- re-design -------------------------------------------------------------------------


def test_reopen_with_a_new_wording_keeps_the_agreed_one_in_force(desk: Desk) -> None:
    line_id = desk.agreed("Quiet mornings.", topic="boundaries")
    desk.do(sign, by=SARAH)
    desk.do(sign, by=PETER)
    agreed = in_force(desk.a)
    desk.do(reopen, line_id, by=PETER, text="Quiet mornings on weekdays.")
    line = desk.a.lines[line_id]
    assert line.state is State.PROPOSED and line.change_pending
    assert line.waiting_for == SARAH
    assert in_force(desk.a) == agreed  # the same wording, terms and agreed_at
    assert [e.text for e in agreed] == ["Quiet mornings."]
    assert line.in_force is not None and line.in_force.text == "Quiet mornings."
    assert not desk.a.changed_since_version  # nothing changed in force yet
    event = last(desk)
    assert (event.action, event.actor, event.text, event.before, event.reason) == (
        Action.REOPENED,
        PETER,
        "Quiet mornings on weekdays.",
        "Quiet mornings.",
        None,
    )
    # The re-design waits for Sarah; Peter cannot accept his own.
    desk.refuse(accept, line_id, by=PETER, why="Peter wrote this wording, so Sarah has to accept it.")
    desk.do(accept, line_id, by=SARAH)
    assert line.state is State.AGREED and not line.change_pending
    assert [e.text for e in agreement(desk.a)] == ["Quiet mornings on weekdays."]
    assert agreement(desk.a)[0].author == PETER
    assert desk.a.changed_since_version
    event = last(desk)
    assert (event.action, event.text, event.before) == (
        Action.ACCEPTED,
        "Quiet mornings on weekdays.",
        "Quiet mornings.",
    )


def test_a_redesign_can_be_countered_while_the_agreed_wording_holds(desk: Desk) -> None:
    line_id = desk.agreed("Quiet mornings.")
    desk.do(reopen, line_id, by=SARAH, text="Quiet mornings and evenings.")
    desk.do(counter, line_id, "Quiet mornings and late evenings.", by=PETER)
    line = desk.a.lines[line_id]
    assert line.state is State.COUNTERED and line.change_pending and line.waiting_for == SARAH
    assert agreement(desk.a)[0].text == "Quiet mornings."


def test_declining_a_redesign_returns_the_line_to_agreed(desk: Desk) -> None:
    line_id = desk.agreed("Quiet mornings.")
    desk.do(reopen, line_id, by=SARAH, text="Silent mornings.")
    desk.do(decline, line_id, by=PETER, reason="Too strict.")
    line = desk.a.lines[line_id]
    assert line.state is State.AGREED and not line.change_pending
    assert line.offer is None and line.waiting_for is None
    assert line.in_force is not None and line.in_force.text == "Quiet mornings."
    assert agreement(desk.a)[0].text == "Quiet mornings."
    event = last(desk)
    assert (event.action, event.text, event.reason) == (Action.DECLINED, "Silent mornings.", "Too strict.")
    # It can be reopened again afterwards.
    desk.do(reopen, line_id, by=PETER, text="Quiet mornings, on weekdays.")
    assert line.change_pending


def test_withdrawing_a_redesign_returns_the_line_to_agreed(desk: Desk) -> None:
    line_id = desk.agreed("Quiet mornings.")
    desk.do(reopen, line_id, by=SARAH, text="Silent mornings.")
    desk.do(withdraw, line_id, by=SARAH)
    line = desk.a.lines[line_id]
    assert line.state is State.AGREED and not line.change_pending and line.offer is None
    assert agreement(desk.a)[0].text == "Quiet mornings."
    assert (last(desk).action, last(desk).text) == (Action.WITHDRAWN, "Silent mornings.")


def test_reopen_for_removal_and_accept_it(desk: Desk) -> None:
    line_id = desk.agreed("Quiet mornings.")
    kept = desk.agreed("Peter cooks.", by=PETER)
    desk.do(sign, by=SARAH)
    desk.do(sign, by=PETER)
    agreed = in_force(desk.a)
    desk.do(reopen, line_id, by=PETER, text=None)
    line = desk.a.lines[line_id]
    assert (line.state, line.removal_by, line.waiting_for) == (State.PROPOSED, PETER, SARAH)
    assert line.change_pending
    assert in_force(desk.a) == agreed
    assert [e.line for e in agreed] == [line_id, kept]
    event = last(desk)
    assert (event.action, event.text, event.before, event.reason) == (
        Action.REOPENED,
        None,
        "Quiet mornings.",
        "remove",
    )
    desk.refuse(
        accept, line_id, by=PETER, why="Peter proposed removing this line, so Sarah has to accept it."
    )
    desk.refuse(
        decline, line_id, by=PETER, why="Peter proposed removing this line, so Sarah has to decline it."
    )
    desk.do(accept, line_id, by=SARAH)
    assert line.state is State.REMOVED and line.removal_by is None
    assert line.in_force is None and not line.change_pending
    assert [e.line for e in agreement(desk.a)] == [kept]
    assert agreement(desk.a)[0].number == agreement(desk.a)[0].line, "it keeps its own number"
    assert desk.a.changed_since_version
    event = last(desk)
    assert (event.action, event.actor, event.before) == (Action.REMOVED, SARAH, "Quiet mornings.")
    desk.refuse(
        reopen,
        line_id,
        by=SARAH,
        text="Back again.",
        why="Only an agreed line can be reopened; this one is removed.",
    )


def test_declining_a_removal_keeps_the_line(desk: Desk) -> None:
    line_id = desk.agreed("Quiet mornings.")
    desk.do(reopen, line_id, by=SARAH, text=None)
    desk.do(decline, line_id, by=PETER, reason="I like it.")
    line = desk.a.lines[line_id]
    assert line.state is State.AGREED and line.removal_by is None and not line.change_pending
    assert agreement(desk.a)[0].text == "Quiet mornings."
    assert (last(desk).action, last(desk).text, last(desk).reason) == (Action.DECLINED, None, "I like it.")


def test_withdrawing_a_removal_keeps_the_line(desk: Desk) -> None:
    line_id = desk.agreed("Quiet mornings.")
    desk.do(reopen, line_id, by=SARAH, text=None)
    desk.refuse(withdraw, line_id, by=PETER, why="Sarah made this offer: only they can withdraw it.")
    desk.do(withdraw, line_id, by=SARAH)
    line = desk.a.lines[line_id]
    assert line.state is State.AGREED and line.removal_by is None
    assert (last(desk).action, last(desk).text) == (Action.WITHDRAWN, None)


def test_a_removal_can_be_answered_with_a_new_wording(desk: Desk) -> None:
    line_id = desk.agreed("Quiet mornings.")
    desk.do(reopen, line_id, by=PETER, text=None)
    desk.do(counter, line_id, "Quiet mornings on weekdays only.", by=SARAH)
    line = desk.a.lines[line_id]
    assert line.state is State.COUNTERED and line.removal_by is None
    assert line.waiting_for == PETER and line.change_pending
    assert agreement(desk.a)[0].text == "Quiet mornings."
    desk.do(accept, line_id, by=PETER)
    assert agreement(desk.a)[0].text == "Quiet mornings on weekdays only."


def test_either_partner_may_reopen(desk: Desk) -> None:
    line_id = desk.agreed("Quiet mornings.")  # Sarah's wording
    desk.do(reopen, line_id, by=SARAH, text="Quiet mornings, mostly.")
    desk.do(withdraw, line_id, by=SARAH)
    desk.do(reopen, line_id, by=PETER, text="Quiet mornings, sometimes.")
    assert desk.a.lines[line_id].waiting_for == SARAH


def test_reopen_refusals(desk: Desk) -> None:
    line_id = desk.agreed("Quiet mornings.", topic="boundaries")
    desk.refuse(
        reopen,
        line_id,
        by=PETER,
        text=" Quiet mornings. ",
        topic="boundaries",
        why="This is the wording already agreed: change the wording or its terms.",
    )
    desk.refuse(reopen, line_id, by=PETER, text="", why="A wording cannot be empty.")
    desk.do(reopen, line_id, by=PETER, text="Quiet mornings.", topic="communication")
    for partner in (SARAH, PETER):
        desk.refuse(
            reopen,
            line_id,
            by=partner,
            text="Another.",
            why="A change to this line is already pending: answer or withdraw it first.",
        )
        desk.refuse(
            reopen,
            line_id,
            by=partner,
            text=None,
            why="A change to this line is already pending: answer or withdraw it first.",
        )
    proposed = desk.proposed("Not agreed.")
    desk.refuse(
        reopen,
        proposed,
        by=PETER,
        text="Other.",
        why="Only an agreed line can be reopened; this one is proposed.",
    )
