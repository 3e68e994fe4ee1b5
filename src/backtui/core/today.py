"""`backtui today`: one calm line for a shell prompt or a login message.

Done today or not, the days-in-a-row streak, and the routine done most often,
read from the session history without writing to it. Which sessions count as
done is history's own rule (`history.DONE_SQL`), the one its streak uses: any
session with some work in it however it ended, and any session stopped for pain
however short, because stopping when pain rises is doing the routine right.

The words inform and never press: no "you missed", no exclamation marks, no
count of days gone by. A day is the person's local calendar day.

This module is on the path of every login: it imports the history reader and
nothing else of backtui's (no catalogue, no Textual).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from backtui.core.history import History
from backtui.core.text import clean, shorten

NAME_WIDTH = 32  # a routine's name in the line, at most

clock: Callable[[], float] = time.time
"""Where `backtui today` reads the time, in seconds since the epoch; tests put a
FakeClock here."""


class Today:
    """What the line says, before it is put in words. (A plain class: dataclasses
    would load `inspect`, too slow for every login; see history.py.)"""

    __slots__ = ("done", "most_done", "streak")

    def __init__(self, done: tuple[str, ...], streak: int, most_done: str | None) -> None:
        self.done = done  # the routines done today, in the order they were started
        self.streak = streak  # days in a row, ending today when done today, else yesterday
        self.most_done = most_done  # done most often; None before any session counts

    def __repr__(self) -> str:
        return f"Today({self.done!r}, {self.streak!r}, {self.most_done!r})"


def read_today(history: History, now: float | None = None) -> Today:
    """What `backtui today` says, from `history`, at `now` (seconds since the
    epoch; the clock above by default), in the history's time zone."""
    moment = clock() if now is None else now
    day = datetime.fromtimestamp(moment, history.tz).date()
    return Today(tuple(history.done_on(day)), history.streak(day), history.most_done())


def today_line(today: Today, *, ascii_only: bool = False) -> str:
    """The one line, e.g. "backtui: done today (Morning) · 4 days in a row".

    `ascii_only` for a terminal that cannot show `·` and `—`.
    """
    dot, dash = (" - ", "-") if ascii_only else (" · ", "—")
    if today.done:
        latest = _name(today.done[-1])
        sessions = f", {len(today.done)} sessions" if len(today.done) > 1 else ""
        parts = [f"done today ({latest}{sessions})"]
        if today.streak > 1:
            parts.append(f"{today.streak} days in a row")
    elif today.most_done is None and today.streak == 0:
        return f"backtui: no sessions yet {dash} type backtui to start"
    else:
        parts = ["not yet today"]
        if today.streak == 1:
            parts.append("done yesterday")
        elif today.streak > 1:
            parts.append(f"{today.streak} days in a row until yesterday")
        if today.most_done is not None:
            parts.append(f"most often: {_name(today.most_done)}")
    return "backtui: " + dot.join(parts)


PROMPT_SIGNIFICANT = str.maketrans("", "", "`$\\%!")
"""What a shell re-reads in a prompt (bash expands `` ` ``, `$(` and `\\` again in
PS1, and `!`; zsh reads `%`): never from a name, which is untrusted."""


def _name(name: str) -> str:
    """A routine's name as the line shows it: plain text (a name is untrusted and
    this line lands in a shell prompt), on one line, not too long, with nothing a
    shell would expand."""
    plain = " ".join(clean(name).translate(PROMPT_SIGNIFICANT).split())
    return shorten(plain, NAME_WIDTH) or "a routine"
