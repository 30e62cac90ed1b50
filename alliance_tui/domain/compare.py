"""Two versions of an agreement, compared line by line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from .model import AgreedLine


class Change(StrEnum):
    SAME = "same"
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Difference:
    """One line of the comparison: how it stood before and after."""

    change: Change
    before: AgreedLine | None
    after: AgreedLine | None


def _terms(line: AgreedLine) -> tuple[object, ...]:
    return (line.text, line.topic, line.trial_until, line.sign)


def compare(before: Sequence[AgreedLine], after: Sequence[AgreedLine]) -> list[Difference]:
    """Match lines by their identity, in the order of `after`; removed lines come last."""
    old = {line.line: line for line in before}
    result = []
    for line in after:
        previous = old.pop(line.line, None)
        if previous is None:
            result.append(Difference(Change.ADDED, None, line))
        elif _terms(previous) != _terms(line):
            result.append(Difference(Change.CHANGED, previous, line))
        else:
            result.append(Difference(Change.SAME, previous, line))
    result.extend(Difference(Change.REMOVED, line, None) for line in old.values())
    return result
