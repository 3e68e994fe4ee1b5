"""The backtui application: services at start-up, screens on top."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from dataclasses import replace
from functools import partial
from pathlib import Path

from textual import on
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from backtui.core.catalog import Catalog
from backtui.core.reader import Problem
from backtui.core.services import Services, load_services
from backtui.core.settings import Settings, save_settings
from backtui.core.store import RoutineStore
from backtui.tui.app_base import BacktuiApp
from backtui.tui.screens.builder import BuilderScreen
from backtui.tui.screens.help import HelpScreen
from backtui.tui.textual_internals import hold_frames
from backtui.tui.theming import install_themes
from backtui.tui.widgets.footer import BindingsFooter

STARTUP_HOLD = 1.0  # seconds start-up may draw nothing, at most


class BackTUI(BacktuiApp[None]):
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        # Textual's own, shown: a new user looks for the way out in the Footer.
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            priority=True,
            id="app.quit",
            tooltip="Quit (asks first about unsaved work)",
        ),
    ]

    def __init__(self, routine: Path | None = None, *, services: Services | None = None) -> None:
        super().__init__()
        self.start_routine = routine
        self.services = services or load_services()
        self.startup_problems: list[Problem | str] = list(self.services.problems)
        self.themes_installed = False  # until then a change of theme is not the person's
        # The first frame waits for the builder to be complete (its Footer's keys
        # come last), or a second at most, rather than showing every step of start-up.
        self.show_frames = hold_frames(self)

    @property
    def catalog(self) -> Catalog:
        return self.services.catalog

    @property
    def store(self) -> RoutineStore:
        return self.services.store

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @on(BindingsFooter.KeysShown)
    def started(self) -> None:
        self.call_after_refresh(self.show_frames)  # once the keys are laid out

    def on_mount(self) -> None:
        self.set_timer(STARTUP_HOLD, self.show_frames)
        self.startup_problems.extend(install_themes(self, self.settings.theme))
        self.themes_installed = True
        keymap = self.settings.keymap
        self.startup_problems.extend(self.apply_user_keymap(keymap, self.services.settings_path))
        self.push_screen(BuilderScreen(self.catalog, self.store, self.start_routine))
        self.report_startup()

    def report_startup(self) -> None:
        """Name every file that could not be read; everything else still works."""
        for stored in self.store.list():
            if stored.routine is None:
                first = next((p for p in stored.result.problems if p.is_error), None)
                self.startup_problems.append(first or f"{stored.path}: cannot be read")
        self.report_skipped(self.startup_problems)

    def action_settings(self, focus: str | None = None) -> None:
        """The settings screen (on one setting, if named); what it gives back
        applies at once and is saved."""
        from backtui.tui.screens.settings_form import SettingsForm

        def answered(settings: Settings | None) -> None:
            if settings is not None and settings != self.settings:
                self.apply_settings(settings)

        self.push_screen(SettingsForm(self.settings, self.available_themes, focus=focus), answered)

    def action_change_keys(self) -> None:
        from backtui.tui.screens.keys_screen import KeysScreen

        self.push_screen(KeysScreen())

    def apply_settings(self, settings: Settings) -> None:
        services = self.services
        services.settings = settings
        if settings.theme != self.theme and settings.theme in self.available_themes:
            self.theme = settings.theme
        if not services.settings_writable:
            self.notify(
                f"{services.settings_path} has problems, so it is left as it is: "
                "these settings last until you quit.",
                severity="warning",
            )
            return
        try:
            save_settings(settings, services.settings_path)
        except (OSError, ValueError) as error:
            self.notify(f"Settings apply now but could not be saved: {error}", severity="warning")
        else:
            self.notify("Settings saved", timeout=2)

    def watch_theme(self, theme: str) -> None:
        services = self.services
        # The default standing in for an unknown theme at start is not saved over the setting.
        if self.themes_installed and theme != services.settings.theme:
            services.settings = replace(services.settings, theme=theme)
            if not services.settings_writable:
                return
            with suppress(OSError, ValueError):  # a read-only config folder must not stop the app
                save_settings(services.settings, services.settings_path)

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
                ("Rename", "Name, description and breath pacing (F2)", screen.action_rename),
                ("Delete routine", "Delete the saved routine file", screen.action_delete),
                (
                    "Import",
                    "Check a routine file and save it into your routines folder",
                    screen.action_import,
                ),
                (
                    "Open a file",
                    "Open a routine file from anywhere, without saving it",
                    screen.action_open_file,
                ),
                ("Export", "Write a self-contained routine file", screen.action_export),
                (
                    "Export handout (HTML)",
                    "A page to print: each step's dose, how to do it, cautions, total time",
                    partial(screen.action_export, "html"),
                ),
                (
                    "Export handout (Markdown)",
                    "The same handout as Markdown, for notes",
                    partial(screen.action_export, "md"),
                ),
                ("Fix balance", "Add the suggested counter-move", screen.action_fix),
                ("Undo", "Undo the last edit", screen.action_undo),
                ("Redo", "Redo the last undone edit", screen.action_redo),
                ("Run", "Do this routine now, full-screen", screen.action_run),
                ("History", "Past sessions and pain over time", screen.action_history),
                (
                    "Settings",
                    "Theme, bell, pacer, breath, rests, get-ready (S)",
                    self.action_settings,
                ),
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
