"""The agreement kept between actions is always the one worked out from scratch."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from alliance_tui.domain import Alliance, Kind, Moment, Partner, Refused, rules

TOPICS = [None, "logistics", "communication", "zeta", "Boundaries", "feedback"]

steps = st.lists(
    st.tuples(
        st.sampled_from(["draft", "propose", "accept", "pass", "reopen", "remove", "counter", "decline"]),
        st.integers(min_value=1, max_value=40),
        st.sampled_from(TOPICS),
    ),
    max_size=200,
)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(steps)
def test_kept_agreement_equals_a_fresh_one(script: list[tuple[str, int, str | None]]) -> None:
    a = Alliance("x", "t", Kind.OTHER, (Partner("A"), Partner("B")), datetime(2026, 3, 2, tzinfo=UTC))
    when = Moment(datetime(2026, 3, 2, tzinfo=UTC), 1)
    for n, (action, line, topic) in enumerate(script):
        try:
            if action == "draft":
                rules.draft(a, a.active, f"wording {n}", when, topic=topic)
            elif action == "pass":
                rules.pass_keyboard(a, a.active, when)
            elif action == "propose":
                rules.propose(a, a.active, line, when)
            elif action == "accept":
                rules.accept(a, a.active, line, when)
            elif action == "reopen":
                rules.reopen(a, a.active, line, when, text=f"again {n}", topic=topic)
            elif action == "remove":
                rules.reopen(a, a.active, line, when, text=None)
            elif action == "counter":
                rules.counter(a, a.active, line, f"counter {n}", when, topic=topic)
            elif action == "decline":
                rules.decline(a, a.active, line, when)
        except Refused:
            pass
        kept = rules.agreement(a)
        a.agreement_cache = None
        assert kept == rules.agreement(a)
