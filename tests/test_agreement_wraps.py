"""The agreement pane shows every agreed line in full, wrapped, never cut (SPEC §3).

Rows are measured only when drawn (the pane estimates the others), so these tests look
at what is drawn: at the top, after moving through the agreement, and at the end of a
long one.
"""

from __future__ import annotations

import re
from pathlib import Path

from alliance_tui.app import AllianceApp
from alliance_tui.domain import rules
from alliance_tui.store import Store
from alliance_tui.widgets.agreement_pane import AgreementPane

LONG = "we say what we need before it turns into a reproach, and we listen to the end"


def _agreed(path: Path, count: int) -> tuple[str, list[str]]:
    """An alliance of `count` agreed lines of one to four sentences, and their texts."""
    store = Store(path)
    texts = [f"Line {n}: " + "; ".join([LONG] * (n % 4 + 1)) + f" (end of {n})." for n in range(count)]
    with store.storage.batch():
        a = store.create(("Sarah", "Peter"), title="Long lines")
        for text in texts:
            line = store.act(a.id, lambda a, m, t=text: rules.draft(a, 0, t, m)).outcome.lines[0].id
            store.act(a.id, lambda a, m, i=line: rules.propose(a, 0, i, m))
            store.act(a.id, lambda a, m, i=line: rules.accept(a, 1, i, m))
    return a.id, texts


def _drawn(pane: AgreementPane) -> list[str]:
    return [pane.render_line(y).text.rstrip() for y in range(pane.scrollable_content_region.height)]


def _flat(lines: list[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(lines))


async def test_every_agreed_line_is_drawn_whole(tmp_path: Path) -> None:
    alliance_id, texts = _agreed(tmp_path / "long.json", 12)
    app = AllianceApp(tmp_path / "long.json", alliance=alliance_id, poll_seconds=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        pane = app.screen.query_one("#agreement", AgreementPane)
        for _ in range(len(texts)):
            drawn = _drawn(pane)
            assert not any(line.endswith("…") for line in drawn), "no row is cut"
            selected = pane.selected_id()
            assert selected is not None
            text = texts[int(selected.removeprefix("line-")) - 1]
            assert text in _flat(drawn), "the selected line reads whole"
            await pilot.press("down")
            await pilot.pause()


async def test_the_end_of_a_long_agreement_is_drawn_whole(tmp_path: Path) -> None:
    alliance_id, texts = _agreed(tmp_path / "long.json", 400)
    app = AllianceApp(tmp_path / "long.json", alliance=alliance_id, poll_seconds=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "end")
        await pilot.pause()
        pane = app.screen.query_one("#agreement", AgreementPane)
        drawn = _drawn(pane)
        assert texts[-1] in _flat(drawn)
        assert drawn[-1].strip().endswith(f"(end of {len(texts) - 1})."), "nothing below the last line"
        assert pane.max_scroll_y == pane.scroll_y, "the list ends where its last line ends"


async def test_wrapped_lines_start_under_the_text_not_under_the_number(tmp_path: Path) -> None:
    """Issue 11: "wrapped lines are not indented". A line's number stands alone in its
    column; every wrapped line, and its sign, starts where its text starts."""
    path = tmp_path / "long.json"
    alliance_id, texts = _agreed(path, 3)
    app = AllianceApp(path, alliance=alliance_id, poll_seconds=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        drawn = _drawn(app.screen.query_one("#agreement", AgreementPane))
        body = [line for line in drawn if line.strip() and line.strip() != "General"]  # the heading
        numbered = [line for line in body if re.match(r"^\s+\d+\. ", line)]
        assert len(numbered) == 3, body
        for line in body:
            if line in numbered:
                assert line.index("Line") == 5, "the text starts after the number"
            else:
                assert line.startswith(" " * 5) and line[5] != " ", f"a wrapped line under the text: {line!r}"
