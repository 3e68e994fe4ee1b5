"""The catalogue: built-in exercises merged with the user's own.

A broken user file is reported by file and line and skipped; the rest of the
catalogue still loads, because one bad file must never lock a person out.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from backtui.core.catalog_cache import CatalogCache, exercise_haystack
from backtui.core.model import REFERENCE_LISTS, Category, Exercise, Position, Spine
from backtui.core.ranking import Haystack, query_words, scan
from backtui.core.reader import Problems, decode_toml, header_lines, read_bytes
from backtui.core.routine_file import parse_exercise
from backtui.core.spec import Fields

CATALOG_FILE_KEYS = ("schema", "exercises")
RECENT_SEARCHES = 64


class Catalog(Mapping[str, Exercise]):
    """Exercises by id, in a stable order: built-in first, then the user's own."""

    def __init__(
        self,
        exercises: Iterable[Exercise],
        builtin_ids: Iterable[str] = (),
        *,
        haystacks: Mapping[str, Haystack] | None = None,
    ) -> None:
        """`haystacks` are search texts made already (by the cache), by id."""
        self._by_id = {exercise.id: exercise for exercise in exercises}
        self.builtin_ids = frozenset(builtin_ids)
        made = haystacks or {}
        self._haystacks = {
            exercise.id: made.get(exercise.id) or exercise_haystack(exercise)
            for exercise in self._by_id.values()
        }
        self._entries = [
            (exercise, self._haystacks[exercise.id]) for exercise in self._by_id.values()
        ]
        self._recent: OrderedDict[tuple, _Found] = OrderedDict()

    def __getitem__(self, exercise_id: str) -> Exercise:
        return self._by_id[exercise_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._by_id

    def is_builtin(self, exercise_id: str) -> bool:
        return exercise_id in self.builtin_ids

    def haystack(self, exercise_id: str) -> Haystack:
        """The exercise's texts, normalised once for searching (see `ranking`)."""
        return self._haystacks[exercise_id]

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

        Typing narrows a query one key at a time, so a search starts from the
        matches of the smallest recent query it narrows, and recent answers are
        kept (a backspace returns one of them at once).
        """
        return list(self._search(query_words(query), (category, spine, position)).ranked)

    def _search(self, words: tuple[str, ...], filters: tuple) -> _Found:
        key = (words, filters)
        if (cached := self._recent.get(key)) is not None:
            self._recent.move_to_end(key)
            return cached
        pool = self._entries
        for (old_words, old_filters), old in self._recent.items():
            if old_filters == filters and _narrows(words, old_words) and len(old.pool) < len(pool):
                pool = old.pool  # in catalogue order, so ties keep it
        category, spine, position = filters
        if category is not None or spine is not None or position is not None:
            pool = [
                entry
                for entry in pool
                if (category is None or entry[0].category is category)
                and (spine is None or entry[0].spine is spine)
                and (position is None or entry[0].position is position)
            ]
        if words:
            scanned = scan(pool, words)
            found = _Found(scanned.matched, [exercise for exercise, _ in scanned.ranked()])
        else:
            found = _Found(pool, [exercise for exercise, _ in pool])
        self._recent[key] = found
        if len(self._recent) > RECENT_SEARCHES:
            self._recent.popitem(last=False)
        return found


@dataclass(frozen=True, slots=True)
class _Found:
    pool: list[tuple[Exercise, Haystack]]  # the matches in catalogue order: where to narrow
    ranked: list[Exercise]  # the same, best first


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
) -> list[tuple[Path, Exercise]]:
    """Exercises of every `*.toml` in a folder, with the file each came from.

    With a cache, a file whose bytes are those parsed last time is not parsed
    again (see `catalog_cache`); its problems are reported all the same.
    """
    if not folder.is_dir():
        return []
    found: list[tuple[Path, Exercise]] = []
    for path in sorted(folder.glob("*.toml")):
        file_problems = Problems(str(path))
        found.extend((path, exercise) for exercise in _load_file(path, file_problems, cache))
        problems.extend(file_problems)
    if cache is not None:
        cache.save()
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


def load_catalog(
    builtin_dir: Path, user_dir: Path | None = None, *, cache: Path | None = None
) -> LoadedCatalog:
    """The built-in catalogue plus the user's folder; user ids may not shadow built-in ones.

    `cache` is a file in which the user's folder, as parsed, is kept between runs.
    """
    problems: list = []
    exercises = {exercise.id: exercise for _, exercise in load_folder(builtin_dir, problems)}
    builtin_ids = set(exercises)
    user_cache = None
    if user_dir is not None:
        user_cache = CatalogCache(cache) if cache is not None else None
        for path, exercise in load_folder(user_dir, problems, user_cache):
            if exercise.id in exercises:
                owner = "a built-in" if exercise.id in builtin_ids else "another of your"
                skipped = Problems(str(path))
                skipped.warning(
                    f"exercises.{exercise.id}", f"id already used by {owner} exercise; skipped"
                )
                problems.extend(skipped)
                continue
            exercises[exercise.id] = exercise
    haystacks = {}
    if user_cache is not None:  # only for the user's exercises kept
        haystacks = {i: h for i, h in user_cache.haystacks.items() if i not in builtin_ids}
    catalog = Catalog(exercises.values(), builtin_ids, haystacks=haystacks)
    problems.extend(dangling_references(catalog, skip=builtin_ids, folder=user_dir))
    return LoadedCatalog(catalog, problems)


def dangling_references(
    catalog: Catalog, *, skip: Iterable[str] = (), folder: Path | None = None
) -> list:
    """Warnings for progressions, regressions and counters that name no exercise."""
    skip = set(skip)
    problems = Problems(str(folder) if folder else "catalog")
    for exercise in catalog.values():
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
