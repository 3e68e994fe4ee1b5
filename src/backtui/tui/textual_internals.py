"""Every place backtui leans on Textual's insides, fenced in one module.

Textual is pinned to the minor release these are tested on (pyproject.toml);
tests/test_textual_internals.py fails if an upgrade moves any of them, so an
upgrade is a visible decision rather than a silent breakage.

Why lean at all: the builder's lists and search box must repaint only
themselves on a keystroke. Textual's public paths (setting `virtual_size`,
an Input growing its text) ask for a layout of the whole screen, which costs
a full repaint per key with a large catalogue. And a focus change must be
one small frame: Textual repaints the whole screen for it, lays the screen out
twice when a Footer key changes width, repaints every list's scrollbar on any
layout, and draws whatever widget tells the screen first, then the rest.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from weakref import WeakSet

from textual.app import App
from textual.dom import DOMNode
from textual.filter import Monochrome, NoColor
from textual.geometry import Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets._footer import FooterKey


def set_row_count(view: ScrollView, rows: int) -> None:
    """Give a Line API view a new height without a layout of the screen.

    Views that use this always show their vertical scrollbar and never scroll
    sideways (`overflow-y: scroll; overflow-x: hidden`), so a new height changes
    only the scrollbar and the lines, never the layout. The width is the content
    region's, so no horizontal scrollbar is ever called for.
    """
    size = Size(view.scrollable_content_region.width, rows)
    if size != view.virtual_size:
        # Internal: set without the watcher, which would lay out the screen.
        view.set_reactive(ScrollView.virtual_size, size)
        # Internal: the scrollbar's own idea of the sizes, normally set by layout.
        scrollbar = view.vertical_scrollbar
        scrollbar.window_virtual_size = size.height
        scrollbar.window_size = view.scrollable_content_region.height
        view.scroll_y = min(view.scroll_y, view.max_scroll_y)
    view.refresh()


class SteadyScrollbars(ScrollView):
    """A Line API view whose scrollbars are left alone by a layout that changes nothing.

    Internal: Textual hands a `ScrollView` its region's size as its virtual size
    in every layout (`ScrollView._size_updated`), which differs from the view's
    own whenever it has more lines than fit, so every layout of the screen (a
    Footer key changing width, say) repaints each view's scrollbar, a frame
    later. The views that use this keep their scrollbars up to date themselves
    (`set_row_count`); a layout still updates them when the view's size, its
    container's or its own virtual size changed since the last one.
    """

    _sized_for: tuple[Size, Size, Size] | None = None

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        sized_for = (size, self.virtual_size, container_size)
        if sized_for == self._sized_for:
            return False  # as Textual would answer: no Resize event
        self._sized_for = sized_for
        return super()._size_updated(size, virtual_size, container_size, layout)


class SteadyFooterKey(FooterKey):
    """A Footer key whose new width, found by a layout, does not ask for another layout.

    Internal: `Widget._size_updated` sets the `virtual_size` reactive, which
    lays the screen out again (a second layout, and a second frame) whenever a
    widget's size changes. A key has no children: nothing depends on it.
    """

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)


def virtual_size_without_layout() -> Reactive[Size]:
    """A `virtual_size` reactive that repaints its widget but never lays out the screen.

    Internal: redeclares the reactive Textual's `Input` defines with `layout=True`.
    """
    return Reactive(Size(0, 0), layout=False)


def focused_without_repaint() -> Reactive[Widget | None]:
    """A screen's `focused` reactive that does not repaint the whole screen.

    Internal: redeclares the reactive Textual's `Screen` defines with the default
    `repaint=True`.
    """
    return Reactive(None, repaint=False)


def match_no_color_to_theme(app: App) -> bool:
    """Under NO_COLOR, the colour-removing filter that suits the current theme.

    Textual picks its NO_COLOR filter once, for the theme the app is made with:
    greys (`Monochrome`) for a theme of RGB colours, the terminal's own colours
    (`NoColor`) for one of ANSI colours. It keeps that filter when the theme
    changes, so an ANSI theme chosen at start (the `terminal` theme) is drawn
    as greys of black: black on black. Returns whether the filter changed.
    """
    if not app.no_color:
        return False
    wanted = NoColor if app.native_ansi_color else Monochrome
    filters = app._filters  # Internal: the app's line filters, applied to every line
    for index, line_filter in enumerate(filters):
        if isinstance(line_filter, NoColor | Monochrome) and type(line_filter) is not wanted:
            filters[index] = wanted()
            return True
    return False


def set_footer_key_disabled(key: FooterKey, disabled: bool) -> None:
    """Make a Footer key ring the bell when clicked, rather than press its key.

    Internal: `FooterKey` takes `disabled` only when it is made, and keeps it in
    `_disabled`, which its mouse handler reads.
    """
    key._disabled = disabled


def watcher_count(node: DOMNode) -> int:
    """How many watchers other objects have registered on `node`'s reactives.

    Internal: `watch` and `data_bind` keep them in the node's `__watchers` dict.
    """
    watchers: dict[str, list[object]] = getattr(node, "__watchers", {})
    return sum(len(callbacks) for callbacks in watchers.values())


def hold_frames(app: App) -> Callable[[], None]:
    """Write no frame until the returned function is called, then one, in full.

    Internal: `App._display` is what hands a frame to the terminal; dropping its
    frames lets start-up lay out and paint as usual, without the terminal seeing
    each step (`batch_update` would stop the layouts too, leaving them all, and
    the frames they cause, for after). Start-up mounts, lays out and fills the
    screens in several steps (the Footer's keys come last, a refresh later):
    shown as they came, they were a dozen frames, most of them soon overwritten.
    """
    app._display = lambda screen, renderable: None  # type: ignore[method-assign]
    held = True

    def release() -> None:
        nonlocal held
        if held:
            held = False
            del app._display  # the class's again
            app.screen.refresh()

    return release


SETTLE_ROUNDS = 20  # turns of the event loop a held frame waits, at most


def draw_when_settled(screen: Screen) -> None:
    """Hold the screen's next frame until its widgets have handled what they were sent.

    A focus change reaches several widgets at once: the one losing focus and the
    one gaining it (each repaints as it handles its event), those whose style
    follows `:focus`, and the Footer's keys. Each tells the screen in its own
    turn of the event loop, and the screen draws as soon as it is idle with
    anything to draw, so one focus change was two frames: the second drew what
    came late. This keeps the screen busy (a few turns of the event loop, while
    the widgets do that work: 2 to 4 for a Tab in the builder) until none of its
    mounted widgets has a message or a repaint waiting; the screen then takes in
    every change and draws once.

    Internal: a widget's `_is_mounted`, `_message_queue`, `_next_callbacks` and
    its `_repaint_required`/`_layout_required` flags (cleared once it has told
    the screen) say whether it is done.
    """
    if screen in _settling:
        return
    _settling.add(screen)

    async def settle() -> None:
        try:
            for _ in range(SETTLE_ROUNDS):
                await asyncio.sleep(0)
                if not any(_busy(node) for node in screen.walk_children(Widget)):
                    break
        finally:
            _settling.discard(screen)

    # A message to the screen, ahead of what the widgets will send it: it reads
    # them all after this, and is idle (and draws) only then.
    screen.call_later(settle)


_settling: WeakSet[Screen] = WeakSet()


def _busy(node: Widget) -> bool:
    if not node._is_mounted:
        return False  # still being mounted, which may wait on the screen: not waited for
    return bool(
        node._repaint_required
        or node._layout_required
        or node._next_callbacks
        or not node._message_queue.empty()
    )


def screen_strips(app: App) -> list[Strip]:
    """The screen as the terminal is sent it, line by line (the compositor's strips).

    Internal: `Screen._compositor`. Tests read every cell through this, to check
    colours and that no hostile character reaches the terminal.
    """
    return list(app.screen._compositor.render_strips())
