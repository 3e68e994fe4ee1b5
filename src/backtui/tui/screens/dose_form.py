"""The form that sets one step's dose, refusing what the file format would refuse.

Its fields are the Step's declared fields (core/model.py), in their order (a
choice declared `sided_only` only for a move done one side at a time, a field
declared `reps_only` only for a move counted in reps).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text

from backtui.core import spec
from backtui.core.model import Exercise, Step
from backtui.tui.screens.spec_form import SpecForm


def form_fields(exercise: Exercise, step_format: type = Step) -> list[spec.SpecField]:
    """The step's declared fields a person sets in the form, for this exercise."""
    return [
        field
        for field in spec.fields_of(step_format)
        if isinstance(field.kind, spec.Integer | spec.Choice | spec.Text | spec.Flag)
        and (exercise.sided or not field.spec.sided_only)
        and (exercise.reps is not None or not field.spec.reps_only)
    ]


class DoseForm(SpecForm[Step]):
    """One step's dose; the step's exercise is not edited here."""

    def __init__(self, step: Step, exercise: Exercise, number: int) -> None:
        fields = form_fields(exercise, type(step))
        defaults = Step(exercise.id).dose(exercise)
        placeholders = {}
        for field in fields:
            default = getattr(defaults, field.name, None)
            placeholders[field.name] = f"default {default}" if default is not None else "none"
        title = Text(f"Step {number}: ", "bold")
        title.append(exercise.name)
        values = {field.name: getattr(step, field.name) for field in fields}
        super().__init__(title, fields, values, placeholders)
        self.step = step
        self.exercise = exercise
        self.number = number

    def made(self, values: dict[str, Any]) -> Step:
        for field in spec.fields_of(type(self.step)):
            if field.spec.sided_only and not self.exercise.sided:
                values[field.name] = field.default
        return replace(self.step, **values)
