"""Two real browsers on two invite links (issue 12, "Test it as people will use it").

Headless chromium, driven by selenium, opens Sarah's and Peter's links from one running
`alliance-tui serve`. Sarah drafts and proposes, Peter accepts, both sign. xterm.js draws
on a canvas, so what happened is read from the file (`alliance-tui export --format
json`), never from the screen; screenshots are saved for a person to look at.

CI installs Debian's `chromium` and `chromium-driver` (.ci/run); the test is skipped only
where they are absent.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alliance_tui.domain import Kind
from alliance_tui.serve_web import ENDED
from alliance_tui.store import Store

from .chromium import CHROMEDRIVER, CHROMIUM, browser
from .terminal import Terminal
from .test_serve import START_SECONDS, exported, read_invites, start_server, stop, wait_for_history

SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None or CHROMEDRIVER is None,
        reason="no chromium/chromedriver here: apt-get install chromium chromium-driver (.ci/run does)",
    ),
]

WORDING = "Quiet mornings until Sarah's first coffee."


def open_seat(driver: Any, link: str) -> None:
    """Open the link, start the app with a click, and wait for its first frame."""
    from selenium.webdriver.common.by import By

    driver.get(link)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        # textual.js marks the page once the app's first bytes arrived (the canvas holds no text).
        if "-first-byte" in (driver.find_element(By.TAG_NAME, "body").get_attribute("class") or ""):
            break
        time.sleep(0.2)
    else:
        raise AssertionError(f"the app never drew in the browser: {driver.title!r}")
    driver.find_element(By.ID, "terminal").click()  # the terminal takes the keys
    time.sleep(1.5)  # the first frame is up; let the app settle before typing


def press(driver: Any, *keys: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    for key in keys:
        ActionChains(driver).send_keys(key).perform()
        time.sleep(0.25)


@pytest.fixture
def two_seats(tmp_path: Path) -> Iterator[tuple[Any, Any, Path, dict[str, str], subprocess.Popen[bytes]]]:
    db = tmp_path / "alliance.json"
    Store(db).create(("Sarah", "Peter"), title="Living together", kind=Kind.COUPLE)
    process, out, _ = start_server(db, tmp_path)
    drivers: list[Any] = []
    try:
        links = read_invites(out, process, 2)
        for name in ("sarah", "peter"):
            drivers.append(browser(tmp_path / f"profile-{name}"))
        yield drivers[0], drivers[1], db, links, process
    finally:
        for driver in drivers:
            with contextlib.suppress(Exception):  # a browser that died already
                driver.quit()
        if process.poll() is None:
            stop(process)


def test_sarah_proposes_peter_accepts_both_sign_from_two_browsers(
    two_seats: tuple[Any, Any, Path, dict[str, str], subprocess.Popen[bytes]],
) -> None:
    from selenium.webdriver.common.keys import Keys

    sarah, peter, db, links, server = two_seats
    # A third window: the host's own terminal, bound to Sarah, on the same file.
    host = Terminal(["--db", str(db), "--as", "Sarah"], columns=120, rows=40)
    try:
        host.wait_for("Sarah · this window")
        open_seat(sarah, links["Sarah"])
        open_seat(peter, links["Peter"])
        assert sarah.title == "alliance-tui — Living together"

        press(sarah, "n", WORDING, Keys.ENTER, "p")
        wait_for_history(db, "proposed", 1)
        host.wait_for("waits for Peter")
        time.sleep(1.0)  # Peter's window sees the file within a quarter of a second (SPEC §6)
        press(peter, "1", "a")
        wait_for_history(db, "accepted", 1)
        host.wait_for("Peter accepted line 1")
        time.sleep(1.0)
        press(sarah, "s")
        time.sleep(1.0)
        press(sarah, "y")  # the agreement is shown before it is signed
        wait_for_history(db, "signed", 1)
        time.sleep(1.0)
        press(peter, "s")
        time.sleep(1.0)
        press(peter, "y")
        wait_for_history(db, "signed", 2)
        host.wait_for("version 1")
        time.sleep(1.5)  # both screens show version 1 before they are photographed
    finally:
        assert host.close() == 0

    # Into screenshots/ only when asked (ALLIANCE_TUI_SCREENSHOTS=1): a test run leaves the
    # working tree as it found it.
    folder = SCREENSHOTS if os.environ.get("ALLIANCE_TUI_SCREENSHOTS") else db.parent
    folder.mkdir(exist_ok=True)
    sarah.save_screenshot(str(folder / "browser-sarah.png"))
    peter.save_screenshot(str(folder / "browser-peter.png"))

    answer = exported(db)
    history = answer["history"]
    assert isinstance(history, list)
    actors = [(e["action"], e["actor"]) for e in history if e["action"] != "created"]
    assert actors == [
        ("drafted", "Sarah"),
        ("proposed", "Sarah"),
        ("accepted", "Peter"),
        ("signed", "Sarah"),
        ("signed", "Peter"),
    ], actors
    agreement = answer["agreement"]
    assert isinstance(agreement, list) and [line["text"] for line in agreement] == [WORDING]
    alliance = answer["alliance"]
    assert isinstance(alliance, dict) and alliance["version"] == 1

    # The server stops: each tab says so, in words on the page (not on the canvas).
    assert stop(server) == 0
    for driver in (sarah, peter):
        deadline = time.monotonic() + 15
        while "-closed" not in (driver.find_element("tag name", "body").get_attribute("class") or ""):
            assert time.monotonic() < deadline, "the tab never said the session ended"
            time.sleep(0.1)
        shown = driver.find_element("css selector", ".closed-dialog .message").text
        assert shown == ENDED


def test_the_right_link_is_the_only_way_in_for_a_browser(tmp_path: Path) -> None:
    """A browser on a link with a wrong token sees one plain sentence, and no app."""
    db = tmp_path / "alliance.json"
    Store(db).create(("Sarah", "Peter"), title="Living together", kind=Kind.COUPLE)
    process, out, _ = start_server(db, tmp_path)
    driver = None
    try:
        links = read_invites(out, process, 2)
        driver = browser(tmp_path / "profile")
        driver.get(links["Sarah"][:-4] + "AAAA")
        text = driver.find_element("tag name", "body").text
        assert text.startswith("Forbidden: this link is not valid.")
        assert "Living together" not in driver.page_source
    finally:
        if driver is not None:
            driver.quit()
        if process.poll() is None:
            stop(process)


def test_a_killed_server_ends_the_tab_plainly_and_keeps_what_its_editor_held(tmp_path: Path) -> None:
    """The server dies (SIGKILL: no word to anyone) while Sarah types a new line in her tab.

    The tab says the session ended, in words on the page; the wording she typed is in
    the file as her private draft, kept by her tab's app as it left (issue 12).
    """
    import signal

    db = tmp_path / "alliance.json"
    alliance_id = Store(db).create(("Sarah", "Peter"), title="Living together", kind=Kind.COUPLE).id
    process, out, _ = start_server(db, tmp_path)
    driver = None
    try:
        links = read_invites(out, process, 2)
        driver = browser(tmp_path / "profile")
        open_seat(driver, links["Sarah"])
        press(driver, "n", WORDING)
        time.sleep(1.0)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        deadline = time.monotonic() + 15
        while "-closed" not in (driver.find_element("tag name", "body").get_attribute("class") or ""):
            assert time.monotonic() < deadline, "the tab never said the session ended"
            time.sleep(0.1)
        assert driver.find_element("css selector", ".closed-dialog .message").text == ENDED
        deadline = time.monotonic() + 15
        while not Store(db).load(alliance_id).lines:
            assert time.monotonic() < deadline, "the wording in the open editor was lost"
            time.sleep(0.2)
        (line,) = Store(db).load(alliance_id).lines.values()
        assert (line.author, line.state.value, line.current.text) == (0, "draft", WORDING)
    finally:
        if driver is not None:
            driver.quit()
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
