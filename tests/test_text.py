"""Typed text (SPEC §8): its limits, and how it is made safe to show."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alliance_tui.domain import (
    Alliance,
    Kind,
    Moment,
    Partner,
)
from alliance_tui.domain.rules import (
    edit,
)
from alliance_tui.domain.text import (
    NAME_MAX,
    WORDING_MAX,
    TextRefused,
    clean_name,
    clean_partners,
    clean_reason,
    clean_topic,
    clean_wording,
    visible,
    visible_block,
)

from .desk import SARAH, Desk

# -- text: limits and safe display -------------------------------------------------


def test_visible_turns_control_characters_into_symbols() -> None:
    assert visible("\x1b[2J clear") == "\u241b[2J clear"  # ␛[2J clear
    assert visible("bell\x07") == "bell\u2407"
    assert visible("nul\x00") == "nul\u2400"
    assert visible("del\x7f") == "del\u2421"
    assert visible("c1\x9b31m") == "c1\ufffd31m"
    assert visible("a\u202eb\u2066c\u200fd") == "abcd"  # bidi controls dropped
    assert visible("\x1b]0;title\x07") == "\u241b]0;title\u2407"
    plain = "[b]Quiet[/b] mornings, Sarah's ☕ — 日本 [@click=app.quit]x[/]"
    assert visible(plain) == plain  # markup is left as text, not interpreted or escaped
    assert "\x1b" not in visible("".join(chr(c) for c in range(0x20)) + "\x7f")


def test_visible_block_keeps_line_breaks_only() -> None:
    assert visible_block("one\ntwo\x1b[0m\n") == "one\ntwo\u241b[0m\n"
    assert visible_block("tab\there\r\nnext") == "tab\u2409here\u240d\nnext"
    assert visible_block("") == ""


def test_wording_limits() -> None:
    assert clean_wording("  fine  ") == "fine"
    assert clean_wording("w" * WORDING_MAX) == "w" * WORDING_MAX
    with pytest.raises(TextRefused, match=r"^A wording can be at most 1,000 characters \(1,001"):
        clean_wording("w" * (WORDING_MAX + 1))
    with pytest.raises(TextRefused, match="cannot be empty"):
        clean_wording(" \n ")
    assert clean_topic("  ") is None and clean_topic(None) is None
    assert clean_reason(" ") is None


def test_name_limits() -> None:
    assert clean_name("  Sarah ") == "Sarah"
    assert clean_name("n" * NAME_MAX) == "n" * NAME_MAX
    with pytest.raises(TextRefused, match=r"^A partner's name can be at most 40 characters \(41"):
        clean_name("n" * (NAME_MAX + 1))
    with pytest.raises(TextRefused, match="cannot be empty"):
        clean_name("   ")


def test_partners_need_distinct_names() -> None:
    assert clean_partners(" Sarah ", "Peter") == ("Sarah", "Peter")
    with pytest.raises(TextRefused, match="different names"):
        clean_partners("Sarah", " sarah ")
    with pytest.raises(TextRefused, match="cannot be empty"):
        clean_partners("Sarah", "")


def test_refusals_from_text_keep_the_typed_words_out_of_the_alliance(desk: Desk) -> None:
    """A too-long wording is refused whole: nothing is cut and stored."""
    line_id = desk.drafted("Short.")
    desk.refuse(
        edit, line_id, "z" * 1500, by=SARAH, why="A wording can be at most 1,000 characters (1,500 typed)."
    )
    assert desk.a.lines[line_id].current.text == "Short."


def test_the_status_line_says_who_is_still_to_sign() -> None:
    from alliance_tui.domain import rules
    from alliance_tui.domain.views import turn

    when = Moment(datetime(2026, 3, 2, tzinfo=UTC), 1)
    a = Alliance("x", "t", Kind.COUPLE, (Partner("Sarah"), Partner("Peter")), when.at)
    line = rules.draft(a, 0, "Quiet mornings", when).lines[0].id
    rules.propose(a, 0, line, when)
    rules.accept(a, 1, line, when)
    assert "still to sign" not in turn(a, 1).describe()
    rules.sign(a, 1, when)  # Peter signs first
    assert turn(a, 1).describe().endswith("· Sarah still to sign")
    rules.sign(a, 0, when)
    assert "still to sign" not in turn(a).describe(), "both signed: version 1"


def test_typed_dates_for_trials_and_reviews_are_checked_in_the_domain() -> None:
    from datetime import date

    from alliance_tui.domain.text import parse_review, parse_trial

    today = date(2026, 3, 2)
    assert parse_trial("2026-03-03", today) == date(2026, 3, 3)
    assert parse_trial("  ", today) is None
    with pytest.raises(TextRefused, match="a day after today"):
        parse_trial("2026-03-02", today)
    assert parse_review("2026-03-02", today) == today, "a review may be today"
    with pytest.raises(TextRefused, match=r"Sun 2026-03-01 was understood, and today is 2026-03-02"):
        parse_review("2026-03-01", today)
    assert parse_review("next week", today) == date(2026, 3, 9)
    with pytest.raises(
        TextRefused, match="Not a review date: 'someday'. Try 2026-12-31, 31/12/2026, tomorrow"
    ):
        parse_review("someday", today)
