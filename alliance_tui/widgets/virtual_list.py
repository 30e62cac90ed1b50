"""A list that renders only what is on screen: one row per item, the selected one in full.

OptionList measures every option by wrapping it at the current width before the first
frame; at 10,000 lines that took seconds (benchmarks/bench.py). Here each item is one
row, truncated with an ellipsis, and only the highlighted item is wrapped in full, so the
geometry is plain arithmetic and nothing is rendered that is not seen. Rows are built
lazily from a callable and cached (the toolong way: a `ScrollView` with `render_line`).
`wrapped_list.WrappedList` wraps every row instead (the agreement, SPEC §3).

Moving the selection redraws only the rows that moved, and changes the scrollable size
without a layout of the screen (SPEC §9: moving the selection).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, overload

from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual

from ..textual_private import set_virtual_size_quietly, style_resolver


class Row(NamedTuple):
    """One item: a key (None for a heading or a note that cannot be selected) and its text."""

    key: str | None
    make: Callable[[], Content]


class LazyRows(Sequence[Row]):
    """Rows made from items only when asked for, then any rows added after them.

    Laying out 10,000 lines costs an index of their keys, not 10,000 rows: a row is
    made when it is drawn or looked at (SPEC §9).
    """

    def __init__(
        self, items: Sequence[object], key: Callable[[Any], str | None], make: Callable[[Any], Row]
    ) -> None:
        self._items, self._key, self._make = items, key, make
        self._made: dict[int, Row] = {}
        self._after: list[Row] = []

    def keys(self) -> dict[str, int]:
        """Each row's key and its position (rows without a key left out)."""
        key = self._key
        index = {k: n for n, item in enumerate(self._items) if (k := key(item)) is not None}
        start = len(self._items)
        index.update({row.key: n for n, row in enumerate(self._after, start) if row.key is not None})
        return index

    def __len__(self) -> int:
        return len(self._items) + len(self._after)

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...
    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            return [self[n] for n in range(*index.indices(len(self)))]
        count = len(self._items)
        if index < 0:
            index += len(self)
        if index >= count:
            return self._after[index - count]
        row = self._made.get(index)
        if row is None:
            row = self._made[index] = self._make(self._items[index])
        return row

    def __setitem__(self, index: int, row: Row) -> None:
        count = len(self._items)
        if index >= count:
            self._after[index - count] = row
        else:
            self._made[index] = row

    def append(self, row: Row) -> None:
        self._after.append(row)

    def extend(self, rows: Sequence[Row]) -> None:
        self._after.extend(rows)


class VirtualList(ScrollView, can_focus=True):
    """A keyboard-driven list of rows keyed by id, for lists that can grow without limit."""

    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("home", "move_to(0)", "First", show=False),
        Binding("end", "move_to(-1)", "Last", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    #: A row's own style is the list's: a component class for it, styled by nothing, cost
    #: the first frame a style pass of its own for each list, twice (0.5 ms, SPEC §9).
    COMPONENT_CLASSES = {
        "virtual-list--highlighted",
        "virtual-list--disabled",
    }

    DEFAULT_CSS = """
    VirtualList {
        height: 1fr;
        overflow-x: hidden;  /* rows are cut to the width: never a horizontal scrollbar */
        & > .virtual-list--disabled { color: $text-muted; }
        & > .virtual-list--highlighted {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .virtual-list--highlighted {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    #: The highlighted row. A `var`: its watcher redraws only the rows that changed.
    highlighted: var[int | None] = var(None, always_update=True)

    # The messages are written out, not dataclasses: each of those took 0.4 ms to make
    # at start-up (SPEC §9).
    class Highlighted(Message):
        """The highlighted row changed."""

        def __init__(self, virtual_list: VirtualList, key: str | None) -> None:
            super().__init__()
            self.virtual_list = virtual_list
            self.key = key

        @property
        def control(self) -> VirtualList:
            return self.virtual_list

    class Selected(Message):
        """`enter` (or a click) on a row."""

        def __init__(self, virtual_list: VirtualList, key: str | None) -> None:
            super().__init__()
            self.virtual_list = virtual_list
            self.key = key

        @property
        def control(self) -> VirtualList:
            return self.virtual_list

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: list[Row] | LazyRows = []
        #: Each row's key and position, made when first needed (see `_index`).
        self._keys: dict[str, int] | None = {}
        self._content: dict[int, Content] = {}
        self._expanded: tuple[int, int, Style, list[Strip]] | None = None
        #: One-line rows as drawn, by index: (width, style, strip). Moving the selection
        #: redraws two rows; the others come from here.
        self._drawn: dict[int, tuple[int, Style, Strip]] = {}
        #: How many lines the highlighted row took when the virtual size was last set.
        self._tall_laid_out = 1
        #: While `render_lines` draws: the width rows are laid out at, and the styles
        #: asked for so far (see `render_lines`).
        self._drawing: tuple[int, dict[str | None, Style]] | None = None

    # -- the rows --------------------------------------------------------------------------

    @property
    def _index(self) -> dict[str, int]:
        """Each row's key and its position, made from the rows when first needed: the
        first frame of 10,000 lines does not need them (SPEC §9). Every change to the
        rows asks for it first, so it is made from the rows as they were set."""
        if self._keys is None:
            rows = self._rows
            if isinstance(rows, LazyRows):
                self._keys = rows.keys()
            else:
                self._keys = {row.key: n for n, row in enumerate(rows) if row.key is not None}
        return self._keys

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def row_plain(self, index: int) -> str:
        """The text of a row, as plain text (for tests and screen readers of logs)."""
        return self._content_of(index).plain

    def set_rows(self, rows: Sequence[Row] | LazyRows) -> None:
        """Replace every row, keeping the highlighted key where it still exists."""
        keep = self.selected_id()
        self._rows = rows if isinstance(rows, LazyRows) else list(rows)
        self._keys = None
        self._forget()
        if keep is not None and keep in self._index:
            self.highlighted = self._index[keep]
        elif self.highlighted is not None:
            self.highlighted = self._first_selectable(min(self.highlighted, len(self._rows) - 1))
        self._resize()

    def append_rows(self, rows: Sequence[Row]) -> None:
        index = self._index
        start = len(self._rows)
        self._rows.extend(rows)
        for n, row in enumerate(rows, start):
            if row.key is not None:
                index[row.key] = n
        self._resize()

    def replace_row(self, row: Row) -> None:
        """Put a new version of the row with the same key in its place."""
        assert row.key is not None
        self._replace_at(self._index[row.key], row)

    def replace_last_row(self, row: Row) -> None:
        """Put `row` in place of the last row (a note without a key, say)."""
        self._index  # noqa: B018 - made from the rows as they were set (see `_index`)
        self._replace_at(len(self._rows) - 1, row)

    def _replace_at(self, index: int, row: Row) -> None:
        self._rows[index] = row
        self._content.pop(index, None)
        self._drawn.pop(index, None)
        if index == self.highlighted:
            self._expanded = None
            self._resize()
        self.refresh()

    def insert_before_last(self, row: Row) -> None:
        """Put `row` just before the last row (a note without a key, which stays last)."""
        keys = self._index
        index = len(self._rows) - 1
        last = self._rows[index]
        assert last.key is None and self.highlighted != index
        self._rows[index] = row
        self._rows.append(last)
        if row.key is not None:
            keys[row.key] = index
        for made in (self._content, self._drawn):
            made.pop(index, None)
        self._resize()

    def row_key(self, index: int) -> str | None:
        return self._rows[index].key

    def has_row(self, key: str) -> bool:
        return key in self._index

    def _forget(self) -> None:
        self._content.clear()
        self._drawn.clear()
        self._expanded = None
        self.refresh()

    def _content_of(self, index: int) -> Content:
        content = self._content.get(index)
        if content is None:
            content = self._content[index] = self._rows[index].make()
        return content

    def selected_id(self) -> str | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self._rows):
            return None
        return self._rows[index].key

    def select_id(self, key: str | None) -> None:
        if key is not None and key in self._index:
            self.highlighted = self._index[key]

    def _first_selectable(self, start: int, step: int = 1) -> int | None:
        index = start
        while 0 <= index < len(self._rows):
            if self._rows[index].key is not None:
                return index
            index += step
        return None

    # -- geometry: every row is one line, the highlighted one as tall as its text ----------

    def _laid_out_width(self) -> int:
        """The width rows are laid out at, or 0 before the list is laid out."""
        if self._drawing is not None:
            return self._drawing[0]
        return self.scrollable_content_region.width

    def _width(self) -> int:
        return max(self._laid_out_width(), 1)

    def _style(self, index: int) -> Style:
        if index == self.highlighted:
            part: str | None = "virtual-list--highlighted"
        elif self._rows[index].key is None:
            part = "virtual-list--disabled"
        else:
            part = None
        if self._drawing is None:
            return self.get_visual_style(*(() if part is None else (part,)))
        styles = self._drawing[1]
        style = styles.get(part)
        if style is None:
            style = styles[part] = self.get_visual_style(*(() if part is None else (part,)))
        return style

    def render_lines(self, crop: Region) -> list[Strip]:
        """Draw the rows in `crop`, asking their width and their few styles once for all
        of them: each is a walk through Textual's styles, and asked once a row they
        took 3 ms of the first frame (SPEC §9). Neither can change while one pass draws."""
        self._drawing = (self.scrollable_content_region.width, {})
        try:
            return super().render_lines(crop)
        finally:
            self._drawing = None

    def _expanded_strips(self) -> list[Strip]:
        index = self.highlighted
        assert index is not None
        width, style = self._width(), self._style(index)
        if self._expanded is not None and self._expanded[:3] == (index, width, style):
            return self._expanded[3]
        strips = [
            strip.extend_cell_length(width, style.rich_style).apply_meta({"row": index})
            for strip in Visual.to_strips(self, self._content_of(index), width, None, style)
        ] or [Strip.blank(width, style.rich_style)]
        self._expanded = (index, width, style, strips)
        return strips

    def _tall(self) -> int:
        """How many lines the highlighted row takes."""
        if self.highlighted is None or not self.scrollable_content_region.width:
            return 1  # not laid out yet: wrapping at no width is wasted (`on_resize` comes)
        return len(self._expanded_strips())

    def _resize(self, *, redraw: bool = True) -> None:
        tall = self._tall() if self._rows and self.is_mounted else 1
        self._tall_laid_out = tall
        self._set_virtual_size(Size(self._width(), len(self._rows) + tall - 1))
        if redraw:
            self.refresh()

    def _set_virtual_size(self, size: Size) -> None:
        """Change the scrollable size, without a layout of the screen when none is due.

        The list's own size never depends on its content (its height is a share of the
        screen), so a new height of the selected row changes only its scrollbar; a layout
        of the whole screen for it made moving the selection miss its budget (SPEC §9).
        """
        old = self.virtual_size
        if size == old:
            return
        viewport = self.size.height
        if (
            self.is_mounted
            and viewport
            and size.width == old.width
            and (size.height > viewport) == (old.height > viewport)
        ):
            set_virtual_size_quietly(self, size)
        else:
            self.virtual_size = size

    def _relayout(self) -> None:
        self._resize()
        self.scroll_to_highlight()

    def on_resize(self, _: events.Resize) -> None:
        self._expanded = None
        self._resize()
        # A list that grows shorter (the status line took a second row) keeps its selected
        # row in sight: the history's newest event was left just below the edge.
        self.call_after_refresh(self.scroll_to_highlight)

    def _row_at(self, y: int) -> tuple[int, int]:
        """(item, line within it) at virtual line `y`."""
        hl = self.highlighted
        if hl is None or y < hl:
            return y, 0
        tall = self._tall()
        if y < hl + tall:
            return hl, y - hl
        return y - tall + 1, 0

    def _y_of(self, index: int) -> int:
        hl = self.highlighted
        return index if hl is None or index <= hl else index + self._tall() - 1

    def _line_strip(self, line: Content, y: int, style: Style, index: int, width: int) -> Strip:
        """Line `y` of row `index`, which fits in `width`, as `Visual.to_strips` draws it
        (each cell's offset in the row, for selecting text) with the row's number for clicks."""
        row = Style.from_meta({"row": index})
        segments = []
        x = 0
        for text, part in line.render(style, "", style_resolver(self)):
            segments.append(Segment(text, (style + part + row).rich_style_with_offset(x, y)))
            x += len(text)
        strip = Strip(segments, line.cell_length)
        return strip.extend_cell_length(width, (style + row).rich_style)

    def render_line(self, y: int) -> Strip:
        index, line = self._row_at(self.scroll_offset.y + y)
        width = self._width()
        if not 0 <= index < len(self._rows):
            return Strip.blank(width, self.get_visual_style().rich_style)
        if index == self.highlighted:
            strips = self._expanded_strips()
            if len(strips) != self._tall_laid_out:
                # The width changed since the layout (a scrollbar came or went, or the
                # list was not laid out yet): lay out again for the row's new height.
                self._tall_laid_out = len(strips)
                self.call_later(self._relayout)
            return strips[line] if line < len(strips) else Strip.blank(width)
        style = self._style(index)
        drawn = self._drawn.get(index)
        if drawn is not None and drawn[0] == width and drawn[1] == style:
            return drawn[2]
        content = self._content_of(index).truncate(width, ellipsis=True)
        # One line, cut to fit: its segments straight from the content. `Visual.to_strips`
        # (wrapping, alignment, links, selection) took four times as long a row.
        segments = [
            Segment(text, part.rich_style if part else None)
            for text, part in content.render(style, "", style_resolver(self))
        ]
        strip = Strip(segments, content.cell_length)
        strip = strip.extend_cell_length(width, style.rich_style).apply_meta({"row": index})
        if len(self._drawn) > 4096:  # a few screens' worth, then start again
            self._drawn.clear()
        self._drawn[index] = (width, style, strip)
        return strip

    # -- moving ------------------------------------------------------------------------------

    def validate_highlighted(self, index: int | None) -> int | None:
        if index is None or not self._rows:
            return None
        return max(0, min(index, len(self._rows) - 1))

    def watch_highlighted(self, old: int | None, index: int | None) -> None:
        was_tall, was_at = self._tall_laid_out, self.scroll_offset.y
        self._expanded = None
        self._resize(redraw=False)
        if index is not None:
            self.scroll_to_highlight()
        if old is None or index is None or self.scroll_offset.y != was_at:
            self.refresh()  # (a scroll has already asked for the whole list)
        else:
            # Only the rows from the old selection to the new one moved, unless the new
            # one is not as tall as the old: then everything below it moved too.
            start = min(old, index) - was_at
            end = max(old, index) + was_tall - was_at
            if self._tall_laid_out != was_tall:
                end = self.size.height
            self.refresh(Region(0, start, self.size.width, end - start))
        self.post_message(self.Highlighted(self, self.selected_id()))

    def scroll_to_highlight(self) -> None:
        index = self.highlighted
        if index is None or not self.is_mounted:
            return
        region = Region(0, self._y_of(index), self._width(), self._tall())
        self.scroll_to_region(region, animate=False, force=True, immediate=True)

    def action_move(self, step: int) -> None:
        if not self._rows:
            return
        start = self.highlighted
        start = (0 if step > 0 else len(self._rows) - 1) if start is None else start + step
        target = self._first_selectable(start, step)
        if target is not None:
            self.highlighted = target

    def action_move_to(self, index: int) -> None:
        if self._rows:
            self.highlighted = self._first_selectable(index % len(self._rows), 1 if index >= 0 else -1)

    def action_page(self, direction: int) -> None:
        page = max(self.scrollable_content_region.height - 1, 1)
        if self._rows:
            start = 0 if self.highlighted is None else self.highlighted
            target = max(0, min(start + direction * page, len(self._rows) - 1))
            self.highlighted = self._first_selectable(target, direction) or self._first_selectable(
                target, -direction
            )

    def action_select(self) -> None:
        if self.selected_id() is not None:
            self.post_message(self.Selected(self, self.selected_id()))

    async def _on_click(self, event: events.Click) -> None:
        index = event.style.meta.get("row")
        if isinstance(index, int) and self._rows[index].key is not None:
            if self.highlighted == index:
                self.action_select()
            self.highlighted = index
