"""`verify` accepts every export of every version and refuses any one-character change
to one (SPEC §12, issue 14 "Must show").

The alliance is made through the store on a real file: three signed versions with
topics, a trial and signs, a rename and a re-kind after the first. Every Markdown and text
export of every version (and of the agreement as it stands) matches; a single character
replaced anywhere in one — heading, line, sign, fingerprint — matches nothing.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance_tui.domain import Kind, rules
from alliance_tui.domain.alliance_rules import accept_change, rekind, rename
from alliance_tui.domain.export import to_json, to_markdown, to_text
from alliance_tui.domain.verify import Candidate, looks, verdict
from alliance_tui.store import Store

from .conftest import FakeClock


def _agree(store: Store, alliance_id: str, text: str, **terms: object) -> int:
    line = store.act(alliance_id, lambda a, m: rules.draft(a, 0, text, m, **terms)).outcome.lines[0].id
    store.act(alliance_id, lambda a, m: rules.propose(a, 0, line, m))
    store.act(alliance_id, lambda a, m: rules.accept(a, 1, line, m))
    return line


def _sign(store: Store, alliance_id: str) -> None:
    store.act(alliance_id, lambda a, m: rules.sign(a, 0, m))
    store.act(alliance_id, lambda a, m: rules.sign(a, 1, m))


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, str, list[str]]:
    """The store, the alliance, and every Markdown, text and JSON export of its versions."""
    path = tmp_path_factory.mktemp("verify") / "a.json"
    store = Store(path, clock=FakeClock())
    alliance_id = store.create(("Sarah", "Peter"), title="Mornings", kind=Kind.COUPLE).id
    _agree(store, alliance_id, "Quiet mornings.", topic="boundaries", sign="Nobody snaps before nine")
    _sign(store, alliance_id)
    first = store.load(alliance_id)
    exports = [to_markdown(first), to_text(first)]  # the agreement as it stood, version 1
    # Once something is agreed, a rename and a re-kind wait for the other's consent.
    store.act(alliance_id, lambda a, m: rename(a, 0, "Our mornings", m))
    store.act(alliance_id, lambda a, m: accept_change(a, 1, m))
    store.act(alliance_id, lambda a, m: rekind(a, 1, Kind.FRIENDS, m))
    store.act(alliance_id, lambda a, m: accept_change(a, 0, m))
    assert (store.load(alliance_id).title, store.load(alliance_id).kind) == ("Our mornings", Kind.FRIENDS)
    _agree(store, alliance_id, "Whoever cooks does not wash up.", trial_until=date(2027, 1, 1))
    _sign(store, alliance_id)
    _agree(store, alliance_id, "Friday is pizza.", topic="logistics", sign="We look forward to Fridays")
    _sign(store, alliance_id)
    a = store.load(alliance_id)
    for version in store.versions(alliance_id):
        exports += [to_markdown(a, version), to_text(a, version)]
        exports.append(json.dumps(to_json(a, store.history(alliance_id), version)))
    exports += [to_markdown(a), to_text(a), json.dumps(to_json(a, store.history(alliance_id)))]
    return store, alliance_id, exports


def _candidates(store: Store) -> list[Candidate]:
    return [
        (a, v, lambda a=a: looks(a, store.history(a.id)))
        for a in store.alliances(archived=True)
        for v in store.versions(a.id)
    ]


def test_every_export_of_every_version_matches(signed: tuple[Store, str, list[str]]) -> None:
    store, _, exports = signed
    assert len(exports) == 2 + 3 * 3 + 3
    candidates = _candidates(store)
    for exported in exports:
        matched, said = verdict(exported, candidates, name="x")
        assert matched, (said, exported)
    # Line endings and the last newline are an editor's, not a change.
    matched, _ = verdict(exports[2].replace("\n", "\r\n").rstrip(), candidates, name="x")
    assert matched


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.integers(min_value=0), where=st.integers(min_value=0), char=st.characters(codec="utf-8"))
def test_any_one_character_changed_matches_nothing(
    signed: tuple[Store, str, list[str]], which: int, where: int, char: str
) -> None:
    store, _, exports = signed
    texts = [e for e in exports if not e.startswith("{")]
    exported = texts[which % len(texts)]
    at = where % len(exported.rstrip("\n"))
    if exported[at] == char or (exported[at] in "\r\n" and char in "\r\n"):
        return  # not a change of what the file says
    altered = exported[:at] + char + exported[at + 1 :]
    matched, said = verdict(altered, _candidates(store), name="x")
    assert not matched, (at, char, said)


def test_a_changed_sign_is_named_by_its_line_of_the_file(signed: tuple[Store, str, list[str]]) -> None:
    store, _, exports = signed
    latest = exports[-3]
    altered = latest.replace("We look forward to Fridays", "We look forward to Mondays")
    matched, said = verdict(altered, _candidates(store), name="x")
    number = altered.splitlines().index(next(s for s in altered.splitlines() if "Mondays" in s)) + 1
    assert not matched and f"line {number} of the file differs" in said
