"""The catalogue: built-in exercises merged with the user's own.

A broken user file is reported by file and line and skipped; the rest of the
catalogue still loads, because one bad file must never lock a person out.
"""

from __future__ import annotations

import gc
from array import array
from collections import OrderedDict
from collections.abc import (
    Callable,
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    Mapping,
    Sequence,
    ValuesView,
)
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import chain, compress, repeat
from operator import attrgetter, is_
from pathlib import Path
from typing import overload

from backtui.core.catalog_cache import CatalogCache, exercise_haystacks
from backtui.core.model import REFERENCE_LISTS, Category, Exercise, Position, Spine
from backtui.core.ranking import Columns, Haystack, Rows, Search, query_words
from backtui.core.reader import Problems, decode_toml, header_lines, read_bytes
from backtui.core.routine_file import parse_exercise
from backtui.core.spec import Fields

CATALOG_FILE_KEYS = ("schema", "exercises")
RECENT_SEARCHES = 24  # a search of 50,000 keeps a few MB: enough for a query typed and undone


class Catalog(Mapping[str, Exercise]):
    """Exercises by id, in a stable order: built-in first, then the user's own."""

    def __init__(
        self,
        exercises: Iterable[Exercise],
        builtin_ids: Iterable[str] = (),
        *,
        search_texts: Callable[[], Mapping[str, Haystack]] | None = None,
    ) -> None:
        """`search_texts` gives search texts made already (the cache's), by id, when
        a search first needs them."""
        exercises = list(exercises)
        self._by_id = dict(zip(map(attrgetter("id"), exercises), exercises, strict=True))
        self._rows = list(self._by_id.values())  # an exercise's row: its place in this list
        self.builtin_ids = frozenset(builtin_ids)
        self._columns: Columns | None = None  # the search texts, made when first needed
        self._made = search_texts
        self._row_of: dict[str, int] | None = None
        self._recent: OrderedDict[tuple, Search] = OrderedDict()

    def __getitem__(self, exercise_id: str) -> Exercise:
        return self._by_id[exercise_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._by_id

    # The dict's own views: Mapping's would call __getitem__ once an exercise.
    def keys(self) -> KeysView[str]:
        return self._by_id.keys()

    def values(self) -> ValuesView[Exercise]:
        return self._by_id.values()

    def items(self) -> ItemsView[str, Exercise]:
        return self._by_id.items()

    def is_builtin(self, exercise_id: str) -> bool:
        return exercise_id in self.builtin_ids

    def extended(self, extra: Iterable[Exercise]) -> Catalog:
        """This catalogue and, after it, the extra exercises whose ids it lacks;
        the search texts made already are kept, so only the extra ones are made."""
        added = [e for e in extra if e.id not in self._by_id]
        catalog = Catalog([*self._rows, *added], self.builtin_ids)
        if self._columns is not None:
            catalog._columns = self._columns.joined(catalog._texts_of(added))
        return catalog

    def prepare_search(self) -> None:
        """Take the search texts out of the cache now (~4 µs an exercise; made
        afresh, ~20 µs), rather than at the first search.

        Loading leaves them, since most commands never search: the builder asks
        for them once its first frame is up.
        """
        self._search_columns()

    def _search_columns(self) -> Columns:
        if self._columns is None:
            made = self._made() if self._made is not None else {}
            self._made = None
            haystacks = list(map(made.get, self._by_id))
            if None in haystacks:
                missing = [e for e, h in zip(self._rows, haystacks, strict=True) if h is None]
                more = iter(exercise_haystacks(missing))
                haystacks = [h if h is not None else next(more) for h in haystacks]
            self._columns = Columns(haystacks)  # type: ignore[arg-type]
        return self._columns

    @staticmethod
    def _texts_of(exercises: list[Exercise]) -> Columns:
        return Columns(exercise_haystacks(exercises))

    def haystack(self, exercise_id: str) -> Haystack:
        """The exercise's texts, normalised once for searching (see `ranking`)."""
        columns = self._search_columns()
        if self._row_of is None:
            self._row_of = dict(zip(self._by_id, range(len(self._rows)), strict=True))
        row = self._row_of[exercise_id]
        others_at, ident_at, texts_at = (end[row] for end in columns.ends)
        return Haystack(columns.texts[row], others_at, ident_at, texts_at)

    def search(
        self,
        query: str = "",
        *,
        category: Category | None = None,
        spine: Spine | None = None,
        position: Position | None = None,
    ) -> list[Exercise]:
        """Exercises matching every word of the query and the filters, best first.

        Ranked by `ranking`: a word in the name or an alias, then the id, then the
        cue, steps or category; see `ranking` for the whole order. A query with no
        words lists every exercise (that passes the filters) in catalogue order.
        """
        return list(self.results(query, category=category, spine=spine, position=position))

    def results(
        self,
        query: str = "",
        *,
        category: Category | None = None,
        spine: Spine | None = None,
        position: Position | None = None,
    ) -> Results:
        """What `search` gives, as a sequence found and ranked only as far as it
        is read (see `ranking.Search`): the first screenful of most searches
        after a chunk or two, the count when asked (or a little at a time with
        `Results.advance`), the whole order only if it is all read.

        Typing narrows a query one key at a time, so a search starts from the
        matches of the smallest recent query it narrows and checks only the
        words that query did not have; recent answers are kept (a backspace
        returns one of them at once).
        """
        search = self._search(query_words(query), (category, spine, position))
        return Results(self._rows, search)

    def _search(self, words: tuple[str, ...], filters: tuple) -> Search:
        key = (words, filters)
        if (cached := self._recent.get(key)) is not None:
            self._recent.move_to_end(key)
            return cached
        narrowest: Search | None = None
        for (old_words, old_filters), old in self._recent.items():
            if (
                old_filters == filters
                and _narrows(words, old_words)
                and (narrowest is None or old.narrower_size() < narrowest.narrower_size())
            ):
                narrowest = old
        # Its matches once counted; before that, what it started from less what it
        # found not to match. In catalogue order either way.
        if narrowest is not None:
            pool = narrowest.narrower_pool()
        else:
            pool = [(self._filtered(filters), frozenset())]
        search = Search(self._search_columns() if words else Columns(()), pool, words)
        self._recent[key] = search
        if len(self._recent) > RECENT_SEARCHES:
            self._recent.popitem(last=False)
        return search

    def _filtered(self, filters: tuple) -> Rows:
        rows = array("l", range(len(self._rows)))
        for name, value in zip(("category", "spine", "position"), filters, strict=True):
            if value is not None:
                column = map(attrgetter(name), map(self._rows.__getitem__, rows))
                rows = array("l", compress(rows, map(is_, column, repeat(value))))
        return rows


class Results(Sequence[Exercise]):
    """Exercises found by a search, best first, worked out only as far as they are read.

    `ready` of them, from the first, are known already; reading further, or
    `len`, does what that needs; `advance` counts a little at a time.
    """

    def __init__(self, exercises: list[Exercise], search: Search) -> None:
        self._exercises = exercises
        self._search = search

    @property
    def ready(self) -> int:
        """How many, from the first, are found and ranked already."""
        return self._search.ready

    @property
    def counted(self) -> bool:
        """True once `len` is known without more work."""
        return self._search.counted

    def advance(self, seconds: float) -> bool:
        """Count for about that long; True once counted."""
        return self._search.advance(seconds)

    def __len__(self) -> int:
        return len(self._search)

    @overload
    def __getitem__(self, index: int) -> Exercise: ...

    @overload
    def __getitem__(self, index: slice) -> list[Exercise]: ...

    def __getitem__(self, index: int | slice) -> Exercise | list[Exercise]:
        if isinstance(index, slice):
            return list(map(self._exercises.__getitem__, self._search[index]))
        return self._exercises[self._search[index]]

    def __iter__(self) -> Iterator[Exercise]:
        return map(self._exercises.__getitem__, iter(self._search))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Results, list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def _narrows(words: tuple[str, ...], old: tuple[str, ...]) -> bool:
    """True if whatever matches every word of `words` also matches every word of `old`."""
    return all(any(o in w for w in words) for o in old)


@dataclass
class LoadedCatalog:
    catalog: Catalog
    problems: list


def load_exercise_file(path: Path, problems: Problems) -> list[Exercise]:
    """Every valid exercise in one catalogue file; bad ones are reported and skipped."""
    data = read_bytes(path, problems)
    if data is None:
        return []
    return parse_exercise_file(data, problems)


def parse_exercise_file(data: bytes, problems: Problems) -> list[Exercise]:
    """Every valid exercise in a catalogue file's bytes; bad ones are reported and skipped."""
    document = decode_toml(data, problems)
    if document is None:
        return []
    top = Fields(document, "", problems)
    schema = top.integer("schema", (1, 1))
    top.warn_unknown(CATALOG_FILE_KEYS)
    if "schema" in document and schema is None:
        return []
    tables = document.get("exercises", {})
    if not isinstance(tables, dict):
        top.error("exercises", "must be a table of [exercises.ID] tables")
        return []
    found = []
    lines: dict[str, int] | None = None
    for exercise_id, table in tables.items():
        before = len(problems)
        exercise = parse_exercise(exercise_id, table, f"exercises.{exercise_id}", problems)
        if exercise is not None:
            found.append(exercise)
        if len(problems) > before:  # locate them; only then is the text searched, once
            if lines is None:
                lines = header_lines(data.decode("utf-8", errors="replace"), "exercises")
            line = lines.get(exercise_id)
            problems[before:] = [replace(p, line=line) for p in problems[before:]]
    return found


def load_folder(
    folder: Path, problems: list, cache: CatalogCache | None = None
) -> list[tuple[Path, list[Exercise]]]:
    """The exercises of every `*.toml` in a folder, file by file.

    With a cache, a file whose bytes are those parsed last time is not parsed
    again (see `catalog_cache`); its problems are reported all the same. The
    cache is written back by the caller (`CatalogCache.save`).
    """
    if not folder.is_dir():
        return []
    found: list[tuple[Path, list[Exercise]]] = []
    for path in sorted(folder.glob("*.toml")):
        file_problems = Problems(str(path))
        found.append((path, _load_file(path, file_problems, cache)))
        problems.extend(file_problems)
    return found


def _load_file(path: Path, problems: Problems, cache: CatalogCache | None) -> list[Exercise]:
    if cache is None:
        return load_exercise_file(path, problems)
    data = read_bytes(path, problems)
    if data is None:
        return []
    cached = cache.lookup(path, data, problems)
    if not isinstance(cached, str):
        return cached
    exercises = parse_exercise_file(data, problems)
    cache.store(path, data, cached, exercises, problems)
    return exercises


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading a large catalogue makes ~50 objects an exercise, all of which live
    on; the collector's passes over them while they are made (~15% of a cached
    load) find nothing to free. One pass can run after."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def load_catalog(
    builtin_dir: Path, user_dir: Path | None = None, *, cache: Path | None = None
) -> LoadedCatalog:
    """The built-in catalogue plus the user's folder; user ids may not shadow built-in ones.

    `cache` is a file in which both folders, as parsed, are kept between runs.
    """
    with _collector_paused():
        return _load_catalog(builtin_dir, user_dir, cache)


def _load_catalog(builtin_dir: Path, user_dir: Path | None, cache: Path | None) -> LoadedCatalog:
    problems: list = []
    catalog_cache = CatalogCache(cache) if cache is not None else None
    exercises: dict[str, Exercise] = {}
    for _, found in load_folder(builtin_dir, problems, catalog_cache):
        exercises.update((exercise.id, exercise) for exercise in found)
    builtin_ids = set(exercises)
    if user_dir is not None:
        for path, found in load_folder(user_dir, problems, catalog_cache):
            ids = list(map(attrgetter("id"), found))
            if exercises.keys().isdisjoint(ids):  # ids within one file never repeat
                exercises.update(zip(ids, found, strict=True))
                continue
            for exercise in found:
                if exercise.id in exercises:
                    owner = "a built-in" if exercise.id in builtin_ids else "another of your"
                    skipped = Problems(str(path))
                    skipped.warning(
                        f"exercises.{exercise.id}", f"id already used by {owner} exercise; skipped"
                    )
                    problems.extend(skipped)
                    continue
                exercises[exercise.id] = exercise
    if catalog_cache is not None:
        catalog_cache.save()
    made = catalog_cache.search_texts() if catalog_cache is not None else None
    catalog = Catalog(exercises.values(), builtin_ids, search_texts=made)
    problems.extend(dangling_references(catalog, skip=builtin_ids, folder=user_dir))
    return LoadedCatalog(catalog, problems)


def dangling_references(
    catalog: Catalog, *, skip: Iterable[str] = (), folder: Path | None = None
) -> list:
    """Warnings for progressions, regressions and counters that name no exercise."""
    exercises = list(catalog.values())  # a Catalog's is the dict's: fast
    named = set(chain.from_iterable(map(attrgetter(*REFERENCE_LISTS), exercises)))
    if not set(chain.from_iterable(named)) - catalog.keys():
        return []  # the usual case, found at C speed
    skip = set(skip)
    problems = Problems(str(folder) if folder else "catalog")
    for exercise in exercises:
        if exercise.id in skip:
            continue
        for key in REFERENCE_LISTS:
            for ref in getattr(exercise, key):
                if ref not in catalog:
                    problems.warning(f"exercises.{exercise.id}.{key}", f"unknown exercise {ref!r}")
    return list(problems)


def integrity_errors(catalog: Mapping[str, Exercise]) -> list[str]:
    """What is wrong with a catalogue as a whole: references and counter-moves."""
    errors = []
    for exercise in catalog.values():
        for key in REFERENCE_LISTS:
            for ref in getattr(exercise, key):
                if ref not in catalog:
                    errors.append(f"{exercise.id}.{key} names unknown {ref!r}")
        if exercise.spine is Spine.EXTENSION:
            if not exercise.counters:
                errors.append(f"{exercise.id} is extension work with no counters")
            for ref in exercise.counters:
                counter = catalog.get(ref)
                if counter is not None and counter.spine not in (Spine.FLEXION, Spine.MIXED):
                    errors.append(f"{exercise.id}.counters: {ref!r} is {counter.spine}")
    return errors
