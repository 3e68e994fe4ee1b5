"""Everything about the move in view: the highlighted exercise, or the selected
step with its dose, note and time, then the move's steps, cue, cautions, links."""

from __future__ import annotations

from collections.abc import Mapping

from rich.segment import Segment
from rich.text import Text
from textual.binding import Binding
from textual.strip import Strip

from backtui.core.model import Exercise, Step, step_seconds
from backtui.tui.textual_internals import SteadyScrollbars, set_row_count


def describe_step(
    step: Step, number: int, count: int, exercise: Exercise, lookup: Mapping[str, Exercise]
) -> Text:
    """The step as the routine has it, then the move itself."""
    dose = step.dose(exercise)
    minutes, seconds = divmod(step_seconds(dose, last=number == count), 60)
    text = Text()
    text.append(f"Step {number} of {count}: ", "bold")
    text.append(f"{dose.describe()}, about {minutes}:{seconds:02d} with its rests\n")
    if step.note:
        text.append("Your note: ", "bold")
        text.append(step.note + "\n")
    text.append("\n")
    text.append_text(describe_exercise(exercise, lookup, dose_label="Catalogue dose"))
    return text


def describe_exercise(
    exercise: Exercise, lookup: Mapping[str, Exercise], *, dose_label: str = "Dose"
) -> Text:
    """Plain text with a little emphasis; file text is never read as markup."""

    def names(ids: tuple[str, ...]) -> str:
        return ", ".join(lookup[i].name if i in lookup else i for i in ids)

    text = Text()
    text.append(exercise.name, "bold")
    text.append(f"  {exercise.spine.marker} {exercise.spine} · {exercise.category}")
    text.append(f" · {exercise.position}{' · one side at a time' if exercise.sided else ''}\n")
    text.append(f"{dose_label}: ", "bold")
    text.append(Step(exercise.id).dose(exercise).describe() + "\n")
    for number, line in enumerate(exercise.steps, start=1):
        text.append(f"{number}. ", "bold")
        text.append(line + "\n")
    if exercise.cue:
        text.append("Breathe: ", "bold")
        text.append(exercise.cue + "\n", "italic")
    for caution in exercise.cautions:
        text.append("! ", "bold")
        text.append(caution + "\n")
    for label, ids in (
        ("Counter with", exercise.counters),
        ("Easier", exercise.regressions),
        ("Harder", exercise.progressions),
    ):
        if ids:
            text.append(f"{label}: ", "bold")
            text.append(names(ids) + "\n")
    text.rstrip()
    return text


class ExerciseDetail(SteadyScrollbars, can_focus=False):
    """Drawn line by line from pre-wrapped text, so showing another exercise
    repaints this pane only: no layout, which would repaint the whole screen
    while someone is typing in the search box.

    `read()` focuses it to scroll with the arrow and page keys; Escape or Tab
    hands focus back. It is out of the Tab order otherwise, so Tab still goes
    straight between the catalogue and the routine."""

    BINDINGS = [
        Binding("escape,i", "done", "Back", id="detail.back", tooltip="Back to where you were")
    ]

    DEFAULT_CSS = """
    ExerciseDetail {
        background: $surface;
        padding: 0 1;
        overflow-y: scroll;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    """

    shown: object = False  # what is shown (an exercise, or a step); False until the first show

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()
        self._lines: list[list[Segment]] = []

    def show(self, exercise: Exercise | None, lookup: Mapping[str, Exercise]) -> None:
        if exercise is self.shown:
            return  # typing in the search box often keeps the same first match
        self._show(
            exercise, describe_exercise(exercise, lookup) if exercise else Text("No exercise")
        )

    def show_step(
        self,
        step: Step,
        number: int,
        count: int,
        exercise: Exercise,
        lookup: Mapping[str, Exercise],
    ) -> None:
        key = (number, count, step, exercise)
        if key != self.shown:
            self._show(key, describe_step(step, number, count, exercise, lookup))

    def read(self) -> None:
        self._back = self.screen.focused
        self.can_focus = True
        self.screen.set_focus(self)

    def action_done(self) -> None:
        back = getattr(self, "_back", None)
        self.screen.set_focus(back if back is not None and back.is_attached else None)

    def on_blur(self) -> None:
        self.can_focus = False

    def _show(self, key: object, text: Text) -> None:
        self.shown = key
        self._text = text
        self._wrap()
        self.scroll_to(y=0, animate=False)

    def _wrap(self) -> None:
        width = max(self.scrollable_content_region.width, 10)
        console = self.app.console
        self._lines = [list(line.render(console)) for line in self._text.wrap(console, width)]
        set_row_count(self, len(self._lines))

    def on_resize(self) -> None:
        self._wrap()

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, style)
        return Strip(self._lines[index]).apply_style(style).adjust_cell_length(width, style)
