"""Fingerprints of signed versions, and `alliance-tui verify` (SPEC §12, issue 14)."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from alliance_tui.domain import AgreedLine, rules
from alliance_tui.domain.fingerprint import fingerprint
from alliance_tui.domain.model import Version
from alliance_tui.store import Store

from .conftest import FakeClock

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SHAPE = re.compile(r"^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$")


def _version(**changes: object) -> Version:
    lines = (
        AgreedLine(1, 1, "Quiet mornings.", "boundaries", 0, AT, None),
        AgreedLine(3, 3, "Whoever cooks does not wash up.", None, 1, AT, None),
    )
    base = Version(1, AT, ("Sarah", "Peter"), lines, signed=((0, AT), (1, AT + timedelta(minutes=2))))
    return base._replace(**changes)


def test_the_fingerprint_changes_with_wording_numbers_and_signatures_only() -> None:
    base = fingerprint(_version())
    assert SHAPE.match(base)
    first, second = _version().lines
    changed = [
        _version(lines=(first._replace(text="Quiet mornings!"), second)),
        _version(lines=(first._replace(number=2), second)),
        _version(lines=(first,)),
        _version(signed=((0, AT + timedelta(seconds=1)), (1, AT + timedelta(minutes=2)))),
        _version(partners=("Sarah", "Pete")),
    ]
    for version in changed:
        assert fingerprint(version) != base
    same = [
        _version(number=7),
        _version(at=AT + timedelta(days=3)),
        _version(lines=(first._replace(topic="feedback", agreed_at=AT + timedelta(days=1)), second)),
        # A sign says how to tell the line works; it is not what was signed (SPEC §12).
        _version(lines=(first._replace(sign="Nobody snaps before nine"), second)),
    ]
    for version in same:
        assert fingerprint(version) == base


def _signed_twice(path: Path) -> str:
    store = Store(path, clock=FakeClock())
    alliance_id = store.create(("Sarah", "Peter"), title="Mornings").id
    for text in ("Quiet mornings.", "Whoever cooks does not wash up."):
        line = store.act(alliance_id, lambda a, m, t=text: rules.draft(a, 0, t, m)).outcome.lines[0].id
        store.act(alliance_id, lambda a, m, i=line: rules.propose(a, 0, i, m))
        store.act(alliance_id, lambda a, m, i=line: rules.accept(a, 1, i, m))
        store.act(alliance_id, lambda a, m: rules.sign(a, 0, m))
        store.act(alliance_id, lambda a, m: rules.sign(a, 1, m))
    return alliance_id


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "alliance_tui", *args], capture_output=True, text=True, timeout=60
    )


def test_exports_end_with_the_fingerprint_or_say_they_are_not_signed(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    alliance_id = _signed_twice(path)
    store = Store(path)
    a = store.load(alliance_id)
    (v1, v2) = store.versions(alliance_id)
    assert a.fingerprint == fingerprint(v2) and fingerprint(v1) != fingerprint(v2)
    assert len(v2.signed) == 2, "both signatures, with their times"
    current = _cli("export", "--db", str(path)).stdout
    assert current.rstrip().endswith(f"Version 2 · fingerprint {fingerprint(v2)}")
    older = _cli("export", "--db", str(path), "--version", "1", "--format", "txt").stdout
    assert older.rstrip().endswith(f"Version 1 · fingerprint {fingerprint(v1)}")
    line = store.act(alliance_id, lambda a, m: rules.draft(a, 1, "Friday pizza.", m)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 1, line, m))
    store.act(alliance_id, lambda a, m: rules.accept(a, 0, line, m))
    changed = _cli("export", "--db", str(path)).stdout
    assert changed.rstrip().endswith("Changed since version 2: not signed.")


@pytest.mark.parametrize("form", ["md", "txt", "json"])
def test_verify_accepts_every_export_of_every_version_and_refuses_a_changed_one(
    tmp_path: Path, form: str
) -> None:
    path = tmp_path / "a.json"
    _signed_twice(path)
    for number in (1, 2):
        exported = tmp_path / f"v{number}.{form}"
        made = _cli(
            "export", "--db", str(path), "--version", str(number), "--format", form, "-o", str(exported)
        )
        assert made.returncode == 0, made.stderr
        done = _cli("verify", str(exported), "--db", str(path))
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.startswith(f'Matches "Mornings", version {number} (fingerprint ')
        text = exported.read_text(encoding="utf-8")
        altered = text.replace("Quiet mornings.", "Quiet mornings,", 1)
        assert altered != text
        exported.write_text(altered, encoding="utf-8")
        refused = _cli("verify", str(exported), "--db", str(path))
        assert refused.returncode == 1
        assert "matches no signed version" in refused.stdout and "line 1 differs" in refused.stdout


def test_verify_says_why_a_file_matches_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    _signed_twice(path)
    plain = tmp_path / "plain.md"
    plain.write_text("# Mornings\n\n1. Quiet mornings.\n", encoding="utf-8")
    assert _cli("verify", str(plain), "--db", str(path)).returncode == 1
    forged = tmp_path / "forged.md"
    forged.write_text("# Mornings\n\n1. Quiet mornings.\n\nVersion 1 · fingerprint 0000-0000-0000-0000\n")
    done = _cli("verify", str(forged), "--db", str(path))
    assert done.returncode == 1 and "unknown or altered" in done.stdout
    missing = _cli("verify", str(tmp_path / "nowhere.md"), "--db", str(path))
    assert missing.returncode == 2 and missing.stderr.startswith("alliance-tui: ")
