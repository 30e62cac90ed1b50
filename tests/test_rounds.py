"""Blind rounds (SPEC §11): asked, answered in private, revealed together."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from alliance_tui.app import AllianceApp
from alliance_tui.dialogs.field import FieldDialog
from alliance_tui.domain import Action, State, rounds, views
from alliance_tui.domain.export import to_json
from alliance_tui.domain.model import COACH
from alliance_tui.domain.views import seen_event, turn
from alliance_tui.screens.negotiation import NegotiationScreen
from alliance_tui.screens.round_answers import RoundAnswersScreen
from alliance_tui.store import DatabaseError, Store

from .conftest import FakeClock, choose_in_palette
from .desk import PETER, SARAH, Desk


def test_answers_stay_private_until_both_are_ready_then_become_drafts(desk: Desk) -> None:
    desk.a.coach = "Cleo"
    desk.do(rounds.ask, "How do you want to be supported when you are stuck?", by=COACH)
    desk.refuse(
        rounds.ask,
        "Another?",
        by=SARAH,
        why="A question is open already ('How do you want to be supported when you are stuck?'): "
        "Cleo's question: Sarah writing · Peter writing.",
    )
    desk.refuse(rounds.answer, "Mine", by=COACH, why="Only the two partners negotiate the agreement.")
    desk.do(rounds.answer, "Ask me before helping.", by=SARAH)
    desk.do(rounds.answer, "Leave me a note, not a call.", by=SARAH)  # edited before the reveal
    assert rounds.round_status(desk.a) == "Cleo's question: Sarah ready · Peter writing"
    peter, sarah = turn(desk.a, PETER).describe(), turn(desk.a, SARAH).describe()
    assert "the question waits for Peter's answer (b)" in peter and "nothing waits for Peter" not in peter
    assert "nothing waits for Sarah" in sarah and "answer (b)" not in sarah
    answered = [e for e in desk.history if e.action is Action.ANSWERED]
    for viewer in (PETER, COACH, None):
        assert all(seen_event(e, viewer).text is None for e in answered), viewer
    exported = json.dumps(to_json(desk.a, desk.history))
    assert "Leave me a note" not in exported and "Ask me before" not in exported
    assert not desk.a.lines, "no draft before the reveal"
    desk.do(rounds.answer, "Tell me what you tried first.", by=PETER)
    assert desk.a.round is None
    drafts = sorted((line.author, line.current.text, line.state) for line in desk.a.lines.values())
    assert drafts == [
        (SARAH, "Leave me a note, not a call.", State.DRAFT),
        (PETER, "Tell me what you tried first.", State.DRAFT),
    ]
    revealed = [(e.actor, e.text, e.private) for e in desk.history if e.action is Action.REVEALED]
    assert revealed == [
        (SARAH, "Leave me a note, not a call.", False),
        (PETER, "Tell me what you tried first.", False),
    ]
    # Kept to be read side by side, by anyone: the partners and the coach.
    assert desk.a.revealed is not None
    assert desk.a.revealed.answers == {
        SARAH: "Leave me a note, not a call.",
        PETER: "Tell me what you tried first.",
    }
    assert desk.a.revealed.question == "How do you want to be supported when you are stuck?"
    for reader in (SARAH, PETER, COACH):
        rounds.may_read_answers(desk.a, reader)
    news = {views.news(desk.a, e, viewer) for e in desk.history[-2:] for viewer in (SARAH, PETER, COACH)}
    assert news == {None, "Both answers are revealed, side by side in ctrl+p, Last round's answers."}
    desk.do(rounds.ask, "And the next one?", by=SARAH)  # a new round keeps the last one's answers
    assert desk.a.revealed.answers[SARAH] == "Leave me a note, not a call."


def test_an_open_round_is_saved_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    store = Store(path, clock=FakeClock())
    alliance_id = store.create(("Ann", "Bob"), coach="Cleo").id
    store.act(alliance_id, lambda a, m: rounds.ask(a, COACH, "When are you most effective?", m))
    store.act(alliance_id, lambda a, m: rounds.answer(a, 0, "Mornings.", m))
    again = Store(path).load(alliance_id).round
    assert again is not None and (again.question, again.answers, again.ready) == (
        "When are you most effective?",
        {0: "Mornings."},
        {0},
    )
    assert Store(path).audit(alliance_id) is None
    assert Store(path).load(alliance_id).revealed is None
    store.act(alliance_id, lambda a, m: rounds.answer(a, 1, "Evenings.", m))
    revealed = Store(path).load(alliance_id).revealed
    assert revealed is not None and (revealed.question, revealed.answers, revealed.ready) == (
        "When are you most effective?",
        {0: "Mornings.", 1: "Evenings."},
        {0, 1},
    )
    data = json.loads(path.read_text(encoding="utf-8"))
    (record,) = data["alliances"].values()
    del record["revealed"]["answers"]["1"]  # a hand edit: half a revealed round
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DatabaseError, match="does not hold both answers"):
        Store(path).load(alliance_id)


async def test_a_round_at_one_shared_keyboard(db_path: Path) -> None:
    """Ann asks and answers; Bob takes the keyboard and answers without seeing hers."""
    store = Store(db_path, clock=FakeClock())
    alliance_id = store.create(("Ann", "Bob"), title="Studio").id
    app = AllianceApp(db_path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b")
        assert isinstance(app.screen, FieldDialog)
        await pilot.press(*"What turn-around time do you need?", "enter")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        await pilot.press(*"Two days.", "enter")
        await pilot.pause()
        assert "Ann ready · Bob writing" in str(app.screen.query_one("#turn").render())
        await pilot.press("ctrl+t")
        await pilot.pause()
        await choose_in_palette(app, "Last round's answers")
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen), "no answers to show before both are ready"
        said = [n.message for n in app._notifications]
        assert said[-1].startswith("No blind round has been revealed yet")
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, FieldDialog)
        assert app.screen.query_one("#value", Input).value == "", "Ann's answer is not shown to Bob"
        await pilot.press(*"One day.", "enter")
        await pilot.pause()
        await pilot.pause()
        # Revealed: both answers side by side, under the question, at once.
        assert isinstance(app.screen, RoundAnswersScreen)
        shown = [str(app.screen.query_one(f"#answer-{n}", Static).render()) for n in (0, 1)]
        assert shown == ["Ann\nTwo days.", "Bob\nOne day."]
        assert "Ann asked: What turn-around time do you need?" in str(
            app.screen.query_one("#heading").render()
        )
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
        await choose_in_palette(app, "Last round's answers")  # read again whenever
        await pilot.pause()
        assert isinstance(app.screen, RoundAnswersScreen)
        await pilot.press("escape")
    a = Store(db_path).load(alliance_id)
    assert a.revealed is not None and a.revealed.answers == {0: "Two days.", 1: "One day."}
    assert a.round is None
    assert sorted((line.author, line.current.text) for line in a.lines.values()) == [
        (0, "Two days."),
        (1, "One day."),
    ]


def test_an_unanswered_question_can_be_withdrawn_by_whoever_asked_it(desk: Desk) -> None:
    desk.do(rounds.ask, "When are you most effective?", by=SARAH)
    desk.refuse(rounds.withdraw_round, by=PETER, why="Sarah asked this question: only they can withdraw it.")
    desk.do(rounds.withdraw_round, by=SARAH)
    assert desk.a.round is None
    desk.do(rounds.ask, "Again?", by=SARAH)
    desk.do(rounds.answer, "Mornings.", by=PETER)
    desk.refuse(
        rounds.withdraw_round,
        by=SARAH,
        why="An answer is written already: the round stays open until both are ready.",
    )


def test_the_demo_has_a_coached_alliance_mid_round(tmp_path: Path) -> None:
    from alliance_tui.demo import make_demo

    store = make_demo(tmp_path / "demo.json")
    work = store.find("Working independently")
    assert work.coach == "Dana" and work.round is not None
    assert rounds.round_status(work) == "Dana's question: Priya ready · Tom writing"


async def test_a_whole_coached_session_at_one_keyboard(db_path: Path) -> None:
    """The coach asks, both answer blind, the answers are revealed as drafts; each
    proposes, the other accepts, both sign (issue 13)."""
    store = Store(db_path, clock=FakeClock())
    alliance_id = store.create(("Ann", "Bob"), title="Studio", coach="Cleo").id
    app = AllianceApp(db_path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:

        async def type_in_dialog(text: str) -> None:
            await pilot.pause()
            assert isinstance(app.screen, FieldDialog)
            await pilot.press(*text, "enter")
            await pilot.pause()

        await pilot.press("ctrl+t", "ctrl+t")  # Ann → Bob → Cleo
        await pilot.pause()
        assert "Cleo (coach) has the keyboard" in str(app.screen.query_one("#turn").render())
        await pilot.press("b")
        await type_in_dialog("What turn-around time do you need?")
        await pilot.press("ctrl+t")  # → Ann
        await pilot.press("b")
        await type_in_dialog("Two days.")
        await pilot.press("ctrl+t")  # → Bob
        await pilot.press("b")
        await type_in_dialog("One day.")
        await pilot.pause()
        assert isinstance(app.screen, RoundAnswersScreen), "the reveal shows both answers"
        await pilot.press("escape")
        await pilot.pause()
        a = Store(db_path).load(alliance_id)
        assert a.round is None and len(a.lines) == 2
        bobs = next(line.id for line in a.lines.values() if line.author == 1)
        anns = next(line.id for line in a.lines.values() if line.author == 0)
        screen = app.screen
        assert isinstance(screen, NegotiationScreen)
        screen.select_line(bobs)
        await pilot.press("p", "ctrl+t", "ctrl+t")  # Bob proposes; → Cleo → Ann
        await pilot.pause()
        screen.select_line(bobs)
        await pilot.press("a")
        await pilot.pause()
        screen.select_line(anns)
        await pilot.press("p", "s", "y", "ctrl+t")  # Ann proposes and signs; → Bob
        await pilot.pause()
        screen.select_line(anns)
        await pilot.press("a")  # Bob accepts: the agreement changed, Ann signs again later
        await pilot.press("s", "y", "ctrl+t", "ctrl+t", "s", "y")  # Bob signs; → Cleo → Ann signs
        await pilot.pause()
    a = Store(db_path).load(alliance_id)
    assert a.version == 1 and {line.state for line in a.lines.values()} == {State.AGREED}
    actions = [(e.action, e.actor) for e in Store(db_path).history(alliance_id)]
    assert (
        (Action.ASKED, COACH) in actions
        and (Action.REVEALED, 0) in actions
        and (Action.REVEALED, 1) in actions
    )
    assert not any(actor == COACH and action in (Action.ACCEPTED, Action.SIGNED) for action, actor in actions)


async def test_a_round_opened_with_a_coachs_question(db_path: Path) -> None:
    from alliance_tui.dialogs.prompt_picker import PromptPicker
    from alliance_tui.domain.prompts import round_prompts_for

    from .conftest import choose_in_palette

    store = Store(db_path, clock=FakeClock())
    alliance_id = store.create(("Ann", "Bob"), title="Studio", coach="Cleo").id
    app = AllianceApp(db_path, bound_to="Cleo", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await choose_in_palette(app, "Ask a starter question")
        await pilot.pause()
        assert isinstance(app.screen, PromptPicker)
        await pilot.press("enter")
        await pilot.pause()
    saved = Store(db_path).load(alliance_id)
    assert saved.round is not None
    assert saved.round.question in {p.question for p in round_prompts_for(saved.kind)}


def test_the_coachs_questions_come_in_the_order_a_conversation_meets_them() -> None:
    from alliance_tui.dialogs.prompt_picker import grouped
    from alliance_tui.domain import Kind
    from alliance_tui.domain.prompts import round_prompts_for

    for kind in Kind:
        headings = [heading for heading, _ in grouped(round_prompts_for(kind))]
        assert headings == ["to start", "when it gets hard", "to re-design"], (kind, headings)


async def test_the_newest_event_stays_in_sight_when_the_status_line_takes_two_rows(tmp_path: Path) -> None:
    """At 80×24 asking a question makes the status line two rows; the history, a row
    shorter, still shows the question it was just asked (it showed the row above)."""
    from alliance_tui.widgets.history_pane import HistoryPane

    path = tmp_path / "round.json"
    Store(path, clock=FakeClock()).create(("Ann", "Bob"), title="T")
    app = AllianceApp(path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(80, 24)) as pilot:
        history = app.screen.query_one("#history", HistoryPane)
        tall = history.size.height
        await pilot.press("b", *"What does a good week look like?", "enter")
        await pilot.pause()
        await pilot.pause()
        assert history.size.height < tall, "the status line did not grow: the test no longer tests"
        newest = history.row_count - 1
        assert history.highlighted == newest
        assert history.scroll_offset.y <= newest < history.scroll_offset.y + history.size.height
        assert "Ann asked: What does a good week look like?" in history.row_plain(newest)


def test_an_answer_left_half_written_is_kept_private_and_not_ready(desk: Desk) -> None:
    """The app left while Sarah typed her answer: kept as written, not ready, revealing
    nothing; her next answer makes it ready (`rounds.keep_answer`)."""
    desk.do(rounds.ask, "What do you need on a hard day?", by=PETER)
    before = list(desk.history)
    desk.do(rounds.keep_answer, "Quiet, and", by=SARAH)
    assert desk.history == before, "nothing enters the history: it is as private as typing"
    assert desk.a.round is not None and desk.a.round.answers == {SARAH: "Quiet, and"}
    assert rounds.round_status(desk.a) == "Peter's question: Sarah writing · Peter writing"
    desk.do(rounds.answer, "Tea.", by=PETER)
    assert desk.a.round is not None and not desk.a.lines, "a kept answer is not ready: nothing revealed"
    assert "Quiet" not in json.dumps(to_json(desk.a, desk.history))
    # A ready answer being changed is kept as changed, and no longer ready.
    desk.do(rounds.answer, "Quiet, and a walk.", by=SARAH)
    assert desk.a.round is None and desk.a.revealed is not None
    desk.do(rounds.ask, "And on a good day?", by=SARAH)
    desk.do(rounds.answer, "Plans.", by=SARAH)
    desk.do(rounds.keep_answer, "Plans, and", by=SARAH)
    assert desk.a.round is not None and desk.a.round.ready == set()
    assert desk.a.round.answers[SARAH] == "Plans, and"
    desk.refuse(rounds.keep_answer, "Mine", by=COACH, why="Only the two partners negotiate the agreement.")
    desk.refuse(
        rounds.keep_answer,
        "x" * 1001,
        by=PETER,
        why="A wording can be at most 1,000 characters (1,001 typed).",
    )


async def test_an_answer_typed_when_the_app_leaves_is_kept_and_opens_again(db_path: Path) -> None:
    """Escape warns before throwing an answer away; leaving keeps it (issue 12, SPEC §8)."""
    store = Store(db_path, clock=FakeClock())
    alliance_id = store.create(("Ann", "Bob"), title="Studio").id
    store.act(alliance_id, lambda a, m: rounds.ask(a, 1, "What turn-around time do you need?", m))
    app = AllianceApp(db_path, bound_to="Ann", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b", *"Two days, unless")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FieldDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is dialog, "one escape does not throw an answer away"
        assert "escape again throws away what you typed" in str(dialog.query_one("#error", Static).render())
        await pilot.press(*" it is urgent")  # typing on: escape warns again first
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is dialog
        app.exit()  # as the web driver does when textual-serve says "quit"
        await pilot.pause()
    a = Store(db_path).load(alliance_id)
    assert a.round is not None
    assert (a.round.answers, a.round.ready) == ({0: "Two days, unless it is urgent"}, set())
    assert app.window.kept == [
        "What Ann typed as their answer in “Studio” is kept, private and not ready: b opens it again."
    ]
    app = AllianceApp(db_path, bound_to="Ann", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, FieldDialog)
        assert app.screen.query_one("#value", Input).value == "Two days, unless it is urgent"
        await pilot.press("escape")  # nothing changed since it opened: closes at once
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
        await pilot.press("b", *"!", "escape")
        await pilot.pause()
        assert isinstance(app.screen, FieldDialog), "a change is not thrown away at one escape"
        await pilot.press("escape")  # the second one throws it away
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
        app.exit()
        await pilot.pause()
    assert app.window.kept == []
    assert Store(db_path).load(alliance_id).round.answers == {0: "Two days, unless it is urgent"}  # type: ignore[union-attr]


def maya_answered(path: Path, question: str, answer: str) -> str:
    """Maya and Jon's "Moving in": Maya asked `question` and answered it; Jon has not."""
    store = Store(path, clock=FakeClock())
    alliance_id = store.create(("Maya", "Jon"), title="Moving in").id
    store.act(alliance_id, lambda a, m: rounds.ask(a, 0, question, m))
    store.act(alliance_id, lambda a, m: rounds.answer(a, 0, answer, m))
    return alliance_id


async def test_once_revealed_the_timeline_no_longer_says_an_answer_is_private(tmp_path: Path) -> None:
    """Before the reveal, "answered the open question (private until both have answered)";
    once both answered, the rows below show the answers, and that row stops saying so in
    the window that was open all along (it said it still, beside the revealed answers)."""
    from alliance_tui.widgets.history_pane import HistoryPane

    path = tmp_path / "round.json"
    alliance_id = maya_answered(path, "What does a good morning look like?", "Coffee first.")
    app = AllianceApp(path, bound_to="Jon", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        history = app.screen.query_one("#history", HistoryPane)

        def rows() -> list[str]:
            return [history.row_plain(i) for i in range(history.row_count)]

        assert any(
            row.endswith("Maya answered the open question  (private until both have answered)")
            for row in rows()
        ), rows()
        await pilot.press("b", *"A hug.", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, RoundAnswersScreen), "revealed: the answers side by side"
        assert Store(path).load(alliance_id).round is None
        shown = rows()
        assert not any("private until" in row for row in shown), shown
        assert any(row.endswith("Maya answered the question") for row in shown), shown
        assert any("Maya revealed their answer" in row and "Coffee first." in row for row in shown), shown


def test_an_answer_in_the_open_round_is_private_one_in_an_earlier_round_is_not_said_so(desk: Desk) -> None:
    from alliance_tui.widgets.render import event_prompt

    desk.do(rounds.ask, "First?", by=SARAH)
    desk.do(rounds.answer, "One.", by=SARAH)
    first = desk.history[-1]
    assert event_prompt(desk.a, seen_event(first, PETER)).plain.endswith(
        "Sarah answered the open question  (private until both have answered)"
    )
    desk.do(rounds.answer, "Two.", by=PETER)
    desk.do(rounds.ask, "Second?", by=PETER)
    assert event_prompt(desk.a, seen_event(first, PETER)).plain.endswith("Sarah answered the question")
    desk.do(rounds.answer, "Three.", by=SARAH)
    assert event_prompt(desk.a, seen_event(desk.history[-1], PETER)).plain.endswith(
        "(private until both have answered)"
    ), "the round open now"


async def test_a_notice_given_as_a_dialog_opens_shows_once(tmp_path: Path) -> None:
    """The reveal says so and opens the answers side by side: the notice showed twice,
    the main screen's copy dimmed through the dialog above the dialog's own."""
    from textual.widgets._toast import Toast

    path = tmp_path / "round.json"
    maya_answered(path, "Evenings?", "Reading.")
    app = AllianceApp(path, bound_to="Jon", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        main = app.screen
        await pilot.press("b", *"A walk.", "enter")
        for _ in range(4):
            await pilot.pause()
        assert isinstance(app.screen, RoundAnswersScreen)
        shown = [toast for screen in app.screen_stack for toast in screen.query(Toast) if toast.visible]
        assert [str(toast.render()) for toast in shown] == [
            "Both answered: the answers are revealed, and each is now its author's draft."
        ]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main
        assert [toast.visible for toast in main.query(Toast)] == [True], "back: its notices show again"
