"""The routine being edited, as a document: its edits, where it lives, whether it is saved.

The builder's screen asks and tells; the decisions are here, where a test
reaches them without the Pilot. Every file operation returns a result (`Done`,
`Conflict`, `Failed`) instead of raising into the UI: a full disk, a file
another session changed, or a stranger's broken file is an answer to show,
never a crash, and never a lost edit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from backtui.core import handout, model
from backtui.core.catalog import Catalog
from backtui.core.editing import EditHistory
from backtui.core.model import Routine, estimate_minutes
from backtui.core.pacing import DEFAULT_PACING, Pacing
from backtui.core.ranking import Haystack
from backtui.core.reader import Problems, read_bytes
from backtui.core.store import (
    ConflictError,
    Fingerprint,
    InvalidRoutine,
    RoutineStore,
    StarterStatus,
    StoreError,
    atomic_write,
    is_slug,
    refuse_target,
    slugify,
    write_error_text,
)

NEW_NAME = "New routine"

Severity = Literal["information", "warning", "error"]


@dataclass(frozen=True, slots=True)
class Done:
    message: str  # what happened, for a calm notification


@dataclass(frozen=True, slots=True)
class Conflict:
    """The file changed on disk since it was read: ask before overwriting it."""

    question: str


@dataclass(frozen=True, slots=True)
class Failed:
    message: str
    severity: Severity = "error"  # "warning": nothing went wrong, it just cannot be done yet


Result = Done | Conflict | Failed


@dataclass(frozen=True, slots=True)
class RoutineListing:
    """One saved routine, as the open dialog lists it."""

    slug: str
    name: str
    steps: int
    minutes: int
    broken: str = ""  # the first error, for a file that does not load
    description: str = ""

    def haystack(self) -> Haystack:
        """What a search looks in: the name, then the slug, then the description."""
        return Haystack.of(self.name, self.slug, (self.description,))


def format_limit(routine: Routine) -> str | None:
    """Why the file format would refuse this routine's shape, or None. Values are
    checked where they are typed (the forms); what an edit can grow is checked here."""
    if len(routine.steps) > model.MAX_STEPS:
        return f"A routine holds at most {model.MAX_STEPS} steps"
    return None


def check_name(name: str) -> str | None:
    """Why a routine name is refused, or None."""
    if not name:
        return "A routine needs a name"
    if len(name) > model.NAME_MAX:
        return f"At most {model.NAME_MAX} characters"
    return None


class RoutineDocument:
    """One routine being made: its edit history, and the file it came from.

    `slug` is set once the routine is in the routines folder; `source` is a file
    opened from elsewhere (an import: saving keeps a copy, the file is never
    written); `fingerprint` is what the file held when read, so a save never
    silently overwrites another session's change.
    """

    def __init__(self, store: RoutineStore, catalog: Catalog) -> None:
        self.store = store
        self.catalog = catalog
        self.history = EditHistory(Routine(NEW_NAME, ()))
        self.history.mark_saved()
        self.slug: str | None = None
        self.fingerprint: Fingerprint | None = None
        self.source: Path | None = None
        self.shown_catalog = catalog  # the catalogue plus moves the routine carries

    # What it is ------------------------------------------------------------------
    @property
    def routine(self) -> Routine:
        return self.history.current

    @property
    def dirty(self) -> bool:
        return self.history.dirty

    @property
    def imported(self) -> bool:
        """Opened from a file outside the routines folder and not saved since."""
        return self.slug is None and self.source is not None

    def minutes(self) -> int:
        return estimate_minutes(self.routine, self.catalog)

    def run_key(self) -> str:
        """The name its unfinished session is kept under."""
        if self.slug is not None:
            return self.slug
        if self.source is not None:
            from backtui.core import resume

            return resume.key_for(self.source)
        return "unsaved"

    # Edits -----------------------------------------------------------------------
    def edit(self, routine: Routine, label: str) -> Failed | None:
        """Apply an edit, unless it would make a routine the file format refuses
        (a save must always read back); then nothing changes and the reason is given."""
        refused = format_limit(routine)
        if refused is not None and format_limit(self.routine) is None:
            return Failed(refused, "warning")
        self.history.apply(routine, label)
        return None

    def set_name(self, name: str) -> None:
        self.edit(replace(self.routine, name=name), "rename")

    @property
    def needs_name(self) -> bool:
        """A routine made here and never saved: its first save asks for a name."""
        return self.slug is None and self.source is None

    def rename(self, name: str) -> Result:
        """Rename the routine, and its file with it when that slug is free, so
        `backtui run NEW-NAME` finds it. Other unsaved edits stay unsaved: the
        file gets the new name and nothing else."""
        self.set_name(name)
        if self.slug is None:
            return Done(f"Renamed to “{name}”")
        old_slug, new_slug = self.slug, slugify(name)
        try:
            saved, taken = self.store.rename(old_slug, name, expected=self.fingerprint)
        except ConflictError:
            return Failed(
                f"Renamed here only: {old_slug}.toml changed on disk since you opened it",
                "warning",
            )
        except OSError as error:
            return Failed(
                f"Renamed here only; the file could not be renamed: {write_error_text(error)}"
            )
        except StoreError as error:
            return Failed(f"Renamed here only; the file could not be renamed: {error}")
        slug = saved.slug
        self.slug, self.fingerprint = slug, saved.fingerprint
        if self.history.saved is not None:  # what the file holds now
            self.history.saved = replace(self.history.saved, name=name)
        if taken:
            return Done(
                f"Renamed to “{name}”; the file stays {old_slug}.toml, as {new_slug}.toml is taken"
            )
        if slug == old_slug:
            return Done(f"Renamed to “{name}”")
        return Done(f"Renamed to “{name}”, saved as {slug}.toml")

    def set_details(self, details: Routine) -> Result | None:
        """Take the routine's own fields (name, description, breath) from `details`;
        a new name renames the file too. None if nothing changed."""
        others = replace(details, name=self.routine.name)
        changed = others != self.routine
        if changed:
            self.edit(others, "details")
        if details.name != self.routine.name:
            return self.rename(details.name)
        return Done("Updated the routine's description and breath") if changed else None

    def undo(self) -> str | None:
        return self.history.undo()

    def redo(self) -> str | None:
        return self.history.redo()

    # Opening ---------------------------------------------------------------------
    def new(self) -> None:
        self._load(Routine(NEW_NAME, ()), slug=None, fingerprint=None, saved=True)

    def open_slug(self, slug: str) -> Result:
        try:
            stored = self.store.load(slug)
        except (StoreError, OSError) as error:
            return Failed(f"Cannot open {slug}: {error}")
        if stored.routine is None:
            return Failed(stored.result.first_error or f"Cannot open {slug}")
        self._load(stored.routine, slug=slug, fingerprint=stored.fingerprint)
        return Done(f"Opened {slug}.toml")

    def open_path(self, path: Path) -> Result:
        """A file in the routines folder is edited in place; any other is an import,
        read once and never written."""
        stored = self.store.load_path(path)
        if stored.routine is None:
            errors = [p for p in stored.result.problems if p.is_error]
            message = stored.result.first_error or f"Cannot open {path}"
            if len(errors) > 1:
                message += f"\n(and {len(errors) - 1} more: backtui validate FILE lists them)"
            return Failed(message)
        if self.store.inside(path) and is_slug(path.stem) and path.suffix == ".toml":
            self._load(stored.routine, slug=path.stem, fingerprint=stored.fingerprint)
        else:
            self._load(stored.routine, slug=None, fingerprint=None, source=path)
        return Done(f"Opened {path}")

    def import_file(self, path: Path) -> Result:
        """What `backtui import` does: check the file, save it into the routines
        folder (never over another routine), and open the saved copy."""
        problems = Problems(str(path))
        data = read_bytes(path, problems)
        if data is None:
            return Failed(next((str(p) for p in problems if p.is_error), f"Cannot read {path}"))
        try:
            imported = self.store.import_bytes(data, str(path))
        except InvalidRoutine as error:
            return Failed(error.result.first_error or f"Cannot import {path}")
        except OSError as error:
            return Failed(f"Could not import: {write_error_text(error)}")
        except StoreError as error:
            return Failed(f"Could not import: {error}")
        opened = self.open_slug(imported.slug)
        if isinstance(opened, Failed):
            return opened
        return Done(f"{path.name}: {imported.message(replace_hint='')}")

    @property
    def welcoming(self) -> bool:
        """Nothing open yet: the builder offers the starters instead of an empty list."""
        return self.slug is None and self.source is None and not self.routine.steps

    def starter_listings(self) -> list[RoutineListing]:
        """The starter routines the folder holds (as shipped or changed), in order."""
        try:
            present = {
                state.slug
                for state in self.store.starter_states()
                if state.status is not StarterStatus.MISSING
            }
        except (StoreError, OSError):
            return []
        return [item for item in self.listings() if item.slug in present and not item.broken]

    def listings(self) -> list[RoutineListing]:
        found = []
        for stored in self.store.list():
            routine = stored.routine
            if routine is None:
                found.append(RoutineListing(stored.slug, "", 0, 0, stored.result.first_error))
                continue
            minutes = estimate_minutes(routine, self.catalog)
            found.append(
                RoutineListing(
                    stored.slug,
                    routine.name,
                    len(routine.steps),
                    minutes,
                    description=routine.description,
                )
            )
        return found

    def _load(
        self,
        routine: Routine,
        *,
        slug: str | None,
        fingerprint: Fingerprint | None,
        source: Path | None = None,
        saved: bool | None = None,
    ) -> None:
        self.history = EditHistory(routine)
        if saved if saved is not None else slug is not None:
            self.history.mark_saved()
        self.slug, self.fingerprint, self.source = slug, fingerprint, source
        carried = [e for i, e in routine.exercises.items() if i not in self.catalog]
        if carried:
            self.shown_catalog = self.catalog.extended(carried)
        else:
            self.shown_catalog = self.catalog

    # Saving ----------------------------------------------------------------------
    def save(self, *, force: bool = False, as_new: bool = False) -> Result:
        """Save in place, or under a new slug. Without `force`, a file changed on
        disk since it was read is a `Conflict`, and nothing is written."""
        if not self.routine.steps:
            return Failed("Add at least one step before saving", "warning")
        slug = None if as_new else self.slug
        expected = None if force or slug is None else self.fingerprint
        try:
            saved = self.store.save(self.routine, slug, expected=expected)
        except ConflictError:
            return Conflict(
                f"{slug}.toml changed on disk since you opened it "
                "(another session saved it?). What now?"
            )
        except OSError as error:
            kept = f"; {slug}.toml is as it was" if slug is not None else ""
            return Failed(f"Could not save: {write_error_text(error)}{kept}")
        except StoreError as error:
            return Failed(f"Could not save: {error}")
        self.slug, self.fingerprint, self.source = saved.slug, saved.fingerprint, None
        self.history.mark_saved()
        return Done(f"Saved to {saved.path}")

    def save_as(self, name: str) -> Result:
        """Save a copy under a new name; the old file stays as it was."""
        self.set_name(name)
        return self.save(as_new=True)

    def reload(self) -> Result:
        """Take what is on disk now, dropping the edits (the conflict's "reload theirs")."""
        if self.slug is None:
            return Failed("This routine is not saved in the routines folder")
        return self.open_slug(self.slug)

    # Deleting --------------------------------------------------------------------
    def deletable(self) -> Failed | None:
        """Why this routine cannot be deleted now, or None."""
        if self.slug is None:
            return Failed("This routine is not saved in the routines folder", "information")
        if Fingerprint.of(self.store.path_for(self.slug)) != self.fingerprint:
            return Failed(
                f"{self.slug}.toml changed on disk since you opened it; open it again first",
                "warning",
            )
        return None

    def delete(self) -> Result:
        refused = self.deletable()
        if refused is not None:
            return refused
        slug = self.slug
        assert slug is not None
        try:
            self.store.delete(slug, expected=self.fingerprint)
        except ConflictError:
            return Failed(
                f"{slug}.toml changed on disk since you opened it; open it again first",
                "warning",
            )
        except OSError as error:
            return Failed(f"Could not delete: {write_error_text(error)}")
        except StoreError as error:
            return Failed(f"Could not delete: {error}")
        self.new()
        return Done(f"Deleted {slug}.toml")

    # Sharing ---------------------------------------------------------------------
    def export_name(self, form: str = "toml") -> str:
        return f"{self.slug or slugify(self.routine.name)}{handout.SUFFIXES[form]}"

    def export_default(self, home: Path | None = None, form: str = "toml") -> str:
        """Where an export goes unless told otherwise: the home folder, in full."""
        return str((home or Path.home()) / self.export_name(form))

    def export_target(self, typed: str, home: Path | None = None, form: str = "toml") -> Path:
        """The file an export writes, in full: `~` expanded, a relative path taken
        from the home folder, and a folder given the routine's file name."""
        home = home or Path.home()
        target = Path(typed.strip()).expanduser()
        if not target.is_absolute():
            target = home / target
        if target.is_dir():
            target = target / self.export_name(form)
        return Path(os.path.abspath(target))

    def export(self, target: Path, form: str = "toml", pacing: Pacing = DEFAULT_PACING) -> Result:
        """Write the routine, with the moves it carries, to a file to share; or,
        as `backtui export --format` does, its handout (html, md) at `pacing`."""
        if not self.routine.steps:
            return Failed("Nothing to export yet", "warning")
        refused = refuse_target(target)
        if refused is not None:
            return Failed(refused[0].upper() + refused[1:])
        try:
            atomic_write(target, handout.export_text(form, self.routine, self.store, pacing))
        except OSError as error:
            return Failed(f"Could not export: {write_error_text(error)}")
        what = "Handout written" if form in handout.HANDOUTS else "Exported"
        return Done(f"{what} to {target.resolve()}")
