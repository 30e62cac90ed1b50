"""Drafts (SPEC §2): written, edited and deleted by their author alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from alliance_tui.domain import (
    Action,
    Outcome,
    State,
)
from alliance_tui.domain.rules import (
    accept,
    counter,
    decline,
    delete,
    draft,
    edit,
    propose,
    reopen,
    revise,
    withdraw,
)
from alliance_tui.domain.text import (
    WORDING_MAX,
)

from .desk import PETER, SARAH, Desk, last

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
