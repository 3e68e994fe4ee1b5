"""The catalogue as a filterable list, from which exercises are added or dragged."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual.binding import Binding
from textual.geometry import Offset
from textual.message import Message

from backtui.core.model import Exercise, Spine
from backtui.tui.widgets.row_list import RowList

SPINE_SHORT = {
    Spine.FLEXION: "flex",
    Spine.EXTENSION: "ext",
    Spine.NEUTRAL: "neut",
    Spine.LATERAL: "lat",
    Spine.ROTATION: "rot",
    Spine.MIXED: "mix",
}


class CatalogList(RowList):
    BINDING_GROUP_TITLE = "Catalogue"
    empty_text = " No exercise matches: try fewer words or clear a filter"
    BINDINGS = [
        Binding(
            "a,enter",
            "choose",
            "Add",
            id="catalog.add",
            tooltip="Add the exercise after the highlighted step",
        )
    ]

    class Highlighted(Message):
        def __init__(self, exercise: Exercise | None) -> None:
            super().__init__()
            self.exercise = exercise

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, CatalogList.Highlighted)  # holding a key bursts these

    class Chosen(Message):
        """Add this exercise to the routine (key, double click)."""

        def __init__(self, exercise: Exercise) -> None:
            super().__init__()
            self.exercise = exercise

    class Dragged(Message):
        """An exercise is being dragged; `offset` is the pointer on screen."""

        def __init__(self, exercise: Exercise, offset: Offset, *, dropped: bool) -> None:
            super().__init__()
            self.exercise = exercise
            self.offset = offset
            self.dropped = dropped

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, CatalogList.Dragged) and not message.dropped

    class DragCancelled(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # A search's results (`Catalog.results`) are found and ordered only as far
        # as they are read: the list reads only the rows it draws, and may show
        # the first ones before the rest are counted (`show(..., count=)`).
        self.exercises: Sequence[Exercise] = ()
        self._count = 0
        self._dragged: Exercise | None = None

    def show(self, exercises: Sequence[Exercise], count: int | None = None) -> None:
        """Show these, the first `count` of them (all if None) until `recount`."""
        self.exercises = exercises
        self._count = len(exercises) if count is None else count
        self.rows_changed()
        self.cursor = 0

    def recount(self, count: int) -> None:
        """More of the same exercises are known: the rows shown stay as they are."""
        if count != self._count:
            self._count = count
            self.rows_changed()

    @property
    def row_count(self) -> int:
        return self._count

    @property
    def highlighted(self) -> Exercise | None:
        return self.exercises[self.cursor] if self._count else None

    def render_row(self, index: int, width: int) -> list[Segment]:
        exercise = self.exercises[index]
        short = SPINE_SHORT[exercise.spine]
        sided = "½" if exercise.sided else " "
        room = max(width - 5 - len(short) - 2, 4)
        name = exercise.name
        if cell_len(name) > room:
            name = set_cell_size(name, room - 1) + "…"
        gap = " " * max(width - 3 - cell_len(name) - 2 - len(short) - 1, 1)
        dim = self.style_of("row-list--dim", partial=True)
        return [
            Segment(f" {exercise.spine.marker} "),
            Segment(name),
            Segment(gap),
            Segment(f"{sided} "),
            Segment(short, dim),
        ]

    def cursor_moved(self, index: int) -> None:
        self.post_message(self.Highlighted(self.highlighted))

    def action_choose(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Chosen(self.highlighted))

    def row_clicked(self, index: int, chain: int) -> None:
        if chain == 2:
            self.post_message(self.Chosen(self.exercises[index]))

    def drag_started(self, index: int) -> None:
        self._dragged = self.exercises[index]

    def drag_moved(self, offset: Offset) -> None:
        if self._dragged is not None:
            self.post_message(self.Dragged(self._dragged, offset, dropped=False))

    def drag_finished(self, offset: Offset) -> None:
        dragged, self._dragged = self._dragged, None
        if dragged is not None:
            self.post_message(self.Dragged(dragged, offset, dropped=True))

    def drag_cancelled(self) -> None:
        self._dragged = None
        self.post_message(self.DragCancelled())

    def edge_speed(self, pointer: Offset) -> int:
        # Dragging out of the catalogue is the point; never scroll it while doing so.
        return 0
