"""The file written from reused history bytes is exactly the database in memory."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance_tui.domain import rules
from alliance_tui.store import DatabaseError, Store, records


def test_reused_history_encoding_matches_the_data(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    store = Store(path)
    first, second = store.create(("A", "B")), store.create(("C", "D"))
    rng = random.Random(3)
    extra = None
    for n in range(300):
        alliance_id = rng.choice([first.id, second.id])
        store.act(alliance_id, lambda a, m, n=n: rules.draft(a, a.active, f"wording {n} ✓ [/]", m))
        if n % 37 == 0:
            store.update(alliance_id, title=f"Title {n}")  # written through TinyDB's own API
        if n % 101 == 0:
            extra = store.create(("E", "F"), title=f"extra {n}")
        if n % 150 == 0 and extra is not None:
            store.delete_alliance(extra.id)  # TinyDB replaces the history table here
        on_disk = json.loads(path.read_text(encoding="utf-8"))
        assert on_disk == store.storage.read(), f"after step {n}"
    assert len(Store(path).history(first.id)) + len(Store(path).history(second.id)) >= 300


def test_each_launch_keeps_the_file_as_it_was_and_at_most_three(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    alliance = Store(path).create(("A", "B")).id
    states = []
    for launch in range(5):
        states.append(path.read_bytes())
        store = Store(path)  # a new launch
        store.act(alliance, lambda a, m, n=launch: rules.draft(a, a.active, f"launch {n}", m))
        store.act(alliance, lambda a, m, n=launch: rules.draft(a, a.active, f"again {n}", m))
        kept = store.storage.backups()
        assert kept[0].read_bytes() == states[-1], "the newest backup is the file as opened"
    assert [p.read_bytes() for p in store.storage.backups()] == states[-1:-4:-1]
    assert not (tmp_path / "a.json.bak4").exists()
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in store.storage.backups())


def test_a_countered_line_is_read_the_quick_way_as_the_careful_way_reads_it(tmp_path: Path) -> None:
    """Lines with counters (what each counter answered, `earlier`) take the quick decoding
    too (SPEC §9); a damaged one is still refused in the careful way's words."""
    path = tmp_path / "a.json"
    store = Store(path)
    a = store.create(("A", "B"))
    store.act(a.id, lambda a, m: rules.draft(a, 0, "Quiet mornings.", m))
    store.act(a.id, lambda a, m: rules.propose(a, 0, 1, m))
    store.act(a.id, lambda a, m: rules.counter(a, 1, 1, "Quiet until nine.", m))
    store.act(a.id, lambda a, m: rules.counter(a, 0, 1, "Quiet until half past eight.", m))
    data = json.loads(path.read_text(encoding="utf-8"))
    (record,) = data["lines"].values()
    assert len(record["earlier"]) == 2
    assert records.line_in(record) == records._line_in(record) == store.load(a.id).lines[1]

    record["earlier"][1] = [7, None]  # answers a wording the line does not have
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DatabaseError, match="line 1 points at wording 7"):
        Store(path).load(a.id)


def _outcome(decode: Any, record: Any) -> Any:
    try:
        return decode(record)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        return ("refused", str(error))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
_USUAL_TIME = "2026-03-01T09:30:00+00:00"


@settings(max_examples=400, deadline=None)
@given(
    field=st.sampled_from(
        [
            "id",
            "author",
            "state",
            "offer",
            "agreed",
            "agreed_at",
            "removal_by",
            "reason",
            "earlier",
            "flagged",
            "wordings",
            "w.text",
            "w.by",
            "w.at",
            "w.topic",
            "w.trial_until",
            "w.sign",
        ]
    ),
    value=_JSON
    | st.sampled_from(
        [
            _USUAL_TIME,
            "2026-03-01T09:30:00",
            "0001-01-01T00:00:00+00:00",
            "2026-02-30",
            "2026-03-01",
            "proposed",
            "agreed",
            0,
            1,
            2,
            10**12,
        ]
    ),
    agreed=st.booleans(),
    drop=st.booleans(),
)
def test_the_quick_way_reads_every_record_as_the_careful_way(
    field: str, value: Any, agreed: bool, drop: bool
) -> None:
    """Whatever one field of a line holds (or its absence), `lines_in` takes or refuses the
    record as `_line_in` does, in the same words (SPEC §9's quick path changes nothing)."""
    wording = {"text": "Quiet mornings.", "by": 0, "at": _USUAL_TIME, "topic": "home"}
    record: dict[str, Any] = {"alliance": "a", "id": 3, "author": 0, "wordings": [wording]}
    record.update(
        {"state": "agreed", "agreed": 0, "agreed_at": _USUAL_TIME}
        if agreed
        else {"state": "draft", "offer": 0}
    )
    target, key = (wording, field[2:]) if field.startswith("w.") else (record, field)
    if drop:
        target.pop(key, None)
    else:
        target[key] = value
    assert _outcome(lambda r: records.lines_in([r])[0], record) == _outcome(records._line_in, record)
