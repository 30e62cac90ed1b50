"""Dates as people type them: ISO, the order their locale writes dates in, or words.

A trial or review date may be typed `2026-12-31`, `31/12/2026` (or `12/31/2026` where
months come first), `31 december`, `today`, `tomorrow`, `in 3 days`, `in 2 weeks`,
`in a month`, `next week`, `monday` or `next monday` (issue 11 item 9). Every function
here is pure: it is given `today`, and whether days come first where the person is, so
the same words always name the same day in tests.

When a form can be read two ways (`03/04/2026`), it is read in the locale's order and the
reading is said, so nobody agrees to a trial that ends a month off.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import NamedTuple

#: What a refusal offers instead, in the order people reach for them.
FORMS = "2026-12-31, 31/12/2026, tomorrow, in 2 weeks or next monday"

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
#: Short names of the days as shown ("Tue 2026-03-10"): the same in every locale.
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

_COUNTS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
#: Where dates are written month first (`12/31/2026`), by the country of the locale.
_MONTH_FIRST = frozenset({"US", "PH", "FM", "MH", "PW", "AS", "GU", "MP", "PR", "UM", "VI"})
#: The longest count of days, weeks, months or years understood ("in 400 weeks" is a typo).
_MOST = 1000

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}|\d{2}))?")
_IN = re.compile(r"(?:in )?(\d{1,4}|[a-z]+) (day|week|month|year)s?(?: from (?:now|today))?")
_NEXT = re.compile(r"next (week|month|year)")
_WEEKDAY = re.compile(r"(?:(next|this|on) )?([a-z]{3,9})")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)? (?:of )?([a-z]{3,9})(?: (\d{4}))?")
_MONTH_DAY = re.compile(r"([a-z]{3,9}) (\d{1,2})(?:st|nd|rd|th)?(?: (\d{4}))?")


class Understood(NamedTuple):
    """The day a typed date names, and how it was read when it could be read two ways."""

    day: date
    #: "day first" or "month first" for a form like `03/04/2026`; None when only one
    #: reading exists.
    reading: str | None = None


def shown(day: date) -> str:
    """A day as the editor shows what it understood: `Tue 2026-03-10`."""
    return f"{DAY_NAMES[day.weekday()]} {day.isoformat()}"


def _spoken(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1].title()} {day.year}"


def reading_note(understood: Understood) -> str | None:
    """For a date read one of two ways, which day was understood and how to say the other
    (issue 11: say which was understood when ambiguous); None when there was no choice."""
    if understood.reading is None:
        return None
    day = understood.day
    other = date(day.year, day.day, day.month)
    return f"Read {understood.reading}: {_spoken(day)} (for {_spoken(other)}, type {other.isoformat()})."


def day_first_here(environ: Mapping[str, str]) -> bool:
    """Whether dates are written day first where the person is, from their locale's
    country (`LC_ALL`, `LC_TIME`, then `LANG`): month first in the US and a few others,
    day first everywhere else and when nothing says (most of the world writes it so)."""
    for name in ("LC_ALL", "LC_TIME", "LANG"):
        value = environ.get(name, "")
        if value:
            match = re.match(r"[a-zA-Z]{2,3}_([a-zA-Z]{2})", value)
            return match is None or match.group(1).upper() not in _MONTH_FIRST
    return True


def understand(value: str, today: date, *, day_first: bool = True) -> Understood | None:
    """The day `value` names, counted from `today`; None when it names none.

    `day_first` settles only forms that can be read both ways (`03/04/2026`); a number
    above 12 tells the order by itself (`31/12/2026`, `12/31/2026`).
    """
    said = " ".join(value.casefold().replace(",", " ").split())
    if not said:
        return None
    if said == "today":
        return Understood(today)
    if said == "tomorrow":
        return Understood(today + timedelta(days=1))
    for reader in (_iso, _numeric, _count, _weekday, _named_month):
        try:
            found = reader(said, today, day_first)
        except (ValueError, OverflowError):
            return None  # a day that does not exist (31/02), or beyond the calendar
        if found is not None:
            return found
    return None


def _iso(said: str, today: date, day_first: bool) -> Understood | None:
    if (match := _ISO.fullmatch(said)) is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    return Understood(date(year, month, day))


def _numeric(said: str, today: date, day_first: bool) -> Understood | None:
    if (match := _NUMERIC.fullmatch(said)) is None:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    reading = None
    if first > 12 >= second:
        day, month = first, second
    elif second > 12 >= first:
        month, day = first, second
    elif first == second or (first > 12 and second > 12):
        day, month = first, second  # the same either way, or no month at all (refused)
    else:
        day, month = (first, second) if day_first else (second, first)
        reading = "day first" if day_first else "month first"
    year_typed = match.group(3)
    if year_typed is None:
        return Understood(_next_on_or_after(today, month, day), reading)
    year = int(year_typed) + (2000 if len(year_typed) == 2 else 0)
    return Understood(date(year, month, day), reading)


def _count(said: str, today: date, day_first: bool) -> Understood | None:
    if (match := _NEXT.fullmatch(said)) is not None:
        count, unit = 1, match.group(1)
    elif (match := _IN.fullmatch(said)) is not None:
        number, unit = match.groups()
        count = int(number) if number.isdigit() else _COUNTS.get(number, -1)
        if count < 0 or count > _MOST:
            return None
    else:
        return None
    if unit == "day":
        return Understood(today + timedelta(days=count))
    if unit == "week":
        return Understood(today + timedelta(weeks=count))
    return Understood(_add_months(today, count * (12 if unit == "year" else 1)))


def _weekday(said: str, today: date, day_first: bool) -> Understood | None:
    if (match := _WEEKDAY.fullmatch(said)) is None:
        return None
    which, name = match.groups()
    weekday = _lookup(name, WEEKDAYS)
    if weekday is None:
        return None
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and which != "this":
        ahead = 7  # "monday" on a Monday, or "next monday": the one to come, not today
    return Understood(today + timedelta(days=ahead))


def _named_month(said: str, today: date, day_first: bool) -> Understood | None:
    if (match := _DAY_MONTH.fullmatch(said)) is not None:
        day_typed, name, year_typed = match.groups()
    elif (match := _MONTH_DAY.fullmatch(said)) is not None:
        name, day_typed, year_typed = match.groups()
    else:
        return None
    month = _lookup(name, MONTHS)
    if month is None:
        return None
    if year_typed is None:
        return Understood(_next_on_or_after(today, month + 1, int(day_typed)))
    return Understood(date(int(year_typed), month + 1, int(day_typed)))


def _lookup(name: str, names: tuple[str, ...]) -> int | None:
    """The index of a day or month named in full or by its first three letters or more."""
    for index, full in enumerate(names):
        if len(name) >= 3 and full.startswith(name):
            return index
    return None


def _next_on_or_after(today: date, month: int, day: int) -> date:
    """`day` of `month` this year, or next year once it has passed (`31/12`, `4 may`)."""
    if day > 31 or month > 12:
        raise ValueError("no such day")
    for year in (today.year, today.year + 1, today.year + 4):  # 29/02 may be years away
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found >= today:
            return found
    raise ValueError("no such day")


def _add_months(day: date, months: int) -> date:
    """The same day `months` later, or the last day of that month when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
