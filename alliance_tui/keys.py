"""The key map of SPEC §4, in one place.

Bindings, the footer, the help screen and the command palette are all made from this
table, so they cannot disagree.
"""

from __future__ import annotations

from typing import NamedTuple

EVERYWHERE = "Everywhere"
MAIN = "Main screen"
LISTS = "Lists"
LINE = "A selected line"
EDITOR = "Line editor and dialogs"
ALLIANCES = "Alliance list (ctrl+o)"
PALETTE = "Command palette only"


class Key(NamedTuple):
    """One row of the key map."""

    keys: str  # as Textual binds them, comma-separated
    shown: str  # as a person reads them
    command: str  # the command palette's name for it (SPEC §4)
    action: str  # the action it runs; "" for keys the widgets handle themselves
    where: str
    label: str  # the footer's short word
    help: str


KEYMAP: tuple[Key, ...] = (
    Key(
        "ctrl+q", "ctrl+q", "Quit", "quit", EVERYWHERE, "Quit", "Leave the app; everything is already saved."
    ),
    Key(
        "ctrl+p",
        "ctrl+p",
        "Command palette",
        "command_palette",
        EVERYWHERE,
        "Commands",
        "Search every command by name.",
    ),
    Key("f1,question_mark", "f1, ?", "Help", "help", EVERYWHERE, "Help", "This screen."),
    Key(
        "ctrl+t",
        "ctrl+t",
        "Pass the keyboard",
        "pass_keyboard",
        EVERYWHERE,
        "Pass",
        "The other partner becomes active.",
    ),
    Key(
        "ctrl+n",
        "ctrl+n",
        "New alliance",
        "new_alliance",
        EVERYWHERE,
        "New alliance",
        "Start another alliance.",
    ),
    Key(
        "ctrl+o",
        "ctrl+o",
        "Open alliance",
        "open_alliance",
        EVERYWHERE,
        "Open",
        "List the alliances in this database and open one.",
    ),
    Key(
        "tab,shift+tab", "tab, shift+tab", "Next pane", "", MAIN, "Pane", "Move to the next or previous pane."
    ),
    Key("1", "1", "Focus partner A", "focus_pane('partner-a')", MAIN, "A", "The first partner's lines."),
    Key("2", "2", "Focus partner B", "focus_pane('partner-b')", MAIN, "B", "The second partner's lines."),
    Key("3", "3", "Focus agreement", "focus_pane('agreement')", MAIN, "Agreement", "The shared agreement."),
    Key(
        "4",
        "4",
        "Focus history",
        "focus_pane('history')",
        MAIN,
        "History",
        "The timeline of everything that happened.",
    ),
    Key(
        "n",
        "n",
        "New line",
        "new_line",
        MAIN,
        "New line",
        "Write a new line as the active partner's private draft.",
    ),
    Key(
        "c",
        "c",
        "Copy agreement",
        "copy_agreement",
        MAIN,
        "Copy",
        "Copy the agreement as Markdown to the clipboard.",
    ),
    Key("v", "v", "Versions", "versions", MAIN, "Versions", "The signed versions of the agreement."),
    Key(
        "s",
        "s",
        "Sign",
        "sign",
        MAIN,
        "Sign",
        "The active partner signs the current agreement; both signatures make a version.",
    ),
    Key(
        "up,down,j,k,home,end",
        "up down j k home end",
        "Move",
        "",
        LISTS,
        "Move",
        "Move the selection in a list.",
    ),
    Key(
        "e",
        "e, enter",
        "Edit",
        "edit",
        LINE,
        "Edit",
        "Change your own draft (or revise your declined or withdrawn wording).",
    ),
    Key("p", "p", "Propose", "propose", LINE, "Propose", "Offer your draft to your partner."),
    Key(
        "a",
        "a",
        "Accept",
        "accept",
        LINE,
        "Accept",
        "Accept a wording that waits for you: it enters the agreement.",
    ),
    Key(
        "m",
        "m",
        "Amend",
        "amend",
        LINE,
        "Amend",
        "Answer a wording that waits for you with a different wording.",
    ),
    Key(
        "x",
        "x",
        "Decline",
        "decline",
        LINE,
        "Decline",
        "Refuse a wording that waits for you, with an optional reason.",
    ),
    Key(
        "w",
        "w",
        "Withdraw",
        "withdraw",
        LINE,
        "Withdraw",
        "Take back your own proposal before it is answered.",
    ),
    Key(
        "delete",
        "delete",
        "Delete draft",
        "delete_draft",
        LINE,
        "Delete",
        "Delete your own draft (asks first).",
    ),
    Key(
        "r",
        "r",
        "Reopen",
        "reopen",
        LINE,
        "Reopen",
        "Re-design an agreed line: propose a new wording or its removal.",
    ),
    Key("C", "C", "Copy line", "copy_line", LINE, "Copy line", "Copy the selected line's wording."),
    Key(
        "i",
        "i",
        "Line story",
        "story",
        LINE,
        "Story",
        "The selected line's whole negotiation: every wording, who, when and why.",
    ),
    Key(
        "f",
        "f",
        "Filter history",
        "filter_history",
        LINE,
        "Filter",
        "Show only the selected line in the history; press again to show everything.",
    ),
    Key(
        "enter",
        "enter",
        "Open the selected alliance",
        "open_selected",
        ALLIANCES,
        "Open",
        "Open the alliance highlighted in the list.",
    ),
    Key(
        "r",
        "r",
        "Rename alliance",
        "rename_alliance",
        ALLIANCES,
        "Rename",
        "Give the highlighted alliance a new title.",
    ),
    Key(
        "a",
        "a",
        "Archive or unarchive alliance",
        "archive_alliance",
        ALLIANCES,
        "Archive",
        "Put the highlighted alliance away, or bring an archived one back.",
    ),
    Key(
        "h",
        "h",
        "Show or hide archived alliances",
        "toggle_archived",
        ALLIANCES,
        "Archived",
        "Archived alliances are hidden until you ask for them.",
    ),
    Key(
        "delete",
        "delete",
        "Delete alliance",
        "delete_alliance",
        ALLIANCES,
        "Delete",
        "Delete the highlighted alliance and everything in it, for good (asks first).",
    ),
    Key(
        "",
        "",
        "Starter prompts",
        "prompts",
        PALETTE,
        "Prompts",
        "Questions a coach would ask: answer one as a new draft.",
    ),
    Key(
        "",
        "",
        "Set passphrase",
        "passphrase",
        PALETTE,
        "Passphrase",
        "The active partner sets, changes or removes the passphrase that guards their turn.",
    ),
    Key(
        "",
        "",
        "Set review date",
        "review_date",
        PALETTE,
        "Review",
        "When to sit down and re-design the alliance together.",
    ),
    Key("enter", "enter", "Save", "", EDITOR, "Save", "Save what you wrote."),
    Key(
        "f2",
        "f2",
        "Pick a prompt",
        "",
        EDITOR,
        "Prompts",
        "In the new-line editor: answer one of the starter prompts.",
    ),
    Key("escape", "escape", "Cancel", "", EDITOR, "Cancel", "Close without saving."),
)

GROUPS = (EVERYWHERE, MAIN, LISTS, LINE, EDITOR, ALLIANCES, PALETTE)


def by_action(action: str) -> Key:
    for key in KEYMAP:
        if key.action == action:
            return key
    raise KeyError(action)


def by_command(command: str) -> Key:
    """A row by its palette name (for keys that a screen binds itself, action "")."""
    for key in KEYMAP:
        if key.command == command:
            return key
    raise KeyError(command)
