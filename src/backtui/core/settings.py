"""User settings from config.toml: typed, with defaults, never fatal when broken.

`BACKTUI_CONFIG` may point at another file, so tests and experiments never
touch the real one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from backtui.core import locations
from backtui.core.keymap import KeyTable
from backtui.core.reader import Problems, decode_toml, read_bytes
from backtui.core.spec import At, Flag, Text, declared, document_schema, dumps, read_fields, spec
from backtui.core.store import atomic_write


@declared(frozen=True)
class Settings:
    theme: str = spec(
        Text(64, visible=True),
        default="textual-dark",
        label="Theme",
        help="Name of the Textual theme to start with.",
    )
    bell: bool = spec(
        Flag(),
        default=True,
        label="Bell",
        help="Ring the terminal bell at each change in a session.",
    )
    pain_ratings: bool = spec(
        Flag(),
        default=True,
        label="Pain ratings",
        help="Offer a 0–10 pain rating before and after a session.",
    )
    show_pacer: bool = spec(
        Flag(), default=True, label="Show pacer", help="Show the breathing pacer in sessions."
    )
    # The [keymap] table: read here as a table of text, so it is kept when the
    # settings are saved; the apps check it against their bindings (core/keymap.py).
    keymap: dict[str, str] = spec(
        KeyTable(),
        default_factory=dict,
        label="Keys",
        help='Keys you choose: binding id = keys, comma-separated ("builder.help" = "f1"); '
        "`backtui keys` lists the ids.",
    )


def config_path() -> Path:
    override = os.environ.get("BACKTUI_CONFIG")
    return Path(override) if override else locations.config_file()


def load_settings(path: Path | None = None) -> tuple[Settings, Problems]:
    """The settings; a bad value is reported and its default kept, the good ones still apply."""
    path = path or config_path()
    problems = Problems(str(path))
    if not path.exists():
        return Settings(), problems
    data = read_bytes(path, problems)
    document = decode_toml(data, problems) if data is not None else None
    if document is None:
        return Settings(), problems
    return Settings(**read_fields(Settings, document, At(problems))), problems


def save_settings(settings: Settings, path: Path | None = None) -> None:
    atomic_write(path or config_path(), dumps(settings))


def settings_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of config.toml."""
    return document_schema(
        Settings,
        schema_id="urn:backtui:settings",
        title="backtui settings",
        description="backtui's config.toml. Every key is optional; unknown keys are ignored.",
    )
