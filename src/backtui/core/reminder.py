"""`backtui remind --ics`: a daily calendar event with an alarm.

For someone whose backtui lives on a remote machine: the nudge comes from the
calendar on their phone or desktop instead, which backtui cannot reach.

The file is written here, by hand, to RFC 5545 rather than with a library: it is
one fixed event, and the rules that matter (CRLF line ends, lines folded at 75
octets without splitting a character, TEXT values escaped) fit in a few lines
that are tested by parsing the result with the `icalendar` package, which is
therefore a test dependency only.

The event repeats daily (`RRULE:FREQ=DAILY`) at a floating local time (no time
zone: 08:00 wherever the person is), shows as free time, and carries a display
alarm at its start. Its UID is made from the routine, so importing a new file
for the same routine (at another time, say) updates the event instead of adding
a second one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from backtui import __version__
from backtui.core.text import clean

LINE_OCTETS = 75  # RFC 5545 §3.1: a content line longer than this is folded
DEFAULT_MINUTES = 10  # how long the event lasts when no routine says
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})")  # ASCII digits only


@dataclass(frozen=True, slots=True)
class Reminder:
    hour: int
    minute: int
    routine_name: str | None  # None: any routine, chosen when the time comes
    command: str  # what to type, e.g. "backtui run morning"
    key: str  # what makes the UID: the routine's session key, or "any"
    minutes: int = DEFAULT_MINUTES


def parse_time(text: str) -> tuple[int, int]:
    """`HH:MM` on a 24-hour clock (`8:30` too) as (hour, minute); ValueError else."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a time; give HH:MM on a 24-hour clock, like 08:00")
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise ValueError(f"{text!r} is not a time of day; give 00:00 to 23:59")
    return hour, minute


def summary(reminder: Reminder) -> str:
    name = " ".join(clean(reminder.routine_name or "").split())
    return f"Back routine: {name}" if name else "Back routine"


def ics(reminder: Reminder, *, first_day: date, stamp: datetime) -> str:
    """The calendar file: one daily event from `first_day`, stamped `stamp`."""
    if reminder.routine_name is None:
        start = f"Start one with: {reminder.command}\n(`backtui list` shows your saved routines)"
    else:
        start = f"Start it with: {reminder.command}"
    description = (
        f"Time for your back routine.\n{start}\n\n"
        "Not medical advice: if pain shoots down a leg or rises sharply, stop."
    )
    starts = datetime.combine(first_day, datetime.min.time()).replace(
        hour=reminder.hour, minute=reminder.minute
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//backtui//backtui {_text(__version__)}//EN",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:backtui-daily-{_text(reminder.key)}@backtui",
        f"DTSTAMP:{stamp.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART:{starts:%Y%m%dT%H%M%S}",  # floating: the person's own local time
        f"DURATION:PT{max(1, reminder.minutes)}M",
        "RRULE:FREQ=DAILY",
        f"SUMMARY:{_text(summary(reminder))}",
        f"DESCRIPTION:{_text(description)}",
        "TRANSP:TRANSPARENT",  # a reminder, not a meeting: the time stays free
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{_text(summary(reminder))}",
        "TRIGGER:PT0S",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): without what must never reach a screen,
    and with backslash, semicolon, comma and newline escaped."""
    value = clean(value, multiline=True)
    for plain, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        value = value.replace(plain, escaped)
    return value


def fold(line: str) -> str:
    """A content line folded (RFC 5545 §3.1): no physical line over 75 octets, each
    continuation starting with one space, never inside a UTF-8 character."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > LINE_OCTETS:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += octets
    parts.append(current)
    return "\r\n".join(parts)
