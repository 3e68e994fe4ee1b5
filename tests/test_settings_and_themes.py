from backtui.core import locations
from backtui.core.settings import Settings, load_settings, save_settings
from backtui.tui.theming import load_themes
from helpers import write


def test_settings_default_and_round_trip(tmp_path):
    path = tmp_path / "config.toml"
    assert load_settings(path)[0] == Settings()
    chosen = Settings(theme="daylight", bell=False, pain_ratings=False, show_pacer=False)
    save_settings(chosen, path)
    assert load_settings(path)[0] == chosen


def test_broken_settings_fall_back_to_defaults_with_a_located_problem(tmp_path):
    path = write(tmp_path / "config.toml", "bell = 'loud'\ncolour = 1\n")
    settings, problems = load_settings(path)
    assert settings == Settings()
    lines = [str(p) for p in problems]
    assert any("bell: error: must be true or false" in line for line in lines)
    assert any("colour: warning: unknown key" in line for line in lines)
    settings, problems = load_settings(write(tmp_path / "bad.toml", "= ["))
    assert settings == Settings() and problems


def test_builtin_themes_load_and_broken_user_themes_are_skipped(tmp_path):
    user = tmp_path / "themes"
    write(user / "good.toml", "name = 'mine'\nprimary = '#336699'\n")
    write(user / "bad.toml", "name = 'worse'\nprimary = 'not-a-colour'\n")
    themes, problems = load_themes(locations.builtin_themes_dir(), user)
    names = {theme.name for theme in themes}
    assert {"calm-night", "daylight", "mine"} <= names and "worse" not in names
    assert any("bad.toml: primary: error: not a colour" in str(p) for p in problems)
