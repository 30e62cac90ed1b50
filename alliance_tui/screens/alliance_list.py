"""`ctrl+o`: the alliances in this database, to open, rename, archive or delete.

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
from ..domain import Alliance, other
from ..domain.text import visible
from ..domain.views import plural, review_due, waiting_for
from ..store import DatabaseError, NotFound
from ..widgets.line_list import LineList

if TYPE_CHECKING:
    from ..app import AllianceApp


def pending(a: Alliance) -> str:
    """What waits for whom: answers to proposals, then a signature."""
    counts = [(n, visible(a.name(p))) for p in (0, 1) if (n := len(waiting_for(a, p)))]
    # "2 proposals for Sarah, 1 for Peter"
    parts = [f"{plural(n, 'proposal') if i == 0 else n} for {name}" for i, (n, name) in enumerate(counts)]
    if len(a.signatures) == 1:
        (signed,) = a.signatures
        parts.append(f"{visible(a.name(other(signed)))} still to sign")
    return ", ".join(parts) or "nothing pending"


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
    parts += [
        "\n   ",
        visible(f"{a.names[0]} & {a.names[1]}"),
        (f" · {version} · {pending(a)}", "$text-muted"),
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
            bindings.append(Binding(key.keys, key.action, key.label, tooltip=key.help, id=key.action))
    return bindings


class AllianceListScreen(Dialog[None]):
    """Every alliance: `enter` opens, `r` renames, `a` archives, `h` shows archived, `delete`."""

    BINDINGS = _bindings()

    def __init__(
        self,
        alliances: list[Alliance],
        today: date,
        open_: Callable[[str], object],
        *,
        select: str | None = None,
        show_archived: bool = False,
    ) -> None:
        super().__init__()
        self.alliances = alliances
        self.today = today
        self.open = open_
        self.select = select
        self.show_archived = show_archived

    @property
    def alliance_app(self) -> AllianceApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="alliances"):
            yield Label(Content.styled("Alliances", "bold"), id="heading")
            yield LineList(id="alliance-list")
            yield Static(id="keys")

    def on_mount(self) -> None:
        self.fill(self.alliances, self.select or self.alliance_app.shown_alliance())
        self.query_one("#alliance-list", LineList).focus()

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
        leave = "close" if self.alliance_app.shown_alliance() else "quit"
        self.query_one("#keys", Static).update(
            Content.styled(
                f"enter open · r rename · a archive · h archived · delete · ctrl+n new · escape {leave}",
                "$text-muted",
            )
        )

    def _archived_hidden(self) -> int:
        if self.show_archived:
            return 0
        return sum(1 for a in self.alliance_app.store.alliances(archived=True) if a.archived)

    def refresh_list(self, keep: str | None = None) -> None:
        """Read the alliances again and show them, keeping the selection where it was."""
        listing = self._listing()
        if listing is None:
            return
        index = listing.highlighted
        try:
            alliances = self.alliance_app.store.alliances(archived=self.show_archived)
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
            return self.alliance_app.store.load(alliance_id)
        except (DatabaseError, NotFound) as error:
            self.notify(str(error), severity="error", markup=False)
            self.refresh_list()
            return None

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

        def rename(title: str) -> str | None:
            if not title.strip():
                return "A title cannot be empty."
            try:
                self.alliance_app.store.update(a.id, title=title)
            except ValueError as error:
                return str(error)
            except (DatabaseError, NotFound) as error:
                return f"Not saved: {error}"
            self.alliance_app.alliance_changed(a.id)
            self.refresh_list(a.id)
            self.notify(f"Renamed to “{visible(title.strip())}”.", markup=False)
            return None

        self.app.push_screen(
            FieldDialog(
                Content.styled("Rename alliance", "bold"),
                Content.assemble(("Now: ", "$text-muted"), visible(a.title)),
                "Title",
                rename,
                value=a.title,
                placeholder="a new title",
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

    def action_archive_alliance(self) -> None:
        a = self.selected()
        if a is None:
            return
        app = self.alliance_app
        archive = not a.archived
        try:
            app.store.update(a.id, archived=archive)
        except (DatabaseError, NotFound) as error:
            self.notify(f"Not saved: {error}", severity="error", markup=False)
            return
        title = visible(a.title)
        if archive:
            hint = "" if self.show_archived else " h shows archived alliances."
            self.notify(f"Archived “{title}”.{hint}", markup=False)
        else:
            self.notify(f"“{title}” is back among the open alliances.", markup=False)
        keep = a.id if self.show_archived or not archive else self.neighbour(a.id)
        if archive and app.shown_alliance() == a.id:
            self.answered = True  # this list is replaced by a new one: it takes no more keys
            app.close_alliance(self, select=keep)  # put away: its main screen closes too
        else:
            self.refresh_list(keep)

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.refresh_list()

    def action_delete_alliance(self) -> None:
        a = self.selected()
        if a is None:
            return
        app = self.alliance_app
        versions = len(app.store.versions(a.id))
        shown = app.shown_alliance() == a.id

        def delete() -> bool:
            try:
                app.store.delete_alliance(a.id)
            except (DatabaseError, NotFound) as error:
                app.notify(f"Not deleted: {error}", severity="error", markup=False)
                return False
            app.notify(f"Deleted “{visible(a.title)}”.", markup=False)
            return True

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            if shown:
                # Its main screen closes first, while it can still read the alliance.
                self.answered = True  # replaced by a new list
                app.close_alliance(self, select=self.neighbour(a.id), then=delete)
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
        if self.alliance_app.shown_alliance() is None:
            self.app.exit()
        else:
            self.dismiss()
