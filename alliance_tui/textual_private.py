"""Every private Textual API the app uses, in one place, each for a measured reason.

Textual is pinned (`textual>=8.2.8,<8.3`): its private names may change in any release,
and the company behind it has wound down, so nobody will warn us. Each use is wrapped
here and named for what it does; `tests/test_textual_private.py` checks that each name
is still there with the shape we rely on, and fails loudly (naming this module) when an
upgrade changes it.

Three classes also override a private key handler, which cannot be wrapped here and are
checked by the same test:

- `widgets/text_entry.py`: `OrderedTextArea._on_key` and `OrderedInput._on_key` apply a
  backspace in the order it was typed (in Textual 8.2.8 a bound `delete_left` runs after
  letters typed in the same burst: PITFALLS);
- `dialogs/typeahead.py`: `TypeAhead._on_key` (the app) reads again, for the screen now
  on top, a key typed in the burst that opened a dialog (issue 15: letters after `n`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.geometry import Size
    from textual.screen import Screen
    from textual.style import Style as VisualStyle
    from textual.widget import Widget


def stackable_first_screen(screen: Screen[Any], app: App[Any]) -> None:
    """Give a screen opened as the app's first (default) screen what `push_screen` gives
    every screen it pushes, so that `switch_screen` can later replace it like any other.

    Why: opening the chosen alliance as the default screen, rather than pushing it over
    an empty one, spared start-up a screen's styling and layout (SPEC §9, first frame).
    """
    screen._push_result_callback(app, None)


def style_resolver(widget: Widget) -> Any:
    """The callable a `Content.render` needs to resolve theme variables ($text-muted) for
    `widget`.

    Why: `VirtualList` draws a one-line row straight from its content's segments;
    `Visual.to_strips` took four times as long a row (moving the selection, SPEC §9).
    """
    get_style: Any = widget._get_style
    return get_style


def resolve_style(widget: Widget, style: VisualStyle | str) -> VisualStyle:
    """Resolve one style for `widget` (what `style_resolver` hands to `Content.render`)."""
    resolved: VisualStyle = widget._get_style(style)
    return resolved


def set_virtual_size_quietly(widget: Widget, size: Size) -> None:
    """Give a scrolling widget a new virtual size without a layout of its screen: update
    its scrollbars and keep its scroll offset in range, as a layout would.

    Why: `virtual_size` is a reactive that lays out the whole screen when it changes.
    `VirtualList`'s own size never depends on it, yet every time the selected row's
    height changed, a layout made moving the selection miss its budget (SPEC §9). The
    caller keeps the full path for a change that shows or hides a scrollbar.
    """
    from textual.widget import Widget

    widget.set_reactive(Widget.virtual_size, size)
    widget._scroll_update(size)


def input_ended(app: App[Any]) -> bool:
    """Whether the app's driver stopped reading its input: for a served tab, the server
    that fed it is gone (its pipe closed), though nobody asked the app to quit.

    Why: killed outright, the server cannot send textual-serve's "quit"; Textual's web
    driver then only ends its input thread at the end of input, and the app would go on,
    an orphan, with whatever an open editor holds (issue 12). The app leaves instead,
    keeping that text (`AllianceApp.on_exit_app`).
    """
    thread = getattr(app._driver, "_key_thread", None)
    return thread is not None and thread.ident is not None and not thread.is_alive()
