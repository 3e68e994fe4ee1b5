"""Help comes from the bindings, and no palette command or help screen ends the app."""

from __future__ import annotations

import pytest
from textual.screen import Screen
from textual.widgets import Static

from backtui.core.model import Routine, Step
from backtui.core.settings import Settings
from backtui.tui.app import BackTUI
from backtui.tui.runner_app import RunnerApp
from backtui.tui.screens.builder import BuilderScreen
from backtui.tui.screens.help import HelpScreen
from backtui.tui.screens.runner import RunnerScreen
from helpers import run_command

# Commands whose whole point is to leave; each is covered by its own test.
LEAVING = {"Quit"}


def help_text(app) -> str:
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    return str(screen.query_one(Static).render())


def opened_screens(app) -> tuple[int, int, frozenset[str]]:
    """What a person would see change: screens, messages, the screen's look (maximized)."""
    return (len(app.screen_stack), app.notes_shown, frozenset(app.screen.classes))


def count_notes(app) -> None:
    app.notes_shown = 0
    notify = app.notify

    def counting(*args, **kwargs):
        app.notes_shown += 1
        notify(*args, **kwargs)

    app.notify = counting


def palette_titles(app) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


async def back_to(pilot, screen) -> None:
    """Close whatever a command opened, the way a person would, then by force."""
    for _ in range(3):
        if pilot.app.screen is screen:
            return
        await pilot.press("escape")
    while pilot.app.screen is not screen:
        pilot.app.pop_screen()
        await pilot.pause()


async def test_every_palette_command_in_the_builder_leaves_the_app_running(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # "Screenshot" writes a file where it is run
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        builder = app.screen
        count_notes(app)
        await pilot.press("a")  # a step, so save, run and export have something to do
        titles = palette_titles(app)
        ran: list[tuple[str, bool]] = []
        assert "Keys" in titles and "Save" in titles
        for title in titles:
            if title in LEAVING:
                continue
            opened = opened_screens(app)
            await run_command(pilot, title)
            assert app.is_running, title
            for _ in range(50):  # some commands work in a worker (a screenshot is written)
                if opened_screens(app) != opened or app.screen is not builder:
                    break
                await pilot.pause(0.01)
            ran.append((title, opened_screens(app) != opened or app.screen is not builder))
            await back_to(pilot, builder)
        assert app.is_running
        # Each command did something a person can see (a dialog, a screen, a message).
        assert [title for title, seen in ran if not seen] == []


async def test_keys_from_the_palette_opens_our_help_built_from_bindings():
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_command(pilot, "Keys")
        text = help_text(app)
        for words in ("Catalogue", "Routine", "Builder", "Save", "Fix", "Spine markers"):
            assert words in text
        assert "not medical advice" in text
        await pilot.press("escape")
        assert isinstance(app.screen, BuilderScreen)


async def test_a_remapped_key_shows_in_the_help_and_works():
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")  # one step
        app.set_keymap({"builder.help": "f1", "step.duplicate": "D"})
        await pilot.press("f1")
        text = help_text(app)
        duplicate = next(line for line in text.splitlines() if "Duplicate" in line)
        assert duplicate.split()[0] == "D"
        await pilot.press("escape", "tab", "D")
        assert len(app.screen.routine.steps) == 2


def test_the_screen_hides_the_apps_binding_of_a_key_but_siblings_share_keys():
    from backtui.tui.screens.help import key_sections

    app = BackTUI()
    sections = key_sections(app, [StubLeft(), StubRight(), StubScreen(), app])
    rows = {s.title: dict((what, keys) for keys, what in s.rows) for s in sections}
    assert rows["Left"] == {"Left x": "x"}
    assert rows["Right"] == {"Right x": "x"}
    assert rows["Stub screen"]["Stub quit"] == "^q"
    assert rows["Stub screen"]["Focus Next"] == "tab"  # Textual's own screen keys are shown
    assert "Quit" not in rows["Anywhere"]  # ctrl+q is the screen's here


class StubLeft(Static):
    BINDING_GROUP_TITLE = "Left"
    BINDINGS = [("x", "left", "Left x")]


class StubRight(Static):
    BINDING_GROUP_TITLE = "Right"
    BINDINGS = [("x", "right", "Right x")]


class StubScreen(Screen):
    BINDING_GROUP_TITLE = "Stub screen"
    BINDINGS = [("ctrl+q", "stub_quit", "Stub quit")]


for _stub in (StubLeft, StubRight, StubScreen):
    _stub.__module__ = "backtui.tests"  # counted as backtui's own


@pytest.mark.parametrize("key", ["question_mark", "palette"])
async def test_help_in_the_runner_pauses_and_lists_the_session_keys(catalog, tmp_path, key):
    routine = Routine("Help test", (Step("childs-pose", hold_s=30),))
    app = RunnerApp(
        routine,
        catalog,
        key="help-test",
        settings=Settings(bell=False),
        history_path=tmp_path / "history.sqlite3",
    )
    async with app.run_test(size=(80, 24)) as pilot:
        runner = app.screen
        assert isinstance(runner, RunnerScreen)
        if key == "palette":  # the runner has no palette: ctrl+p must do nothing harmful
            await pilot.press("ctrl+p")
            assert app.screen is runner
            return
        await pilot.press("question_mark")
        text = help_text(app)
        for words in ("Session", "Pause", "Bad pain", "Pain ratings"):
            assert words in text
        assert runner.session.paused
        await pilot.press("escape")
        assert app.screen is runner and app.is_running
