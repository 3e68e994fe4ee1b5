"""The theme file format (`themes/*.toml`, and the person's own), declared once.

A theme names Textual's base colours, says whether it is dark, whether it uses
the terminal's own 16 colours (`ansi = true`, colours named `ansi_blue`…), and
may set any of Textual's theme variables in a `[variables]` table of text.

The core cannot ask Textual which colour names exist, so `read_theme_file`
takes the check from its caller (`check`); every problem, the caller's too, is
located at its line in the file.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backtui.core.reader import Problems, decode_toml, describe, read_bytes
from backtui.core.spec import (
    INVALID,
    At,
    Context,
    Flag,
    Kind,
    Text,
    declared,
    document_schema,
    read_fields,
    spec,
)
from backtui.core.text import shorten

COLOUR_MAX = 40
# #RGB, #RGBA, #RRGGBB, #RRGGBBAA, rgb()/rgba()/hsl()/hsla(), or a name
# (`steelblue`, `ansi_bright_blue`, `ansi_default`); Textual knows which names exist.
COLOUR_PATTERN = (
    r"^(?:#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})"
    r"|(?:rgb|hsl)a?\([0-9.,%\s]*\)|[a-z][a-z0-9_]*)(?![\s\S])"
)
_COLOUR = re.compile(COLOUR_PATTERN)
VARIABLE_PATTERN = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?![\s\S])"
_VARIABLE = re.compile(VARIABLE_PATTERN)
VARIABLES_MAX = 200
VARIABLE_VALUE_MAX = 80


@dataclass(frozen=True)
class Colour(Kind):
    """A colour as Textual writes one."""

    def read(self, value: Any, at: At) -> Any:
        if not isinstance(value, str) or len(value) > COLOUR_MAX or not _COLOUR.fullmatch(value):
            at.error(f"must be a colour such as '#1B2631' or 'ansi_blue', got {describe(value)}")
            return INVALID
        return value

    def schema(self, context: Context) -> dict[str, Any]:
        return {"type": "string", "maxLength": COLOUR_MAX, "pattern": COLOUR_PATTERN}


@dataclass(frozen=True)
class Variables(Kind):
    """Textual theme variables by name (`block-cursor-background = "#3B4F63"`), as text."""

    def read(self, value: Any, at: At) -> Any:
        if not isinstance(value, dict):
            at.error(f"must be a table of text, got {describe(value)}")
            return INVALID
        if len(value) > VARIABLES_MAX:
            at.error(f"at most {VARIABLES_MAX} variables, got {len(value)}")
            return INVALID
        text = Text(VARIABLE_VALUE_MAX, visible=True)
        found: dict[str, str] = {}
        for name, item in value.items():
            place = at / name
            if not _VARIABLE.fullmatch(name):
                place.error(f"{shorten(repr(name), 40)} is not a variable name (kebab-case)")
                continue
            read = text.read(item, place)
            if read is not INVALID:
                found[name] = read
        return found

    def schema(self, context: Context) -> dict[str, Any]:
        return {
            "type": "object",
            "maxProperties": VARIABLES_MAX,
            "propertyNames": {"pattern": VARIABLE_PATTERN},
            "additionalProperties": Text(VARIABLE_VALUE_MAX, visible=True).schema(context),
        }


def _colour(help: str) -> Any:
    return spec(Colour(), default="", help=help)


@declared(frozen=True)
class ThemeFile:
    name: str = spec(
        Text(40, visible=True), help="The theme's name, as settings and the palette know it."
    )
    primary: str = spec(Colour(), help="The main colour: titles, the focused row, borders.")
    dark: bool = spec(Flag(), default=True, help="A dark theme (light text on a dark ground).")
    ansi: bool = spec(
        Flag(),
        default=False,
        help="Use the terminal's own 16 colours: name them ansi_blue, ansi_default…",
    )
    secondary: str = _colour("A second colour for accents beside the primary.")
    accent: str = _colour("Keys in the footer, the pacer, what draws the eye.")
    foreground: str = _colour("The text.")
    background: str = _colour("The screen behind everything.")
    surface: str = _colour("Lists and panes.")
    panel: str = _colour("Dialogs, the footer, the balance bar.")
    boost: str = _colour("A slight lift over the surface.")
    success: str = _colour("Balanced, done.")
    warning: str = _colour("Warnings: an unbalanced extension step.")
    error: str = _colour("Errors.")
    variables: dict[str, str] = spec(
        Variables(),
        default_factory=dict,
        help="Textual theme variables by name, as text (block-cursor-blurred-background…).",
    )

    def colours(self) -> dict[str, str]:
        """The colours set, by Textual's name for them."""
        return {
            field.name: getattr(self, field.name)
            for field in dataclasses.fields(self)
            if field.name in COLOUR_FIELDS and getattr(self, field.name)
        }


COLOUR_FIELDS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
    "success",
    "warning",
    "error",
)

CheckValue = Callable[[str, str], str | None]
"""(where, value) -> what is wrong with it, or None: the caller's own checks."""


def read_theme_file(
    path: Path, check: CheckValue | None = None
) -> tuple[ThemeFile | None, Problems]:
    """A theme file, or None with its problems, each at its line (`FILE:LINE: key: error: …`)."""
    problems = Problems(str(path))
    data = read_bytes(path, problems)
    document = decode_toml(data, problems) if data is not None else None
    if document is None:
        return None, problems
    values = read_fields(ThemeFile, document, At(problems))
    if check is not None:
        for key in COLOUR_FIELDS:
            if values.get(key) and (message := check(key, values[key])):
                problems.error(key, message)
        for name, value in values.get("variables", {}).items():
            if message := check(f"variables.{name}", value):
                problems.error(f"variables.{name}", message)
    locate(problems, data.decode("utf-8", "replace") if data is not None else "")
    if problems.has_errors:
        return None, problems
    return ThemeFile(**values), problems


_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_KEY = re.compile(
    r"^\s*((?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+))*)\s*="
)


def _key_path(text: str) -> list[str]:
    return [part.strip().strip("\"'") for part in re.findall(r"\"[^\"]*\"|'[^']*'|[^.]+", text)]


def key_lines(text: str) -> dict[str, int]:
    """The line of each key in a plain TOML text (`primary`, `variables.panel`), from 1."""
    lines: dict[str, int] = {}
    table: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if match := _TABLE.match(line):
            table = _key_path(match[1])
            lines.setdefault(".".join(table), number)
        elif match := _KEY.match(line):
            lines.setdefault(".".join([*table, *_key_path(match[1])]), number)
    return lines


def locate(problems: Problems, text: str) -> None:
    """Give each problem that names a key the line of that key."""
    lines = key_lines(text)
    for index, problem in enumerate(problems):
        if problem.line is None and problem.where in lines:
            problems[index] = dataclasses.replace(problem, line=lines[problem.where])


def theme_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a theme file."""
    return document_schema(
        ThemeFile,
        schema_id="urn:backtui:theme",
        title="backtui theme",
        description="A theme file: themes/*.toml, or one in your config folder's themes/.",
    )
