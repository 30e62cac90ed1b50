"""How the domain's objects are written as TinyDB documents, and read back.

Times are ISO 8601 in UTC, dates `YYYY-MM-DD`; empty fields are left out to keep the
file small, since every save rewrites it whole.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from ..domain import (
    Action,
    AgreedLine,
    Alliance,
    Event,
    Kind,
    Line,
    Partner,
    State,
    Version,
    Wording,
)
from ..domain.passphrase import Sealed

Record = dict[str, Any]


def time_out(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def time_in(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _date_out(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _date_in(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _compact(record: Record) -> Record:
    return {key: value for key, value in record.items() if value is not None and value is not False}


def _partner_out(partner: Partner) -> Record:
    record: Record = {"name": partner.name}
    if (sealed := partner.passphrase) is not None:
        # Only the salt and the scrypt hash: the passphrase itself is never stored.
        record["passphrase"] = {
            "scrypt": sealed.digest.hex(),
            "salt": sealed.salt.hex(),
            "n": sealed.n,
            "r": sealed.r,
            "p": sealed.p,
        }
    return record


def _partner_in(record: Record) -> Partner:
    sealed = record.get("passphrase")
    return Partner(
        str(record["name"]),
        None
        if sealed is None
        else Sealed(
            salt=bytes.fromhex(sealed["salt"]),
            digest=bytes.fromhex(sealed["scrypt"]),
            n=int(sealed["n"]),
            r=int(sealed["r"]),
            p=int(sealed["p"]),
        ),
    )


def alliance_out(a: Alliance) -> Record:
    return _compact(
        {
            "id": a.id,
            "title": a.title,
            "kind": a.kind.value,
            "partners": [_partner_out(p) for p in a.partners],
            "created_at": time_out(a.created_at),
            "review_on": _date_out(a.review_on),
            "active": a.active,
            "next_line": a.next_line,
            "signatures": sorted(a.signatures),
            "version": a.version,
            "changed_since_version": a.changed_since_version,
            "sessions": a.sessions,
            "archived": a.archived,
        }
    )


def alliance_in(record: Record) -> Alliance:
    partners = record["partners"]
    if len(partners) != 2:
        raise ValueError("an alliance needs exactly two partners")
    active = record.get("active", 0)
    if active not in (0, 1):
        raise ValueError(f"active partner {active!r} is neither 0 nor 1")
    return Alliance(
        id=str(record["id"]),
        title=str(record.get("title", "")),
        kind=Kind(record.get("kind", "other")),
        partners=(_partner_in(partners[0]), _partner_in(partners[1])),
        created_at=time_in(record["created_at"]),
        review_on=_date_in(record.get("review_on")),
        active=active,
        next_line=int(record.get("next_line", 1)),
        signatures=set(record.get("signatures", [])),
        version=int(record.get("version", 0)),
        changed_since_version=bool(record.get("changed_since_version", False)),
        sessions=int(record.get("sessions", 0)),
        archived=bool(record.get("archived", False)),
    )


def _wording_out(w: Wording) -> Record:
    return _compact(
        {
            "text": w.text,
            "by": w.by,
            "at": time_out(w.at),
            "topic": w.topic,
            "trial_until": _date_out(w.trial_until),
        }
    )


def _wording_in(record: Record) -> Wording:
    by = record["by"]
    if by not in (0, 1):
        raise ValueError(f"wording by {by!r}")
    trial = record.get("trial_until")
    return Wording(
        str(record["text"]),
        by,
        time_in(record["at"]),
        record.get("topic"),
        None if trial is None else date.fromisoformat(trial),
    )


_STATES = {state.value: state for state in State}


def line_out(alliance_id: str, line: Line) -> Record:
    return _compact(
        {
            "alliance": alliance_id,
            "id": line.id,
            "author": line.author,
            "state": line.state.value,
            "wordings": [_wording_out(w) for w in line.wordings],
            "offer": line.offer,
            "agreed": line.agreed,
            "agreed_at": None if line.agreed_at is None else time_out(line.agreed_at),
            "removal_by": line.removal_by,
            "reason": line.reason,
        }
    )


def line_in(record: Record) -> Line:
    # Written for speed: a file of 10,000 lines is decoded before the first frame.
    get = record.get
    wordings = [_wording_in(w) for w in record["wordings"]]
    agreed_at = get("agreed_at")
    offer, agreed = get("offer"), get("agreed")
    line = Line(
        int(record["id"]),
        record["author"],
        _STATES[record["state"]],
        wordings,
        offer,
        agreed,
        None if agreed_at is None else time_in(agreed_at),
        get("removal_by"),
        get("reason"),
    )
    count = len(wordings)
    if (
        line.author in (0, 1)
        and count
        and (offer is not None or agreed is not None)
        and (offer is None or 0 <= offer < count)
        and (agreed is None or 0 <= agreed < count)
    ):
        return line
    if line.author not in (0, 1) or not count:
        raise ValueError(f"line {line.id} has no author or no wording")
    if offer is None and agreed is None:
        raise ValueError(f"line {line.id} has no current wording")
    raise ValueError(f"line {line.id} points at a wording it does not have")


def event_out(alliance_id: str, event: Event) -> Record:
    return _compact(
        {
            "alliance": alliance_id,
            "at": time_out(event.at),
            "session": event.session,
            "actor": event.actor,
            "action": event.action.value,
            "line": event.line,
            "text": event.text,
            "before": event.before,
            "reason": event.reason,
            "private": event.private,
        }
    )


def event_in(record: Record) -> Event:
    return Event(
        at=time_in(record["at"]),
        session=int(record.get("session", 0)),
        actor=record.get("actor"),
        action=Action(record["action"]),
        line=record.get("line"),
        text=record.get("text"),
        before=record.get("before"),
        reason=record.get("reason"),
        private=bool(record.get("private", False)),
    )


def version_out(alliance_id: str, version: Version) -> Record:
    return {
        "alliance": alliance_id,
        "number": version.number,
        "at": time_out(version.at),
        "partners": list(version.partners),
        "lines": [
            _compact(
                {
                    "number": line.number,
                    "line": line.line,
                    "text": line.text,
                    "topic": line.topic,
                    "author": line.author,
                    "agreed_at": time_out(line.agreed_at),
                    "trial_until": _date_out(line.trial_until),
                }
            )
            for line in version.lines
        ],
    }


def version_in(record: Record) -> Version:
    partners = record["partners"]
    return Version(
        number=int(record["number"]),
        at=time_in(record["at"]),
        partners=(str(partners[0]), str(partners[1])),
        lines=tuple(
            AgreedLine(
                number=int(line["number"]),
                line=int(line["line"]),
                text=str(line["text"]),
                topic=line.get("topic"),
                author=line["author"],
                agreed_at=time_in(line["agreed_at"]),
                trial_until=_date_in(line.get("trial_until")),
            )
            for line in record["lines"]
        ),
    )
