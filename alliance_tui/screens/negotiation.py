"""The main screen: a pane for each partner, the agreement, the history, whom this
window acts as and what waits for them.

Put together from its parts: `NegotiationView` (composition, refresh, seat, polling),
`LineActions` (the negotiation), `SeatActions` (passing the keyboard, passphrases) and
`AllianceActions` (the alliance itself: renaming, its kind, deleting, by consent).
Its keys come from the command table (`alliance_tui.commands`).
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from ..commands import COMMANDS, Where, bindable
from .alliance_actions import AllianceActions
from .line_actions import LineActions
from .seat_actions import SeatActions


def _bindings() -> list[BindingType]:
    """Each key of the main screen, then a hidden twin that explains a refusal.

    When a command's rule says it does not apply, `check_action` hides its binding and
    Textual falls through to the twin, which says why in a notification.
    """
    bindings: list[BindingType] = []
    for command in COMMANDS:
        if command.where not in (Where.MAIN, Where.LINE) or not bindable(command):
            continue
        bindings.append(
            Binding(
                command.keys,
                command.action,
                command.label,
                show=command.footer,
                tooltip=command.help,
                id=command.action,
            )
        )
        if command.rule is not None:
            bindings.append(Binding(command.keys, f"explain('{command.action}')", show=False))
    return bindings


class NegotiationScreen(LineActions, SeatActions, AllianceActions):
    """One alliance, negotiated by two partners at one keyboard or each at their own."""

    BINDINGS = _bindings()
