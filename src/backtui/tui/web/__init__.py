"""`backtui serve`: the builder (and a session run from it) in a browser tab.

textual-serve (the `web` extra) runs one `backtui` per browser tab, each drawing
through Textual's web driver. It listens on this machine only unless told
otherwise; the page it serves is our own (`app_index.html`), which fetches
nothing from outside the server.
"""

from __future__ import annotations

import ipaddress
import logging
import shlex
import socket
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

TEMPLATES = Path(__file__).parent
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
INSTALL_HINT = 'backtui serve needs the web extra: pip install "backtui[web]"'


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def may_connect(origin: str | None, host_header: str, listening_on: str) -> bool:
    """Whether a websocket may drive backtui: a browser only from the page this
    server served (same origin), under a name this server answers to. Any other
    page the person has open, or one that points its own name at this machine,
    may not read the screens or type into them."""
    if origin is None:  # not a browser: a program on a machine that reaches the port
        return True
    if urlsplit(origin).netloc.lower() != host_header.lower():
        return False
    name = (urlsplit(f"//{host_header}").hostname or "").lower()
    if is_loopback(listening_on):
        return is_loopback(name)
    if listening_on in ("0.0.0.0", "::"):  # asked for: every name it is reached by
        return True
    return name == listening_on.strip("[]").lower()


def how_to_reach(host: str, port: int) -> list[str]:
    """What to tell the person who started the server: where to point a browser."""
    shown = f"[{host}]" if ":" in host else host
    lines = [f"backtui is served at http://{shown}:{port}/ (Ctrl+C stops it)"]
    if is_loopback(host):
        lines += [
            "It listens on this machine only. From another computer, forward the port:",
            f"  ssh -L {port}:localhost:{port} USER@THIS-HOST",
            f"then open http://localhost:{port}/ there.",
        ]
    else:
        lines.append(
            "It listens beyond this machine: anyone who can reach the port can use your "
            "routines and history."
        )
    return lines


def serve(host: str, port: int) -> None:
    """Serve until Ctrl+C. Raises ImportError (with INSTALL_HINT) without the extra."""
    try:
        from textual_serve.server import Server
    except ImportError as missing:
        raise ImportError(INSTALL_HINT) from missing

    try:  # say so now, not after announcing where it is served
        with socket.create_server((host, port)):
            pass
    except OSError as error:
        raise OSError(f"cannot listen on {host} port {port}: {error.strerror or error}") from None

    class BacktuiServer(Server):
        async def handle_index(self, request: Any) -> Any:
            """The page's script and websocket at the address the browser used (an
            ssh -L port, a name), not the one listened on (0.0.0.0 reaches nothing)."""
            self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)

        async def handle_websocket(self, request: Any) -> Any:
            if not may_connect(request.headers.get("Origin"), request.host, host):
                from aiohttp import web

                raise web.HTTPForbidden(text="backtui: only its own page may connect")
            return await super().handle_websocket(request)

        def initialize_logging(self) -> None:
            """Warnings and errors only: not a line for every request a tab makes."""
            logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")

        async def on_startup(self, app: object) -> None:  # our words, not the banner
            print("\n".join(how_to_reach(host, port)), flush=True)

    command = shlex.join([sys.executable, "-m", "backtui"])
    BacktuiServer(command, host=host, port=port, title="backtui", templates_path=TEMPLATES).serve()
