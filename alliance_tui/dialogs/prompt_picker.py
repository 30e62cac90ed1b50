"""Starter prompts: pick a question a coach would ask, and answer it as a new draft."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ..domain import TOPICS, Kind
from ..domain.export import heading_of
from ..domain.prompts import HARD, REDESIGN, START, Prompt, prompts_for
from ..widgets.line_list import LineList
from .base import Dialog

#: The order of the headings: the agreement's topics, then a coach's moments in the order
#: a conversation meets them.
_ORDER = (*TOPICS, START, HARD, REDESIGN)


def _topic_order(topic: str) -> int:
    return _ORDER.index(topic) if topic in _ORDER else len(_ORDER)


def grouped(prompts: tuple[Prompt, ...]) -> list[tuple[str, list[int]]]:
    """The prompts' indexes, grouped by topic in the order the agreement uses."""
    groups: dict[str, list[int]] = {}
    for index, prompt in enumerate(prompts):
        groups.setdefault(prompt.topic, []).append(index)
    return sorted(groups.items(), key=lambda item: _topic_order(item[0]))


class PromptPicker(Dialog[Prompt | None]):
    """The starter prompts of one kind of relationship; `enter` picks, `escape` cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without picking a prompt")]

    def __init__(
        self, kind: Kind, prompts: tuple[Prompt, ...] | None = None, *, for_round: bool = False
    ) -> None:
        """`prompts` replaces the kind's starter prompts (the coach's questions for a
        blind round, with `for_round`)."""
        super().__init__()
        self.kind = kind
        self.prompts = prompts_for(kind) if prompts is None else prompts
        self.for_round = for_round

    def compose(self) -> ComposeResult:
        options: list[Option] = []
        for topic, indexes in grouped(self.prompts):
            options.append(Option(Content.styled(heading_of(topic), "bold $text-secondary"), disabled=True))
            options += [
                # No indent: a long question wraps, and its second line would lose it.
                Option(Content(self.prompts[i].question), id=f"prompt-{i}")
                for i in indexes
            ]
        with Vertical(id="dialog", classes="prompts"):
            heading = "A question for a blind round" if self.for_round else "Starter prompts"
            yield Label(Content.styled(f"{heading} · {self.kind.value}", "bold"), id="heading")
            explained = (
                "Both partners answer it privately; the answers show together, as drafts."
                if self.for_round
                else "Questions a coach would ask. Pick one and answer it in your own words: "
                "it becomes your private draft, with its topic filled in."
            )
            yield Static(Content.styled(explained, "$text-muted"), id="context")
            yield LineList(*options, id="prompt-list")
            yield Static(
                Content.styled(
                    f"up/down choose · enter {'ask it' if self.for_round else 'answer it'} · escape cancel",
                    "$text-muted",
                ),
                id="keys",
            )

    def on_mount(self) -> None:
        listing = self.query_one("#prompt-list", LineList)
        listing.highlighted = next(
            (i for i in range(listing.option_count) if not listing.get_option_at_index(i).disabled),
            None,
        )
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None and event.option_id.startswith("prompt-"):
            self.dismiss(self.prompts[int(event.option_id.removeprefix("prompt-"))])

    def action_cancel(self) -> None:
        self.dismiss(None)
