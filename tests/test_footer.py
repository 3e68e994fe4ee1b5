"""The Footer: rebuilt only when the keys it shows change, and keeping nothing alive."""

from __future__ import annotations

import gc

from textual.widgets._footer import FooterKey

from backtui.tui.app import BackTUI
from backtui.tui.textual_internals import watcher_count
from backtui.tui.widgets.footer import BindingsFooter


def shown(footer: BindingsFooter) -> dict[str, str]:
    return {key.description: key.key_display for key in footer.query(FooterKey)}


def live_footer_keys() -> int:
    gc.collect()
    return sum(isinstance(o, FooterKey) for o in gc.get_objects())


async def test_a_focus_change_that_keeps_the_keys_does_not_rebuild_them():
    app = BackTUI()
    async with app.run_test(size=(100, 30)) as pilot:
        footer = app.screen.query_one(BindingsFooter)
        await pilot.press("slash", "tab")  # the search box, then the first filter
        await pilot.pause()
        assert app.focused.id == "filter-category"
        keys = list(footer.query(FooterKey))
        before = footer.recomposes
        await pilot.press("tab")  # the next filter: the same keys
        await pilot.pause()
        assert app.focused.id == "filter-spine"
        assert footer.recomposes == before
        assert list(footer.query(FooterKey)) == keys  # the very same widgets


async def test_a_focus_change_that_changes_the_keys_shows_the_new_ones():
    app = BackTUI()
    async with app.run_test(size=(100, 30)) as pilot:
        footer = app.screen.query_one(BindingsFooter)
        await pilot.pause()
        assert "Add" in shown(footer) and "Dose" not in shown(footer)
        await pilot.press("tab")  # the catalogue to the routine
        await pilot.pause()
        assert "Dose" in shown(footer) and "Add" not in shown(footer)
        assert shown(footer)["Move"] == "⇧↑↓"
        await pilot.press("tab", "escape")  # the search box, and back to the list
        await pilot.pause()
        assert "Add" in shown(footer) and "Dose" not in shown(footer)
        assert all(key.has_class("-compact") for key in footer.query(FooterKey))


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
        before = footer.recomposes
        for _ in range(20):  # catalogue, routine, search box, back to the catalogue
            await pilot.press("tab", "tab", "escape")
        await pilot.pause()
        assert footer.recomposes >= before + 40  # the keys were rebuilt, many times
        assert live_footer_keys() <= keys
        assert watcher_count(footer) == footer_watchers == 0
        assert watcher_count(app) <= app_watchers
