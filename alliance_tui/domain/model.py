"""The nouns of an alliance: partners, lines, wordings, versions and events.

Plain data with no behaviour beyond what can be read off them; the rules that change
them live in `rules.py`. What never changes once made (a wording, an event, a version)
is a named tuple: as immutable as a frozen dataclass, and a fifth of its cost to define
at every start-up and to make (SPEC §9); what an action changes is a `Mutable`: a class
written out as a dataclass would make it, which costs nothing to define.
"""

from __future__ import annotations

import copy
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, Self

if TYPE_CHECKING:
    from .passphrase import Sealed


class Mutable:
    """What `@dataclass` gives a class, for classes that write their `__init__` out:
    equality and a repr made from their fields (`__slots__`), and `replace`.

    Five dataclasses took 2.9 ms of every start to define, their methods compiled from
    source each time (SPEC §9). Written out, they cost nothing; `tests/test_model.py`
    holds each to what `@dataclass` would make of the same fields.
    """

    __slots__ = ()
    #: Fields left out of equality and the repr (a cache, say).
    _UNCOMPARED: ClassVar[frozenset[str]] = frozenset()

    def _named(self) -> tuple[str, ...]:
        """The fields compared and shown, in order."""
        fields: tuple[str, ...] = self.__slots__
        skip = self._UNCOMPARED
        return tuple(name for name in fields if name not in skip)

    def _fields(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._named())

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Mutable)
        return self._fields() == other._fields()

    # Defining `__eq__` makes these unhashable, as a dataclass with `eq` is: they change.

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._named())
        return f"{type(self).__qualname__}({fields})"

    def replace(self, **changes: Any) -> Self:
        """A shallow copy with `changes`, as `dataclasses.replace` makes one."""
        made = copy.copy(self)
        for name, value in changes.items():
            setattr(made, name, value)
        return made


class Kind(StrEnum):
    """The relationship an alliance is between."""

    BUSINESS = "business"
    COUPLE = "couple"
    WORK = "work"
    COACHING = "coaching"
    FRIENDS = "friends"
    FAMILY = "family"
    OTHER = "other"

    @property
    def between(self) -> str:
        """Who such an alliance is between, in a few words (the new-alliance form)."""
        return _BETWEEN[self]


_BETWEEN = {
    Kind.BUSINESS: "business partners",
    Kind.COUPLE: "a couple",
    Kind.WORK: "employee and manager",
    Kind.COACHING: "coach and client",
    Kind.FRIENDS: "friends",
    Kind.FAMILY: "parent and child, family",
    Kind.OTHER: "any other two people",
}


class State(StrEnum):
    """Where a line stands in the negotiation (SPEC §2)."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    COUNTERED = "countered"
    AGREED = "agreed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    REMOVED = "removed"


class Action(StrEnum):
    """What an event in the history records (SPEC §5, the `action` field)."""

    CREATED = "created"
    DRAFTED = "drafted"
    EDITED = "edited"
    DELETED = "deleted"
    PROPOSED = "proposed"
    COUNTERED = "countered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    REOPENED = "reopened"
    REMOVED = "removed"
    SIGNED = "signed"
    PASSED = "passed"
    # Changes to the alliance itself (SPEC §2 "Consent for the whole alliance", §5).
    RENAMED = "renamed"
    REKINDED = "rekinded"
    ARCHIVED = "archived"
    UNARCHIVED = "unarchived"
    REVIEW_SET = "review_set"
    PASSPHRASE_SET = "passphrase_set"
    PASSPHRASE_RESET = "passphrase_reset"
    CHANGE_PROPOSED = "change_proposed"
    CHANGE_DECLINED = "change_declined"
    #: The coach added, changed or removed: `text` the new coach (None: none), `before`
    #: the one before (SPEC §11, issue 13).
    COACH_SET = "coach_set"
    # The coach's seat (SPEC §11).
    NOTED = "noted"
    FLAGGED = "flagged"
    # Blind rounds (SPEC §11).
    ASKED = "asked"
    ANSWERED = "answered"
    REVEALED = "revealed"
    # Check-ins (SPEC §12): a partner finished rating, or both did and the ratings show.
    CHECKED_IN = "checked_in"


#: Topics a coach would suggest, in the order the agreement groups them.
TOPICS: tuple[str, ...] = (
    "communication",
    "support when stuck",
    "boundaries",
    "logistics",
    "feedback",
    "revisiting",
)


#: The coach's role: after the two partners (SPEC §11).
COACH = 2


def other(partner: int) -> int:
    """The index of the partner who is not `partner` (partners are 0 and 1)."""
    return 1 - partner


class Wording(NamedTuple):
    """One wording a line had: its text and terms, who wrote it and when.

    A named tuple rather than a frozen dataclass: it is as immutable, and five times
    quicker to make, which counts when a file of 10,000 lines is read (benchmarks/).
    """

    text: str
    by: int
    at: datetime
    topic: str | None = None
    trial_until: date | None = None
    #: How the partners will know the line works (SPEC §12), None when not said.
    sign: str | None = None


class Line(Mutable):
    """One statement of the agreement and its whole negotiation.

    `wordings` holds every wording the line ever had, oldest first. `offer` indexes the
    wording on the table (a draft, a proposal, a counter, or what was declined or
    withdrawn); `agreed` indexes the wording in force. While an agreed line is being
    re-designed, both are set and the agreed wording stays in force. `removal_by` marks an
    open proposal to take an agreed line out. `flagged`: the coach marked it "needs more
    conversation" (SPEC §11). `earlier`: what each counter answered, oldest first (the
    offer, a wording's index, and the removal it stood for), so that withdrawing a counter
    puts back only that one.
    """

    __slots__ = (
        "id",
        "author",
        "state",
        "wordings",
        "offer",
        "agreed",
        "agreed_at",
        "removal_by",
        "reason",
        "flagged",
        "earlier",
    )

    def __init__(
        self,
        id: int,
        author: int,
        state: State,
        wordings: list[Wording] | None = None,
        offer: int | None = None,
        agreed: int | None = None,
        agreed_at: datetime | None = None,
        removal_by: int | None = None,
        reason: str | None = None,
        flagged: bool = False,
        earlier: list[tuple[int | None, int | None]] | None = None,
    ) -> None:
        self.id = id
        self.author = author
        self.state = state
        self.wordings: list[Wording] = [] if wordings is None else wordings
        self.offer = offer
        self.agreed = agreed
        self.agreed_at = agreed_at
        self.removal_by = removal_by
        self.reason = reason
        self.flagged = flagged
        self.earlier: list[tuple[int | None, int | None]] = [] if earlier is None else earlier

    @property
    def offered(self) -> Wording | None:
        return None if self.offer is None else self.wordings[self.offer]

    @property
    def in_force(self) -> Wording | None:
        """The agreed wording, while the line is part of the agreement."""
        if self.agreed is None or self.state is State.REMOVED:
            return None
        return self.wordings[self.agreed]

    @property
    def current(self) -> Wording:
        """The wording to show for this line: what is on the table, else what was agreed."""
        index = self.offer if self.offer is not None else self.agreed
        assert index is not None, "a line always has a wording"
        return self.wordings[index]

    @property
    def change_pending(self) -> bool:
        """An agreed line that one partner has reopened, awaiting the other's answer."""
        return self.in_force is not None and self.state in (State.PROPOSED, State.COUNTERED)

    @property
    def offered_by(self) -> int | None:
        """Who made the offer that waits for an answer (None when nothing waits)."""
        if self.state not in (State.PROPOSED, State.COUNTERED):
            return None
        if self.removal_by is not None:
            return self.removal_by
        assert self.offered is not None
        return self.offered.by

    @property
    def waiting_for(self) -> int | None:
        """The partner whose answer this line waits for, if any."""
        by = self.offered_by
        return None if by is None else other(by)


class AgreedLine(NamedTuple):
    """A line as it stands in a signed version or the current agreement."""

    number: int
    line: int
    text: str
    topic: str | None
    author: int
    agreed_at: datetime
    trial_until: date | None
    #: How the partners will know it works (SPEC §12).
    sign: str | None = None


class Version(NamedTuple):
    """A signed snapshot of the agreement."""

    number: int
    at: datetime
    partners: tuple[str, str]
    lines: tuple[AgreedLine, ...]
    #: Each signature: the partner and when they signed (empty in files from before).
    signed: tuple[tuple[int, datetime], ...] = ()


class Event(NamedTuple):
    """One entry of the append-only history.

    `private` marks the wording of a draft edit: only its actor may read `text` and
    `before`.
    """

    at: datetime
    session: int
    actor: int | None
    action: Action
    line: int | None = None
    text: str | None = None
    before: str | None = None
    reason: str | None = None
    private: bool = False


class Reset(NamedTuple):
    """A passphrase reset in the open: who reset it, and when (SPEC §2, Passphrase)."""

    by: int
    at: datetime


class Change(NamedTuple):
    """A change to the whole alliance that waits for the other partner's consent.

    `what` is "rename" (to the title `value`), "rekind" (to the kind `value`), "coach"
    (the coach becomes `value`; None: no coach) or "delete" (`value` None).
    """

    what: str
    value: str | None
    by: int
    at: datetime


class Round(Mutable):
    """A blind round: a question both partners answer privately, revealed together.

    `answers` holds each partner's answer as written so far; nobody but its author sees
    it until both are `ready` (SPEC §11).
    """

    __slots__ = ("question", "asked_by", "at", "answers", "ready")

    def __init__(
        self,
        question: str,
        asked_by: int,
        at: datetime,
        answers: dict[int, str] | None = None,
        ready: set[int] | None = None,
    ) -> None:
        self.question = question
        self.asked_by = asked_by
        self.at = at
        self.answers: dict[int, str] = {} if answers is None else answers
        self.ready: set[int] = set() if ready is None else ready


class Rating(StrEnum):
    """How a partner finds an agreed line is going, at a check-in (SPEC §12)."""

    WORKING = "working"
    WOBBLY = "wobbly"
    NOT_WORKING = "not_working"

    @property
    def label(self) -> str:
        """As a person says it ("not working")."""
        return self.value.replace("_", " ")

    @property
    def mark(self) -> str:
        """One character, told apart without colour: ✓ working, ~ wobbly, ✗ not working."""
        return _MARKS[self]

    @property
    def concern(self) -> int:
        """How much it asks for attention: the lower of two ratings has the higher concern."""
        return _CONCERN[self]


_MARKS = {Rating.WORKING: "✓", Rating.WOBBLY: "~", Rating.NOT_WORKING: "✗"}
_CONCERN = {Rating.WORKING: 0, Rating.WOBBLY: 1, Rating.NOT_WORKING: 2}


class Rated(NamedTuple):
    """One partner's rating of one line in a check-in still open, and their note."""

    rating: Rating
    note: str | None = None


class Given(NamedTuple):
    """One rating as revealed: which line, whose, how it goes, and the note."""

    line: int
    partner: int
    rating: Rating
    note: str | None = None


class CheckedIn(NamedTuple):
    """A check-in both partners finished: every rating, revealed together."""

    at: datetime
    ratings: tuple[Given, ...]


class CheckIn(Mutable):
    """A check-in in progress: each partner rates every agreed line, privately.

    `lines` are the lines in force when the first rating was given: the check-in rates
    those (a line agreed later waits for the next one; one taken out meanwhile drops
    out). Nobody but its author sees a rating until both partners are `done` (SPEC §12).
    """

    __slots__ = ("at", "lines", "ratings", "done")

    def __init__(
        self,
        at: datetime,
        lines: tuple[int, ...],
        ratings: dict[int, dict[int, Rated]] | None = None,
        done: set[int] | None = None,
    ) -> None:
        self.at = at
        self.lines = lines
        self.ratings: dict[int, dict[int, Rated]] = {} if ratings is None else ratings
        self.done: set[int] = set() if done is None else done


class Partner(Mutable):
    """A partner: their name, their passphrase (sealed, see `passphrase.py`; None when
    they set none), and `reset`, set when the other partner reset their forgotten
    passphrase, until they set a new one (the header says so, and the timeline marks what
    was done meanwhile)."""

    __slots__ = ("name", "passphrase", "reset")

    def __init__(self, name: str, passphrase: Sealed | None = None, reset: Reset | None = None) -> None:
        self.name = name
        self.passphrase = passphrase
        self.reset = reset


class Alliance(Mutable):
    """An alliance between two partners: its lines, who is active, and its sign-offs.

    The history is not held here: it only grows, can be long, and no rule needs to read
    it, so the store keeps it apart and the rules return the events they add.

    `undone`: whose signatures the last change to the agreement took back, while nobody
    has signed since (issue 11: a signature never vanishes silently; `sign` empties it).
    `change`: a rename, re-kind or deletion that waits for the other partner (SPEC §2).
    `signed_at`: when each signature of the current agreement was given (for its
    version's fingerprint). `fingerprint`: the last signed version's (SPEC §12), None
    before the first. `coach`: the coach's name, when the alliance has one (SPEC §11): the
    third seat, role 2. `round`: the blind round open now. `revealed`: the last round both
    partners answered, answers and all, revealed to everyone to read side by side (each
    answer is also its author's draft from then on). `checkin`: the check-in open now;
    `checkins`: every check-in both partners finished, oldest first (the trends and the
    export). `agreement_cache`: the agreement as `rules.agreement` last worked it out,
    None when it must be worked out anew (left out of equality and the repr).
    """

    __slots__ = (
        "id",
        "title",
        "kind",
        "partners",
        "created_at",
        "review_on",
        "active",
        "lines",
        "next_line",
        "signatures",
        "undone",
        "version",
        "changed_since_version",
        "sessions",
        "archived",
        "change",
        "signed_at",
        "fingerprint",
        "coach",
        "round",
        "revealed",
        "checkin",
        "checkins",
        "agreement_cache",
    )
    _UNCOMPARED = frozenset({"agreement_cache"})

    def __init__(
        self,
        id: str,
        title: str,
        kind: Kind,
        partners: tuple[Partner, Partner],
        created_at: datetime,
        review_on: date | None = None,
        active: int = 0,
        lines: dict[int, Line] | None = None,
        next_line: int = 1,
        signatures: set[int] | None = None,
        undone: set[int] | None = None,
        version: int = 0,
        changed_since_version: bool = False,
        sessions: int = 0,
        archived: bool = False,
        change: Change | None = None,
        signed_at: dict[int, datetime] | None = None,
        fingerprint: str | None = None,
        coach: str | None = None,
        round: Round | None = None,
        revealed: Round | None = None,
        checkin: CheckIn | None = None,
        checkins: list[CheckedIn] | None = None,
        agreement_cache: list[AgreedLine] | None = None,
    ) -> None:
        self.id = id
        self.title = title
        self.kind = kind
        self.partners = partners
        self.created_at = created_at
        self.review_on = review_on
        self.active = active
        self.lines: dict[int, Line] = {} if lines is None else lines
        self.next_line = next_line
        self.signatures: set[int] = set() if signatures is None else signatures
        self.undone: set[int] = set() if undone is None else undone
        self.version = version
        self.changed_since_version = changed_since_version
        self.sessions = sessions
        self.archived = archived
        self.change = change
        self.signed_at: dict[int, datetime] = {} if signed_at is None else signed_at
        self.fingerprint = fingerprint
        self.coach = coach
        self.round = round
        self.revealed = revealed
        self.checkin = checkin
        self.checkins: list[CheckedIn] = [] if checkins is None else checkins
        self.agreement_cache = agreement_cache

    def name(self, partner: int | None) -> str:
        """The name of a role: partner 0 or 1, or the coach (2)."""
        if partner is None:
            return ""
        if partner == COACH:
            return self.coach or "the coach"
        return self.partners[partner].name

    def seats(self) -> tuple[int, ...]:
        """The roles that may sit here, in the order a shared seat passes (ctrl+t)."""
        return (0, 1, COACH) if self.coach else (0, 1)

    @property
    def names(self) -> tuple[str, str]:
        return (self.partners[0].name, self.partners[1].name)
