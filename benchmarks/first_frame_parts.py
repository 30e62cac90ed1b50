"""Where the main screen's first frame goes, widget by widget: medians of fresh processes.

    .venv/bin/python benchmarks/first_frame_parts.py DB [--alliance ID] [--runs 15]

Each run starts the app as `benchmarks/bench.py` does (headless, 120x40, the command's
own start), times a few of the widgets' own methods with `perf_counter` up to the first
frame of the main screen, and stops there. cProfile slows small calls more than big ones
and so misplaces the time; a clock around each call does not. A method called inside
another one timed here counts in both. Nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import functools, json, sys, time
started = time.perf_counter()
import alliance_tui.start

path, alliance = sys.argv[1], sys.argv[2] or None
BY_CLASS = sys.argv[3] == "1"
totals = {}

def timed(owner, name, by_class=False):
    original = getattr(owner, name)
    label = f"{getattr(owner, '__name__', owner)}.{name}".removeprefix("alliance_tui.widgets.")

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            key = label
            if by_class:
                node = args[1] if owner is Stylesheet else args[0]
                key = f"{label} {type(node).__name__}"
            spent, count = totals.get(key, (0.0, 0))
            totals[key] = (spent + time.perf_counter() - start, count + 1)

    setattr(owner, name, wrapper)

from textual.app import App
from textual.widget import Widget
from textual.css.stylesheet import Stylesheet
from textual.widgets import Static
from alliance_tui.app import AllianceApp
from alliance_tui.screens.negotiation import NegotiationScreen
from alliance_tui.widgets.virtual_list import VirtualList
from alliance_tui.widgets.wrapped_list import WrappedList
from alliance_tui.widgets.agreement_pane import AgreementPane
from alliance_tui.widgets.partner_pane import PartnerPane
from alliance_tui.widgets.history_pane import HistoryPane
from alliance_tui.widgets.key_bar import KeyBar
from alliance_tui.widgets.title_bar import TitleBar
from alliance_tui.widgets.turn_line import TurnLine
from alliance_tui.widgets import agreement_pane, partner_pane

for owner, name in [
    (VirtualList, "render_line"),
    (WrappedList, "render_line"),
    (WrappedList, "_strips"),
    (AgreementPane, "show"),
    (PartnerPane, "show"),
    (HistoryPane, "show"),
    (TurnLine, "show"),
    (KeyBar, "render"),
    (TitleBar, "render"),
    (Static, "render"),
    (Widget, "render_lines"),
    (Widget, "_compose"),
    (Stylesheet, "apply"),
    (Stylesheet, "update_nodes"),
    (NegotiationScreen, "_show"),
    (VirtualList, "set_rows"),
    (VirtualList, "on_resize"),
    (VirtualList, "watch_highlighted"),
    (WrappedList, "watch_highlighted"),
    (WrappedList, "_estimate_all"),
    (WrappedList, "_resize"),
    (AgreementPane, "estimate"),
    (agreement_pane, "agreement"),
    (partner_pane, "visible_lines"),
    (partner_pane, "LazyRows"),
    (agreement_pane, "LazyRows"),
    (NegotiationScreen, "_refresh_footer"),
]:
    if name in vars(owner) or owner in (Widget, Stylesheet):
        timed(owner, name, by_class=BY_CLASS and name in ("render_lines", "apply"))

display = App._display

def on_mount(self):
    screen = self
    mounted = time.perf_counter()

    def _display(app, on, renderable):
        if on is screen and renderable is not None and not getattr(screen, "framed", False):
            screen.framed = True
            now = time.perf_counter()
            totals["(start to on_mount)"] = (mounted - started, 1)
            totals["(start to first frame)"] = (now - started, 1)
            parts = {f"{k} ×{v[1]}": v[0] * 1000 for k, v in totals.items()}
            sys.stderr.write("parts " + json.dumps(parts) + "\n")
            app.exit()
        display(app, on, renderable)

    App._display = _display

NegotiationScreen.on_mount = on_mount
run = AllianceApp.run
AllianceApp.run = lambda self, *a, **k: run(self, headless=True, size=(120, 40))
sys.argv = ["alliance-tui", "--db", path, *(["--alliance", alliance] if alliance else [])]
raise SystemExit(alliance_tui.start.main())
"""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("db")
    parser.add_argument("--alliance", default="")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--by-class", action="store_true", help="styling and drawing, per widget class")
    args = parser.parse_args()
    settings = Path(tempfile.mkdtemp(prefix="alliance-parts-")) / "settings.json"
    settings.write_text('{"toured": true}', encoding="utf-8")
    env = {**os.environ, "ALLIANCE_TUI_CONFIG": str(settings)}
    alliance = args.alliance
    if not alliance:
        sys.path.insert(0, str(ROOT))
        from alliance_tui.store import Store

        alliance = Store(Path(args.db)).alliances()[0].id
    runs: dict[str, list[float]] = {}
    for _ in range(args.runs + 1):
        child = subprocess.run(
            [sys.executable, "-c", CHILD, args.db, alliance, "1" if args.by_class else ""],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if child.returncode:
            raise SystemExit(child.stderr)
        line = next(line for line in child.stderr.splitlines() if line.startswith("parts "))
        for name, ms in json.loads(line.removeprefix("parts ")).items():
            runs.setdefault(name, []).append(ms)
    for name, values in sorted(runs.items(), key=lambda item: -statistics.median(item[1][1:])):
        values = values[1:]  # the first run warms the file cache
        print(f"{name:<44} {statistics.median(values):8.2f} ms   ({min(values):.2f}-{max(values):.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
