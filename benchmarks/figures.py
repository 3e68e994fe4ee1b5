"""Where each benchmark leaves its headline figures for `run_all.py`'s one table.

A benchmark prints its own detailed report; when run by `run_all.py` (which sets
BENCH_FIGURES to a file) it also calls `record` for each figure the table shows,
one JSON line each. Nothing here measures: it only carries numbers.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

FIGURES_ENV = "BENCH_FIGURES"


@dataclass(frozen=True)
class Figure:
    label: str  # what was measured, e.g. "80x24 hold with pacer, B/s"
    value: float
    digits: int = 0  # decimals shown
    empty_app: float | None = None  # the same figure for an empty Textual app
    termdown: float | None = None
    target: float | None = None  # at most this (None: shown for reference)


def record(figure: Figure) -> None:
    path = os.environ.get(FIGURES_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(asdict(figure)) + "\n")


def read(path: str) -> list[Figure]:
    with open(path, encoding="utf-8") as lines:
        return [Figure(**json.loads(line)) for line in lines if line.strip()]


def table(figures: list[Figure]) -> list[str]:
    """One line a figure: backtui, an empty app, termdown, the target and whether met."""

    def cell(value: float | None, digits: int) -> str:
        return "" if value is None else f"{value:,.{digits}f}"

    width = max((len(f.label) for f in figures), default=10)
    lines = [
        f"{'figure':<{width}}  {'backtui':>9}  {'empty app':>9}  {'termdown':>9}  target",
        "-" * (width + 46),
    ]
    for f in figures:
        verdict = ""
        if f.target is not None:
            verdict = f"≤ {cell(f.target, f.digits)}  {'met' if f.value <= f.target else 'MISSED'}"
        lines.append(
            f"{f.label:<{width}}  {cell(f.value, f.digits):>9}  {cell(f.empty_app, f.digits):>9}"
            f"  {cell(f.termdown, f.digits):>9}  {verdict}"
        )
    return lines
