"""Every shipped theme stays readable in truecolor, 256 colours, 16 colours and NO_COLOR.

Each screen is rendered once per theme (through the Pilot, the way the terminal
gets it: after Textual's line filters, so NO_COLOR's monochrome is included) and
every cell is then read at each colour depth, its colours downgraded as Rich
downgrades them for the terminal. No character may be drawn in its own
background colour, and what colour shows (the selected row, a warning, the
breath, a pause) is also said with a symbol, a word or a text style.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.color import Color, ColorSystem, ColorType
from rich.style import Style
from textual.app import App
from textual.widget import Widget

from backtui.core import locations
from backtui.core.model import Routine, Step
from backtui.core.routine_file import dumps_routine
from backtui.tui.app import BackTUI
from backtui.tui.textual_internals import screen_strips
from backtui.tui.theming import SHIPPED_THEMES
from backtui.tui.widgets.catalog_list import CatalogList
from backtui.tui.widgets.step_list import StepList
from helpers import FakeClock, look_test_runner, write

DEPTHS = {"truecolor": None, "256": ColorSystem.EIGHT_BIT, "16": ColorSystem.STANDARD}
# Many terminals draw white (7) and bright white (15) nearly alike: in 16 colours
# they count as one. The terminal's own colours ("default") are read for a dark
# and for a light terminal.
SAME_IN_16 = {15: 7}
DEFAULT_FG = {"dark": {7}, "light": {0}}
DEFAULT_BG = {"dark": {0}, "light": {7}}
ARCH = ("cat-cow", "childs-pose", "superman", "side-leg-raise")  # superman is unbalanced


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    char: str
    style: Style


def screen_cells(app: App) -> list[Cell]:
    """What the terminal is sent, cell by cell (the compositor's strips: Textual's insides)."""
    cells = []
    for y, strip in enumerate(screen_strips(app)):
        x = 0
        for segment in strip:
            for char in segment.text:
                cells.append(Cell(x, y, char, segment.style or Style()))
                x += 1
    return cells


def seen(color: Color | None, depth: ColorSystem | None, ground: str, terminal: str) -> set:
    """The colours a cell's foreground or background may be shown in, at this depth."""
    if color is None or color.type is ColorType.DEFAULT:
        return {("ansi", n) for n in (DEFAULT_FG if ground == "fg" else DEFAULT_BG)[terminal]}
    if depth is not None:
        color = color.downgrade(depth)
    if color.type is ColorType.TRUECOLOR:
        assert color.triplet is not None
        return {("rgb", tuple(color.triplet))}
    assert color.number is not None
    if color.type is ColorType.STANDARD or color.number < 16:
        number = color.number
        return {
            ("ansi", SAME_IN_16.get(number, number) if depth is ColorSystem.STANDARD else number)
        }
    return {("256", color.number)}


def unreadable(cells: list[Cell]) -> list[str]:
    """Each character drawn in its own background, at any depth, for a dark or light terminal."""
    found: dict[tuple[str, int], list[Cell]] = {}
    for cell in cells:
        if cell.char.isspace():
            continue
        fg, bg = cell.style.color, cell.style.bgcolor
        if cell.style.reverse:
            fg, bg = bg, fg
        for name, depth in DEPTHS.items():
            for terminal in ("dark", "light"):
                if seen(fg, depth, "fg", terminal) & seen(bg, depth, "bg", terminal):
                    found.setdefault((name, cell.y), []).append(cell)
                    break
    lines = []
    for (name, y), hidden in sorted(found.items()):
        text = "".join(c.char for c in hidden)
        lines.append(f"{name}: row {y}: {text!r} ({hidden[0].style})")
    return lines


def row_text(cells: list[Cell], y: int, widget: Widget | None = None) -> str:
    region = widget.content_region if widget is not None else None
    return "".join(
        c.char for c in cells if c.y == y and (region is None or region.x <= c.x < region.right)
    )


ATTRIBUTES = ("bold", "underline", "reverse")


def row_marks(cells: list[Cell], y: int, widget: Widget) -> set[str]:
    """The text styles every visible character of a list's row has."""
    region = widget.content_region
    row = [c for c in cells if c.y == y and region.x <= c.x < region.right and not c.char.isspace()]
    return {name for name in ATTRIBUTES if row and all(getattr(c.style, name) for c in row)}


def assert_cursor_told_without_colour(cells: list[Cell], rows: StepList | CatalogList) -> None:
    """The list's cursor row has a text style that none of its other rows has."""
    region = rows.content_region
    cursor_y = region.y + rows.cursor - rows.scroll_offset.y
    others = set().union(
        *(row_marks(cells, y, rows) for y in range(region.y, region.bottom) if y != cursor_y)
    )
    marks = row_marks(cells, cursor_y, rows) - others
    assert marks, f"the selected row {row_text(cells, cursor_y, rows)!r} shows by colour alone"


def use_colour(monkeypatch: pytest.MonkeyPatch, no_color: bool) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")  # Textual reads it when the app is made
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)


COLOURS = [False, True]
COLOUR_IDS = ["colour", "NO_COLOR"]


@pytest.mark.parametrize("no_color", COLOURS, ids=COLOUR_IDS)
@pytest.mark.parametrize("theme", SHIPPED_THEMES)
async def test_the_builder_is_readable(theme, no_color, monkeypatch):
    use_colour(monkeypatch, no_color)
    write(locations.config_file(), f'theme = "{theme}"\n')
    path = write(
        locations.routines_dir() / "arch.toml",
        dumps_routine(Routine("Arch", tuple(Step(i) for i in ARCH))),
    )
    app = BackTUI(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == theme
        steps = app.screen.query_one(StepList)
        catalog = app.screen.query_one(CatalogList)
        steps.focus()
        await pilot.press("down", "down")  # superman, the unbalanced step
        catalog.focus()
        await pilot.press("down")
        await pilot.pause()
        cells = screen_cells(app)

        assert unreadable(cells) == [], "\n".join(unreadable(cells))
        # Without colour: the unbalanced step's `!`, the spine markers, both selected rows.
        region = steps.content_region
        rows = [row_text(cells, region.y + i, steps) for i in range(len(ARCH))]
        assert rows[2].startswith("3 )") and rows[2].rstrip().endswith(" !")
        assert [row[2] for row in rows] == ["~", "(", ")", "/"]
        assert not steps.has_focus and catalog.has_focus
        assert_cursor_told_without_colour(cells, steps)
        assert_cursor_told_without_colour(cells, catalog)
        assert "/ search exercises" in row_text(cells, app.screen.query_one("#search").region.y)


PRONE_TO_KNEELING_S = 7


@pytest.mark.parametrize("no_color", COLOURS, ids=COLOUR_IDS)
@pytest.mark.parametrize("theme", SHIPPED_THEMES)
async def test_the_runner_is_readable(theme, no_color, monkeypatch, catalog, tmp_path: Path):
    use_colour(monkeypatch, no_color)
    clock = FakeClock()
    app = look_test_runner(catalog, tmp_path, clock, theme)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == theme
        # Into child's pose's hold, the pacer running; then paused.
        for seconds in (10 + 6 + 5 + PRONE_TO_KNEELING_S + 5.3, 2):
            clock.now += seconds
            app.runner.tick()
            await pilot.pause()
        holding = screen_cells(app)
        await pilot.press("space")
        await pilot.pause()
        paused = screen_cells(app)

    text = "\n".join(row_text(holding, y) for y in range(24))
    assert unreadable(holding) == [], "\n".join(unreadable(holding))
    assert "Child" in text and ("in, nose" in text or "out, lips" in text)
    assert "PAUSED" not in text
    assert unreadable(paused) == [], "\n".join(unreadable(paused))
    assert "PAUSED" in "\n".join(row_text(paused, y) for y in range(24))
