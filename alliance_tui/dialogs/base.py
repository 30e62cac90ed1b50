"""What every dialog shares: it answers at most once, and keeps the keys typed into it.

Keys read in one burst ("n", a wording, "enter enter" in one write, or a stall that lets
two presses arrive together) all reach a dialog before it has closed. Unguarded, the
second `enter` saved a second copy and then popped the screen under the dialog
(`ScreenStackError`, issue 15 item 2).
"""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from ..widgets.text_entry import InOrder

Result = TypeVar("Result")


def everywhere_keys(first: str, *, help_keys: str = "f1") -> list[BindingType]:
    """The app's keys for everywhere that a modal screen holds up (ctrl+t, ctrl+n, ctrl+o):
    a modal screen's bindings leave the app's out, and they did nothing, without a word.
    Each now says what to do `first` ("Close this first (escape)"); `help_keys` open the
    help over the screen (none: the help itself)."""
    from ..commands import Where, in_group

    made: list[BindingType] = []
    for command in in_group(Where.EVERYWHERE):
        if command.action in ("quit", "command_palette"):  # ctrl+q and ctrl+p work anywhere
            continue
        if command.action == "help":
            if help_keys:
                made.append(Binding(help_keys, "app.help", show=False))
            continue
        said = f"{first}, then {command.shown}: {command.name}."
        made.append(Binding(command.keys, f"app.say({said!r})", show=False))
    return made


class Dialog(ModalScreen[Result]):
    """A modal screen that is answered once: a second submit or dismiss does nothing."""

    BINDINGS = everywhere_keys("Finish or cancel this first (enter or escape)")

    def __init__(self, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        #: True once the dialog has given its answer (saved, chosen, cancelled).
        self.answered = False
        #: What was typed when an `escape` warned that a second one throws it away (None:
        #: no warning given): see `warns_first`.
        self.warned: object = None

    def warns_first(self, typed: object) -> bool:
        """Whether this `escape` only warns that a second one throws `typed` away: it is
        something (not None), and no `escape` warned of these very words. The words are
        compared, not told by the fields' change messages, which may come after a second
        `escape` read in the same burst (issue 11 item 9)."""
        if typed is None or typed == self.warned:
            return False
        self.warned = typed
        return True

    @property
    def can_answer(self) -> bool:
        """Not answered yet, and on top: keys can only have been meant for it."""
        return not self.answered and self.is_active

    def dismiss(self, result: Result | None = None) -> AwaitComplete:
        """Close with `result`, once. Textual's `dismiss` pops whatever screen is on top."""
        if not self.can_answer:
            nothing: AwaitComplete = AwaitComplete.nothing()  # type: ignore[no-untyped-call]
            return nothing
        self.answered = True
        return super().dismiss(result)

    async def on_key(self, event: events.Key) -> None:
        """A key that reached the dialog itself was typed before its field had the focus.

        That happens when the key that opened the dialog and the first letters came in one
        read: they land in the field the dialog starts in, in the order typed.
        """
        if self.answered:
            return
        field = self.focused
        if field is None:
            field = next((w for w in self.focus_chain if isinstance(w, InOrder)), None)
        # A field keeps the keys it takes: one that reaches the dialog did not come through it.
        if isinstance(field, InOrder) and field.takes(event):
            event.stop()
            event.prevent_default()
            if not field.has_focus:
                field.focus()
            await field.apply_key(event)
