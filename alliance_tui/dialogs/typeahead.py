"""Keys typed ahead reach the screen they were typed for, in the order typed.

The app hands each key it reads to the widget focused at that moment. When one key of a
burst opens a dialog (`n`, then "Quiet mornings" in the same read), the keys after it
were already handed to the main screen's pane: they bubbled up unused, and were lost
(issue 15 item 7). With this mixin on the app, a key that comes back up unused from a
screen that is no longer on top is read again, for the screen now on top.

And from the moment a screen is pushed until it is mounted (its fields composed and one
focused), the keys read wait and then go to it, together with those that come back up
from the screen below, all in the order they were read. Handed on at once, they reached
a dialog that had no field yet and were lost, or came back up and were read again
behind the keys typed after them: in a real terminal, "n" then "I need ten minutes" in
one burst saved "need ten minutesI", or "eed ten minutes" (issue 10).
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import itertools
import weakref
from typing import TYPE_CHECKING, Any

from textual import events
from textual.widget import AwaitMount

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    _Base = App[object]
else:
    _Base = object

_READ_ON = "_alliance_read_on"
_READ_AS = "_alliance_read_as"

#: Seconds keys wait at most for a pushed screen to be mounted: a screen that never is
#: must not leave the keyboard dead.
HOLD_AT_MOST = 1.0


def _read_on(event: events.Key) -> Screen[object] | None:
    ref: weakref.ref[Screen[object]] | None = getattr(event, _READ_ON, None)
    return None if ref is None else ref()


def _read_as(event: events.Key) -> int:
    """The key's place in the order the app read keys in."""
    place: int = getattr(event, _READ_AS, 0)
    return place


def _typed_apart(key: events.Key) -> tuple[events.Key, events.Key] | None:
    """`escape` and the letter, for the alt+letter a terminal makes of them typed together."""
    name, character = key.key, key.character
    if not name.startswith("alt+") or character is None or len(character) != 1 or not character.isprintable():
        return None
    if len(name.removeprefix("alt+").removeprefix("shift+")) != 1:
        return None  # alt with a named key (alt+up): a key of its own
    return events.Key("escape", "\x1b"), events.Key(character, character)


class TypeAhead(_Base):
    """App mixin: a key read while one screen was on top, and left unused there, goes to
    the screen on top now; keys read while a screen is being pushed wait for it (put it
    first: `class MyApp(TypeAhead, App)`)."""

    #: Keys read while a pushed screen was being mounted, in the order read (None: none wait).
    _held: list[events.Key] | None = None
    #: What they wait for: a screen being mounted, or a dialog's `enter` (`after_typing`).
    _held_for: object = None
    #: What waits for that screen to be mounted (kept, so that it is not collected).
    _mounting: asyncio.Task[None] | None = None
    #: Numbers the keys as they are read.
    _reading = itertools.count(1)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and (parts := _typed_apart(event)):
            # `escape` then a letter, typed within the terminal's escape delay, reads as
            # alt+letter: the app binds no alt key, and the person meant both keys
            # (`n` escape `n` "tea" made the draft "ntea", play-tested).
            for part in parts:
                part.set_sender(self)
                await self.on_event(part)
            return
        if isinstance(event, events.Key) and not event.is_forwarded:
            if not hasattr(event, _READ_AS):
                setattr(event, _READ_AS, next(self._reading))
            if self._held is not None:
                self._hold(event)
                return
            with contextlib.suppress(Exception):  # no screen yet (start-up): nothing to remember
                setattr(event, _READ_ON, weakref.ref(self.screen))
        await super().on_event(event)

    def _hold(self, key: events.Key) -> None:
        """Keep `key` among the held keys, in the order the keys were read."""
        assert self._held is not None
        bisect.insort(self._held, key, key=_read_as)

    def hold_keys(self, until: object) -> None:
        """The keys read from now on wait, in order, until `release_keys(until)` (at most
        `HOLD_AT_MOST`); then they go to whatever screen is on top. A later hold takes
        over the keys held so far, and an earlier one's release lets none of them go."""
        self._held = [] if self._held is None else self._held
        self._held_for = until
        self.set_timer(HOLD_AT_MOST, lambda: self._release(until))

    def release_keys(self, until: object) -> None:
        """The keys held since `hold_keys(until)` go on, in turn with what is queued now."""
        self.call_later(self._release, until)

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        """Push as Textual does; the keys read until the screen is mounted wait for it."""
        pushed = super().push_screen(*args, **kwargs)
        if isinstance(pushed, AwaitMount):
            screen = self.screen
            self.hold_keys(screen)

            async def once_mounted() -> None:
                try:
                    await pushed
                finally:
                    self.release_keys(screen)  # in turn with the keys read since

            self._mounting = asyncio.create_task(once_mounted())
        return pushed

    async def _release(self, until: object) -> None:
        """The keys held for `until` go on, in the order read (to whatever is on top now)."""
        if self._held_for is not until or self._held is None:
            return  # released already, or waiting for a screen pushed since
        held, self._held, self._held_for = self._held, None, None
        for key in held:
            await self.on_event(key)  # held again, in order, if one of them pushes a screen

    async def _on_key(self, event: events.Key) -> None:
        read_on = _read_on(event)
        if event.is_forwarded and read_on is not None and read_on is not self.screen:
            event.stop()
            event.prevent_default()
            again = events.Key(event.key, event.character)
            setattr(again, _READ_AS, _read_as(event))
            again.set_sender(self)
            if self._held is not None:
                self._hold(again)  # before the keys read after it
            else:
                self.post_message(again)
