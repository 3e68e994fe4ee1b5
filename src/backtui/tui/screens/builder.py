"""The builder: the catalogue on the left, the routine being made on the right.

The routine is a `RoutineDocument` (core); every change makes a new routine,
then the view reconciles once in `routine_changed`. A drag and a key post the
same message and run the same code. The file commands come from `DocumentScreen`.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input

from backtui.core.balance import balancing_fix, unbalanced
from backtui.core.catalog import Catalog
from backtui.core.document import RoutineDocument
from backtui.core.editing import EditHistory
from backtui.core.model import Breath, Routine, Step
from backtui.core.store import RoutineStore
from backtui.core.variants import Direction, swapped, variants
from backtui.tui.commands import ContentCommands
from backtui.tui.screens.dialogs import ChoiceScreen
from backtui.tui.screens.document_screen import DocumentScreen
from backtui.tui.screens.dose_form import DoseForm
from backtui.tui.screens.help import SPINE_NOTES, HelpScreen
from backtui.tui.widgets.balance_bar import BalanceBar
from backtui.tui.widgets.catalog_list import CatalogList
from backtui.tui.widgets.catalog_pane import CatalogPane
from backtui.tui.widgets.exercise_detail import ExerciseDetail
from backtui.tui.widgets.footer import BindingsFooter
from backtui.tui.widgets.routine_title import RoutineAbout, RoutineTitle
from backtui.tui.widgets.step_list import StepList
from backtui.tui.widgets.welcome import Welcome

# What no binding can say: the mouse, and what the markers in the lists mean.
BUILDER_NOTES = Text.assemble(
    ("Mouse\n", "bold underline"),
    "  Drag a step to a new place; Escape or letting go outside the list cancels.\n",
    "  Drag an exercise from the catalogue into the routine, or double-click it.\n",
    "  Double-click a step to set its dose.\n\n",
    SPINE_NOTES,
)


class BuilderScreen(DocumentScreen):
    BINDING_GROUP_TITLE = "Builder"
    CSS_PATH = "builder.tcss"
    COMMANDS = {ContentCommands}  # with the app's: "Add EXERCISE", "Open ROUTINE"

    BINDINGS = [
        # Priority: handled as the key arrives, so the letters after it land in the box.
        Binding(
            "slash",
            "focus_search",
            "Search",
            show=False,
            priority=True,
            id="builder.search",
            tooltip="Search the catalogue",
        ),
        Binding(
            "f",
            "fix",
            "Fix",
            id="builder.fix",
            tooltip="Fix the balance: add the suggested flexion move",
        ),
        Binding(
            "i",
            "read_detail",
            "Info",
            show=False,
            id="builder.detail",
            tooltip="Into the detail pane, to scroll it (Escape comes back)",
        ),
        Binding("ctrl+z,u", "undo", "Undo", id="builder.undo", tooltip="Undo the last edit"),
        Binding(
            "ctrl+y,U",
            "redo",
            "Redo",
            show=False,
            id="builder.redo",
            tooltip="Redo the edit just undone",
        ),
        Binding("r", "run", "Run", id="builder.run", tooltip="Run the routine now, full-screen"),
        Binding("ctrl+s", "save", "Save", id="builder.save", tooltip="Save to the routines folder"),
        Binding(
            "ctrl+o", "open", "Open", show=False, id="builder.open", tooltip="Open a saved routine"
        ),
        Binding(
            "ctrl+n", "new", "New", show=False, id="builder.new", tooltip="Start a new routine"
        ),
        Binding(
            "f2",
            "rename",
            "Routine",
            show=False,
            id="builder.rename",
            tooltip="The routine's name (its file follows), description and breath pacing",
        ),
        Binding(
            "H",
            "history",
            "History",
            show=False,
            id="builder.history",
            tooltip="Past sessions and pain over time",
        ),
        Binding(
            "S",
            "app.settings",
            "Settings",
            show=False,
            id="builder.settings",
            tooltip="Settings: theme, bell, pacer, breath, rests, get-ready, position changes",
        ),
        Binding(
            "K",
            "app.change_keys",
            "Keys",
            show=False,
            id="builder.keys",
            tooltip="Change keys: give any action the key you like",
        ),
        Binding(
            "question_mark",
            "help",
            "Help",
            key_display="?",
            id="builder.help",
            tooltip="Help: these keys",
        ),
    ]

    def __init__(self, catalog: Catalog, store: RoutineStore, start: Path | None = None) -> None:
        super().__init__()
        self.start = start
        self.catalog = catalog
        self.document = RoutineDocument(store, catalog)
        self._unbalanced = False

    # What tests and the app read ------------------------------------------------------
    @property
    def routine(self) -> Routine:
        return self.document.routine

    @property
    def history(self) -> EditHistory:
        return self.document.history

    @property
    def slug(self) -> str | None:
        return self.document.slug

    @property
    def source(self) -> Path | None:
        return self.document.source

    def compose(self) -> ComposeResult:
        yield RoutineTitle(id="title")
        with Horizontal(id="panes"):
            yield CatalogPane(self.catalog, id="catalog-pane")
            with Vertical(id="routine-pane"):
                yield RoutineAbout(id="about")
                yield StepList(id="steps")
                yield Welcome(id="welcome")
                yield BalanceBar(id="balance")
        yield BindingsFooter(compact=True)

    def on_resize(self) -> None:
        self.set_class(self.size.width < 70, "-narrow")

    def on_mount(self) -> None:
        self.routine_changed()
        # At once, not after a refresh: the Footer then shows the catalogue's keys first time.
        self.set_focus(self.query_one(CatalogList))
        if self.start is not None:
            self.open_path(self.start)

    # Reconciling the view with the document --------------------------------------------
    def routine_changed(self) -> None:
        document, routine = self.document, self.routine
        lookup = routine.lookup(self.catalog)
        warnings = unbalanced(routine, self.catalog)
        if bool(warnings) != self._unbalanced:  # Fix shows in the Footer only when it helps
            self._unbalanced = bool(warnings)
            self.refresh_bindings()
        self.query_one(StepList).show(routine, lookup, frozenset(w.index for w in warnings))
        self.query_one(BalanceBar).show(warnings, lookup, bool(routine.steps))
        self.query_one(CatalogPane).lookup = lookup
        self.query_one(RoutineTitle).show(
            routine.name,
            dirty=document.dirty,
            steps=len(routine.steps),
            minutes=document.minutes() if routine.steps else 0,
            imported=document.imported,
        )
        pane = self.query_one("#routine-pane")
        if document.welcoming != pane.has_class("-welcome"):
            if document.welcoming:
                self.query_one(Welcome).show(document.starter_listings())
            pane.set_class(document.welcoming, "-welcome")
        breath = routine.breath or Breath()
        self.query_one(RoutineAbout).show(routine.description, breath.inhale_s, breath.exhale_s)
        self.show_selected_step()

    def show_selected_step(self) -> None:
        """While the routine has focus, the detail shows its selected step."""
        steps = self.query_one(StepList)
        if steps.has_focus and steps.cursor < len(self.routine.steps):
            count = len(self.routine.steps)
            self.query_one(CatalogPane).show_step(
                self.routine.steps[steps.cursor], steps.cursor + 1, count
            )

    @on(StepList.Selected)
    def step_selected(self) -> None:
        self.show_selected_step()

    def loaded(self) -> None:
        self.query_one(CatalogPane).show_catalog(self.document.shown_catalog)
        self.routine_changed()
        self.query_one(StepList).cursor = 0

    def edit(self, routine: Routine, label: str, cursor: int | None = None) -> bool:
        """Apply an edit; False (and the reason shown) if the file format refuses it."""
        refused = self.document.edit(routine, label)
        self.routine_changed()  # always: a drop that changed nothing must still end its preview
        if refused is not None:
            self.report(refused)
            return False
        if cursor is not None:
            self.query_one(StepList).cursor = cursor
        return True

    # The catalogue ---------------------------------------------------------------------
    @on(CatalogList.Chosen)
    def add_chosen(self, event: CatalogList.Chosen) -> None:
        self.add_exercise(event.exercise.id)

    def add_exercise(self, exercise_id: str, index: int | None = None) -> None:
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "fix":
            return self._unbalanced
        return True

    def on_key(self, event: events.Key) -> None:
        # The welcome's starters open with their number, unless a box is being typed in.
        if not self.document.welcoming or isinstance(self.focused, Input):
            return
        if event.character and event.character in "123456789":
            starters = self.query_one(Welcome).starters
            number = int(event.character)
            if number <= len(starters):
                event.stop()
                self.open_slug(starters[number - 1].slug)

    def action_read_detail(self) -> None:
        self.query_one(ExerciseDetail).read()

    def action_focus_search(self) -> None:
        self.query_one(CatalogPane).focus_search()

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
        elif event.action == "easier":
            self.swap_step(index, "easier")
        elif event.action == "harder":
            self.swap_step(index, "harder")

    @work
    async def swap_step(self, index: int, direction: Direction) -> None:
        """Swap a step for the catalogue's easier or harder version of its move."""
        lookup = self.routine.lookup(self.catalog)
        step = self.routine.steps[index]
        exercise = lookup.get(step.exercise)
        if exercise is None:
            return
        choices = variants(exercise, lookup, direction)
        if not choices:
            self.notify(f"The catalogue has no {direction} version of {exercise.name}")
            return
        chosen = choices[0]
        if len(choices) > 1:
            answer = await self.app.push_screen_wait(
                ChoiceScreen(
                    Text(f"Swap {exercise.name} for which {direction} move?"),
                    [(c.id, c.name) for c in choices] + [("", "Cancel")],
                )
            )
            if not answer:
                return
            chosen = lookup[answer]
        if self.routine.steps[index] is not step:
            return  # the routine changed while the question was open
        new_step = swapped(step, exercise, chosen)
        if self.edit(self.routine.replaced(index, new_step), f"swap for {chosen.name}", index):
            self.notify(
                f"Step {index + 1} is now {chosen.name} ({new_step.dose(chosen).describe()})"
            )

    @on(BalanceBar.FixRequested)
    def action_fix(self) -> None:
        fix = balancing_fix(self.routine, self.catalog)
        if fix is None:
            self.notify("The routine is balanced.")
            return
        index, step = fix
        name = self.routine.lookup(self.catalog)[step.exercise].name
        if self.edit(self.routine.inserted(index, step), f"add {name}", cursor=index):
            self.notify(f"Added {name} as step {index + 1}")

    def action_undo(self) -> None:
        self.undo_or_redo(self.document.undo(), "Undid", "Nothing to undo")

    def action_redo(self) -> None:
        self.undo_or_redo(self.document.redo(), "Redid", "Nothing to redo")

    def undo_or_redo(self, label: str | None, done: str, nothing: str) -> None:
        if label is None:
            self.notify(nothing)
            return
        self.routine_changed()
        self.notify(f"{done} {label}", timeout=2)

    # Elsewhere --------------------------------------------------------------------------
    def action_run(self) -> None:
        """Do the routine now, as it is in the editor (saved or not)."""
        if not self.routine.steps:
            self.notify("Add at least one step to run", severity="warning")
            return
        from backtui.tui.screens.runner import RunnerScreen

        settings = self.app.settings  # type: ignore[attr-defined]
        key = self.document.run_key()
        self.app.push_screen(RunnerScreen(self.routine, self.catalog, key=key, settings=settings))

    def action_history(self) -> None:
        from backtui.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen())

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen.for_screen(self, BUILDER_NOTES))
