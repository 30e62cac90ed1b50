"""Properties of the negotiation that hold after any sequence of actions by both partners.

Hypothesis plays a negotiation step by step, each step drawn from where it stands
(mostly a move `rules.check` allows for one of the partners, sometimes anything at all,
so every refusal is tried too), on an in-memory alliance with the rules of
`alliance_tui.domain.rules`, and then on the real Store. After every step it checks:

1. the rule of consent never breaks: a wording enters the agreement only when the
   partner who did not write it accepts it, and the agreement the rules keep between
   actions is the one in force, grouped and numbered as SPEC §2/§3 say;
2. history only grows, and a refused action adds nothing and changes nothing;
3. private drafts never reach the other partner's view nor the JSON export;
4. the JSON export fits SPEC §5 exactly.

Every wording typed is unique (it carries the step's number), so a secret can be
searched for in what the other partner sees. Failing steps are printed with `note`.
"""

from __future__ import annotations

import copy
import json
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from alliance_tui.domain import (
    TOPICS,
    Action,
    Alliance,
    Event,
    Kind,
    Line,
    Moment,
    Outcome,
    Partner,
    Refused,
    State,
    Version,
    other,
    rules,
    views,
)
from alliance_tui.domain.export import to_json, to_markdown, to_text
from alliance_tui.domain.fingerprint import fingerprint
from alliance_tui.store import Store

from .conftest import FakeClock

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
    # No explain phase: on a failure it re-ran the negotiation for minutes only to mark
    # which draws did not matter; the shrunk steps are printed (note) either way.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
)
STORE_SETTINGS = settings(SETTINGS, max_examples=40)

NAMES = ("Sarah", "Peter")
T = TypeVar("T")

# -- the steps -------------------------------------------------------------------------

#: The rule each verb calls on a line.
LINE_RULES: dict[str, Callable[..., Outcome]] = {
    "edit": rules.edit,
    "revise": rules.revise,
    "delete": rules.delete,
    "propose": rules.propose,
    "accept": rules.accept,
    "counter": rules.counter,
    "decline": rules.decline,
    "withdraw": rules.withdraw,
    "reopen": rules.reopen,
    "remove": rules.reopen,
}
#: The guard the UI asks before offering each verb (the rule's own checks).
GUARDS: dict[str, Callable[..., None]] = {
    "edit": rules.may_edit,
    "revise": rules.may_revise,
    "delete": rules.may_delete,
    "propose": rules.may_propose,
    "accept": rules.may_accept,
    "counter": rules.may_amend,
    "decline": rules.may_decline,
    "withdraw": rules.may_withdraw,
    "reopen": rules.may_reopen,
    "remove": rules.may_reopen,
}
VERBS = ("draft", *LINE_RULES, "sign", "pass")
#: How the words of a step are made: a new unique wording, the line's wording as shown,
#: a decorated new wording (markup, escapes, padding), or one the rules must refuse.
WORDS = ("new", "new", "same", "fancy", "blank", "long")
STEP_TOPICS = (
    None,
    "communication",
    "Boundaries",
    "FEEDBACK",
    "feedback",
    "zebra",
    "Apples",
    "apples",
    "",
    "t" * 41,
)
TRIALS = (None, None, date(2026, 4, 1), date(2026, 1, 15))
#: Days around the trial and review dates, to ask what is due.
DAYS = (date(2026, 1, 15), date(2026, 1, 16), date(2026, 4, 2), date(2026, 9, 2))
REASONS = (None, "Not yet.", "  ", "r" * 1001)


@dataclass(frozen=True)
class Step:
    """One thing one partner does; `line` is None for draft, sign and pass."""

    who: int
    verb: str
    line: int | None
    words: str
    topic: str | None
    trial: date | None
    reason: str | None
    #: How they will know it works (SPEC §12): none, a few words, blank, or too long.
    sign: str | None = None


def moves(a: Alliance) -> list[tuple[int, str, int | None]]:
    """The (partner, verb, line) moves the rules allow now, as their guards say."""
    found: list[tuple[int, str, int | None]] = []
    for partner in (0, 1):
        found.append((partner, "draft", None))
        for line_id in sorted(a.lines):
            for verb, guard in GUARDS.items():
                if rules.refusal(guard, a, partner, a.lines[line_id]) is None:
                    found.append((partner, verb, line_id))
        if rules.refusal(rules.may_sign, a, partner) is None:
            found.append((partner, "sign", None))
    return found


#: How often an allowed verb is drawn, relative to the others that are allowed: enough
#: drafts to negotiate about, and answers, re-designs and sign-offs more than churn.
WEIGHTS = {
    "draft": 2,
    "edit": 1,
    "delete": 1,
    "propose": 3,
    "accept": 4,
    "counter": 2,
    "decline": 2,
    "withdraw": 1,
    "reopen": 2,
    "remove": 1,
    "revise": 2,
    "sign": 3,
}

#: The terms of a step, drawn apart from the move.
SIGNS = (None, None, "We both sleep better.", "   ", "s" * 301)

TERMS = st.tuples(
    st.sampled_from(WORDS),
    st.sampled_from(STEP_TOPICS),
    st.sampled_from(TRIALS),
    st.sampled_from(REASONS),
    st.sampled_from(SIGNS),
)


def pick(data: st.DataObject, choices: Sequence[T]) -> T:
    return choices[data.draw(st.integers(0, len(choices) - 1))]


def draw_step(data: st.DataObject, a: Alliance) -> Step:
    """A step from here: mostly a move the rules allow, else anything by anyone.

    An allowed move is drawn verb first, so that answering a proposal is as likely as
    writing another draft. The arbitrary moves include a line that is not there, so
    refusals of every kind are tried too; the rule, not this function, decides.
    """
    allowed = moves(a)
    if data.draw(st.integers(0, 2)) < 2:
        verbs = sorted({verb for _, verb, _ in allowed})
        verb = pick(data, [verb for verb in verbs for _ in range(WEIGHTS[verb])])
        who, verb, line = pick(data, [move for move in allowed if move[1] == verb])
    else:
        who = pick(data, (0, 1))
        verb = pick(data, VERBS)
        line = pick(data, [*sorted(a.lines), a.next_line + 7])
    words, topic, trial, reason, sign = data.draw(TERMS)
    step = Step(who, verb, line if verb in LINE_RULES else None, words, topic, trial, reason, sign)
    note(repr(step))
    return step


def token(number: int) -> str:
    """The wording a step types: unique, and never part of another step's wording."""
    return f"<w{number:04d}>"


def words_of(a: Alliance, step: Step, number: int) -> str:
    if step.words == "same":  # retype what is on the screen, as far as one can see it
        line = a.lines.get(step.line) if step.line is not None else None
        if line is not None and views.sees(line, step.who):
            return line.current.text
        return token(number)
    if step.words == "fancy":
        return f"  [b]{token(number)}[/] \x1b[2J ☕\t"
    if step.words == "blank":
        return " \t "
    if step.words == "long":
        return "x" * 1001
    return token(number)


def operation(step: Step, number: int) -> Callable[[Alliance, Moment], Outcome]:
    """The rule a step calls, as the Store takes it."""

    def run(a: Alliance, when: Moment) -> Outcome:
        who = step.who
        text = words_of(a, step, number)
        terms: dict[str, Any] = {"topic": step.topic, "trial_until": step.trial, "sign": step.sign}
        if step.verb == "draft":
            return rules.draft(a, who, text, when, **terms)
        if step.verb == "sign":
            return rules.sign(a, who, when)
        if step.verb == "pass":
            return rules.pass_keyboard(a, who, when)
        assert step.line is not None
        rule = LINE_RULES[step.verb]
        if step.verb == "remove":
            return rules.reopen(a, who, step.line, when, text=None)
        if step.verb == "reopen":
            return rules.reopen(a, who, step.line, when, text=text, **terms)
        if step.verb in ("edit", "revise", "counter"):
            return rule(a, who, step.line, text, when, **terms)
        if step.verb == "decline":
            return rules.decline(a, who, step.line, when, reason=step.reason)
        return rule(a, who, step.line, when)

    return run


def accept_line(line_id: int, who: int, a: Alliance, when: Moment) -> Outcome:
    return rules.accept(a, who, line_id, when)


def sign_as(who: int) -> Callable[[Alliance, Moment], Outcome]:
    return lambda a, when: rules.sign(a, who, when)


# -- the world an example plays in, and what it remembers --------------------------

ZONE = timezone(timedelta(hours=5, minutes=30))  # not UTC, so exports must convert


def new_alliance(review_on: date | None) -> Alliance:
    return Alliance(
        id="c0ffee01",
        title="Sarah & Peter",
        kind=Kind.BUSINESS,
        partners=(Partner(NAMES[0]), Partner(NAMES[1])),
        created_at=datetime(2026, 3, 2, 14, 30, tzinfo=ZONE),
        review_on=review_on,
    )


@dataclass
class World:
    """An alliance, the history its actions wrote, and what the checks need to know."""

    a: Alliance
    history: list[Event]
    now: datetime = datetime(2026, 3, 2, 15, 0, tzinfo=ZONE)
    accepted_by: dict[int, int] = field(default_factory=dict)
    versions: list[Version] = field(default_factory=list)
    #: Wording typed into drafts, by its author; and wording ever shared with the other.
    drafted: dict[int, set[str]] = field(default_factory=lambda: {0: set(), 1: set()})
    shared: set[str] = field(default_factory=set)
    #: The status line's counts as a screen keeps them: updated with each action's lines.
    kept: views.KeptTally = field(default_factory=views.KeptTally)

    def moment(self) -> Moment:
        self.now += timedelta(minutes=3)
        return Moment(at=self.now, session=1)

    def act(self, run: Callable[[Alliance, Moment], Outcome]) -> Outcome | None:
        """Apply one rule; check that a refusal changes nothing, and learn from the events."""
        before = copy.deepcopy(self.a)
        history = tuple(self.history)  # events are frozen: only the list itself could change
        try:
            outcome = run(self.a, self.moment())
        except Refused as refusal:
            assert refusal.reason and refusal.reason.strip() == refusal.reason
            assert self.a == before, f"refused ({refusal.reason}) but changed the alliance"
            assert tuple(self.history) == history
            return None
        self.learn(before, outcome)
        # Kept up to date with the lines the action says it changed, the counts are the
        # ones counted afresh: no rule changes a line without saying so.
        changed = None if outcome.deleted else outcome.lines
        assert self.kept.count(self.a, DAYS[2], changed) == views.tally(self.a, DAYS[2])
        self.history.extend(outcome.events)
        assert tuple(self.history[: len(history)]) == history
        return outcome

    def secrets(self, author: int) -> set[str]:
        """Draft wording of `author` that was never shared."""
        return self.drafted[author] - self.shared

    def learn(self, before: Alliance, outcome: Outcome) -> None:
        assert len(outcome.events) == 1, "every action writes exactly one event"
        (event,) = outcome.events
        assert event.at == self.now
        assert event.actor in (0, 1)
        if event.action is Action.PASSED:
            # The file remembers the taker as the last to hold a shared seat.
            assert self.a.active == other(event.actor)
            assert event.text == NAMES[self.a.active]
        else:
            assert self.a.active == before.active, "only passing changes who held the seat"
        assert event.private == (event.action in (Action.DRAFTED, Action.EDITED, Action.DELETED))
        if event.private:
            assert event.actor is not None
            if event.text is not None:
                self.drafted[event.actor].add(event.text)
        elif event.text is not None and event.action is not Action.PASSED:
            self.shared.add(event.text)
        for line in outcome.lines:
            assert self.a.lines[line.id] is line
        for line_id in outcome.deleted:
            assert line_id not in self.a.lines and line_id in before.lines
        if outcome.version is not None:
            assert outcome.version.number == len(self.versions) + 1 == self.a.version
            assert outcome.version.lines == tuple(rules.agreement(self.a))
            self.versions.append(outcome.version)
        # The rule of consent, at the moment of consent.
        if event.action is Action.ACCEPTED:
            assert event.line is not None
            offered = before.lines[event.line].offered
            assert offered is not None
            assert offered.by != event.actor, "a partner accepted their own wording"
            assert self.a.lines[event.line].in_force == offered
            assert event.text == offered.text
            assert event.actor is not None
            self.accepted_by[event.line] = event.actor
        if event.action is Action.REMOVED:
            assert event.line is not None
            asked_by = before.lines[event.line].removal_by
            assert asked_by is not None and asked_by != event.actor
            self.accepted_by.pop(event.line)
        if event.action not in (Action.ACCEPTED, Action.REMOVED):
            assert expected_agreement(self.a) == expected_agreement(before), (
                f"{event.action} changed the agreement in force"
            )


def more(data: st.DataObject, number: int, at_least: int, at_most: int) -> bool:
    """Whether to take another step: a drawn choice per step, so that the shrinker can
    drop a step anywhere in a failing negotiation (about 25 steps on average)."""
    if number < at_least:
        return True
    return number < at_most and data.draw(st.integers(0, 19)) != 0


def play(world: World, data: st.DataObject, *, at_least: int = 5, at_most: int = 40) -> None:
    """Play a negotiation drawn step by step from where it stands, checking every step."""
    number = 0
    while more(data, number, at_least, at_most):
        step = draw_step(data, world.a)
        outcome = world.act(operation(step, number))
        if outcome is not None:
            assert {event.actor for event in outcome.events} == {step.who}, "acts as the actor given"
        check_world(world)
        number += 1


# -- the properties ------------------------------------------------------------------


def check_world(world: World) -> None:
    check_agreement(world.a)
    check_consent(world)
    check_lines(world.a)
    check_counts(world.a)
    dump = check_export(world.a, world.history, None)
    check_privacy(world, dump)
    if world.versions and world.history[-1].action is Action.SIGNED:
        check_export(world.a, world.history, world.versions[-1])


def expected_agreement(a: Alliance) -> list[tuple[Any, ...]]:
    """The agreement worked out from the lines alone, as SPEC §3 and §2 describe it.

    Lines in force, grouped by topic: the coach's topics in their order (any case), then
    other topics alphabetically, then lines without a topic; by line number within a
    group; each under its own number, never renumbered (SPEC §2). `rules.agreement`
    keeps its result between actions, so this is what it must always equal.
    """

    def order(line: Line) -> tuple[int, int, str, int]:
        topic = line.wordings[line.agreed].topic  # type: ignore[index]
        if topic is None:
            return (2, 0, "", line.id)
        if topic.casefold() in TOPICS:
            return (0, TOPICS.index(topic.casefold()), "", line.id)
        return (1, 0, topic.casefold(), line.id)

    in_force = [
        line for line in a.lines.values() if line.agreed is not None and line.state is not State.REMOVED
    ]
    result = []
    for line in sorted(in_force, key=order):
        wording = line.wordings[line.agreed]  # type: ignore[index]
        result.append(
            (
                line.id,
                line.id,
                wording.text,
                wording.topic,
                wording.by,
                line.agreed_at,
                wording.trial_until,
                wording.sign,
            )
        )
    return result


def check_agreement(a: Alliance) -> None:
    """The agreement as the rules give it (kept between actions) is the one in force."""
    expected = expected_agreement(a)
    assert [tuple(entry) for entry in rules.agreement(a)] == expected
    assert [tuple(entry) for entry in rules.agreement(a.replace(agreement_cache=None))] == (expected)


def check_counts(a: Alliance) -> None:
    """The one-pass counts of the status line agree with the lines, read one by one."""
    counts = views.tally(a)
    turn = views.turn(a)
    for partner in (0, 1):
        waiting = views.waiting_for(a, partner)
        assert waiting == [line for line in a.lines.values() if line.waiting_for == partner]
        assert counts.waiting_for(partner) == len(waiting)
        assert counts.drafts[partner] == views.private_drafts(a, partner)
    assert (turn.waiting_active, turn.waiting_other, turn.other_drafts) == (
        len(views.waiting_for(a, a.active)),
        len(views.waiting_for(a, other(a.active))),
        views.private_drafts(a, other(a.active)),
    )
    assert turn.active == NAMES[a.active] and turn.other == NAMES[other(a.active)]
    for day in DAYS:
        counts = views.tally(a, day)
        assert counts.trials_due == len(views.trials_due(a, day))
        assert views.review_due(a, day, counts) == views.review_due(a, day)


def check_consent(world: World) -> None:
    """Every wording in force was accepted by the partner who did not write it."""
    agreed = rules.agreement(world.a)
    assert set(world.accepted_by) == {entry.line for entry in agreed}
    for entry in agreed:
        line = world.a.lines[entry.line]
        assert line.in_force is not None
        assert entry.author == line.in_force.by != world.accepted_by[entry.line]
    assert all(entry.number == entry.line for entry in agreed), "each line keeps its own number"


def check_lines(a: Alliance) -> None:
    """What SPEC §2 says each state means, read off the line."""
    assert a.active in (0, 1)
    assert all(line_id < a.next_line for line_id in a.lines)
    assert a.signatures <= {0, 1} and len(a.signatures) < 2
    for line_id, line in a.lines.items():
        assert line.id == line_id and line.wordings
        assert all(w.text == w.text.strip() and 0 < len(w.text) <= 1000 for w in line.wordings)
        waiting = line.waiting_for
        if line.state in (State.PROPOSED, State.COUNTERED):
            assert waiting is not None and waiting != line.offered_by
        else:
            assert waiting is None and line.removal_by is None
        if line.state is State.DRAFT:
            assert line.agreed is None and line.offered is not None
            assert line.offered.by == line.author
        if line.state is State.AGREED:
            assert line.in_force is not None and line.offer is None
        if line.state is State.REMOVED:
            assert line.in_force is None and line.agreed is not None
        if line.state in (State.DECLINED, State.WITHDRAWN):
            assert line.in_force is None and line.offered is not None
        if line.removal_by is not None:
            assert line.change_pending and line.offer is None
        assert line.change_pending == (
            line.agreed is not None and line.state in (State.PROPOSED, State.COUNTERED)
        )
        if line.in_force is not None:
            assert line.agreed_at is not None


def check_privacy(world: World, dump: str) -> None:
    """No draft wording reaches the other partner's view, nor `dump` (the JSON export),
    nor the Markdown and text exports."""
    a = world.a
    shared_record = (dump, to_markdown(a), to_text(a))
    for viewer in (0, 1):
        them = other(viewer)
        secrets = world.secrets(them)
        seen = views.visible_lines(a, viewer)
        assert [line.id for line in seen] == [
            line.id for line in a.lines.values() if line.state is not State.DRAFT or line.author == viewer
        ]
        for line in seen:
            assert line.current.text not in secrets
        assert views.private_drafts(a, them) == sum(
            1 for line in a.lines.values() if line.state is State.DRAFT and line.author == them
        )
        for event in world.history:
            shown = views.seen_event(event, viewer)
            if event.private and event.actor != viewer:
                assert shown.text is None and shown.before is None
                assert shown.action == event.action and shown.line == event.line
            else:
                assert shown == event
            assert shown.text not in secrets and shown.before not in secrets
        described = views.turn(a).describe()
        assert not any(secret in described for secret in secrets)
    for author in (0, 1):
        for secret in world.secrets(author):
            assert json.dumps(secret)[1:-1] not in dump, f"draft wording {secret!r} exported"
            assert not any(secret in record for record in shared_record[1:])


ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
STATES = {"draft", "proposed", "countered", "agreed", "declined", "withdrawn", "removed"}
ACTIONS = {
    "created",
    "drafted",
    "edited",
    "deleted",
    "proposed",
    "countered",
    "accepted",
    "declined",
    "withdrawn",
    "reopened",
    "removed",
    "signed",
    "passed",
}


def is_time(value: Any, expected: datetime | None = None) -> bool:
    if not (isinstance(value, str) and ISO_TIME.fullmatch(value)):
        return False
    moment = datetime.fromisoformat(value)
    assert moment.utcoffset() == timedelta(0)
    if expected is not None:
        assert moment == expected.replace(microsecond=0)
    return True


def is_date(value: Any) -> bool:
    if value is None:
        return True
    if not (isinstance(value, str) and ISO_DATE.fullmatch(value)):
        return False
    date.fromisoformat(value)
    return True


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_text(value: Any, nullable: bool = True) -> bool:
    return isinstance(value, str) or (nullable and value is None)


def check_export(a: Alliance, history: list[Event], version: Version | None) -> str:
    """`export --format json` is the object of SPEC §5, key for key and type for type.

    Returns the export as JSON text.
    """
    exported = to_json(a, history, version)
    dump = json.dumps(exported)
    assert json.loads(dump) == exported  # plain JSON, nothing else
    assert set(exported) == {"alliance", "agreement", "open", "checkins", "history"}
    names = list(NAMES)
    # Revealed check-ins only (SPEC §12): their shape is checked in test_checkin_properties.
    assert exported["checkins"] == [] or a.checkins

    alliance = exported["alliance"]
    assert set(alliance) == {
        "id",
        "title",
        "kind",
        "partners",
        "created_at",
        "version",
        "review_on",
        "fingerprint",
        "coach",
    }
    expected_fingerprint = a.fingerprint if version is None else fingerprint(version)
    assert alliance["fingerprint"] == expected_fingerprint
    assert (alliance["fingerprint"] is None) == (alliance["version"] == 0)
    assert alliance["id"] == a.id and alliance["title"] == a.title
    assert alliance["kind"] in {k.value for k in Kind}
    assert alliance["partners"] == names
    assert is_time(alliance["created_at"], a.created_at)
    assert is_int(alliance["version"]) and alliance["version"] >= 0
    assert alliance["version"] == (a.version if version is None else version.number)
    assert is_date(alliance["review_on"])
    assert alliance["review_on"] == (None if a.review_on is None else a.review_on.isoformat())

    assert isinstance(exported["agreement"], list)
    shown = version.lines if version is not None else rules.agreement(a)
    assert [entry["number"] for entry in exported["agreement"]] == [item.line for item in shown]
    for entry in exported["agreement"]:
        assert set(entry) == {"number", "text", "topic", "author", "agreed_at", "trial_until", "sign"}
        assert is_int(entry["number"]) and entry["number"] >= 1
        assert is_text(entry["text"], nullable=False) and entry["text"]
        assert is_text(entry["topic"])
        assert entry["author"] in names
        assert is_time(entry["agreed_at"])
        assert is_date(entry["trial_until"])
        assert is_text(entry["sign"]) and entry["sign"] != ""
    if version is None:
        assert [e["text"] for e in exported["agreement"]] == [e.text for e in rules.agreement(a)]

    assert isinstance(exported["open"], list)
    for entry in exported["open"]:
        assert set(entry) == {"id", "text", "author", "state", "waiting_for"}
        assert is_int(entry["id"]) and entry["id"] in a.lines
        assert is_text(entry["text"], nullable=False)
        assert entry["author"] in names
        assert entry["state"] in STATES and entry["state"] != "draft"
        assert entry["waiting_for"] is None or entry["waiting_for"] in names
        # `author` wrote the wording that waits (SPEC §5): it waits for the other one.
        assert entry["waiting_for"] is None or entry["waiting_for"] != entry["author"]

    assert isinstance(exported["history"], list)
    assert len(exported["history"]) == len(history)
    for entry, event in zip(exported["history"], history, strict=True):
        assert set(entry) == {"at", "session", "actor", "action", "line", "text", "before", "reason"}
        assert is_time(entry["at"], event.at)
        assert is_int(entry["session"])
        assert entry["actor"] is None or entry["actor"] in names
        assert entry["action"] in ACTIONS and entry["action"] == event.action.value
        assert entry["line"] is None or is_int(entry["line"])
        assert is_text(entry["text"]) and is_text(entry["before"]) and is_text(entry["reason"])
    return dump


# -- the tests -------------------------------------------------------------------------


def fresh_world(review_on: date | None) -> World:
    a = new_alliance(review_on)
    created = Event(at=a.created_at, session=0, actor=None, action=Action.CREATED, text=a.title)
    return World(a=a, history=[created])


@SETTINGS
@given(data=st.data(), review_on=st.sampled_from([None, date(2026, 9, 1)]))
def test_the_negotiation_keeps_its_promises(data: st.DataObject, review_on: date | None) -> None:
    world = fresh_world(review_on)
    check_world(world)
    play(world, data)


@SETTINGS
@given(data=st.data())
def test_any_negotiation_can_be_finished_by_consent(data: st.DataObject) -> None:
    """However a negotiation stands, the partners can still finish it by the rules.

    Each open offer is accepted by the partner it waits for, then both sign: every
    acceptance passes the consent checks of `World.learn`, and the last version signed
    is exactly the agreement in force.
    """
    world = fresh_world(None)
    play(world, data, at_most=30)
    for line in list(world.a.lines.values()):
        if line.waiting_for is not None:
            assert world.act(partial(accept_line, line.id, line.waiting_for)) is not None
            check_world(world)
    assert views.waiting_for(world.a, 0) == views.waiting_for(world.a, 1) == []
    if rules.agreement(world.a) or world.a.version:
        for partner in (0, 1):
            if world.a.changed_since_version and partner not in world.a.signatures:
                assert world.act(sign_as(partner)) is not None
            check_world(world)
        assert not world.a.changed_since_version and not world.a.signatures
        assert world.versions[-1].lines == tuple(rules.agreement(world.a))


# -- the same negotiations through the real Store -----------------------------------


def project(a: Alliance) -> dict[str, Any]:
    """What the negotiation holds, leaving out when things happened."""
    return {
        "active": a.active,
        "version": a.version,
        "signatures": a.signatures,
        "changed": a.changed_since_version,
        "next_line": a.next_line,
        "lines": {
            line.id: (
                line.author,
                line.state,
                line.offer,
                line.agreed,
                line.removal_by,
                line.reason,
                [(w.text, w.by, w.topic, w.trial_until, w.sign) for w in line.wordings],
            )
            for line in a.lines.values()
        },
    }


def shape(event: Event) -> tuple[Any, ...]:
    return (event.actor, event.action, event.line, event.text, event.before, event.reason, event.private)


@STORE_SETTINGS
@given(data=st.data())
def test_the_store_saves_what_the_rules_did(data: st.DataObject) -> None:
    """Each step goes to an in-memory alliance and to a Store; both must agree, and a
    fresh Store reading the file must find exactly what the first one holds."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "alliance.json"
        store = Store(path, clock=FakeClock())
        created = store.create(NAMES, title="Sarah & Peter", kind=Kind.BUSINESS)
        alliance_id = created.id
        world = World(a=copy.deepcopy(created), history=store.history(alliance_id))
        saved_events = store.history(alliance_id)
        assert [e.action for e in saved_events] == [Action.CREATED]
        session: int | None = None

        def both(run: Callable[[Alliance, Moment], Outcome]) -> None:
            nonlocal session
            expected = world.act(run)
            try:
                done = store.act(alliance_id, run, session=session)
            except Refused:
                assert expected is None, "the store refused what the rules allow"
                return
            assert expected is not None, "the store allowed what the rules refuse"
            session = done.session
            assert [shape(e) for e in done.outcome.events] == [shape(e) for e in expected.events]
            saved_events.extend(done.outcome.events)

        number = 0
        while more(data, number, 5, 30):
            step = draw_step(data, world.a)
            both(operation(step, number))
            assert project(store.load(alliance_id)) == project(world.a)
            if number % 8 == 7:
                assert Store(path, create=False).load(alliance_id) == store.load(alliance_id)
            number += 1

        in_memory = store.load(alliance_id)
        reopened = Store(path, create=False, clock=FakeClock())
        saved = reopened.load(alliance_id)
        assert saved == in_memory  # lines, states, wordings, times, signatures, version
        assert {i: line.state for i, line in saved.lines.items()} == {
            i: line.state for i, line in world.a.lines.items()
        }
        history = reopened.history(alliance_id)
        assert len(history) == len(saved_events) == len(world.history)
        assert history == saved_events
        assert [shape(e) for e in history] == [shape(e) for e in world.history]
        assert reopened.versions(alliance_id) == store.versions(alliance_id)
        assert len(reopened.versions(alliance_id)) == saved.version == len(world.versions)
        check_export(saved, history, None)
