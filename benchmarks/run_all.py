"""Every benchmark in one command, printed as one report with its date and machine.

Run: python benchmarks/run_all.py [--quick] [--log FILE]

Each benchmark drives `backtui` end to end (through a pseudo-terminal where it
draws), beside an empty Textual app and, where installed, `termdown`; this
script runs them one after another, so they never share the machine, adds the
whole-process cost of a few commands beside `python -c pass`, and prints the
headline figures (`figures.record`) as one table with each target met or missed.
Every benchmark's full report goes to the log (default: benchmarks.log in the
temporary folder, named at the end). `--quick` passes shorter windows where a
benchmark takes them (for a smoke run).
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

from figures import FIGURES_ENV, Figure, read, record, table

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


def whole_process_figures() -> None:
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
        baseline = median_seconds([sys.executable, "-c", "pass"], env)
        record(Figure("whole process: python -c pass, s", baseline, 3))
        rows = [
            ("backtui list", ["list"], None),
            ("backtui validate morning.toml", ["validate", str(routine)], None),
            ("backtui today", ["today"], 0.1),
            ("backtui plan morning", ["plan", "morning"], None),
            ("backtui history", ["history"], None),
        ]
        for label, args, target in rows:
            known = subprocess.run([*backtui, *args], env=env, capture_output=True)
            if known.returncode == 2 and b"invalid choice" in known.stderr:
                continue  # a command this version does not have
            seconds = median_seconds([*backtui, *args], env)
            record(Figure(f"whole process: {label}, s", seconds, 3, target=target))


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    arguments = sys.argv[1:]
    folder = Path(tempfile.mkdtemp(prefix="backtui-bench-"))
    log = Path(arguments[arguments.index("--log") + 1]) if "--log" in arguments else None
    log = log or folder / "benchmarks.log"
    figures = folder / "figures.jsonl"
    env = os.environ | {FIGURES_ENV: str(figures)} | ({"BENCH_WINDOW_S": "5"} if quick else {})
    python = platform.python_version()
    heading = f"backtui benchmarks, {date.today():%Y-%m-%d}, {machine()}, Python {python}"
    import backtui  # an install carries its bytecode: no run pays for compiling it

    package = str(Path(backtui.__file__).parent)
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=True)
    failed = []
    with log.open("w", encoding="utf-8") as out:
        out.write(heading + "\n\n")
        for name in BENCHMARKS:
            script = HERE / name
            print(f"running {name} …", file=sys.stderr)
            result = subprocess.run(
                [sys.executable, str(script)], env=env, text=True, capture_output=True
            )
            out.write(f"== {name}\n{result.stdout.rstrip()}\n\n")
            if result.returncode:
                failed.append(name)
                out.write(f"(exit {result.returncode})\n{result.stderr}\n")
    os.environ[FIGURES_ENV] = str(figures)
    print("running whole-process commands …", file=sys.stderr)
    whole_process_figures()
    print(heading)
    print()
    print("\n".join(table(read(str(figures)))))
    print()
    print(f"each benchmark's full report: {log}")
    if failed:
        print(f"failed: {', '.join(failed)} (see the log)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
