"""`ctrl+o`: the alliances in this database, to open, rename, coach, archive or delete.

The list is virtual (a `LineList`), so hundreds of alliances cost only the rows on
screen. After a change it is rebuilt in place from the store, keeping the selection.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ..commands import Where, by_action, in_group
from ..dialogs.base import Dialog
from ..dialogs.confirm import ConfirmDialog
from ..dialogs.field import FieldDialog
from ..domain import Alliance, Outcome, Refused, alliance_rules, rules
from ..domain.rules import Moment
from ..domain.seats import role_named
from ..domain.text import visible
from ..domain.views import pending, plural, review_due
from ..store import DatabaseError, NotFound
from ..widgets.line_list import LineList
from .window import AllianceChanged, CloseAlliance

if TYPE_CHECKING:
    from .window import Window


def alliance_prompt(a: Alliance, today: date) -> Content:
    """Two rows: title, kind and review marks; partners, version and what waits for whom."""
    version = f"v{a.version}" if a.version else "unsigned"
    if a.version and a.changed_since_version:
        version += " (changed)"
    parts: list[str | Content | tuple[str, str]] = [
        (visible(a.title), "bold"),
        (f"  {a.kind.value}", "$text-muted"),
    ]
    if review_due(a, today) and not a.archived:
        parts.append(("  review due", "bold $text-warning"))
    elif a.review_on is not None:
        parts.append((f"  review on {a.review_on.isoformat()}", "$text-muted"))
    if a.archived:
        parts.append(("  archived", "italic $text-muted"))
    parts += ["\n   ", visible(f"{a.names[0]} & {a.names[1]}")]
    if a.coach is not None:
        parts.append((f" · coach {visible(a.coach)}", "$text-muted"))
    parts += [
        (f" · {version} · {visible(pending(a))}", "$text-muted"),
    ]
    return Content.assemble(*parts)


def _bindings() -> list[Binding | tuple[str, str] | tuple[str, str, str]]:
    # A modal screen hides the app's own bindings: ctrl+n and help are bound here too.
    new, help_ = by_action("new_alliance"), by_action("help")
    bindings: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
        Binding("escape", "cancel", "Close"),
        Binding(new.keys, "app.new_alliance", new.label, tooltip=new.help),
        Binding(help_.keys, "app.help", help_.label, tooltip=help_.help),
    ]
    for key in in_group(Where.ALLIANCES):
        if key.keys:
            bindings.append(
                Binding(
                    key.keys, key.action, key.label, tooltip=key.help, id=key.action, priority=key.priority
                )
            )
    return bindings


class AllianceListScreen(Dialog[None]):
    """Every alliance: `enter` opens, `r` renames, `a` archives (or accepts a proposed
    change that waits for you), `x` declines it, `c` names the coach, `h` shows archived,
    `delete`.

    Acts as this window's person in each alliance: a bound window as its name, a shared
    one as whoever last held its shared seat. Renaming and deleting need the other
    partner's consent once anything is agreed (SPEC §2).
    """

    BINDINGS = _bindings()

    def __init__(
        self,
        alliances: list[Alliance],
        today: date,
        open_: Callable[[str], object],
        window: Window,
        shown: Callable[[], str | None],
        *,
        select: str | None = None,
        show_archived: bool = False,
    ) -> None:
        """`shown` says which alliance the main screen shows now (None: none)."""
        super().__init__()
        self.alliances = alliances
        self.today = today
        self.open = open_
        self.window = window
        self.shown = shown
        self.select = select
        self.show_archived = show_archived

    def actor(self, a: Alliance) -> int:
        """Whom this window acts as in `a`."""
        if self.window.bound_to is not None:
            return role_named(a, self.window.bound_to)
        return a.active

    def _act(self, a: Alliance, operation: Callable[[Alliance, Moment], Outcome]) -> str | None:
        """Apply a rule to `a` as this window's person; the refusal, or None when saved."""
        try:
            self.window.store.act(a.id, operation, session=self.window.sessions.get(a.id))
        except Refused as refusal:
            return refusal.reason
        except (DatabaseError, NotFound) as error:
            return f"Not saved: {error}"
        # The main screen reads what this wrote: its history is its own, and a save made
        # in this process is not a change the file's look reveals (a `coach_set` went
        # missing from the timeline, and the coach's old notes took the new name).
        self.post_message(AllianceChanged(a.id))
        return None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="alliances"):
            yield Label(Content.styled("Alliances", "bold"), id="heading")
            yield LineList(id="alliance-list")
            yield Static(id="keys")

    def on_mount(self) -> None:
        self.fill(self.alliances, self.select or self.shown())
        self.query_one("#alliance-list", LineList).focus()
        # Another window may add, rename or answer meanwhile: the list shows it (issue 11).
        self._seen = self.window.store.look()
        if self.window.poll_seconds:
            self.set_interval(max(self.window.poll_seconds, 0.25), self._look)

    def _look(self) -> None:
        try:
            generation = self.window.store.look()
        except DatabaseError:
            return
        if generation != self._seen:
            self._seen = generation
            self.refresh_list()

    def _listing(self) -> LineList | None:
        """The list, or None while this screen is still being composed or already removed.

        A key read in the same burst as the one that replaced this screen (archiving the open
        alliance rebuilds the list) can reach it in either state (issue 15 item 7).
        """
        try:
            return self.query_one("#alliance-list", LineList)
        except NoMatches:
            return None

    # -- showing ---------------------------------------------------------------------------

    def fill(self, alliances: list[Alliance], keep: str | None, index: int | None = None) -> None:
        """Show `alliances`, highlighting `keep`, else the row now at `index`, else the first."""
        self.alliances = alliances
        listing = self._listing()
        if listing is None:
            return
        options = [Option(alliance_prompt(a, self.today), id=a.id) for a in alliances]
        hidden = self._archived_hidden()
        if not options:
            hint = "No alliances here. ctrl+n starts a new one"
            hint += f"; h shows the {hidden} archived." if hidden else "."
            options.append(Option(Content.styled(hint, "italic $text-muted"), disabled=True))
        listing.set_options(options)
        listing.select_id(keep)
        if listing.highlighted is None or listing.selected_id() != keep:
            if index is None or not alliances:
                listing.highlighted = 0 if alliances else None
            else:
                listing.highlighted = min(index, len(alliances) - 1)
        heading = Content.assemble(
            ("Alliances", "bold"),
            (f"  {len(alliances)}", "$text-muted"),
            (f" · {hidden} archived hidden (h)" if hidden else "", "$text-muted"),
            (" · archived shown (h hides)" if self.show_archived else "", "$text-muted"),
        )
        self.query_one("#heading", Label).update(heading)
        leave = "escape close" if self.shown() else "ctrl+q quit"
        if any(self._waits_for_me(a) for a in alliances):
            # `a` accepts on an alliance whose change waits for you, archives elsewhere.
            archive = "a accept (or archive) · x decline a proposed change"
        else:
            archive = "a archive"
        keys = f"enter open · {archive} · r rename · c coach · h archived · delete · ctrl+n new · {leave}"
        self.query_one("#keys", Static).update(Content.styled(keys, "$text-muted"))

    def _archived_hidden(self) -> int:
        if self.show_archived:
            return 0
        return sum(1 for a in self.window.mine(self.window.store.alliances(archived=True)) if a.archived)

    def refresh_list(self, keep: str | None = None) -> None:
        """Read the alliances again and show them, keeping the selection where it was."""
        listing = self._listing()
        if listing is None:
            return
        index = listing.highlighted
        try:
            alliances = self.window.mine(self.window.store.alliances(archived=self.show_archived))
        except DatabaseError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.fill(alliances, keep or listing.selected_id(), index)

    def selected(self) -> Alliance | None:
        """The highlighted alliance, or None (with a word why) when there is none.

        None, silently, once the list has answered (it opened or put away an alliance) or
        while it is not on top, composing or removed: a key then was not meant for it.
        """
        listing = self._listing()
        if listing is None or not self.can_answer:
            return None
        alliance_id = listing.selected_id()
        if alliance_id is None:
            self.notify("No alliance is selected: ctrl+n starts one.", severity="warning", markup=False)
            return None
        try:
            a = self.window.store.load(alliance_id)
        except (DatabaseError, NotFound) as error:
            self.notify(str(error), severity="error", markup=False)
            self.refresh_list()
            return None
        if not self.window.mine([a]):  # the partners removed or replaced its coach meanwhile
            self.notify(f"{self.window.bound_to} no longer sits at “{a.title}”.", severity="warning")
            self.refresh_list()
            return None
        return a

    # -- acting ----------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.open_alliance(event.option_id)

    def action_open_selected(self) -> None:
        if a := self.selected():
            self.open_alliance(a.id)

    def open_alliance(self, alliance_id: str) -> None:
        if not self.can_answer:  # a second enter in the same burst
            return
        self.dismiss()
        self.open(alliance_id)

    def action_rename_alliance(self) -> None:
        a = self.selected()
        if a is None:
            return

        actor = self.actor(a)

        def rename(title: str) -> str | None:
            refusal = self._act(a, lambda a, m: alliance_rules.rename(a, actor, title, m))
            if refusal is not None:
                return refusal
            self.refresh_list(a.id)
            proposed = alliance_rules.proposal_said(self.window.store.load(a.id))
            self.notify(proposed or f"Renamed to “{title.strip()}”.")
            return None

        self.app.push_screen(
            FieldDialog(
                Content.styled("Rename alliance", "bold"),
                Content.assemble(("Now: ", "$text-muted"), visible(a.title)),
                "Title",
                rename,
                value=a.title,
                placeholder="a new title",
                keep=self.window.unsaved(f"“{a.title}” was not renamed"),
            )
        )

    def action_coach_alliance(self) -> None:
        """`c`: name the highlighted alliance's coach, another one, or none (left empty)."""
        a = self.selected()
        if a is None:
            return
        actor = self.actor(a)
        if (refusal := rules.refusal(alliance_rules.may_change, a, actor)) is not None:
            self.notify(refusal, severity="warning")
            return

        def submit(typed: str) -> str | None:
            name = typed if typed.strip() else None
            before = a.coach  # `a` is the store's own object: acting changes it
            refusal = self._act(a, lambda a, m: alliance_rules.set_coach(a, actor, name, m))
            if refusal is not None:
                return refusal
            self.refresh_list(a.id)
            now = self.window.store.load(a.id)
            proposed = alliance_rules.proposal_said(now)
            if proposed:
                self.notify(proposed, markup=False)
            elif now.coach is None:
                self.notify(f"{before} is no longer the coach of “{a.title}”.", markup=False)
            else:
                self.notify(f"{now.coach} is the coach of “{a.title}” now.", markup=False)
            return None

        coach = visible(a.coach) if a.coach else ("no coach", "italic")
        now = Content.assemble(("Now: ", "$text-muted"), coach)
        consent = (
            f"Something is agreed, so {visible(a.name(1 - actor))} has to accept this."
            if alliance_rules.needs_consent(a)
            else "Nothing is agreed yet: this takes effect at once."
        )
        self.app.push_screen(
            FieldDialog(
                Content.styled(f"The coach of “{visible(a.title)}”", "bold"),
                Content.assemble(now, (f". Leave it empty for no coach. {consent}", "$text-muted")),
                "Coach",
                submit,
                value=a.coach or "",
                placeholder="the coach's name (empty: no coach)",
                keep=self.window.unsaved(f"The coach of “{a.title}” was not changed"),
            )
        )

    def neighbour(self, alliance_id: str) -> str | None:
        """The alliance to highlight once `alliance_id` leaves the list: the next, else the one before."""
        ids = [a.id for a in self.alliances]
        if alliance_id not in ids:
            return None
        index = ids.index(alliance_id)
        rest = ids[index + 1 :] + ids[:index][::-1]
        return rest[0] if rest else None

    def _waits_for_me(self, a: Alliance) -> bool:
        """A change to `a` waits for this window's partner (never for the coach)."""
        actor = self.actor(a)
        return a.change is not None and actor in (0, 1) and a.change.by != actor

    def action_archive_alliance(self) -> None:
        """`a`: accept the change to the alliance that waits for you; else (un)archive it."""
        a = self.selected()
        if a is None:
            return
        if self._waits_for_me(a):
            self._answer_change(a, accept=True)
            return
        archive = not a.archived
        actor = self.actor(a)
        refusal = self._act(a, lambda a, m: alliance_rules.archive(a, actor, archive, m))
        if refusal is not None:
            self.notify(refusal, severity="warning")
            return
        title = visible(a.title)
        if archive:
            hint = "" if self.show_archived else " h shows archived alliances."
            self.notify(f"Archived “{title}”.{hint}", markup=False)
        else:
            self.notify(f"“{title}” is back among the open alliances.", markup=False)
        keep = a.id if self.show_archived or not archive else self.neighbour(a.id)
        if archive and self.shown() == a.id:
            self.answered = True  # this list is replaced by a new one: it takes no more keys
            self.post_message(CloseAlliance(keep, self.show_archived, None))  # its main screen closes
        else:
            self.refresh_list(keep)

    def action_decline_change(self) -> None:
        """`x`: decline the change to the alliance that waits for you."""
        a = self.selected()
        if a is None:
            return
        if not self._waits_for_me(a):
            refusal = rules.refusal(alliance_rules.may_answer_change, a, self.actor(a))
            self.notify(refusal or "Nothing waits for you here.", severity="warning")
            return
        self._answer_change(a, accept=False)

    def _answer_change(self, a: Alliance, *, accept: bool) -> None:
        change = a.change
        assert change is not None
        actor = self.actor(a)
        rule = alliance_rules.accept_change if accept else alliance_rules.decline_change
        if accept and change.what == "delete" and self.shown() == a.id:
            self.answered = True

            def delete() -> None:
                if (refusal := self._act(a, lambda a, m: rule(a, actor, m))) is not None:
                    self.app.notify(refusal, severity="warning")
                else:
                    self.app.notify(f"Deleted “{a.title}”: both agreed.")

            self.post_message(CloseAlliance(self.neighbour(a.id), self.show_archived, delete))
            return
        refusal = self._act(a, lambda a, m: rule(a, actor, m))
        if refusal is not None:
            self.notify(refusal, severity="warning")
            return
        if not accept:
            self.notify("Declined: the alliance stays as it is.")
        elif change.what == "delete":
            self.notify(f"Deleted “{a.title}”: both agreed.")
        else:
            self.notify("Done: both agreed to the change.")
        self.refresh_list(self.neighbour(a.id) if accept and change.what == "delete" else a.id)

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.refresh_list()

    def action_delete_alliance(self) -> None:
        a = self.selected()
        if a is None:
            return
        actor = self.actor(a)
        if alliance_rules.needs_consent(a):
            # Something is agreed: deleting it is a proposal the other partner answers.
            refusal = self._act(a, lambda a, m: alliance_rules.delete_alliance(a, actor, m))
            if refusal is not None:
                self.notify(refusal, severity="warning")
                return
            if (proposed := alliance_rules.proposal_said(self.window.store.load(a.id))) is not None:
                self.notify(proposed)
            self.refresh_list(a.id)
            return
        app = self.app
        versions = len(self.window.store.versions(a.id))
        shown = self.shown() == a.id

        def delete() -> bool:
            refusal = self._act(a, lambda a, m: alliance_rules.delete_alliance(a, actor, m))
            if refusal is not None:
                app.notify(f"Not deleted: {refusal}", severity="error")
                return False
            app.notify(f"Deleted “{a.title}”.")
            return True

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            if shown:
                # Its main screen closes first, while it can still read the alliance.
                self.answered = True  # replaced by a new list
                self.post_message(CloseAlliance(self.neighbour(a.id), self.show_archived, delete))
            elif delete():
                self.refresh_list(self.neighbour(a.id))

        detail = (
            f"Its {plural(len(a.lines), 'line')}, its whole history and its "
            f"{plural(versions, 'signed version')} are deleted. This cannot be undone."
        )
        if shown:
            detail += " It is the alliance open now: it closes."
        self.app.push_screen(
            ConfirmDialog(
                Content.assemble(("Delete “", "bold"), (visible(a.title), "bold"), ("” for good?", "bold")),
                Content.styled(detail, "$text-muted"),
            ),
            answer,
        )

    def action_cancel(self) -> None:
        if not self.can_answer:
            return
        if self.shown() is None:
            # Nothing is behind the list at start-up: escape must not quit by surprise.
            self.notify("Open one with enter, start one with ctrl+n, or leave with ctrl+q.")
        else:
            self.dismiss()
