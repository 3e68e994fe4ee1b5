"""The routine's own fields: its name, description and breath pacing.

The same declarations as the file format (core/model.py `Routine` and
`Breath`), so the form refuses exactly what a file would.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text

from backtui.core import spec
from backtui.core.model import Breath, Routine
from backtui.tui.screens.spec_form import SpecForm

ROUTINE_FIELDS = ("name", "description")


class RoutineForm(SpecForm[Routine]):
    def __init__(self, routine: Routine) -> None:
        own = [f for f in spec.fields_of(Routine) if f.name in ROUTINE_FIELDS]
        breath_fields = spec.fields_of(Breath)
        breath = routine.breath
        values: dict[str, Any] = {f.name: getattr(routine, f.name) for f in own}
        values |= {f.name: getattr(breath, f.name) if breath else None for f in breath_fields}
        placeholders = {f.name: f"default {f.default}" for f in breath_fields}
        title = Text.assemble(
            ("Routine", "bold"), ": its name, what it is for, and the pace of its breath"
        )
        super().__init__(title, [*own, *breath_fields], values, placeholders)
        self.routine = routine
        self.breath_fields = breath_fields

    def made(self, values: dict[str, Any]) -> Routine:
        pacing = {f.name: values.pop(f.name) for f in self.breath_fields}
        breath = None
        if any(v is not None for v in pacing.values()):
            breath = Breath(**{f.name: pacing[f.name] or f.default for f in self.breath_fields})
        return replace(self.routine, breath=breath, **values)
