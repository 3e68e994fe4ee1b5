"""Start-up draws the builder once it is complete, not every step of getting there."""

from __future__ import annotations

import asyncio

from textual._compositor import LayoutUpdate
from textual.app import App

from backtui.tui.app import BackTUI
from backtui.tui.widgets.footer import BindingsFooter


async def test_start_up_hands_the_terminal_one_full_frame(monkeypatch):
    # On the class, not `helpers.count_frames`: counted from before the app exists.
    frames: list[object] = []
    display = App._display

    def counting(self, screen, renderable):
        if renderable is not None:
            frames.append(renderable)
        return display(self, screen, renderable)

    monkeypatch.setattr(App, "_display", counting)
    # What is tested is the hold until the keys are shown; the second-at-most
    # fallback would fire first on a machine busy with other tests.
    monkeypatch.setattr("backtui.tui.app.STARTUP_HOLD", 60.0)
    app = BackTUI()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await asyncio.sleep(0.3)  # past the detail's delay and any late repaint
        await pilot.pause()
        assert app.screen.query_one(BindingsFooter).updates == 1
        assert 1 <= len(frames) <= 2, frames
        assert isinstance(frames[0], LayoutUpdate)  # the whole screen, complete
        await pilot.press("tab")  # and frames flow again afterwards
        await pilot.pause()
        assert len(frames) > 1
