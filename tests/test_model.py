"""The model's mutable classes (and the rules' `Outcome`) are written out, not made by
`@dataclass` (SPEC §9: five dataclasses took 2.9 ms of every start to define). Here each is held to what
`@dataclass` would make of the same fields: the same fields in the same order, fresh
containers for each object, the same equality and repr, unhashable, and `replace`."""

from __future__ import annotations

import copy
import dataclasses
import inspect
from datetime import UTC, datetime
from typing import Any

import pytest

from alliance_tui.domain.model import (
    Action,
    AgreedLine,
    Alliance,
    CheckIn,
    Event,
    Kind,
    Line,
    Mutable,
    Partner,
    Round,
    State,
    Wording,
)
from alliance_tui.domain.rules import Outcome

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def samples() -> list[Mutable]:
    line = Line(3, 0, State.PROPOSED, [Wording("Quiet mornings", 0, AT)], offer=0)
    return [
        line,
        Round("What do you need?", 1, AT, {0: "Tea."}, {0}),
        CheckIn(AT, (3,), {0: {}}),
        Partner("Sarah"),
        Alliance("a1", "Mornings", Kind.COUPLE, (Partner("Sarah"), Partner("Peter")), AT, lines={3: line}),
        Outcome(events=[Event(AT, 1, 0, Action.PROPOSED, 3)], lines=[line]),
    ]


def twin(record: Mutable) -> Any:
    """What `@dataclass` makes of the class's `__init__`, with the same name, built from
    the same values: the reference each written-out class is held to."""
    cls = type(record)
    fields = []
    for name, parameter in list(inspect.signature(cls.__init__).parameters.items())[1:]:
        hidden = name in cls._UNCOMPARED
        default = dataclasses.MISSING if parameter.default is inspect.Parameter.empty else parameter.default
        fields.append((name, Any, dataclasses.field(default=default, compare=not hidden, repr=not hidden)))
    made = dataclasses.make_dataclass(cls.__name__, fields)
    made.__qualname__ = cls.__qualname__
    return made(**{name: getattr(record, name) for name, _, _ in fields})


@pytest.mark.parametrize("record", samples(), ids=lambda r: type(r).__name__)
def test_a_record_keeps_the_fields_its_init_takes_in_that_order(record: Mutable) -> None:
    parameters = list(inspect.signature(type(record).__init__).parameters)[1:]
    assert list(type(record).__slots__) == parameters
    assert not hasattr(record, "__dict__"), "no field outside __slots__"


@pytest.mark.parametrize("record", samples(), ids=lambda r: type(r).__name__)
def test_equality_and_repr_are_those_of_a_dataclass(record: Mutable) -> None:
    reference = twin(record)
    assert repr(record) == repr(reference)
    same = copy.deepcopy(record)
    assert record == same
    assert (record != same) is False
    assert (record == same) == (reference == copy.deepcopy(reference))
    assert record != object() and record.__eq__(object()) is NotImplemented
    with pytest.raises(TypeError):
        hash(record)
    first = type(record).__slots__[0]
    changed = record.replace(**{first: "else"})
    assert changed != record and getattr(record, first) != "else", "replace leaves the original"
    assert dataclasses.replace(reference, **{first: "else"}) != reference


def test_each_object_gets_containers_of_its_own() -> None:
    one, two = Line(1, 0, State.DRAFT), Line(2, 0, State.DRAFT)
    one.wordings.append(Wording("Mine", 0, AT))
    one.earlier.append((0, None))
    assert (two.wordings, two.earlier) == ([], [])
    r1, r2 = Round("Q?", 0, AT), Round("Q?", 0, AT)
    r1.answers[0] = "A"
    r1.ready.add(0)
    assert (r2.answers, r2.ready) == ({}, set())
    c1, c2 = CheckIn(AT, ()), CheckIn(AT, ())
    c1.ratings[0] = {}
    c1.done.add(0)
    assert (c2.ratings, c2.done) == ({}, set())
    partners = (Partner("A"), Partner("B"))
    a1, a2 = Alliance("a1", "T", Kind.WORK, partners, AT), Alliance("a2", "T", Kind.WORK, partners, AT)
    a1.lines[1] = one
    a1.signatures.add(0)
    a1.signed_at[0] = AT
    a1.checkins.append(None)  # type: ignore[arg-type]
    assert (a2.lines, a2.signatures, a2.signed_at, a2.checkins) == ({}, set(), {}, [])


def test_the_agreement_cache_is_neither_compared_nor_shown() -> None:
    a = next(record for record in samples() if isinstance(record, Alliance))
    cached = a.replace(agreement_cache=[AgreedLine(1, 3, "Quiet mornings", None, 0, AT, None)])
    assert cached == a and "agreement_cache" not in repr(cached)
    assert cached.lines is a.lines, "replace copies shallowly, as dataclasses.replace does"
