"""The main screen: a pane for each partner, the agreement, the history, whom this
window acts as and what waits for them.

Put together from its parts: `NegotiationView` (composition, refresh, seat, polling),
`LineActions` (the negotiation), `SeatActions` (passing the keyboard, passphrases) and
`AllianceActions` (the alliance itself: renaming, its kind, deleting, by consent).
Its keys come from the command table (`alliance_tui.commands`).
"""

from __future__ import annotations

from ..commands import Where, bindings
from .alliance_actions import AllianceActions
from .line_actions import LineActions
from .negotiation_view import NegotiationView
from .seat_actions import SeatActions


class NegotiationScreen(LineActions, SeatActions, AllianceActions, NegotiationView):
    """One alliance, negotiated by two partners at one keyboard or each at their own."""

    BINDINGS = bindings(Where.MAIN, Where.LINE)
