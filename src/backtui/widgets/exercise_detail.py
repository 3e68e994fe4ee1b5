"""Everything about the highlighted exercise: steps, dose, cue, cautions, links."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from backtui.model import Exercise, Step


def describe_exercise(exercise: Exercise, lookup: Mapping[str, Exercise]) -> Text:
    """Plain text with a little emphasis; file text is never read as markup."""

    def names(ids: tuple[str, ...]) -> str:
        return ", ".join(lookup[i].name if i in lookup else i for i in ids)

    text = Text()
    text.append(exercise.name, "bold")
    text.append(f"  {exercise.spine.marker} {exercise.spine} · {exercise.category}")
    text.append(f" · {exercise.position}{' · one side at a time' if exercise.sided else ''}\n")
    text.append("Dose: ", "bold")
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


class ExerciseDetail(VerticalScroll, can_focus=False):
    DEFAULT_CSS = """
    ExerciseDetail { background: $surface; padding: 0 1; scrollbar-size-vertical: 1; }
    """

    def compose(self):
        yield Static(id="detail-text")

    shown: Exercise | bool | None = False  # False until the first show

    def show(self, exercise: Exercise | None, lookup: Mapping[str, Exercise]) -> None:
        if exercise is self.shown:
            return  # typing in the search box often keeps the same first match
        self.shown = exercise
        body = self.query_one("#detail-text", Static)
        body.update(describe_exercise(exercise, lookup) if exercise else Text("No exercise"))
        self.scroll_home(animate=False)
