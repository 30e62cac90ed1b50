"""The negotiation rules of SPEC §2, one action and one refusal at a time.

Every test drives the domain with plain function calls: an alliance between Sarah
(partner 0) and Peter (partner 1), a clock that moves a minute per action, and the
rules of `alliance_tui.domain.rules`. A refusal must say why in the product's words
and leave the alliance exactly as it was.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from alliance_tui.domain import (
    Action,
    AgreedLine,
    Alliance,
    Event,
    Kind,
    Line,
    Moment,
    Outcome,
    Partner,
    Refused,
    State,
    views,
)
from alliance_tui.domain.export import iso_time, to_json
from alliance_tui.domain.rules import (
    accept,
    agreement,
    counter,
    decline,
    delete,
    draft,
    edit,
    may_accept,
    may_amend,
    may_decline,
    may_delete,
    may_edit,
    may_propose,
    may_reopen,
    may_revise,
    may_sign,
    may_withdraw,
    pass_keyboard,
    propose,
    refusal,
    reopen,
    revise,
    sign,
    withdraw,
)
from alliance_tui.domain.text import (
    NAME_MAX,
    WORDING_MAX,
    TextRefused,
    clean_name,
    clean_partners,
    clean_reason,
    clean_topic,
    clean_wording,
    visible,
    visible_block,
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


@pytest.fixture
def desk() -> Desk:
    return Desk()


def last(desk: Desk) -> Event:
    return desk.history[-1]


def in_force(a: Alliance) -> list[AgreedLine]:
    """The agreement, checking that the one the rules keep is the one worked out anew."""
    kept = agreement(a)
    assert agreement(replace(a, agreement_cache=None)) == kept
    return kept


# -- draft, edit, delete ---------------------------------------------------------------


def test_a_draft_belongs_to_its_author(desk: Desk) -> None:
    outcome = desk.do(draft, "  Quiet mornings.  ", by=SARAH, topic=" boundaries ")
    line = outcome.line
    assert line is not None and outcome.lines == [line]
    assert desk.a.lines == {line.id: line}
    assert (line.id, line.author, line.state) == (1, SARAH, State.DRAFT)
    assert line.current.text == "Quiet mornings."  # trimmed
    assert line.current.topic == "boundaries"
    assert line.current.by == SARAH and line.current.at == desk.now
    assert desk.a.next_line == 2
    event = last(desk)
    assert (event.action, event.actor, event.line, event.text) == (
        Action.DRAFTED,
        SARAH,
        1,
        "Quiet mornings.",
    )
    assert event.private
    assert line.waiting_for is None


def test_draft_carries_a_trial_date(desk: Desk) -> None:
    line_id = desk.drafted("Peter works from home on Fridays.", trial_until=date(2026, 4, 30))
    assert desk.a.lines[line_id].current.trial_until == date(2026, 4, 30)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "A wording cannot be empty."),
        ("   \t ", "A wording cannot be empty."),
        ("x" * (WORDING_MAX + 1), "A wording can be at most 1,000 characters (1,001 typed)."),
    ],
)
def test_draft_refuses_a_wording_that_is_empty_or_too_long(desk: Desk, text: str, why: str) -> None:
    desk.refuse(draft, text, by=SARAH, why=why)
    assert desk.a.next_line == 1


def test_a_wording_of_exactly_the_limit_is_taken(desk: Desk) -> None:
    line_id = desk.drafted("y" * WORDING_MAX)
    assert len(desk.a.lines[line_id].current.text) == WORDING_MAX


def test_draft_refuses_a_topic_too_long(desk: Desk) -> None:
    desk.refuse(
        draft, "Fine.", by=SARAH, topic="t" * 41, why="A topic can be at most 40 characters (41 typed)."
    )


def test_edit_adds_a_wording_and_keeps_the_old_one(desk: Desk) -> None:
    line_id = desk.drafted("Quiet mornings.")
    desk.do(edit, line_id, "Quiet mornings, please.", by=SARAH, topic="Boundaries")
    line = desk.a.lines[line_id]
    assert [w.text for w in line.wordings] == ["Quiet mornings.", "Quiet mornings, please."]
    assert line.offer == 1 and line.current.topic == "Boundaries"
    assert line.state is State.DRAFT
    event = last(desk)
    assert (event.action, event.text, event.before, event.private) == (
        Action.EDITED,
        "Quiet mornings, please.",
        "Quiet mornings.",
        True,
    )


def test_edit_that_changes_nothing_is_refused(desk: Desk) -> None:
    line_id = desk.drafted("Quiet mornings.", topic="boundaries")
    desk.refuse(
        edit, line_id, " Quiet mornings. ", by=SARAH, topic="boundaries", why="Nothing changed in this draft."
    )


def test_edit_of_only_the_terms_is_a_change(desk: Desk) -> None:
    line_id = desk.drafted("Quiet mornings.")
    desk.do(edit, line_id, "Quiet mornings.", by=SARAH, trial_until=date(2026, 5, 1))
    assert desk.a.lines[line_id].current.trial_until == date(2026, 5, 1)


@pytest.mark.parametrize(
    ("action", "args"),
    [(edit, ("Mine now.",)), (delete, ()), (propose, ())],
    ids=["edit", "delete", "propose"],
)
def test_only_the_author_may_touch_a_draft(
    desk: Desk, action: Callable[..., Outcome], args: tuple[str, ...]
) -> None:
    line_id = desk.drafted()
    desk.refuse(action, line_id, *args, by=PETER, why="This is Sarah's draft: only they can change it.")


@pytest.mark.parametrize(
    ("action", "args", "doing"),
    [(edit, ("Again.",), "edited"), (delete, (), "deleted"), (propose, (), "proposed")],
    ids=["edit", "delete", "propose"],
)
def test_only_a_draft_can_be_edited_deleted_or_proposed(
    desk: Desk, action: Callable[..., Outcome], args: tuple[str, ...], doing: str
) -> None:
    line_id = desk.proposed()
    desk.refuse(action, line_id, *args, by=SARAH, why=f"Only a draft can be {doing}; this line is proposed.")


def test_delete_removes_the_draft_but_not_its_history(desk: Desk) -> None:
    line_id = desk.drafted("Gone soon.")
    kept = desk.drafted("Stays.")
    outcome = desk.do(delete, line_id, by=SARAH)
    assert outcome.deleted == [line_id] and outcome.lines == []
    assert list(desk.a.lines) == [kept]
    event = last(desk)
    assert (event.action, event.line, event.before, event.text, event.private) == (
        Action.DELETED,
        line_id,
        "Gone soon.",
        None,
        True,
    )
    assert [e.action for e in desk.history] == [Action.DRAFTED, Action.DRAFTED, Action.DELETED]
    assert desk.a.next_line == 3  # a deleted line's number is never reused


@pytest.mark.parametrize(
    "action",
    [edit, delete, propose, accept, counter, decline, withdraw, reopen, revise],
    ids=lambda f: f.__name__,
)
def test_a_line_that_is_not_there_is_refused(desk: Desk, action: Callable[..., Outcome]) -> None:
    desk.drafted()
    args: tuple[Any, ...] = ("Text.",) if action in (edit, counter, revise) else ()
    desk.refuse(action, 42, *args, by=SARAH, why="There is no line 42 in this alliance any more.")


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
    assert desk.a.lines[line_id].state is State.WITHDRAWN


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
    assert agreement(desk.a)[0].number == 1
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


# -- sign-off and versions ----------------------------------------------------------


def test_nothing_to_sign_before_anything_is_agreed(desk: Desk) -> None:
    desk.refuse(sign, by=SARAH, why="Nothing is agreed yet: accept at least one line before signing.")
    desk.proposed()
    desk.refuse(sign, by=PETER, why="Nothing is agreed yet: accept at least one line before signing.")


def test_both_signatures_make_a_version(desk: Desk) -> None:
    first = desk.agreed("Quiet mornings.", topic="boundaries")
    second = desk.agreed("Peter cooks.", by=PETER, topic="logistics")
    outcome = desk.do(sign, by=SARAH)
    assert outcome.version is None and desk.a.signatures == {SARAH}
    assert desk.a.version == 0
    assert (last(desk).action, last(desk).actor, last(desk).text) == (Action.SIGNED, SARAH, None)
    desk.refuse(sign, by=SARAH, why="Sarah has already signed: it waits for Peter.")
    outcome = desk.do(sign, by=PETER)
    version = outcome.version
    assert version is not None
    assert (version.number, version.at, version.partners) == (1, desk.now, ("Sarah", "Peter"))
    assert [(v.number, v.line, v.text, v.author) for v in version.lines] == [
        (1, first, "Quiet mornings.", SARAH),
        (2, second, "Peter cooks.", PETER),
    ]
    assert version.lines == tuple(agreement(desk.a))
    assert (desk.a.version, desk.a.signatures, desk.a.changed_since_version) == (1, set(), False)
    assert (last(desk).action, last(desk).actor, last(desk).text) == (Action.SIGNED, PETER, "version 1")
    for partner in (SARAH, PETER):
        desk.refuse(sign, by=partner, why="Version 1 already holds this agreement: nothing new to sign.")


def test_a_later_change_needs_both_signatures_again(desk: Desk) -> None:
    line_id = desk.agreed("Quiet mornings.")
    desk.do(sign, by=PETER)
    desk.do(sign, by=SARAH)
    desk.do(reopen, line_id, by=PETER, text="Quiet mornings on weekdays.")
    desk.refuse(sign, by=PETER, why="Version 1 already holds this agreement: nothing new to sign.")
    desk.do(accept, line_id, by=SARAH)
    assert desk.a.changed_since_version
    desk.do(sign, by=SARAH)
    assert desk.a.signatures == {SARAH}
    # A change after one signature asks for that signature again.
    desk.agreed("Peter cooks.", by=PETER)
    assert desk.a.signatures == set()
    desk.do(sign, by=SARAH)
    version = desk.do(sign, by=PETER).version
    assert version is not None and version.number == 2
    assert [v.text for v in version.lines] == ["Quiet mornings on weekdays.", "Peter cooks."]


def test_removing_every_line_is_a_change_that_can_be_signed(desk: Desk) -> None:
    line_id = desk.agreed()
    desk.do(sign, by=SARAH)
    desk.do(sign, by=PETER)
    desk.do(reopen, line_id, by=SARAH, text=None)
    desk.do(accept, line_id, by=PETER)
    desk.do(sign, by=SARAH)
    version = desk.do(sign, by=PETER).version
    assert version is not None and version.number == 2 and version.lines == ()


def test_may_sign_refuses_exactly_as_sign_does(desk: Desk) -> None:
    """The UI asks may_sign before offering `s`; it must say what sign would say."""

    def same_answer(partner: int) -> None:
        try:
            may_sign(desk.a, partner)
        except Refused as refusal:
            desk.refuse(sign, by=partner, why=refusal.reason)
        else:
            trial = copy.deepcopy(desk.a)
            sign(trial, partner, desk.moment())  # does not raise

    before = copy.deepcopy(desk.a)
    with pytest.raises(Refused, match="^Nothing is agreed yet"):
        may_sign(desk.a, SARAH)
    assert desk.a == before
    for partner in (SARAH, PETER):
        same_answer(partner)
    desk.agreed()
    same_answer(SARAH)
    desk.do(sign, by=SARAH)
    with pytest.raises(Refused, match="^Sarah has already signed: it waits for Peter.$"):
        may_sign(desk.a, SARAH)
    same_answer(SARAH)
    same_answer(PETER)
    desk.do(sign, by=PETER)
    for partner in (SARAH, PETER):
        same_answer(partner)


# -- the keyboard ----------------------------------------------------------------------


def test_pass_keyboard(desk: Desk) -> None:
    """Passing a shared keyboard records who passed it, and the file remembers the taker
    as the one who last held a shared seat (a new shared window opens with them)."""
    assert desk.a.active == SARAH
    outcome = pass_keyboard(desk.a, SARAH, desk.moment())
    assert desk.a.active == PETER
    (event,) = outcome.events
    assert (event.action, event.actor, event.text, event.line) == (Action.PASSED, SARAH, "Peter", None)
    pass_keyboard(desk.a, PETER, desk.moment())
    assert desk.a.active == SARAH


def test_every_action_is_done_as_the_actor_it_is_given(desk: Desk) -> None:
    """Nobody passed the keyboard: the actor is an argument, never read from the file."""
    line_id = desk.proposed(by=PETER)
    desk.do(accept, line_id, by=SARAH)
    assert desk.a.active == SARAH, "no action changes who last held a shared seat"
    assert [(e.action, e.actor) for e in desk.history] == [
        (Action.DRAFTED, PETER),
        (Action.PROPOSED, PETER),
        (Action.ACCEPTED, SARAH),
    ]


def test_only_the_partners_negotiate(desk: Desk) -> None:
    """A third role (the coach, SPEC §11) is refused every negotiating action."""
    line_id = desk.proposed()
    why = "Only the two partners negotiate the agreement."
    desk.refuse(draft, "A coach's words.", by=2, why=why)
    desk.refuse(accept, line_id, by=2, why=why)
    desk.refuse(withdraw, line_id, by=2, why=why)
    desk.refuse(sign, by=2, why=why)


# -- the guards: what the UI asks before offering a key -----------------------------

GUARDS: dict[Callable[..., Outcome], Callable[..., None]] = {
    edit: may_edit,
    delete: may_delete,
    propose: may_propose,
    accept: may_accept,
    decline: may_decline,
    counter: may_amend,
    withdraw: may_withdraw,
    reopen: may_reopen,
    revise: may_revise,
}


def test_guards_say_what_applies_and_change_nothing(desk: Desk) -> None:
    line_id = desk.proposed()
    line = desk.a.lines[line_id]
    before = copy.deepcopy(desk.a)
    assert refusal(may_accept, desk.a, SARAH, line) == "Sarah wrote this wording, so Peter has to accept it."
    assert refusal(may_withdraw, desk.a, SARAH, line) is None
    assert refusal(may_edit, desk.a, SARAH, line) == "Only a draft can be edited; this line is proposed."
    assert refusal(may_reopen, desk.a, SARAH, line) == (
        "Only an agreed line can be reopened; this one is proposed."
    )
    assert refusal(may_revise, desk.a, SARAH, line) == (
        "Only a declined or withdrawn line can be revised; this one is proposed."
    )
    assert desk.a == before
    for guard in (may_accept, may_amend, may_decline):
        assert refusal(guard, desk.a, PETER, line) is None
    assert refusal(may_withdraw, desk.a, PETER, line) == "Sarah made this offer: only they can withdraw it."


def test_each_guard_agrees_with_its_action(desk: Desk) -> None:
    """Whatever a guard allows, the action does; whatever it refuses, with the same words."""
    lines = {
        "draft": desk.drafted("D."),
        "proposed": desk.proposed("P."),
        "agreed": desk.agreed("A."),
    }
    pending = desk.agreed("R.")
    desk.do(reopen, pending, by=PETER, text=None)
    lines["removal"] = pending
    declined = desk.proposed("X.")
    desk.do(decline, declined, by=PETER)
    lines["declined"] = declined
    calls: dict[Callable[..., Outcome], tuple[Any, ...]] = {
        edit: ("Fresh words.",),
        delete: (),
        propose: (),
        accept: (),
        decline: (),
        counter: ("Fresh words.",),
        withdraw: (),
        reopen: (),
        revise: ("Fresh words.",),
    }
    for partner in (SARAH, PETER):
        for line_id in lines.values():
            for action, args in calls.items():
                trial = copy.deepcopy(desk.a)
                why = refusal(GUARDS[action], trial, partner, trial.lines[line_id])
                kwargs = {"text": "Fresh words."} if action is reopen else {}
                try:
                    action(trial, partner, line_id, *args, when=desk.moment(), **kwargs)
                except Refused as refused:
                    assert refused.reason == why, (action.__name__, line_id, partner)
                else:
                    assert why is None, (action.__name__, line_id, partner)


# -- the agreement, numbered and grouped by topic ---------------------------------


def test_agreement_is_numbered_by_topic_order_then_others_then_none(desk: Desk) -> None:
    wordings = [
        ("No topic one.", None),
        ("Zebra crossing.", "zebra"),
        ("Tell me early.", "Feedback"),
        ("Apples.", "apples"),
        ("Call before noon.", "communication"),
        ("No topic two.", ""),
        ("Ask for help.", "Support When Stuck"),
        ("Talk weekly.", "communication"),
        ("Boxes.", "Apples"),
        ("Doors shut.", "boundaries"),
    ]
    for index, (text, topic) in enumerate(wordings):
        desk.agreed(text, by=index % 2, topic=topic)
    result = agreement(desk.a)
    assert [line.number for line in result] == list(range(1, len(wordings) + 1))
    assert [line.text for line in result] == [
        "Call before noon.",  # communication, line order within the topic
        "Talk weekly.",
        "Ask for help.",  # support when stuck
        "Doors shut.",  # boundaries
        "Tell me early.",  # feedback
        "Apples.",  # other topics, alphabetically, in any case
        "Boxes.",
        "Zebra crossing.",
        "No topic one.",  # no topic last
        "No topic two.",
    ]
    assert result[-1].topic is None  # a blank topic is no topic


def test_the_kept_agreement_follows_every_change(desk: Desk) -> None:
    """`agreement` is kept between actions; each change must move and renumber it right."""
    first = desk.agreed("Zebra first.", topic="zebra")
    assert [e.number for e in in_force(desk.a)] == [1]
    second = desk.agreed("Talk daily.", by=PETER, topic="communication")
    third = desk.agreed("General.", topic=None)
    assert [e.line for e in in_force(desk.a)] == [second, first, third]
    # A re-design that changes the topic moves the line to its new group.
    desk.do(reopen, first, by=PETER, text="Zebra first.", topic="Boundaries")
    assert [e.line for e in in_force(desk.a)] == [second, first, third]
    desk.do(accept, first, by=SARAH)
    assert [(e.number, e.line, e.topic) for e in in_force(desk.a)] == [
        (1, second, "communication"),
        (2, first, "Boundaries"),
        (3, third, None),
    ]
    desk.do(reopen, second, by=SARAH, text=None)
    desk.do(accept, second, by=PETER)
    assert [(e.number, e.line) for e in in_force(desk.a)] == [(1, first), (2, third)]
    fourth = desk.agreed("Apples.", by=PETER, topic="apples")
    assert [(e.number, e.line) for e in in_force(desk.a)] == [(1, first), (2, fourth), (3, third)]
    desk.do(reopen, third, by=PETER, text="General, with a trial.", trial_until=date(2026, 6, 1))
    desk.do(accept, third, by=SARAH)
    assert in_force(desk.a)[-1].trial_until == date(2026, 6, 1)
    assert in_force(desk.a)[-1].agreed_at == desk.now


def test_agreement_holds_only_lines_in_force(desk: Desk) -> None:
    desk.drafted("Draft.")
    desk.proposed("Proposed.")
    declined = desk.proposed("Declined.")
    desk.do(decline, declined, by=PETER)
    agreed = desk.agreed("Agreed.")
    assert [line.line for line in agreement(desk.a)] == [agreed]


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
    }
    line = desk.a.lines[agreed]
    assert exported["agreement"] == [
        {
            "number": 1,
            "text": "Quiet mornings.",
            "topic": "boundaries",
            "author": "Sarah",
            "agreed_at": iso_time(line.agreed_at),
            "trial_until": None,
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


# -- text: limits and safe display -------------------------------------------------


def test_visible_turns_control_characters_into_symbols() -> None:
    assert visible("\x1b[2J clear") == "\u241b[2J clear"  # ␛[2J clear
    assert visible("bell\x07") == "bell\u2407"
    assert visible("nul\x00") == "nul\u2400"
    assert visible("del\x7f") == "del\u2421"
    assert visible("c1\x9b31m") == "c1\ufffd31m"
    assert visible("a\u202eb\u2066c\u200fd") == "abcd"  # bidi controls dropped
    assert visible("\x1b]0;title\x07") == "\u241b]0;title\u2407"
    plain = "[b]Quiet[/b] mornings, Sarah's ☕ — 日本 [@click=app.quit]x[/]"
    assert visible(plain) == plain  # markup is left as text, not interpreted or escaped
    assert "\x1b" not in visible("".join(chr(c) for c in range(0x20)) + "\x7f")


def test_visible_block_keeps_line_breaks_only() -> None:
    assert visible_block("one\ntwo\x1b[0m\n") == "one\ntwo\u241b[0m\n"
    assert visible_block("tab\there\r\nnext") == "tab\u2409here\u240d\nnext"
    assert visible_block("") == ""


def test_wording_limits() -> None:
    assert clean_wording("  fine  ") == "fine"
    assert clean_wording("w" * WORDING_MAX) == "w" * WORDING_MAX
    with pytest.raises(TextRefused, match=r"^A wording can be at most 1,000 characters \(1,001"):
        clean_wording("w" * (WORDING_MAX + 1))
    with pytest.raises(TextRefused, match="cannot be empty"):
        clean_wording(" \n ")
    assert clean_topic("  ") is None and clean_topic(None) is None
    assert clean_reason(" ") is None


def test_name_limits() -> None:
    assert clean_name("  Sarah ") == "Sarah"
    assert clean_name("n" * NAME_MAX) == "n" * NAME_MAX
    with pytest.raises(TextRefused, match=r"^A partner's name can be at most 40 characters \(41"):
        clean_name("n" * (NAME_MAX + 1))
    with pytest.raises(TextRefused, match="cannot be empty"):
        clean_name("   ")


def test_partners_need_distinct_names() -> None:
    assert clean_partners(" Sarah ", "Peter") == ("Sarah", "Peter")
    with pytest.raises(TextRefused, match="different names"):
        clean_partners("Sarah", " sarah ")
    with pytest.raises(TextRefused, match="cannot be empty"):
        clean_partners("Sarah", "")


def test_refusals_from_text_keep_the_typed_words_out_of_the_alliance(desk: Desk) -> None:
    """A too-long wording is refused whole: nothing is cut and stored."""
    line_id = desk.drafted("Short.")
    desk.refuse(
        edit, line_id, "z" * 1500, by=SARAH, why="A wording can be at most 1,000 characters (1,500 typed)."
    )
    assert desk.a.lines[line_id].current.text == "Short."


def test_the_status_line_says_who_is_still_to_sign() -> None:
    from alliance_tui.domain import Alliance, Kind, Moment, Partner, rules
    from alliance_tui.domain.views import turn

    when = Moment(datetime(2026, 3, 2, tzinfo=UTC), 1)
    a = Alliance("x", "t", Kind.COUPLE, (Partner("Sarah"), Partner("Peter")), when.at)
    line = rules.draft(a, 0, "Quiet mornings", when).lines[0].id
    rules.propose(a, 0, line, when)
    rules.accept(a, 1, line, when)
    assert "still to sign" not in turn(a, 1).describe()
    rules.sign(a, 1, when)  # Peter signs first
    assert turn(a, 1).describe().endswith("· Sarah still to sign")
    rules.sign(a, 0, when)
    assert "still to sign" not in turn(a).describe(), "both signed: version 1"
