"""The palette searches the content: exercises, saved routines, themes, settings.

"Add EXERCISE", "Open ROUTINE", "Run ROUTINE", "Theme: NAME" and "Setting: NAME", found and
ordered by the core's ranking, as the catalogue's search box and the Open
dialog find them, so the palette never disagrees with them. The catalogue is
the builder's (already loaded, its texts already normalised, its recent
searches remembered); the saved routines and the themes are listed once, when
the palette opens. A query may start with a kind's verb ("add", "open", "run",
"theme", "set") to ask for that kind only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual.command import Hit, Hits, Provider
from textual.content import Content

from backtui.core.document import RoutineListing
from backtui.core.ranking import WORST, Haystack, quality, query_words, scan
from backtui.core.spec import SpecField

if TYPE_CHECKING:
    from backtui.tui.screens.builder import BuilderScreen

MOST = 40  # hits of each kind: the palette shows a screenful, never thousands

Found = tuple[int, int, Hit]  # (quality, place in its kind's ranking, hit)
Source = Callable[["BuilderScreen", Sequence[str]], Iterable[Found]]


def run_saved(builder: BuilderScreen, slug: str) -> None:
    """Run a saved routine, as `r` runs the open one; the open routine stays open.

    The routine open in the builder runs as it is there (as `r` does), unsaved
    changes and all; any other runs as saved, with nothing to ask.
    """
    if slug == builder.slug:
        builder.action_run()
        return
    from backtui.tui.screens.runner import RunnerScreen

    stored = builder.document.store.load(slug)
    if stored.routine is None:
        first = stored.result.first_error
        builder.notify(f"{stored.path}: {first or 'cannot be read'}", severity="error")
        return
    settings = builder.app.settings  # type: ignore[attr-defined]
    builder.app.push_screen(
        RunnerScreen(stored.routine, builder.catalog, key=slug, settings=settings)
    )


class ContentCommands(Provider):
    """Add an exercise after the selected step, open or run a saved routine, switch theme."""

    async def startup(self) -> None:
        builder = self.builder
        listings = builder.document.listings() if builder is not None else []
        self.routines: list[tuple[RoutineListing, Haystack]] = [
            (listing, listing.haystack()) for listing in listings if not listing.broken
        ]
        self.themes: list[tuple[str, Haystack]] = [
            (name, Haystack.of(name)) for name in sorted(self.app.available_themes)
        ]
        from backtui.tui.screens.settings_form import SettingsForm

        self.settings: list[tuple[SpecField, Haystack]] = [
            (field, Haystack.of(field.label, field.name, (field.spec.help, "settings")))
            for field in SettingsForm.editable_fields()
        ]

    @property
    def builder(self) -> BuilderScreen | None:
        from backtui.tui.screens.builder import BuilderScreen

        return self.screen if isinstance(self.screen, BuilderScreen) else None

    def kinds(self) -> tuple[tuple[str, Source], ...]:
        """Each kind of hit with its verb, in the order equal matches are shown."""
        return (
            ("add", self.exercise_hits),
            ("open", self.open_hits),
            ("run", self.run_hits),
            ("theme", self.theme_hits),
            ("set", self.setting_hits),
        )

    async def search(self, query: str) -> Hits:
        builder = self.builder
        if builder is None:
            return
        kinds = self.kinds()
        words = list(query_words(query))
        verb = words.pop(0) if words and words[0] in dict(kinds) else None
        if not words and verb is None:
            return
        found: list[tuple[int, int, int, Hit]] = []  # (quality, kind, place, hit)
        for kind, (kind_verb, source) in enumerate(kinds):
            if verb in (None, kind_verb):
                found.extend(
                    (score, kind, place, hit) for score, place, hit in source(builder, words)
                )
        found.sort(key=lambda entry: entry[:3])
        # The palette orders every provider's hits by score: best rank, highest score.
        for index, (score, _, _, hit) in enumerate(found):
            hit.score = 1 - (score + (index + 1) / (len(found) + 1)) / (WORST + 2)
            yield hit

    def exercise_hits(self, builder: BuilderScreen, words: Sequence[str]) -> Iterable[Found]:
        catalog = builder.document.shown_catalog
        for place, exercise in enumerate(catalog.results(" ".join(words))[:MOST]):
            score = quality(catalog.haystack(exercise.id), words) or 0
            yield (
                score,
                place,
                Hit(
                    0,
                    Content.assemble(("Add ", "dim"), exercise.name),  # not markup
                    partial(builder.add_exercise, exercise.id),
                    text=f"Add {exercise.name}",
                    help=f"{exercise.category}, {exercise.position}: add after the selected step",
                ),
            )

    def routine_hits(self, words: Sequence[str]) -> Iterable[tuple[int, int, RoutineListing, str]]:
        scored = scan(self.routines, words).scored()
        for place, (score, (listing, _)) in enumerate(scored):
            if place == MOST:
                break
            steps = f"{listing.steps} step{'' if listing.steps == 1 else 's'}"
            yield score, place, listing, f"{steps}, ~{listing.minutes} min ({listing.slug}.toml)"

    def open_hits(self, builder: BuilderScreen, words: Sequence[str]) -> Iterable[Found]:
        for score, place, listing, about in self.routine_hits(words):
            yield (
                score,
                place,
                Hit(
                    0,
                    Content.assemble(("Open ", "dim"), listing.name),
                    partial(builder.open_saved, listing.slug),
                    text=f"Open {listing.name}",
                    help=about,
                ),
            )

    def run_hits(self, builder: BuilderScreen, words: Sequence[str]) -> Iterable[Found]:
        for score, place, listing, about in self.routine_hits(words):
            yield (
                score,
                place,
                Hit(
                    0,
                    Content.assemble(("Run ", "dim"), listing.name),
                    partial(run_saved, builder, listing.slug),
                    text=f"Run {listing.name}",
                    help=f"Do it now, full-screen: {about}",
                ),
            )

    def setting_hits(self, builder: BuilderScreen, words: Sequence[str]) -> Iterable[Found]:
        """Each setting, by its label, key and help; its hit opens the settings on it."""
        app = self.app
        for place, (score, (field, _)) in enumerate(scan(self.settings, words).scored()):
            yield (
                score,
                place,
                Hit(
                    0,
                    Content.assemble(("Setting: ", "dim"), field.label),
                    partial(app.action_settings, field.name),  # type: ignore[attr-defined]
                    text=f"Setting: {field.label}",
                    help=field.spec.help,
                ),
            )

    def theme_hits(self, builder: BuilderScreen, words: Sequence[str]) -> Iterable[Found]:
        app = self.app
        for place, (score, (name, _)) in enumerate(scan(self.themes, words).scored()):
            if place == MOST:
                break
            yield (
                score,
                place,
                Hit(
                    0,
                    Content.assemble(("Theme: ", "dim"), name),
                    partial(setattr, app, "theme", name),
                    text=f"Theme: {name}",
                    help="The theme now"
                    if name == app.theme
                    else "Switch to it (kept for next time)",
                ),
            )
