"""What each partner may see, and what waits for whom.

Private drafts belong to their author until proposed: the other partner sees only how
many there are, and the timeline hides the wording of draft edits from them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import NamedTuple

from . import checkins
from .alliance_rules import pending_change
from .model import COACH, Action, Alliance, Event, Line, State, other
from .rounds import round_status
from .rules import KEPT, TAKEN_UP_BY


def sees(line: Line, viewer: int) -> bool:
    """Whether `viewer` may read this line's wording."""
    return line.state is not State.DRAFT or line.author == viewer


def visible_lines(a: Alliance, viewer: int, author: int | None = None) -> list[Line]:
    """The lines `viewer` may read (`sees`), in order, optionally only those `author` wrote.

    Each pane asks at every full redraw: at 10,000 lines a call to `sees` for each took
    1.4 ms a pane, the same tests written out take 0.1 (SPEC §9).
    """
    lines, draft = a.lines.values(), State.DRAFT
    if author is None:
        return [line for line in lines if line.state is not draft or line.author == viewer]
    if author == viewer:
        return [line for line in lines if line.author == author]
    return [line for line in lines if line.author == author and line.state is not draft]


def private_drafts(a: Alliance, author: int) -> int:
    """How many drafts `author` holds."""
    return sum(1 for line in a.lines.values() if line.state is State.DRAFT and line.author == author)


def waiting_for(a: Alliance, partner: int) -> list[Line]:
    """The lines whose answer is `partner`'s to give."""
    return [line for line in a.lines.values() if line.waiting_for == partner]


def seen_event(event: Event, viewer: int | None) -> Event:
    """The event as `viewer` may read it: another's draft wording is hidden, and why it
    was written (a draft kept when the app closed on an amendment, say).

    `viewer=None` is the shared record (exports): no draft wording at all.
    """
    if not event.private or event.actor == viewer:
        return event
    return event._replace(text=None, before=None, reason=None)


def still_private(a: Alliance, event: Event) -> bool:
    """Is the blind round or check-in that `event` answered still open (its answers or
    ratings still private)? Once it is over, the timeline stops saying "private until…":
    the rows after it show what was revealed."""
    if event.action is Action.ANSWERED:
        return a.round is not None and event.at >= a.round.at
    if event.action is Action.CHECKED_IN:
        return a.checkin is not None and event.at >= a.checkin.at
    return True


def ends_privacy(event: Event) -> bool:
    """Does `event` end a blind round (an answer revealed, the question withdrawn) or a
    check-in (revealed, withdrawn)? The timeline's "private until…" rows before it then
    read otherwise (`still_private`)."""
    action = event.action
    return (
        action is Action.REVEALED
        or (action is Action.CHECKED_IN and event.reason == "revealed")
        or (action is Action.WITHDRAWN and event.line is None)
    )


class Kept(NamedTuple):
    """Words the app kept when it closed on someone's editor (`kept_for`)."""

    #: What their seat is told as it opens.
    said: str
    #: The draft the words are in.
    line: int
    #: When they were kept: with the line, which keeping this is (told once, `settings`).
    at: datetime


def kept_for(a: Alliance, events: Sequence[Event], viewer: int) -> Kept | None:
    """What the app kept of `viewer`'s words when it last closed on their editor, as
    their seat opens: while that is the last thing they did and the draft is still as
    kept (issue 12). A served tab's last words reach only the host's terminal; this is
    how the person in it learns where their words went."""
    for event in reversed(events):
        if event.actor != viewer:
            continue
        if event.reason is None or not event.reason.startswith(KEPT) or event.line is None:
            return None
        line = a.lines.get(event.line)
        if line is None or line.state is not State.DRAFT or line.author != viewer:
            return None
        what = event.reason.removeprefix(KEPT)
        said = (
            f"When the app last closed with your editor open ({what}), it kept the words as "
            f"your private draft, line {line.id}, selected here: "
        )
        taken_up = next((key for key, kind in TAKEN_UP_BY.items() if what.startswith(f"{kind} of ")), None)
        if taken_up is not None:
            # "an amendment of line 2": `m` on line 2 starts from them (`kept_draft`).
            origin = what.split(" of ")[-1]
            said += f"p proposes it as a line of its own, or {taken_up} on {origin} starts from it."
        else:
            said += "e edits it, p proposes it."
        return Kept(said, line.id, event.at)
    return None


def kept_draft(a: Alliance, events: Sequence[Event], actor: int, holding: str) -> Line | None:
    """`actor`'s draft of words kept when the app closed on their editor holding this
    ("an amendment of line 2"), if it is still their draft: opening the same editor again
    starts from it, instead of leaving it an unrelated line (play-tested)."""
    reason = KEPT + holding
    for event in reversed(events):
        if event.actor == actor and event.reason == reason and event.line is not None:
            line = a.lines.get(event.line)
            if line is not None and line.state is State.DRAFT and line.author == actor:
                return line
            return None
    return None


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
    #: Who has finished the open check-in ("Check-in: Sarah done · Peter rating").
    checkin: str | None = None
    #: The open check-in waits for `active`'s ratings.
    ratings_due: bool = False
    #: Whose signatures a change took back, while nobody has signed since (issue 11).
    undone: tuple[str, ...] = ()
    #: The change to the whole alliance (`change`) waits for `active`'s answer.
    change_due: bool = False

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
        elif (
            not self.answer_due
            and not self.ratings_due
            and not self.change_due
            and self.unsigned_by != (self.active,)
        ):
            # (When only this person's signature is missing, that is what waits for them.)
            parts.append(f"nothing waits for {self.active}")
        if self.change and self.change_due:
            # Answered from the palette: no key of the main screen is free for it.
            parts.append(f"{self.change} (ctrl+p: Accept or Decline the proposed change)")
        if self.answer_due:
            parts.append(f"the question waits for {self.active}'s answer (b)")
        if self.ratings_due:
            parts.append(f"the check-in waits for {self.active}'s ratings (h)")
        if self.waiting_other:
            parts.append(f"{_waits(self.waiting_other)} for {self.other}")
        if self.other_drafts:
            parts.append(f"{self.other} has {plural(self.other_drafts, 'private draft')}")
        if len(self.unsigned_by) == 1:  # one has signed: the version waits for the other
            parts.append(f"{self.unsigned_by[0]} still to sign")
        elif self.undone:  # a change took a signature back: both sign again
            undid = f"a change undid {' and '.join(self.undone)}'s signature"
            parts.append(f"{undid}: {' and '.join(self.unsigned_by)} still to sign")
        if self.change and not self.change_due:
            parts.append(self.change)
        if self.round:
            parts.append(self.round)
        if self.checkin and not self.ratings_due:
            parts.append(self.checkin)
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
        counts = self._counts
        if changed is None or a.id != self._alliance_id or today != self._day:
            self._alliance_id, self._day = a.id, today
            counts[:] = [0] * 8
            # Most lines are agreed and count nowhere: told apart here, without a call
            # for each (6 ms of the first frame at 10,000 lines took 2, SPEC §9).
            agreed, share_of = State.AGREED, _share
            found: dict[int, int] = {}
            for line_id, line in a.lines.items():
                if line.state is agreed and line.wordings[line.agreed].trial_until is None:  # type: ignore[index]
                    found[line_id] = _NOWHERE
                else:
                    share = found[line_id] = share_of(line, today)
                    counts[share] += 1
            self._shares = found
        else:
            shares = self._shares
            for line in changed:
                before = shares.get(line.id)
                if before is not None:
                    counts[before] -= 1
                share = shares[line.id] = _share(line, today)
                counts[share] += 1
        return _counted(counts)


def turn(
    a: Alliance,
    viewer: int | None = None,
    counts: Tally | None = None,
    *,
    bound: bool = False,
    undone: frozenset[int] = frozenset(),
) -> Turn:
    """What the status line says to `viewer` (None: whoever last held a shared seat);
    `undone`: whose signatures a change took back (`undone_signatures`)."""
    me = a.active if viewer is None else viewer
    counts = counts or tally(a)
    if me not in (0, 1):  # the coach: what waits for each partner, nothing of their own
        return Turn(
            a.name(me),
            0,
            0,
            "",
            0,
            (),
            bound=bound,
            coaching=pending(a, counts),  # the open check-in's status included
            round=round_status(a),
        )
    them = other(me)
    due = checkins.due_for(a, me)
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
        checkin=checkins.status(a),
        ratings_due=due,
        undone=tuple(a.name(p) for p in sorted(undone)),
        change_due=a.change is not None and other(a.change.by) == me,
    )


def actor_names(a: Alliance, events: Sequence[Event], start: int = 0) -> list[str]:
    """The name of each actor of `events[start:]` as it was when they acted ("" for none).

    A partner's name never changes, but the coach's may (issue 13): an old note is the
    note of the coach who wrote it. Read back from now, each `coach_set` says who was
    coach before it, so only the events asked for are read.
    """
    coach = a.coach
    names = [""] * (len(events) - start)
    for index in range(len(events) - 1, start - 1, -1):
        event = events[index]
        if event.actor == COACH:
            names[index - start] = coach or "the coach"
        elif event.actor is not None:
            names[index - start] = a.name(event.actor)
        if event.action is Action.COACH_SET:
            coach = event.before
    return names


#: What an edit, a counter or a reopen changed besides the words: (term, before, after).
TermChange = tuple[str, str, str]


def changed_terms(a: Alliance, event: Event) -> list[TermChange] | None:
    """Which terms (topic, trial date, sign) an edit, counter or reopen changed, and to
    what (issue 11: the history said only "its topic or trial date changed").

    Events carry the words only; the terms are read from the line's wordings, all kept:
    the new one is the wording written by the event's actor at its moment, the one before
    is the latest earlier wording with the event's `before` words. None when the line's
    wordings do not say (the event is hidden from this viewer, or the line is gone).
    """
    if event.line is None or event.text is None or event.before is None:
        return None
    line = a.lines.get(event.line)
    if line is None:
        return None
    wordings = line.wordings
    new = next(
        (
            index
            for index in range(len(wordings) - 1, -1, -1)
            if wordings[index].at == event.at
            and wordings[index].by == event.actor
            and wordings[index].text == event.text
        ),
        None,
    )
    if new is None:
        return None
    old = next((w for w in reversed(wordings[:new]) if w.text == event.before), None)
    if old is None:
        return None
    now = wordings[new]
    changes: list[TermChange] = []
    if old.topic != now.topic:
        changes.append(("topic", old.topic or "none", now.topic or "none"))
    if old.trial_until != now.trial_until:
        changes.append(("trial until", _day(old.trial_until), _day(now.trial_until)))
    if old.sign != now.sign:
        changes.append(("sign", _quoted(old.sign), _quoted(now.sign)))
    return changes


def _quoted(said: str | None) -> str:
    return "none" if said is None else f"“{said}”"


def _day(day: date | None) -> str:
    return "none" if day is None else day.isoformat()


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
    if (checkin := checkins.status(a)) is not None:
        parts.append(checkin)
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
        if event.line is None and event.reason == "check-in":
            return f"{who} withdrew the open check-in: its ratings were discarded, never shown."
        if event.line is None:
            return f"{who} withdrew the question."
        return f"{who} withdrew {number}."
    if event.action is Action.REVEALED:  # one event per answer: said the same for both
        return "Both answers are revealed, side by side in ctrl+p, Last round's answers."
    if event.action is Action.CHECKED_IN:
        if event.reason == "revealed":
            return f"{who} finished the check-in: both ratings are revealed (ctrl+p, Last check-in)."
        if checkins.due_for(a, viewer):
            return f"{who} finished their check-in: it waits for your ratings (h)."
        return f"{who} finished their check-in."
    if event.action is Action.COACH_SET:
        if event.text is None:
            return f"{who} removed the coach, {event.before}."
        return f"{who} made {event.text} the coach."
    if event.action is Action.SIGNED:
        if event.text:
            return f"{who} signed: this is {event.text}."
        if viewer in (0, 1) and viewer not in a.signatures:
            return f"{who} signed: it waits for your signature."
        return f"{who} signed."
    return None


def signatures_taken_back(events: Sequence[Event], index: int, undone: Iterable[int] = ()) -> frozenset[int]:
    """Whose signatures the change at `events[index]` took back: an accept or a removal
    right after one partner signed (said to the partner in another window, issue 11).

    `events` may be only the end of the history: when the signatures given before the
    change lie further back than it reaches, `undone` (the alliance's own record of
    whose signatures the last change took back, `Alliance.undone`) says it.
    """
    if events[index].action not in (Action.ACCEPTED, Action.REMOVED):
        return frozenset()
    signed: set[int] = set()
    for event in reversed(events[:index]):
        if event.action is Action.SIGNED:
            if event.text:  # a version: nothing signed after it yet
                break
            if event.actor is not None:
                signed.add(event.actor)
        elif event.action in (Action.ACCEPTED, Action.REMOVED):
            break  # an earlier change: any signature before it was taken back then
    else:
        signed.update(undone)  # the events ran out before the change's own beginning
    return frozenset(signed)


def undone_signatures(a: Alliance, events: Sequence[Event]) -> frozenset[int]:
    """Whose signatures a change to the agreement took back, while nobody has signed
    since (issue 11: keep saying who still has to sign).

    The alliance remembers it (`Alliance.undone`), however long ago they signed. A file
    from before it did is read from the end of `events`, as it was then. Empty once
    anyone signs again (the signatures then say it) or a version is made.
    """
    if a.signatures:
        return frozenset()
    if a.undone:
        return frozenset(a.undone)
    undone: set[int] = set()
    for event in reversed(events):
        if event.action is Action.SIGNED:
            if event.text:  # both signed: a version, nothing undone after it
                break
            if event.actor is not None:
                undone.add(event.actor)
        elif event.action in (Action.ACCEPTED, Action.REMOVED) and undone:
            break  # a change before these signatures: they were the last ones given
    return frozenset(undone)


def standing(a: Alliance) -> str:
    """Where the agreement stands with its signatures, in plain words (the header).

    Short enough for an 80-column header beside the title. Before any version: "signed by
    Sue, not yet by Sam" (never "not signed yet · signed by Sue", issue 11). After one, the
    agreement stays "changed since vN" until both sign again (SPEC §2), with who signed;
    who still has to sign is the status line's to say (`Turn`), also after a change undid
    a signature: it is something that waits for someone.
    """
    signed = " & ".join(a.name(p) for p in sorted(a.signatures))
    if a.version == 0:
        if not signed:
            return "not signed yet"
        waits = " & ".join(a.name(p) for p in (0, 1) if p not in a.signatures)
        return f"signed by {signed}, not yet by {waits}"
    if not a.changed_since_version:
        return f"version {a.version}"
    return f"changed since v{a.version}" + (f" · signed by {signed}" if signed else "")


def signatures_undone(a: Alliance, before: set[int]) -> str | None:
    """The sentence to add when an action took back signatures given (issue 11: a
    signature must never vanish silently), or None."""
    if not before or a.signatures:
        return None
    names = " and ".join(a.name(partner) for partner in sorted(before))
    have = "signatures no longer hold" if len(before) > 1 else "signature no longer holds"
    return f"That changed the agreement, so {names}'s {have}: both sign again."
