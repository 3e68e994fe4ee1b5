"""The form that sets one step's dose, refusing what the file format would refuse.

Its fields are the Step's declared fields (core/model.py), in their order: a
whole number is an Input checked against its range, a choice a Select (a choice
declared `sided_only` only for a move done one side at a time), text an Input of
the declared length. The step's exercise is not edited here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Footer, Input, Label, Select, Static

from backtui.core import spec
from backtui.core.model import Exercise, Step
from backtui.core.text import clean
from backtui.tui.screens.base import Dialog


def form_fields(exercise: Exercise, step_format: type = Step) -> list[spec.SpecField]:
    """The step's declared fields a person sets in the form, for this exercise."""
    return [
        field
        for field in spec.fields_of(step_format)
        if isinstance(field.kind, spec.Integer | spec.Choice | spec.Text | spec.Flag)
        and (exercise.sided or not field.spec.sided_only)
        and (exercise.reps is not None or not field.spec.reps_only)
    ]


class DoseForm(Dialog[Step | None]):
    AUTO_FOCUS = ".form-row > *"  # the first field, as the form is mounted
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
        # Priority, so the app moves the focus before it hands on the next key:
        # `12<tab>5` arriving in one read fills two fields, as typed.
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
    ]

    def __init__(self, step: Step, exercise: Exercise, number: int) -> None:
        super().__init__()
        self.step = step
        self.exercise = exercise
        self.number = number
        self.fields = form_fields(exercise, type(step))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="dose-form"):
            title = Text(f"Step {self.number}: ", "bold")
            title.append(self.exercise.name)
            yield Static(title, classes="dialog-question")
            for field in self.fields:
                with Horizontal(classes="form-row"):
                    yield Label(field.label, classes="form-label")
                    yield self._widget(field)
                if isinstance(field.kind, spec.Integer) or (
                    isinstance(field.kind, spec.Text) and field.kind.visible
                ):
                    yield Static("", id=f"error-{field.name}", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content("Apply"), id="apply", variant="primary", compact=True)
                yield Button(Content("Cancel"), id="cancel", compact=True)
        yield Footer(compact=True)

    def _widget(self, field: spec.SpecField) -> Widget:
        kind = field.kind
        value = getattr(self.step, field.name)
        widget_id = f"field-{field.name}"
        if isinstance(kind, spec.Integer):
            default = getattr(Step(self.exercise.id).dose(self.exercise), field.name, None)
            return Input(
                "" if value is None else str(value),
                placeholder=f"default {default}" if default is not None else "none",
                id=widget_id,
                compact=True,
            )
        if isinstance(kind, spec.Choice):
            shown = value if value is not None else field.spec.absent_means
            return Select(
                [(choice, choice) for choice in kind.values],
                value=Select.BLANK if shown is None else shown.value,
                allow_blank=shown is None,
                id=widget_id,
                compact=True,
            )
        if isinstance(kind, spec.Flag):
            return Checkbox(value=bool(value), id=widget_id, compact=True)
        assert isinstance(kind, spec.Text)
        return Input(value, id=widget_id, compact=True, max_length=kind.max_len)

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#apply")
    @on(Input.Submitted)
    def action_save(self) -> None:
        values: dict[str, Any] = {}
        first_error = None
        for field in self.fields:
            value, error = self._value(field)
            if error is not None and first_error is None:
                first_error = self.query_one(f"#field-{field.name}")
            values[field.name] = value
        if first_error is not None:
            first_error.focus()
            return
        for field in spec.fields_of(type(self.step)):
            if field.spec.sided_only and not self.exercise.sided:
                values[field.name] = field.default
        self.dismiss(replace(self.step, **values))

    def _value(self, field: spec.SpecField) -> tuple[Any, str | None]:
        """A field's value, or its error (shown under it)."""
        kind = field.kind
        if isinstance(kind, spec.Choice):
            chosen = self.query_one(f"#field-{field.name}", Select).value
            if chosen is Select.BLANK:
                return None, None
            member = kind.enum(str(chosen))
            # What leaving it out means is the default: keep the file as it was
            # unless the person chose otherwise.
            if member == field.spec.absent_means and getattr(self.step, field.name) is None:
                return None, None
            return member, None
        if isinstance(kind, spec.Flag):
            return self.query_one(f"#field-{field.name}", Checkbox).value, None
        entry = self.query_one(f"#field-{field.name}", Input)
        value: Any
        error: str | None = None
        if isinstance(kind, spec.Integer):
            value, error = kind.parse_text(entry.value)
        else:
            assert isinstance(kind, spec.Text)
            value = clean(entry.value, multiline=kind.multiline).strip()
            if kind.visible and not value:
                error = "must not be empty"
        if self.query(f"#error-{field.name}"):
            self.query_one(f"#error-{field.name}", Static).update(Text(error or ""))
        entry.set_class(error is not None, "-invalid")
        return value, error
