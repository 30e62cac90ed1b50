"""The shared agreement: agreed lines, numbered and grouped by topic."""

from __future__ import annotations

from datetime import date

from textual.content import Content
from textual.widgets.option_list import Option

from ..domain import Alliance
from ..domain.export import heading_of
from ..domain.rules import agreement
from ..domain.text import visible
from .line_list import LineList, line_option_id
from .render import short_date, text


class AgreementPane(LineList):
    """What both partners have agreed, as it stands now."""

    BORDER_TITLE = "Agreement"

    def show(self, a: Alliance, today: date) -> None:
        keep = self.selected_id()
        options: list[Option] = []
        topic: object = object()
        for item in agreement(a):
            folded = item.topic.casefold() if item.topic else None
            if folded != topic:
                topic = folded
                options.append(
                    Option(Content.styled(visible(heading_of(folded)), "bold $text-secondary"), disabled=True)
                )
            line = a.lines[item.line]
            parts: list[str | Content | tuple[str, str]] = [(f"{item.number:>3}. ", "bold"), text(item.text)]
            if item.trial_until:
                due = item.trial_until < today
                parts.append(
                    (f"  [trial until {short_date(item.trial_until)}{', review due' if due else ''}]",
                     "bold $text-warning" if due else "$text-muted")
                )
            if line.change_pending:
                parts.append(("  ⟳ change pending", "bold $text-warning"))
            options.append(Option(Content.assemble(*parts), id=line_option_id(item.line)))
        if not options:
            options.append(
                Option(Content.styled("Nothing agreed yet. Lines enter here once the other partner "
                                      "accepts them.", "italic $text-muted"), disabled=True)
            )
        self.set_options(options)
        self.select_id(keep)
        if self.highlighted is None:
            first = next((i for i, option in enumerate(options) if not option.disabled), None)
            self.highlighted = first
