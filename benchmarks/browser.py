"""SPEC §9's browser budgets (§10): first frame and memory per seat, and changes shown.

    .venv/bin/python benchmarks/browser.py --runs 9     # needs chromium and chromedriver

Each round opens, in one headless chromium, the minimal Textual app (a Header, a Static
and a Footer) served by textual-serve with its stock `Server`, and Sarah's invite link
of `alliance-tui serve` on an everyday database (3 alliances, 100 lines, 1,000 events),
in turn, so both see the same machine; each ratio is the median of the rounds' ratios.

- *First frame*: from asking the browser to open the link to the served app rendering its
  first update (each served process logs its updates: `hook/sitecustomize.py`). The
  page, its scripts, the websocket and the app's start are inside it; the last hop of the
  frame to the canvas (the same bytes' worth for both) is not.
- *Memory per seat*: the served app process's peak resident memory (VmHWM) a second
  after its first frame.
- *A change shown*: Peter's seat (a browser tab, then a terminal bound with `--as`) sees
  Sarah, in her browser tab, save a draft: from the `enter` sent to her tab to Peter's
  app rendering the update that shows it (his pane counts her private drafts).

Nothing here is asserted by the tests: it is a report for people.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import line, make_db, spread  # noqa: E402

from alliance_tui.store import Store  # noqa: E402

MINIMAL = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Minimal(App):
    def compose(self):
        yield Header()
        yield Static("Hello")
        yield Footer()

Minimal().run()
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _frames(log: Path, since: float, pid: int | None = None) -> list[tuple[float, int]]:
    found = []
    if log.exists():
        for entry in log.read_text(encoding="utf-8").splitlines():
            _, at, who = entry.split()
            if float(at) >= since and (pid is None or int(who) == pid):
                found.append((float(at), int(who)))
    return found


def _wait_frame(log: Path, since: float, pid: int | None = None, timeout: float = 30) -> tuple[float, int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if frames := _frames(log, since, pid):
            return frames[0]
        time.sleep(0.002)
    raise SystemExit(f"no frame in {timeout:.0f} s (see {log})")


def _peak_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="utf-8") as status:
        for entry in status:
            if entry.startswith("VmHWM:"):
                return int(entry.split()[1]) / 1024
    raise SystemExit(f"no VmHWM for {pid}")


def _browser(profile: Path) -> Any:
    from tests.chromium import CHROMEDRIVER, CHROMIUM, browser

    if CHROMIUM is None or CHROMEDRIVER is None:
        raise SystemExit("needs chromium and chromedriver (apt-get install chromium chromium-driver)")
    return browser(profile)


@contextmanager
def _servers(
    folder: Path, db: Path, alliance_id: str, env: dict[str, str]
) -> Iterator[tuple[str, dict[str, str]]]:
    """The minimal app's URL and `alliance-tui serve`'s invite links, both running."""
    script = folder / "minimal.py"
    script.write_text(MINIMAL, encoding="utf-8")
    port = _free_port()
    minimal = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from textual_serve.server import Server; "
            f"Server({sys.executable + ' ' + str(script)!r}, host='127.0.0.1', port={port}).serve()",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    out = folder / "serve.out"
    with out.open("wb") as stdout:
        ours = subprocess.Popen(
            [sys.executable, "-m", "alliance_tui", "serve", alliance_id, "--db", str(db), "--port", "0"],
            env=env,
            stdout=stdout,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + 30
        links: dict[str, str] = {}
        while time.monotonic() < deadline and len(links) < 2:
            text = out.read_text(encoding="utf-8")
            links = dict(x.split(": ", 1) for x in text.splitlines() if ": http://" in x)
            time.sleep(0.1)
        if len(links) < 2:
            raise SystemExit(f"alliance-tui serve printed no links: {out.read_text(encoding='utf-8')!r}")
        time.sleep(1.0)  # the minimal server is listening by now
        yield f"http://127.0.0.1:{port}/", links
    finally:
        for process in (minimal, ours):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _open(driver: Any, url: str, log: Path) -> tuple[float, float, int]:
    """Seconds from opening `url` to the served app's first frame, its peak MB, its pid."""
    driver.get("about:blank")  # the last tab's app ends with its websocket
    time.sleep(0.5)
    start = time.time()
    driver.get(url)
    at, pid = _wait_frame(log, start)
    time.sleep(1.0)
    return at - start, _peak_mb(pid), pid


def _focus(driver: Any) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.ID, "terminal").click()
    time.sleep(0.5)


def _type(driver: Any, keys: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(keys).perform()


def _changes(sarah: Any, log: Path, peter_pid: int, count: int) -> list[float]:
    """Milliseconds from Sarah's `enter` (a new draft saved) to Peter's app showing it."""
    from selenium.webdriver.common.keys import Keys

    delays = []
    for n in range(count):
        _type(sarah, "n")
        time.sleep(0.4)
        _type(sarah, f"Thought {n}")
        time.sleep(0.4)
        sent = time.time()
        _type(sarah, Keys.ENTER)
        at, _ = _wait_frame(log, sent, peter_pid, timeout=10)
        delays.append((at - sent) * 1000)
        time.sleep(0.3 + (n % 5) * 0.037)  # changes arrive at any moment of the poll
    return delays


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=9, help="rounds of first frames and memory")
    parser.add_argument("--changes", type=int, default=20, help="changes to time per pair of windows")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="alliance-browser-bench-"))
    db = make_db(folder / "everyday.json", lines=100, events=1000, alliances=3)
    alliance_id = Store(db).alliances()[0].id
    log = folder / "frames.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parent / "hook"), str(ROOT)]),
        "ALLIANCE_BENCH_LOG": str(log),
        "TEXTUAL_ANIMATIONS": "none",
    }
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; files in {folder}")
    frames: dict[str, list[float]] = {"minimal": [], "ours": []}
    memory: dict[str, list[float]] = {"minimal": [], "ours": []}
    sarah = _browser(folder / "profile-sarah")
    peter = _browser(folder / "profile-peter")
    try:
        with _servers(folder, db, alliance_id, env) as (minimal_url, links):
            _open(sarah, minimal_url, log)  # warm both servers and the file cache
            _open(sarah, links["Sarah"], log)
            for n in range(args.runs):
                order = [("minimal", minimal_url), ("ours", links["Sarah"])]
                for name, url in order if n % 2 == 0 else order[::-1]:
                    seconds, megabytes, _ = _open(sarah, url, log)
                    frames[name].append(seconds)
                    memory[name].append(megabytes)

            # Changes: Sarah in a tab, Peter in a tab; then Peter in a terminal.
            _open(sarah, links["Sarah"], log)
            _focus(sarah)
            _, _, peter_pid = _open(peter, links["Peter"], log)
            between_browsers = _changes(sarah, log, peter_pid, args.changes)
            peter.get("about:blank")
            from tests.terminal import Terminal

            terminal = Terminal(
                ["--db", str(db), "--alliance", alliance_id, "--as", "Peter"],
                env={"PYTHONPATH": env["PYTHONPATH"], "ALLIANCE_BENCH_LOG": str(log)},
            )
            try:
                terminal.wait_for("Peter · this window")
                time.sleep(1.0)
                terminal_pid = terminal.process.pid
                to_terminal = _changes(sarah, log, terminal_pid, args.changes)
            finally:
                terminal.close()
    finally:
        sarah.quit()
        peter.quit()

    ratios = [ours / base for ours, base in zip(frames["ours"], frames["minimal"], strict=True)]
    memory_ratios = [ours / base for ours, base in zip(memory["ours"], memory["minimal"], strict=True)]
    print(
        f"minimal app served: first frame {statistics.median(frames['minimal']) * 1000:.0f} ms, "
        f"{statistics.median(memory['minimal']):.0f} MB a seat\n"
    )
    ratio = statistics.median(ratios)
    low, _, high = spread(ratios)
    line(
        "first frame in a browser, from opening the link",
        f"{ratio:.2f} x ({statistics.median(frames['ours']) * 1000:.0f} ms; {low:.2f}-{high:.2f})",
        "<= 1.3 x",
        ratio <= 1.3,
    )
    ratio = statistics.median(memory_ratios)
    line(
        "memory per browser seat",
        f"{ratio:.2f} x ({statistics.median(memory['ours']):.0f} MB)",
        "<= 1.5 x",
        ratio <= 1.5,
    )
    for label, delays in (("browser to browser", between_browsers), ("browser to terminal", to_terminal)):
        p95 = statistics.quantiles(delays, n=20)[-1] if len(delays) > 1 else delays[0]
        line(
            f"a change shown, {label}",
            f"{p95:.0f} ms p95 ({statistics.median(delays):.0f} median)",
            "<= 250 ms",
            p95 <= 250,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
