"""Is this exported agreement one the partners signed? (`alliance-tui verify`, SPEC §12).

A Markdown or text export matches a signed version when it is, character for character,
what the app writes for that version: its heading, every line with its terms and sign,
and the closing fingerprint. Only what was never part of the signature may differ: the
alliance may have been renamed or re-kinded since (every title and kind it has had is
accepted), and an export of the agreement as it stood says "version N" where one of an
older version says "version N, signed DATE". Line endings and the final newline are not
counted: an editor or a mail program changes them without changing a word.

A JSON export matches when its agreement (every field of every line), its version and its
fingerprint are the version's; its history is the history at the time of export and is
not part of what was signed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .export import iso_date, iso_time, to_markdown, to_text
from .fingerprint import FOOTER, fingerprint, first_difference, numbered_lines
from .model import Action, Alliance, Event, Kind, Version


@dataclass(frozen=True, slots=True)
class Looks:
    """Every title and kind an alliance has had: an export made before a rename matches."""

    titles: tuple[str, ...]
    kinds: tuple[Kind, ...]


def looks(a: Alliance, history: Iterable[Event]) -> Looks:
    """The titles and kinds `a` has had, from its `renamed` and `rekinded` events."""
    titles, kinds = {a.title: None}, {a.kind: None}
    for event in history:
        if event.action is Action.RENAMED:
            titles.update(dict.fromkeys(t for t in (event.before, event.text) if t is not None))
        elif event.action is Action.REKINDED:
            known = {kind.value: kind for kind in Kind}
            kinds.update(dict.fromkeys(known[k] for k in (event.before, event.text) if k in known))
    return Looks(tuple(titles), tuple(kinds))


def _normal(text: str) -> str:
    return text.replace("\r\n", "\n").rstrip("\n")


def _renderings(a: Alliance, version: Version, looks: Looks, markdown: bool) -> Iterable[str]:
    render = to_markdown if markdown else to_text
    for title in looks.titles:
        for kind in looks.kinds:
            shown = a.replace(title=title, kind=kind, agreement_cache=None)
            yield render(shown, version)
            yield render(shown, version, current=True)


def text_difference(exported: str, a: Alliance, version: Version, looks: Looks) -> str | None:
    """None when a Markdown or text export is exactly this version; else where it differs."""
    markdown = exported.lstrip().startswith("#")
    wanted = _normal(exported)
    renderings = list(_renderings(a, version, looks, markdown))
    if any(_normal(made) == wanted for made in renderings):
        return None
    lines = first_difference(numbered_lines(exported), numbered_lines(renderings[0]))
    if lines is not None:
        return lines
    # The numbered lines are right: a heading, a sign or a term differs. Name the first
    # line of the file that differs from the rendering it is closest to.
    got = wanted.split("\n")

    def differing(made: str) -> list[int]:
        lines = _normal(made).split("\n")
        found = [i for i, (a, b) in enumerate(zip(got, lines, strict=False)) if a != b]
        return found + [min(len(got), len(lines))] * (len(got) != len(lines))

    closest = min((differing(made) for made in renderings), key=len)
    return f"line {closest[0] + 1} of the file differs"


def json_difference(data: Any, a: Alliance, version: Version) -> str | None:
    """None when a JSON export's agreement is exactly this version's; else where it differs."""
    expected = [
        {
            "number": line.number,
            "text": line.text,
            "topic": line.topic,
            "author": version.partners[line.author],
            "agreed_at": iso_time(line.agreed_at),
            "trial_until": iso_date(line.trial_until),
            "sign": line.sign,
        }
        for line in version.lines
    ]
    got: Sequence[Any] = data["agreement"]
    pairs = [(int(item["number"]), str(item["text"])) for item in got]
    if (lines := first_difference(pairs, [(line.number, line.text) for line in version.lines])) is not None:
        return lines
    for item, want in zip(got, expected, strict=True):
        if item != want:
            return f"line {want['number']} differs"
    if data["alliance"].get("version") != version.number:
        return "its version number differs"
    return None


#: A signed version the file might be: its alliance, the version, and (asked only when
#: the fingerprint matches, since it reads the history) the titles and kinds it has had.
Candidate = tuple[Alliance, Version, Callable[[], Looks]]


def verdict(text: str, candidates: Iterable[Candidate], *, name: str) -> tuple[bool, str]:
    """Whether the export `text` (of the file `name`) is a signed version, and the sentence."""
    data: Any = None
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
            claimed = data["alliance"]["fingerprint"]
            [(int(item["number"]), str(item["text"])) for item in data["agreement"]]
        except (ValueError, KeyError, TypeError):
            return False, f"{name} matches no signed version: it is not an export this app made."
    else:
        found = FOOTER.search(text)
        claimed = found.group(2) if found else None
    if not claimed:
        return (
            False,
            f"{name} matches no signed version: it carries no fingerprint (export a signed version).",
        )
    for a, v, looks_of in candidates:
        if fingerprint(v) != claimed:
            continue
        if data is not None:
            difference = json_difference(data, a, v)
        else:
            difference = text_difference(text, a, v, looks_of())
        if difference is None:
            return True, f'Matches "{a.title}", version {v.number} (fingerprint {claimed})'
        return False, (
            f'{name} matches no signed version: it claims "{a.title}", version {v.number} '
            f"(fingerprint {claimed}), but {difference}: it was altered."
        )
    return False, f"{name} matches no signed version here: its fingerprint {claimed} is unknown or altered."
