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
    original = getattr(owner, name, None)
    if original is None:
        return  # not in this version of the code (see --against)
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


def timed_property(owner, name):
    getter = vars(owner)[name].fget
    holder = type("Holder", (), {name: staticmethod(getter)})
    holder.__name__ = owner.__name__
    timed(holder, name)
    setattr(owner, name, property(getattr(holder, name)))

from textual.app import App
from textual.screen import Screen
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
from alliance_tui.widgets import agreement_pane, history_pane, partner_pane
from textual._styles_cache import StylesCache
from textual import _border
from textual.strip import Strip
from textual.content import Content

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
    (Stylesheet, "parse"),
    (StylesCache, "render_line"),
    (_border, "render_border_label"),
    (_border, "render_row"),
    (NegotiationScreen, "_show"),
    (VirtualList, "set_rows"),
    (VirtualList, "_content_of"),
    (VirtualList, "_expanded_strips"),
    (VirtualList, "_style"),
    (VirtualList, "_line_strip"),
    (KeyBar, "shown_keys"),
    (App, "get_key_display"),
    (KeyBar, "get_visual_style"),
    (VirtualList, "_row_at"),
    (VirtualList, "_width"),
    (Strip, "apply_meta"),
    (Content, "render"),
    (Content, "assemble"),
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
    (history_pane, "seen_event"),
    (history_pane, "actor_names"),
    (history_pane, "_after_reset"),
    (VirtualList, "append_rows"),
    (VirtualList, "__init__"),
    (KeyBar, "__init__"),
    (TitleBar, "__init__"),
    (KeyBar, "on_mount"),
    (TitleBar, "on_mount"),
    (App, "_register"),
    (Widget, "_compose"),
    (Widget, "_post_mount"),
    (Widget, "_on_mount"),
    (Widget, "arrange"),
    (Widget, "get_content_height"),
    (Widget, "get_content_width"),
    (Static, "update"),
    (Screen, "_refresh_layout"),
    (Screen, "_compositor_refresh"),
    (Screen, "_on_screen_resume"),
    (NegotiationScreen, "compose"),
    (NegotiationScreen, "_refresh_footer"),
]:
    if name in vars(owner) or owner in (Widget, Stylesheet, StylesCache, Strip, Content, App, KeyBar, Screen):
        timed(owner, name, by_class=BY_CLASS and name in ("render_lines", "apply"))

timed_property(Screen, "active_bindings")

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
            parts = {k: [v[0] * 1000, v[1]] for k, v in totals.items()}
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


def measure(
    root: Path, db: str, alliance: str, env: dict[str, str], by_class: bool
) -> dict[str, list[float]]:
    """One fresh process of the app in `root`: [milliseconds, calls] by part, to its first frame."""
    child = subprocess.run(
        [sys.executable, "-c", CHILD, db, alliance, "1" if by_class else ""],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    if child.returncode:
        raise SystemExit(child.stderr)
    line = next(line for line in child.stderr.splitlines() if line.startswith("parts "))
    parts: dict[str, list[float]] = json.loads(line.removeprefix("parts "))
    return parts


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("db")
    parser.add_argument("--alliance", default="")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--by-class", action="store_true", help="styling and drawing, per widget class")
    parser.add_argument(
        "--against",
        metavar="DIR",
        help="another checkout (a git worktree of an older commit): runs alternate between both",
    )
    args = parser.parse_args()
    settings = Path(tempfile.mkdtemp(prefix="alliance-parts-")) / "settings.json"
    settings.write_text('{"toured": true}', encoding="utf-8")
    env = {**os.environ, "ALLIANCE_TUI_CONFIG": str(settings)}
    alliance = args.alliance
    if not alliance:
        sys.path.insert(0, str(ROOT))
        from alliance_tui.store import Store

        alliance = Store(Path(args.db)).alliances()[0].id
    roots = [ROOT] + ([Path(args.against).resolve()] if args.against else [])
    runs: list[dict[str, list[float]]] = [{} for _ in roots]
    calls: list[dict[str, int]] = [{} for _ in roots]
    for n in range(args.runs + 1):
        for root, found, count in zip(roots, runs, calls, strict=True):
            for name, (ms, called) in measure(root, args.db, alliance, env, args.by_class).items():
                if n:  # the first round warms the file cache
                    found.setdefault(name, []).append(ms)
                    count[name] = int(called)
    names = sorted(runs[0], key=lambda name: -statistics.median(runs[0][name]))
    if args.against:
        print(f"{'(medians)':<40} {'this':>14} {'against':>14}")
    for name in names:
        values = runs[0][name]
        line = f"{name:<40} {statistics.median(values):8.2f} ms ×{calls[0][name]:<3}"
        if args.against:
            other = runs[1].get(name)
            line += f" {statistics.median(other):8.2f} ms ×{calls[1][name]}" if other else "   -"
        else:
            line += f" ({min(values):.2f}-{max(values):.2f})"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
