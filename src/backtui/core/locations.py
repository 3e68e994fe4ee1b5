"""Every path backtui reads or writes, in one place (CONTRACT §1).

Nothing else in the package calls platformdirs, so tests can point the whole app
at a temporary folder by setting ``XDG_CONFIG_HOME``, ``XDG_DATA_HOME`` and
``XDG_CACHE_HOME``.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_cache_dir, user_config_dir, user_data_dir

APP_NAME = "backtui"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/backtui (core/ is one down)


def config_dir() -> Path:
    return Path(user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """What backtui can rebuild at any time (the parsed catalogue): safe to delete."""
    return Path(user_cache_dir(APP_NAME, appauthor=False))


def catalog_cache_file() -> Path:
    return cache_dir() / "catalog.json"


def routines_dir() -> Path:
    return config_dir() / "routines"


def user_catalog_dir() -> Path:
    return config_dir() / "catalog"


def user_themes_dir() -> Path:
    return config_dir() / "themes"


def config_file() -> Path:
    return config_dir() / "config.toml"


def history_file() -> Path:
    return data_dir() / "history.sqlite3"


def _shipped(name: str) -> Path:
    # An installed wheel carries the folder inside the package; a source checkout
    # (editable install, or tests run from the tree) has it at the top level.
    inside = _PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return _PACKAGE_DIR.parent.parent / name


def builtin_catalog_dir() -> Path:
    return _shipped("catalog")


def builtin_themes_dir() -> Path:
    return _shipped("themes")


def starters_dir() -> Path:
    return _PACKAGE_DIR / "starters"
