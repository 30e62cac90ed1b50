"""The files around the database: exports, backups, the lock, temporary files, links and
folders (issue 15 items 3 and 7, SPEC §6). Real files, real processes where it matters."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from alliance_tui.cli import main
from alliance_tui.domain import Action, Event, Moment, Outcome
from alliance_tui.paths import make_private_folder
from alliance_tui.store import DatabaseBusy, DatabaseError, Store, lock

from .conftest import FakeClock


def _note(a, when: Moment) -> Outcome:  # type: ignore[no-untyped-def]
    """An action that only adds to the history: independent of the negotiation rules."""
    return Outcome(events=[Event(at=when.at, session=when.session, actor=0, action=Action.PASSED)])


def _act(path: Path, alliance_id: str, clock: FakeClock) -> None:
    Store(path, clock=clock).act(alliance_id, _note)


@pytest.fixture
def made(db_path: Path, clock: FakeClock) -> Iterator[str]:
    yield Store(db_path, clock=clock).create(("Sarah", "Peter"), title="Living together").id


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@contextlib.contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail, rather than hang, if the block waits for a lock for ever."""

    def hung(*_: object) -> None:
        raise AssertionError(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- export -o (item 3) -----------------------------------------------------------------


def _export(db: Path, output: str | Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["export", "--db", str(db), "-o", str(output)])
    return status, capsys.readouterr().err


@pytest.mark.parametrize(
    "name", ["alliance.json", "./alliance.json", "alliance.json.bak1", "alliance.json.bak3"]
)
def test_export_never_writes_over_the_database_or_its_backups(
    db_path: Path, made: str, clock: FakeClock, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    _act(db_path, made, clock)  # a second launch: the first backup exists
    files = {path: path.read_bytes() for path in db_path.parent.iterdir()}
    status, err = _export(db_path, db_path.parent / name, capsys)
    assert status == 2
    assert err.count("\n") == 1 and "database or one of its backups" in err
    assert {path: path.read_bytes() for path in db_path.parent.iterdir()} == files


def test_export_refuses_a_hard_link_to_the_database(
    db_path: Path, made: str, capsys: pytest.CaptureFixture[str]
) -> None:
    other = db_path.parent / "agreement.md"
    os.link(db_path, other)
    before = db_path.read_bytes()
    status, err = _export(db_path, other, capsys)
    assert status == 2 and "database" in err
    assert db_path.read_bytes() == before


def test_export_refuses_the_database_by_its_symlink(
    tmp_path: Path, made: str, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(db_path)
    before = db_path.read_bytes()
    status, _ = _export(link, db_path, capsys)
    assert status == 2
    assert db_path.read_bytes() == before


def test_export_never_follows_a_symlink_planted_as_the_output(
    tmp_path: Path, db_path: Path, made: str, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    planted = tmp_path / "agreement.md"
    planted.symlink_to(victim)
    dangling = tmp_path / "new.md"
    dangling.symlink_to(tmp_path / "created-through-the-link.md")
    for output in (planted, dangling):
        status, err = _export(db_path, output, capsys)
        assert status == 2 and "symbolic link" in err
    assert victim.read_text() == "keep me"
    assert not (tmp_path / "created-through-the-link.md").exists()


def test_export_writes_its_file_readable_by_its_owner_only(
    tmp_path: Path, db_path: Path, made: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh, old = tmp_path / "fresh.md", tmp_path / "old.md"
    old.write_text("an older and much longer export " * 100)
    old.chmod(0o644)
    previous = os.umask(0)
    try:
        for output in (fresh, old):
            status, _ = _export(db_path, output, capsys)
            assert status == 0
            assert mode(output) == 0o600
    finally:
        os.umask(previous)
    assert old.read_text() == fresh.read_text()
    assert "Living together" in fresh.read_text()


def test_export_to_a_pipe_nobody_reads_ends_at_once(tmp_path: Path, db_path: Path, made: str) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    done = subprocess.run(
        [sys.executable, "-m", "alliance_tui", "export", "--db", str(db_path), "-o", str(pipe)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=20,
    )
    assert done.returncode == 2
    assert "not a regular file" in done.stderr


# -- backups on a full disk (item 7) -----------------------------------------------------


@pytest.mark.parametrize("failing", ["the copy", "the save"])
def test_a_full_disk_never_rotates_the_backups_away(
    db_path: Path, made: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    for _ in range(4):  # four launches, each changing the file: three backups, all different
        _act(db_path, made, clock)
    store = Store(db_path, clock=clock)
    backups = store.storage.backups()
    kept = [path.read_bytes() for path in backups]
    assert len(set(kept)) == 3
    current = db_path.read_bytes()

    real_replace = os.replace
    replaced: list[str] = []

    def full_disk_fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def full_disk_for_the_database(src: object, dst: object) -> None:
        if Path(str(dst)) == store.storage.file:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        replaced.append(str(dst))
        real_replace(src, dst)  # type: ignore[arg-type]

    if failing == "the copy":
        monkeypatch.setattr(os, "fsync", full_disk_fsync)
    else:
        monkeypatch.setattr(os, "replace", full_disk_for_the_database)
    for _ in range(4):
        with pytest.raises(DatabaseError, match="full"):
            store.act(made, _note)
    monkeypatch.undo()

    assert db_path.read_bytes() == current
    now = [path.read_bytes() for path in backups]
    if failing == "the copy":
        assert now == kept, "a backup was lost to a save that failed"
    else:
        # The copy was made once, in full, before anything moved; no try rotated again.
        assert now == [current, *kept[:2]]
    assert not list(db_path.parent.glob(".alliance.json*tmp-*"))


# -- temporary files left by a kill (item 7) ----------------------------------------------


def test_every_stray_of_ours_is_cleaned_and_nothing_else(db_path: Path, made: str, clock: FakeClock) -> None:
    folder = db_path.parent
    ours = [
        ".alliance.json.tmp-k1ll3d",
        ".alliance.json.bak1.tmp-a8f_x2q1",
        ".alliance.json.bak3.tmp-zz",
        ".alliance.json.schema1.bak.tmp-q9",
    ]
    others = [
        ".other.json.bak1.tmp-1",
        "alliance.json.bak1.tmp-1",
        ".alliance.json.bak1.tmp-",
        ".alliance.json.bak1.tmp-x.y",
        ".alliance.json.notes.tmp-1",
        "notes.txt",
    ]
    for name in ours + others:
        (folder / name).write_text("x" * 1000)
    (folder / ".alliance.json.tmp-folder").mkdir()
    Store(db_path, clock=clock)
    assert not any((folder / name).exists() for name in ours)
    assert all((folder / name).read_text() == "x" * 1000 for name in others)
    assert (folder / ".alliance.json.tmp-folder").is_dir()


def test_strays_are_left_while_another_process_saves(db_path: Path, made: str, clock: FakeClock) -> None:
    """Under the lock a temporary file may be a save in progress: opening leaves it."""
    stray = db_path.parent / ".alliance.json.tmp-inprogress"
    stray.write_text("{")
    fd = os.open(db_path.parent / ".alliance.json.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with within(10):
            Store(db_path, clock=clock).alliances()
        assert stray.exists()
    finally:
        os.close(fd)
    Store(db_path, clock=clock)
    assert not stray.exists()


def test_reading_or_refusing_a_file_makes_nothing_beside_it(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"_meta": {"1": {"app": "alliance-tui", "schema": 1}}, "alliances": {"1": 5}}')
    with pytest.raises(DatabaseError):
        Store(broken, create=False).alliances()
    assert os.listdir(tmp_path) == ["broken.json"]


# -- the lock (item 7) --------------------------------------------------------------------


def test_the_lock_file_never_follows_a_planted_symlink(
    tmp_path: Path, db_path: Path, made: str, clock: FakeClock
) -> None:
    victim = tmp_path / "victim"
    lock = db_path.parent / ".alliance.json.lock"
    lock.unlink()
    lock.symlink_to(victim)
    store = Store(db_path, clock=clock)  # reading needs no lock
    assert store.load(made).title == "Living together"
    with pytest.raises(DatabaseError, match="symbolic link"):
        store.act(made, _note)
    assert not victim.exists()
    assert lock.is_symlink()


def test_a_held_lock_is_waited_for_a_bounded_time_and_its_holder_named(
    db_path: Path, made: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(db_path, clock=clock)
    before = db_path.read_bytes()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys\n"
            "fd = os.open(sys.argv[1], os.O_RDWR)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "os.ftruncate(fd, 0); os.write(fd, f'{os.getpid()}\\n'.encode())\n"
            "print('held', flush=True)\n"
            "sys.stdin.read()\n",
            str(store.storage.lock_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        monkeypatch.setattr(lock, "LOCK_WAIT", 0.2)
        with within(10), pytest.raises(DatabaseBusy) as caught:
            store.act(made, _note)
        assert f"process {holder.pid}" in str(caught.value)
        assert db_path.read_bytes() == before
    finally:
        holder.communicate("")
    store.act(made, _note)  # the holder let go: the same store saves
    assert db_path.read_bytes() != before
    assert (db_path.parent / ".alliance.json.lock").read_text() == f"{os.getpid()}\n"


# -- a symlinked database (item 7) --------------------------------------------------------


def test_a_symlinked_database_stays_a_symlink(tmp_path: Path, clock: FakeClock) -> None:
    real_folder, link_folder = tmp_path / "synced", tmp_path / "here"
    real_folder.mkdir()
    link_folder.mkdir()
    target = real_folder / "alliance.json"
    link = link_folder / "alliance.json"
    link.symlink_to(target)  # dangling: the first save creates the target
    store = Store(link, clock=clock)
    a = store.create(("Sarah", "Peter"))
    Store(link, clock=clock).act(a.id, _note)
    assert link.is_symlink() and link.resolve() == target
    assert Store(target, clock=clock).load(a.id).names == ("Sarah", "Peter")
    assert os.listdir(link_folder) == ["alliance.json"], "lock, backups and temporaries sit by the target"
    assert sorted(os.listdir(real_folder)) == [
        ".alliance.json.lock",
        "alliance.json",
        "alliance.json.bak1",
        "alliance.json.bak2",
    ]


# -- the data folder (item 7) -------------------------------------------------------------


def test_under_umask_000_no_folder_is_made_writable_by_others(tmp_path: Path) -> None:
    folder = tmp_path / "home" / ".local" / "share" / "alliance-tui"
    previous = os.umask(0)
    try:
        make_private_folder(folder)
    finally:
        os.umask(previous)
    assert mode(folder) == 0o700
    for parent in (folder.parent, folder.parent.parent, folder.parent.parent.parent):
        assert mode(parent) & 0o022 == 0, f"{parent} is writable by others"


def test_an_existing_data_folder_open_to_others_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "alliance-tui"
    folder.mkdir()
    folder.chmod(0o755)
    parent = mode(tmp_path)
    make_private_folder(folder)
    assert mode(folder) == 0o700
    assert mode(tmp_path) == parent, "a folder that is not the app's own is left as it was"


def test_what_was_read_ahead_is_taken_only_while_the_file_is_what_was_read(
    tmp_path: Path, db_path: Path, made: str, clock: FakeClock
) -> None:
    """`prefetch` (the command reads the file while Textual is imported, SPEC §9): its
    bytes are used once, and never when the file changed since, or is not a file."""
    from alliance_tui.store import files

    files.prefetch(db_path)
    assert Store(db_path, clock=clock).load(made).title == "Living together"
    assert str(db_path.resolve()) not in files._ahead, "what was read ahead is used once"

    files.prefetch(db_path)
    files._ahead[str(db_path.resolve())][0].join()
    changed = db_path.with_name("changed.json")  # another writer's save: a new file, moved over
    changed.write_bytes(db_path.read_bytes().replace(b"Living together", b"Renamed since"))
    os.replace(changed, db_path)
    assert Store(db_path, clock=clock).load(made).title == "Renamed since"

    linked = tmp_path / "linked.json"
    linked.symlink_to(db_path)
    files.prefetch(linked)  # read ahead by the path given, found by the file's real path
    assert Store(linked, clock=clock).load(made).title == "Renamed since"
    assert not files._ahead

    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    files.prefetch(fifo)  # never opened for reading: refused, in words, where it is read
    with pytest.raises(DatabaseError, match="named pipe"):
        Store(fifo, clock=clock)
    reader, read = files._ahead.pop(str(fifo.resolve()))
    reader.join(timeout=5)
    assert not reader.is_alive() and read == []
