"""Hostile text from a stranger's file, in the builder and the runner: shown as
text or refused with a located message, never obeyed, never a crash.

Each text goes into every text field a routine file carries (its name,
description, a step's note, and a carried exercise's name, steps, cue and
cautions). Whatever the reader keeps must reach the screen harmlessly: no
control, bidi, zero-width or separator character in any cell.
"""

from __future__ import annotations

import unicodedata

import pytest

from backtui.core import locations
from backtui.core.routine_file import read_routine
from backtui.core.settings import Settings
from backtui.tui.app import BackTUI
from backtui.tui.runner_app import RunnerApp
from backtui.tui.textual_internals import screen_strips
from backtui.tui.widgets.step_list import StepList
from helpers import FakeClock, write

HOSTILE = {
    "csi": "\x1b[31mred\x1b[0m",
    "osc-link": "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07",
    "c1": "\x9b31mcsi",
    "markup": "[bold]b[/bold] [/] [link=https://evil.example]y[/link] [@click=app.quit]q[/]",
    "bidi": "\u202eevil\u202c \u2066iso\u2069",
    "invisible": "zero\u200bwidth\u2028line\u2029para\ufeff",
    "bell-and-del": "bell\x07 del\x7f back\x08",
    "tab-cr": "tab\there\rcarriage",
}


def toml_string(text: str) -> str:
    """A TOML basic string holding `text` exactly (escapes for what TOML forbids raw)."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif unicodedata.category(char) == "Cc" or char == "\x7f":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def hostile_routine(text: str) -> str:
    value = toml_string(text)
    return f"""schema = 1
name = {toml_string("Plain " + text)}
description = {value}

[[steps]]
exercise = "strange-move"
note = {value}

[[steps]]
exercise = "childs-pose"

[exercises.strange-move]
name = {toml_string("Strange " + text)}
spine = "neutral"
category = "stretch"
position = "any"
steps = [{value}, "Then rest."]
cue = {value}
cautions = [{value}]
"""


def screen_text(app) -> str:
    """What the terminal would be sent, as characters (the compositor's strips)."""
    return "\n".join("".join(segment.text for segment in strip) for strip in screen_strips(app))


def assert_harmless(text: str) -> None:
    bad = {
        f"U+{ord(c):04X}"
        for c in text
        if c != "\n" and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")
    }
    assert not bad, bad


@pytest.mark.parametrize("kind", list(HOSTILE))
async def test_the_builder_shows_hostile_text_as_text(kind):
    path = write(locations.routines_dir() / "hostile.toml", hostile_routine(HOSTILE[kind]))
    before = path.read_bytes()
    app = BackTUI(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert_harmless(screen_text(app))
        app.screen.query_one(StepList).focus()  # the detail shows the step: note, steps, cue
        await pilot.pause()
        assert_harmless(screen_text(app))
        for notification in app._notifications:
            assert_harmless(notification.message)
        assert app.is_running
    assert path.read_bytes() == before  # reading never writes


@pytest.mark.parametrize("kind", list(HOSTILE))
async def test_the_runner_shows_hostile_text_as_text(kind, catalog, tmp_path):
    path = write(tmp_path / "hostile.toml", hostile_routine(HOSTILE[kind]))
    result = read_routine(path, catalog)
    if result.routine is None:  # refused, with a located message: nothing to run
        assert result.first_error.startswith(str(path))
        assert_harmless(result.first_error)
        return
    clock = FakeClock()
    app = RunnerApp(
        result.routine,
        catalog,
        key="hostile",
        settings=Settings(bell=False),
        history_path=tmp_path / "history.sqlite3",
        clock=clock,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert_harmless(screen_text(app))  # the get-ready: the move's name and cautions
        clock.advance(11)
        app.runner.tick()
        await pilot.pause()
        assert_harmless(screen_text(app))  # the move: its steps, the note, the cue
        await pilot.press("c")  # the full steps and cautions
        assert_harmless(screen_text(app))
        assert app.is_running
