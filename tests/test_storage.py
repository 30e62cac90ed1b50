"""The database file on a real disk: privacy, UTF-8, durability, failures, locking, schema.

These tests read the file itself (bytes, mode, mtime) rather than trusting the store's
memory, since what matters is what survives when the program is gone.
"""

from __future__ import annotations

import errno
import json
import os
import random
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance_tui import paths
from alliance_tui.domain import Action, Kind, Refused, State, rules
from alliance_tui.store import DatabaseError, Store, schema

if TYPE_CHECKING:
    from conftest import FakeClock


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def snapshot(path: Path) -> tuple[bytes, int, int, int]:
    """What must not change when nothing is saved: the bytes and the file's identity."""
    st = path.stat()
    return path.read_bytes(), st.st_mtime_ns, st.st_ino, st.st_size


def on_disk(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def strays(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f".{path.name}.tmp-*"))


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Run with umask 0, so any privacy seen comes from the code and not the umask."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


# -- privacy ---------------------------------------------------------------------------


def test_new_file_and_lock_are_readable_by_owner_only(
    db_path: Path, clock: FakeClock, open_umask: None
) -> None:
    store = Store(db_path, clock=clock)
    assert mode_of(db_path) == 0o600
    a = store.create(("Sarah", "Peter"))
    store.act(a.id, lambda a, m: rules.draft(a, a.active, "Quiet mornings.", m))
    # Every save replaces the file: the replacement must be private too.
    assert mode_of(db_path) == 0o600
    assert mode_of(db_path.with_name(f".{db_path.name}.lock")) == 0o600


def test_default_path_folder_is_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: FakeClock, open_umask: None
) -> None:
    monkeypatch.delenv(paths.ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path, default = paths.database_path(None)
    assert default is True
    assert path == tmp_path / "xdg" / "alliance-tui" / "alliance.json"
    paths.make_private_folder(path.parent)
    Store(path, clock=clock).create(("Sarah", "Peter"))
    assert mode_of(path.parent) == 0o700
    assert mode_of(path) == 0o600


def test_given_path_is_not_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.ENV, str(tmp_path / "env.json"))
    assert paths.database_path(str(tmp_path / "given.json")) == (tmp_path / "given.json", False)
    assert paths.database_path(None) == (tmp_path / "env.json", False)


# -- UTF-8 -----------------------------------------------------------------------------

TITLE = "同居 🏠 Zusammenleben"
NAMES = ("さくら", "Zoë 👩‍👩‍👧")
WORDING = "朝はコーヒーの前に話さない ☕️ — «ok?» 🙂 ü\u0308"


def test_cjk_and_emoji_round_trip_as_utf8(db_path: Path, clock: FakeClock) -> None:
    store = Store(db_path, clock=clock)
    a = store.create(NAMES, title=TITLE, kind=Kind.COUPLE)
    store.act(a.id, lambda a, m: rules.draft(a, a.active, WORDING, m, topic="コミュニケーション"))

    raw = db_path.read_bytes()
    raw.decode("utf-8")  # strict: raises on anything that is not UTF-8
    # Written as the characters themselves, not as \u escapes (or in the locale's encoding).
    for text in (TITLE, *NAMES, WORDING):
        assert text.encode("utf-8") in raw

    again = Store(db_path, clock=clock).load(a.id)
    assert again.title == TITLE
    assert again.names == NAMES
    line = next(iter(again.lines.values()))
    assert line.current.text == WORDING
    assert line.current.topic == "コミュニケーション"


def test_utf8_does_not_depend_on_the_locale(db_path: Path, clock: FakeClock) -> None:
    """TinyDB's own storage uses the locale's encoding; ours must write UTF-8 under LC_ALL=C."""
    script = (
        "import locale, sys; from alliance_tui.store import Store; "
        f"Store(sys.argv[1]).create({ascii(NAMES)}, title={ascii(TITLE)}); "
        "print(locale.getpreferredencoding(False))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHON"))}
    env.update(LC_ALL="C", LANG="C", PYTHONCOERCECLOCALE="0", PYTHONUTF8="0")
    result = subprocess.run(
        [sys.executable, "-c", script, str(db_path)], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    # The child really ran with a locale that cannot encode these names.
    assert result.stdout.strip().lower().replace("-", "") not in ("utf8", "")
    raw = db_path.read_bytes()
    assert TITLE.encode("utf-8") in raw
    assert Store(db_path, clock=clock).find(None).names == NAMES


# -- durability ------------------------------------------------------------------------


def test_every_action_is_on_disk_when_act_returns(db_path: Path, clock: FakeClock) -> None:
    store = Store(db_path, clock=clock)
    a = store.create(("Sarah", "Peter"), title="Living together")
    assert [doc["id"] for doc in on_disk(db_path)["alliances"].values()] == [a.id]

    steps = [
        ("drafted", lambda a, m: rules.draft(a, a.active, "Quiet mornings.", m)),
        ("proposed", lambda a, m: rules.propose(a, a.active, 1, m)),
        ("passed", (lambda a, m: rules.pass_keyboard(a, a.active, m))),
        ("accepted", lambda a, m: rules.accept(a, a.active, 1, m)),
        ("signed", (lambda a, m: rules.sign(a, a.active, m))),
        ("passed", (lambda a, m: rules.pass_keyboard(a, a.active, m))),
        ("signed", (lambda a, m: rules.sign(a, a.active, m))),
        ("drafted", lambda a, m: rules.draft(a, a.active, "Dishes the same evening.", m)),
    ]
    for count, (action, step) in enumerate(steps, start=2):
        store.act(a.id, step)
        # Straight from the file, with no help from this store's memory...
        events = list(on_disk(db_path)["events"].values())
        assert len(events) == count
        assert events[-1]["action"] == action
        # ...and through a store that has never seen this file before.
        fresh = Store(db_path, clock=clock)
        assert [e.action.value for e in fresh.history(a.id)][-1] == action
        assert len(fresh.history(a.id)) == count
        assert not strays(db_path)

    fresh = Store(db_path, clock=clock)
    b = fresh.load(a.id)
    assert b.version == 1
    assert b.lines[1].state is State.AGREED
    assert b.lines[2].state is State.DRAFT
    assert [v.number for v in fresh.versions(a.id)] == [1]


def test_update_and_delete_are_on_disk(db_path: Path, clock: FakeClock) -> None:
    store = Store(db_path, clock=clock)
    a = store.create(("Sarah", "Peter"))
    b = store.create(("Ann", "Bob"))
    store.update(a.id, title="Renamed", review_on=date(2026, 9, 1))
    record = next(d for d in on_disk(db_path)["alliances"].values() if d["id"] == a.id)
    assert record["title"] == "Renamed"
    assert record["review_on"] == "2026-09-01"
    store.delete_alliance(b.id)
    assert [d["id"] for d in on_disk(db_path)["alliances"].values()] == [a.id]
    assert all(d["alliance"] != b.id for d in on_disk(db_path)["events"].values())


def test_stray_temporary_files_are_cleaned_on_open(db_path: Path, clock: FakeClock) -> None:
    store = Store(db_path, clock=clock)
    a = store.create(("Sarah", "Peter"))
    before = db_path.read_bytes()
    folder = db_path.parent
    # What a save killed between mkstemp and os.replace leaves behind.
    (folder / f".{db_path.name}.tmp-k1ll3d").write_bytes(before[: len(before) // 2])
    (folder / f".{db_path.name}.tmp-empty").write_bytes(b"")
    # Files that merely look alike belong to someone else and must stay.
    keep = [folder / ".other.json.tmp-1", folder / f"{db_path.name}.tmp-1", folder / "notes.txt"]
    for path in keep:
        path.write_text("mine")
    assert len(strays(db_path)) == 2

    fresh = Store(db_path, clock=clock)

    assert strays(db_path) == []
    assert all(path.read_text() == "mine" for path in keep)
    assert db_path.read_bytes() == before
    assert fresh.load(a.id).names == ("Sarah", "Peter")


def test_stray_files_are_cleaned_when_the_database_is_created(db_path: Path, clock: FakeClock) -> None:
    stray = db_path.parent / f".{db_path.name}.tmp-abc"
    stray.write_text("{")
    Store(db_path, clock=clock)
    assert not stray.exists()


# -- a save that fails -----------------------------------------------------------------


def _no_space(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("broken", ["replace", "fsync"])
def test_failed_save_changes_nothing(
    broken: str, db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(db_path, clock=clock)
    a = store.create(("Sarah", "Peter"))
    store.act(a.id, lambda a, m: rules.draft(a, a.active, "Quiet mornings.", m))
    before = snapshot(db_path)
    history = store.history(a.id)

    with monkeypatch.context() as patch:
        patch.setattr(os, broken, _no_space)
        with pytest.raises(DatabaseError) as caught:
            store.act(a.id, lambda a, m: rules.draft(a, a.active, "Lost to a full disk.", m))
        with pytest.raises(DatabaseError):
            store.act(a.id, lambda a, m: rules.propose(a, a.active, 1, m))
        with pytest.raises(DatabaseError):
            store.create(("Ann", "Bob"))

    assert caught.value.path == db_path
    assert "full" in caught.value.problem
    assert snapshot(db_path) == before
    assert not strays(db_path)

    # The same store reads the old state back, not what it held in memory.
    b = store.load(a.id)
    assert list(b.lines) == [1]
    assert b.lines[1].state is State.DRAFT
    assert b.next_line == 2
    assert store.history(a.id) == history
    assert [x.id for x in store.alliances()] == [a.id]

    # The disk has room again: the next action applies to the old state.
    store.act(a.id, lambda a, m: rules.draft(a, a.active, "Dishes the same evening.", m))
    fresh = Store(db_path, clock=clock)
    texts = [line.current.text for line in fresh.load(a.id).lines.values()]
    assert texts == ["Quiet mornings.", "Dishes the same evening."]
    assert len(fresh.history(a.id)) == len(history) + 1


# -- two stores on one file ------------------------------------------------------------


def test_two_stores_on_one_file_lose_nothing(db_path: Path, clock: FakeClock) -> None:
    one = Store(db_path, clock=clock)
    two = Store(db_path, clock=clock)
    a = one.create(("Sarah", "Peter"))
    assert two.load(a.id).names == ("Sarah", "Peter")

    turns = [("one", i) for i in range(50)] + [("two", i) for i in range(50)]
    random.Random(20260302).shuffle(turns)  # runs of several turns by one store, too
    stores = {"one": one, "two": two}
    for done, (who, i) in enumerate(turns, start=1):
        text = f"{who} {i}"
        stores[who].act(a.id, lambda a, m, text=text: rules.draft(a, a.active, text, m))
        watcher = stores["two" if who == "one" else "one"]
        seen = watcher.load(a.id)
        assert len(seen.lines) == done
        assert seen.lines[done].current.text == text

    fresh = Store(db_path, clock=clock)
    b = fresh.load(a.id)
    assert sorted(b.lines) == list(range(1, 101))
    assert b.next_line == 101
    assert {line.current.text for line in b.lines.values()} == {f"{w} {i}" for w, i in turns}
    drafted = [e for e in fresh.history(a.id) if e.action is Action.DRAFTED]
    assert len(drafted) == 100
    assert len(on_disk(db_path)["lines"]) == 100


def test_two_stores_negotiate_with_each_other(db_path: Path, clock: FakeClock) -> None:
    sarah = Store(db_path, clock=clock)
    peter = Store(db_path, clock=clock)
    a = sarah.create(("Sarah", "Peter"))
    for n in range(1, 11):
        sarah.act(a.id, lambda a, m, n=n: rules.draft(a, a.active, f"line {n}", m))
        sarah.act(a.id, lambda a, m, n=n: rules.propose(a, a.active, n, m))
        sarah.act(a.id, lambda a, m: rules.pass_keyboard(a, a.active, m))
        # Peter's store must see Sarah's proposal to be allowed to accept it.
        peter.act(a.id, lambda a, m, n=n: rules.accept(a, a.active, n, m))
        peter.act(a.id, lambda a, m: rules.pass_keyboard(a, a.active, m))
    b = Store(db_path, clock=clock).load(a.id)
    assert all(line.state is State.AGREED for line in b.lines.values())
    assert len(b.lines) == 10
    assert b.active == 0


def test_two_stores_create_alliances_in_turn(db_path: Path, clock: FakeClock) -> None:
    """TinyDB caches each table's next id: two writers inserting in turn must not collide."""
    one = Store(db_path, clock=clock)
    two = Store(db_path, clock=clock)
    made = []
    for n in range(10):
        store = one if n % 2 else two
        made.append(store.create((f"A{n}", f"B{n}")).id)
    for store in (one, two, Store(db_path, clock=clock)):
        assert [x.id for x in store.alliances()] == made
    assert len(on_disk(db_path)["events"]) == 10


# -- schema versions -------------------------------------------------------------------


def _file_with_schema(path: Path, version: int) -> None:
    path.write_text(json.dumps({"_meta": {"1": {"app": "alliance-tui", "schema": version}}}))


def test_newer_schema_is_refused_and_left_alone(db_path: Path, clock: FakeClock) -> None:
    _file_with_schema(db_path, schema.SCHEMA + 1)
    before = snapshot(db_path)
    with pytest.raises(DatabaseError) as caught:
        Store(db_path, clock=clock)
    assert "newer" in caught.value.problem
    assert caught.value.path == db_path
    assert snapshot(db_path) == before
    assert sorted(p.name for p in db_path.parent.iterdir() if not p.name.endswith(".lock")) == [db_path.name]


@pytest.mark.parametrize("version", [0, -1, "1", None, 1.5])
def test_nonsense_schema_is_refused(db_path: Path, clock: FakeClock, version: object) -> None:
    db_path.write_text(json.dumps({"_meta": {"1": {"app": "alliance-tui", "schema": version}}}))
    before = snapshot(db_path)
    with pytest.raises(DatabaseError):
        Store(db_path, clock=clock)
    assert snapshot(db_path) == before


def _schema1_file(db_path: Path, clock: FakeClock) -> str:
    store = Store(db_path, clock=clock)
    a = store.create(("Sarah", "Peter"), title="Living together")
    store.act(a.id, lambda a, m: rules.draft(a, a.active, "Quiet mornings.", m))
    store.act(a.id, lambda a, m: rules.propose(a, a.active, 1, m))
    return a.id


def test_older_schema_is_migrated_after_a_backup(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, open_umask: None
) -> None:
    """The mechanism, shown with a real step: schema 2 gives every alliance a review date."""
    alliance_id = _schema1_file(db_path, clock)
    original = db_path.read_bytes()
    backup = db_path.with_name(f"{db_path.name}.schema1.bak")
    seen: dict[str, object] = {}

    def add_review_dates(data: dict[str, Any]) -> dict[str, Any]:
        # The backup must be complete on disk before the data is touched.
        seen["backup"] = backup.read_bytes() if backup.exists() else None
        seen["file"] = db_path.read_bytes()
        for record in data["alliances"].values():
            record.setdefault("review_on", "2026-06-01")
        return data

    monkeypatch.setattr(schema, "SCHEMA", 2)
    monkeypatch.setattr(schema, "MIGRATIONS", {1: add_review_dates})

    store = Store(db_path, clock=clock)

    assert seen["backup"] == original
    assert seen["file"] == original  # nothing written over the file before the backup
    assert backup.read_bytes() == original
    assert mode_of(backup) == 0o600
    written = on_disk(db_path)
    assert written["_meta"]["1"] == {
        "app": "alliance-tui",
        "schema": 2,
        "history": "last",
        "events": len(written["events"]),
    }
    a = store.load(alliance_id)
    assert a.review_on == date(2026, 6, 1)
    assert a.lines[1].state is State.PROPOSED
    assert [e.action for e in store.history(alliance_id)] == [
        Action.CREATED,
        Action.DRAFTED,
        Action.PROPOSED,
    ]
    # The migrated file is a normal file: actions go on, and opening again migrates nothing.
    store.act(alliance_id, lambda a, m: rules.pass_keyboard(a, a.active, m))
    seen.clear()
    again = Store(db_path, clock=clock)
    assert seen == {}
    assert again.load(alliance_id).active == 1
    assert backup.read_bytes() == original


def test_migrations_run_in_order(db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    alliance_id = _schema1_file(db_path, clock)
    steps: list[int] = []

    def step(n: int):  # type: ignore[no-untyped-def]
        def migrate(data: dict[str, Any]) -> dict[str, Any]:
            steps.append(n)
            for record in data["alliances"].values():
                record["title"] = f"{record['title']} {n}"
            return data

        return migrate

    monkeypatch.setattr(schema, "SCHEMA", 3)
    monkeypatch.setattr(schema, "MIGRATIONS", {1: step(1), 2: step(2)})
    store = Store(db_path, clock=clock)
    assert steps == [1, 2]
    assert store.load(alliance_id).title == "Living together 1 2"
    assert db_path.with_name(f"{db_path.name}.schema1.bak").exists()
    assert not db_path.with_name(f"{db_path.name}.schema2.bak").exists()
    assert on_disk(db_path)["_meta"]["1"]["schema"] == 3


def test_failed_migration_leaves_the_file_alone(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    _schema1_file(db_path, clock)
    before = snapshot(db_path)
    monkeypatch.setattr(schema, "SCHEMA", 2)
    monkeypatch.setattr(schema, "MIGRATIONS", {1: lambda data: data})
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", _no_space)
        with pytest.raises(DatabaseError) as caught:
            Store(db_path, clock=clock)
    assert "schema 1" in caught.value.problem
    assert snapshot(db_path) == before
    assert not strays(db_path)


# -- refusals and files that are not ours ----------------------------------------------


def test_refused_action_changes_nothing_on_disk(db_path: Path, clock: FakeClock) -> None:
    store = Store(db_path, clock=clock)
    a = store.create(("Sarah", "Peter"))
    store.act(a.id, lambda a, m: rules.draft(a, a.active, "Quiet mornings.", m))
    store.act(a.id, lambda a, m: rules.propose(a, a.active, 1, m))
    before = snapshot(db_path)

    # Sarah wrote it, so Sarah may not accept it: the rule of consent.
    with pytest.raises(Refused):
        store.act(a.id, lambda a, m: rules.accept(a, a.active, 1, m))
    with pytest.raises(Refused):
        store.act(a.id, lambda a, m: rules.propose(a, a.active, 99, m))
    with pytest.raises(Refused):
        store.act(a.id, lambda a, m: rules.draft(a, a.active, "   ", m))

    assert snapshot(db_path) == before
    assert not strays(db_path)
    b = Store(db_path, clock=clock).load(a.id)
    assert b.lines[1].state is State.PROPOSED
    assert b.sessions == store.load(a.id).sessions == 2


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"  \n\t ",
        b"{not json",
        b'{"_default": {}}',
        b"[1, 2]",
        b'"text"',
        b"null",
        b'{"_meta": []}',
        b'{"_meta": {"1": []}}',
        b'{"_meta": {"1": {"app": "someone-else", "schema": 1}}}',
        b'{"_meta": {"1": {"app": "alliance-tui", "schema": 1}}, "alliances": []}',
        b'{"_meta": {"1": {"app": "alliance-tui", "schema": 1}}, "alliances": {"1": 5}}',
        b'{"_meta": {"1": {"app": "alliance-tui", "schema": 1}}, "alliances": {"x": {}}}',
        b"\xff\xfe\x00{",
    ],
    ids=lambda c: repr(c[:30]),
)
def test_unusable_file_is_refused_and_never_written(db_path: Path, clock: FakeClock, content: bytes) -> None:
    db_path.write_bytes(content)
    before = snapshot(db_path)
    with pytest.raises(DatabaseError) as caught:
        store = Store(db_path, clock=clock)
        store.alliances()
    assert caught.value.path == db_path
    assert snapshot(db_path) == before


def test_truncated_file_is_refused(db_path: Path, clock: FakeClock) -> None:
    store = Store(db_path, clock=clock)
    a = store.create(("Sarah", "Peter"))
    store.act(a.id, lambda a, m: rules.draft(a, a.active, "Quiet mornings.", m))
    raw = db_path.read_bytes()
    db_path.write_bytes(raw[: len(raw) // 2])
    before = snapshot(db_path)
    with pytest.raises(DatabaseError) as caught:
        Store(db_path, clock=clock)
    assert "not valid JSON" in caught.value.problem
    assert snapshot(db_path) == before


def test_file_replaced_by_garbage_under_an_open_store(db_path: Path, clock: FakeClock) -> None:
    """An editor or sync tool breaks the file while the app runs: refuse, never overwrite."""
    store = Store(db_path, clock=clock)
    a = store.create(("Sarah", "Peter"))
    db_path.write_bytes(b"{broken")
    before = snapshot(db_path)
    with pytest.raises(DatabaseError):
        store.act(a.id, lambda a, m: rules.draft(a, a.active, "Quiet mornings.", m))
    assert snapshot(db_path) == before


def test_missing_folder_is_refused(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "no" / "such" / "alliance.json"
    with pytest.raises(DatabaseError) as caught:
        Store(path, clock=clock)
    assert caught.value.path == path
    assert not (tmp_path / "no").exists()


def test_missing_file_is_not_created_when_not_asked(db_path: Path, clock: FakeClock) -> None:
    with pytest.raises(DatabaseError):
        Store(db_path, create=False, clock=clock)
    assert not db_path.exists()


@given(
    st.lists(
        st.one_of(
            st.integers(0, 10**19).map(str),
            st.text(alphabet="0123456789\x00a１ ", max_size=6),
        ),
        max_size=8,
        unique=True,
    )
)
def test_a_table_is_checked_key_by_key_however_quickly(keys: list[str]) -> None:
    """`check_table`'s quick test of every key at once refuses exactly what a key-by-key
    test refuses (a leading zero, a NUL, a digit of another script, 19 digits...)."""
    table = {key: {} for key in keys}
    sound = all(schema._is_doc_id(key) for key in keys)
    try:
        schema.check_table(Path("a.json"), "lines", table)
    except DatabaseError:
        assert not sound
    else:
        assert sound


def test_whose_signatures_a_change_took_back_is_saved_and_read_back(tmp_path: Path, clock: FakeClock) -> None:
    """`Alliance.undone` is in the alliance's record while it says something (never an
    empty list in every file), read back as it was, and a wrong one is refused."""
    path = tmp_path / "a.json"
    store = Store(path, clock=clock)
    alliance_id = store.create(("Ann", "Bob")).id

    def agreed(text: str) -> None:
        line = store.act(alliance_id, lambda a, m: rules.draft(a, 0, text, m)).outcome.lines[0].id
        store.act(alliance_id, lambda a, m: rules.propose(a, 0, line, m))
        store.act(alliance_id, lambda a, m: rules.accept(a, 1, line, m))

    def record() -> dict[str, object]:
        (found,) = json.loads(path.read_text(encoding="utf-8"))["alliances"].values()
        return dict(found)

    agreed("Quiet mornings.")
    assert "undone" not in record()
    store.act(alliance_id, lambda a, m: rules.sign(a, 1, m))
    agreed("Ann cooks.")
    assert record()["undone"] == [1]
    assert Store(path).load(alliance_id).undone == {1}
    store.act(alliance_id, lambda a, m: rules.sign(a, 0, m))
    assert "undone" not in record() and Store(path).load(alliance_id).undone == set()
    data = json.loads(path.read_text(encoding="utf-8"))
    (found,) = data["alliances"].values()
    found["undone"] = [5]  # a hand edit
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DatabaseError, match="an undone signature of alliance .* is 5, neither partner"):
        Store(path).load(alliance_id)
