"""The command line of SPEC §5: open the app, or create, list and export alliances.

Every failure a person can cause (a usage error, an unknown alliance, a database that
cannot be used) ends with exit status 2 and one line on stderr, never a traceback.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, NoReturn

from . import __version__
from .domain import Kind
from .domain.text import clean_name, clean_partners, clean_title, visible_block
from .domain.views import pending, review_due
from .paths import database_path, make_private_folder

if TYPE_CHECKING:
    import argparse

PROG = "alliance-tui"


class UsageError(Exception):
    """A mistake on the command line, said in one line."""


#: The options that open the app itself, each with its value.
_APP_OPTIONS = ("--db", "--alliance", "--as")


def opening(argv: Sequence[str]) -> SimpleNamespace | None:
    """The app's own options, read without argparse when `argv` holds nothing else, each
    in its plain form (`--db PATH` or `--db=PATH`, `--alliance`, `--as`, `--demo`): as
    `_parser` reads them, the last of each winning. Importing argparse and making its
    parser took 2 ms of every start (SPEC §9). Anything else (a command, `--help`, an
    abbreviation, a value that looks like an option) is None: argparse reads it, and
    says what is wrong with it.
    """
    values: dict[str, str] = {}
    demo = False
    given = iter(argv)
    for arg in given:
        if arg == "--demo":
            demo = True
            continue
        option, equals, value = arg.partition("=")
        if option not in _APP_OPTIONS:
            return None
        if not equals:
            following = next(given, None)
            if following is None or following.startswith("-"):
                return None
            value = following
        values[option] = value
    found = SimpleNamespace(
        command=None, demo=demo, alliance=values.get("--alliance"), bound_to=values.get("--as")
    )
    if "--db" in values:  # as argparse.SUPPRESS: no attribute when not given
        found.db = values["--db"]
    return found


def _parser() -> argparse.ArgumentParser:
    """The whole command line. Opening the app in the usual way never builds it
    (`opening`)."""
    import argparse

    from .domain.export import FORMATS

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            raise UsageError(f"{message} (see `{self.prog} --help`)")

    db = _Parser(add_help=False)
    db.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="the database file (default: $ALLIANCE_TUI_DB, then alliance.json in the user data folder)",
    )
    parser = _Parser(
        prog=PROG,
        description="Two people at one terminal design their alliance, line by line.",
        parents=[db],
    )
    parser.add_argument("--demo", action="store_true", help="open a temporary database of examples")
    parser.add_argument(
        "--alliance", metavar="ALLIANCE", help="open this alliance directly (a title, an id, or a prefix)"
    )
    parser.add_argument(
        "--as",
        metavar="NAME",
        dest="bound_to",
        help="bind this window to one partner: it always acts as them and never passes the keyboard",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    new = subparsers.add_parser("new", parents=[db], help="create an alliance")
    new.add_argument("title", metavar="TITLE")
    new.add_argument("--partners", nargs=2, metavar=("A", "B"), required=True)
    new.add_argument("--kind", choices=[k.value for k in Kind], default=Kind.OTHER.value)
    new.add_argument("--coach", metavar="NAME", help="the coach who sits with them (a seat of their own)")

    subparsers.add_parser("list", parents=[db], help="list alliances")

    verify = subparsers.add_parser(
        "verify", parents=[db], help="check an exported agreement against its version"
    )
    verify.add_argument("file", metavar="FILE")

    export = subparsers.add_parser("export", parents=[db], help="print an agreement")
    export.add_argument("alliance", metavar="ALLIANCE", nargs="?", help="title or id")
    export.add_argument("--format", choices=FORMATS, default="md")
    export.add_argument("--version", type=int, metavar="N", dest="version_number")
    export.add_argument("-o", "--output", metavar="FILE")

    from .serve import DEFAULT_PORT, port_number

    serve = subparsers.add_parser("serve", parents=[db], help="serve the app to browsers: a link per seat")
    serve.add_argument("alliance", metavar="ALLIANCE", nargs="?", help="title or id")
    serve.add_argument(
        "--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1, this machine only)"
    )
    serve.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help=f"the port (default: {DEFAULT_PORT})"
    )
    return parser


def say(text: str, *, error: bool = False) -> None:
    """Write one message for a person: every control character made visible first.

    Everything the command line prints to a person (lists, confirmations, error lines)
    goes out here, so a name holding an escape sequence can never drive the terminal
    (SPEC §8). Exports to a file or a pipe are data, written as they are (`_export`).
    """
    stream = sys.stderr if error else sys.stdout
    stream.write(visible_block(text) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    from .store import DatabaseError, NotFound

    try:
        given = sys.argv[1:] if argv is None else list(argv)
        plain = opening(given)
        if plain is not None:
            return _run_app(plain)  # the app turns the collector on (`alliance_tui.start`)
        args = _parser().parse_args(given)
        if args.command is None:
            return _run_app(args)  # the app turns the collector on (`alliance_tui.start`)
        gc.enable()
        commands = {"new": _new, "list": _list, "export": _export, "serve": _serve, "verify": _verify}
        return commands[args.command](args)
    except (UsageError, NotFound, DatabaseError, ValueError) as error:
        say(f"{PROG}: {error}", error=True)
        return 2
    except BrokenPipeError:
        # The reader went away (`alliance-tui list | head -1`): stop quietly, as cat does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        return 130


def _store(args: argparse.Namespace, *, create: bool = True):  # type: ignore[no-untyped-def]
    from .store import Store

    path, default = database_path(getattr(args, "db", None))
    if default:
        make_private_folder(path.parent)
    store = Store(path, create=create)
    store.read_everything()  # a damaged file is refused whole (SPEC §6), not in part
    return store


def _new(args: argparse.Namespace) -> int:
    names = clean_partners(*args.partners)  # refused names create no database file
    clean_title(args.title)
    coach = None if args.coach is None else clean_name(args.coach, "The coach's name")
    if coach is not None and coach.casefold() in (n.casefold() for n in names):
        raise UsageError(f"The coach needs a name of their own ({args.coach.strip()!r} is a partner).")
    store = _store(args)
    a = store.create(tuple(args.partners), title=args.title, kind=Kind(args.kind), coach=args.coach)
    coached = f", with {a.coach} as their coach" if a.coach else ""
    say(f"Created {a.title} ({a.id}) for {a.names[0]} and {a.names[1]}{coached}.")
    return 0


def _list(args: argparse.Namespace) -> int:
    from datetime import date

    path, default = database_path(getattr(args, "db", None))
    nothing_yet = not path.exists() and (default or path.parent.is_dir())
    store = None if nothing_yet else _store(args, create=False)
    alliances = [] if store is None else store.alliances()
    if not alliances:
        say("No alliances yet. Create one with: alliance-tui new TITLE --partners A B")
        return 0
    assert store is not None
    today = date.today()
    for a in alliances:
        version = f"v{a.version}" + ("*" if a.changed_since_version else "") if a.version else "unsigned"
        due = "  REVIEW DUE" if review_due(a, today) else ""
        altered = store.audit(a.id)
        warning = f"  HISTORY ALTERED: {altered}" if altered else ""
        say(
            f"{a.id}  {a.title}  [{a.kind.value}]  {a.names[0]} & {a.names[1]}  {version}  "
            f"{pending(a)}{due}{warning}"
        )
    return 0


def _verify(args: argparse.Namespace) -> int:
    """Which alliance and signed version an exported agreement is (SPEC §12): exit 0 when
    it matches one, 1 when it matches none (naming the first line that differs)."""
    from .domain.verify import looks, verdict

    try:
        with open(args.file, "rb") as handle:
            raw = handle.read(4_000_001)
    except OSError as error:
        raise UsageError(f"{args.file}: cannot read ({error.strerror or error})") from None
    if len(raw) > 4_000_000:
        raise UsageError(f"{args.file}: too large to be an exported agreement")
    store = _store(args, create=False)
    signed = (
        (a, v, lambda a=a: looks(a, store.history(a.id)))
        for a in store.alliances(archived=True)
        for v in store.versions(a.id)
    )
    matched, message = verdict(raw.decode("utf-8", errors="replace"), signed, name=str(args.file))
    say(message)
    return 0 if matched else 1


def _export(args: argparse.Namespace) -> int:
    import json

    from .domain.export import to_json, to_markdown, to_text

    store = _store(args, create=False)
    a = store.find(args.alliance)
    version = None if args.version_number is None else store.version(a.id, args.version_number)
    if (altered := store.audit(a.id)) is not None:
        # Exported all the same (nothing is lost), but never without saying so.
        say(f"{PROG}: warning: this alliance's file was changed outside the app: {altered}", error=True)
    if args.format == "json":
        text = json.dumps(to_json(a, store.history(a.id), version), ensure_ascii=False, indent=2)
        text = "".join(f"\\u{ord(c):04x}" if 0x7F <= ord(c) <= 0x9F else c for c in text) + "\n"
    elif args.format == "txt":
        text = to_text(a, version)
    else:
        text = to_markdown(a, version)
    if args.output:
        _write_export(args.output, text, store)
        return 0
    if sys.stdout.isatty():
        text = visible_block(text)
    sys.stdout.write(text)
    return 0


def _write_export(output: str, text: str, store) -> None:  # type: ignore[no-untyped-def]
    """Write an export to `-o FILE`: a regular file of its own, readable by its owner only.

    Never the database, its backups or its lock, by any name (a hard link included):
    `export -o alliance.json` would put Markdown where the alliances were. Never through
    a symbolic link planted in its place, and never blocking on a pipe. The file is
    checked once open, before a byte of it is cut, so nothing can be swapped in between.
    """
    import errno
    import stat

    storage = store.storage
    protected = [storage.file, *storage.backups(), storage.lock_path]
    ours = UsageError(f"{output}: this is the database or one of its backups; choose another file for -o")
    if os.path.realpath(output) in {os.path.realpath(path) for path in protected}:
        raise ours
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(output, flags, 0o600)
    except OSError as error:
        if os.path.islink(output):
            raise UsageError(f"{output}: a symbolic link; -o does not follow one, name a file") from None
        if error.errno == errno.ENXIO:  # a pipe nobody reads
            raise UsageError(f"{output}: not a regular file; -o writes only to a file") from None
        raise UsageError(f"{output}: cannot write ({error.strerror or error})") from None
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode):
            raise UsageError(f"{output}: not a regular file; -o writes only to a file")
        for path in protected:
            try:
                kept = os.stat(path)
            except OSError:
                continue
            if (kept.st_dev, kept.st_ino) == (found.st_dev, found.st_ino):
                raise ours
        # What two people wrote about their relationship stays readable by its owner only.
        os.fchmod(fd, 0o600)
        os.ftruncate(fd, 0)
        with os.fdopen(fd, "w", encoding="utf-8", closefd=False) as handle:
            handle.write(text)
    except OSError as error:
        raise UsageError(f"{output}: cannot write ({error.strerror or error})") from None
    finally:
        os.close(fd)


def _serve(args: argparse.Namespace) -> int:
    """Serve one alliance to browsers, an invite link per seat (SPEC §10), until ctrl+c."""
    from .domain.text import visible
    from .serve import serve

    store = _store(args, create=False)
    a = store.find(args.alliance)
    path, _ = database_path(getattr(args, "db", None))

    def title() -> str:
        """The page's title: the product and the alliance as it is titled now."""
        try:
            current = store.load(a.id).title
        except Exception:  # renamed away or deleted meanwhile: the title it had
            current = a.title
        return f"{PROG} — {visible(current)}"

    try:
        return serve(path, a, title, args.host, args.port, say)
    except OSError as error:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}") from None


def _run_app(args: argparse.Namespace | SimpleNamespace) -> int:
    """Open the full-screen app: on the chosen database, or on a temporary demo copy.

    The exit status is the app's: 0 when a person quit, non-zero when it stopped on an
    error (a crash must never look like success to a script or a forced SSH command).
    """
    if not args.demo:
        path, default = database_path(getattr(args, "db", None))
        if default:
            make_private_folder(path.parent)
        from .store.files import prefetch

        prefetch(path)  # read while Textual is imported, just below (SPEC §9)

    import tempfile

    from .app import AllianceApp
    from .store import Store

    if args.demo:
        import signal
        from datetime import timedelta

        from .demo import make_demo
        from .store import utc_now

        def hang_up(*_: object) -> None:
            # The terminal closed: leave through the `with`, so the demo's folder goes too.
            raise SystemExit(129)

        signal.signal(signal.SIGHUP, hang_up)
        with tempfile.TemporaryDirectory(prefix="alliance-tui-demo-") as folder:
            path = Path(folder) / "demo.json"
            # Written as if begun yesterday, so that its trials and review dates fall
            # where they would today; what the person then does is stamped at real times.
            started = utc_now() - timedelta(days=1)
            store = make_demo(path, start=started, then=utc_now)
            chosen = _chosen(store, args.alliance or store.alliances()[0].id, args.bound_to)
            app = AllianceApp(path, alliance=chosen, bound_to=args.bound_to, store=store, demo=True)
            app.run()
            _say_kept(app)
        return _status(app)
    store = Store(path)  # refuse an unusable file here, with one line and exit status 2
    chosen = _chosen(store, args.alliance, args.bound_to)
    app = AllianceApp(path, alliance=chosen, bound_to=args.bound_to, store=store)
    app.run()
    _say_kept(app)
    return _status(app)


def _say_kept(app) -> None:  # type: ignore[no-untyped-def]
    """What an editor left open at the end was kept as (issue 12): said, never silent.

    Through `say`, as every line for a person: the sentences hold names, titles and what
    was typed, and a name holding an escape sequence must not drive the terminal (SPEC §8).
    """
    window = getattr(app, "window", None)
    for said in getattr(window, "kept", ()):
        say(_fitted(f"{PROG}: {said}"), error=True)


def _fitted(sentence: str) -> str:
    """A sentence for the terminal, wrapped between words at its width: the terminal broke
    "…kept as the|ir private draft" mid-word at 80 columns. As it is when not a terminal."""
    if not sys.stderr.isatty():
        return sentence
    import shutil
    import textwrap

    width = shutil.get_terminal_size().columns
    return textwrap.fill(sentence, max(width - 1, 40), break_long_words=False, break_on_hyphens=False)


def _chosen(store, ref: str | None, bound_to: str | None) -> str | None:  # type: ignore[no-untyped-def]
    """The alliance to open (None: the app chooses), refusing what cannot be opened.

    `--alliance` must name one alliance; `--as NAME` must name one of its partners (with
    one alliance in the file it may be left out). Either mistake is one line, exit 2.
    """
    from .domain import Refused
    from .domain.seats import role_named

    if ref is None and bound_to is None:
        return None
    # Opened straight at it, as the app does: the rest of the file is checked just after
    # the first frame, not before it (`Store.alliances`, SPEC §9).
    a = store.find(ref, opening=True)
    if bound_to is not None:
        try:
            role_named(a, bound_to)
        except Refused as refusal:
            raise UsageError(refusal.reason) from None
    return str(a.id)


def _status(app) -> int:  # type: ignore[no-untyped-def]
    """The app's exit status, and its last words on stderr when it gave any."""
    code = app.return_code
    return 0 if code is None else int(code)
