"""Saved routines in the routines folder: list, load, find, save atomically,
import, export, delete, and the shipped starter routines.

A routine's name never chooses a path: files are named by a slug made only of
a-z, 0-9 and '-', and every path is checked to stay inside the folder.
"""

from __future__ import annotations

import difflib
import os
import re
import tempfile
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from backtui.core import model
from backtui.core.reader import Problems, read_bytes
from backtui.core.routine_file import LoadResult, dumps_routine, loads_routine
from backtui.core.text import clean

SLUG_MAX = 64
_SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class StoreError(Exception):
    """A failed store action, with a message fit for one line on stderr."""


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    slug = slug[:SLUG_MAX].rstrip("-")
    return slug or "routine"


def is_slug(text: str) -> bool:
    return len(text) <= SLUG_MAX and bool(_SLUG_PATTERN.fullmatch(text))


def atomic_write(path: Path, text: str) -> None:
    """Write a whole file or nothing: temporary file, flush, fsync, rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, before the rename
        "w",
        encoding="utf-8",
        dir=path.parent,
        prefix=f".{path.name}.",
        suffix=".tmp",
        delete=False,
        newline="\n",
    )
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What a file looked like when it was read, to notice another writer."""

    size: int
    digest: str

    @classmethod
    def of_bytes(cls, data: bytes) -> Fingerprint:
        import hashlib  # OpenSSL takes a moment to load; `backtui run` never needs it

        return cls(len(data), hashlib.sha256(data).hexdigest())

    @classmethod
    def of(cls, path: Path) -> Fingerprint | None:
        try:
            return cls.of_bytes(path.read_bytes())
        except OSError:
            return None


@dataclass
class StoredRoutine:
    slug: str
    path: Path
    result: LoadResult
    fingerprint: Fingerprint | None = None

    @property
    def routine(self) -> model.Routine | None:
        return self.result.routine


class RoutineStore:
    def __init__(
        self,
        folder: Path,
        catalog: Mapping[str, model.Exercise],
        starters: Path | None = None,
    ) -> None:
        self.folder = folder
        self.catalog = catalog
        self.starters = starters

    def ensure_folder(self) -> None:
        """Create the folder on first use, with the starter routines in it."""
        if self.folder.is_dir():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for starter in self.starter_files():
            self._copy_starter(starter)

    # Starters --------------------------------------------------------------------
    def starter_files(self) -> list[Path]:
        """The shipped starter routines, the one list both first use and restore read."""
        if self.starters is None or not self.starters.is_dir():
            return []
        return sorted(p for p in self.starters.glob("*.toml") if is_slug(p.stem))

    def _copy_starter(self, starter: Path) -> Path:
        target = self.folder / starter.name
        atomic_write(target, starter.read_text(encoding="utf-8"))
        return target

    def starter_states(self) -> list[StarterState]:
        """Each shipped starter and whether the routines folder has it as shipped."""
        self.ensure_folder()
        states = []
        for starter in self.starter_files():
            shipped = self.load_path(starter)
            name = shipped.routine.name if shipped.routine is not None else starter.stem
            target = self.folder / starter.name
            if not target.exists():
                status = StarterStatus.MISSING
            elif self._same_routine(starter, target):
                status = StarterStatus.PRESENT
            else:
                status = StarterStatus.CHANGED
            states.append(StarterState(starter.stem, name, status))
        return states

    def restore_starters(self) -> list[StarterState]:
        """Copy back every shipped starter missing from the folder; never touch a file
        that is there, changed or not. Returns the starters restored."""
        restored = []
        for state in self.starter_states():
            if state.status is StarterStatus.MISSING and self.starters is not None:
                target = self.folder / f"{state.slug}.toml"
                if not target.exists():  # looked at again just before writing
                    self._copy_starter(self.starters / target.name)
                    restored.append(state)
        return restored

    def _same_routine(self, a: Path, b: Path) -> bool:
        try:
            if a.read_bytes() == b.read_bytes():
                return True
        except OSError:
            return False
        first, second = self.load_path(a).routine, self.load_path(b).routine
        return first is not None and second is not None and self.same(first, second)

    def same(self, a: model.Routine, b: model.Routine) -> bool:
        """The same routine: equal once written out, with the moves each carries."""
        return self.export(a) == self.export(b)

    def path_for(self, slug: str) -> Path:
        if not is_slug(slug):
            raise StoreError(f"{slug!r} is not a routine name in the routines folder")
        path = (self.folder / f"{slug}.toml").resolve()
        if path.parent != self.folder.resolve():
            raise StoreError(f"{slug!r} points outside the routines folder")
        return path

    def slugs(self) -> list[str]:
        self.ensure_folder()
        return sorted(p.stem for p in self.folder.glob("*.toml") if is_slug(p.stem))

    def load_path(self, path: Path, name: str | None = None) -> StoredRoutine:
        problems = Problems(name or str(path))
        data = read_bytes(path, problems)
        if data is None:
            return StoredRoutine(path.stem, path, LoadResult(None, problems))
        fingerprint = Fingerprint.of_bytes(data)
        result = loads_routine(data, self.catalog, problems.file)
        return StoredRoutine(path.stem, path, result, fingerprint)

    def load(self, slug: str) -> StoredRoutine:
        self.ensure_folder()
        return self.load_path(self.path_for(slug))

    def list(self) -> list[StoredRoutine]:
        return [self.load(slug) for slug in self.slugs()]

    def resolve(self, ref: str) -> Path:
        """The file a person means by ROUTINE on the command line.

        In this order: a ref that looks like a path (has a slash or ends in .toml)
        is that file; a saved routine's slug (in any case); a saved routine's name,
        compared without regard to case. Raises `NotFound` (with the closest slugs
        as suggestions), or `Ambiguous` when two saved routines share the name.
        """
        if looks_like_path(ref):
            path = Path(ref).expanduser()
            if path.exists():
                return path
            saved = path.stem if path.name == ref and is_slug(path.stem) else None
            if saved is not None and self.path_for(saved).exists():
                raise NoSuchFile(ref, saved)  # `morning.toml` for `morning`
            raise NoSuchFile(ref)
        self.ensure_folder()
        slug = ref.strip().lower()
        if is_slug(slug):
            path = self.path_for(slug)
            if path.exists():
                return path
        names = self._names()
        named = [slug for slug, name in names.items() if _name_key(name) == _name_key(ref)]
        if len(named) == 1:
            return self.path_for(named[0])
        if named:
            raise Ambiguous(ref, tuple(named))
        raise NotFound(ref, self._suggestions(ref, names))

    def _names(self) -> dict[str, str]:
        """Slug to name of every saved routine that reads."""
        return {s.slug: s.routine.name for s in self.list() if s.routine is not None}

    def _suggestions(self, ref: str, names: Mapping[str, str]) -> tuple[str, ...]:
        """The slugs whose slug or name is closest to what was typed, best first."""
        by_key: dict[str, list[str]] = {}
        for slug, name in names.items():
            by_key.setdefault(slug, []).append(slug)
            by_key.setdefault(_name_key(name), []).append(slug)
        typed = _name_key(ref)
        # Close spellings first, then the routines whose slug or name begins with what
        # was typed (`evening` finds evening-wind-down, too far off for difflib).
        close = difflib.get_close_matches(typed, list(by_key), n=3, cutoff=0.6)
        close += sorted(key for key in by_key if len(typed) >= 3 and key.startswith(typed))
        suggestions: list[str] = []
        for key in close:
            for slug in by_key[key]:
                if slug not in suggestions:
                    suggestions.append(slug)
        return tuple(suggestions[:3])

    def inside(self, path: Path) -> bool:
        return path.resolve().parent == self.folder.resolve()

    def slug_of(self, path: Path) -> str | None:
        """The slug of a routine file in the routines folder; None for a file elsewhere."""
        if self.inside(path) and path.suffix == ".toml" and is_slug(path.stem):
            return path.stem
        return None

    def unique_slug(self, name: str) -> str:
        base = slugify(name)
        slug, n = base, 1
        while self.path_for(slug).exists():
            n += 1
            suffix = f"-{n}"
            slug = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
        return slug

    def save(
        self,
        routine: model.Routine,
        slug: str | None = None,
        *,
        expected: Fingerprint | None = None,
    ) -> StoredRoutine:
        """Save under slug (a new unique slug if None). With `expected`, refuse to
        overwrite a file that changed on disk since it was read."""
        self.ensure_folder()
        slug = slug or self.unique_slug(routine.name)
        path = self.path_for(slug)
        if expected is not None and Fingerprint.of(path) != expected:
            raise ConflictError(path)
        atomic_write(path, dumps_routine(routine))
        return StoredRoutine(
            slug, path, LoadResult(routine, Problems(str(path))), Fingerprint.of(path)
        )

    def delete(self, slug: str) -> None:
        self.path_for(slug).unlink(missing_ok=True)

    def import_bytes(self, data: bytes, source: str, *, replace: bool = False) -> Imported:
        """Validate a file's bytes and save it as a routine; the source is never touched.

        `source` names the file in problems. Raises `InvalidRoutine` (nothing
        written) for a file with errors. Otherwise the result says which case it was:

        - `ALREADY_SAVED`: the same routine (equal once written out, not byte for
          byte) is saved already; nothing is written. Without `replace` any saved
          routine counts; with it, only the one under the name's slug.
        - `SAVED`: saved under the slug of its name, which was free.
        - `RENAMED`: that slug holds a different routine, so it was saved under
          the next free one (`taken` is the slug that was taken).
        - `REPLACED`: with `replace`, the different routine under that slug was
          overwritten.

        `Imported.message()` says it in one line for a person.
        """
        result = loads_routine(data, self.catalog, source)
        routine = result.routine
        if routine is None:
            raise InvalidRoutine(result)
        self.ensure_folder()
        base = slugify(routine.name)
        base_path = self.path_for(base)
        saved = {s.slug: (s, s.routine) for s in self.list() if s.routine is not None}
        candidates = [base] if replace else sorted(saved, key=lambda slug: slug != base)
        for slug in candidates:
            if slug in saved:
                existing, existing_routine = saved[slug]
                if existing_routine is not None and self.same(existing_routine, routine):
                    return Imported(ImportCase.ALREADY_SAVED, existing)
        others = tuple(
            slug
            for slug, (_, other) in saved.items()
            if slug != base
            and other is not None
            and _name_key(other.name) == _name_key(routine.name)
        )
        if replace:
            case = ImportCase.REPLACED if base_path.exists() else ImportCase.SAVED
            return Imported(case, self.save(routine, base), also_named=others)
        if not base_path.exists():
            return Imported(ImportCase.SAVED, self.save(routine, base), also_named=others)
        stored = self.save(routine, self.unique_slug(routine.name))
        return Imported(ImportCase.RENAMED, stored, taken=base, also_named=others)

    def self_contained(self, routine: model.Routine) -> model.Routine:
        """The routine with every non-built-in exercise it uses carried inside it."""
        builtin: frozenset[str] = getattr(self.catalog, "builtin_ids", frozenset())
        lookup = routine.lookup(self.catalog)
        carried = dict(routine.exercises)
        for step in routine.steps:
            if step.exercise not in builtin and step.exercise in lookup:
                carried.setdefault(step.exercise, lookup[step.exercise])
        return replace(routine, exercises=carried)

    def export(self, routine: model.Routine) -> str:
        return dumps_routine(self.self_contained(routine))


def looks_like_path(ref: str) -> bool:
    """A ROUTINE that names a file rather than a saved routine."""
    return "/" in ref or os.sep in ref or ref.lower().endswith(".toml")


def _name_key(name: str) -> str:
    return " ".join(clean(name).split()).casefold()


class NotFound(StoreError):
    """No saved routine by that slug or name; `suggestions` are the closest slugs."""

    def __init__(self, ref: str, suggestions: tuple[str, ...] = ()) -> None:
        self.ref = ref
        self.suggestions = suggestions
        hint = f"did you mean {_either(suggestions)}?" if suggestions else "see `backtui list`"
        super().__init__(f"no saved routine {_quoted(ref)}; {hint}")


class NoSuchFile(StoreError):
    def __init__(self, ref: str, saved: str | None = None) -> None:
        self.ref = ref
        self.suggestions = (saved,) if saved else ()
        hint = f"; the saved routine is just {saved}" if saved else ""
        super().__init__(f"no such file: {ref}{hint}")


class Ambiguous(StoreError):
    """More than one saved routine has that name; `slugs` tells them apart."""

    def __init__(self, ref: str, slugs: tuple[str, ...]) -> None:
        self.ref = ref
        self.slugs = slugs
        super().__init__(
            f"{len(slugs)} saved routines are named {_quoted(ref)}: "
            f"{', '.join(slugs)}; give the slug instead"
        )


def _quoted(text: str) -> str:
    return '"' + clean(text).replace('"', '\\"') + '"'


def _either(slugs: tuple[str, ...]) -> str:
    return slugs[0] if len(slugs) == 1 else f"{', '.join(slugs[:-1])} or {slugs[-1]}"


class ImportCase(StrEnum):
    SAVED = "saved"
    ALREADY_SAVED = "already saved"
    RENAMED = "renamed"
    REPLACED = "replaced"


@dataclass(frozen=True, slots=True)
class Imported:
    """What `RoutineStore.import_bytes` did; `stored` is the routine now saved."""

    case: ImportCase
    stored: StoredRoutine
    taken: str | None = None  # RENAMED: the slug a different routine holds
    also_named: tuple[str, ...] = field(default=())  # other saved routines of that name

    @property
    def slug(self) -> str:
        return self.stored.slug

    @property
    def path(self) -> Path:
        return self.stored.path

    @property
    def wrote(self) -> bool:
        return self.case is not ImportCase.ALREADY_SAVED

    def message(self, replace_hint: str = "--replace overwrites it") -> str:
        """One line for a person: on stderr, or in the builder's notification (which
        passes its own `replace_hint`, or "" for none)."""
        if self.case is ImportCase.ALREADY_SAVED:
            return f"already saved as {self.slug}"
        if self.case is ImportCase.RENAMED:
            hint = f"; {replace_hint}" if replace_hint else ""
            text = f"saved as {self.slug} ({self.taken} is taken by a different routine{hint})"
        elif self.case is ImportCase.REPLACED:
            text = f"replaced {self.slug} with the imported routine"
        else:
            text = f"saved as {self.slug}"
        if self.also_named:
            text += f"; {', '.join(self.also_named)} has the same name"
        return text


class StarterStatus(StrEnum):
    PRESENT = "present"  # as shipped (or written out the same)
    CHANGED = "changed"  # the person's own version now: never overwritten
    MISSING = "missing"  # `restore_starters` copies it back


@dataclass(frozen=True, slots=True)
class StarterState:
    slug: str
    name: str
    status: StarterStatus


class ConflictError(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} changed on disk since it was opened")
        self.path = path


class InvalidRoutine(StoreError):
    def __init__(self, result: LoadResult) -> None:
        super().__init__("\n".join(str(p) for p in result.problems if p.is_error))
        self.result = result
