"""A signed version's fingerprint, and checking an exported agreement against it (SPEC §12).

The fingerprint is the first 16 hex digits of a SHA-256 of the version's exact wording,
its line numbers and both signatures with their times, in four groups of four
(`3f2a-9c01-77be-04d1`). It changes with any of those, and with nothing else: not the
alliance's title, its kind, or the version's number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC

from .model import Version

FOOTER = re.compile(r"Version (\d+) · fingerprint ([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})")
NUMBERED = re.compile(r"^\s*(\d+)\. (.*)$")


def fingerprint(version: Version) -> str:
    """The fingerprint of a signed version."""
    import hashlib  # here: the first frame draws no fingerprint (SPEC §9)

    digest = hashlib.sha256()
    for line in version.lines:
        digest.update(f"line\t{line.number}\t{line.text}\n".encode())
    signed = version.signed or tuple((partner, version.at) for partner in (0, 1))
    for partner, at in sorted(signed):
        stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        digest.update(f"signed\t{version.partners[partner]}\t{stamp}\n".encode())
    hexdigits = digest.hexdigest()[:16]
    return "-".join(hexdigits[i : i + 4] for i in range(0, 16, 4))


def footer(version: Version) -> str:
    """The last line of a Markdown or text export of a signed version."""
    return f"Version {version.number} · fingerprint {fingerprint(version)}"


def numbered_lines(text: str) -> list[tuple[int, str]]:
    """The agreement's numbered lines in an exported text, as (number, the rest)."""
    return [(int(m.group(1)), m.group(2)) for line in text.splitlines() if (m := NUMBERED.match(line))]


def first_difference(exported: Sequence[tuple[int, str]], expected: Sequence[tuple[int, str]]) -> str | None:
    """The first line where an export differs from what the version says, or None."""
    for (number, text), (want_number, want_text) in zip(exported, expected, strict=False):
        if (number, text) != (want_number, want_text):
            return f"line {want_number} differs"
    if len(exported) > len(expected):
        return f"line {exported[len(expected)][0]} is not in that version"
    if len(exported) < len(expected):
        return f"line {expected[len(exported)][0]} is missing"
    return None
