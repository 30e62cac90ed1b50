"""The command line of SPEC §5, run as a real process: exit codes, stderr, files untouched.

Every run gets its own HOME and XDG folders under the test's tmp_path and no
$ALLIANCE_TUI_DB, so nothing reads or writes the real user's data. The bare command
(no subcommand) opens the full-screen app and is never run here.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import alliance_tui
from alliance_tui.domain import Kind, rules
from alliance_tui.store import Store

from .terminal import Terminal

ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
ACTIONS = {
    "created", "drafted", "edited", "deleted", "proposed", "countered", "accepted",
    "declined", "withdrawn", "reopened", "removed", "signed", "passed",
}  # fmt: skip
STATES = {"draft", "proposed", "countered", "agreed", "declined", "withdrawn", "removed"}


@dataclass
class Cli:
    """Runs `python -m alliance_tui` with a private environment."""

    tmp: Path
    env: dict[str, str]

    @property
    def default_db(self) -> Path:
        return self.tmp / "xdg" / "alliance-tui" / "alliance.json"

    def __call__(
        self,
        *args: str | Path,
        env: dict[str, str] | None = None,
        preexec_fn: Callable[[], None] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "alliance_tui", *map(str, args)],
            cwd=self.tmp / "cwd",
            env={**self.env, **(env or {})},
            capture_output=True,
            encoding="utf-8",
            timeout=60,
            preexec_fn=preexec_fn,
        )


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    for folder in ("home", "cwd"):
        (tmp_path / folder).mkdir()
    env = {k: v for k, v in os.environ.items() if k != "ALLIANCE_TUI_DB"}
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "xdg"),
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
        XDG_CACHE_HOME=str(tmp_path / "xdg-cache"),
        XDG_STATE_HOME=str(tmp_path / "xdg-state"),
    )
    return Cli(tmp_path, env)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    return result.stdout


def refused(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit 2, one line on stderr, no traceback, nothing on stdout; returns the line."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("alliance-tui: ")
    assert result.stdout == ""
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


def created_id(output: str) -> str:
    match = re.fullmatch(r"Created (.+) \(([0-9a-f]+)\) for (.+) and (.+)\.\n", output)
    assert match, output
    return match.group(2)


# -- help and version ------------------------------------------------------------------


def test_version(cli: Cli) -> None:
    assert ok(cli("--version")) == f"alliance-tui {alliance_tui.__version__}\n"


@pytest.mark.parametrize("command", [[], ["new"], ["list"], ["export"]])
def test_help(cli: Cli, command: list[str]) -> None:
    out = ok(cli(*command, "--help"))
    assert out.startswith("usage: alliance-tui")
    assert "--db" in out
    if not command:
        for word in ("new", "list", "export", "--version"):
            assert word in out


def test_console_script_is_installed(cli: Cli) -> None:
    script = Path(sys.executable).parent / "alliance-tui"
    if not script.exists():
        pytest.skip("no console script beside this Python (not installed with pip here)")
    result = subprocess.run([str(script), "--version"], env=cli.env, capture_output=True, encoding="utf-8")
    assert (result.returncode, result.stdout) == (0, f"alliance-tui {alliance_tui.__version__}\n")


# -- new, list, export -----------------------------------------------------------------


def test_spec_example_prints_the_json_object(cli: Cli) -> None:
    db = cli.tmp / "X"
    created = ok(cli("new", "Living together", "--kind", "couple", "--partners", "Sarah", "Peter",
                     "--db", db))  # fmt: skip
    alliance_id = created_id(created)
    assert created == f"Created Living together ({alliance_id}) for Sarah and Peter.\n"

    data = json.loads(ok(cli("export", "--db", db, "--format", "json")))

    assert list(data) == ["alliance", "agreement", "open", "history", "checkins"]
    alliance = data["alliance"]
    assert set(alliance) == {"id", "title", "kind", "partners", "created_at", "version",
                             "review_on", "fingerprint", "coach"}  # fmt: skip
    assert alliance["id"] == alliance_id
    assert alliance["title"] == "Living together"
    assert alliance["kind"] == "couple"
    assert alliance["partners"] == ["Sarah", "Peter"]
    assert ISO_TIME.match(alliance["created_at"])
    created_at = datetime.strptime(alliance["created_at"], "%Y-%m-%dT%H:%M:%SZ")
    assert abs(created_at.replace(tzinfo=UTC) - datetime.now(UTC)) < timedelta(hours=1)
    assert type(alliance["version"]) is int and alliance["version"] == 0
    assert alliance["review_on"] is None
    assert data["agreement"] == []
    assert data["open"] == []
    [event] = data["history"]
    assert set(event) == {"at", "session", "actor", "action", "line", "text", "before", "reason"}
    assert event["at"] == alliance["created_at"]
    assert event["action"] == "created"
    assert type(event["session"]) is int
    assert event["actor"] is None and event["line"] is None
    assert event["before"] is None and event["reason"] is None


def test_new_list_and_export_md_txt(cli: Cli) -> None:
    db = cli.tmp / "a.json"
    first = created_id(ok(cli("new", "Living together", "--kind", "couple",
                              "--partners", "Sarah", "Peter", "--db", db)))  # fmt: skip
    second = created_id(ok(cli("new", "The shop", "--kind", "business",
                               "--partners", "Ann", "Bob", "--db", db)))  # fmt: skip
    assert first != second

    listing = ok(cli("list", "--db", db)).splitlines()
    assert len(listing) == 2
    assert listing[0].startswith(f"{first}  Living together  [couple]  Sarah & Peter  unsigned")
    assert listing[1].startswith(f"{second}  The shop  [business]  Ann & Bob  unsigned")

    md = ok(cli("export", "Living together", "--db", db))
    assert md == (
        "# Living together\n\n"
        "A couple alliance between Sarah and Peter — not signed yet.\n\n"
        "Nothing is agreed yet.\n"
    )
    assert ok(cli("export", first, "--db", db, "--format", "md")) == md
    txt = ok(cli("export", "the SHOP", "--db", db, "--format", "txt"))
    assert txt.splitlines()[:3] == ["The shop", "========", "A business alliance between Ann "
                                    "and Bob — not signed yet."]  # fmt: skip


def test_list_of_an_empty_database(cli: Cli) -> None:
    out = ok(cli("list", "--db", cli.tmp / "empty.json"))
    assert "No alliances yet" in out


def _negotiate(db: Path) -> str:
    """Sarah and Peter agree two lines and sign version 1, then agree a third; via the API."""
    clock = iter(datetime(2026, 3, 2, 9, 0, tzinfo=UTC) + timedelta(minutes=n) for n in range(999))
    store = Store(db, clock=lambda: next(clock))
    a = store.create(("Sarah", "Peter"), title="Living together", kind=Kind.COUPLE)
    act = store.act
    act(a.id, lambda a, m: rules.draft(a, a.active, "Quiet mornings until Sarah's first coffee.", m,
                                       topic="communication"))  # fmt: skip
    act(a.id, lambda a, m: rules.propose(a, a.active, 1, m))
    act(a.id, lambda a, m: rules.draft(a, a.active, "Sarah's secret draft.", m))
    act(a.id, (lambda a, m: rules.pass_keyboard(a, a.active, m)))
    act(a.id, lambda a, m: rules.accept(a, a.active, 1, m))
    act(a.id, lambda a, m: rules.draft(a, a.active, "Dishes the same evening.", m,
                                       trial_until=date(2026, 4, 1)))  # fmt: skip
    act(a.id, lambda a, m: rules.propose(a, a.active, 3, m))
    act(a.id, (lambda a, m: rules.pass_keyboard(a, a.active, m)))
    act(a.id, lambda a, m: rules.accept(a, a.active, 3, m))
    act(a.id, (lambda a, m: rules.sign(a, a.active, m)))
    act(a.id, (lambda a, m: rules.pass_keyboard(a, a.active, m)))
    act(a.id, (lambda a, m: rules.sign(a, a.active, m)))  # both signed: version 1
    act(a.id, lambda a, m: rules.draft(a, a.active, "Friday is pizza night.", m))
    act(a.id, lambda a, m: rules.propose(a, a.active, 4, m))
    act(a.id, (lambda a, m: rules.pass_keyboard(a, a.active, m)))
    act(a.id, lambda a, m: rules.accept(a, a.active, 4, m))  # changed since version 1
    act(a.id, lambda a, m: rules.draft(a, a.active, "Phones away at dinner.", m))
    act(a.id, lambda a, m: rules.propose(a, a.active, 5, m))  # waits for Peter
    store.update(a.id, review_on=date(2026, 9, 1))
    return a.id


def test_export_json_after_a_negotiation(cli: Cli) -> None:
    db = cli.tmp / "a.json"
    alliance_id = _negotiate(db)
    out = ok(cli("export", "--db", db, "--format", "json"))
    assert "secret" not in out  # a private draft never reaches the shared record
    data = json.loads(out)

    assert data["alliance"]["id"] == alliance_id
    assert data["alliance"]["version"] == 1
    assert data["alliance"]["review_on"] == "2026-09-01"
    assert [line["text"] for line in data["agreement"]] == [
        "Quiet mornings until Sarah's first coffee.",
        "Dishes the same evening.",
        "Friday is pizza night.",
    ]
    # Each line under its own number, never renumbered (SPEC §2): line 2 was a draft.
    assert [line["number"] for line in data["agreement"]] == [1, 3, 4]
    for line in data["agreement"]:
        assert set(line) == {"number", "text", "topic", "author", "agreed_at", "trial_until", "sign"}
        assert line["author"] in ("Sarah", "Peter")
        assert ISO_TIME.match(line["agreed_at"])
        assert line["trial_until"] is None or ISO_DATE.match(line["trial_until"])
    assert data["agreement"][0]["topic"] == "communication"
    assert data["agreement"][1]["trial_until"] == "2026-04-01"
    assert [line["author"] for line in data["agreement"]] == ["Sarah", "Peter", "Peter"]

    assert data["open"] == [
        {"id": 5, "text": "Phones away at dinner.", "author": "Sarah", "state": "proposed",
         "waiting_for": "Peter"}
    ]  # fmt: skip
    history = data["history"]
    assert len(history) == 19
    for event in history:
        assert set(event) == {"at", "session", "actor", "action", "line", "text", "before",
                              "reason"}  # fmt: skip
        assert event["action"] in ACTIONS
        assert ISO_TIME.match(event["at"])
        assert event["actor"] in (None, "Sarah", "Peter")
    assert [e["at"] for e in history] == sorted(e["at"] for e in history)
    assert {e["action"] for e in history} >= {"created", "drafted", "proposed", "passed",
                                              "accepted", "signed"}  # fmt: skip
    drafted = [e for e in history if e["action"] == "drafted"]
    assert all(e["text"] is None for e in drafted)


def test_export_a_signed_version(cli: Cli) -> None:
    db = cli.tmp / "a.json"
    _negotiate(db)
    current = ok(cli("export", "--db", db))
    assert "changed since version 1" in current
    assert "Friday is pizza night." in current

    v1 = ok(cli("export", "--db", db, "--version", "1"))
    assert "version 1, signed 2026-03-02" in v1
    assert "Quiet mornings until Sarah's first coffee." in v1
    assert "Dishes the same evening. *(trial until 2026-04-01)*" in v1
    assert "Friday is pizza night." not in v1

    data = json.loads(ok(cli("export", "--db", db, "--version", "1", "--format", "json")))
    assert data["alliance"]["version"] == 1
    assert [line["number"] for line in data["agreement"]] == [1, 3]

    refused(cli("export", "--db", db, "--version", "2"), "no version 2")
    refused(cli("export", "--db", db, "--version", "one"), "--version")


@pytest.mark.parametrize("fmt", ["md", "txt", "json"])
def test_export_to_a_file(cli: Cli, fmt: str) -> None:
    db = cli.tmp / "a.json"
    _negotiate(db)
    target = cli.tmp / f"out.{fmt}"
    assert ok(cli("export", "--db", db, "--format", fmt, "-o", target)) == ""
    assert target.read_text(encoding="utf-8") == ok(cli("export", "--db", db, "--format", fmt))


def test_export_to_a_file_in_a_missing_folder(cli: Cli) -> None:
    db = cli.tmp / "a.json"
    _negotiate(db)
    target = cli.tmp / "no-such-folder" / "out.md"
    refused(cli("export", "--db", db, "--output", target), str(target))
    assert not target.parent.exists()


def test_text_is_kept_exactly_and_shown_safely(cli: Cli) -> None:
    db = cli.tmp / "a.json"
    title = "同居 🏠 [b]bold[/b] \x1b[2J"
    ok(cli("new", title, "--partners", "さくら", "Zoë 👩‍👩‍👧", "--db", db))
    listing = ok(cli("list", "--db", db))
    assert "\x1b" not in listing  # a listing never sends an escape sequence to the terminal
    assert "同居 🏠 [b]bold[/b] ␛[2J" in listing
    assert "さくら & Zoë 👩‍👩‍👧" in listing
    data = json.loads(ok(cli("export", "--db", db, "--format", "json")))
    assert data["alliance"]["title"] == title
    assert data["alliance"]["partners"] == ["さくら", "Zoë 👩‍👩‍👧"]


# -- which database --------------------------------------------------------------------


def test_db_option_wins_over_environment_over_default(cli: Cli) -> None:
    option, from_env = cli.tmp / "option.json", cli.tmp / "env.json"
    env = {"ALLIANCE_TUI_DB": str(from_env)}
    ok(cli("new", "Default", "--partners", "A", "B"))
    ok(cli("new", "From env", "--partners", "A", "B", env=env))
    ok(cli("new", "From option", "--partners", "A", "B", "--db", option, env=env))

    titles = {path: [a.title for a in Store(path).alliances()] for path in (cli.default_db, from_env, option)}
    assert titles == {
        cli.default_db: ["Default"],
        from_env: ["From env"],
        option: ["From option"],
    }
    assert "From option" in ok(cli("list", "--db", option, env=env))
    assert "From option" in ok(cli("--db", option, "list", env=env))  # before the command too
    assert "From env" in ok(cli("list", env=env))
    assert "Default" in ok(cli("list"))
    assert "Default" in ok(cli("export"))
    assert "From env" in ok(cli("export", env=env))
    assert "From option" in ok(cli("export", "--db", option, env=env))
    # The default folder lives under XDG_DATA_HOME and is private.
    assert stat.S_IMODE(cli.default_db.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(cli.default_db.stat().st_mode) == 0o600
    assert not any((cli.tmp / "home").iterdir())


def test_default_database_not_created_by_export(cli: Cli) -> None:
    refused(cli("export"), str(cli.default_db), "no such database")
    assert not cli.default_db.exists()


# -- choosing an alliance --------------------------------------------------------------


def test_alliance_may_be_left_out_when_there_is_one(cli: Cli) -> None:
    db = cli.tmp / "a.json"
    ok(cli("new", "Living together", "--partners", "Sarah", "Peter", "--db", db))
    assert ok(cli("export", "--db", db)).startswith("# Living together\n")
    ok(cli("new", "The shop", "--partners", "Ann", "Bob", "--db", db))
    refused(cli("export", "--db", db), "2 alliances", "title or id")
    assert ok(cli("export", "The shop", "--db", db)).startswith("# The shop\n")


def test_unknown_alliance(cli: Cli) -> None:
    db = cli.tmp / "a.json"
    ok(cli("new", "Living together", "--partners", "Sarah", "Peter", "--db", db))
    refused(cli("export", "Nobody", "--db", db), "'Nobody'")
    refused(cli("export", "Nobody", "--db", db, "--format", "json"), "'Nobody'")


def test_export_of_an_empty_database(cli: Cli) -> None:
    db = cli.tmp / "a.json"
    ok(cli("list", "--db", db))
    assert not db.exists(), "list reads; it does not create a database"
    refused(cli("export", "--db", db), "no such database")
    Store(db)
    refused(cli("export", "--db", db), "no alliance yet")


# -- usage errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["new", "T", "--partners", "Sarah", "Peter", "--kind", "marriage"], "--kind"),
        (["new", "T"], "--partners"),
        (["new", "T", "--partners", "Sarah"], "--partners"),
        (["new", "--partners", "Sarah", "Peter"], "TITLE"),
        (["new", "T", "--partners", "Sarah", "Sarah"], "different names"),
        (["new", "T", "--partners", " Sarah", "Sarah "], "different names"),
        (["new", "T", "--partners", "x" * 41, "Peter"], "40"),
        (["new", "T", "--partners", "Sarah", "   "], "empty"),
        (["new", "t" * 81, "--partners", "Sarah", "Peter"], "80"),
        (["export", "--format", "pdf"], "--format"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["list", "--bogus"], "--bogus"),
        (["--alliance"], "--alliance"),
        (["--bogus"], "--bogus"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_usage_errors(cli: Cli, args: list[str], needle: str) -> None:
    db = cli.tmp / "a.json"
    refused(cli(*args, "--db", db), needle)
    assert not db.exists()  # a refused command creates no database either
    assert not cli.default_db.parent.exists()


def test_forty_character_name_is_fine(cli: Cli) -> None:
    db = cli.tmp / "a.json"
    ok(cli("new", "T", "--partners", "x" * 40, "Peter", "--db", db))
    assert Store(db).find(None).names == ("x" * 40, "Peter")


# -- databases that cannot be used -----------------------------------------------------


def _drop_dac_capabilities() -> None:
    """In the child, before exec: lose root's power to read files regardless of mode.

    Dropping CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set means the
    program that is exec'd gets neither, so a mode-000 file really is unreadable to it.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _unreadable(path: Path) -> Callable[[], None] | None:
    """Make `path` unreadable to the program under test; returns the preexec_fn it needs.

    As a normal user, mode 000 is enough. As root (CI containers) chmod alone stops
    nothing, and running as `nobody` fails earlier (it cannot reach the interpreter or the
    test folder), so the child keeps uid 0 but drops the capabilities that bypass file
    modes. Then the store's stat works and its read of the file fails with EACCES: the
    "cannot be read" path, not the "missing file" or "missing folder" one.
    """
    path.chmod(0)
    preexec = _drop_dac_capabilities if os.geteuid() == 0 else None
    probe = subprocess.run(
        [sys.executable, "-c", "import sys; open(sys.argv[1], 'rb')", str(path)],
        capture_output=True,
        text=True,
        preexec_fn=preexec,
    )
    if "PermissionError" not in probe.stderr:
        pytest.skip(f"cannot make a file unreadable here: {probe.stderr.strip()[-200:]}")
    return preexec


def _valid_file(path: Path) -> None:
    store = Store(path)
    a = store.create(("Sarah", "Peter"), title="Living together")
    for n in range(5):
        store.act(a.id, lambda a, m, n=n: rules.draft(a, a.active, f"Line {n}, 🙂 with some words.", m))


def _truncated(path: Path) -> None:
    _valid_file(path)
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])


def _meta(schema: int) -> bytes:
    return json.dumps({"_meta": {"1": {"app": "alliance-tui", "schema": schema}}}).encode()


UNUSABLE: dict[str, tuple[Callable[[Path], Any], str]] = {
    "corrupt-json": (lambda p: p.write_bytes(b'{"_meta": {"1": {"app": '), "not valid JSON"),
    "empty": (lambda p: p.write_bytes(b""), "empty"),
    "whitespace": (lambda p: p.write_bytes(b" \n\t\n  "), "empty"),
    "truncated": (_truncated, "not valid JSON"),
    "tinydb-default": (lambda p: p.write_bytes(b'{"_default": {}}'), "not an alliance-tui"),
    "json-list": (lambda p: p.write_bytes(b"[1, 2]"), "not an alliance-tui"),
    "meta-not-object": (lambda p: p.write_bytes(b'{"_meta": [1]}'), "not an alliance-tui"),
    "record-not-object": (
        lambda p: p.write_bytes(_meta(1)[:-1] + b', "alliances": {"1": 5}}'),
        "malformed",
    ),
    "binary": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00"), "not a text file"),
    "newer-schema": (lambda p: p.write_bytes(_meta(99)), "newer"),
    "unreadable": (lambda p: (_valid_file(p), _unreadable(p))[1], "permission denied"),
    "folder": (lambda p: p.mkdir(), "folder"),
}


def _state(path: Path) -> tuple[object, ...]:
    """What must not change: the bytes and mtime, or for a folder its listing."""
    st = path.stat()
    content: object = sorted(os.listdir(path)) if path.is_dir() else _read_as_root(path)
    return content, st.st_mtime_ns, st.st_ino, stat.S_IMODE(st.st_mode)


def _read_as_root(path: Path) -> bytes:
    mode = stat.S_IMODE(path.stat().st_mode)
    if not os.access(path, os.R_OK):  # the unreadable case, for a non-root test run
        path.chmod(0o600)
        try:
            return path.read_bytes()
        finally:
            path.chmod(mode)
    return path.read_bytes()


@pytest.mark.parametrize("command", ["list", "export"])
@pytest.mark.parametrize("case", list(UNUSABLE))
def test_unusable_database(cli: Cli, case: str, command: str) -> None:
    folder = cli.tmp / "data"
    folder.mkdir()
    db = folder / "alliance.json"
    make, problem = UNUSABLE[case]
    made = make(db)
    preexec = made if callable(made) else None
    before = _state(db)
    others = sorted(os.listdir(folder))

    result = cli(command, "--db", db, preexec_fn=preexec)

    line = refused(result, str(db), problem)
    assert line.startswith(f"alliance-tui: {db}: ")
    # Never written, never replaced, never "repaired"; no backup or temporary file beside.
    assert _state(db) == before
    assert [name for name in sorted(os.listdir(folder)) if not name.endswith(".lock")] == [
        name for name in others if not name.endswith(".lock")
    ]


@pytest.mark.parametrize("command", ["list", "export"])
def test_database_in_a_missing_folder(cli: Cli, command: str) -> None:
    db = cli.tmp / "missing" / "alliance.json"
    refused(cli(command, "--db", db), str(db), "does not exist")
    assert not db.parent.exists()


@pytest.mark.parametrize("command", [["list"], ["export"], ["new", "T", "--partners", "A", "B"]])
def test_unusable_database_from_the_environment(cli: Cli, command: Sequence[str]) -> None:
    db = cli.tmp / "env.json"
    db.write_bytes(b"{oops")
    before = _state(db)
    refused(cli(*command, env={"ALLIANCE_TUI_DB": str(db)}), str(db), "not valid JSON")
    assert _state(db) == before


def test_list_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`alliance-tui list | head -1`: no BrokenPipeError traceback (issue 15)."""
    import subprocess
    import sys

    path = tmp_path / "a.json"
    store = Store(path)
    for n in range(300):
        store.create((f"Ann {n}", "Bob"), title=f"Alliance {n} " + "x" * 60)
    shell = (
        f"{sys.executable} -m alliance_tui list --db {path} | head -1"  # 300 lines: more than a pipe holds
    )
    done = subprocess.run(["sh", "-c", shell], capture_output=True, text=True, timeout=60)
    assert done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr


def test_an_alliance_is_named_by_any_unambiguous_prefix(tmp_path: Path) -> None:
    """SPEC §5; issue 11: `alliance-tui export sue` failed for "Sue & Sam"."""
    db = tmp_path / "a.json"
    store = Store(db)
    sue = store.create(("Sue", "Sam"), title="Sue & Sam").id
    store.create(("Ann", "Bob"), title="Studio")
    store.create(("Cleo", "Dan"), title="Studio two")
    assert store.find("sue").id == sue
    assert store.find(sue[:3]).id == sue
    assert store.find("studio").title == "Studio", "an exact title wins over a longer one"
    done = subprocess.run(
        [sys.executable, "-m", "alliance_tui", "export", "stu", "--db", str(db)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "'stu' could be 2 alliances: 'Studio'" in done.stderr and "'Studio two'" in done.stderr


def test_a_hand_edited_record_key_with_a_leading_zero_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "a.json"
    Store(db).create(("Ann", "Bob"), title="Studio")
    data = json.loads(db.read_text(encoding="utf-8"))
    data["alliances"] = {"01": data["alliances"]["1"]}
    db.write_text(json.dumps(data), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "alliance_tui", "list", "--db", str(db)], capture_output=True, text=True
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr and str(db) in done.stderr


def test_export_through_the_cli_takes_a_unique_title_prefix(tmp_path: Path) -> None:
    """`alliance-tui export sue` prints "Sue & Sam" (issue 11 item 9, SPEC §5)."""
    db = tmp_path / "a.json"
    store = Store(db)
    sue = store.create(("Sue", "Sam"), title="Sue & Sam").id
    store.create(("Ann", "Bob"), title="Studio")
    for prefix in ("sue", "SUE &", sue[:4]):
        done = subprocess.run(
            [sys.executable, "-m", "alliance_tui", "export", prefix, "--format", "json", "--db", str(db)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )
        assert (done.returncode, done.stderr) == (0, ""), done.stderr
        exported = json.loads(done.stdout)["alliance"]
        assert (exported["id"], exported["title"]) == (sue, "Sue & Sam")


@pytest.mark.slow
def test_the_app_opens_the_alliance_a_prefix_names(tmp_path: Path) -> None:
    """`alliance-tui --alliance PREFIX` in a real terminal opens that alliance, not the
    list and not the one used last (SPEC §5, issue 11 item 9)."""
    db = tmp_path / "a.json"
    store = Store(db)
    store.create(("Sue", "Sam"), title="Sue & Sam")
    store.create(("Ann", "Bob"), title="Studio")
    two = store.create(("Cleo", "Dan"), title="Studio two").id
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path)}  # no last-used one
    for prefix in ("studio T", two[:5]):
        terminal = Terminal(["--db", str(db), "--alliance", prefix], columns=120, rows=40, env=env)
        try:
            screen = terminal.wait_for("Cleo is at the keyboard")
            assert "Studio two" in screen.splitlines()[0], screen.splitlines()[0]
            assert "Sue & Sam" not in screen and "Ann" not in screen
        finally:
            assert terminal.close() == 0


@pytest.mark.parametrize(
    ("args", "app_only"),
    [
        ([], True),
        (["--demo"], True),
        (["--db", "a.json", "--alliance", "new", "--as", "Sam"], True),  # "new" a title here
        (["--db=a.json", "--alliance=Ours"], True),
        (["new", "Ours", "--partners", "A", "B"], False),
        (["--db", "a.json", "list"], False),
        (["--help"], False),
        (["--version"], False),
        (["frobnicate"], False),
        (["--al", "Ours"], False),  # an abbreviation: argparse's to read
        (["--alliance", "--demo"], False),  # a value that looks like an option
    ],
)
def test_opening_the_app_is_read_without_argparse(args: list[str], app_only: bool) -> None:
    """The app's own options are read without argparse (SPEC §9), as argparse reads them;
    anything else, a command or a mistake, is left to the whole command line."""
    from alliance_tui.cli import _parser, opening

    plain = opening(args)
    assert (plain is not None) is app_only
    if plain is not None:
        assert vars(plain) == vars(_parser().parse_args(args))


_WORDS = [
    "--db",
    "--alliance",
    "--as",
    "--demo",
    "--db=",
    "--alliance=Ours",
    "--as=Sam",
    "--al",
    "a.json",
    "Ours",
    "new",
    "list",
    "-5",
    "--",
    "-h",
    "--help",
    "--version",
    "",
    "x=y",
    "--demo=1",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=6))
def test_the_plain_reading_of_the_app_options_is_argparse_s(args: list[str]) -> None:
    """`opening` reads the app's options without argparse (SPEC §9): whatever it reads, it
    reads as the whole command line does; whatever it leaves, argparse reads."""
    from alliance_tui.cli import UsageError, _parser, opening

    plain = opening(args)
    if plain is None:
        return
    try:
        whole = _parser().parse_args(args)
    except (UsageError, SystemExit) as error:  # pragma: no cover - would be a failure
        raise AssertionError(f"{args} read plainly as {vars(plain)}, refused by argparse: {error}") from None
    assert vars(plain) == vars(whole)
