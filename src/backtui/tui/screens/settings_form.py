"""The settings screen: every setting of config.toml, from the same declarations
(core/settings.py), so it refuses what the file would refuse."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Select

from backtui.core import spec
from backtui.core.settings import Settings
from backtui.tui.screens.spec_form import SpecForm


class SettingsForm(SpecForm[Settings]):
    @staticmethod
    def editable_fields() -> list[spec.SpecField]:
        """Every setting but the [keymap] table, which is edited by hand (README: keys)."""
        return [
            field
            for field in spec.fields_of(Settings)
            if isinstance(field.kind, spec.Integer | spec.Text | spec.Flag)
        ]

    def __init__(
        self, settings: Settings, themes: Iterable[str], *, focus: str | None = None
    ) -> None:
        fields = self.editable_fields()
        values = {field.name: getattr(settings, field.name) for field in fields}
        placeholders = {
            field.name: f"default {field.default}" if field.default is not None else "none"
            for field in fields
        }
        placeholders["rest_s"] = "each exercise's own"
        title = Text.assemble(
            ("Settings", "bold"), ": they apply at once and are kept in config.toml"
        )
        super().__init__(title, fields, values, placeholders)
        self.settings = settings
        self.themes = sorted(set(themes) | {settings.theme})
        self.focus_field = focus

    def on_mount(self) -> None:
        if self.focus_field is not None:  # opened on one setting (from the palette)
            self.set_focus(self.query_one(f"#field-{self.focus_field}"))

    def _widget(self, field: spec.SpecField) -> Widget:
        if field.name == "theme":
            return Select(
                [(name, name) for name in self.themes],
                value=self.settings.theme,
                allow_blank=False,
                id="field-theme",
                compact=True,
            )
        return super()._widget(field)

    def made(self, values: dict[str, Any]) -> Settings:
        return replace(self.settings, **values)
