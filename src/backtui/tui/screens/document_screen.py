"""A screen that edits a `RoutineDocument`: the file commands and their questions.

The document decides (what a save, a delete or an import does, and what went
wrong); this class only asks the person and shows the answer. The builder
extends it with the catalogue and the routine's steps.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from rich.text import Text
from textual import work

from backtui.core.document import (
    NEW_NAME,
    Conflict,
    Done,
    Failed,
    Result,
    RoutineDocument,
    check_name,
)
from backtui.core.model import Routine
from backtui.core.text import clean
from backtui.tui.screens.base import PlainScreen
from backtui.tui.screens.dialogs import ChoiceScreen, PromptScreen
from backtui.tui.screens.open_routine import OpenRoutineScreen


class DocumentScreen(PlainScreen):
    document: RoutineDocument

    def routine_changed(self) -> None:
        """The routine or its file changed: bring the view up to date."""

    def loaded(self) -> None:
        """A different routine is now open."""
        self.routine_changed()

    def report(self, result: Result, *, quiet: bool = False) -> bool:
        """Show how it went; True if it went well. `quiet` skips the good news."""
        if isinstance(result, Failed):
            self.notify(result.message, severity=result.severity)
            return False
        if isinstance(result, Done) and not quiet:
            self.notify(result.message, timeout=3)
        return isinstance(result, Done)

    # Saving ----------------------------------------------------------------------
    def action_save(self) -> None:
        self.save()

    def save(
        self,
        *,
        force: bool = False,
        as_new: bool = False,
        named: bool = False,
        then: Callable[[], None] | None = None,
    ) -> bool:
        """Save; on a conflict ask what to do, then carry on with `then`. A routine
        made here is named on its first save, so its file is named after it."""
        if self.document.needs_name and self.document.routine.steps and not (as_new or named):

            def name_chosen(name: str) -> None:
                self.document.set_name(name)
                self.save(named=True, then=then)

            self.ask_name("Name this routine", name_chosen, first=True)
            return False
        result = self.document.save(force=force, as_new=as_new)
        if isinstance(result, Conflict):
            self.resolve_conflict(result, then)
            return False
        self.routine_changed()
        if self.report(result) and then is not None:
            then()
        return isinstance(result, Done)

    @work
    async def resolve_conflict(self, conflict: Conflict, then: Callable[[], None] | None) -> None:
        answer = await self.app.push_screen_wait(
            ChoiceScreen(
                conflict.question,
                [
                    ("copy", "Save as a copy"),
                    ("reload", "Reload theirs"),
                    ("overwrite", "Overwrite"),
                    ("cancel", "Cancel"),
                ],
            )
        )
        if answer == "overwrite":
            self.save(force=True, then=then)
        elif answer == "copy":
            self.save(as_new=True, then=then)
        elif answer == "reload" and self.report(self.document.reload(), quiet=True):
            self.loaded()

    def when_work_is_safe(self, then: Callable[[], None]) -> None:
        """Run `then` now, or after the person saves or discards their unsaved work."""
        if not self.document.dirty:
            then()
            return

        def answered(answer: str | None) -> None:
            if answer == "discard":
                then()
            elif answer == "save":
                self.save(then=then)

        self.app.push_screen(
            ChoiceScreen(
                Text(f"“{self.document.routine.name}” has unsaved changes."),
                [("save", "Save"), ("discard", "Discard"), ("cancel", "Cancel")],
            ),
            answered,
        )

    # Opening ---------------------------------------------------------------------
    def open_path(self, path: Path) -> bool:
        opened = self.report(self.document.open_path(path), quiet=True)
        if opened:
            self.loaded()
        return opened

    def start_new(self) -> None:
        self.document.new()
        self.loaded()

    def action_new(self) -> None:
        self.when_work_is_safe(self.start_new)

    def open_slug(self, slug: str) -> None:
        if self.report(self.document.open_slug(slug), quiet=True):
            self.loaded()

    def open_saved(self, slug: str) -> None:
        """Open a saved routine, after asking about unsaved work (the palette's Open)."""
        self.when_work_is_safe(partial(self.open_slug, slug))

    def action_open(self) -> None:
        def chosen(slug: str | None) -> None:
            if slug:
                self.open_slug(slug)

        def choose() -> None:
            self.app.push_screen(OpenRoutineScreen(self.document.listings()), chosen)

        self.when_work_is_safe(choose)

    def action_open_file(self) -> None:
        """Open a routine file from anywhere to look at, run or change; nothing is
        saved unless the person saves (then a copy goes into the routines folder)."""

        def chosen(path: str | None) -> None:
            if path:
                self.open_path(self.document.export_target(path))

        def ask() -> None:
            prompt = PromptScreen("Open a routine file", placeholder="~/path/to/routine.toml")
            self.app.push_screen(prompt, chosen)

        self.when_work_is_safe(ask)

    def action_import(self) -> None:
        """As `backtui import` does: check the file, save it into the routines
        folder, and open the saved routine."""

        def chosen(path: str | None) -> None:
            if not path:
                return
            result = self.document.import_file(self.document.export_target(path))
            if self.report(result):
                self.loaded()

        def ask() -> None:
            prompt = PromptScreen(
                "Import a routine file into your routines folder",
                placeholder="~/path/to/routine.toml",
            )
            self.app.push_screen(prompt, chosen)

        self.when_work_is_safe(ask)

    # Naming, deleting, sharing ---------------------------------------------------
    def ask_name(self, title: str, then: Callable[[str], None], *, first: bool = False) -> None:
        def answered(name: str | None) -> None:
            if name:
                then(clean(name).strip())

        name = self.document.routine.name
        prompt = PromptScreen(
            title,
            "" if first and name == NEW_NAME else name,
            placeholder="for example: Evening stretch",
            check=check_name,
        )
        self.app.push_screen(prompt, answered)

    def action_rename(self) -> None:
        """Name, description and breath pacing; a new name renames the file too."""
        from backtui.tui.screens.routine_form import RoutineForm

        def answered(details: Routine | None) -> None:
            if details is None:
                return
            result = self.document.set_details(details)
            self.routine_changed()
            if result is not None:
                self.report(result)

        self.app.push_screen(RoutineForm(self.document.routine), answered)

    def action_save_as(self) -> None:
        def named(name: str) -> None:
            self.report(self.document.save_as(name))
            self.routine_changed()

        self.ask_name("Save as", named)

    def action_delete(self) -> None:
        document = self.document
        refused = document.deletable()
        if refused is not None:
            self.report(refused)
            return

        def answered(answer: str | None) -> None:
            if answer == "delete" and self.report(document.delete()):
                self.loaded()

        self.app.push_screen(
            ChoiceScreen(
                Text(
                    f"Delete “{document.routine.name}” ({document.slug}.toml)? "
                    "This cannot be undone."
                ),
                [("cancel", "Keep it"), ("delete", "Delete")],
            ),
            answered,
        )

    def action_export(self, form: str = "toml") -> None:
        """Export to a file the person sees in full before anything is written: the
        routine file, or (`form` html or md) its handout, at the person's pacing."""
        document = self.document
        if not document.routine.steps:
            self.report(Failed("Nothing to export yet", "warning"))
            return
        pacing = self.app.settings.pacing()  # type: ignore[attr-defined]

        def write(target: Path) -> None:
            self.report(document.export(target, form, pacing))

        def chosen(typed: str | None) -> None:
            if not typed:
                return
            target = document.export_target(typed, form=form)
            if target.exists():
                question = f"{target} exists. Replace it?"
                choices = [("keep", "Keep it"), ("replace", "Replace")]
            elif str(target) != typed:  # a short path or a folder: show where it lands
                question = f"Export to {target}?"
                choices = [("replace", "Export"), ("keep", "Cancel")]
            else:
                write(target)
                return
            self.app.push_screen(
                ChoiceScreen(question, choices),
                lambda answer: write(target) if answer == "replace" else None,
            )

        what = {"html": "Handout (HTML) to file", "md": "Handout (Markdown) to file"}
        prompt = PromptScreen(
            f"{what.get(form, 'Export to file')} (a folder works too)",
            document.export_default(form=form),
        )
        self.app.push_screen(prompt, chosen)
