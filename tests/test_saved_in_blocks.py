"""The lines are saved in blocks, each encoded once and reused (SPEC §9); nothing may
differ from encoding the whole file anew.

At 10,000 lines encoding the lines table took three milliseconds of every action, so the
storage keeps each block of lines as encoded and encodes again only the blocks whose
lines were replaced (`codec.Encoder`). These tests save on real files, touching lines in
several blocks, deleting lines and a whole alliance, with another process's store
writing in between, and check after every save that the file is byte for byte what
encoding its data whole gives, and reads back as the acting store holds it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from alliance_tui.domain import rules
from alliance_tui.store import Store
from alliance_tui.store.codec import BLOCK

if TYPE_CHECKING:
    from conftest import FakeClock


def encoded_whole(path: Path) -> bytes:
    """The file's data encoded anew, in one piece, in the file's own order."""
    return orjson.dumps(json.loads(path.read_bytes()))


def same_as_a_fresh_read(store: Store, path: Path, alliance_id: str, clock: FakeClock) -> None:
    assert path.read_bytes() == encoded_whole(path)
    fresh = Store(path, clock=clock).load(alliance_id)
    assert fresh.lines == store.load(alliance_id).lines


def test_saving_reuses_blocks_and_writes_what_a_whole_encoding_would(db_path: Path, clock: FakeClock) -> None:
    store = Store(db_path, clock=clock)
    a = store.create(("Sarah", "Peter"), title="Blocks")
    lines = 2 * BLOCK + 40  # three blocks, the last one short
    with store.storage.batch():
        for n in range(lines):
            store.act(a.id, lambda a, m, n=n: rules.draft(a, 0, f"Line {n}: quiet mornings.", m))
    same_as_a_fresh_read(store, db_path, a.id, clock)

    # A line in each block, then the first and the last: each save replaces one line.
    for line_id in (3, BLOCK + 7, 2 * BLOCK + 11, 1, lines):
        store.act(a.id, lambda a, m, i=line_id: rules.propose(a, 0, i, m))
        same_as_a_fresh_read(store, db_path, a.id, clock)
    # Deleting a draft in the first block moves every later line up a place.
    store.act(a.id, lambda a, m: rules.delete(a, 0, 2, m))
    same_as_a_fresh_read(store, db_path, a.id, clock)
    store.act(a.id, lambda a, m: rules.accept(a, 1, BLOCK + 7, m))
    same_as_a_fresh_read(store, db_path, a.id, clock)

    # Another process writes: this store reads its file again, then saves on top of it.
    other = Store(db_path, clock=clock)
    other.act(a.id, lambda a, m: rules.draft(a, 1, "Peter's thought.", m))
    other.act(a.id, lambda a, m: rules.edit(a, 0, 5, "Line 4, put otherwise.", m))
    store.act(a.id, lambda a, m: rules.propose(a, 0, 6, m))
    same_as_a_fresh_read(store, db_path, a.id, clock)
    assert store.load(a.id).lines[5].wordings[-1].text == "Line 4, put otherwise."
    assert store.load(a.id).lines[lines + 1].wordings[0].text == "Peter's thought."

    # A second alliance, then deleting the first: every table is made anew.
    b = store.create(("Ann", "Bob"), title="Second")
    store.act(b.id, lambda a, m: rules.draft(a, 0, "Ann's line.", m))
    same_as_a_fresh_read(store, db_path, b.id, clock)
    store.delete_alliance(a.id)
    store.act(b.id, lambda a, m: rules.propose(a, 0, 1, m))
    same_as_a_fresh_read(store, db_path, b.id, clock)
    assert [line.id for line in Store(db_path, clock=clock).load(b.id).lines.values()] == [1]
    saved = json.loads(db_path.read_bytes())["lines"]
    assert saved == store.storage.peek()["lines"] and len(saved) == 1
