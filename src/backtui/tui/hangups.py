"""A lost terminal (SIGHUP) or a polite kill (SIGTERM) ends a session cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable

SIGNALS = (signal.SIGHUP, signal.SIGTERM)


def handle_hangups(handler: Callable[[], None] | None) -> None:
    """Route the hang-up signals to `handler`, or back to the default with None.
    Where the loop cannot take signal handlers (not the main thread), do nothing."""
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        loop = asyncio.get_running_loop()
        for sig in SIGNALS:
            if handler is not None:
                loop.add_signal_handler(sig, handler)
            else:
                loop.remove_signal_handler(sig)
