"""The keys that apply where the focus is, on one line, drawn by one widget.

Textual's `Footer` rebuilds a widget per key each time the bindings change: on every
focus change and on every new selection, tens of milliseconds each time, and about a
third of the first frame (benchmarks/bench.py). This bar only redraws a line of text:
each key in the footer's own colours, the command palette's on the right. A click on a
key presses it, as in the Footer.
"""

from __future__ import annotations

from textual import events
from textual.binding import ActiveBinding, Binding
from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget

from ..commands import BY_ACTION, Where

#: Actions whose keys the bar keeps when it must leave some out.
ESSENTIAL = frozenset({"help", "pass_keyboard"})


def _on_the_line(action: str) -> int:
    """0 for a command of the selected line, 1 for any other (a stable sort keeps order)."""
    command = BY_ACTION.get(action)
    return 0 if command is not None and command.where is Where.LINE else 1


class KeyBar(Widget):
    """A one-line footer: the shown bindings of the focused widget, screen and app."""

    ALLOW_SELECT = False

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled"}

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-bar--disabled {
            text-style: dim;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: The keys as drawn: (first column, last column + 1, key), for clicks.
        self._spans: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _: Screen[object]) -> None:
        self.refresh()

    def shown_keys(self, active: dict[str, ActiveBinding] | None = None) -> list[tuple[Binding, bool]]:
        """The bindings shown, one per action, in order, with whether each is enabled
        (out of `active`, the screen's active bindings, when the caller has them)."""
        seen: set[str] = set()
        shown = []
        for each in (self.screen.active_bindings if active is None else active).values():
            binding = each.binding
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                shown.append((binding, each.enabled))
        return shown

    def render(self) -> Content:
        app = self.app
        if self.screen is not app.screen:
            # Under a dialog or the list of alliances: its keys do nothing there, and the
            # dialog shows its own (issue 11).
            self._spans = []
            return Content("")
        palette_key = app.COMMAND_PALETTE_BINDING if app.ENABLE_COMMAND_PALETTE else None
        key_style = self.get_visual_style("key-bar--key")
        description_style = self.get_visual_style("key-bar--description")
        disabled_style = self.get_visual_style("key-bar--disabled")
        active = self.screen.active_bindings
        palette = active[palette_key].binding if palette_key in active else None
        tail = Content()
        if palette is not None:
            tail = Content.assemble(
                ("▏", description_style),
                (f" {app.get_key_display(palette)} ", key_style),
                (palette.description, description_style),
            )
        room = self.size.width - tail.cell_length
        parts: list[tuple[str, Style]] = []
        spans: list[tuple[int, int, str]] = []
        x = 0
        # The active bindings are asked for once: each time asks every binding's action
        # whether it applies (the bar's first frame: 1.22 ms instead of 1.37, SPEC §9).
        shown = [(b, enabled) for b, enabled in self.shown_keys(active) if b.key != palette_key]
        # What the selected line offers (accept, amend, decline…) comes first: on a short
        # line the keys that start something new give way before them (x Decline fell off
        # at 80 columns while n New line stayed).
        shown.sort(key=lambda item: _on_the_line(item[0].action))

        # A key may say what it does to the selection now ("! Unmark" on a marked line).
        label_for = getattr(self.screen, "label_for", None)

        def label(binding: Binding) -> str:
            said: str = binding.description if label_for is None else label_for(binding)
            return f"{said} " if said else ""

        def width_of(binding: Binding) -> int:
            return len(f" {app.get_key_display(binding)} ") + len(label(binding))

        # The keys everyone needs most (help, passing the keyboard) keep their place at
        # the end: the keys of the moment give way first when the line is short (issue 11).
        kept = sum(width_of(b) for b, _ in shown if b.action in ESSENTIAL)
        for binding, enabled in shown:
            key = f" {app.get_key_display(binding)} "
            description = label(binding)
            width = len(key) + len(description)
            essential = binding.action in ESSENTIAL
            if x + width > (room if essential else room - kept):
                continue  # a key is shown whole or not at all; f1 lists them all
            kept -= width if essential else 0
            dim = Style() if enabled else disabled_style
            parts += [(key, key_style + dim), (description, description_style + dim)]
            spans.append((x, x + width, binding.key.split(",")[0]))
            x += width
        if palette is not None and room > 0:
            parts.append((" " * (room - x), description_style))
            spans.append((room, room + tail.cell_length, palette.key.split(",")[0]))
        self._spans = spans
        return Content.assemble(*parts) + tail if room > 0 else Content.assemble(*parts)

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
