"""The main screen's actions on the alliance itself, as this window's person.

Before anything is agreed either partner renames, re-kinds or deletes it, or adds,
changes or removes its coach, alone; after, each is a proposal the other accepts or
declines (SPEC §2, "Consent for the whole alliance"). A forgotten passphrase is reset in
the open. Every one is an event.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual.content import Content

from ..domain import Kind, alliance_rules, rounds
from ..domain.text import visible
from .negotiation_view import NegotiationView
from .window import AllianceGone

#: Said when a blind round opens, however it was asked.
ASKED = "Asked: each partner answers privately with b; the answers show together."


# A mixin of `NegotiationScreen`, not a screen of its own: as a Textual class it took
# 0.4 ms of start-up to make (SPEC §9). Type checkers see the view it is mixed into.
if TYPE_CHECKING:
    _View = NegotiationView
else:
    _View = object


class AllianceActions(_View):
    """Rename, re-kind, name the coach, delete (by consent), answer a proposed change,
    reset a passphrase."""

    def _said_or_proposed(self, refusal: str | None, done: str) -> str | None:
        if refusal is None:
            self.notify(alliance_rules.proposal_said(self.alliance) or done)
        return refusal

    def action_rename(self) -> None:
        from ..dialogs.field import FieldDialog

        actor = self.me.role

        def submit(title: str) -> str | None:
            refusal = self.attempt(lambda a, m: alliance_rules.rename(a, actor, title, m))
            return self._said_or_proposed(refusal, f"Renamed to {title.strip()!r}.")

        self.app.push_screen(
            FieldDialog(
                Content.styled("Rename this alliance", "bold"),
                Content.styled(self._consent_note(), "$text-muted"),
                "Title",
                submit,
                value=self.alliance.title,
                keep=self.window.unsaved(f"“{self.alliance.title}” was not renamed"),
            )
        )

    def action_rekind(self) -> None:
        from ..dialogs.field import FieldDialog

        actor = self.me.role
        kinds = ", ".join(kind.value for kind in Kind)

        def submit(value: str) -> str | None:
            try:
                kind = Kind(value.strip().casefold())
            except ValueError:
                return f"Choose one of: {kinds}."
            refusal = self.attempt(lambda a, m: alliance_rules.rekind(a, actor, kind, m))
            return self._said_or_proposed(refusal, f"This is now a {kind.value} alliance.")

        self.app.push_screen(
            FieldDialog(
                Content.styled("Change the relationship's kind", "bold"),
                Content.styled(f"One of: {kinds}. {self._consent_note()}", "$text-muted"),
                "Kind",
                submit,
                value=self.alliance.kind.value,
                keep=self.window.unsaved(f"The kind of “{self.alliance.title}” was not changed"),
            )
        )

    def action_set_coach(self) -> None:
        """Name a coach, or another one (issue 13): by consent once anything is agreed."""
        from ..dialogs.field import FieldDialog

        actor = self.me.role
        now = self.alliance.coach

        def submit(name: str) -> str | None:
            refusal = self.attempt(lambda a, m: alliance_rules.set_coach(a, actor, name, m))
            coach = self.alliance.coach
            return self._said_or_proposed(refusal, f"{coach} is the coach now, in a seat of their own.")

        context = "Who sits with you, in a seat of their own: they see what both of you see and never decide."
        if now is not None:
            context = f"Now: {visible(now)}. {context}"
        self.app.push_screen(
            FieldDialog(
                Content.styled("The coach", "bold"),
                Content.styled(f"{context} {self._consent_note()}", "$text-muted"),
                "Coach",
                submit,
                placeholder="the coach's name",
                keep=self.window.unsaved(f"The coach of “{self.alliance.title}” was not changed"),
            )
        )

    def action_remove_coach(self) -> None:
        """The coach's seat goes (issue 13): by consent once anything is agreed."""
        actor = self.me.role
        coach = self.alliance.coach
        refusal = self.attempt(lambda a, m: alliance_rules.set_coach(a, actor, None, m))
        if refusal is not None:
            self.notify(refusal, severity="warning")
            return
        self._said_or_proposed(None, f"{coach} is no longer the coach here.")

    def action_propose_deletion(self) -> None:
        """Once anything is agreed, deleting the alliance is a proposal to the other."""
        actor = self.me.role
        if not alliance_rules.needs_consent(self.alliance):
            self.notify("Nothing is agreed yet: delete it from the alliance list (ctrl+o, delete).")
            return
        self.act(lambda a, m: alliance_rules.delete_alliance(a, actor, m))
        if (proposed := alliance_rules.proposal_said(self.alliance)) is not None:
            self.notify(proposed)

    def action_accept_change(self) -> None:
        actor = self.me.role
        change = self.alliance.change
        refusal = self.attempt(lambda a, m: alliance_rules.accept_change(a, actor, m))
        if refusal is not None:
            self.notify(refusal, severity="warning")
        elif change is not None and change.what == "delete":
            self.post_message(AllianceGone())
        else:
            self.notify("Done: both agreed to the change.")

    def action_decline_change(self) -> None:
        actor = self.me.role
        self.act(
            lambda a, m: alliance_rules.decline_change(a, actor, m), "Declined: the alliance stays as it is."
        )

    def action_reset_passphrase(self) -> None:
        """Reset the other partner's forgotten passphrase, in the open (asks first)."""
        from ..dialogs.confirm import ConfirmDialog

        actor = self.me.role
        them = visible(self.alliance.name(1 - actor))

        def answer(yes: bool | None) -> None:
            if yes:
                self.act(
                    lambda a, m: alliance_rules.reset_passphrase(a, actor, m),
                    f"{them}'s passphrase is reset. The history and the header say so until "
                    "they set a new one.",
                )

        self.app.push_screen(
            ConfirmDialog(
                Content.styled(f"Reset {them}'s passphrase?", "bold"),
                Content(
                    f"For when {them} has forgotten it. Their seat is then unguarded until they set a "
                    "new one, and everyone sees that you reset it."
                ),
            ),
            answer,
        )

    def action_blind_round(self) -> None:
        """`b`: ask a question when none is open; else write or edit one's own answer."""
        from ..dialogs.field import FieldDialog

        a, actor = self.alliance, self.me.role
        if a.round is None:

            def ask(question: str) -> str | None:
                refusal = self.attempt(lambda a, m: rounds.ask(a, actor, question, m))
                if refusal is None:
                    self.notify(ASKED)
                return refusal

            self.app.push_screen(
                FieldDialog(
                    Content.styled("A blind round", "bold"),
                    Content.styled(
                        "Ask a question both partners answer privately, in your own words (a coach's "
                        "starter questions: ctrl+p, Ask a starter question). Nobody sees an answer "
                        "before both are ready.",
                        "$text-muted",
                    ),
                    "Question",
                    ask,
                    keep=self.window.unsaved(f"No blind round was asked in “{a.title}”"),
                    keys="enter ask · escape cancel",
                    enter_does="enter asks it",
                )
            )
            return
        round_ = a.round
        name = visible(a.name(actor))

        def answer(text: str) -> str | None:
            refusal = self.attempt(lambda a, m: rounds.answer(a, actor, text, m))
            if refusal is not None:
                return refusal
            if self.alliance.round is None:
                self.notify("Both answered: the answers are revealed, and each is now its author's draft.")
                self.call_after_refresh(self.action_round_answers)  # once the dialog is closed
            else:
                other = self.alliance.name(1 - actor)
                self.notify(f"Ready. It waits for {other}'s answer; b again edits yours until then.")
            return None

        save, kept = self.saving_at_exit("the open answer"), self.window.kept

        def keep(typed: str) -> None:
            # Left under the writer's hands: kept as written, not ready (`rounds.keep_answer`).
            done = save(lambda a, m: rounds.keep_answer(a, actor, typed, m), typed)
            if done is not None:
                kept.append(
                    f"What {done.alliance.name(actor)} typed as their answer in “{done.alliance.title}” is "
                    "kept, private and not ready: b opens it again."
                )

        self.app.push_screen(
            FieldDialog(
                Content.styled(f"{name}'s answer, private until both are ready", "bold"),
                Content.assemble(
                    (f"{visible(a.name(round_.asked_by))} asked: ", "$text-muted"), visible(round_.question)
                ),
                "Answer",
                answer,
                value=round_.answers.get(actor, ""),
                keep=keep,
                keys="enter ready · escape cancel",
                enter_does="enter saves it as ready",
            )
        )

    def action_ask_from_prompts(self) -> None:
        """Pick one of the coach's questions and open a blind round with it."""
        from ..dialogs.prompt_picker import PromptPicker
        from ..domain.prompts import Prompt, round_prompts_for

        actor = self.me.role

        def picked(prompt: Prompt | None) -> None:
            if prompt is not None:
                self.act(
                    lambda a, m: rounds.ask(a, actor, prompt.question, m),
                    ASKED,
                )

        kind = self.alliance.kind
        self.app.push_screen(PromptPicker(kind, round_prompts_for(kind), for_round=True), picked)

    def action_round_answers(self) -> None:
        """The last revealed round's two answers, side by side (anyone may read them)."""
        from .round_answers import RoundAnswersScreen

        revealed = self.alliance.revealed
        if revealed is not None:
            self.app.push_screen(RoundAnswersScreen(self.alliance, revealed))

    def action_withdraw_round(self) -> None:
        actor = self.me.role
        self.act(lambda a, m: rounds.withdraw_round(a, actor, m), "The question is withdrawn.")

    def action_note(self) -> None:
        """The coach's note: typed, `enter` puts it in the timeline (SPEC §11)."""
        from ..dialogs.field import FieldDialog

        actor = self.me.role

        def submit(text: str) -> str | None:
            refusal = self.attempt(lambda a, m: alliance_rules.note(a, actor, text, m))
            if refusal is None:
                self.notify("Noted in the timeline.")
            return refusal

        self.app.push_screen(
            FieldDialog(
                Content.styled("Coach's note", "bold"),
                Content.styled("What you notice, for both partners to read in the timeline.", "$text-muted"),
                "Note",
                submit,
                keep=self.window.unsaved(f"The coach's note was not added to “{self.alliance.title}”"),
                keys="enter add it to the timeline · escape cancel",
                enter_does="enter adds it to the timeline",
            )
        )

    def action_flag(self) -> None:
        """Mark the selected line "needs more conversation", or unmark it."""
        line = self.selected()
        if line is None:
            return
        actor = self.me.role
        marked = not line.flagged
        self.act(
            lambda a, m: alliance_rules.flag(a, actor, line.id, m),
            f"Line {line.id} needs more conversation." if marked else f"Line {line.id}: mark taken away.",
        )

    def action_review_date(self) -> None:
        """When both sit down again to re-design the alliance (blank: no date)."""
        a = self.alliance
        actor = self.me.role

        def submit(day: date | None) -> str | None:
            refusal = self.attempt(lambda a, m: alliance_rules.set_review(a, actor, day, m))
            if refusal is None:
                self.notify(
                    f"The next review is on {day.isoformat()}." if day else "No review date is set now."
                )
            return refusal

        from ..dialogs.review_date import ReviewDateDialog

        self.app.push_screen(ReviewDateDialog(a.review_on, self.today(), submit))

    def _consent_note(self) -> str:
        if alliance_rules.needs_consent(self.alliance):
            return (
                f"Something is agreed, so {visible(self.alliance.name(1 - self.me.role))} has to accept this."
            )
        return "Nothing is agreed yet: this takes effect at once."
