"""Snapshots of the builder and the runner in the light, high-contrast and
terminal (16 ANSI colours) themes, and with NO_COLOR, at 80x24."""

from __future__ import annotations

import pytest

from backtui.core import locations
from backtui.core.model import Routine, Step
from backtui.core.routine_file import dumps_routine
from backtui.tui.app import BackTUI
from backtui.tui.widgets.catalog_list import CatalogList
from backtui.tui.widgets.step_list import StepList
from helpers import FakeClock, look_test_runner, write

# (theme, NO_COLOR): NO_COLOR is shown in the default theme.
LOOKS = {
    "daylight": ("daylight", False),
    "high-contrast": ("high-contrast", False),
    "terminal": ("terminal", False),
    "no-color": ("calm-night", True),
}
PRONE_TO_KNEELING_S = 7


def looking(monkeypatch: pytest.MonkeyPatch, look: str) -> str:
    theme, no_color = LOOKS[look]
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    return theme


@pytest.mark.parametrize("look", LOOKS)
def test_builder_snapshot_in_each_look(snap_compare, monkeypatch, look):
    theme = looking(monkeypatch, look)
    write(locations.config_file(), f'theme = "{theme}"\n')
    steps = ("cat-cow", "childs-pose", "superman", "side-leg-raise")  # superman unbalanced
    path = write(
        locations.routines_dir() / "arch.toml",
        dumps_routine(Routine("Morning arch", tuple(Step(i) for i in steps))),
    )

    async def select_superman_then_the_catalogue(pilot):
        pilot.app.screen.query_one(StepList).focus()
        await pilot.press("down", "down")
        pilot.app.screen.query_one(CatalogList).focus()
        await pilot.press("down")
        await pilot.pause()

    app = BackTUI(path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=select_superman_then_the_catalogue)


@pytest.mark.parametrize("look", LOOKS)
def test_runner_snapshot_in_each_look(snap_compare, monkeypatch, catalog, tmp_path, look):
    theme = looking(monkeypatch, look)
    clock = FakeClock()
    app = look_test_runner(catalog, tmp_path, clock, theme)

    async def into_the_hold(pilot):
        await pilot.pause()
        for seconds in (10 + 6 + 5 + PRONE_TO_KNEELING_S + 5.3, 2):
            clock.now += seconds
            app.runner.tick()
            await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=into_the_hold)
