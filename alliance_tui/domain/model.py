"""The nouns of an alliance: partners, lines, wordings, versions and events.

Plain data with no behaviour beyond what can be read off them; the rules that change
them live in `rules.py`. What never changes once made (a wording, an event, a version)
is a named tuple: as immutable as a frozen dataclass, and a fifth of its cost to define
at every start-up and to make (SPEC §9); what an action changes is a dataclass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .passphrase import Sealed


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


@dataclass(slots=True)
class Line:
    """One statement of the agreement and its whole negotiation.

    `wordings` holds every wording the line ever had, oldest first. `offer` indexes the
    wording on the table (a draft, a proposal, a counter, or what was declined or
    withdrawn); `agreed` indexes the wording in force. While an agreed line is being
    re-designed, both are set and the agreed wording stays in force. `removal_by` marks an
    open proposal to take an agreed line out.
    """

    id: int
    author: int
    state: State
    wordings: list[Wording] = field(default_factory=list)
    offer: int | None = None
    agreed: int | None = None
    agreed_at: datetime | None = None
    removal_by: int | None = None
    reason: str | None = None
    #: The coach marked it "needs more conversation" (SPEC §11).
    flagged: bool = False
    #: What each counter answered, oldest first: the offer (a wording's index) and the
    #: removal it stood for, so that withdrawing a counter puts back only that one.
    earlier: list[tuple[int | None, int | None]] = field(default_factory=list)

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


@dataclass  # few of them: without slots, made twice as fast at start-up (SPEC §9)
class Round:
    """A blind round: a question both partners answer privately, revealed together.

    `answers` holds each partner's answer as written so far; nobody but its author sees
    it until both are `ready` (SPEC §11).
    """

    question: str
    asked_by: int
    at: datetime
    answers: dict[int, str] = field(default_factory=dict)
    ready: set[int] = field(default_factory=set)


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


@dataclass  # few of them: without slots, made twice as fast at start-up (SPEC §9)
class CheckIn:
    """A check-in in progress: each partner rates every agreed line, privately.

    `lines` are the lines in force when the first rating was given: the check-in rates
    those (a line agreed later waits for the next one; one taken out meanwhile drops
    out). Nobody but its author sees a rating until both partners are `done` (SPEC §12).
    """

    at: datetime
    lines: tuple[int, ...]
    ratings: dict[int, dict[int, Rated]] = field(default_factory=dict)
    done: set[int] = field(default_factory=set)


@dataclass  # few of them: without slots, made twice as fast at start-up (SPEC §9)
class Partner:
    name: str
    #: The partner's passphrase, sealed (see `passphrase.py`); None when they set none.
    passphrase: Sealed | None = None
    #: Set when the other partner reset this one's forgotten passphrase, until they set
    #: a new one: the header says so, and the timeline marks what was done meanwhile.
    reset: Reset | None = None


@dataclass  # few of them: without slots, made twice as fast at start-up (SPEC §9)
class Alliance:
    """An alliance between two partners: its lines, who is active, and its sign-offs.

    The history is not held here: it only grows, can be long, and no rule needs to read
    it, so the store keeps it apart and the rules return the events they add.
    """

    id: str
    title: str
    kind: Kind
    partners: tuple[Partner, Partner]
    created_at: datetime
    review_on: date | None = None
    active: int = 0
    lines: dict[int, Line] = field(default_factory=dict)
    next_line: int = 1
    signatures: set[int] = field(default_factory=set)
    version: int = 0
    changed_since_version: bool = False
    sessions: int = 0
    archived: bool = False
    #: A rename, re-kind or deletion that waits for the other partner (SPEC §2).
    change: Change | None = None
    #: When each signature of the current agreement was given (for its version's fingerprint).
    signed_at: dict[int, datetime] = field(default_factory=dict)
    #: The fingerprint of the last signed version (SPEC §12), None before the first.
    fingerprint: str | None = None
    #: The coach's name, when the alliance has one (SPEC §11): the third seat, role 2.
    coach: str | None = None
    #: The blind round open now, if any (SPEC §11).
    round: Round | None = None
    #: The last round both partners answered, answers and all: revealed to everyone, to
    #: read side by side (each answer is also its author's draft from then on).
    revealed: Round | None = None
    #: The check-in open now, if any (SPEC §12).
    checkin: CheckIn | None = None
    #: Every check-in both partners finished, oldest first: the trends and the export.
    checkins: list[CheckedIn] = field(default_factory=list)
    #: The agreement as `rules.agreement` last worked it out; None when it must be
    #: worked out anew.
    agreement_cache: list[AgreedLine] | None = field(default=None, repr=False, compare=False)

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
