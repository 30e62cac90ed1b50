"""The check-in screen (`h`, SPEC §12): rate every agreed line in private, then read the
ratings of both, the lines not working first, and end by setting the next review date.

It shows the alliance as the main screen's seat may see it, and acts through the main
screen (`NegotiationView.attempt`): the same seat, session and save as every other action.
At one shared keyboard `ctrl+t` passes the seat as anywhere else, and the screen is
redrawn for the new person at once: only one's own ratings are ever on it before the
reveal (the coach's seat shows none).
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ..commands import Situation, Where, bindings, by_action
from ..domain import Alliance, Line, alliance_rules, checkins
from ..domain.model import CheckedIn, Given, Rated, Rating
from ..domain.text import visible
from ..store import DatabaseError, NotFound
from ..widgets.checkin_list import CheckInList
from ..widgets.key_bar import KeyBar
from ..widgets.line_ids import line_id_of, line_option_id
from ..widgets.render import short_date, text
from ..widgets.title_bar import TitleBar
from ..widgets.virtual_list import Row, VirtualList
from .window import AllianceGone

if TYPE_CHECKING:
    from .line_actions import LineActions

#: The check-in's own commands that change a rating: not once the ratings are revealed.
RATING_ACTIONS = frozenset({"rate_working", "rate_wobbly", "rate_not_working", "rating_note"})

#: How each rating is styled (its mark and word tell it apart without colour).
STYLES = {
    Rating.WORKING: "bold $text-success",
    Rating.WOBBLY: "bold $text-warning",
    Rating.NOT_WORKING: "bold $text-error",
}

#: Each group of a revealed check-in, in the order shown.
GROUPS = {
    Rating.NOT_WORKING: "✗ Not working for at least one of you: r reopens it",
    Rating.WOBBLY: "~ Wobbly",
    Rating.WORKING: "✓ Working",
}

REVEALED = (
    "These ratings are revealed: they no longer change. r reopens the selected line; "
    "enter sets the next review date."
)


def badge(rating: Rating | None) -> Content:
    """A rating as a fixed-width mark and word ("✗ not working"), or "· not rated"."""
    if rating is None:
        return Content.styled(f"{'· not rated':<14}", "$text-muted")
    return Content.styled(f"{rating.mark} {rating.label:<12}", STYLES[rating])


def rating_row(number: int, wording: str, rated: Rated | None, sign: str | None = None) -> Content:
    """One line to rate: its rating, number and wording, how they said they would know it
    works (what it is rated against, SPEC §12), then the note, if any."""
    parts: list[str | Content | tuple[str, str]] = [
        badge(None if rated is None else rated.rating),
        (f"{number:>3}. ", "bold"),
        text(wording),
    ]
    if sign:
        parts += ["\n", ("we'll know it works: ", "italic $text-muted"), text(sign)]
    if rated is not None and rated.note:
        parts += ["\n", ("note: ", "$text-muted"), text(rated.note)]
    return Content.assemble(*parts)


def result_row(a: Alliance, number: int, wording: str, given: list[Given], gone: bool) -> Content:
    """One line of a revealed check-in: its wording, then each partner's rating and note."""
    parts: list[str | Content | tuple[str, str]] = [(f"{number:>3}. ", "bold"), text(wording)]
    if gone:
        parts.append(("  (no longer in the agreement)", "$text-muted"))
    for rating in given:
        parts += ["\n", (f"{visible(a.name(rating.partner))} ", "bold"), badge(rating.rating)]
        if rating.note:
            parts += [("  ", ""), text(rating.note)]
    return Content.assemble(*parts)


class CheckInScreen(Screen[None]):
    """A check-in: one's own private ratings, or the revealed ratings of both."""

    BINDINGS = bindings(Where.CHECKIN)
    AUTO_FOCUS = "#checkin-lines"

    def __init__(self, view: LineActions, *, showing: int | None = None) -> None:
        """`showing` is the revealed check-in to show (an index of `Alliance.checkins`);
        None rates in the open one, until both have finished."""
        super().__init__()
        self.view = view
        self.showing = showing
        #: How many check-ins were revealed when this screen opened: one more is the
        #: reveal of the one rated here (by this window or another).
        self._revealed_before = len(view.alliance.checkins)
        self._generation = -1
        self._shown_revealed = False
        self._current: Alliance | None = None

    @property
    def alliance(self) -> Alliance:
        """The alliance as this screen last showed it (read from the store at each `show`)."""
        return self._current if self._current is not None else self.view.alliance

    def viewer(self) -> int:
        """Whose ratings show: the seat's, or nobody's while its passphrase is not typed."""
        return -1 if self.view.locked else self.view.me.role

    def compose(self) -> ComposeResult:
        yield TitleBar(icon="⚭")
        yield Static(id="checkin-about")
        yield CheckInList(id="checkin-lines")
        yield Static(id="checkin-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.watch(self.view, "seat", self._seat_changed, init=False)
        self.show()
        poll = self.view.window.poll_seconds
        if poll:
            self.set_interval(poll, self.poll)

    def _seat_changed(self) -> None:
        self.show()
        self.query_one("#checkin-lines", CheckInList).highlighted = None
        self._select_first()

    def poll(self) -> None:
        """Show what another window did (the other partner finishing, say)."""
        if not self.is_mounted:
            return
        try:
            if self.view.window.store.look() != self._generation:
                self.show()
        except NotFound:
            self.notify("This alliance was deleted in another window.", severity="warning")
            self.post_message(AllianceGone())
        except DatabaseError as error:
            self.notify(str(error), severity="error")

    # -- what is shown -------------------------------------------------------------------

    def show(self) -> None:
        self._generation = self.view.window.store.look()
        a = self._current = self.view.window.store.load(self.view.alliance_id)
        if self.showing is None and a.checkin is None and len(a.checkins) > self._revealed_before:
            self.showing = len(a.checkins) - 1  # both have finished: the reveal
        self.title = f"Check-in · {visible(a.title)}"
        listing = self.query_one("#checkin-lines", CheckInList)
        if self.showing is not None:
            checked = a.checkins[self.showing]
            if not self._shown_revealed:
                # Just revealed: start on the first line of the result (not working, if any).
                self._shown_revealed = True
                listing.highlighted = None
            self.sub_title = f"revealed {short_date(checked.at.astimezone().date())}"
            listing.indent = 5  # past "  1. "
            listing.set_rows(self._result_rows(a, checked))
            self._about(
                Content.assemble(
                    ("Both have checked in: ", "bold"),
                    "the lines either of you rated not working come first. ",
                    ("r", "bold $text-accent"),
                    " reopens the selected line; ",
                    ("enter", "bold $text-accent"),
                    " ends the check-in with the next review date.",
                )
            )
            self._status(a, None)
        else:
            viewer = self.viewer()
            mine = checkins.own_ratings(a, viewer)
            self.sub_title = f"{visible(a.name(viewer))}'s ratings" if viewer in (0, 1) else ""
            rows = [
                Row(
                    line_option_id(item.line),
                    partial(rating_row, item.number, item.text, mine.get(item.line), item.sign),
                )
                for item in checkins.to_rate(a)
            ]
            listing.indent = 19  # past the rating and "  1. "
            listing.set_rows(rows)
            self._about(self._rating_about(a, viewer))
            self._status(a, viewer)
        self._select_first()
        self.refresh_bindings()

    def _select_first(self) -> None:
        listing = self.query_one("#checkin-lines", CheckInList)
        if listing.highlighted is None and listing.row_count:
            listing.action_move_to(0)

    def _about(self, said: Content) -> None:
        self.query_one("#checkin-about", Static).update(said)

    def _rating_about(self, a: Alliance, viewer: int) -> Content:
        if viewer not in (0, 1):
            if self.view.locked:
                return Content.styled("Type the passphrase of this seat first.", "italic $text-muted")
            return Content.assemble(
                (f"{visible(a.name(viewer))}, the coach, does not rate. ", "bold"),
                "Each partner rates privately; the ratings show once both have finished.",
            )
        name, them = visible(a.name(viewer)), visible(a.name(1 - viewer))
        if a.checkin is not None and viewer in a.checkin.done:
            return Content.assemble(
                (f"{name} has finished. ", "bold"),
                f"The ratings stay private until {them} finishes too",
                " (at one keyboard: ctrl+t passes it to them)." if not self.view.me.bound else ".",
            )
        other_done = a.checkin is not None and (1 - viewer) in a.checkin.done
        private = (
            f"{them} has finished; both see the ratings once {name} finishes too. "
            if other_done
            else f"{name}'s ratings stay private until {them} has finished too. "
        )
        return Content.assemble(
            ("How is it going? ", "bold"),
            private,
            ("1", "bold $text-accent"),
            " working · ",
            ("2", "bold $text-accent"),
            " wobbly · ",
            ("3", "bold $text-accent"),
            " not working · ",
            ("n", "bold $text-accent"),
            " note · ",
            ("enter", "bold $text-accent"),
            " finish",
        )

    def _status(self, a: Alliance, viewer: int | None) -> None:
        parts = []
        if viewer in (0, 1):
            total = len(checkins.to_rate(a))
            left = len(checkins.left_to_rate(a, viewer))
            parts.append(f"{a.name(viewer)} has rated {total - left} of {total}")
        elif viewer is not None and viewer >= 0:
            parts.append(f"{a.name(viewer)} (coach) has the keyboard")
        said = checkins.status(a)
        if said is not None:
            parts.append(said)
        if self.showing is not None:
            me = self.view.me
            parts.append(f"This window is {me.name(a)}'s" if me.bound else f"{me.name(a)} is at the keyboard")
        status = self.query_one("#checkin-status", Static)
        status.update(Content.assemble(("▶ ", "bold $text-accent"), Content(visible(" · ".join(parts)))))

    def _result_rows(self, a: Alliance, checked: CheckedIn) -> list[Row]:
        by_line: dict[int, list[Given]] = {}
        for given in checked.ratings:
            by_line.setdefault(given.line, []).append(given)
        rows: list[Row] = []
        for rating, lines in checkins.in_order(checked):
            heading = GROUPS[rating]
            rows.append(Row(None, partial(Content.styled, heading, STYLES[rating])))
            for line_id in lines:
                line = a.lines.get(line_id)
                wording = "" if line is None else line.current.text
                gone = line is None or line.in_force is None
                if line is not None and line.in_force is not None:
                    wording = line.in_force.text

                def make(line_id: int = line_id, wording: str = wording, gone: bool = gone) -> Content:
                    return result_row(a, line_id, wording, by_line[line_id], gone)

                rows.append(Row(line_option_id(line_id), make))
        if not rows:
            rows.append(Row(None, partial(Content.styled, "No line was rated.", "italic $text-muted")))
        return rows

    # -- what applies ----------------------------------------------------------------------

    def selected(self) -> Line | None:
        line_id = line_id_of(self.query_one("#checkin-lines", CheckInList).selected_id())
        return None if line_id is None else self.alliance.lines.get(line_id)

    def refusal(self, action: str) -> str | None:
        """Why one of the check-in's commands does not apply now, or None if it does."""
        try:
            command = by_action(action, Where.CHECKIN)
        except KeyError:
            return None
        if self.view.locked:
            return f"Type {self.alliance.name(self.view.me.role)}'s passphrase first."
        if self.showing is not None:
            if action in RATING_ACTIONS:
                return REVEALED
            if action == "finish_check_in":
                return None  # after the reveal, enter sets the next review date
        if command.rule is None:
            return None
        return command.rule(Situation(self.alliance, self.view.me, self.selected()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.refusal(action) is None

    def action_explain(self, action: str) -> None:
        self.notify(self.refusal(action) or "This does not apply here.", severity="warning")

    def on_virtual_list_selected(self, event: VirtualList.Selected) -> None:
        """A click on the selected row: nothing more than selecting it (enter finishes)."""
        event.stop()

    # -- acting ----------------------------------------------------------------------------

    def _rate(self, rating: Rating) -> None:
        line = self.selected()
        if line is None:
            return
        actor = self.view.me.role
        refusal = self.view.attempt(lambda a, m: checkins.rate(a, actor, line.id, rating, m))
        if refusal is not None:
            self.notify(refusal, severity="warning")
            return
        self.show()
        listing = self.query_one("#checkin-lines", CheckInList)
        left = checkins.left_to_rate(self.alliance, actor)
        if left:
            # On to the next line still to rate, after this one if there is one.
            index = listing.highlighted or 0
            after = [n for n in range(index + 1, listing.row_count) if line_id_of(listing.row_key(n)) in left]
            listing.select_id(line_option_id(left[0]) if not after else listing.row_key(after[0]))
        else:
            self.notify("Every line is rated: enter finishes (a rating can still change until then).")

    def action_rate_working(self) -> None:
        self._rate(Rating.WORKING)

    def action_rate_wobbly(self) -> None:
        self._rate(Rating.WOBBLY)

    def action_rate_not_working(self) -> None:
        self._rate(Rating.NOT_WORKING)

    def action_rating_note(self) -> None:
        from ..dialogs.field import FieldDialog

        line = self.selected()
        if line is None or line.in_force is None:
            return
        actor = self.view.me.role
        rated = checkins.own_ratings(self.alliance, actor).get(line.id)

        def submit(note: str) -> str | None:
            refusal = self.view.attempt(lambda a, m: checkins.write_note(a, actor, line.id, note, m))
            if refusal is None:
                self.call_later(self.show)
            return refusal

        save, kept = self.view.saving_at_exit("the open note"), self.view.window.kept

        def keep(typed: str) -> None:
            # Left under the writer's hands: kept, as private as a note saved with enter.
            done = save(lambda a, m: checkins.write_note(a, actor, line.id, typed, m), typed)
            if done is not None:
                kept.append(
                    f"What {done.alliance.name(actor)} typed as their note on line {line.id} in "
                    f"“{done.alliance.title}” is kept, private until both have checked in."
                )

        self.app.push_screen(
            FieldDialog(
                Content.styled(f"{visible(self.alliance.name(actor))}'s note on line {line.id}", "bold"),
                Content.assemble(
                    ("Private until both have checked in. ", "$text-muted"), text(line.in_force.text)
                ),
                "Note",
                submit,
                value="" if rated is None or rated.note is None else rated.note,
                keep=keep,
            )
        )

    def action_finish_check_in(self) -> None:
        if self.showing is not None:
            self._end()
            return
        actor = self.view.me.role
        refusal = self.view.attempt(lambda a, m: checkins.finish(a, actor, m))
        if refusal is not None:
            self.notify(refusal, severity="warning")
            return
        a = self.alliance
        self.show()
        # What was said while rating (each "rated", the last turn's) would cover the list
        # at 80×24: the finish starts with its own words, keeping errors and a review due.
        self.view.window.forget_turn()
        if self.showing is not None:
            self.view.show()  # the agreement's trends have a new mark
            self.notify("Both have checked in: the ratings are revealed.")
            return
        them = a.name(1 - actor)
        if self.view.me.bound:
            self.notify(f"Finished. Your ratings stay private until {them} finishes too.")
        else:
            self.notify(f"Finished. Your ratings stay private: ctrl+t passes the keyboard to {them}.")

    def action_reopen_rated(self) -> None:
        line = self.selected()
        if line is not None:
            self.view.reopen_line(line)

    def action_close_check_in(self) -> None:
        self.dismiss()

    # -- the end: the next review date -----------------------------------------------------

    def _end(self) -> None:
        """The check-in ends by setting the next review date: the one set already if it is
        still ahead, else a default by kind, offered."""
        from ..dialogs.review_date import ReviewDateDialog

        self.poll()  # the date the other partner may have set a moment ago, in their window
        a = self.alliance
        actor = self.view.me.role
        today = self.view.today()
        # A date still ahead was set already (by the other partner, ending their part of
        # this check-in, say): it is offered, never silently replaced by the default.
        already = a.review_on if a.review_on is not None and a.review_on > today else None
        suggested = already or checkins.next_review(a.kind, today)
        if (refusal := self._may_set_review(actor)) is not None:
            self.notify(refusal, severity="warning")
            return
        saved: list[date | None] = []

        def submit(day: date | None) -> str | None:
            if day is not None and day == self.alliance.review_on:
                saved.append(day)  # set already (in another window, say): nothing to change
                return None
            refusal = self.view.attempt(lambda a, m: alliance_rules.set_review(a, actor, day, m))
            if refusal is None:
                saved.append(day)
            return refusal

        def closed(_: object = None) -> None:
            if not saved:
                return
            day = saved[0]
            self.notify(f"The next review is on {day.isoformat()}." if day else "No review date is set now.")
            self.dismiss()

        if already is not None:
            advice = f"The next review is set for {already.isoformat()} already: enter keeps it; "
        else:
            # Said of whom it suits: "A other alliance does well to…" read badly (play-tested).
            advice = f"{checkins.rhythm(a.kind)}: enter keeps this date; "
        self.app.push_screen(
            ReviewDateDialog(
                a.review_on,
                today,
                submit,
                suggested=suggested,
                context=Content.assemble(
                    ("When do you check in next? ", "bold"),
                    (f"{advice}change it, or leave it blank for none.", "$text-muted"),
                ),
            ),
            closed,
        )

    def _may_set_review(self, actor: int) -> str | None:
        if actor not in (0, 1):
            return "The partners set the next review date: the coach's seat does not."
        return None
