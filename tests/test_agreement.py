"""The agreement: numbered once per line, grouped by topic, kept in step."""

from __future__ import annotations

from datetime import date

from alliance_tui.domain.rules import (
    accept,
    agreement,
    decline,
    reopen,
)

from .desk import PETER, SARAH, Desk, in_force

# -- the agreement, numbered and grouped by topic ---------------------------------


def test_agreement_is_numbered_by_topic_order_then_others_then_none(desk: Desk) -> None:
    wordings = [
        ("No topic one.", None),
        ("Zebra crossing.", "zebra"),
        ("Tell me early.", "Feedback"),
        ("Apples.", "apples"),
        ("Call before noon.", "communication"),
        ("No topic two.", ""),
        ("Ask for help.", "Support When Stuck"),
        ("Talk weekly.", "communication"),
        ("Boxes.", "Apples"),
        ("Doors shut.", "boundaries"),
    ]
    for index, (text, topic) in enumerate(wordings):
        desk.agreed(text, by=index % 2, topic=topic)
    result = agreement(desk.a)
    assert all(item.number == item.line for item in result), "each line keeps its own number"
    assert [line.text for line in result] == [
        "Call before noon.",  # communication, line order within the topic
        "Talk weekly.",
        "Ask for help.",  # support when stuck
        "Doors shut.",  # boundaries
        "Tell me early.",  # feedback
        "Apples.",  # other topics, alphabetically, in any case
        "Boxes.",
        "Zebra crossing.",
        "No topic one.",  # no topic last
        "No topic two.",
    ]
    assert result[-1].topic is None  # a blank topic is no topic


def test_the_kept_agreement_follows_every_change(desk: Desk) -> None:
    """`agreement` is kept between actions; each change must move and renumber it right."""
    first = desk.agreed("Zebra first.", topic="zebra")
    assert [e.number for e in in_force(desk.a)] == [1]
    second = desk.agreed("Talk daily.", by=PETER, topic="communication")
    third = desk.agreed("General.", topic=None)
    assert [e.line for e in in_force(desk.a)] == [second, first, third]
    # A re-design that changes the topic moves the line to its new group.
    desk.do(reopen, first, by=PETER, text="Zebra first.", topic="Boundaries")
    assert [e.line for e in in_force(desk.a)] == [second, first, third]
    desk.do(accept, first, by=SARAH)
    assert [(e.number, e.line, e.topic) for e in in_force(desk.a)] == [
        (second, second, "communication"),
        (first, first, "Boundaries"),
        (third, third, None),
    ]
    desk.do(reopen, second, by=SARAH, text=None)
    desk.do(accept, second, by=PETER)
    assert [(e.number, e.line) for e in in_force(desk.a)] == [(first, first), (third, third)]
    fourth = desk.agreed("Apples.", by=PETER, topic="apples")
    assert [(e.number, e.line) for e in in_force(desk.a)] == [
        (first, first),
        (fourth, fourth),
        (third, third),
    ]
    desk.do(reopen, third, by=PETER, text="General, with a trial.", trial_until=date(2026, 6, 1))
    desk.do(accept, third, by=SARAH)
    assert in_force(desk.a)[-1].trial_until == date(2026, 6, 1)
    assert in_force(desk.a)[-1].agreed_at == desk.now


def test_agreement_holds_only_lines_in_force(desk: Desk) -> None:
    desk.drafted("Draft.")
    desk.proposed("Proposed.")
    declined = desk.proposed("Declined.")
    desk.do(decline, declined, by=PETER)
    agreed = desk.agreed("Agreed.")
    assert [line.line for line in agreement(desk.a)] == [agreed]
