"""A dialog with one field: type a value, `enter` saves it, `escape` cancels."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Label, Static

from ..domain.dates import reading_note, shown, understand
from ..domain.text import visible
from ..widgets.text_entry import OrderedInput
from .base import Dialog
from .typeahead import TypeAhead

#: Called with what was typed; returns why it was refused, or None when it was saved.
SubmitText = Callable[[str], str | None]


def after_typing(screen: Screen[Any], callback: Callable[[], object]) -> None:
    """Run `callback` once the focused field has handled every key typed before now.

    A priority binding (enter) runs as soon as the app reads its key, while the keys typed
    just before it may still wait in the focused field's queue: reading the field at once
    would miss them (fast typing, or a paste in a terminal without bracketed paste).

    The keys typed after it wait until `callback` has run (`TypeAhead.hold_keys`): handed
    on at once, they went into the field of the dialog `callback` then closed, and were
    lost — `n` a wording `enter` `p` in one read wrote the draft and never proposed it.
    """
    app = screen.app if isinstance(screen.app, TypeAhead) else None
    until = object()
    if app is not None:
        app.hold_keys(until)

    def run() -> None:
        try:
            callback()
        finally:
            if app is not None:
                app.release_keys(until)  # to the screen below, if `callback` closed this one

    (screen.focused or screen).call_later(run)


def understood_date(value: str, today: date, day_first: bool) -> tuple[Content, Content | None]:
    """What a date field shows as it is typed: the day understood ("→ Tue 2026-03-10"),
    and how an ambiguous form was read (issue 11 item 9); blank when nothing is typed."""
    if not value.strip():
        return Content(""), None
    understood = understand(value, today, day_first=day_first)
    if understood is None:
        return Content.styled("→ not a date yet", "$text-warning"), None
    note = reading_note(understood)
    return (
        Content.styled(f"→ {shown(understood.day)}", "$text-success"),
        None if note is None else Content.styled(note, "$text-warning"),
    )


#: `tab` handled as the keys arrive, not after the field they were typed in: typed fast (or
#: sent in one burst), the letters after a `tab` must land in the next field.
FIELD_NAVIGATION = [
    Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
    Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
]


class FieldDialog(Dialog[None]):
    """One labelled field. A refusal is shown under it and nothing typed is lost.

    Saved at most once: an `enter` that arrives after the save (two in one read) does nothing.
    """

    BINDINGS = [
        *FIELD_NAVIGATION,
        Binding("enter", "save", "Save", priority=True, tooltip="Save what you typed"),
        # A priority too, as `enter`: it acts in its turn among the keys typed (`after_typing`).
        Binding("escape", "cancel", "Cancel", priority=True, tooltip="Close without saving"),
    ]

    #: The keys, as the line under the field says them.
    KEYS = "enter save · escape cancel"
    #: What `enter` does with what was typed, as the warning of a first `escape` says it.
    ENTER_DOES = "enter saves it"

    def __init__(
        self,
        heading: Content,
        context: Content | None,
        label: str,
        submit: SubmitText,
        *,
        value: str = "",
        placeholder: str = "",
        classes: str = "",
        password: bool = False,
        pause_after_refusal: float = 0.0,
        keep: Callable[[str], object] | None = None,
        keys: str | None = None,
        enter_does: str | None = None,
    ) -> None:
        """`keys` and `enter_does` say what the keys do here, when it is not saving
        ("enter ask · escape cancel", "enter asks it"): see `KEYS`, `ENTER_DOES`."""
        super().__init__()
        if keys is not None:
            self.KEYS = keys
        if enter_does is not None:
            self.ENTER_DOES = enter_does
        #: Given, what was typed is kept when the app leaves under the person's hands
        #: (`keep_typed`), and `escape` throws it away only when pressed twice.
        self.keep = keep
        self.password = password
        #: Seconds the field stays locked after a refusal (wrong passphrases wait).
        self.pause_after_refusal = pause_after_refusal
        self.heading = heading
        self.context = context
        self.label = label
        self.submit = submit
        self.value = value
        self.placeholder = placeholder
        self.dialog_classes = classes

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes=self.dialog_classes):
            yield Label(self.heading, id="heading")
            if self.context is not None:
                yield Static(self.context, id="context")
            with Horizontal(classes="field"):
                yield Label(self.label, classes="label")
                yield OrderedInput(
                    value=self.value,
                    placeholder=self.placeholder,
                    id="value",
                    compact=True,
                    password=self.password,
                )
            yield Static(id="error")
            yield Static(Content.styled(self.KEYS, "$text-muted"), id="keys")

    def refuse(self, reason: str, *, style: str = "bold $text-error") -> None:
        """Say `reason` under the field (a warning, in the warning's `style`)."""
        error = self.query_one("#error", Static)
        error.update(Content.styled(visible(reason), style))
        self.call_after_refresh(error.scroll_visible, animate=False)  # on a small terminal

    def action_save(self) -> None:
        after_typing(self, self._save)

    def _save(self) -> None:
        field = self.query_one("#value", OrderedInput)
        if field.disabled or not self.can_answer:
            return
        refusal = self.submit(field.value)
        if refusal is None:
            self.dismiss()
        elif self.pause_after_refusal:
            # A refusal that could be a guess answers only after a pause, field locked.
            field.disabled = True
            self.refuse("Checking…")

            def answer() -> None:
                field.disabled = False
                field.value = ""
                field.focus()
                self.refuse(refusal)

            self.set_timer(self.pause_after_refusal, answer)
        else:
            self.refuse(refusal)

    def _typed_value(self) -> str | None:
        """What is typed, when it is something and differs from what the field opened with."""
        try:
            value = self.query_one("#value", OrderedInput).value
        except NoMatches:
            return None
        return value if value.strip() and value != self.value else None

    def action_cancel(self) -> None:
        after_typing(self, self._cancel)

    def _cancel(self) -> None:
        """Close; with `keep`, what was typed is thrown away only at a second `escape`."""
        if self.keep is not None and self.warns_first(self._typed_value()):
            self.refuse(
                f"escape again throws away what you typed · {self.ENTER_DOES}", style="bold $text-warning"
            )
            return
        self.dismiss()

    def keep_typed(self) -> None:
        """The app leaves under the person's hands (issue 12): what they typed is kept.

        Called by the app as it begins to leave, while the field is still there: with
        something typed and neither saved nor thrown away, `keep` gets it. Once only.
        """
        if self.keep is None or self.answered:
            return
        self.answered = True
        typed = self._typed_value()
        if typed is not None:
            self.keep(typed)
