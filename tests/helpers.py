"""What many tests share: writing files, a fake clock, driving the palette."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backtui.core.model import Category, Exercise, Position, Spine


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


class FakeClock:
    """A monotonic clock that moves only when a test moves it."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# A toy catalogue for the session engine: one exercise per kind of dose.
def exercise(id_, *, sided=False, reps=None, hold_s=None, rest_s=None, spine=Spine.NEUTRAL):
    return Exercise(
        id_,
        id_.title(),
        spine,
        Category.STRETCH,
        Position.ANY,
        (f"First, {id_}.", "Then breathe."),
        sided=sided,
        reps=reps,
        hold_s=hold_s,
        rest_s=rest_s,
    )


HOLD = exercise("hold", hold_s=30, rest_s=10)
SIDED = exercise("sided", sided=True, hold_s=20, rest_s=15)
TIMED_REPS = exercise("timed", reps=5, hold_s=3, rest_s=5)
SELF_PACED = exercise("selfpaced", reps=3)  # reps without a hold: a key per rep
CATALOG = {e.id: e for e in (HOLD, SIDED, TIMED_REPS, SELF_PACED)}


async def run_command(pilot, title: str):
    """Open the command palette and run the command called `title`, as a person would."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    palette._RESULT_BATCH_TIME = 0.0  # type: ignore[misc]  # show results at once, not in 0.25 s batches
    palette.query_one("#--input").value = title
    commands = palette.query_one(CommandList)
    for _ in range(100):
        await pilot.pause(0.01)
        titles = [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]
        matches = [i for i, text in enumerate(titles) if text.split("\n")[0].strip() == title]
        if matches:
            break
    else:
        raise AssertionError(f"no command {title!r} in the palette")
    commands.highlighted = matches[0]
    await pilot.press("enter")
    await pilot.pause()
    assert pilot.app.screen is not palette, f"{title!r} left the palette open"


# CONTRACT §4: the ids shared files rely on, with their spinal direction.
CONTRACT_IDS = {
    "cold-pack": "neutral",
    "therapeutic-breath": "neutral",
    "feet-up-relax": "neutral",
    "pelvic-tilt": "mixed",
    "knees-to-chest": "flexion",
    "knees-to-chest-rock": "flexion",
    "prone-lying": "neutral",
    "prone-on-elbows": "extension",
    "prone-press-up": "extension",
    "back-push-up": "extension",
    "doorway-twist": "rotation",
    "single-knee-to-chest": "flexion",
    "bridge": "extension",
    "downward-dog": "flexion",
    "side-leg-raise": "lateral",
    "superman": "extension",
    "cat-cow": "mixed",
    "cat": "flexion",
    "cow": "extension",
    "childs-pose": "flexion",
    "childs-pose-side-reach": "flexion",
}


async def answer_prompt(pilot, text: str) -> None:
    """Fill the open prompt's box and press Enter, as a paste would: typing a long
    path key by key costs a repaint per key and tests nothing more."""
    from textual.widgets import Input

    pilot.app.screen.query_one(Input).value = text
    await pilot.press("enter")


async def settled(pilot, check, *, tries: int = 60) -> bool:
    """Wait (a little at a time) until `check()` holds: keys posted in one burst are
    handled over several turns of the loop, more of them on a loaded machine."""
    for _ in range(tries):
        if check():
            return True
        await pilot.pause(0.05)
    return check()


def steps_of(screen) -> list[str]:
    """The exercise ids of the builder's routine, in order."""
    return [step.exercise for step in screen.routine.steps]


def look_test_runner(catalog, tmp_path, clock: FakeClock, theme: str):
    """The runner the readability and look tests draw: a rep move then a hold."""
    from backtui.core.model import Routine, Step
    from backtui.core.settings import Settings
    from backtui.tui.runner_app import RunnerApp

    routine = Routine(
        "Test run",
        (
            Step("superman", reps=3, hold_s=2, rest_s=5, lift_s=0, lower_s=0),
            Step("childs-pose", hold_s=20),
        ),
    )
    return RunnerApp(
        routine,
        catalog,
        key="test-run",
        settings=Settings(bell=False, theme=theme),
        history_path=tmp_path / "history.sqlite3",
        clock=clock,
    )


def count_frames(app: Any) -> list[object]:
    """Every frame handed to the terminal from now on."""
    frames: list[object] = []
    display = app._display

    def counting(screen, renderable):
        if renderable is not None:
            frames.append(renderable)
        return display(screen, renderable)

    app._display = counting  # type: ignore[method-assign]
    return frames
