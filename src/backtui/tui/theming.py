"""Themes from TOML files (built-in `themes/` and the user's folder) as Textual themes.

A broken user theme is reported and skipped, like a broken user exercise.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.color import Color, ColorParseError
from textual.theme import Theme

from backtui.core import locations
from backtui.core.reader import Problem, Problems, decode_toml, read_bytes
from backtui.core.spec import Fields

COLOUR_KEYS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "success",
    "warning",
    "error",
)


def load_theme_file(path: Path, problems: Problems) -> Theme | None:
    data = read_bytes(path, problems)
    document = decode_toml(data, problems) if data is not None else None
    if document is None:
        return None
    f = Fields(document, "", problems)
    name = f.text("name", 40, required=True)
    dark = f.flag("dark")
    colours: dict[str, str] = {}
    for key in COLOUR_KEYS:
        value = f.text(key, 40, required=key == "primary")
        if value is None:
            continue
        try:
            Color.parse(value)
        except ColorParseError:
            f.error(key, f"not a colour: {value!r}")
            continue
        colours[key] = value
    f.warn_unknown(("name", "dark", *COLOUR_KEYS))
    if problems.has_errors or not name:
        return None
    return Theme(name=name, dark=True if dark is None else dark, **colours)  # type: ignore[arg-type]  # colour keys only


def load_themes(*folders: Path) -> tuple[list[Theme], list]:
    themes: list[Theme] = []
    problems: list[Problem] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            file_problems = Problems(str(path))
            theme = load_theme_file(path, file_problems)
            problems.extend(file_problems)
            if theme is not None:
                themes.append(theme)
    return themes, problems


def install_themes(app: App, preferred: str) -> list:
    """Register the built-in and the user's themes, then switch to `preferred` if known."""
    themes, problems = load_themes(locations.builtin_themes_dir(), locations.user_themes_dir())
    for theme in themes:
        app.register_theme(theme)
    if preferred in app.available_themes:
        app.theme = preferred
    return problems
