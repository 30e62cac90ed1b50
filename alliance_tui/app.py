"""The app: opens the database, chooses the first screen, and offers every command.

Deliberately thin. The rules live in `domain`, the file in `store`, and what is shown in
`screens`, `widgets` and `dialogs`.
"""

from __future__ import annotations

import gc
from collections.abc import Awaitable, Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from .domain import Kind
from .domain.text import visible
from .keys import ALLIANCES, EVERYWHERE, KEYMAP, LINE, MAIN, PALETTE
from .screens.negotiation import NegotiationScreen
from .store import Clock, DatabaseError, NotFound, Store, utc_now

if TYPE_CHECKING:
    from .screens.alliance_list import AllianceListScreen

# Every other screen is imported where it opens: the first frame needs only the main
# screen, and each import costs start-up time (SPEC §9, benchmarks/bench.py).


class AllianceApp(App[None]):
    """alliance-tui: two people at one terminal design their alliance."""

    CSS_PATH = "app.tcss"
    TITLE = "alliance-tui"
    BINDINGS = [
        Binding(
            key.keys,
            key.action,
            key.label,
            show=key.action in ("help", "pass_keyboard"),
            tooltip=key.help,
            id=key.action,
            priority=key.action == "quit",
        )
        for key in KEYMAP
        if key.where == EVERYWHERE and key.action not in ("command_palette",)
    ]

    def __init__(
        self,
        db_path: Path | str,
        *,
        alliance: str | None = None,
        clock: Clock = utc_now,
        poll_seconds: float | None = 1.0,
        store: Store | None = None,
    ) -> None:
        """`store`, when given, is the database at `db_path` already opened (by the CLI)."""
        super().__init__()
        self.db_path = Path(db_path)
        self._opened = store
        #: What opening the file had to say before a screen could show it (`on_mount`).
        self._notice: str | None = None
        self.alliance_ref = alliance
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.store: Store
        #: This launch's session number in each alliance it acted on (SPEC §2, History).
        self.sessions: dict[str, int] = {}
        #: The last thing copied and how: ("system" | "osc52", text). For people and tests.
        self.last_copy: tuple[str, str] | None = None

    def today(self) -> date:
        return self.clock().astimezone().date()

    def run(self, *args: Any, **kwargs: Any) -> Any:
        """Run full-screen, with the garbage collector quiet until the first frame.

        Start-up makes objects that live as long as the app (the imported modules) and
        garbage hardly at all, yet the collector's full passes over them cost tens of
        milliseconds before the first frame (SPEC §9). So what is imported is frozen
        (never scanned again) and collection waits for `on_ready`.
        """
        gc.freeze()
        gc.disable()
        try:
            return super().run(*args, **kwargs)
        finally:
            gc.enable()

    def on_ready(self) -> None:
        gc.enable()  # the first frame is up (see `run`)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification, as plain text with its control characters made visible.

        Refusal sentences name the partners, and a name is whatever was typed (SPEC §8):
        an ESC in it must never reach the terminal. Every `notify` of a screen or widget
        comes here, so this is the one gate; markup is never parsed.
        """
        super().notify(
            visible(str(message)), title=visible(str(title)), severity=severity, timeout=timeout, markup=False
        )

    def session_of(self, alliance_id: str) -> int | None:
        return self.sessions.get(alliance_id)

    # -- start ---------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[object]:
        """The first screen: the alliance asked for (or the only one) straight away.

        Opening it as the bottom of the stack, rather than over an empty default screen,
        spares start-up a screen's worth of styling and layout (SPEC §9). Everything else
        (the list, the first-run form) comes in `on_mount`.
        """
        try:
            self.store = self._opened or Store(self.db_path, clock=self.clock)
            self._opened = None
            alliances = self.store.alliances()
            chosen = self.store.find(self.alliance_ref).id if self.alliance_ref else None
        except DatabaseError as error:
            from .screens.error import ErrorScreen

            return ErrorScreen(str(error))
        except NotFound as error:
            self._notice = str(error)
            chosen = None
        if chosen is None and len(alliances) == 1:
            chosen = alliances[0].id
        if chosen is None:
            return Screen(id="_default")
        screen = NegotiationScreen(chosen)
        # What `push_screen` gives every screen it pushes, so that `switch_screen` can
        # later replace this one like any other (Textual 8.2 keeps it private).
        screen._push_result_callback(self, None)
        return screen

    def on_mount(self) -> None:
        from .screens.error import ErrorScreen
        from .screens.new_alliance import NewAllianceScreen

        if isinstance(self.screen, ErrorScreen):
            return
        if self._notice is not None:
            self.notify(self._notice, severity="error", markup=False)
            self._notice = None
        if self.poll_seconds:
            self.set_interval(self.poll_seconds, self._poll)
        if isinstance(self.screen, NegotiationScreen):
            return
        try:
            if self.store.alliances(archived=True):
                self.action_open_alliance()
            else:
                self.push_screen(NewAllianceScreen(self._create, first_run=True))
        except DatabaseError as error:
            self.push_screen(ErrorScreen(str(error)))

    def _poll(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, NegotiationScreen):
                screen.poll()

    def open_alliance(self, alliance_id: str) -> Awaitable[object]:
        """Show an alliance on the main screen, in place of the one shown before."""
        while isinstance(self.screen, ModalScreen):
            self.pop_screen()
        screen = NegotiationScreen(alliance_id)
        if isinstance(self.screen, NegotiationScreen):
            return self.switch_screen(screen)
        return self.push_screen(screen)

    def _create(self, first: str, second: str, kind: Kind, title: str, prompts: bool = False) -> str | None:
        try:
            a = self.store.create((first, second), title=title, kind=kind)
        except (ValueError, DatabaseError) as error:
            return str(error)
        self.call_later(self._open_new, a.id, prompts)
        return None

    async def _open_new(self, alliance_id: str, prompts: bool) -> None:
        """Open a new alliance; with its starter prompts offered at once, when asked for."""
        await self.open_alliance(alliance_id)
        if prompts and isinstance(self.screen, NegotiationScreen):
            self.screen.action_prompts()

    def shown_alliance(self) -> str | None:
        """The id of the alliance on the main screen, if one is open."""
        screen = self._negotiation()
        return None if screen is None else screen.alliance_id

    def alliance_changed(self, alliance_id: str) -> None:
        """An alliance's own fields changed (its title): the main screen shows them now."""
        screen = self._negotiation()
        if screen is not None and screen.alliance_id == alliance_id:
            screen.show()

    def close_alliance(
        self,
        listing: AllianceListScreen,
        *,
        select: str | None,
        then: Callable[[], object] | None = None,
    ) -> None:
        """Take the alliance on the main screen away (it is being deleted or archived).

        Its main screen leaves the stack first, while it can still read its alliance; then
        `then` runs (the deletion), and the list of alliances comes back in front with
        `select` highlighted. With no alliance left at all, the first-run form comes instead.
        """
        self.call_later(self._close_alliance, select, listing.show_archived, then)

    async def alliance_gone(self) -> None:
        """The alliance on the main screen no longer exists: show the list (or the form)."""
        await self._close_alliance(None, False, None)

    async def _close_alliance(
        self, select: str | None, show_archived: bool, then: Callable[[], object] | None
    ) -> None:
        from .screens.alliance_list import AllianceListScreen
        from .screens.error import ErrorScreen
        from .screens.new_alliance import NewAllianceScreen

        with self.batch_update():
            while len(self.screen_stack) > 1:
                await self.pop_screen()
            if isinstance(self.screen, NegotiationScreen):  # opened first: see get_default_screen
                await self.switch_screen(Screen(id="_default"))
            if then is not None:
                then()
            try:
                remaining = self.store.alliances(archived=True)
            except DatabaseError as error:
                self.push_screen(ErrorScreen(str(error)))
                return
            if not remaining:
                await self.push_screen(NewAllianceScreen(self._create, first_run=True))
                return
            alliances = [a for a in remaining if show_archived or not a.archived]
            await self.push_screen(
                AllianceListScreen(
                    alliances, self.today(), self.open_alliance, select=select, show_archived=show_archived
                )
            )

    # -- everywhere ----------------------------------------------------------------------

    def _negotiation(self) -> NegotiationScreen | None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, NegotiationScreen):
                return screen
        return None

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_pass_keyboard(self) -> None:
        screen = self._negotiation()
        if screen is None:
            self.notify("Open an alliance first (ctrl+o).", severity="warning", markup=False)
        elif isinstance(self.screen, ModalScreen):
            self.notify(
                "Finish or cancel what is open first, then pass the keyboard.",
                severity="warning",
                markup=False,
            )
        else:
            screen.action_pass_keyboard()

    def action_new_alliance(self) -> None:
        from .screens.new_alliance import NewAllianceScreen

        if not hasattr(self, "store") or isinstance(self.screen, NewAllianceScreen):
            return
        self.push_screen(NewAllianceScreen(self._create, first_run=False))

    def action_open_alliance(self) -> None:
        from .screens.alliance_list import AllianceListScreen

        if not hasattr(self, "store") or isinstance(self.screen, AllianceListScreen):
            return
        try:
            alliances = self.store.alliances()
        except DatabaseError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.push_screen(AllianceListScreen(alliances, self.today(), self.open_alliance))

    # -- clipboard (SPEC §7) --------------------------------------------------------------

    def copy(self, text: str, what: str) -> None:
        """Copy with pyperclip in a thread; fall back to OSC 52 when it finds no clipboard."""
        self._copy_in_thread(text, what)

    @work(thread=True, exclusive=True, group="clipboard")
    def _copy_in_thread(self, text: str, what: str) -> None:
        from . import clipboard

        copied = clipboard.system_copy(text)
        self.call_from_thread(self._copied, text, what, copied)

    def _copied(self, text: str, what: str, by_system: bool) -> None:
        if by_system:
            self.last_copy = ("system", text)
            self.notify(f"Copied {what} to the system clipboard.", markup=False)
        else:
            self.copy_to_clipboard(text)
            self.last_copy = ("osc52", text)
            self.notify(
                f"Copied {what} through the terminal (OSC 52): no system clipboard was found.",
                markup=False,
            )

    # -- command palette -----------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every action of the key map, under the spec's name (SPEC §4)."""
        from .screens.alliance_list import AllianceListScreen

        yield from super().get_system_commands(screen)
        main = self._negotiation()
        for key in KEYMAP:
            if not key.action or key.action in ("command_palette",):
                continue
            if key.where == EVERYWHERE:
                yield SystemCommand(key.command, key.help, lambda k=key: self.run_action(k.action))
            elif key.where in (MAIN, LINE, PALETTE) and main is not None:
                yield SystemCommand(
                    key.command,
                    f"{key.help} ({key.shown})" if key.shown else key.help,
                    lambda k=key, s=main: self._run_on(s, k.action),
                )
            elif key.where == ALLIANCES and isinstance(screen, AllianceListScreen):
                yield SystemCommand(
                    key.command,
                    f"{key.help} ({key.shown})",
                    lambda k=key, s=screen: s.run_action(k.action),
                )

    async def _run_on(self, screen: NegotiationScreen, action: str) -> None:
        if not screen.check_action(action, ()):
            screen.action_explain(action)
        else:
            await screen.run_action(action)
