"""Reading untrusted TOML and checking its fields, with every problem located.

Shared by routine files and catalogue files. Limits are enforced before any
expensive work, and nothing here ever writes to the file it reads.
"""

from __future__ import annotations

import re
import stat
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, TypeVar

from backtui.core import model
from backtui.core.text import clean, shorten, visible

MAX_FILE_BYTES = 1 << 20
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TOML_END = re.compile(r"\s*\(at end of document\)$")

E = TypeVar("E", bound=StrEnum)


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


class Fields:
    """Typed access to one TOML table, recording a located problem for each bad value."""

    def __init__(self, table: dict[str, Any], where: str, problems: Problems) -> None:
        self.table = table
        self.where = where
        self.problems = problems

    def _at(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def error(self, key: str, message: str) -> None:
        self.problems.error(self._at(key), message)

    def required(self, key: str) -> bool:
        if key in self.table:
            return True
        self.error(key, "missing (required)")
        return False

    def integer(self, key: str, bounds: tuple[int, int], unit: str = "") -> int | None:
        if key not in self.table:
            return None
        value = self.table[key]
        low, high = bounds
        span = f"{low}–{high}{' ' + unit if unit else ''}"
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"must be a whole number {span}, got {describe(value)}")
            return None
        if not low <= value <= high:
            self.error(key, f"must be {span}, got {value}")
            return None
        return value

    def text(
        self, key: str, max_len: int, *, required: bool = False, multiline: bool = False
    ) -> str | None:
        if key not in self.table:
            if required:
                self.error(key, "missing (required)")
            return None
        value = self.table[key]
        if not isinstance(value, str):
            self.error(key, f"must be text, got {describe(value)}")
            return None
        if len(value) > max_len:
            self.error(key, f"must be at most {max_len} characters, got {len(value)}")
            return None
        cleaned = clean(value, multiline=multiline).strip()
        if required and not cleaned:
            self.error(key, "must not be empty")
            return None
        return cleaned

    def choice(self, key: str, kind: type[E], *, required: bool = False) -> E | None:
        if key not in self.table:
            if required:
                self.error(key, "missing (required)")
            return None
        value = self.table[key]
        try:
            return kind(value)
        except ValueError:
            allowed = " | ".join(member.value for member in kind)
            self.error(key, f"must be one of {allowed}, got {describe(value)}")
            return None

    def flag(self, key: str) -> bool | None:
        if key not in self.table:
            return None
        value = self.table[key]
        if not isinstance(value, bool):
            self.error(key, f"must be true or false, got {describe(value)}")
            return None
        return value

    def texts(
        self, key: str, *, max_items: int = 50, min_items: int = 0, required: bool = False
    ) -> tuple[str, ...] | None:
        if key not in self.table:
            if required:
                self.error(key, "missing (required)")
            return None
        value = self.table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(key, f"must be a list of text, got {describe(value)}")
            return None
        if not min_items <= len(value) <= max_items:
            self.error(key, f"must have {min_items}–{max_items} entries, got {len(value)}")
            return None
        for index, item in enumerate(value):
            if len(item) > model.TEXT_MAX:
                self.error(
                    f"{key}[{index + 1}]",
                    f"must be at most {model.TEXT_MAX} characters, got {len(item)}",
                )
                return None
        return tuple(clean(item).strip() for item in value)

    def ids(self, key: str) -> tuple[str, ...] | None:
        values = self.texts(key, max_items=50)
        if values is None:
            return None
        for value in values:
            if not is_id(value):
                self.error(key, f"{value!r} is not an exercise id (kebab-case, ≤ 64 characters)")
                return None
        return values

    def warn_unknown(self, known: Iterable[str]) -> None:
        known = set(known)
        for key in self.table:
            if key not in known:
                self.problems.warning(self._at(key), "unknown key, ignored")


def is_id(value: object) -> bool:
    return isinstance(value, str) and len(value) <= model.ID_MAX and bool(ID_PATTERN.match(value))


EXERCISE_KEYS = (
    "name",
    "spine",
    "category",
    "position",
    "sided",
    "hold_s",
    "reps",
    "sets",
    "rest_s",
    "steps",
    "cue",
    "cautions",
    "progressions",
    "regressions",
    "counters",
    "aliases",
)


def parse_exercise(
    exercise_id: str, table: Any, where: str, problems: Problems
) -> model.Exercise | None:
    """Check one exercise table; None if it has any error."""
    if not is_id(exercise_id):
        problems.error(where, "id must be kebab-case ASCII (a-z, 0-9, -), at most 64 characters")
        return None
    if not isinstance(table, dict):
        problems.error(where, f"must be a table, got {describe(table)}")
        return None
    before = len(problems)
    f = Fields(table, where, problems)
    name = f.text("name", model.NAME_MAX, required=True)
    spine = f.choice("spine", model.Spine, required=True)
    category = f.choice("category", model.Category, required=True)
    position = f.choice("position", model.Position, required=True)
    steps = f.texts("steps", min_items=1, max_items=model.MAX_EXERCISE_STEPS, required=True)
    exercise = model.Exercise(
        id=exercise_id,
        name=name or "",
        spine=spine or model.Spine.NEUTRAL,
        category=category or model.Category.STRETCH,
        position=position or model.Position.ANY,
        steps=steps or (),
        sided=bool(f.flag("sided")),
        hold_s=f.integer("hold_s", model.HOLD_RANGE, "seconds"),
        reps=f.integer("reps", model.REPS_RANGE),
        sets=f.integer("sets", model.SETS_RANGE),
        rest_s=f.integer("rest_s", model.REST_RANGE, "seconds"),
        cue=f.text("cue", model.TEXT_MAX, multiline=True) or "",
        cautions=f.texts("cautions") or (),
        progressions=f.ids("progressions") or (),
        regressions=f.ids("regressions") or (),
        counters=f.ids("counters") or (),
        aliases=f.texts("aliases") or (),
    )
    f.warn_unknown(EXERCISE_KEYS)
    if any(p.is_error for p in problems[before:]):
        return None
    return exercise


def header_line(text: str, table: str, name: str) -> int | None:
    """The line of `[table.name]` in a TOML text, to locate problems inside it."""
    pattern = re.compile(
        rf"^[ \t]*\[\s*{re.escape(table)}\s*\.\s*(?:{re.escape(name)}|\"{re.escape(name)}\")\s*\]",
        re.MULTILINE,
    )
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None
