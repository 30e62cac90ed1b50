"""Keys typed ahead reach the screen they were typed for.

The app hands each key it reads to the widget focused at that moment. When one key of a
burst opens a dialog (`n`, then "Quiet mornings" in the same read), the keys after it
were already handed to the main screen's pane: they bubbled up unused, and were lost
(issue 15 item 7). With this mixin on the app, a key that comes back up unused from a
screen that is no longer on top is read again, for the screen now on top.
"""

from __future__ import annotations

import contextlib
import weakref
from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    _Base = App[object]
else:
    _Base = object

_READ_ON = "_alliance_read_on"


def _read_on(event: events.Key) -> Screen[object] | None:
    ref: weakref.ref[Screen[object]] | None = getattr(event, _READ_ON, None)
    return None if ref is None else ref()


class TypeAhead(_Base):
    """App mixin: a key read while one screen was on top, and left unused there, goes to
    the screen on top now (put it first: `class MyApp(TypeAhead, App)`)."""

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            with contextlib.suppress(Exception):  # no screen yet (start-up): nothing to remember
                setattr(event, _READ_ON, weakref.ref(self.screen))
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        read_on = _read_on(event)
        if event.is_forwarded and read_on is not None and read_on is not self.screen:
            event.stop()
            event.prevent_default()
            again = events.Key(event.key, event.character)
            again.set_sender(self)
            self.post_message(again)
