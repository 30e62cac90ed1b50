"""Versions: every signed version of the agreement; read one, or compare two line by line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ..dialogs.base import everywhere_keys
from ..domain import AgreedLine, Alliance, Version
from ..domain.compare import Change, compare
from ..domain.export import to_text
from ..domain.fingerprint import fingerprint
from ..domain.rules import agreement
from ..domain.text import visible, visible_block
from ..domain.views import plural
from ..widgets.line_list import LineList
from ..widgets.render import local_time, text

if TYPE_CHECKING:
    from ..store import Store

NOW = "now"

Parts = list[str | Content | tuple[str, str]]


#: How each kind of difference is marked, before the line's number.
_MARKS = {
    Change.SAME: ("=", "$text-muted"),
    Change.ADDED: ("+", "bold $text-success"),
    Change.REMOVED: ("−", "bold $text-error"),
    Change.CHANGED: ("~", "bold $text-warning"),
}


def comparison(base_name: str, base: Sequence[AgreedLine], name: str, lines: Sequence[AgreedLine]) -> Content:
    """`base` against `lines`: added, removed and changed lines, highlighted."""
    differences = compare(base, lines)
    counts = {change: sum(1 for d in differences if d.change is change) for change in Change}
    parts: Parts = [
        (f"{base_name} → {name}: ", "bold"),
        (
            f"{counts[Change.ADDED]} added, {counts[Change.REMOVED]} removed, "
            f"{counts[Change.CHANGED]} changed, {counts[Change.SAME]} the same",
            "$text-muted",
        ),
        "\n\n",
    ]
    # Each line under its own number, as everywhere (SPEC §2): "3." is line 3 in both.
    width = max((len(str(line.number)) for line in (*base, *lines)), default=1) + 2
    for d in differences:
        line = d.after or d.before
        assert line is not None
        mark, style = _MARKS[d.change]
        parts += [(f"  {mark} ", style), (f"{line.number}.".ljust(width), style)]
        if d.change is Change.SAME:
            assert d.after is not None
            parts += [(visible(d.after.text), "$text-muted"), "\n"]
        elif d.change is Change.ADDED:
            assert d.after is not None
            parts += [text(d.after.text).stylize("$text-success"), "\n"]
        elif d.change is Change.REMOVED:
            assert d.before is not None
            parts += [(visible(d.before.text), "strike $text-error"), "\n"]
        else:
            assert d.before is not None and d.after is not None
            parts += [
                (visible(d.before.text), "strike $text-muted"),
                "\n",
                (" " * (4 + width), ""),
                text(d.after.text).stylize("bold $text-warning"),
            ]
            if d.before.trial_until != d.after.trial_until:
                was = d.before.trial_until.isoformat() if d.before.trial_until else "none"
                now = d.after.trial_until.isoformat() if d.after.trial_until else "none"
                parts.append((f"  (trial: {was} → {now})", "$text-muted"))
            if d.before.sign != d.after.sign:
                parts += [
                    ("\n" + " " * (4 + width) + "we'll know it works: ", "$text-muted"),
                    text(d.after.sign or "(no sign now)"),
                ]
            parts.append("\n")
    return Content.assemble(*parts)


class VersionsScreen(ModalScreen[None]):
    """Pick a version on the left and read it; `c` marks it as the base to compare with."""

    BINDINGS = [
        Binding("c", "compare", "Compare", tooltip="Compare the other versions with this one"),
        Binding("escape,v", "dismiss", "Close"),
        *everywhere_keys("Close this first (escape)", help_keys="f1,question_mark"),
    ]

    def __init__(self, alliance_id: str, store: Store) -> None:
        super().__init__()
        self.alliance_id = alliance_id
        self.store = store
        self.base: str | None = None

    @property
    def alliance(self) -> Alliance:
        return self.store.load(self.alliance_id)

    def compose(self) -> ComposeResult:
        self.versions: dict[str, Version] = {str(v.number): v for v in self.store.versions(self.alliance_id)}
        a = self.alliance
        options = []
        if a.version == 0 or a.changed_since_version:
            options.append(Option(self._prompt(NOW), id=NOW))
        options += [Option(self._prompt(key), id=key) for key in reversed(self.versions)]
        with Vertical(id="dialog", classes="versions"):
            yield Label(Content.styled("Versions of the agreement", "bold"), id="heading")
            with Horizontal():
                yield LineList(*options, id="version-list")
                with VerticalScroll(id="version-text"):
                    yield Static(id="version-body")
            yield Static(id="keys")

    def on_mount(self) -> None:
        listing = self.query_one("#version-list", LineList)
        if listing.option_count:
            listing.highlighted = 0
        listing.focus()
        self._hint()

    def _prompt(self, key: str, *, marked: bool = False) -> Content:
        if key == NOW:
            prompt = Content.styled("now · not signed yet", "italic")
        else:
            v = self.versions[key]
            prompt = Content(
                f"v{v.number} · {local_time(v.at)} · {plural(len(v.lines), 'line')}\n   {fingerprint(v)}"
            )
        if marked:
            # The hint names the base in words; the row only gets a mark, so it fits its column.
            return Content.assemble(("◆ ", "bold $text-warning"), prompt.stylize("$text-warning"))
        return prompt

    def _label_of(self, key: str) -> str:
        return "now" if key == NOW else f"v{key}"

    def _lines(self, key: str) -> tuple[AgreedLine, ...]:
        return tuple(agreement(self.alliance)) if key == NOW else self.versions[key].lines

    def _hint(self) -> None:
        if self.base is None:
            hint = "up/down choose · c compare with another version · escape close"
        else:
            hint = f"comparing with {self._label_of(self.base)} · c on it again stops · escape close"
        self.query_one("#keys", Static).update(Content.styled(hint, "$text-muted"))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id is not None:
            self.show(event.option_id)

    @staticmethod
    def _age(key: str) -> float:
        """How late a version came: "now" (not signed yet) comes after every signed one."""
        return float("inf") if key == NOW else float(key)

    def show(self, key: str) -> None:
        body = self.query_one("#version-body", Static)
        if self.base is not None and self.base != key:
            # Always told from the older to the newer, whichever was picked first (issue 11).
            older, newer = sorted((self.base, key), key=self._age)
            body.update(
                comparison(
                    self._label_of(older), self._lines(older), self._label_of(newer), self._lines(newer)
                )
            )
            return
        version = None if key == NOW else self.versions[key]
        body.update(Content(visible_block(to_text(self.alliance, version).rstrip("\n"))))

    def action_compare(self) -> None:
        key = self.query_one("#version-list", LineList).selected_id()
        if key is None:
            self.notify("No version yet: press s on the main screen to sign.", markup=False)
            return
        listing = self.query_one("#version-list", LineList)
        if listing.option_count < 2:
            # Nothing to compare with: the hint would have said "comparing with v1".
            self.notify("There is only one version: nothing to compare yet.", markup=False)
            return
        for option_key in filter(None, (self.base, key)):
            listing.replace_option_prompt(option_key, self._prompt(option_key, marked=False))
        self.base = None if self.base == key else key
        if self.base is not None:
            listing.replace_option_prompt(self.base, self._prompt(self.base, marked=True))
        self._hint()
        self.show(key)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss()
