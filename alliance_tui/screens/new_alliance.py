"""First run, and `ctrl+n`: the two names, the kind, a title, and whether to start from
starter prompts (SPEC §3)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Select, Static

from ..dialogs.field import FIELD_NAVIGATION, after_typing
from ..domain import Kind
from ..domain.text import visible

KIND_LABELS = {
    Kind.BUSINESS: "Business partners",
    Kind.COUPLE: "A couple",
    Kind.WORK: "Employee and manager",
    Kind.COACHING: "Coach and client",
    Kind.FRIENDS: "Friends",
    Kind.FAMILY: "Family",
    Kind.OTHER: "Something else",
}


class NewAllianceScreen(ModalScreen[None]):
    """A form for a new alliance; `enter` creates it, `escape` goes back."""

    BINDINGS = [
        *FIELD_NAVIGATION,
        Binding("enter", "create", "Create", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, create: Callable[[str, str, Kind, str, bool], str | None], *, first_run: bool) -> None:
        super().__init__()
        self.create = create
        self.first_run = first_run

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="new-alliance"):
            heading = "Design your alliance" if self.first_run else "A new alliance"
            yield Label(Content.styled(heading, "bold"), id="heading")
            yield Static(
                Content.styled(
                    "Two people, one keyboard: say how each of you works best and what you need "
                    "from the other, then agree on it line by line.",
                    "$text-muted",
                ),
                id="context",
            )
            with Horizontal(classes="field"):
                yield Label("First partner", classes="label")
                yield Input(placeholder="name (starts at the keyboard)", id="name-a", compact=True)
            with Horizontal(classes="field"):
                yield Label("Second partner", classes="label")
                yield Input(placeholder="name", id="name-b", compact=True)
            with Horizontal(classes="field"):
                yield Label("Relationship", classes="label")
                yield Select(
                    [(label, kind.value) for kind, label in KIND_LABELS.items()],
                    value=Kind.OTHER.value,
                    allow_blank=False,
                    id="kind",
                    compact=True,
                )
            with Horizontal(classes="field"):
                yield Label("Title", classes="label")
                yield Input(placeholder="optional, e.g. Living together", id="title", compact=True)
            with Horizontal(classes="field"):
                yield Label("Prompts", classes="label")
                yield Checkbox("Start from starter prompts", id="prompts", compact=True)
            yield Static(id="error")
            keys = "enter create · space ticks · escape " + ("quit" if self.first_run else "cancel")
            yield Static(Content.styled(keys, "$text-muted"), id="keys")

    def action_create(self) -> None:
        after_typing(self, self._create)

    def _create(self) -> None:
        kind = Kind(str(self.query_one("#kind", Select).value))
        refusal = self.create(
            self.query_one("#name-a", Input).value,
            self.query_one("#name-b", Input).value,
            kind,
            self.query_one("#title", Input).value,
            self.query_one("#prompts", Checkbox).value,
        )
        if refusal is None:
            self.dismiss()
        else:
            self.query_one("#error", Static).update(Content.styled(visible(refusal), "bold $text-error"))

    def action_cancel(self) -> None:
        if self.first_run:
            self.app.exit()
        else:
            self.dismiss()
