"""Designing the alliance over time: sign-off, versions, trials, reviews, many alliances,
starter prompts. Pilot tests press the documented keys; each checks the saved file
(through a fresh Store) and what the screen shows. Time moves only through the injected
clock: nothing here sleeps.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, OptionList, Static, TextArea

from alliance_tui.app import AllianceApp
from alliance_tui.dialogs.confirm import ConfirmDialog
from alliance_tui.dialogs.field import FieldDialog
from alliance_tui.dialogs.line_editor import LineEditor
from alliance_tui.dialogs.prompt_picker import PromptPicker
from alliance_tui.dialogs.review_date import ReviewDateDialog
from alliance_tui.domain import Alliance, Kind, Moment, Outcome, State, rules
from alliance_tui.domain.prompts import prompts_for
from alliance_tui.domain.views import trials_due
from alliance_tui.screens.alliance_list import AllianceListScreen
from alliance_tui.screens.negotiation import NegotiationScreen
from alliance_tui.screens.new_alliance import NewAllianceScreen
from alliance_tui.screens.versions import VersionsScreen
from alliance_tui.store import Store

from .conftest import FakeClock

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


# -- helpers -------------------------------------------------------------------------------


def new_app(path: Path, clock: FakeClock | None = None, alliance: str | None = None) -> AllianceApp:
    return AllianceApp(path, clock=clock or FakeClock(START), poll_seconds=None, alliance=alliance)


def rows(app: AllianceApp, widget_id: str) -> list[str]:
    """The plain text of every row a list shows (an OptionList or the panes' virtual list)."""
    widget = app.screen.query_one(f"#{widget_id}")
    if isinstance(widget, OptionList):
        return [widget.get_option_at_index(i).prompt.plain for i in range(widget.option_count)]
    return [widget.row_plain(i) for i in range(widget.row_count)]  # type: ignore[attr-defined]


def plain(app: AllianceApp, selector: str) -> str:
    """What a Static or Label on the current screen shows, as plain text."""
    rendered = app.screen.query_one(selector, Static).render()
    return rendered.plain if isinstance(rendered, Content) else str(rendered)


def messages(app: AllianceApp) -> list[str]:
    return [n.message for n in app._notifications]


async def type_text(pilot: Any, text: str) -> None:
    field = pilot.app.focused
    if isinstance(field, TextArea):
        field.insert(text)
    else:
        field.insert_text_at_cursor(text)
    await pilot.pause()


def fresh(path: Path, alliance_id: str) -> tuple[Store, Alliance]:
    """The alliance as a fresh process reads it from the file."""
    store = Store(path)
    return store, store.load(alliance_id)


class Script:
    """Acts on one alliance through the real rules, as two people at the keyboard would."""

    def __init__(self, store: Store, a: Alliance) -> None:
        self.store = store
        self.id = a.id

    def do(self, op: Callable[[Alliance, Moment], Outcome]) -> int | None:
        line = self.store.act(self.id, op).outcome.line
        return None if line is None else line.id

    def agree(self, text: str, topic: str | None = None, trial_until: date | None = None) -> int:
        """The active partner proposes, the other accepts; the keyboard comes back."""
        line = self.do(lambda a, m: rules.draft(a, a.active, text, m, topic=topic, trial_until=trial_until))
        assert line is not None
        self.do(lambda a, m: rules.propose(a, a.active, line, m))
        self.do(lambda a, m: rules.pass_keyboard(a, a.active, m))
        self.do(lambda a, m: rules.accept(a, a.active, line, m))
        self.do(lambda a, m: rules.pass_keyboard(a, a.active, m))
        return line

    def redesign(self, line: int, text: str | None) -> None:
        """Reopen an agreed line (a new wording, or its removal when None); the other accepts."""
        self.do(lambda a, m: rules.reopen(a, a.active, line, m, text=text))
        self.do(lambda a, m: rules.pass_keyboard(a, a.active, m))
        self.do(lambda a, m: rules.accept(a, a.active, line, m))
        self.do(lambda a, m: rules.pass_keyboard(a, a.active, m))

    def sign_both(self) -> None:
        self.do(lambda a, m: rules.sign(a, a.active, m))
        self.do(lambda a, m: rules.pass_keyboard(a, a.active, m))
        self.do(lambda a, m: rules.sign(a, a.active, m))
        self.do(lambda a, m: rules.pass_keyboard(a, a.active, m))


def two_versions(path: Path) -> str:
    """Version 1 of three lines; version 2 adds one, changes one, removes one, keeps one."""
    store = Store(path, clock=FakeClock(START))
    s = Script(store, store.create(("Maya", "Jon"), title="Studio", kind=Kind.BUSINESS))
    s.agree("Work reaches the other two days before it is due.", "logistics")
    kept = "We say 'not working for me' out loud, the same week."
    s.agree(kept, "feedback")
    changed = s.agree("We answer messages within the hour.", "communication")
    s.sign_both()
    s.redesign(changed, "We answer messages within half a day.")
    s.redesign(1, None)  # removed
    s.agree("Each of us takes one day a week without meetings.", "boundaries")
    s.sign_both()
    return s.id


# -- sign-off and versions -----------------------------------------------------------------


async def test_sign_by_both_makes_version_1(db_path: Path) -> None:
    a = Store(db_path).create(("Sarah", "Peter"), title="Living together", kind=Kind.COUPLE)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert "not signed yet" in app.screen.sub_title
        await pilot.press("n")
        await type_text(pilot, "Whoever cooks does not wash up.")
        await pilot.press("enter", "p", "ctrl+t", "1", "a")
        await pilot.press("s")  # what is signed is shown first (issue 11)
        assert isinstance(app.screen, ConfirmDialog)
        assert "1. Whoever cooks does not wash up." in str(app.screen.query_one("#context").render())
        await pilot.press("y")
        await pilot.pause()
        assert "Signed. It waits for Sarah to sign too." in messages(app)
        assert app.screen.sub_title == "couple · signed by Peter, not yet by Sarah"
        assert fresh(db_path, a.id)[1].version == 0, "one signature is not a version"

        await pilot.press("s")  # Peter again: refused, nothing changes
        await pilot.pause()
        assert "Peter has already signed: it waits for Sarah." in messages(app)

        await pilot.press("ctrl+t", "s", "enter")
        await pilot.pause()
        assert "Both signed: this is version 1." in messages(app)
        assert app.screen.sub_title.endswith("version 1")

    store, saved = fresh(db_path, a.id)
    assert saved.version == 1 and not saved.changed_since_version
    (v1,) = store.versions(a.id)
    assert v1.partners == ("Sarah", "Peter")
    assert [line.text for line in v1.lines] == ["Whoever cooks does not wash up."]
    signed = [e for e in store.history(a.id) if e.action.value == "signed"]
    assert [(e.actor, e.text) for e in signed] == [(1, None), (0, "version 1")]


def turn_text(app: AllianceApp) -> str:
    return plain(app, "#turn")


async def test_a_signature_a_change_undid_keeps_saying_who_still_has_to_sign(db_path: Path) -> None:
    """Sue signs; Sam accepts a pending line: the notice says her signature no longer
    holds, and header and status line keep saying who has to sign (issue 11 item 5)."""
    store = Store(db_path, clock=FakeClock(START))
    s = Script(store, store.create(("Sue", "Sam"), title="Studio", kind=Kind.BUSINESS))
    s.agree("Work reaches Sam two days before it is due.")
    pending = s.do(lambda a, m: rules.draft(a, a.active, "We meet on Mondays.", m))
    assert pending is not None
    s.do(lambda a, m: rules.propose(a, a.active, pending, m))
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.screen.sub_title == "business · not signed yet"
        await pilot.press("s")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.sub_title == "business · signed by Sue, not yet by Sam"
        assert "Sam still to sign" in turn_text(app)
        assert fresh(db_path, s.id)[1].signatures == {0}

        await pilot.press("ctrl+t")  # Sam lands on the line that waits for him
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert messages(app)[-1] == (
            f"Agreed: line {pending} is in the agreement. "
            "That changed the agreement, so Sue's signature no longer holds: both sign again."
        )
        assert app.screen.sub_title == "business · not signed yet"
        assert "a change undid Sue's signature: Sue and Sam still to sign" in turn_text(app)
        saved = fresh(db_path, s.id)[1]
        assert saved.signatures == set() and saved.version == 0
        assert saved.lines[pending].state is State.AGREED

        await pilot.press("ctrl+t")  # still said after the keyboard passes
        await pilot.pause()
        assert "a change undid Sue's signature: Sue and Sam still to sign" in turn_text(app)

        await pilot.press("s", "enter")  # Sue signs again: the signature says it now
        await pilot.pause()
        assert app.screen.sub_title == "business · signed by Sue, not yet by Sam"
        assert "Sam still to sign" in turn_text(app) and "Sue and Sam" not in turn_text(app)

    # A fresh window reads the same from the file and its history.
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)):
        assert app.screen.sub_title == "business · signed by Sue, not yet by Sam"


async def test_the_header_says_the_signatures_in_full_at_80_columns(db_path: Path) -> None:
    """After version 1, one signature and then one undone: the header line says it whole."""
    from alliance_tui.widgets.title_bar import TitleBar

    store = Store(db_path, clock=FakeClock(START))
    s = Script(store, store.create(("Sarah", "Peter"), title="Living together", kind=Kind.COUPLE))
    s.agree("Whoever cooks does not wash up.")
    s.sign_both()
    s.agree("Quiet mornings.")  # changed since v1: something new to sign
    pending = s.do(lambda a, m: rules.draft(a, 0, "We meet on Mondays.", m))
    assert pending is not None
    s.do(lambda a, m: rules.propose(a, 0, pending, m))
    app = new_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "enter")
        await pilot.pause()
        header = app.screen.query_one(TitleBar).render().plain
        assert "Living together — couple · changed since v1 · signed by Sarah" in header
        assert "…" not in header and "Peter still to sign" in turn_text(app)
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        header = app.screen.query_one(TitleBar).render().plain
        assert "Living together — couple · changed since v1" in header and "…" not in header
        assert "a change undid Sarah's signature: Sarah and Peter still to sign" in turn_text(app)


async def test_a_signature_another_window_undid_is_said_here(db_path: Path) -> None:
    """Sue signs in her window; Sam, in his, accepts the line that waited: Sue's window
    says her signature no longer holds, and who still has to sign (issue 11 item 5)."""
    store = Store(db_path, clock=FakeClock(START))
    s = Script(store, store.create(("Sue", "Sam"), title="Studio", kind=Kind.BUSINESS))
    s.agree("Work reaches Sam two days before it is due.")
    pending = s.do(lambda a, m: rules.draft(a, 0, "We meet on Mondays.", m))
    assert pending is not None
    s.do(lambda a, m: rules.propose(a, 0, pending, m))
    sue = AllianceApp(db_path, bound_to="Sue", clock=FakeClock(START), poll_seconds=None)
    async with sue.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", "enter")
        await pilot.pause()
        assert sue.screen.sub_title == "business · signed by Sue, not yet by Sam"
        Store(db_path).act(s.id, lambda a, m: rules.accept(a, 1, pending, m))  # Sam's window
        sue.screen.poll()  # type: ignore[attr-defined]
        await pilot.pause()
        assert messages(sue)[-1] == (
            f"Sam accepted line {pending}: it is in the agreement. "
            "That changed the agreement, so Sue's signature no longer holds: both sign again."
        )
        assert sue.screen.sub_title == "business · not signed yet"
        assert "a change undid Sue's signature: Sue and Sam still to sign" in turn_text(sue)


async def test_copy_line_says_the_number_every_pane_shows(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`C` on agreed lines sorted away from their place: the notice, the agreement, the
    history and the copied wording all name one number (SPEC §2, issue 11 item 4)."""
    import pyperclip

    def no_clipboard(text: str) -> None:
        raise pyperclip.PyperclipException("no clipboard mechanism")

    monkeypatch.setattr(pyperclip, "copy", no_clipboard)  # the same path on every machine
    store = Store(db_path, clock=FakeClock(START))
    s = Script(store, store.create(("Sue", "Sam"), title="Studio", kind=Kind.BUSINESS))
    texts = {
        s.agree("Work reaches Sam two days before it is due."): "Work reaches Sam two days before it is due.",
        s.agree("Invoices go out on Fridays.", "logistics"): "Invoices go out on Fridays.",
        s.agree("We say it the same week.", "communication"): "We say it the same week.",
    }
    assert list(texts) == [1, 2, 3]
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")  # the agreement: communication first, so line 3 comes first
        agreement = [row.strip() for row in rows(app, "agreement")]
        assert agreement[1] == "3. We say it the same week."
        assert agreement[-1] == "1. Work reaches Sam two days before it is due."
        for key, number in (("home", 3), ("end", 1)):
            await pilot.press(key, "C")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert messages(app)[-1].startswith(f"Sent line {number} to your terminal's clipboard")
            assert app.clipboard == texts[number]
            assert f"{number}. {texts[number]}" in agreement
            assert f"Sam accepted line {number}: {texts[number]}" in "\n".join(rows(app, "history"))
            # Sue wrote every line: her pane shows each by its number.
            mine = [row.strip() for row in rows(app, "partner-a")]
            assert any(row.startswith(f"{number}. ") and texts[number] in row for row in mine)


async def test_change_after_signing_shows_changed_since_then_version_2(db_path: Path) -> None:
    store = Store(db_path, clock=FakeClock(START))
    s = Script(store, store.create(("Sarah", "Peter"), title="Living together", kind=Kind.COUPLE))
    s.agree("Whoever cooks does not wash up.", "logistics")
    s.sign_both()
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.screen.sub_title.endswith("version 1")
        await pilot.press("n")
        await type_text(pilot, "Quiet mornings until the first coffee.")
        await pilot.press("enter", "p", "ctrl+t", "1", "a")
        await pilot.pause()
        assert "changed since v1" in app.screen.sub_title
        assert fresh(db_path, s.id)[1].changed_since_version

        await pilot.press("s", "y", "ctrl+t", "s", "y")
        await pilot.pause()
        assert app.screen.sub_title.endswith("version 2")

    store, saved = fresh(db_path, s.id)
    assert saved.version == 2 and not saved.changed_since_version
    v1, v2 = store.versions(s.id)
    assert [line.text for line in v1.lines] == ["Whoever cooks does not wash up."]
    assert sorted(line.text for line in v2.lines) == [
        "Quiet mornings until the first coffee.",
        "Whoever cooks does not wash up.",
    ]


async def test_compare_v1_with_v2(db_path: Path) -> None:
    two_versions(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v")
        assert isinstance(app.screen, VersionsScreen)
        listing = rows(app, "version-list")
        assert [row.split(" · ")[0] for row in listing] == ["v2", "v1"], "newest first, no 'now'"
        shape = r" · 3 lines\n   [0-9a-f]{4}(-[0-9a-f]{4}){3}$"
        assert all(re.search(shape, row) for row in listing), listing

        await pilot.press("down", "c", "up")  # v1 is the base; v2 is compared with it
        assert rows(app, "version-list")[1].startswith("◆ v1")
        assert "comparing with v1" in plain(app, "#keys")
        body = plain(app, "#version-body")
        assert "v1 → v2: 1 added, 1 removed, 1 changed, 1 the same" in body
        # Each line under its own number, as everywhere (SPEC §2).
        assert "  + 4. Each of us takes one day a week without meetings.\n" in body
        assert "  − 1. Work reaches the other two days before it is due.\n" in body
        assert (
            "  ~ 3. We answer messages within the hour.\n       We answer messages within half a day." in body
        )
        assert "  = 2. We say 'not working for me' out loud, the same week." in body

        await pilot.press("down", "c")  # c on the base again: back to reading v1 alone
        body = plain(app, "#version-body")
        assert "→" not in body and "version 1, signed 2026-03-02" in body

        # The newer picked as the base (where the cursor starts): still older → newer.
        await pilot.press("up", "c", "down")
        body = plain(app, "#version-body")
        assert "v1 → v2: 1 added, 1 removed, 1 changed, 1 the same" in body
        await pilot.press("up", "c")
        await pilot.press("escape")
        assert isinstance(app.screen, NegotiationScreen)


@pytest.mark.parametrize("fmt", ["json", "md"])
def test_export_version_n_round_trip(db_path: Path, fmt: str) -> None:
    """What the versions hold is exactly what `export --version N` prints, for each N."""
    alliance_id = two_versions(db_path)
    store = Store(db_path)
    outputs = {}
    for number in (1, 2):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "alliance_tui",
                "export",
                alliance_id,
                "--version",
                str(number),
                "--format",
                fmt,
                "--db",
                str(db_path),
            ],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
        )
        outputs[number] = result.stdout
        version = store.version(alliance_id, number)
        if fmt == "json":
            data = json.loads(result.stdout)
            assert data["alliance"]["version"] == number
            assert data["alliance"]["partners"] == list(version.partners)
            assert [
                (item["number"], item["text"], item["topic"], item["author"], item["trial_until"])
                for item in data["agreement"]
            ] == [
                (line.number, line.text, line.topic, version.partners[line.author], None)
                for line in version.lines
            ]
            assert all(item["agreed_at"].endswith("Z") for item in data["agreement"])
        else:
            assert f"— version {number}, signed 2026-03-02." in result.stdout
            numbered = [row for row in result.stdout.splitlines() if row[:1].isdigit()]
            assert numbered == [f"{line.number}. {line.text}" for line in version.lines]
    assert outputs[1] != outputs[2]
    if fmt == "md":
        assert "We answer messages within the hour." in outputs[1]
        assert "We answer messages within the hour." not in outputs[2]
        assert "without meetings" in outputs[2] and "without meetings" not in outputs[1]


# -- trial runs ----------------------------------------------------------------------------


async def agree_a_trial(app: AllianceApp, pilot: Any, until: str) -> None:
    await pilot.press("n")
    await type_text(pilot, "Priya plans her own week.")
    await pilot.press("tab", "tab")
    await type_text(pilot, until)
    await pilot.press("enter", "p", "ctrl+t", "1", "a", "ctrl+t")


async def test_trial_expiring_is_flagged_and_kept_without_its_date(db_path: Path) -> None:
    a = Store(db_path).create(("Priya", "Tom"), title="Working independently", kind=Kind.WORK)
    clock = FakeClock(START)
    app = new_app(db_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await agree_a_trial(app, pilot, "2026-03-20")
        (row,) = [r for r in rows(app, "agreement") if "Priya plans" in r]
        assert "trial until 2026-03-20" in row and "review due" not in row
        assert "review due" not in app.screen.sub_title

    clock.advance(days=20)  # 2026-03-22: the trial ran until the 20th (in any time zone)
    app = new_app(db_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        assert (
            "Review due: 1 trial ended; select it in the agreement (3), then r keeps, changes or removes it."
        ) in messages(app)
        assert "review due" in app.screen.sub_title
        (row,) = [r for r in rows(app, "agreement") if "Priya plans" in r]
        assert "review due" in row

        await pilot.press("3", "r")
        assert isinstance(app.screen, LineEditor)
        heading = str(app.screen.query_one("#heading").render())
        assert heading == (
            "The trial of line 1 ended on 2026-03-20: keep it (enter saves it without the "
            "trial date), change it, or tick removal"
        )
        assert app.screen.query_one("#trial", Input).value == "", "the trial date is not carried on"
        assert app.screen.query_one("#wording", TextArea).text == "Priya plans her own week."
        await pilot.press("enter")  # keep: a proposal of the same wording without a trial
        assert isinstance(app.screen, NegotiationScreen)
        assert any("change pending" in r for r in rows(app, "agreement"))
        # The history says what changed, not "X → X" (issue 11 item 9).
        assert rows(app, "history")[-1].endswith(
            "Priya reopened line 1: Priya plans her own week.  (trial until 2026-03-20 → none)"
        )
        await pilot.press("ctrl+t", "3", "a")
        await pilot.pause()
        (row,) = [r for r in rows(app, "agreement") if "Priya plans" in r]
        assert "trial" not in row
        assert "review due" not in app.screen.sub_title

    _, saved = fresh(db_path, a.id)
    (line,) = saved.lines.values()
    assert line.state is State.AGREED
    assert line.in_force is not None and line.in_force.trial_until is None
    assert not trials_due(saved, date(2026, 3, 22))


async def test_a_due_trial_can_be_removed_or_changed(db_path: Path) -> None:
    a = Store(db_path).create(("Priya", "Tom"), title="Working independently", kind=Kind.WORK)
    clock = FakeClock(START)
    app = new_app(db_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await agree_a_trial(app, pilot, "2026-03-05")
        await pilot.press("n")
        await type_text(pilot, "Tom reviews the plan by noon.")
        await pilot.press("tab", "tab")
        await type_text(pilot, "2026-03-05")
        await pilot.press("enter", "p", "ctrl+t", "1", "a", "ctrl+t")

    clock.advance(days=5)
    app = new_app(db_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        assert (
            "Review due: 2 trials ended; select each in the agreement (3), "
            "then r keeps, changes or removes it."
        ) in messages(app)
        assert sum("review due" in r for r in rows(app, "agreement")) == 2

        await pilot.press("3")
        app.screen.query_one("#agreement").select_id("line-1")  # type: ignore[attr-defined]
        await pilot.press("r")
        app.screen.query_one("#remove", Checkbox).value = True  # remove it
        await pilot.press("enter")
        app.screen.query_one("#agreement").select_id("line-2")  # type: ignore[attr-defined]
        await pilot.press("r")
        assert "The trial of line 2 ended on 2026-03-05" in str(app.screen.query_one("#heading").render())
        await pilot.press("tab", "tab")
        await type_text(pilot, "2026-04-30")  # change: a new trial
        await pilot.press("enter", "ctrl+t", "3")
        app.screen.query_one("#agreement").select_id("line-1")  # type: ignore[attr-defined]
        await pilot.press("a")
        app.screen.query_one("#agreement").select_id("line-2")  # type: ignore[attr-defined]
        await pilot.press("a")
        await pilot.pause()
        assert "review due" not in app.screen.sub_title

    _, saved = fresh(db_path, a.id)
    assert saved.lines[1].state is State.REMOVED
    assert saved.lines[2].in_force is not None
    assert saved.lines[2].in_force.trial_until == date(2026, 4, 30)


# -- review date ---------------------------------------------------------------------------


async def test_review_due_is_announced_on_launch_and_marked_in_the_list(db_path: Path) -> None:
    store = Store(db_path, clock=FakeClock(START))
    due = store.create(("Sarah", "Peter"), title="Living together", kind=Kind.COUPLE)
    store.update(due.id, review_on=date(2026, 2, 27))
    later = store.create(("Maya", "Jon"), title="Studio", kind=Kind.BUSINESS)
    store.update(later.id, review_on=date(2026, 6, 1))
    app = new_app(db_path, alliance=due.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert any(
            n.title == "Review due" and "the review date has passed" in n.message for n in app._notifications
        )
        assert app.screen.sub_title.endswith("review due")
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, AllianceListScreen)
        listed = rows(app, "alliance-list")
        assert "review due" in listed[0] and "Living together" in listed[0]
        assert "review due" not in listed[1] and "review on 2026-06-01" in listed[1]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
        assert app.screen.alliance_id == later.id
        assert app.screen.sub_title.endswith("review on 2026-06-01")
        assert not any(n.title == "Review due" for n in app._notifications if "Studio" in n.message)


async def test_set_and_clear_the_review_date(db_path: Path) -> None:
    a = Store(db_path).create(("Sarah", "Peter"), title="Living together", kind=Kind.COUPLE)
    app = new_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        (command,) = [c for c in app.get_system_commands(app.screen) if c.title == "Set review date"]
        await command.callback()  # as the command palette runs it
        await pilot.pause()
        assert isinstance(app.screen, ReviewDateDialog)
        await type_text(pilot, "next [b]week[/b]")
        await pilot.press("enter")
        assert isinstance(app.screen, ReviewDateDialog), "a bad date keeps the dialog open"
        assert (
            "Not a review date: 'next [b]week[/b]'. Try 2026-12-31, 31/12/2026, tomorrow, "
            "in 2 weeks or next monday." in plain(app, "#error")
        )
        assert app.screen.query_one("#value", Input).value == "next [b]week[/b]", "nothing typed is lost"

        app.screen.query_one("#value", Input).value = "2026-01-31"
        await pilot.press("enter")
        assert "cannot be in the past" in plain(app, "#error")
        app.screen.query_one("#value", Input).value = "2026-06-01"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
        assert app.screen.sub_title.endswith("review on 2026-06-01")
        assert "The next review is on 2026-06-01." in messages(app)
        assert fresh(db_path, a.id)[1].review_on == date(2026, 6, 1)

        await app.screen.run_action("review_date")
        await pilot.pause()
        assert app.screen.query_one("#value", Input).value == "2026-06-01"
        app.screen.query_one("#value", Input).value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert "review" not in app.screen.sub_title
    assert fresh(db_path, a.id)[1].review_on is None


# -- many alliances ------------------------------------------------------------------------


def three(path: Path) -> list[str]:
    store = Store(path, clock=FakeClock(START))
    s = Script(store, store.create(("Sarah", "Peter"), title="Living together", kind=Kind.COUPLE))
    s.agree("Whoever cooks does not wash up.")
    s.sign_both()
    s.do(lambda a, m: rules.draft(a, a.active, "Quiet mornings.", m))
    s.do(lambda a, m: rules.propose(a, a.active, 2, m))
    studio = store.create(("Maya", "Jon"), title="Studio", kind=Kind.BUSINESS)
    work = store.create(("Priya", "Tom"), title="Working independently", kind=Kind.WORK)
    return [s.id, studio.id, work.id]


def highlighted(app: AllianceApp) -> str | None:
    return app.screen.query_one("#alliance-list", OptionList).highlighted_option.id  # type: ignore[union-attr]


async def test_alliance_list_open_rename_archive_delete_new(db_path: Path) -> None:
    living, studio, work = three(db_path)
    app = new_app(db_path, alliance=living)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, AllianceListScreen)
        listed = rows(app, "alliance-list")
        assert listed[0] == ("Living together  couple\n   Sarah & Peter · v1 · 1 proposal for Peter")
        assert listed[1] == "Studio  business\n   Maya & Jon · unsigned · nothing pending"
        assert highlighted(app) == living, "the open alliance is highlighted"
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert {"Rename alliance", "Archive or unarchive alliance", "Delete alliance"} <= set(commands)
        await commands["Rename alliance"].callback()  # as the palette runs it, over the list
        await pilot.pause()
        assert isinstance(app.screen, FieldDialog)
        await pilot.press("escape")
        assert isinstance(app.screen, AllianceListScreen)

        # rename: the title is prefilled; typed text stays text
        await pilot.press("down", "r")
        assert isinstance(app.screen, FieldDialog)
        assert app.screen.query_one("#value", Input).value == "Studio"
        app.screen.query_one("#value", Input).value = ""
        await pilot.press("enter")
        assert "A title cannot be empty." in plain(app, "#error")
        app.screen.query_one("#value", Input).value = "Studio [b]two[/b]"
        await pilot.press("enter")
        assert isinstance(app.screen, AllianceListScreen)
        assert rows(app, "alliance-list")[1].startswith("Studio [b]two[/b]  business")
        assert highlighted(app) == studio, "the selection stays where it was"
        assert fresh(db_path, studio)[1].title == "Studio [b]two[/b]"

        # archive: gone from the list, the next one highlighted; h shows it again
        await pilot.press("a")
        assert [r.split("  ")[0] for r in rows(app, "alliance-list")] == [
            "Living together",
            "Working independently",
        ]
        assert highlighted(app) == work
        assert "1 archived hidden" in str(app.screen.query_one("#heading").render())
        assert fresh(db_path, studio)[1].archived
        await pilot.press("h")
        assert any("archived" in r and "Studio" in r for r in rows(app, "alliance-list"))
        assert highlighted(app) == work
        await pilot.press("up", "a")  # unarchive
        assert highlighted(app) == studio
        assert not any("archived" in r for r in rows(app, "alliance-list"))
        assert not fresh(db_path, studio)[1].archived

        # delete: asks first, naming the title; "n" keeps it
        await pilot.press("down", "delete")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Delete “Working independently” for good?" in str(app.screen.query_one("#heading").render())
        await pilot.press("n")
        assert len(Store(db_path).alliances(archived=True)) == 3
        await pilot.press("delete", "y")
        await pilot.pause()
        assert isinstance(app.screen, AllianceListScreen)
        assert len(rows(app, "alliance-list")) == 2
        assert highlighted(app) == studio
        assert [a.id for a in Store(db_path).alliances(archived=True)] == [living, studio]

        # open another; ctrl+n creates one from the list
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen) and app.screen.alliance_id == studio
        assert app.screen.title == "Studio [b]two[/b]"
        await pilot.press("ctrl+o", "ctrl+n")
        assert isinstance(app.screen, NewAllianceScreen)
        await type_text(pilot, "Ana")
        await pilot.press("tab")
        await type_text(pilot, "Ben")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
        assert app.screen.title == "Ana & Ben"
        stack = app.screen_stack
        assert sum(isinstance(s, NegotiationScreen) for s in stack) == 1, "one main screen"
        assert not any(isinstance(s, ModalScreen) for s in stack), "no list or form left behind"
    assert [a.title for a in Store(db_path).alliances()][-1] == "Ana & Ben"


async def test_renaming_the_open_alliance_updates_its_header(db_path: Path) -> None:
    """Nothing is agreed in the studio yet: a rename takes effect at once."""
    _, studio, _ = three(db_path)
    app = new_app(db_path, alliance=studio)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o", "r")
        app.screen.query_one("#value", Input).value = "Our studio"
        await pilot.press("enter", "escape")
        assert isinstance(app.screen, NegotiationScreen)
        assert app.screen.title == "Our studio"
        await pilot.pause()
        from alliance_tui.widgets.title_bar import TitleBar

        assert "Our studio" in app.screen.query_one(TitleBar).render().plain, "the header line shows it"


async def test_renaming_a_signed_alliance_waits_for_the_other_in_the_list(db_path: Path) -> None:
    """Living together is signed: Sarah's rename is a proposal; Peter accepts it with `a`."""
    living, _, _ = three(db_path)
    sarah = AllianceApp(db_path, alliance=living, bound_to="Sarah", clock=FakeClock(), poll_seconds=None)
    async with sarah.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o", "r")
        sarah.screen.query_one("#value", Input).value = "Our home"
        await pilot.press("enter")
        await pilot.pause()
        listed = rows(sarah, "alliance-list")
        assert "Sarah proposes to rename this alliance to 'Our home'; it waits for Peter" in listed[0]
    assert Store(db_path).load(living).title == "Living together", "nothing changes until Peter answers"
    peter = AllianceApp(db_path, alliance=living, bound_to="Peter", clock=FakeClock(), poll_seconds=None)
    async with peter.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o")
        assert "a accept (or archive) · x decline" in str(peter.screen.query_one("#keys").render())
        await pilot.press("a")
        await pilot.pause()
    a = Store(db_path).load(living)
    assert a.title == "Our home" and a.change is None


async def test_the_other_partner_accepts_deleting_a_signed_alliance_from_the_list(db_path: Path) -> None:
    """Sarah proposes to delete the signed alliance; Peter, after ctrl+t, accepts it with
    `a` in the list (ctrl+o): it is gone from the file (SPEC §2, issue 11 item 8)."""
    living, studio, work = three(db_path)
    app = new_app(db_path, alliance=living)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o", "delete")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog), "a proposal, not a deletion to confirm"
        assert (
            messages(app)[-1]
            == "Proposed to Peter: delete this alliance. It takes effect once Peter accepts."
        )
        assert Store(db_path).load(living).change is not None, "nothing deleted yet"
        await pilot.press("escape", "ctrl+t", "ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, AllianceListScreen) and highlighted(app) == living
        assert "a accept (or archive) · x decline" in plain(app, "#keys")
        await pilot.press("a")
        await pilot.pause()
        assert "Deleted “Living together”: both agreed." in messages(app)
        assert not any(
            isinstance(s, NegotiationScreen) and s.alliance_id == living for s in app.screen_stack
        ), "its main screen closed"
    assert [a.id for a in Store(db_path).alliances(archived=True)] == [studio, work]


async def test_declining_a_proposed_rename_keeps_the_title(db_path: Path) -> None:
    """Sarah proposes a new title; Peter declines it with `x`: the title stays and the
    history says `change_declined` (SPEC §2, issue 11 item 8)."""
    living, _, _ = three(db_path)
    app = new_app(db_path, alliance=living)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o", "r")
        app.screen.query_one("#value", Input).value = "Our home"
        await pilot.press("enter")
        await pilot.pause()
        assert "Sarah proposes to rename this alliance to 'Our home'" in rows(app, "alliance-list")[0]
        await pilot.press("escape", "ctrl+t", "ctrl+o")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert messages(app)[-1] == "Declined: the alliance stays as it is."
        assert "proposes to rename" not in rows(app, "alliance-list")[0]
        await pilot.press("escape")
        assert app.screen.title == "Living together"
    store, a = fresh(db_path, living)
    assert a.title == "Living together" and a.change is None
    proposed = [e for e in store.history(living) if e.action.value == "change_proposed"]
    declined = [e for e in store.history(living) if e.action.value == "change_declined"]
    assert [e.actor for e in proposed] == [0] and [e.actor for e in declined] == [1]


async def test_deleting_or_archiving_the_open_alliance_closes_it(db_path: Path) -> None:
    living, studio, work = three(db_path)
    app = new_app(db_path, alliance=studio)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o", "delete")
        assert "It is the alliance open now" in plain(app, "#context")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, AllianceListScreen)
        assert not any(isinstance(s, NegotiationScreen) for s in app.screen_stack)
        assert highlighted(app) == work
        assert "ctrl+q quit" in plain(app, "#keys")

        await pilot.press("enter")  # open Working independently, then archive it from the list
        await pilot.pause()
        await pilot.press("ctrl+o", "a")
        await pilot.pause()
        assert isinstance(app.screen, AllianceListScreen)
        assert not any(isinstance(s, NegotiationScreen) for s in app.screen_stack)
        assert [r.split("  ")[0] for r in rows(app, "alliance-list")] == ["Living together"]

        # Living together is signed: deleting it is a proposal Peter has to accept (SPEC §2).
        await pilot.press("delete")
        await pilot.pause()
        assert "Sarah proposes to delete this alliance; it waits for Peter" in rows(app, "alliance-list")[0]
        await pilot.press("h", "down", "delete", "y")  # the archived one goes at once
        await pilot.pause()
        assert isinstance(app.screen, AllianceListScreen)
    assert [a.id for a in Store(db_path).alliances(archived=True)] == [living]
    assert Store(db_path).load(living).change is not None


async def test_deleting_the_last_open_alliance_shows_the_first_run_form(db_path: Path) -> None:
    only = Store(db_path).create(("Sarah", "Peter"), title="Living together")
    app = new_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, NegotiationScreen)
        await pilot.press("ctrl+o", "delete", "y")
        await pilot.pause()
        assert isinstance(app.screen, NewAllianceScreen) and app.screen.first_run
        assert len(app.screen_stack) == 2
    assert Store(db_path).alliances(archived=True) == []
    assert only.id


async def test_only_archived_alliances_open_on_the_list(db_path: Path) -> None:
    store = Store(db_path)
    put_away = store.create(("Ana", "Ben"), title="Old flat share", kind=Kind.FRIENDS)
    store.update(put_away.id, archived=True)
    app = new_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, AllianceListScreen), "not the first-run form"
        assert "h shows the 1 archived" in rows(app, "alliance-list")[0]
        await pilot.press("h")
        assert rows(app, "alliance-list")[0].startswith("Old flat share  friends  archived")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen) and app.screen.alliance_id == put_away.id


async def test_escape_on_the_list_with_nothing_open_says_what_to_do(db_path: Path) -> None:
    """Nothing is behind the start-up list: escape explains instead of quitting (issue 11)."""
    three(db_path)
    app = new_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, AllianceListScreen), "several alliances: the list first"
        assert "ctrl+q quit" in plain(app, "#keys")
        await pilot.press("escape")
        await pilot.pause()
        assert not app._exit and isinstance(app.screen, AllianceListScreen)
        said = [n.message for n in app._notifications]
        assert said == ["Open one with enter, start one with ctrl+n, or leave with ctrl+q."]


async def test_hundreds_of_alliances_list_quickly_and_virtually(db_path: Path) -> None:
    store = Store(db_path)
    for n in range(300):
        store.create((f"A{n}", f"B{n}"), title=f"Alliance {n:03d}")
    app = new_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, AllianceListScreen)
        listing = app.screen.query_one("#alliance-list", OptionList)
        assert listing.option_count == 300
        await pilot.press("end")
        assert highlighted(app) == store.alliances()[-1].id
        await pilot.press("a")  # archive the last: the one before it is highlighted
        assert listing.option_count == 299
        assert highlighted(app) == store.alliances()[-1].id


# -- starter prompts -----------------------------------------------------------------------


async def test_prompt_to_draft_from_the_palette(db_path: Path) -> None:
    a = Store(db_path).create(("Sarah", "Peter"), title="Living together", kind=Kind.COUPLE)
    first = prompts_for(Kind.COUPLE)
    app = new_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        (command,) = [c for c in app.get_system_commands(app.screen) if c.title == "Starter prompts"]
        await command.callback()
        await pilot.pause()
        assert isinstance(app.screen, PromptPicker)
        listed = rows(app, "prompt-list")
        assert listed[0] == "Communication", "grouped by topic, in the agreement's order"
        for prompt in first:
            assert prompt.question in listed
        wanted = next(p for p in first if p.topic == "boundaries")
        questions = [row for row in listed if row.endswith("?")]  # headings are skipped
        await pilot.press(*["down"] * questions.index(wanted.question))
        await pilot.press("enter")
        assert isinstance(app.screen, LineEditor)
        assert plain(app, "#context") == f"Answering: {wanted.question}"
        assert app.screen.query_one("#topic", Input).value == "boundaries"
        await type_text(pilot, "Quiet until my first coffee, please.")
        await pilot.press("enter")
        assert isinstance(app.screen, NegotiationScreen)
        assert any("Quiet until my first coffee" in r and "draft" in r for r in rows(app, "partner-a"))

    _, saved = fresh(db_path, a.id)
    (line,) = saved.lines.values()
    assert (line.state, line.author, line.current.text, line.current.topic) == (
        State.DRAFT,
        0,
        "Quiet until my first coffee, please.",
        "boundaries",
    )


async def test_prompt_from_the_new_line_editor_with_f2(db_path: Path) -> None:
    a = Store(db_path).create(("Maya", "Jon"), title="Studio", kind=Kind.BUSINESS)
    app = new_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        assert "f2 starter prompts" in plain(app, "#keys")
        await type_text(pilot, "Two working days, please.")
        await pilot.press("f2")
        assert isinstance(app.screen, PromptPicker)
        await pilot.press("escape")  # cancel: the editor is as it was
        assert isinstance(app.screen, LineEditor)
        assert app.screen.query_one("#wording", TextArea).text == "Two working days, please."
        assert not app.screen.query_one("#context").display
        await pilot.press("f2", "enter")  # the first prompt
        question = next(p for p in prompts_for(Kind.BUSINESS) if p.topic == "communication")
        assert isinstance(app.screen, LineEditor)
        assert plain(app, "#context") == f"Answering: {question.question}"
        assert app.screen.query_one("#topic", Input).value == "communication"
        assert app.screen.focused is app.screen.query_one("#wording", TextArea)
        await pilot.press("enter")
        assert isinstance(app.screen, NegotiationScreen)

        await pilot.press("1", "e")  # editing a draft offers no prompts
        assert "f2" not in plain(app, "#keys")
        await pilot.press("f2")
        assert isinstance(app.screen, LineEditor)
    _, saved = fresh(db_path, a.id)
    (line,) = saved.lines.values()
    assert (line.current.text, line.current.topic) == ("Two working days, please.", "communication")


async def test_new_alliance_can_start_from_starter_prompts(tmp_path: Path) -> None:
    path = tmp_path / "fresh.json"
    app = new_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, NewAllianceScreen)
        await type_text(pilot, "Ana")
        await pilot.press("tab")
        await type_text(pilot, "Ben")
        await pilot.press("tab")
        app.screen.query_one("#kind").value = Kind.FRIENDS.value  # type: ignore[attr-defined]
        app.screen.query_one("#prompts", Checkbox).value = True
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptPicker), "the prompts open right after creation"
        assert app.screen.kind is Kind.FRIENDS
        await pilot.press("enter")
        assert isinstance(app.screen, LineEditor)
        await type_text(pilot, "Within a day is fine.")
        await pilot.press("enter")
        assert isinstance(app.screen, NegotiationScreen)
    store = Store(path)
    (a,) = store.alliances()
    (line,) = a.lines.values()
    assert a.kind is Kind.FRIENDS and line.current.text == "Within a day is fine."
    assert line.current.topic == "communication"


async def test_the_list_shows_an_alliance_another_window_adds(db_path: Path) -> None:
    three(db_path)
    app = AllianceApp(db_path, clock=FakeClock(), poll_seconds=60)  # the test looks, not a timer
    async with app.run_test(size=(120, 40)) as pilot:
        listing = app.screen
        assert isinstance(listing, AllianceListScreen)
        Store(db_path).create(("Cleo", "Dan"), title="Added elsewhere")
        listing._look()  # what the list's timer does
        await pilot.pause()
        assert any(row.startswith("Added elsewhere") for row in rows(app, "alliance-list"))


async def test_compare_with_one_version_says_so_and_compares_nothing(db_path: Path) -> None:
    """`c` with one version said "nothing to compare yet" while the keys said "comparing
    with v1" (play-tested)."""
    from alliance_tui.domain import rules

    store = Store(db_path, clock=FakeClock())
    alliance_id = store.create(("Sarah", "Peter"), title="Home").id
    line = store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Tea at four.", m)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, line, m))
    store.act(alliance_id, lambda a, m: rules.accept(a, 1, line, m))
    store.act(alliance_id, lambda a, m: rules.sign(a, 0, m))
    store.act(alliance_id, lambda a, m: rules.sign(a, 1, m))
    app = AllianceApp(db_path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("v", "c")
        await pilot.pause()
        assert isinstance(app.screen, VersionsScreen)
        assert "comparing" not in plain(app, "#keys")
        assert not rows(app, "version-list")[0].startswith("◆")
        assert "There is only one version: nothing to compare yet." in [n.message for n in app._notifications]
