"""This code's first frame against another checkout's, pair by pair: is a change faster?

    git worktree add /tmp/before HEAD~3
    .venv/bin/python benchmarks/paired.py /tmp/before [--pairs 25] [--large]

Each pair starts the other checkout's app and then this one's, back to back, as
`benchmarks/bench.py` starts its app (the command's own start, drawn headless, on the
same database), and the report is the median of the pairs' differences. Ratios against
the minimal app move by ±0.03 from run to run on a noisy machine; a difference taken
pair by pair is steadier, and says whether a change of a few milliseconds is one.
Nothing here is asserted by the tests.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench  # noqa: E402 - beside this script (it also gives every process settings of its own)

from alliance_tui.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def first_frame(checkout: Path, path: Path, alliance: str) -> float:
    """Milliseconds from process start to the first frame, with `checkout`'s code."""
    first = f"import sys; sys.path.insert(0, {str(checkout)!r})\n"
    start = time.time()
    child = subprocess.run(
        [sys.executable, "-c", first + bench.CHILD, "app", str(path), alliance],
        cwd=tempfile.gettempdir(),  # not this checkout: its code would be found first
        capture_output=True,
        text=True,
        check=True,
    )
    framed = next(
        float(line.split()[1]) for line in child.stderr.splitlines() if line.startswith("frame-at ")
    )
    return (framed - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="another checkout of this repository (a git worktree)")
    parser.add_argument("--pairs", type=int, default=25)
    parser.add_argument("--large", action="store_true", help="10,000 lines and 50,000 events")
    args = parser.parse_args()
    for checkout in (args.other, ROOT):
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(checkout / "alliance_tui")], check=True)
    with tempfile.TemporaryDirectory(prefix="alliance-paired-") as folder:
        path = Path(folder) / "bench.json"
        if args.large:
            bench.make_db(path, lines=10_000, events=50_000)
            alliance = ""  # the file's one alliance
        else:
            bench.make_db(path, lines=100, events=1_000, alliances=3)
            alliance = Store(path).alliances()[0].id  # as bench.py opens it
        other, this = [], []
        for _ in range(args.pairs):
            other.append(first_frame(args.other, path, alliance))
            this.append(first_frame(ROOT, path, alliance))
    median = statistics.median
    gained = median([o - t for o, t in zip(other, this, strict=True)])
    times = f"{median(other):.1f} ms · this checkout: {median(this):.1f} ms"
    print(f"{args.other}: {times} (medians of {args.pairs})")
    print(f"this checkout reaches its first frame {gained:+.1f} ms sooner (median of the pairs' differences)")


if __name__ == "__main__":
    main()
