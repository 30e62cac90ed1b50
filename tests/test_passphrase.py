"""Passphrases (SPEC §2): the keyboard passes to a guarded partner only with theirs."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Input

from alliance_tui.app import AllianceApp
from alliance_tui.dialogs.field import FieldDialog
from alliance_tui.domain import Alliance, Kind, Moment, Partner, Refused, alliance_rules, rules
from alliance_tui.domain.passphrase import opens, seal
from alliance_tui.screens.negotiation import NegotiationScreen
from alliance_tui.store import Store

from .conftest import FakeClock

SECRET = "peter's quiet word"
WHEN = Moment(datetime(2026, 3, 2, tzinfo=UTC), 1)


def alliance() -> Alliance:
    return Alliance("x", "t", Kind.COUPLE, (Partner("Sarah"), Partner("Peter")), WHEN.at)


def test_a_sealed_passphrase_opens_only_with_itself() -> None:
    sealed = seal(SECRET)
    assert opens(sealed, SECRET)
    assert not opens(sealed, SECRET.upper())
    assert not opens(sealed, "")
    assert sealed.digest != SECRET.encode() and len(sealed.salt) == 16
    assert seal(SECRET).salt != sealed.salt, "each seal has its own salt"


def test_the_keyboard_passes_to_a_guarded_partner_only_with_their_passphrase() -> None:
    a = alliance()
    rules.pass_keyboard(a, a.active, WHEN)
    alliance_rules.set_passphrase(a, a.active, SECRET, WHEN)  # Peter guards his turn
    rules.pass_keyboard(a, a.active, WHEN)  # back to Sarah: she has none
    with pytest.raises(Refused, match="Peter set a passphrase"):
        rules.pass_keyboard(a, a.active, WHEN)
    with pytest.raises(Refused, match="That is not Peter's passphrase: the keyboard stays with Sarah"):
        rules.pass_keyboard(a, a.active, WHEN, passphrase="guess")
    assert a.active == 0
    rules.pass_keyboard(a, a.active, WHEN, passphrase=SECRET)
    assert a.active == 1


def test_changing_or_removing_needs_the_current_passphrase() -> None:
    a = alliance()
    alliance_rules.set_passphrase(a, a.active, SECRET, WHEN)
    with pytest.raises(Refused, match="not Sarah's current passphrase"):
        alliance_rules.set_passphrase(a, a.active, "another one", WHEN, current="wrong")
    with pytest.raises(Refused, match="not Sarah's current passphrase"):
        alliance_rules.set_passphrase(a, a.active, None, WHEN)
    with pytest.raises(Refused, match="at least 4 characters"):
        alliance_rules.set_passphrase(a, a.active, "abc", WHEN, current=SECRET)
    alliance_rules.set_passphrase(a, a.active, "another one", WHEN, current=SECRET)
    assert a.partners[0].passphrase is not None and opens(a.partners[0].passphrase, "another one")
    alliance_rules.set_passphrase(a, a.active, None, WHEN, current="another one")
    assert a.partners[0].passphrase is None


def test_the_database_and_exports_never_hold_the_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    store = Store(path)
    a = store.create(("Sarah", "Peter"), title="Guarded")
    store.act(a.id, lambda a, m: alliance_rules.set_passphrase(a, a.active, SECRET, m))
    raw = path.read_bytes()
    assert SECRET.encode() not in raw and SECRET.encode().hex().encode() not in raw
    record = json.loads(raw)["alliances"]["1"]["partners"][0]["passphrase"]
    assert set(record) == {"scrypt", "salt", "n", "r", "p"}
    reopened = Store(path).load(a.id).partners[0].passphrase
    assert reopened is not None and opens(reopened, SECRET), "the seal survives a reload"
    for form in ("json", "md", "txt"):
        out = subprocess.run(
            [sys.executable, "-m", "alliance_tui", "export", "--db", str(path), "--format", form],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert SECRET not in out and record["scrypt"] not in out and record["salt"] not in out


async def test_passing_to_a_guarded_partner_asks_and_a_wrong_one_waits(db_path: Path) -> None:
    store = Store(db_path)
    a = store.create(("Sarah", "Peter"), title="Guarded")
    store.act(a.id, lambda a, m: rules.pass_keyboard(a, a.active, m))
    store.act(a.id, lambda a, m: alliance_rules.set_passphrase(a, a.active, SECRET, m))
    store.act(a.id, lambda a, m: rules.pass_keyboard(a, a.active, m))  # Sarah at the keyboard, Peter guarded
    app = AllianceApp(db_path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+t")
        assert isinstance(app.screen, FieldDialog)
        field = app.screen.query_one("#value", Input)
        assert field.password, "the passphrase is not shown as typed"
        field.value = "a guess"
        await pilot.press("enter")
        await pilot.pause()
        assert field.disabled, "a wrong passphrase is answered only after a pause"
        await pilot.pause(1.3)
        assert not field.disabled and field.value == ""
        assert "not Peter's passphrase" in str(app.screen.query_one("#error").render())
        assert Store(db_path).load(a.id).active == 0
        field.value = SECRET
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NegotiationScreen)
        assert "Peter is at the keyboard" in str(app.screen.query_one("#turn").render())
    assert Store(db_path).load(a.id).active == 1


async def test_a_partner_sets_and_removes_a_passphrase_from_the_palette(db_path: Path) -> None:
    store = Store(db_path)
    a = store.create(("Sarah", "Peter"), title="Guarded")
    app = AllianceApp(db_path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Set passphrase")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FieldDialog)
        app.screen.query_one("#value", Input).value = SECRET
        await pilot.press("enter")
        await pilot.pause()
        assert Store(db_path).load(a.id).partners[0].passphrase is None, "typed once: not set yet"
        once_more = app.screen
        assert isinstance(once_more, FieldDialog) and once_more.label == "Again"
        once_more.query_one("#value", Input).value = SECRET + "x"  # a typo, unseen
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is once_more
        assert "That is not what you typed first" in str(once_more.query_one("#error").render())
        assert Store(db_path).load(a.id).partners[0].passphrase is None, "a typo never locks the seat"
        once_more.query_one("#value", Input).value = SECRET
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, FieldDialog)
        sealed = Store(db_path).load(a.id).partners[0].passphrase
        assert sealed is not None and opens(sealed, SECRET)

        await app.screen.run_action("passphrase")  # again: now it asks for the current one
        await pilot.pause()
        app.screen.query_one("#value", Input).value = SECRET
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FieldDialog)  # the new one, left blank: removed
        await pilot.press("enter")
        await pilot.pause()
    assert Store(db_path).load(a.id).partners[0].passphrase is None


async def test_a_passphrase_too_short_is_refused_before_it_is_asked_again(db_path: Path) -> None:
    from alliance_tui.domain.passphrase import MINIMUM

    Store(db_path).create(("Sarah", "Peter"), title="Guarded")
    app = AllianceApp(db_path, clock=FakeClock(), poll_seconds=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.screen.run_action("passphrase")
        await pilot.pause()
        first = app.screen
        assert isinstance(first, FieldDialog)
        first.query_one("#value", Input).value = "x" * (MINIMUM - 1)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is first, "not asked again: refused at once"
        assert f"at least {MINIMUM} characters" in str(first.query_one("#error").render())
