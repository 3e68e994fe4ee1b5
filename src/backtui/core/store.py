"""Saved routines in the routines folder: list, load, find, save atomically,
import, export, delete, and the shipped starter routines.

A routine's name never chooses a path: files are named by a slug made only of
a-z, 0-9 and '-', and every path is checked to stay inside the folder.

Several backtui processes may write the folder at once (two builders, an import
from a script). Every check-and-write (save, import, rename, delete, restoring
a starter) holds an exclusive `flock` on the folder's `.lock` file, and checks
again under it that the slug is still free or the file still the one that was
opened: the second writer gets a `ConflictError` or another free slug, never a
silent overwrite. Where `fcntl` does not exist (Windows) there is no lock: the
checks still run, just not atomically with the write.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import os
import re
import shutil
import stat
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterator, Mapping
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


LOCK_NAME = ".lock"  # in the routines folder; never a routine (slugs come from *.toml)
TEMP_SUFFIX = ".tmp"
STALE_TEMP_S = 60.0  # a temporary file this old is left from a write that was killed
# What atomic_write names its temporary files: `.NAME.XXXXXXXX.tmp`, hidden.
_TEMP_PATTERN = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def atomic_write(path: Path, text: str) -> None:
    """Write a whole file or nothing: temporary file, write, fsync, rename.

    The temporary file is `.NAME.XXXXXXXX.tmp` beside the target (hidden, and
    swept by `sweep_temporaries` if a killed process leaves it). A file that is
    replaced keeps its mode; a new one gets the person's umask, as `open` would
    give it. Any OSError (a full disk, a read-only folder) leaves the old file
    as it was and no temporary file behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        try:
            os.chmod(temporary, _mode_for(path))  # mkstemp made it 0600
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _mode_for(path: Path) -> int:
    """An existing file's own mode, or what a new file gets under the umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    try:  # Linux says it without changing it
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere the only way to read it is to set it: put it back at once
    os.umask(mask)
    return mask


def sweep_temporaries(
    folder: Path, older_than: float = STALE_TEMP_S, prefix: str = "."
) -> list[Path]:
    """Remove the temporary files atomic_write left in `folder` when it was killed
    mid-write, if older than `older_than` seconds (a younger one may be a write
    in progress). Returns what was removed; quiet about what cannot be."""
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix) or not _TEMP_PATTERN.match(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > older_than:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            elif stat.S_ISDIR(info.st_mode) and now - info.st_mtime > older_than:
                shutil.rmtree(entry.path)  # a first use's staging folder
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


_held = threading.local()  # the folders this thread holds the lock of, for nesting


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's exclusive lock for one check-and-write.

    A `flock` on `FOLDER/.lock`, released when the block ends (or the process
    dies: the kernel drops it). Nested use in one thread is free. Without
    `fcntl` (not POSIX), or where the lock file cannot be made (a read-only
    folder, where nothing can be written anyway), it does not lock.
    """
    key = str(folder.resolve())
    held: set[str] = _held.__dict__.setdefault("folders", set())
    if key in held:
        yield
        return
    try:
        import fcntl
    except ImportError:  # Windows: no lock (see the module's docstring)
        yield
        return
    try:
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
    finally:
        os.close(fd)  # releases the lock


def write_error_text(error: OSError) -> str:
    """Why a write failed, in a few words for a person."""
    reasons = {
        errno.ENOSPC: "no space left on the disk",
        errno.EDQUOT: "the disk quota is used up",
        errno.EACCES: "no permission to write there",
        errno.EPERM: "no permission to write there",
        errno.EROFS: "the disk is read-only",
    }
    reason = reasons.get(error.errno or 0) or error.strerror or str(error)
    where = error.filename
    if where is not None and errno.errorcode.get(error.errno or 0) in ("EACCES", "EPERM"):
        return f"{reason} ({Path(os.fsdecode(where)).parent})"
    return reason


def refuse_target(path: Path) -> str | None:
    """Why `path` must not be written as an exported file, or None: only a regular
    file (or nothing yet) is; never a symbolic link, a FIFO, a device or a folder."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot write {path}: {error.strerror or error}"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        kind = "a symbolic link"
    elif stat.S_ISDIR(mode):
        kind = "a folder"
    elif stat.S_ISFIFO(mode):
        kind = "a FIFO (named pipe)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    else:
        kind = "not a regular file"
    return f"not writing to {path}: it is {kind}; give a path to a regular file"


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
        self._swept = False
        self._parsed: dict[tuple, StoredRoutine] = {}  # see `load_path`

    def ensure_folder(self) -> None:
        """Create the folder on first use, with the starter routines in it; on the
        first look at a folder that exists, sweep what killed writes left there.

        First use is all or nothing: the starters are copied into a hidden
        staging folder beside it, which becomes the routines folder by one
        rename. A full disk leaves no folder and no half-copied routine, so the
        next start simply tries again.
        """
        if self.folder.is_dir():
            if not self._swept:
                self._swept = True
                sweep_temporaries(self.folder)
                sweep_temporaries(self.folder.parent, prefix=f".{self.folder.name}.")
            return
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(
            tempfile.mkdtemp(dir=self.folder.parent, prefix=f".{self.folder.name}.", suffix=".tmp")
        )
        try:
            os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes it 0700
            for starter in self.starter_files():
                atomic_write(staging / starter.name, starter.read_text(encoding="utf-8"))
            try:
                os.rename(staging, self.folder)
            except OSError:
                if not self.folder.is_dir():  # another process's first use won: fine
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)  # gone already once renamed
        _fsync_folder(self.folder.parent)
        self._swept = True

    def locked(self) -> contextlib.AbstractContextManager[None]:
        """The folder's exclusive lock, for one check-and-write (see the module)."""
        return folder_lock(self.folder)

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
                with self.locked():
                    if not target.exists():  # looked at again, under the lock
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
        """The routine in a file, parsed once per process while the file is unchanged.

        Start-up reads the same files several times (the listing, the welcome's
        starters, the report of unreadable files): a file whose path, inode,
        size, mtime and ctime are those of the last read is answered from memory.
        Only reading goes through here; every check before a write reads the real
        bytes again (`Fingerprint.of`, under the folder's lock).
        """
        key = _file_key(path, name)
        if key is not None and (known := self._parsed.get(key)) is not None:
            return known
        problems = Problems(name or str(path))
        data = read_bytes(path, problems)
        if data is None:
            return StoredRoutine(path.stem, path, LoadResult(None, problems))
        fingerprint = Fingerprint.of_bytes(data)
        result = loads_routine(data, self.catalog, problems.file)
        stored = StoredRoutine(path.stem, path, result, fingerprint)
        if key is not None and _file_key(path, name) == key and key[3] == len(data):
            self._parsed[key] = stored  # unchanged while it was read
        return stored

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
        overwrite a file that changed on disk since it was read.

        The slug is chosen, and the file compared, under the folder's lock, so two
        processes saving at once never both succeed over each other."""
        self.ensure_folder()
        with self.locked():
            slug = slug or self.unique_slug(routine.name)
            path = self.path_for(slug)
            if expected is not None and Fingerprint.of(path) != expected:
                raise ConflictError(path)
            return self._write(routine, slug)

    def _write(self, routine: model.Routine, slug: str) -> StoredRoutine:
        """Write the file; the caller holds the lock and has made its checks."""
        path = self.path_for(slug)
        text = dumps_routine(routine)
        atomic_write(path, text)
        # The fingerprint of what was written, not of a read-back another writer could change.
        fingerprint = Fingerprint.of_bytes(text.encode("utf-8"))
        return StoredRoutine(slug, path, LoadResult(routine, Problems(str(path))), fingerprint)

    def rename(
        self, old: str, name: str, *, expected: Fingerprint | None
    ) -> tuple[StoredRoutine, bool]:
        """Give the routine saved under `old` a new name, and its file the new name's
        slug when that is free. Returns the routine as saved and whether the new
        slug was taken (so the file kept its slug). Raises `ConflictError` if the
        file is not the one read (`expected`), `StoreError` if it does not load.
        Saved first, deleted after: a crash in between leaves two copies, never none."""
        self.ensure_folder()
        with self.locked():
            stored = self.load(old)
            if stored.fingerprint != expected:
                raise ConflictError(stored.path)
            if stored.routine is None:
                raise StoreError(stored.result.first_error or f"{old}.toml does not load")
            new = slugify(name)
            taken = new != old and self.path_for(new).exists()
            slug = old if taken else new
            saved = self._write(replace(stored.routine, name=name), slug)
            if slug != old:
                self.path_for(old).unlink(missing_ok=True)
        return saved, taken

    def delete(self, slug: str, *, expected: Fingerprint | None = None) -> None:
        """Delete a saved routine; with `expected`, only if it is still the file read."""
        path = self.path_for(slug)
        with self.locked():
            if expected is not None and Fingerprint.of(path) != expected:
                raise ConflictError(path)
            path.unlink(missing_ok=True)

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
        # Looked at again under the lock: another import may have taken the slug since.
        with self.locked():
            if replace:
                case = ImportCase.REPLACED if base_path.exists() else ImportCase.SAVED
                return Imported(case, self._write(routine, base), also_named=others)
            if not base_path.exists():
                return Imported(ImportCase.SAVED, self._write(routine, base), also_named=others)
            if base not in saved:  # saved since we looked: the same routine, perhaps
                now = self.load_path(base_path)
                if now.routine is not None and self.same(now.routine, routine):
                    return Imported(ImportCase.ALREADY_SAVED, now)
            stored = self._write(routine, self.unique_slug(routine.name))
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


def _file_key(path: Path, name: str | None) -> tuple | None:
    """What identifies a file's version without reading it; None if it cannot be had."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (str(path), name, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


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
