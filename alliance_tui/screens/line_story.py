"""A line's story: every wording it had and every step of its negotiation."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ..dialogs.base import everywhere_keys
from ..domain import Alliance, Event, Line, State
from ..domain.text import visible
from ..domain.views import seen_event
from ..widgets.render import BADGES, event_prompt, local_time, text


def story(a: Alliance, line: Line, events: Sequence[Event], viewer: int) -> Content:
    """The line as `viewer` may read it: its wordings, then its timeline."""
    now: list[tuple[str, str]] = [BADGES[line.state]]
    if line.change_pending:
        # Agreed, and a re-design of it waits: "proposed" alone read as never agreed.
        waiting = line.waiting_for
        assert waiting is not None
        now = [
            BADGES[State.AGREED],
            ("  ⟳ change pending", "bold $text-warning"),
            (f", waiting for {visible(a.name(waiting))}", "$text-muted"),
        ]
    parts: list[str | Content | tuple[str, str]] = [("Now: ", "bold"), *now, "\n"]
    if line.in_force is not None:
        parts += [("In force: ", "bold"), text(line.in_force.text), "\n"]
    if line.reason:
        parts += [("Last reason: ", "bold"), text(line.reason), "\n"]
    # A draft's wordings stay its author's: the other sees only what was offered to them.
    offered = {
        said
        for event in events
        if event.line == line.id and not event.private
        for said in (event.text, event.before)
        if said is not None
    }
    parts += ["\n", ("Every wording", "bold $text-secondary"), "\n"]
    for number, wording in enumerate(line.wordings, start=1):
        private = wording.by != viewer and wording.text not in offered
        terms = ", ".join(
            filter(
                None,
                [
                    wording.topic,
                    f"trial until {wording.trial_until}" if wording.trial_until else None,
                    f"we'll know it works: {wording.sign}" if wording.sign else None,
                ],
            )
        )
        parts += [
            (f"{number:>3}. ", "bold"),
            (f"{local_time(wording.at)}  {visible(a.name(wording.by))}: ", "$text-muted"),
            Content.styled("(private draft)", "italic $text-muted") if private else text(wording.text),
            (f"  ({visible(terms)})" if terms and not private else "", "$text-muted"),
            "\n",
        ]
    # Its ratings at the check-ins both partners finished (never one still open).
    rated = [
        (checked, [given for given in checked.ratings if given.line == line.id]) for checked in a.checkins
    ]
    rated = [(checked, given) for checked, given in rated if given]
    if rated:
        parts += ["\n", ("Its check-ins", "bold $text-secondary"), "\n"]
        for checked, given in rated:
            parts.append((f"{local_time(checked.at)}  ", "$text-muted"))
            for n, rating in enumerate(given):
                parts += [
                    " · " if n else "",
                    (f"{visible(a.name(rating.partner))} ", "bold"),
                    (f"{rating.rating.mark} {rating.rating.label}", ""),
                ]
                if rating.note:
                    parts += [": ", text(rating.note)]
            parts.append("\n")
    parts += ["\n", ("Its timeline", "bold $text-secondary"), "\n"]
    for event in events:
        if event.line == line.id:
            parts += [event_prompt(a, seen_event(event, viewer)), "\n"]
    return Content.assemble(*parts)


class LineStoryScreen(ModalScreen[None]):
    """How one line came to be what it is."""

    BINDINGS = [
        Binding("escape,i", "dismiss", "Close"),
        *everywhere_keys("Close this first (escape)", help_keys="f1,question_mark"),
    ]

    def __init__(self, a: Alliance, line: Line, events: Sequence[Event], viewer: int) -> None:
        super().__init__()
        self.content = story(a, line, events, viewer)
        self.line_id = line.id

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="story"):
            yield Label(Content.styled(f"The story of line {self.line_id}", "bold"), id="heading")
            with VerticalScroll():
                yield Static(self.content, id="story")
            yield Static(Content.styled("escape close", "$text-muted"), id="keys")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss()
