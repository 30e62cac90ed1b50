"""Does the history keep the rule of consent? (issue 15 item 6: the file is not trusted).

The rules never let a partner accept their own wording, but a file can be edited by hand:
a line set to "agreed" in the file, or an "accepted" event whose actor was changed. This
replays an alliance's whole history, line by line, and names the first event that breaks
the rule of consent, or the line the file calls agreed that nobody else accepted.

Whether the events themselves were altered is the store's to say (each event carries a
hash of the one before: `store.chain`); this says whether what they tell is allowed.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import Action, Alliance, Event


def consent_breach(a: Alliance, events: Sequence[Event]) -> str | None:
    """The first breach of the rule of consent in `a`'s whole history, or None.

    Events are numbered from 1, oldest first, as `alliance-tui export --format json`
    lists them.
    """
    #: For each line, who wrote each offer on the table: the proposal, then the counters.
    offers: dict[int, list[int | None]] = {}
    agreed: set[int] = set()
    for number, event in enumerate(events, start=1):
        line, actor, action = event.line, event.actor, event.action
        if line is None:
            continue
        table = offers.setdefault(line, [])
        if action in (Action.PROPOSED, Action.REOPENED):
            table[:] = [actor]
        elif action is Action.COUNTERED:
            table.append(actor)
        elif action is Action.WITHDRAWN:
            if table:
                table.pop()  # a counter taken back puts the offer it answered back
        elif action in (Action.DECLINED, Action.DELETED, Action.DRAFTED, Action.EDITED, Action.REVEALED):
            table.clear()
            if action is Action.DELETED:
                agreed.discard(line)
        elif action in (Action.ACCEPTED, Action.REMOVED):
            who = a.name(actor) if actor in (0, 1) else "someone"
            breach = f"event {number} breaks the rule of consent: {who}"
            if not table:
                return f"{breach} answered line {line}, but nothing was offered"
            if table[-1] == actor:
                return f"{breach} accepted their own offer on line {line}"
            table.clear()
            if action is Action.ACCEPTED:
                agreed.add(line)
            else:
                agreed.discard(line)
    for kept in a.lines.values():
        if kept.in_force is not None and kept.id not in agreed:
            return f"line {kept.id} is agreed in the file, but its history shows nobody else accepting it"
    return None
