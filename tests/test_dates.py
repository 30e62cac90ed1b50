"""Dates as people type them (issue 11 item 9): ISO, the locale's order, and words.

Pure functions given `today`: property tests say what must hold for every day and every
count; a few examples pin the sentences.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import Input

from alliance_tui.app import AllianceApp
from alliance_tui.dialogs.line_editor import LineEditor
from alliance_tui.dialogs.review_date import ReviewDateDialog
from alliance_tui.domain import Kind, rules
from alliance_tui.domain.dates import (
    DAY_NAMES,
    FORMS,
    MONTHS,
    WEEKDAYS,
    Understood,
    day_first_here,
    shown,
    understand,
)
from alliance_tui.domain.text import TextRefused, parse_review, parse_trial
from alliance_tui.store import Store

from .test_lifecycle import START, new_app, type_text

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, database=None)

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
TODAY = date(2026, 3, 2)  # a Monday


@SETTINGS
@given(day=DAYS, today=DAYS, day_first=st.booleans())
def test_iso_reads_as_itself_in_any_locale(day: date, today: date, day_first: bool) -> None:
    assert understand(day.isoformat(), today, day_first=day_first) == Understood(day)
    assert understand(f"  {day:%Y/%m/%d} ", today, day_first=day_first) == Understood(day)


@SETTINGS
@given(day=DAYS.filter(lambda d: d.day > 12), today=DAYS, day_first=st.booleans(), sep=st.sampled_from("/.-"))
def test_a_day_above_12_tells_the_order_by_itself(day: date, today: date, day_first: bool, sep: str) -> None:
    """`31/12/2026` and `12/31/2026` both name 31 December, wherever the person is."""
    day_month = sep.join([str(day.day), str(day.month), str(day.year)])
    month_day = sep.join([f"{day.month:02d}", str(day.day), str(day.year)])
    assert understand(day_month, today, day_first=day_first) == Understood(day)
    assert understand(month_day, today, day_first=day_first) == Understood(day)


@SETTINGS
@given(day=DAYS.filter(lambda d: d.day <= 12 and d.day != d.month), today=DAYS)
def test_an_ambiguous_date_is_read_in_the_locale_order_and_says_so(day: date, today: date) -> None:
    typed = f"{day.day:02d}/{day.month:02d}/{day.year}"
    assert understand(typed, today, day_first=True) == Understood(day, "day first")
    swapped = date(day.year, day.day, day.month)
    assert understand(typed, today, day_first=False) == Understood(swapped, "month first")


@SETTINGS
@given(today=DAYS, count=st.integers(0, 1000))
def test_in_n_days_and_weeks_count_from_today(today: date, count: int) -> None:
    assert understand(f"in {count} days", today) == Understood(today + timedelta(days=count))
    assert understand(f"In {count} Weeks", today) == Understood(today + timedelta(weeks=count))


@SETTINGS
@given(today=DAYS, count=st.integers(0, 120))
def test_in_n_months_keeps_the_day_or_ends_the_shorter_month(today: date, count: int) -> None:
    understood = understand(f"in {count} months", today)
    assert understood is not None and understood.reading is None
    later = understood.day
    assert (later.year * 12 + later.month) - (today.year * 12 + today.month) == count
    assert later.day == today.day or (later.day < today.day and (later + timedelta(days=1)).day == 1)


@SETTINGS
@given(today=DAYS, weekday=st.integers(0, 6), short=st.booleans())
def test_a_weekday_names_the_next_one_and_this_one_may_be_today(
    today: date, weekday: int, short: bool
) -> None:
    name = WEEKDAYS[weekday][:3] if short else WEEKDAYS[weekday]
    for said in (name, f"next {name}", f"on {name.upper()}"):
        understood = understand(said, today)
        assert understood is not None
        assert understood.day.weekday() == weekday and 1 <= (understood.day - today).days <= 7
    this = understand(f"this {name}", today)
    assert this is not None and this.day.weekday() == weekday and 0 <= (this.day - today).days <= 6


@SETTINGS
@given(day=DAYS, today=DAYS, month_first=st.booleans())
def test_a_month_by_name_with_its_year(day: date, today: date, month_first: bool) -> None:
    month = MONTHS[day.month - 1]
    said = f"{month[:3]} {day.day}, {day.year}" if month_first else f"{day.day} {month} {day.year}"
    assert understand(said, today) == Understood(day)


@SETTINGS
@given(day=DAYS, today=DAYS)
def test_a_date_without_its_year_is_the_next_one_on_or_after_today(day: date, today: date) -> None:
    if (day.month, day.day) == (2, 29):
        return
    for said in (f"{day.day} {MONTHS[day.month - 1]}", f"{day.day:02d}.{day.month:02d}"):
        understood = understand(said, today)
        assert understood is not None
        got = understood.day
        assert (got.month, got.day) == (day.month, day.day)
        assert today <= got < date(today.year + 1, today.month, 1) + timedelta(days=31)


@SETTINGS
@given(typed=st.text(max_size=40), today=DAYS, day_first=st.booleans())
def test_anything_typed_is_a_day_or_a_refusal_that_names_the_forms(
    typed: str, today: date, day_first: bool
) -> None:
    understood = understand(typed, today, day_first=day_first)
    if not typed.strip():
        assert understood is None
        return
    try:
        parse_review(typed, date(2000, 1, 1), day_first=day_first)
    except TextRefused as refusal:
        assert understood is None and FORMS in str(refusal)
    else:
        assert understood is not None


def test_words_a_person_types() -> None:
    assert understand("today", TODAY) == Understood(TODAY)
    assert understand("Tomorrow", TODAY) == Understood(date(2026, 3, 3))
    assert understand("in 3 days", TODAY) == Understood(date(2026, 3, 5))
    assert understand("in 2 weeks", TODAY) == Understood(date(2026, 3, 16))
    assert understand("in a month", TODAY) == Understood(date(2026, 4, 2))
    assert understand("in two years", TODAY) == Understood(date(2028, 3, 2))
    assert understand("next week", TODAY) == Understood(date(2026, 3, 9))
    assert understand("monday", TODAY) == Understood(date(2026, 3, 9)), "today is a Monday: the next"
    assert understand("next monday", TODAY) == Understood(date(2026, 3, 9))
    assert understand("this monday", TODAY) == Understood(TODAY)
    assert FORMS == "2026-12-31, 31/12/2026, tomorrow, in 2 weeks or next monday"
    assert understand("fri", TODAY) == Understood(date(2026, 3, 6))
    assert understand("31/12/2026", TODAY) == Understood(date(2026, 12, 31))
    assert understand("31/12/26", TODAY) == Understood(date(2026, 12, 31))
    assert understand("1 march", TODAY) == Understood(date(2027, 3, 1)), "passed this year: next year's"
    assert understand("in 31 days", date(2026, 1, 31)) == Understood(date(2026, 3, 3))
    assert understand("in a month", date(2026, 1, 31)) == Understood(date(2026, 2, 28))


@pytest.mark.parametrize(
    "typed",
    ["31/02/2026", "13/13/2026", "2026-02-30", "someday", "in many weeks", "may", "in 5000 days", "1/2/3"],
)
def test_what_names_no_day(typed: str) -> None:
    assert understand(typed, TODAY) is None


def test_shown_is_the_same_in_every_locale() -> None:
    assert shown(date(2026, 3, 10)) == "Tue 2026-03-10"
    assert DAY_NAMES[date(2026, 3, 8).weekday()] == "Sun"


@pytest.mark.parametrize(
    ("environ", "day_first"),
    [
        ({"LANG": "en_US.UTF-8"}, False),
        ({"LANG": "en_GB.UTF-8"}, True),
        ({"LANG": "en_US.UTF-8", "LC_TIME": "de_DE.UTF-8"}, True),
        ({"LC_ALL": "en_PH.UTF-8", "LC_TIME": "fr_FR.UTF-8"}, False),
        ({"LANG": "C.UTF-8"}, True),
        ({}, True),
    ],
)
def test_the_locale_says_which_comes_first(environ: dict[str, str], day_first: bool) -> None:
    assert day_first_here(environ) is day_first


def test_refusals_say_what_was_understood() -> None:
    with pytest.raises(TextRefused, match=r"a day after today; Mon 2026-03-02 is not"):
        parse_trial("today", TODAY)
    assert parse_trial("03/04/2026", TODAY, day_first=False) == date(2026, 3, 4)
    assert parse_trial("03/04/2026", TODAY) == date(2026, 4, 3)


# -- what the dialogs show at 60×18 (Pilot) -------------------------------------------------


def drawn(app: AllianceApp) -> str:
    """What the current screen draws, every row joined, runs of spaces as one: a sentence
    that wraps still reads whole, and one cut off at an edge does not."""
    strips = app.screen._compositor.render_strips()
    rows = [re.sub(r"[▊▎█▌▐▀▄]", " ", strip.text) for strip in strips]
    return re.sub(r"\s+", " ", " ".join(rows))


async def test_the_editor_says_which_day_it_understood_and_refuses_in_full_at_60x18(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")  # days first, whatever this machine says
    path = tmp_path / "a.json"
    alliance_id = Store(path).create(("Sue", "Sam"), title="Studio", kind=Kind.BUSINESS).id
    app = new_app(path)  # today is Monday 2026-03-02
    async with app.run_test(size=(60, 18)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, LineEditor)
        await type_text(pilot, "We meet on Mondays.")
        await pilot.press("tab", "tab", *"31/12/2026")
        assert app.screen.query_one("#trial", Input).value == "31/12/2026"
        assert "Trial until 31/12/2026 → Thu 2026-12-31 " in drawn(app)

        trial = app.screen.query_one("#trial", Input)
        trial.value = ""
        await pilot.press(*"03/04/2026")
        said = drawn(app)
        assert "→ Fri 2026-04-03" in said
        assert "Read day first: 3 April 2026 (for 4 March 2026, type 2026-03-04)." in said

        trial.value = ""
        await pilot.press(*"32/12/2026")
        assert "→ not a date yet" in drawn(app)
        await pilot.press("enter")
        assert isinstance(app.screen, LineEditor), "refused: the editor stays, nothing is lost"
        said = drawn(app)
        assert (
            "Not a trial date: '32/12/2026'. Try 2026-12-31, 31/12/2026, tomorrow, in 2 weeks or next monday."
            in said
        )
        assert "enter save" in said, "the keys still show under the refusal"

        trial.value = ""
        await pilot.press(*"in 2 weeks")
        assert "→ Mon 2026-03-16" in drawn(app)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, LineEditor)
    assert START.date() == date(2026, 3, 2)
    (line,) = Store(path).load(alliance_id).lines.values()
    assert line.current.trial_until == date(2026, 3, 16)


async def test_the_review_date_says_which_day_it_understood_at_60x18(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    alliance_id = Store(path).create(("Sue", "Sam"), title="Studio").id
    app = new_app(path)
    async with app.run_test(size=(60, 18)) as pilot:
        await app.screen.run_action("review_date")
        await pilot.pause()
        assert isinstance(app.screen, ReviewDateDialog)
        await pilot.press(*"next friday")
        assert "→ Fri 2026-03-06" in drawn(app)
        await pilot.press("ctrl+u", *"someday soon", "enter")
        said = drawn(app)
        assert isinstance(app.screen, ReviewDateDialog)
        assert f"Not a review date: 'someday soon'. Try {FORMS}." in said
        await pilot.press("ctrl+u", *"in 3 months", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewDateDialog)
    assert Store(path).load(alliance_id).review_on == date(2026, 6, 2)


async def test_a_refusal_in_the_taller_reopen_editor_is_scrolled_into_view_at_60x18(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reopening adds a context line and a checkbox: at 60×18 the editor is taller than
    the screen, and the refusal below its fields is scrolled to, not cut off."""
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    path = tmp_path / "a.json"
    store = Store(path)
    a = store.create(("Sue", "Sam"), title="Studio", kind=Kind.BUSINESS)
    line = store.act(a.id, lambda a, m: rules.draft(a, 0, "Work reaches Sam two days early.", m))
    number = line.outcome.lines[0].id
    store.act(a.id, lambda a, m: rules.propose(a, 0, number, m))
    store.act(a.id, lambda a, m: rules.accept(a, 1, number, m))
    app = new_app(path)
    async with app.run_test(size=(60, 18)) as pilot:
        await pilot.press("3", "r")
        await pilot.pause()
        assert isinstance(app.screen, LineEditor)
        await pilot.press("tab", "tab", *"32/12/2026")
        assert "→ not a date yet" in drawn(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LineEditor)
        assert f"Not a trial date: '32/12/2026'. Try {FORMS}." in drawn(app)
