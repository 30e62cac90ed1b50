"""How a row of a list names the line it shows ("line-12"), and back.

A module of its own, not `line_list`'s: the panes need these at start-up, and the
option list of the small lists is not needed before the first frame (SPEC §9).
"""

from __future__ import annotations


def line_option_id(line_id: int) -> str:
    return f"line-{line_id}"


def line_id_of(option_id: str | None) -> int | None:
    if option_id is None or not option_id.startswith("line-"):
        return None
    return int(option_id.removeprefix("line-"))
