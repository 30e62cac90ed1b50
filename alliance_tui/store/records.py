"""How the domain's objects are written as TinyDB documents, and read back.

Times are ISO 8601 in UTC, dates `YYYY-MM-DD`; empty fields are left out to keep the
file small, since every save rewrites it whole.

Reading trusts nothing: a file may have been edited by hand or damaged. Every field is
checked for its type and range here (a partner is 0 or 1, a count is a whole number, a
time is a time, a text is text of a sane length), so what the domain receives is what it
could have made itself. A record that is not raises `ValueError` with a sentence, which
the store reports as a database that cannot be used, naming the file (SPEC §6).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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
from ..domain.model import Change, CheckedIn, CheckIn, Given, Rated, Rating, Reset, Round
from ..domain.passphrase import Sealed

Record = dict[str, Any]

#: The partners, as records name them (an author, an actor, a signature).
PARTNERS = (0, 1)
#: Everyone who can act: the partners and the coach (SPEC §11).
ACTORS = (0, 1, 2)

#: The longest text a record may hold: far above anything the app writes (a wording is
#: at most 1,000 characters), low enough that a hand-edited file cannot make a screen or
#: an export choke on a megabyte of title.
TEXT_MAX = 10_000

#: The largest count or number a record may hold (line numbers, sessions, versions).
COUNT_MAX = 2**31 - 1

#: scrypt's cost parameters as the app could have written them (`domain.passphrase`
#: uses 2**14, 8, 1): a hand-edited cost could otherwise take minutes or gigabytes.
_SCRYPT_N_MAX, _SCRYPT_R_MAX, _SCRYPT_P_MAX = 2**20, 64, 16

# -- fields ------------------------------------------------------------------------------


def _text(value: Any, what: str) -> str:
    if type(value) is not str:
        raise ValueError(f"{what} is {_kind_of(value)}, not text")
    if len(value) > TEXT_MAX:
        raise ValueError(f"{what} is {len(value):,} characters long (at most {TEXT_MAX:,})")
    return value


def _optional_text(value: Any, what: str) -> str | None:
    return None if value is None else _text(value, what)


def _count(value: Any, what: str, *, least: int = 0) -> int:
    if type(value) is not int:
        raise ValueError(f"{what} is {_kind_of(value)}, not a whole number")
    if not least <= value <= COUNT_MAX:
        raise ValueError(f"{what} is {value}, out of range")
    return value


def _partner(value: Any, what: str) -> int:
    if type(value) is not int or value not in PARTNERS:
        raise ValueError(f"{what} is {_shown(value)}, neither partner 0 nor 1")
    return value


def _actor(value: Any, what: str) -> int | None:
    """Who did something: partner 0 or 1, the coach (2), or nobody (None)."""
    if value is None:
        return None
    if type(value) is not int or value not in ACTORS:
        raise ValueError(f"{what} is {_shown(value)}, neither partner 0 nor 1 nor the coach (2)")
    return value


def _optional_partner(value: Any, what: str) -> int | None:
    return None if value is None else _partner(value, what)


def _flag(value: Any, what: str) -> bool:
    if type(value) is not bool:
        raise ValueError(f"{what} is {_kind_of(value)}, not true or false")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{what} is {_kind_of(value)}, not a list")
    return value


def _record(value: Any, what: str) -> Record:
    if not isinstance(value, dict):
        raise ValueError(f"{what} is {_kind_of(value)}, not an object")
    return value


def _required(record: Record, key: str, what: str) -> Any:
    try:
        return record[key]
    except KeyError:
        raise ValueError(f"{what} has no {key!r}") from None


def _kind_of(value: Any) -> str:
    names = {bool: "true or false", int: "a number", float: "a decimal number", str: "text", list: "a list"}
    if value is None:
        return "empty"
    if isinstance(value, float) and value != value:
        return "NaN"
    return names.get(type(value), "an object")


def _shown(value: Any) -> str:
    """A value for an error sentence, never longer than a few words."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# -- times and dates ---------------------------------------------------------------------


def time_out(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def time_in(text: Any, what: str = "a time") -> datetime:
    """A time as written by `time_out`, within years the app can show in any time zone."""
    if type(text) is str and len(text) <= 64:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:  # as `time_out` writes it, the usual case: no need to convert
            if moment.tzinfo is UTC and 1 < moment.year < 9999:
                return moment
    return _time_in(text, what)


def _time_in(text: Any, what: str) -> datetime:
    if type(text) is not str or len(text) > 64:
        raise ValueError(f"{what} is {_kind_of(text)}, not a time")
    try:
        moment = datetime.fromisoformat(text)
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        in_utc = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValueError(f"{what} is {_shown(text)}, not a time") from None
    if not 1 < in_utc.year < 9999:  # room for any time zone either side
        raise ValueError(f"{what} is {_shown(text)}, out of range")
    return moment


def _date_out(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _date_in(text: Any, what: str = "a date") -> date | None:
    if text is None:
        return None
    if type(text) is not str or len(text) > 32:
        raise ValueError(f"{what} is {_kind_of(text)}, not a date")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} is {_shown(text)}, not a date") from None


def _compact(record: Record) -> Record:
    return {key: value for key, value in record.items() if value is not None and value is not False}


# -- alliances ---------------------------------------------------------------------------


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
    if (reset := partner.reset) is not None:
        record["reset"] = {"by": reset.by, "at": time_out(reset.at)}
    return record


def _reset_in(record: Any, what: str) -> Reset | None:
    if record is None:
        return None
    what = f"the passphrase reset of {what}"
    record = _record(record, what)
    return Reset(
        by=_partner(_required(record, "by", what), f"who made {what}"),
        at=time_in(_required(record, "at", what), f"the time of {what}"),
    )


def _change_out(change: Change | None) -> Record | None:
    if change is None:
        return None
    return _compact({"what": change.what, "value": change.value, "by": change.by, "at": time_out(change.at)})


_CHANGES = ("rename", "rekind", "coach", "delete")


def _change_in(record: Any, what: str) -> Change | None:
    if record is None:
        return None
    what = f"the change proposed to {what}"
    record = _record(record, what)
    kind = _required(record, "what", what)
    if kind not in _CHANGES:
        raise ValueError(f"{what} is {_shown(kind)}, not a rename, re-kind, change of coach or deletion")
    value = record.get("value")
    if kind == "rekind" and value not in _KINDS:
        raise ValueError(f"{what} names {_shown(value)}, not a relationship kind")
    if kind == "rename":
        value = _text(_required(record, "value", what), f"the new title in {what}")
    if kind == "coach" and value is not None:
        value = _text(value, f"the new coach in {what}")
        if not value.strip() or len(value) > 40:
            raise ValueError(f"the new coach in {what} is {_shown(value)}, not a name")
    return Change(
        what=kind,
        value=None if kind == "delete" else value,
        by=_partner(_required(record, "by", what), f"who made {what}"),
        at=time_in(_required(record, "at", what), f"the time of {what}"),
    )


def _hex(value: Any, what: str) -> bytes:
    if type(value) is not str or not 0 < len(value) <= 256:
        raise ValueError(f"{what} is {_kind_of(value)}, not a short hexadecimal string")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise ValueError(f"{what} is not hexadecimal") from None


def _partner_in(record: Any, number: int) -> Partner:
    what = f"partner {number}"
    record = _record(record, what)
    name = _text(_required(record, "name", what), f"the name of {what}")
    if not name.strip():
        raise ValueError(f"the name of {what} is empty")
    reset = _reset_in(record.get("reset"), what)
    sealed = record.get("passphrase")
    if sealed is None:
        return Partner(name, reset=reset)
    what = f"the passphrase of {what}"
    sealed = _record(sealed, what)
    n = _count(_required(sealed, "n", what), f"the cost n of {what}", least=2)
    r = _count(_required(sealed, "r", what), f"the cost r of {what}", least=1)
    p = _count(_required(sealed, "p", what), f"the cost p of {what}", least=1)
    if n & (n - 1) or n > _SCRYPT_N_MAX or r > _SCRYPT_R_MAX or p > _SCRYPT_P_MAX:
        raise ValueError(f"{what} has a cost this app would never use")
    return Partner(
        name,
        Sealed(
            salt=_hex(_required(sealed, "salt", what), f"the salt of {what}"),
            digest=_hex(_required(sealed, "scrypt", what), f"the hash of {what}"),
            n=n,
            r=r,
            p=p,
        ),
        reset,
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
            "undone": sorted(a.undone) or None,
            "version": a.version,
            "changed_since_version": a.changed_since_version,
            "sessions": a.sessions,
            "archived": a.archived,
            "change": _change_out(a.change),
            "coach": a.coach,
            "round": _round_out(a.round),
            "revealed": _round_out(a.revealed),
            "checkin": _checkin_out(a.checkin),
            "checkins": [_checked_out(checked) for checked in a.checkins] or None,
            "signed_at": {str(p): time_out(t) for p, t in sorted(a.signed_at.items())} or None,
            "fingerprint": a.fingerprint,
        }
    )


def _signed_at_in(record: Any, what: str) -> dict[int, datetime]:
    if record is None:
        return {}
    found = {}
    for partner, moment in _record(record, f"the signature times of {what}").items():
        if partner not in ("0", "1"):
            raise ValueError(f"a signature time of {what} names {_shown(partner)}, neither partner 0 nor 1")
        found[int(partner)] = time_in(moment, f"a signature time of {what}")
    return found


_FINGERPRINT = re.compile(r"[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}")


def _fingerprint_in(value: Any, what: str) -> str | None:
    if value is None:
        return None
    if type(value) is not str or not _FINGERPRINT.fullmatch(value):
        raise ValueError(f"the fingerprint of {what} is {_shown(value)}, not a fingerprint")
    return value


_KINDS = {kind.value: kind for kind in Kind}


def alliance_in(record: Any) -> Alliance:
    record = _record(record, "the record")
    alliance_id = _text(_required(record, "id", "the alliance"), "its id")
    if not alliance_id or len(alliance_id) > 64:
        raise ValueError(f"the alliance id {_shown(alliance_id)} is not an id")
    what = f"alliance {alliance_id}"
    partners = _list(_required(record, "partners", what), f"the partners of {what}")
    if len(partners) != 2:
        raise ValueError(f"{what} has {len(partners)} partners, not two")
    first, second = _partner_in(partners[0], 0), _partner_in(partners[1], 1)
    if first.name == second.name:
        raise ValueError(f"both partners of {what} are called {_shown(first.name)}")
    kind = record.get("kind", "other")
    if type(kind) is not str or kind not in _KINDS:
        raise ValueError(f"the kind of {what} is {_shown(kind)}, not a relationship kind")
    signatures = _list(record.get("signatures", []), f"the signatures of {what}")
    for signature in signatures:
        _partner(signature, f"a signature of {what}")
    if len(set(signatures)) != len(signatures):
        raise ValueError(f"{what} is signed twice by one partner")
    undone = {
        _partner(p, f"an undone signature of {what}")
        for p in _list(record.get("undone", []), f"the undone signatures of {what}")
    }
    coach = _coach_in(record.get("coach"), what)
    return Alliance(
        id=alliance_id,
        title=_text(record.get("title", ""), f"the title of {what}"),
        kind=_KINDS[kind],
        partners=(first, second),
        created_at=time_in(_required(record, "created_at", what), f"the creation time of {what}"),
        review_on=_date_in(record.get("review_on"), f"the review date of {what}"),
        active=_active_in(record.get("active", 0), coach, what),
        next_line=_count(record.get("next_line", 1), f"the next line number of {what}", least=1),
        signatures=set(signatures),
        undone=undone,
        version=_count(record.get("version", 0), f"the version of {what}"),
        changed_since_version=_flag(record.get("changed_since_version", False), f"a mark of {what}"),
        sessions=_count(record.get("sessions", 0), f"the session count of {what}"),
        archived=_flag(record.get("archived", False), f"the archive mark of {what}"),
        change=_change_in(record.get("change"), what),
        signed_at=_signed_at_in(record.get("signed_at"), what),
        fingerprint=_fingerprint_in(record.get("fingerprint"), what),
        coach=coach,
        round=_round_in(record.get("round"), what),
        revealed=_revealed_in(record.get("revealed"), what),
        checkin=_checkin_in(record.get("checkin"), what),
        checkins=[
            _checked_in(checked, f"check-in {n + 1} of {what}")
            for n, checked in enumerate(_list(record.get("checkins", []), f"the check-ins of {what}"))
        ],
    )


def _round_out(round_: Round | None) -> Record | None:
    if round_ is None:
        return None
    return {
        "question": round_.question,
        "asked_by": round_.asked_by,
        "at": time_out(round_.at),
        "answers": {str(p): text for p, text in sorted(round_.answers.items())},
        "ready": sorted(round_.ready),
    }


def _round_in(record: Any, what: str, *, called: str = "the open question of") -> Round | None:
    """A round as `_round_out` writes it; refusals name it as `called` (of) `what`."""
    if record is None:
        return None
    what = f"{called} {what}"
    record = _record(record, what)
    answers = {}
    for partner, text in _record(record.get("answers", {}), f"the answers to {what}").items():
        if partner not in ("0", "1"):
            raise ValueError(f"an answer to {what} names {_shown(partner)}, neither partner 0 nor 1")
        answers[int(partner)] = _text(text, f"an answer to {what}")
    ready = {
        _partner(p, f"a ready mark of {what}")
        for p in _list(record.get("ready", []), f"the ready marks of {what}")
    }
    return Round(
        question=_text(_required(record, "question", what), f"the question of {what}"),
        asked_by=_actor(_required(record, "asked_by", what), f"who asked {what}") or 0,
        at=time_in(_required(record, "at", what), f"the time of {what}"),
        answers=answers,
        ready=ready,
    )


def _revealed_in(record: Any, what: str) -> Round | None:
    """The last round both answered (`Alliance.revealed`): both answers, both ready."""
    found = _round_in(record, f"the last revealed round of {what}", called="the question of")
    if found is not None and (set(found.answers) != {0, 1} or found.ready != {0, 1}):
        raise ValueError(f"the last revealed round of {what} does not hold both answers")
    return found


# -- check-ins (SPEC §12) -----------------------------------------------------------------

_RATINGS = {rating.value: rating for rating in Rating}


def _rating_in(value: Any, what: str) -> Rating:
    if type(value) is not str or value not in _RATINGS:
        raise ValueError(f"{what} is {_shown(value)}, not working, wobbly or not_working")
    return _RATINGS[value]


def _checkin_out(checkin: CheckIn | None) -> Record | None:
    if checkin is None:
        return None
    return {
        "at": time_out(checkin.at),
        "lines": list(checkin.lines),
        "ratings": {
            str(partner): {
                str(line): _compact({"rating": rated.rating.value, "note": rated.note})
                for line, rated in sorted(mine.items())
            }
            for partner, mine in sorted(checkin.ratings.items())
        },
        "done": sorted(checkin.done),
    }


def _checkin_in(record: Any, what: str) -> CheckIn | None:
    if record is None:
        return None
    what = f"the open check-in of {what}"
    record = _record(record, what)
    lines = tuple(
        _count(line, f"a line of {what}", least=1)
        for line in _list(record.get("lines", []), f"the lines of {what}")
    )
    ratings: dict[int, dict[int, Rated]] = {}
    for partner, mine in _record(record.get("ratings", {}), f"the ratings of {what}").items():
        if partner not in ("0", "1"):
            raise ValueError(f"a rating of {what} names {_shown(partner)}, neither partner 0 nor 1")
        given: dict[int, Rated] = {}
        for line, rated in _record(mine, f"the ratings of {what}").items():
            if not (len(line) <= 10 and line.isascii() and line.isdigit() and int(line) in lines):
                raise ValueError(f"a rating of {what} names {_shown(line)}, not a line it rates")
            rated = _record(rated, f"the rating of line {line} in {what}")
            given[int(line)] = Rated(
                _rating_in(_required(rated, "rating", what), f"the rating of line {line} in {what}"),
                _optional_text(rated.get("note"), f"the note on line {line} in {what}"),
            )
        ratings[int(partner)] = given
    done = {
        _partner(p, f"a finished mark of {what}")
        for p in _list(record.get("done", []), f"the finished marks of {what}")
    }
    return CheckIn(
        at=time_in(_required(record, "at", what), f"the time of {what}"),
        lines=lines,
        ratings=ratings,
        done=done,
    )


def _checked_out(checked: CheckedIn) -> Record:
    """A revealed check-in, each rating as `[line, partner, rating]` (and its note): at
    10,000 lines a check-in holds 20,000 ratings, and every save writes them all.

    A revealed check-in never changes, so its record is made once (`_CHECKED`).
    """
    kept = _CHECKED.get(id(checked))
    if kept is not None and kept[0] is checked:
        return kept[1]
    record = {
        "at": time_out(checked.at),
        "ratings": [
            [g.line, g.partner, g.rating.value]
            if g.note is None
            else [g.line, g.partner, g.rating.value, g.note]
            for g in checked.ratings
        ],
    }
    if len(_CHECKED) > 256:
        _CHECKED.clear()
    _CHECKED[id(checked)] = (checked, record)
    return record


#: The records of the revealed check-ins saved lately, by identity (see `_checked_out`).
_CHECKED: dict[int, tuple[CheckedIn, Record]] = {}


def _checked_in(record: Any, what: str) -> CheckedIn:
    # Read before the first frame, 20,000 ratings to a check-in at 10,000 lines (SPEC §9):
    # the usual rating passes plain comparisons; any other goes the long way, which says
    # what is wrong with it.
    try:
        found = []
        ratings = _RATINGS
        for entry in record["ratings"]:
            line, partner, rating, *rest = entry
            note = rest[0] if rest else None
            if not (
                type(entry) is list
                and len(rest) <= 1
                and type(line) is int
                and 0 < line <= COUNT_MAX
                and type(partner) is int
                and partner in PARTNERS
                and (note is None or (type(note) is str and len(note) <= TEXT_MAX))
            ):
                break
            found.append(Given(line, partner, ratings[rating], note))
        else:
            return CheckedIn(at=time_in(record["at"]), ratings=tuple(found))
    except (KeyError, TypeError, ValueError):
        pass
    return _checked_in_slowly(record, what)


def _checked_in_slowly(record: Any, what: str) -> CheckedIn:
    record = _record(record, what)
    ratings = []
    for n, given in enumerate(_list(record.get("ratings", []), f"the ratings of {what}")):
        said = f"rating {n + 1} of {what}"
        given = _list(given, said)
        if len(given) not in (3, 4):
            raise ValueError(f"{said} is not a line, a partner, a rating and a note")
        ratings.append(
            Given(
                line=_count(given[0], f"the line of {said}", least=1),
                partner=_partner(given[1], f"the partner of {said}"),
                rating=_rating_in(given[2], said),
                note=_optional_text(given[3] if len(given) == 4 else None, f"the note of {said}"),
            )
        )
    return CheckedIn(at=time_in(_required(record, "at", what), f"the time of {what}"), ratings=tuple(ratings))


def _coach_in(value: Any, what: str) -> str | None:
    if value is None:
        return None
    name = _text(value, f"the coach of {what}")
    if not name.strip() or len(name) > 40:
        raise ValueError(f"the coach of {what} is {_shown(value)}, not a name")
    return name


def _active_in(value: Any, coach: str | None, what: str) -> int:
    if coach is not None and value == 2 and type(value) is int:
        return 2
    return _partner(value, f"the active partner of {what}")


# -- lines -------------------------------------------------------------------------------


def _wording_out(w: Wording) -> Record:
    return _compact(
        {
            "text": w.text,
            "by": w.by,
            "at": time_out(w.at),
            "topic": w.topic,
            "trial_until": _date_out(w.trial_until),
            "sign": w.sign,
        }
    )


def _wording_in(record: Any, what: str) -> Wording:
    record = _record(record, what)
    return Wording(
        _text(_required(record, "text", what), f"the text of {what}"),
        _partner(_required(record, "by", what), f"the author of {what}"),
        time_in(_required(record, "at", what), f"the time of {what}"),
        _optional_text(record.get("topic"), f"the topic of {what}"),
        _date_in(record.get("trial_until"), f"the trial date of {what}"),
        _optional_text(record.get("sign"), f"the sign of {what}"),
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
            "earlier": [list(pair) for pair in line.earlier] or None,
            "flagged": line.flagged,
        }
    )


def _earlier_in(value: Any, what: str, count: int) -> list[tuple[int | None, int | None]]:
    """What each counter of a line answered (`Line.earlier`); [] when there is none."""
    if value is None:
        return []
    pairs = _list(value, f"the answered offers of {what}")
    found = []
    for pair in pairs:
        pair = _list(pair, f"an answered offer of {what}")
        if len(pair) != 2:
            raise ValueError(f"an answered offer of {what} is not an offer and a removal")
        found.append(
            (
                _index(pair[0], what, count),
                _optional_partner(pair[1], f"who proposed a removal answered in {what}"),
            )
        )
    return found


def _index(value: Any, what: str, count: int) -> int | None:
    if value is None:
        return None
    if type(value) is not int or not 0 <= value < count:
        raise ValueError(f"{what} points at wording {_shown(value)}, which it does not have")
    return value


def line_in(record: Any) -> Line:
    return lines_in([record])[0]


def lines_in(found: Iterable[Any]) -> list[Line]:
    """The lines of these records, each checked as `_line_in` checks it.

    A file of 10,000 lines is decoded before the first frame (SPEC §9): the usual record
    passes plain comparisons in one loop, with no call per field (34 ms at 10,000 lines
    took 25 this way); any other goes the long way (`_line_in`), which says what is
    wrong with it.
    """
    lines: list[Line] = []
    add = lines.append
    moment_in, make, states = datetime.fromisoformat, tuple.__new__, _STATES
    for record in found:
        try:
            get = record.get
            line_id, author, offer, agreed = get("id"), get("author"), get("offer"), get("agreed")
            removal_by, reason, agreed_at = get("removal_by"), get("reason"), get("agreed_at")
            earlier, given = get("earlier"), get("wordings")  # earlier: a countered line's
            wordings = []
            for wording in given:
                has = wording.get
                text, by, at, topic, trial = (
                    has("text"),
                    has("by"),
                    has("at"),
                    has("topic"),
                    has("trial_until"),
                )
                at = moment_in(at) if type(at) is str and len(at) <= 64 else None
                if not (
                    type(text) is str
                    and len(text) <= TEXT_MAX
                    and type(by) is int
                    and by in PARTNERS
                    and (topic is None or (type(topic) is str and len(topic) <= TEXT_MAX))
                    and "sign" not in wording
                    and at is not None
                    and at.tzinfo is UTC  # as `time_out` writes it
                    and 1 < at.year < 9999
                ):
                    raise ValueError("not a usual wording")
                # The named tuple's own constructor, without its keyword defaults.
                wordings.append(make(Wording, (text, by, at, topic, _date_in(trial), None)))
            count = len(wordings)
            if agreed_at is not None:
                agreed_at = moment_in(agreed_at) if type(agreed_at) is str and len(agreed_at) <= 64 else None
                if agreed_at is None or agreed_at.tzinfo is not UTC or not 1 < agreed_at.year < 9999:
                    raise ValueError("not a usual time")
            if (
                type(line_id) is int
                and 0 < line_id <= COUNT_MAX
                and type(author) is int
                and author in PARTNERS
                and count
                and (offer is not None or agreed is not None)
                and (offer is None or (type(offer) is int and 0 <= offer < count))
                and (agreed is None or (type(agreed) is int and 0 <= agreed < count))
                and (removal_by is None or (type(removal_by) is int and removal_by in PARTNERS))
                and (reason is None or (type(reason) is str and len(reason) <= TEXT_MAX))
                and type(given) is list
                and (earlier is None or type(earlier) is list)
                and "flagged" not in record
            ):
                add(
                    Line(
                        line_id,
                        author,
                        states[get("state")],
                        wordings,
                        offer,
                        agreed,
                        agreed_at,
                        removal_by,
                        reason,
                        False,
                        [] if earlier is None else _earlier_in(earlier, f"line {line_id}", count),
                    )
                )
                continue
        except (AttributeError, KeyError, TypeError, ValueError):
            pass
        add(_line_in(record))
    return lines


def _line_in(record: Any) -> Line:
    record = _record(record, "the record")
    line_id = _count(_required(record, "id", "a line"), "a line's number", least=1)
    what = f"line {line_id}"
    get = record.get
    state = get("state")
    if type(state) is not str or state not in _STATES:
        raise ValueError(f"the state of {what} is {_shown(state)}, not a state of a line")
    wordings = [
        _wording_in(w, f"wording {n + 1} of {what}")
        for n, w in enumerate(_list(_required(record, "wordings", what), f"the wordings of {what}"))
    ]
    count = len(wordings)
    if not count:
        raise ValueError(f"{what} has no wording")
    offer = _index(get("offer"), what, count)
    agreed = _index(get("agreed"), what, count)
    if offer is None and agreed is None:
        raise ValueError(f"{what} has no current wording")
    agreed_at = get("agreed_at")
    return Line(
        line_id,
        _partner(_required(record, "author", what), f"the author of {what}"),
        _STATES[state],
        wordings,
        offer,
        agreed,
        None if agreed_at is None else time_in(agreed_at, f"the agreement time of {what}"),
        _optional_partner(get("removal_by"), f"who proposed removing {what}"),
        _optional_text(get("reason"), f"the reason of {what}"),
        flagged=_flag(get("flagged", False), f"the mark of {what}"),
        earlier=_earlier_in(get("earlier"), what, count),
    )


# -- the history and the versions --------------------------------------------------------


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


_ACTIONS = {action.value: action for action in Action}


def event_in(record: Any) -> Event:
    # The whole history is checked once a file is opened (`Store.read_everything`), 50,000
    # events included: the usual record passes plain comparisons; any other goes the
    # long way (`_event_in`), which says what is wrong with it.
    try:
        get = record.get
        session, actor, line = get("session", 0), get("actor"), get("line")
        text, before, reason = get("text"), get("before"), get("reason")
        private = get("private", False)
        if (
            type(session) is int
            and 0 <= session <= COUNT_MAX
            and (actor is None or (type(actor) is int and actor in ACTORS))
            and (line is None or (type(line) is int and 0 < line <= COUNT_MAX))
            and (text is None or (type(text) is str and len(text) <= TEXT_MAX))
            and (before is None or (type(before) is str and len(before) <= TEXT_MAX))
            and (reason is None or (type(reason) is str and len(reason) <= TEXT_MAX))
            and (private is True or private is False)
        ):
            action = _ACTIONS[get("action")]
            return Event(time_in(get("at")), session, actor, action, line, text, before, reason, private)
    except (AttributeError, KeyError, TypeError, ValueError):
        pass
    return _event_in(record)


def _event_in(record: Any) -> Event:
    record = _record(record, "the record")
    get = record.get
    action = get("action")
    if type(action) is not str or action not in _ACTIONS:
        raise ValueError(f"the action {_shown(action)} is not an action of the history")
    what = f"a {action!r} event"
    line = get("line")
    return Event(
        at=time_in(_required(record, "at", what), f"the time of {what}"),
        session=_count(get("session", 0), f"the session of {what}"),
        actor=_actor(get("actor"), f"the actor of {what}"),
        action=_ACTIONS[action],
        line=None if line is None else _count(line, f"the line of {what}", least=1),
        text=_optional_text(get("text"), f"the text of {what}"),
        before=_optional_text(get("before"), f"the earlier text of {what}"),
        reason=_optional_text(get("reason"), f"the reason of {what}"),
        private=_flag(get("private", False), f"the private mark of {what}"),
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
                    "sign": line.sign,
                }
            )
            for line in version.lines
        ],
        **({"signed": [[p, time_out(t)] for p, t in version.signed]} if version.signed else {}),
    }


def _agreed_line_in(record: Any, what: str) -> AgreedLine:
    record = _record(record, what)
    return AgreedLine(
        number=_count(_required(record, "number", what), f"the number of {what}", least=1),
        line=_count(_required(record, "line", what), f"the line of {what}", least=1),
        text=_text(_required(record, "text", what), f"the text of {what}"),
        topic=_optional_text(record.get("topic"), f"the topic of {what}"),
        author=_partner(_required(record, "author", what), f"the author of {what}"),
        agreed_at=time_in(_required(record, "agreed_at", what), f"the agreement time of {what}"),
        trial_until=_date_in(record.get("trial_until"), f"the trial date of {what}"),
        sign=_optional_text(record.get("sign"), f"the sign of {what}"),
    )


def version_in(record: Any) -> Version:
    record = _record(record, "the record")
    number = _count(_required(record, "number", "a version"), "a version's number", least=1)
    what = f"version {number}"
    partners = _list(_required(record, "partners", what), f"the partners of {what}")
    if len(partners) != 2:
        raise ValueError(f"{what} names {len(partners)} partners, not two")
    return Version(
        number=number,
        at=time_in(_required(record, "at", what), f"the time of {what}"),
        partners=(_text(partners[0], f"a partner of {what}"), _text(partners[1], f"a partner of {what}")),
        lines=tuple(
            _agreed_line_in(line, f"line {n + 1} of {what}")
            for n, line in enumerate(_list(_required(record, "lines", what), f"the lines of {what}"))
        ),
        signed=tuple(
            (
                _partner(_list(pair, f"a signature of {what}")[0], f"a signature of {what}"),
                time_in(_list(pair, f"a signature of {what}")[1], f"the time of a signature of {what}"),
            )
            for pair in _list(record.get("signed", []), f"the signatures of {what}")
        ),
    )
