"""How fast the builder answers, measured through the running app with the Pilot.

Prints milliseconds from a key press (or a mouse release) until the app is idle
again with the result on screen:
- per keystroke while filtering a catalogue of 10,000 generated exercises;
- per step move, by key and by drop, with balance recomputed, in a 500-step routine.
Target: under one 60 Hz frame (16 ms) each. Run: python benchmarks/bench_builder.py
"""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual import events

EXERCISES = 10_000
STEPS = 500
WORDS = ["gentle", "slow", "knee", "hip", "reach", "curl", "arch", "twist", "lift", "rock"]
SPINES = ["flexion", "extension", "neutral", "lateral", "rotation", "mixed"]


def generate_catalogue(folder: Path) -> None:
    """10,000 exercises in files of 400 (each under the 1 MiB file limit)."""
    folder.mkdir(parents=True)
    for start in range(0, EXERCISES, 400):
        chunk = []
        for n in range(start, min(start + 400, EXERCISES)):
            name = f"{WORDS[n % 10].title()} {WORDS[(n // 10) % 10]} {n}"
            chunk.append(
                f'[exercises.gen-{n}]\nname = "{name}"\nspine = "{SPINES[n % 6]}"\n'
                f'category = "stretch"\nposition = "any"\nhold_s = 20\n'
                f'steps = ["Move {WORDS[n % 10]}."]\ncue = "breathe {WORDS[(n // 7) % 10]}"\n'
            )
        (folder / f"gen-{start:05d}.toml").write_text("\n".join(chunk))


def write_long_routine(folder: Path) -> Path:
    ids = ["cat", "cow", "superman", "childs-pose", "bridge", "side-leg-raise", "cat-cow"]
    lines = ['schema = 1\nname = "Five hundred"\n']
    lines += [f'[[steps]]\nexercise = "{ids[n % len(ids)]}"\n' for n in range(STEPS)]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "five-hundred.toml"
    path.write_text("\n".join(lines))
    return path


class FrameClock:
    """When an input event reached the app, and when a frame first showed its result.

    `posted` is the moment the key or mouse event is posted to the app, as the
    terminal driver would post it; the result is shown by the first frame handed
    to the driver after a list has its new rows.
    """

    def __init__(self, app, *lists) -> None:
        self.posted: float | None = None
        self.changed: float | None = None
        self.shown: float | None = None
        display, post = app._display, app.post_message

        def timed_display(screen, renderable):
            display(screen, renderable)
            if self.changed is not None and self.shown is None:
                self.shown = time.perf_counter()

        def timed_post(message):
            if isinstance(message, (events.Key, events.MouseUp)) and self.posted is None:
                self.posted = time.perf_counter()
            return post(message)

        app._display, app.post_message = timed_display, timed_post
        for widget in lists:
            drag_finished = widget.drag_finished

            def timed_drop(offset, drag_finished=drag_finished):
                if self.posted is None:  # the Pilot hands mouse events to the widget
                    self.posted = time.perf_counter()
                drag_finished(offset)

            widget.drag_finished = timed_drop
            rows_changed = widget.rows_changed

            def timed_rows_changed(rows_changed=rows_changed):
                rows_changed()
                if self.posted is not None and self.changed is None:
                    self.changed = time.perf_counter()

            widget.rows_changed = timed_rows_changed

    async def latency(self, pilot, action) -> float:
        self.posted = self.changed = self.shown = None
        await action()
        await pilot.pause()
        assert self.posted and self.shown, "the action showed nothing new"
        return self.shown - self.posted


def report(label: str, samples: list[float]) -> None:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    verdict = "ok" if statistics.median(ms) < 16 else "OVER 16 ms"
    print(
        f"{label:<46} median {statistics.median(ms):6.2f} ms   p95 {p95:6.2f} ms   "
        f"max {ms[-1]:6.2f} ms   n={len(ms)}   {verdict}"
    )


async def measure(size: tuple[int, int]) -> None:
    from backtui.core import locations
    from backtui.tui.app import BackTUI
    from backtui.tui.widgets.catalog_list import CatalogList
    from backtui.tui.widgets.step_list import StepList

    if not locations.user_catalog_dir().exists():
        generate_catalogue(locations.user_catalog_dir())
    routine = write_long_routine(locations.routines_dir())

    started = time.perf_counter()
    app = BackTUI(routine)
    gc.collect()
    gc.freeze()  # as `backtui` does before it runs the app
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        frames = FrameClock(app, screen.query_one(CatalogList), screen.query_one(StepList))
        print(
            f"catalogue: {len(app.catalog)} exercises "
            f"(loaded and started in {time.perf_counter() - started:.2f} s)"
        )
        catalog = screen.query_one(CatalogList)

        # Filtering, one keystroke at a time.
        await pilot.press("slash")
        samples = []
        for query in ("gentle knee", "arch 99", "twist hip", "zz"):
            for char in query:
                key = "space" if char == " " else char
                samples.append(await frames.latency(pilot, lambda k=key: pilot.press(k)))
                if os.environ.get("BENCH_VERBOSE"):
                    print(f"  {key!r}: {samples[-1] * 1000:.1f} ms")
            for _ in query:
                samples.append(await frames.latency(pilot, lambda: pilot.press("backspace")))
                if os.environ.get("BENCH_VERBOSE"):
                    print(f"  backspace: {samples[-1] * 1000:.1f} ms")
        assert len(catalog.exercises) == len(app.catalog)
        report(f"filter {len(app.catalog)} exercises, per keystroke", samples)

        # Moving a step by key.
        steps = screen.query_one(StepList)
        steps.focus()
        steps.cursor = 200
        await pilot.pause()
        samples = []
        for n in range(60):
            key = "shift+down" if n % 2 == 0 else "shift+up"
            samples.append(await frames.latency(pilot, lambda k=key: pilot.press(k)))
        assert len(screen.routine.steps) == STEPS
        report(f"move a step by key ({STEPS} steps, balance)", samples)

        # Moving a step by drop: time from the mouse release to idle.
        samples = []
        for n in range(30):
            await pilot.mouse_down("#steps", offset=(8, 2))
            target = (8, 4 + n % 5)
            await pilot.hover("#steps", offset=target)
            await pilot.pause()
            samples.append(
                await frames.latency(pilot, lambda t=target: pilot.mouse_up("#steps", offset=t))
            )
        report(f"move a step by drop ({STEPS} steps, balance)", samples)


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["XDG_CONFIG_HOME"] = str(Path(home) / "config")
        os.environ["XDG_DATA_HOME"] = str(Path(home) / "data")
        for size in ((80, 24), (120, 40)):
            print(f"--- terminal {size[0]}x{size[1]}")
            asyncio.run(measure(size))


if __name__ == "__main__":
    sys.exit(main())
