"""Every command of the app, once: its keys, names, help, where it applies and why not.

SPEC §4's key map is a contract. One entry per command holds everything about it; the
bindings, the key bar, the help screen, the command palette and the "why not" notices
are all made from this table, so they cannot disagree, and adding a command is adding
one entry (and the method it runs).

A command's `rule` says whether it applies *now*: given the `Situation` (the alliance
as shown, the window's seat, the selected line), it returns None or the sentence that
explains why not. Line commands ask the domain's own guards (`rules.may_…`): no rule is
restated here.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from .domain import Alliance, Line, alliance_rules, checkins, rounds, rules
from .domain.seats import Seat, may_pass

if TYPE_CHECKING:
    from textual.binding import BindingType


class Where(StrEnum):
    """Where a command applies; the help screen's groups, in this order."""

    EVERYWHERE = "Everywhere"
    MAIN = "Main screen"
    LISTS = "Lists"
    LINE = "A selected line"
    CHECKIN = "Check-in screen (h)"
    EDITOR = "Line editor and dialogs"
    ALLIANCES = "Alliance list (ctrl+o)"
    PALETTE = "Command palette only"


class Situation(NamedTuple):
    """What a rule looks at: the alliance as this window shows it, and who acts here."""

    alliance: Alliance
    seat: Seat
    line: Line | None = None
    #: The history shows one line only (so `f` applies without a selection).
    filtering: bool = False


Rule = Callable[[Situation], str | None]

SELECT_FIRST = "Select a line first: 1 and 2 are the partners' panes, 3 the agreement."


def on_line(
    guard: Callable[[Alliance, int, Line], None],
    seat: Callable[[Alliance, int], None] = rules.may_draft,
) -> Rule:
    """A rule for a command on the selected line, asking the domain's `guard`. With no
    line selected, a seat that may never do it hears so (`seat`: the partners', unless
    said otherwise), not to select a line first (the coach pressing `a` was sent to
    select one, then refused)."""

    def rule(situation: Situation) -> str | None:
        if situation.line is None:
            return rules.refusal(seat, situation.alliance, situation.seat.role) or SELECT_FIRST
        return rules.refusal(guard, situation.alliance, situation.seat.role, situation.line)

    return rule


def by_seat(guard: Callable[[Alliance, int], None]) -> Rule:
    """A rule for a command of the whole alliance, asking the domain's `guard` about the
    role this window acts as."""

    def rule(situation: Situation) -> str | None:
        return rules.refusal(guard, situation.alliance, situation.seat.role)

    return rule


def _needs_line(situation: Situation) -> str | None:
    return SELECT_FIRST if situation.line is None else None


def _filter(situation: Situation) -> str | None:
    return None if situation.filtering else _needs_line(situation)


_sign = by_seat(rules.may_sign)


_new_line = by_seat(rules.may_draft)


def _pass(situation: Situation) -> str | None:
    return rules.refusal(may_pass, situation.alliance, situation.seat)


_partner = by_seat(rules.may_draft)


_coach = by_seat(alliance_rules.may_coach)


def _round(situation: Situation) -> str | None:
    a, role = situation.alliance, situation.seat.role
    guard = rounds.may_ask if a.round is None else rounds.may_answer
    return rules.refusal(guard, a, role)


_ask = by_seat(rounds.may_ask)


_withdraw_round = by_seat(rounds.may_withdraw_round)


_round_answers = by_seat(rounds.may_read_answers)


_check_in = by_seat(checkins.may_check_in)


def _last_check_in(situation: Situation) -> str | None:
    if not situation.alliance.checkins:
        return "No check-in has been revealed yet: h starts one."
    return None


_withdraw_check_in = by_seat(checkins.may_withdraw_checkin)


def _rate(situation: Situation) -> str | None:
    if situation.line is None:
        return "Select a line first: up and down move between the agreed lines."
    return rules.refusal(checkins.may_rate, situation.alliance, situation.seat.role, situation.line.id)


_finish = by_seat(checkins.may_finish)


_answer_change = by_seat(alliance_rules.may_answer_change)


_set_coach = by_seat(alliance_rules.may_change)


_remove_coach = by_seat(alliance_rules.may_remove_coach)


def _propose_deletion(situation: Situation) -> str | None:
    if (why := _partner(situation)) is not None:
        return why
    if not alliance_rules.needs_consent(situation.alliance):
        return "Nothing is agreed yet: delete it from the alliance list (ctrl+o, delete)."
    return None


def _reset(situation: Situation) -> str | None:
    a, role = situation.alliance, situation.seat.role
    if (why := _partner(situation)) is not None:
        return why
    them = a.partners[1 - role]
    return None if them.passphrase is not None else f"{them.name} has no passphrase to reset."


def shared_only(name: str) -> str:
    """Why a window bound to `name` (`--as`, a served seat) starts no alliance: a seat
    belongs to one alliance, and a served one never learns of the others."""
    return (
        f"This window is {name}'s seat in this alliance: a new alliance is started at a "
        "shared window (alliance-tui), or with: alliance-tui new."
    )


def _shared_window(situation: Situation) -> str | None:
    seat = situation.seat
    return shared_only(situation.alliance.name(seat.role)) if seat.bound else None


def _in_browser(situation: Situation) -> str | None:
    """Downloads reach a browser only: this window runs in one when textual-serve started
    it with the web driver (the same variable Textual reads to choose its driver)."""
    import os

    if os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver"):
        return None
    return NOT_IN_BROWSER


NOT_IN_BROWSER = "Downloading is for a browser (alliance-tui serve); here, use: alliance-tui export -o FILE."


class Command(NamedTuple):
    """One command: what runs, how a person reaches it, and when it applies."""

    #: The action it runs (`action_<name>` on the screen where it applies, or the app).
    action: str
    #: Its name in the command palette (SPEC §4).
    name: str
    where: Where
    #: One sentence for the help screen, the palette and the key's tooltip.
    help: str
    #: The keys as Textual binds them, comma-separated ("" for palette-only commands).
    keys: str = ""
    #: The keys as a person reads them.
    shown: str = ""
    #: The key bar's short word.
    label: str = ""
    #: Why it does not apply now (None: it always applies where it is).
    rule: Rule | None = None
    #: Offered in the key bar when it applies.
    footer: bool = True
    #: Taken before any focused widget sees the key.
    priority: bool = False


COMMANDS: tuple[Command, ...] = (
    # -- everywhere --------------------------------------------------------------------------
    Command(
        action="quit",
        name="Quit",
        where=Where.EVERYWHERE,
        keys="ctrl+q",
        shown="ctrl+q",
        label="Quit",
        help="Leave the app; everything is already saved (an open line editor's wording is kept as a draft).",
        footer=False,
        priority=True,
    ),
    Command(
        action="command_palette",
        name="Command palette",
        where=Where.EVERYWHERE,
        keys="ctrl+p",
        shown="ctrl+p",
        label="Commands",
        help="Search every command by name.",
        footer=False,
    ),
    Command(
        action="help",
        name="Help",
        where=Where.EVERYWHERE,
        keys="f1,question_mark",
        shown="f1, ?",
        label="Help",
        help="How the negotiation goes, and every key.",
    ),
    Command(
        action="pass_keyboard",
        name="Pass the keyboard",
        where=Where.EVERYWHERE,
        keys="ctrl+t",
        shown="ctrl+t",
        label="Pass",
        help=(
            "A shared window: the other partner takes the seat, on the first thing that waits "
            "for them. A window bound to one person (--as) never passes."
        ),
        rule=_pass,
    ),
    Command(
        action="tour",
        name="Take the tour",
        where=Where.PALETTE,
        help="Five short pages on how the negotiation goes (shown once, the first time).",
    ),
    Command(
        action="new_alliance",
        name="New alliance",
        where=Where.EVERYWHERE,
        keys="ctrl+n",
        shown="ctrl+n",
        label="New alliance",
        help="Start another alliance (at a shared window: one bound to a person stays theirs).",
        footer=False,
        rule=_shared_window,
    ),
    Command(
        action="open_alliance",
        name="Open alliance",
        where=Where.EVERYWHERE,
        keys="ctrl+o",
        shown="ctrl+o",
        label="Open",
        help="List the alliances in this database and open one.",
        footer=False,
    ),
    # -- the main screen ---------------------------------------------------------------------
    Command(
        action="next_pane",
        name="Next pane",
        where=Where.MAIN,
        shown="tab, shift+tab",
        label="Pane",
        help="Move to the next or previous pane.",
    ),
    Command(
        action="focus_pane('partner-a')",
        name="Focus partner A",
        where=Where.MAIN,
        keys="1",
        shown="1",
        label="A",
        help="The first partner's lines.",
        footer=False,
    ),
    Command(
        action="focus_pane('partner-b')",
        name="Focus partner B",
        where=Where.MAIN,
        keys="2",
        shown="2",
        label="B",
        help="The second partner's lines.",
        footer=False,
    ),
    Command(
        action="focus_pane('agreement')",
        name="Focus agreement",
        where=Where.MAIN,
        keys="3",
        shown="3",
        label="Agreement",
        help="The shared agreement.",
        footer=False,
    ),
    Command(
        action="focus_pane('history')",
        name="Focus history",
        where=Where.MAIN,
        keys="4",
        shown="4",
        label="History",
        help="The timeline of everything that happened.",
        footer=False,
    ),
    Command(
        action="new_line",
        name="New line",
        where=Where.MAIN,
        keys="n",
        shown="n",
        label="New line",
        help="Write a new line: a private draft of this window's partner.",
        rule=_new_line,
    ),
    Command(
        action="copy_agreement",
        name="Copy agreement",
        where=Where.MAIN,
        keys="c",
        shown="c",
        label="Copy",
        help="Copy the agreement as Markdown to the clipboard.",
    ),
    Command(
        action="versions",
        name="Versions",
        where=Where.MAIN,
        keys="v",
        shown="v",
        label="Versions",
        help="The signed versions of the agreement; compare two.",
        footer=False,
    ),
    Command(
        action="sign",
        name="Sign",
        where=Where.MAIN,
        keys="s",
        shown="s",
        label="Sign",
        help="This window's partner signs the current agreement; both signatures make a version.",
        rule=_sign,
    ),
    Command(
        action="blind_round",
        name="Blind round",
        where=Where.MAIN,
        keys="b",
        shown="b",
        label="Round",
        help=(
            "Ask a question both partners answer privately; while one is open, write (or, "
            "before the reveal, edit) your answer. Both answers show together."
        ),
        rule=_round,
    ),
    Command(
        action="ask_from_prompts",
        name="Ask a starter question",
        where=Where.PALETTE,
        help="Open a blind round with a coach's question: to start, when it gets hard, to re-design.",
        rule=_ask,
    ),
    Command(
        action="withdraw_round",
        name="Withdraw the question",
        where=Where.PALETTE,
        help="Take back a blind round's question nobody has answered yet (whoever asked it).",
        rule=_withdraw_round,
    ),
    Command(
        action="round_answers",
        name="Last round's answers",
        where=Where.PALETTE,
        help="The two answers of the last blind round, side by side under its question.",
        rule=_round_answers,
    ),
    Command(
        action="note",
        name="Coach's note",
        where=Where.MAIN,
        keys="o",
        shown="o",
        label="Note",
        help="The coach's seat: an observation into the timeline, for both partners to read.",
        rule=_coach,
    ),
    # -- lists -------------------------------------------------------------------------------
    Command(
        action="move",
        name="Move",
        where=Where.LISTS,
        shown="up down j k home end",
        label="Move",
        help="Move the selection in a list.",
    ),
    # -- a selected line ---------------------------------------------------------------------
    Command(
        action="edit",
        name="Edit",
        where=Where.LINE,
        keys="e",
        shown="e, enter",
        label="Edit",
        help="Change your own draft (or revise your declined or withdrawn wording).",
        rule=on_line(rules.may_edit),
    ),
    Command(
        action="propose",
        name="Propose",
        where=Where.LINE,
        keys="p",
        shown="p",
        label="Propose",
        help="Offer your draft to your partner.",
        rule=on_line(rules.may_propose),
    ),
    Command(
        action="accept",
        name="Accept",
        where=Where.LINE,
        keys="a",
        shown="a",
        label="Accept",
        help="Accept a wording that waits for you: it enters the agreement.",
        rule=on_line(rules.may_accept),
    ),
    Command(
        action="amend",
        name="Amend",
        where=Where.LINE,
        keys="m",
        shown="m",
        label="Amend",
        help="Answer a wording that waits for you with a different wording.",
        rule=on_line(rules.may_amend),
    ),
    Command(
        action="decline",
        name="Decline",
        where=Where.LINE,
        keys="x",
        shown="x",
        label="Decline",
        help="Refuse a wording that waits for you, with an optional reason.",
        rule=on_line(rules.may_decline),
    ),
    Command(
        action="withdraw",
        name="Withdraw",
        where=Where.LINE,
        keys="w",
        shown="w",
        label="Withdraw",
        help="Take back your own proposal before it is answered.",
        rule=on_line(rules.may_withdraw),
    ),
    Command(
        action="delete_draft",
        name="Delete draft",
        where=Where.LINE,
        keys="delete",
        shown="delete",
        label="Delete",
        help="Delete your own draft (asks first).",
        rule=on_line(rules.may_delete),
    ),
    Command(
        action="reopen",
        name="Reopen",
        where=Where.LINE,
        keys="r",
        shown="r",
        label="Reopen",
        help="Re-design an agreed line: propose a new wording or its removal.",
        rule=on_line(rules.may_reopen),
    ),
    Command(
        action="copy_line",
        name="Copy line",
        where=Where.LINE,
        keys="C",
        shown="C",
        label="Copy line",
        help="Copy the selected line's wording.",
        rule=_needs_line,
        footer=False,
    ),
    Command(
        action="story",
        name="Line story",
        where=Where.LINE,
        keys="i",
        shown="i",
        label="Story",
        help="The selected line's whole negotiation: every wording, who, when and why.",
        rule=_needs_line,
        footer=False,
    ),
    Command(
        action="filter_history",
        name="Filter history",
        where=Where.LINE,
        keys="f",
        shown="f",
        label="Filter",
        help="Show only the selected line in the history; press again to show everything.",
        rule=_filter,
        footer=False,
    ),
    Command(
        action="flag",
        name="Needs more conversation",
        where=Where.LINE,
        keys="exclamation_mark",
        shown="!",
        label="Mark",
        help="The coach's seat: mark the selected line as needing more conversation (again: unmark).",
        rule=on_line(alliance_rules.may_flag, seat=alliance_rules.may_coach),
    ),
    # -- check-ins (SPEC §12) ------------------------------------------------------------------
    # `h` is a main-screen key, listed after the line commands: the key bar keeps the
    # keys listed first when 80 columns cannot hold them all, and a line's keys come first.
    Command(
        action="check_in",
        name="Check-in",
        where=Where.MAIN,
        keys="h",
        shown="h",
        label="Check-in",
        help=(
            "How is it going? Each partner rates every agreed line privately: working, wobbly or "
            "not working. Both finished, the ratings show together."
        ),
        rule=_check_in,
    ),
    Command(
        action="last_check_in",
        name="Last check-in",
        where=Where.PALETTE,
        help="The ratings of the last check-in both partners finished, the lines not working first.",
        rule=_last_check_in,
    ),
    Command(
        action="withdraw_check_in",
        name="Withdraw the check-in",
        where=Where.PALETTE,
        help="End the open check-in unrevealed: every rating in it is discarded, never shown.",
        rule=_withdraw_check_in,
    ),
    # -- the check-in screen -----------------------------------------------------------------
    Command(
        action="rate_working",
        name="Rate: working",
        where=Where.CHECKIN,
        keys="1",
        shown="1",
        label="Working",
        help="The selected line is working for you (✓).",
        rule=_rate,
    ),
    Command(
        action="rate_wobbly",
        name="Rate: wobbly",
        where=Where.CHECKIN,
        keys="2",
        shown="2",
        label="Wobbly",
        help="The selected line is wobbly for you (~).",
        rule=_rate,
    ),
    Command(
        action="rate_not_working",
        name="Rate: not working",
        where=Where.CHECKIN,
        keys="3",
        shown="3",
        label="Not working",
        help="The selected line is not working for you (✗).",
        rule=_rate,
    ),
    Command(
        action="rating_note",
        name="Note on the rating",
        where=Where.CHECKIN,
        keys="n",
        shown="n",
        label="Note",
        help="A note on your rating of the selected line, private like the rating (enter saves).",
        rule=_rate,
    ),
    Command(
        action="finish_check_in",
        name="Finish check-in",
        where=Where.CHECKIN,
        keys="enter",
        shown="enter",
        label="Finish",
        help=(
            "Once every line is rated: yours are sealed until your partner finishes, then both show. "
            "After the reveal: set the next review date."
        ),
        rule=_finish,
    ),
    Command(
        action="reopen_rated",
        name="Reopen the rated line",
        where=Where.CHECKIN,
        keys="r",
        shown="r",
        label="Reopen",
        help="Re-design the selected line: propose a new wording or its removal.",
        rule=on_line(rules.may_reopen),
    ),
    Command(
        action="close_check_in",
        name="Close the check-in",
        where=Where.CHECKIN,
        keys="escape",
        shown="escape",
        label="Close",
        help="Back to the main screen; your ratings so far are kept, still private.",
    ),
    # -- the alliance list -------------------------------------------------------------------
    Command(
        action="open_selected",
        name="Open the selected alliance",
        where=Where.ALLIANCES,
        keys="enter",
        shown="enter",
        label="Open",
        help="Open the alliance highlighted in the list.",
        # At once as the key is read: through the list's own `enter` (a message, later),
        # the keys typed with it were lost to the list before the alliance opened.
        priority=True,
    ),
    Command(
        action="rename_alliance",
        name="Rename alliance",
        where=Where.ALLIANCES,
        keys="r",
        shown="r",
        label="Rename",
        help="Give the highlighted alliance a new title.",
    ),
    Command(
        action="archive_alliance",
        name="Archive or unarchive alliance",
        where=Where.ALLIANCES,
        keys="a",
        shown="a",
        label="Archive",
        help=(
            "Put the highlighted alliance away, or bring an archived one back; when a change "
            "to it waits for you, accept it."
        ),
    ),
    Command(
        action="decline_change",
        name="Decline the change proposed to the alliance",
        where=Where.ALLIANCES,
        keys="x",
        shown="x",
        label="Decline",
        help=(
            "When a rename, re-kind, change of coach or deletion waits for you: the alliance stays as it is."
        ),
    ),
    Command(
        action="coach_alliance",
        name="Add, change or remove the coach",
        where=Where.ALLIANCES,
        keys="c",
        shown="c",
        label="Coach",
        help=(
            "Name the highlighted alliance's coach, another one, or none (leave it empty): at "
            "once before anything is agreed, else the other partner accepts it."
        ),
    ),
    Command(
        action="toggle_archived",
        name="Show or hide archived alliances",
        where=Where.ALLIANCES,
        keys="h",
        shown="h",
        label="Archived",
        help="Archived alliances are hidden until you ask for them.",
    ),
    Command(
        action="delete_alliance",
        name="Delete alliance",
        where=Where.ALLIANCES,
        keys="delete",
        shown="delete",
        label="Delete",
        help="Delete the highlighted alliance and everything in it, for good (asks first).",
    ),
    # -- the command palette only ------------------------------------------------------------
    Command(
        action="prompts",
        name="Starter prompts",
        where=Where.PALETTE,
        help="Questions a coach would ask: answer one as a new draft.",
        rule=_new_line,
    ),
    Command(
        action="passphrase",
        name="Set passphrase",
        where=Where.PALETTE,
        help="This window's partner sets, changes or removes the passphrase that guards their seat.",
        rule=_partner,
    ),
    Command(
        action="review_date",
        name="Set review date",
        where=Where.PALETTE,
        help="When to sit down and re-design the alliance together.",
        rule=_partner,
    ),
    Command(
        action="rename",
        name="Rename this alliance",
        where=Where.PALETTE,
        help="A new title: at once before anything is agreed, else the other partner accepts it.",
        rule=_partner,
    ),
    Command(
        action="rekind",
        name="Change the relationship's kind",
        where=Where.PALETTE,
        help="Business, couple, work, …: at once before anything is agreed, else by consent.",
        rule=_partner,
    ),
    Command(
        action="set_coach",
        name="Add or change the coach",
        where=Where.PALETTE,
        help=(
            "Name a coach, who sits with you in a seat of their own, or another one: at once "
            "before anything is agreed, else the other partner accepts it."
        ),
        rule=_set_coach,
    ),
    Command(
        action="remove_coach",
        name="Remove the coach",
        where=Where.PALETTE,
        help="The coach's seat goes: at once before anything is agreed, else the other partner accepts it.",
        rule=_remove_coach,
    ),
    Command(
        action="propose_deletion",
        name="Propose deleting this alliance",
        where=Where.PALETTE,
        help="Once anything is agreed, deleting the alliance needs the other partner's consent.",
        rule=_propose_deletion,
    ),
    Command(
        action="accept_change",
        name="Accept the proposed change",
        where=Where.PALETTE,
        help="Consent to the rename, re-kind, change of coach or deletion the other partner proposed.",
        rule=_answer_change,
    ),
    Command(
        action="decline_change",
        name="Decline the proposed change",
        where=Where.PALETTE,
        help="The alliance stays as it is.",
        rule=_answer_change,
    ),
    Command(
        action="reset_passphrase",
        name="Reset the other partner's passphrase",
        where=Where.PALETTE,
        help="For a forgotten passphrase: done in the open, the history and header say so.",
        rule=_reset,
    ),
    Command(
        action="app.download_agreement",
        name="Download agreement",
        where=Where.PALETTE,
        help="In a browser: save the agreement as a Markdown file (what Copy agreement copies).",
        rule=_in_browser,
    ),
    # -- the line editor and dialogs ---------------------------------------------------------
    Command(
        action="save",
        name="Save",
        where=Where.EDITOR,
        shown="enter",
        label="Save",
        help="Save what you wrote.",
    ),
    Command(
        action="pick_prompt",
        name="Pick a prompt",
        where=Where.EDITOR,
        keys="f2",
        shown="f2",
        label="Prompts",
        help="In the new-line editor: answer one of the starter prompts.",
    ),
    Command(
        action="cancel",
        name="Cancel",
        where=Where.EDITOR,
        shown="escape",
        label="Cancel",
        help="Close without saving.",
    ),
)

#: The main screen's and the app's commands by action (the alliance list has its own).
BY_ACTION: dict[str, Command] = {
    command.action: command
    for command in COMMANDS
    if command.where is not Where.ALLIANCES and command.where is not Where.CHECKIN
}


def by_action(action: str, where: Where | None = None) -> Command:
    """The command that runs `action` (in `where`, when two places share an action name)."""
    for command in COMMANDS:
        if command.action == action and (where is None or command.where is where):
            return command
    raise KeyError(action)


def by_name(name: str) -> Command:
    """A command by its palette name."""
    for command in COMMANDS:
        if command.name == name:
            return command
    raise KeyError(name)


def in_group(where: Where) -> list[Command]:
    return [command for command in COMMANDS if command.where is where]


def bindings(*places: Where) -> list[BindingType]:
    """The bindings of the commands that apply in `places`, each followed by a hidden twin
    that explains a refusal.

    When a command's rule says it does not apply, `check_action` hides its binding and
    Textual falls through to the twin, which says why in a notification.
    """
    from textual.binding import Binding

    made: list[BindingType] = []
    for command in COMMANDS:
        if command.where not in places or not bindable(command) or command.action == "command_palette":
            continue
        made.append(
            Binding(
                command.keys,
                command.action,
                command.label,
                show=command.footer,
                tooltip=command.help,
                id=command.action,
                priority=command.priority,
            )
        )
        if command.rule is not None:
            made.append(Binding(command.keys, f"explain('{command.action}')", show=False))
    return made


#: Commands whose own widget or dialog handles the key: bound nowhere from this table.
def bindable(command: Command) -> bool:
    return bool(command.keys) and command.where not in (Where.EDITOR, Where.LISTS)
