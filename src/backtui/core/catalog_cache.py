"""The user's catalogue as parsed last time, so a large one is not parsed again.

Parsing costs ~100 µs an exercise, three quarters of it in tomllib: 10,000 of
the person's own exercises cost a second at every start. The cache keeps, per
catalogue file, what reading it gave (its exercises and its problems), keyed by
the file's path, size, mtime_ns and a blake2b digest of its bytes. The bytes are
read and hashed every time (a few ms for 10 MB), so an edit that keeps the size
and the mtime is still noticed.

The cache file is JSON in the platform's cache folder (`locations.cache_dir`),
written atomically. It is never trusted: a file of another format version or
another backtui, one that does not parse, or an entry whose values the reader
would not have produced (a wrong type, a value out of range, a hidden character
in a text) is ignored and the catalogue file parsed again, quietly. Losing the
cache only costs time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from itertools import chain
from pathlib import Path
from typing import Any

from backtui import __version__
from backtui.core import model
from backtui.core.ranking import Haystack
from backtui.core.reader import Problem, Problems
from backtui.core.spec import (
    ID_MAX,
    Choice,
    Flag,
    Id,
    IdList,
    Integer,
    Kind,
    Text,
    TextList,
    fields_of,
)
from backtui.core.text import _HIDDEN_OR_NEWLINE, VISIBLE_PATTERN

FORMAT = "backtui-catalog-cache"
VERSION = 1
MAX_CACHE_BYTES = 256 << 20  # a cache file larger than this is not read

_SEVERITIES = ("error", "warning")


class Invalid(ValueError):
    """A cached value the reader would not have produced."""


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


# Each file's exercises are stored as columns, one list per field, so that each
# check below runs once per column at C speed (map, set, max, one regex over
# the joined texts) rather than once per value in Python: 10,000 exercises
# are checked in a few milliseconds.
_SHOWS = re.compile(VISIBLE_PATTERN)
_IDS = re.compile(r"(?:[a-z0-9]+(?:-[a-z0-9]+)*(?: |\Z))*")
_STR, _INT, _BOOL, _LIST, _NONE = {str}, {int}, {bool}, {list}, {type(None)}


def _texts(column: list[Any], kind: Text) -> list[str]:
    if not set(map(type, column)) <= _STR:
        raise Invalid
    if column and max(map(len, column)) > kind.max_len:
        raise Invalid
    # What the reader's `clean` removes (controls, bidi marks, hidden characters,
    # newlines) is never in a value it gave back.
    if _HIDDEN_OR_NEWLINE.search("\x20".join(column)):
        raise Invalid
    if kind.visible and not all(map(_SHOWS.search, column)):
        raise Invalid
    return column


def _ids(column: list[Any]) -> list[str]:
    if not set(map(type, column)) <= _STR:
        raise Invalid
    if column and max(map(len, column)) > ID_MAX:
        raise Invalid
    if _IDS.fullmatch("\x20".join(column)) is None:
        raise Invalid
    return column


def _lists(column: list[Any], low: int, high: int) -> list[Any]:
    if not set(map(type, column)) <= _LIST:
        raise Invalid
    if column and (min(map(len, column)) < low or max(map(len, column)) > high):
        raise Invalid
    return list(chain.from_iterable(column))


def _column(kind: Kind, column: Any, required: bool) -> list[Any]:
    """One field's cached values, checked as the reader would, in the form it gives."""
    if type(column) is not list:
        raise Invalid
    present = column
    if not required:
        present = [value for value in column if value is not None]
    if isinstance(kind, Text):
        _texts(present, kind)
    elif isinstance(kind, Id):
        _ids(present)
    elif isinstance(kind, Integer):
        if not set(map(type, present)) <= _INT:
            raise Invalid
        if present and (min(present) < kind.low or max(present) > kind.high):
            raise Invalid
    elif isinstance(kind, Flag):
        if not set(map(type, present)) <= _BOOL:
            raise Invalid
    elif isinstance(kind, Choice):
        members = {member.value: member for member in kind.enum}
        if not set(map(type, present)) <= _STR or not set(present) <= members.keys():
            raise Invalid
        if required:
            return list(map(members.__getitem__, column))
        return [None if value is None else members[value] for value in column]
    elif isinstance(kind, TextList):
        _texts(_lists(present, kind.min_items, kind.max_items), kind.item)
        return [None if value is None else tuple(value) for value in column]
    elif isinstance(kind, IdList):
        _ids(_lists(present, 0, kind.max_items))
        return [None if value is None else tuple(value) for value in column]
    else:  # a kind this cache does not know: never trusted
        raise Invalid
    return column


_FIELDS = fields_of(model.Exercise)
_NAMES = [f.name for f in _FIELDS]


def _columns(exercises: list[model.Exercise]) -> dict[str, list[Any]]:
    columns: dict[str, list[Any]] = {}
    for name in _NAMES:
        values = [getattr(exercise, name) for exercise in exercises]
        if values and isinstance(values[0], tuple):
            values = [list(value) for value in values]
        columns[name] = values
    return columns


def _exercises(columns: Any, count: int) -> list[model.Exercise]:
    if type(columns) is not dict or columns.keys() != set(_NAMES):
        raise Invalid
    checked = []
    for f in _FIELDS:
        column = _column(f.kind, columns[f.name], f.required or f.default is not None)
        if len(column) != count:
            raise Invalid
        checked.append(column)
    return [model.Exercise(*values) for values in zip(*checked, strict=True)]


def _haystacks(rows: Any, exercises: list[model.Exercise]) -> list[Haystack]:
    """The search texts cached with the exercises; only their shape can be checked
    cheaply, and a wrong one would only misplace an exercise in a search."""
    if type(rows) is not list or len(rows) != 4:
        raise Invalid
    texts, others, idents, rest = rows
    if type(texts) is not list or not set(map(type, texts)) <= _STR:
        raise Invalid
    for column in (others, idents, rest):
        if type(column) is not list or not set(map(type, column)) <= _INT:
            raise Invalid
    haystacks = [Haystack(*row) for row in zip(texts, others, idents, rest, strict=True)]
    if len(haystacks) != len(exercises):
        raise Invalid
    for text, o, i, r in haystacks:
        if not 0 < o <= i <= r <= len(text) + 1:
            raise Invalid
    return haystacks


def exercise_haystack(exercise: model.Exercise) -> Haystack:
    """What a search of the catalogue looks in: name, aliases, id, then cue, steps, category."""
    return Haystack.of(
        exercise.name,
        exercise.id,
        (exercise.cue, *exercise.steps, exercise.category),
        other_names=exercise.aliases,
    )


def _problem(file: str, row: Any) -> Problem:
    if type(row) is not list or len(row) != 5:
        raise Invalid
    message, where, severity, line, col = row
    if type(message) is not str or type(where) is not str or severity not in _SEVERITIES:
        raise Invalid
    for number in (line, col):
        if number is not None and (type(number) is not int or number < 0):
            raise Invalid
    return Problem(file, message, where, severity, line, col)


class CatalogCache:
    """What each catalogue file gave when last read, for one process's load.

    `lookup` answers from the cache when a file is unchanged, `store` records a
    file just parsed; `save` writes the file back if anything changed, keeping
    only the files looked up or stored in this load.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._old: dict[str, Any] = self._read()
        self._new: dict[str, Any] = {}
        self._changed = False
        # The search texts of the exercises loaded, by id (the first of an id wins,
        # as in the catalogue), so the catalogue need not make them again.
        self.haystacks: dict[str, Haystack] = {}

    def _read(self) -> dict[str, Any]:
        try:
            with self.path.open("rb") as handle:
                raw = handle.read(MAX_CACHE_BYTES + 1)
            if len(raw) > MAX_CACHE_BYTES:
                return {}
            document = json.loads(raw)
        except (OSError, ValueError, RecursionError):
            return {}
        if (
            not isinstance(document, dict)
            or document.get("format") != FORMAT
            or document.get("version") != VERSION
            or document.get("backtui") != __version__
            or document.get("fields") != _NAMES
            or not isinstance(document.get("files"), dict)
        ):
            return {}
        return document["files"]

    def lookup(self, path: Path, data: bytes, problems: Problems) -> list[model.Exercise] | str:
        """The file's exercises (its problems added to `problems`) if the cache has this
        file as it is now; else the digest of its bytes, to `store` under."""
        key = str(path)
        hashed = digest(data)
        entry = self._old.get(key)
        if type(entry) is not dict:
            return hashed
        try:
            info = os.stat(path)
            if (
                entry.get("size") != len(data)
                or entry.get("size") != info.st_size
                or entry.get("mtime_ns") != info.st_mtime_ns
                or entry.get("digest") != hashed
                or type(entry.get("count")) is not int
                or type(entry.get("problems")) is not list
            ):
                return hashed
            exercises = _exercises(entry.get("exercises"), entry["count"])
            haystacks = _haystacks(entry.get("haystacks"), exercises)
            found = [_problem(problems.file, row) for row in entry["problems"]]
        except (OSError, Invalid, TypeError, ValueError):
            return hashed
        problems.extend(found)
        self._new[key] = entry
        for exercise, haystack in zip(exercises, haystacks, strict=True):
            self.haystacks.setdefault(exercise.id, haystack)
        return exercises

    def store(
        self,
        path: Path,
        data: bytes,
        hashed: str,
        exercises: list[model.Exercise],
        problems: list[Problem],
    ) -> None:
        """Keep what parsing the file gave, under its size, mtime and digest."""
        haystacks = [exercise_haystack(exercise) for exercise in exercises]
        for exercise, haystack in zip(exercises, haystacks, strict=True):
            self.haystacks.setdefault(exercise.id, haystack)
        try:
            info = os.stat(path)
        except OSError:
            return
        if info.st_size != len(data):  # changed while read: parse it again next time
            return
        self._new[str(path)] = {
            "size": info.st_size,
            "mtime_ns": info.st_mtime_ns,
            "digest": hashed,
            "count": len(exercises),
            "exercises": _columns(exercises),
            "haystacks": [[h[field] for h in haystacks] for field in range(4)],
            "problems": [[p.message, p.where, p.severity, p.line, p.col] for p in problems],
        }
        self._changed = True

    def save(self) -> None:
        """Write the cache if this load changed it; a cache that cannot be written is
        simply not written (a read-only or full disk costs only time)."""
        if not self._changed and self._new.keys() == self._old.keys():
            return
        from backtui.core.store import atomic_write

        document = {
            "format": FORMAT,
            "version": VERSION,
            "backtui": __version__,
            "fields": _NAMES,
            "files": self._new,
        }
        with contextlib.suppress(OSError, ValueError):
            atomic_write(self.path, json.dumps(document, ensure_ascii=False))
