"""Saved routines in the routines folder: list, load, save atomically, import, export.

A routine's name never chooses a path: files are named by a slug made only of
a-z, 0-9 and '-', and every path is checked to stay inside the folder.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from backtui.core import model
from backtui.core.reader import Problems, read_bytes
from backtui.core.routine_file import LoadResult, dumps_routine, loads_routine

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
    return len(text) <= SLUG_MAX and bool(_SLUG_PATTERN.match(text))


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
        if self.starters is not None and self.starters.is_dir():
            for starter in sorted(self.starters.glob("*.toml")):
                shutil.copyfile(starter, self.folder / starter.name)

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
        """A saved routine's slug, or a path to a .toml file."""
        if is_slug(ref):
            self.ensure_folder()
            path = self.path_for(ref)
            if path.exists():
                return path
        path = Path(ref).expanduser()
        if path.exists():
            return path
        raise StoreError(f"no saved routine {ref!r} (see `backtui list`) and no such file")

    def inside(self, path: Path) -> bool:
        return path.resolve().parent == self.folder.resolve()

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

    def import_bytes(self, data: bytes, source: str, *, replace: bool = False) -> StoredRoutine:
        """Validate a file's bytes and save it as a routine; the source is never touched."""
        result = loads_routine(data, self.catalog, source)
        if result.routine is None:
            raise InvalidRoutine(result)
        slug = slugify(result.routine.name) if replace else self.unique_slug(result.routine.name)
        return self.save(result.routine, slug)

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


class ConflictError(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} changed on disk since it was opened")
        self.path = path


class InvalidRoutine(StoreError):
    def __init__(self, result: LoadResult) -> None:
        super().__init__("\n".join(str(p) for p in result.problems if p.is_error))
        self.result = result
