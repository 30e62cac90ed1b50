"""The main screen's composition and refresh: panes, status line, seat, and polling.

`NegotiationView` shows one alliance as this window's seat may see it and keeps it up
to date; the actions live in `line_actions.py` and `seat_actions.py`. Everything an
action does goes through `attempt`, which asks the store to apply a rule as the seat's
person and save it, then shows what the store returns: what is on screen is what is on
disk, also after a save that failed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import date

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.reactive import var
from textual.screen import Screen

from ..commands import BY_ACTION, Situation
from ..domain import Action, Alliance, Event, Line, Moment, Outcome, Refused
from ..domain.seats import Seat, bound_seat, shared_seat
from ..domain.text import visible
from ..domain.views import (
    KeptTally,
    Tally,
    news,
    resets,
    review_due,
    seen_event,
    signatures_taken_back,
    signatures_undone,
    trials_due,
    undone_signatures,
)
from ..domain.views import standing as signing
from ..store import DatabaseError, Done, NotFound
from ..widgets.agreement_pane import AgreementPane
from ..widgets.history_pane import EARLIER, HistoryPane
from ..widgets.key_bar import KeyBar
from ..widgets.line_ids import line_id_of, line_option_id
from ..widgets.partner_pane import PartnerPane
from ..widgets.render import short_date
from ..widgets.title_bar import TitleBar
from ..widgets.turn_line import TurnLine
from ..widgets.virtual_list import VirtualList
from .window import AllianceGone, Window

#: A rule applied as one person at one moment; the store saves what it returns.
Operation = Callable[[Alliance, Moment], Outcome]

#: How many of the latest events the timeline reads when it opens.
HISTORY_TAIL = 300

#: What another window does that changes only the line it names: shown by redrawing
#: that line's rows. Anything else lays the panes out anew.
LINE_ACTIONS = frozenset(
    {
        Action.DRAFTED,
        Action.EDITED,
        Action.PROPOSED,
        Action.COUNTERED,
        Action.ACCEPTED,
        Action.DECLINED,
        Action.WITHDRAWN,
        Action.REOPENED,
        Action.REMOVED,
    }
)

PANES = ("#partner-a", "#partner-b")

#: The viewer of a seat not unlocked yet: nobody's private drafts show.
NOBODY = -1


class NegotiationView(Screen[None]):
    """One alliance as this window's seat sees it, kept in step with the file."""

    #: `on_mount` focuses the pane of this window's partner; focusing another one first
    #: would restyle both panes twice before the first frame (SPEC §9).
    AUTO_FOCUS = ""

    #: Whom this window acts as. Set on mount; a shared window's seat passes (`ctrl+t`).
    seat: var[Seat | None] = var(None, init=False)

    def __init__(self, alliance_id: str, window: Window) -> None:
        super().__init__()
        self.alliance_id = alliance_id
        self.window = window
        self.events: list[Event] = []
        self._current: Alliance | None = None
        self._applicable: frozenset[str] | None = None
        self._shown_day: date | None = None
        #: What the last `show` counted (what waits, drafts, trials due) on that day.
        self._counts: Tally | None = None
        #: The same counts, kept up to date with the lines each action changed.
        self._tally = KeptTally()
        #: How many older events are left in the store, unread.
        self.events_from = 0
        self.last_done: Done | None = None
        #: The store's read count when this screen last read the history.
        self.generation = -1
        #: What is wrong with the history as the file holds it (`_audit`), if anything.
        self.altered: str | None = None
        #: Why this bound window acts as nobody: its person no longer sits here (the
        #: partners removed or replaced the coach, issue 13). None while they do.
        self.seat_gone: str | None = None

    # -- what is shown ---------------------------------------------------------------------

    @property
    def alliance(self) -> Alliance:
        """The alliance as last shown (the store is asked again at each `show`)."""
        if self._current is None:
            self._current = self.window.store.load(self.alliance_id)
        return self._current

    @property
    def me(self) -> Seat:
        """This window's seat (the person every action here is taken as)."""
        seat = self.seat
        if seat is None:
            seat = self.seat = self.opening_seat(self.alliance)
        return seat

    @property
    def locked(self) -> bool:
        """A seat this window opened with whose passphrase was not typed yet: it shows
        nothing private and acts on nothing (`SeatActions.unlock_opening_seat`)."""
        return (self.alliance_id, self.me.role) in self.window.locked

    def opening_seat(self, a: Alliance) -> Seat:
        """A bound window's person, or whoever last held a shared seat here (SPEC §2)."""
        if self.window.bound_to is not None:
            return bound_seat(a, self.window.bound_to)
        return shared_seat(a)

    def today(self) -> date:
        return self.window.today()

    def compose(self) -> ComposeResult:
        yield TitleBar(icon="⚭")
        # One grid for the partners and the agreement: each container costs start-up
        # time in styling, layout and drawing (SPEC §9).
        with Grid(id="table"):
            yield PartnerPane(0, id="partner-a")
            yield AgreementPane(id="agreement")
            yield PartnerPane(1, id="partner-b")
        yield HistoryPane(id="history")
        yield TurnLine(id="turn")
        yield KeyBar()

    def on_mount(self) -> None:
        for pane_id in (*PANES, "#agreement"):
            # Called as the selection moves, so that the key bar is redrawn in the same
            # frame as the list, not in one of its own a moment later (SPEC §9).
            self.watch(self.query_one(pane_id, VirtualList), "highlighted", self._moved, init=False)
        self.reload()
        self.land_on_what_waits()
        self.call_after_refresh(self._read_everything)
        a = self.alliance
        if review_due(a, self.today(), self._counts):  # counted by `show` (SPEC §9)
            due = len(trials_due(a, self.today()))
            if due:
                what = f"{due} trial{'s' if due != 1 else ''} ended"
                todo = "select it in the agreement (3), then r keeps, changes or removes it"
                if due > 1:
                    todo = "select each in the agreement (3), then r keeps, changes or removes it"
            else:
                what = "the review date has passed"
                if self.me.role not in (0, 1):
                    todo = "time for the partners to check in (h) and re-design together"
                elif a.checkin is not None:
                    todo = "h goes on with the check-in that is open, to re-design together"
                else:
                    todo = "h starts a check-in, to re-design together"
            self.notify(f"Review due: {what}; {todo}.", title="Review due")
        self.after_opening()

    def after_opening(self) -> None:
        """What a part of the screen does once it is up (see `SeatActions`)."""

    def _read_everything(self) -> None:
        """Once the first frame is up, parse the rest of the file (SPEC §9).

        Opening reads only the end of a long history; reading the rest now checks the
        whole file at once, and spares the first action the wait. A damaged file is
        refused here with the error screen, as one found at opening is.
        """
        try:
            self.window.store.read_everything()
        except DatabaseError as error:
            from .error import ErrorScreen

            # As if the file had been refused at opening (SPEC §6): nothing was written,
            # and no main screen stays behind for keys to act on.
            self.app.switch_screen(ErrorScreen(str(error)))
            return
        self.poll()  # whatever changed meanwhile (another window, or the count of events)
        # Periodic work starts with the screen that does it, once its first frame is up:
        # a look at the file before it would only delay that frame (SPEC §9).
        if self.window.poll_seconds:
            self.set_interval(self.window.poll_seconds, self.poll)
        self._audit()

    @work(thread=True, exclusive=True, group="audit")
    def _audit(self) -> None:
        """Check the whole history against its hash chain and the rule of consent, in a
        thread on a store of its own (issue 15 item 6); say what is wrong, and keep saying
        it in the header."""
        from ..store import Store

        try:
            problem = Store(self.window.store.path, create=False).audit(self.alliance_id)
        except (DatabaseError, NotFound):
            return  # the next look at the file says what is wrong with it
        if problem is not None:
            self.app.call_from_thread(self._altered, problem)

    def _altered(self, problem: str) -> None:
        self.altered = problem
        self.notify(f"This alliance's file was changed outside the app: {problem}.", severity="error")
        self.show()

    def reload(self, *, everything: bool = False) -> None:
        """Read the history afresh (on open, or when another process wrote) and show all.

        Only the latest events are read unless asked: the rest wait in the store.
        """
        store = self.window.store
        self.generation = store.look()
        fresh = None if everything or not self.events else self._new_events()
        if fresh is not None:
            # Another window added to the history: read only what it added, and redraw
            # only the lines it touched (SPEC §9: a change shown within 250 ms).
            self.events.extend(fresh)
            self._show(self._touched(fresh) if self.today() == self._shown_day else None)
            return
        if everything:
            self.events, self.events_from = store.history(self.alliance_id), 0
        else:
            keep = max(HISTORY_TAIL, len(self.events))
            self.events, self.events_from = store.history_tail(self.alliance_id, keep)
        self.show()

    def _new_events(self) -> list[Event] | None:
        """The events written since this screen last read the history, read from its
        end; None when the end no longer follows what this screen has (read it anew)."""
        store = self.window.store
        known = self.events_from + len(self.events)
        count = 16
        while count <= 4 * HISTORY_TAIL:
            tail, before = store.history_tail(self.alliance_id, count)
            new = before + len(tail) - known
            if new < 0:
                return None
            seen = tail[: len(tail) - new]
            if seen:
                return tail[len(tail) - new :] if seen[-1] == self.events[-1] else None
            count *= 4
        return None

    def _touched(self, events: Sequence[Event]) -> list[Line] | None:
        """The lines these events changed, or None if one changed anything else."""
        lines = self.window.store.load(self.alliance_id).lines
        touched: dict[int, Line] = {}
        for event in events:
            line = None if event.line is None else lines.get(event.line)
            if event.action not in LINE_ACTIONS or line is None:
                return None
            touched[line.id] = line
        return list(touched.values())

    def show(self, outcome: Outcome | None = None) -> None:
        """Show the alliance; after an action, redraw only what its `outcome` touched."""
        self._show(None if outcome is None or outcome.deleted else outcome.lines)

    def _show(self, changed: Sequence[Line] | None) -> None:
        """Show the alliance; redraw only the rows of the `changed` lines, unless None."""
        before = self._current
        a = self._current = self.window.store.load(self.alliance_id)
        seat = self._seat_still_here(a, before)
        viewer = NOBODY if self.locked or self.seat_gone else seat.role
        today = self._shown_day = self.today()
        counts = self._counts = self._tally.count(a, today, changed)
        self.title = visible(a.title)
        self.sub_title = self._standing(a, counts)
        full = changed is None
        changed = changed or []
        here = "this window" if seat.bound else "at the keyboard"
        for pane_id in PANES:
            pane = self.query_one(pane_id, PartnerPane)
            if full or not pane.show_changed(a, viewer, today, changed, counts):
                pane.show(a, viewer, today, counts, here=here)
        agreement_pane = self.query_one("#agreement", AgreementPane)
        if full or not agreement_pane.show_changed(a, today, changed):
            agreement_pane.show(a, today)
        self.query_one("#history", HistoryPane).show(a, viewer, self.events, earlier=self.events_from)
        undone = undone_signatures(a, self.events)  # said until someone signs again
        self.query_one("#turn", TurnLine).show(a, seat, counts, undone, gone=self.seat_gone)
        self._refresh_footer()

    def _seat_still_here(self, a: Alliance, before: Alliance | None) -> Seat:
        """This window's seat, once the partners may have removed or replaced the coach.

        A shared window whose seat was the coach's passes it to the partner the file names
        (`Alliance.active`), through their passphrase if they set one, and says so. A bound
        window whose person no longer sits here acts as nobody from now on, and says why
        in the status line and at every key: it is not quietly made someone else.
        """
        seat = self.me
        if self.seat_gone is not None:
            return seat
        if self.window.bound_to is not None:
            if (why := self.gone_from(a, seat)) is not None:
                self.seat_gone = why
                self.notify(why, severity="warning", timeout=30)
            return seat
        if seat.role in a.seats():
            return seat
        seat = self.seat = shared_seat(a)
        coach = before.coach if before is not None and before.coach else "The coach"
        self.notify(
            f"{coach} is no longer the coach here, so their seat is gone: "
            f"{a.name(seat.role)} has the keyboard now."
        )
        self.call_later(self.seat_taken_away)
        return seat

    def gone_from(self, a: Alliance, seat: Seat) -> str | None:
        """Why a bound window's person no longer holds `seat` in `a`, or None if they do."""
        name = (self.window.bound_to or "").strip()
        with suppress(Refused):
            if bound_seat(a, name).role == seat.role:
                return None
        now = f"{a.coach} is its coach now" if a.coach else "it has no coach now"
        return (
            f"{name} is no longer at “{a.title}”: the partners agreed that {now}. This window acts "
            "as nobody and shows nothing new; ctrl+q leaves."
        )

    def seat_taken_away(self) -> None:
        """What follows when a shared seat moved because its own was removed (see `SeatActions`)."""

    def _standing(self, a: Alliance, counts: Tally) -> str:
        standing = visible(signing(a))
        for said in resets(a):
            standing += f" · {visible(said)}"
        if self.altered is not None:
            standing += f" · ⚠ {visible(self.altered)}"
        if review_due(a, self.today(), counts):
            standing += " · review due"
        elif a.review_on is not None:
            standing += f" · review on {short_date(a.review_on)}"
        return f"{a.kind.value} · {standing}"

    def _refresh_footer(self) -> None:
        """Ask the footer to redraw when the keys that apply have changed."""
        situation = self.situation()
        applicable = frozenset(
            action
            for action, command in BY_ACTION.items()
            if command.rule is not None and command.rule(situation) is None
        )
        if applicable == self._applicable:
            return
        self._applicable = applicable
        self.refresh_bindings()
        self.app.refresh_bindings()  # the app's own keys (ctrl+t) depend on the seat too

    def _moved(self) -> None:
        if self.is_mounted:
            self._refresh_footer()

    def on_screen_resume(self) -> None:
        # A dialog closed: the app's own keys (ctrl+t) apply again, and the footer says so
        # (once the dialog has left the stack, which it has not quite yet here).
        self.call_after_refresh(self.refresh_bindings)
        self.query_one(KeyBar).refresh()

    def on_screen_suspend(self) -> None:
        self.query_one(KeyBar).refresh()  # a dialog is on top: the key bar steps back

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    # -- what applies ----------------------------------------------------------------------

    def selected(self) -> Line | None:
        pane = self.focused
        if not isinstance(pane, (PartnerPane, AgreementPane)):
            return None
        line_id = line_id_of(pane.selected_id())
        return None if line_id is None else self.alliance.lines.get(line_id)

    def situation(self) -> Situation:
        """What the command table's rules look at, now."""
        history = self.query_one("#history", HistoryPane)
        return Situation(self.alliance, self.me, self.selected(), history.line_filter is not None)

    def refusal(self, action: str) -> str | None:
        """Why a command does not apply now, or None if it does (or has no rule)."""
        command = BY_ACTION.get(action)
        if command is None or command.rule is None:
            return None
        if self.seat_gone is not None:
            return self.seat_gone
        if self.locked:
            # Not even from the palette over the passphrase dialog: nothing as them yet.
            return f"Type {self.alliance.name(self.me.role)}'s passphrase first."
        return command.rule(self.situation())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A command that does not apply is hidden; its key falls through to a hidden
        # twin binding (`explain`) that says why.
        return self.refusal(action) is None

    def label_for(self, binding: Binding) -> str:
        """What the key bar calls `binding` now: "Unmark" for the coach's mark on a line
        that carries it (it said "Mark" on a marked line)."""
        if binding.action == "flag" and (line := self.selected()) is not None and line.flagged:
            return "Unmark"
        return binding.description

    def action_explain(self, action: str) -> None:
        self.notify(self.refusal(action) or "This does not apply here.", severity="warning")

    # -- acting ----------------------------------------------------------------------------

    def attempt(self, operation: Operation) -> str | None:
        """Apply one action, saved before it shows; the refusal in words, or None if done.

        The operation carries its actor (the seat as it was when the action began). After
        a save that failed, the screen shows the file as it is, not what was attempted.
        """
        window = self.window
        if self.seat_gone is not None:
            return self.seat_gone
        if window.bound_to is not None:
            operation = self._as_still_seated(operation)
        try:
            done = window.store.act(
                self.alliance_id, operation, session=window.sessions.get(self.alliance_id)
            )
        except Refused as refusal:
            return refusal.reason
        except (DatabaseError, NotFound) as error:
            self._current = None
            with suppress(DatabaseError, NotFound):  # the next poll says what is wrong
                self.reload()
            return f"Not saved: {error}"
        window.sessions[self.alliance_id] = done.session
        self.last_done = done
        if window.store.look() != self.generation:
            self.reload()  # another process wrote before us: read its events as well
        else:
            self.events.extend(done.outcome.events)
            self.show(done.outcome)
        return None

    def _as_still_seated(self, operation: Operation) -> Operation:
        """`operation`, refused with a sentence when, as the file stands at the moment of
        saving, this bound window's person no longer holds its seat (an editor opened as
        the coach never saves as the next coach, issue 13)."""
        seat = self.me

        def checked(a: Alliance, moment: Moment) -> Outcome:
            if (why := self.gone_from(a, seat)) is not None:
                raise Refused(f"Not saved: {why}")
            return operation(a, moment)

        return checked

    def saving_at_exit(self, what: str) -> Callable[[Operation, str], Done | None]:
        """How a dialog opened here saves what the app leaves under its writer's hands
        (issue 12: the server stopped, the tab closed, ctrl+q), `what` naming it.

        Straight through the store, never through the screen, which may be closing too; in
        a bound window only while its person still sits here (`_as_still_seated`). What
        could not be saved is said as the app's last words (`Window.kept`), with what was
        `typed`, as is what was (the caller says that, knowing what it kept).
        """
        window, alliance_id = self.window, self.alliance_id
        still_seated = self._as_still_seated

        def save(operation: Operation, typed: str) -> Done | None:
            if window.bound_to is not None:
                operation = still_seated(operation)
            try:
                return window.store.act(alliance_id, operation, session=window.sessions.get(alliance_id))
            except (Refused, DatabaseError, NotFound) as error:
                window.kept.append(f"What was typed in {what} could not be kept: {error} It read: “{typed}”")
                return None

        return save

    def act(self, operation: Operation, done: str | None = None) -> None:
        refusal = self.attempt(operation)
        if refusal is not None:
            self.notify(refusal, severity="warning")
        elif done:
            self.notify(done)

    def select_line(self, line_id: int) -> None:
        """Focus the pane of the line's author and highlight the line."""
        line = self.alliance.lines.get(line_id)
        if line is None:
            return
        pane = self.query_one(PANES[line.author] if line.author in (0, 1) else PANES[0], PartnerPane)
        pane.select_id(line_option_id(line_id))
        self.set_focus(pane)  # at once: a key typed right after acts on this pane

    def land_on_what_waits(self) -> None:
        """Select the first line that waits for this window's person, else focus their pane.

        Each turn starts where the work is: after `ctrl+t` the line that waits for the new
        person is often in the other partner's pane (issue 11).
        """
        role = self.me.role
        counts = self._counts
        # Looked for only when the counts `show` took say something waits (SPEC §9).
        waits = counts is None or (role in (0, 1) and counts.waiting_for(role) > 0)
        lines = self.alliance.lines.values() if waits else ()
        waiting = next((line for line in lines if line.waiting_for == role), None)
        if waiting is not None:
            self.select_line(waiting.id)
        else:
            self.set_focus(self.query_one(PANES[role] if role in (0, 1) else PANES[0]))

    def action_focus_pane(self, pane: str) -> None:
        # `Widget.focus` moves the focus only once the keys already typed are handled:
        # "2a" typed in one go accepted on the pane left, not on pane 2.
        self.set_focus(self.query_one(f"#{pane}"))

    def poll(self) -> None:
        """Show what another window wrote, and notice a new day (trials may fall due)."""
        if not self.is_mounted or self.seat_gone is not None:
            return
        try:
            if self.window.store.look() != self.generation or self.today() != self._shown_day:
                seen = self.events_from + len(self.events)
                self.reload()
                self._tell_news(seen)
        except NotFound:
            # Deleted in another window: nothing left to show here, so back to the list.
            self.notify("This alliance was deleted in another window.", severity="warning")
            self.post_message(AllianceGone())
        except DatabaseError as error:
            self.notify(str(error), severity="error")

    def _tell_news(self, seen: int) -> None:
        """Say what another window just did that matters here (the newest such thing)."""
        start = max(seen - self.events_from, 0)
        role = self.me.role
        for index in range(len(self.events) - 1, start - 1, -1):
            event = self.events[index]
            said = news(self.alliance, seen_event(event, role), role)
            if said is not None:
                # A signature never vanishes silently, not even one given in this window.
                taken = signatures_taken_back(self.events, index, self.alliance.undone)
                undone = signatures_undone(self.alliance, set(taken)) if taken else None
                self.notify(said if undone is None else f"{said} {undone}")
                selected = self.selected()
                if self.is_active and (selected is None or selected.waiting_for != role):
                    self.land_on_what_waits()  # with its keys in the footer, as after ctrl+t
                return

    async def on_virtual_list_selected(self, event: VirtualList.Selected) -> None:
        """`enter` edits one's own draft (SPEC §4), and shows any other line's story."""
        if event.key == EARLIER:
            self.reload(everything=True)
        elif event.virtual_list.id in ("partner-a", "partner-b", "agreement"):
            await self.run_action("edit" if self.refusal("edit") is None else "story")
