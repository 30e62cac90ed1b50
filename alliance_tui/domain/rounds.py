"""Blind rounds (SPEC §11): a question both partners answer privately, revealed together.

The coach or either partner asks (`b` when no round is open). Each partner answers in
private (`b` while it is open; `b` again before the reveal edits the answer). An answer
the app leaves under its writer's hands is kept as written, not ready (`keep_answer`).
When both are ready the answers are revealed together, in the history, and each becomes
its author's draft, to propose as usual. Nobody sees an answer before both are ready — the
other partner, the coach, an export — at one shared keyboard included.
"""

from __future__ import annotations

from .model import Action, Alliance, Line, Round, State, Wording
from .rules import Moment, Outcome, Refused, _event, _partner, _text
from .text import clean_wording


def may_ask(a: Alliance, actor: int) -> None:
    if actor not in a.seats():
        raise Refused("Only someone at this alliance asks its questions.")
    if a.round is not None:
        raise Refused(f"A question is open already ({a.round.question!r}): {round_status(a)}.")


def ask(a: Alliance, actor: int, question: str, when: Moment) -> Outcome:
    """Open a round with `question` (a starter prompt, or one's own words)."""
    may_ask(a, actor)
    question = _text(clean_wording, question)
    a.round = Round(question=question, asked_by=actor, at=when.at)
    return Outcome(events=[_event(actor, when, Action.ASKED, text=question)])


def may_answer(a: Alliance, actor: int) -> None:
    if a.round is None:
        raise Refused("No question is open: b asks one.")
    if actor not in (0, 1):
        raise Refused("Only the two partners answer; the coach waits for both answers.")


def answer(a: Alliance, actor: int, text: str, when: Moment) -> Outcome:
    """Write (or rewrite, before the reveal) one's answer; the second makes the reveal."""
    _partner(a, actor)
    may_answer(a, actor)
    round_ = a.round
    assert round_ is not None
    text = _text(clean_wording, text)
    round_.answers[actor] = text
    round_.ready.add(actor)
    events = [_event(actor, when, Action.ANSWERED, text=text, private=True)]
    if round_.ready != {0, 1}:
        return Outcome(events=events)
    # Both are ready: each answer is revealed, and becomes its author's draft.
    a.revealed = round_
    lines = []
    for partner in (0, 1):
        line = Line(id=a.next_line, author=partner, state=State.DRAFT)
        line.wordings.append(Wording(round_.answers[partner], partner, when.at))
        line.offer = 0
        a.lines[line.id] = line
        a.next_line += 1
        lines.append(line)
        events.append(
            _event(partner, when, Action.REVEALED, line, text=round_.answers[partner], reason=round_.question)
        )
    a.round = None
    return Outcome(events=events, lines=lines)


def keep_answer(a: Alliance, actor: int, text: str, when: Moment) -> Outcome:
    """Keep an answer as written so far, not ready: the app left while its writer was
    typing it (a tab closed, the server stopped, ctrl+q). The next `b` opens it again.

    Nothing enters the history, as nothing does while an answer is typed: it is as
    private as a draft being written, and it reveals nothing. An answer that was ready
    and was being changed is kept as changed, and so is no longer ready: what is revealed
    is only ever what its writer said was ready.
    """
    _partner(a, actor)
    may_answer(a, actor)
    round_ = a.round
    assert round_ is not None
    round_.answers[actor] = _text(clean_wording, text)
    round_.ready.discard(actor)
    return Outcome()


def may_read_answers(a: Alliance, actor: int) -> None:
    """Anyone may read the last revealed round's answers (`Alliance.revealed`), once there is one."""
    if a.revealed is None:
        raise Refused("No blind round has been revealed yet: b asks a question both answer privately.")


def round_status(a: Alliance) -> str | None:
    """Who is ready in the open round ("Sarah ready · Peter writing"), or None."""
    round_ = a.round
    if round_ is None:
        return None
    states = " · ".join(f"{a.name(p)} {'ready' if p in round_.ready else 'writing'}" for p in (0, 1))
    return f"{a.name(round_.asked_by)}'s question: {states}"


def may_withdraw_round(a: Alliance, actor: int) -> None:
    round_ = a.round
    if round_ is None:
        raise Refused("No question is open.")
    # A question the coach asked before the partners removed the coach is theirs to take back.
    if round_.asked_by != actor and round_.asked_by in a.seats():
        raise Refused(f"{a.name(round_.asked_by)} asked this question: only they can withdraw it.")
    if round_.answers:
        raise Refused("An answer is written already: the round stays open until both are ready.")


def withdraw_round(a: Alliance, actor: int, when: Moment) -> Outcome:
    """Take back an unanswered question (whoever asked it)."""
    may_withdraw_round(a, actor)
    round_ = a.round
    assert round_ is not None
    a.round = None
    return Outcome(events=[_event(actor, when, Action.WITHDRAWN, text=round_.question, reason="question")])
