"""How fast the builder answers: end to end through a pseudo-terminal, then with the Pilot.

Through a pty (`python -m backtui`, real output, real input parsing), for a user
catalogue of 10,000 and of 50,000 exercises as rich as the built-ins: start-up
frames and bytes, CPU and bytes while idle, key-to-frame while typing a filter
(from writing the key to the end of the first synchronized frame after it, and
of the last one before the app goes quiet), focus changes (Tab) with the RSS
before and after them, and moving a step in a 500-step routine.
BENCH_FOCUS_CHANGES sets the number of Tabs (500); BENCH_EXERCISES the catalogue
sizes ("10000,50000"); BENCH_PTY_ONLY=1 stops there.

The Pilot part is headless (no ANSI rendering, no terminal write, no input
parsing: real key-to-frame is higher than it prints). It prints milliseconds
from a key press (or a mouse release) until the app is idle again with the
result on screen:
- per keystroke while filtering a catalogue of 10,000 generated exercises;
- per step move, by key and by drop, with balance recomputed, in a 500-step routine.
Target: under one 60 Hz frame (16 ms) each. Run: python benchmarks/bench_builder.py
"""

from __future__ import annotations

import asyncio
import atexit
import fcntl
import gc
import json
import os
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import tomllib
from pathlib import Path

from figures import Figure, record
from textual import events

EXERCISES = 10_000
STEPS = 500
WORDS = ["gentle", "slow", "knee", "hip", "reach", "curl", "arch", "twist", "lift", "rock"]
SPINES = ["flexion", "extension", "neutral", "lateral", "rotation", "mixed"]


def builtin_templates() -> list[dict]:
    """The built-in exercises as TOML tables: what a generated exercise copies."""
    from backtui.core import locations

    templates = []
    for path in sorted(locations.builtin_catalog_dir().glob("*.toml")):
        templates += tomllib.loads(path.read_text())["exercises"].values()
    return templates


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    assert isinstance(value, list), value
    return "[" + ", ".join(toml_value(item) for item in value) + "]"


def generated_exercise(n: int, template: dict) -> str:
    """A copy of a built-in exercise, as rich as it (steps, cue, cautions, links),
    with its own id, name and wording, so searches and the detail do real work."""
    fields = dict(template)
    word, other = WORDS[n % 10], WORDS[(n // 10) % 10]
    fields["name"] = f"{word.title()} {other} {template['name']} {n}"[:80]
    fields["steps"] = [f"{line} ({word} {n})" for line in template["steps"]]
    if "aliases" in fields:
        fields["aliases"] = [f"{alias} {other}" for alias in template["aliases"]]
    body = "".join(f"{key} = {toml_value(value)}\n" for key, value in fields.items())
    return f"[exercises.gen-{n}]\n{body}"


def generate_catalogue(folder: Path, count: int = EXERCISES) -> int:
    """`count` exercises in files of 200 (each under the 1 MiB file limit and the
    reader's 20,000 entries). Returns the average bytes of one exercise."""
    folder.mkdir(parents=True, exist_ok=True)
    templates = builtin_templates()
    written = 0
    for start in range(0, count, 200):
        chunk = [
            generated_exercise(n, templates[n % len(templates)])
            for n in range(start, min(start + 200, count))
        ]
        text = "schema = 1\n\n" + "\n".join(chunk)
        (folder / f"gen-{start:05d}.toml").write_text(text)
        written += len(text.encode())
    return written // count


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


SYNC_END = b"\x1b[?2026l"
SYNC_QUERY = b"\x1b[?2026$p"


class Terminal:
    """`python -m backtui` in a pseudo-terminal, end to end: real output, real
    input parsing. Answers Textual's query for synchronized output, as a modern
    terminal does, so every frame is wrapped in `ESC[?2026h` ... `ESC[?2026l`."""

    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.fd = master
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "backtui", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        # Never left behind: a backtui whose pty is gone keeps spinning, so a
        # benchmark that stops on an error would leave it eating a core.
        atexit.register(self.kill)
        self.output = bytearray()
        self.frame_ends: list[float] = []  # when each frame's end arrived
        self.frame_bytes: list[int] = []
        self._frame_start = 0

    def pump(self, timeout: float) -> bool:
        """Read what the app wrote within `timeout` seconds; False if it wrote nothing."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:
            return False
        now = time.perf_counter()
        # A frame's end may be split across reads; never look before the last one found.
        start = max(len(self.output) - len(SYNC_END) + 1, self._frame_start)
        self.output += chunk
        if SYNC_QUERY in self.output[max(start - 8, 0) :]:
            os.write(self.fd, b"\x1b[?2026;2$y")
        while (end := self.output.find(SYNC_END, start)) != -1:
            self.frame_ends.append(now)
            self.frame_bytes.append(end + len(SYNC_END) - self._frame_start)
            self._frame_start = start = end + len(SYNC_END)
        return True

    def started_up(self, limit: float = 120.0) -> None:
        """Read until the first frame has ended and the app has gone quiet."""
        deadline = time.perf_counter() + limit
        while not self.frame_ends and time.perf_counter() < deadline:
            self.pump(1.0)
        self.settle(quiet=1.0)

    def settle(self, quiet: float = 0.3, limit: float = 60.0) -> None:
        """Read until the app has written nothing for `quiet` seconds."""
        deadline = time.perf_counter() + limit
        while self.pump(quiet) and time.perf_counter() < deadline:
            pass

    def key(self, data: bytes, quiet: float = 0.15) -> tuple[float, float, int, int]:
        """Write a key; (ms to the end of the first frame after it, ms to the end
        of the last one before the app went quiet, frames, bytes)."""
        frames, written = len(self.frame_ends), len(self.output)
        sent = time.perf_counter()
        os.write(self.fd, data)
        while len(self.frame_ends) == frames and self.pump(5.0):
            pass
        self.settle(quiet)
        if len(self.frame_ends) == frames:
            return (float("nan"), float("nan"), 0, len(self.output) - written)
        first = (self.frame_ends[frames] - sent) * 1000
        last = (self.frame_ends[-1] - sent) * 1000
        return first, last, len(self.frame_ends) - frames, len(self.output) - written

    def rss_kb(self) -> int:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmRSS"))
        return int(line.split()[1])

    def cpu_s(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def close(self) -> None:
        os.write(self.fd, b"\x11")  # ctrl+q
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        while self.pump(0.05):
            pass
        os.close(self.fd)


def row(label: str, value: str) -> None:
    print(f"  {label:<52} {value}")


def p95_ms(samples: list[tuple[float, float, int, int]]) -> float:
    first = sorted(s[0] for s in samples)
    return first[min(len(first) - 1, int(len(first) * 0.95))]


def summary(samples: list[tuple[float, float, int, int]]) -> str:
    first = sorted(s[0] for s in samples)
    last = sorted(s[1] for s in samples)
    p95 = first[min(len(first) - 1, int(len(first) * 0.95))]
    frames = statistics.mean(s[2] for s in samples)
    size = statistics.mean(s[3] for s in samples)
    return (
        f"first frame median {statistics.median(first):6.1f} ms  p95 {p95:6.1f}  "
        f"settled {statistics.median(last):6.1f} ms  {frames:.1f} frames  {size / 1000:.1f} KB"
    )


def measure_pty(home: Path, size: tuple[int, int], exercises: int, focus_changes: int) -> None:
    env = dict(os.environ)
    env.update(
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        TERM="xterm-256color",
        COLORTERM="truecolor",
    )
    env.pop("TEXTUAL", None)
    catalog = home / "config" / "backtui" / "catalog"  # where backtui looks (platformdirs)
    if catalog.exists():
        shutil.rmtree(catalog)
    average = generate_catalogue(catalog, exercises)
    routine = write_long_routine(home / "config" / "backtui" / "routines")
    # One run of a command that loads the catalogue first, so start-up below
    # is measured with the cache in place, as every start after the first is.
    subprocess.run([sys.executable, "-m", "backtui", "list"], env=env, capture_output=True)
    cached = home / "cache" / "backtui"
    cache_size = sum(p.stat().st_size for p in cached.glob("*")) if cached.is_dir() else 0
    print(
        f"--- pty {size[0]}x{size[1]}, {exercises} user exercises (~{average} B each), "
        f"catalogue cache {cache_size / 1e6:.1f} MB"
    )
    assert cache_size > exercises * 100, "the catalogue was not loaded: check where it was written"

    # Start-up on an empty routine, then typing a filter.
    term = Terminal([], env, size)
    term.started_up()
    row(
        "start-up: frames, bytes, last frame at",
        f"{len(term.frame_ends)} frames  {len(term.output) / 1000:.1f} KB  "
        f"{(term.frame_ends[-1] - term.started):.2f} s",
    )
    cpu, written = term.cpu_s(), len(term.output)
    time.sleep(5)
    term.settle(0.05)
    row(
        "idle 5 s: CPU, bytes",
        f"{(term.cpu_s() - cpu) * 1000:.0f} ms  {len(term.output) - written} B",
    )
    scale = f"{exercises // 1000}k"
    record(Figure(f"builder {scale} start-up, frames", len(term.frame_ends)))
    record(Figure(f"builder {scale} idle, B/s", (len(term.output) - written) / 5))
    term.key(b"/")
    samples = []
    for query in ("gentle knee", "arch 99", "twist hip", "zz"):
        samples += [term.key(char.encode()) for char in query]
        samples += [term.key(b"\x7f") for _ in query]
    row("filter, per keystroke", summary(samples))
    record(Figure(f"builder {scale} filter key to frame p95, ms", p95_ms(samples), 1, target=16))
    term.key(b"\x1b")  # back to the list
    rss = term.rss_kb()
    # Quiet for 100 ms before the next Tab: a Tab's later frames (one after a
    # refresh, ~30-50 ms on) then count for it, not for the Tab after it.
    samples = [term.key(b"\t", quiet=0.1) for _ in range(focus_changes)]
    term.settle(0.3)
    row(f"focus change (Tab) x{focus_changes}", summary(samples))
    row(
        f"RSS before / after {focus_changes} Tabs",
        f"{rss / 1024:.1f} MB / {term.rss_kb() / 1024:.1f} MB "
        f"(+{(term.rss_kb() - rss) / 1024:.1f} MB)",
    )
    tab_ms = statistics.median(s[0] for s in samples)
    record(Figure(f"builder {scale} Tab to frame median, ms", tab_ms, 1, target=10))
    frames = statistics.mean(s[2] for s in samples)
    record(Figure(f"builder {scale} frames per Tab", frames, 1, target=1))
    growth = (term.rss_kb() - rss) / 1024
    record(Figure(f"builder {scale} RSS growth over {focus_changes} Tabs, MB", growth, 1, target=5))
    term.close()

    # Moving a step in a 500-step routine.
    term = Terminal(["edit", str(routine)], env, size)
    term.started_up()
    term.key(b"\t")  # the catalogue has focus at start; Tab reaches the routine
    samples = [term.key(b"\x1b[1;2B" if n % 2 == 0 else b"\x1b[1;2A") for n in range(40)]
    row(f"move a step by key ({STEPS} steps)", summary(samples))
    record(Figure(f"builder move a step ({STEPS} steps) p95, ms", p95_ms(samples), 1, target=16))
    term.close()


def main() -> None:
    focus_changes = int(os.environ.get("BENCH_FOCUS_CHANGES", "500"))
    sizes = os.environ.get("BENCH_EXERCISES", f"{EXERCISES},50000")
    with tempfile.TemporaryDirectory() as home:
        for exercises in map(int, sizes.split(",")):
            measure_pty(Path(home), (120, 40), exercises, focus_changes)
    if os.environ.get("BENCH_PTY_ONLY"):
        return
    with tempfile.TemporaryDirectory() as home:
        os.environ["XDG_CONFIG_HOME"] = str(Path(home) / "config")
        os.environ["XDG_DATA_HOME"] = str(Path(home) / "data")
        os.environ["XDG_CACHE_HOME"] = str(Path(home) / "cache")
        for size in ((80, 24), (120, 40)):
            print(f"--- terminal {size[0]}x{size[1]}")
            asyncio.run(measure(size))


if __name__ == "__main__":
    sys.exit(main())
