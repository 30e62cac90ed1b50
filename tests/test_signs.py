"""Signs of success (SPEC §12, issue 14): how the partners will know a line works.

A sign is part of a wording: set when drafting, amending (countering) or reopening, agreed
with it, shown under the line, and exported as `agreement[].sign`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from alliance_tui.app import AllianceApp
from alliance_tui.dialogs.line_editor import LineEditor
from alliance_tui.domain import Kind, State
from alliance_tui.domain.export import to_json, to_markdown, to_text
from alliance_tui.domain.rules import accept, agreement, counter, draft, edit, propose, reopen
from alliance_tui.domain.text import SIGN_MAX
from alliance_tui.store import Store

from .conftest import FakeClock
from .desk import PETER, SARAH, Desk
from .test_app import shown, type_text

SIGN = "Neither of us checks mail after nine for a month"


def test_a_sign_goes_with_its_wording_into_the_agreement() -> None:
    desk = Desk()
    line = desk.do(draft, "No work talk at dinner.", by=SARAH, sign=f"  {SIGN}  ").lines[0].id
    assert desk.a.lines[line].current.sign == SIGN, "trimmed like any typed text"
    desk.do(propose, line, by=SARAH)
    desk.do(accept, line, by=PETER)
    (item,) = agreement(desk.a)
    assert item.sign == SIGN


def test_a_sign_alone_is_a_change_for_edit_counter_and_reopen() -> None:
    desk = Desk()
    line = desk.do(draft, "No work talk at dinner.", by=SARAH).lines[0].id
    desk.do(edit, line, "No work talk at dinner.", by=SARAH, sign="We both look forward to dinner")
    desk.do(propose, line, by=SARAH)
    desk.do(counter, line, "No work talk at dinner.", by=PETER, sign="Dinner lasts longer than 20 minutes")
    assert desk.a.lines[line].state is State.COUNTERED
    desk.do(accept, line, by=SARAH)
    assert agreement(desk.a)[0].sign == "Dinner lasts longer than 20 minutes"
    desk.do(reopen, line, by=SARAH, text="No work talk at dinner.", sign="We talk about our day instead")
    assert desk.a.lines[line].change_pending
    assert agreement(desk.a)[0].sign == "Dinner lasts longer than 20 minutes", "in force until answered"
    desk.refuse(
        counter,
        line,
        "No work talk at dinner.",
        by=PETER,
        sign="We talk about our day instead",
        why="An amendment needs a different wording or terms; to agree, accept it.",
    )


def test_a_sign_too_long_is_refused_with_a_sentence() -> None:
    desk = Desk()
    desk.refuse(
        draft,
        "No work talk at dinner.",
        by=SARAH,
        sign="x" * (SIGN_MAX + 1),
        why=f"A sign can be at most {SIGN_MAX} characters ({SIGN_MAX + 1:,} typed).",
    )


def test_exports_carry_the_sign_under_its_line() -> None:
    desk = Desk()
    line = desk.do(draft, "No work talk at dinner.", by=SARAH, sign=SIGN).lines[0].id
    desk.do(propose, line, by=SARAH)
    desk.do(accept, line, by=PETER)
    markdown = to_markdown(desk.a).splitlines()
    at = markdown.index(f"{line}. No work talk at dinner.")
    assert markdown[at + 1] == f"   *We'll know it works: {SIGN}*"
    plain = to_text(desk.a).splitlines()
    at = plain.index(f"  {line}. No work talk at dinner.")
    assert plain[at + 1] == f"     We'll know it works: {SIGN}"
    (item,) = to_json(desk.a, desk.history)["agreement"]
    assert item["sign"] == SIGN


async def test_the_editor_takes_a_sign_and_the_agreement_shows_it(db_path: Path) -> None:
    """n, the wording, tab ×3 to the sign, enter; p; ctrl+t; a: the sign is under the line."""
    Store(db_path).create(("Sarah", "Peter"), title="Evenings", kind=Kind.COUPLE)
    app = AllianceApp(db_path, clock=FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, LineEditor)
        await type_text(pilot, "No work talk at dinner.")
        await pilot.press("tab", "tab", "tab")
        assert app.focused is not None and app.focused.id == "sign"
        await type_text(pilot, SIGN)
        await pilot.press("enter")
        assert any(SIGN in row for row in shown(app, "partner-a")), "the author sees it in her pane"
        await pilot.press("p", "ctrl+t", "1", "a")
        await pilot.pause()
        rows = shown(app, "agreement")
        at = next(i for i, row in enumerate(rows) if "No work talk at dinner." in row)
        assert f"we'll know it works: {SIGN}" in rows[at]
        # Reopened, the editor starts from the agreed sign.
        await pilot.press("3", "r")
        assert isinstance(app.screen, LineEditor)
        assert app.screen.query_one("#sign").value == SIGN
        await pilot.press("escape")
    store = Store(db_path)
    (a,) = store.alliances()
    (item,) = agreement(a)
    assert item.sign == SIGN
    exported = json.loads(json.dumps(to_json(a, store.history(a.id))))
    assert exported["agreement"][0]["sign"] == SIGN
