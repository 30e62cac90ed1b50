"""The agreement as others read it: Markdown, plain text and the JSON of SPEC §5.

Exports are the shared record: they never carry a partner's private draft wording.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from .model import AgreedLine, Alliance, Event, Kind, State, Version
from .rules import agreement
from .views import actor_names, seen_event

FORMATS = ("md", "txt", "json")
#: The words before a line's sign in the Markdown and text exports (SPEC §12).
SIGN_LABEL = "We'll know it works"


def iso_time(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC, to the second, with a Z."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_date(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _lines_of(a: Alliance, version: Version | None) -> Sequence[AgreedLine]:
    return agreement(a) if version is None else version.lines


def _groups(lines: Iterable[AgreedLine]) -> list[tuple[str | None, list[AgreedLine]]]:
    groups: list[tuple[str | None, list[AgreedLine]]] = []
    for line in lines:
        topic = line.topic.casefold() if line.topic else None
        if not groups or groups[-1][0] != topic:
            groups.append((topic, []))
        groups[-1][1].append(line)
    return groups


def heading_of(topic: str | None) -> str:
    return topic[:1].upper() + topic[1:] if topic else "General"


def kind_phrase(a: Alliance) -> str:
    """ "A couple alliance", "An alliance": how the export introduces the alliance."""
    if a.kind is Kind.OTHER:
        return "An alliance"
    if a.kind is Kind.FRIENDS:
        return "A friends' alliance"
    return f"A {a.kind.value} alliance"


def _standing(a: Alliance, version: Version | None, current: bool = False) -> str:
    if version is not None:
        if current:  # the agreement exported as it stood, when it was this version
            return f"version {version.number}"
        return f"version {version.number}, signed {iso_date(version.at.date())}"
    if a.version == 0:
        return "not signed yet"
    if a.changed_since_version:
        return f"changed since version {a.version}"
    return f"version {a.version}"


def closing(a: Alliance, version: Version | None = None) -> str | None:
    """The last line of a Markdown or text export (SPEC §12): the fingerprint of the
    signed version it shows, or that the agreement changed since the last one."""
    if version is not None:
        from .fingerprint import footer  # here: the first frame exports nothing (SPEC §9)

        return footer(version)
    if a.version == 0:
        return None
    if a.changed_since_version:
        return f"Changed since version {a.version}: not signed."
    if a.fingerprint is not None:
        return f"Version {a.version} · fingerprint {a.fingerprint}"
    return None


def _with_closing(out: list[str], a: Alliance, version: Version | None) -> str:
    if (last := closing(a, version)) is not None:
        out += ["", last]
    return "\n".join(out) + "\n"


def to_markdown(a: Alliance, version: Version | None = None, *, current: bool = False) -> str:
    """The agreement as Markdown: what `c` copies and `export --format md` prints."""
    names = version.partners if version is not None else a.names
    out = [f"# {a.title or 'Our alliance'}", ""]
    out.append(f"{kind_phrase(a)} between {names[0]} and {names[1]} — {_standing(a, version, current)}.")
    lines = _lines_of(a, version)
    if not lines:
        out += ["", "Nothing is agreed yet."]
    for topic, group in _groups(lines):
        out += ["", f"## {heading_of(topic)}", ""]
        for line in group:
            trial = f" *(trial until {iso_date(line.trial_until)})*" if line.trial_until else ""
            out.append(f"{line.number}. {line.text}{trial}")
            if line.sign:
                out.append(f"   *{SIGN_LABEL}: {line.sign}*")
    return _with_closing(out, a, version)


def to_text(a: Alliance, version: Version | None = None, *, current: bool = False) -> str:
    """The agreement as plain text, for a printout or an e-mail."""
    names = version.partners if version is not None else a.names
    title = a.title or "Our alliance"
    out = [title, "=" * min(len(title), 60)]
    out.append(f"{kind_phrase(a)} between {names[0]} and {names[1]} — {_standing(a, version, current)}.")
    lines = _lines_of(a, version)
    if not lines:
        out += ["", "Nothing is agreed yet."]
    for topic, group in _groups(lines):
        out += ["", heading_of(topic).upper()]
        for line in group:
            trial = f" (trial until {iso_date(line.trial_until)})" if line.trial_until else ""
            out.append(f"  {line.number}. {line.text}{trial}")
            if line.sign:
                out.append(f"     {SIGN_LABEL}: {line.sign}")
    return _with_closing(out, a, version)


def to_json(a: Alliance, history: Iterable[Event], version: Version | None = None) -> dict[str, Any]:
    """The object of SPEC §5: the alliance, its agreement, what is open, and its history."""
    name = a.name
    events = list(history)
    shared = [seen_event(event, None) for event in events]
    return {
        "alliance": {
            "id": a.id,
            "title": a.title,
            "kind": a.kind.value,
            "partners": list(a.names),
            "created_at": iso_time(a.created_at),
            "version": a.version if version is None else version.number,
            "review_on": iso_date(a.review_on),
            "fingerprint": a.fingerprint if version is None else _fingerprint(version),
            "coach": a.coach,
        },
        "agreement": [
            {
                "number": line.number,
                "text": line.text,
                "topic": line.topic,
                "author": name(line.author),
                "agreed_at": iso_time(line.agreed_at),
                "trial_until": iso_date(line.trial_until),
                "sign": line.sign,
            }
            for line in _lines_of(a, version)
        ],
        "open": [
            {
                "id": line.id,
                "text": line.current.text,
                # The wording's author (SPEC §5): a counter's is the partner who countered,
                # a re-design's whoever reopened the line, not the line's first writer.
                "author": name(line.current.by if line.offered_by is None else line.offered_by),
                "state": line.state.value,
                "waiting_for": None if line.waiting_for is None else name(line.waiting_for),
            }
            for line in a.lines.values()
            if line.state in (State.PROPOSED, State.COUNTERED, State.DECLINED)
        ],
        "history": [
            {
                "at": iso_time(event.at),
                "session": event.session,
                "actor": None if event.actor is None else who,
                "action": event.action.value,
                "line": event.line,
                "text": event.text,
                "before": event.before,
                "reason": event.reason,
            }
            for event, who in zip(shared, actor_names(a, events), strict=True)
        ],
        # Revealed check-ins only: the one still open is each partner's own (SPEC §5, §12).
        "checkins": [
            {
                "at": iso_time(checked.at),
                "ratings": [
                    {
                        "line": given.line,
                        "partner": name(given.partner),
                        "rating": given.rating.value,
                        "note": given.note,
                    }
                    for given in checked.ratings
                ],
            }
            for checked in a.checkins
        ],
    }


def _fingerprint(version: Version) -> str:
    from .fingerprint import fingerprint

    return fingerprint(version)
