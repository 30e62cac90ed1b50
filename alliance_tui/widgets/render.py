"""How lines and events look: every typed string passes through here as plain text.

Nothing a person typed is ever parsed as markup: it is made visible (control characters
become symbols, see `domain.text.visible`) and placed in a `Content` as text.
"""

from __future__ import annotations

from datetime import date, datetime

from textual.content import Content

from ..domain import Action, Alliance, Event, Line, State
from ..domain.alliance_rules import ACCEPTED
from ..domain.text import visible
from ..domain.views import changed_terms, still_private

#: How each state is named on screen, and the style of its badge.
BADGES: dict[State, tuple[str, str]] = {
    State.DRAFT: ("draft", "italic $text-muted"),
    State.PROPOSED: ("proposed", "bold $text-accent"),
    State.COUNTERED: ("countered", "bold $text-accent"),
    State.AGREED: ("agreed", "bold $text-success"),
    State.DECLINED: ("declined", "bold $text-error"),
    State.WITHDRAWN: ("withdrawn", "$text-muted"),
    State.REMOVED: ("removed", "strike $text-muted"),
}

#: What each history action reads as, after the actor's name.
VERBS: dict[Action, str] = {
    Action.CREATED: "created the alliance",
    Action.DRAFTED: "drafted",
    Action.EDITED: "edited draft",
    Action.DELETED: "deleted draft",
    Action.PROPOSED: "proposed",
    Action.COUNTERED: "amended",
    Action.ACCEPTED: "accepted",
    Action.DECLINED: "declined",
    Action.WITHDRAWN: "withdrew",
    Action.REOPENED: "reopened",
    Action.REMOVED: "agreed to remove",
    Action.SIGNED: "signed",
    Action.PASSED: "passed the keyboard",
    Action.RENAMED: "renamed the alliance",
    Action.REKINDED: "changed the relationship's kind",
    Action.ARCHIVED: "archived the alliance",
    Action.UNARCHIVED: "brought the alliance back from the archive",
    Action.REVIEW_SET: "set the review date",
    Action.PASSPHRASE_SET: "set a passphrase",
    Action.PASSPHRASE_RESET: "reset the passphrase of",
    Action.CHANGE_PROPOSED: "proposed a change to the alliance",
    Action.CHANGE_DECLINED: "declined a change to the alliance",
    Action.COACH_SET: "changed the coach",
    Action.NOTED: "noted",
    Action.FLAGGED: "marked",
    Action.ASKED: "asked",
    Action.ANSWERED: "answered the open question",
    Action.REVEALED: "revealed their answer, now their draft",
    Action.CHECKED_IN: "checked in",
}

#: What a change to the whole alliance proposes, as the timeline says it.
CHANGES = {
    "rename": "rename it to",
    "rekind": "change its kind to",
    "coach": "have as coach",
    "delete": "delete it",
}


def text(value: str) -> Content:
    """Typed text as Content: shown exactly, never interpreted."""
    return Content(visible(value))


def local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def short_date(day: date) -> str:
    return day.isoformat()


def line_prompt(a: Alliance, line: Line, viewer: int, today: date) -> Content:
    """A line in its author's pane: state, wording, and what it waits for."""
    label, style = BADGES[line.state]
    if line.change_pending:
        label, style = ("change pending", "bold $text-warning")
    # Numbers right-aligned to the alliance's largest: the states stay in one column past 9.
    width = len(str(max(a.next_line - 1, 1)))
    parts: list[str | Content | tuple[str, str]] = [
        (f"{line.id:>{width}}. ", "bold"),
        (f"{label:<9}", style),
        " ",
    ]
    wording = line.current
    if line.removal_by is not None:
        parts.append(("remove: ", "bold $text-warning"))
    parts.append(text(wording.text))
    marks = []
    if wording.topic:
        marks.append(wording.topic)
    if wording.trial_until:
        marks.append(f"trial until {short_date(wording.trial_until)}")
    if marks:
        parts.append((f"  ({visible(', '.join(marks))})", "$text-muted"))
    if wording.sign:
        parts += [("  we'll know it works: ", "italic $text-muted"), text(wording.sign)]
    if line.flagged:
        parts.append(("  ⚑ needs more conversation", "bold $text-warning"))
    waiting = line.waiting_for
    if waiting is not None:
        if waiting == viewer:
            parts.append(("  ▶ waits for you", "bold $text-warning"))
        else:
            parts.append((f"  waits for {visible(a.name(waiting))}", "$text-muted"))
    if line.state is State.DECLINED and line.reason:
        parts.append(("  reason: ", "$text-muted"))
        parts.append(text(line.reason))
    return Content.assemble(*parts)


#: What a partner did who accepted the other's proposed change to the alliance.
AGREED_TO = {
    Action.RENAMED: "agreed to rename the alliance",
    Action.REKINDED: "agreed to change the relationship's kind",
    Action.COACH_SET: "agreed to change the coach",
}


def event_prompt(a: Alliance, event: Event, *, unguarded: bool = False, who: str | None = None) -> Content:
    """One entry of the timeline, as its viewer may read it (`views.seen_event`).

    `unguarded` marks an action taken as a partner whose passphrase had been reset by
    the other and not set again: anyone at the keyboard could have taken it (SPEC §2).
    `who` names the actor as they were then (`views.actor_names`: the coach may change).
    """
    if event.actor is None and event.action is Action.CREATED:
        # Nobody in particular: "— created the alliance" read as a missing name.
        return Content.assemble(
            (local_time(event.at), "$text-muted"),
            "  ",
            ("The alliance was created", "bold"),
            ": ",
            text(event.text or ""),
        )
    who = "—" if event.actor is None else visible(a.name(event.actor) if who is None else who)
    parts: list[str | Content | tuple[str, str]] = [
        (local_time(event.at), "$text-muted"),
        "  ",
        (who, "bold"),
        " ",
    ]
    if unguarded:
        parts.append(("(passphrase reset) ", "bold $text-warning"))
    if event.action in (Action.CHANGE_PROPOSED, Action.CHANGE_DECLINED):
        verb = "proposed to" if event.action is Action.CHANGE_PROPOSED else "declined to"
        if event.reason == "coach" and event.text is None:
            return Content.assemble(*parts, verb, " remove the coach ", text(event.before or ""))
        if event.reason == "coach":  # "Priya proposed to make Sam the coach"
            return Content.assemble(*parts, verb, " make ", text(event.text or ""), " the coach")
        parts += [verb, " ", CHANGES.get(event.reason or "", "change the alliance")]
        if event.text is not None:
            parts += [" ", text(event.text)]
        return Content.assemble(*parts)
    # A change the other partner proposed: "Ann agreed to rename the alliance", not that
    # she renamed it (the row above says who proposed it).
    agreed = event.reason == ACCEPTED and event.action in AGREED_TO
    if event.action is Action.COACH_SET:
        made, removed = (
            ("agreed to make ", "agreed to remove the coach ") if agreed else ("made ", "removed the coach ")
        )
        if event.text is None:
            return Content.assemble(*parts, removed, text(event.before or ""))
        if event.before is None:
            return Content.assemble(*parts, made, text(event.text), " the coach")
        return Content.assemble(*parts, made, text(event.text), " the coach, after ", text(event.before))
    parts.append(AGREED_TO[event.action] if agreed else VERBS[event.action])
    if event.action is Action.PASSPHRASE_SET and event.reason == "removed":
        return Content.assemble(*parts, (" (removed it)", "$text-muted"))
    if event.action is Action.PASSPHRASE_RESET and event.text:
        return Content.assemble(*parts, " ", text(event.text))
    if event.action is Action.WITHDRAWN and event.line is None and event.reason == "check-in":
        return Content.assemble(
            *parts, " the open check-in", ("  (its ratings discarded, never shown)", "$text-muted")
        )
    if event.action is Action.WITHDRAWN and event.line is None and event.text is not None:
        return Content.assemble(*parts, " the question: ", text(event.text))
    if event.action is Action.CHECKED_IN:
        if event.reason == "revealed":
            parts.append(" too, and both ratings are revealed")
            if event.text is not None:
                parts += [": ", text(event.text)]
            return Content.assemble(*parts)
        if not still_private(a, event):  # both have checked in since: the next row says so
            return Content.assemble(*parts)
        return Content.assemble(
            *parts, ("  (ratings private until both have checked in)", "italic $text-muted")
        )
    if event.action is Action.FLAGGED:
        if event.reason == "mark taken away":  # "Dana took the mark off line 2", not "marked"
            parts[-1] = "took the mark off"
            return Content.assemble(*parts, (f" line {event.line}", "$text-muted"))
        return Content.assemble(*parts, (f" line {event.line}", "$text-muted"), ": ", event.reason or "")
    if event.action is Action.WITHDRAWN and event.line is not None:
        # The offer goes, not the line: a re-design or a counter withdrawn leaves it as it was.
        parts[-1] = "withdrew the offer on"
    if event.line is not None:
        parts.append((f" line {event.line}", "$text-muted"))
    if event.action is Action.ANSWERED and not still_private(a, event):
        # The round is over (revealed, or its question withdrawn): no longer "the open one".
        parts[-1] = "answered the question"
    elif event.private and event.text is None and event.before is None:
        private = (
            "(private until both have answered)" if event.action is Action.ANSWERED else "(private draft)"
        )
        parts.append((f"  {private}", "italic $text-muted"))
    if event.before is not None and event.text is not None:
        if event.before == event.text:  # the same words: say which terms changed (issue 11)
            parts += [": ", text(event.text)]
        else:
            parts += [": ", (visible(event.before), "strike $text-muted"), " → ", text(event.text)]
        terms = changed_terms(a, event)
        if terms:
            said = "; ".join(f"{term} {before} → {after}" for term, before, after in terms)
            parts.append((f"  ({visible(said)})", "$text-muted"))
        elif event.before == event.text:
            parts.append(("  (its terms changed)", "$text-muted"))
    elif event.text is not None and event.action is not Action.PASSED:
        parts += [": ", text(event.text)]
    elif event.before is not None:
        parts += [": ", text(event.before)]
    elif event.action is Action.PASSED and event.text:
        parts += [" to ", text(event.text)]
    if event.action is Action.REVEALED and event.reason:
        parts += [("  (the question: ", "$text-muted"), text(event.reason), (")", "$text-muted")]
    elif event.reason and event.action in (Action.DRAFTED, Action.EDITED):
        # Words kept when the app closed on an editor (`rules.KEPT`), seen by their writer.
        parts.append((f"  ({visible(event.reason)})", "$text-muted"))
    elif event.reason and event.action is not Action.REOPENED and not agreed:
        parts += [("  reason: ", "$text-muted"), text(event.reason)]
    if event.action is Action.REOPENED and event.text is None:
        parts.append(("  (proposes removing it)", "$text-warning"))
    return Content.assemble(*parts)
