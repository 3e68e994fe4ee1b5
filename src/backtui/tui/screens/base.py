"""What every backtui screen shares: plain-text notifications, and the dialog frame."""

from __future__ import annotations

from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen, ScreenResultType

from backtui.tui.textual_internals import draw_when_settled, focused_without_repaint


class PlainNotify:
    """Notifications as plain text.

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
        super().notify(  # type: ignore[misc]
            message, title=title, severity=severity, timeout=timeout, markup=markup
        )


class PlainScreen(PlainNotify, Screen[ScreenResultType]):
    """A full screen of backtui."""

    # Textual repaints the whole screen when the focus moves; the widgets whose
    # look depends on it repaint themselves (`:focus` styles, focus and blur).
    focused = focused_without_repaint()

    def watch_focused(self) -> None:
        draw_when_settled(self)  # one frame for a focus change, not one per widget


class Dialog(PlainNotify, ModalScreen[ScreenResultType]):
    """A question or form over the screen below, in a box that fits 80×24."""

    focused = focused_without_repaint()  # as PlainScreen's: Tab between fields is cheap

    def watch_focused(self) -> None:
        draw_when_settled(self)

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
        background: $background 60%;
        & .dialog-box {
            width: 64;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            padding: 1 2;
            background: $panel;
            border: tall $primary;
        }
        & .dialog-question { margin-bottom: 1; width: 100%; }
        & .dialog-hint { color: $text-muted; }
        & .dialog-buttons { height: auto; margin-top: 1; align-horizontal: right; }
        & .dialog-buttons Button { margin-left: 2; }
        & .field-error { height: auto; color: $text-error; padding-left: 10; }
    }
    """
