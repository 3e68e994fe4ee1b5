"""The body of the runner: draws a `RunnerView`, repainting only what changed.

The screen decides nothing here; it hands over the words (`presenter.present`)
and the banner for a change of phase. Each line is a `TextLine`, so a second
ticking by repaints the clock and the progress line, not the screen.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Static

from backtui.core.presenter import BAD_PAIN_LINE, RunnerView
from backtui.tui.widgets.big_countdown import BigCountdown
from backtui.tui.widgets.breath_pacer import BreathPacer
from backtui.tui.widgets.text_line import TextLine


class SessionView(Vertical):
    def compose(self) -> ComposeResult:
        yield TextLine(id="run-cue")
        yield TextLine(id="run-name")
        yield TextLine(id="run-detail")
        yield BigCountdown(id="run-clock")
        yield Static(id="run-instruction")
        with Center(id="run-pacer-row"):
            yield BreathPacer(id="run-pacer")
        yield TextLine(id="run-next")
        yield TextLine(id="run-progress")
        yield TextLine(id="run-pain")

    def on_mount(self) -> None:
        # Looked up once: the screen ticks ten times a second.
        self._lines = {line.id: line for line in self.query(TextLine)}
        self._instruction = self.query_one("#run-instruction", Static)
        self._instruction_text = ""
        self.countdown = self.query_one(BigCountdown)
        self.pacer = self.query_one(BreathPacer)
        self.countdown.display = False  # until the session begins (or is resumed)
        self.set_line("run-pain", BAD_PAIN_LINE)

    def show(self, view: RunnerView) -> None:
        self.set_line("run-name", view.name)
        self.set_line("run-detail", view.detail)
        self.countdown.display = True
        self.countdown.text = view.clock
        if view.instruction != self._instruction_text:
            self._instruction_text = view.instruction
            self._instruction.update(Text(view.instruction))
        self.set_line("run-next", view.next)
        self.set_line("run-progress", view.progress)

    def flash(self, words: str, colour: str) -> None:
        """The banner at a change of phase, coloured by the class `colour`."""
        self._lines["run-cue"].set_classes(f"-flash {colour}")
        self.set_line("run-cue", words.upper())

    def clear_flash(self) -> None:
        cue = self._lines["run-cue"]
        if cue.has_class("-flash"):
            cue.remove_class("-flash")
            self.set_line("run-cue", "")

    def set_line(self, line_id: str, text: str) -> None:
        """Change a line only when its words change: an unchanged line costs nothing."""
        line = self._lines[line_id]
        if line.text.plain != text:
            line.text = Text(text, justify="center")
