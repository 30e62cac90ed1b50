"""The examples of SPEC §1, each caught mid-negotiation, built through the real rules.

`--demo` opens a temporary copy, so a newcomer sees every state in one launch (agreed
lines, a proposal waiting, a counter, a decline, a re-design, private drafts, a signed
version) without touching their own database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from .domain import Alliance, Kind, Moment, Outcome, alliance_rules, checkins, rounds, rules
from .domain.model import COACH, Rating
from .store import Store


class _Script:
    """Acts on one alliance as a person would, one session at a time."""

    def __init__(self, store: Store, a: Alliance) -> None:
        self.store = store
        self.id = a.id
        self.session: int | None = None

    def do(self, op: Callable[[Alliance, Moment], Outcome]) -> int | None:
        done = self.store.act(self.id, op, session=self.session)
        self.session = done.session
        line = done.outcome.line
        return None if line is None else line.id

    def new_session(self) -> None:
        self.session = None

    def pass_(self) -> None:
        """Hand the keyboard to the other partner (past the coach, who keeps out of it)."""
        self.do(lambda a, m: rules.pass_keyboard(a, a.active, m))
        if self.store.load(self.id).active == COACH:
            self.do(lambda a, m: rules.pass_keyboard(a, a.active, m))

    def draft(
        self, text: str, topic: str | None = None, trial_until: date | None = None, sign: str | None = None
    ) -> int:
        line = self.do(
            lambda a, m: rules.draft(a, a.active, text, m, topic=topic, trial_until=trial_until, sign=sign)
        )
        assert line is not None
        return line

    def agreed(
        self, text: str, topic: str | None = None, trial_until: date | None = None, sign: str | None = None
    ) -> int:
        """The active partner proposes, the other accepts, and the keyboard comes back."""
        line = self.draft(text, topic, trial_until, sign)
        self.do(lambda a, m: rules.propose(a, a.active, line, m))
        self.pass_()
        self.do(lambda a, m: rules.accept(a, a.active, line, m))
        self.pass_()
        return line

    def proposed(self, text: str, topic: str | None = None, trial_until: date | None = None) -> int:
        line = self.draft(text, topic, trial_until)
        self.do(lambda a, m: rules.propose(a, a.active, line, m))
        return line


def make_demo(
    path: Path, *, start: datetime | None = None, then: Callable[[], datetime] | None = None
) -> Store:
    """Write the three demo alliances into a new database at `path`.

    The script's own clock starts at `start` (a fixed day by default, for tests and
    screenshots) and moves three minutes an action. With `then`, the store keeps that
    clock afterwards: what a person does in the demo is stamped when they do it, not three
    minutes after the script's last action on the script's day.
    """
    moment = [start or datetime(2026, 3, 2, 9, 0, tzinfo=UTC)]

    def clock() -> datetime:
        moment[0] += timedelta(minutes=3)
        return moment[0]

    store = Store(path, clock=clock)
    today = moment[0].date()
    _living_together(store, today)
    _business_partners(store, today)
    _trial_at_work(store, today)
    _business_check_in(store, today)
    if then is not None:
        store.clock = then
    return store


def _living_together(store: Store, today: date) -> None:
    s = _Script(store, store.create(("Sarah", "Peter"), title="Living together", kind=Kind.COUPLE))
    s.agreed(
        "We each keep one evening a week to ourselves.",
        "boundaries",
        sign="Neither of us has to ask for it.",
    )
    s.do(lambda a, m: rules.pass_keyboard(a, a.active, m))
    s.agreed("Whoever cooks does not wash up.", "logistics")
    s.do(lambda a, m: rules.pass_keyboard(a, a.active, m))
    coffee = s.proposed("No talking before my first coffee.", "communication")
    s.do(lambda a, m: rules.pass_keyboard(a, a.active, m))
    s.do(
        lambda a, m: rules.counter(
            a,
            a.active,
            coffee,
            "Quiet mornings until Sarah's first coffee; a hug is still fine.",
            m,
            topic="communication",
        )
    )
    s.do(lambda a, m: rules.pass_keyboard(a, a.active, m))
    s.do(lambda a, m: rules.sign(a, a.active, m))
    s.do(lambda a, m: rules.pass_keyboard(a, a.active, m))
    s.do(lambda a, m: rules.sign(a, a.active, m))
    s.do(lambda a, m: rules.pass_keyboard(a, a.active, m))
    s.new_session()
    s.proposed("We talk about money on the first Sunday of the month.", "logistics")
    s.draft("Tell Peter when I need a quiet evening, before he plans one.", "communication")
    s.do(lambda a, m: rules.pass_keyboard(a, a.active, m))
    s.draft("Ask before inviting friends over on weeknights.", "boundaries")
    s.do(lambda a, m: rules.pass_keyboard(a, a.active, m))


def _business_partners(store: Store, today: date) -> None:
    s = _Script(store, store.create(("Maya", "Jon"), title="Studio partnership", kind=Kind.BUSINESS))
    s.agreed(
        "Client work reaches the other partner at least two working days before it is due.",
        "logistics",
        sign="Nobody works a weekend to catch up.",
    )
    s.do(lambda a, m: rules.pass_keyboard(a, a.active, m))
    s.agreed(
        "If work arrives later than that, the sender finishes it herself or himself.", "support when stuck"
    )
    s.do(lambda a, m: rules.pass_keyboard(a, a.active, m))
    s.do(lambda a, m: rules.sign(a, a.active, m))
    s.do(lambda a, m: rules.pass_keyboard(a, a.active, m))
    s.do(lambda a, m: rules.sign(a, a.active, m))
    s.new_session()
    answer = s.proposed(
        "We answer each other's messages within one hour during office hours.", "communication"
    )
    s.do(lambda a, m: rules.pass_keyboard(a, a.active, m))
    s.do(
        lambda a, m: rules.decline(
            a, a.active, answer, m, reason="An hour breaks my focus; half a day works."
        )
    )
    s.proposed("Say 'not working for me' out loud, the same week, never by e-mail.", "feedback")
    s.do(lambda a, m: rules.pass_keyboard(a, a.active, m))


def _business_check_in(store: Store, today: date) -> None:
    """Maya and Jon's first check-in (h): each rated both lines privately, then both showed,
    and it ended with the next review date."""
    a = store.find("Studio partnership")
    s = _Script(store, a)
    lead_time, finish_it = sorted(item.line for item in checkins.to_rate(a))
    maya, jon = 0, 1

    def rate(partner: int, line: int, rating: Rating, note: str | None = None) -> None:
        s.do(lambda a, m: checkins.rate(a, partner, line, rating, m))
        if note is not None:
            s.do(lambda a, m: checkins.write_note(a, partner, line, note, m))

    rate(maya, lead_time, Rating.WORKING)
    rate(maya, finish_it, Rating.WORKING)
    s.do(lambda a, m: checkins.finish(a, maya, m))
    rate(jon, lead_time, Rating.WOBBLY, "Two days is tight in a launch week.")
    rate(jon, finish_it, Rating.WORKING)
    s.do(lambda a, m: checkins.finish(a, jon, m))
    s.do(lambda a, m: alliance_rules.set_review(a, jon, checkins.next_review(a.kind, today), m))


def _trial_at_work(store: Store, today: date) -> None:
    alliance = store.create(("Priya", "Tom"), title="Working independently", kind=Kind.WORK, coach="Dana")
    s = _Script(store, alliance)
    s.agreed(
        "Priya plans her own week and shares the plan on Monday morning.",
        "logistics",
        trial_until=today + timedelta(days=60),
        sign="Tom hears about problems from Priya first.",
    )
    s.pass_()
    checkin = s.agreed("We meet for thirty minutes every Friday.", "revisiting")
    s.do(
        lambda a, m: rules.reopen(
            a, a.active, checkin, m, text="We meet for thirty minutes every other Friday."
        )
    )
    s.pass_()
    s.proposed("When Priya is stuck for more than a day, she asks Tom straight away.", "support when stuck")
    s.pass_()
    # Their coach, Dana, sat in: a note for both, and a line she thinks needs more talk.
    s.do(
        lambda a, m: alliance_rules.note(
            a, COACH, "Tom reads 'stuck' as failing; Priya reads it as normal.", m
        )
    )
    s.do(lambda a, m: alliance_rules.flag(a, COACH, checkin, m))
    # ... and asked a question both answer blind: Priya has answered, Tom is writing.
    s.do(lambda a, m: rounds.ask(a, COACH, "How will each of you know that the trial is working?", m))
    s.do(lambda a, m: rounds.answer(a, 0, "I finish the week's plan without needing to check in.", m))
