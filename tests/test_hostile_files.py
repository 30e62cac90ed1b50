"""A corpus of hostile database files: hand-edited, damaged, or not files at all.

Every one is run through `alliance-tui list` and `export` in the three formats, as real
processes with a timeout and a memory limit, and through the app: one line on stderr
naming the file, exit status 2, the file byte-identical, nothing made beside it, never a
traceback (SPEC §5, §6; issue 15 items 4 and 5). The app shows its error screen.

The files are generated from one valid database written here by hand, so the corpus
does not depend on the negotiation rules; that database itself is the control case.
"""

from __future__ import annotations

import copy
import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from alliance_tui.app import AllianceApp
from alliance_tui.screens.error import ErrorScreen

FIRST, SECOND = "a1b2c3d4", "e5f6a7b8"
T = "2026-03-02T09:00:00+00:00"

#: Seconds one command may take on a file, and the address space it may use.
TIMEOUT = 20
MEMORY = 768 * 1024 * 1024


def _wording(text: str, by: int, **more: Any) -> dict[str, Any]:
    return {"text": text, "by": by, "at": T, **more}


def _events(alliance: str, count: int) -> list[dict[str, Any]]:
    events = [{"alliance": alliance, "at": T, "session": 0, "action": "created", "text": "Title"}]
    if alliance == FIRST:
        # How the lines of `base()` came to be: the history keeps the rule of consent
        # (the app checks it: tests/test_audit.py).
        def said(actor: int, action: str, line: int, **more: Any) -> dict[str, Any]:
            return {
                "alliance": alliance,
                "at": T,
                "session": 1,
                "actor": actor,
                "action": action,
                "line": line,
                **more,
            }

        events += [
            said(0, "drafted", 1, text="Quiet mornings.", private=True),
            said(0, "proposed", 1, text="Quiet mornings."),
            said(1, "accepted", 1, text="Quiet mornings."),
            said(0, "drafted", 3, text="One evening each to ourselves.", private=True),
            said(0, "proposed", 3, text="One evening each to ourselves."),
            said(1, "accepted", 3, text="One evening each to ourselves."),
            said(1, "reopened", 3, before="One evening each to ourselves.", reason="remove"),
            said(1, "drafted", 2, text="Whoever cooks does not wash up.", private=True),
            said(1, "proposed", 2, text="Whoever cooks does not wash up."),
        ]
    for n in range(len(events), count):
        events.append({"alliance": alliance, "at": T, "session": 1, "actor": n % 2, "action": "passed"})
    return events


def base() -> dict[str, Any]:
    """A valid file of two alliances, as this app writes it (the history last)."""
    alliances = [
        {
            "id": FIRST,
            "title": "Living together",
            "kind": "couple",
            "partners": [{"name": "Sarah"}, {"name": "Peter"}],
            "created_at": T,
            "active": 0,
            "next_line": 4,
            "signatures": [0],
            "version": 1,
            "sessions": 2,
            # A check-in revealed, and one open (Sarah has finished rating line 1).
            "checkins": [
                {
                    "at": T,
                    "ratings": [[1, 0, "working"], [1, 1, "wobbly", "Mostly."]],
                }
            ],
            "checkin": {
                "at": T,
                "lines": [1],
                "ratings": {"0": {"1": {"rating": "not_working", "note": "Too early."}}},
                "done": [0],
            },
        },
        {
            "id": SECOND,
            "title": "The studio",
            "kind": "business",
            "partners": [{"name": "Ann"}, {"name": "Bob"}],
            "created_at": T,
            "next_line": 2,
        },
    ]
    lines = [
        {
            "alliance": FIRST,
            "id": 1,
            "author": 0,
            "state": "agreed",
            "wordings": [_wording("Quiet mornings.", 0, topic="communication")],
            "agreed": 0,
            "agreed_at": T,
        },
        {
            "alliance": FIRST,
            "id": 2,
            "author": 1,
            "state": "proposed",
            "wordings": [_wording("Whoever cooks does not wash up.", 1, trial_until="2026-04-01")],
            "offer": 0,
        },
        {
            "alliance": FIRST,
            "id": 3,
            "author": 0,
            "state": "proposed",
            "wordings": [_wording("One evening each to ourselves.", 0)],
            "offer": 0,
            "agreed": 0,
            "agreed_at": T,
            "removal_by": 1,
        },
        {
            "alliance": SECOND,
            "id": 1,
            "author": 0,
            "state": "declined",
            "wordings": [_wording("Invoices on Fridays.", 0)],
            "offer": 0,
            "reason": "Mondays suit me better.",
        },
    ]
    versions = [
        {
            "alliance": FIRST,
            "number": 1,
            "at": T,
            "partners": ["Sarah", "Peter"],
            "lines": [{"number": 1, "line": 1, "text": "Quiet mornings.", "author": 0, "agreed_at": T}],
        }
    ]
    events = _events(FIRST, 30) + _events(SECOND, 30)
    table = lambda records: {str(n + 1): record for n, record in enumerate(records)}  # noqa: E731
    return {
        "_meta": {"1": {"app": "alliance-tui", "schema": 1, "history": "last"}},
        "alliances": table(alliances),
        "lines": table(lines),
        "versions": table(versions),
        "events": table(events),
    }


def _encoded(data: dict[str, Any]) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


def edit(change: Callable[[dict[str, Any]], object]) -> bytes:
    data = copy.deepcopy(base())
    change(data)
    return _encoded(data)


def put(table: str, number: int, key: str, value: Any) -> Callable[[dict[str, Any]], object]:
    """Set `key` of record `number` (1-based) of `table`."""
    return lambda data: data[table][str(number)].__setitem__(key, value)


def wording(line: int, key: str, value: Any) -> Callable[[dict[str, Any]], object]:
    return lambda data: data["lines"][str(line)]["wordings"][0].__setitem__(key, value)


def partner(key: str, value: Any) -> Callable[[dict[str, Any]], object]:
    return lambda data: data["alliances"]["1"]["partners"][0].__setitem__(key, value)


def alone(change: Callable[[dict[str, Any]], object]) -> bytes:
    """A file of the first alliance alone, with a history of 2,000 events: the app opens
    it straight on its main screen and reads only the end of the history before the
    first frame (SPEC §9), the rest after."""
    data = copy.deepcopy(base())
    data["alliances"].pop("2")
    data["lines"].pop("4")
    data["events"] = {str(n + 1): event for n, event in enumerate(_events(FIRST, 2000))}
    change(data)
    return _encoded(data)


def replaced(old: str, new: str) -> bytes:
    raw = _encoded(base()).decode()
    assert old in raw, old
    return raw.replace(old, new, 1).encode()


VALID = _encoded(base())
PASSPHRASE = {"scrypt": "00", "salt": "00", "n": 2**14, "r": 8, "p": 1}

#: Each case: the bytes of the file. Events 31 to 60 are the second alliance's history.
CASES: dict[str, bytes] = {
    # Not JSON, or not ours.
    "empty": b"",
    "whitespace only": b" \n\t\n",
    "truncated": VALID[: len(VALID) // 2],
    "truncated in the history": VALID[:-40],
    "byte order mark": b"\xef\xbb\xbf" + VALID,
    "not UTF-8": VALID.replace(b"Sarah", b"S\xffrah"),
    "UTF-16": VALID.decode().encode("utf-16"),
    "a list at the top": b"[1, 2, 3]",
    "a string at the top": b'"alliance-tui"',
    "null": b"null",
    "another app's JSON": b'{"_default": {"1": {"x": 1}}}',
    "no tables, no meta": b"{}",
    "newer schema": replaced('"schema":1', '"schema":99'),
    "schema as text": replaced('"schema":1', '"schema":"1"'),
    "a table is a list": edit(lambda d: d.__setitem__("lines", [])),
    "a record is a number": edit(lambda d: d["alliances"].__setitem__("2", 5)),
    "a record id is not a number": edit(lambda d: d["lines"].__setitem__("x", d["lines"].pop("4"))),
    "a record id of 5,000 digits": edit(lambda d: d["lines"].__setitem__("9" * 5000, d["lines"].pop("4"))),
    # Numbers JSON parsers disagree on.
    "100,000 nested brackets": b"[" * 100_000,
    "deep nesting inside a record": replaced(
        '"reason":"Mondays', '"reason":' + "[" * 5000 + "1" + "]" * 5000 + ',"x":"'
    ),
    "1e400": replaced('"version":1', '"version":1e400'),
    "NaN": replaced('"version":1', '"version":NaN'),
    "-Infinity": replaced('"sessions":2', '"sessions":-Infinity'),
    "a 5,000-digit number": replaced('"version":1', '"version":' + "9" * 5000),
    "a 30-digit number": replaced('"sessions":2', '"sessions":' + "9" * 30),
    # Duplicated keys: the last one wins, as in every JSON parser; here it is broken.
    "duplicated table key": replaced('"lines":{', '"alliances":5,"lines":{'),
    "duplicated alliance id": edit(lambda d: d["alliances"]["2"].__setitem__("id", FIRST)),
    "duplicated line number": edit(put("lines", 2, "id", 1)),
    # Wrong types and ranges in an alliance.
    "integer title": edit(put("alliances", 1, "title", 5)),
    "huge title": edit(put("alliances", 1, "title", "x" * 3_000_000)),
    "integer id": edit(put("alliances", 1, "id", 5)),
    "unknown kind": edit(put("alliances", 1, "kind", "enemies")),
    "three partners": edit(lambda d: d["alliances"]["1"]["partners"].append({"name": "Eve"})),
    "partners is text": edit(put("alliances", 1, "partners", "Sarah & Peter")),
    "integer name": edit(partner("name", 5)),
    "empty name": edit(partner("name", " ")),
    "same two names": edit(partner("name", "Peter")),
    "active 2": edit(put("alliances", 1, "active", 2)),
    "active true": edit(put("alliances", 1, "active", True)),
    "signatures [5]": edit(put("alliances", 1, "signatures", [5])),
    "signatures text": edit(put("alliances", 1, "signatures", "01")),
    "negative version": edit(put("alliances", 1, "version", -1)),
    "fractional sessions": edit(put("alliances", 1, "sessions", 1.5)),
    "next line 0": edit(put("alliances", 1, "next_line", 0)),
    "next line taken": edit(put("alliances", 1, "next_line", 2)),
    "creation time bad": edit(put("alliances", 1, "created_at", "bad")),
    "creation time a number": edit(put("alliances", 1, "created_at", 20260302)),
    "time in year 1 west of UTC": edit(put("alliances", 1, "created_at", "0001-01-01T00:00:00-23:59")),
    "review date 2026-13-01": edit(put("alliances", 1, "review_on", "2026-13-01")),
    "archived is text": edit(put("alliances", 1, "archived", "no")),
    "passphrase of text": edit(partner("passphrase", "secret")),
    "passphrase salt not hex": edit(partner("passphrase", {**PASSPHRASE, "salt": "zz"})),
    "passphrase cost of 2**40": edit(partner("passphrase", {**PASSPHRASE, "n": 2**40})),
    # Wrong types and ranges in a line.
    "removal by 7": edit(put("lines", 3, "removal_by", 7)),
    "author 2": edit(put("lines", 1, "author", 2)),
    "unknown state": edit(put("lines", 1, "state", "maybe")),
    "offer past the wordings": edit(put("lines", 2, "offer", 1)),
    "offer -1": edit(put("lines", 2, "offer", -1)),
    "no current wording": edit(put("lines", 2, "offer", None)),
    "no wordings": edit(put("lines", 1, "wordings", [])),
    "wordings an object": edit(put("lines", 1, "wordings", {"0": "x"})),
    "a wording is a number": edit(put("lines", 1, "wordings", [5])),
    "integer topic": edit(wording(1, "topic", 5)),
    "integer wording": edit(wording(1, "text", 5)),
    "wording by true": edit(wording(1, "by", True)),
    "wording time bad": edit(wording(1, "at", "yesterday")),
    "trial date bad": edit(wording(2, "trial_until", "soon")),
    "reason a list": edit(put("lines", 4, "reason", ["no"])),
    "line number text": edit(put("lines", 1, "id", "one")),
    # Wrong types and ranges in the history (the second alliance's, mid-table).
    "actor 5": edit(put("events", 2, "actor", 5)),
    "actor 5 in the second alliance": edit(put("events", 45, "actor", 5)),
    "integer event text": edit(put("events", 1, "text", 5)),
    "event at bad": edit(put("events", 40, "at", "bad")),
    "event at missing": edit(lambda d: d["events"]["40"].pop("at")),
    "unknown action": edit(put("events", 40, "action", "hacked")),
    "event line text": edit(put("events", 40, "line", "3")),
    "event session huge": edit(put("events", 40, "session", 2**40)),
    "event private text": edit(put("events", 40, "private", "yes")),
    "an event is a list": edit(lambda d: d["events"].__setitem__("40", [1])),
    "huge event reason": edit(put("events", 40, "reason", "y" * 1_000_000)),
    # One alliance: the end of the history, the middle (read after the first frame).
    "one alliance: actor 5 in the last event": alone(put("events", 2000, "actor", 5)),
    "one alliance: a bad time mid-history": alone(put("events", 700, "at", "bad")),
    "one alliance: an event is text mid-history": alone(lambda d: d["events"].__setitem__("5", "x")),
    # Check-ins (SPEC §12): the open one, and those revealed.
    "check-in rating unknown": edit(
        lambda d: d["alliances"]["1"]["checkin"]["ratings"]["0"]["1"].__setitem__("rating", "great")
    ),
    "check-in rating of a line it does not rate": edit(
        lambda d: d["alliances"]["1"]["checkin"]["ratings"]["0"].__setitem__("9", {"rating": "working"})
    ),
    "check-in rating by partner 2": edit(
        lambda d: d["alliances"]["1"]["checkin"]["ratings"].__setitem__("2", {})
    ),
    "check-in finished by the coach": edit(lambda d: d["alliances"]["1"]["checkin"].__setitem__("done", [2])),
    "check-in note a number": edit(
        lambda d: d["alliances"]["1"]["checkin"]["ratings"]["0"]["1"].__setitem__("note", 5)
    ),
    "check-in lines text": edit(lambda d: d["alliances"]["1"]["checkin"].__setitem__("lines", "1")),
    "check-in without a time": edit(lambda d: d["alliances"]["1"]["checkin"].pop("at")),
    "check-ins an object": edit(put("alliances", 1, "checkins", {"1": {}})),
    "check-in revealed rating by partner 5": edit(
        lambda d: d["alliances"]["1"]["checkins"][0]["ratings"][0].__setitem__(1, 5)
    ),
    "check-in revealed rating of line 0": edit(
        lambda d: d["alliances"]["1"]["checkins"][0]["ratings"][0].__setitem__(0, 0)
    ),
    "check-in revealed rating null": edit(
        lambda d: d["alliances"]["1"]["checkins"][0]["ratings"][0].__setitem__(2, None)
    ),
    "check-in revealed huge note": edit(
        lambda d: d["alliances"]["1"]["checkins"][0]["ratings"][1].__setitem__(3, "n" * 1_000_000)
    ),
    "check-in revealed rating of five fields": edit(
        lambda d: d["alliances"]["1"]["checkins"][0]["ratings"][1].append("more")
    ),
    "check-in revealed rating an object": edit(
        lambda d: d["alliances"]["1"]["checkins"][0]["ratings"].__setitem__(0, {"line": 1})
    ),
    # Versions.
    "signatures [5] in a version": edit(put("versions", 1, "lines", [5])),
    "version of one partner": edit(put("versions", 1, "partners", ["Sarah"])),
    "version line author 3": edit(lambda d: d["versions"]["1"]["lines"][0].__setitem__("author", 3)),
}


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _commands(path: Path) -> list[list[str]]:
    db = ["--db", str(path)]
    return [
        ["list", *db],
        ["export", FIRST, "--format", "md", *db],
        ["export", FIRST, "--format", "txt", *db],
        ["export", FIRST, "--format", "json", *db],
    ]


def run_all(path: Path) -> list[tuple[list[str], int | None, str, str]]:
    """Every command on `path`, two at a time (the machine has two cores)."""
    results = []
    commands = _commands(path)
    for pair in (commands[:2], commands[2:]):
        running = [
            (
                command,
                subprocess.Popen(
                    [sys.executable, "-m", "alliance_tui", *command],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    preexec_fn=_limits,
                ),
            )
            for command in pair
        ]
        for command, process in running:
            try:
                out, err = process.communicate(timeout=TIMEOUT)
                status: int | None = process.returncode
            except subprocess.TimeoutExpired:
                process.kill()
                out, err = process.communicate()
                status = None
            results.append((command, status, out.decode(errors="replace"), err.decode(errors="replace")))
    return results


def assert_refused(path: Path, before: bytes | None, folder_before: list[str]) -> None:
    for command, status, out, err in run_all(path):
        what = f"`alliance-tui {' '.join(command)}`"
        assert status is not None, f"{what} did not end within {TIMEOUT} s"
        assert "Traceback" not in err, f"{what}: {err}"
        assert status == 2, f"{what} ended with {status}: {err!r}"
        assert err.endswith("\n") and err.count("\n") == 1, f"{what} said more than one line: {err!r}"
        assert str(path) in err, f"{what} did not name the file: {err!r}"
        assert out == "", f"{what} printed {out[:200]!r}"
    if before is not None:
        assert path.read_bytes() == before, "the file was changed"
    assert sorted(os.listdir(path.parent)) == folder_before, "something was made beside the file"


def test_the_valid_file_is_valid(tmp_path: Path) -> None:
    """The control case: the corpus is hostile only where a case makes it so."""
    path = tmp_path / "alliance.json"
    path.write_bytes(VALID)
    for command, status, out, err in run_all(path):
        assert (status, err) == (0, ""), f"{command}: {err}"
        assert "Quiet mornings." in out if command[0] == "export" else "Living together" in out


@pytest.mark.parametrize("name", list(CASES))
def test_a_hostile_file_is_refused_on_the_command_line(tmp_path: Path, name: str) -> None:
    path = tmp_path / "alliance.json"
    path.write_bytes(CASES[name])
    assert_refused(path, CASES[name], ["alliance.json"])


def _special(tmp_path: Path, kind: str) -> Path:
    if kind == "FIFO":
        path = tmp_path / "pipe.json"
        os.mkfifo(path)
    elif kind == "folder":
        path = tmp_path / "folder.json"
        path.mkdir()
    elif kind == "socket":
        import socket

        path = tmp_path / "s.json"
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.close()
    else:
        path = Path(kind)
    return path


SPECIAL = ["FIFO", "folder", "socket", "/dev/zero", "/dev/null", "/dev/urandom"]


@pytest.mark.parametrize("kind", SPECIAL)
def test_a_special_file_is_refused_without_waiting_or_leaving_a_lock(tmp_path: Path, kind: str) -> None:
    path = _special(tmp_path, kind)
    folder_before = sorted(os.listdir(path.parent))
    assert_refused(path, None, folder_before)


async def _shown(path: Path) -> str:
    app = AllianceApp(path, poll_seconds=None)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(3):  # the rest of a long history is read after the first frame
            await pilot.pause()
        assert isinstance(app.screen, ErrorScreen), f"{type(app.screen).__name__} shown instead"
        problem = app.screen.problem
        await pilot.press("ctrl+q")
    return problem


# The app runs in this process: one case of each kind of damage is enough to show the
# error screen comes from the store's refusal (the CLI cases above cover every one).
APP_CASES = [
    "whitespace only",
    "truncated in the history",
    "not UTF-8",
    "100,000 nested brackets",
    "1e400",
    "a 5,000-digit number",
    "duplicated line number",
    "integer title",
    "huge title",
    "signatures [5]",
    "passphrase cost of 2**40",
    "removal by 7",
    "integer topic",
    "actor 5",
    "actor 5 in the second alliance",
    "integer event text",
    "event at bad",
    "signatures [5] in a version",
    "check-in rating unknown",
    "one alliance: actor 5 in the last event",
    "one alliance: a bad time mid-history",
]


@pytest.mark.parametrize("name", APP_CASES)
async def test_a_hostile_file_shows_the_error_screen(tmp_path: Path, name: str) -> None:
    path = tmp_path / "alliance.json"
    path.write_bytes(CASES[name])
    problem = await _shown(path)
    assert str(path) in problem
    assert path.read_bytes() == CASES[name]
    assert os.listdir(tmp_path) == ["alliance.json"]


@pytest.mark.parametrize("kind", ["FIFO", "folder", "/dev/zero"])
async def test_a_special_file_shows_the_error_screen(tmp_path: Path, kind: str) -> None:
    path = _special(tmp_path, kind)
    folder_before = sorted(os.listdir(path.parent))
    assert "not a database file" in await _shown(path)
    assert sorted(os.listdir(path.parent)) == folder_before


def test_an_empty_db_is_a_usage_error_not_the_default_database(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data")}
    env.pop("ALLIANCE_TUI_DB", None)
    for command in (["list", "--db", ""], ["export", "--db", ""], ["--db", ""]):
        done = subprocess.run(
            [sys.executable, "-m", "alliance_tui", *command],
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=TIMEOUT,
        )
        assert done.returncode == 2, command
        assert done.stderr.count("\n") == 1 and "--db" in done.stderr, done.stderr
    assert not home.exists(), "the default database was used"
