"""Reading untrusted TOML files, with every problem located.

Shared by routine, catalogue, settings and theme files. Limits are enforced
before any expensive work, and nothing here ever writes to the file it reads.
Checking the values inside a file is core/spec.py's work.
"""

from __future__ import annotations

import re
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from backtui.core.text import shorten, visible

MAX_FILE_BYTES = 1 << 20
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
        parts = [location, self.where] if self.where else [location]
        parts.append(f"{self.severity}: {self.message}")
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
    return None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def _size(n: int) -> str:
    return f"{n / (1 << 20):.1f} MiB" if n >= 1 << 20 else f"{n} bytes"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def describe(value: Any) -> str:
    """A short, safe picture of a value for an error message."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value} (a decimal number)"
    if isinstance(value, str):
        return f"{shorten(repr(value), 40)} (text)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def header_line(text: str, table: str, name: str) -> int | None:
    """The line of `[table.name]` in a TOML text, to locate problems inside it."""
    pattern = re.compile(
        rf"^[ \t]*\[\s*{re.escape(table)}\s*\.\s*(?:{re.escape(name)}|\"{re.escape(name)}\")\s*\]",
        re.MULTILINE,
    )
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None
