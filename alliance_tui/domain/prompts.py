"""Starter prompts: the questions a coach would ask, for each kind of relationship.

A partner picks one and answers it as a new draft, with the topic filled in. Every kind
gets the shared questions (one or more per topic) and a few of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Kind


@dataclass(frozen=True, slots=True)
class Prompt:
    """A question to answer, and the topic the answer belongs to."""

    topic: str
    question: str


SHARED: tuple[Prompt, ...] = (
    Prompt("communication", "How do you want to hear that something is not working for the other?"),
    Prompt("communication", "When and how are you easiest to reach, and when would you rather not be?"),
    Prompt("support when stuck", "When you are stuck, what helps you most: advice, a question, or space?"),
    Prompt("boundaries", "What is one thing you need the other never to take for granted?"),
    Prompt("logistics", "Who takes care of what, and how do you hand things over?"),
    Prompt("feedback", "How often do you want to hear how you are doing, and in what form?"),
    Prompt("revisiting", "How often should we sit down and look at this agreement again?"),
)

OWN: dict[Kind, tuple[Prompt, ...]] = {
    Kind.BUSINESS: (
        Prompt("logistics", "What turn-around time do you need when work comes to you?"),
        Prompt("boundaries", "Which decisions can each of us take alone, and which need both?"),
        Prompt("support when stuck", "When a deadline slips, what do you want the other to do?"),
        Prompt("feedback", "How do we tell a client-facing mistake to each other?"),
    ),
    Kind.COUPLE: (
        Prompt("boundaries", "What does your morning need to look like to start the day well?"),
        Prompt("logistics", "How do we share the cooking, the cleaning and the shopping?"),
        Prompt("communication", "How do we talk about money, and how often?"),
        Prompt("support when stuck", "After a hard day, do you want to talk, or to be left alone awhile?"),
    ),
    Kind.WORK: (
        Prompt("boundaries", "Where do you work best on your own, and where do you want a check-in?"),
        Prompt("logistics", "How will you share your plans, and when?"),
        Prompt("support when stuck", "When you are stuck, how long before you ask, and whom?"),
        Prompt("revisiting", "What would tell us that the trial worked, and when do we look?"),
    ),
    Kind.COACHING: (
        Prompt("boundaries", "What is on the table in our sessions, and what is off it?"),
        Prompt("feedback", "How direct do you want me to be when I notice something?"),
        Prompt("logistics", "How do we handle cancelled or moved sessions?"),
        Prompt("support when stuck", "Between sessions, how may you reach me when you are stuck?"),
    ),
    Kind.FRIENDS: (
        Prompt("communication", "How quickly do you expect an answer to a message?"),
        Prompt("boundaries", "What would you rather not lend, borrow or share?"),
        Prompt("support when stuck", "When you are going through something, how can I show up for you?"),
        Prompt("logistics", "How do we settle money when we do things together?"),
    ),
    Kind.FAMILY: (
        Prompt("boundaries", "Which rooms, times or things are yours alone?"),
        Prompt("logistics", "Who does which chores, and what happens when one is skipped?"),
        Prompt("communication", "How do we disagree without shouting?"),
        Prompt("support when stuck", "When you need help with something hard, how do you want to ask?"),
    ),
    Kind.OTHER: (
        Prompt("boundaries", "What do you need from the other to do your best?"),
        Prompt("logistics", "What does each of us promise to deliver, and by when?"),
        Prompt("support when stuck", "When one of us is stuck, what should the other do first?"),
    ),
}


def prompts_for(kind: Kind) -> tuple[Prompt, ...]:
    """The starter prompts for a kind of relationship: its own first, then the shared ones."""
    return OWN[kind] + SHARED


#: The coach's questions for a blind round, by moment: to start, when it gets hard, and
#: to re-design. Both partners answer privately; the answers show together (SPEC §11).
START, HARD, REDESIGN = "to start", "when it gets hard", "to re-design"

COACHING: tuple[Prompt, ...] = (
    Prompt(START, "What does a good week together look like, for you?"),
    Prompt(START, "What do you most want the other to understand about how you work?"),
    Prompt(START, "What has worked before, with someone else, that you would like here too?"),
    Prompt(HARD, "What is the smallest change from the other that would help most right now?"),
    Prompt(HARD, "What did you expect from the other this week that did not happen?"),
    Prompt(HARD, "What are you not saying because it feels too small to mention?"),
    Prompt(REDESIGN, "Which line of the agreement do you live by without thinking, and which not at all?"),
    Prompt(REDESIGN, "What has changed for you since you last signed this?"),
    Prompt(REDESIGN, "How will each of you know that what you agree now is working?"),
)

COACHING_OWN: dict[Kind, tuple[Prompt, ...]] = {
    Kind.BUSINESS: (Prompt(HARD, "Which deadline last month did you each see differently, and why?"),),
    Kind.COUPLE: (Prompt(HARD, "When did you last feel alone in this home, and what would have helped?"),),
    Kind.WORK: (Prompt(START, "What does working on your own mean to each of you, in a normal week?"),),
    Kind.COACHING: (Prompt(REDESIGN, "What should the coaching do more of, and less of?"),),
    Kind.FRIENDS: (Prompt(HARD, "What do you wish the other would just ask you?"),),
    Kind.FAMILY: (Prompt(START, "What do you each need to feel heard in this family?"),),
    Kind.OTHER: (),
}


def round_prompts_for(kind: Kind) -> tuple[Prompt, ...]:
    """The coach's questions for a blind round, for a kind of relationship."""
    return COACHING_OWN[kind] + COACHING
