"""Plain-text tables for the command line, measured in terminal columns.

A wide character (most CJK, many emoji) takes two columns and a combining mark
none, so widths here count cells, not characters. Text is expected to be made
safe to show (`text.visible` or `text.clean`) before it is laid out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from backtui.core import model
from backtui.core.text import visible

WIDTH = 80
GAP = "  "
ID_MAX = 30  # a longer id (they run to 64) goes on a line of its own, never cut


def cells(text: str) -> int:
    """Columns the text takes in a terminal."""
    return sum(_cell(ch) for ch in text)


def _cell(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def fit(text: str, width: int) -> str:
    """The text cut to `width` columns, with … where it was cut."""
    if cells(text) <= width:
        return text
    kept, used = [], 0
    for ch in text:
        if used + _cell(ch) > width - 1:
            break
        kept.append(ch)
        used += _cell(ch)
    return "".join(kept) + "…"


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cells(text))


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """Left-aligned columns two spaces apart, trailing blanks trimmed."""
    every = [list(header), *(list(row) for row in rows)]
    widths = [max(cells(row[i]) for row in every) for i in range(len(header))]
    return [GAP.join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in every]


def catalog_table(exercises: Iterable[model.Exercise], width: int = WIDTH) -> list[str]:
    """The catalogue in `width` columns: one group per category (in the order the
    catalogue first names them), a row per exercise with its id, spinal direction,
    position and name. Names are shortened to fit; ids never are."""
    groups: dict[str, list[model.Exercise]] = {}
    for exercise in exercises:
        groups.setdefault(exercise.category.value, []).append(exercise)
    every = [e for group in groups.values() for e in group]
    if not every:
        return []
    id_w = min(ID_MAX, max(cells("ID"), *(cells(e.id) for e in every)))
    spine_w = max(cells("SPINE"), *(cells(_spine(e)) for e in every))
    position_w = max(cells("POSITION"), *(cells(e.position.value) for e in every))
    name_w = width - id_w - spine_w - position_w - 3 * len(GAP)
    blank = " " * (id_w + len(GAP))

    def row(id_: str, spine: str, position: str, name: str) -> list[str]:
        rest = GAP.join((pad(spine, spine_w), pad(position, position_w), fit(name, name_w)))
        if cells(id_) > id_w:
            return [id_, (blank + rest).rstrip()]
        return [(pad(id_, id_w) + GAP + rest).rstrip()]

    lines = row("ID", "SPINE", "POSITION", "NAME")
    for category, group in groups.items():
        lines += ["", category]
        for e in group:
            lines += row(visible(e.id), _spine(e), e.position.value, visible(e.name))
    return lines


def _spine(exercise: model.Exercise) -> str:
    return f"{exercise.spine.marker} {exercise.spine}"
