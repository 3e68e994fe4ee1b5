"""The form that sets one step's dose, refusing what the file format would refuse."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Footer, Input, Label, Select, Static

from backtui.core import model
from backtui.core.model import Exercise, Side, Step
from backtui.core.text import clean
from backtui.tui.screens.base import Dialog

# field, label, range, unit
NUMBER_FIELDS = (
    ("hold_s", "Hold (s)", model.HOLD_RANGE, "seconds"),
    ("reps", "Reps", model.REPS_RANGE, ""),
    ("sets", "Sets", model.SETS_RANGE, ""),
    ("rest_s", "Rest (s)", model.REST_RANGE, "seconds"),
)


def check_number(text: str, bounds: tuple[int, int], unit: str) -> tuple[int | None, str | None]:
    """Parse a form field: blank means the exercise's default."""
    text = text.strip()
    if not text:
        return None, None
    low, high = bounds
    span = f"{low}–{high}{' ' + unit if unit else ''}"
    try:
        value = int(text)
    except ValueError:
        return None, f"a whole number {span}"
    if not low <= value <= high:
        return None, f"must be {span}"
    return value, None


class DoseForm(Dialog[Step | None]):
    DEFAULT_CSS = """
    DoseForm {
        & .form-row { height: 1; }
        & .form-label { width: 10; }
        & .form-row Input, & .form-row Select { width: 1fr; }
    }
    """

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s", "save", "Apply"),
    ]

    def __init__(self, step: Step, exercise: Exercise, number: int) -> None:
        super().__init__()
        self.step = step
        self.exercise = exercise
        self.number = number

    def compose(self) -> ComposeResult:
        defaults = Step(self.exercise.id).dose(self.exercise)
        with Vertical(classes="dialog-box", id="dose-form"):
            title = Text(f"Step {self.number}: ", "bold")
            title.append(self.exercise.name)
            yield Static(title, classes="dialog-question")
            for key, label, _bounds, _unit in NUMBER_FIELDS:
                value = getattr(self.step, key)
                default = getattr(defaults, key)
                with Horizontal(classes="form-row"):
                    yield Label(label, classes="form-label")
                    yield Input(
                        "" if value is None else str(value),
                        placeholder=f"default {default}" if default is not None else "none",
                        id=f"field-{key}",
                        compact=True,
                    )
                yield Static("", id=f"error-{key}", classes="field-error")
            if self.exercise.sided:
                with Horizontal(classes="form-row"):
                    yield Label("Side", classes="form-label")
                    yield Select(
                        [(side.value, side.value) for side in Side],
                        value=(self.step.side or Side.BOTH).value,
                        allow_blank=False,
                        id="field-side",
                        compact=True,
                    )
            with Horizontal(classes="form-row"):
                yield Label("Note", classes="form-label")
                yield Input(
                    self.step.note, id="field-note", compact=True, max_length=model.NOTE_MAX
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content("Apply"), id="apply", variant="primary", compact=True)
                yield Button(Content("Cancel"), id="cancel", compact=True)
        yield Footer(compact=True)

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#apply")
    @on(Input.Submitted)
    def action_save(self) -> None:
        values: dict[str, object] = {}
        first_error = None
        for key, _label, bounds, unit in NUMBER_FIELDS:
            field = self.query_one(f"#field-{key}", Input)
            value, error = check_number(field.value, bounds, unit)
            self.query_one(f"#error-{key}", Static).update(Text(error or ""))
            field.set_class(error is not None, "-invalid")
            if error and first_error is None:
                first_error = field
            values[key] = value
        if first_error is not None:
            first_error.focus()
            return
        side = None
        if self.exercise.sided:
            chosen = Side(str(self.query_one("#field-side", Select).value))
            # "both" is the default; keep the file as it was unless the person chose a side.
            side = None if chosen is Side.BOTH and self.step.side is None else chosen
        note = clean(self.query_one("#field-note", Input).value).strip()
        self.dismiss(replace(self.step, side=side, note=note, **values))  # type: ignore[arg-type]
