"""The palette searches the content: "Add EXERCISE" and "Open ROUTINE".

Found and ordered by the core's ranking, as the catalogue's search box and the
Open dialog find them, so the palette never disagrees with them. The
catalogue is the builder's (already loaded, its texts already normalised, its
recent searches remembered); the saved routines are listed once, when the
palette opens. A query may start with "add" or "open" to ask for one kind.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import Hit, Hits, Provider
from textual.content import Content

from backtui.core.document import RoutineListing
from backtui.core.ranking import WORST, Haystack, quality, query_words, scan

if TYPE_CHECKING:
    from backtui.tui.screens.builder import BuilderScreen

MOST = 40  # hits of each kind: the palette shows a screenful, never thousands
VERBS = ("add", "open")


class ContentCommands(Provider):
    """Add an exercise after the selected step, or open a saved routine."""

    async def startup(self) -> None:
        builder = self.builder
        listings = builder.document.listings() if builder is not None else []
        self.routines: list[tuple[RoutineListing, Haystack]] = [
            (listing, listing.haystack()) for listing in listings if not listing.broken
        ]

    @property
    def builder(self) -> BuilderScreen | None:
        from backtui.tui.screens.builder import BuilderScreen

        return self.screen if isinstance(self.screen, BuilderScreen) else None

    async def search(self, query: str) -> Hits:
        builder = self.builder
        if builder is None:
            return
        words = list(query_words(query))
        verb = words.pop(0) if words and words[0] in VERBS else None
        if not words and verb is None:
            return
        found: list[tuple[int, int, int, Hit]] = []  # (quality, kind, place, hit)
        if verb != "open":
            catalog = builder.document.shown_catalog
            for place, exercise in enumerate(catalog.search(" ".join(words))[:MOST]):
                score = quality(catalog.haystack(exercise.id), words) or 0
                found.append(
                    (
                        score,
                        0,
                        place,
                        Hit(
                            0,
                            Content.assemble(("Add ", "dim"), exercise.name),  # not markup
                            partial(builder.add_exercise, exercise.id),
                            text=f"Add {exercise.name}",
                            help=f"{exercise.category}, {exercise.position}: "
                            "add after the selected step",
                        ),
                    )
                )
        if verb != "add":
            scored = scan(self.routines, words).scored()
            for place, (score, (listing, _)) in enumerate(scored):
                if place == MOST:
                    break
                steps = f"{listing.steps} step{'' if listing.steps == 1 else 's'}"
                found.append(
                    (
                        score,
                        1,
                        place,
                        Hit(
                            0,
                            Content.assemble(("Open ", "dim"), listing.name),
                            partial(builder.open_saved, listing.slug),
                            text=f"Open {listing.name}",
                            help=f"{steps}, ~{listing.minutes} min ({listing.slug}.toml)",
                        ),
                    )
                )
        found.sort(key=lambda entry: entry[:3])
        # The palette orders every provider's hits by score: best rank, highest score.
        for index, (score, _, _, hit) in enumerate(found):
            hit.score = 1 - (score + (index + 1) / (len(found) + 1)) / (WORST + 2)
            yield hit
