"""A picture of the agreement pane wrapping a line that is not selected (SPEC §3).

At 80 columns the demo's first agreed line takes two lines of the pane: it must show
whole even when the selection is on another line. Same pinned environment and data as
`test_snapshots.py` (regenerate with `--snapshot-update`, then look at the picture).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .test_snapshots import checkin_app, demo_app, shoot, steady_environment

__all__ = ["steady_environment"]  # the autouse fixture of test_snapshots, used here too


def test_agreement_wraps_a_line_that_is_not_selected(
    snap_compare: Callable[..., bool], tmp_path: Path
) -> None:
    assert shoot(snap_compare, demo_app(tmp_path), "80x24", ["3", "down"])


def test_agreement_with_check_in_trends(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    """Each agreed line with the trend of its last check-ins (✓ ~ ✗, oldest first) and, under
    it, its sign of success (issue 14 "Must show"), at 80×24."""
    assert shoot(snap_compare, checkin_app(tmp_path), "80x24", ["3"])
