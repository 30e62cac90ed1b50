"""Pilot tests: the documented keys, pressed as two people would, and what they change.

Each test checks the saved file (through a fresh Store) and what the panes show.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from textual.widgets import Input, Label, Static, TextArea

from alliance_tui.app import AllianceApp
from alliance_tui.dialogs.line_editor import LineEditor
from alliance_tui.domain import Kind, State
from alliance_tui.domain.alliance_rules import set_review
from alliance_tui.domain.export import to_markdown
from alliance_tui.screens.help import HelpScreen
from alliance_tui.screens.negotiation import NegotiationScreen
from alliance_tui.screens.new_alliance import NewAllianceScreen
from alliance_tui.store import Store
from alliance_tui.widgets.virtual_list import VirtualList

from .conftest import FakeClock, choose_in_palette

COFFEE = "No talking before my first coffee"
QUIET = "Quiet mornings until Sarah's first coffee"


def new_app(path: Path, clock: FakeClock | None = None) -> AllianceApp:
    return AllianceApp(path, clock=clock or FakeClock(), poll_seconds=None)


def shown(app: AllianceApp, pane: str) -> list[str]:
    """The plain text of every row a pane shows."""
    widget = app.screen.query_one(f"#{pane}", VirtualList)
    return [widget.row_plain(i) for i in range(widget.row_count)]


def saved(path: Path):  # type: ignore[no-untyped-def]
    """The alliance as a fresh process would read it from the file."""
    store = Store(path)
    (a,) = store.alliances()
    return store, a


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type into the focused field; inserting keeps any character, even ESC."""
    field = pilot.app.focused
    if isinstance(field, TextArea):
        field.insert(text)
    else:
        field.insert_text_at_cursor(text)
    await pilot.pause()


def couple(path: Path) -> str:
    store = Store(path)
    return store.create(("Sarah", "Peter"), title="Living together", kind=Kind.COUPLE).id


async def test_couple_scenario_end_to_end(db_path: Path) -> None:
    """Sarah proposes, is refused accepting her own words, Peter amends, Sarah accepts."""
    couple(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, NegotiationScreen)
        assert "Sarah is at the keyboard" in str(app.screen.query_one("#turn").render())

        await pilot.press("n")
        assert isinstance(app.screen, LineEditor)
        await type_text(pilot, COFFEE)
        await pilot.press("enter")
        assert isinstance(app.screen, NegotiationScreen)
        assert any(COFFEE in row and "draft" in row for row in shown(app, "partner-a"))
        await pilot.press("p")
        assert any("proposed" in row and "waits for Peter" in row for row in shown(app, "partner-a"))

        before = db_path.read_bytes()
        await pilot.press("a")  # Sarah tries to accept her own wording
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert "Sarah wrote this wording, so Peter has to accept it." in messages
        assert db_path.read_bytes() == before, "a refusal must change nothing"

        await pilot.press("ctrl+t")
        assert "Peter is at the keyboard" in str(app.screen.query_one("#turn").render())
        await pilot.press("1")  # Sarah's pane, where her proposal waits for Peter
        assert any("waits for you" in row for row in shown(app, "partner-a"))
        await pilot.press("m")
        assert isinstance(app.screen, LineEditor)
        app.screen.query_one("#wording", TextArea).clear()
        await type_text(pilot, QUIET)
        await pilot.press("enter")
        await pilot.press("ctrl+t")
        await pilot.press("1")
        await pilot.press("a")
        await pilot.pause()

        assert any(QUIET in row for row in shown(app, "agreement"))

    store, a = saved(db_path)
    (line,) = a.lines.values()
    assert line.state is State.AGREED
    assert line.in_force is not None and line.in_force.text == QUIET
    assert line.in_force.by == 1  # Peter wrote it, Sarah (0) accepted it
    actions = [e.action.value for e in store.history(a.id)]
    assert actions == [
        "created",
        "drafted",
        "proposed",
        "passed",
        "countered",
        "passed",
        "accepted",
    ]


async def test_revising_a_declined_counter_names_who_declined_it(db_path: Path) -> None:
    """Maya's line, Jon's counter, Maya declines the counter: Jon revises his wording, and
    the editor says Maya declined it (it named Jon, from the line's first author)."""
    from alliance_tui.domain import rules

    store = Store(db_path, clock=FakeClock())
    alliance_id = store.create(("Maya", "Jon"), title="Studio", kind=Kind.BUSINESS).id
    line = (
        store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Replies within a day.", m)).outcome.lines[0].id
    )
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, line, m))
    store.act(alliance_id, lambda a, m: rules.counter(a, 1, line, "Replies within two days.", m))
    store.act(alliance_id, lambda a, m: rules.decline(a, 0, line, m, reason="Clients wait."))
    app = AllianceApp(db_path, bound_to="Jon", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.select_line(line)  # type: ignore[attr-defined]
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, LineEditor)
        assert str(app.screen.query_one("#context", Static).render()) == "Maya declined it: Clients wait."


async def test_business_scenario_decline_revise_sign(db_path: Path) -> None:
    """Jon declines with a reason, Maya revises and proposes again, both sign version 1."""
    store = Store(db_path)
    store.create(("Maya", "Jon"), title="Studio", kind=Kind.BUSINESS)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await type_text(pilot, "Work reaches me the day before it is due.")
        await pilot.press("enter", "p", "ctrl+t", "1", "x")
        await type_text(pilot, "A day is not enough for me.")
        await pilot.press("enter")
        rows = shown(app, "partner-a")
        assert any("declined" in row and "A day is not enough for me." in row for row in rows)

        await pilot.press("e")  # not Jon's wording: refused, with the reason
        await pilot.pause()
        assert "Maya wrote this wording: only they can revise it." in [n.message for n in app._notifications]
        await pilot.press("ctrl+t", "1", "e")
        assert isinstance(app.screen, LineEditor)
        # Why Jon declined stays in sight while Maya revises (issue 11, item 9).
        context = app.screen.query_one("#context", Static)
        assert context.display and str(context.render()) == "Jon declined it: A day is not enough for me."
        app.screen.query_one("#wording", TextArea).clear()
        await type_text(pilot, "Work reaches the other two working days before it is due.")
        await pilot.press("enter", "p", "ctrl+t", "1", "a")
        await pilot.press("s", "y", "ctrl+t", "s", "y")
        await pilot.pause()
        assert "version 1" in app.screen.sub_title

    store, a = saved(db_path)
    assert a.version == 1
    (version,) = store.versions(a.id)
    assert [line.text for line in version.lines] == [
        "Work reaches the other two working days before it is due."
    ]
    reasons = [e.reason for e in store.history(a.id) if e.action.value == "declined"]
    assert reasons == ["A day is not enough for me."]


async def test_work_scenario_trial_reopen_removal_and_delete(db_path: Path) -> None:
    """A trial is agreed, Tom proposes removing it, Priya accepts; a draft is deleted."""
    store = Store(db_path)
    store.create(("Priya", "Tom"), title="Working independently", kind=Kind.WORK)
    app = new_app(db_path, FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await type_text(pilot, "Priya plans her own week.")
        await pilot.press("tab", "tab")
        await type_text(pilot, "2026-05-01")
        await pilot.press("enter", "p", "ctrl+t", "1", "a", "3")
        assert any("trial until 2026-05-01" in row for row in shown(app, "agreement"))

        await pilot.press("r")
        assert isinstance(app.screen, LineEditor)
        app.screen.query_one("#remove").value = True
        await pilot.press("enter")
        assert any("change pending" in row for row in shown(app, "agreement"))
        await pilot.press("ctrl+t", "3", "a")
        await pilot.pause()
        assert not any("Priya plans" in row for row in shown(app, "agreement"))

        await pilot.press("n")
        await type_text(pilot, "A draft I will think better of.")
        await pilot.press("enter", "delete")
        await pilot.press("n")  # "no" keeps it
        assert any("think better" in row for row in shown(app, "partner-a"))
        await pilot.press("delete", "y")
        assert not any("think better" in row for row in shown(app, "partner-a"))

    store, a = saved(db_path)
    (line,) = a.lines.values()
    assert line.state is State.REMOVED
    actions = [e.action.value for e in store.history(a.id)]
    assert actions[-2:] == ["drafted", "deleted"] and "removed" in actions


async def test_private_drafts_show_only_as_a_count(db_path: Path) -> None:
    couple(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await type_text(pilot, "My secret wish")
        await pilot.press("enter", "ctrl+t")
        assert shown(app, "partner-a") == ["Sarah has 1 private draft"]
        history = "\n".join(shown(app, "history"))
        assert "My secret wish" not in history and "private draft" in history
        assert "Peter has" not in str(app.screen.query_one("#turn").render())
        await pilot.press("ctrl+t")
        assert any("My secret wish" in row for row in shown(app, "partner-a"))


async def test_an_action_that_does_not_apply_says_why_and_changes_nothing(db_path: Path) -> None:
    couple(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        before = db_path.read_bytes()
        for key in ("a", "p", "w", "x", "m", "r", "s", "delete"):
            app.clear_notifications()
            await pilot.press(key)
            await pilot.pause()
            assert app._notifications, f"{key} said nothing"
            assert isinstance(app.screen, NegotiationScreen)
        assert db_path.read_bytes() == before


async def test_a_wording_too_long_is_refused_and_kept(db_path: Path) -> None:
    couple(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        too_long = "x" * 1001
        await type_text(pilot, too_long)
        await pilot.press("enter")
        assert isinstance(app.screen, LineEditor), "the editor stays open"
        assert app.screen.query_one("#wording", TextArea).text == too_long
        assert "at most 1,000 characters" in str(app.screen.query_one("#error").render())
        app.screen.query_one("#trial", Input).value = "next tuesdy"
        app.screen.query_one("#wording", TextArea).text = "short"
        await pilot.press("enter")
        assert isinstance(app.screen, LineEditor)
        assert "Not a trial date: 'next tuesdy'. Try 2026-12-31" in str(
            app.screen.query_one("#error").render()
        )
        await pilot.press("escape")
    _, a = saved(db_path)
    assert not a.lines


HOSTILE = [
    "[/]",
    "[@click=app.quit]x[/]",
    "[$x]",
    "[bold]b[/bold]",
    "\x1b[2J\x1b]0;pwned\x07",
    "🙂 家族 ✓",
]


@pytest.mark.parametrize("evil", HOSTILE)
async def test_hostile_text_is_shown_literally_everywhere(tmp_path: Path, evil: str) -> None:
    """Names, title, wording, topic and reason: shown as typed, nothing interpreted."""
    path = tmp_path / "a.json"
    app = new_app(path)
    visible = evil.replace("\x1b", "␛").replace("\x07", "␇")
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, NewAllianceScreen)
        await type_text(pilot, f"A{evil}")
        await pilot.press("tab")
        await type_text(pilot, f"B{evil}")
        await pilot.press("tab", "tab")
        await type_text(pilot, f"T{evil}")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
        assert visible in app.screen.title

        await pilot.press("n")
        await type_text(pilot, f"W{evil}")
        await pilot.press("tab")
        await type_text(pilot, f"topic{evil}")
        await pilot.press("enter", "p")
        await pilot.press("a")  # refused: the notification names the partner, as text
        await pilot.press("ctrl+t", "1", "x")
        await type_text(pilot, f"R{evil}")
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        rows = "\n".join(shown(app, "partner-a") + shown(app, "history"))
        for expected in (f"W{visible}", f"R{visible}", f"B{visible}"):
            assert expected in rows
        assert "\x1b" not in rows
        await pilot.press("f1", "escape", "ctrl+o", "escape")
        assert app.is_running

    _, a = saved(path)
    (line,) = a.lines.values()
    assert line.current.text == f"W{evil}", "stored exactly as typed"
    assert a.names == (f"A{evil}", f"B{evil}")


async def test_help_lists_every_key_of_the_key_map(db_path: Path) -> None:
    from alliance_tui.commands import COMMANDS

    couple(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(w.render()) for w in app.screen.query(".keys, .what"))
        for command in COMMANDS:
            assert command.shown in text and command.name in text
        await pilot.press("escape")
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


async def test_every_action_is_a_command_in_the_palette(db_path: Path) -> None:
    from alliance_tui.commands import COMMANDS, Where

    couple(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)):
        titles = {command.title for command in app.get_system_commands(app.screen)}
    for command in COMMANDS:
        # The alliance list's own commands are offered while it is open (test_lifecycle);
        # the editor's, the lists' and tab belong to the widgets that have the focus.
        if command.where in (
            Where.EVERYWHERE,
            Where.MAIN,
            Where.LINE,
            Where.PALETTE,
        ) and command.action not in (
            "command_palette",
            "next_pane",
        ):
            assert command.name in titles, command.name


async def test_first_run_opens_the_new_alliance_form(tmp_path: Path) -> None:
    path = tmp_path / "fresh.json"
    app = new_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, NewAllianceScreen)
        await type_text(pilot, "Sarah")
        await pilot.press("tab")
        await type_text(pilot, "sarah")
        await pilot.press("enter")
        assert "different names" in str(app.screen.query_one("#error").render())
        app.screen.query_one("#name-b", Input).value = "Peter"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
    _, a = saved(path)
    assert a.names == ("Sarah", "Peter")


async def test_a_corrupt_database_shows_an_error_screen_and_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"_meta": {"1": {"app": "alliance-tui"', encoding="utf-8")
    before = path.read_bytes()
    app = new_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = str(app.screen.query_one("#context").render())
        assert "not valid JSON" in text and str(path) in text
        await pilot.press("n", "ctrl+n", "ctrl+t")
    assert path.read_bytes() == before


async def test_the_other_app_sees_changes_within_a_second(db_path: Path) -> None:
    couple(db_path)
    app = AllianceApp(db_path, clock=FakeClock(), poll_seconds=0.1)
    async with app.run_test(size=(120, 40)) as pilot:
        other = Store(db_path)
        (a,) = other.alliances()
        from alliance_tui.domain import rules

        other.act(a.id, lambda a, m: rules.draft(a, a.active, "Written elsewhere", m))
        await pilot.pause(0.5)
        assert any("Written elsewhere" in row for row in shown(app, "partner-a"))


# -- clipboard (SPEC §7) -------------------------------------------------------------------


async def test_copy_falls_back_to_osc52_without_a_system_clipboard(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyperclip

    def no_clipboard(text: str) -> None:
        raise pyperclip.PyperclipException("no clipboard mechanism")

    monkeypatch.setattr(pyperclip, "copy", no_clipboard)
    couple(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        store, a = saved(db_path)
        assert app.last_copy == ("osc52", to_markdown(a))
        assert app.clipboard == to_markdown(a)
        said = [n.message for n in app._notifications]
        assert any("your terminal's clipboard" in s and "Copied" not in s for s in said), said


def test_a_copy_read_back_late_still_counts_and_one_never_there_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A clipboard program may answer a paste with the old text for a moment (xclip on a
    busy X server): the copy is read back again before it is given up (SPEC §7)."""
    import pyperclip

    from alliance_tui import clipboard

    monkeypatch.setattr(clipboard, "READ_BACK", (0.0, 0.0, 0.0, 0.0))
    reads: list[str] = []
    late = iter(["before", "before", "Quiet mornings."])
    monkeypatch.setattr(pyperclip, "copy", lambda text: None)
    monkeypatch.setattr(pyperclip, "paste", lambda: reads.append("read") or next(late))
    assert clipboard.system_copy("Quiet mornings.")
    assert len(reads) == 3
    monkeypatch.setattr(pyperclip, "paste", lambda: reads.append("read") or "before")
    reads.clear()
    assert not clipboard.system_copy("Quiet mornings.")
    assert len(reads) == 1 + len(clipboard.READ_BACK), "given up only after every read back"


@pytest.mark.clipboard
async def test_copy_reaches_the_real_system_clipboard(db_path: Path) -> None:
    """Needs xclip and an X display (CI starts Xvfb); pyperclip reads it back."""
    import os
    import shutil

    import pyperclip

    if not os.environ.get("DISPLAY") or not shutil.which("xclip"):
        pytest.skip("no X display with xclip here (.ci/run provides one)")
    couple(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        _, a = saved(db_path)
        assert app.last_copy == ("system", to_markdown(a))
        assert pyperclip.paste() == to_markdown(a)
        assert any("system clipboard" in n.message for n in app._notifications)


def test_export_json_of_a_negotiated_alliance(db_path: Path) -> None:
    """The same file the app wrote is what `export --format json` reads."""
    import subprocess
    import sys

    from alliance_tui.demo import make_demo

    make_demo(db_path)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "alliance_tui",
            "export",
            "Living together",
            "--format",
            "json",
            "--db",
            str(db_path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(result.stdout)
    assert [line["text"] for line in data["agreement"]] == [
        "We each keep one evening a week to ourselves.",
        "Whoever cooks does not wash up.",
    ]
    assert {item["state"] for item in data["open"]} == {"countered", "proposed"}
    dumped = json.dumps(data)
    assert "Tell Peter when I need a quiet evening" not in dumped, "private drafts stay private"


async def test_an_alliance_deleted_in_another_window_goes_back_to_the_list(db_path: Path) -> None:
    from alliance_tui.screens.alliance_list import AllianceListScreen

    store = Store(db_path)
    gone = store.create(("Sarah", "Peter"), title="Gone soon")
    store.create(("Maya", "Jon"), title="Stays")
    app = AllianceApp(db_path, alliance=gone.id, clock=FakeClock(), poll_seconds=0.1)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, NegotiationScreen)
        Store(db_path).delete_alliance(gone.id)
        await pilot.pause(0.5)
        assert isinstance(app.screen, AllianceListScreen)
        assert app.is_running


def bar_keys(app: AllianceApp) -> list[str]:
    """The actions the key bar at the bottom shows, in order."""
    from alliance_tui.widgets.key_bar import KeyBar

    return [binding.action for binding, _ in app.screen.query_one(KeyBar).shown_keys()]


async def test_the_key_bar_shows_the_keys_that_apply_and_a_click_presses_one(tmp_path: Path) -> None:
    from alliance_tui.domain import rules
    from alliance_tui.widgets.key_bar import KeyBar

    path = tmp_path / "a.json"
    alliance_id = couple(path)
    Store(path).act(alliance_id, lambda a, m: rules.draft(a, a.active, QUIET, m))
    app = new_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
        await pilot.press("1", "home")
        await pilot.pause(0.3)  # the bar follows the selection once it rests
        keys = bar_keys(app)
        assert {"propose", "edit", "delete_draft"} <= set(keys)
        assert "accept" not in keys, "one's own draft cannot be accepted"
        bar = app.screen.query_one(KeyBar)
        text = bar.render().plain
        assert "Propose" in text and "palette" in text

        at = text.index(" p ")  # the propose key, as drawn
        await pilot.click(KeyBar, offset=(at + 1, 0))
        await pilot.pause()
        _, a = saved(path)
        assert a.lines[1].state is State.PROPOSED

        await pilot.press("3")  # the agreement pane is empty: no line keys at all
        await pilot.pause(0.3)
        assert not {"propose", "edit", "accept"} & set(bar_keys(app))


async def test_the_title_bar_shows_title_and_standing_and_its_icon_opens_the_palette(tmp_path: Path) -> None:
    from textual.command import CommandPalette

    from alliance_tui.widgets.title_bar import TitleBar

    path = tmp_path / "a.json"
    couple(path)
    app = new_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(TitleBar)
        line = bar.render().plain
        assert "Living together — couple · not signed yet" in line
        assert len(line) <= 80
        await pilot.click(TitleBar, offset=(1, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


async def test_a_long_title_gives_way_to_where_the_alliance_stands(db_path: Path) -> None:
    """At 80 columns the title is shortened, not the standing after it."""
    from alliance_tui.widgets.title_bar import TitleBar

    Store(db_path).create(("Sarah", "Peter"), title="Moving in together, the whole first year of it")
    app = new_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = app.screen.query_one(TitleBar).render().plain
        assert len(line) <= 80
        assert line.strip().endswith("… — other · not signed yet"), line
        assert "Moving in together" in line


def test_lazy_rows_make_a_row_only_when_asked_for() -> None:
    from alliance_tui.widgets.virtual_list import LazyRows, Row

    made: list[int] = []

    def row(n: int) -> Row:
        made.append(n)
        return Row(f"k{n}" if n % 2 == 0 else None, lambda: None)  # type: ignore[arg-type, return-value]

    rows = LazyRows(range(10_000), lambda n: f"k{n}" if n % 2 == 0 else None, row)
    rows.append(Row("note", lambda: None))  # type: ignore[arg-type, return-value]
    assert len(rows) == 10_001 and not made
    keys = rows.keys()
    assert keys["k0"] == 0 and keys["k9998"] == 9998 and keys["note"] == 10_000
    assert "k1" not in keys and len(keys) == 5_001
    assert not made, "indexing the keys made rows"
    assert rows[4].key == "k4" and rows[4] is rows[4] and made == [4]
    assert rows[-1].key == "note" and rows[10_000].key == "note"
    replaced = Row("k4", lambda: None)  # type: ignore[arg-type, return-value]
    rows[4] = replaced
    assert rows[4] is replaced
    assert [r.key for r in rows[2:5]] == ["k2", None, "k4"]


async def test_the_palette_offers_one_quit_and_no_keys_panel(db_path: Path) -> None:
    couple(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)):
        titles = [command.title for command in app.get_system_commands(app.screen)]
    assert titles.count("Quit") == 1 and "Keys" not in titles and "Theme" in titles


async def test_help_says_where_the_alliances_are_saved(db_path: Path) -> None:
    couple(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        text = "\n".join(str(w.render()) for w in app.screen.query(".how"))
        assert f"Everything is saved in {db_path}" in text


async def test_the_theme_and_the_last_alliance_are_remembered(tmp_path: Path) -> None:
    """Issue 11: the theme was not remembered, and two alliances always opened the list."""
    path = tmp_path / "two.json"
    store = Store(path)
    first = store.create(("Sarah", "Peter"), title="First").id
    second = store.create(("Ann", "Bob"), title="Second").id
    app = new_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert not isinstance(app.screen, NegotiationScreen), "no alliance opened yet: the list"
        app.theme = "nord"
        app.open_alliance(second)
        await pilot.pause()
    again = new_app(path)
    async with again.run_test(size=(120, 40)):
        assert again.theme == "nord"
        assert isinstance(again.screen, NegotiationScreen) and again.screen.alliance_id == second
    assert first != second


async def test_a_window_too_small_says_so_once(db_path: Path) -> None:
    couple(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(60, 18)) as pilot:
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert said == [
            "This window is 60×18: alliance-tui is made for 80×24 or more, and some of it may be cut."
        ]
        await pilot.resize_terminal(61, 18)
        await pilot.pause()
        assert len(list(app._notifications)) == 1, "said once, not at every resize"


async def test_one_passing_notice_at_a_time_and_lasting_ones_stay(db_path: Path) -> None:
    """Issue 11: several different answers in one turn stacked up and hid the history at
    80×24. Now the newest refusal or confirmation takes the place of the one before; a
    titled notice (a review due) and an error stay until their time is up."""
    store = Store(db_path)
    alliance_id = couple(db_path)
    store.act(alliance_id, lambda a, m: set_review(a, 0, date(2026, 3, 1), m))
    app = new_app(db_path, FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titled = [n for n in app._notifications if n.title]
        assert [n.title for n in titled] == ["Review due"]
        app.notify("The file could not be written.", severity="error")
        await pilot.press("s")  # nothing is agreed: refused
        await pilot.press("n")
        await type_text(pilot, "Quiet mornings.")
        await pilot.press("enter", "p")  # "Proposed to Peter."
        await pilot.press("a")  # her own proposal: refused
        await pilot.pause()
        said = [(n.title, n.severity, n.message) for n in app._notifications]
        passing = [s for s in said if not s[0] and s[1] != "error"]
        assert passing == [("", "warning", "Sarah wrote this wording, so Peter has to accept it.")], said
        assert ("Review due", "information") in [(t, s) for t, s, _ in said]
        assert ("", "error", "The file could not be written.") in said
        assert len(said) == 3, "the toast rack shows exactly these: three toasts, not six"


async def test_the_first_run_tour_shows_once_and_skipping_it_is_remembered(db_path: Path) -> None:
    """Issue 11, item 9: a short first-run tour, skippable, never shown again once skipped."""
    from alliance_tui import settings
    from alliance_tui.screens.tour import PAGES, TourScreen

    settings.settings_path().unlink()  # someone who never opened the app
    couple(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TourScreen), "the first alliance opened comes with the tour"
        heading = app.screen.query_one("#heading", Label)
        assert str(heading.render()) == PAGES[0][0]
        await pilot.press("enter", "right", "left")
        assert str(heading.render()) == PAGES[1][0], "enter and right go on, left goes back"
        await pilot.press("escape")
        assert isinstance(app.screen, NegotiationScreen), "escape skips it"
    assert settings.load()["toured"] is True

    app = new_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen), "skipped once: never shown again"
        await choose_in_palette(app, "Take the tour")
        await pilot.pause()
        assert isinstance(app.screen, TourScreen), "unless asked for, from the palette"
        for _ in PAGES:
            await pilot.press("enter")
        assert isinstance(app.screen, NegotiationScreen), "enter on the last page starts"


async def test_the_tour_comes_before_the_starter_prompts_the_first_form_asked_for(db_path: Path) -> None:
    """The play-through: ticking "Start from starter prompts" on the first-run form seemed
    to do nothing, the tour covering the prompts. Now the tour comes first, then them."""
    from textual.widgets import Checkbox

    from alliance_tui import settings
    from alliance_tui.dialogs.prompt_picker import PromptPicker
    from alliance_tui.screens.tour import TourScreen

    settings.settings_path().unlink()
    app = new_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NewAllianceScreen)
        app.screen.query_one("#name-a", Input).value = "Ann"
        app.screen.query_one("#name-b", Input).value = "Bob"
        app.screen.query_one("#prompts", Checkbox).value = True
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, TourScreen)
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert isinstance(app.screen, PromptPicker), "the prompts the form asked for, after the tour"


async def test_other_screens_are_styled_from_the_first_one_opened(tmp_path: Path) -> None:
    """Only the main screen's styles are read before the first frame (SPEC §9); every other
    screen's come with the first of them, the command palette's and the error screen's too."""
    from textual.command import CommandPalette

    from alliance_tui.app import SCREENS_CSS

    path = tmp_path / "a.json"
    Store(path).create(("Sarah", "Peter"), title="Ours")
    app = AllianceApp(path, poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, NegotiationScreen)
        assert not app.stylesheet.has_source(str(SCREENS_CSS))
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        assert app.stylesheet.has_source(str(SCREENS_CSS))
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.query_one("#dialog").styles.width is not None
        assert app.screen.query_one("#dialog").styles.width.value == 100  # #dialog.help

    path.write_text("{not json", encoding="utf-8")
    app = AllianceApp(path, poll_seconds=None)
    async with app.run_test(size=(120, 40)):
        dialog = app.screen.query_one("#dialog")
        assert type(app.screen).__name__ == "ErrorScreen"
        assert dialog.styles.border_top[0] == "thick"  # #dialog.error


async def test_the_demo_stamps_what_a_person_does_at_the_time_they_do_it(db_path: Path) -> None:
    """The demo's script is written on its own clock; a person's actions afterwards are
    stamped by the real one (they were three minutes after the script's last, months ago)."""
    from datetime import timedelta

    from alliance_tui.demo import make_demo

    now = datetime(2026, 11, 29, 21, 30, tzinfo=UTC)
    store = make_demo(db_path, start=now - timedelta(days=1), then=lambda: now)
    a = store.alliances()[0]
    scripted = store.history(a.id)
    assert all(now - timedelta(days=1) < e.at < now for e in scripted)
    app = AllianceApp(db_path, alliance=a.id, store=store, clock=lambda: now, poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", *"Fresh towels on Sundays.", "enter")
        await pilot.pause()
    drafted = Store(db_path).history(a.id)[-1]
    assert (drafted.action, drafted.at) == ("drafted", now)


async def test_an_agreement_emptied_since_its_version_says_so_and_so_does_signing(db_path: Path) -> None:
    """Version 1 held one line; it was taken out since. The pane does not say "nothing
    agreed yet", and signing says it signs no lines (its dialog was blank)."""
    from alliance_tui.dialogs.confirm import ConfirmDialog
    from alliance_tui.domain import rules

    store = Store(db_path, clock=FakeClock())
    alliance_id = store.create(("Maya", "Jon"), title="Studio", kind=Kind.BUSINESS).id
    line = (
        store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Replies within a day.", m)).outcome.lines[0].id
    )
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, line, m))
    store.act(alliance_id, lambda a, m: rules.accept(a, 1, line, m))
    store.act(alliance_id, lambda a, m: rules.sign(a, 0, m))
    store.act(alliance_id, lambda a, m: rules.sign(a, 1, m))
    store.act(alliance_id, lambda a, m: rules.reopen(a, 1, line, m))  # Jon proposes taking it out
    store.act(alliance_id, lambda a, m: rules.accept(a, 0, line, m))
    app = AllianceApp(db_path, bound_to="Maya", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        assert shown(app, "agreement") == ["Nothing in force: every line of version 1 was taken out since."]
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        body = str(app.screen.query_one("#context").render())
        assert body.startswith("No lines: every line of version 1 was taken out. Signing ends the agreement.")


async def test_a_notice_never_covers_the_status_line_or_the_keys(db_path: Path) -> None:
    """At 80×24 a toast sat on the status line, hiding what waits just when it changed."""
    from textual.widgets._toast import Toast

    Store(db_path).create(("Maya", "Jon"), title="Studio", kind=Kind.BUSINESS)
    app = new_app(db_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("n", *"Replies within a day.", "enter", "p")
        for _ in range(3):  # the toast rack is shown after the notice, then laid out
            await pilot.pause()
        toasts = list(app.screen.query(Toast))
        assert toasts, "proposing says so"
        turn, keys = app.screen.query_one("#turn").region, app.screen.query_one("KeyBar").region
        for toast in toasts:
            assert not toast.region.overlaps(turn) and not toast.region.overlaps(keys), toast.region


async def test_a_long_name_gives_way_to_the_mark_of_this_window(db_path: Path) -> None:
    """At 80 columns a 40-letter name hid "this window" in its pane's title."""
    name = "Maximiliana Konstantinopoulou-Vandermeer"
    Store(db_path).create((name, "Jon"), title="Studio")
    app = AllianceApp(db_path, bound_to="Jon", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        jon = app.screen.query_one("#partner-b")
        assert str(jon.border_title) == "Jon · this window"
    app = AllianceApp(db_path, bound_to=name, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        title = str(app.screen.query_one("#partner-a").border_title)
        assert title.endswith("… · this window") and title.startswith("Maximiliana"), title
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        assert str(app.screen.query_one("#partner-a").border_title) == f"{name} · this window"


async def test_after_an_answer_the_selection_moves_to_what_waits_next(db_path: Path) -> None:
    """Four proposals wait for Bob: `a` accepted the first and stayed on it, so the next
    `a` said "This line is agreed: there is nothing to accept" (play-tested)."""
    from alliance_tui.domain import rules

    store = Store(db_path, clock=FakeClock())
    alliance_id = store.create(("Ann", "Bob"), title="Studio", kind=Kind.BUSINESS).id
    ids = []
    for wording in ("Replies within a day.", "Invoices on Fridays.", "No calls after six."):
        line = store.act(alliance_id, lambda a, m, w=wording: rules.draft(a, 0, w, m)).outcome.lines[0].id
        store.act(alliance_id, lambda a, m, i=line: rules.propose(a, 0, i, m))
        ids.append(line)
    app = AllianceApp(db_path, bound_to="Bob", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("x", *"Not Fridays", "enter")
        await pilot.pause()
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
    states = [Store(db_path).load(alliance_id).lines[i].state for i in ids]
    assert states == [State.AGREED, State.DECLINED, State.AGREED]


async def test_the_history_filtered_to_one_line_counts_that_line_s_events(db_path: Path) -> None:
    """ "History · line 1 only" still said "5 events", all of them (play-tested)."""
    from alliance_tui.domain import rules
    from alliance_tui.widgets.history_pane import HistoryPane

    store = Store(db_path, clock=FakeClock())
    alliance_id = store.create(("Ann", "Bob"), title="Studio").id
    first = (
        store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Replies within a day.", m)).outcome.lines[0].id
    )
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, first, m))
    store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Invoices on Fridays.", m))
    app = AllianceApp(db_path, bound_to="Ann", clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        history = app.screen.query_one("#history", HistoryPane)
        assert str(history.border_subtitle) == "4 events"
        app.screen.select_line(first)  # type: ignore[attr-defined]
        await pilot.press("f")
        await pilot.pause()
        assert history.line_filter == first
        assert str(history.border_subtitle) == "2 of 4 events"
        await pilot.press("f")
        await pilot.pause()
        assert str(history.border_subtitle) == "4 events"
