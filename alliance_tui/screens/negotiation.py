"""The main screen: a pane for each partner, the agreement, the history, whose turn it is.

Every action goes through `attempt`, which asks the store to apply a rule and save it,
then updates the panes. The rules decide what is allowed; this screen only shows their
answer, and the footer shows only the keys that apply to the selected line.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer

from ..domain import Alliance, Event, Line, Moment, Outcome, Refused, State, rules
from ..domain.text import visible
from ..domain.views import Tally, review_due, tally, trials_due
from ..keys import KEYMAP, LINE, MAIN
from ..store import DatabaseError, Done, NotFound
from ..widgets.agreement_pane import AgreementPane
from ..widgets.history_pane import EARLIER, HistoryPane
from ..widgets.key_bar import KeyBar
from ..widgets.line_list import line_id_of, line_option_id
from ..widgets.partner_pane import PartnerPane
from ..widgets.render import short_date, text
from ..widgets.title_bar import TitleBar
from ..widgets.turn_line import TurnLine
from ..widgets.virtual_list import VirtualList

if TYPE_CHECKING:
    # Dialogs are imported where they open: the first frame does not need them (SPEC §9).
    from ..app import AllianceApp
    from ..dialogs.line_editor import Draft
    from ..domain.prompts import Prompt

Operation = Callable[[Alliance, Moment], Outcome]

#: The rules each line action asks before it is offered in the footer.
LINE_RULES: dict[str, Callable[..., Outcome]] = {
    "edit": rules.edit,
    "propose": rules.propose,
    "accept": rules.accept,
    "amend": rules.counter,
    "decline": rules.decline,
    "withdraw": rules.withdraw,
    "delete_draft": rules.delete,
    "reopen": rules.reopen,
}


def edit_rule(line: Line) -> Callable[..., Outcome]:
    """`e` edits a draft, and revises a declined or withdrawn wording."""
    return rules.revise if line.state in (State.DECLINED, State.WITHDRAWN) else rules.edit


#: How many of the latest events the timeline reads when it opens.
HISTORY_TAIL = 300

#: Seconds a wrong passphrase waits before it is refused.
PASSPHRASE_PAUSE = 1.0

#: Seconds the selection rests before the footer shows the keys for the new line.
FOOTER_SETTLE = 0.12

#: Actions that need a selected line but no rule's permission.
NEEDS_LINE = ("copy_line", "story", "filter_history")


def _bindings() -> list[Binding]:
    """Each key of the main screen, then a hidden twin that explains a refusal.

    When `check_action` says an action does not apply, Textual hides its binding and
    falls through to the twin, which says why in a notification.
    """
    bindings = []
    for key in KEYMAP:
        if key.where not in (MAIN, LINE) or not key.action or not key.keys:
            continue
        show = key.action not in ("copy_line", "versions", "story", "filter_history") and not (
            key.action.startswith("focus_pane")
        )
        bindings.append(Binding(key.keys, key.action, key.label, show=show, tooltip=key.help, id=key.action))
        if key.action in LINE_RULES or key.action in NEEDS_LINE or key.action == "sign":
            bindings.append(Binding(key.keys, f"explain('{key.action}')", show=False))
    return bindings


class NegotiationScreen(Screen[None]):
    """Two partners at one keyboard, negotiating one alliance."""

    BINDINGS = _bindings()

    #: `on_mount` focuses the pane of the partner at the keyboard; focusing another one
    #: first would restyle both panes twice before the first frame (SPEC §9).
    AUTO_FOCUS = ""

    def __init__(self, alliance_id: str) -> None:
        super().__init__()
        self.alliance_id = alliance_id
        self.events: list[Event] = []
        self._current: Alliance | None = None
        self._applicable: frozenset[str] | None = None
        self._shown_day: date | None = None
        self._footer_timer: Timer | None = None
        #: How many older events are left in the store, unread.
        self.events_from = 0
        self.last_done: Done | None = None
        #: The store's read count when this screen last read the history.
        self.generation = -1

    @property
    def alliance_app(self) -> AllianceApp:
        return self.app  # type: ignore[return-value]

    @property
    def alliance(self) -> Alliance:
        """The alliance as last shown (the store is asked again at each `show`)."""
        if self._current is None:
            self._current = self.alliance_app.store.load(self.alliance_id)
        return self._current

    def today(self) -> date:
        return self.alliance_app.today()

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
        self.reload()
        self.query_one("#partner-a" if self.alliance.active == 0 else "#partner-b").focus()
        self.call_after_refresh(self._read_everything)
        a = self.alliance
        if review_due(a, self.today()):
            due = len(trials_due(a, self.today()))
            if due:
                what = f"{due} trial{'s' if due != 1 else ''} ended"
                todo = "select it in the agreement (3), then r keeps, changes or removes it"
                if due > 1:
                    todo = "select each in the agreement (3), then r keeps, changes or removes it"
            else:
                what, todo = "the review date has passed", "time to re-design together"
            self.notify(f"Review due: {what}; {todo}.", title="Review due", markup=False)

    def _read_everything(self) -> None:
        """Once the first frame is up, parse the rest of the file (SPEC §9).

        Opening reads only the end of a long history; reading the rest now checks the
        whole file at once, and spares the first action the wait. A damaged file is
        refused here with the error screen, as one found at opening is.
        """
        try:
            self.alliance_app.store.read_everything()
        except DatabaseError as error:
            from .error import ErrorScreen

            # As if the file had been refused at opening (SPEC §6): nothing was written,
            # and no main screen stays behind for keys to act on.
            self.app.switch_screen(ErrorScreen(str(error)))
            return
        self.poll()  # whatever changed meanwhile (another window, or the count of events)

    # -- showing ---------------------------------------------------------------------------

    def reload(self, *, everything: bool = False) -> None:
        """Read the history afresh (on open, or when another process wrote) and show all.

        Only the latest events are read unless asked: the rest wait in the store.
        """
        store = self.alliance_app.store
        self.generation = store.look()
        if everything:
            self.events, self.events_from = store.history(self.alliance_id), 0
        else:
            keep = max(HISTORY_TAIL, len(self.events))
            self.events, self.events_from = store.history_tail(self.alliance_id, keep)
        self.show()

    def show(self, outcome: Outcome | None = None) -> None:
        """Show the alliance; after an action, redraw only what its `outcome` touched."""
        a = self._current = self.alliance_app.store.load(self.alliance_id)
        today = self._shown_day = self.today()
        counts = tally(a, today)
        self.title = visible(a.title)
        self.sub_title = self._standing(a, counts)
        full = outcome is None or bool(outcome.deleted)
        changed = [] if outcome is None else outcome.lines
        for pane_id in ("#partner-a", "#partner-b"):
            pane = self.query_one(pane_id, PartnerPane)
            if full or not pane.show_changed(a, today, changed, counts):
                pane.show(a, today, counts)
        agreement_pane = self.query_one("#agreement", AgreementPane)
        if full or not agreement_pane.show_changed(a, today, changed):
            agreement_pane.show(a, today)
        self.query_one("#history", HistoryPane).show(a, self.events, earlier=self.events_from)
        self.query_one("#turn", TurnLine).show(a, counts)
        self._refresh_footer()

    def _refresh_footer(self, *, settle: bool = False) -> None:
        """Ask the footer to redraw when the keys that apply have changed.

        Redrawing it rebuilds a widget per key (tens of milliseconds), so while the
        selection moves (`settle`) it waits until the selection rests for a moment; the
        keys themselves always act on the line selected when pressed.
        """
        applicable = frozenset(
            action for action in (*LINE_RULES, *NEEDS_LINE, "sign") if self.refusal(action) is None
        )
        if applicable == self._applicable:
            return
        self._applicable = applicable
        if self._footer_timer is not None:
            self._footer_timer.stop()
            self._footer_timer = None
        if settle:
            self._footer_timer = self.set_timer(FOOTER_SETTLE, self.refresh_bindings)
        else:
            self.refresh_bindings()

    def _standing(self, a: Alliance, counts: Tally) -> str:
        if a.version == 0:
            standing = "not signed yet"
        elif a.changed_since_version:
            standing = f"changed since v{a.version}"
        else:
            standing = f"version {a.version}"
        if a.signatures:
            signed = " & ".join(visible(a.name(p)) for p in sorted(a.signatures))
            standing += f" · signed by {signed}"
        if review_due(a, self.today(), counts):
            standing += " · review due"
        elif a.review_on is not None:
            standing += f" · review on {short_date(a.review_on)}"
        return f"{a.kind.value} · {standing}"

    def on_virtual_list_highlighted(self, _: VirtualList.Highlighted) -> None:
        self._refresh_footer(settle=True)

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_virtual_list_selected(self, event: VirtualList.Selected) -> None:
        """`enter` edits one's own draft (SPEC §4), and shows any other line's story."""
        if event.key == EARLIER:
            self.reload(everything=True)
        elif event.virtual_list.id in ("partner-a", "partner-b", "agreement"):
            self.run_action("edit" if self.check_action("edit", ()) else "story")

    # -- acting ----------------------------------------------------------------------------

    def attempt(self, operation: Operation) -> str | None:
        """Apply one action, saved before it shows; the refusal in words, or None if done."""
        app = self.alliance_app
        try:
            done = app.store.act(self.alliance_id, operation, session=app.session_of(self.alliance_id))
        except Refused as refusal:
            return refusal.reason
        except (DatabaseError, NotFound) as error:
            return f"Not saved: {error}"
        app.sessions[self.alliance_id] = done.session
        self.last_done = done
        if app.store.look() != self.generation:
            self.reload()  # another process wrote before us: read its events as well
        else:
            self.events.extend(done.outcome.events)
            self.show(done.outcome)
        return None

    def act(self, operation: Operation, done: str | None = None) -> None:
        refusal = self.attempt(operation)
        if refusal is not None:
            self.notify(refusal, severity="warning", markup=False)
        elif done:
            self.notify(done, markup=False)

    def select_line(self, line_id: int) -> None:
        """Focus the pane of the line's author and highlight the line."""
        line = self.alliance.lines.get(line_id)
        if line is None:
            return
        pane = self.query_one("#partner-a" if line.author == 0 else "#partner-b", PartnerPane)
        pane.select_id(line_option_id(line_id))
        pane.focus()

    def selected(self) -> Line | None:
        pane = self.focused
        if not isinstance(pane, (PartnerPane, AgreementPane)):
            return None
        line_id = line_id_of(pane.selected_id())
        return None if line_id is None else self.alliance.lines.get(line_id)

    def refusal(self, action: str) -> str | None:
        """Why an action does not apply to the selected line, or None if it does."""
        if action == "sign":
            try:
                rules.may_sign(self.alliance)
            except Refused as refusal:
                return refusal.reason
            return None
        history = self.query_one("#history", HistoryPane)
        if action == "filter_history" and history.line_filter is not None:
            return None
        line = self.selected()
        if line is None:
            return "Select a line first: 1 and 2 are the partners' panes, 3 the agreement."
        if action in NEEDS_LINE:
            return None
        rule = edit_rule(line) if action == "edit" else LINE_RULES[action]
        return rules.check(rule, self.alliance, line.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in LINE_RULES or action in NEEDS_LINE or action == "sign":
            return self.refusal(action) is None
        return True

    def action_explain(self, action: str) -> None:
        reason = self.refusal(action) or "This does not apply here."
        self.notify(reason, severity="warning", markup=False)

    def action_focus_pane(self, pane: str) -> None:
        self.query_one(f"#{pane}").focus()

    def _editor(self, heading: str, submit: Callable[[Draft], str | None], **fields: Any) -> None:
        from ..dialogs.line_editor import LineEditor

        self.app.push_screen(
            LineEditor(Content.styled(heading, "bold"), submit, today=self.today(), **fields)
        )

    def action_new_line(self) -> None:
        self.new_line()

    def new_line(self, prompt: Prompt | None = None) -> None:
        """The editor for a new draft; answering `prompt` when one was picked."""
        a = self.alliance

        def submit(d: Draft) -> str | None:
            refusal = self.attempt(
                lambda a, m: rules.draft(a, d.text, m, topic=d.topic, trial_until=d.trial_until)
            )
            if refusal is None and self.last_done is not None and self.last_done.outcome.line:
                self.select_line(self.last_done.outcome.line.id)
            return refusal

        context = None
        if prompt is not None:
            context = Content.assemble(("Answering: ", "$text-muted"), (prompt.question, "italic"))
        self._editor(
            f"New line — {visible(a.name(a.active))}'s private draft",
            submit,
            kind=a.kind,
            context=context,
            topic=None if prompt is None else prompt.topic,
        )

    def action_prompts(self) -> None:
        """Starter prompts: pick a question, then answer it as a new draft."""

        def picked(prompt: Prompt | None) -> None:
            if prompt is not None:
                self.new_line(prompt)

        from ..dialogs.prompt_picker import PromptPicker

        self.app.push_screen(PromptPicker(self.alliance.kind), picked)

    def action_review_date(self) -> None:
        """When both sit down again to re-design the alliance (blank: no date)."""
        a = self.alliance
        today = self.today()

        def submit(day: date | None) -> str | None:
            try:
                self.alliance_app.store.update(self.alliance_id, review_on=day)
            except (DatabaseError, NotFound) as error:
                return f"Not saved: {error}"
            self.show()
            self.notify(
                f"The next review is on {day.isoformat()}." if day else "No review date is set now.",
                markup=False,
            )
            return None

        from ..dialogs.review_date import ReviewDateDialog

        self.app.push_screen(ReviewDateDialog(a.review_on, today, submit))

    def action_edit(self) -> None:
        line = self.selected()
        if line is None:
            return
        rule = edit_rule(line)
        wording = line.current

        def submit(d: Draft) -> str | None:
            return self.attempt(
                lambda a, m: rule(a, line.id, d.text, m, topic=d.topic, trial_until=d.trial_until)
            )

        verb = "Revise" if rule is rules.revise else "Edit"
        self._editor(
            f"{verb} line {line.id}",
            submit,
            text=wording.text,
            topic=wording.topic,
            trial_until=wording.trial_until,
        )

    def action_amend(self) -> None:
        line = self.selected()
        if line is None:
            return
        a = self.alliance
        wording = line.current
        offered_by = line.offered_by
        assert offered_by is not None
        context = Content.assemble(
            (f"{visible(a.name(offered_by))} offers: ", "$text-muted"),
            ("remove this line" if line.removal_by is not None else "", "bold $text-warning"),
            text("" if line.removal_by is not None else wording.text),
        )

        def submit(d: Draft) -> str | None:
            return self.attempt(
                lambda a, m: rules.counter(a, line.id, d.text, m, topic=d.topic, trial_until=d.trial_until)
            )

        self._editor(
            f"Amend line {line.id} — {visible(a.name(a.active))}'s wording",
            submit,
            text=wording.text,
            topic=wording.topic,
            trial_until=wording.trial_until,
            context=context,
        )

    def action_reopen(self) -> None:
        line = self.selected()
        if line is None or line.in_force is None:
            return
        agreed = line.in_force
        trial_due = any(due.id == line.id for due in trials_due(self.alliance, self.today()))

        def submit(d: Draft) -> str | None:
            new_text = None if d.remove else d.text
            return self.attempt(
                lambda a, m: rules.reopen(
                    a, line.id, m, text=new_text, topic=d.topic, trial_until=d.trial_until
                )
            )

        if trial_due:
            # The trial has run out: keeping the line is a proposal without the trial date.
            assert agreed.trial_until is not None
            heading = (
                f"The trial of line {line.id} ended on {short_date(agreed.trial_until)}: keep it "
                "(enter saves it without the trial date), change it, or tick removal"
            )
        else:
            heading = f"Reopen line {line.id}: propose a new wording, or its removal"
        self._editor(
            heading,
            submit,
            text=agreed.text,
            topic=agreed.topic,
            trial_until=None if trial_due else agreed.trial_until,
            context=Content.assemble(("Agreed now: ", "$text-muted"), text(agreed.text)),
            removable=True,
        )

    def action_propose(self) -> None:
        if line := self.selected():
            a = self.alliance
            other_name = a.name(1 - a.active)
            self.act(lambda a, m: rules.propose(a, line.id, m), f"Proposed to {visible(other_name)}.")

    def action_accept(self) -> None:
        if line := self.selected():
            removal = line.removal_by is not None
            self.act(
                lambda a, m: rules.accept(a, line.id, m),
                "Removed from the agreement." if removal else "Agreed: the line is in the agreement.",
            )

    def action_withdraw(self) -> None:
        if line := self.selected():
            self.act(lambda a, m: rules.withdraw(a, line.id, m), "Withdrawn.")

    def action_decline(self) -> None:
        from ..dialogs.reason import ReasonDialog

        line = self.selected()
        if line is None:
            return
        what = "removing this line" if line.removal_by is not None else line.current.text
        self.app.push_screen(
            ReasonDialog(
                Content.styled(f"Decline line {line.id}", "bold"),
                Content.assemble(("Declining: ", "$text-muted"), text(what)),
                lambda reason: self.attempt(lambda a, m: rules.decline(a, line.id, m, reason=reason)),
            )
        )

    def action_delete_draft(self) -> None:
        from ..dialogs.confirm import ConfirmDialog

        line = self.selected()
        if line is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.act(lambda a, m: rules.delete(a, line.id, m), "Draft deleted.")

        self.app.push_screen(
            ConfirmDialog(Content.styled("Delete this draft?", "bold"), text(line.current.text)), answer
        )

    def action_sign(self) -> None:
        before = self.alliance.version
        refusal = self.attempt(rules.sign)
        a = self.alliance
        if refusal is not None:
            self.notify(refusal, severity="warning", markup=False)
        elif a.version != before:
            self.notify(f"Both signed: this is version {a.version}.", title="Signed", markup=False)
        else:
            waiting = a.name(1 - a.active)
            self.notify(f"Signed. It waits for {visible(waiting)} to sign too.", markup=False)

    def action_pass_keyboard(self) -> None:
        a = self.alliance
        taker = a.partners[1 - a.active]
        if taker.passphrase is None:
            self._take_keyboard(None)
            return
        from ..dialogs.field import FieldDialog

        self.app.push_screen(
            FieldDialog(
                Content.styled(f"{visible(taker.name)} takes the keyboard", "bold"),
                Content.styled(f"{visible(taker.name)} set a passphrase for their turn.", "$text-muted"),
                "Passphrase",
                self._take_keyboard,
                password=True,
                pause_after_refusal=PASSPHRASE_PAUSE,
            )
        )

    def _take_keyboard(self, passphrase: str | None) -> str | None:
        refusal = self.attempt(lambda a, m: rules.pass_keyboard(a, m, passphrase=passphrase))
        if refusal is not None:
            if passphrase is None:
                self.notify(refusal, severity="warning", markup=False)
            return refusal
        a = self.alliance
        self.query_one("#partner-a" if a.active == 0 else "#partner-b").focus()
        self.notify(f"{visible(a.name(a.active))} has the keyboard.", markup=False)
        return None

    def action_passphrase(self) -> None:
        """Set, change or remove the active partner's passphrase (asks for the current one)."""
        from ..dialogs.field import FieldDialog

        me = self.alliance.partners[self.alliance.active]
        name = visible(me.name)

        def ask_new(current: str | None) -> None:
            def submit(new: str) -> str | None:
                refusal = self.attempt(lambda a, m: rules.set_passphrase(a, new or None, current=current))
                if refusal is None:
                    done = f"{name}'s passphrase is set." if new else f"{name} has no passphrase now."
                    self.notify(done, markup=False)
                return refusal

            self.app.push_screen(
                FieldDialog(
                    Content.styled(f"{name}'s passphrase", "bold"),
                    Content.styled(
                        "The keyboard comes back to you only after you type it. "
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
            from ..domain.passphrase import opens

            assert me.passphrase is not None
            if not opens(me.passphrase, current):
                return f"That is not {me.name}'s current passphrase."
            self.call_after_refresh(ask_new, current)
            return None

        self.app.push_screen(
            FieldDialog(
                Content.styled(f"Change {name}'s passphrase", "bold"),
                None,
                "Current",
                check_current,
                password=True,
                pause_after_refusal=PASSPHRASE_PAUSE,
            )
        )

    def action_copy_agreement(self) -> None:
        from ..domain.export import to_markdown

        self.alliance_app.copy(to_markdown(self.alliance), "the agreement")

    def action_copy_line(self) -> None:
        if line := self.selected():
            self.alliance_app.copy(line.current.text, f"line {line.id}")

    def action_story(self) -> None:
        from .line_story import LineStoryScreen

        if line := self.selected():
            events = self.alliance_app.store.line_history(self.alliance_id, line.id)
            self.app.push_screen(LineStoryScreen(self.alliance, line, events))

    def action_filter_history(self) -> None:
        history = self.query_one("#history", HistoryPane)
        line = None if history.line_filter is not None else self.selected()
        history.filter_to(None if line is None else line.id)
        history.show(self.alliance, self.events)

    def action_versions(self) -> None:
        from .versions import VersionsScreen

        self.app.push_screen(VersionsScreen(self.alliance_id))

    def poll(self) -> None:
        """Show what another process wrote (called every second by the app), and notice
        a new day, on which trials and reviews may fall due."""
        try:
            if self.alliance_app.store.look() != self.generation or self.today() != self._shown_day:
                self.reload()
        except NotFound:
            # Deleted in another terminal: nothing left to show here, so back to the list.
            self.notify("This alliance was deleted in another window.", severity="warning", markup=False)
            self.alliance_app.call_later(self.alliance_app.alliance_gone)
        except DatabaseError as error:
            self.notify(str(error), severity="error", markup=False)
