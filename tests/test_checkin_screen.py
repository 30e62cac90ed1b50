"""A whole check-in at one shared keyboard, by the documented keys (SPEC §12, issue 14):
the review-due notice on open, `h`, Ann rates with 1 2 3 and a note, passes with ctrl+t,
Bob rates without seeing hers, the reveal with the not-working line first, a reopen one
key away, and the next review date at the end — then the file and the JSON export."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.content import Content

from alliance_tui.app import AllianceApp
from alliance_tui.cli import main as cli_main
from alliance_tui.dialogs.line_editor import LineEditor
from alliance_tui.dialogs.review_date import ReviewDateDialog
from alliance_tui.domain import Kind, State, checkins, rules
from alliance_tui.domain.model import Rating
from alliance_tui.screens.checkin import CheckInScreen
from alliance_tui.screens.negotiation import NegotiationScreen
from alliance_tui.store import Store
from alliance_tui.widgets.wrapped_list import WrappedList

from .conftest import FakeClock

LINES = (
    "Quiet mornings until Ann's first coffee.",
    "Whoever cooks does not wash up.",
    "One evening each to ourselves.",
)


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def agreed_alliance(path: Path, *, coach: str | None = None) -> tuple[str, list[int]]:
    """Ann and Bob, a couple, three agreed lines, and a review date that has passed."""
    store = Store(path, clock=FakeClock())
    alliance_id = store.create(("Ann", "Bob"), title="Home", kind=Kind.COUPLE, coach=coach).id
    ids = []
    for text in LINES:
        line = store.act(alliance_id, lambda a, m, t=text: rules.draft(a, 0, t, m)).outcome.lines[0]
        store.act(alliance_id, lambda a, m, n=line.id: rules.propose(a, 0, n, m))
        store.act(alliance_id, lambda a, m, n=line.id: rules.accept(a, 1, n, m))
        ids.append(line.id)
    assert store.load(alliance_id).active == 0  # a shared window opens with Ann
    store.update(alliance_id, review_on=date(2026, 3, 1))
    return alliance_id, ids


def rows(app: AllianceApp) -> list[str]:
    listing = app.screen.query_one("#checkin-lines", WrappedList)
    return [listing.row_plain(n) for n in range(listing.row_count)]


def said(app: AllianceApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_whole_check_in_at_one_shared_keyboard(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "home.json"
    alliance_id, (quiet, cooks, evening) = agreed_alliance(path)
    app = AllianceApp(path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Review due: the review date has passed; h starts a check-in, to re-design together." in said(
            app
        )
        assert str(app.screen.query_one("#agreement", WrappedList).border_subtitle) == "", "no marks yet"
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)
        assert all("· not rated" in row for row in rows(app)) and len(rows(app)) == 3
        await pilot.press("1")  # line 1 working; the selection moves on to line 2
        await pilot.press("up", "n")
        await pilot.pause()
        await pilot.press(*"Mostly, yes.", "enter")
        await pilot.pause()
        app.clear_notifications()
        await pilot.press("enter")
        await pilot.pause()
        assert said(app) == [
            "2 lines still to rate (lines 2, 3): 1, 2 or 3 rates the selected line, then enter finishes."
        ]
        await pilot.press("down", "3", "2")  # line 2 not working, line 3 wobbly
        await pilot.pause()
        assert "✗ not working" in rows(app)[1] and "note: Mostly, yes." in rows(app)[0]
        await pilot.press("enter")  # Ann has finished
        await pilot.pause()
        mid = Store(path).load(alliance_id)
        assert mid.checkin is not None and mid.checkin.done == {0}
        assert mid.checkin.ratings[0] == {
            quiet: (Rating.WORKING, "Mostly, yes."),
            cooks: (Rating.NOT_WORKING, None),
            evening: (Rating.WOBBLY, None),
        }
        await pilot.press("ctrl+t")  # Bob takes the keyboard: none of Ann's ratings show
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)
        shown = "\n".join(rows(app))
        assert "not working" not in shown and "wobbly" not in shown and "Mostly" not in shown
        assert all("· not rated" in row for row in rows(app))
        await pilot.press("1", "2", "1", "enter")  # Bob rates, finishes: the reveal
        await pilot.pause()
        assert app.screen.showing == 0
        assert rows(app)[0].startswith("✗ Not working for at least one of you")
        assert rows(app)[1].startswith(f"  {cooks}. {LINES[1]}"), "the not-working line first"
        assert "Ann ✗ not working" in rows(app)[1] and "Bob ~ wobbly" in rows(app)[1]
        assert app.screen.selected().id == cooks  # type: ignore[union-attr]
        await pilot.press("r")  # one key away from reopening it
        await pilot.pause()
        assert isinstance(app.screen, LineEditor)
        await pilot.press("end", *" Whoever washes up chooses the music.", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)
        await pilot.press("enter")  # the check-in ends with the next review date
        await pilot.pause()
        assert isinstance(app.screen, ReviewDateDialog)
        suggested = checkins.next_review(Kind.COUPLE, app.today())
        assert app.screen.query_one("#value").value == suggested.isoformat()  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
        assert f"The next review is on {suggested.isoformat()}." in said(app)
        agreement = app.screen.query_one("#agreement", WrappedList)
        marks = [agreement.row_plain(n) for n in range(agreement.row_count)]
        assert any(row.endswith(f"{LINES[1]}  ⟳ change pending  ✗") for row in marks), marks
        legend = Content.from_markup(str(agreement.border_subtitle)).plain
        assert legend == "✓ working  ~ wobbly  ✗ not working"  # what the marks mean
    a = Store(path).load(alliance_id)
    assert a.review_on == suggested and a.checkin is None and len(a.checkins) == 1
    assert a.lines[cooks].state is State.PROPOSED and a.lines[cooks].offered.by == 1  # type: ignore[union-attr]
    assert cli_main(["export", alliance_id, "--format", "json", "--db", str(path)]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["checkins"] == [
        {
            "at": exported["checkins"][0]["at"],
            "ratings": [
                {"line": quiet, "partner": "Ann", "rating": "working", "note": "Mostly, yes."},
                {"line": quiet, "partner": "Bob", "rating": "working", "note": None},
                {"line": cooks, "partner": "Ann", "rating": "not_working", "note": None},
                {"line": cooks, "partner": "Bob", "rating": "wobbly", "note": None},
                {"line": evening, "partner": "Ann", "rating": "wobbly", "note": None},
                {"line": evening, "partner": "Bob", "rating": "working", "note": None},
            ],
        }
    ]
    actions = [(e["action"], e["actor"], e["reason"]) for e in exported["history"]]
    assert ("checked_in", "Ann", "finished") in actions and ("checked_in", "Bob", "revealed") in actions
    assert ("review_set", "Bob", None) in actions


async def test_the_coach_is_not_offered_h_and_is_told_why(tmp_path: Path) -> None:
    path = tmp_path / "home.json"
    agreed_alliance(path, coach="Cleo")
    app = AllianceApp(path, bound_to="Cleo", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "check_in" not in {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}
        app.clear_notifications()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
        assert said(app) == [
            "Cleo, the coach, does not rate: each partner rates the agreement privately, and the ratings "
            "show to everyone once both have finished."
        ]


async def test_a_window_waiting_on_the_other_shows_the_reveal_and_the_coach_reads_it(tmp_path: Path) -> None:
    """Ann, in her own window, finishes and waits; Bob finishes in his: Ann's check-in
    screen turns to the revealed ratings. The coach reads them from the palette, and can
    change nothing there."""
    from alliance_tui.screens.checkin import REVEALED

    from .conftest import choose_in_palette

    path = tmp_path / "home.json"
    alliance_id, lines = agreed_alliance(path, coach="Cleo")
    app = AllianceApp(path, bound_to="Ann", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        await choose_in_palette(app, "Rate: not working")  # the palette rates too
        await pilot.press("1", "2", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CheckInScreen) and screen.showing is None
        assert "Ann has finished." in str(screen.query_one("#checkin-about").render())
        bob = Store(path, clock=FakeClock())
        for line in lines:
            bob.act(alliance_id, lambda a, m, n=line: checkins.rate(a, 1, n, Rating.WORKING, m))
        bob.act(alliance_id, lambda a, m: checkins.finish(a, 1, m))
        screen.poll()
        await pilot.pause()
        assert screen.showing == 0
        assert rows(app)[1].startswith(f"  {lines[0]}. {LINES[0]}")
    coach = AllianceApp(path, bound_to="Cleo", clock=FakeClock(), poll_seconds=None)
    async with coach.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await choose_in_palette(coach, "Last check-in")
        await pilot.pause()
        assert isinstance(coach.screen, CheckInScreen) and coach.screen.showing == 0
        assert "Ann ✗ not working" in rows(coach)[1]
        coach.clear_notifications()
        await pilot.press("1")
        await pilot.pause()
        assert said(coach) == [REVEALED]
        coach.clear_notifications()
        await pilot.press("r")
        await pilot.pause()
        assert said(coach) == ["Only the two partners negotiate the agreement."]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(coach.screen, NegotiationScreen)
    assert Store(path).load(alliance_id).checkins[0].ratings[0].rating is Rating.NOT_WORKING


async def test_ratings_typed_in_one_burst_are_all_given_before_enter_finishes(tmp_path: Path) -> None:
    """Three ratings and `enter` in one terminal read (a fast typist over SSH): every
    rating typed ahead of `enter` is given before it finishes."""
    from .test_bursts import burst

    path = tmp_path / "home.json"
    alliance_id, lines = agreed_alliance(path)
    app = AllianceApp(path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        await burst(pilot, "3", "2", "1", "enter")
        await pilot.pause()
        assert not [n for n in said(app) if "still to rate" in n]
    checkin = Store(path).load(alliance_id).checkin
    assert checkin is not None and checkin.done == {0}
    assert checkin.ratings[0] == {
        lines[0]: (Rating.NOT_WORKING, None),
        lines[1]: (Rating.WOBBLY, None),
        lines[2]: (Rating.WORKING, None),
    }


async def test_a_check_in_screen_whose_alliance_is_deleted_elsewhere_steps_away(tmp_path: Path) -> None:
    path = tmp_path / "home.json"
    alliance_id, _ = agreed_alliance(path)
    Store(path, clock=FakeClock()).create(("Cy", "Di"), title="Another")
    app = AllianceApp(path, alliance="Home", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CheckInScreen)
        Store(path).delete_alliance(alliance_id)
        screen.poll()
        await pilot.pause()
        await pilot.pause()
        assert not [s for s in app.screen_stack if isinstance(s, (CheckInScreen, NegotiationScreen))]
        assert "This alliance was deleted in another window." in said(app)


async def test_passing_a_check_in_through_a_passphrase_shows_the_taker_only_their_own(tmp_path: Path) -> None:
    """Bob guards his seat: ctrl+t on Ann's check-in asks his passphrase; typed, the
    screen is his, with none of Ann's ratings; then the coach's seat shows none at all."""
    from alliance_tui.dialogs.field import FieldDialog
    from alliance_tui.domain import alliance_rules

    path = tmp_path / "home.json"
    alliance_id, _ = agreed_alliance(path, coach="Cleo")
    Store(path, clock=FakeClock()).act(
        alliance_id, lambda a, m: alliance_rules.set_passphrase(a, 1, "bob's secret", m)
    )
    app = AllianceApp(path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h", "3", "3")
        await pilot.pause()
        assert sum("✗ not working" in row for row in rows(app)) == 2
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, FieldDialog)
        await pilot.press(*"bob's secret", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen) and app.screen.view.me.role == 1
        assert all("· not rated" in row for row in rows(app))
        assert "Bob's ratings" in str(app.screen.sub_title)
        await pilot.press("ctrl+t")  # → Cleo, the coach
        await pilot.pause()
        assert all("· not rated" in row for row in rows(app))
        assert "Cleo, the coach, does not rate." in str(app.screen.query_one("#checkin-about").render())
        app.clear_notifications()
        await pilot.press("1")
        await pilot.pause()
        assert said(app)[0].startswith("Cleo, the coach, does not rate")


async def test_a_note_typed_when_the_app_leaves_is_kept_private(tmp_path: Path) -> None:
    """A private note half-typed when the app leaves (a tab closed, ctrl+q) is kept as
    a note saved with `enter` would be (issue 12); escape throws it away only twice."""
    path = tmp_path / "home.json"
    alliance_id, lines = agreed_alliance(path)
    app = AllianceApp(path, bound_to="Ann", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)
        await pilot.press("3", "up", "n", *"Too early for")  # rated, then back to it
        await pilot.pause()
        dialog = app.screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is dialog, "one escape does not throw a note away"
        app.exit()
        await pilot.pause()
    checkin = Store(path).load(alliance_id).checkin
    assert checkin is not None and checkin.ratings[0][lines[0]] == (Rating.NOT_WORKING, "Too early for")
    assert checkin.done == set()
    assert app.window.kept == [
        f"What Ann typed as their note on line {lines[0]} in “Home” is kept, "
        "private until both have checked in."
    ]


async def test_what_cannot_be_kept_is_said_on_leaving(tmp_path: Path) -> None:
    """A note on a line not rated yet cannot be kept (a note belongs to a rating): the
    app says so, with the rule's reason, as its last words, and the file is unchanged."""
    path = tmp_path / "home.json"
    alliance_id, lines = agreed_alliance(path)
    before = path.read_bytes()
    app = AllianceApp(path, bound_to="Ann", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h", "n", *"Later")
        await pilot.pause()
        app.exit()
        await pilot.pause()
    assert app.window.kept == [
        f"What was typed in the open note could not be kept: Rate line {lines[0]} first (1, 2 or 3), "
        "then write its note. It read: “Later”"
    ]
    assert path.read_bytes() == before
    assert Store(path).load(alliance_id).checkin is None


async def test_a_review_date_set_by_one_partner_is_offered_to_the_other(tmp_path: Path) -> None:
    """Bob ends his side of the check-in after Ann set the next review date: his dialog
    offers her date, says it is set, and `enter` keeps it (it replaced hers with the
    default by kind, silently)."""
    from alliance_tui.domain.alliance_rules import set_review

    path = tmp_path / "home.json"
    alliance_id, _ = agreed_alliance(path)
    app = AllianceApp(path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h", "1", "1", "1", "enter", "ctrl+t")  # Ann rates and finishes
        await pilot.press("1", "1", "1", "enter")  # Bob too: the reveal
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen) and app.screen.showing == 0
        ann_chose = app.today() + timedelta(days=14)
        Store(path, clock=FakeClock()).act(alliance_id, lambda a, m: set_review(a, 0, ann_chose, m))
        await pilot.press("enter")  # no poll ran since: the date is read as the dialog opens
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReviewDateDialog)
        assert dialog.query_one("#value").value == ann_chose.isoformat()  # type: ignore[attr-defined]
        context = str(dialog.query_one("#context").render())
        assert f"The next review is set for {ann_chose.isoformat()} already: enter keeps it" in context
        await pilot.press("enter")
        await pilot.pause()
        assert f"The next review is on {ann_chose.isoformat()}." in said(app)
    a = Store(path).load(alliance_id)
    assert a.review_on == ann_chose
    history = Store(path).history(alliance_id)
    assert [e.actor for e in history if e.action == "review_set"] == [0], "Bob changed nothing"
