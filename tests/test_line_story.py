"""A line's story (`i`): what it is now, every wording, its timeline (SPEC §3)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label, Static

from alliance_tui.app import AllianceApp
from alliance_tui.domain import rules
from alliance_tui.screens.line_story import LineStoryScreen
from alliance_tui.store import Store

from .conftest import FakeClock


def redesigned(path: Path, steps: int = 0) -> int:
    """Ann and Bob's line 1, agreed, then a re-design of it by Bob that waits for Ann;
    `steps` more counters back and forth make its story long."""
    store = Store(path, clock=FakeClock())
    alliance_id = store.create(("Ann", "Bob"), title="Studio").id
    line = (
        store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Replies within a day.", m)).outcome.lines[0].id
    )
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, line, m))
    store.act(alliance_id, lambda a, m: rules.accept(a, 1, line, m))
    store.act(alliance_id, lambda a, m: rules.reopen(a, 1, line, m, text="Replies within two days."))
    for n in range(steps):
        by = n % 2  # Ann answers first
        store.act(
            alliance_id,
            lambda a, m, n=n, by=by: rules.counter(a, by, line, f"Replies within {n + 3} days.", m),
        )
    return line


async def test_an_agreed_line_with_a_change_pending_reads_as_agreed(db_path: Path) -> None:
    line = redesigned(db_path)
    app = AllianceApp(db_path, bound_to="Ann", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.select_line(line)  # type: ignore[attr-defined]
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, LineStoryScreen)
        story = str(app.screen.query_one("#story", Static).render())
        assert story.startswith(
            "Now: agreed  ⟳ change pending, waiting for Ann\nIn force: Replies within a day."
        )


async def test_a_long_story_at_80x24_keeps_its_heading_and_keys_in_sight(db_path: Path) -> None:
    line = redesigned(db_path, steps=14)
    app = AllianceApp(db_path, bound_to="Ann", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.select_line(line)  # type: ignore[attr-defined]
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LineStoryScreen)
        screen_region = screen.region
        for part in (screen.query_one("#heading", Label), screen.query_one("#keys", Static)):
            assert screen_region.contains_region(part.region), part
        assert str(screen.query_one("#keys", Static).render()) == "escape close"
        await pilot.press("end")  # the story scrolls; its heading stays
        await pilot.pause()
        assert screen_region.contains_region(screen.query_one("#heading", Label).region)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, LineStoryScreen)
