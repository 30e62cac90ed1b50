"""Text fields that apply every key in the order it was typed.

In Textual 8.2.8 an `Input` or `TextArea` inserts a printable key in its own key handler,
but a key it binds (backspace, delete, ctrl+w, the arrows) runs only once the key has
bubbled up to the app, a few messages later. Typed fast, or read in one burst over SSH,
"0123456789", backspace, "q" then left "0123456789": the `q` went in before the backspace
ran, and the backspace took it (PITFALLS, issue 11 item 2). These fields run their own
bindings in their key handler, so a backspace is applied where it was typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Input, TextArea

if TYPE_CHECKING:
    from textual.widget import Widget

    _Base = Widget
else:
    _Base = object


class InOrder(_Base):
    """Mixin for a text field: its own key bindings run as their key arrives."""

    async def _on_key(self, event: events.Key) -> None:
        if not self.screen.is_active:
            # Its dialog was closed by a key read before this one (`escape`, then `n`, in
            # one read): this key goes back up, to the screen now on top (`TypeAhead`).
            return
        if await self.apply_key(event):
            event.stop()
            event.prevent_default()

    async def apply_key(self, event: events.Key) -> bool:
        """Apply one key to this field now; False when the field does not take it."""
        if not event.is_printable:
            for binding in self._bindings.key_to_bindings.get(event.key, ()):
                # A priority binding already ran when the app read the key.
                if not binding.priority and await self.app.run_action(binding.action, self):
                    return True
            return False
        await self._insert_key(event)
        return True

    def takes(self, event: events.Key) -> bool:
        """Would this field use the key (a character, or a key it binds)?"""
        if event.is_printable:
            return True
        return any(not b.priority for b in self._bindings.key_to_bindings.get(event.key, ()))

    async def _insert_key(self, event: events.Key) -> None:
        raise NotImplementedError


class OrderedTextArea(InOrder, TextArea):
    """A `TextArea` whose backspace, delete and cursor keys keep their place among the letters."""

    async def _insert_key(self, event: events.Key) -> None:
        await TextArea._on_key(self, event)


class OrderedInput(InOrder, Input):
    """An `Input` whose backspace, delete and cursor keys keep their place among the letters."""

    async def _insert_key(self, event: events.Key) -> None:
        await Input._on_key(self, event)
