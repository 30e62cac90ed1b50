"""What people type: the limits it must respect, and how to make it safe to show.

Text is stored exactly as typed. Only when it is shown do control characters become
visible symbols, so an ESC sequence in a wording never reaches the terminal.
"""

from __future__ import annotations

import re
from datetime import date

NAME_MAX = 40
TITLE_MAX = 80
TOPIC_MAX = 40
WORDING_MAX = 1000
REASON_MAX = 1000
SIGN_MAX = 300

_C0_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_C0_PICTURES[0x7F] = "\u2421"  # ␡
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code in _C0_PICTURES:
        return _C0_PICTURES[code]
    return "\ufffd" if code <= 0x9F else ""


def visible(text: str) -> str:
    """Return `text` with every control character replaced by a visible symbol.

    C0 controls and DEL become their Unicode control pictures (ESC shows as ␛), C1
    controls become �, and bidirectional overrides are dropped so they cannot reorder
    what surrounds them. The result is still plain text: callers must show it as text,
    never as markup.
    """
    return _CONTROL.sub(_picture, text)


class TextRefused(ValueError):
    """Typed text that cannot be accepted, with a sentence a person can read."""


def _storable(text: str, what: str) -> str:
    """Refuse text that cannot be saved as UTF-8 (lone surrogates from a broken locale)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise TextRefused(f"{what} holds characters that are not valid Unicode.") from None
    return text


def clean_name(name: str, whose: str = "A partner's name") -> str:
    """A display name (a partner's, or `whose` else), trimmed; refused when empty or too long."""
    name = _storable(name, "A name").strip()
    if not name:
        raise TextRefused(f"{whose} cannot be empty.")
    if len(name) > NAME_MAX:
        raise TextRefused(f"{whose} can be at most {NAME_MAX} characters ({len(name)} typed).")
    return name


def clean_partners(first: str, second: str) -> tuple[str, str]:
    """Both partners' names, trimmed and distinct."""
    a, b = clean_name(first), clean_name(second)
    if a.casefold() == b.casefold():
        raise TextRefused(f"The two partners need different names (both are {a!r}).")
    return a, b


def clean_title(title: str) -> str:
    title = _storable(title, "A title").strip()
    if len(title) > TITLE_MAX:
        raise TextRefused(f"A title can be at most {TITLE_MAX} characters ({len(title)} typed).")
    return title


def clean_wording(text: str) -> str:
    """A line's wording, trimmed; refused when empty or longer than the limit."""
    text = _storable(text, "A wording").strip()
    if not text:
        raise TextRefused("A wording cannot be empty.")
    if len(text) > WORDING_MAX:
        raise TextRefused(f"A wording can be at most {WORDING_MAX:,} characters ({len(text):,} typed).")
    return text


def _optional(value: str | None, what: str, most: int) -> str | None:
    """Optional typed text (`what`: "A topic"…), trimmed: None when blank, refused when
    longer than `most`."""
    if value is None:
        return None
    value = _storable(value, what).strip()
    if not value:
        return None
    if len(value) > most:
        raise TextRefused(f"{what} can be at most {most:,} characters ({len(value):,} typed).")
    return value


def clean_topic(topic: str | None) -> str | None:
    return _optional(topic, "A topic", TOPIC_MAX)


def clean_reason(reason: str | None) -> str | None:
    return _optional(reason, "A reason", REASON_MAX)


def clean_sign(sign: str | None) -> str | None:
    """How the partners will know a line works (SPEC §12): trimmed, None when blank."""
    return _optional(sign, "A sign", SIGN_MAX)


def visible_block(text: str) -> str:
    """Like `visible`, but newlines stay line breaks (for multi-line text such as exports)."""
    return "\n".join(visible(line) for line in text.split("\n"))


def parse_trial(value: str, today: date, *, day_first: bool = True) -> date | None:
    """A trial-until date as typed (`dates.understand`: ISO, the locale's order, or words
    like "in 2 weeks"), or None when blank: a trial runs until a day after today.
    TextRefused with a sentence."""
    from .dates import shown  # here: dates are read in dialogs, not at start-up (SPEC §9)

    day = parse_day(value, "trial date", today, day_first=day_first)
    if day is not None and day <= today:
        raise TextRefused(f"A trial must run until a day after today; {shown(day)} is not.")
    return day


def parse_review(value: str, today: date, *, day_first: bool = True) -> date | None:
    """A review date as typed (see `parse_trial`), or None when blank: never in the past."""
    from .dates import shown

    day = parse_day(value, "review date", today, day_first=day_first)
    if day is not None and day < today:
        raise TextRefused(
            f"A review date cannot be in the past: {shown(day)} was understood, "
            f"and today is {today.isoformat()}."
        )
    return day


def parse_day(value: str, what: str, today: date, *, day_first: bool = True) -> date | None:
    """The day typed, or None when blank; TextRefused saying which forms are understood."""
    from .dates import FORMS, understand

    if not value.strip():
        return None
    understood = understand(value, today, day_first=day_first)
    if understood is None:
        raise TextRefused(f"Not a {what}: {visible(value.strip())!r}. Try {FORMS}.")
    return understood.day
