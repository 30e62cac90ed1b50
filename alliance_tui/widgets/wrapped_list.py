"""A virtual list whose every row is shown in full, wrapped, never cut (SPEC §3).

The agreement is the product: each agreed line must read whole at a glance. Measuring
10,000 wrapped rows before the first frame would cost what `OptionList` cost (seconds,
see `virtual_list`), so each row's height is *estimated* from its text until the row is
drawn, and measured then. Rows keep their heights in `Heights`, which also answers which
row a line of the list falls in, in a few hundred steps at 10,000 rows.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual

from .virtual_list import Row, VirtualList

#: Rows per block of `Heights`: a line is found by walking blocks, then rows.
BLOCK = 64

#: What only wrapping can lay out: a new line, or a tab to expand.
_BREAKS = frozenset("\n\t")


class Heights:
    """Each row's height in lines, with a sum per block of `BLOCK` rows."""

    def __init__(self, heights: list[int]) -> None:
        self.rows = heights
        self.blocks = [sum(heights[start : start + BLOCK]) for start in range(0, len(heights), BLOCK)]
        self.total = sum(self.blocks)

    def __len__(self) -> int:
        return len(self.rows)

    def set(self, index: int, height: int) -> None:
        change = height - self.rows[index]
        if change:
            self.rows[index] = height
            self.blocks[index // BLOCK] += change
            self.total += change

    def append(self, height: int) -> None:
        if len(self.rows) % BLOCK == 0:
            self.blocks.append(0)
        self.rows.append(height)
        self.blocks[-1] += height
        self.total += height

    def top(self, index: int) -> int:
        """The first line of row `index`."""
        block = index // BLOCK
        return sum(self.blocks[:block]) + sum(self.rows[block * BLOCK : index])

    def at(self, y: int) -> tuple[int, int]:
        """(row, line within it) at line `y`; (len(self), 0) past the last row."""
        if y < 0 or y >= self.total:
            return len(self.rows), 0
        block = 0
        while y >= self.blocks[block]:
            y -= self.blocks[block]
            block += 1
        index = block * BLOCK
        for height in self.rows[index : index + BLOCK]:
            if y < height:
                return index, y
            y -= height
            index += 1
        return len(self.rows), 0  # pragma: no cover (the sums say it cannot happen)


class WrappedList(VirtualList):
    """A `VirtualList` whose every row is wrapped to the list's width."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._heights = Heights([])
        #: The width the heights were estimated or measured at.
        self._heights_width = 0
        #: Rows as drawn, by index: (width, style, strips).
        self._wrapped: dict[int, tuple[int, Style, list[Strip]]] = {}
        self._measuring = False
        self._selection_measured = False

    def estimate(self, start: int, width: int) -> list[int]:
        """How many lines each row from `start` on probably takes at `width`, before it is
        drawn (one each, unless a subclass knows better)."""
        return [1] * (len(self._rows) - start)

    def hanging(self, index: int) -> int:
        """How many cells of row `index` start its first line only (a line's number): its
        wrapped lines are indented by as much, so the text reads as one column."""
        return 0

    # -- heights ---------------------------------------------------------------------------

    def _estimate_all(self) -> None:
        width = self._heights_width = self._laid_out_width()
        count = len(self._rows)
        if width:
            self._heights = Heights(self.estimate(0, width))
        else:  # not laid out yet: `on_resize` comes, and estimates at the real width
            self._heights = Heights([1] * count)
        self._wrapped.clear()

    def _sync_heights(self) -> None:
        """Estimate the rows added since, or all of them again at a new width."""
        width = self._laid_out_width()
        if width != self._heights_width or not len(self._heights) or len(self._heights) > len(self._rows):
            self._estimate_all()
            return
        start = len(self._heights)
        if start < len(self._rows):
            for height in self.estimate(start, width) if width else [1] * (len(self._rows) - start):
                self._heights.append(height)

    def _forget(self) -> None:
        super()._forget()
        self._heights = Heights([])
        self._wrapped.clear()

    def replace_row(self, row: Row) -> None:
        assert row.key is not None
        self._wrapped.pop(self._index[row.key], None)
        super().replace_row(row)

    def replace_last_row(self, row: Row) -> None:
        self._wrapped.pop(len(self._rows) - 1, None)
        super().replace_last_row(row)

    def _tall(self) -> int:
        index = self.highlighted
        if index is None or not 0 <= index < len(self._heights):
            return 1
        return self._heights.rows[index]

    def _resize(self, *, redraw: bool = True) -> None:
        self._sync_heights()
        self._tall_laid_out = self._tall()
        self._set_virtual_size(Size(self._width(), self._heights.total))
        if redraw:
            self.refresh()

    def _row_at(self, y: int) -> tuple[int, int]:
        return self._heights.at(y)

    def _y_of(self, index: int) -> int:
        return self._heights.top(index)

    # -- drawing ---------------------------------------------------------------------------

    def _strips(self, index: int, width: int) -> list[Strip]:
        style = self._style(index)
        drawn = self._wrapped.get(index)
        if drawn is not None and drawn[0] == width and drawn[1] == style:
            return drawn[2]
        content = self._content_of(index)
        indent = self.hanging(index)
        plain = content.plain
        lines: list[Content] | None = None
        if self.text_selection is not None:
            pass  # a selection is drawn by `Visual.to_strips`, below
        elif len(plain) <= width and content.cell_length == len(plain) and not _BREAKS.intersection(plain):
            # It fits on one line (most rows): nothing to wrap (SPEC §9).
            lines = [content.rstrip_end(width)]
        elif 0 < indent <= width // 3:
            # The number on the first line, the text in a column of its own after it.
            head, pad = content[:indent], Content(" " * indent)
            wrapped = content[indent:].wrap(width - indent)
            lines = [(head if y == 0 else pad) + line for y, line in enumerate(wrapped)]
        if lines is not None:
            # Each line straight to its segments, as `Visual.to_strips` draws a line that
            # fits: the agreement's 25 lines in 1.9 ms instead of 3.3, 2.8 instead of 4.4 in
            # the first frame, where a row was wrapped twice (SPEC §9, first_frame_parts.py).
            strips = [self._line_strip(line, y, style, index, width) for y, line in enumerate(lines)]
        else:
            if 0 < indent <= width // 3:
                lines = content[indent:].wrap(width - indent)
                content = content[:indent] + Content("\n" + " " * indent).join(lines)
            strips = [
                strip.extend_cell_length(width, style.rich_style).apply_meta({"row": index})
                for strip in Visual.to_strips(self, content, width, None, style)
            ]
        strips = strips or [Strip.blank(width, style.rich_style)]
        if len(self._wrapped) > 1024:  # a few screens' worth, then start again
            self._wrapped.clear()
        self._wrapped[index] = (width, style, strips)
        return strips

    def render_line(self, y: int) -> Strip:
        laid_out = self._laid_out_width()
        width = max(laid_out, 1)  # as `_width`
        if laid_out != self._heights_width or len(self._heights) != len(self._rows):
            self._sync_heights()
        line_y = self.scroll_offset.y + y
        while True:
            index, line = self._heights.at(line_y)
            if not 0 <= index < len(self._rows):
                return Strip.blank(width, self.get_visual_style().rich_style)
            strips = self._strips(index, width)
            if len(strips) == self._heights.rows[index]:
                return strips[line]
            # Measured at last: it differs from its estimate. The rows below move, so the
            # line asked for may now fall in another row; the scrollbar follows after.
            self._heights.set(index, len(strips))
            self._selection_measured |= index == self.highlighted
            if not self._measuring:
                self._measuring = True
                self.call_later(self._measured)

    def _measure(self, index: int) -> bool:
        """Measure one row now (the selected one, before it is scrolled to); True if its
        height was not the one estimated."""
        width = self._laid_out_width()
        if not (width and width == self._heights_width and 0 <= index < len(self._heights)):
            return False
        height = len(self._strips(index, width))
        if height == self._heights.rows[index]:
            return False
        self._heights.set(index, height)
        return True

    def _measured(self) -> None:
        self._measuring = False
        self._resize()
        if self._selection_measured:
            # The selected row was taller than estimated: show all of it, as a move would.
            self._selection_measured = False
            self.scroll_to_highlight()

    # -- moving ----------------------------------------------------------------------------

    def watch_highlighted(self, old: int | None, index: int | None) -> None:
        was_at = self.scroll_offset.y
        self._sync_heights()
        moved = index is not None and self._measure(index)
        if moved:
            self._resize(redraw=False)  # the rows below it move
        if index is not None:
            self.scroll_to_highlight()
        if moved or old is None or index is None or self.scroll_offset.y != was_at:
            self.refresh()
        else:
            for row in {old, index}:
                if 0 <= row < len(self._heights):
                    top = self._heights.top(row) - was_at
                    self.refresh(Region(0, top, self.size.width, self._heights.rows[row]))
        self.post_message(self.Highlighted(self, self.selected_id()))
