"""How a step's row shares its columns between the exercise's name and its dose.

The name comes first: the dose is written in full when both fit, in its short
form when only that fits, and the name is cut (with an ellipsis) only when even
the short dose leaves it too little room. Widths are terminal cells, so a name
in a wide script is measured as it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from backtui.core.text import cell_width, char_width

ELLIPSIS = "…"
MIN_NAME = 4  # cells of a cut name (ellipsis included) worth keeping beside a dose


def crop(text: str, width: int) -> str:
    """`text` if it fits in `width` cells, else as much as fits followed by `…`."""
    if cell_width(text) <= width:
        return text
    if width <= 0:
        return ""
    kept, used = [], 0
    for char in text:
        cells = char_width(char)
        if used + cells > width - 1:
            break
        kept.append(char)
        used += cells
    return "".join(kept).rstrip() + ELLIPSIS


@dataclass(frozen=True, slots=True)
class NameAndDose:
    """The parts of a row, left to right: the name, `gap` spaces, the dose."""

    name: str
    gap: int
    dose: str

    @property
    def width(self) -> int:
        return cell_width(self.name) + self.gap + cell_width(self.dose)


def fit_name_and_dose(name: str, long_dose: str, short_dose: str, width: int) -> NameAndDose:
    """Fill exactly `width` cells (none if `width` < 1) with the name and the dose.

    The dose sits at the right, at least one space from the name.
    """
    width = max(width, 0)
    name_cells = cell_width(name)
    for dose in (long_dose, short_dose):
        if name_cells + 1 + cell_width(dose) <= width:
            return NameAndDose(name, width - name_cells - cell_width(dose), dose)
    room = width - 1 - cell_width(short_dose)
    if room >= min(MIN_NAME, name_cells):
        cut = crop(name, room)
        return NameAndDose(cut, width - cell_width(cut) - cell_width(short_dose), short_dose)
    # Too narrow for both: the name alone, cut to the width.
    cut = crop(name, width)
    return NameAndDose(cut, width - cell_width(cut), "")
