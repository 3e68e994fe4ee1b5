"""`backtui run`: an app with only the runner in it, so it starts fast."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from backtui.core.model import Exercise, Routine
from backtui.core.settings import Settings, config_path
from backtui.tui.app_base import BacktuiApp
from backtui.tui.screens.runner import RunnerScreen, RunResult
from backtui.tui.theming import install_themes


class RunnerApp(BacktuiApp[RunResult]):
    # Textual loads a screen's CSS_PATH when the screen is pushed, not for the
    # default screen, so the runner's stylesheet is named here as well.
    CSS_PATH = "screens/runner.tcss"
    # Every control of a session is one key in the Footer; no palette to load.
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        routine: Routine,
        catalog: Mapping[str, Exercise],
        *,
        key: str,
        settings: Settings,
        settings_path: Path | None = None,
        history_path: Path | None = None,
        **runner_options,
    ) -> None:
        super().__init__()
        self.runner = RunnerScreen(
            routine,
            catalog,
            key=key,
            settings=settings,
            history_path=history_path,
            **runner_options,
        )
        self.settings = settings
        self.settings_path = settings_path or config_path()

    async def action_quit(self) -> None:
        """ctrl+q asks, like q, and a session ended this way is still recorded."""
        if self.runner.is_attached and not self.runner.ended:
            self.runner.action_quit_session()
        else:
            self.exit()

    def get_default_screen(self) -> RunnerScreen:
        # The runner is the app's first screen: no blank screen is drawn, then replaced.
        return self.runner

    def on_mount(self) -> None:
        # Theme files are read only for a theme of ours; Textual's own need none.
        if self.settings.theme not in self.available_themes:
            install_themes(self, self.settings.theme)
        self.report_skipped(self.apply_user_keymap(self.settings.keymap, self.settings_path))
