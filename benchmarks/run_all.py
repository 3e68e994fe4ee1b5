"""Every benchmark in one command, printed as one report with its date and machine.

Run: python benchmarks/run_all.py [--quick]

Each benchmark drives `backtui` end to end (through a pseudo-terminal where it
draws), beside an empty Textual app and, where installed, `termdown`; this
script runs them one after another, so they never share the machine, and adds
the whole-process cost of a few commands beside `python -c pass`. `--quick`
passes shorter windows where a benchmark takes them (for a smoke run).
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("bench_runner.py", "bench_builder.py", "bench_catalog.py", "bench_hostile.py")
RUNS = 5


def machine() -> str:
    cpus = os.cpu_count() or 1
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{platform.system()} {platform.machine()}, {cpus} cores {model}".strip()


def median_seconds(argv: list[str], env: dict[str, str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def whole_process_table() -> list[str]:
    """Start-up to exit of a few commands, each the median of five runs."""
    with tempfile.TemporaryDirectory() as home:
        env = os.environ | {
            "HOME": home,
            "XDG_CONFIG_HOME": f"{home}/config",
            "XDG_DATA_HOME": f"{home}/data",
            "XDG_CACHE_HOME": f"{home}/cache",
        }
        backtui = [sys.executable, "-m", "backtui"]
        subprocess.run([*backtui, "list"], env=env, capture_output=True)  # first use: starters
        routine = Path(home, "config", "backtui", "routines", "morning.toml")
        rows = [
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ("backtui list", [*backtui, "list"]),
            ("backtui validate morning.toml", [*backtui, "validate", str(routine)]),
            ("backtui plan morning", [*backtui, "plan", "morning"]),
            ("backtui history", [*backtui, "history"]),
            ("backtui --help", [*backtui, "--help"]),
        ]
        lines = [f"{'whole process (median of 5)':<34} {'seconds':>8}"]
        for label, argv in rows:
            lines.append(f"{label:<34} {median_seconds(argv, env):>8.3f}")
        return lines


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    env = os.environ | ({"BENCH_WINDOW_S": "5"} if quick else {})
    python = platform.python_version()
    print(f"backtui benchmarks, {date.today():%Y-%m-%d}, {machine()}, Python {python}")
    print()
    failed = []
    for name in BENCHMARKS:
        script = HERE / name
        if not script.exists():
            continue
        print(f"== {name}")
        result = subprocess.run(
            [sys.executable, str(script)], env=env, text=True, capture_output=True
        )
        print(result.stdout.rstrip())
        if result.returncode:
            failed.append(name)
            print(f"(exit {result.returncode}: {result.stderr.strip().splitlines()[-1:]})")
        print()
    print("== whole-process commands")
    print("\n".join(whole_process_table()))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
