"""The alliance itself, and the passphrases that guard its seats (SPEC §2).

Before anything is agreed, either partner renames, re-kinds or deletes the alliance, or
adds, changes or removes its coach, alone; once anything is agreed or signed, each is a
proposal (`Alliance.change`) the other partner accepts or declines. The coach never
proposes or answers any of these: they are the partners' to decide. Archiving and the
review date are either partner's. A partner guards their seat with a passphrase; a
forgotten one is reset by the other, in the open. Every one of these is an event in the
history, never the passphrase itself.

Like `rules.py`, each takes its actor explicitly and refuses with a sentence.
"""

from __future__ import annotations

from datetime import date

from .model import COACH, Action, Alliance, Change, Kind, Line, Reset, State, other
from .passphrase import MINIMUM, opens, seal
from .rules import Moment, Outcome, Refused, _event, _partner, _text
from .text import clean_name, clean_title, clean_wording


def unlocks(a: Alliance, role: int, passphrase: str | None) -> bool:
    """Whether `passphrase` lets a window take `role`'s seat (always, when none is set)."""
    sealed = a.partners[role].passphrase if role in (0, 1) else None
    return sealed is None or (passphrase is not None and opens(sealed, passphrase))


def passphrase_refusal(new: str) -> str | None:
    """Why `new` cannot be a passphrase, or None (asked before it is typed a second time)."""
    if len(new) < MINIMUM:
        return f"A passphrase needs at least {MINIMUM} characters."
    return None


def set_passphrase(
    a: Alliance, actor: int, new: str | None, when: Moment, *, current: str | None = None
) -> Outcome:
    """`actor` sets, changes or (with `new` None) removes their passphrase.

    Changing or removing one needs the current passphrase. The history says that it
    happened (`passphrase_set`, with "removed" as its reason for a removal), never what
    it is. Setting a new one ends a reset in the open.
    """
    _partner(a, actor)
    me = a.partners[actor]
    if me.passphrase is not None and not (current is not None and opens(me.passphrase, current)):
        raise Refused(f"That is not {me.name}'s current passphrase: nothing changed.")
    if new is None:
        if me.passphrase is None:
            raise Refused(f"{me.name} has no passphrase to remove.")
        me.passphrase = None
        return Outcome(events=[_event(actor, when, Action.PASSPHRASE_SET, reason="removed")])
    if (refusal := passphrase_refusal(new)) is not None:
        raise Refused(refusal)
    me.passphrase = seal(new)
    me.reset = None
    return Outcome(events=[_event(actor, when, Action.PASSPHRASE_SET)])


def reset_passphrase(a: Alliance, actor: int, when: Moment) -> Outcome:
    """`actor` resets the other partner's forgotten passphrase, in the open.

    The other's seat is unguarded until they set a new one; meanwhile the header says who
    reset it and when, and the timeline marks every action taken as them (SPEC §2).
    """
    _partner(a, actor)
    them = a.partners[other(actor)]
    if them.passphrase is None:
        raise Refused(f"{them.name} has no passphrase to reset.")
    them.passphrase = None
    them.reset = Reset(by=actor, at=when.at)
    return Outcome(events=[_event(actor, when, Action.PASSPHRASE_RESET, text=them.name)])


# -- the alliance itself -------------------------------------------------------------------


def needs_consent(a: Alliance) -> bool:
    """Once anything is agreed or signed, renaming, re-kinding, a change of coach and
    deleting need both."""
    return bool(a.version) or any(line.in_force is not None for line in a.lines.values())


def _describe(a: Alliance, change: Change) -> str:
    if change.what == "rename":
        return f"rename this alliance to {change.value!r}"
    if change.what == "rekind":
        return f"make this a {change.value} alliance"
    if change.what == "coach":
        if change.value is None:
            return f"remove the coach ({a.coach})" if a.coach else "remove the coach"
        if a.coach is None:
            return f"add {change.value} as coach"
        return f"change the coach from {a.coach} to {change.value}"
    return "delete this alliance"


def pending_change(a: Alliance) -> str | None:
    """What waits for whom at the level of the alliance ("Ann proposes to rename …")."""
    change = a.change
    if change is None:
        return None
    return f"{a.name(change.by)} proposes to {_describe(a, change)}; it waits for {a.name(other(change.by))}"


def proposal_said(a: Alliance) -> str | None:
    """What the partner who just proposed a change to the alliance is told, or None when
    none waits ("Proposed to Ann: rename this alliance to 'Home'. It takes effect once
    Ann accepts.")."""
    change = a.change
    if change is None:
        return None
    them = a.name(other(change.by))
    return f"Proposed to {them}: {_describe(a, change)}. It takes effect once {them} accepts."


def _no_change_waiting(a: Alliance) -> None:
    if a.change is not None:
        raise Refused(
            f"{a.name(a.change.by)}'s proposal to {_describe(a, a.change)} waits for an answer first."
        )


#: The reason of a rename, re-kind or change of coach that the other partner proposed and
#: `actor` accepted ("Ann agreed to rename the alliance", not "Ann renamed" it).
ACCEPTED = "accepted"


def _apply(a: Alliance, actor: int, change: Change, when: Moment, *, accepted: bool = False) -> Outcome:
    reason = ACCEPTED if accepted else None
    if change.what == "rename":
        assert change.value is not None
        before, a.title = a.title, change.value
        return Outcome(
            events=[_event(actor, when, Action.RENAMED, text=a.title, before=before, reason=reason)]
        )
    if change.what == "rekind":
        assert change.value is not None
        before_kind, a.kind = a.kind, Kind(change.value)
        event = _event(
            actor, when, Action.REKINDED, text=a.kind.value, before=before_kind.value, reason=reason
        )
        return Outcome(events=[event])
    if change.what == "coach":
        return _coach_set(a, actor, change.value, when, reason=reason)
    return Outcome(delete_alliance=True)


def _coach_set(
    a: Alliance, actor: int, name: str | None, when: Moment, *, reason: str | None = None
) -> Outcome:
    """The coach becomes `name` (None: no coach).

    Without a coach the third seat is gone: a shared seat the file left with the coach
    comes back to `actor` (a file's `active` names a seat that exists), and the marks
    "needs more conversation" go with the coach's seat, since nobody else could take
    them away (each mark stays in the history). A new coach keeps them, to take away.
    """
    before, a.coach = a.coach, name
    cleared = []
    if name is None:
        if a.active == COACH:
            a.active = actor
        for line in a.lines.values():
            if line.flagged:
                line.flagged = False
                cleared.append(line)
    event = _event(actor, when, Action.COACH_SET, text=name, before=before, reason=reason)
    return Outcome(events=[event], lines=cleared)


def _partners_only(a: Alliance, actor: int) -> None:
    """Refuse the coach (with a sentence of their own), and anyone who is not a partner."""
    if actor == COACH:
        raise Refused(
            "Only the two partners change the alliance itself, its coach included: "
            "the coach never decides for them."
        )
    _partner(a, actor)


def _change(a: Alliance, actor: int, change: Change, when: Moment) -> Outcome:
    """Apply a change alone while nothing is agreed; otherwise propose it to the other."""
    _partners_only(a, actor)
    _no_change_waiting(a)
    if not needs_consent(a):
        return _apply(a, actor, change, when)
    a.change = change
    before = a.coach if change.what == "coach" else None
    event = _event(actor, when, Action.CHANGE_PROPOSED, text=change.value, before=before, reason=change.what)
    return Outcome(events=[event])


def rename(a: Alliance, actor: int, title: str, when: Moment) -> Outcome:
    """Give the alliance a new title (with the other's consent once anything is agreed)."""
    title = _text(clean_title, title)
    if not title:
        raise Refused("A title cannot be empty.")
    if title == a.title:
        raise Refused(f"The alliance is already called {title!r}.")
    return _change(a, actor, Change("rename", title, actor, when.at), when)


def rekind(a: Alliance, actor: int, kind: Kind, when: Moment) -> Outcome:
    """Change the relationship's kind (with the other's consent once anything is agreed)."""
    if kind is a.kind:
        raise Refused(f"This is already a {kind.value} alliance.")
    return _change(a, actor, Change("rekind", kind.value, actor, when.at), when)


def may_change(a: Alliance, actor: int) -> None:
    """Refuse unless `actor` may propose (or make) a change to the alliance now."""
    _partners_only(a, actor)
    _no_change_waiting(a)


def may_remove_coach(a: Alliance, actor: int) -> None:
    may_change(a, actor)
    if a.coach is None:
        raise Refused("This alliance has no coach to remove.")


def set_coach(a: Alliance, actor: int, name: str | None, when: Moment) -> Outcome:
    """Add a coach, change who it is, or (`name` None) remove the coach (SPEC §11).

    Consented to like a rename: alone before anything is agreed, else a proposal the
    other partner accepts or declines. The coach's name is cleaned as a partner's is, and
    must not be a partner's. The coach never proposes or answers this.
    """
    _partners_only(a, actor)
    if name is None:
        if a.coach is None:
            raise Refused("This alliance has no coach to remove.")
    else:
        name = _text(lambda typed: clean_name(typed, "The coach's name"), name)
        if name.casefold() in (partner.casefold() for partner in a.names):
            raise Refused(f"The coach needs a name of their own ({name!r} is a partner).")
        if name == a.coach:
            raise Refused(f"{name} is already the coach.")
    return _change(a, actor, Change("coach", name, actor, when.at), when)


def delete_alliance(a: Alliance, actor: int, when: Moment) -> Outcome:
    """Delete the whole alliance: alone before anything is agreed, else by consent.

    Before anything is agreed the outcome says to delete it now (the UI asks first).
    """
    return _change(a, actor, Change("delete", None, actor, when.at), when)


def may_answer_change(a: Alliance, actor: int) -> None:
    """Refuse unless a change to the alliance waits for `actor`."""
    _partners_only(a, actor)
    change = a.change
    if change is None:
        raise Refused("No change to this alliance waits for an answer.")
    if change.by == actor:
        raise Refused(f"{a.name(actor)} proposed this, so {a.name(other(actor))} has to answer it.")


def accept_change(a: Alliance, actor: int, when: Moment) -> Outcome:
    """The other partner consents: the rename, re-kind, coach or deletion takes effect."""
    may_answer_change(a, actor)
    change = a.change
    assert change is not None
    a.change = None
    return _apply(a, actor, change, when, accepted=True)


def decline_change(a: Alliance, actor: int, when: Moment) -> Outcome:
    """The other partner declines: the alliance stays as it is."""
    may_answer_change(a, actor)
    change = a.change
    assert change is not None
    a.change = None
    before = a.coach if change.what == "coach" else None
    event = _event(actor, when, Action.CHANGE_DECLINED, text=change.value, before=before, reason=change.what)
    return Outcome(events=[event])


def archive(a: Alliance, actor: int, archived: bool, when: Moment) -> Outcome:
    """Put the alliance away, or bring it back (either partner, alone: nothing is lost)."""
    _partner(a, actor)
    if a.change is not None:
        # In the alliance list `a` also accepts a change: pressed by the one who proposed
        # it, it must not put the alliance away instead (issue 11).
        raise Refused(f"{pending_change(a)}: nothing is archived while it waits.")
    if a.archived == archived:
        raise Refused("This alliance is already archived." if archived else "This alliance is not archived.")
    a.archived = archived
    return Outcome(events=[_event(actor, when, Action.ARCHIVED if archived else Action.UNARCHIVED)])


def set_review(a: Alliance, actor: int, day: date | None, when: Moment) -> Outcome:
    """When both sit down again to re-design the alliance (None: no date)."""
    _partner(a, actor)
    if day == a.review_on:
        raise Refused("The review date is already that.")
    before, a.review_on = a.review_on, day
    event = _event(
        actor,
        when,
        Action.REVIEW_SET,
        text=None if day is None else day.isoformat(),
        before=None if before is None else before.isoformat(),
    )
    return Outcome(events=[event])


# -- the coach's seat (SPEC §11) -----------------------------------------------------------


def may_coach(a: Alliance, actor: int) -> None:
    """Refuse unless `actor` holds the coach's seat of an alliance that has a coach."""
    if a.coach is None:
        raise Refused("This alliance has no coach.")
    if actor != COACH:
        raise Refused(f"Only the coach, {a.coach}, does this: it is the coach's to notice, not to decide.")


def note(a: Alliance, actor: int, text: str, when: Moment) -> Outcome:
    """A coach's note: an observation into the timeline, for both partners to read."""
    may_coach(a, actor)
    text = _text(clean_wording, text)
    return Outcome(events=[_event(actor, when, Action.NOTED, text=text)])


def may_flag(a: Alliance, actor: int, line: Line) -> None:
    may_coach(a, actor)
    if line.state is State.DRAFT:
        raise Refused("A draft is its author's alone: the coach sees it only once it is proposed.")


def flag(a: Alliance, actor: int, line_id: int, when: Moment) -> Outcome:
    """Mark a line "needs more conversation", or take the mark away (`!` again)."""
    line = a.lines.get(line_id)
    if line is None:
        raise Refused(f"There is no line {line_id} in this alliance any more.")
    may_flag(a, actor, line)
    line.flagged = not line.flagged
    reason = "needs more conversation" if line.flagged else "mark taken away"
    return Outcome(events=[_event(actor, when, Action.FLAGGED, line, reason=reason)], lines=[line])
