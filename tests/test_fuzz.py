"""Hostile input at every entry point: random Unicode, markup and control characters.

Nothing crashes, nothing is interpreted, and nothing reaches the terminal as a command.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance_tui.app import AllianceApp
from alliance_tui.domain import Action, Alliance, Event, Kind, Moment, Partner, Refused, rules
from alliance_tui.domain.text import visible
from alliance_tui.store import Store
from alliance_tui.widgets.render import event_prompt, line_prompt
from alliance_tui.widgets.virtual_list import VirtualList

from .conftest import FakeClock

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
NASTY = [
    "[/]",
    "[@click=app.quit]x[/]",
    "[$x]",
    "[bold]b[/bold]",
    "\x1b[2J",
    "\x1b]0;title\x07",
    "\x9b31m",
    "\u202eevil",
    "🙂",
    "家族",
    "\x00",
    "\r\n",
    "[link=http://x]y[/link]",
    "$accent",
]
hostile = st.lists(
    st.one_of(st.sampled_from(NASTY), st.text(min_size=1, max_size=12)), min_size=1, max_size=6
).map("".join)
WHEN = Moment(datetime(2026, 3, 2, tzinfo=UTC), 1)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text())
def test_visible_text_holds_no_control_character(text: str) -> None:
    shown = visible(text)
    assert not CONTROL.search(shown)
    assert visible(shown) == shown


@settings(max_examples=200, deadline=None, derandomize=True)
@given(hostile, hostile, hostile)
def test_lines_and_events_render_as_plain_text(name: str, wording: str, reason: str) -> None:
    a = Alliance("x", name, Kind.OTHER, (Partner(f"A{name}"), Partner(f"B{name}")), WHEN.at)
    try:
        line_id = rules.draft(a, a.active, wording, WHEN, topic=name[:40]).lines[0].id
    except Refused:
        return  # empty after trimming, or too long: refused in words, tested elsewhere
    rules.propose(a, a.active, line_id, WHEN)
    rules.pass_keyboard(a, a.active, WHEN)
    rules.decline(a, a.active, line_id, WHEN, reason=reason[:1000])
    line = a.lines[line_id]
    prompt = line_prompt(a, line, 1, WHEN.at.date())
    assert visible(wording.strip()) in prompt.plain and not CONTROL.search(prompt.plain)
    event = Event(WHEN.at, 1, 1, Action.DECLINED, line_id, wording, None, reason)
    shown = event_prompt(a, event).plain
    assert visible(wording) in shown and not CONTROL.search(shown)


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(hostile, hostile, hostile)
def test_command_line_arguments_never_crash(tmp_path_factory, title: str, first: str, second: str) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("cli") / "a.json"
    # The operating system itself cannot pass a NUL byte in an argument.
    title, first, second = (text.replace("\x00", "") for text in (title, first, second))
    run = subprocess.run(
        [sys.executable, "-m", "alliance_tui", "new", title, "--partners", first, second, "--db", str(db)],
        capture_output=True,
        text=True,
        errors="replace",
    )
    assert run.returncode in (0, 2), run.stderr
    assert "Traceback" not in run.stderr
    if run.returncode == 2:
        assert len(run.stderr.strip().splitlines()) == 1
    assert not CONTROL.search(run.stdout.replace("\n", "")) and "\x1b" not in run.stderr
    if run.returncode == 0:
        listed = subprocess.run(
            [sys.executable, "-m", "alliance_tui", "list", "--db", str(db)],
            capture_output=True,
            text=True,
            check=True,
        )
        assert not CONTROL.search(listed.stdout.replace("\n", ""))


async def test_a_hand_edited_file_full_of_markup_and_controls_opens_and_shows_it_as_text(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.json"
    store = Store(path)
    a = store.create(("Sarah", "Peter"), title="Plain")
    store.act(a.id, lambda a, m: rules.draft(a, a.active, "placeholder", m))
    data = json.loads(path.read_text(encoding="utf-8"))
    evil = "".join(NASTY)
    data["alliances"]["1"]["title"] = f"T{evil}"
    data["alliances"]["1"]["partners"][0]["name"] = f"S{evil}"
    data["lines"]["1"]["wordings"][0]["text"] = f"W{evil}"
    data["lines"]["1"]["wordings"][0]["topic"] = f"[red]{evil}"
    for event in data["events"].values():
        event["text"] = f"E{evil}"
    path.write_text(json.dumps(data), encoding="utf-8")

    app = AllianceApp(path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.save_screenshot(str(tmp_path / "shot.svg"))  # renders every pane
        pane = app.screen.query_one("#partner-a", VirtualList)
        rows = [pane.row_plain(i) for i in range(pane.row_count)]
        assert any(f"W{visible(evil)}" in row for row in rows)
        assert visible(f"T{evil}") in app.screen.title
        history = app.screen.query_one("#history", VirtualList)
        assert any(f"E{visible(evil)}" in history.row_plain(i) for i in range(history.row_count))
        await pilot.press("1", "i", "escape", "f1", "escape", "v", "escape", "c")
        await app.workers.wait_for_complete()
        assert app.is_running
