"""The last blind round's two answers, side by side (SPEC §11).

Revealed together, each answer becomes its author's draft, which only its author sees
in their pane; the timeline has both, one row each. Here they are read as they were
meant to be: next to each other, under the question.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ..dialogs.base import everywhere_keys
from ..domain import Alliance
from ..domain.model import Round
from ..domain.text import visible
from ..widgets.render import text


def answers_of(a: Alliance, revealed: Round) -> list[Content]:
    """Each partner's answer under their name, partner A's first."""
    return [
        Content.assemble((visible(a.name(partner)), "bold"), "\n", text(revealed.answers.get(partner, "")))
        for partner in (0, 1)
    ]


class RoundAnswersScreen(ModalScreen[None]):
    """Both answers of the last round both partners finished, under its question."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        *everywhere_keys("Close this first (escape)", help_keys="f1,question_mark"),
    ]

    def __init__(self, a: Alliance, revealed: Round) -> None:
        super().__init__()
        self.heading = Content.assemble(
            (f"{visible(a.name(revealed.asked_by))} asked: ", "$text-muted"),
            (visible(revealed.question), "bold"),
        )
        self.answers = answers_of(a, revealed)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="answers"):
            yield Label(self.heading, id="heading")
            with VerticalScroll(), Horizontal():
                for number, answer in enumerate(self.answers):
                    yield Static(answer, classes="answer", id=f"answer-{number}")
            yield Static(
                Content.styled(
                    "each answer is now its author's draft, to propose (p) · escape close", "$text-muted"
                ),
                id="keys",
            )

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss()
