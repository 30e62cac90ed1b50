"""The private Textual API the app relies on is still there, shaped as we use it.

When a Textual upgrade changes one of these, this test fails first and names the wrapper
in `alliance_tui/textual_private.py` to revisit, instead of the app misbehaving later.
"""

from __future__ import annotations

import inspect
from importlib.metadata import version

from textual.screen import Screen
from textual.widget import Widget


def test_textual_is_the_pinned_release_line() -> None:
    major, minor, *_ = version("textual").split(".")
    assert (int(major), int(minor)) == (8, 2), (
        "Textual moved off 8.2: check every wrapper in alliance_tui/textual_private.py"
    )


def test_screen_push_result_callback_keeps_its_shape() -> None:
    """Used by `stackable_first_screen` (app.py opens the chosen alliance first)."""
    method = getattr(Screen, "_push_result_callback", None)
    assert callable(method), "Screen._push_result_callback is gone: see stackable_first_screen"
    parameters = list(inspect.signature(method).parameters)
    assert parameters[:3] == ["self", "requester", "callback"], parameters


def test_widget_get_style_keeps_its_shape() -> None:
    """Used by `style_resolver` (VirtualList draws rows from their content's segments)."""
    method = getattr(Widget, "_get_style", None)
    assert callable(method), "Widget._get_style is gone: see style_resolver"
    assert list(inspect.signature(method).parameters) == ["self", "style"]


async def test_the_wrappers_work_on_a_running_app() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    from alliance_tui.textual_private import resolve_style, stackable_first_screen

    class Probe(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("probe")

    app = Probe()
    async with app.run_test() as pilot:
        widget = app.screen.query_one(Static)
        muted = resolve_style(widget, "$text-muted")
        assert muted.foreground is not None, "a theme variable resolves to a colour"
        screen: Screen[None] = Screen()
        stackable_first_screen(screen, app)
        await app.push_screen(Screen())
        await app.switch_screen(Screen())  # the stack can be replaced as usual
        await pilot.pause()


def test_widget_scroll_update_keeps_its_shape() -> None:
    """Used by `set_virtual_size_quietly` (VirtualList's selected row changes height)."""
    method = getattr(Widget, "_scroll_update", None)
    assert callable(method), "Widget._scroll_update is gone: see set_virtual_size_quietly"
    assert list(inspect.signature(method).parameters) == ["self", "virtual_size"]


async def test_a_quiet_virtual_size_moves_the_scrollbar_and_keeps_the_offset_in_range() -> None:
    from textual.app import App, ComposeResult
    from textual.geometry import Size
    from textual.scroll_view import ScrollView

    from alliance_tui.textual_private import set_virtual_size_quietly

    class Probe(App[None]):
        def compose(self) -> ComposeResult:
            yield ScrollView()

    app = Probe()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.screen.query_one(ScrollView)
        view.virtual_size = Size(38, 100)
        await pilot.pause()
        view.scroll_to(y=90, animate=False, immediate=True)
        assert view.scroll_y == view.max_scroll_y
        set_virtual_size_quietly(view, Size(38, 50))
        assert view.virtual_size == Size(38, 50)
        assert view.vertical_scrollbar.window_virtual_size == 50
        assert view.scroll_y == view.max_scroll_y == 50 - view.scrollable_content_region.height


def test_the_private_key_handlers_we_override_keep_their_shape() -> None:
    """`_on_key` of TextArea, Input and App: overridden in widgets/text_entry.py and
    dialogs/typeahead.py (see textual_private.py)."""
    from textual.app import App
    from textual.widgets import Input, TextArea

    for owner in (TextArea, Input, App):
        handler = owner.__dict__.get("_on_key") or getattr(owner, "_on_key", None)
        assert handler is not None and inspect.iscoroutinefunction(handler), (
            f"{owner.__name__}._on_key changed: see textual_private.py"
        )
        assert list(inspect.signature(handler).parameters) == ["self", "event"], owner.__name__


def test_the_web_drivers_input_thread_keeps_its_shape() -> None:
    """Used by `input_ended` (a served tab leaves when its server died)."""
    from textual.drivers.web_driver import WebDriver

    source = inspect.getsource(WebDriver.__init__)
    gone = "WebDriver._key_thread is gone: see input_ended"
    assert "self._key_thread" in source and "Thread(" in source, gone
    assert "for data in input_reader" in inspect.getsource(WebDriver.run_input_thread), gone


async def test_input_ended_is_false_for_a_running_headless_app() -> None:
    from textual.app import App

    from alliance_tui.textual_private import input_ended

    app: App[None] = App()
    async with app.run_test():
        assert input_ended(app) is False
