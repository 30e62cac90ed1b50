"""A helper for test_serve_kill.py (not a test): one browser tab, as a process to kill.

    python tests/serve_tab_worker.py WEBSOCKET_URL PREFIX

Opens the tab's websocket as textual.js does, prints `ready` once the app's first frame
has come, then types new lines and proposes each (`n`, a wording, `enter`, `p`) until
it is killed or the server closes the tab. What the tab's screen shows as done is read
from the very bytes the app sent it (the terminal stream, escape sequences taken out):
each time the history shows `drafted line N` or `proposed line N` for the first time,
it prints `shown drafted N` or `shown proposed N`, flushed, so that a kill can only cut
short a line nobody then counts.
"""

from __future__ import annotations

import asyncio
import re
import sys
import time

import aiohttp

#: Escape sequences (CSI, OSC, charset and keypad modes) between the screen's words.
ESCAPES = re.compile(
    r"\x1b\[[0-9;?<>=$ ]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]"
)
#: A history row that says an action is done; the number must be whole (not at the end).
DONE = re.compile(r"(drafted|proposed) line (\d+)(?=\D)")


async def main(url: str, prefix: str) -> None:
    seen: set[tuple[str, int]] = set()
    stream = bytearray()
    last = time.monotonic()

    def read(start: int) -> None:
        text = ESCAPES.sub("", stream[max(0, start - 400) :].decode("utf-8", "replace"))
        for action, number in DONE.findall(text):
            if (action, int(number)) not in seen:
                seen.add((action, int(number)))
                print(f"shown {action} {number}", flush=True)

    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:

        async def receive() -> None:
            nonlocal last
            async for message in ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    start = len(stream)
                    stream.extend(message.data)
                    last = time.monotonic()
                    read(start)
            # The server closed the tab (or the app ended): nothing more comes.

        receiving = asyncio.create_task(receive())
        # The first frame, then a quiet moment (or a while: the other tab may be acting
        # already, and this one's app redraws what it does).
        while len(stream) < 2000:
            await asyncio.sleep(0.05)
        drawn = time.monotonic()
        while time.monotonic() - last < 0.3 and time.monotonic() - drawn < 1.5:
            await asyncio.sleep(0.05)
        print("ready", flush=True)
        n = 0
        try:
            while not receiving.done():
                for keys in ("n", f"{prefix}-{n}", "\r", "p"):
                    await ws.send_json(["stdin", keys])
                    await asyncio.sleep(0.06)
                n += 1
        except aiohttp.ClientError:
            pass  # the tab closed under the keys: what it showed was printed already
        await receiving


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
