"""The routine's steps, in order, reordered by dragging or by keys."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Offset
from textual.message import Message

from backtui.core.model import Exercise, Routine
from backtui.core.step_row import fit_name_and_dose
from backtui.tui.widgets.row_list import RowList


@dataclass(frozen=True)
class _Ghost:
    """An exercise being dragged in from the catalogue, shown where it would land."""

    index: int
    label: str


class StepList(RowList):
    BINDING_GROUP_TITLE = "Routine"
    empty_text = " No steps: add one from the catalogue"
    BINDINGS = [
        Binding(
            "shift+up",
            "move(-1)",
            "Move",
            key_display="⇧↑↓",
            id="step.move_up",
            tooltip="Move the step up",
        ),
        Binding(
            "shift+down",
            "move(1)",
            "Move down",
            key_display="⇧↓",
            show=False,
            id="step.move_down",
            tooltip="Move the step down",
        ),
        # Priority: the app runs it before it hands on the next key (see action_edit).
        Binding(
            "enter,e",
            "edit",
            "Dose",
            id="step.edit",
            tooltip="Set the step's dose",
            priority=True,
        ),
        Binding(
            "delete,x",
            "remove",
            "Remove",
            key_display="x",
            id="step.remove",
            tooltip="Remove the step",
        ),
        Binding(
            "d",
            "duplicate",
            "Duplicate",
            show=False,
            id="step.duplicate",
            tooltip="Duplicate the step",
        ),
        Binding(
            "less_than_sign",
            "step('easier')",
            "Easier",
            key_display="<",
            show=False,
            id="step.easier",
            tooltip="Swap the step for an easier version of the move",
        ),
        Binding(
            "greater_than_sign",
            "step('harder')",
            "Harder",
            key_display=">",
            show=False,
            id="step.harder",
            tooltip="Swap the step for a harder version of the move",
        ),
    ]

    COMPONENT_CLASSES = {"step-list--warning"}

    DEFAULT_CSS = """
    StepList > .step-list--warning { color: $warning; text-style: bold; }
    """

    class Reordered(Message):
        """A step moved from `old` to `new` (by drag or by key)."""

        def __init__(self, old: int, new: int) -> None:
            super().__init__()
            self.old = old
            self.new = new

    class Selected(Message):
        """The step at `index` is the one in view (the cursor moved, or the list took focus)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, StepList.Selected)

    class StepAction(Message):
        """Edit, remove, duplicate, or swap for an easier or harder move, the step at `index`."""

        def __init__(self, action: str, index: int) -> None:
            super().__init__()
            self.action = action
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._routine: Routine | None = None
        self._lookup: Mapping[str, Exercise] = {}
        self._warned: frozenset[int] = frozenset()
        self._moving: tuple[int, int] | None = None  # (from, drop) while dragging a step
        self._ghost: _Ghost | None = None

    def show(
        self, routine: Routine, lookup: Mapping[str, Exercise], warned: frozenset[int]
    ) -> None:
        self._routine = routine
        self._moving = None
        self._lookup = lookup
        self._warned = warned
        self.rows_changed()

    @property
    def step_count(self) -> int:
        return len(self._routine.steps) if self._routine else 0

    @property
    def row_count(self) -> int:
        return self.step_count + (1 if self._ghost else 0)

    # Which step sits on which row while a drag previews its result ----------------
    def _source(self, row: int) -> int | None:
        """The step index drawn on `row`; None for the ghost of an insert."""
        if self._ghost is not None:
            if row == self._ghost.index:
                return None
            return row - 1 if row > self._ghost.index else row
        if self._moving is not None:
            start, drop = self._moving
            if row == drop:
                return start
            if start < drop and start <= row < drop:
                return row + 1
            if drop < row <= start:
                return row - 1
        return row

    def row_style(self, index: int) -> Style:
        if (self._moving and index == self._moving[1]) or (
            self._ghost and index == self._ghost.index
        ):
            return self.style_of("row-list--drag")
        return super().row_style(index)

    def render_row(self, index: int, width: int) -> list[Segment]:
        source = self._source(index)
        if source is None:
            assert self._ghost is not None
            return [Segment(f" ++ {self._ghost.label}  (drop to add)")]
        assert self._routine is not None
        step = self._routine.steps[source]
        exercise = self._lookup.get(step.exercise)
        warned = source in self._warned
        # Markers first, read without colour: the number, the spine marker, `½`
        # for a move done one side at a time; an unbalanced step ends with ` !`.
        number = f"{source + 1:>{len(str(self.step_count))}} "
        marker = (exercise.spine.marker if exercise else "?") + (
            "½ " if exercise is not None and exercise.sided else "  "
        )
        flag = " !" if warned else ""
        if exercise is None:
            name, long_dose, short_dose = step.exercise, "unknown", "?"
        else:
            dose = step.dose(exercise)
            name, long_dose, short_dose = exercise.name, dose.describe(), dose.describe_short()
        room = width - cell_len(number) - cell_len(marker) - cell_len(flag)
        row = fit_name_and_dose(name, long_dose, short_dose, room)
        segments = [
            Segment(number),
            Segment(marker),
            Segment(row.name),
            Segment(" " * row.gap),
            Segment(row.dose, self.style_of("row-list--dim", partial=True)),
        ]
        if warned:
            segments.append(Segment(flag, self.style_of("step-list--warning", partial=True)))
        return segments

    # Keyboard ---------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        old = self.cursor
        new = old + delta
        if 0 <= new < self.step_count and old < self.step_count:
            self.post_message(self.Reordered(old, new))

    async def action_edit(self) -> None:
        """Ask the screen for the step's dose form, and return once it has answered.

        Over SSH `e12<tab>5` can arrive in one read. The app hands each key to
        whatever has focus when it takes the key; this binding is a priority one,
        so the app runs it first and waits, the screen pushes the form meanwhile,
        and Textual mounts a pushed screen (focusing its first field) before the
        app takes the next key: the `1` lands in the form, not in this list.
        """
        if self.step_count:
            await self._ask_screen(self.StepAction("edit", self.cursor))

    async def _ask_screen(self, message: Message) -> None:
        screen = self.screen
        answered = asyncio.Event()
        # Straight to the screen (no hops up the tree), then a callback behind it:
        # when the callback runs, the screen has handled the message.
        if screen.post_message(message) and screen.call_later(answered.set):
            with suppress(TimeoutError):  # never hold the keyboard for long
                await asyncio.wait_for(answered.wait(), timeout=1.0)

    def action_remove(self) -> None:
        if self.step_count:
            self.post_message(self.StepAction("remove", self.cursor))

    def action_duplicate(self) -> None:
        if self.step_count:
            self.post_message(self.StepAction("duplicate", self.cursor))

    def action_step(self, action: str) -> None:
        if self.step_count:
            self.post_message(self.StepAction(action, self.cursor))

    def cursor_moved(self, index: int) -> None:
        self.post_message(self.Selected(index))

    def on_focus(self) -> None:
        self.post_message(self.Selected(self.cursor))

    def row_clicked(self, index: int, chain: int) -> None:
        if chain == 2:
            self.post_message(self.StepAction("edit", index))

    # Dragging a step --------------------------------------------------------------
    def drop_index(self, offset: Offset, *, inserting: bool) -> int:
        rows = self.step_count + (1 if inserting else 0)
        return max(0, min(self.row_at(offset.y), rows - 1))

    def drag_started(self, index: int) -> None:
        self._moving = (index, index)
        self.refresh()

    def drag_moved(self, offset: Offset) -> None:
        if self._moving is None:
            return
        drop = self.drop_index(offset, inserting=False)
        if drop != self._moving[1]:
            self._moving = (self._moving[0], drop)
            self.refresh()

    def drag_finished(self, offset: Offset) -> None:
        moving = self._moving
        if (
            moving is None
            or moving[0] == moving[1]
            or not self.content_region.contains_point(offset)
        ):
            self.drag_cancelled()  # a drop outside the list cancels
            return
        # The preview already shows the new order; it stays until `show` brings
        # the reordered routine, so no frame shows the old order in between.
        self.post_message(self.Reordered(*moving))

    def drag_cancelled(self) -> None:
        self._moving = None
        self.refresh()

    # An exercise dragged in from the catalogue --------------------------------------
    def preview_insert(self, label: str, offset: Offset) -> int | None:
        """Show where a dragged exercise would land; None when the pointer is elsewhere."""
        if not self.content_region.contains_point(offset):
            self.end_preview()
            return None
        self.follow_pointer(offset)
        if self._ghost is None:
            self._ghost = _Ghost(self.step_count, label)
        index = self.drop_index(offset, inserting=True)
        if index != self._ghost.index:
            self._ghost = _Ghost(index, label)
            self.rows_changed()
        elif self.virtual_size.height != self.row_count:
            self.rows_changed()
        return index

    def pointer_moved(self, offset: Offset) -> None:
        if self._ghost is not None:
            self.preview_insert(self._ghost.label, offset)
        else:
            self.drag_moved(offset)

    def end_preview(self) -> None:
        self.follow_pointer(None)
        if self._ghost is not None:
            self._ghost = None
            self.rows_changed()
