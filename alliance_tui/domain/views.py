"""What each partner may see, and what waits for whom.

Private drafts belong to their author until proposed: the other partner sees only how
many there are, and the timeline hides the wording of draft edits from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from .alliance_rules import pending_change
from .model import Action, Alliance, Event, Line, State, other
from .rounds import round_status


def sees(line: Line, viewer: int) -> bool:
    """Whether `viewer` may read this line's wording."""
    return line.state is not State.DRAFT or line.author == viewer


def visible_lines(a: Alliance, viewer: int, author: int | None = None) -> list[Line]:
    """The lines `viewer` may read, in order, optionally only those `author` wrote."""
    return [
        line for line in a.lines.values() if sees(line, viewer) and (author is None or line.author == author)
    ]


def private_drafts(a: Alliance, author: int) -> int:
    """How many drafts `author` holds."""
    return sum(1 for line in a.lines.values() if line.state is State.DRAFT and line.author == author)


def waiting_for(a: Alliance, partner: int) -> list[Line]:
    """The lines whose answer is `partner`'s to give."""
    return [line for line in a.lines.values() if line.waiting_for == partner]


def seen_event(event: Event, viewer: int | None) -> Event:
    """The event as `viewer` may read it: another's draft wording is hidden.

    `viewer=None` is the shared record (exports): no draft wording at all.
    """
    if not event.private or event.actor == viewer:
        return event
    return event._replace(text=None, before=None)


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _waits(count: int) -> str:
    return f"{plural(count, 'proposal')} {'waits' if count == 1 else 'wait'}"


class Turn(NamedTuple):
    """Who this window acts as (`active`) and what waits for each partner."""

    active: str
    waiting_active: int
    waiting_other: int
    other: str
    other_drafts: int
    unsigned_by: tuple[str, ...]
    #: The window is bound to `active` (`--as`, an invite link) rather than shared.
    bound: bool = False
    #: A change to the whole alliance that waits ("Ann proposes to rename …").
    change: str | None = None
    #: What waits for both partners, when the coach holds this seat.
    coaching: str | None = None
    #: The open blind round, who is ready and who is writing.
    round: str | None = None
    #: The open round waits for `active`'s answer.
    answer_due: bool = False

    def describe(self) -> str:
        if self.coaching is not None:
            who = (
                f"This window is the coach's ({self.active})"
                if self.bound
                else f"{self.active} (coach) has the keyboard"
            )
            return " · ".join(filter(None, [who, self.coaching, self.round]))
        parts = [f"This window is {self.active}'s"] if self.bound else [f"{self.active} is at the keyboard"]
        if self.waiting_active:
            parts.append(f"{_waits(self.waiting_active)} for {self.active}")
        elif not self.answer_due:
            parts.append(f"nothing waits for {self.active}")
        if self.answer_due:
            parts.append(f"the question waits for {self.active}'s answer (b)")
        if self.waiting_other:
            parts.append(f"{_waits(self.waiting_other)} for {self.other}")
        if self.other_drafts:
            parts.append(f"{self.other} has {plural(self.other_drafts, 'private draft')}")
        if len(self.unsigned_by) == 1:  # one has signed: the version waits for the other
            parts.append(f"{self.unsigned_by[0]} still to sign")
        if self.change:
            parts.append(self.change)
        if self.round:
            parts.append(self.round)
        return " · ".join(parts)


class Tally(NamedTuple):
    """Counts over every line, taken in one pass (the status line and panes need them)."""

    #: waiting[author][partner]: lines written by `author` that wait for `partner`.
    waiting: tuple[tuple[int, int], tuple[int, int]]
    drafts: tuple[int, int]
    #: Agreed lines whose trial has run out (counted only when `tally` is given a day).
    trials_due: int = 0

    def waiting_for(self, partner: int) -> int:
        return self.waiting[0][partner] + self.waiting[1][partner]


#: Where a line counts in a tally, as an index into `_counted`'s list: waiting[author]
#: [partner] at 2 * author + partner, drafts[author] at 4 + author, a trial due at 6.
_NOWHERE, _DUE = -1, 6


def _share(line: Line, today: date | None) -> int:
    """Where one line counts in a tally (see `_NOWHERE`), or `_NOWHERE`."""
    state = line.state
    if state is State.DRAFT:
        return 4 + line.author
    if state is State.PROPOSED or state is State.COUNTERED:
        by = line.removal_by if line.removal_by is not None else line.wordings[line.offer].by  # type: ignore[index]
        return 2 * line.author + 1 - by
    if state is State.AGREED and today is not None:
        trial = line.wordings[line.agreed].trial_until  # type: ignore[index]
        if trial is not None and trial < today:
            return _DUE
    return _NOWHERE


def _counted(counts: list[int]) -> Tally:
    return Tally(
        waiting=((counts[0], counts[1]), (counts[2], counts[3])),
        drafts=(counts[4], counts[5]),
        trials_due=counts[6],
    )


def tally(a: Alliance, today: date | None = None) -> Tally:
    """Count what waits, the drafts and (given `today`) the trials due, in one pass."""
    counts = [0] * 8  # the last one counts the lines that count nowhere (`_NOWHERE`)
    for line in a.lines.values():
        counts[_share(line, today)] += 1
    return _counted(counts)


class KeptTally:
    """The tally of one alliance on one day, kept up to date line by line.

    At 10,000 lines counting every line again after each action cost a quarter of the
    action's budget (SPEC §9); an action changes a line or two, and says which (its
    `Outcome.lines`). Where a line counts is remembered, so a changed line is taken out
    of where it counted and put where it counts now.
    """

    def __init__(self) -> None:
        self._alliance_id: str | None = None
        self._day: date | None = None
        self._shares: dict[int, int] = {}
        self._counts = [0] * 8

    def count(self, a: Alliance, today: date, changed: Sequence[Line] | None = None) -> Tally:
        """The tally of `a` on `today`, given the lines changed since the last count
        (None: anything may have changed, so every line is counted again)."""
        counts, shares = self._counts, self._shares
        if changed is None or a.id != self._alliance_id or today != self._day:
            self._alliance_id, self._day = a.id, today
            shares.clear()
            counts[:] = [0] * 8
            for line_id, line in a.lines.items():
                share = shares[line_id] = _share(line, today)
                counts[share] += 1
        else:
            for line in changed:
                before = shares.get(line.id)
                if before is not None:
                    counts[before] -= 1
                share = shares[line.id] = _share(line, today)
                counts[share] += 1
        return _counted(counts)


def turn(a: Alliance, viewer: int | None = None, counts: Tally | None = None, *, bound: bool = False) -> Turn:
    """What the status line says to `viewer` (None: whoever last held a shared seat)."""
    me = a.active if viewer is None else viewer
    counts = counts or tally(a)
    if me not in (0, 1):  # the coach: what waits for each partner, nothing of their own
        return Turn(
            a.name(me), 0, 0, "", 0, (), bound=bound, coaching=pending(a, counts), round=round_status(a)
        )
    them = other(me)
    return Turn(
        active=a.name(me),
        waiting_active=counts.waiting_for(me),
        waiting_other=counts.waiting_for(them),
        other=a.name(them),
        other_drafts=counts.drafts[them],
        unsigned_by=tuple(a.name(p) for p in (0, 1) if p not in a.signatures),
        bound=bound,
        change=pending_change(a),
        round=round_status(a),
        answer_due=a.round is not None and me not in a.round.ready,
    )


def resets(a: Alliance) -> list[str]:
    """A passphrase reset in the open, said until its partner sets a new one (SPEC §2)."""
    said = []
    for partner in a.partners:
        if partner.reset is not None:
            by = a.name(partner.reset.by)
            day = partner.reset.at.astimezone().date().isoformat()
            said.append(f"{partner.name}'s passphrase was reset by {by} on {day}")
    return said


def pending(a: Alliance, counts: Tally | None = None) -> str:
    """What waits in an alliance, for nobody in particular: the lists of alliances."""
    counts = counts or tally(a)
    parts = [
        f"{plural(count, 'proposal')} for {a.name(partner)}"
        for partner in (0, 1)
        if (count := counts.waiting_for(partner))
    ]
    if len(a.signatures) == 1:
        (signed,) = a.signatures
        parts.append(f"{a.name(other(signed))} still to sign")
    if (change := pending_change(a)) is not None:
        parts.append(change)
    return ", ".join(parts) or "nothing pending"


def trials_due(a: Alliance, today: date) -> list[Line]:
    """Agreed lines whose trial has run out and that nobody has re-designed yet."""
    return [
        line
        for line in a.lines.values()
        if line.state is State.AGREED
        and (wording := line.in_force) is not None
        and wording.trial_until is not None
        and wording.trial_until < today
    ]


def review_due(a: Alliance, today: date, counts: Tally | None = None) -> bool:
    """The alliance's review date has passed, or one of its trials is due."""
    if a.review_on is not None and a.review_on < today:
        return True
    return bool(counts.trials_due if counts is not None else trials_due(a, today))


def news(a: Alliance, event: Event, viewer: int) -> str | None:
    """What `viewer` should hear of an action another window took, or None for nothing.

    The status line already says what waits; this is the moment it changed: an offer
    that now waits for the viewer, an answer to theirs, a signature.
    """
    if event.actor is None or event.actor == viewer or event.private:
        return None
    who = a.name(event.actor)
    line = None if event.line is None else a.lines.get(event.line)
    number = f"line {event.line}"
    if event.action in (Action.PROPOSED, Action.COUNTERED, Action.REOPENED):
        if line is not None and line.waiting_for == viewer:
            verb = {Action.PROPOSED: "proposed", Action.COUNTERED: "amended", Action.REOPENED: "reopened"}
            return f"{who} {verb[event.action]} {number}: it waits for you."
        return None
    if event.action is Action.ACCEPTED:
        return f"{who} accepted {number}: it is in the agreement."
    if event.action is Action.REMOVED:
        return f"{who} agreed to remove {number}."
    if event.action is Action.DECLINED:
        return f"{who} declined {number}."
    if event.action is Action.WITHDRAWN:
        return f"{who} withdrew {number}."
    if event.action is Action.SIGNED:
        if event.text:
            return f"{who} signed: this is {event.text}."
        if viewer in (0, 1) and viewer not in a.signatures:
            return f"{who} signed: it waits for your signature."
        return f"{who} signed."
    return None


def signatures_undone(a: Alliance, before: set[int]) -> str | None:
    """The sentence to add when an action took back signatures given (issue 11: a
    signature must never vanish silently), or None."""
    if not before or a.signatures:
        return None
    names = " and ".join(a.name(partner) for partner in sorted(before))
    have = "signatures no longer hold" if len(before) > 1 else "signature no longer holds"
    return f"That changed the agreement, so {names}'s {have}: both sign again."
