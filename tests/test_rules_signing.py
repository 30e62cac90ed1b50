"""Sign-off and versions, passing a shared keyboard, and the guards the UI asks."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from alliance_tui.domain import (
    Action,
    Outcome,
    Refused,
)
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

from .desk import PETER, SARAH, Desk, last

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


def test_the_alliance_remembers_whose_signatures_a_change_took_back(desk: Desk) -> None:
    """However long ago they signed (issue 11: a signature never vanishes silently): the
    status line and other windows read it from the alliance, not from the history's end."""
    from alliance_tui.domain.views import signatures_taken_back, undone_signatures

    desk.agreed("Quiet mornings.")
    desk.do(sign, by=PETER)
    assert desk.a.undone == set()
    desk.agreed("Peter cooks.", by=PETER)  # a change: Peter's signature no longer holds
    assert (desk.a.signatures, desk.a.undone) == (set(), {PETER})
    assert undone_signatures(desk.a, []) == {PETER}, "said with none of the history at hand"
    change = len(desk.history) - 1
    assert desk.history[change].action is Action.ACCEPTED
    # Only the change itself at hand (the signature is further back): the alliance says it.
    assert signatures_taken_back(desk.history[change:], 0, desk.a.undone) == {PETER}
    assert signatures_taken_back(desk.history, change, desk.a.undone) == {PETER}
    desk.agreed("Sarah shops.")  # another change: still Peter's to sign again, not Sarah's
    assert desk.a.undone == {PETER}
    assert signatures_taken_back(desk.history, len(desk.history) - 1, desk.a.undone) == set(), (
        "this change took back nothing: the one before did"
    )
    desk.do(sign, by=SARAH)
    assert desk.a.undone == set() and undone_signatures(desk.a, []) == set()
    desk.do(sign, by=PETER)
    assert desk.a.version == 1 and desk.a.undone == set()


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
