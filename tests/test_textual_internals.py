"""What backtui assumes of Textual's insides (tui/textual_internals.py) still holds.

If a Textual upgrade fails here, read the module's docstring before changing
anything: each assumption is there to keep a keystroke from repainting the screen.
"""

from __future__ import annotations

import asyncio

import pytest
from textual.reactive import Reactive
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.widget import Widget
from textual.widgets import Input

from backtui.tui.app import BackTUI
from backtui.tui.textual_internals import SteadyScrollbars
from backtui.tui.widgets.catalog_list import CatalogList
from backtui.tui.widgets.exercise_detail import ExerciseDetail
from backtui.tui.widgets.row_list import RowList
from backtui.tui.widgets.search_box import SearchBox
from backtui.tui.widgets.step_list import StepList


def test_the_reactives_we_redeclare_or_bypass_are_where_we_expect():
    size = Widget.__dict__["virtual_size"]
    assert isinstance(size, Reactive) and size._layout  # why SearchBox redeclares it
    assert "virtual_size" not in Input.__dict__  # Input inherits the layout reactive
    assert isinstance(ScrollView.virtual_size, Reactive)
    for name in ("window_virtual_size", "window_size"):
        assert isinstance(ScrollBar.__dict__[name], Reactive)
    assert not SearchBox.__dict__["virtual_size"]._layout


@pytest.fixture
def layouts(monkeypatch):
    """Count full layouts of a screen."""
    calls: list[Screen] = []
    original = Screen._refresh_layout

    def counting(self, *args, **kwargs):
        calls.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counting)
    return calls


async def test_a_new_row_count_moves_the_scrollbar_without_a_layout(layouts):
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        steps = app.screen.query_one(StepList)
        catalog = app.screen.query_one(CatalogList)
        catalog.post_message(CatalogList.Chosen(catalog.exercises[0]))  # past the welcome
        await pilot.pause()
        await asyncio.sleep(0.3)  # past start-up's late layouts (the detail's delay)
        await pilot.pause()
        height = steps.scrollable_content_region.height
        layouts.clear()
        for _ in range(3 * height - 1):
            catalog.post_message(CatalogList.Chosen(catalog.exercises[0]))
        await pilot.pause()
        assert steps.row_count == 3 * height
        assert steps.vertical_scrollbar.window_virtual_size == 3 * height
        assert steps.max_scroll_y == 3 * height - height
        assert layouts == []


async def test_typing_in_the_search_box_lays_nothing_out(layouts):
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        layouts.clear()
        await pilot.press(*"child")
        assert app.screen.query_one(SearchBox).value == "child"
        assert layouts == []


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (60, 20)])
async def test_no_list_or_pane_calls_for_a_horizontal_scrollbar(size):
    app = BackTUI()
    async with app.run_test(size=size) as pilot:
        await pilot.press("a", "a")
        await pilot.pause()
        views = [*app.screen.query(RowList), app.screen.query_one(ExerciseDetail)]
        assert len(views) == 3
        for view in views:
            assert not view.show_horizontal_scrollbar, view
            if view.display:  # a hidden pane (the detail when narrow) keeps its last width
                assert view.virtual_size.width <= view.scrollable_content_region.width, view


async def test_the_no_color_filter_follows_the_theme(monkeypatch):
    from textual.filter import Monochrome, NoColor

    monkeypatch.setenv("NO_COLOR", "1")
    app = BackTUI()

    def kinds() -> list[type]:
        return [type(f) for f in app._filters if isinstance(f, NoColor | Monochrome)]

    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color and kinds() == [Monochrome]  # an RGB theme: greys
        app.theme = "terminal"
        await pilot.pause()
        assert kinds() == [NoColor]  # ANSI colours: the terminal's own, not black on black
        app.theme = "daylight"
        await pilot.pause()
        assert kinds() == [Monochrome]


async def test_textuals_footer_still_binds_each_key_to_itself_for_good():
    """Why BindingsFooter makes its own keys and binds nothing: with Textual's
    Footer, every rebuild leaves one watcher per key on the Footer (textual#6666)."""
    from textual.app import App
    from textual.widgets import Footer

    from backtui.tui.textual_internals import watcher_count

    class Plain(App[None]):
        BINDINGS = [("a", "bell", "A"), ("b", "bell", "B")]

        def compose(self):
            yield Footer()

    app = Plain()
    async with app.run_test() as pilot:
        footer = app.screen.query_one(Footer)
        await pilot.pause()
        assert watcher_count(footer) > 0
        before = watcher_count(footer)
        app.screen.refresh_bindings()  # the Footer rebuilds its keys
        await pilot.pause()
        assert watcher_count(footer) > before  # the old keys' watchers stay


def test_what_the_footer_keys_lean_on_is_where_we_expect():
    import inspect

    from textual.widgets._footer import FooterKey

    from backtui.tui.textual_internals import SteadyFooterKey, set_footer_key_disabled

    key = FooterKey("a", "a", "A", "bell", disabled=True)
    assert key._disabled  # FooterKey keeps it there, and reads it when clicked
    assert "self._disabled" in inspect.getsource(FooterKey.on_mouse_down)
    set_footer_key_disabled(key, False)
    assert not key._disabled
    # A layout sets the `virtual_size` reactive (which lays out again) unless told not to.
    assert "layout" in inspect.signature(Widget._size_updated).parameters
    assert "self.virtual_size = virtual_size" in inspect.getsource(Widget._size_updated)
    assert "_size_updated" in SteadyFooterKey.__dict__


async def test_a_footer_key_that_changes_width_lays_the_screen_out_once(layouts):
    from backtui.tui.widgets.footer import BindingsFooter

    app = BackTUI()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("tab", "tab", "escape")  # every key mounted once
        await pilot.pause()
        footer = app.screen.query_one(BindingsFooter)
        widths = [key.size.width for key in footer.shown_keys]
        layouts.clear()
        await pilot.press("tab")  # the routine: other keys, other widths
        await pilot.pause()
        assert [key.size.width for key in footer.shown_keys] != widths
        assert len(layouts) == 1


def test_what_the_steady_scrollbars_lean_on_is_where_we_expect():
    import inspect

    # A layout hands a Line API view its region's size as its virtual size, and
    # the view then updates (and repaints) its scrollbars.
    source = inspect.getsource(ScrollView._size_updated)
    assert "virtual_size != self.virtual_size" in source and "_scroll_update" in source
    assert issubclass(RowList, SteadyScrollbars) and issubclass(ExerciseDetail, SteadyScrollbars)


async def test_a_layout_that_changes_no_list_leaves_the_scrollbars_alone(monkeypatch):
    refreshed: list[Widget] = []
    original = ScrollBar.refresh

    def counting(self, *args, **kwargs):
        refreshed.append(self.parent)
        return original(self, *args, **kwargs)

    app = BackTUI()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(ScrollBar, "refresh", counting)
        app.screen.query_one("#title").refresh(layout=True)
        await pilot.pause()
        assert refreshed == []
        app.screen.query_one(CatalogList).styles.width = 50  # a list's size changes
        await pilot.pause()
        assert app.screen.query_one(CatalogList) in refreshed


def test_the_screen_focus_reactive_we_redeclare_is_where_we_expect():
    from backtui.tui.screens.base import PlainScreen

    focused = Screen.__dict__["focused"]
    assert isinstance(focused, Reactive) and focused._repaint  # why PlainScreen redeclares it
    assert not PlainScreen.__dict__["focused"]._repaint


async def test_a_focus_change_repaints_the_widgets_it_changes_not_the_screen(monkeypatch):
    from textual._compositor import LayoutUpdate

    from helpers import count_frames

    app = BackTUI()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", "tab")  # the first filter
        await pilot.pause()
        frames = count_frames(app)
        await pilot.press("tab")  # the next filter
        await pilot.pause()
        assert app.focused.id == "filter-spine"
        assert frames and not any(isinstance(frame, LayoutUpdate) for frame in frames)


async def test_a_focus_change_waits_for_every_widget_then_draws_once():
    from textual.widgets import Input

    from backtui.tui.textual_internals import SETTLE_ROUNDS, _busy

    app = BackTUI()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        widget = app.screen.query_one(Input)
        for name in ("_is_mounted", "_repaint_required", "_layout_required", "_next_callbacks"):
            assert hasattr(widget, name), name
        assert widget._message_queue.empty() and not _busy(widget)
        widget.refresh()
        assert _busy(widget)
        await pilot.pause()
        assert not _busy(widget)
        assert SETTLE_ROUNDS >= 5
        # What it is for (one frame a focus change) is in tests/test_footer.py.


async def test_screen_strips_are_the_whole_screen_as_drawn():
    from backtui.tui.textual_internals import screen_strips

    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        strips = screen_strips(app)
        assert len(strips) == 24 and {strip.cell_length for strip in strips} == {80}
        assert "search exercises" in "".join(s.text for s in strips)
