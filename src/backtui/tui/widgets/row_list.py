"""A keyboard- and mouse-driven list that renders only the rows on screen.

Both lists in the builder can hold thousands of rows (a large user catalogue, a
500-step routine); rebuilding a widget per row costs far more than a frame. This
Line API list draws each visible row on demand, so a filter or a move costs the
same whatever the length. Drag gestures are tracked here with mouse capture
(Textual has no drag-and-drop API) and handed to subclasses as screen offsets.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Offset, Region
from textual.reactive import reactive
from textual.strip import Strip
from textual.timer import Timer

from backtui.tui.textual_internals import SteadyScrollbars, set_row_count

DRAG_THRESHOLD = 2  # cells the pointer moves before a press becomes a drag
EDGE_ROWS = 2  # rows at the top and bottom edge that scroll the list while dragging


class RowList(SteadyScrollbars, can_focus=True):
    ALLOW_SELECT = False

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False, tooltip="Highlight the row above"),
        Binding("down", "cursor(1)", "Down", show=False, tooltip="Highlight the row below"),
        Binding("pageup", "page(-1)", "Page up", show=False, tooltip="A page up"),
        Binding("pagedown", "page(1)", "Page down", show=False, tooltip="A page down"),
        Binding("home", "jump(0)", "First", show=False, tooltip="The first row"),
        Binding("end", "jump(-1)", "Last", show=False, tooltip="The last row"),
    ]

    COMPONENT_CLASSES = {"row-list--cursor", "row-list--drag", "row-list--dim"}

    DEFAULT_CSS = """
    RowList {
        background: $surface;
        scrollbar-size-vertical: 1;
        overflow-y: scroll;
        overflow-x: hidden;
        /* The selected row of a list without focus is underlined, so it shows
           in 16 colours and without colour; with focus it is bold. */
        & > .row-list--cursor {
            background: $block-cursor-blurred-background;
            text-style: underline;
        }
        &:focus > .row-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .row-list--drag { background: $accent; color: $text; text-style: bold; }
        & > .row-list--dim { text-style: dim; }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    empty_text = ""  # shown on the first line when there are no rows

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._press: tuple[int, Offset] | None = None
        self._dragging = False
        self._pointer: Offset | None = None
        self._edge_timer: Timer | None = None
        self._drag_just_ended = False
        self._style_cache: dict[tuple[str, bool], Style] = {}

    # What subclasses provide -------------------------------------------------
    @property
    def row_count(self) -> int:
        raise NotImplementedError

    def render_row(self, index: int, width: int) -> list[Segment]:
        raise NotImplementedError

    def row_style(self, index: int) -> Style:
        """The style a row is drawn in; the cursor row by default stands out."""
        if index == self.cursor:
            return self.style_of("row-list--cursor")
        return self.style_of("")

    def style_of(self, component: str, *, partial: bool = False) -> Style:
        """A component's style ("" for the widget's own), cached: rows ask for it per line."""
        key = (component, partial)
        style = self._style_cache.get(key)
        if style is None:
            if component:
                style = self.get_component_rich_style(component, partial=partial)
            else:
                style = self.rich_style
            self._style_cache[key] = style
        return style

    def notify_style_update(self) -> None:
        self._style_cache.clear()
        super().notify_style_update()

    def drag_started(self, index: int) -> None:
        """A press on row `index` became a drag."""

    def drag_moved(self, offset: Offset) -> None:
        """The pointer moved while dragging (screen coordinates)."""

    def drag_finished(self, offset: Offset) -> None:
        """The button was released while dragging (screen coordinates)."""

    def drag_cancelled(self) -> None:
        """The drag ended without a drop."""

    def row_clicked(self, index: int, chain: int) -> None:
        """A click (not a drag) on a row; chain is 2 for a double click."""

    # Rendering ----------------------------------------------------------------
    def rows_changed(self) -> None:
        """Call after the rows change: resize, keep the cursor in range, repaint.

        The scrollbar is always shown, so a new row count never changes the
        layout: the scrollbar and the lines repaint, nothing else does.
        """
        set_row_count(self, self.row_count)
        last = max(self.row_count - 1, 0)
        if self.cursor > last:
            self.cursor = last
        self.refresh()

    def on_resize(self) -> None:
        set_row_count(self, self.row_count)

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width  # the scrollbar's column is not ours
        if index >= self.row_count:
            if index == 0 and self.empty_text:
                return (
                    Strip([Segment(self.empty_text)])
                    .apply_style(self.style_of("row-list--dim", partial=True))
                    .adjust_cell_length(width, self.style_of(""))
                )
            return Strip.blank(width, self.style_of(""))
        style = self.row_style(index)
        strip = Strip(self.render_row(index, width)).apply_style(style)
        return strip.adjust_cell_length(width, style)

    # Keyboard -----------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, immediate=True, x_axis=False)
        self.cursor_moved(new)

    def cursor_moved(self, index: int) -> None:
        """The highlighted row changed."""

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self.row_count - 1)) if self.row_count else 0

    def action_cursor(self, delta: int) -> None:
        self.cursor += delta

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(self.scrollable_content_region.height - 1, 1)

    def action_jump(self, index: int) -> None:
        self.cursor = index if index >= 0 else self.row_count - 1

    # Mouse --------------------------------------------------------------------
    def row_at(self, screen_y: int) -> int:
        """The row index under a screen line (may be out of range)."""
        return self.scroll_offset.y + screen_y - self.content_region.y

    @property
    def dragging(self) -> bool:
        return self._dragging

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        self.cancel_drag()  # a mouse-up may have been lost: start clean
        self._drag_just_ended = False
        index = self.row_at(event.screen_y)
        if 0 <= index < self.row_count:
            self._press = (index, event.screen_offset)
            self.capture_mouse()
            event.stop()
            event.prevent_default()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        # Guard on our own state, not event.button: terminals differ in what they send.
        if self._press is None:
            return
        index, start = self._press
        self._pointer = event.screen_offset
        if not self._dragging:
            # Another row, or a couple of cells sideways, makes it a drag.
            if event.screen_y == start.y and abs(event.screen_x - start.x) < DRAG_THRESHOLD:
                return
            self._dragging = True
            self.drag_started(index)
        self.drag_moved(event.screen_offset)
        self._update_edge_scroll()
        event.stop()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._press is None:
            return
        index, _ = self._press
        was_dragging = self._dragging
        self._end_gesture()
        if was_dragging:
            self._drag_just_ended = True
            self.drag_finished(event.screen_offset)
        else:
            self.cursor = index
        event.stop()

    def on_click(self, event: events.Click) -> None:
        if self._drag_just_ended:  # the click that closes a drag is not a click
            self._drag_just_ended = False
            return
        index = self.row_at(event.screen_y)
        if 0 <= index < self.row_count:
            self.cursor = index
            self.row_clicked(index, event.chain)

    def on_mouse_release(self, event: events.MouseRelease) -> None:
        # Capture lost without a mouse-up (it can happen): end the drag quietly.
        self.cancel_drag()

    def on_hide(self) -> None:
        self.cancel_drag()

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape" and self._dragging:
            self.cancel_drag()
            event.stop()
            event.prevent_default()

    def cancel_drag(self) -> None:
        was_dragging = self._dragging
        self._end_gesture()
        if was_dragging:
            self.drag_cancelled()

    def _end_gesture(self) -> None:
        self._press = None
        self._dragging = False
        self._pointer = None
        if self._edge_timer is not None:
            self._edge_timer.stop()
            self._edge_timer = None
        if self.app.mouse_captured is self:
            self.release_mouse()

    # Scrolling at the edges while dragging ---------------------------------------
    def edge_speed(self, pointer: Offset) -> int:
        """Rows to scroll per tick: negative up, positive down, faster nearer the edge."""
        region = self.content_region
        top_gap = pointer.y - region.y
        bottom_gap = region.bottom - 1 - pointer.y
        if top_gap < EDGE_ROWS:
            return -(EDGE_ROWS - max(top_gap, -EDGE_ROWS))
        if bottom_gap < EDGE_ROWS:
            return EDGE_ROWS - max(bottom_gap, -EDGE_ROWS)
        return 0

    def _update_edge_scroll(self) -> None:
        if self._pointer is None or self.edge_speed(self._pointer) == 0:
            # (also reached when a drag from elsewhere leaves this list)
            if self._edge_timer is not None:
                self._edge_timer.stop()
                self._edge_timer = None
            return
        if self._edge_timer is None:
            self._edge_timer = self.set_interval(0.08, self._edge_tick)

    def _edge_tick(self) -> None:
        if self._pointer is None:
            return
        speed = self.edge_speed(self._pointer)
        if speed:
            self.scroll_to(y=self.scroll_offset.y + speed, animate=False, immediate=True)
            self.pointer_moved(self._pointer)

    def pointer_moved(self, offset: Offset) -> None:
        """The list scrolled under a still pointer during a drag."""
        self.drag_moved(offset)

    def follow_pointer(self, offset: Offset | None) -> None:
        """Scroll at the edges for a drag that started in another widget (None ends it)."""
        self._pointer = offset
        self._update_edge_scroll()
