"""The negotiation: every action two partners can take, and when it is allowed.

Each action acts as the active partner. It first checks everything and raises `Refused`
with a sentence a person can read, changing nothing; or it changes the alliance and
returns an `Outcome` naming the events it adds and the lines it touched. The UI asks
`check(...)` what is allowed and shows the refusal; it never re-implements a rule.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from typing import NamedTuple

from .model import (
    TOPICS,
    Action,
    AgreedLine,
    Alliance,
    Event,
    Line,
    State,
    Version,
    Wording,
    other,
)
from .passphrase import MINIMUM, opens, seal
from .text import TextRefused, clean_reason, clean_topic, clean_wording


class Refused(Exception):
    """An action that does not apply, and why, in the product's words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Moment(NamedTuple):
    """When an action happens and in which session of the app."""

    at: datetime
    session: int


@dataclass(slots=True)
class Outcome:
    """What an action changed: the store saves exactly this."""

    events: list[Event] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    version: Version | None = None

    @property
    def line(self) -> Line | None:
        return self.lines[0] if self.lines else None


# -- helpers ---------------------------------------------------------------------------


def _text(clean: Callable[[str], str], text: str) -> str:
    try:
        return clean(text)
    except TextRefused as error:
        raise Refused(str(error)) from None


def _topic(topic: str | None) -> str | None:
    try:
        return clean_topic(topic)
    except TextRefused as error:
        raise Refused(str(error)) from None


def _reason(reason: str | None) -> str | None:
    try:
        return clean_reason(reason)
    except TextRefused as error:
        raise Refused(str(error)) from None


def _line(a: Alliance, line_id: int) -> Line:
    line = a.lines.get(line_id)
    if line is None:
        raise Refused(f"There is no line {line_id} in this alliance any more.")
    return line


def _event(a: Alliance, when: Moment, action: Action, line: Line | None = None, **fields: object) -> Event:
    return Event(
        at=when.at,
        session=when.session,
        actor=a.active,
        action=action,
        line=None if line is None else line.id,
        **fields,  # type: ignore[arg-type]
    )


def _add_wording(line: Line, wording: Wording) -> int:
    line.wordings.append(wording)
    return len(line.wordings) - 1


def _agreement_changed(a: Alliance, line: Line) -> None:
    """The agreement changed at `line`: signatures no longer hold, and its order moves."""
    a.signatures.clear()
    a.changed_since_version = True
    cached = a.agreement_cache
    if cached is None:
        return
    # Keep the worked-out agreement: take the line out, put it back where it now sorts,
    # and number again. At 10,000 lines this is far cheaper than sorting anew.
    items, keys = list(cached[0]), list(cached[1])
    start = len(items)
    for position, item in enumerate(items):
        if item.line == line.id:
            del items[position], keys[position]
            start = position
            break
    wording = line.in_force
    if wording is not None:
        assert line.agreed_at is not None
        key = _sort_key(wording.topic, line.id)
        position = bisect_left(keys, key)
        keys.insert(position, key)
        items.insert(
            position,
            AgreedLine(
                0, line.id, wording.text, wording.topic, wording.by, line.agreed_at, wording.trial_until
            ),
        )
        start = min(start, position)
    # Only the lines from the change on are numbered anew.
    items[start:] = [AgreedLine(n, *item[1:]) for n, item in enumerate(items[start:], start=start + 1)]
    a.agreement_cache = (items, keys)


def _own_draft(a: Alliance, line: Line, doing: str) -> None:
    if line.state is not State.DRAFT:
        raise Refused(f"Only a draft can be {doing}; this line is {line.state.value}.")
    if line.author != a.active:
        raise Refused(f"This is {a.name(line.author)}'s draft: only they can change it.")


def _answerable(a: Alliance, line: Line, doing: str) -> None:
    """Refuse unless the line waits for the active partner's answer."""
    me = a.active
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


# -- the actions -----------------------------------------------------------------------


def draft(
    a: Alliance,
    text: str,
    when: Moment,
    *,
    topic: str | None = None,
    trial_until: date | None = None,
) -> Outcome:
    """Start a new line as the active partner's private draft."""
    text = _text(clean_wording, text)
    topic = _topic(topic)
    line = Line(id=a.next_line, author=a.active, state=State.DRAFT)
    line.offer = _add_wording(line, Wording(text, a.active, when.at, topic, trial_until))
    a.lines[line.id] = line
    a.next_line += 1
    event = _event(a, when, Action.DRAFTED, line, text=text, private=True)
    return Outcome(events=[event], lines=[line])


def edit(
    a: Alliance,
    line_id: int,
    text: str,
    when: Moment,
    *,
    topic: str | None = None,
    trial_until: date | None = None,
) -> Outcome:
    """Change the wording or terms of one's own draft."""
    line = _line(a, line_id)
    _own_draft(a, line, "edited")
    text = _text(clean_wording, text)
    topic = _topic(topic)
    before = line.current
    if (text, topic, trial_until) == (before.text, before.topic, before.trial_until):
        raise Refused("Nothing changed in this draft.")
    line.offer = _add_wording(line, Wording(text, a.active, when.at, topic, trial_until))
    event = _event(a, when, Action.EDITED, line, text=text, before=before.text, private=True)
    return Outcome(events=[event], lines=[line])


def revise(
    a: Alliance,
    line_id: int,
    text: str,
    when: Moment,
    *,
    topic: str | None = None,
    trial_until: date | None = None,
) -> Outcome:
    """Take a declined or withdrawn wording back to draft, with a new wording."""
    line = _line(a, line_id)
    _may_revise(a, line)
    offered = line.offered
    assert offered is not None
    text = _text(clean_wording, text)
    topic = _topic(topic)
    line.offer = _add_wording(line, Wording(text, a.active, when.at, topic, trial_until))
    line.author = a.active
    line.state = State.DRAFT
    line.reason = None
    event = _event(a, when, Action.EDITED, line, text=text, before=offered.text, private=True)
    return Outcome(events=[event], lines=[line])


def delete(a: Alliance, line_id: int, when: Moment) -> Outcome:
    """Delete one's own draft. Its wordings stay in its author's history."""
    line = _line(a, line_id)
    _own_draft(a, line, "deleted")
    del a.lines[line.id]
    event = _event(a, when, Action.DELETED, line, before=line.current.text, private=True)
    return Outcome(events=[event], deleted=[line.id])


def propose(a: Alliance, line_id: int, when: Moment) -> Outcome:
    """Offer one's own draft to the other partner."""
    line = _line(a, line_id)
    _own_draft(a, line, "proposed")
    line.state = State.PROPOSED
    event = _event(a, when, Action.PROPOSED, line, text=line.current.text)
    return Outcome(events=[event], lines=[line])


def accept(a: Alliance, line_id: int, when: Moment) -> Outcome:
    """Accept the wording that waits for the active partner: the rule of consent."""
    line = _line(a, line_id)
    _answerable(a, line, "accept")
    before = line.in_force
    if line.removal_by is not None:
        assert before is not None
        line.state = State.REMOVED
        line.removal_by = None
        line.offer = None
        _agreement_changed(a, line)
        event = _event(a, when, Action.REMOVED, line, before=before.text)
        return Outcome(events=[event], lines=[line])
    offered = line.offered
    assert offered is not None
    line.agreed = line.offer
    line.offer = None
    line.agreed_at = when.at
    line.state = State.AGREED
    line.reason = None
    _agreement_changed(a, line)
    event = _event(
        a,
        when,
        Action.ACCEPTED,
        line,
        text=offered.text,
        before=None if before is None else before.text,
    )
    return Outcome(events=[event], lines=[line])


def counter(
    a: Alliance,
    line_id: int,
    text: str,
    when: Moment,
    *,
    topic: str | None = None,
    trial_until: date | None = None,
) -> Outcome:
    """Answer a waiting wording with a different one; now it waits for the other."""
    line = _line(a, line_id)
    _answerable(a, line, "amend")
    text = _text(clean_wording, text)
    topic = _topic(topic)
    before = line.current
    if line.removal_by is None and (text, topic, trial_until) == (
        before.text,
        before.topic,
        before.trial_until,
    ):
        raise Refused("An amendment needs a different wording or terms; to agree, accept it.")
    line.offer = _add_wording(line, Wording(text, a.active, when.at, topic, trial_until))
    line.removal_by = None
    line.state = State.COUNTERED
    event = _event(a, when, Action.COUNTERED, line, text=text, before=before.text)
    return Outcome(events=[event], lines=[line])


def decline(a: Alliance, line_id: int, when: Moment, *, reason: str | None = None) -> Outcome:
    """Refuse the waiting wording. A refused re-design leaves the agreed wording in force."""
    line = _line(a, line_id)
    _answerable(a, line, "decline")
    reason = _reason(reason)
    offered_text = None if line.removal_by is not None else line.current.text
    if line.in_force is not None:
        line.state = State.AGREED
        line.offer = None
        line.removal_by = None
    else:
        line.state = State.DECLINED
    line.reason = reason
    event = _event(a, when, Action.DECLINED, line, text=offered_text, reason=reason)
    return Outcome(events=[event], lines=[line])


def withdraw(a: Alliance, line_id: int, when: Moment) -> Outcome:
    """Take back one's own offer before it is answered."""
    line = _line(a, line_id)
    _may_withdraw(a, line)
    text = None if line.removal_by is not None else line.current.text
    if line.in_force is not None:
        line.state = State.AGREED
        line.offer = None
        line.removal_by = None
    else:
        line.state = State.WITHDRAWN
    event = _event(a, when, Action.WITHDRAWN, line, text=text)
    return Outcome(events=[event], lines=[line])


def reopen(
    a: Alliance,
    line_id: int,
    when: Moment,
    *,
    text: str | None = None,
    topic: str | None = None,
    trial_until: date | None = None,
) -> Outcome:
    """Re-design an agreed line: propose a new wording, or its removal when `text` is None.

    The agreed wording stays in force until the other partner answers.
    """
    line = _line(a, line_id)
    _may_reopen(line)
    agreed = line.in_force
    assert agreed is not None
    if text is None:
        line.removal_by = a.active
        line.state = State.PROPOSED
        line.reason = None
        event = _event(a, when, Action.REOPENED, line, before=agreed.text, reason="remove")
        return Outcome(events=[event], lines=[line])
    text = _text(clean_wording, text)
    topic = _topic(topic)
    if (text, topic, trial_until) == (agreed.text, agreed.topic, agreed.trial_until):
        raise Refused("This is the wording already agreed: change the wording or its terms.")
    line.offer = _add_wording(line, Wording(text, a.active, when.at, topic, trial_until))
    line.state = State.PROPOSED
    line.reason = None
    event = _event(a, when, Action.REOPENED, line, text=text, before=agreed.text)
    return Outcome(events=[event], lines=[line])


def agreement(a: Alliance) -> list[AgreedLine]:
    """The agreed lines in force, grouped by topic and numbered from 1.

    Kept on the alliance until an action changes the agreement (`_agreement_changed`):
    every screen update asks for it, and at 10,000 lines it is worth keeping.
    """
    if a.agreement_cache is not None:
        return a.agreement_cache[0]
    order: dict[str | None, tuple[int, str]] = {}
    found = []
    for line in a.lines.values():
        if line.agreed is None or line.state is State.REMOVED:
            continue
        wording = line.wordings[line.agreed]
        topic = wording.topic
        key = order.get(topic)
        if key is None:
            key = order[topic] = _topic_order(topic)
        found.append(((key, line.id), line, wording))  # the same order as _sort_key
    found.sort(key=itemgetter(0))
    items = [
        AgreedLine(
            number,
            line.id,
            wording.text,
            wording.topic,
            wording.by,
            line.agreed_at,  # type: ignore[arg-type]  # every agreed line has its time
            wording.trial_until,
        )
        for number, (_, line, wording) in enumerate(found, start=1)
    ]
    a.agreement_cache = (items, [key for key, _, _ in found])
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


def sign(a: Alliance, when: Moment) -> Outcome:
    """The active partner signs the current agreement; both signatures make a version."""
    may_sign(a)
    me = a.active
    agreed = agreement(a)
    a.signatures.add(me)
    if len(a.signatures) < 2:
        event = _event(a, when, Action.SIGNED)
        return Outcome(events=[event])
    a.version += 1
    a.signatures.clear()
    a.changed_since_version = False
    version = Version(number=a.version, at=when.at, partners=a.names, lines=tuple(agreed))
    event = _event(a, when, Action.SIGNED, text=f"version {a.version}")
    return Outcome(events=[event], version=version)


def may_sign(a: Alliance) -> None:
    """Refuse unless the active partner can sign the agreement as it stands."""
    me, them = a.active, other(a.active)
    if a.version == 0 and not any(line.in_force for line in a.lines.values()):
        raise Refused("Nothing is agreed yet: accept at least one line before signing.")
    if a.version and not a.changed_since_version:
        raise Refused(f"Version {a.version} already holds this agreement: nothing new to sign.")
    if me in a.signatures:
        raise Refused(f"{a.name(me)} has already signed: it waits for {a.name(them)}.")


def pass_keyboard(a: Alliance, when: Moment, *, passphrase: str | None = None) -> Outcome:
    """The other partner takes the keyboard; with their passphrase, if they set one."""
    taker = a.partners[other(a.active)]
    if taker.passphrase is not None and not (passphrase is not None and opens(taker.passphrase, passphrase)):
        if passphrase is None:
            raise Refused(f"{taker.name} set a passphrase: they type it to take the keyboard.")
        raise Refused(f"That is not {taker.name}'s passphrase: the keyboard stays with {a.name(a.active)}.")
    before = a.active
    a.active = other(before)
    event = Event(
        at=when.at,
        session=when.session,
        actor=before,
        action=Action.PASSED,
        text=a.name(a.active),
    )
    return Outcome(events=[event])


def set_passphrase(a: Alliance, new: str | None, *, current: str | None = None) -> Outcome:
    """The active partner sets, changes or (with `new` None) removes their passphrase.

    Changing or removing one needs the current passphrase. No event records it: the
    history is for the alliance, and says nothing of how a partner guards the keyboard.
    """
    me = a.partners[a.active]
    if me.passphrase is not None and not (current is not None and opens(me.passphrase, current)):
        raise Refused(f"That is not {me.name}'s current passphrase: nothing changed.")
    if new is None:
        if me.passphrase is None:
            raise Refused(f"{me.name} has no passphrase to remove.")
        me.passphrase = None
        return Outcome()
    if len(new) < MINIMUM:
        raise Refused(f"A passphrase needs at least {MINIMUM} characters.")
    me.passphrase = seal(new)
    return Outcome()


# -- what is allowed, for the UI ---------------------------------------------------------


def check(action: Callable[..., Outcome], a: Alliance, line_id: int) -> str | None:
    """Why `action` does not apply to this line for the active partner, or None if it does.

    Runs the action's own checks on the real rules, so the UI never restates them.
    """
    line = a.lines.get(line_id)
    if line is None:
        return "Select a line first."
    probes: dict[Callable[..., Outcome], Callable[[], None]] = {
        edit: lambda: _own_draft(a, line, "edited"),
        delete: lambda: _own_draft(a, line, "deleted"),
        propose: lambda: _own_draft(a, line, "proposed"),
        accept: lambda: _answerable(a, line, "accept"),
        counter: lambda: _answerable(a, line, "amend"),
        decline: lambda: _answerable(a, line, "decline"),
        withdraw: lambda: _may_withdraw(a, line),
        reopen: lambda: _may_reopen(line),
        revise: lambda: _may_revise(a, line),
    }
    try:
        probes[action]()
    except Refused as refusal:
        return refusal.reason
    return None


def _may_withdraw(a: Alliance, line: Line) -> None:
    by = line.offered_by
    if by is None:
        raise Refused(f"This line is {line.state.value}: there is no open offer to withdraw.")
    if by != a.active:
        raise Refused(f"{a.name(by)} made this offer: only they can withdraw it.")


def _may_reopen(line: Line) -> None:
    if line.state is not State.AGREED:
        if line.change_pending:
            raise Refused("A change to this line is already pending: answer or withdraw it first.")
        raise Refused(f"Only an agreed line can be reopened; this one is {line.state.value}.")


def _may_revise(a: Alliance, line: Line) -> None:
    if line.state not in (State.DECLINED, State.WITHDRAWN):
        raise Refused(f"Only a declined or withdrawn line can be revised; this one is {line.state.value}.")
    offered = line.offered
    assert offered is not None
    if offered.by != a.active:
        raise Refused(f"{a.name(offered.by)} wrote this wording: only they can revise it.")
