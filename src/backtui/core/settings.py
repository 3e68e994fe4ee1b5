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
from backtui.core.model import GET_READY_S, REST, Breath
from backtui.core.pacing import FLOOR_TO_STANDING_S, Pacing
from backtui.core.reader import Problems, decode_toml, read_bytes
from backtui.core.spec import (
    At,
    Flag,
    Integer,
    Text,
    declared,
    document_schema,
    dumps,
    fields_of,
    read_fields,
    spec,
)
from backtui.core.store import atomic_write


@declared(frozen=True)
class Settings:
    theme: str = spec(
        Text(64, visible=True),
        default="calm-night",
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
    inhale_s: int = spec(
        Integer(1, 15, "seconds"),
        default=4,
        label="Breath in (s)",
        help="Seconds of each breath in, for routines that set no breath of their own.",
    )
    exhale_s: int = spec(
        Integer(1, 20, "seconds"),
        default=6,
        label="Breath out (s)",
        help="Seconds of each breath out, for routines that set no breath of their own.",
    )
    rest_s: int | None = spec(
        REST,
        default=None,
        label="Rest (s)",
        help="Seconds of rest after each step the routine gives no rest of its own; "
        "absent: each exercise's own.",
    )
    get_ready_s: int = spec(
        Integer(3, 60, "seconds"),
        default=GET_READY_S,
        label="Get ready (s)",
        help="Seconds to get ready before a session starts.",
    )
    position_change_s: int = spec(
        Integer(0, 30, "seconds"),
        default=FLOOR_TO_STANDING_S,
        label="Position (s)",
        help="Seconds to get up from the floor to standing between moves; smaller "
        "changes of position take their share; 0 skips the pause.",
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

    def pacing(self) -> Pacing:
        """The session timings these settings ask for."""
        breath = Breath(self.inhale_s, self.exhale_s)
        return Pacing(
            get_ready_s=self.get_ready_s,
            position_change_s=self.position_change_s,
            rest_s=self.rest_s,
            breath=None if breath == Breath() else breath,
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
    """Write the settings atomically, keeping whatever else the file holds (the
    [keymap] table, keys of a newer backtui), so a change on the settings screen
    never drops it. Comments are not kept: the file is written afresh."""
    import tomli_w

    path = path or config_path()
    text = dumps(settings)
    if path.exists():
        problems = Problems(str(path))
        data = read_bytes(path, problems)
        document = decode_toml(data, problems) if data is not None else None
        if document is None:  # the caller checks first; this is the last line of defence
            raise ValueError(f"{path} cannot be read, so it is not rewritten")
        owned = {field.name for field in fields_of(Settings)}
        others = {key: value for key, value in document.items() if key not in owned}
        if others:
            text += "\n" + tomli_w.dumps(others)
    atomic_write(path, text)


def settings_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of config.toml."""
    return document_schema(
        Settings,
        schema_id="urn:backtui:settings",
        title="backtui settings",
        description="backtui's config.toml. Every key is optional; unknown keys are ignored.",
    )
