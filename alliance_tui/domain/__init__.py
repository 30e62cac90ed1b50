"""The alliance and its negotiation, with no user interface and no storage.

Nothing in this package imports Textual or TinyDB (tests/test_layers.py checks it).
"""

from .model import (
    TOPICS,
    Action,
    AgreedLine,
    Alliance,
    Event,
    Kind,
    Line,
    Partner,
    State,
    Version,
    Wording,
    other,
)
from .rules import Moment, Outcome, Refused
from .text import TextRefused

__all__ = [
    "TOPICS",
    "Action",
    "AgreedLine",
    "Alliance",
    "Event",
    "Kind",
    "Line",
    "Moment",
    "Outcome",
    "Partner",
    "Refused",
    "State",
    "TextRefused",
    "Version",
    "Wording",
    "other",
]
