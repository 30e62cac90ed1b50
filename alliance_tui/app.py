"""The app: opens the database, chooses the first screen, and offers every command.

Deliberately thin. The rules live in `domain`, the file in `store`, and what is shown in
`screens`, `widgets` and `dialogs`.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import events, work
from textual.app import App, SystemCommand
from textual.screen import ModalScreen, Screen

from . import settings
from .commands import COMMANDS, Where, bindings, shared_only
from .dialogs.typeahead import TypeAhead
from .domain import Alliance, Kind, Refused
from .domain.seats import role_named
from .domain.text import visible
from .screens.negotiation import NegotiationScreen
from .screens.window import AllianceChanged, AllianceGone, CloseAlliance, CopyText, Window
from .store import Clock, DatabaseError, NotFound, Store, utc_now
from .textual_private import stackable_first_screen

if TYPE_CHECKING:
    from textual.await_complete import AwaitComplete
    from textual.widget import AwaitMount

    from .screens.alliance_list import AllianceListScreen
    from .screens.checkin import CheckInScreen

# Every other screen is imported where it opens: the first frame needs only the main
# screen, and each import costs start-up time (SPEC §9, benchmarks/bench.py).


def _stays(said: tuple[str, str, str]) -> bool:
    """A notice that outlives a turn: an error, or one with a title (a review due)."""
    _, title, severity = said
    return bool(title) or severity == "error"


#: The styles of every screen but the main one, read when the first of them opens:
#: parsing them with the main screen's took 4 ms of the first frame (SPEC §9).
SCREENS_CSS = Path(__file__).with_name("screens.tcss")


class AllianceApp(TypeAhead, App[None]):
    """alliance-tui: two people at one terminal design their alliance."""

    CSS_PATH = "app.tcss"
    #: A screen a dialog covers: its notices hide (app.tcss).
    SUSPENDED_SCREEN_CLASS = "-suspended"
    TITLE = "alliance-tui"
    BINDINGS = bindings(Where.EVERYWHERE)

    def __init__(
        self,
        db_path: Path | str,
        *,
        alliance: str | None = None,
        bound_to: str | None = None,
        clock: Clock = utc_now,
        poll_seconds: float | None = 0.05,
        store: Store | None = None,
        demo: bool = False,
    ) -> None:
        """`store`, when given, is the database at `db_path` already opened (by the CLI).

        `bound_to` binds this window to one person (`--as NAME`): it acts as them in every
        alliance they are a partner of, and never passes the keyboard (SPEC §2 "Seat").
        `poll_seconds` is how often each main screen looks for other windows' changes:
        a look is one `stat` of the file (some 30 µs), and reading a change at 10,000
        lines takes 60 to 100 ms, so a twentieth of a second keeps a change shown within
        SPEC §9's quarter of a second.
        """
        super().__init__()
        self.db_path = Path(db_path)
        self._opened = store
        #: What opening the file had to say before a screen could show it (`on_mount`).
        self._notice: str | None = None
        self.alliance_ref = alliance
        self.bound_to = bound_to
        #: A temporary copy of the examples (`--demo`): nothing reaches the user's database.
        self.demo = demo
        self._said_small = False
        remembered = settings.load()
        #: The tour was taken (the settings say so), or shown in this run.
        self._toured = bool(remembered.get("toured"))
        saved = remembered.get("theme")
        self._saved_theme = saved if isinstance(saved, str) else None
        if self._saved_theme is not None and self._saved_theme in self.available_themes:
            self.theme = self._saved_theme
        else:
            self._saved_theme = self.theme
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.store: Store
        #: What every screen of this window shares: store, clock, sessions, its binding.
        self.window: Window
        #: What is on screen and until when, newest last: the newest is not said again
        #: while it shows (2,000 refused keys made 2,000 toasts: issue 15), and what must
        #: stay is kept when a turn ends (`forget_turn`).
        self._on_screen: list[tuple[tuple[str, str, str], float]] = []
        #: The last thing copied and how: ("system" | "osc52", text). For people and tests.
        self.last_copy: tuple[str, str] | None = None

    def today(self) -> date:
        return self.clock().astimezone().date()

    def _style_other_screens(self) -> None:
        """Read the styles of every screen but the main one (`SCREENS_CSS`), once."""
        if not self.stylesheet.has_source(str(SCREENS_CSS)):
            self.stylesheet.read(SCREENS_CSS)

    def push_screen(  # type: ignore[override]  # Textual's overloads, passed on as they are
        self, *args: Any, **kwargs: Any
    ) -> AwaitMount | asyncio.Future[Any]:
        """Every screen after the main one comes this way, or by `switch_screen`: its
        styles are read first (`SCREENS_CSS`)."""
        self._style_other_screens()
        return super().push_screen(*args, **kwargs)  # type: ignore[no-any-return]

    def switch_screen(self, screen: Screen[Any] | str) -> AwaitComplete:
        self._style_other_screens()
        return super().switch_screen(screen)

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
        """The first frame is up (see `run`): what it holds is frozen too, then collection
        starts.

        At 10,000 lines the window holds some 100,000 objects that live as long as it
        does (the lines, their wordings, the widgets), and every full pass of the
        collector walked them all: 50 to 120 ms, which put a change made in another
        window over SPEC §9's quarter of a second. Frozen, they are never walked again;
        what is made after (a change read from the file) is. A full collection first
        keeps garbage out of the frozen set; its cost falls after the first frame.
        """
        gc.collect()
        gc.freeze()
        gc.enable()

    def on_unmount(self) -> None:
        gc.unfreeze()  # the window is closing: what it held may go (tests run many apps)

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
        said = (visible(str(message)), visible(str(title)), str(severity))
        now = time.monotonic()
        if self._on_screen and self._on_screen[-1][0] == said and now < self._on_screen[-1][1]:
            return  # the same words are still on screen: a key pressed again says nothing new
        if _passing(said) and any(_passing(shown) and until > now for shown, until in self._on_screen):
            # One passing notice at a time: the newest answers the last key pressed, and a
            # stack of them hid the history at 80×24 (issue 11). What stays is kept.
            self._keep_only_lasting(now)
        until = now + (self.NOTIFICATION_TIMEOUT if timeout is None else timeout)
        self._on_screen = [shown for shown in self._on_screen if shown[1] > now] + [(said, until)]
        super().notify(said[0], title=said[1], severity=severity, timeout=timeout, markup=False)

    def clear_notifications(self) -> None:
        super().clear_notifications()
        self._on_screen = []

    def _keep_only_lasting(self, now: float) -> None:
        """Take back the passing notices on screen; errors and titled notices stay."""
        keep = [(said, until) for said, until in self._on_screen if until > now and not _passing(said)]
        self.clear_notifications()
        for (message, title, severity), until in keep:
            self._on_screen.append(((message, title, severity), until))
            super().notify(
                message, title=title, severity=cast(Any, severity), timeout=until - now, markup=False
            )

    def forget_turn(self) -> None:
        """Take back what was said to the last person at the keyboard; keep the rest.

        Refusals and confirmations were for them, and at 80×24 their stack hid the
        history from the next. Errors and titled notices (a review due, a damaged file)
        belong to whoever sits here: they stay for the rest of their time.
        """
        self._keep_only_lasting(time.monotonic())

    @property
    def sessions(self) -> dict[str, int]:
        """This launch's session number in each alliance it acted on (SPEC §2, History)."""
        return self.window.sessions

    def session_of(self, alliance_id: str) -> int | None:
        return self.sessions.get(alliance_id)

    # -- start ---------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        """The first screen: the alliance asked for (or the only one) straight away.

        Opening it as the bottom of the stack, rather than over an empty default screen,
        spares start-up a screen's worth of styling and layout (SPEC §9). Everything else
        (the list, the first-run form) comes in `on_mount`.
        """
        try:
            self.store = self._opened or Store(self.db_path, clock=self.clock)
            self._opened = None
            self.window = Window(self.store, self.clock, self.bound_to, self.poll_seconds)
            self.window.forget_turn = self.forget_turn
            # Only the end of the history is checked before the first frame, the rest
            # just after it by the alliance's screen (SPEC §9); the list, if it comes
            # up instead, checks the whole file first.
            alliances = [a for a in self.store.alliances(opening=True) if self.may_open(a.id) is None]
            chosen = self.store.find(self.alliance_ref, opening=True).id if self.alliance_ref else None
            if chosen is not None and (refusal := self.may_open(chosen)) is not None:
                self._notice, chosen = refusal, None
        except DatabaseError as error:
            from .screens.error import ErrorScreen

            self._style_other_screens()
            return ErrorScreen(str(error))
        except NotFound as error:
            self._notice = str(error)
            chosen = None
        if chosen is None and len(alliances) == 1:
            chosen = alliances[0].id
        if chosen is None and len(alliances) > 1 and not self.demo:
            last = settings.last_alliance(self.db_path)
            if last in {a.id for a in alliances}:
                chosen = last  # where this person left off; the list is one key away (ctrl+o)
        if chosen is None:
            return Screen(id="_default")
        self._remember(chosen)
        screen = NegotiationScreen(chosen, self.window)
        stackable_first_screen(screen, self)  # so that `switch_screen` can replace it
        return screen

    def on_mount(self) -> None:
        if self.is_web:
            self.set_interval(0.5, self._watch_input)
        if isinstance(self.screen, NegotiationScreen):
            self._tell_notice()
            self.call_after_refresh(self._offer_tour)
            return
        # Imported only when shown: the new-alliance form brings the text area and the
        # dialogs (some 30 ms of imports, measured), which the first frame of an alliance
        # does not need (SPEC §9).
        from .screens.error import ErrorScreen
        from .screens.new_alliance import NewAllianceScreen

        if isinstance(self.screen, ErrorScreen):
            return
        self._tell_notice()
        try:
            if self.window.mine(self.store.alliances(archived=True)):
                self.action_open_alliance()
            else:
                self.push_screen(NewAllianceScreen(self._create, first_run=True, keep=self._form_kept()))
        except DatabaseError as error:
            self.push_screen(ErrorScreen(str(error)))

    def _watch_input(self) -> None:
        """A served tab whose server died (no "quit" came, its input just ended) leaves,
        keeping what an open editor holds, rather than run on as an orphan (issue 12)."""
        from .textual_private import input_ended

        if input_ended(self) and not self._exit:
            self.exit(return_code=1)

    async def action_quit(self) -> None:
        """ctrl+q: leave once the keys typed before it have reached their field. A priority
        key acts as it is read, and letters typed with it in one burst ("… fast" ctrl+q)
        still waited in the field's queue: the editor was kept without them."""
        (self.screen.focused or self.screen).call_later(self.exit)

    def on_exit_app(self) -> None:
        """Before anything closes: keep what an open line editor holds (issue 12).

        Runs before Textual's own handler of `ExitApp` takes the screens down, however
        the app was asked to leave: textual-serve's "quit" (the server stopped, the tab
        closed), a signal, the end of a served tab's input (`_watch_input`), or ctrl+q.
        """
        for screen in self.screen_stack:
            # Asked by name, not by class: importing the editor (and Textual's TextArea)
            # at every exit took a megabyte more than the app ever held (SPEC §9).
            keep = getattr(screen, "keep_typed", None)
            if callable(keep):
                keep()

    def _tell_notice(self) -> None:
        """Say what opening the file had to say (`get_default_screen`), once."""
        if self._notice is not None:
            self.notify(self._notice, severity="error", markup=False)
            self._notice = None

    def _offer_tour(self, then: Callable[[], object] | None = None) -> bool:
        """The first alliance this person ever opens comes with the tour, once; `then`
        runs when it closes. False when no tour is due."""
        if self._toured:
            return False
        self.action_tour(then)
        return True

    def action_tour(self, then: Callable[[], object] | None = None) -> None:
        from .screens.tour import TourScreen

        if isinstance(self.screen, TourScreen):
            return
        self._toured = True

        def closed(_: bool | None) -> None:
            # Read to the end or skipped, it is never offered again (issue 11, item 9).
            settings.remember(toured=True)
            if then is not None:
                then()

        self.push_screen(TourScreen(), closed)

    def _remember(self, alliance_id: str) -> None:
        """The alliance this person opened last in this database opens first next time."""
        if not self.demo and settings.last_alliance(self.db_path) != alliance_id:
            settings.remember_alliance(self.db_path, alliance_id)

    def on_resize(self, event: events.Resize) -> None:
        """Say so once when the window becomes smaller than the app is made for (issue 11)."""
        small = event.size.width < 80 or event.size.height < 24
        if small and not self._said_small:
            self.notify(
                f"This window is {event.size.width}×{event.size.height}: alliance-tui is made for "
                "80×24 or more, and some of it may be cut.",
                severity="warning",
            )
        self._said_small = small

    def watch_theme(self, theme: str) -> None:
        """A theme chosen (palette: Theme) is the theme next time too."""
        if theme != self._saved_theme:
            self._saved_theme = theme
            settings.remember(theme=theme)

    def may_open(self, alliance_id: str) -> str | None:
        """Why this window cannot open an alliance (bound to someone not in it), or None."""
        if self.bound_to is None:
            return None
        try:
            role_named(self.store.load(alliance_id), self.bound_to)
        except Refused as refusal:
            return refusal.reason
        return None

    def open_alliance(self, alliance_id: str, *, tour: bool = True) -> Awaitable[object] | None:
        """Show an alliance on the main screen, in place of the one shown before; with
        the first-run tour after it if it is due, unless the caller offers it (`tour`)."""
        if (refusal := self.may_open(alliance_id)) is not None:
            self.notify(refusal, severity="warning")
            return None
        from .screens.checkin import CheckInScreen

        while isinstance(self.screen, (ModalScreen, CheckInScreen)):
            self.pop_screen()
        self._remember(alliance_id)
        screen = NegotiationScreen(alliance_id, self.window)
        if tour:
            self.call_after_refresh(self._offer_tour)
        if isinstance(self.screen, NegotiationScreen):
            return self.switch_screen(screen)
        return self.push_screen(screen)

    def _create(
        self, first: str, second: str, kind: Kind, title: str, prompts: bool = False, coach: str | None = None
    ) -> str | None:
        try:
            a = self.store.create((first, second), title=title, kind=kind, coach=coach)
        except (ValueError, DatabaseError) as error:
            return str(error)
        self.call_later(self._open_new, a.id, prompts)
        return None

    async def _open_new(self, alliance_id: str, prompts: bool) -> None:
        """Open a new alliance; with its starter prompts offered at once, when asked for."""
        # The tour is offered here, once the alliance is up, and never also by
        # `open_alliance`: two offers raced, and in a real terminal the one without the
        # prompts could win, so the prompts the form asked for never came.
        opening = self.open_alliance(alliance_id, tour=False)
        if opening is None:
            return
        await opening
        screen = self.screen
        then = screen.action_prompts if prompts and isinstance(screen, NegotiationScreen) else None
        # The first-run tour, if it is due, comes first, and the prompts after it: the
        # tour pushed over the picker hid what the form had asked for.
        if not self._offer_tour(then=then) and then is not None:
            then()

    def shown_alliance(self) -> str | None:
        """The id of the alliance on the main screen, if one is open."""
        screen = self._negotiation()
        return None if screen is None else screen.alliance_id

    def on_alliance_changed(self, message: AllianceChanged) -> None:
        """The alliance list changed an alliance (its title, its coach, a change answered):
        the main screen reads the events it wrote and shows them now."""
        screen = self._negotiation()
        if screen is not None and screen.alliance_id == message.alliance_id:
            try:
                screen.reload()
            except (DatabaseError, NotFound):
                screen.show()

    def on_close_alliance(self, message: CloseAlliance) -> None:
        """Take the alliance on the main screen away (it is being deleted or archived).

        Its main screen leaves the stack first, while it can still read its alliance; then
        `then` runs (the deletion), and the list of alliances comes back in front with
        `select` highlighted. With no alliance left at all, the first-run form comes instead.
        """
        self.call_later(self._close_alliance, message.select, message.show_archived, message.then)

    def alliance_list(
        self, alliances: list[Alliance], *, select: str | None = None, show_archived: bool = False
    ) -> AllianceListScreen:
        from .screens.alliance_list import AllianceListScreen

        return AllianceListScreen(
            alliances,
            self.today(),
            self.open_alliance,
            self.window,
            self.shown_alliance,
            select=select,
            show_archived=show_archived,
        )

    async def alliance_gone(self) -> None:
        """The alliance on the main screen no longer exists: show the list (or the form)."""
        await self._close_alliance(None, False, None)

    async def _close_alliance(
        self, select: str | None, show_archived: bool, then: Callable[[], object] | None
    ) -> None:
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
                remaining = self.window.mine(self.store.alliances(archived=True))
            except DatabaseError as error:
                self.push_screen(ErrorScreen(str(error)))
                return
            if not remaining:
                await self.push_screen(
                    NewAllianceScreen(self._create, first_run=True, keep=self._form_kept())
                )
                return
            alliances = [a for a in remaining if show_archived or not a.archived]
            await self.push_screen(self.alliance_list(alliances, select=select, show_archived=show_archived))

    # -- everywhere ----------------------------------------------------------------------

    def _negotiation(self) -> NegotiationScreen | None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, NegotiationScreen):
                return screen
        return None

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            if self.is_web:
                saved_in = None  # a served page never shows a path of the host
            elif self.demo:
                saved_in = "a temporary copy of the examples (--demo): none of it reaches your own database."
            else:
                saved_in = str(self.db_path)
            self.push_screen(HelpScreen(saved_in))

    def refusal(self, action: str) -> str | None:
        """Why one of the app's own commands does not apply now, or None if it does."""
        if action == "new_alliance" and self.bound_to is not None:
            screen = self._negotiation()  # it names the partner as the alliance spells them
            said = screen.refusal(action) if screen is not None else None
            return said or shared_only(visible(self.bound_to))
        if action != "pass_keyboard":
            return None
        screen = self._negotiation()
        if screen is None:
            return "Open an alliance first (ctrl+o)."
        if isinstance(self.screen, ModalScreen):
            return "Finish or cancel what is open first, then pass the keyboard."
        return screen.refusal(action)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.refusal(action) is None

    def action_say(self, said: str) -> None:
        """A key that does not act where it was pressed says why (`dialogs.base.everywhere_keys`)."""
        self.notify(said, severity="warning")

    def action_explain(self, action: str) -> None:
        self.notify(self.refusal(action) or "This does not apply here.", severity="warning")

    def action_pass_keyboard(self) -> None:
        screen = self._negotiation()
        if screen is not None:
            screen.action_pass_keyboard()

    def action_new_alliance(self) -> None:
        from .screens.new_alliance import NewAllianceScreen

        if not hasattr(self, "store") or isinstance(self.screen, NewAllianceScreen):
            return
        self.push_screen(NewAllianceScreen(self._create, first_run=False, keep=self._form_kept()))

    def _form_kept(self) -> Callable[[str], None]:
        """What the new-alliance form says at the app's end when it was left open."""
        return self.window.unsaved("No alliance was created")

    def action_open_alliance(self) -> None:
        from .screens.alliance_list import AllianceListScreen

        if not hasattr(self, "store") or isinstance(self.screen, AllianceListScreen):
            return
        try:
            alliances = self.window.mine(self.store.alliances())
        except DatabaseError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.push_screen(self.alliance_list(alliances))

    # -- clipboard (SPEC §7) --------------------------------------------------------------

    def on_copy_text(self, message: CopyText) -> None:
        self.copy(message.text, message.what)

    async def on_alliance_gone(self, _: AllianceGone) -> None:
        await self.alliance_gone()

    def copy(self, text: str, what: str) -> None:
        """Copy with pyperclip in a thread; fall back to OSC 52 when it finds no clipboard.

        In a browser (`alliance-tui serve`) the copy goes to the browser's clipboard:
        pyperclip would copy onto the server's and say it worked (SPEC §7).
        """
        if self.is_web:
            self.copy_to_clipboard(text)
            self.last_copy = ("browser", text)
            self.notify(
                f"Sent {what} to this browser's clipboard. Browsers take it only over https or "
                "from this machine: if nothing pastes, use Download agreement (ctrl+p).",
                markup=False,
            )
            return
        self._copy_in_thread(text, what)

    def action_download_agreement(self) -> None:
        """The agreement shown, as a Markdown file downloaded by the browser (SPEC §10)."""
        import io
        import re

        from .commands import NOT_IN_BROWSER
        from .domain.export import to_markdown

        screen = self._negotiation()
        if screen is None:
            self.notify("Open an alliance first (ctrl+o).", severity="warning")
            return
        if not self.is_web:
            self.notify(NOT_IN_BROWSER, severity="warning")
            return
        a = screen.alliance
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", a.title).strip("-")[:60] or "agreement"
        self.deliver_text(
            io.StringIO(to_markdown(a)),
            save_filename=f"{stem}.md",
            open_method="download",
            mime_type="text/markdown",
            encoding="utf-8",
        )
        self.notify("Your browser is downloading the agreement (allow pop-ups here if nothing arrives).")

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
            # The terminal never says whether it took it (tmux drops it unless told to):
            # claim no more than was done (SPEC §7).
            self.notify(
                f"Sent {what} to your terminal's clipboard: no system clipboard was found here. "
                "If pasting gives nothing, your terminal does not accept it.",
                markup=False,
            )

    # -- command palette -----------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every action of the key map, under the spec's name (SPEC §4)."""
        from .screens.alliance_list import AllianceListScreen
        from .screens.checkin import CheckInScreen

        # Textual's own, but for those the key map has already (Quit) and its Keys panel,
        # which escape does not close and which lists keys the help screen explains.
        ours = {command.name for command in COMMANDS}
        for textuals in super().get_system_commands(screen):
            if textuals.title not in ours and textuals.title != "Keys":
                yield textuals
        main = self._negotiation()
        for command in COMMANDS:
            if command.action in ("command_palette", "next_pane", "move"):
                continue
            described = f"{command.help} ({command.shown})" if command.shown else command.help
            if command.where is Where.EVERYWHERE or hasattr(self, f"action_{command.action}"):
                yield SystemCommand(command.name, described, lambda c=command: self._run_here(c.action))
            elif command.where in (Where.MAIN, Where.LINE, Where.PALETTE) and main is not None:
                yield SystemCommand(
                    command.name, described, lambda c=command, s=main: self._run_on(s, c.action)
                )
            elif command.where is Where.CHECKIN and isinstance(screen, CheckInScreen):
                yield SystemCommand(
                    command.name, described, lambda c=command, s=screen: self._run_on(s, c.action)
                )
            elif command.where is Where.ALLIANCES and isinstance(screen, AllianceListScreen):
                yield SystemCommand(
                    command.name, described, lambda c=command, s=screen: s.run_action(c.action)
                )

    async def _run_here(self, action: str) -> None:
        if (refusal := self.refusal(action)) is not None:
            self.notify(refusal, severity="warning")
        else:
            await self.run_action(action)

    async def _run_on(self, screen: NegotiationScreen | CheckInScreen, action: str) -> None:
        if (refusal := screen.refusal(action)) is not None:
            screen.notify(refusal, severity="warning")
        else:
            await screen.run_action(action)


def _passing(said: tuple[str, str, str]) -> bool:
    """A notice that answers one key (a refusal, a confirmation), not an error or a titled one."""
    _, title, severity = said
    return not title and severity != "error"
