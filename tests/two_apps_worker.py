"""One of two app processes on one database: it drafts lines, then waits to see them all.

Run by tests/test_two_apps.py; prints what its screen shows at the end, as JSON.
"""

from __future__ import annotations

import asyncio
import json
import sys

from alliance_tui.app import AllianceApp
from alliance_tui.domain import rules
from alliance_tui.widgets.virtual_list import VirtualList


async def main(path: str, tag: str, count: int, expected: int) -> None:
    app = AllianceApp(path, poll_seconds=0.2)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        for n in range(count):
            refusal = screen.attempt(lambda a, m, n=n: rules.draft(a, a.active, f"{tag} {n}", m))  # type: ignore[attr-defined]
            if refusal is not None:
                raise SystemExit(f"refused: {refusal}")
            if n % 20 == 0:
                await pilot.pause()  # let the other process's changes come in meanwhile
        pane = screen.query_one("#partner-a", VirtualList)
        for _ in range(300):
            if pane.row_count >= expected:
                break
            await pilot.pause(0.1)
        rows = [pane.row_plain(i) for i in range(pane.row_count)]
        print(json.dumps({"rows": rows}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
