"""The builder through the Pilot: keys, mouse drags, files, balance."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from backtui.core import locations
from backtui.core.model import Routine, Step
from backtui.core.routine_file import dumps_routine, read_routine
from backtui.tui.app import BackTUI
from backtui.tui.screens.builder import BuilderScreen
from backtui.tui.screens.dialogs import ChoiceScreen
from backtui.tui.screens.dose_form import DoseForm
from backtui.tui.widgets.catalog_list import CatalogList
from backtui.tui.widgets.step_list import StepList
from helpers import answer_prompt, settled, steps_of, write


def saved_routine(name: str, *ids: str) -> str:
    """Save a routine into the routines folder and return its slug."""
    from backtui.core.store import slugify

    slug = slugify(name)
    write(
        locations.routines_dir() / f"{slug}.toml",
        dumps_routine(Routine(name, tuple(Step(i) for i in ids))),
    )
    return slug


async def open_morning_and_ask_to_export(pilot, screen: BuilderScreen) -> None:
    await pilot.press("ctrl+o", *"morning", "enter")
    screen.action_export()
    await pilot.pause()


async def test_typing_filters_the_catalogue_and_enter_adds_the_match():
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        catalog = screen.query_one(CatalogList)
        everything = len(catalog.exercises)
        await pilot.press("slash", *"child")
        assert screen.query_one("#search", Input).value == "child"
        assert 0 < len(catalog.exercises) < everything
        assert all("child" in e.id for e in catalog.exercises)
        await pilot.press("enter")
        assert steps_of(screen) == [catalog.exercises[0].id]


async def test_filters_narrow_by_spine():
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        from textual.widgets import Select

        from backtui.core.model import Spine

        app.screen.query_one("#filter-spine", Select).value = Spine.EXTENSION
        await pilot.pause()
        shown = app.screen.query_one(CatalogList).exercises
        assert shown and all(e.spine is Spine.EXTENSION for e in shown)


async def test_add_by_key_inserts_after_the_selected_step():
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        catalog = screen.query_one(CatalogList)
        first, second = catalog.exercises[0].id, catalog.exercises[1].id
        await pilot.press("a", "down", "a")
        assert steps_of(screen) == [first, second]
        assert screen.history.dirty


async def test_drag_a_step_to_a_new_position():
    slug = saved_routine("Drag me", "cat", "cow", "childs-pose", "bridge")
    app = BackTUI(locations.routines_dir() / f"{slug}.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.pause()
        assert steps_of(screen) == ["cat", "cow", "childs-pose", "bridge"]
        await pilot.mouse_down("#steps", offset=(8, 0))
        await pilot.hover("#steps", offset=(8, 1))
        await pilot.hover("#steps", offset=(8, 2))
        steps = screen.query_one(StepList)
        assert steps.dragging
        # The drop marker follows the pointer: the dragged step is drawn at row 2.
        assert "Cat" in "".join(s.text for s in steps.render_line(2)) and steps._moving == (0, 2)
        await pilot.mouse_up("#steps", offset=(8, 2))
        assert steps_of(screen) == ["cow", "childs-pose", "cat", "bridge"]
        assert steps.cursor == 2
        # Undo puts it back.
        await pilot.press("u")
        assert steps_of(screen) == ["cat", "cow", "childs-pose", "bridge"]


async def test_escape_or_a_drop_outside_cancels_a_drag():
    slug = saved_routine("Cancel", "cat", "cow", "childs-pose")
    app = BackTUI(locations.routines_dir() / f"{slug}.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.mouse_down("#steps", offset=(8, 0))
        await pilot.hover("#steps", offset=(8, 2))
        await pilot.press("escape")
        await pilot.mouse_up("#steps", offset=(8, 2))
        assert steps_of(screen) == ["cat", "cow", "childs-pose"]
        await pilot.mouse_down("#steps", offset=(8, 0))
        await pilot.hover("#steps", offset=(8, 2))
        await pilot.mouse_up("#catalog", offset=(5, 2))
        assert steps_of(screen) == ["cat", "cow", "childs-pose"]
        assert not screen.history.dirty


async def test_drag_near_the_bottom_edge_scrolls_a_long_routine():
    slug = saved_routine("Long", *["cat"] * 60, "bridge")
    app = BackTUI(locations.routines_dir() / f"{slug}.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        steps = app.screen.query_one(StepList)
        height = steps.content_region.height
        await pilot.mouse_down("#steps", offset=(8, 0))
        await pilot.hover("#steps", offset=(8, height - 1))
        await pilot.pause(0.5)
        assert steps.scroll_offset.y > 0
        moving = steps._moving
        assert moving is not None and moving[1] > height - 1
        await pilot.mouse_up("#steps", offset=(8, height - 1))
        assert app.screen.routine.steps[moving[1]].exercise == "cat"


async def test_drag_an_exercise_from_the_catalogue_into_the_routine():
    slug = saved_routine("Insert", "cat", "cow", "childs-pose")
    app = BackTUI(locations.routines_dir() / f"{slug}.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        catalog = screen.query_one(CatalogList)
        dragged = catalog.exercises[1]
        await pilot.mouse_down("#catalog", offset=(5, 1))
        await pilot.hover("#catalog", offset=(20, 1))
        await pilot.hover("#steps", offset=(8, 1))
        steps = screen.query_one(StepList)
        assert steps.row_count == 4  # the ghost row shows where it lands
        await pilot.mouse_up("#steps", offset=(8, 1))
        assert steps_of(screen) == ["cat", dragged.id, "cow", "childs-pose"]
        assert steps.row_count == 4


async def test_move_a_step_by_keyboard():
    slug = saved_routine("Keys", "cat", "cow", "childs-pose")
    app = BackTUI(locations.routines_dir() / f"{slug}.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.query_one(StepList).focus()
        await pilot.press("shift+down", "shift+down")
        assert steps_of(screen) == ["cow", "childs-pose", "cat"]
        await pilot.press("shift+up")
        assert steps_of(screen) == ["cow", "cat", "childs-pose"]


async def test_balance_warning_appears_and_the_fix_clears_it():
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        bar = screen.query_one("#balance")
        await pilot.press("slash", *"superman", "enter")
        assert steps_of(screen) == ["superman"]
        assert bar.has_class("-warning")
        assert "Superman" in str(bar.render())
        await pilot.press("escape")
        screen.query_one(StepList).focus()
        await pilot.press("f")
        assert steps_of(screen) == ["superman", "childs-pose"]
        assert not bar.has_class("-warning") and bar.has_class("-balanced")
        assert "Balanced" in str(bar.render())


async def test_the_dose_form_refuses_out_of_range_values():
    slug = saved_routine("Dose", "superman", "childs-pose")
    app = BackTUI(locations.routines_dir() / f"{slug}.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.query_one(StepList).focus()
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, DoseForm)
        form.query_one("#field-reps", Input).value = "500"
        form.query_one("#field-hold_s", Input).value = "4"
        await pilot.press("ctrl+s")
        assert app.screen is form
        assert "1–100" in str(form.query_one("#error-reps").render())
        form.query_one("#field-reps", Input).value = "12"
        await pilot.press("ctrl+s")
        assert app.screen is screen
        assert screen.routine.steps[0] == Step("superman", reps=12, hold_s=4)


async def test_keys_typed_ahead_of_the_dose_form_land_in_its_fields():
    """Over SSH `e12<tab>5<enter>` can come in one read: each key where it was aimed."""
    from textual import events

    slug = saved_routine("Typed ahead", "superman", "childs-pose")
    app = BackTUI(locations.routines_dir() / f"{slug}.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.query_one(StepList).focus()
        await pilot.pause()
        # All at once, with no pause between them, as a terminal read delivers them.
        for key, character in [("e", "e"), ("1", "1"), ("2", "2"), ("tab", "\t"), ("5", "5")]:
            app.post_message(events.Key(key, character))
        await settled(
            pilot,
            lambda: (
                isinstance(app.screen, DoseForm)
                and app.screen.query_one("#field-hold_s", Input).value == "5"
            ),
        )
        form = app.screen
        assert isinstance(form, DoseForm)
        assert form.query_one("#field-reps", Input).value == "12"
        assert form.query_one("#field-hold_s", Input).value == "5"
        assert form.focused is form.query_one("#field-hold_s")
        await pilot.press("enter")
        assert app.screen is screen
        assert screen.routine.steps[0] == Step("superman", reps=12, hold_s=5)
        # The same through the Pilot, several keys in one call. Shift+Tab goes back,
        # and a field reached by Tab has its text selected: typing replaces it.
        await pilot.press("down", "e", "3", "0", "tab", "4", "shift+tab", "5")
        form = app.screen
        assert form.query_one("#field-reps", Input).value == "5"
        assert form.query_one("#field-hold_s", Input).value == "4"


async def test_undo_and_redo_every_edit():
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("a", "down", "a")
        two = steps_of(screen)
        await pilot.press("u")
        assert len(steps_of(screen)) == 1
        await pilot.press("u")
        assert steps_of(screen) == [] and not screen.history.dirty
        await pilot.press("U")
        await pilot.press("U")
        assert steps_of(screen) == two


async def test_save_writes_a_file_the_core_reads_back_equal():
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("slash", *"superman", "enter", "escape")
        screen.query_one(StepList).focus()
        await pilot.press("f", "ctrl+s")
        assert not list(locations.routines_dir().glob("new-routine*"))  # asks first
        await answer_prompt(pilot, "My desk-job back")
        path = locations.routines_dir() / "my-desk-job-back.toml"
        assert path.exists() and screen.routine.name == "My desk-job back"
        assert not screen.history.dirty
        result = read_routine(path, app.catalog)
        assert result.routine == screen.routine


async def test_saving_never_silently_overwrites_a_file_changed_on_disk():
    slug = saved_routine("Shared", "cat", "childs-pose")
    path = locations.routines_dir() / f"{slug}.toml"
    app = BackTUI(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("a")  # an edit here…
        theirs = dumps_routine(Routine("Shared", (Step("cow"), Step("cat"))))
        path.write_text(theirs)  # …while another session saves the same file
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        assert path.read_text() == theirs
        await pilot.click("#choice-copy")
        await pilot.pause()
        assert path.read_text() == theirs
        assert screen.slug == "shared-2"
        assert (locations.routines_dir() / "shared-2.toml").exists()


async def test_a_broken_routine_file_at_startup_is_named_and_left_alone():
    locations.routines_dir().mkdir(parents=True)
    broken = write(locations.routines_dir() / "broken.toml", "schema = 1\nname = [\n")
    saved_routine("Fine", "cat")
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("broken.toml" in m for m in messages)
        await pilot.press("ctrl+o")
        assert "fine" in [o.id for o in app.screen.query_one("#open-list").options]
    assert broken.read_text() == "schema = 1\nname = [\n"


async def test_quitting_with_unsaved_work_asks_first():
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", "ctrl+q")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, BuilderScreen)


async def test_hostile_names_are_shown_as_plain_text():
    locations.routines_dir().mkdir(parents=True)
    write(
        locations.routines_dir() / "evil.toml",
        'schema = 1\nname = "[bold red]x[/] \\u001b[2J"\n[[steps]]\nexercise = "cat"\nnote = "[link=x]y"\n',
    )
    app = BackTUI(locations.routines_dir() / "evil.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        title = str(app.screen.query_one("#title").render())
        assert "[bold red]x[/]" in title and "\x1b" not in title


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_builder_snapshot_with_a_warning(snap_compare, size):
    slug = saved_routine("Morning arch", "cat-cow", "childs-pose", "superman", "side-leg-raise")
    app = BackTUI(locations.routines_dir() / f"{slug}.toml")
    assert snap_compare(app, terminal_size=size)


def long_named_routine() -> str:
    """A routine whose step names fill the routine pane at 80 columns."""
    write(
        locations.routines_dir() / "long-names.toml",
        dumps_routine(
            Routine(
                "Long names",
                (
                    Step("knee-to-chest-hip-stretch"),
                    Step("downward-dog-pedal"),
                    Step("cat-cow"),
                    Step("superman", sets=2),
                ),
            )
        ),
    )
    return "long-names"


def row_text(steps: StepList, row: int) -> str:
    return "".join(segment.text for segment in steps.render_line(row))


async def test_a_step_row_keeps_the_whole_name_and_shortens_the_dose():
    slug = long_named_routine()
    app = BackTUI(locations.routines_dir() / f"{slug}.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        steps = app.screen.query_one(StepList)
        width = steps.scrollable_content_region.width
        rows = [row_text(steps, row) for row in range(4)]
        assert all(len(row) == width for row in rows)
        # The name whole, the dose short ("10s each side" would not leave it room).
        assert rows[0] == f"1 (½ Knee to chest with hip stretch{'10s':>{width - 35}}"
        # Markers stay readable without colour: number, spine, the unbalanced `!`.
        assert rows[3].startswith("4 )  Superman ") and rows[3].endswith(" 2 sets of 10×5s !")
        # A name too long even beside the short dose is cut with an ellipsis.
        assert rows[1] == "2 (  Downward dog, pedalling the… 6×10s"
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert "Knee to chest with hip stretch" in row_text(steps, 0)
        assert row_text(steps, 0).endswith(" 10s each side")


def test_builder_snapshot_a_long_name_shown_whole(snap_compare):
    slug = long_named_routine()
    app = BackTUI(locations.routines_dir() / f"{slug}.toml")
    assert snap_compare(app, terminal_size=(80, 24))


async def test_an_open_filter_has_a_border_and_whole_options():
    from textual.widgets import Select
    from textual.widgets._select import SelectOverlay

    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        for selector in ("#filter-category", "#filter-spine", "#filter-position"):
            await pilot.click(selector)
            select = app.screen.query_one(selector, Select)
            overlay = select.query_one(SelectOverlay)
            assert select.expanded and overlay.display
            # A line border, drawn with characters: it shows without colour too.
            assert {edge for edge, _ in overlay.styles.border} == {"round"}
            # Every option on one line: "strengthening" is not folded in two.
            assert overlay.content_region.width >= max(
                len(str(overlay.get_option_at_index(i).prompt)) for i in range(overlay.option_count)
            )
            await pilot.press("escape")
            assert not select.expanded


def test_builder_snapshot_with_a_filter_open(snap_compare):
    async def open_the_category_filter(pilot):
        await pilot.click("#filter-category")

    assert snap_compare(BackTUI(), terminal_size=(80, 24), run_before=open_the_category_filter)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_a_notification_wraps_between_words_and_breaks_a_path_after_a_slash(size):
    from textual.widgets._toast import Toast

    path = "/home/someone/.config/backtui/routines/a-long-folder-name/morning-reset.toml"
    message = (
        "Could not save the routine because its folder cannot be written to: "
        f"{path} — check who owns it and try again [b]please[/b]."
    )
    app = BackTUI()
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.pause()
        app.screen.notify(message, timeout=30)
        await pilot.pause()
        toast = app.screen.query_one(Toast)
        lines = [toast.render_line(y).text.strip() for y in range(toast.size.height)]
        lines = [line for line in lines if line]
        assert len(lines) > 3
        shown = " ".join(lines)
        assert "[b]please[/b]" in shown  # plain text: markup is shown, not obeyed
        position = 0
        for line in lines[:-1]:
            position = message.index(line, position) + len(line)
            # A line ends between two words, or a path after one of its folders.
            assert message[position] == " " or line.endswith("/"), (line, lines)


async def test_help_screen_and_the_app_commands_in_the_palette():
    from backtui.tui.screens.help import HelpScreen

    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "not medical advice" in str(app.screen.query_one("Static").render())
        await pilot.press("escape")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Save as", "Rename", "Delete routine", "Import", "Export", "Fix balance"):
            assert title in titles


async def test_open_rename_and_delete_a_saved_routine():
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("ctrl+o", *"quick", "enter")
        assert screen.slug == "quick-relief" and not screen.history.dirty
        await pilot.press("f2", "ctrl+u", *"Calm down", "enter")
        # The file follows the name, so `backtui run calm-down` finds it.
        assert screen.routine.name == "Calm down" and not screen.history.dirty
        assert screen.slug == "calm-down"
        assert not (locations.routines_dir() / "quick-relief.toml").exists()
        assert "Calm down" in (locations.routines_dir() / "calm-down.toml").read_text()
        screen.action_delete()
        await pilot.pause()
        await pilot.click("#choice-delete")
        assert not (locations.routines_dir() / "calm-down.toml").exists()
        assert screen.slug is None and screen.routine.steps == ()


async def test_export_and_import_through_the_palette_actions(tmp_path):
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await open_morning_and_ask_to_export(pilot, screen)
        target = tmp_path / "shared.toml"
        await answer_prompt(pilot, str(target))
        assert read_routine(target, app.catalog).routine == screen.routine
        screen.action_open_file()  # to look at: nothing saved
        await pilot.pause()
        await answer_prompt(pilot, str(target))
        assert screen.slug is None and screen.source == target
        assert not (locations.routines_dir() / "morning-2.toml").exists()
        await pilot.press("ctrl+s")  # an opened file keeps its name: no question
        assert screen.slug == "morning-2"
        assert target.read_text() == dumps_routine(screen.routine)


async def test_import_saves_into_the_routines_folder_as_the_command_line_does(tmp_path):
    target = write(
        tmp_path / "from-a-friend.toml",
        dumps_routine(Routine("Friendly", (Step("cat-cow"), Step("childs-pose")))),
    )
    before = target.read_bytes()
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.action_import()
        await pilot.pause()
        await answer_prompt(pilot, str(target))
        assert screen.slug == "friendly" and not screen.history.dirty
        assert (locations.routines_dir() / "friendly.toml").exists()
        assert target.read_bytes() == before  # the source is only read


async def test_export_shows_the_full_path_in_the_home_folder_before_writing():
    from pathlib import Path

    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await open_morning_and_ask_to_export(pilot, screen)
        box = app.screen.query_one(Input)
        assert box.value == str(Path.home() / "morning.toml")  # the default, in full
        await answer_prompt(pilot, "exports")  # a folder under home that doesn't exist yet
        question = app.screen
        assert isinstance(question, ChoiceScreen)
        full = Path.home() / "exports"
        assert str(full) in str(question.question)
        await pilot.press("escape")
        assert not full.exists()


async def test_search_box_hands_over_to_the_list():
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"cat", "down")
        assert isinstance(app.focused, CatalogList)


async def test_letters_arriving_with_the_slash_land_in_the_search_box():
    """Over SSH "/bri" often comes in one read: no letter may reach the list (r runs)."""
    from textual import events

    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        for key, character in [("slash", "/"), ("b", "b"), ("r", "r"), ("i", "i")]:
            app.post_message(events.Key(key, character))
        await settled(pilot, lambda: app.screen.query_one("#search", Input).value == "bri")
        assert app.screen.query_one("#search", Input).value == "bri"
        assert isinstance(app.screen, BuilderScreen)


async def test_a_search_then_down_and_a_in_one_read_adds_the_best_match():
    """Over SSH "/prone press↓a" can come in one read, as a new user typed it."""
    from textual import events

    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        keys = [("slash", "/"), *[(c if c != " " else "space", c) for c in "prone press"]]
        for key, character in [*keys, ("down", None), ("a", "a")]:
            app.post_message(events.Key(key, character))
        await settled(pilot, lambda: bool(app.screen.routine.steps))
        assert [s.exercise for s in app.screen.routine.steps] == ["prone-press-up"]


async def test_markup_in_file_text_never_crashes_notifications(tmp_path):
    bad = write(
        tmp_path / "f[/]x.toml",
        "schema = 1\nname = 'x'\n[[steps]]\nexercise = 'cat'\nhold_s = '[/]'\n",
    )
    app = BackTUI(bad)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert any("[/]" in n.message for n in app._notifications)
        assert app.is_running


async def test_ctrl_q_over_a_dialog_still_protects_unsaved_work():
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", "question_mark")
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ChoiceScreen) and app.is_running


async def test_export_asks_before_replacing_a_file(tmp_path):
    target = write(tmp_path / "taken.toml", "keep me")
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await open_morning_and_ask_to_export(pilot, screen)
        await answer_prompt(pilot, str(target))
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.click("#choice-keep")
        assert target.read_text() == "keep me"


async def test_a_failed_save_as_keeps_the_link_to_the_file_and_shows_the_name():
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("ctrl+n")
        screen.action_save_as()
        await pilot.pause()
        await pilot.press("ctrl+u", *"Other", "enter")
        assert screen.routine.name == "Other"
        assert "Other" in str(screen.query_one("#title").render())
        assert not list(locations.routines_dir().glob("other*.toml"))


async def test_new_routine_is_not_marked_unsaved():
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o", *"morning", "enter", "ctrl+n")
        assert "●" not in str(app.screen.query_one("#title").render())


async def test_delete_refuses_a_file_changed_on_disk():
    slug = saved_routine("Gone", "cat")
    path = locations.routines_dir() / f"{slug}.toml"
    app = BackTUI(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        path.write_text(path.read_text() + "\n# changed elsewhere\n")
        app.screen.action_delete()
        await pilot.pause()
        assert isinstance(app.screen, BuilderScreen) and path.exists()


async def test_a_drop_that_changes_nothing_ends_its_preview():
    slug = saved_routine("Twins", "cat", "cat")
    app = BackTUI(locations.routines_dir() / f"{slug}.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        steps = app.screen.query_one(StepList)
        await pilot.mouse_down("#steps", offset=(8, 0))
        await pilot.hover("#steps", offset=(8, 1))
        await pilot.mouse_up("#steps", offset=(8, 1))
        await pilot.pause()
        assert steps._moving is None and not app.screen.history.dirty


async def test_a_broken_settings_file_is_never_rewritten():
    config = write(locations.config_file(), "theme = 'daylight'\nbell = 'loud'  # mine\n")
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "calm-night"
        await pilot.pause()
    assert config.read_text() == "theme = 'daylight'\nbell = 'loud'  # mine\n"


async def test_drag_from_the_catalogue_scrolls_a_long_routine_at_the_edge():
    slug = saved_routine("Long", *["cat"] * 60)
    app = BackTUI(locations.routines_dir() / f"{slug}.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        steps = app.screen.query_one(StepList)
        bottom = steps.content_region.height - 1
        await pilot.mouse_down("#catalog", offset=(5, 0))
        await pilot.hover("#catalog", offset=(20, 0))
        await pilot.hover("#steps", offset=(8, bottom))
        await pilot.pause(0.5)
        assert steps.scroll_offset.y > 0
        await pilot.mouse_up("#steps", offset=(8, bottom))
        assert len(app.screen.routine.steps) == 61


async def test_moves_carried_in_a_shared_file_appear_in_the_catalogue(tmp_path):
    shared = write(
        tmp_path / "shared.toml",
        "schema = 1\nname = 'Shared'\n[[steps]]\nexercise = 'wall-lean'\n"
        "[exercises.wall-lean]\nname = 'Wall lean'\nspine = 'neutral'\ncategory = 'stretch'\n"
        "position = 'standing'\nsteps = ['Lean on a wall.']\n",
    )
    app = BackTUI(shared)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"wall", "enter")
        assert steps_of(app.screen) == ["wall-lean", "wall-lean"]
        await pilot.press("ctrl+n")
        await pilot.click("#choice-discard")
        assert "wall-lean" not in [e.id for e in app.screen.query_one(CatalogList).exercises]


async def test_an_empty_search_says_so():
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"zzzz")
        listing = app.screen.query_one(CatalogList)
        assert listing.row_count == 0
        assert "No exercise matches" in "".join(s.text for s in listing.render_line(0))


async def test_the_detail_follows_the_focused_pane_and_scrolls_by_keyboard():
    from backtui.tui.widgets.exercise_detail import ExerciseDetail

    slug = saved_routine("Detail", "bridge", "childs-pose")
    app = BackTUI(locations.routines_dir() / f"{slug}.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        detail = screen.query_one(ExerciseDetail)
        catalog = screen.query_one(CatalogList)
        await pilot.pause(0.2)
        assert detail.shown is catalog.highlighted  # the catalogue's move
        screen.query_one(StepList).focus()
        await pilot.pause()
        assert isinstance(detail.shown, tuple) and detail.shown[2].exercise == "bridge"
        assert "Step 1 of 2" in detail._text.plain
        await pilot.press("down")
        assert detail.shown[2].exercise == "childs-pose"
        await pilot.press("e", "ctrl+u")  # the dose form: a note shows in the detail
        app.screen.query_one("#field-note", Input).value = "Knees wide."
        await pilot.press("ctrl+s")
        assert "Your note: Knees wide." in detail._text.plain
        await pilot.press("i")
        assert app.focused is detail
        assert detail.shown[2].exercise == "childs-pose"  # focusing it keeps what it shows
        await pilot.press("pagedown")
        assert detail.scroll_offset.y > 0
        await pilot.press("escape")
        assert isinstance(app.focused, StepList)
        await pilot.press("tab")  # the detail is not in the way between the panes
        assert isinstance(app.focused, Input)  # the search box
        await pilot.press("shift+tab")
        assert isinstance(app.focused, StepList)
        catalog.focus()
        await pilot.pause()
        assert detail.shown is catalog.highlighted


async def test_a_step_swaps_for_its_easier_or_harder_version():
    slug = saved_routine("Swap", "bridge", "childs-pose")
    app = BackTUI(locations.routines_dir() / f"{slug}.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.edit(screen.routine.replaced(0, Step("bridge", reps=12, sets=2)), "dose")
        screen.query_one(StepList).focus()
        await pilot.press("greater_than_sign")
        assert screen.routine.steps[0] == Step("bridge-hold", sets=2)
        await pilot.press("less_than_sign")
        assert screen.routine.steps[0].exercise == "bridge"
        await pilot.press("less_than_sign")  # one easier move: pelvic tilt
        assert screen.routine.steps[0].exercise == "pelvic-tilt"
        await pilot.press("less_than_sign")  # two: the question names both
        question = app.screen
        assert isinstance(question, ChoiceScreen)
        await pilot.click("#choice-glute-squeeze")
        await pilot.pause()
        assert screen.routine.steps[0].exercise == "glute-squeeze"
        await pilot.press("u")
        assert screen.routine.steps[0].exercise == "pelvic-tilt"


async def test_the_routine_form_edits_name_description_and_breath_within_the_file_ranges():
    from textual.widgets import TextArea

    from backtui.core.model import Breath

    slug = saved_routine("Plain", "cat-cow", "childs-pose")
    app = BackTUI(locations.routines_dir() / f"{slug}.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("f2")
        form = app.screen
        form.query_one("#field-description", TextArea).text = "For stiff\x1b[31m mornings."
        form.query_one("#field-inhale_s", Input).value = "30"  # over the file's 1–15
        await pilot.press("ctrl+s")
        assert app.screen is form and "1–15" in str(form.query_one("#error-inhale_s").render())
        form.query_one("#field-inhale_s", Input).value = "5"
        form.query_one("#field-name", Input).value = "Evening"
        await pilot.press("ctrl+s")
        assert app.screen is screen
        routine = screen.routine
        assert routine.description == "For stiff[31m mornings."  # no control characters
        assert routine.breath == Breath(5, 6)
        assert routine.name == "Evening" and screen.slug == "evening"
        about = str(screen.query_one("#about").render())
        assert "5 s in, 6 s out" in about and "For stiff" in about
        await pilot.press("ctrl+s")
        saved = read_routine(locations.routines_dir() / "evening.toml", app.catalog).routine
        assert saved == routine


async def test_a_first_run_welcomes_with_the_starters_a_number_away(snap_compare):
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        welcome = screen.query_one("#welcome")
        assert welcome.display and screen.query_one("#routine-pane").has_class("-welcome")
        text = str(welcome.render())
        assert "Cat-cow flow" in text and "^q quit" in text and "? keys" in text
        names = [item.name for item in welcome.starters]
        await pilot.press("2")
        assert screen.routine.name == names[1] and screen.slug is not None
        assert not welcome.display
        await pilot.press("ctrl+n")  # nothing open again: the welcome is back
        assert welcome.display
        await pilot.press("slash", "1")  # typed into the search box, not a starter
        assert screen.slug is None


async def test_quit_is_in_the_footer():
    app = BackTUI()
    async with app.run_test(size=(80, 24)):
        keys = [k for k, b in app.screen.active_bindings.items() if b.binding.show]
        assert "ctrl+q" in keys


def test_builder_snapshot_of_the_first_run_welcome(snap_compare):
    assert snap_compare(BackTUI(), terminal_size=(80, 24))


def test_builder_snapshot_of_the_detail_showing_the_selected_step(snap_compare):
    slug = saved_routine("Detail", "bridge", "childs-pose")

    async def select_a_step(pilot):
        screen = pilot.app.screen
        screen.edit(
            screen.routine.replaced(1, Step("childs-pose", hold_s=45, note="Knees wide.")), "dose"
        )
        screen.query_one(StepList).focus()
        await pilot.press("down")
        await pilot.pause()

    app = BackTUI(locations.routines_dir() / f"{slug}.toml")
    assert snap_compare(app, terminal_size=(80, 24), run_before=select_a_step)


async def test_after_a_rename_the_command_line_finds_the_routine_by_its_new_name(capsys):
    from backtui.cli import main

    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("a", "ctrl+s")
        await answer_prompt(pilot, "My desk-job back")
        await pilot.press("f2", "ctrl+u", *"Evening", "enter")
        assert screen.slug == "evening"
    capsys.readouterr()
    assert main(["plan", "Evening"]) == 0  # by name
    assert main(["plan", "evening"]) == 0  # by slug
    assert "Evening" in capsys.readouterr().out


async def test_no_edit_makes_a_routine_the_file_format_refuses():
    """At 500 steps, add, duplicate, fix and drop all say no; what is saved reads back."""
    from backtui.core import model
    from backtui.core.store import slugify

    full = Routine("Full", tuple(Step("superman") for _ in range(model.MAX_STEPS)))
    write(locations.routines_dir() / "full.toml", dumps_routine(full))
    app = BackTUI(locations.routines_dir() / f"{slugify('Full')}.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.query_one(StepList).focus()
        await pilot.press("d", "f")
        screen.query_one(CatalogList).focus()
        await pilot.press("a")
        assert len(screen.routine.steps) == model.MAX_STEPS and not screen.history.dirty
        assert any("at most 500 steps" in n.message for n in app._notifications)
        screen.query_one(StepList).focus()
        await pilot.press("x", "f")  # room for one: the fix fits
        assert len(screen.routine.steps) == model.MAX_STEPS
        await pilot.press("ctrl+s")
    assert read_routine(locations.routines_dir() / "full.toml", app.catalog).routine is not None
