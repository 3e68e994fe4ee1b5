"""The user's catalogue as parsed last time, so a large one is not parsed again.

Parsing costs ~100 µs an exercise, three quarters of it in tomllib: 10,000 of
the person's own exercises cost a second at every start. The cache keeps, per
catalogue file, what reading it gave (its exercises and its problems), keyed by
the file's path, size, mtime_ns and a SHA-256 digest of its bytes. The bytes are
read and hashed every time, so an edit that keeps the size and the mtime is
still noticed (SHA-256 rather than blake2b: most CPUs hash it in hardware, 10 MB
in ~7 ms against ~16 ms).

The cache file is JSON in the platform's cache folder (`locations.cache_dir`),
written atomically; the built-in catalogue is kept in it too. JSON rather than
pickle or marshal: the folder is the person's own, but other programs can write
there, and JSON of plain lists, strings and numbers cannot run code or crash
the interpreter whatever its bytes. (marshal reads 10,000 exercises in ~26 ms
against JSON's ~32 ms, but its documentation warns against unauthenticated
input, and a keyed hash of the file, with the key kept beside it, would cost
most of the difference and guard against nothing the folder's owner cannot do
anyway.) What the JSON holds is never trusted either: a file of another format
version or another backtui, one that does not parse, or an entry whose values
the reader would not have produced (a wrong type, a value out of range, a
hidden character in a text, a malformed id) is ignored and the catalogue file
parsed again, quietly. Losing the cache only costs time.

The checks run a column at a time at C speed, and the exercises are made a
column at a time too (`_construct`); the search texts stay two plain strings
a file until a search needs them (`search_texts`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections import deque
from collections.abc import Callable
from functools import partial
from itertools import chain, repeat
from operator import add, attrgetter, is_not, le, lt
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
from backtui.core.text import _HIDDEN_BUT_NEWLINE, _HIDDEN_OR_NEWLINE, VISIBLE_PATTERN

FORMAT = "backtui-catalog-cache"
VERSION = 2
MAX_CACHE_BYTES = 256 << 20  # a cache file larger than this is not read

_SEVERITIES = ("error", "warning")


class Invalid(ValueError):
    """A cached value the reader would not have produced."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Each file's exercises are stored as columns, one list per field, so that each
# check below runs once per column at C speed (map, set, max, one regex over
# the joined texts) rather than once per value in Python: 10,000 exercises
# are checked in a few milliseconds.
_SHOWS = re.compile(VISIBLE_PATTERN)
_ID_CHARACTERS = b"abcdefghijklmnopqrstuvwxyz0123456789- "
_STR, _INT, _BOOL, _LIST, _NONE = {str}, {int}, {bool}, {list}, {type(None)}
_NOT_NONE = partial(is_not, None)
_ASCII_SHOWN = bytes(range(0x20, 0x7F))  # every ASCII character but the controls
_ASCII_SHOWN_OR_NEWLINE = _ASCII_SHOWN + b"\n"


def _texts(column: list[Any], kind: Text) -> list[str]:
    if not set(map(type, column)) <= _STR:
        raise Invalid
    if column and max(map(len, column)) > kind.max_len:
        raise Invalid
    # What the reader's `clean` removes (controls, bidi marks, hidden characters,
    # and newlines but in a multi-line text) is never in a value it gave back.
    # In ASCII text (nearly always; `isascii` is free) that is only the controls,
    # found by deleting every other byte: ~8x faster than the regex.
    joined = "\x20".join(column)
    if joined.isascii():
        shown = _ASCII_SHOWN_OR_NEWLINE if kind.multiline else _ASCII_SHOWN
        if joined.encode("ascii").translate(None, shown):
            raise Invalid
    elif (_HIDDEN_BUT_NEWLINE if kind.multiline else _HIDDEN_OR_NEWLINE).search(joined):
        raise Invalid
    if kind.visible and not all(map(_SHOWS.search, column)):
        raise Invalid
    return column


def _ids(column: list[Any]) -> list[str]:
    """Kebab-case ASCII ids (`spec.ID_PATTERN`), checked all at once: only a-z, 0-9
    and "-" in each, none empty, none starting or ending with "-", no "--"."""
    if not set(map(type, column)) <= _STR:
        raise Invalid
    if not column:
        return column
    if max(map(len, column)) > ID_MAX or min(map(len, column)) == 0:
        raise Invalid
    joined = "\x20".join(column)
    if (
        not joined.isascii()
        or joined.encode("ascii").translate(None, _ID_CHARACTERS)
        or joined.count("\x20") != len(column) - 1  # no id holds a space
        or "--" in joined
        or " -" in joined
        or "- " in joined
        or joined[0] == "-"
        or joined[-1] == "-"
    ):
        raise Invalid
    return column


def _lists(column: list[Any], low: int, high: int) -> list[Any]:
    if not set(map(type, column)) <= _LIST:
        raise Invalid
    if column and (min(map(len, column)) < low or max(map(len, column)) > high):
        raise Invalid
    return list(chain.from_iterable(column))


def _tuples(column: list[Any], required: bool) -> list[Any]:
    if required:
        return list(map(tuple, column))
    return [None if value is None else tuple(value) for value in column]


def _column(kind: Kind, column: Any, required: bool) -> list[Any]:
    """One field's cached values, checked as the reader would, in the form it gives."""
    if type(column) is not list:
        raise Invalid
    present = column if required else list(filter(_NOT_NONE, column))
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
        return _tuples(column, required)
    elif isinstance(kind, IdList):
        _ids(_lists(present, 0, kind.max_items))
        return _tuples(column, required)
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
    return _construct(checked, count)


# An Exercise is a frozen dataclass with slots, so its __init__ sets each field
# through object.__setattr__: ~2 µs an exercise. Values already checked can be
# set a column at a time through the slots' own descriptors, at C speed, which
# gives the same objects (equal, hashable, frozen) ~5x faster. Only done while
# the class is what this was written for: slots, no __post_init__, no other
# state; otherwise the constructor is called.
_SLOTS = [model.Exercise.__dict__.get(name) for name in _NAMES]
_FAST = (
    getattr(model.Exercise, "__slots__", None) == tuple(_NAMES)
    and not hasattr(model.Exercise, "__post_init__")
    and all(type(slot).__name__ == "member_descriptor" for slot in _SLOTS)
)


def _construct(columns: list[list[Any]], count: int) -> list[model.Exercise]:
    if not _FAST:
        return [model.Exercise(*values) for values in zip(*columns, strict=True)]
    exercises = list(map(object.__new__, repeat(model.Exercise, count)))
    for slot, column in zip(_SLOTS, columns, strict=True):
        deque(map(slot.__set__, exercises, column), maxlen=0)  # type: ignore[union-attr]
    return exercises


def exercise_haystacks(exercises: list[model.Exercise]) -> list[Haystack]:
    """What a search of the catalogue looks in: name, aliases, id, then cue, steps, category."""
    cues = zip(map(attrgetter("cue"), exercises))
    categories = zip(map(attrgetter("category"), exercises))
    texts = map(add, map(add, cues, map(attrgetter("steps"), exercises)), categories)
    return Haystack.many(
        list(map(attrgetter("name"), exercises)),
        list(map(attrgetter("id"), exercises)),
        list(texts),
        list(map(attrgetter("aliases"), exercises)),
    )


# The search texts (see `ranking.Haystack`) are cached too: making them costs
# ~20 µs an exercise (every word of every step split and kept once). They are
# kept as two plain strings a file, which JSON reads at memcpy speed, and only
# taken apart when a search first needs them (`search_texts`): most commands
# never search. A haystack holds only letters, digits, spaces and newlines, so
# "|" stands for its newlines and "~" parts one from the next.
def _search_entry(haystacks: list[Haystack]) -> dict[str, str]:
    return {
        "texts": "~".join(haystack.text for haystack in haystacks).replace("\n", "|"),
        "ends": " ".join(map(str, chain.from_iterable(h[1:] for h in haystacks))),
    }


def _search_texts(raw: Any, count: int) -> list[Haystack]:
    """A file's cached search texts; only their shape is checked (a wrong one
    could only misplace an exercise in a search: they are never shown)."""
    if type(raw) is not dict or type(raw.get("texts")) is not str:
        raise Invalid
    if type(raw.get("ends")) is not str or not raw["ends"].isascii():
        raise Invalid
    texts = raw["texts"].replace("|", "\n").split("~") if count else []
    ends = list(map(int, raw["ends"].split()))  # ValueError if not numbers
    if len(texts) != count or len(ends) != 3 * count:
        raise Invalid
    others, idents, rest = ends[0::3], ends[1::3], ends[2::3]
    # 0 < others_at <= ident_at <= texts_at <= len(text) + 1, for every one
    if not (
        all(map(lt, repeat(0), others))
        and all(map(le, others, idents))
        and all(map(le, idents, rest))
        and all(map(le, rest, map(add, map(len, texts), repeat(1))))
    ):
        raise Invalid
    return list(map(tuple.__new__, repeat(Haystack), zip(texts, others, idents, rest, strict=True)))


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
        # Each file's exercises and cached search texts, in the order loaded.
        self._searchable: list[tuple[list[model.Exercise], Any]] = []

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
            found = [_problem(problems.file, row) for row in entry["problems"]]
        except (OSError, Invalid, TypeError, ValueError):
            return hashed
        problems.extend(found)
        self._new[key] = entry
        self._searchable.append((exercises, entry.get("search")))
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
        try:
            info = os.stat(path)
        except OSError:
            return
        if info.st_size != len(data):  # changed while read: parse it again next time
            return
        search = _search_entry(exercise_haystacks(exercises))
        self._searchable.append((exercises, search))
        self._new[str(path)] = {
            "size": info.st_size,
            "mtime_ns": info.st_mtime_ns,
            "digest": hashed,
            "count": len(exercises),
            "exercises": _columns(exercises),
            "problems": [[p.message, p.where, p.severity, p.line, p.col] for p in problems],
            "search": search,
        }
        self._changed = True

    def search_texts(self) -> Callable[[], dict[str, Haystack]]:
        """What makes the search texts of the exercises loaded, by id (the first
        of an id, as the catalogue keeps), when first called; a file whose
        cached texts are not right gets them made."""
        searchable = self._searchable  # not self: the rest of the cache can go

        def made() -> dict[str, Haystack]:
            found: dict[str, Haystack] = {}
            for exercises, raw in searchable:
                try:
                    haystacks = _search_texts(raw, len(exercises))
                except (Invalid, TypeError, ValueError):
                    haystacks = exercise_haystacks(exercises)
                for exercise, haystack in zip(exercises, haystacks, strict=True):
                    found.setdefault(exercise.id, haystack)
            return found

        return made

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
