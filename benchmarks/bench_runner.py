"""What a session costs a terminal over SSH, measured on a real `backtui run`.

Runs `backtui run` under a pseudo-terminal at 80x24, 120x40 and 200x60 (the
terminal answers Textual's question about synchronized output, as a modern
terminal does, so frames come wrapped in `ESC[?2026h` … `ESC[?2026l`) and
measures, beside an empty Textual app (and termdown, if it is installed):
- the first frame: seconds from start to the end of the first synchronized frame
  that shows "Get ready" (median of 3 starts);
- bytes written per second and CPU seconds per minute in a steady hold (after the
  get-ready and the change into the hold, waiting for the hold's own "Next: the
  end" and then a few seconds), with the pacer shown, while paused (space), and
  with the pacer hidden (h).

Targets: hold with pacer ≤ 400 B/s at 80x24 and ≤ 1 KB/s at the larger sizes,
≤ 0.4 CPU-s/min; paused ≤ 50 B/s and ≤ 0.1 CPU-s/min; first frame ≤ 1.3x the
empty app's.

Run: python benchmarks/bench_runner.py [--save FILE] [--before FILE]
`--save` keeps the figures as JSON; `--before` prints them beside this run's.
To measure another version, point PYTHONPATH at its `src` (the process is
started with this interpreter and the environment passed on).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

from figures import Figure, record

WINDOW_S = float(os.environ.get("BENCH_WINDOW_S", "15"))
SIZES = [(80, 24), (120, 40), (200, 60)]
SYNC_START, SYNC_END = b"\x1b[?2026h", b"\x1b[?2026l"
SYNC_QUERY, SYNC_ANSWER = b"\x1b[?2026$p", b"\x1b[?2026;2$y"  # supported, not set

ROUTINE = """\
schema = 1
name = "Bench"
[breath]
inhale_s = 4
exhale_s = 6
[[steps]]
exercise = "childs-pose"
hold_s = 600
"""

EMPTY_APP = """\
from textual.app import App
from textual.widgets import Static

class Empty(App):
    def compose(self):
        yield Static("Get ready")

Empty().run()
"""


class Terminal:
    """A process on a pseudo-terminal, with every byte it writes timestamped."""

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
        master, slave = pty.openpty()
        columns, lines = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        env = env | {"COLUMNS": str(columns), "LINES": str(lines)}
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.master = master
        self.chunks: list[tuple[float, bytes]] = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        tail = b""
        while True:
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if not ready:
                if self.process.poll() is not None:
                    return
                continue
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.chunks.append((time.monotonic(), data))
            if SYNC_QUERY in tail + data:  # answer as a terminal with synchronized output
                os.write(self.master, SYNC_ANSWER)
            tail = data[-16:]

    def _seen(self) -> tuple[bytes, list[tuple[int, float]]]:
        """Everything written so far, and where each chunk ends with its time."""
        with self._lock:
            chunks = list(self.chunks)
        ends, seen = [], b""
        for stamp, data in chunks:
            seen += data
            ends.append((len(seen), stamp))
        return seen, ends

    def wait_for(self, text: bytes, timeout: float = 30) -> float:
        """Seconds from start until `text` was written."""
        return self._wait(text, frame_end=False, timeout=timeout)

    def first_frame(self, text: bytes, timeout: float = 30) -> float:
        """Seconds from start to the end of the first synchronized frame showing
        `text` (or to `text` itself if the program writes no synchronized frames)."""
        return self._wait(text, frame_end=True, timeout=timeout)

    def _wait(self, text: bytes, *, frame_end: bool, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            seen, ends = self._seen()
            at = seen.find(text)
            if at >= 0:
                end = at + len(text)
                if frame_end and SYNC_START in seen[:at]:
                    close = seen.find(SYNC_END, at)
                    end = close + len(SYNC_END) if close >= 0 else -1
                if end >= 0:
                    return next(stamp for upto, stamp in ends if upto >= end) - self.started
            time.sleep(0.01)
        raise TimeoutError(f"{text!r} never appeared")

    def send(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def measure(self, seconds: float) -> tuple[float, float]:
        """(bytes per second, CPU seconds per minute) over the next `seconds`."""
        cpu0, t0 = self.cpu_seconds(), time.monotonic()
        time.sleep(seconds)
        cpu1, t1 = self.cpu_seconds(), time.monotonic()
        with self._lock:
            written = sum(len(d) for stamp, d in self.chunks if t0 <= stamp < t1)
        return written / (t1 - t0), (cpu1 - cpu0) / (t1 - t0) * 60

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self.master)


def first_frame(
    argv: list[str], env: dict[str, str], size: tuple[int, int], text: bytes, runs: int = 3
) -> float:
    """Median seconds from start to the first full frame, over a few fresh starts."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as data:  # no saved place: no resume question
            terminal = Terminal(argv, env | {"XDG_DATA_HOME": data}, size)
            times.append(terminal.first_frame(text))
            terminal.close()
    return statistics.median(times)


def measure_runner(env: dict[str, str], size: tuple[int, int]) -> dict[str, float]:
    argv = [sys.executable, "-m", "backtui", "run", "bench"]
    figures = {"first_frame_s": first_frame(argv, env, size, b"Get ready")}
    with tempfile.TemporaryDirectory() as data:
        ours = Terminal(argv, env | {"XDG_DATA_HOME": data}, size)
        ours.wait_for(b"Next: the end", timeout=40)  # only the hold says it: get-ready is over
        time.sleep(3)  # past the change of phase and its flash: a steady hold
        figures["pacer_Bps"], figures["pacer_cpu"] = ours.measure(WINDOW_S)
        ours.send(b" ")  # pause, the pacer shown
        time.sleep(1)
        figures["paused_Bps"], figures["paused_cpu"] = ours.measure(WINDOW_S)
        ours.send(b" ")  # resume
        ours.send(b"h")  # hide the pacer
        time.sleep(2)
        figures["hold_Bps"], figures["hold_cpu"] = ours.measure(WINDOW_S)
        ours.close()
    return figures


def measure_empty(env: dict[str, str], size: tuple[int, int], script: Path) -> dict[str, float]:
    argv = [sys.executable, str(script)]
    figures = {"first_frame_s": first_frame(argv, env, size, b"Get ready")}
    empty = Terminal(argv, env, size)
    empty.wait_for(b"Get ready")
    time.sleep(1)
    figures["idle_Bps"], figures["idle_cpu"] = empty.measure(WINDOW_S)
    empty.close()
    return figures


def measure_termdown(env: dict[str, str], size: tuple[int, int]) -> dict[str, float] | None:
    termdown = shutil.which("termdown", path=str(Path(sys.executable).parent)) or shutil.which(
        "termdown"
    )
    if termdown is None:
        return None
    term = Terminal([termdown, "-B", "10m"], env, size)
    time.sleep(3)
    figures = {}
    figures["pacer_Bps"], figures["pacer_cpu"] = term.measure(WINDOW_S)
    term.close()
    return figures


TARGETS = {  # at most: from the first frame of an empty app, and the size
    "first_frame_s": lambda empty, big: round(1.3 * empty, 3),
    "pacer_Bps": lambda empty, big: 1000 if big else 400,
    "pacer_cpu": lambda empty, big: 0.4,
    "hold_Bps": lambda empty, big: None,
    "hold_cpu": lambda empty, big: None,
    "paused_Bps": lambda empty, big: 50,
    "paused_cpu": lambda empty, big: 0.1,
}


def table(results: dict[str, dict], before: dict[str, dict] | None) -> None:
    print(f"backtui run, xterm-256color, truecolor; windows of {WINDOW_S:g} s")
    columns = ["size", "figure", "before", "after", "empty app", "termdown", "target"]
    print(
        f"{columns[0]:<8} {columns[1]:<26} {columns[2]:>9} {columns[3]:>9}"
        f" {columns[4]:>10} {columns[5]:>9}  {columns[6]}"
    )

    def cell(value: float | None, digits: int) -> str:
        return "–" if value is None else f"{value:.{digits}f}"

    for size, result in results.items():
        ours, empty, term = result["runner"], result["empty"], result.get("termdown")
        was = (before or {}).get(size, {}).get("runner", {})
        big = size != "80x24"
        lines = [
            ("first frame s", "first_frame_s", empty["first_frame_s"], None, 3,
             f"≤ {1.3 * empty['first_frame_s']:.3f} (1.3x empty)"),
            ("hold, pacer: B/s", "pacer_Bps", empty["idle_Bps"],
             term and term["pacer_Bps"], 0, "≤ 1000" if big else "≤ 400"),
            ("hold, pacer: CPU s/min", "pacer_cpu", empty["idle_cpu"],
             term and term["pacer_cpu"], 2, "≤ 0.4"),
            ("hold, no pacer: B/s", "hold_Bps", empty["idle_Bps"], None, 0, ""),
            ("hold, no pacer: CPU s/min", "hold_cpu", empty["idle_cpu"], None, 2, ""),
            ("paused: B/s", "paused_Bps", empty["idle_Bps"], None, 0, "≤ 50"),
            ("paused: CPU s/min", "paused_cpu", empty["idle_cpu"], None, 2, "≤ 0.1"),
        ]  # fmt: skip
        for label, key, baseline, termdown, digits, target in lines:
            record(
                Figure(
                    f"runner {size} {label}",
                    ours[key],
                    digits,
                    empty_app=baseline,
                    termdown=termdown,
                    target=TARGETS[key](empty["first_frame_s"], big),
                )
            )
            print(
                f"{size:<8} {label:<26} {cell(was.get(key), digits):>9}"
                f" {cell(ours[key], digits):>9} {cell(baseline, digits):>10}"
                f" {cell(termdown, digits):>9}  {target}"
            )


def compile_backtui() -> None:
    """An installed package carries its bytecode: compile backtui's once, so no start
    pays for compiling it (with PYTHONDONTWRITEBYTECODE set, every start would)."""
    import backtui

    package = str(Path(backtui.__file__).parent)
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", type=Path, help="write this run's figures as JSON")
    parser.add_argument("--before", type=Path, help="figures saved earlier, shown beside")
    parser.add_argument("--sizes", default=",".join(f"{c}x{r}" for c, r in SIZES))
    args = parser.parse_args()
    before = json.loads(args.before.read_text()) if args.before else None
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as home:
        env = os.environ | {
            "XDG_CONFIG_HOME": f"{home}/config",
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
        }
        env.pop("NO_COLOR", None)
        compile_backtui()
        routines = Path(home, "config", "backtui", "routines")
        routines.mkdir(parents=True)
        (routines / "bench.toml").write_text(ROUTINE)
        Path(home, "config", "backtui", "config.toml").write_text("bell = false\n")
        empty_script = Path(home, "empty_app.py")
        empty_script.write_text(EMPTY_APP)
        for name in args.sizes.split(","):
            columns, lines = (int(n) for n in name.split("x"))
            size = (columns, lines)
            results[name] = {
                "empty": measure_empty(env, size, empty_script),
                "runner": measure_runner(env, size),
                "termdown": measure_termdown(env, size),
            }
    if args.save:
        args.save.write_text(json.dumps(results, indent=1))
    table(results, before)


if __name__ == "__main__":
    main()
