"""The main screen's actions on lines and on the agreement, as this window's person.

Each action takes its actor from the seat *when it begins*: an editor opened as Ann
saves as Ann, or is refused with a sentence, whatever happens to the seat meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.content import Content

from ..domain import Alliance, Line, Moment, Outcome, State, rules
from ..domain.text import visible
from ..domain.views import kept_draft, plural, signatures_undone, trials_due
from ..widgets.history_pane import HistoryPane
from ..widgets.render import short_date, text
from .negotiation_view import NegotiationView
from .window import CopyText

if TYPE_CHECKING:
    # Dialogs are imported where they open: the first frame does not need them (SPEC §9).
    from ..dialogs.line_editor import Draft
    from ..domain.prompts import Prompt


# A mixin of `NegotiationScreen`, not a screen of its own: as a Textual class it took
# 0.4 ms of start-up to make (SPEC §9). Type checkers see the view it is mixed into.
if TYPE_CHECKING:
    _View = NegotiationView
else:
    _View = object


class LineActions(_View):
    """Write, propose, answer, re-design and sign: the negotiation's own actions."""

    def _editor(
        self,
        heading: str,
        submit: Callable[[Draft], str | None],
        *,
        holding: str,
        own_draft: int | None = None,
        resumable: bool = False,
        **fields: Any,
    ) -> None:
        """The line editor; `holding` says what it holds ("an amendment of line 2") if the
        app closes on it (`_keeper`), `own_draft` the draft of the writer's it edits.

        `resumable`: words kept when the app last closed on this same editor (a draft of
        theirs, `views.kept_draft`) are where it starts, and that draft goes once this is
        saved: an amendment kept that way came back as an unrelated line (play-tested)."""
        from ..dialogs.line_editor import LineEditor

        actor = self.me.role
        kept = kept_draft(self.alliance, self.events, actor, holding) if resumable else None
        if kept is not None:
            wording = kept.current
            fields.update(
                text=wording.text, topic=wording.topic, trial_until=wording.trial_until, sign=wording.sign
            )
            note = Content.styled(
                f"Starting from your words kept when the app closed (your draft, line {kept.id}), "
                "which goes once this is saved.",
                "$text-warning",
            )
            context = fields.get("context")
            fields["context"] = note if context is None else Content.assemble(context, "\n", note)
            offer = submit

            def submit(d: Draft) -> str | None:
                refusal = offer(d)
                if refusal is None:  # offered here: the copy kept aside goes (it stays if refused)
                    self.attempt(lambda a, m: rules.delete(a, actor, kept.id, m))
                return refusal

        keep = self._keeper(actor, holding, own_draft)
        self.app.push_screen(
            LineEditor(Content.styled(heading, "bold"), submit, today=self.today(), keep=keep, **fields)
        )

    def _keeper(self, actor: int, holding: str, own_draft: int | None) -> Callable[[Draft], None]:
        """What an editor opened as `actor` does with words the app leaves under their
        hands: it makes them `actor`'s private draft (`saving_at_exit`), marked as kept
        (`rules.KEPT`: the timeline says so, and their seat says so as it opens next).
        It proposes nothing and answers nothing: an edit of their own draft saves the
        edit to it; anything else (an amendment, a re-design) becomes a new draft, theirs
        alone to propose, change or delete."""
        save, kept = self.saving_at_exit("the open line editor"), self.window.kept

        def keep(d: Draft) -> None:
            def keeping(a: Alliance, m: Moment) -> Outcome:
                line = None if own_draft is None else a.lines.get(own_draft)
                if line is not None and line.state is State.DRAFT and line.author == actor:
                    return rules.edit(
                        a,
                        actor,
                        line.id,
                        d.text,
                        m,
                        topic=d.topic,
                        trial_until=d.trial_until,
                        sign=d.sign,
                        kept=holding,
                    )
                # Not an edit, or no longer a draft of theirs (proposed from another window).
                return rules.draft(
                    a, actor, d.text, m, topic=d.topic, trial_until=d.trial_until, sign=d.sign, kept=holding
                )

            done = save(keeping, d.text)
            if done is None:
                return
            line = done.outcome.line
            number = f" (line {line.id})" if line is not None else ""
            kept.append(
                f"What {done.alliance.name(actor)} typed in the open line editor ({holding}) is kept "
                f"as their private draft{number} in “{done.alliance.title}”."
            )

        return keep

    def action_new_line(self) -> None:
        self.new_line()

    def new_line(self, prompt: Prompt | None = None) -> None:
        """The editor for a new draft; answering `prompt` when one was picked."""
        a, actor = self.alliance, self.me.role

        def submit(d: Draft) -> str | None:
            refusal = self.attempt(
                lambda a, m: rules.draft(
                    a, actor, d.text, m, topic=d.topic, trial_until=d.trial_until, sign=d.sign
                )
            )
            if refusal is None and self.last_done is not None and self.last_done.outcome.line:
                self.select_line(self.last_done.outcome.line.id)
            return refusal

        context = None
        if prompt is not None:
            context = Content.assemble(("Answering: ", "$text-muted"), (prompt.question, "italic"))
        self._editor(
            f"New line — {visible(a.name(actor))}'s private draft",
            submit,
            kind=a.kind,
            context=context,
            topic=None if prompt is None else prompt.topic,
            holding="a new line",
        )

    def action_prompts(self) -> None:
        """Starter prompts: pick a question, then answer it as a new draft."""

        def picked(prompt: Prompt | None) -> None:
            if prompt is not None:
                self.new_line(prompt)

        from ..dialogs.prompt_picker import PromptPicker

        self.app.push_screen(PromptPicker(self.alliance.kind), picked)

    def action_edit(self) -> None:
        line = self.selected()
        if line is None:
            return
        actor = self.me.role
        wording = line.current

        def submit(d: Draft) -> str | None:
            return self.attempt(
                lambda a, m: rules.edit(
                    a, actor, line.id, d.text, m, topic=d.topic, trial_until=d.trial_until, sign=d.sign
                )
            )

        verb = "Edit" if line.state.value == "draft" else "Revise"
        context = None
        if line.state is State.DECLINED:
            # What the other said stays in sight while the wording is revised (issue 11).
            # Declined by the other one than who wrote this wording: after a counter, that
            # may be the line's own author (its writer's counter was declined).
            declined_by = self.alliance.name(1 - wording.by)
            said = [(": ", "$text-muted"), text(line.reason)] if line.reason else [" without a reason."]
            context = Content.assemble((f"{visible(declined_by)} declined it", "bold $text-warning"), *said)
        drafting = line.state is State.DRAFT
        self._editor(
            f"{verb} line {line.id}",
            submit,
            text=wording.text,
            topic=wording.topic,
            trial_until=wording.trial_until,
            sign=wording.sign,
            context=context,
            holding=f"an edit of line {line.id}" if drafting else rules.holding("e", line.id),
            own_draft=line.id if drafting else None,
            resumable=not drafting,
        )

    def action_amend(self) -> None:
        line = self.selected()
        if line is None:
            return
        a, actor = self.alliance, self.me.role
        wording = line.current
        offered_by = line.offered_by
        assert offered_by is not None
        context = Content.assemble(
            (f"{visible(a.name(offered_by))} offers: ", "$text-muted"),
            ("remove this line" if line.removal_by is not None else "", "bold $text-warning"),
            text("" if line.removal_by is not None else wording.text),
        )

        def submit(d: Draft) -> str | None:
            return self._answered(
                actor,
                self.attempt(
                    lambda a, m: rules.counter(
                        a, actor, line.id, d.text, m, topic=d.topic, trial_until=d.trial_until, sign=d.sign
                    )
                ),
            )

        self._editor(
            f"Amend line {line.id} — {visible(a.name(actor))}'s wording",
            submit,
            text=wording.text,
            topic=wording.topic,
            trial_until=wording.trial_until,
            sign=wording.sign,
            context=context,
            holding=rules.holding("m", line.id),
            resumable=True,
        )

    def action_reopen(self) -> None:
        line = self.selected()
        if line is not None:
            self.reopen_line(line)

    def reopen_line(self, line: Line) -> None:
        """The editor that re-designs an agreed line (`r`, here or in a check-in)."""
        if line.in_force is None:
            return
        actor = self.me.role
        agreed = line.in_force
        trial_due = any(due.id == line.id for due in trials_due(self.alliance, self.today()))

        def submit(d: Draft) -> str | None:
            new_text = None if d.remove else d.text
            return self.attempt(
                lambda a, m: rules.reopen(
                    a, actor, line.id, m, text=new_text, topic=d.topic, trial_until=d.trial_until, sign=d.sign
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
            sign=agreed.sign,
            context=Content.assemble(("Agreed now: ", "$text-muted"), text(agreed.text)),
            removable=True,
            holding=rules.holding("r", line.id),
            resumable=True,
        )

    def action_propose(self) -> None:
        if line := self.selected():
            a, actor = self.alliance, self.me.role
            other_name = a.name(1 - actor)
            self.act(lambda a, m: rules.propose(a, actor, line.id, m), f"Proposed to {other_name}.")

    def action_accept(self) -> None:
        if line := self.selected():
            actor = self.me.role
            removal = line.removal_by is not None
            signed = set(self.alliance.signatures)
            done = (
                f"Line {line.id} is removed from the agreement."
                if removal
                else f"Agreed: line {line.id} is in the agreement."
            )
            refusal = self.attempt(lambda a, m: rules.accept(a, actor, line.id, m))
            if refusal is not None:
                self.notify(refusal, severity="warning")
                return
            undone = signatures_undone(self.alliance, signed)
            self.notify(done if undone is None else f"{done} {undone}")
            self.on_to_what_waits(actor)

    def _answered(self, actor: int, refusal: str | None) -> str | None:
        """What a dialog that answers a line gives back: `refusal`; once done, on to what
        waits next (`on_to_what_waits`)."""
        if refusal is None:
            self.call_later(self.on_to_what_waits, actor)  # once the dialog has closed
        return refusal

    def on_to_what_waits(self, actor: int) -> None:
        """After an answer, the selection moves to the next line that waits for `actor`, if
        one does: it stayed on the line just answered, where `a` again was refused."""
        waiting = next((line for line in self.alliance.lines.values() if line.waiting_for == actor), None)
        if waiting is not None:
            self.select_line(waiting.id)

    def action_withdraw(self) -> None:
        if line := self.selected():
            actor = self.me.role
            self.act(lambda a, m: rules.withdraw(a, actor, line.id, m), "Withdrawn.")

    def action_decline(self) -> None:
        from ..dialogs.reason import ReasonDialog

        line = self.selected()
        if line is None:
            return
        actor = self.me.role
        what = "removing this line" if line.removal_by is not None else line.current.text
        self.app.push_screen(
            ReasonDialog(
                Content.styled(f"Decline line {line.id}", "bold"),
                Content.assemble(("Declining: ", "$text-muted"), text(what)),
                lambda reason: self._answered(
                    actor, self.attempt(lambda a, m: rules.decline(a, actor, line.id, m, reason=reason))
                ),
                keep=self.window.unsaved(f"Line {line.id} was not declined in “{self.alliance.title}”"),
            )
        )

    def action_delete_draft(self) -> None:
        from ..dialogs.confirm import ConfirmDialog

        line = self.selected()
        if line is None:
            return
        actor = self.me.role

        def answer(yes: bool | None) -> None:
            if yes:
                self.act(lambda a, m: rules.delete(a, actor, line.id, m), "Draft deleted.")

        self.app.push_screen(
            ConfirmDialog(Content.styled(f"Delete draft line {line.id}?", "bold"), text(line.current.text)),
            answer,
        )

    def action_sign(self) -> None:
        """Show what is being signed, and sign it once confirmed (issue 11: no preview)."""
        from ..dialogs.confirm import ConfirmDialog

        actor = self.me.role
        a = self.alliance
        agreed = rules.agreement(a)
        shown = [f"{item.number}. {visible(item.text)}" for item in agreed[:8]]
        if not agreed:
            # Every line was taken out since the last version: signing says so, in words.
            shown = [
                f"No lines: every line of version {a.version} was taken out. Signing ends the agreement."
            ]
        if len(agreed) > 8:
            shown.append(f"… and {plural(len(agreed) - 8, 'line')} more (v or c to read them all)")
        other = visible(a.name(1 - actor))
        if a.signatures:
            after = f"{other} has signed: yours makes it version {a.version + 1}."
        else:
            after = f"Once {other} signs too, it becomes version {a.version + 1}."

        def answer(yes: bool | None) -> None:
            if yes:
                self._sign(actor)

        self.app.push_screen(
            ConfirmDialog(
                Content.styled(f"Sign this agreement as {visible(a.name(actor))}?", "bold"),
                Content.assemble("\n".join(shown), "\n\n", (after, "$text-muted")),
            ),
            answer,
        )

    def _sign(self, actor: int) -> None:
        before = self.alliance.version
        refusal = self.attempt(lambda a, m: rules.sign(a, actor, m))
        a = self.alliance
        if refusal is not None:
            self.notify(refusal, severity="warning")
        elif a.version != before:
            self.notify(f"Both signed: this is version {a.version}.", title="Signed")
        else:
            self.notify(f"Signed. It waits for {a.name(1 - actor)} to sign too.")

    def action_copy_agreement(self) -> None:
        from ..domain.export import to_markdown

        self.post_message(CopyText(to_markdown(self.alliance), "the agreement"))

    def action_copy_line(self) -> None:
        if line := self.selected():
            self.post_message(CopyText(line.current.text, f"line {line.id}"))

    def action_story(self) -> None:
        from .line_story import LineStoryScreen

        if line := self.selected():
            events = self.window.store.line_history(self.alliance_id, line.id)
            self.app.push_screen(LineStoryScreen(self.alliance, line, events, self.me.role))

    def action_filter_history(self) -> None:
        history = self.query_one("#history", HistoryPane)
        line = None if history.line_filter is not None else self.selected()
        history.filter_to(None if line is None else line.id)
        history.show(self.alliance, self.me.role, self.events)

    def action_check_in(self) -> None:
        """`h`: rate every agreed line privately; both finished, the ratings show (SPEC §12)."""
        from .checkin import CheckInScreen

        self.app.push_screen(CheckInScreen(self))

    def action_last_check_in(self) -> None:
        """The ratings of the last check-in both partners finished (anyone, the coach too)."""
        from .checkin import CheckInScreen

        if self.alliance.checkins:
            self.app.push_screen(CheckInScreen(self, showing=len(self.alliance.checkins) - 1))

    def action_withdraw_check_in(self) -> None:
        from ..dialogs.confirm import ConfirmDialog
        from ..domain import checkins

        actor = self.me.role

        def answer(yes: bool | None) -> None:
            if yes:
                self.act(
                    lambda a, m: checkins.withdraw_checkin(a, actor, m),
                    "The check-in is withdrawn: its ratings were discarded, never shown.",
                )

        self.app.push_screen(
            ConfirmDialog(
                Content.styled("Withdraw the open check-in?", "bold"),
                Content("Every rating in it, both partners', is discarded without being shown."),
            ),
            answer,
        )

    def action_versions(self) -> None:
        from .versions import VersionsScreen

        self.app.push_screen(VersionsScreen(self.alliance_id, self.window.store))
