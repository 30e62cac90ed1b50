"""The check-in's list of agreed lines: every row wrapped in full, and no `enter` of its own.

`enter` finishes the check-in (the screen's binding, from the command table); left to the
list, it would only select a row, and hide the screen's key from the key bar.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from .virtual_list import VirtualList
from .wrapped_list import WrappedList


class CheckInList(WrappedList, inherit_bindings=False):
    """A `WrappedList` that moves like every list and leaves `enter` to its screen.

    `indent` is how far a line's rows start its text (its rating and number before it):
    what wraps, and what is said under it, starts there too. Headings are not indented.
    """

    indent = 0

    def hanging(self, index: int) -> int:
        return self.indent if 0 <= index < len(self._rows) and self._rows[index].key is not None else 0

    BINDINGS: ClassVar[list[BindingType]] = [
        binding
        for binding in VirtualList.BINDINGS
        if not (isinstance(binding, Binding) and binding.key == "enter")
    ]
