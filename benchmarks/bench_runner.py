"""What a session costs a terminal over SSH, measured on a real `backtui run`.

Runs `backtui run` under a pseudo-terminal at 80x24 and prints, beside the same
figures for an empty Textual app measured in the same run:
- seconds from start to the first full frame;
- bytes written to the terminal per second, and CPU seconds per minute, during
  a hold with the breathing pacer shown and during a hold with it hidden.
Targets: hold with pacer under 1 KB/s and under 1 CPU-second per minute; first
frame within 1.5x the empty app's. Run: python benchmarks/bench_runner.py
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

WINDOW_S = float(os.environ.get("BENCH_WINDOW_S", "20"))
COLUMNS, LINES = 80, 24

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

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
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

    def first_time_showing(self, text: bytes, timeout: float = 30) -> float:
        """Seconds from start until `text` is on the screen (the first full frame)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                seen = b""
                for stamp, data in self.chunks:
                    seen += data
                    if text in seen:
                        return stamp - self.started
            time.sleep(0.02)
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


def first_frame(argv: list[str], env: dict[str, str], runs: int = 5) -> float:
    """Median seconds from start to the first full frame, over a few fresh starts."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as data:  # no saved place: no resume question
            terminal = Terminal(argv, env | {"XDG_DATA_HOME": data})
            times.append(terminal.first_time_showing(b"Get ready"))
            terminal.close()
    return statistics.median(times)


def row(label: str, ours: float, empty: float, unit: str, target: str = "") -> None:
    print(f"{label:<34} {ours:10.3f} {unit:<10} empty app {empty:10.3f} {unit:<10} {target}")


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        env = os.environ | {
            "XDG_CONFIG_HOME": f"{home}/config",
            "XDG_DATA_HOME": f"{home}/data",
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "COLUMNS": str(COLUMNS),
            "LINES": str(LINES),
        }
        env.pop("NO_COLOR", None)
        routines = Path(home, "config", "backtui", "routines")
        routines.mkdir(parents=True)
        (routines / "bench.toml").write_text(ROUTINE)
        (routines / "config.toml").write_text("")
        Path(home, "config", "backtui", "config.toml").write_text("bell = false\n")
        empty_script = Path(home, "empty_app.py")
        empty_script.write_text(EMPTY_APP)

        empty_first = first_frame([sys.executable, str(empty_script)], env)
        ours_first = first_frame([sys.executable, "-m", "backtui", "run", "bench"], env)

        empty = Terminal([sys.executable, str(empty_script)], env)
        empty.first_time_showing(b"Get ready")
        time.sleep(1)
        empty_bytes, empty_cpu = empty.measure(WINDOW_S)
        empty.close()

        ours = Terminal([sys.executable, "-m", "backtui", "run", "bench"], env)
        ours.first_time_showing(b"Child", timeout=30)  # the hold has begun
        time.sleep(3)  # past the change of phase and its flash: a steady hold
        pacer_bytes, pacer_cpu = ours.measure(WINDOW_S)
        ours.send(b"h")  # hide the pacer
        time.sleep(1)
        hold_bytes, hold_cpu = ours.measure(WINDOW_S)
        ours.close()

    print(f"backtui run at {COLUMNS}x{LINES}, xterm-256color, truecolor; windows of {WINDOW_S:g} s")
    row(
        "first full frame (median of 5)",
        ours_first,
        empty_first,
        "s",
        f"target ≤ {1.5 * empty_first:.3f} s",
    )
    row("hold with pacer: bytes/s", pacer_bytes, empty_bytes, "B/s", "target < 1000 B/s")
    row("hold with pacer: CPU", pacer_cpu, empty_cpu, "s/min", "target < 1 s/min")
    row("hold without pacer: bytes/s", hold_bytes, empty_bytes, "B/s")
    row("hold without pacer: CPU", hold_cpu, empty_cpu, "s/min")


if __name__ == "__main__":
    main()
