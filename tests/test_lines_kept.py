"""After another process's save, the store decodes again only the lines whose records
changed (SPEC §9: a change shown within a quarter of a second at 10,000 lines).

Each line is kept with its record as JSON; a record that is byte for byte the same gives
back the very line read before. These tests, on real files with two stores as two
processes would be, check that what is kept is always what the file says: after a
change, a deletion, an action that failed half-way, and a hand edit that only compares
equal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from alliance_tui.domain import Alliance, Moment, Outcome, State, rules
from alliance_tui.store import DatabaseError, Store

if TYPE_CHECKING:
    from conftest import FakeClock


def three_lines(db_path: Path, clock: FakeClock) -> tuple[Store, str]:
    store = Store(db_path, clock=clock)
    a = store.create(("Sarah", "Peter"), title="Kept")
    for text in ("Quiet mornings.", "Fridays at home.", "Dinner on Sundays."):
        store.act(a.id, lambda a, m, t=text: rules.draft(a, 0, t, m))
    store.act(a.id, lambda a, m: rules.propose(a, 0, 2, m))
    return store, a.id


def test_only_the_changed_lines_are_read_again(db_path: Path, clock: FakeClock) -> None:
    viewer, alliance_id = three_lines(db_path, clock)
    before = viewer.load(alliance_id).lines
    other = Store(db_path, clock=clock)
    other.act(alliance_id, lambda a, m: rules.accept(a, 1, 2, m))
    other.act(alliance_id, lambda a, m: rules.delete(a, 0, 3, m))
    other.act(alliance_id, lambda a, m: rules.draft(a, 1, "Peter's thought.", m))

    after = viewer.load(alliance_id).lines
    assert after[1] is before[1], "an unchanged line is the one read before"
    assert after[2] is not before[2] and after[2].state is State.AGREED
    assert 3 not in after and after[4].wordings[0].text == "Peter's thought."
    assert after == Store(db_path, clock=clock).load(alliance_id).lines

    # And this store acts on top: what it saves is read back as it is.
    viewer.act(alliance_id, lambda a, m: rules.propose(a, 0, 1, m))
    assert other.load(alliance_id).lines == viewer.load(alliance_id).lines
    assert viewer.load(alliance_id).lines[1].state is State.PROPOSED


def test_an_action_that_failed_half_way_leaves_nothing_kept(db_path: Path, clock: FakeClock) -> None:
    """An operation changed a line in memory, then failed: the line is read from the file."""
    store, alliance_id = three_lines(db_path, clock)

    def breaks(a: Alliance, m: Moment) -> Outcome:
        rules.propose(a, 0, 1, m)
        raise RuntimeError("half-way")

    with pytest.raises(RuntimeError):
        store.act(alliance_id, breaks)
    assert store.load(alliance_id).lines[1].state is State.DRAFT
    Store(db_path, clock=clock).act(alliance_id, lambda a, m: rules.accept(a, 1, 2, m))
    assert store.load(alliance_id).lines[1].state is State.DRAFT
    assert store.load(alliance_id).lines == Store(db_path, clock=clock).load(alliance_id).lines


def test_a_hand_edit_that_only_compares_equal_is_still_refused(db_path: Path, clock: FakeClock) -> None:
    """`true` equals `1` in Python, but a line's author must be the number: the edited
    file is refused by a store that read it before, as by a new one."""
    _, alliance_id = three_lines(db_path, clock)
    store = Store(db_path, clock=clock)
    store.load(alliance_id)  # read from the file: its records are what it keeps
    data = json.loads(db_path.read_text(encoding="utf-8"))
    record = next(doc for doc in data["lines"].values() if doc["id"] == 1)
    assert record["author"] == 0
    record["author"] = False
    db_path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(DatabaseError, match="author"):
        Store(db_path, clock=clock).load(alliance_id)
    with pytest.raises(DatabaseError, match="author"):
        store.load(alliance_id)
