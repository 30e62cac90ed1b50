"""Check-ins (SPEC §12): "how is it going?", line by line, answered in private.

Each partner rates every agreed line `working`, `wobbly` or `not working`, with an
optional note. A rating is its author's alone until both partners have finished: the
other partner, the coach, the timeline and every export see only who has finished. Then
the ratings are revealed together, kept with the alliance (`Alliance.checkins`) for the
trends and the export, and the lines either rated `not working` come first, to reopen.
The check-in ends by setting the next review date (`next_review` suggests one).

A check-in rates the lines in force when its first rating was given. A line agreed
meanwhile waits for the next check-in; one taken out meanwhile drops out of it, and its
ratings are not revealed (they rated a line that is no longer there).

Like `rules.py`, each action takes its actor explicitly and refuses with a sentence,
changing nothing.
"""

from __future__ import annotations

from datetime import date

from .model import (
    COACH,
    Action,
    AgreedLine,
    Alliance,
    CheckedIn,
    CheckIn,
    Given,
    Kind,
    Rated,
    Rating,
    other,
)
from .rules import Moment, Outcome, Refused, _event, _reason, agreement

#: How many months until the next review, by relationship kind: a job moves monthly,
#: a home or a business by the season, friends and family more slowly.
REVIEW_MONTHS: dict[Kind, int] = {
    Kind.BUSINESS: 3,
    Kind.COUPLE: 3,
    Kind.WORK: 1,
    Kind.COACHING: 1,
    Kind.FRIENDS: 6,
    Kind.FAMILY: 6,
    Kind.OTHER: 3,
}

#: Whom each kind's rhythm suits, as the check-in's end says it (`rhythm`).
_SUITS = {
    Kind.BUSINESS: "business partners",
    Kind.COUPLE: "a couple",
    Kind.WORK: "an employee and a manager",
    Kind.COACHING: "a coach and a client",
    Kind.FRIENDS: "friends",
    Kind.FAMILY: "a family",
    Kind.OTHER: "most alliances",
}


def rhythm(kind: Kind) -> str:
    """How often an alliance of `kind` does well to check in, in a sentence's first half
    ("Every 3 months is a good rhythm for a couple")."""
    months = REVIEW_MONTHS[kind]
    every = "Every month" if months == 1 else f"Every {months} months"
    return f"{every} is a good rhythm for {_SUITS[kind]}"


#: How many check-ins a line's trend shows, the latest last.
TREND = 5


def next_review(kind: Kind, today: date) -> date:
    """The review date a check-in suggests: `REVIEW_MONTHS[kind]` months from today
    (the last day of the month when that month is shorter)."""
    months = today.month - 1 + REVIEW_MONTHS[kind]
    year, month = today.year + months // 12, months % 12 + 1
    for day in range(today.day, 27, -1):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return date(year, month, min(today.day, 28))


# -- what a check-in rates -------------------------------------------------------------------


def to_rate(a: Alliance) -> list[AgreedLine]:
    """The lines the open check-in rates (all agreed lines, when none is open yet), in
    the agreement's order."""
    agreed = agreement(a)
    if a.checkin is None:
        return list(agreed)
    wanted = set(a.checkin.lines)
    return [item for item in agreed if item.line in wanted]


def own_ratings(a: Alliance, viewer: int) -> dict[int, Rated]:
    """The ratings `viewer` gave in the open check-in: only their own, ever."""
    if a.checkin is None or viewer not in (0, 1):
        return {}
    return dict(a.checkin.ratings.get(viewer, {}))


def left_to_rate(a: Alliance, partner: int) -> list[int]:
    """The lines `partner` has still to rate in the open (or next) check-in."""
    mine = own_ratings(a, partner)
    return [item.line for item in to_rate(a) if item.line not in mine]


def _name_lines(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:8])
    more = ", …" if len(numbers) > 8 else ""
    return f"line {shown}" if len(numbers) == 1 else f"lines {shown}{more}"


# -- what each action needs ------------------------------------------------------------------


def may_check_in(a: Alliance, actor: int) -> None:
    """`actor` may rate in a check-in now (`h`)."""
    if actor not in (0, 1):
        who = f"{a.name(COACH)}, the coach," if actor == COACH else "Nobody but the partners"
        raise Refused(
            f"{who} does not rate: each partner rates the agreement privately, and the ratings "
            "show to everyone once both have finished."
        )
    checkin = a.checkin
    if checkin is not None and actor in checkin.done:
        raise Refused(
            f"{a.name(actor)} has finished this check-in: the ratings show once {a.name(other(actor))} "
            "has finished too."
        )
    if checkin is None and not agreement(a):
        raise Refused("Nothing is agreed yet: a check-in rates the agreed lines.")


def may_rate(a: Alliance, actor: int, line_id: int) -> None:
    """`actor` may rate (or write the note of) this line in the check-in."""
    may_check_in(a, actor)
    line = a.lines.get(line_id)
    if line is None or line.in_force is None:
        raise Refused(f"Line {line_id} is not in the agreement: a check-in rates agreed lines only.")
    if a.checkin is not None and line_id not in a.checkin.lines:
        raise Refused(f"Line {line_id} was agreed after this check-in began: the next check-in rates it.")


def may_finish(a: Alliance, actor: int) -> None:
    """`actor` may finish: every line of the check-in is rated."""
    may_check_in(a, actor)
    left = left_to_rate(a, actor)
    if left:
        count = f"{len(left)} line{'s' if len(left) != 1 else ''}"
        raise Refused(
            f"{count} still to rate ({_name_lines(left)}): 1, 2 or 3 rates the selected line, "
            "then enter finishes."
        )


# -- the actions -----------------------------------------------------------------------------


def _open(a: Alliance, when: Moment) -> CheckIn:
    if a.checkin is None:
        a.checkin = CheckIn(at=when.at, lines=tuple(item.line for item in agreement(a)))
    return a.checkin


def rate(a: Alliance, actor: int, line_id: int, rating: Rating, when: Moment) -> Outcome:
    """Rate one line, privately (again to change it, until one has finished).

    The first rating opens the check-in. Nothing enters the history: a rating is as
    private as a draft being typed, and the timeline says when a partner has finished.
    """
    may_rate(a, actor, line_id)
    checkin = _open(a, when)
    mine = checkin.ratings.setdefault(actor, {})
    before = mine.get(line_id)
    mine[line_id] = Rated(rating, None if before is None else before.note)
    return Outcome()


def write_note(a: Alliance, actor: int, line_id: int, text: str | None, when: Moment) -> Outcome:
    """The note to one's rating of a line (blank: no note), private like the rating."""
    may_rate(a, actor, line_id)
    before = own_ratings(a, actor).get(line_id)
    if before is None:
        raise Refused(f"Rate line {line_id} first (1, 2 or 3), then write its note.")
    note = _reason(text)
    assert a.checkin is not None
    a.checkin.ratings[actor][line_id] = before._replace(note=note)
    return Outcome()


def finish(a: Alliance, actor: int, when: Moment) -> Outcome:
    """`actor` has rated every line; the second to finish reveals both partners' ratings."""
    may_finish(a, actor)
    checkin = _open(a, when)
    checkin.done.add(actor)
    if checkin.done != {0, 1}:
        return Outcome(events=[_event(actor, when, Action.CHECKED_IN, reason="finished")])
    given = tuple(
        Given(item.line, partner, rated.rating, rated.note)
        for item in to_rate(a)
        for partner in (0, 1)
        if (rated := checkin.ratings.get(partner, {}).get(item.line)) is not None
    )
    checked = CheckedIn(at=when.at, ratings=given)
    a.checkins.append(checked)
    a.checkin = None
    return Outcome(events=[_event(actor, when, Action.CHECKED_IN, text=summary(checked), reason="revealed")])


def may_withdraw_checkin(a: Alliance, actor: int) -> None:
    if actor not in (0, 1):
        raise Refused("Only the partners withdraw a check-in: it holds their ratings.")
    if a.checkin is None:
        raise Refused("No check-in is open: h starts one.")


def withdraw_checkin(a: Alliance, actor: int, when: Moment) -> Outcome:
    """Either partner ends the open check-in unrevealed: every rating in it is discarded,
    never shown (one who will not finish must not hold the next check-in up for ever)."""
    may_withdraw_checkin(a, actor)
    a.checkin = None
    return Outcome(events=[_event(actor, when, Action.WITHDRAWN, reason="check-in")])


# -- what a revealed check-in says -------------------------------------------------------------


def standing(checked: CheckedIn, line_id: int) -> Rating | None:
    """How a line stood at a check-in: the lower of the two ratings (a line works only as
    well as it works for both), or None if it was not rated then."""
    return standings(checked).get(line_id)


def standings(checked: CheckedIn) -> dict[int, Rating]:
    """Each rated line's standing at a check-in, in the order the lines were rated.

    Worked out once per check-in (a revealed one never changes): the agreement pane asks
    for every line it draws, and at 10,000 lines a scan each time would cost a frame.
    """
    kept = _STANDINGS.get(id(checked))
    if kept is not None and kept[0] is checked:
        return kept[1]
    found: dict[int, Rating] = {}
    for given in checked.ratings:
        known = found.get(given.line)
        if known is None or given.rating.concern > known.concern:
            found[given.line] = given.rating
    if len(_STANDINGS) > 256:
        _STANDINGS.clear()
    _STANDINGS[id(checked)] = (checked, found)
    return found


#: `standings` of the check-ins seen lately, by identity (with the check-in, so that an
#: id reused by a new object is never mistaken for it).
_STANDINGS: dict[int, tuple[CheckedIn, dict[int, Rating]]] = {}


def trend(a: Alliance, line_id: int, count: int = TREND) -> list[Rating]:
    """A line's standing at each of the last `count` check-ins that rated it, oldest first."""
    found: list[Rating] = []
    for checked in reversed(a.checkins):
        if len(found) == count:
            break
        rating = standings(checked).get(line_id)
        if rating is not None:
            found.append(rating)
    return found[::-1]


def in_order(checked: CheckedIn) -> list[tuple[Rating, list[int]]]:
    """The lines of a check-in by concern: not working first, then wobbly, then working."""
    by_rating: dict[Rating, list[int]] = {rating: [] for rating in Rating}
    for line_id, rating in standings(checked).items():
        by_rating[rating].append(line_id)
    order = sorted(Rating, key=lambda rating: -rating.concern)
    return [(rating, by_rating[rating]) for rating in order if by_rating[rating]]


def summary(checked: CheckedIn) -> str:
    """What the timeline says of a revealed check-in: "3 working, 1 wobbly, 1 not
    working (line 4)", counting each line once, at its standing."""
    parts = []
    for rating, lines in sorted(in_order(checked), key=lambda pair: pair[0].concern):
        said = f"{len(lines)} {rating.label}"
        if rating is Rating.NOT_WORKING:
            said += f" ({_name_lines(lines)})"
        parts.append(said)
    return ", ".join(parts) or "no line was rated"


def status(a: Alliance) -> str | None:
    """Who has finished the open check-in ("Check-in: Sarah done · Peter rating"), or None."""
    checkin = a.checkin
    if checkin is None:
        return None
    said = " · ".join(f"{a.name(p)} {'done' if p in checkin.done else 'rating'}" for p in (0, 1))
    return f"Check-in: {said}"


def due_for(a: Alliance, viewer: int) -> bool:
    """The open check-in waits for `viewer`'s ratings."""
    return a.checkin is not None and viewer in (0, 1) and viewer not in a.checkin.done
