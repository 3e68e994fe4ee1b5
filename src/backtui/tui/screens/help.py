"""The `?` screen: every key, what the spine markers mean, and the one caution."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from backtui.core.model import Spine

DISCLAIMER = (
    "backtui is not medical advice. Stop if pain shoots or tingles down a leg or "
    "rises sharply; mild local discomfort that eases as you go is usually fine."
)


def help_text(sections: list[tuple[str, list[tuple[str, str]]]]) -> Text:
    text = Text()
    for title, keys in sections:
        text.append(f"{title}\n", "bold underline")
        for key, description in keys:
            text.append(f"  {key:<14}", "bold")
            text.append(f"{description}\n")
        text.append("\n")
    text.append("Spine markers\n", "bold underline")
    for spine in Spine:
        text.append(f"  {spine.marker}  ", "bold")
        text.append(f"{spine}\n")
    text.append("  ½  one side at a time\n  !  extension step with no flexion after it\n\n")
    text.append(DISCLAIMER, "italic")
    return text


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__(classes="dialog")
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-box", id="help-box"):
            yield Static(help_text(self.sections))
