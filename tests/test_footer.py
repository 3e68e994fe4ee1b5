"""The Footer: keys updated in place when they change, one frame a focus change,
and nothing kept alive."""

from __future__ import annotations

import gc

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets._footer import FooterKey

from backtui.tui.app import BackTUI
from backtui.tui.textual_internals import watcher_count
from backtui.tui.widgets.footer import BindingsFooter
from helpers import count_frames


def shown(footer: BindingsFooter) -> dict[str, str]:
    return {key.description: key.key_display for key in footer.shown_keys}


def live_footer_keys() -> int:
    gc.collect()
    return sum(isinstance(o, FooterKey) for o in gc.get_objects())


async def test_a_focus_change_that_keeps_the_keys_does_not_touch_them():
    app = BackTUI()
    async with app.run_test(size=(100, 30)) as pilot:
        footer = app.screen.query_one(BindingsFooter)
        await pilot.press("slash", "tab")  # the search box, then the first filter
        await pilot.pause()
        assert app.focused.id == "filter-category"
        keys = list(footer.query(FooterKey))
        before = footer.updates
        await pilot.press("tab")  # the next filter: the same keys
        await pilot.pause()
        assert app.focused.id == "filter-spine"
        assert footer.updates == before
        assert list(footer.query(FooterKey)) == keys  # the very same widgets


async def test_a_focus_change_that_changes_the_keys_shows_the_new_ones_in_the_same_widgets():
    app = BackTUI()
    async with app.run_test(size=(100, 30)) as pilot:
        footer = app.screen.query_one(BindingsFooter)
        await pilot.pause()
        assert "Add" in shown(footer) and "Dose" not in shown(footer)
        await pilot.press("tab", "tab", "escape")  # the routine, the search box, the list
        await pilot.pause()
        keys = list(footer.query(FooterKey))
        await pilot.press("tab")  # the catalogue to the routine
        await pilot.pause()
        assert "Dose" in shown(footer) and "Add" not in shown(footer)
        assert shown(footer)["Move"] == "⇧↑↓"
        await pilot.press("tab", "escape")  # the search box, and back to the list
        await pilot.pause()
        assert "Add" in shown(footer) and "Dose" not in shown(footer)
        assert list(footer.query(FooterKey)) == keys  # updated, none mounted or removed
        assert all(key.has_class("-compact") for key in keys)
        footer.compact = False
        assert not any(key.has_class("-compact") for key in keys)
        assert [key.description for key in footer.shown_keys][-2:] == ["Quit", "palette"]


async def test_a_focus_change_is_one_frame_that_repaints_only_what_changed():
    from textual._compositor import LayoutUpdate

    app = BackTUI()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("tab", "tab", "escape")  # every key the builder shows, mounted once
        await pilot.pause()
        frames = count_frames(app)
        for key, focused in [
            ("tab", "steps"),  # new keys
            ("tab", "search"),  # new keys
            ("tab", "filter-category"),  # new keys
            ("tab", "filter-spine"),  # the same keys
            ("slash", "search"),  # new keys
            ("escape", "catalog"),  # new keys
        ]:
            frames.clear()
            await pilot.press(key)
            await pilot.pause()
            assert app.focused.id == focused
            assert len(frames) == 1, (key, focused, frames)
            assert not isinstance(frames[0], LayoutUpdate)  # not the whole screen


async def test_focus_changes_leave_no_footer_keys_or_watchers_behind():
    app = BackTUI()
    async with app.run_test(size=(100, 30)) as pilot:
        footer = app.screen.query_one(BindingsFooter)
        await pilot.press("tab", "tab", "escape")
        await pilot.pause()
        keys, footer_watchers, app_watchers = (
            live_footer_keys(),
            watcher_count(footer),
            watcher_count(app),
        )
        children = list(footer.children)
        before = footer.updates
        for _ in range(12):  # catalogue, routine, search box, back: 36 focus changes
            await pilot.press("tab", "tab", "escape")
        await pilot.pause()
        assert footer.updates >= before + 24  # the keys changed, many times
        assert list(footer.children) == children
        assert live_footer_keys() <= keys
        assert watcher_count(footer) == footer_watchers == 0
        assert watcher_count(app) <= app_watchers


class Toggles(App[None]):
    """A binding that is shown but disabled while `ready` is False."""

    BINDINGS = [Binding("a", "go", "Go"), Binding("b", "bell", "Bell")]

    def __init__(self) -> None:
        super().__init__()
        self.ready = False
        self.went = 0
        self.rang = 0

    def compose(self) -> ComposeResult:
        yield BindingsFooter(show_command_palette=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go" and not self.ready:
            return None  # shown, disabled
        return True

    def action_go(self) -> None:
        self.went += 1

    def bell(self) -> None:
        self.rang += 1


async def test_a_key_disabled_then_enabled_in_place_dims_and_clicks_as_it_should():
    app = Toggles()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.screen.query_one(BindingsFooter)
        go = footer.shown_keys[0]
        assert go.description == "Go" and go.has_class("-disabled")
        await pilot.click(go)
        assert (app.went, app.rang) == (0, 1)
        app.ready = True
        app.screen.refresh_bindings()
        await pilot.pause()
        assert footer.shown_keys[0] is go and not go.has_class("-disabled")
        await pilot.click(go)
        await pilot.pause()
        assert (app.went, app.rang) == (1, 1)


async def test_tab_between_the_fields_of_a_dialog_repaints_the_fields_not_the_screen():
    from textual._compositor import LayoutUpdate
    from textual.widgets import Input

    from backtui.tui.screens.dose_form import DoseForm
    from backtui.tui.widgets.step_list import StepList

    app = BackTUI()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")  # a step to dose
        app.screen.query_one(StepList).focus()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, DoseForm)
        frames = count_frames(app)
        for _ in range(3):
            frames.clear()
            before = app.focused
            await pilot.press("tab")
            await pilot.pause()
            assert app.focused is not before and isinstance(before, Input)
            # Partial frames only; the form's help for the field (spec_form.py) is
            # laid out after the fields are drawn, so this is not one frame yet.
            assert frames and not any(isinstance(frame, LayoutUpdate) for frame in frames)
