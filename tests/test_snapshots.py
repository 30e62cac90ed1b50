"""SVG snapshots of every screen, at 80x24 and 120x40 (pytest-textual-snapshot).

The baselines live in tests/__snapshots__/test_snapshots/. After an intended change to
what the app shows, regenerate them and look at them before committing:

    .venv/bin/python -m pytest tests/test_snapshots.py --snapshot-update
    .venv/bin/python -m pytest tests/test_snapshots.py          # twice: must pass unchanged

A failing run writes snapshot_report.html with the old and new pictures side by side.

Everything that could make a picture differ from run to run is pinned here:
- the data: the demo database, built fresh in tmp_path by `make_demo` (its own fixed clock);
- the app's clock: a fixed moment, and no polling timer (`poll_seconds=None`);
- the time zone: TZ=UTC (the history shows local times);
- the theme: TEXTUAL_THEME and NO_COLOR removed from the environment, and the theme set
  to Textual's default explicitly (Textual reads TEXTUAL_THEME once, at import time);
- the Input cursor: blinking switched off on every Input of the screen being shot;
- toasts: cleared before the picture is taken.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from alliance_tui.app import AllianceApp
from alliance_tui.demo import make_demo
from alliance_tui.domain import Alliance, Kind, Moment, Outcome, checkins, rules
from alliance_tui.domain.model import Rating
from alliance_tui.store import Store

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
THEME = "textual-dark"
FIRST_DEMO = "Living together"
WORDING = "We cook together on Sundays."

pytestmark = pytest.mark.parametrize("size", list(SIZES))


@pytest.fixture(autouse=True)
def steady_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """UTC local time, and no theme or colour setting leaking in from the shell."""
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def fixed_clock() -> datetime:
    return NOW


def demo_app(tmp_path: Path) -> AllianceApp:
    db = tmp_path / "demo.json"
    make_demo(db)
    return AllianceApp(db, alliance=FIRST_DEMO, clock=fixed_clock, poll_seconds=None, demo=True)


def empty_app(tmp_path: Path) -> AllianceApp:
    return AllianceApp(tmp_path / "empty.json", clock=fixed_clock, poll_seconds=None)


def keys_for(text: str) -> list[str]:
    """Characters to type, one key each (the pilot names punctuation itself)."""
    return list(text)


def steps(*keys: str) -> Callable[[Pilot[None]], object]:
    """A `run_before` that presses `keys`, then holds the screen still for the picture.

    The keys are pressed here rather than through snap_compare's `press`, which runs
    after `run_before`: the cursors to stop blinking belong to the screen the keys open.
    """

    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        app.theme = THEME
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
        await pilot.pause()
        for field in app.screen.query(Input):
            field.cursor_blink = False  # the cursor stays shown, and never toggles
        app.clear_notifications()
        await pilot.pause()

    return run_before


def shoot(snap_compare: Callable[..., bool], app: AllianceApp, size: str, keys: Sequence[str] = ()) -> bool:
    return snap_compare(app, terminal_size=SIZES[size], run_before=steps(*keys))


def test_main_screen(snap_compare: Callable[..., bool], tmp_path: Path, size: str) -> None:
    assert shoot(snap_compare, demo_app(tmp_path), size)


def test_line_editor(snap_compare: Callable[..., bool], tmp_path: Path, size: str) -> None:
    assert shoot(snap_compare, demo_app(tmp_path), size, ["n", *keys_for(WORDING)])


def test_help_screen(snap_compare: Callable[..., bool], tmp_path: Path, size: str) -> None:
    assert shoot(snap_compare, demo_app(tmp_path), size, ["f1"])


def test_new_alliance_form(snap_compare: Callable[..., bool], tmp_path: Path, size: str) -> None:
    assert shoot(snap_compare, empty_app(tmp_path), size)


def test_versions_screen(snap_compare: Callable[..., bool], tmp_path: Path, size: str) -> None:
    assert shoot(snap_compare, demo_app(tmp_path), size, ["v"])


def two_versions_app(tmp_path: Path) -> AllianceApp:
    """The first demo alliance, signed again after one line was added and one changed."""
    db = tmp_path / "demo.json"
    make_demo(db)
    store = Store(db, clock=fixed_clock)
    alliance_id = store.find(FIRST_DEMO).id

    def act_as(partner: int, operation: Callable[[Alliance, Moment], Outcome]) -> None:
        if store.load(alliance_id).active != partner:
            store.act(alliance_id, lambda a, m: rules.pass_keyboard(a, a.active, m))
        store.act(alliance_id, operation)

    lines = {line.current.text: line for line in store.load(alliance_id).lines.values()}
    coffee = next(line for text, line in lines.items() if text.startswith("Quiet mornings"))
    cooks = lines["Whoever cooks does not wash up."]
    assert coffee.waiting_for is not None
    act_as(coffee.waiting_for, lambda a, m: rules.accept(a, a.active, coffee.id, m))
    act_as(
        0,
        lambda a, m: rules.reopen(
            a,
            a.active,
            cooks.id,
            m,
            text="Whoever cooks does not wash up, and picks the music.",
            topic="logistics",
        ),
    )
    act_as(1, lambda a, m: rules.accept(a, a.active, cooks.id, m))
    act_as(0, (lambda a, m: rules.sign(a, a.active, m)))
    act_as(1, (lambda a, m: rules.sign(a, a.active, m)))
    return AllianceApp(db, alliance=FIRST_DEMO, clock=fixed_clock, poll_seconds=None)


def many_alliances_app(tmp_path: Path) -> AllianceApp:
    """The demo alliances with review dates (one due), and one archived alliance."""
    db = tmp_path / "demo.json"
    make_demo(db)
    store = Store(db, clock=fixed_clock)
    store.update(store.find("Studio partnership").id, review_on=date(2026, 3, 1))
    store.update(store.find("Working independently").id, review_on=date(2026, 6, 1))
    old = store.create(("Ana", "Ben"), title="Old flat share", kind=Kind.FRIENDS)
    store.update(old.id, archived=True)
    return AllianceApp(db, alliance=FIRST_DEMO, clock=fixed_clock, poll_seconds=None)


def test_versions_compare(snap_compare: Callable[..., bool], tmp_path: Path, size: str) -> None:
    """v1 marked as the base, v2 highlighted: added, changed and unchanged lines."""
    assert shoot(snap_compare, two_versions_app(tmp_path), size, ["v", "down", "c", "up"])


def test_alliance_list(snap_compare: Callable[..., bool], tmp_path: Path, size: str) -> None:
    assert shoot(snap_compare, many_alliances_app(tmp_path), size, ["ctrl+o"])


def coach_app(tmp_path: Path) -> AllianceApp:
    """The demo's coached alliance, in the coach's window, a blind round waiting for Tom."""
    db = tmp_path / "demo.json"
    make_demo(db)
    return AllianceApp(
        db, alliance="Working independently", bound_to="Dana", clock=fixed_clock, poll_seconds=None, demo=True
    )


def test_coach_screen_with_a_round_waiting(
    snap_compare: Callable[..., bool], tmp_path: Path, size: str
) -> None:
    assert shoot(snap_compare, coach_app(tmp_path), size)


#: Three past check-ins of the first demo alliance: (Sarah's, Peter's) rating of each line.
PAST_CHECKINS = (
    ((Rating.WORKING, Rating.WORKING), (Rating.WOBBLY, Rating.WORKING)),
    ((Rating.WORKING, Rating.WOBBLY), (Rating.NOT_WORKING, Rating.WOBBLY)),
    ((Rating.WORKING, Rating.WORKING), (Rating.WOBBLY, Rating.NOT_WORKING)),
)


def checkin_app(tmp_path: Path, *, sarah_rates_all: bool = False) -> AllianceApp:
    """The first demo alliance after three check-ins, a fourth open: Peter has finished,
    Sarah (at the keyboard) has rated the first line with a note, or every line."""
    db = tmp_path / "demo.json"
    make_demo(db)
    store = Store(db, clock=fixed_clock)
    alliance_id = store.find(FIRST_DEMO).id
    lines = [item.line for item in checkins.to_rate(store.load(alliance_id))]

    def rate(partner: int, line: int, rating: Rating) -> None:
        store.act(alliance_id, lambda a, m: checkins.rate(a, partner, line, rating, m))

    for past in PAST_CHECKINS:
        for partner in (0, 1):
            for line, ratings in zip(lines, past, strict=True):
                rate(partner, line, ratings[partner])
            store.act(alliance_id, lambda a, m, p=partner: checkins.finish(a, p, m))
    for line in lines:
        rate(1, line, Rating.WOBBLY)
    store.act(alliance_id, lambda a, m: checkins.finish(a, 1, m))
    rate(0, lines[0], Rating.WORKING)
    store.act(alliance_id, lambda a, m: checkins.write_note(a, 0, lines[0], "Tuesdays work [best].", m))
    if sarah_rates_all:
        rate(0, lines[1], Rating.NOT_WORKING)
    return AllianceApp(db, alliance=FIRST_DEMO, clock=fixed_clock, poll_seconds=None, demo=True)


def test_checkin_screen(snap_compare: Callable[..., bool], tmp_path: Path, size: str) -> None:
    """Sarah's own ratings, one line rated with a note; Peter's (finished) not shown."""
    assert shoot(snap_compare, checkin_app(tmp_path), size, ["h"])


def test_checkin_revealed(snap_compare: Callable[..., bool], tmp_path: Path, size: str) -> None:
    """Sarah finishes: both ratings revealed, the line not working first."""
    assert shoot(snap_compare, checkin_app(tmp_path, sarah_rates_all=True), size, ["h", "enter"])


LONG_CLAUSES = (
    (
        "logistics",
        "Sam sends Sue work at least three working days before it is due; when that cannot be, "
        "he says so the day he knows, and Sue decides whether she takes it or he does it himself.",
    ),
    ("communication", "We answer messages within half a working day."),
    (
        "feedback",
        "When something is not working for one of us, we say it out loud the same week, in "
        "person or by phone rather than in writing, and the other listens to the end before "
        "answering.",
    ),
    (
        None,
        "Each of us keeps one day a week without meetings, and the other protects it as if it "
        "were their own: no calls, no 'quick questions', nothing that could wait until the next "
        "morning.",
    ),
)


def long_clauses_app(tmp_path: Path) -> AllianceApp:
    """An agreement of long clauses, each agreed by the partner who did not write it."""
    db = tmp_path / "long.json"
    store = Store(db, clock=fixed_clock)
    a = store.create(("Sue", "Sam"), title="Studio", kind=Kind.BUSINESS)
    session = None  # one sitting, as two people at one keyboard would do it
    for author, (topic, text) in enumerate(LONG_CLAUSES):
        by = author % 2
        done = store.act(
            a.id, lambda a, m, t=text, k=topic, b=by: rules.draft(a, b, t, m, topic=k), session=session
        )
        session, number = done.session, done.outcome.lines[0].id
        store.act(a.id, lambda a, m, n=number, b=by: rules.propose(a, b, n, m), session=session)
        store.act(a.id, lambda a, m, n=number, b=by: rules.accept(a, 1 - b, n, m), session=session)
    return AllianceApp(db, alliance=a.id, clock=fixed_clock, poll_seconds=None)


def test_agreement_of_long_clauses(snap_compare: Callable[..., bool], tmp_path: Path, size: str) -> None:
    """Every clause in full, wrapped, never cut, whether selected or not (SPEC §3, issue 11
    item 7); the selection on the second row of the agreement."""
    assert shoot(snap_compare, long_clauses_app(tmp_path), size, ["3", "down"])


def test_main_screen_after_passing_the_keyboard(
    snap_compare: Callable[..., bool], tmp_path: Path, size: str
) -> None:
    """Right after ctrl+t: the new person's turn starts on what waits for them, with its
    keys in the footer (issue 11 item 3)."""
    assert shoot(snap_compare, demo_app(tmp_path), size, ["ctrl+t"])
