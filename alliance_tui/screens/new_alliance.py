"""First run, and `ctrl+n`: the two names, the kind, a title, and whether to start from
starter prompts (SPEC §3).

The relationship is a `Select`: `space` (or `up`/`down`) opens its list, `up`/`down`
move, `enter` chooses. Everywhere else `enter` creates the alliance, the closed list
included, as in any form. The form's `enter` is a priority binding (it must run after
the keys typed into the fields), so it steps aside while the list is open: it used to
take the key first, and the kind could not be chosen (PITFALLS, issue 11 item 1).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Checkbox, Label, Select, Static

from ..dialogs.base import Dialog
from ..dialogs.field import FIELD_NAVIGATION, after_typing
from ..domain import Kind
from ..domain.text import visible
from ..widgets.text_entry import OrderedInput
from ..widgets.tick_box import TickBox


def kind_option(kind: Kind) -> Content:
    """A kind as the form lists it: its name, as the header, the list of alliances and the
    prompts show it (`Kind.value`), then who it is between (`Kind.between`)."""
    return Content.assemble(kind.value, (f" · {kind.between}", "$text-muted"))


#: The form's fields a person types into, as its last words name them (`keep_typed`).
TYPED_FIELDS = (
    ("first partner", "#name-a"),
    ("second partner", "#name-b"),
    ("title", "#title"),
    ("coach", "#coach"),
)


class NewAllianceScreen(Dialog[None]):
    """A form for a new alliance; `enter` creates it (once), `escape` goes back.

    What was typed is not thrown away without a word: with something typed, `escape`
    warns once first, and if the app leaves with the form open (ctrl+q, a closed tab),
    `keep` is given what the fields held, to be said as the app's last words (issue 12).
    Nothing is created: nobody pressed `enter`.
    """

    BINDINGS = [
        *FIELD_NAVIGATION,
        Binding("enter", "create", "Create", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        create: Callable[[str, str, Kind, str, bool, str | None], str | None],
        *,
        first_run: bool,
        keep: Callable[[str], object] | None = None,
    ) -> None:
        super().__init__()
        self.create = create
        self.first_run = first_run
        self.keep = keep

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
                yield OrderedInput(placeholder="name (starts at the keyboard)", id="name-a", compact=True)
            with Horizontal(classes="field"):
                yield Label("Second partner", classes="label")
                yield OrderedInput(placeholder="name", id="name-b", compact=True)
            with Horizontal(classes="field"):
                yield Label("Relationship", classes="label")
                yield Select(
                    [(kind_option(kind), kind.value) for kind in Kind],
                    # Nothing chosen at first, so the list opens on its top and `down`
                    # reaches the first kind; left unchosen, the kind is "other".
                    prompt="choose one (other if none fits)",
                    id="kind",
                    compact=True,
                )
            with Horizontal(classes="field"):
                yield Label("Title", classes="label")
                yield OrderedInput(placeholder="optional, e.g. Living together", id="title", compact=True)
            with Horizontal(classes="field"):
                yield Label("Coach", classes="label")
                yield OrderedInput(
                    placeholder="optional: who sits with you (a seat of their own)", id="coach", compact=True
                )
            with Horizontal(classes="field"):
                yield Label("Prompts", classes="label")
                yield TickBox("Start from starter prompts", id="prompts", compact=True)
            yield Static(id="error")
            keys = "enter create · tab next · space opens the list or ticks · escape " + (
                "quit" if self.first_run else "cancel"
            )
            yield Static(Content.styled(keys, "$text-muted"), id="keys")

    def _kind_open(self) -> bool:
        """Is the relationship's list open (and so the focus in it)?"""
        try:
            return self.query_one("#kind", Select).expanded
        except NoMatches:  # asked before the form is composed
            return False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # In the open list, `enter` chooses a kind: the key passes on to it.
        return not (action == "create" and self._kind_open())

    def action_create(self) -> None:
        after_typing(self, self._create)

    def _create(self) -> None:
        if not self.can_answer:
            return
        value = self.query_one("#kind", Select).value
        kind = Kind.OTHER if value is Select.NULL else Kind(str(value))
        refusal = self.create(
            self.query_one("#name-a", OrderedInput).value,
            self.query_one("#name-b", OrderedInput).value,
            kind,
            self.query_one("#title", OrderedInput).value,
            self.query_one("#prompts", Checkbox).value,
            self.query_one("#coach", OrderedInput).value.strip() or None,
        )
        if refusal is None:
            self.dismiss()
        else:
            self.query_one("#error", Static).update(Content.styled(visible(refusal), "bold $text-error"))

    def typed(self) -> str | None:
        """What the fields hold, each named ("first partner Ann, title Moving in"), or
        None when nothing was typed."""
        try:
            values = [
                (name, self.query_one(field, OrderedInput).value.strip()) for name, field in TYPED_FIELDS
            ]
        except NoMatches:  # not composed yet: nothing can have been typed
            return None
        return ", ".join(f"{name} {value}" for name, value in values if value) or None

    def keep_typed(self) -> None:
        """The app leaves with the form open (see `AllianceApp.on_exit_app`): what was
        typed goes to `keep`. Once only, and never after `enter` or `escape` answered."""
        if self.keep is None or self.answered:
            return
        self.answered = True
        if (typed := self.typed()) is not None:
            self.keep(typed)

    def action_cancel(self) -> None:
        if not self.can_answer:
            return
        if self.keep is not None and self.warns_first(self.typed()):
            leaving = "quits, throwing away" if self.first_run else "throws away"
            self.query_one("#error", Static).update(
                Content.styled(
                    f"escape again {leaving} what you typed · enter creates the alliance",
                    "bold $text-warning",
                )
            )
            return
        if self.first_run:
            self.answered = True  # thrown away on purpose: nothing to say on leaving
            self.app.exit()
        else:
            self.dismiss()
