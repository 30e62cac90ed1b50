"""The rule of consent (SPEC §2): propose, accept, counter, decline, withdraw, revise."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from alliance_tui.domain import (
    Action,
    Outcome,
    State,
    views,
)
from alliance_tui.domain.rules import (
    accept,
    agreement,
    counter,
    decline,
    propose,
    reopen,
    revise,
    withdraw,
)

from .desk import PETER, SARAH, Desk, last

# -- propose, accept, the rule of consent --------------------------------------------


def test_propose_offers_the_draft_to_the_other_partner(desk: Desk) -> None:
    line_id = desk.drafted("Quiet mornings.")
    assert views.visible_lines(desk.a, PETER) == []
    desk.do(propose, line_id, by=SARAH)
    line = desk.a.lines[line_id]
    assert line.state is State.PROPOSED
    assert (line.offered_by, line.waiting_for) == (SARAH, PETER)
    assert views.waiting_for(desk.a, PETER) == [line]
    assert views.waiting_for(desk.a, SARAH) == []
    assert views.visible_lines(desk.a, PETER) == [line]
    event = last(desk)
    assert (event.action, event.actor, event.text, event.private) == (
        Action.PROPOSED,
        SARAH,
        "Quiet mornings.",
        False,
    )


def test_the_other_partner_accepting_puts_the_wording_in_force(desk: Desk) -> None:
    line_id = desk.proposed("Quiet mornings.", topic="boundaries", trial_until=date(2026, 4, 1))
    outcome = desk.do(accept, line_id, by=PETER)
    line = desk.a.lines[line_id]
    assert outcome.lines == [line]
    assert line.state is State.AGREED
    assert line.in_force is not None and line.in_force.text == "Quiet mornings."
    assert line.in_force.by == SARAH
    assert line.agreed_at == desk.now
    assert line.offer is None and line.waiting_for is None and not line.change_pending
    assert desk.a.changed_since_version
    event = last(desk)
    assert (event.action, event.actor, event.text, event.before) == (
        Action.ACCEPTED,
        PETER,
        "Quiet mornings.",
        None,
    )
    (entry,) = agreement(desk.a)
    assert (entry.number, entry.line, entry.text, entry.topic, entry.author) == (
        1,
        line_id,
        "Quiet mornings.",
        "boundaries",
        SARAH,
    )
    assert entry.agreed_at == desk.now and entry.trial_until == date(2026, 4, 1)


@pytest.mark.parametrize(("action", "doing"), [(accept, "accept"), (decline, "decline")])
def test_a_partner_cannot_answer_their_own_wording(
    desk: Desk, action: Callable[..., Outcome], doing: str
) -> None:
    line_id = desk.proposed()
    desk.refuse(action, line_id, by=SARAH, why=f"Sarah wrote this wording, so Peter has to {doing} it.")
    assert agreement(desk.a) == []


def test_a_partner_cannot_amend_their_own_wording(desk: Desk) -> None:
    line_id = desk.proposed()
    desk.refuse(
        counter, line_id, "Better words.", by=SARAH, why="Sarah wrote this wording, so Peter has to amend it."
    )


def test_accepting_ones_own_counter_is_refused(desk: Desk) -> None:
    """The rule of consent follows the wording, not the line: Peter wrote the counter."""
    line_id = desk.proposed("Quiet mornings.")
    desk.do(counter, line_id, "Quiet mornings, but a hello is fine.", by=PETER)
    desk.refuse(accept, line_id, by=PETER, why="Peter wrote this wording, so Sarah has to accept it.")


def test_a_draft_cannot_be_answered(desk: Desk) -> None:
    line_id = desk.drafted()
    desk.refuse(accept, line_id, by=SARAH, why="This is still your draft: nothing has been proposed yet.")
    desk.refuse(accept, line_id, by=PETER, why="This is still Sarah's draft: nothing has been proposed yet.")
    desk.refuse(decline, line_id, by=PETER, why="This is still Sarah's draft: nothing has been proposed yet.")


@pytest.mark.parametrize(("action", "doing"), [(accept, "accept"), (decline, "decline")])
def test_nothing_to_answer_on_an_agreed_line(desk: Desk, action: Callable[..., Outcome], doing: str) -> None:
    line_id = desk.agreed()
    for partner in (SARAH, PETER):
        desk.refuse(action, line_id, by=partner, why=f"This line is agreed: there is nothing to {doing}.")


def test_nothing_to_amend_on_a_declined_or_withdrawn_line(desk: Desk) -> None:
    declined = desk.proposed("One.")
    desk.do(decline, declined, by=PETER)
    withdrawn = desk.proposed("Two.")
    desk.do(withdraw, withdrawn, by=SARAH)
    desk.refuse(
        counter, declined, "Other.", by=PETER, why="This line is declined: there is nothing to amend."
    )
    desk.refuse(accept, withdrawn, by=PETER, why="This line is withdrawn: there is nothing to accept.")


# -- counter ---------------------------------------------------------------------------


def test_counters_go_back_and_forth_until_one_is_accepted(desk: Desk) -> None:
    line_id = desk.proposed("No talking before coffee.")
    desk.do(counter, line_id, "No talking before coffee, except 'good morning'.", by=PETER)
    line = desk.a.lines[line_id]
    assert line.state is State.COUNTERED
    assert (line.offered_by, line.waiting_for, line.author) == (PETER, SARAH, SARAH)
    event = last(desk)
    assert (event.action, event.actor, event.text, event.before) == (
        Action.COUNTERED,
        PETER,
        "No talking before coffee, except 'good morning'.",
        "No talking before coffee.",
    )
    desk.do(counter, line_id, "No talking before coffee, a wave is fine.", by=SARAH)
    assert line.waiting_for == PETER
    desk.do(counter, line_id, "A wave and a smile before coffee.", by=PETER, topic="mornings")
    assert line.waiting_for == SARAH
    desk.do(accept, line_id, by=SARAH)
    assert line.state is State.AGREED
    assert line.in_force is not None
    assert (line.in_force.text, line.in_force.by, line.in_force.topic) == (
        "A wave and a smile before coffee.",
        PETER,
        "mornings",
    )
    assert len(line.wordings) == 4  # every wording it ever had is kept
    (entry,) = agreement(desk.a)
    assert entry.author == PETER


def test_a_counter_must_differ(desk: Desk) -> None:
    line_id = desk.proposed("Quiet mornings.", topic="boundaries")
    desk.refuse(
        counter,
        line_id,
        "Quiet mornings.",
        by=PETER,
        topic="boundaries",
        why="An amendment needs a different wording or terms; to agree, accept it.",
    )
    desk.do(counter, line_id, "Quiet mornings.", by=PETER, topic="boundaries", trial_until=date(2026, 4, 1))
    assert desk.a.lines[line_id].current.trial_until == date(2026, 4, 1)


def test_a_counter_refuses_an_empty_wording(desk: Desk) -> None:
    line_id = desk.proposed()
    desk.refuse(counter, line_id, "  ", by=PETER, why="A wording cannot be empty.")


# -- decline, withdraw, revise ------------------------------------------------------


def test_decline_with_a_reason(desk: Desk) -> None:
    line_id = desk.proposed("Peter cooks every night.")
    desk.do(decline, line_id, by=PETER, reason="  Not every night.  ")
    line = desk.a.lines[line_id]
    assert line.state is State.DECLINED
    assert line.reason == "Not every night."
    assert line.waiting_for is None and agreement(desk.a) == []
    event = last(desk)
    assert (event.action, event.actor, event.text, event.reason) == (
        Action.DECLINED,
        PETER,
        "Peter cooks every night.",
        "Not every night.",
    )


def test_decline_without_a_reason(desk: Desk) -> None:
    line_id = desk.proposed()
    desk.do(decline, line_id, by=PETER, reason="   ")
    assert desk.a.lines[line_id].reason is None
    assert last(desk).reason is None


def test_decline_refuses_a_reason_too_long(desk: Desk) -> None:
    line_id = desk.proposed()
    desk.refuse(
        decline,
        line_id,
        by=PETER,
        reason="r" * 1001,
        why="A reason can be at most 1,000 characters (1,001 typed).",
    )


def test_the_author_revises_a_declined_line_back_to_draft(desk: Desk) -> None:
    line_id = desk.proposed("Peter cooks every night.")
    desk.do(decline, line_id, by=PETER, reason="Not every night.")
    desk.refuse(
        revise, line_id, "Peter cooks.", by=PETER, why="Sarah wrote this wording: only they can revise it."
    )
    desk.do(revise, line_id, "Peter cooks on weekdays.", by=SARAH, topic="logistics")
    line = desk.a.lines[line_id]
    assert line.state is State.DRAFT and line.author == SARAH
    assert line.reason is None
    assert line.current.text == "Peter cooks on weekdays."
    assert line.current.topic == "logistics"
    event = last(desk)
    assert (event.action, event.text, event.before, event.private) == (
        Action.EDITED,
        "Peter cooks on weekdays.",
        "Peter cooks every night.",
        True,
    )
    # Back to draft means private again: Peter no longer reads it.
    assert views.visible_lines(desk.a, PETER) == []
    desk.do(propose, line_id, by=SARAH)
    desk.do(accept, line_id, by=PETER)
    assert agreement(desk.a)[0].text == "Peter cooks on weekdays."


def test_the_writer_of_a_declined_counter_is_the_one_who_revises(desk: Desk) -> None:
    line_id = desk.proposed("Sarah's words.")
    desk.do(counter, line_id, "Peter's words.", by=PETER)
    desk.do(decline, line_id, by=SARAH)
    desk.refuse(revise, line_id, "Again.", by=SARAH, why="Peter wrote this wording: only they can revise it.")
    desk.do(revise, line_id, "Peter's second words.", by=PETER)
    assert desk.a.lines[line_id].author == PETER


def test_revise_only_a_declined_or_withdrawn_line(desk: Desk) -> None:
    proposed = desk.proposed("One.")
    agreed = desk.agreed("Two.")
    drafted = desk.drafted("Three.")
    desk.refuse(
        revise,
        proposed,
        "New.",
        by=SARAH,
        why="Only a declined or withdrawn line can be revised; this one is proposed.",
    )
    desk.refuse(
        revise,
        agreed,
        "New.",
        by=SARAH,
        why="Only a declined or withdrawn line can be revised; this one is agreed.",
    )
    desk.refuse(
        revise,
        drafted,
        "New.",
        by=SARAH,
        why="Only a declined or withdrawn line can be revised; this one is draft.",
    )


def test_revise_refuses_an_empty_wording(desk: Desk) -> None:
    line_id = desk.proposed()
    desk.do(withdraw, line_id, by=SARAH)
    desk.refuse(revise, line_id, "", by=SARAH, why="A wording cannot be empty.")


def test_withdraw_takes_back_an_unanswered_proposal(desk: Desk) -> None:
    line_id = desk.proposed("Quiet mornings.")
    desk.refuse(withdraw, line_id, by=PETER, why="Sarah made this offer: only they can withdraw it.")
    desk.do(withdraw, line_id, by=SARAH)
    line = desk.a.lines[line_id]
    assert line.state is State.WITHDRAWN and line.waiting_for is None
    event = last(desk)
    assert (event.action, event.actor, event.text) == (Action.WITHDRAWN, SARAH, "Quiet mornings.")
    desk.do(revise, line_id, "Quiet mornings, mostly.", by=SARAH)
    assert line.state is State.DRAFT


def test_withdraw_a_counter_is_for_its_writer(desk: Desk) -> None:
    line_id = desk.proposed("Sarah's words.")
    desk.do(counter, line_id, "Peter's words.", by=PETER)
    desk.refuse(withdraw, line_id, by=SARAH, why="Peter made this offer: only they can withdraw it.")
    desk.do(withdraw, line_id, by=PETER)
    line = desk.a.lines[line_id]
    assert line.state is State.PROPOSED, "only the counter is taken back: the line does not end"
    assert line.current.text == "Sarah's words." and line.waiting_for == PETER
    assert (desk.history[-1].action, desk.history[-1].text) == (Action.WITHDRAWN, "Peter's words.")


def test_withdrawing_counters_takes_them_back_one_at_a_time(desk: Desk) -> None:
    line_id = desk.proposed("One.")
    desk.do(counter, line_id, "Two.", by=PETER)
    desk.do(counter, line_id, "Three.", by=SARAH)
    desk.do(withdraw, line_id, by=SARAH)
    line = desk.a.lines[line_id]
    assert (line.state, line.current.text, line.waiting_for) == (State.COUNTERED, "Two.", SARAH)
    desk.do(withdraw, line_id, by=PETER)
    assert (line.state, line.current.text, line.waiting_for) == (State.PROPOSED, "One.", PETER)
    desk.do(withdraw, line_id, by=SARAH)
    assert line.state is State.WITHDRAWN, "the first proposal's withdrawal ends the line"


def test_withdrawing_a_counter_to_a_removal_puts_the_removal_back(desk: Desk) -> None:
    line_id = desk.agreed("Kept.")
    desk.do(reopen, line_id, by=SARAH, text=None)
    desk.do(counter, line_id, "Kept, but shorter.", by=PETER)
    desk.do(withdraw, line_id, by=PETER)
    line = desk.a.lines[line_id]
    assert (line.state, line.removal_by, line.waiting_for) == (State.PROPOSED, SARAH, PETER)
    assert line.in_force is not None and line.in_force.text == "Kept.", "the agreed wording stays in force"


@pytest.mark.parametrize("state", ["draft", "agreed", "declined", "withdrawn"])
def test_nothing_to_withdraw_without_an_open_offer(desk: Desk, state: str) -> None:
    if state == "draft":
        line_id = desk.drafted()
    elif state == "agreed":
        line_id = desk.agreed()
    else:
        line_id = desk.proposed()
        if state == "declined":
            desk.do(decline, line_id, by=PETER)
        else:
            desk.do(withdraw, line_id, by=SARAH)
    desk.refuse(withdraw, line_id, by=SARAH, why=f"This line is {state}: there is no open offer to withdraw.")
