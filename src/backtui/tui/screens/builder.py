"""The builder: the catalogue on the left, the routine being made on the right.

The routine lives in an EditHistory; every change makes a new routine, then the
view reconciles once in `routine_changed`. A drag and a key post the same
message and run the same code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Footer, Input, Select

from backtui.core import model
from backtui.core.balance import balancing_fix, unbalanced
from backtui.core.catalog import Catalog
from backtui.core.editing import EditHistory
from backtui.core.model import Category, Position, Routine, Spine, Step, estimate_minutes
from backtui.core.store import (
    ConflictError,
    Fingerprint,
    RoutineStore,
    StoreError,
    atomic_write,
    is_slug,
)
from backtui.core.text import clean
from backtui.tui.screens.base import PlainScreen
from backtui.tui.screens.dialogs import ChoiceScreen, PromptScreen
from backtui.tui.screens.dose_form import DoseForm
from backtui.tui.screens.help import SPINE_NOTES, HelpScreen
from backtui.tui.screens.open_routine import OpenRoutineScreen, RoutineChoice
from backtui.tui.widgets.balance_bar import BalanceBar
from backtui.tui.widgets.catalog_list import CatalogList
from backtui.tui.widgets.exercise_detail import ExerciseDetail
from backtui.tui.widgets.search_box import SearchBox
from backtui.tui.widgets.step_list import StepList
from backtui.tui.widgets.text_line import TextLine

NEW_NAME = "New routine"

# What no binding can say: the mouse, and what the markers in the lists mean.
BUILDER_NOTES = Text.assemble(
    ("Mouse\n", "bold underline"),
    "  Drag a step to a new place; Escape or letting go outside the list cancels.\n",
    "  Drag an exercise from the catalogue into the routine, or double-click it.\n",
    "  Double-click a step to set its dose.\n\n",
    SPINE_NOTES,
)
DETAIL_DELAY = 0.1


def check_name(name: str) -> str | None:
    if not name:
        return "A routine needs a name"
    if len(name) > model.NAME_MAX:
        return f"At most {model.NAME_MAX} characters"
    return None


class BuilderScreen(PlainScreen):
    BINDING_GROUP_TITLE = "Builder"
    CSS_PATH = "builder.tcss"

    BINDINGS = [
        Binding("slash", "focus_search", "Search", show=False, id="builder.search"),
        Binding("f", "fix", "Fix", id="builder.fix"),
        Binding("ctrl+z,u", "undo", "Undo", id="builder.undo"),
        Binding("ctrl+y,U", "redo", "Redo", show=False, id="builder.redo"),
        Binding("r", "run", "Run", id="builder.run"),
        Binding("ctrl+s", "save", "Save", id="builder.save"),
        Binding("ctrl+o", "open", "Open", show=False, id="builder.open"),
        Binding("ctrl+n", "new", "New", show=False, id="builder.new"),
        Binding("f2", "rename", "Rename", show=False, id="builder.rename"),
        Binding("H", "history", "History", show=False, id="builder.history"),
        Binding("question_mark", "help", "Help", key_display="?", id="builder.help"),
    ]

    def __init__(self, catalog: Catalog, store: RoutineStore, start: Path | None = None) -> None:
        super().__init__()
        self.start = start
        self.catalog = catalog
        # What the catalogue pane lists: the catalogue, plus moves the open routine carries.
        self.shown_catalog = catalog
        self.store = store
        self.history = EditHistory(Routine(NEW_NAME, ()))
        self.history.mark_saved()
        self.slug: str | None = None  # None: not yet in the routines folder
        self.fingerprint: Fingerprint | None = None
        self.source: Path | None = None  # a file opened from outside the folder
        self._detail_timer: Timer | None = None

    @property
    def routine(self) -> Routine:
        return self.history.current

    def compose(self) -> ComposeResult:
        yield TextLine(id="title")
        with Horizontal(id="panes"):
            with Vertical(id="catalog-pane"):
                yield SearchBox(placeholder="/ search exercises", id="search", compact=True)
                with Horizontal(id="filters"):
                    yield Select(
                        [(c.value, c) for c in Category],
                        prompt="category",
                        id="filter-category",
                        compact=True,
                    )
                    yield Select(
                        [(f"{s.marker} {s.value}", s) for s in Spine],
                        prompt="spine",
                        id="filter-spine",
                        compact=True,
                    )
                    yield Select(
                        [(p.value, p) for p in Position],
                        prompt="position",
                        id="filter-position",
                        compact=True,
                    )
                yield CatalogList(id="catalog")
                yield ExerciseDetail(id="detail")
            with Vertical(id="routine-pane"):
                yield StepList(id="steps")
                yield BalanceBar(id="balance")
        yield Footer(compact=True)

    def on_resize(self) -> None:
        self.set_class(self.size.width < 70, "-narrow")

    def on_mount(self) -> None:
        # Watching the value (rather than waiting for Input.Changed) filters while
        # the key is handled, so the typed letter and the new list share one frame.
        self.watch(self.query_one("#search", Input), "value", self.apply_filter, init=False)
        self.apply_filter()
        self.routine_changed()
        self.query_one(CatalogList).focus()
        if self.start is not None:
            self.open_path(self.start)

    # Reconciling the view with the model ---------------------------------------------
    def routine_changed(self) -> None:
        routine = self.routine
        lookup = routine.lookup(self.catalog)
        warnings = unbalanced(routine, self.catalog)
        self.query_one(StepList).show(routine, lookup, frozenset(w.index for w in warnings))
        self.query_one(BalanceBar).show(warnings, lookup, bool(routine.steps))
        title = Text(" ")
        title.append(routine.name, "bold")
        if self.history.dirty:
            title.append(" ●", "bold")
        count = len(routine.steps)
        title.append(f"  {count} step{'' if count == 1 else 's'}")
        if count:
            title.append(f" · ~{estimate_minutes(routine, self.catalog)} min")
        if self.slug is None and self.source is not None:
            title.append("  (imported: saving keeps a copy)")
        self.query_one("#title", TextLine).text = title

    def edit(self, routine: Routine, label: str, cursor: int | None = None) -> None:
        self.history.apply(routine, label)
        self.routine_changed()  # always: a drop that changed nothing must still end its preview
        if cursor is not None:
            self.query_one(StepList).cursor = cursor

    def load(
        self,
        routine: Routine,
        *,
        slug: str | None,
        fingerprint: Fingerprint | None,
        source: Path | None = None,
        saved: bool | None = None,
    ) -> None:
        """Show a routine fresh from disk (saved) or from elsewhere (not yet saved)."""
        self.history = EditHistory(routine)
        if saved if saved is not None else slug is not None:
            self.history.mark_saved()
        self.slug, self.fingerprint, self.source = slug, fingerprint, source
        carried = [e for i, e in routine.exercises.items() if i not in self.catalog]
        shown = Catalog([*self.catalog.values(), *carried], self.catalog.builtin_ids)
        if carried or self.shown_catalog is not self.catalog:
            self.shown_catalog = shown if carried else self.catalog
            self.apply_filter()
        self.routine_changed()
        self.query_one(StepList).cursor = 0

    # Catalogue ------------------------------------------------------------------------
    @on(Select.Changed)
    def apply_filter(self) -> None:
        def chosen(selector: str):
            value = self.query_one(selector, Select).value
            return None if value is Select.NULL else value

        results = self.shown_catalog.search(
            self.query_one("#search", Input).value,
            category=chosen("#filter-category"),
            spine=chosen("#filter-spine"),
            position=chosen("#filter-position"),
        )
        self.query_one(CatalogList).show(results)

    @on(Input.Submitted, "#search")
    def add_first_match(self) -> None:
        listing = self.query_one(CatalogList)
        if listing.highlighted is not None:
            self.add_exercise(listing.highlighted.id)

    @on(CatalogList.Highlighted)
    def show_detail(self, event: CatalogList.Highlighted) -> None:
        # The detail waits until the highlight rests, so typing or holding a key
        # repaints only the list; the detail follows a tenth of a second later.
        detail = self.query_one(ExerciseDetail)
        if self._detail_timer is not None:
            self._detail_timer.stop()

        def show() -> None:
            detail.show(event.exercise, self.routine.lookup(self.catalog))

        if detail.shown is False:
            show()
        else:
            self._detail_timer = self.set_timer(DETAIL_DELAY, show)

    @on(CatalogList.Chosen)
    def add_chosen(self, event: CatalogList.Chosen) -> None:
        self.add_exercise(event.exercise.id)

    def add_exercise(self, exercise_id: str, index: int | None = None) -> None:
        if len(self.routine.steps) >= model.MAX_STEPS:
            self.notify(f"A routine holds at most {model.MAX_STEPS} steps", severity="warning")
            return
        steps = self.query_one(StepList)
        if index is None:
            index = steps.cursor + 1 if self.routine.steps else 0
        name = self.routine.lookup(self.catalog)[exercise_id].name
        self.edit(self.routine.inserted(index, Step(exercise_id)), f"add {name}", cursor=index)

    @on(CatalogList.Dragged)
    def drag_from_catalog(self, event: CatalogList.Dragged) -> None:
        steps = self.query_one(StepList)
        index = steps.preview_insert(event.exercise.name, event.offset)
        if event.dropped:
            steps.end_preview()
            if index is not None:
                self.add_exercise(event.exercise.id, index)
                steps.focus()

    @on(CatalogList.DragCancelled)
    def drag_cancelled(self) -> None:
        self.query_one(StepList).end_preview()

    def on_key(self, event: events.Key) -> None:
        # From the search box, Down or Escape goes to the results.
        if event.key in ("down", "escape") and self.focused is self.query_one("#search"):
            self.query_one(CatalogList).focus()
            event.stop()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    # Routine edits ----------------------------------------------------------------------
    @on(StepList.Reordered)
    def move_step(self, event: StepList.Reordered) -> None:
        self.edit(self.routine.moved(event.old, event.new), "move", cursor=event.new)

    @on(StepList.StepAction)
    def step_action(self, event: StepList.StepAction) -> None:
        index = event.index
        if index >= len(self.routine.steps):
            return
        step = self.routine.steps[index]
        if event.action == "remove":
            cursor = min(index, len(self.routine.steps) - 2)
            self.edit(self.routine.removed(index), "remove", cursor=max(cursor, 0))
        elif event.action == "duplicate":
            self.edit(self.routine.inserted(index + 1, step), "duplicate", cursor=index + 1)
        elif event.action == "edit":
            exercise = self.routine.lookup(self.catalog).get(step.exercise)
            if exercise is None:
                return

            def apply(new_step: Step | None) -> None:
                if new_step is not None:
                    self.edit(self.routine.replaced(index, new_step), "dose", cursor=index)

            self.app.push_screen(DoseForm(step, exercise, index + 1), apply)

    @on(BalanceBar.FixRequested)
    def action_fix(self) -> None:
        fix = balancing_fix(self.routine, self.catalog)
        if fix is None:
            self.notify("The routine is balanced.")
            return
        index, step = fix
        name = self.routine.lookup(self.catalog)[step.exercise].name
        self.edit(self.routine.inserted(index, step), f"add {name}", cursor=index)
        self.notify(f"Added {name} as step {index + 1}")

    def action_undo(self) -> None:
        label = self.history.undo()
        if label is None:
            self.notify("Nothing to undo")
            return
        self.routine_changed()
        self.notify(f"Undid {label}", timeout=2)

    def action_redo(self) -> None:
        label = self.history.redo()
        if label is None:
            self.notify("Nothing to redo")
            return
        self.routine_changed()
        self.notify(f"Redid {label}", timeout=2)

    # Routines as files ------------------------------------------------------------------
    def action_save(self) -> None:
        self.save()

    def save(
        self, *, force: bool = False, as_new: bool = False, then: Callable[[], None] | None = None
    ) -> bool:
        """Save in place (or under a new slug); on a conflict ask, then run `then`."""
        if not self.routine.steps:
            self.notify("Add at least one step before saving", severity="warning")
            return False
        slug = None if as_new else self.slug
        try:
            saved = self.store.save(
                self.routine, slug, expected=None if force or slug is None else self.fingerprint
            )
        except ConflictError:
            self.resolve_conflict(then)
            return False
        except (StoreError, OSError) as error:
            self.notify(f"Could not save: {error}", severity="error")
            return False
        self.slug, self.fingerprint, self.source = saved.slug, saved.fingerprint, None
        self.history.mark_saved()
        self.routine_changed()
        self.notify(f"Saved to {saved.path}", timeout=3)
        if then is not None:
            then()
        return True

    @work
    async def resolve_conflict(self, then: Callable[[], None] | None = None) -> None:
        answer = await self.app.push_screen_wait(
            ChoiceScreen(
                f"{self.slug}.toml changed on disk since you opened it "
                "(another session saved it?). What now?",
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
        elif answer == "reload" and self.slug is not None:
            self.open_slug(self.slug)

    def open_slug(self, slug: str) -> None:
        stored = self.store.load(slug)
        if stored.routine is None:
            self.notify(stored.result.first_error or f"Cannot open {slug}", severity="error")
            return
        self.load(stored.routine, slug=slug, fingerprint=stored.fingerprint)

    def open_path(self, path: Path) -> bool:
        """Open a file: one in the routines folder is edited in place, others as imports."""
        stored = self.store.load_path(path)
        if stored.routine is None:
            errors = [p for p in stored.result.problems if p.is_error]
            more = f"\n(and {len(errors) - 1} more: backtui validate FILE lists them)"
            message = stored.result.first_error or f"Cannot open {path}"
            self.notify(message + (more if len(errors) > 1 else ""), severity="error")
            return False
        if self.store.inside(path) and is_slug(path.stem) and path.suffix == ".toml":
            self.load(stored.routine, slug=path.stem, fingerprint=stored.fingerprint)
        else:
            self.load(stored.routine, slug=None, fingerprint=None, source=path)
        return True

    def when_work_is_safe(self, then: Callable[[], None]) -> None:
        """Run `then` now, or after the person saves or discards their unsaved work."""
        if not self.history.dirty:
            then()
            return

        def answered(answer: str | None) -> None:
            if answer == "discard":
                then()
            elif answer == "save":
                self.save(then=then)

        self.app.push_screen(
            ChoiceScreen(
                Text(f"“{self.routine.name}” has unsaved changes."),
                [("save", "Save"), ("discard", "Discard"), ("cancel", "Cancel")],
            ),
            answered,
        )

    def start_new(self) -> None:
        self.load(Routine(NEW_NAME, ()), slug=None, fingerprint=None, saved=True)

    def action_new(self) -> None:
        self.when_work_is_safe(self.start_new)

    def action_open(self) -> None:
        self.when_work_is_safe(self.choose_routine)

    def routine_choices(self) -> list[RoutineChoice]:
        choices = []
        for stored in self.store.list():
            routine = stored.routine
            if routine is None:
                choices.append(RoutineChoice(stored.slug, "", 0, 0, stored.result.first_error))
                continue
            minutes = estimate_minutes(routine, self.catalog)
            choices.append(RoutineChoice(stored.slug, routine.name, len(routine.steps), minutes))
        return choices

    def choose_routine(self) -> None:
        def chosen(slug: str | None) -> None:
            if slug:
                self.open_slug(slug)

        self.app.push_screen(OpenRoutineScreen(self.routine_choices()), chosen)

    def ask_name(self, title: str, then: Callable[[str], None]) -> None:
        def answered(name: str | None) -> None:
            if name:
                then(clean(name).strip())

        self.app.push_screen(PromptScreen(title, self.routine.name, check=check_name), answered)

    def action_rename(self) -> None:
        self.ask_name(
            "Rename routine", lambda name: self.edit(replace(self.routine, name=name), "rename")
        )

    def action_save_as(self) -> None:
        def named(name: str) -> None:
            self.edit(replace(self.routine, name=name), "rename")
            self.save(as_new=True)

        self.ask_name("Save as", named)

    def action_delete(self) -> None:
        if self.slug is None:
            self.notify("This routine is not saved in the routines folder")
            return
        slug = self.slug
        path = self.store.path_for(slug)
        if Fingerprint.of(path) != self.fingerprint:
            self.notify(
                f"{slug}.toml changed on disk since you opened it; open it again first",
                severity="warning",
            )
            return

        def answered(answer: str | None) -> None:
            if answer != "delete":
                return
            try:
                self.store.delete(slug)
            except (StoreError, OSError) as error:
                self.notify(f"Could not delete: {error}", severity="error")
                return
            self.start_new()
            self.notify(f"Deleted {slug}.toml")

        self.app.push_screen(
            ChoiceScreen(
                Text(f"Delete “{self.routine.name}” ({slug}.toml)? This cannot be undone."),
                [("cancel", "Keep it"), ("delete", "Delete")],
            ),
            answered,
        )

    def action_import(self) -> None:
        def chosen(path: str | None) -> None:
            if path:
                self.open_path(Path(path).expanduser())

        def ask() -> None:
            prompt = PromptScreen("Import a routine file", placeholder="path/to/routine.toml")
            self.app.push_screen(prompt, chosen)

        self.when_work_is_safe(ask)

    def action_export(self) -> None:
        if not self.routine.steps:
            self.notify("Nothing to export yet", severity="warning")
            return
        text = self.store.export(self.routine)

        def write(target: Path) -> None:
            try:
                atomic_write(target, text)
            except OSError as error:
                self.notify(f"Could not export: {error.strerror or error}", severity="error")
                return
            self.notify(f"Exported to {target.resolve()}")

        def chosen(path: str | None) -> None:
            if not path:
                return
            target = Path(path).expanduser()
            if not target.exists():
                write(target)
                return
            self.app.push_screen(
                ChoiceScreen(
                    f"{target} exists. Replace it?", [("keep", "Keep it"), ("replace", "Replace")]
                ),
                lambda answer: write(target) if answer == "replace" else None,
            )

        default = f"{self.slug or 'routine'}.toml"
        self.app.push_screen(PromptScreen("Export to file", default), chosen)

    def action_run(self) -> None:
        """Do the routine now, as it is in the editor (saved or not)."""
        if not self.routine.steps:
            self.notify("Add at least one step to run", severity="warning")
            return
        from backtui.core import resume
        from backtui.tui.screens.runner import RunnerScreen

        if self.slug is not None:
            key = self.slug
        elif self.source is not None:
            key = resume.key_for(self.source)
        else:
            key = "unsaved"
        self.app.push_screen(
            RunnerScreen(self.routine, self.catalog, key=key, settings=self.app.settings)  # type: ignore[attr-defined]
        )

    def action_history(self) -> None:
        from backtui.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen())

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen.for_screen(self, BUILDER_NOTES))
