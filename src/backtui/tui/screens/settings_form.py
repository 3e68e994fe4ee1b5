"""The settings screen: every setting of config.toml, from the same declarations
(core/settings.py), so it refuses what the file would refuse."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Select

from backtui.core import spec
from backtui.core.settings import Settings
from backtui.tui.screens.spec_form import SpecForm


class SettingsForm(SpecForm[Settings]):
    def __init__(self, settings: Settings, themes: Iterable[str]) -> None:
        fields = list(spec.fields_of(Settings))
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
        return Settings(**values)
