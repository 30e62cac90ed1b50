"""The line editor: write or amend a wording, with an optional topic, trial date and sign."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, Label, Static, TextArea

from ..commands import by_name
from ..domain import TOPICS, Kind
from ..domain.dates import day_first_here
from ..domain.prompts import Prompt
from ..domain.text import WORDING_MAX, parse_trial, visible
from ..widgets.text_entry import OrderedInput, OrderedTextArea
from ..widgets.tick_box import TickBox
from .base import Dialog
from .field import FIELD_NAVIGATION, after_typing, understood_date
from .prompt_picker import PromptPicker


@dataclass(frozen=True, slots=True)
class Draft:
    """What the editor hands back: a wording and its terms, or a removal."""

    text: str
    topic: str | None
    trial_until: date | None
    #: How the partners will know it works (SPEC §12), None when left blank.
    sign: str | None = None
    remove: bool = False


#: Called with what was typed; returns why it was refused, or None when it was saved.
Submit = Callable[[Draft], str | None]


class LineEditor(Dialog[None]):
    """Write a wording; `enter` saves, `escape` cancels. Nothing typed is lost on a refusal.

    Keys apply in the order typed (`OrderedTextArea`), and it saves at most once.
    """

    BINDINGS = [
        *FIELD_NAVIGATION,
        Binding("enter", "save", "Save", priority=True, tooltip="Save this wording"),
        # A priority too, as `enter`: it acts in its turn among the keys typed (`after_typing`).
        Binding("escape", "cancel", "Cancel", priority=True, tooltip="Close without saving"),
        Binding(by_name("Pick a prompt").keys, "prompts", "Prompts", tooltip=by_name("Pick a prompt").help),
    ]

    def __init__(
        self,
        heading: Content,
        submit: Submit,
        *,
        today: date,
        text: str = "",
        topic: str | None = None,
        trial_until: date | None = None,
        sign: str | None = None,
        context: Content | None = None,
        removable: bool = False,
        kind: Kind | None = None,
        keep: Callable[[Draft], object] | None = None,
    ) -> None:
        """`keep` is handed what was typed and never saved nor thrown away, when the
        app leaves with the editor open (the server stopped, the browser tab closed,
        ctrl+q): see `keep_typed`."""
        super().__init__()
        self.keep = keep
        #: Saved (`enter`) or thrown away (`escape`): nothing left to keep.
        self.finished = False
        self.heading = heading
        self.submit = submit
        self.today = today
        self.initial = (text, topic or "", "" if trial_until is None else trial_until.isoformat(), sign or "")
        self.context = context
        self.removable = removable
        #: The relationship's kind, for a new line only: f2 then offers its starter prompts.
        self.kind = kind
        #: Dates like 03/04/2026 are read in the order the person's locale writes them.
        self.day_first = day_first_here(os.environ)
        #: The message line holds how an ambiguous trial date was read (not a refusal).
        self.noting = False

    def compose(self) -> ComposeResult:
        text, topic, trial, sign = self.initial
        with Vertical(id="dialog", classes="editor"):
            yield Label(self.heading, id="heading")
            context = Static(self.context or "", id="context")
            context.display = self.context is not None
            yield context
            with Horizontal(classes="field"):
                with Vertical(classes="label-column"):
                    yield Label("Wording", classes="label")
                    yield Static(id="count")
                yield OrderedTextArea(text, placeholder="as you want it agreed", id="wording", compact=True)
            with Horizontal(classes="field"):
                yield Label("Topic", classes="label")
                yield OrderedInput(
                    value=topic,
                    placeholder="optional: " + ", ".join(TOPICS[:2]) + "…",
                    suggester=SuggestFromList(TOPICS, case_sensitive=False),
                    id="topic",
                    compact=True,
                )
            with Horizontal(classes="field"):
                yield Label("Trial until", classes="label")
                yield OrderedInput(
                    value=trial, placeholder="optional: a date, in 2 weeks…", id="trial", compact=True
                )
                yield Static(id="trial-day", classes="understood")
            with Horizontal(classes="field"):
                yield Label("Sign of success", classes="label")
                yield OrderedInput(
                    value=sign,
                    placeholder="optional: how you will both know it works",
                    id="sign",
                    compact=True,
                )
            if self.removable:
                yield TickBox("Propose removing this line instead", id="remove", compact=True)
            yield Static(id="error")
            prompts = " · f2 starter prompts" if self.kind is not None else ""
            keys = f"enter save{prompts} · escape cancel · tab next field"
            yield Static(Content.styled(keys, "$text-muted"), id="keys")

    def on_mount(self) -> None:
        wording = self.query_one("#wording", TextArea)
        wording.move_cursor(wording.document.end)
        self._count(wording.text)
        self._understood(self.query_one("#trial", OrderedInput).value)

    @on(Input.Changed, "#trial")
    def _trial_typed(self, event: Input.Changed) -> None:
        self._understood(event.value)

    def _understood(self, value: str) -> None:
        """Say beside the field which day the trial date names, as it is typed."""
        day, note = understood_date(value, self.today, self.day_first)
        said = self.query_one("#trial-day", Static)
        said.update(day)
        said.display = bool(day.plain)  # nothing typed: the field keeps its full width
        if note is not None:
            self._say(note)
            self.noting = True
        elif self.noting:
            self._say("")
            self.noting = False

    @on(TextArea.Changed, "#wording")
    def _typed(self, event: TextArea.Changed) -> None:
        self._count(event.text_area.text)

    def _count(self, value: str) -> None:
        over = len(value.strip()) > WORDING_MAX
        self.query_one("#count", Static).update(
            Content.styled(
                f"{len(value.strip()):,} / {WORDING_MAX:,}", "bold $text-error" if over else "$text-muted"
            )
        )

    def refuse(self, reason: str) -> None:
        self.noting = False
        self._say(Content.styled(visible(reason), "bold $text-error"))

    def _say(self, said: Content | str) -> None:
        """Put `said` on the message line, scrolled into view on a small terminal."""
        error = self.query_one("#error", Static)
        error.update(said)
        if said:
            self.call_after_refresh(error.scroll_visible, animate=False)

    def action_save(self) -> None:
        after_typing(self, self._save)

    def _save(self) -> None:
        if not self.can_answer:
            return
        remove = self.removable and self.query_one("#remove", Checkbox).value
        try:
            trial = parse_trial(
                self.query_one("#trial", OrderedInput).value, self.today, day_first=self.day_first
            )
        except ValueError as error:
            self.refuse(str(error))
            return
        draft = Draft(
            text=self.query_one("#wording", TextArea).text,
            topic=self.query_one("#topic", OrderedInput).value or None,
            trial_until=trial,
            sign=self.query_one("#sign", OrderedInput).value or None,
            remove=remove,
        )
        refusal = self.submit(draft)
        if refusal is None:
            self.finished = True
            self.dismiss()
        else:
            self.refuse(refusal)

    def _fields(self) -> tuple[str, str, str, str]:
        return (
            self.query_one("#wording", TextArea).text,
            self.query_one("#topic", OrderedInput).value,
            self.query_one("#trial", OrderedInput).value,
            self.query_one("#sign", OrderedInput).value,
        )

    def _edited(self) -> bool:
        """Does anything differ from how the editor opened?"""
        removing = self.removable and self.query_one("#remove", Checkbox).value
        return self._fields() != self.initial or removing

    def action_cancel(self) -> None:
        after_typing(self, self._cancel)

    def _cancel(self) -> None:
        """Close; what was typed is thrown away only at a second `escape` (issue 11 item 9)."""
        if self.warns_first(self._fields() if self._edited() else None):
            self.noting = False
            self._say(
                Content.styled(
                    "escape again throws away what you typed · enter saves it", "bold $text-warning"
                )
            )
            return
        self.finished = True
        self.dismiss()

    def keep_typed(self) -> None:
        """The app leaves under the person's hands (issue 12): what they typed is kept.

        Called by the app as it begins to leave, while the fields are still there: with
        a wording typed and neither saved nor thrown away, `keep` gets it (the screen
        makes it its writer's private draft, and says so). A trial date that does not
        read as one is left out.
        """
        if self.finished or self.keep is None:
            return
        self.finished = True
        try:
            if not self._edited():
                return
            wording = self.query_one("#wording", TextArea).text
            topic = self.query_one("#topic", OrderedInput).value or None
            trial_typed = self.query_one("#trial", OrderedInput).value
            sign = self.query_one("#sign", OrderedInput).value or None
        except NoMatches:
            return
        try:
            trial = parse_trial(trial_typed, self.today)
        except ValueError:
            trial = None
        if wording.strip():
            self.keep(Draft(text=wording, topic=topic, trial_until=trial, sign=sign))

    def action_prompts(self) -> None:
        if self.kind is None:
            self.notify("Starter prompts are for new lines (n).", severity="warning", markup=False)
            return
        self.app.push_screen(PromptPicker(self.kind), self.answer)

    def answer(self, prompt: Prompt | None) -> None:
        """Put the picked question above the wording, and fill in its topic."""
        if prompt is None:
            return
        self.context = Content.assemble(("Answering: ", "$text-muted"), (prompt.question, "italic"))
        context = self.query_one("#context", Static)
        context.update(self.context)
        context.display = True
        self.query_one("#topic", OrderedInput).value = prompt.topic
        self.query_one("#wording", TextArea).focus()
