"""Pick a saved routine: a searchable list with steps and minutes, best match first."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from backtui.core.document import RoutineListing
from backtui.core.ranking import rank
from backtui.tui.screens.base import Dialog
from backtui.tui.widgets.search_box import SearchBox


def label(listing: RoutineListing) -> Content:
    """Content, not markup: the name comes from a file."""
    if listing.broken:
        return Content(f"{listing.slug}.toml — cannot open: {listing.broken}")
    steps = f"{listing.steps} step{'' if listing.steps == 1 else 's'}"
    return Content(f"{listing.name}  ·  {steps}  ·  ~{listing.minutes} min  ({listing.slug})")


class OpenRoutineScreen(Dialog[str | None]):
    DEFAULT_CSS = """
    OpenRoutineScreen {
        & #open-box { height: 80%; }
        & #open-list { height: 1fr; }
    }
    """

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, choices: list[RoutineListing]) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="open-box"):
            yield Label("Open a saved routine", classes="dialog-question")
            yield SearchBox(
                placeholder="Search routines",
                id="open-search",
                compact=True,
                leave=self.leave_search,
            )
            yield OptionList(id="open-list")

    def on_mount(self) -> None:
        self.fill("")

    def fill(self, query: str) -> None:
        """The routines matching the query, best first (as every search box ranks them)."""
        options = [
            Option(label(choice), id=choice.slug, disabled=bool(choice.broken))
            for choice in rank(self.choices, RoutineListing.haystack, query)
        ]
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options(options)
        if options:
            listing.highlighted = 0

    @on(Input.Changed)
    def search(self, event: Input.Changed) -> None:
        self.fill(event.value)

    @on(Input.Submitted)
    def open_first(self) -> None:
        listing = self.query_one(OptionList)
        if listing.highlighted is not None:
            option = listing.get_option_at_index(listing.highlighted)
            if not option.disabled:
                self.dismiss(option.id)

    def leave_search(self, key: str) -> None:
        """Down lands on the first match, so Enter then opens it; Escape cancels."""
        if key == "escape":
            self.dismiss(None)
            return
        listing = self.query_one(OptionList)
        if listing.option_count:
            listing.highlighted = 0
        self.set_focus(listing)

    @on(OptionList.OptionSelected)
    def open(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
