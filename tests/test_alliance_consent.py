"""Consent for the whole alliance, in the app (SPEC §2): from the palette, as each seat."""

from __future__ import annotations

from pathlib import Path

from alliance_tui.app import AllianceApp
from alliance_tui.dialogs.confirm import ConfirmDialog
from alliance_tui.dialogs.field import FieldDialog
from alliance_tui.domain import Action, alliance_rules, rules
from alliance_tui.store import Store

from .conftest import FakeClock, choose_in_palette


def agreed_file(path: Path, coach: str | None = None) -> str:
    """Ann and Bob's "Studio" with one line agreed (so changes to it wait for consent)."""
    store = Store(path, clock=FakeClock())
    alliance_id = store.create(("Ann", "Bob"), title="Studio", coach=coach).id
    line = store.act(alliance_id, lambda a, m: rules.draft(a, 0, "Quiet", m)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, line, m))
    store.act(alliance_id, lambda a, m: rules.accept(a, 1, line, m))
    return alliance_id


def _said(app: AllianceApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_rename_once_agreed_waits_for_the_other_and_is_accepted(db_path: Path) -> None:
    alliance_id = agreed_file(db_path)
    ann = AllianceApp(db_path, bound_to="Ann", clock=FakeClock(), poll_seconds=None)
    async with ann.run_test(size=(120, 40)) as pilot:
        await choose_in_palette(ann, "Rename this alliance")
        await pilot.pause()
        assert isinstance(ann.screen, FieldDialog)
        field = ann.screen.query_one("#value")
        field.value = "Our studio"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert (
            "Proposed to Bob: rename this alliance to 'Our studio'. It takes effect once Bob accepts."
            in _said(ann)
        )
        assert "Ann proposes to rename this alliance" in str(ann.screen.query_one("#turn").render())
    assert Store(db_path).load(alliance_id).title == "Studio"
    bob = AllianceApp(db_path, bound_to="Bob", clock=FakeClock(), poll_seconds=None)
    async with bob.run_test(size=(120, 40)) as pilot:
        # What waits for Bob is said first, with how to answer it; never "nothing waits".
        assert str(bob.screen.query_one("#turn").render()).startswith(
            "▶ This window is Bob's · Ann proposes to rename this alliance to 'Our studio'; it waits "
            "for Bob (ctrl+p: Accept or Decline the proposed change)"
        )
        await choose_in_palette(bob, "Accept the proposed change")
        await pilot.pause()
        assert "nothing waits for Bob" in str(bob.screen.query_one("#turn").render())
    a = Store(db_path).load(alliance_id)
    assert a.title == "Our studio" and a.change is None
    history = Store(db_path).history(alliance_id)
    actions = [(e.action, e.actor) for e in history]
    assert actions[-2:] == [(Action.CHANGE_PROPOSED, 0), (Action.RENAMED, 1)]
    # Bob agreed to Ann's rename: the timeline said "Bob renamed the alliance".
    from alliance_tui.widgets.render import event_prompt

    said = [event_prompt(a, event).plain.split("  ", 1)[1] for event in history[-2:]]
    assert said == [
        "Ann proposed to rename it to Our studio",
        "Bob agreed to rename the alliance: Studio → Our studio",
    ]


async def test_the_proposer_cannot_accept_their_own_change(db_path: Path) -> None:
    alliance_id = agreed_file(db_path)
    Store(db_path).act(alliance_id, lambda a, m: alliance_rules.delete_alliance(a, 0, m))
    ann = AllianceApp(db_path, bound_to="Ann", clock=FakeClock(), poll_seconds=None)
    async with ann.run_test(size=(120, 40)) as pilot:
        await choose_in_palette(ann, "Accept the proposed change")
        await pilot.pause()
        assert _said(ann) == ["Ann proposed this, so Bob has to answer it."]
    assert Store(db_path).load(alliance_id).change is not None


async def test_a_reset_passphrase_shows_in_the_header_until_a_new_one(db_path: Path) -> None:
    alliance_id = agreed_file(db_path)
    Store(db_path).act(alliance_id, lambda a, m: alliance_rules.set_passphrase(a, 1, "bobs secret", m))
    ann = AllianceApp(db_path, bound_to="Ann", clock=FakeClock(), poll_seconds=None)
    async with ann.run_test(size=(160, 40)) as pilot:
        await choose_in_palette(ann, "Reset the other partner's passphrase")
        await pilot.pause()
        assert isinstance(ann.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert "Bob's passphrase was reset by Ann on" in str(ann.screen.sub_title)
    a = Store(db_path).load(alliance_id)
    assert a.partners[1].passphrase is None and a.partners[1].reset is not None
