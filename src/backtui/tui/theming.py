"""Themes from TOML files (built-in `themes/` and the user's folder) as Textual themes.

The file format is declared in `core/theme_file.py`; here Textual checks the
colour names and the variables' values, so a broken file is reported at its
line and skipped, like a broken user exercise, and never stops the app (a bad
variable would otherwise fail Textual's stylesheet when the theme is chosen).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from textual.app import App
from textual.color import Color, ColorParseError
from textual.css.constants import VALID_STYLE_FLAGS
from textual.theme import Theme

from backtui.core import locations
from backtui.core.reader import Problem
from backtui.core.settings import Settings
from backtui.core.text import shorten
from backtui.core.theme_file import ThemeFile, read_theme_file
from backtui.tui.textual_internals import match_no_color_to_theme

DEFAULT_THEME: str = Settings().theme
SHIPPED_THEMES = ("calm-night", "daylight", "high-contrast", "terminal")


def _colour_problem(value: str) -> str | None:
    try:
        Color.parse(value)
    except ColorParseError as error:
        hint = f" (did you mean {error.suggested_color!r}?)" if error.suggested_color else ""
        return f"not a colour: {shorten(repr(value), 40)}{hint}"
    return None


@cache
def _variable_kinds() -> dict[str, str]:
    """What each of Textual's theme variables holds: "colour", "style" or "text"."""
    generated = {
        **Theme(name="probe", primary="#336699").to_color_system().generate(),
        **Theme(name="probe", primary="ansi_blue", ansi=True).to_color_system().generate(),
    }
    kinds: dict[str, str] = {}
    for name, value in generated.items():
        if name.endswith("-style") or "-style-" in name:
            kinds[name] = "style"
        else:
            kinds[name] = "colour" if _colour_problem(value.split()[0]) is None else "text"
    return kinds


def check_value(where: str, value: str) -> str | None:
    """What is wrong with a theme's colour or variable, as Textual would use it."""
    if not where.startswith("variables."):
        return _colour_problem(value)
    kind = _variable_kinds().get(where.removeprefix("variables."), "text")
    if kind == "colour":
        # "#3B4F63", "ansi_blue", or with an opacity: "$primary" is not allowed here.
        colour, _, alpha = value.partition(" ")
        problem = _colour_problem(colour)
        if problem is None and alpha and not _is_percent(alpha):
            problem = f"the opacity after the colour must be a percentage, got {alpha!r}"
        return problem
    if kind == "style":
        flags = value.split()
        if not flags or any(flag not in VALID_STYLE_FLAGS for flag in flags):
            return f"not a text style: {shorten(repr(value), 40)} (bold, underline, reverse, none…)"
    return None


def _is_percent(text: str) -> bool:
    number = text.removesuffix("%")
    return text.endswith("%") and number.replace(".", "", 1).isdigit() and float(number) <= 100


# Textual's own CSS uses these in a theme of ANSI colours and has no default for them.
ANSI_VARIABLES = {"ansi-background": "ansi_default", "ansi-foreground": "ansi_default"}


def to_theme(file: ThemeFile) -> Theme:
    variables = {**ANSI_VARIABLES, **file.variables} if file.ansi else dict(file.variables)
    return Theme(
        name=file.name,
        dark=file.dark,
        ansi=file.ansi,
        variables=variables,
        **file.colours(),  # type: ignore[arg-type]  # colour keys only
    )


def load_theme_file(path: Path) -> tuple[Theme | None, list[Problem]]:
    file, problems = read_theme_file(path, check_value)
    return (None if file is None else to_theme(file)), list(problems)


def load_themes(*folders: Path) -> tuple[list[Theme], list[Problem]]:
    """Every good theme in the folders, in order (a later one of the same name wins)."""
    themes: list[Theme] = []
    problems: list[Problem] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            theme, file_problems = load_theme_file(path)
            problems.extend(file_problems)
            if theme is not None:
                themes.append(theme)
    return themes, problems


def install_themes(app: App, preferred: str) -> list[Problem | str]:
    """Register the built-in and the user's themes, then switch to `preferred`,
    or to the default theme when it is not known (a broken or missing file)."""
    themes, problems = load_themes(locations.builtin_themes_dir(), locations.user_themes_dir())
    found: list[Problem | str] = list(problems)
    for theme in themes:
        app.register_theme(theme)
    if preferred in app.available_themes:
        app.theme = preferred
    else:
        found.append(f"theme {shorten(repr(preferred), 40)} not found; using {DEFAULT_THEME}")
        if DEFAULT_THEME in app.available_themes:
            app.theme = DEFAULT_THEME
    match_no_color_to_theme(app)  # before the first frame of the theme is drawn

    def theme_changed(theme: Theme) -> None:
        if match_no_color_to_theme(app):
            app.refresh_css(animate=False)

    app.theme_changed_signal.subscribe(app, theme_changed)
    return found
