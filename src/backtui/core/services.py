"""What both apps and the command line start from: settings, the catalogue, the store.

Built once per process, so the catalogue (the one costly thing to load) is read
once, and every problem found on the way is collected for the app to report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from backtui.core import locations
from backtui.core.catalog import Catalog, load_catalog
from backtui.core.reader import Problem
from backtui.core.settings import Settings, config_path, load_settings
from backtui.core.store import RoutineStore


@dataclass
class Services:
    settings: Settings
    settings_path: Path
    # A settings file with errors is the person's to mend: never rewrite it.
    settings_writable: bool
    catalog: Catalog
    store: RoutineStore
    problems: list[Problem] = field(default_factory=list)


def load_catalog_only() -> tuple[Catalog, list[Problem]]:
    loaded = load_catalog(
        locations.builtin_catalog_dir(),
        locations.user_catalog_dir(),
        cache=locations.catalog_cache_file(),
    )
    return loaded.catalog, list(loaded.problems)


def open_store(catalog: Catalog) -> RoutineStore:
    return RoutineStore(locations.routines_dir(), catalog, locations.starters_dir())


def load_services(*, settings_path: Path | None = None, catalog: Catalog | None = None) -> Services:
    """Everything an app needs; pass a catalogue already loaded to keep it to one load."""
    problems: list[Problem] = []
    if catalog is None:
        catalog, problems = load_catalog_only()
    path = settings_path or config_path()
    settings, settings_problems = load_settings(path)
    problems.extend(settings_problems)
    return Services(
        settings=settings,
        settings_path=path,
        settings_writable=not settings_problems.has_errors,
        catalog=catalog,
        store=open_store(catalog),
        problems=problems,
    )
