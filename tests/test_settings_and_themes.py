from backtui.core import locations
from backtui.core.settings import Settings, load_settings, save_settings
from backtui.core.theme_file import read_theme_file, theme_schema
from backtui.tui.app import BackTUI
from backtui.tui.theming import DEFAULT_THEME, SHIPPED_THEMES, check_value, load_themes
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
    assert any("bad.toml:2: primary: error: must be a colour" in str(p) for p in problems)


def test_every_shipped_theme_loads_without_a_problem():
    themes, problems = load_themes(locations.builtin_themes_dir())
    assert problems == []
    assert sorted(theme.name for theme in themes) == sorted(SHIPPED_THEMES)
    assert Settings().theme == DEFAULT_THEME == "calm-night"
    by_name = {theme.name: theme for theme in themes}
    assert by_name["terminal"].ansi and by_name["terminal"].primary.startswith("ansi_")
    assert not by_name["daylight"].dark
    assert by_name["high-contrast"].background == "#000000"


def test_a_broken_user_theme_is_named_with_its_file_and_line(tmp_path):
    user = tmp_path / "themes"
    write(
        user / "mine.toml",
        "# my theme\nname = 'mine'\nprimary = '#336699'\nsurface = 'bluee'\n"
        "\n[variables]\nblock-cursor-background = 'blurple'\ninput-cursor-text-style = 'wobbly'\n"
        "footer-background = '#112233 50%'\n",
    )
    write(user / "syntax.toml", "name = 'x'\nprimary = \n")
    themes, problems = load_themes(user)
    assert themes == []
    lines = [str(p) for p in problems]
    mine = str(user / "mine.toml")
    assert f"{mine}:4: surface: error: not a colour: 'bluee' (did you mean 'blue'?)" in lines
    assert any(
        line.startswith(f"{mine}:7: variables.block-cursor-background: error") for line in lines
    )
    assert any(
        line.startswith(f"{mine}:8: variables.input-cursor-text-style: error") for line in lines
    )
    assert not any(":9:" in line for line in lines)  # a colour with an opacity is fine
    assert any(line.startswith(f"{user / 'syntax.toml'}:2:") for line in lines)


def test_theme_variables_are_text_and_reach_the_theme(tmp_path):
    path = write(
        tmp_path / "t.toml",
        "name = 't'\nprimary = 'ansi_blue'\nansi = true\n[variables]\n"
        "block-cursor-blurred-background = 'ansi_bright_black'\n",
    )
    file, problems = read_theme_file(path, check_value)
    assert file is not None and not problems.has_errors
    assert file.variables == {"block-cursor-blurred-background": "ansi_bright_black"}
    path = write(tmp_path / "n.toml", "name = 't'\nprimary = '#fff'\n[variables]\nborder = 3\n")
    file, problems = read_theme_file(path, check_value)
    assert file is None and "n.toml:4: variables.border: error: must be text" in str(problems[0])
    schema = theme_schema()
    assert schema["required"] == ["name", "primary"]
    assert "variables" in schema["properties"] and "ansi" in schema["properties"]


async def test_the_app_starts_on_the_default_theme_when_the_preferred_is_unknown():
    config = write(locations.config_file(), 'theme = "no-such-theme"\n')
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == DEFAULT_THEME
        assert any("no-such-theme" in str(p) for p in app.startup_problems)
    # The setting is the person's: a missing theme file must not overwrite it.
    assert config.read_text() == 'theme = "no-such-theme"\n'


async def test_a_users_theme_is_offered_and_chosen(tmp_path):
    write(locations.user_themes_dir() / "mine.toml", "name = 'mine'\nprimary = '#336699'\n")
    write(locations.config_file(), 'theme = "mine"\n')
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "mine"
