"""The catalogue side of the builder: search, filters, the list and the chosen move.

It lists what it is given (`show_catalog`) and says what the person picked
with `CatalogList`'s own messages, which bubble up to the screen; it knows
nothing of the routine beyond the names the detail needs (`lookup`).
"""

from __future__ import annotations

from collections.abc import Mapping

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Input, Select

from backtui.core.catalog import Catalog, Results
from backtui.core.model import Category, Exercise, Position, Spine, Step
from backtui.tui.widgets.catalog_list import CatalogList
from backtui.tui.widgets.exercise_detail import ExerciseDetail
from backtui.tui.widgets.search_box import SearchBox

DETAIL_DELAY = 0.1  # the detail follows the highlight once it rests this long
COUNT_SLICE = 0.004  # seconds of counting a large search between two frames


class CatalogPane(Vertical):
    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.catalog = catalog
        self.lookup: Mapping[str, Exercise] = catalog  # names for the detail's links
        self._detail_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield SearchBox(
            placeholder="/ search exercises", id="search", compact=True, leave=self.leave_search
        )
        with Horizontal(id="filters"):
            yield Select(
                [(c.value, c) for c in Category],
                prompt="category",
                id="filter-category",
                compact=True,
            )
            yield Select(
                [(f"{s.marker} {s.value}", s) for s in Spine],
                prompt="spine",
                id="filter-spine",
                compact=True,
            )
            yield Select(
                [(p.value, p) for p in Position],
                prompt="position",
                id="filter-position",
                compact=True,
            )
        yield CatalogList(id="catalog")
        yield ExerciseDetail(id="detail")

    def on_mount(self) -> None:
        # Watching the value (rather than waiting for Input.Changed) filters while
        # the key is handled, so the typed letter and the new list share one frame.
        self.watch(self.query_one("#search", Input), "value", self.apply_filter, init=False)
        self.apply_filter()
        self._prepare_search()

    def _prepare_search(self) -> None:
        # The search texts are read once the list is on screen, not before the
        # first frame nor at the first key (~4 µs an exercise: 0.2 s at 50,000).
        self.call_after_refresh(self.catalog.prepare_search)

    def show_catalog(self, catalog: Catalog) -> None:
        if catalog is not self.catalog:
            self.catalog = catalog
            self.apply_filter()
            self._prepare_search()

    def focus_search(self) -> None:
        # At once, not on the next idle as `Widget.focus` does: over SSH "/bri"
        # often arrives in one read, and the "b", "r", "i" belong in the box.
        self.screen.set_focus(self.query_one("#search", Input))

    @on(Select.Changed)
    def apply_filter(self) -> None:
        def chosen(selector: str):
            value = self.query_one(selector, Select).value
            return None if value is Select.NULL else value

        results = self.catalog.results(
            self.query_one("#search", Input).value,
            category=chosen("#filter-category"),
            spine=chosen("#filter-spine"),
            position=chosen("#filter-position"),
        )
        listing = self.query_one(CatalogList)
        if results.counted:
            listing.show(results)
            return
        # A large catalogue: the rows on screen now (exact: see `ranking.Search`),
        # the count (the scrollbar) once the screen is drawn, a slice at a time.
        results[: max(listing.size.height * 2, 64)]
        listing.show(results, count=results.ready)
        self.call_after_refresh(self._count_more, results)

    def _count_more(self, results: Results) -> None:
        listing = self.query_one(CatalogList)
        if listing.exercises is not results:  # another search since
            return
        if results.advance(COUNT_SLICE):
            listing.recount(len(results))
        else:
            self.call_after_refresh(self._count_more, results)

    @on(Input.Submitted, "#search")
    def choose_first_match(self) -> None:
        first = self.query_one(CatalogList).highlighted
        if first is not None:
            self.post_message(CatalogList.Chosen(first))

    def show_step(self, step: Step, number: int, count: int) -> None:
        """The routine's selected step, while the routine has focus."""
        exercise = self.lookup.get(step.exercise)
        if exercise is not None:
            self._cancel_detail()
            self.query_one(ExerciseDetail).show_step(step, number, count, exercise, self.lookup)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Back in the catalogue: the detail shows its highlighted move again.
        if not isinstance(event.widget, ExerciseDetail):
            self._cancel_detail()
            self.query_one(ExerciseDetail).show(
                self.query_one(CatalogList).highlighted, self.lookup
            )

    def _cancel_detail(self) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None

    @on(CatalogList.Highlighted)
    def show_detail(self, event: CatalogList.Highlighted) -> None:
        # The detail waits until the highlight rests, so typing or holding a key
        # repaints only the list; the detail follows a tenth of a second later.
        detail = self.query_one(ExerciseDetail)
        if self.screen.focused is not None and not self.has_focus_within:
            return  # the routine has focus, and the detail shows its step
        self._cancel_detail()

        def show() -> None:
            detail.show(event.exercise, self.lookup)

        if detail.shown is False:
            show()
        else:
            self._detail_timer = self.set_timer(DETAIL_DELAY, show)

    def leave_search(self, key: str) -> None:
        """From the search box, Down lands on the best match, so `a` or Enter
        then adds what the search put first; Escape goes back to where the list was."""
        results = self.query_one(CatalogList)
        if key == "down":
            results.cursor = 0
        self.screen.set_focus(results)
