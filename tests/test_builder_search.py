"""Search boxes and the palette through the Pilot, at 80x24: the best match first,
Down lands on it, and the palette finds what the search boxes find."""

from __future__ import annotations

from textual.command import CommandInput, CommandList, CommandPalette
from textual.widgets import OptionList

from backtui.core import locations
from backtui.core.model import Routine, Step
from backtui.core.routine_file import dumps_routine
from backtui.core.settings import load_settings
from backtui.tui.app import BackTUI
from backtui.tui.screens.builder import BuilderScreen
from backtui.tui.screens.dialogs import ChoiceScreen
from backtui.tui.screens.open_routine import OpenRoutineScreen
from backtui.tui.screens.runner import RunnerScreen
from backtui.tui.widgets.catalog_list import CatalogList
from helpers import steps_of, write


def save(slug: str, name: str, description: str = "", *ids: str) -> None:
    routine = Routine(name, tuple(Step(i) for i in ids or ("cat",)), description=description)
    write(locations.routines_dir() / f"{slug}.toml", dumps_routine(routine))


async def test_prone_press_then_down_and_a_adds_the_prone_press_up():
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        listing = screen.query_one(CatalogList)
        await pilot.press("slash", *"prone press")
        assert listing.exercises[0].id == "prone-press-up"
        await pilot.press("down")
        assert app.focused is listing and listing.cursor == 0
        await pilot.press("a")
        assert steps_of(screen) == ["prone-press-up"]
        await pilot.press("slash", "ctrl+u", *"breath", "enter")  # Enter from the box: the first
        assert steps_of(screen) == ["prone-press-up", "therapeutic-breath"]


async def test_down_from_the_catalogue_search_lands_on_the_first_exercise():
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        listing = app.screen.query_one(CatalogList)
        await pilot.press("down", "down", "down")
        assert listing.cursor == 3
        await pilot.press("slash", "down")
        assert app.focused is listing and listing.cursor == 0
        await pilot.press("down", "slash", "escape")  # Escape goes back where it was
        assert app.focused is listing and listing.cursor == 1


async def test_open_dialog_ranks_and_down_enter_opens_the_first_match():
    locations.routines_dir().mkdir(parents=True)
    save("a-calm-start", "A calm start", "Gentle moves for the morning.")
    save("morning", "Morning", "", "cow")
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o", *"morning")
        dialog = app.screen
        assert isinstance(dialog, OpenRoutineScreen)
        options = dialog.query_one(OptionList)
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == [
            "morning",  # in the name, above one that says it in its description
            "a-calm-start",
        ]
        await pilot.press("down")
        assert app.focused is options and options.highlighted == 0
        await pilot.press("enter")
        assert isinstance(app.screen, BuilderScreen)
        assert app.screen.slug == "morning"


async def palette_hits(pilot, query: str) -> tuple[CommandPalette, list[str]]:
    await pilot.press("ctrl+p")
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    palette._RESULT_BATCH_TIME = 0.0  # type: ignore[misc]
    palette.query_one(CommandInput).value = query
    commands = palette.query_one(CommandList)
    titles: list[str] = []
    for _ in range(100):
        await pilot.pause(0.01)
        titles = [
            str(commands.get_option_at_index(i).prompt).split("\n")[0].strip()
            for i in range(commands.option_count)
        ]
        if titles and titles[0].startswith(("Add", "Open", "Run", "Theme")):
            break
    return palette, titles


async def test_the_palette_adds_an_exercise_found_by_name():
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("a")  # a first step, so the new one goes after it
        first = steps_of(screen)[0]
        _, titles = await palette_hits(pilot, "prone press")
        assert titles[:2] == ["Add Prone press-up", "Add Back push-up"], titles
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert steps_of(screen) == [first, "prone-press-up"]


async def test_the_palette_opens_a_routine_asking_about_unsaved_work_first():
    locations.routines_dir().mkdir(parents=True)
    save("evening", "Evening calm", "Wind down.", "childs-pose")
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("a")  # unsaved work
        _, titles = await palette_hits(pilot, "open evening")
        assert titles == ["Open Evening calm"], titles
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.click("#choice-discard")
        await pilot.pause()
        assert app.screen is screen and screen.slug == "evening"
        assert steps_of(screen) == ["childs-pose"]


async def test_run_quick_in_the_palette_runs_quick_relief_and_the_open_routine_stays():
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("a")  # unsaved work: running another routine does not touch it
        _, titles = await palette_hits(pilot, "run quick")
        assert titles[0] == "Run Quick relief", titles
        assert all(title.startswith("Run ") for title in titles)
        await pilot.press("enter")
        await pilot.pause()
        runner = app.screen
        assert isinstance(runner, RunnerScreen)
        assert runner.routine.name == "Quick relief"
        assert app.screen_stack[-2] is screen and len(screen.routine.steps) == 1
        assert screen.history.dirty and screen.slug is None


async def test_theme_day_in_the_palette_switches_to_daylight_and_keeps_it(tmp_path):
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        _, titles = await palette_hits(pilot, "theme day")
        assert titles == ["Theme: daylight"], titles
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "daylight"
    assert load_settings()[0].theme == "daylight"


async def test_a_routines_name_alone_offers_to_open_and_to_run_it():
    locations.routines_dir().mkdir(parents=True)
    save("evening", "Evening calm", "Wind down.", "childs-pose")
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        _, titles = await palette_hits(pilot, "evening calm")
        assert titles[:2] == ["Open Evening calm", "Run Evening calm"], titles


async def test_palette_names_from_files_are_plain_text():
    locations.routines_dir().mkdir(parents=True)
    save("odd", "[b]Odd[/b] [link=x]name", "")
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        _, titles = await palette_hits(pilot, "odd")
        assert "Open [b]Odd[/b] [link=x]name" in titles


async def test_a_large_search_shows_its_best_rows_first_and_its_count_once_drawn(monkeypatch):
    """Searched a few rows at a time (as in a catalogue of tens of thousands): the
    first screenful is exact at once, the count follows, and both are the search's."""
    from backtui.core import ranking

    monkeypatch.setattr(ranking, "_FIRST_CHUNK", 1)
    tables = [
        f'[exercises.slow-move-{n}]\nname = "Slow move {n}"\nspine = "neutral"\n'
        f'category = "stretch"\nposition = "any"\nsteps = ["Move slowly, {n}."]\n'
        for n in range(200)
    ]
    write(locations.user_catalog_dir() / "many.toml", "schema = 1\n" + "\n".join(tables))
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        listing = app.screen.query_one(CatalogList)
        catalog = app.screen.query_one("CatalogPane").catalog
        await pilot.press("slash", *"move 1")
        expected = catalog.search("move 1")
        assert [e.id for e in listing.exercises[:5]] == [e.id for e in expected[:5]]
        await pilot.pause()
        await pilot.pause()
        assert listing.row_count == len(expected) > 100
        assert list(listing.exercises) == expected
        await pilot.press("down", "end")  # from the box to the list, then its last row
        assert listing.highlighted == expected[-1]
