"""The negotiation: every action two partners can take, and when it is allowed.

Each action takes its actor explicitly: the role of the seat of the window it was done
in (`seats.py`), never a field of the file. It first checks everything and raises
`Refused` with a sentence a person can read, changing nothing; or it changes the
alliance and returns an `Outcome` naming the events it adds and the lines it touched.

Each action's checks are a `may_…` function of their own, which the action calls first;
the UI asks the same functions what is allowed (`alliance_tui.commands`) and shows their
refusal, so it never re-implements a rule.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from datetime import date, datetime
from operator import itemgetter
from typing import NamedTuple, TypeVar

from .model import (
    TOPICS,
    Action,
    AgreedLine,
    Alliance,
    Event,
    Line,
    Mutable,
    State,
    Version,
    Wording,
    other,
)
from .passphrase import opens
from .text import TextRefused, clean_reason, clean_sign, clean_topic, clean_wording

_Typed = TypeVar("_Typed", str, str | None)
_Clean = TypeVar("_Clean", str, str | None)


class Refused(Exception):
    """An action that does not apply, and why, in the product's words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Moment(NamedTuple):
    """When an action happens and in which session of the app."""

    at: datetime
    session: int


class Outcome(Mutable):
    """What an action changed: the store saves exactly this. `delete_alliance`: both
    partners consented to deleting the whole alliance, which the store deletes."""

    __slots__ = ("events", "lines", "deleted", "version", "delete_alliance")

    def __init__(
        self,
        events: list[Event] | None = None,
        lines: list[Line] | None = None,
        deleted: list[int] | None = None,
        version: Version | None = None,
        delete_alliance: bool = False,
    ) -> None:
        self.events: list[Event] = [] if events is None else events
        self.lines: list[Line] = [] if lines is None else lines
        self.deleted: list[int] = [] if deleted is None else deleted
        self.version = version
        self.delete_alliance = delete_alliance

    @property
    def line(self) -> Line | None:
        return self.lines[0] if self.lines else None


# -- helpers ---------------------------------------------------------------------------


def _text(clean: Callable[[_Typed], _Clean], text: _Typed) -> _Clean:
    """`clean(text)`, its refusal (`TextRefused`) said as the rules' own (`Refused`)."""
    try:
        return clean(text)
    except TextRefused as error:
        raise Refused(str(error)) from None


def _topic(topic: str | None) -> str | None:
    return _text(clean_topic, topic)


def _sign(sign: str | None) -> str | None:
    return _text(clean_sign, sign)


def _reason(reason: str | None) -> str | None:
    return _text(clean_reason, reason)


def _line(a: Alliance, line_id: int) -> Line:
    line = a.lines.get(line_id)
    if line is None:
        raise Refused(f"There is no line {line_id} in this alliance any more.")
    return line


def _event(actor: int, when: Moment, action: Action, line: Line | None = None, **fields: object) -> Event:
    return Event(
        at=when.at,
        session=when.session,
        actor=int(actor),
        action=action,
        line=None if line is None else line.id,
        **fields,  # type: ignore[arg-type]
    )


def _add_wording(line: Line, wording: Wording) -> int:
    line.wordings.append(wording)
    return len(line.wordings) - 1


def _agreement_changed(a: Alliance, line: Line) -> None:
    """The agreement changed at `line`: signatures no longer hold, and its order moves."""
    if a.signatures:
        a.undone = set(a.signatures)  # said until someone signs again (`views.undone_signatures`)
    a.signatures.clear()
    a.signed_at.clear()
    a.changed_since_version = True
    cached = a.agreement_cache
    if cached is None:
        return
    # Keep the worked-out agreement: take the line out and put it back where it now
    # sorts. At 10,000 lines this is far cheaper than sorting anew. Numbers never change:
    # each line keeps its own (SPEC §2).
    items = list(cached)
    for position, item in enumerate(items):
        if item.line == line.id:
            del items[position]
            break
    wording = line.in_force
    if wording is not None:
        assert line.agreed_at is not None
        key = _sort_key(wording.topic, line.id)
        position = bisect_left(items, key, key=lambda item: _sort_key(item.topic, item.line))
        items.insert(position, _agreed(line, wording))
    a.agreement_cache = items


def _agreed(line: Line, wording: Wording) -> AgreedLine:
    """`line` in the agreement, as `wording`: made as the named tuple's own constructor
    makes it, without its keyword defaults (10,000 of them at a time, `agreement`)."""
    return tuple.__new__(
        AgreedLine,
        (
            line.id,
            line.id,
            wording.text,
            wording.topic,
            wording.by,
            line.agreed_at,
            wording.trial_until,
            wording.sign,
        ),
    )


def _partner(a: Alliance, actor: int) -> None:
    """Refuse an actor who is not one of the two partners (only partners negotiate)."""
    if actor not in (0, 1):
        raise Refused("Only the two partners negotiate the agreement.")


def _own_draft(a: Alliance, actor: int, line: Line, doing: str) -> None:
    _partner(a, actor)
    if line.state is not State.DRAFT:
        raise Refused(f"Only a draft can be {doing}; this line is {line.state.value}.")
    if line.author != actor:
        raise Refused(f"This is {a.name(line.author)}'s draft: only they can change it.")


def _answerable(a: Alliance, actor: int, line: Line, doing: str) -> None:
    """Refuse unless the line waits for `actor`'s answer."""
    _partner(a, actor)
    me = actor
    if line.state is State.DRAFT:
        who = "your" if line.author == me else f"{a.name(line.author)}'s"
        raise Refused(f"This is still {who} draft: nothing has been proposed yet.")
    waiting = line.waiting_for
    if waiting is None:
        raise Refused(f"This line is {line.state.value}: there is nothing to {doing}.")
    if waiting != me:
        if line.removal_by is not None:
            raise Refused(
                f"{a.name(me)} proposed removing this line, so {a.name(waiting)} has to {doing} it."
            )
        raise Refused(f"{a.name(me)} wrote this wording, so {a.name(waiting)} has to {doing} it.")


# -- what each action needs --------------------------------------------------------------
#
# One guard per action, called by the action itself and asked by the UI before it offers
# the action (`alliance_tui.commands`): the rule is written once.


def may_draft(a: Alliance, actor: int) -> None:
    """`actor` may write a new line (only the partners write lines)."""
    _partner(a, actor)


def may_edit(a: Alliance, actor: int, line: Line) -> None:
    """`actor` may rewrite this line: their draft, or their declined or withdrawn wording."""
    if line.state in (State.DECLINED, State.WITHDRAWN):
        may_revise(a, actor, line)
    else:
        _own_draft(a, actor, line, "edited")


def may_delete(a: Alliance, actor: int, line: Line) -> None:
    _own_draft(a, actor, line, "deleted")


def may_propose(a: Alliance, actor: int, line: Line) -> None:
    _own_draft(a, actor, line, "proposed")


def may_accept(a: Alliance, actor: int, line: Line) -> None:
    _answerable(a, actor, line, "accept")


def may_amend(a: Alliance, actor: int, line: Line) -> None:
    _answerable(a, actor, line, "amend")


def may_decline(a: Alliance, actor: int, line: Line) -> None:
    _answerable(a, actor, line, "decline")


def may_withdraw(a: Alliance, actor: int, line: Line) -> None:
    _partner(a, actor)
    by = line.offered_by
    if by is None:
        raise Refused(f"This line is {line.state.value}: there is no open offer to withdraw.")
    if by != actor:
        raise Refused(f"{a.name(by)} made this offer: only they can withdraw it.")


def may_reopen(a: Alliance, actor: int, line: Line) -> None:
    _partner(a, actor)
    if line.state is not State.AGREED:
        if line.change_pending:
            raise Refused("A change to this line is already pending: answer or withdraw it first.")
        raise Refused(f"Only an agreed line can be reopened; this one is {line.state.value}.")


def may_revise(a: Alliance, actor: int, line: Line) -> None:
    _partner(a, actor)
    if line.state not in (State.DECLINED, State.WITHDRAWN):
        raise Refused(f"Only a declined or withdrawn line can be revised; this one is {line.state.value}.")
    offered = line.offered
    assert offered is not None
    if offered.by != actor:
        raise Refused(f"{a.name(offered.by)} wrote this wording: only they can revise it.")


def may_sign(a: Alliance, actor: int) -> None:
    """Refuse unless `actor` can sign the agreement as it stands."""
    _partner(a, actor)
    them = other(actor)
    if a.version == 0 and not any(line.in_force for line in a.lines.values()):
        raise Refused("Nothing is agreed yet: accept at least one line before signing.")
    if a.version and not a.changed_since_version:
        raise Refused(f"Version {a.version} already holds this agreement: nothing new to sign.")
    if actor in a.signatures:
        raise Refused(f"{a.name(actor)} has already signed: it waits for {a.name(them)}.")


def refusal(guard: Callable[..., None], *args: object) -> str | None:
    """The sentence `guard` refuses with, or None when the action applies."""
    try:
        guard(*args)
    except Refused as refused:
        return refused.reason
    return None


# -- the actions -----------------------------------------------------------------------


#: How the history marks words kept from an editor the app closed on (issue 12): the
#: reason of their event, followed by what the editor held ("an amendment of line 2").
KEPT = "kept when the app closed on "

#: What a line editor opened on a line holds, by the key that opens it there: the words
#: of `KEPT` ("an amendment of line 2", `holding`). These three are taken up again by
#: the same key on that line (`views.kept_draft`).
TAKEN_UP_BY = {"m": "an amendment", "r": "a re-design", "e": "a revision"}


def holding(key: str, line_id: int) -> str:
    """What the editor `key` opens on line `line_id` holds ("an amendment of line 2")."""
    return f"{TAKEN_UP_BY[key]} of line {line_id}"


def draft(
    a: Alliance,
    actor: int,
    text: str,
    when: Moment,
    *,
    topic: str | None = None,
    trial_until: date | None = None,
    sign: str | None = None,
    kept: str | None = None,
) -> Outcome:
    """Start a new line as `actor`'s private draft. `kept`: the words come from an editor
    the app closed on, holding this (`KEPT`), not from an `enter`."""
    _partner(a, actor)
    text = _text(clean_wording, text)
    topic, sign = _topic(topic), _sign(sign)
    line = Line(id=a.next_line, author=actor, state=State.DRAFT)
    line.offer = _add_wording(line, Wording(text, actor, when.at, topic, trial_until, sign))
    a.lines[line.id] = line
    a.next_line += 1
    reason = None if kept is None else KEPT + kept
    event = _event(actor, when, Action.DRAFTED, line, text=text, private=True, reason=reason)
    return Outcome(events=[event], lines=[line])


def edit(
    a: Alliance,
    actor: int,
    line_id: int,
    text: str,
    when: Moment,
    *,
    topic: str | None = None,
    trial_until: date | None = None,
    sign: str | None = None,
    kept: str | None = None,
) -> Outcome:
    """Change the wording or terms of one's own draft (or revise a declined or withdrawn
    one). `kept`: as in `draft`; only ever one's own draft."""
    line = _line(a, line_id)
    if line.state in (State.DECLINED, State.WITHDRAWN) and kept is None:
        return revise(a, actor, line_id, text, when, topic=topic, trial_until=trial_until, sign=sign)
    _own_draft(a, actor, line, "edited")
    text = _text(clean_wording, text)
    topic, sign = _topic(topic), _sign(sign)
    before = line.current
    if (text, topic, trial_until, sign) == (before.text, before.topic, before.trial_until, before.sign):
        raise Refused("Nothing changed in this draft.")
    line.offer = _add_wording(line, Wording(text, actor, when.at, topic, trial_until, sign))
    reason = None if kept is None else KEPT + kept
    event = _event(
        actor, when, Action.EDITED, line, text=text, before=before.text, private=True, reason=reason
    )
    return Outcome(events=[event], lines=[line])


def revise(
    a: Alliance,
    actor: int,
    line_id: int,
    text: str,
    when: Moment,
    *,
    topic: str | None = None,
    trial_until: date | None = None,
    sign: str | None = None,
) -> Outcome:
    """Take a declined or withdrawn wording back to draft, with a new wording."""
    line = _line(a, line_id)
    may_revise(a, actor, line)
    offered = line.offered
    assert offered is not None
    text = _text(clean_wording, text)
    topic, sign = _topic(topic), _sign(sign)
    line.offer = _add_wording(line, Wording(text, actor, when.at, topic, trial_until, sign))
    line.author = actor
    line.state = State.DRAFT
    line.reason = None
    event = _event(actor, when, Action.EDITED, line, text=text, before=offered.text, private=True)
    return Outcome(events=[event], lines=[line])


def delete(a: Alliance, actor: int, line_id: int, when: Moment) -> Outcome:
    """Delete one's own draft. Its wordings stay in its author's history."""
    line = _line(a, line_id)
    may_delete(a, actor, line)
    del a.lines[line.id]
    event = _event(actor, when, Action.DELETED, line, before=line.current.text, private=True)
    return Outcome(events=[event], deleted=[line.id])


def propose(a: Alliance, actor: int, line_id: int, when: Moment) -> Outcome:
    """Offer one's own draft to the other partner."""
    line = _line(a, line_id)
    may_propose(a, actor, line)
    line.state = State.PROPOSED
    event = _event(actor, when, Action.PROPOSED, line, text=line.current.text)
    return Outcome(events=[event], lines=[line])


def accept(a: Alliance, actor: int, line_id: int, when: Moment) -> Outcome:
    """Accept the wording that waits for `actor`: the rule of consent."""
    line = _line(a, line_id)
    may_accept(a, actor, line)
    before = line.in_force
    if line.removal_by is not None:
        assert before is not None
        line.state = State.REMOVED
        line.removal_by = None
        line.offer = None
        line.earlier.clear()
        _agreement_changed(a, line)
        event = _event(actor, when, Action.REMOVED, line, before=before.text)
        return Outcome(events=[event], lines=[line])
    offered = line.offered
    assert offered is not None
    line.agreed = line.offer
    line.offer = None
    line.agreed_at = when.at
    line.state = State.AGREED
    line.reason = None
    line.earlier.clear()
    _agreement_changed(a, line)
    event = _event(
        actor,
        when,
        Action.ACCEPTED,
        line,
        text=offered.text,
        before=None if before is None else before.text,
    )
    return Outcome(events=[event], lines=[line])


def counter(
    a: Alliance,
    actor: int,
    line_id: int,
    text: str,
    when: Moment,
    *,
    topic: str | None = None,
    trial_until: date | None = None,
    sign: str | None = None,
) -> Outcome:
    """Answer a waiting wording with a different one; now it waits for the other."""
    line = _line(a, line_id)
    may_amend(a, actor, line)
    text = _text(clean_wording, text)
    topic, sign = _topic(topic), _sign(sign)
    before = line.current
    if line.removal_by is None and (text, topic, trial_until, sign) == (
        before.text,
        before.topic,
        before.trial_until,
        before.sign,
    ):
        raise Refused("An amendment needs a different wording or terms; to agree, accept it.")
    line.earlier.append((line.offer, line.removal_by))
    line.offer = _add_wording(line, Wording(text, actor, when.at, topic, trial_until, sign))
    line.removal_by = None
    line.state = State.COUNTERED
    event = _event(actor, when, Action.COUNTERED, line, text=text, before=before.text)
    return Outcome(events=[event], lines=[line])


def decline(a: Alliance, actor: int, line_id: int, when: Moment, *, reason: str | None = None) -> Outcome:
    """Refuse the waiting wording. A refused re-design leaves the agreed wording in force."""
    line = _line(a, line_id)
    may_decline(a, actor, line)
    reason = _reason(reason)
    offered_text = None if line.removal_by is not None else line.current.text
    line.earlier.clear()
    if line.in_force is not None:
        line.state = State.AGREED
        line.offer = None
        line.removal_by = None
    else:
        line.state = State.DECLINED
    line.reason = reason
    event = _event(actor, when, Action.DECLINED, line, text=offered_text, reason=reason)
    return Outcome(events=[event], lines=[line])


def withdraw(a: Alliance, actor: int, line_id: int, when: Moment) -> Outcome:
    """Take back one's own offer before it is answered.

    Withdrawing a counter takes back only that wording: the offer it answered waits again
    for the partner who withdrew, and the line does not end (SPEC §2).
    """
    line = _line(a, line_id)
    may_withdraw(a, actor, line)
    text = None if line.removal_by is not None else line.current.text
    if line.state is State.COUNTERED and line.earlier:
        line.offer, line.removal_by = line.earlier.pop()
        line.state = State.COUNTERED if line.earlier else State.PROPOSED
        event = _event(actor, when, Action.WITHDRAWN, line, text=text)
        return Outcome(events=[event], lines=[line])
    line.earlier.clear()
    if line.in_force is not None:
        line.state = State.AGREED
        line.offer = None
        line.removal_by = None
    else:
        line.state = State.WITHDRAWN
    event = _event(actor, when, Action.WITHDRAWN, line, text=text)
    return Outcome(events=[event], lines=[line])


def reopen(
    a: Alliance,
    actor: int,
    line_id: int,
    when: Moment,
    *,
    text: str | None = None,
    topic: str | None = None,
    trial_until: date | None = None,
    sign: str | None = None,
) -> Outcome:
    """Re-design an agreed line: propose a new wording, or its removal when `text` is None.

    The agreed wording stays in force until the other partner answers.
    """
    line = _line(a, line_id)
    may_reopen(a, actor, line)
    agreed = line.in_force
    assert agreed is not None
    if text is None:
        line.removal_by = actor
        line.state = State.PROPOSED
        line.reason = None
        event = _event(actor, when, Action.REOPENED, line, before=agreed.text, reason="remove")
        return Outcome(events=[event], lines=[line])
    text = _text(clean_wording, text)
    topic, sign = _topic(topic), _sign(sign)
    if (text, topic, trial_until, sign) == (agreed.text, agreed.topic, agreed.trial_until, agreed.sign):
        raise Refused("This is the wording already agreed: change the wording or its terms.")
    line.offer = _add_wording(line, Wording(text, actor, when.at, topic, trial_until, sign))
    line.state = State.PROPOSED
    line.reason = None
    event = _event(actor, when, Action.REOPENED, line, text=text, before=agreed.text)
    return Outcome(events=[event], lines=[line])


def agreement(a: Alliance) -> list[AgreedLine]:
    """The agreed lines in force, grouped by topic, each under its own number (SPEC §2).

    Kept on the alliance until an action changes the agreement (`_agreement_changed`):
    every screen update asks for it, and at 10,000 lines it is worth keeping. Worked
    out topic by topic, without comparing line with line (8 ms at 10,000 lines took 5).
    """
    if a.agreement_cache is not None:
        return a.agreement_cache
    by_topic: dict[str | None, list[tuple[int, AgreedLine]]] = {}
    removed = State.REMOVED
    for line in a.lines.values():
        agreed = line.agreed
        if agreed is None or line.state is removed:
            continue
        wording = line.wordings[agreed]
        topic = wording.topic
        found = by_topic.get(topic)
        if found is None:
            found = by_topic[topic] = []
        found.append((line.id, _agreed(line, wording)))
    items: list[AgreedLine] = []
    for topic in sorted(by_topic, key=_topic_order):  # the same order as _sort_key
        found = by_topic[topic]
        found.sort(key=itemgetter(0))  # by number: in order already, as the lines are kept
        items.extend(item for _, item in found)
    a.agreement_cache = items
    return items


def _sort_key(topic: str | None, line_id: int) -> tuple[tuple[int, str], int]:
    return (_topic_order(topic), line_id)


def _topic_order(topic: str | None) -> tuple[int, str]:
    if topic is None:
        return (2, "")
    folded = topic.casefold()
    if folded in TOPICS:
        return (0, f"{TOPICS.index(folded):02d}")
    return (1, folded)


def sign(a: Alliance, actor: int, when: Moment) -> Outcome:
    """`actor` signs the current agreement; both signatures make a version."""
    may_sign(a, actor)
    agreed = agreement(a)
    a.signatures.add(actor)
    a.undone.clear()
    a.signed_at[actor] = when.at
    if len(a.signatures) < 2:
        event = _event(actor, when, Action.SIGNED)
        return Outcome(events=[event])
    a.version += 1
    signed = tuple(sorted(a.signed_at.items()))
    a.signatures.clear()
    a.signed_at.clear()
    a.changed_since_version = False
    version = Version(number=a.version, at=when.at, partners=a.names, lines=tuple(agreed), signed=signed)
    from .fingerprint import fingerprint

    a.fingerprint = fingerprint(version)
    event = _event(actor, when, Action.SIGNED, text=f"version {a.version}")
    return Outcome(events=[event], version=version)


def pass_keyboard(a: Alliance, actor: int, when: Moment, *, passphrase: str | None = None) -> Outcome:
    """`actor` passes a shared keyboard to whoever comes next (A, B, then the coach if the
    alliance has one); with the taker's passphrase, if they set one.

    The file then remembers the taker as the one who last held a shared seat, so that the
    next shared window opens with them. No other window's seat changes.
    """
    order = a.seats()
    if actor not in order:
        raise Refused("Only someone at this alliance can pass its keyboard.")
    role = order[(order.index(actor) + 1) % len(order)]
    guard = a.partners[role].passphrase if role in (0, 1) else None
    name = a.name(role)
    if guard is not None and not (passphrase is not None and opens(guard, passphrase)):
        if passphrase is None:
            raise Refused(f"{name} set a passphrase: they type it to take the keyboard.")
        raise Refused(f"That is not {name}'s passphrase: the keyboard stays with {a.name(actor)}.")
    a.active = role
    event = _event(actor, when, Action.PASSED, text=name)
    return Outcome(events=[event])
