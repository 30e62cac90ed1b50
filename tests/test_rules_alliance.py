"""The alliance itself (SPEC §2): consent to rename, re-kind or delete it once anything is
agreed; every change to it is an event; a forgotten passphrase is reset in the open."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from alliance_tui.domain import Action, Kind, rules
from alliance_tui.domain.alliance_rules import (
    accept_change,
    archive,
    decline_change,
    delete_alliance,
    pending_change,
    rekind,
    rename,
    reset_passphrase,
    set_passphrase,
    set_review,
)
from alliance_tui.store import NotFound, Store

from .conftest import FakeClock
from .desk import PETER, SARAH, Desk


def test_before_anything_is_agreed_either_partner_renames_alone(desk: Desk) -> None:
    desk.do(rename, "Our mornings", by=PETER)
    assert desk.a.title == "Our mornings" and desk.a.change is None
    event = desk.history[-1]
    assert (event.action, event.actor, event.text, event.before) == (
        Action.RENAMED,
        PETER,
        "Our mornings",
        "Mornings",
    )
    desk.do(rekind, Kind.FRIENDS, by=SARAH)
    assert desk.a.kind is Kind.FRIENDS
    assert (desk.history[-1].action, desk.history[-1].text) == (Action.REKINDED, "friends")


def test_once_agreed_a_rename_waits_for_the_other_and_takes_effect_when_accepted(desk: Desk) -> None:
    desk.agreed()
    desk.do(rename, "Quiet mornings", by=SARAH)
    assert desk.a.title == "Mornings", "nothing changes until Peter answers"
    assert desk.history[-1].action is Action.CHANGE_PROPOSED
    assert pending_change(desk.a) == (
        "Sarah proposes to rename this alliance to 'Quiet mornings'; it waits for Peter"
    )
    desk.refuse(accept_change, by=SARAH, why="Sarah proposed this, so Peter has to answer it.")
    desk.refuse(
        rename,
        "Another",
        by=PETER,
        why="Sarah's proposal to rename this alliance to 'Quiet mornings' waits for an answer first.",
    )
    desk.do(accept_change, by=PETER)
    assert desk.a.title == "Quiet mornings" and desk.a.change is None
    assert (desk.history[-1].action, desk.history[-1].actor) == (Action.RENAMED, PETER)


def test_a_declined_change_leaves_the_alliance_as_it_was(desk: Desk) -> None:
    desk.agreed()
    desk.do(rekind, Kind.WORK, by=PETER)
    desk.do(decline_change, by=SARAH)
    assert desk.a.kind is Kind.COUPLE and desk.a.change is None
    event = desk.history[-1]
    assert (event.action, event.actor, event.reason, event.text) == (
        Action.CHANGE_DECLINED,
        SARAH,
        "rekind",
        "work",
    )
    desk.refuse(accept_change, by=PETER, why="No change to this alliance waits for an answer.")


def test_deleting_alone_before_anything_is_agreed_and_by_consent_after(desk: Desk) -> None:
    outcome = desk.do(delete_alliance, by=SARAH)
    assert outcome.delete_alliance and desk.a.change is None
    desk.agreed()
    outcome = desk.do(delete_alliance, by=SARAH)
    assert not outcome.delete_alliance and desk.a.change is not None
    # In the alliance list `a` accepts a change that waits for you; the one who proposed
    # it pressing `a` must not archive the alliance instead (issue 11).
    desk.refuse(
        archive,
        True,
        by=SARAH,
        why="Sarah proposes to delete this alliance; it waits for Peter: nothing is archived while it waits.",
    )
    assert desk.do(accept_change, by=PETER).delete_alliance


def test_a_consented_deletion_removes_the_alliance_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    store = Store(path, clock=FakeClock())
    alliance_id = store.create(("Sarah", "Peter")).id
    keep = store.create(("Ann", "Bob")).id
    line = store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Quiet", m)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, line, m))
    store.act(alliance_id, lambda a, m: rules.accept(a, 1, line, m))
    store.act(alliance_id, lambda a, m: delete_alliance(a, 0, m))
    reopened = Store(path)
    assert reopened.load(alliance_id).change is not None, "the proposal is saved"
    reopened.act(alliance_id, lambda a, m: accept_change(a, 1, m))
    with pytest.raises(NotFound):
        Store(path).load(alliance_id)
    assert [a.id for a in Store(path).alliances()] == [keep]


def test_archive_review_and_passphrases_are_events(desk: Desk) -> None:
    desk.do(archive, True, by=SARAH)
    desk.do(archive, False, by=PETER)
    desk.do(set_review, date(2026, 6, 1), by=SARAH)
    desk.do(set_passphrase, "sarahs secret", by=SARAH)
    desk.refuse(archive, False, by=SARAH, why="This alliance is not archived.")
    actions = [(e.action, e.actor, e.text) for e in desk.history]
    assert actions == [
        (Action.ARCHIVED, SARAH, None),
        (Action.UNARCHIVED, PETER, None),
        (Action.REVIEW_SET, SARAH, "2026-06-01"),
        (Action.PASSPHRASE_SET, SARAH, None),
    ]
    assert "sarahs secret" not in repr(desk.history), "the passphrase itself is never recorded"


def test_a_forgotten_passphrase_is_reset_in_the_open(desk: Desk) -> None:
    desk.do(set_passphrase, "peters secret", by=PETER)
    desk.refuse(reset_passphrase, by=PETER, why="Sarah has no passphrase to reset.")
    desk.do(reset_passphrase, by=SARAH)
    peter = desk.a.partners[PETER]
    assert peter.passphrase is None and peter.reset is not None and peter.reset.by == SARAH
    event = desk.history[-1]
    assert (event.action, event.actor, event.text) == (Action.PASSPHRASE_RESET, SARAH, "Peter")
    desk.do(set_passphrase, "a new one", by=PETER)
    assert desk.a.partners[PETER].reset is None, "a new passphrase ends the reset"


def test_a_change_and_a_reset_are_saved_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    store = Store(path, clock=FakeClock())
    alliance_id = store.create(("Sarah", "Peter")).id
    line = store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Quiet", m)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, line, m))
    store.act(alliance_id, lambda a, m: rules.accept(a, 1, line, m))
    store.act(alliance_id, lambda a, m: rekind(a, 1, Kind.FAMILY, m))
    store.act(alliance_id, lambda a, m: set_passphrase(a, 1, "secret!", m))
    store.act(alliance_id, lambda a, m: reset_passphrase(a, 0, m))
    a = Store(path).load(alliance_id)
    assert a.change is not None and (a.change.what, a.change.value, a.change.by) == ("rekind", "family", 1)
    assert a.partners[1].reset is not None and a.partners[1].reset.by == 0


def test_a_countered_line_is_saved_and_read_back_with_what_it_answered(tmp_path: Path) -> None:
    """Withdrawing a counter after a restart still puts back the offer it answered."""
    path = tmp_path / "a.json"
    store = Store(path, clock=FakeClock())
    alliance_id = store.create(("Sarah", "Peter")).id
    line = store.act(alliance_id, lambda a, m: rules.draft(a, 0, "One.", m)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, line, m))
    store.act(alliance_id, lambda a, m: rules.counter(a, 1, line, "Two.", m))
    Store(path).act(alliance_id, lambda a, m: rules.withdraw(a, 1, line, m))
    again = Store(path).load(alliance_id).lines[line]
    assert (again.state.value, again.current.text, again.earlier) == ("proposed", "One.", [])
