"""User settings from config.toml: typed, with defaults, never fatal when broken.

`BACKTUI_CONFIG` may point at another file, so tests and experiments never
touch the real one.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import tomli_w

from backtui.core import locations
from backtui.core.reader import Fields, Problems, decode_toml, read_bytes
from backtui.core.store import atomic_write


@dataclass(frozen=True)
class Settings:
    theme: str = "textual-dark"
    """Name of the Textual theme to start with."""
    bell: bool = True
    """Ring the terminal bell at each change in a session."""
    pain_ratings: bool = True
    """Offer a 0–10 pain rating before and after a session."""
    show_pacer: bool = True
    """Show the breathing pacer in sessions."""


def config_path() -> Path:
    override = os.environ.get("BACKTUI_CONFIG")
    return Path(override) if override else locations.config_file()


def load_settings(path: Path | None = None) -> tuple[Settings, Problems]:
    path = path or config_path()
    problems = Problems(str(path))
    if not path.exists():
        return Settings(), problems
    data = read_bytes(path, problems)
    document = decode_toml(data, problems) if data is not None else None
    if document is None:
        return Settings(), problems
    f = Fields(document, "", problems)
    values: dict[str, object] = {}
    theme = f.text("theme", 64)
    if theme:
        values["theme"] = theme
    for key in ("bell", "pain_ratings", "show_pacer"):
        if (flag := f.flag(key)) is not None:
            values[key] = flag
    f.warn_unknown(field.name for field in fields(Settings))
    return Settings(**values), problems  # type: ignore[arg-type]


def save_settings(settings: Settings, path: Path | None = None) -> None:
    atomic_write(path or config_path(), tomli_w.dumps(asdict(settings)))
