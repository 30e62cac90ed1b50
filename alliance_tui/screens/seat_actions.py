"""Who sits in this window: passing a shared keyboard, passphrases, unlocking a bound seat.

A shared window passes its seat with `ctrl+t`, through the taker's passphrase if they
set one; a bound window never passes, and asks its person's passphrase once when it
opens. A wrong passphrase waits (`Window.pause`), per person, for the whole window:
closing the dialog and asking again does not skip the wait.
"""

from __future__ import annotations

from math import ceil
from typing import TYPE_CHECKING

from textual.content import Content

from ..domain import alliance_rules, rules
from ..domain.seats import Seat, next_role
from ..domain.text import visible
from ..domain.views import kept_for
from .negotiation_view import NegotiationView

# A mixin of `NegotiationScreen`, not a screen of its own: as a Textual class it took
# 0.4 ms of start-up to make (SPEC §9). Type checkers see the view it is mixed into.
if TYPE_CHECKING:
    _View = NegotiationView
else:
    _View = object


class SeatActions(_View):
    """Passing the keyboard and guarding seats with passphrases."""

    def _passphrase_dialog(
        self, heading: str, context: str | None, label: str, submit: object, *, keys: str
    ) -> None:
        from ..dialogs.field import FieldDialog
        from .window import PASSPHRASE_PAUSE

        self.app.push_screen(
            FieldDialog(
                Content.styled(heading, "bold"),
                None if context is None else Content.styled(context, "$text-muted"),
                label,
                submit,  # type: ignore[arg-type]
                password=True,
                pause_after_refusal=PASSPHRASE_PAUSE,
                keys=keys,
            )
        )

    def _wait_for(self, role: int) -> str | None:
        """The sentence that says to wait, while a wrong passphrase for `role` still waits."""
        left = self.window.pause.left(role)
        if left > 0:
            return f"Wait {ceil(left)} s before trying {self.alliance.name(role)}'s passphrase again."
        return None

    # -- passing a shared keyboard ---------------------------------------------------------

    def action_pass_keyboard(self) -> None:
        refusal = self.refusal("pass_keyboard")
        if refusal is not None:
            self.notify(refusal, severity="warning")
            return
        seat = self.me
        taker = next_role(self.alliance, seat.role)
        name = visible(self.alliance.name(taker))
        if taker not in (0, 1) or self.alliance.partners[taker].passphrase is None:
            self._take_seat(seat, None)
            return
        self._passphrase_dialog(
            f"{name} takes the keyboard",
            f"{name} set a passphrase for their seat.",
            "Passphrase",
            lambda passphrase: self._take_seat(seat, passphrase),
            keys="enter take the seat · escape cancel",
        )

    def _take_seat(self, giver: Seat, passphrase: str | None) -> str | None:
        """Pass the seat from `giver` (as it was when `ctrl+t` was pressed) to the next."""
        taker = next_role(self.alliance, giver.role)
        if (wait := self._wait_for(taker)) is not None:
            return wait
        if self.me != giver:
            return "The seat changed meanwhile: press ctrl+t again."
        refusal = self.attempt(lambda a, m: rules.pass_keyboard(a, giver.role, m, passphrase=passphrase))
        if refusal is not None:
            if passphrase is not None:
                self.window.pause.refused(taker)
            else:
                self.notify(refusal, severity="warning")
            return refusal
        if passphrase is not None:
            self.window.pause.opened(taker)
            self.window.unlocked.add((self.alliance_id, taker))
        self.seat = Seat(taker, bound=False)
        self.show()
        self.land_on_what_waits()
        self.announce_seat(taker)
        return None

    def announce_seat(self, role: int) -> None:
        """Say who has the keyboard now, in place of what was said to the one before.

        Toasts left from the last turn were for the other person, and at 80×24 a stack of
        them covers the history; the new turn starts with one line (and whatever must stay:
        errors, a review due).
        """
        self.window.forget_turn()
        self.notify(f"{self.alliance.name(role)} has the keyboard.")
        self.tell_kept()

    def tell_kept(self) -> None:
        """Where this seat's words went when the app last closed on their editor
        (`views.kept_for`), once their seat is open: a served tab's last words reach
        only the host's terminal, and a draft appeared unexplained (play-tested)."""
        role = self.me.role
        if role not in (0, 1) or (self.alliance_id, role) in self.window.locked:
            return
        kept = kept_for(self.alliance, self.events, role)
        if kept is None:
            return
        from .. import settings

        key = f"{self.window.store.path.resolve()}|{self.alliance_id}|{kept.line}|{kept.at.isoformat()}"
        if settings.told_kept(key):
            return  # told at an earlier start: once is enough
        settings.remember_told_kept(key)
        self.select_line(kept.line)  # so that e and p, as said, act on it
        self.notify(kept.said, title="Your words were kept")

    # -- a bound seat's passphrase ---------------------------------------------------------

    def after_opening(self) -> None:
        self.unlock_opening_seat()
        self.tell_kept()  # said now if the seat is open, else once its passphrase is typed

    def seat_taken_away(self) -> None:
        self.land_on_what_waits()
        self.unlock_opening_seat()  # the partner who takes the seat types their passphrase

    def unlock_opening_seat(self) -> None:
        """The seat a window opens with asks for its passphrase first, if one is set.

        A bound window asks for its person's; a shared one for whoever last held its seat
        (the file says who, and a file can be edited: issue 15). Until it is typed nothing
        of theirs shows. `escape` closes a bound window; a shared one then sits as the
        other partner, if their seat is not guarded too.
        """
        seat = self.me
        a = self.alliance
        key = (self.alliance_id, seat.role)
        if seat.role not in (0, 1) or a.partners[seat.role].passphrase is None or key in self.window.unlocked:
            return
        self.window.locked.add(key)
        self.show()  # again, as nobody: nothing private shows behind the dialog
        name = visible(a.name(seat.role))

        def submit(passphrase: str) -> str | None:
            if (wait := self._wait_for(seat.role)) is not None:
                return wait
            if not alliance_rules.unlocks(self.alliance, seat.role, passphrase):
                self.window.pause.refused(seat.role)
                return f"That is not {a.name(seat.role)}'s passphrase."
            self.window.pause.opened(seat.role)
            self.window.locked.discard(key)
            self.window.unlocked.add(key)
            self.call_later(self.show)
            self.call_later(self.tell_kept)
            return None

        def closed(_: object = None) -> None:
            if key not in self.window.locked:
                return
            other = next_role(self.alliance, seat.role)
            if not seat.bound and (other not in (0, 1) or a.partners[other].passphrase is None):
                self.window.locked.discard(key)
                self.seat = Seat(other, bound=False)
                self.show()
                self.land_on_what_waits()
                self.announce_seat(other)
                return
            from rich.text import Text

            said = f"alliance-tui: {a.name(seat.role)}'s passphrase was not given; nothing was opened."
            self.app.exit(return_code=2, message=Text(visible(said)))

        from ..dialogs.field import FieldDialog
        from .window import PASSPHRASE_PAUSE

        other_name = visible(a.name(next_role(self.alliance, seat.role)))
        leave = "escape closes the app" if seat.bound else f"escape to sit as {other_name}"
        escape = "close the app" if seat.bound else f"sit as {other_name}"
        self.app.push_screen(
            FieldDialog(
                Content.styled(f"This window is {name}'s" if seat.bound else f"{name}'s seat", "bold"),
                Content.styled(
                    f"{name} set a passphrase: type it to take this seat, or {leave}.", "$text-muted"
                ),
                "Passphrase",
                submit,
                password=True,
                pause_after_refusal=PASSPHRASE_PAUSE,
                keys=f"enter take the seat · escape {escape}",
            ),
            closed,
        )

    # -- setting one's own passphrase ------------------------------------------------------

    def action_passphrase(self) -> None:
        """Set, change or remove this window's person's passphrase (asks for the current one)."""
        actor = self.me.role
        if (refusal := self.refusal("passphrase")) is not None:
            self.notify(refusal, severity="warning")
            return
        me = self.alliance.partners[actor]
        name = visible(me.name)

        def save(new: str, current: str | None) -> str | None:
            refusal = self.attempt(
                lambda a, m: alliance_rules.set_passphrase(a, actor, new or None, m, current=current)
            )
            if refusal is None:
                self.window.unlocked.add((self.alliance_id, actor))  # typed here: not asked again
                self.notify(f"{me.name}'s passphrase is set." if new else f"{me.name} has no passphrase now.")
            return refusal

        def ask_again(new: str, current: str | None) -> None:
            """A passphrase is typed twice, unseen: one typo locked the seat, and only a reset
            in the open by the other partner opened it again (play-tested)."""
            from ..dialogs.field import FieldDialog

            def submit(again: str) -> str | None:
                if again != new:
                    return "That is not what you typed first: type the new passphrase again."
                return save(new, current)

            self.app.push_screen(
                FieldDialog(
                    Content.styled(f"{name}'s passphrase, once more", "bold"),
                    Content.styled("The same again, so that a typo cannot lock your seat.", "$text-muted"),
                    "Again",
                    submit,
                    password=True,
                )
            )

        def ask_new(current: str | None) -> None:
            def submit(new: str) -> str | None:
                if not new:
                    return save(new, current)  # removing it: nothing to mistype
                if (refusal := alliance_rules.passphrase_refusal(new)) is not None:
                    return refusal
                self.call_after_refresh(ask_again, new, current)
                return None

            from ..dialogs.field import FieldDialog

            self.app.push_screen(
                FieldDialog(
                    Content.styled(f"{name}'s passphrase", "bold"),
                    Content.styled(
                        "Nobody takes your seat without it. "
                        + ("Leave it blank to remove it." if current is not None else ""),
                        "$text-muted",
                    ),
                    "New passphrase",
                    submit,
                    password=True,
                )
            )

        if me.passphrase is None:
            ask_new(None)
            return

        def check_current(current: str) -> str | None:
            if (wait := self._wait_for(actor)) is not None:
                return wait
            if not alliance_rules.unlocks(self.alliance, actor, current):
                self.window.pause.refused(actor)
                return f"That is not {me.name}'s current passphrase."
            self.call_after_refresh(ask_new, current)
            return None

        self._passphrase_dialog(
            f"Change {name}'s passphrase", None, "Current", check_current, keys="enter next · escape cancel"
        )
