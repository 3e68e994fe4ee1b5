"""The questions and words after a session: the pain rating, then the summary."""

from __future__ import annotations

import time

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from backtui.core.pain import PainKeys, pain_digit
from backtui.core.presenter import Summary
from backtui.core.session import Clock
from backtui.tui.screens.base import Dialog

SETTLE_S = 1.0  # a lone "1" with no "0" after it becomes a rating of 1 after this


class PainAfterScreen(Dialog[int | None]):
    """An optional 0–10 rating once the session is over."""

    BINDINGS = [Binding("escape,enter", "skip", "Skip")]

    def __init__(self, question: str, clock: Clock = time.monotonic) -> None:
        super().__init__()
        self.question = question
        self.clock = clock
        self.keys = PainKeys()
        self.pending_one = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(
                Text(f"{self.question}\n\nPress 0–9, or 1 then 0 for ten."),
                classes="dialog-question",
            )
            yield Static(Text("Enter skips."), id="pain-after-echo", classes="dialog-hint")

    def on_key(self, event: events.Key) -> None:
        digit = pain_digit(event.character)
        if digit is None:
            return
        event.stop()
        now = self.clock()
        rating = self.keys.press(digit, now)
        self.pending_one = self.keys.expecting_zero(now)
        if not self.pending_one:
            self.dismiss(rating)
            return
        self.query_one("#pain-after-echo", Static).update(Text("1… (press 0 for ten)"))
        self.set_timer(SETTLE_S, self.settle)

    def settle(self) -> None:
        """No 0 came after the 1: the rating is 1."""
        if self.pending_one and self.is_current:
            self.dismiss(1)

    def action_skip(self) -> None:
        # Enter right after a 1 means 1, not "skip".
        self.dismiss(1 if self.pending_one else None)


class SummaryScreen(Dialog[None]):
    BINDINGS = [Binding("escape,enter,q,space", "dismiss(None)", "Close")]

    def __init__(self, summary: Summary) -> None:
        super().__init__()
        self.summary = summary

    @property
    def text(self) -> Text:
        text = Text()
        if self.summary.heading:
            text.append(self.summary.heading + "\n\n", "bold")
        text.append(self.summary.body)
        return text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.text, classes="dialog-question")
            yield Static(Text("Press Enter to close."), classes="dialog-hint")


class ExerciseScreen(Dialog[None]):
    """A move's full steps, cue and cautions, read while the session waits."""

    DEFAULT_CSS = """
    ExerciseScreen {
        & .dialog-box { width: 76; height: auto; max-height: 90%; }
        & VerticalScroll { height: auto; max-height: 18; }
    }
    """
    BINDINGS = [Binding("escape,enter,c,q", "dismiss(None)", "Back to the session")]

    def __init__(self, text: Text) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            with VerticalScroll():
                yield Static(self.text)
            yield Static(Text("Enter goes back to the session."), classes="dialog-hint")
