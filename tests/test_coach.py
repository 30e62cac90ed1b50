"""The coach's seat (SPEC §11): the third seat, who notices and never decides."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from alliance_tui.app import AllianceApp
from alliance_tui.dialogs.field import FieldDialog
from alliance_tui.domain import Action, State, alliance_rules, rules
from alliance_tui.domain.model import COACH
from alliance_tui.domain.seats import Seat
from alliance_tui.screens.negotiation import NegotiationScreen
from alliance_tui.store import Store

from .conftest import FakeClock
from .desk import PETER, SARAH, Desk


def _coached(desk: Desk) -> Desk:
    desk.a.coach = "Cleo"
    return desk


def test_the_coach_never_negotiates_and_only_the_coach_notes_and_marks(desk: Desk) -> None:
    _coached(desk)
    line = desk.proposed()
    why = "Only the two partners negotiate the agreement."
    desk.refuse(rules.accept, line, by=COACH, why=why)
    desk.refuse(rules.draft, "The coach's words", by=COACH, why=why)
    desk.refuse(rules.sign, by=COACH, why=why)
    only = "Only the coach, Cleo, does this: it is the coach's to notice, not to decide."
    desk.refuse(alliance_rules.note, "Peter looked away.", by=PETER, why=only)
    desk.refuse(alliance_rules.flag, line, by=SARAH, why=only)
    desk.do(alliance_rules.note, "Both laughed at line 1.", by=COACH)
    desk.do(alliance_rules.flag, line, by=COACH)
    assert desk.a.lines[line].flagged and desk.a.lines[line].state is State.PROPOSED
    desk.do(alliance_rules.flag, line, by=COACH)
    assert not desk.a.lines[line].flagged, "! again takes the mark away"
    assert [(e.action, e.actor) for e in desk.history[-3:]] == [
        (Action.NOTED, COACH),
        (Action.FLAGGED, COACH),
        (Action.FLAGGED, COACH),
    ]


def test_a_draft_is_not_the_coachs_to_mark(desk: Desk) -> None:
    _coached(desk)
    line = desk.drafted()
    desk.refuse(
        alliance_rules.flag,
        line,
        by=COACH,
        why="A draft is its author's alone: the coach sees it only once it is proposed.",
    )


def test_a_shared_keyboard_passes_to_the_coach_after_both_partners(desk: Desk) -> None:
    _coached(desk)
    desk.do(rules.pass_keyboard, by=SARAH)
    desk.do(rules.pass_keyboard, by=PETER)
    assert desk.a.active == COACH
    assert desk.history[-1].text == "Cleo"
    desk.do(rules.pass_keyboard, by=COACH)
    assert desk.a.active == SARAH


def _coached_file(path: Path) -> tuple[Store, str]:
    store = Store(path, clock=FakeClock())
    return store, store.create(("Ann", "Bob"), title="Studio", coach="Cleo").id


async def test_the_coachs_window_sees_what_both_see_and_can_note_and_mark(db_path: Path) -> None:
    store, alliance_id = _coached_file(db_path)
    store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Ann's secret draft", m))
    line = store.act(alliance_id, lambda a, m: rules.draft(a, 1, "Bob proposes", m)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 1, line, m))
    app = AllianceApp(db_path, bound_to="cleo", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, NegotiationScreen) and screen.me == Seat(COACH, bound=True)
        turn = str(screen.query_one("#turn").render())
        assert turn.startswith("▶ This window is the coach's (Cleo) · 1 proposal for Ann")
        pane = screen.query_one("#partner-a")
        rows = [pane.row_plain(i) for i in range(pane.row_count)]  # type: ignore[attr-defined]
        assert rows == ["Ann has 1 private draft"], "never a private draft"
        keys = str(screen.query_one("KeyBar").render())
        assert "Accept" not in keys and "New line" not in keys, "negotiating keys are not offered"
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, FieldDialog)
        await pilot.press(*"They agree on more than they think", "enter")
        await pilot.pause()
        app.clear_notifications()
        await pilot.press("3", "a")  # nothing selected in the empty agreement: not "select a line"
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["Only the two partners negotiate the agreement."]
        screen.select_line(line)
        await pilot.pause()
        assert "! Mark" in str(screen.query_one("KeyBar").render())
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert any("needs more conversation" in screen.query_one("#partner-b").row_plain(i) for i in range(1))  # type: ignore[attr-defined]
        keys = str(screen.query_one("KeyBar").render())
        assert "! Unmark" in keys and "! Mark" not in keys, "on a marked line, ! takes the mark away"
        await pilot.press("a")
        await pilot.pause()
        assert "Only the two partners negotiate the agreement." in [n.message for n in app._notifications]
    a = Store(db_path).load(alliance_id)
    assert a.lines[line].flagged and a.lines[line].state is State.PROPOSED
    noted = [e for e in Store(db_path).history(alliance_id) if e.action is Action.NOTED]
    assert [(e.actor, e.text) for e in noted] == [(COACH, "They agree on more than they think")]


def test_new_with_a_coach_and_the_export_names_them(tmp_path: Path) -> None:
    db = tmp_path / "a.json"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "alliance_tui", *args, "--db", str(db)], capture_output=True, text=True
        )

    made = cli("new", "Studio", "--partners", "Ann", "Bob", "--coach", "Cleo")
    assert made.returncode == 0 and "with Cleo as their coach" in made.stdout
    assert json.loads(cli("export", "--format", "json").stdout)["alliance"]["coach"] == "Cleo"
    same = cli("new", "Other", "--partners", "Ann", "Bob", "--coach", "ann")
    assert same.returncode == 2 and "The coach needs a name of their own" in same.stderr


def test_serve_invites_the_coach_too() -> None:
    from datetime import UTC, datetime

    from alliance_tui.domain import Alliance, Kind, Partner
    from alliance_tui.serve import seat_names

    a = Alliance(
        "a1", "Studio", Kind.WORK, (Partner("Ann"), Partner("Bob")), datetime(2026, 3, 2, tzinfo=UTC)
    )
    assert seat_names(a) == ["Ann", "Bob"]
    a.coach = "Cleo"
    assert seat_names(a) == ["Ann", "Bob", "Cleo"]


# -- properties (issue 13): the coach decides nothing; nobody reads what is not theirs ----

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from alliance_tui.domain import Refused, rounds  # noqa: E402
from alliance_tui.domain.export import to_json  # noqa: E402
from alliance_tui.domain.views import seen_event, sees  # noqa: E402

VERBS = (
    "draft",
    "propose",
    "accept",
    "counter",
    "decline",
    "withdraw",
    "sign",
    "note",
    "flag",
    "ask",
    "answer",
    "coach",
    "uncoach",
    "consent",
    "refuse",
)
STEPS = st.lists(
    st.tuples(st.sampled_from((0, 1, COACH)), st.sampled_from(VERBS), st.integers(0, 5)), max_size=40
)


def _act(desk: Desk, who: int, verb: str, pick: int, word: str) -> None:
    a = desk.a
    line = sorted(a.lines)[pick % len(a.lines)] if a.lines else 1
    calls = {
        "draft": (rules.draft, (word,)),
        "propose": (rules.propose, (line,)),
        "accept": (rules.accept, (line,)),
        "counter": (rules.counter, (line, word)),
        "decline": (rules.decline, (line,)),
        "withdraw": (rules.withdraw, (line,)),
        "sign": (rules.sign, ()),
        "note": (alliance_rules.note, (word,)),
        "flag": (alliance_rules.flag, (line,)),
        "ask": (rounds.ask, (word,)),
        "answer": (rounds.answer, (word,)),
        # A change of coach (issue 13): the partners', by consent; never the coach's.
        "coach": (alliance_rules.set_coach, (word,)),
        "uncoach": (alliance_rules.set_coach, (None,)),
        "consent": (alliance_rules.accept_change, ()),
        "refuse": (alliance_rules.decline_change, ()),
    }
    action, args = calls[verb]
    desk.do(action, *args, by=who)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_the_coach_decides_nothing_and_nobody_reads_what_is_not_theirs(
    steps: list[tuple[int, str, int]],
) -> None:
    desk = Desk()
    desk.a.coach = "Cleo"
    for number, (who, verb, pick) in enumerate(steps):
        word = f"<w{number:03d}>"
        before = (
            {i: (line.state, line.offer, line.agreed) for i, line in desk.a.lines.items()},
            set(desk.a.signatures),
            desk.a.version,
            (desk.a.coach, desk.a.change),
        )
        try:
            _act(desk, who, verb, pick, word)
        except Refused:
            continue
        if who == COACH:
            after = (
                {i: (line.state, line.offer, line.agreed) for i, line in desk.a.lines.items()},
                set(desk.a.signatures),
                desk.a.version,
                (desk.a.coach, desk.a.change),
            )
            assert after == before, f"the coach changed the negotiation (or its coach) with {verb}"
        # What each may read: never another's private draft wording or unrevealed answer.
        shared = json.dumps(to_json(desk.a, desk.history))
        for viewer in (0, 1, COACH):
            for event in desk.history:
                if event.private and event.actor != viewer:
                    assert seen_event(event, viewer).text is None
            for line in desk.a.lines.values():
                if line.state is State.DRAFT and line.author != viewer:
                    assert not sees(line, viewer)
        round_ = desk.a.round
        secrets = set(round_.answers.values()) if round_ is not None else set()
        revealed = {event.text for event in desk.history if event.action is Action.REVEALED}
        secrets |= {
            line.current.text
            for line in desk.a.lines.values()
            if line.state is State.DRAFT and line.current.text not in revealed
        }
        for secret in secrets:
            assert secret not in shared, f"{secret} reached an export"


async def test_the_new_alliance_form_names_a_coach(tmp_path: Path) -> None:
    from textual.widgets import Input

    path = tmp_path / "fresh.json"
    app = AllianceApp(path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(80, 24)) as pilot:
        for field, value in (("#name-a", "Ann"), ("#name-b", "Bob"), ("#coach", "Cleo")):
            app.screen.query_one(field, Input).value = value
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
    (a,) = Store(path).alliances()
    assert (a.names, a.coach) == (("Ann", "Bob"), "Cleo")


def test_the_alliance_list_names_the_coach_as_text(desk: Desk) -> None:
    from datetime import date

    from alliance_tui.screens.alliance_list import alliance_prompt

    assert " · coach " not in alliance_prompt(desk.a, date(2026, 3, 1)).plain
    desk.a.coach = "[b]Cleo\x1b]52;c;x\x07"
    row = alliance_prompt(desk.a, date(2026, 3, 1)).plain
    assert "Sarah & Peter · coach [b]Cleo" in row, row
    assert "\x1b" not in row and "\x07" not in row


def test_a_coachs_name_too_long_is_called_the_coachs(tmp_path: Path) -> None:
    db = tmp_path / "coach.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "alliance_tui",
            "--db",
            str(db),
            "new",
            "T",
            "--partners",
            "Ann",
            "Bob",
            "--coach",
            "C" * 41,
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2 and "The coach's name can be at most 40 characters" in run.stderr, run.stderr
    assert not db.exists()
    try:
        Store(db).create(("Ann", "Bob"), title="T", coach="C" * 41)
    except ValueError as error:
        assert str(error).startswith("The coach's name can be at most 40 characters"), error
    else:
        raise AssertionError("a coach's name of 41 characters was taken")


async def test_the_coach_s_mark_on_an_agreed_line_shows_in_the_agreement(db_path: Path) -> None:
    """ "⚑ needs more conversation" showed in the partner's pane but not in the agreement,
    where an agreed line is read (play-tested in a browser)."""
    store = Store(db_path, clock=FakeClock())
    alliance_id = store.create(("Ann", "Bob"), title="Studio", coach="Cleo").id
    line = (
        store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Replies within a day.", m)).outcome.lines[0].id
    )
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, line, m))
    store.act(alliance_id, lambda a, m: rules.accept(a, 1, line, m))
    app = AllianceApp(db_path, bound_to="Cleo", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        agreement = app.screen.query_one("#agreement")

        def shown() -> list[str]:
            return [agreement.row_plain(i) for i in range(agreement.row_count)]  # type: ignore[attr-defined]

        assert not any("⚑" in row for row in shown())
        await pilot.press("3", "exclamation_mark")
        await pilot.pause()
        assert any("Replies within a day.  ⚑ needs more conversation" in row for row in shown()), shown()
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert not any("⚑" in row for row in shown()), "unmarked"
