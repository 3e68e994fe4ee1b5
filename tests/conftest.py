"""Shared fixtures: every test runs with its own config and data folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from backtui.core import locations
from backtui.core.catalog import Catalog, load_catalog


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point platformdirs at a temporary folder so no test touches the real home."""
    home = tmp_path / "home"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    loaded = load_catalog(locations.builtin_catalog_dir())
    assert not [p for p in loaded.problems if p.is_error], loaded.problems
    return loaded.catalog
