"""The backtui application: services at start-up, screens on top."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import replace
from functools import partial
from pathlib import Path

from textual.app import SystemCommand
from textual.screen import Screen

from backtui.core import locations
from backtui.core.catalog import Catalog, load_catalog
from backtui.core.settings import Settings, load_settings, save_settings
from backtui.core.store import RoutineStore
from backtui.tui.app_base import BacktuiApp
from backtui.tui.screens.builder import BuilderScreen
from backtui.tui.screens.help import HelpScreen
from backtui.tui.theming import install_themes


class BackTUI(BacktuiApp[None]):
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, routine: Path | None = None, *, settings_path: Path | None = None) -> None:
        super().__init__()
        self.start_routine = routine
        self.settings_path = settings_path
        loaded = load_catalog(locations.builtin_catalog_dir(), locations.user_catalog_dir())
        self.catalog: Catalog = loaded.catalog
        self.startup_problems = list(loaded.problems)
        self.store = RoutineStore(locations.routines_dir(), self.catalog, locations.starters_dir())
        settings, problems = load_settings(settings_path)
        self.settings: Settings = settings
        # A settings file with errors is the person's to mend: never rewrite it.
        self.settings_writable = not problems.has_errors
        self.startup_problems.extend(problems)

    def on_mount(self) -> None:
        self.startup_problems.extend(install_themes(self, self.settings.theme))
        self.push_screen(BuilderScreen(self.catalog, self.store, self.start_routine))
        self.report_startup()
        # What is loaded now (catalogue, stylesheet, widgets) lives as long as the app;
        # keeping it out of the collector's full passes removes 20–30 ms pauses
        # mid-keystroke with a large catalogue.
        gc.freeze()

    def report_startup(self) -> None:
        """Name every file that could not be read; everything else still works."""
        for stored in self.store.list():
            if stored.routine is None:
                first = next((p for p in stored.result.problems if p.is_error), None)
                self.startup_problems.append(first or f"{stored.path}: cannot be read")
        errors = [str(p) for p in self.startup_problems if getattr(p, "is_error", True)]
        if errors:
            shown = "\n".join(errors[:4]) + (
                f"\n… and {len(errors) - 4} more" if len(errors) > 4 else ""
            )
            self.notify(
                f"Skipped, left untouched:\n{shown}", severity="warning", timeout=12, markup=False
            )

    def watch_theme(self, theme: str) -> None:
        if theme != self.settings.theme:
            self.settings = replace(self.settings, theme=theme)
            if not self.settings_writable:
                return
            with suppress(OSError):  # a read-only config folder must not stop the app
                save_settings(self.settings, self.settings_path)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title == "Keys":  # Textual's panel; ours is built from the same bindings
                yield SystemCommand(
                    "Keys",
                    "Every key, the mouse, the markers (also ?)",
                    partial(self.show_help, screen),
                )
            else:
                yield command
        if isinstance(screen, BuilderScreen):
            for title, help_text, action in (
                ("New routine", "Start an empty routine", screen.action_new),
                ("Open routine", "Open a saved routine", screen.action_open),
                ("Save", "Save the routine", screen.action_save),
                ("Save as", "Save under a new name", screen.action_save_as),
                ("Rename", "Rename the routine", screen.action_rename),
                ("Delete routine", "Delete the saved routine file", screen.action_delete),
                ("Import", "Open a routine file from anywhere", screen.action_import),
                ("Export", "Write a self-contained routine file", screen.action_export),
                ("Fix balance", "Add the suggested counter-move", screen.action_fix),
                ("Undo", "Undo the last edit", screen.action_undo),
                ("Redo", "Redo the last undone edit", screen.action_redo),
                ("Run", "Do this routine now, full-screen", screen.action_run),
                ("History", "Past sessions and pain over time", screen.action_history),
            ):
                yield SystemCommand(title, help_text, action)

    def show_help(self, screen: Screen) -> None:
        help_action = getattr(screen, "action_help", None)
        if help_action is not None:
            help_action()
        else:
            self.push_screen(HelpScreen.for_screen(screen))

    async def action_quit(self) -> None:
        """Quit, but never past unsaved work or a session in progress."""
        from backtui.tui.screens.runner import RunnerScreen

        stack = self.screen_stack
        runner = next((s for s in reversed(stack) if isinstance(s, RunnerScreen)), None)
        if runner is not None and not runner.ended:
            runner.action_quit_session()
            return
        builder = next((s for s in stack if isinstance(s, BuilderScreen)), None)
        if builder is None or not builder.history.dirty:
            self.exit()
            return
        while self.screen is not builder:  # close dialogs (a second ctrl+q asks again)
            self.pop_screen()
        builder.when_work_is_safe(self.exit)
