"""Adding, changing or removing the coach after creation (issue 13, SPEC §2 "Consent for
the whole alliance", §11): the partners' decision, consented to like a rename; never the
coach's. The rules first, then the file and export, then the windows that sit there."""

from __future__ import annotations

import json
from pathlib import Path

from alliance_tui.domain import Action, rounds, rules
from alliance_tui.domain.alliance_rules import (
    accept_change,
    decline_change,
    flag,
    note,
    pending_change,
    rename,
    set_coach,
)
from alliance_tui.domain.export import to_json
from alliance_tui.domain.model import COACH
from alliance_tui.domain.views import actor_names, turn
from alliance_tui.store import Store

from .conftest import FakeClock
from .desk import PETER, SARAH, Desk

COACH_ONLY = (
    "Only the two partners change the alliance itself, its coach included: the coach never decides for them."
)


def test_before_anything_is_agreed_either_partner_adds_changes_or_removes_the_coach_alone(
    desk: Desk,
) -> None:
    desk.do(set_coach, "  Dana ", by=PETER)
    assert desk.a.coach == "Dana" and desk.a.change is None
    event = desk.history[-1]
    assert (event.action, event.actor, event.text, event.before) == (Action.COACH_SET, PETER, "Dana", None)
    desk.do(set_coach, "Eve", by=SARAH)
    assert (desk.a.coach, desk.history[-1].before) == ("Eve", "Dana")
    desk.do(set_coach, None, by=SARAH)
    assert desk.a.coach is None
    assert (desk.history[-1].text, desk.history[-1].before) == (None, "Eve")


def test_once_agreed_a_new_coach_waits_for_the_other_partner(desk: Desk) -> None:
    desk.agreed()
    desk.do(set_coach, "Dana", by=SARAH)
    assert desk.a.coach is None, "nothing changes until Peter answers"
    proposed = desk.history[-1]
    assert (proposed.action, proposed.reason, proposed.text) == (Action.CHANGE_PROPOSED, "coach", "Dana")
    assert pending_change(desk.a) == "Sarah proposes to add Dana as coach; it waits for Peter"
    assert "Sarah proposes to add Dana as coach" in turn(desk.a, PETER).describe()
    desk.refuse(accept_change, by=SARAH, why="Sarah proposed this, so Peter has to answer it.")
    desk.refuse(
        rename,
        "Other",
        by=PETER,
        why="Sarah's proposal to add Dana as coach waits for an answer first.",
    )
    desk.do(accept_change, by=PETER)
    assert desk.a.coach == "Dana" and desk.a.change is None
    done = desk.history[-1]
    assert (done.action, done.actor, done.text, done.before) == (Action.COACH_SET, PETER, "Dana", None)


def test_a_change_or_removal_of_the_coach_can_be_declined(desk: Desk) -> None:
    desk.a.coach = "Dana"
    desk.agreed()
    desk.do(set_coach, "Eve", by=PETER)
    assert pending_change(desk.a) == "Peter proposes to change the coach from Dana to Eve; it waits for Sarah"
    desk.do(decline_change, by=SARAH)
    assert desk.a.coach == "Dana" and desk.a.change is None
    declined = desk.history[-1]
    assert (declined.action, declined.reason, declined.text, declined.before) == (
        Action.CHANGE_DECLINED,
        "coach",
        "Eve",
        "Dana",
    )
    desk.do(set_coach, None, by=SARAH)
    assert pending_change(desk.a) == "Sarah proposes to remove the coach (Dana); it waits for Peter"
    desk.do(accept_change, by=PETER)
    assert desk.a.coach is None and desk.a.seats() == (0, 1)


def test_the_coach_never_proposes_or_answers_a_change_of_coach(desk: Desk) -> None:
    desk.a.coach = "Dana"
    desk.refuse(set_coach, None, by=COACH, why=COACH_ONLY)
    desk.refuse(set_coach, "Eve", by=COACH, why=COACH_ONLY)
    desk.agreed()
    desk.do(set_coach, None, by=SARAH)
    desk.refuse(accept_change, by=COACH, why=COACH_ONLY)
    desk.refuse(decline_change, by=COACH, why=COACH_ONLY)
    desk.refuse(rename, "Theirs", by=COACH, why=COACH_ONLY)


def test_a_coachs_name_is_cleaned_and_checked_like_a_partners(desk: Desk) -> None:
    desk.refuse(set_coach, "   ", by=SARAH, why="The coach's name cannot be empty.")
    desk.refuse(
        set_coach, "x" * 41, by=SARAH, why="The coach's name can be at most 40 characters (41 typed)."
    )
    desk.refuse(
        set_coach, " peter ", by=SARAH, why="The coach needs a name of their own ('peter' is a partner)."
    )
    desk.refuse(set_coach, None, by=SARAH, why="This alliance has no coach to remove.")
    desk.do(set_coach, " [b]Dana ", by=SARAH)
    assert desk.a.coach == "[b]Dana", "trimmed, and kept as typed (shown as text, never markup)"
    desk.refuse(set_coach, "[b]Dana", by=PETER, why="[b]Dana is already the coach.")
    desk.do(set_coach, "x" * 40, by=PETER)
    assert desk.a.coach == "x" * 40


def test_removing_the_coach_gives_the_shared_seat_back_and_takes_the_marks_away(desk: Desk) -> None:
    desk.a.coach = "Dana"
    line = desk.agreed()
    desk.do(flag, line, by=COACH)
    desk.do(rules.pass_keyboard, by=desk.a.active)
    while desk.a.active != COACH:
        desk.do(rules.pass_keyboard, by=desk.a.active)
    desk.do(rounds.ask, "What would help?", by=COACH)
    desk.do(set_coach, None, by=SARAH)
    outcome = desk.do(accept_change, by=PETER)
    assert desk.a.active == PETER, "the file's shared seat names a seat that exists"
    assert not desk.a.lines[line].flagged and outcome.lines == [desk.a.lines[line]]
    # The removed coach's question: nobody is left to withdraw it but the partners.
    desk.do(rounds.withdraw_round, by=SARAH)
    assert desk.a.round is None


def test_history_names_each_coach_as_they_were_when_they_acted(desk: Desk) -> None:
    desk.a.coach = "Dana"
    desk.do(note, "Dana's note", by=COACH)
    desk.do(set_coach, "Eve", by=SARAH)
    desk.do(note, "Eve's note", by=COACH)
    names = actor_names(desk.a, desk.history)
    assert names == ["Dana", "Sarah", "Eve"]
    assert actor_names(desk.a, desk.history, 1) == ["Sarah", "Eve"]
    exported = to_json(desk.a, desk.history)
    assert exported["alliance"]["coach"] == "Eve"
    assert [(e["actor"], e["action"]) for e in exported["history"]] == [
        ("Dana", "noted"),
        ("Sarah", "coach_set"),
        ("Eve", "noted"),
    ]


def test_the_file_keeps_a_proposed_change_of_coach_and_the_export_follows(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    store = Store(path, clock=FakeClock())
    alliance_id = store.create(("Ann", "Bob"), coach="Cleo").id
    line = store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Quiet", m)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, line, m))
    store.act(alliance_id, lambda a, m: rules.accept(a, 1, line, m))
    store.act(alliance_id, lambda a, m: set_coach(a, 1, None, m))
    reopened = Store(path)
    change = reopened.load(alliance_id).change
    assert change is not None and (change.what, change.value, change.by) == ("coach", None, 1)
    reopened.act(alliance_id, lambda a, m: accept_change(a, 0, m))
    a = Store(path).load(alliance_id)
    exported = to_json(a, Store(path).history(alliance_id))
    assert exported["alliance"]["coach"] is None
    last = exported["history"][-1]
    assert (last["action"], last["actor"], last["text"], last["before"]) == ("coach_set", "Ann", None, "Cleo")
    Store(path).act(alliance_id, lambda a, m: set_coach(a, 0, "Dana", m))
    Store(path).act(alliance_id, lambda a, m: accept_change(a, 1, m))
    assert json.loads(json.dumps(to_json(Store(path).load(alliance_id), [])))["alliance"]["coach"] == "Dana"
