from backtui.core import locations


def test_paths_follow_xdg_and_the_contract(isolated_home):
    config = isolated_home / "config" / "backtui"
    assert locations.config_dir() == config
    assert locations.routines_dir() == config / "routines"
    assert locations.user_catalog_dir() == config / "catalog"
    assert locations.user_themes_dir() == config / "themes"
    assert locations.config_file() == config / "config.toml"
    assert locations.history_file() == isolated_home / "data" / "backtui" / "history.sqlite3"


def test_shipped_folders_exist():
    assert sorted(p.stem for p in locations.builtin_catalog_dir().glob("*.toml")) == [
        "breathing",
        "cold",
        "relaxation",
        "strengthening",
        "stretch",
    ]
    assert list(locations.builtin_themes_dir().glob("*.toml"))
    assert list(locations.starters_dir().glob("*.toml"))
