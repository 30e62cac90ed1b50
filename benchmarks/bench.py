"""Measure the budgets of SPEC §9 against a minimal Textual app, in one run, interleaved.

    .venv/bin/python benchmarks/bench.py                 # everything, prints one line a budget
    .venv/bin/python benchmarks/bench.py --runs 31       # more rounds (15 by default)
    .venv/bin/python benchmarks/bench.py --make-db PATH --lines N --events M [--alliances K]

The databases are built through the project's own API (the rules and the Store). Times
are wall-clock; first frames and memory are measured in fresh processes, in rounds that
take the minimal app (a Header, a Static and a Footer) and ours in turn, so both see the
same machine; each ratio is the median of the rounds' ratios. Ours is started as its
command starts it (`alliance-tui --db PATH --alliance ID`, drawn headless), so what the
command line costs is counted too. The first frame is the first update the compositor
renders for the screen once its data is in place. Nothing
here is asserted by the tests: it is a report for people.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Settings of the benchmark's own, for it and every process it starts: nobody's theme or
# last alliance is read or changed, and the first-run tour (taken already) is not timed.
_SETTINGS = Path(tempfile.mkdtemp(prefix="alliance-bench-settings-")) / "settings.json"
_SETTINGS.write_text('{"toured": true}', encoding="utf-8")
os.environ["ALLIANCE_TUI_CONFIG"] = str(_SETTINGS)

from alliance_tui.domain import Alliance, Kind, Moment, Outcome, State, rules  # noqa: E402
from alliance_tui.store import Store  # noqa: E402

# -- building databases -------------------------------------------------------------------


def make_db(path: Path, *, lines: int, events: int, alliances: int = 1, drafts: int = 60) -> Path:
    """A database of `alliances` alliances sharing `lines` lines and about `events` events.

    Most lines are agreed (draft, propose, pass, accept, pass: five events); some stay
    proposed, countered or declined so every pane has every state; the rest of the
    events are passes of the keyboard. Each alliance keeps `drafts` drafts by its first
    partner for the action benchmark to propose.
    """
    if path.exists():
        path.unlink()
    store = Store(path)
    with store.storage.batch():  # one save at the end: we are building, not negotiating
        ids = [
            store.create(("Sarah", "Peter"), title=f"Alliance {n + 1}", kind=Kind.COUPLE).id
            for n in range(alliances)
        ]
        per_alliance = max(lines // alliances, 1)
        budget = max(events // alliances, 1)
        for alliance_id in ids:
            session: list[int | None] = [None]

            def do(
                op: Callable[[Alliance, Moment], Outcome],
                alliance_id: str = alliance_id,
                session: list[int | None] = session,
            ) -> Outcome:
                done = store.act(alliance_id, op, session=session[0])
                session[0] = done.session
                return done.outcome

            spent = 1
            for n in range(per_alliance):
                text = f"Line {n + 1}: we agree on something that matters, number {n + 1}."
                line = do(lambda a, m, t=text: rules.draft(a, a.active, t, m, topic="logistics")).lines[0].id
                spent += 1
                if n >= per_alliance - min(drafts, per_alliance // 2):
                    continue  # stays a draft
                do(lambda a, m, i=line: rules.propose(a, a.active, i, m))
                do((lambda a, m: rules.pass_keyboard(a, a.active, m)))
                spent += 2
                if n % 7 == 3:
                    do(lambda a, m, i=line: rules.counter(a, a.active, i, "A counter wording " + str(i), m))
                    do((lambda a, m: rules.pass_keyboard(a, a.active, m)))
                    spent += 2
                    continue
                if n % 11 == 5:
                    do(lambda a, m, i=line: rules.decline(a, a.active, i, m, reason="Not like this."))
                    do((lambda a, m: rules.pass_keyboard(a, a.active, m)))
                    spent += 2
                    continue
                do(lambda a, m, i=line: rules.accept(a, a.active, i, m))
                do((lambda a, m: rules.pass_keyboard(a, a.active, m)))
                spent += 2
            while spent < budget:
                do((lambda a, m: rules.pass_keyboard(a, a.active, m)))
                spent += 1
    return path


# -- first frame and memory, in fresh processes ------------------------------------------

CHILD = r"""
import atexit, sys

mode, path, alliance = sys.argv[1], sys.argv[2], sys.argv[3] or None
if mode != "minimal":
    # Our app starts as its command does: this module first (see `alliance_tui.start`).
    import alliance_tui.start

def peak():
    # VmHWM: this process's own peak resident memory, since exec (ru_maxrss would also
    # count the benchmark process it was forked from).
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                sys.stderr.write("peak-kb " + line.split()[1] + "\n")

atexit.register(peak)

def watch(app, screen):
    # The first frame is the first update the compositor renders for `screen` once it
    # is mounted (the terminal write itself is skipped headless). Then the app runs on
    # for SETTLE seconds, so that peak memory includes what it does after that frame.
    from textual.app import App

    display = App._display

    def _display(self, on, renderable):
        if on is screen and renderable is not None and not getattr(screen, "framed", False):
            import time
            screen.framed = True
            sys.stderr.write(f"frame-at {time.time()!r}\n")
            self.set_timer(SETTLE, self.exit)
        display(self, on, renderable)

    App._display = _display

SETTLE = 0.5
if mode == "minimal":
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Minimal(App):
        def compose(self):
            yield Header()
            yield Static("Hello")
            yield Footer()

        def on_mount(self):
            watch(self, self.screen)

    Minimal().run(headless=True, size=(120, 40))
else:
    # No `importlib.abc` or `importlib.util`: a finder is any object with `find_spec`,
    # and those modules (with what they import) took 2 ms the minimal app does not pay.
    from importlib.machinery import PathFinder

    def patch(app_module):
        AllianceApp = app_module.AllianceApp
        from alliance_tui.screens.negotiation import NegotiationScreen

        def on_mount(self):
            # Textual calls every class's own on_mount, this one's first and then the
            # screen's (NegotiationView), which puts the data in the panes before any
            # update: the first update after it shows the data.
            watch(self.app, self)

        NegotiationScreen.on_mount = on_mount
        run = AllianceApp.run

        def headless(self, *args, **kwargs):
            # No terminal here: the same app, drawn nowhere, at the size of the minimal one.
            return run(self, headless=True, size=(120, 40))

        AllianceApp.run = headless

    class Patching:
        # The app is patched as the command imports it, not imported here first: the
        # command reads the database while it imports the app (Textual included), and
        # importing it before would take that overlap away.
        def find_spec(self, name, path=None, target=None):
            if name != "alliance_tui.app":
                return None
            sys.meta_path.remove(self)
            spec = PathFinder.find_spec(name, path)
            load = spec.loader.exec_module

            def exec_module(module):
                load(module)
                patch(module)

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, Patching())
    # The command line a person types: `alliance-tui --db PATH [--alliance ID]`.
    sys.argv = ["alliance-tui", "--db", path, *(["--alliance", alliance] if alliance else [])]
    raise SystemExit(alliance_tui.start.main())
"""


def launch(mode: str, path: Path | None, alliance: str = "") -> tuple[float, float]:
    """Seconds from process start to the first frame showing the data, and peak RSS (MB)."""
    start = time.time()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, mode, str(path or ""), alliance],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, _ = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    errors = child.stderr.read().decode() if child.stderr else ""
    if child.returncode:
        raise SystemExit(f"{mode} failed: {errors}")
    peak_kb = next(int(line.split()[1]) for line in errors.splitlines() if line.startswith("peak-kb "))
    framed_at = next(float(line.split()[1]) for line in errors.splitlines() if line.startswith("frame-at "))
    return framed_at - start, peak_kb / 1024


# -- actions and moving, inside one app ----------------------------------------------------


async def actions_and_moves(path: Path, count: int) -> tuple[list[float], list[float]]:
    """Milliseconds per propose/accept (durable save and screen update) and per `down`."""
    from alliance_tui.app import AllianceApp
    from alliance_tui.screens.negotiation import NegotiationScreen

    app = AllianceApp(path, poll_seconds=None)
    acts: list[float] = []
    moves: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, NegotiationScreen)
        a = screen.alliance
        drafts = [line.id for line in a.lines.values() if line.state is State.DRAFT and line.author == 0]
        drafts = drafts[:count]
        if a.active != 0:  # the drafts are the first partner's: give them the keyboard
            screen.attempt((lambda a, m: rules.pass_keyboard(a, a.active, m)))
        for line_id in drafts:
            start = time.perf_counter()
            assert screen.attempt(lambda a, m, i=line_id: rules.propose(a, a.active, i, m)) is None
            acts.append((time.perf_counter() - start) * 1000)
        screen.attempt((lambda a, m: rules.pass_keyboard(a, a.active, m)))
        for line_id in drafts:
            start = time.perf_counter()
            assert screen.attempt(lambda a, m, i=line_id: rules.accept(a, a.active, i, m)) is None
            acts.append((time.perf_counter() - start) * 1000)
        await pilot.press("1")
        for _ in range(count):
            start = time.perf_counter()
            await pilot.press("down")
            moves.append((time.perf_counter() - start) * 1000)
    return acts, moves


async def propagation(path: Path, count: int) -> list[float]:
    """Milliseconds from a save in another window to this window showing it (SPEC §6, §9).

    The other window is another `Store` on the same file, as another process would be;
    this window is the app as a person runs it (it looks at the file every 0.05 s). Each
    change is a new draft by the other partner, which shows here as a count of drafts.
    """
    from alliance_tui.app import AllianceApp
    from alliance_tui.screens.negotiation import NegotiationScreen
    from alliance_tui.widgets.partner_pane import PartnerPane

    other = Store(path)
    app = AllianceApp(path, alliance=other.alliances()[0].id, bound_to="Sarah")
    delays: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, NegotiationScreen)
        alliance_id = screen.alliance_id
        pane = screen.query_one("#partner-b", PartnerPane)
        await pilot.pause(0.5)
        loop = asyncio.get_running_loop()
        for n in range(count):
            before = pane.row_plain(pane.row_count - 1) if pane.row_count else ""
            await loop.run_in_executor(
                None,
                lambda n=n: other.act(alliance_id, lambda a, m: rules.draft(a, 1, f"Peter's thought {n}", m)),
            )
            saved = time.perf_counter()
            while pane.row_plain(pane.row_count - 1) == before:
                await asyncio.sleep(0.002)
            delays.append((time.perf_counter() - saved) * 1000)
            await asyncio.sleep(0.05 + (n % 7) * 0.013)  # changes arrive at any moment of the poll
    return delays


async def moves_in_minimal(count: int) -> list[float]:
    """The same `down` in a minimal app with a three-row list: what Pilot itself costs."""
    from textual.app import App, ComposeResult
    from textual.widgets import OptionList

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield OptionList("one", "two", "three")

    moves: list[float] = []
    async with Minimal().run_test(size=(120, 40)) as pilot:
        for n in range(count):
            start = time.perf_counter()
            await pilot.press("down" if n % 2 == 0 else "up")
            moves.append((time.perf_counter() - start) * 1000)
    return moves


# -- the report -----------------------------------------------------------------------------


def spread(values: list[float]) -> tuple[float, float, float]:
    """The quartiles of `values` (all three the value itself when there is only one)."""
    if len(values) < 2:
        return values[0], values[0], values[0]
    low, middle, high = statistics.quantiles(values, n=4)
    return low, middle, high


def line(name: str, measured: str, budget: str, ok: bool) -> None:
    print(f"{name:<44} {measured:>36}   budget {budget:<9} {'ok' if ok else 'OVER'}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15, help="processes per first-frame measurement")
    parser.add_argument("--actions", type=int, default=20, help="actions and moves to time")
    parser.add_argument("--make-db", metavar="PATH", help="only build a database and stop")
    parser.add_argument(
        "--first-frames", action="store_true", help="only the first frames and memory (quicker)"
    )
    parser.add_argument("--lines", type=int, default=100)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--alliances", type=int, default=1)
    args = parser.parse_args()

    if args.make_db:
        started = time.perf_counter()
        make_db(Path(args.make_db), lines=args.lines, events=args.events, alliances=args.alliances)
        print(
            f"built {args.make_db} in {time.perf_counter() - started:.1f} s "
            f"({Path(args.make_db).stat().st_size / 1e6:.1f} MB)"
        )
        return 0

    # An installed package has its bytecode compiled (pip does it); so does the one
    # measured here, even where PYTHONDONTWRITEBYTECODE keeps Python from writing it.
    compileall.compile_dir(ROOT / "alliance_tui", quiet=1)
    folder = Path(tempfile.mkdtemp(prefix="alliance-bench-"))
    print(
        f"python {sys.version.split()[0]} on {os.uname().machine}, {os.cpu_count()} cores; "
        f"building databases in {folder}"
    )
    everyday = make_db(folder / "everyday.json", lines=100, events=1000, alliances=3)
    large = make_db(folder / "large.json", lines=10_000, events=50_000)
    print(f"everyday {everyday.stat().st_size / 1e6:.2f} MB, large {large.stat().st_size / 1e6:.1f} MB")

    # The everyday file holds three alliances: open the first, as a person would pick it.
    chosen = {everyday: Store(everyday).alliances()[0].id, large: ""}

    frames: dict[str, list[float]] = {"minimal": [], "everyday": [], "large": []}
    memory: dict[str, list[float]] = {"minimal": [], "everyday": [], "large": []}
    launch("minimal", None)  # warm the file cache and the bytecode
    launch("app", large)
    for _ in range(args.runs):
        for name, path in (("minimal", None), ("everyday", everyday), ("large", large)):
            if path is None:
                seconds, megabytes = launch("minimal", None)
            else:
                seconds, megabytes = launch("app", path, chosen[path])
            frames[name].append(seconds)
            memory[name].append(megabytes)
    median = {name: statistics.median(values) for name, values in frames.items()}
    peak = {name: statistics.median(values) for name, values in memory.items()}
    # Each round measures the minimal app and ours back to back, so the ratio of each
    # round compares like with like; the median of those ratios is the figure, and the
    # quartiles show how much this machine wandered meanwhile.
    ratios = {
        name: [ours / minimal for ours, minimal in zip(frames[name], frames["minimal"], strict=True)]
        for name in ("everyday", "large")
    }
    memory_ratios = [
        ours / minimal for ours, minimal in zip(memory["everyday"], memory["minimal"], strict=True)
    ]

    print(
        f"minimal app: first frame {median['minimal'] * 1000:.0f} ms, peak memory {peak['minimal']:.0f} MB\n"
    )
    for name, label, budget in (
        ("everyday", "first frame, everyday database", 1.15),
        ("large", "first frame, 10,000 lines and 50,000 events", 1.5),
    ):
        ratio = statistics.median(ratios[name])
        low, _, high = spread(ratios[name])
        line(
            label,
            f"{ratio:.2f} x ({median[name] * 1000:.0f} ms; {low:.2f}-{high:.2f})",
            f"<= {budget:g} x",
            ratio <= budget,
        )
    ratio = statistics.median(memory_ratios)
    line(
        "peak memory, everyday database",
        f"{ratio:.2f} x ({peak['everyday']:.0f} MB)",
        "<= 1.3 x",
        ratio <= 1.3,
    )
    if args.first_frames:
        return 0
    acts, moves = asyncio.run(actions_and_moves(large, args.actions))
    shown_everyday = asyncio.run(propagation(everyday, args.actions))
    shown_large = asyncio.run(propagation(large, max(args.actions // 2, 5)))
    baseline_moves = asyncio.run(moves_in_minimal(args.actions))
    act, move, base_move = (
        statistics.median(acts),
        statistics.median(moves),
        statistics.median(baseline_moves),
    )

    line("an action (propose, accept) at that size", f"{act:.1f} ms median", "<= 25 ms", act <= 25)
    net = move - base_move
    line(
        "moving the selection at that size",
        f"{net:.1f} ms ({move:.1f} - {base_move:.1f} Pilot)",
        "<= 16 ms",
        net <= 16,
    )
    for label, delays in (("everyday", shown_everyday), ("10,000 lines", shown_large)):
        p95 = statistics.quantiles(delays, n=20)[-1] if len(delays) > 1 else delays[0]
        line(
            f"a change in another window shown, {label}",
            f"{p95:.0f} ms p95 ({statistics.median(delays):.0f} median)",
            "<= 250 ms",
            p95 <= 250,
        )
    print(
        "\nratios are medians of the rounds' ratios, interleaved; in brackets the middle half "
        "of them (quartiles)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
