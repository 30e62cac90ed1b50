"""Property: a rating is never seen by anyone but its author before both partners have
finished the check-in (SPEC §11, §12) — not by the other partner, not by the coach, not in
any export, not in the timeline, at one shared keyboard or not.

Hypothesis plays check-ins step by step (ratings, notes, finishing, withdrawing, a line
agreed or taken out meanwhile) in two worlds that differ only in the secret partner's ratings and notes.
Until the first reveal, everything the other partner, the coach and the exports show
must be the same in both worlds: nothing of the secret ratings leaks, not even as a
count. Every note is a unique token, searched for in everything shown to others while
its check-in is open.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance_tui.domain import Refused, checkins, rules, views
from alliance_tui.domain.export import to_json, to_markdown, to_text
from alliance_tui.domain.model import COACH, Rating, other
from alliance_tui.widgets.render import event_prompt

from .desk import Desk

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

VERBS = ("rate", "rate", "rate", "note", "finish", "finish", "agree", "remove", "withdraw")
STEPS = st.lists(
    st.tuples(
        st.sampled_from((0, 1)), st.sampled_from(VERBS), st.integers(0, 6), st.sampled_from(list(Rating))
    ),
    max_size=40,
)
#: How the twin world changes the secret partner's ratings: every one differs.
TWISTED = {
    Rating.WORKING: Rating.NOT_WORKING,
    Rating.WOBBLY: Rating.WORKING,
    Rating.NOT_WORKING: Rating.WOBBLY,
}


class World:
    """One alliance at the check-in, and whether its secret partner's ratings are twisted."""

    def __init__(self, lines: int, coach: bool, secret: int, twisted: bool) -> None:
        self.desk = Desk()
        if coach:
            self.desk.a.coach = "Cleo"
        for n in range(lines):
            self.desk.agreed(f"Line {n} of the agreement.", by=n % 2)
        self.secret, self.twisted = secret, twisted

    def step(self, who: int, verb: str, pick: int, rating: Rating, number: int) -> str | None:
        """Do one step; the refusal's sentence, or None when it was done."""
        desk, a = self.desk, self.desk.a
        twist = self.twisted and who == self.secret
        lines = sorted(a.lines)
        line = lines[pick % len(lines)] if lines else 1
        try:
            if verb == "rate":
                desk.do(checkins.rate, line, TWISTED[rating] if twist else rating, by=who)
            elif verb == "note":
                desk.do(checkins.write_note, line, f"<{'t' if twist else 'n'}{number:03d}>", by=who)
            elif verb == "finish":
                desk.do(checkins.finish, by=who)
            elif verb == "withdraw":
                desk.do(checkins.withdraw_checkin, by=who)
            elif verb == "agree":
                desk.agreed(f"Agreed at step {number}.", by=who)
            else:  # "remove": one proposes taking a line out, the other agrees
                desk.do(rules.reopen, line, by=who)
                desk.do(rules.accept, line, by=other(who))
        except Refused as refusal:
            return refusal.reason
        return None

    def seen_by(self, viewer: int | None) -> list[str]:
        """Everything `viewer` (None: an export, the shared record) can read, as text."""
        a, history = self.desk.a, self.desk.history
        if viewer is None:
            return [json.dumps(to_json(a, history)), to_markdown(a), to_text(a)]
        timeline = [event_prompt(a, views.seen_event(event, viewer)).plain for event in history]
        said = [views.news(a, views.seen_event(event, viewer), viewer) or "" for event in history]
        return [
            repr(sorted(checkins.own_ratings(a, viewer).items())),
            views.turn(a, viewer).describe(),
            repr(checkins.to_rate(a)),
            *timeline,
            *said,
        ]

    def secrets(self) -> dict[int, set[str]]:
        """The notes of the open check-in, by their author."""
        found: dict[int, set[str]] = {0: set(), 1: set()}
        if self.desk.a.checkin is not None:
            for partner, mine in self.desk.a.checkin.ratings.items():
                found[partner] |= {rated.note for rated in mine.values() if rated.note}
        return found


@SETTINGS
@given(
    lines=st.integers(1, 4),
    coach=st.booleans(),
    secret=st.sampled_from((0, 1)),
    steps=STEPS,
)
def test_ratings_stay_private_until_both_have_finished(
    lines: int, coach: bool, secret: int, steps: list[tuple[int, str, int, Rating]]
) -> None:
    plain, twin = World(lines, coach, secret, False), World(lines, coach, secret, True)
    others = (other(secret), COACH, None)
    for number, (who, verb, pick, rating) in enumerate(steps):
        refused = plain.step(who, verb, pick, rating, number)
        assert twin.step(who, verb, pick, rating, number) == refused, "the ratings' values decide nothing"
        if not plain.desk.a.checkins:  # nothing revealed yet: the twin must look the same to others
            for viewer in others:
                assert plain.seen_by(viewer) == twin.seen_by(viewer), (viewer, number)
        for world in (plain, twin):
            for author, notes in world.secrets().items():
                shown = "\n".join(
                    text for viewer in (other(author), COACH, None) for text in world.seen_by(viewer)
                )
                assert not [note for note in notes if note in shown], (author, number)
    # Once both have finished, the ratings are there for everyone: the reveal hides nothing.
    for world in (plain, twin):
        exported = to_json(world.desk.a, world.desk.history)["checkins"]
        assert len(exported) == len(world.desk.a.checkins)
        for entry, checked in zip(exported, world.desk.a.checkins, strict=True):
            assert [(r["line"], r["rating"], r["note"]) for r in entry["ratings"]] == [
                (given.line, given.rating.value, given.note) for given in checked.ratings
            ]
            assert all(r["partner"] in ("Sarah", "Peter") for r in entry["ratings"])
