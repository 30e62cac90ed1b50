"""`alliance-tui serve`: each partner joins from a browser, on a link of their own (SPEC §10).

Each invite link carries a random token that names one seat; each browser tab runs its
own copy of the app on the same database file, bound to that seat (`--as NAME`). The
web side (textual-serve, and every use of its internals) is in `serve_web`.
"""

from __future__ import annotations

import ipaddress
import shlex
import socket
import sys
from collections.abc import Callable
from pathlib import Path

from .domain import Alliance

#: The port when `--port` is not given.
DEFAULT_PORT = 8000


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host` (127.0.0.0/8, ::1, localhost)."""
    if host.strip().casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def link_host(host: str) -> str:
    """The host part of an invite link for the address listened on."""
    bare = host.strip("[]")
    if bare in ("", "0.0.0.0", "::"):
        return socket.gethostname()  # every address: name this machine, not "0.0.0.0"
    try:
        return f"[{bare}]" if ipaddress.ip_address(bare).version == 6 else bare
    except ValueError:
        return bare


def invite_url(host: str, port: int, token: str) -> str:
    return f"http://{link_host(host)}:{port}/s/{token}"


def seat_names(a: Alliance) -> list[str]:
    """Everyone who holds a seat in the alliance, in the order a shared seat passes: the
    two partners, then the coach if the alliance has one (SPEC §10, §11)."""
    return [a.name(role) for role in a.seats()]


def app_command(db_path: Path, alliance_id: str, name: str) -> str:
    """The shell command textual-serve runs for one tab: the app, bound to `name`.

    Every part is quoted, and given as `--option=value`, so a name is only ever a name
    (a leading dash or a `;` in it included).
    """
    parts = [
        sys.executable,
        "-m",
        "alliance_tui",
        f"--db={db_path}",
        f"--alliance={alliance_id}",
        f"--as={name}",
    ]
    return " ".join(shlex.quote(part) for part in parts)


def unencrypted_warning(host: str, port: int) -> str:
    return (
        f"warning: listening on {host}, beyond this machine, without encryption: anyone on the way "
        "can read the links and what is typed. Prefer the default (127.0.0.1) with an SSH tunnel "
        f"(each partner runs `ssh -L {port}:127.0.0.1:{port} you@this-host` and opens their link on "
        "their own machine), or put a TLS proxy (Caddy, nginx) in front."
    )


def serve(
    db_path: Path,
    alliance: Alliance,
    title: Callable[[], str],
    host: str,
    port: int,
    say: Callable[..., None],
) -> int:
    """Serve `alliance` until ctrl+c; print one invite line per seat once listening.

    Raises OSError when the address cannot be listened on (in use, not this machine's).
    """
    from .serve_web import Invite, SeatServer, new_token, serve_forever

    invites = [Invite(name, new_token()) for name in seat_names(alliance)]
    db = db_path.resolve()
    server = SeatServer(
        invites,
        command=lambda invite: app_command(db, alliance.id, invite.name),
        title=title,
        host=host,
        port=port,
    )

    def ready(bound: int) -> None:
        if not is_loopback(host):
            say(unencrypted_warning(host, bound), error=True)
        say(
            f"Serving {alliance.title!r}. Each link acts as the person it names: send each "
            "only to them. ctrl+c stops the server (the links end with it).",
            error=True,
        )
        for invite in invites:
            say(f"{invite.name}: {invite_url(host, bound, invite.token)}")
        sys.stdout.flush()

    serve_forever(server, ready)
    return 0


def port_number(text: str) -> int:
    """`--port`: 0 (any free port) to 65535."""
    import argparse

    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: give a number from 1 to 65535")
    return port
