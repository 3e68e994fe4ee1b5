"""Reading untrusted TOML files, with every problem located.

Shared by routine, catalogue, settings and theme files. Limits are enforced
before any expensive work, and nothing here ever writes to the file it reads.
Checking the values inside a file is core/spec.py's work.

tomllib trusts its input more than a file from a stranger deserves: a dotted key
of 100,000 parts takes it gigabytes (its work grows with the square of the
parts), and a number of 4,400 digits makes it raise a ValueError of its own. So
the text is first scanned here, once and in linear time, and refused at the
first shape no backtui file has (`scan_shape`): more than 50,000 lines, a
number of more than 40 digits, a string of more than 16,384 characters, a key
of more than 16 dotted parts, lists and inline tables nested more than 16 deep,
or more than 20,000 keys and values in all.
"""

from __future__ import annotations

import math
import re
import stat
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from backtui.core.text import shorten, visible

MAX_FILE_BYTES = 1 << 20
MAX_NUMBER_DIGITS = 40  # the largest backtui value has 4; a date and time has 29
MAX_KEY_PARTS = 16  # `exercises.ID.name` has 3
MAX_NESTING = 16  # lists and inline tables inside one another
MAX_ENTRIES = 20_000  # keys, table headers and list items, in all
MAX_LINES = 50_000  # tomllib takes a second over 1 MiB of blank lines
MAX_STRING_CHARS = 16_384  # as written, escapes and quotes included; the longest text is 2000
MAX_SHOWN = 20  # problems shown per file and severity; the rest are counted
_SHOWN_WHERE = 100  # characters of a problem's place (a key may be long) …
_SHOWN_MESSAGE = 300  # … and of its message
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TOML_END = re.compile(r"\s*\(at end of document\)$")


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    message: str
    where: str = ""
    severity: Literal["error", "warning"] = "error"
    line: int | None = None
    col: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        location = self.file
        if self.line is not None:
            location += f":{self.line}"
            if self.col is not None:
                location += f":{self.col}"
        where = shorten(self.where, _SHOWN_WHERE)
        parts = [location, where] if where else [location]
        parts.append(f"{self.severity}: {shorten(self.message, _SHOWN_MESSAGE)}")
        return visible(": ".join(parts))


class Problems(list[Problem]):
    """Problems of one file, collected as it is checked."""

    def __init__(self, file: str) -> None:
        super().__init__()
        self.file = file

    def error(self, where: str, message: str, line: int | None = None) -> None:
        self.append(Problem(self.file, message, where, "error", line))

    def warning(self, where: str, message: str, line: int | None = None) -> None:
        self.append(Problem(self.file, message, where, "warning", line))

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self)


def report_lines(problems: Iterable[Problem], limit: int = MAX_SHOWN) -> list[str]:
    """Problems as lines for a person: at most `limit` per file and severity, then
    one line that counts the rest (`… and 3480 more errors in FILE`).

    Every place that prints problems (the command line, the apps' notices) goes
    through here, so a file of 3,500 errors reads as 21 lines, never 3,500.
    """
    lines: list[str] = []
    shown: Counter[tuple[str, str]] = Counter()
    more: Counter[tuple[str, str]] = Counter()
    for problem in problems:
        key = (problem.file, problem.severity)
        if shown[key] < limit:
            shown[key] += 1
            lines.append(str(problem))
        else:
            more[key] += 1
    for (file, severity), count in more.items():
        lines.append(visible(f"… and {count} more {severity}{'s' if count > 1 else ''} in {file}"))
    return lines


def read_bytes(path: Path, problems: Problems) -> bytes | None:
    """Read at most the size limit, refusing what is not a plain file."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            problems.error("", "not a regular file")
            return None
        if info.st_size > MAX_FILE_BYTES:
            problems.error("", f"file is {_size(info.st_size)}; the limit is 1 MiB")
            return None
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        problems.error("", "no such file")
        return None
    except OSError as error:
        problems.error("", f"cannot read: {error.strerror or error}")
        return None
    return data


def decode_toml(data: bytes, problems: Problems) -> dict[str, Any] | None:
    """Parse TOML bytes; BOM and CRLF accepted; every failure becomes one located line."""
    if len(data) > MAX_FILE_BYTES:
        problems.error("", f"file is {_size(len(data))}; the limit is 1 MiB")
        return None
    if b"\x00" in data:
        nul_line, nul_col = _position(data, data.index(b"\x00"))
        problems.append(
            Problem(
                problems.file, "binary data (a NUL byte), not TOML text", line=nul_line, col=nul_col
            )
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        at_line, at_col = _position(data, error.start)
        message = f"not UTF-8 text (byte 0x{data[error.start]:02x})"
        problems.append(Problem(problems.file, message, line=at_line, col=at_col))
        return None
    text = text.removeprefix("\ufeff")
    if (refused := scan_shape(text)) is not None:
        message, offset = refused
        at_line, at_col = _text_position(text, offset)
        problems.append(Problem(problems.file, message, line=at_line, col=at_col))
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        line: int | None = None
        col: int | None = None
        if match := _TOML_POSITION.search(message):
            line, col = int(match[1]), int(match[2])
            message = message[: match.start()]
        elif match := _TOML_END.search(message):
            line = text.count("\n") + 1
            message = message[: match.start()] + " at end of file"
        problems.append(Problem(problems.file, _lower_first(message), line=line, col=col))
    except RecursionError:
        problems.error("", "nested too deeply to be a backtui file")
    except ValueError:
        # tomllib's own int() refusing a number too long to convert; scan_shape
        # refuses those first, so this is the last line of defence.
        line, col = None, None
        if match := _LONG_RUN.search(text):
            line, col = _text_position(text, match.start())
        problems.append(Problem(problems.file, _TOO_LONG, line=line, col=col))
    return None


# --- the shape of the text, before tomllib sees it ---------------------------------

_TOO_LONG = f"a number too long to be a backtui value (more than {MAX_NUMBER_DIGITS} digits)"
_LONG_RUN = re.compile(rf"[0-9A-Fa-f_]{{{MAX_NUMBER_DIGITS},}}")
# Blank space, newlines and comments; on one line; the end of a line (or of the text).
_GAP = re.compile(r"(?:[ \t\r\n]++|#[^\n]*+)*+")
_SPACE = re.compile(r"[ \t]*+")
_LINE_END = re.compile(r"[ \t]*+(?:#[^\n]*+)?(?:\r?\n|\Z)")
_PART = r"""[A-Za-z0-9_-]++|"(?:[^"\\\n]++|\\.)*+"|'[^'\n]*+'"""
# A key of at most MAX_KEY_PARTS parts: matching stops there, however long the key.
_KEY = re.compile(rf"(?:{_PART})(?:[ \t]*+\.[ \t]*+(?:{_PART})){{0,{MAX_KEY_PARTS - 1}}}+")
_MORE_PARTS = re.compile(rf"[ \t]*+\.[ \t]*+(?:{_PART})")
_EQUALS = re.compile(r"[ \t]*+=[ \t]*+")
_HEADER_OPEN = re.compile(r"\[\[?[ \t]*+")
_HEADER_CLOSE = re.compile(r"[ \t]*+\]\]?")
_STRING = re.compile(
    r'"""(?:[^"\\]++|\\[\s\S]|"(?!""))*+"{3,5}'
    r"|'''(?:[^']++|'(?!''))*+'{3,5}"
    r'|"(?:[^"\\\n]++|\\.)*+"'
    r"|'[^'\n]*+'"
)
# A number, a date and time (with a space between them too), true, false, inf, nan.
_BARE_VALUE = re.compile(r"[A-Za-z0-9_+\-.:]++(?: [0-9][0-9:.]*+(?:[Zz]|[+\-][0-9:]++)?)?")
_NOT_DIGIT = re.compile(r"[^0-9A-Za-z]")


def scan_shape(text: str) -> tuple[str, int] | None:
    """(what is wrong, where in the text) at the first shape no backtui file has, or None.

    One pass, in linear time, over the TOML grammar's outline: keys, table
    headers, values, lists and inline tables. Anything malformed stops the scan
    with None: tomllib then reports it, having done no more work than the scan
    checked on the way there.
    """
    if text.count("\n") >= MAX_LINES:
        return f"more than {MAX_LINES:,} lines: not a backtui file", _nth_newline(text, MAX_LINES)
    pos, end, entries = 0, len(text), 0
    stack: list[str] = []  # "[" for each list, "{" for each inline table we are in
    state = "line"  # line: a key or a header next; key: one in an inline table; value; after

    while True:
        if entries > MAX_ENTRIES:
            return f"more than {MAX_ENTRIES:,} keys and values: not a backtui file", pos
        if state in ("line", "key"):
            if state == "line":
                pos = _GAP.match(text, pos).end()  # type: ignore[union-attr]
                if pos >= end:
                    return None
            header = _HEADER_OPEN.match(text, pos) if state == "line" else None
            start = header.end() if header else pos
            key = _KEY.match(text, start)
            if key is None:
                return None
            if _MORE_PARTS.match(text, key.end()):
                return f"a key of more than {MAX_KEY_PARTS} dotted parts", pos
            entries += 1
            if header:
                close = _HEADER_CLOSE.match(text, key.end())
                line_end = close and _LINE_END.match(text, close.end())
                if not line_end:
                    return None
                pos = line_end.end()
                continue
            equals = _EQUALS.match(text, key.end())
            if equals is None:
                return None
            pos, state = equals.end(), "value"
        elif state == "value":
            opening = text[pos : pos + 1]
            if opening == "[" or opening == "{":
                if len(stack) >= MAX_NESTING:
                    return f"lists and tables nested more than {MAX_NESTING} deep", pos
                stack.append(opening)
                pos, state = _next_item(text, pos + 1, stack)
                entries += state == "value"
                continue
            value = _STRING.match(text, pos) or _BARE_VALUE.match(text, pos)
            if value is None:
                return None
            token = value.group()
            if len(token) > MAX_STRING_CHARS and token[0] in "\"'":
                return f"text of more than {MAX_STRING_CHARS:,} characters", pos
            if (
                len(token) > MAX_NUMBER_DIGITS
                and token[0] in "0123456789+-."
                and len(_NOT_DIGIT.sub("", token)) > MAX_NUMBER_DIGITS
            ):
                return _TOO_LONG, pos
            pos, state = value.end(), "after"
        elif not stack:  # after a value, on the top level: the line must end
            line_end = _LINE_END.match(text, pos)
            if line_end is None:
                return None
            pos, state = line_end.end(), "line"
        else:  # after a value in a list or an inline table: a comma, or its end
            inside = stack[-1]
            pos = (_GAP if inside == "[" else _SPACE).match(text, pos).end()  # type: ignore[union-attr]
            mark = text[pos : pos + 1]
            if mark == ("]" if inside == "[" else "}"):
                stack.pop()
                pos += 1
            elif mark == ",":
                pos, state = _next_item(text, pos + 1, stack)
                entries += state == "value"
            else:
                return None


def _nth_newline(text: str, count: int) -> int:
    pos = -1
    for _ in range(count):
        pos = text.index("\n", pos + 1)
    return pos


def _next_item(text: str, pos: int, stack: list[str]) -> tuple[int, str]:
    """After `[`, `{` or a comma inside one: (where, "value" or "key" next), or
    ("after") when the list or table closes there."""
    if stack[-1] == "[":
        pos = _GAP.match(text, pos).end()  # type: ignore[union-attr]
        if text.startswith("]", pos):
            stack.pop()
            return pos + 1, "after"
        return pos, "value"
    pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
    if text.startswith("}", pos):  # `{}`; TOML allows no comma before the `}`
        stack.pop()
        return pos + 1, "after"
    return pos, "key"


def _text_position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _position(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def _size(n: int) -> str:
    return f"{n / (1 << 20):.1f} MiB" if n >= 1 << 20 else f"{n} bytes"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def number_text(value: int) -> str:
    """A whole number for a message: its digits, or how many digits it has when
    there are too many to show (and str() of a huge int raises, or takes long)."""
    size = abs(value)
    if size.bit_length() <= 128:  # at most 39 digits
        return str(value)
    digits = int(math.log10(size)) + 1  # exact but near a power of ten:
    if size >= 10**digits:
        digits += 1
    elif size < 10 ** (digits - 1):
        digits -= 1
    return f"a number of {digits:,} digits"


def describe(value: Any) -> str:
    """A short, safe picture of a value for an error message."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, int):
        return number_text(value)
    if isinstance(value, float):
        return f"{value} (a decimal number)"
    if isinstance(value, str):
        return f"{shorten(repr(value), 40)} (text)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def header_lines(text: str, table: str) -> dict[str, int]:
    """The line of each `[table.NAME]` header in a TOML text, by NAME, in one pass
    (a file of many broken tables must not be searched once for each)."""
    pattern = re.compile(
        rf"^[ \t]*\[[ \t]*{re.escape(table)}[ \t]*\.[ \t]*"
        r"""(?:"([^"\\\n]*)"|'([^'\n]*)'|([A-Za-z0-9_-]+))[ \t]*\]""",
        re.MULTILINE,
    )
    lines: dict[str, int] = {}
    line, counted = 1, 0
    for match in pattern.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        lines.setdefault(next(name for name in match.groups() if name is not None), line)
    return lines
