"""How long a large user catalogue costs: loading it, whole commands, searching it.

Prints, for 10,000 and 50,000 user exercises as rich as the built-in ones
(~935 bytes each: steps, cue, cautions, aliases, references):
- the catalogue loaded cold (every file parsed) and again from the cache;
- whole-process `backtui list`, `backtui history` and `backtui validate FILE`
  against `python -c pass` (median of 5 runs each, cache warm);
- per keystroke while typing (p50, p95), as the builder searches: the first
  screenful of `Catalog.results` (before the frame), then the count (after
  it); a first letter that matches nearly everything, narrowing, backspaces.

Run: python benchmarks/bench_catalog.py [SIZES…]   (default 10000 50000)
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures import Figure, record

from backtui.core import locations
from backtui.core.services import load_catalog_only

PER_FILE = 500  # ~470 KB a file, under the 1 MiB limit
TYPING = [  # what a person types into the search box, one key at a time
    "stretch",
    "knee hug",
    "prone press",
    "breathe slow",
    "cat",
    "hip 123",
]
RUNS = 5


def templates() -> list[tuple[str, str]]:
    """(id, table text) of every built-in exercise, from the shipped files."""
    found = []
    for path in sorted(locations.builtin_catalog_dir().glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(
            r"^\[exercises\.([a-z0-9-]+)\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S
        ):
            found.append((match[1], match[2].strip()))
    return found


def generate(folder: Path, count: int) -> None:
    """`count` exercises: the built-in ones again and again under new ids and names."""
    folder.mkdir(parents=True, exist_ok=True)
    base = templates()
    words = ["gentle", "slow", "deep", "easy", "long", "soft", "quiet", "steady"]
    for start in range(0, count, PER_FILE):
        chunk = ["schema = 1\n"]
        for n in range(start, min(start + PER_FILE, count)):
            ident, table = base[n % len(base)]
            table = re.sub(
                r'^name = "(.*)"$',
                lambda m, n=n: f'name = "{m[1]} {words[n % len(words)]} {n}"',
                table,
                count=1,
                flags=re.M,
            )
            chunk.append(f"[exercises.{ident}-u{n}]\n{table}\n")
        (folder / f"user-{start:06d}.toml").write_text("\n".join(chunk), encoding="utf-8")


def routine_file(folder: Path) -> Path:
    path = folder / "check.toml"
    path.write_text(
        'schema = 1\nname = "Check"\n\n[[steps]]\nexercise = "cat"\nreps = 8\n\n'
        '[[steps]]\nexercise = "childs-pose"\nhold_s = 30\n',
        encoding="utf-8",
    )
    return path


def median_ms(action, runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def load_ms(cached: bool) -> float:
    def load() -> None:
        if not cached:
            _clear_cache()
        load_catalog_only()  # what the apps and commands call: with the cache, if there is one

    if cached:
        load()  # write the cache first
    return median_ms(load, 3)


def _clear_cache() -> None:
    cache_dir = getattr(locations, "cache_dir", None)
    if cache_dir is None:
        return
    for path in cache_dir().rglob("*"):
        if path.is_file():
            path.unlink()


def process_ms(args: list[str], env: dict[str, str]) -> float:
    def run() -> None:
        subprocess.run(
            args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )

    run()  # warm: the page cache, and backtui's own cache
    return median_ms(run)


PAGE = 64  # the rows the builder asks for before its first frame (two screens)


def search_times(catalog) -> tuple[list[float], list[float]]:
    """Per keystroke, as the builder does it: the first screenful of the results
    (before the frame), then the count (in slices after it)."""
    pages, counts = [], []
    for _ in range(3):
        for text in TYPING:
            catalog._recent.clear()  # each sequence starts from nothing cached
            typed = [text[:i] for i in range(1, len(text) + 1)]
            typed += [text[:i] for i in range(len(text) - 1, 0, -1)]  # backspaces
            for query in typed:
                start = time.perf_counter()
                results = catalog.results(query)
                results[:PAGE]
                shown = time.perf_counter()
                len(results)
                pages.append((shown - start) * 1000)
                counts.append((time.perf_counter() - shown) * 1000)
    return pages, counts


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(count: int, home: Path) -> None:
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    os.environ["XDG_CACHE_HOME"] = str(home / "cache")
    user = locations.user_catalog_dir()
    generate(user, count)
    size = sum(p.stat().st_size for p in user.glob("*.toml"))
    print(f"\n{count:,} user exercises, {size / count:.0f} B each, {size / 1e6:.1f} MB")
    cold, warm = load_ms(False), load_ms(True)
    print(f"  load, cold (parse every file)   {cold:8.1f} ms")
    print(f"  load, cached                    {warm:8.1f} ms")
    scale = f"{count // 1000}k"
    target = 150 if count <= 10_000 else None
    record(Figure(f"catalogue {scale} cached load, ms", warm, 1, target=target))

    env = dict(os.environ)
    python = sys.executable
    check = routine_file(home)
    baseline = process_ms([python, "-c", "pass"], env)
    print(f"  python -c pass                  {baseline:8.1f} ms")
    for label, args in (
        ("backtui list", ["list"]),
        ("backtui history", ["history"]),
        ("backtui validate FILE", ["validate", str(check)]),
        ("backtui --help", ["--help"]),
    ):
        ms = process_ms([python, "-m", "backtui", *args], env)
        print(f"  {label:<30}  {ms:8.1f} ms")
        if label == "backtui list":
            record(Figure(f"catalogue {scale} whole process: backtui list, ms", ms, 0))

    catalog, _ = load_catalog_only()
    start = time.perf_counter()
    catalog.prepare_search()  # the builder does this once its first frame is up
    print(f"  search texts from the cache     {(time.perf_counter() - start) * 1000:8.1f} ms")
    pages, counts = search_times(catalog)
    for label, samples in (("first screenful", pages), ("then the count", counts)):
        print(
            f"  search per keystroke, {label:<16} p50 {percentile(samples, 50):6.2f} ms"
            f"   p95 {percentile(samples, 95):6.2f} ms   max {max(samples):6.2f} ms"
        )
    p95 = percentile(pages, 95)
    record(Figure(f"catalogue {scale} search, first screenful p95, ms", p95, 1))


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 50_000]
    for count in sizes:
        with tempfile.TemporaryDirectory() as folder:
            measure(count, Path(folder))


if __name__ == "__main__":
    main()
