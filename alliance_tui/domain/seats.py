"""Who acts in a window: its seat (SPEC §2 "Seat").

A window — a terminal, or a browser tab — is either *shared*, with both partners at one
keyboard and a seat that passes between them (`ctrl+t`), or *bound* to one person
(`--as NAME`, an invite link), whom it always acts as. The seat belongs to the window,
never to the file: the file keeps only who last held a shared seat on an alliance
(`Alliance.active`), so that the next shared window opens with them.

Every rule takes its actor from the seat explicitly, and every view its viewer: what
another window does to its own seat changes nothing here.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import NamedTuple

from .model import Alliance
from .rules import Refused


class Role(IntEnum):
    """Whom a seat is for.

    The partners are roles 0 and 1, as the file names a line's author; a third role
    (the coach, SPEC §11) takes the next number without touching the partners' rules.
    """

    A = 0
    B = 1
    COACH = 2

    @property
    def is_partner(self) -> bool:
        return self in (Role.A, Role.B)


#: The partners, in the order a shared seat passes (`ctrl+t`); the coach, when the
#: alliance has one, comes after them (`Alliance.seats`).
PASSING_ORDER: tuple[Role, ...] = (Role.A, Role.B)


class Seat(NamedTuple):
    """A window's seat: the role it acts as, and whether it is bound to that role.

    `role` is kept as the plain number the file uses for an actor (a `Role`'s value), so
    that what the rules record is exactly what is saved and read back.
    """

    role: int
    bound: bool = False

    def name(self, a: Alliance) -> str:
        return a.name(self.role)


def shared_seat(a: Alliance) -> Seat:
    """The seat a shared window opens with: whoever last held a shared seat here."""
    return Seat(int(Role(a.active)), bound=False)


def role_named(a: Alliance, name: str) -> int:
    """The role of the person called `name` (any case, trimmed); Refused if nobody is."""
    folded = name.strip().casefold()
    for role in a.seats():
        if a.name(role).casefold() == folded:
            return role
    names = " and ".join(a.name(role) for role in PASSING_ORDER)
    coach = f" (its coach is {a.coach})" if a.coach else ""
    raise Refused(f"Nobody called {name.strip()!r} sits at {a.title!r}: its partners are {names}{coach}.")


def bound_seat(a: Alliance, name: str) -> Seat:
    """The seat of a window bound to `name` (`--as NAME`)."""
    return Seat(role_named(a, name), bound=True)


def next_role(a: Alliance, role: int) -> int:
    """Who takes a shared seat after `role`: A, B, then the coach if there is one."""
    order = a.seats()
    position = order.index(role) if role in order else -1
    return order[(position + 1) % len(order)]


def may_pass(a: Alliance, seat: Seat) -> None:
    """Refuse to pass a bound window's seat: it always acts as the one person."""
    if seat.bound:
        others = [a.name(role) for role in a.seats() if role != seat.role]
        act = "acts from their own window" if len(others) == 1 else "act from their own windows"
        raise Refused(
            f"This window is {seat.name(a)}'s alone: it does not pass. {' and '.join(others)} {act}."
        )


class Pause:
    """The wait after a wrong passphrase, kept per person for the whole window.

    It belongs to the seat being taken, not to the dialog that asked: closing the dialog
    and asking again does not skip it (issue 15: a 4-digit PIN fell to 42 guesses in
    9.7 s). Each wrong try in a row doubles the wait, up to `longest` seconds; the right
    passphrase clears it.
    """

    def __init__(self, clock: Callable[[], float], seconds: float, longest: float = 60.0) -> None:
        self._clock = clock
        self.seconds = seconds
        self.longest = longest
        self._until: dict[int, float] = {}
        self._wrong: dict[int, int] = {}

    def refused(self, role: int) -> None:
        wrong = self._wrong[role] = self._wrong.get(role, 0) + 1
        wait = min(self.seconds * 2 ** (wrong - 1), self.longest)
        self._until[role] = self._clock() + wait

    def opened(self, role: int) -> None:
        self._until.pop(role, None)
        self._wrong.pop(role, None)

    def left(self, role: int) -> float:
        """Seconds still to wait before `role`'s passphrase may be tried again."""
        return max(0.0, self._until.get(role, 0.0) - self._clock())
