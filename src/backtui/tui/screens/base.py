"""What every backtui screen shares."""

from __future__ import annotations

from textual.notifications import SeverityLevel
from textual.screen import Screen, ScreenResultType


class PlainScreen(Screen[ScreenResultType]):
    """A screen whose notifications are plain text.

    Messages quote file names, exercise names and values from files; read as
    markup, a stray `[/]` would crash the app and a `[link]` would be obeyed.
    """

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
