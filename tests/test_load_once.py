"""Each thing is read once per process: the catalogue, and each unchanged routine file."""

from __future__ import annotations

import pytest

from backtui import cli
from backtui.core import catalog as catalog_module
from backtui.core import locations, services
from backtui.core.catalog import load_catalog
from backtui.core.store import RoutineStore


@pytest.fixture
def user_loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Loads of the whole catalogue (built-in plus the user's folder)."""
    calls: list[int] = []
    real = catalog_module.load_catalog

    def counted(builtin_dir, user_dir=None, **kwargs):
        if user_dir is not None:
            calls.append(1)
        return real(builtin_dir, user_dir, **kwargs)

    monkeypatch.setattr(services, "load_catalog", counted)
    monkeypatch.setattr(catalog_module, "load_catalog", counted)  # as `schema` imports it
    return calls


@pytest.mark.parametrize(
    "argv",
    [
        ["history"],
        ["schema", "routine"],
        ["schema", "exercise"],
        ["schema", "settings"],
        ["schema", "theme"],
        ["keys"],
    ],
)
def test_commands_that_need_no_catalogue_do_not_load_it(argv, user_loads, capsys):
    assert cli.main(argv) == 0
    assert user_loads == []


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["list", "--help"]])
def test_help_and_version_load_no_catalogue(argv, user_loads, capsys):
    with pytest.raises(SystemExit) as exit:
        cli.main(argv)
    assert exit.value.code == 0
    assert user_loads == []


ROUTINE = 'schema = 1\nname = "Check"\n\n[[steps]]\nexercise = "cat"\nreps = 8\n'


@pytest.mark.parametrize(
    "argv",
    [
        ["edit", "morning"],
        ["run", "morning"],
        ["list"],
        ["plan", "quick-relief"],
        ["validate", "{file}", "{file}"],
        ["catalog"],
        ["catalog", "--json"],
        ["export", "morning"],
        ["import", "{file}"],
        ["delete", "morning", "--yes"],
        ["starters"],
        ["starters", "--restore"],
    ],
)
def test_the_catalogue_is_loaded_once_per_command(argv, user_loads, capsys, tmp_path):
    RoutineStore(locations.routines_dir(), {}, locations.starters_dir()).ensure_folder()
    routine = tmp_path / "check.toml"
    routine.write_text(ROUTINE, encoding="utf-8")
    cli.main([arg.format(file=routine) for arg in argv])  # edit and run refuse without a
    assert len(user_loads) == 1  # terminal, after loading what they need


def test_an_unchanged_routine_file_is_parsed_once(monkeypatch):
    from backtui.core import store as store_module

    parsed: list[str] = []
    real = store_module.loads_routine

    def counted(data, catalog, name):
        parsed.append(name)
        return real(data, catalog, name)

    monkeypatch.setattr(store_module, "loads_routine", counted)
    catalog = load_catalog(locations.builtin_catalog_dir()).catalog
    store = RoutineStore(locations.routines_dir(), catalog, locations.starters_dir())
    first = store.list()
    count = len(parsed)
    assert count == len(first) > 0
    store.list()
    store.starter_states()
    assert len(parsed) == count + len(store.starter_files())  # the shipped copies, once
    store.starter_states()
    assert len(parsed) == count + len(store.starter_files())

    # A save writes a new file: read again. A conflict check reads the real bytes.
    saved = store.save(first[0].routine, first[0].slug, expected=first[0].fingerprint)
    again = store.load(first[0].slug)
    assert len(parsed) == count + len(store.starter_files()) + 1
    assert again.fingerprint == saved.fingerprint

    path = store.path_for(first[0].slug)
    text = path.read_text(encoding="utf-8").replace("name = ", 'name = "Changed"\n#', 1)
    path.write_text(text, encoding="utf-8")
    assert store.load(first[0].slug).routine.name == "Changed"
    from backtui.core.store import ConflictError

    with pytest.raises(ConflictError):
        store.save(first[0].routine, first[0].slug, expected=saved.fingerprint)
