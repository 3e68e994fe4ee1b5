"""How fast hostile files are refused: 1 MiB of each shape tomllib does badly on.

Each file is just under the 1 MiB limit and goes through the reader as a routine
file (`loads_routine`: the shape scan, then tomllib, then the checks), and the
catalogue shapes through `load_exercise_file`. Prints the best of a few runs per
shape and what the reader said. Target: each well under 0.5 s. Without the scan,
tomllib takes 17 s on a key of 24,000 dotted parts and runs out of memory on one
of 100,000. Run: python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from backtui.core import locations
from backtui.core.catalog import load_catalog, load_exercise_file
from backtui.core.reader import MAX_FILE_BYTES, Problems
from backtui.core.routine_file import loads_routine

SIZE = MAX_FILE_BYTES - 64
HEAD = "schema = 1\nname = 'x'\n[[steps]]\nexercise = 'cat'\n"


def fill(prefix: str, unit: str, suffix: str = "") -> bytes:
    count = (SIZE - len(prefix) - len(suffix)) // len(unit)
    return (prefix + unit * count + suffix).encode()


def shapes() -> dict[str, bytes]:
    depth = (SIZE - 8) // 2
    return {
        "dotted key a.a.a… = 1": fill("a", ".a", " = 1\n"),
        "table header [a.a.a…]": fill("[a", ".a", "]\n"),
        "quoted dotted key": fill('"a"', '."a"', " = 1\n"),
        "lists nested [[[…]]]": ("x = " + "[" * depth + "]" * depth).encode(),
        "inline tables {a={a=…}}": fill("x = ", "{a=", "1"),
        "keys k0 = 0 …": "".join(f"k{i} = {i}\n" for i in range(SIZE // 12)).encode()[:SIZE],
        "list of numbers [1,1,…]": fill("x = [", "1,", "]\n"),
        "decimal integer 999…": fill(HEAD + "hold_s = ", "9", "\n"),
        "hex integer 0xfff…": fill(HEAD + "hold_s = 0x", "f", "\n"),
        "float mantissa 1.111…e5": fill(HEAD + "hold_s = 1.", "1", "e5\n"),
        "comments (valid TOML)": fill(HEAD, "# a comment line\n"),
        "blank lines (valid TOML)": fill(HEAD, "\n"),
        "[[a]] headers": fill("", "[[a]]\n"),
        'list of strings ["",…]': fill("x = [", '"",', "]\n"),
        "one long string (valid TOML)": fill(HEAD + "note = '", "n", "'\n"),
        "escapes in a string": fill(HEAD + 'note = """', "\\n", '"""\n'),
        "unknown keys (valid TOML)": fill(HEAD, "k = 1\n[[steps]]\nexercise = 'cat'\n"),
    }


def catalogue_shapes() -> dict[str, bytes]:
    count = SIZE // 24
    broken = "".join(f"[exercises.x{i:06}]\nname = 1\n" for i in range(count))
    return {"catalogue: many broken exercises": broken.encode()[:SIZE]}


def best(run: Callable[[], str], repeat: int = 3) -> tuple[float, str]:
    times, said = [], ""
    for _ in range(repeat):
        start = time.perf_counter()
        said = run()
        times.append(time.perf_counter() - start)
    return min(times), said


def main() -> None:
    catalog = load_catalog(locations.builtin_catalog_dir()).catalog
    print(f"{'shape':36} {'MiB':>5} {'seconds':>8}  first problem")
    for name, data in shapes().items():

        def routine(data: bytes = data) -> str:
            result = loads_routine(data, catalog, "f.toml")
            return next((str(p) for p in result.problems), "read")

        seconds, said = best(routine)
        print(f"{name:36} {len(data) / 2**20:5.2f} {seconds:8.3f}  {said[:70]}")
    with tempfile.TemporaryDirectory() as folder:
        for name, data in catalogue_shapes().items():
            path = Path(folder) / "mine.toml"
            path.write_bytes(data)

            def exercises(path: Path = path) -> str:
                problems = Problems("mine.toml")
                load_exercise_file(path, problems)
                return f"{len(problems)} problems; {problems[0] if problems else ''}"

            seconds, said = best(exercises)
            print(f"{name:36} {len(data) / 2**20:5.2f} {seconds:8.3f}  {said[:70]}")


if __name__ == "__main__":
    main()
