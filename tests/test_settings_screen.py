"""The settings screen: changes apply at once, are saved atomically beside what
else config.toml holds, survive a restart, and a broken file is left alone."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, Select

from backtui.core import locations
from backtui.core.settings import load_settings, save_settings
from backtui.tui.app import BackTUI
from backtui.tui.screens.runner import RunnerScreen
from backtui.tui.screens.settings_form import SettingsForm
from helpers import write


async def test_settings_apply_at_once_and_survive_a_restart():
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("S")
        form = app.screen
        assert isinstance(form, SettingsForm)
        form.query_one("#field-get_ready_s", Input).value = "99"  # over 3–60
        await pilot.press("ctrl+s")
        assert app.screen is form
        assert "3–60" in str(form.query_one("#error-get_ready_s").render())
        form.query_one("#field-get_ready_s", Input).value = "20"
        form.query_one("#field-bell", Checkbox).value = False
        form.query_one("#field-rest_s", Input).value = "25"
        form.query_one("#field-theme", Select).value = "daylight"
        await pilot.press("ctrl+s")
        assert app.theme == "daylight" and app.settings.get_ready_s == 20
        await pilot.press("1", "r")  # a starter, run now: its get-ready follows the setting
        runner = app.screen
        assert isinstance(runner, RunnerScreen)
        assert runner.session.phases[0].duration_s == 20
    saved, problems = load_settings()
    assert not problems
    assert (saved.get_ready_s, saved.bell, saved.rest_s, saved.theme) == (20, False, 25, "daylight")
    again = BackTUI()
    async with again.run_test(size=(80, 24)):
        assert again.theme == "daylight" and again.settings == saved


def test_saving_keeps_the_rest_of_the_file(tmp_path):
    from dataclasses import replace

    path = write(
        tmp_path / "config.toml",
        'bell = false\nfrom_a_newer_backtui = 1\n\n[keymap]\n"builder.help" = "f1"\n',
    )
    loaded, _ = load_settings(path)
    save_settings(replace(loaded, bell=True, get_ready_s=15), path)
    text = path.read_text()
    assert '"builder.help" = "f1"' in text and "from_a_newer_backtui = 1" in text
    settings, _ = load_settings(path)
    assert settings.bell and settings.get_ready_s == 15
    assert settings.keymap == {"builder.help": "f1"}


async def test_a_broken_config_is_left_as_it_is_and_changes_last_until_quit():
    path = write(locations.config_file(), "bell = 'loud'\nget_ready_s = 7\n")
    before = path.read_bytes()
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("S")
        app.screen.query_one("#field-get_ready_s", Input).value = "12"
        await pilot.press("ctrl+s")
        assert app.settings.get_ready_s == 12
        assert any("left as it is" in n.message for n in app._notifications)
    assert path.read_bytes() == before


async def test_the_palette_finds_a_setting_and_opens_the_settings_on_it():
    from backtui.tui.commands import ContentCommands

    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        provider = ContentCommands(app.screen)
        await provider.startup()
        hits = [hit async for hit in provider.search("get ready")]
        assert hits and str(hits[0].text) == "Setting: Get ready (s)"
        hits[0].command()
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SettingsForm)
        assert app.focused is form.query_one("#field-get_ready_s")
