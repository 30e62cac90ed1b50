"""Regenerate screenshots/*.svg from the real app on the demo data.

Run from the repository root with the project's virtual environment:

    .venv/bin/python scripts/screenshots.py              # all of them
    .venv/bin/python scripts/screenshots.py help main    # only these (names without .svg)

Every picture is deterministic, the same way tests/test_snapshots.py makes its snapshots:
a fresh demo database in a temporary folder (`make_demo`, which has its own fixed clock),
a fixed clock for the app and no polling timer, local time in UTC, Textual's default
theme whatever the environment says, no blinking Input cursor, and no toasts. Running it
twice writes the same bytes.
"""

from __future__ import annotations

import os
import time

# Before Textual is imported: it reads TEXTUAL_THEME and NO_COLOR once, at import time.
os.environ["TZ"] = "UTC"
# Nobody's own settings (theme, last alliance) reach the pictures, nor are changed by them.
os.environ["ALLIANCE_TUI_CONFIG"] = os.path.join(os.path.dirname(__file__), ".screenshots-settings.json")
os.environ.pop("TEXTUAL_THEME", None)
os.environ.pop("NO_COLOR", None)
time.tzset()

import asyncio  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual.widgets import Input  # noqa: E402

from alliance_tui import settings  # noqa: E402
from alliance_tui.app import AllianceApp  # noqa: E402
from alliance_tui.demo import make_demo  # noqa: E402

settings.remember(toured=True)  # the first-run tour would cover every picture

OUT = ROOT / "screenshots"
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
THEME = "textual-dark"
FIRST_DEMO = "Living together"
WORDING = "We cook together on Sundays."
WIDE = (120, 40)
SMALL = (80, 24)


def fixed_clock() -> datetime:
    return NOW


def demo_app(folder: Path) -> AllianceApp:
    db = folder / "demo.json"
    make_demo(db)
    return AllianceApp(db, alliance=FIRST_DEMO, clock=fixed_clock, poll_seconds=None, demo=True)


def window_of(name: str) -> Callable[[Path], AllianceApp]:
    """The demo's first alliance in a window bound to one partner (`--as NAME`)."""

    def make(folder: Path) -> AllianceApp:
        db = folder / "demo.json"
        make_demo(db)
        return AllianceApp(db, alliance=FIRST_DEMO, bound_to=name, clock=fixed_clock, poll_seconds=None)

    return make


def alliance_app(
    title: str, bound_to: str | None = None, clock: Callable[[], datetime] = fixed_clock
) -> Callable[[Path], AllianceApp]:
    """One of the demo's alliances, in a shared window or one bound to a person."""

    def make(folder: Path) -> AllianceApp:
        db = folder / "demo.json"
        make_demo(db)
        return AllianceApp(db, alliance=title, bound_to=bound_to, clock=clock, poll_seconds=None, demo=True)

    return make


def signed_app(folder: Path) -> AllianceApp:
    """Living together after a second round, in one sitting: the counter and the money
    line accepted, the evening line re-worded, the washing-up line taken out, and both
    signatures: version 2, to read in full and to compare with version 1."""
    from alliance_tui.domain import rules
    from alliance_tui.store import Store

    db = folder / "demo.json"
    make_demo(db)
    store = Store(db, clock=fixed_clock)
    alliance_id = store.find(FIRST_DEMO).id
    lines = {line.current.text: line for line in store.load(alliance_id).lines.values()}
    coffee = next(line for text, line in lines.items() if text.startswith("Quiet mornings"))
    money = next(line for text, line in lines.items() if text.startswith("We talk about money"))
    evening = next(line for text, line in lines.items() if text.startswith("We each keep one evening"))
    cooks = lines["Whoever cooks does not wash up."]
    session: list[int | None] = [None]

    def act(op: Callable[..., object]) -> None:
        session[0] = store.act(alliance_id, op, session=session[0]).session  # type: ignore[arg-type]

    act(lambda a, m: rules.accept(a, coffee.waiting_for, coffee.id, m))
    act(lambda a, m: rules.accept(a, money.waiting_for, money.id, m))
    act(
        lambda a, m: rules.reopen(
            a,
            0,
            evening.id,
            m,
            text="We each keep one evening a week to ourselves, and say which one by Monday.",
            topic="boundaries",
            sign="Neither of us has to ask for it.",
        )
    )
    act(lambda a, m: rules.accept(a, 1, evening.id, m))
    act(lambda a, m: rules.reopen(a, 1, cooks.id, m))  # its removal
    act(lambda a, m: rules.accept(a, 0, cooks.id, m))
    act(lambda a, m: rules.sign(a, 0, m))
    act(lambda a, m: rules.sign(a, 1, m))
    return AllianceApp(db, alliance=FIRST_DEMO, clock=fixed_clock, poll_seconds=None, demo=True)


def checkin_app(*, rated_all: bool) -> Callable[[Path], AllianceApp]:
    """Studio partnership at its second check-in: Jon has finished; Maya, at the keyboard,
    has rated the first line with a note (or every line, one key from the reveal)."""
    from alliance_tui.domain import checkins, rules
    from alliance_tui.domain.model import Rating
    from alliance_tui.store import Store

    def make(folder: Path) -> AllianceApp:
        db = folder / "demo.json"
        make_demo(db)
        store = Store(db, clock=fixed_clock)
        alliance_id = store.find("Studio partnership").id
        lead_time, finish_it = sorted(item.line for item in checkins.to_rate(store.load(alliance_id)))
        maya, jon = 0, 1

        def rate(partner: int, line: int, rating: Rating) -> None:
            store.act(alliance_id, lambda a, m: checkins.rate(a, partner, line, rating, m))

        rate(jon, lead_time, Rating.NOT_WORKING)
        store.act(
            alliance_id,
            lambda a, m: checkins.write_note(
                a, jon, lead_time, "Three launches in a row came on a Friday.", m
            ),
        )
        rate(jon, finish_it, Rating.WOBBLY)
        store.act(alliance_id, lambda a, m: checkins.finish(a, jon, m))
        if store.load(alliance_id).active != maya:
            store.act(alliance_id, lambda a, m: rules.pass_keyboard(a, a.active, m))
        rate(maya, lead_time, Rating.WOBBLY)
        store.act(
            alliance_id,
            lambda a, m: checkins.write_note(a, maya, lead_time, "Fine, except in launch weeks.", m),
        )
        if rated_all:
            rate(maya, finish_it, Rating.WORKING)
        return AllianceApp(db, alliance="Studio partnership", clock=fixed_clock, poll_seconds=None, demo=True)

    return make


def empty_app(folder: Path) -> AllianceApp:
    return AllianceApp(folder / "empty.json", clock=fixed_clock, poll_seconds=None)


@dataclass(frozen=True)
class Shot:
    name: str  # the file is screenshots/<name>.svg
    make: Callable[[Path], AllianceApp]
    keys: tuple[str, ...]
    screen: str  # the class name of the screen the picture must show
    size: tuple[int, int] = WIDE


SHOTS = (
    Shot("main", demo_app, (), "NegotiationScreen"),
    Shot("editor", demo_app, ("n", *WORDING), "LineEditor"),
    Shot("help", demo_app, ("f1",), "HelpScreen"),
    Shot("new-alliance", empty_app, (), "NewAllianceScreen"),
    Shot("versions", demo_app, ("v",), "VersionsScreen"),
    Shot("main-80x24", demo_app, (), "NegotiationScreen", SMALL),
    Shot("window-sarah", window_of("Sarah"), (), "NegotiationScreen", SMALL),
    Shot("window-peter", window_of("Peter"), (), "NegotiationScreen", SMALL),
    Shot("signed", signed_app, ("3",), "NegotiationScreen"),
    Shot("compare", signed_app, ("v", "down", "c", "up"), "VersionsScreen"),
    Shot("prompts", demo_app, ("n", "f2"), "PromptPicker"),
    Shot("business", alliance_app("Studio partnership"), (), "NegotiationScreen"),
    Shot(
        "trial-due",
        alliance_app("Working independently", "Priya", lambda: datetime(2026, 5, 4, 9, 0, tzinfo=UTC)),
        ("3",),
        "NegotiationScreen",
    ),
    Shot("coach", alliance_app("Working independently", "Dana"), (), "NegotiationScreen"),
    Shot(
        "round-answers",
        alliance_app("Working independently", "Tom"),
        ("b", *"I hear about a hitch from Priya before the client does.", "enter"),
        "RoundAnswersScreen",
    ),
    Shot("checkin", checkin_app(rated_all=False), ("h",), "CheckInScreen", SMALL),
    Shot("checkin-revealed", checkin_app(rated_all=True), ("h", "enter"), "CheckInScreen"),
)


async def take(shot: Shot, folder: Path) -> str:
    app = shot.make(folder)
    async with app.run_test(size=shot.size) as pilot:
        app.theme = THEME
        await pilot.pause()
        if shot.keys:
            await pilot.press(*shot.keys)
        await pilot.pause()
        shown = type(app.screen).__name__
        if shown != shot.screen:
            raise SystemExit(f"{shot.name}: expected {shot.screen} on screen, found {shown}")
        for field in app.screen.query(Input):
            field.cursor_blink = False  # the cursor stays shown, and never toggles
        app.clear_notifications()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        return app.export_screenshot()


def main(names: list[str]) -> int:
    unknown = set(names) - {shot.name for shot in SHOTS}
    if unknown:
        print(
            f"unknown screenshot(s): {', '.join(sorted(unknown))}; "
            f"known: {', '.join(shot.name for shot in SHOTS)}",
            file=sys.stderr,
        )
        return 2
    OUT.mkdir(exist_ok=True)
    for shot in SHOTS:
        if names and shot.name not in names:
            continue
        with tempfile.TemporaryDirectory(prefix="alliance-shot-") as folder:
            svg = asyncio.run(take(shot, Path(folder)))
        path = OUT / f"{shot.name}.svg"
        path.write_text(svg, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)} ({shot.size[0]}x{shot.size[1]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
