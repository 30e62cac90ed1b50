"""Adding, changing or removing the coach after creation (issue 13, SPEC §2 "Consent for
the whole alliance", §11): the partners' decision, consented to like a rename; never the
coach's. The rules first, then the file and export, then the windows that sit there."""

from __future__ import annotations

import json
from pathlib import Path

from alliance_tui.domain import Action, rounds, rules
from alliance_tui.domain.alliance_rules import (
    accept_change,
    decline_change,
    flag,
    note,
    pending_change,
    rename,
    set_coach,
)
from alliance_tui.domain.export import to_json
from alliance_tui.domain.model import COACH
from alliance_tui.domain.views import actor_names, turn
from alliance_tui.store import Store

from .conftest import FakeClock, choose_in_palette
from .desk import PETER, SARAH, Desk
from .test_alliance_consent import agreed_file

COACH_ONLY = (
    "Only the two partners change the alliance itself, its coach included: the coach never decides for them."
)


def test_before_anything_is_agreed_either_partner_adds_changes_or_removes_the_coach_alone(
    desk: Desk,
) -> None:
    desk.do(set_coach, "  Dana ", by=PETER)
    assert desk.a.coach == "Dana" and desk.a.change is None
    event = desk.history[-1]
    assert (event.action, event.actor, event.text, event.before) == (Action.COACH_SET, PETER, "Dana", None)
    desk.do(set_coach, "Eve", by=SARAH)
    assert (desk.a.coach, desk.history[-1].before) == ("Eve", "Dana")
    desk.do(set_coach, None, by=SARAH)
    assert desk.a.coach is None
    assert (desk.history[-1].text, desk.history[-1].before) == (None, "Eve")


def test_once_agreed_a_new_coach_waits_for_the_other_partner(desk: Desk) -> None:
    desk.agreed()
    desk.do(set_coach, "Dana", by=SARAH)
    assert desk.a.coach is None, "nothing changes until Peter answers"
    proposed = desk.history[-1]
    assert (proposed.action, proposed.reason, proposed.text) == (Action.CHANGE_PROPOSED, "coach", "Dana")
    assert pending_change(desk.a) == "Sarah proposes to add Dana as coach; it waits for Peter"
    assert "Sarah proposes to add Dana as coach" in turn(desk.a, PETER).describe()
    desk.refuse(accept_change, by=SARAH, why="Sarah proposed this, so Peter has to answer it.")
    desk.refuse(
        rename,
        "Other",
        by=PETER,
        why="Sarah's proposal to add Dana as coach waits for an answer first.",
    )
    desk.do(accept_change, by=PETER)
    assert desk.a.coach == "Dana" and desk.a.change is None
    done = desk.history[-1]
    assert (done.action, done.actor, done.text, done.before) == (Action.COACH_SET, PETER, "Dana", None)


def test_a_change_or_removal_of_the_coach_can_be_declined(desk: Desk) -> None:
    desk.a.coach = "Dana"
    desk.agreed()
    desk.do(set_coach, "Eve", by=PETER)
    assert pending_change(desk.a) == "Peter proposes to change the coach from Dana to Eve; it waits for Sarah"
    desk.do(decline_change, by=SARAH)
    assert desk.a.coach == "Dana" and desk.a.change is None
    declined = desk.history[-1]
    assert (declined.action, declined.reason, declined.text, declined.before) == (
        Action.CHANGE_DECLINED,
        "coach",
        "Eve",
        "Dana",
    )
    desk.do(set_coach, None, by=SARAH)
    assert pending_change(desk.a) == "Sarah proposes to remove the coach (Dana); it waits for Peter"
    desk.do(accept_change, by=PETER)
    assert desk.a.coach is None and desk.a.seats() == (0, 1)


def test_the_coach_never_proposes_or_answers_a_change_of_coach(desk: Desk) -> None:
    desk.a.coach = "Dana"
    desk.refuse(set_coach, None, by=COACH, why=COACH_ONLY)
    desk.refuse(set_coach, "Eve", by=COACH, why=COACH_ONLY)
    desk.agreed()
    desk.do(set_coach, None, by=SARAH)
    desk.refuse(accept_change, by=COACH, why=COACH_ONLY)
    desk.refuse(decline_change, by=COACH, why=COACH_ONLY)
    desk.refuse(rename, "Theirs", by=COACH, why=COACH_ONLY)


def test_a_coachs_name_is_cleaned_and_checked_like_a_partners(desk: Desk) -> None:
    desk.refuse(set_coach, "   ", by=SARAH, why="The coach's name cannot be empty.")
    desk.refuse(
        set_coach, "x" * 41, by=SARAH, why="The coach's name can be at most 40 characters (41 typed)."
    )
    desk.refuse(
        set_coach, " peter ", by=SARAH, why="The coach needs a name of their own ('peter' is a partner)."
    )
    desk.refuse(set_coach, None, by=SARAH, why="This alliance has no coach to remove.")
    desk.do(set_coach, " [b]Dana ", by=SARAH)
    assert desk.a.coach == "[b]Dana", "trimmed, and kept as typed (shown as text, never markup)"
    desk.refuse(set_coach, "[b]Dana", by=PETER, why="[b]Dana is already the coach.")
    desk.do(set_coach, "x" * 40, by=PETER)
    assert desk.a.coach == "x" * 40


def test_removing_the_coach_gives_the_shared_seat_back_and_takes_the_marks_away(desk: Desk) -> None:
    desk.a.coach = "Dana"
    line = desk.agreed()
    desk.do(flag, line, by=COACH)
    desk.do(rules.pass_keyboard, by=desk.a.active)
    while desk.a.active != COACH:
        desk.do(rules.pass_keyboard, by=desk.a.active)
    desk.do(rounds.ask, "What would help?", by=COACH)
    desk.do(set_coach, None, by=SARAH)
    outcome = desk.do(accept_change, by=PETER)
    assert desk.a.active == PETER, "the file's shared seat names a seat that exists"
    assert not desk.a.lines[line].flagged and outcome.lines == [desk.a.lines[line]]
    # The removed coach's question: nobody is left to withdraw it but the partners.
    desk.do(rounds.withdraw_round, by=SARAH)
    assert desk.a.round is None


def test_history_names_each_coach_as_they_were_when_they_acted(desk: Desk) -> None:
    desk.a.coach = "Dana"
    desk.do(note, "Dana's note", by=COACH)
    desk.do(set_coach, "Eve", by=SARAH)
    desk.do(note, "Eve's note", by=COACH)
    names = actor_names(desk.a, desk.history)
    assert names == ["Dana", "Sarah", "Eve"]
    assert actor_names(desk.a, desk.history, 1) == ["Sarah", "Eve"]
    exported = to_json(desk.a, desk.history)
    assert exported["alliance"]["coach"] == "Eve"
    assert [(e["actor"], e["action"]) for e in exported["history"]] == [
        ("Dana", "noted"),
        ("Sarah", "coach_set"),
        ("Eve", "noted"),
    ]


def test_the_file_keeps_a_proposed_change_of_coach_and_the_export_follows(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    store = Store(path, clock=FakeClock())
    alliance_id = store.create(("Ann", "Bob"), coach="Cleo").id
    line = store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Quiet", m)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, line, m))
    store.act(alliance_id, lambda a, m: rules.accept(a, 1, line, m))
    store.act(alliance_id, lambda a, m: set_coach(a, 1, None, m))
    reopened = Store(path)
    change = reopened.load(alliance_id).change
    assert change is not None and (change.what, change.value, change.by) == ("coach", None, 1)
    reopened.act(alliance_id, lambda a, m: accept_change(a, 0, m))
    a = Store(path).load(alliance_id)
    exported = to_json(a, Store(path).history(alliance_id))
    assert exported["alliance"]["coach"] is None
    last = exported["history"][-1]
    assert (last["action"], last["actor"], last["text"], last["before"]) == ("coach_set", "Ann", None, "Cleo")
    Store(path).act(alliance_id, lambda a, m: set_coach(a, 0, "Dana", m))
    Store(path).act(alliance_id, lambda a, m: accept_change(a, 1, m))
    assert json.loads(json.dumps(to_json(Store(path).load(alliance_id), [])))["alliance"]["coach"] == "Dana"


# -- in the app: the palette, the alliance list, and the windows that sit there -----------

from textual.widgets import Input  # noqa: E402

from alliance_tui.app import AllianceApp  # noqa: E402
from alliance_tui.dialogs.field import FieldDialog  # noqa: E402
from alliance_tui.domain.seats import Seat  # noqa: E402
from alliance_tui.screens.alliance_list import AllianceListScreen  # noqa: E402
from alliance_tui.screens.negotiation import NegotiationScreen  # noqa: E402


def _said(app: AllianceApp) -> list[str]:
    return [n.message for n in app._notifications]


def _turn(app: AllianceApp) -> str:
    return str(app.screen.query_one("#turn").render())


async def test_a_partner_proposes_a_coach_from_the_palette_and_the_other_accepts_with_a(
    db_path: Path,
) -> None:
    alliance_id = agreed_file(db_path)
    app = AllianceApp(db_path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, NegotiationScreen) and app.screen.me.role == 0
        await pilot.press("ctrl+p", *"Add or change the coach")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FieldDialog)
        await pilot.press(*"Bob", "enter")  # a partner's name: refused, and kept in the field
        await pilot.pause()
        assert isinstance(app.screen, FieldDialog)
        error = str(app.screen.query_one("#error").render())
        assert "The coach needs a name of their own ('Bob' is a partner)." in error
        app.screen.query_one("#value", Input).value = "Dana"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
        assert "Proposed to Bob: add Dana as coach. It takes effect once Bob accepts." in _said(app)
        assert "Ann proposes to add Dana as coach; it waits for Bob" in _turn(app)
        assert Store(db_path).load(alliance_id).coach is None, "nothing changes before Bob answers"

        await pilot.press("ctrl+t")  # Bob takes the keyboard, and answers in the list
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, AllianceListScreen)
        keys = str(app.screen.query_one("#keys").render())
        assert "a accept (or archive) · x decline a proposed change" in keys
        await pilot.press("a")
        await pilot.pause()
        assert "Done: both agreed to the change." in _said(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
        assert app.screen.alliance.coach == "Dana"
        assert app.screen.alliance.seats() == (0, 1, COACH), "ctrl+t now passes to Dana after Bob"
    a = Store(db_path).load(alliance_id)
    assert a.coach == "Dana" and a.change is None
    history = [(e.action, e.actor, e.text, e.before) for e in Store(db_path).history(alliance_id)]
    assert history[-3][:3] == (Action.CHANGE_PROPOSED, 0, "Dana")
    assert history[-2][:2] == (Action.PASSED, 0)
    assert history[-1] == (Action.COACH_SET, 1, "Dana", None)


async def test_the_alliance_list_names_and_removes_a_coach_with_c(db_path: Path) -> None:
    alliance_id = Store(db_path, clock=FakeClock()).create(("Ann", "Bob"), title="Studio", coach="Dana").id
    app = AllianceApp(db_path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, FieldDialog)
        app.screen.query_one("#value", Input).value = ""  # empty: no coach
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AllianceListScreen)
        assert "Dana is no longer the coach of “Studio”." in _said(app)
    assert Store(db_path).load(alliance_id).coach is None, "nothing agreed yet: at once"


async def test_the_coach_is_not_offered_a_change_of_coach(db_path: Path) -> None:
    alliance_id = agreed_file(db_path, coach="Dana")
    Store(db_path).act(alliance_id, lambda a, m: set_coach(a, 0, "Eve", m))
    app = AllianceApp(db_path, bound_to="Dana", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        assert "Ann proposes to change the coach from Dana to Eve; it waits for Bob" in _turn(app)
        for name in ("Remove the coach", "Accept the proposed change", "Add or change the coach"):
            app.clear_notifications()
            await choose_in_palette(app, name)
            await pilot.pause()
            assert _said(app) == [COACH_ONLY], name
            assert isinstance(app.screen, NegotiationScreen), "no dialog opens"
    assert Store(db_path).load(alliance_id).coach == "Dana"


async def test_a_shared_window_on_the_coachs_seat_passes_to_a_partner_when_the_coach_goes(
    db_path: Path,
) -> None:
    alliance_id = agreed_file(db_path, coach="Dana")
    app = AllianceApp(db_path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+t", "ctrl+t")  # Ann → Bob → Dana
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, NegotiationScreen) and screen.me == Seat(COACH, bound=False)
        other = Store(db_path, clock=FakeClock())  # Ann and Bob, in windows of their own
        other.act(alliance_id, lambda a, m: set_coach(a, 0, None, m))
        other.act(alliance_id, lambda a, m: accept_change(a, 1, m))
        screen.poll()
        await pilot.pause()
        assert screen.me == Seat(1, bound=False), "the partner who answered last holds the file's seat"
        moved = "Dana is no longer the coach here, so their seat is gone: Bob has the keyboard now."
        assert moved in _said(app)
        assert _turn(app).startswith("▶ Bob is at the keyboard")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FieldDialog) or type(app.screen).__name__ == "LineEditor"


async def test_a_window_bound_to_a_removed_coach_acts_as_nobody_and_says_why(db_path: Path) -> None:
    alliance_id = agreed_file(db_path, coach="Dana")
    app = AllianceApp(db_path, bound_to="Dana", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, NegotiationScreen)
        await pilot.press("o")  # Dana starts a note while the partners decide
        await pilot.pause()
        assert isinstance(app.screen, FieldDialog)
        await pilot.press(*"They listen well")
        other = Store(db_path, clock=FakeClock())
        other.act(alliance_id, lambda a, m: set_coach(a, 0, "Eve", m))
        other.act(alliance_id, lambda a, m: accept_change(a, 1, m))
        await pilot.press("enter")  # saved as Eve? never: refused with a sentence
        await pilot.pause()
        assert isinstance(app.screen, FieldDialog), "what Dana typed stays in the field"
        assert app.screen.query_one("#value", Input).value == "They listen well"
        error = str(app.screen.query_one("#error").render())
        assert "Not saved: Dana is no longer at “Studio”: the partners agreed that Eve is its coach" in error
        await pilot.press("escape", "escape")  # typed: the first escape only warns
        screen.poll()
        await pilot.pause()
        gone = "Dana is no longer at “Studio”: the partners agreed that Eve is its coach now."
        assert _turn(app).startswith(f"▶ {gone}")
        await pilot.press("o")
        await pilot.pause()
        assert app.screen is screen, "no dialog opens"
        assert any(said.startswith(gone) for said in _said(app))
    events = Store(db_path).history(alliance_id)
    assert not [e for e in events if e.action is Action.NOTED], "nothing saved as Eve"


def test_a_file_whose_proposed_coach_is_not_a_name_is_refused_with_a_sentence() -> None:
    import pytest

    from alliance_tui.store.records import alliance_in, alliance_out

    desk = Desk()
    desk.agreed()
    desk.do(set_coach, "Dana", by=SARAH)
    record = alliance_out(desk.a)
    assert alliance_in(record).change == desk.a.change
    for value, said in ((["Dana"], "a list, not text"), ("x" * 41, "not a name"), ("  ", "not a name")):
        record["change"]["value"] = value
        refused = f"^the new coach in the change proposed to alliance a1 is .*{said}$"
        with pytest.raises(ValueError, match=refused):
            alliance_in(record)
    record["change"] = {"what": "coach", "value": None, "by": 0, "at": record["created_at"]}
    assert alliance_in(record).change is not None


def test_the_timeline_and_the_news_say_who_came_and_who_went(desk: Desk) -> None:
    from alliance_tui.domain.views import news
    from alliance_tui.widgets.render import event_prompt

    desk.a.coach = "Dana"
    desk.agreed()
    desk.do(set_coach, None, by=SARAH)
    desk.do(accept_change, by=PETER)
    desk.do(set_coach, "[b]Eve", by=SARAH)  # alone? no: something is agreed, so proposed
    desk.do(accept_change, by=PETER)
    rows = [event_prompt(desk.a, event).plain.split("  ", 1)[1] for event in desk.history[-4:]]
    assert rows == [
        "Sarah proposed to remove the coach Dana",
        "Peter agreed to remove the coach Dana",
        "Sarah proposed to make [b]Eve the coach",
        "Peter agreed to make [b]Eve the coach",
    ]
    assert news(desk.a, desk.history[-1], SARAH) == "Peter made [b]Eve the coach."
    assert news(desk.a, desk.history[-3], SARAH) == "Peter removed the coach, Dana."


async def test_a_window_bound_to_the_coach_lists_the_alliance_and_answers_nothing_there(
    db_path: Path,
) -> None:
    alliance_id = agreed_file(db_path, coach="Dana")
    Store(db_path).act(alliance_id, lambda a, m: set_coach(a, 0, None, m))
    app = AllianceApp(db_path, bound_to="Dana", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, AllianceListScreen)
        assert app.screen.alliances and app.screen.alliances[0].id == alliance_id
        keys = str(app.screen.query_one("#keys").render())
        assert not keys.startswith("a accept"), "a change of coach never waits for the coach"
        await pilot.press("x")
        await pilot.pause()
        assert COACH_ONLY in _said(app)
    assert Store(db_path).load(alliance_id).change is not None


async def test_before_anything_is_agreed_the_palette_names_and_removes_the_coach_at_once(
    db_path: Path,
) -> None:
    alliance_id = Store(db_path, clock=FakeClock()).create(("Ann", "Bob"), title="Studio").id
    app = AllianceApp(db_path, bound_to="Bob", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await choose_in_palette(app, "Add or change the coach")
        await pilot.pause()
        assert isinstance(app.screen, FieldDialog)
        await pilot.press(*"Dana", "enter")
        await pilot.pause()
        assert "Dana is the coach now, in a seat of their own." in _said(app)
        assert Store(db_path).load(alliance_id).coach == "Dana"
        await choose_in_palette(app, "Remove the coach")
        await pilot.pause()
        assert "Dana is no longer the coach here." in _said(app)
        app.clear_notifications()
        await choose_in_palette(app, "Remove the coach")
        await pilot.pause()
        assert _said(app) == ["This alliance has no coach to remove."]
    assert Store(db_path).load(alliance_id).coach is None


async def test_a_change_of_coach_accepted_in_the_list_shows_in_the_timeline_under_the_right_names(
    tmp_path: Path,
) -> None:
    """Played as people would: Peter accepts Sarah's proposal (ctrl+o, a) and closes the
    list. The timeline shows the change, and Dana's old note is still Dana's (the list's
    save, made in this window, once never reached the main screen's timeline)."""
    from alliance_tui.app import AllianceApp
    from alliance_tui.widgets.history_pane import HistoryPane

    path = tmp_path / "a.json"
    store = Store(path, clock=FakeClock())
    alliance_id = store.create(("Sarah", "Peter"), title="Evenings", coach="Dana").id
    line = (
        store.act(alliance_id, lambda a, m: rules.draft(a, SARAH, "Quiet evenings.", m)).outcome.lines[0].id
    )
    store.act(alliance_id, lambda a, m: rules.propose(a, SARAH, line, m))
    store.act(alliance_id, lambda a, m: rules.accept(a, PETER, line, m))
    store.act(alliance_id, lambda a, m: note(a, COACH, "They both light up at quiet.", m))
    store.act(alliance_id, lambda a, m: set_coach(a, SARAH, "Sam", m))
    store.act(alliance_id, lambda a, m: rules.pass_keyboard(a, SARAH, m))
    app = AllianceApp(path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        history = app.screen.query_one("#history", HistoryPane)
        rows = [history.row_plain(i) for i in range(history.row_count)]
        assert any(row.endswith("Peter agreed to make Sam the coach, after Dana") for row in rows), rows
        assert any("Dana noted: They both light up at quiet." in row for row in rows), rows
        assert not any("Sam noted" in row for row in rows), rows
