"""The list's index of keys is made when first needed, and agrees with its rows.

At 10,000 lines the panes' first frame does not need to know where each key is (SPEC
§9), so the index is made on first use. These tests change a running list in every way
the panes do, the index made before or after each change, and check that every key
leads to its row.
"""

from __future__ import annotations

from functools import partial

import pytest
from textual.app import App, ComposeResult
from textual.content import Content

from alliance_tui.widgets.virtual_list import LazyRows, Row, VirtualList


def row(key: str | None, text: str) -> Row:
    return Row(key, partial(Content, text))


def lazy(count: int) -> LazyRows:
    rows = LazyRows(list(range(1, count + 1)), lambda n: f"line-{n}", lambda n: row(f"line-{n}", f"Line {n}"))
    rows.append(row(None, "Peter has 2 private drafts"))
    return rows


class Lists(App[None]):
    def compose(self) -> ComposeResult:
        yield VirtualList(id="list")


def consistent(view: VirtualList) -> None:
    keys = [view.row_key(n) for n in range(view.row_count)]
    for n, key in enumerate(keys):
        if key is not None:
            view.select_id(key)
            assert view.highlighted == n and view.selected_id() == key
    assert not view.has_row("line-0")


@pytest.mark.parametrize("asked_first", [False, True], ids=["made on change", "made at once"])
async def test_every_key_leads_to_its_row_through_every_change(asked_first: bool) -> None:
    async with Lists().run_test() as pilot:
        view = pilot.app.query_one(VirtualList)
        view.set_rows(lazy(500))
        if asked_first:
            assert view.has_row("line-250")
        view.insert_before_last(row("line-501", "Line 501"))
        view.insert_before_last(row("line-502", "Line 502"))
        view.replace_row(row("line-7", "Line 7, answered"))
        view.replace_last_row(row(None, "Peter has 1 private draft"))  # the note, said again
        assert view.row_count == 503
        assert view.row_plain(6) == "Line 7, answered"
        assert view.row_plain(502) == "Peter has 1 private draft"
        assert [view.row_key(n) for n in (499, 500, 501, 502)] == ["line-500", "line-501", "line-502", None]
        consistent(view)

        # Without a note at the end, new lines are appended.
        plain = LazyRows(list(range(1, 301)), lambda n: f"line-{n}", lambda n: row(f"line-{n}", f"Line {n}"))
        view.set_rows(plain)
        if asked_first:
            assert view.has_row("line-300")
        view.append_rows([row("line-301", "Line 301"), row("line-302", "Line 302")])
        assert view.row_count == 302 and view.row_key(301) == "line-302"
        consistent(view)

        view.select_id("line-42")  # a new set of rows keeps the selected key where it is
        view.set_rows([row("line-1", "One"), row("line-42", "Forty-two")])
        assert view.highlighted == 1
        consistent(view)
