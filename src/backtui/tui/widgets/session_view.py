"""The body of the runner: draws a `RunnerView`, repainting only what changed.

The screen decides nothing here; it hands over the words (`presenter.present`)
and the banner for a change of phase. Each line is a `TextLine`, so a second
ticking by repaints the clock and the progress line, not the screen.

Every word of the instruction (the move, your note, the breathing cue, the
cautions) is always shown whole. When the terminal is too short for them, the
rest gives way in this order: first the "Next:" line, then the breathing
pacer, then the big digits shrink to one plain line. A taller terminal gets the
big digits back, and larger.
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
    DEFAULT_CSS = """
    SessionView {
        & #run-clock, & #run-clock-small { display: none; }
        &.-started #run-clock { display: block; }
        &.-started.-small-clock #run-clock { display: none; }
        &.-started.-small-clock #run-clock-small { display: block; }
        &.-no-next #run-next { display: none; }
        &.-no-pacer #run-pacer-row { display: none; }
    }
    """

    def compose(self) -> ComposeResult:
        yield TextLine(id="run-cue")
        yield TextLine(id="run-name")
        yield TextLine(id="run-detail")
        yield BigCountdown(id="run-clock")
        yield TextLine(id="run-clock-small")
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
        self.set_line("run-pain", BAD_PAIN_LINE)

    def show(self, view: RunnerView) -> None:
        self.set_line("run-name", view.name)
        self.set_line("run-detail", view.detail)
        self.countdown.text = view.clock
        self.set_line("run-clock-small", view.clock)
        if view.instruction != self._instruction_text:
            self._instruction_text = view.instruction
            self._instruction.update(Text(view.instruction))
            self.give_way()
        elif not self.has_class("-started"):
            self.restyle({"-started": True})
        self.set_line("run-next", view.next)
        self.set_line("run-progress", view.progress)

    def on_resize(self) -> None:
        self.give_way()

    def give_way(self) -> None:
        """Make room for the whole instruction, taking rows in the documented order."""
        if not self.size.height:  # not laid out yet: `on_resize` will come
            self.restyle({"-started": bool(self._instruction_text)})
            return
        width = max(self.size.width - 4, 10)  # the body's padding
        wanted = len(Text(self._instruction_text).wrap(self.app.console, width))
        # cue, name, detail, progress, bad-pain line; next 1; pacer 2; big digits 5
        spare = self.size.height - 5 - wanted
        tight = 0
        for rows in (5 + 2 + 1, 5 + 2, 5):  # all, no "Next:", no pacer too
            if spare >= rows:
                break
            tight += 1
        self.restyle(
            {
                "-started": bool(self._instruction_text),
                "-no-next": tight >= 1,
                "-no-pacer": tight >= 2,
                "-small-clock": tight >= 3,
            }
        )

    def restyle(self, classes: dict[str, bool]) -> None:
        """Set these classes with one restyle of the view, not one per class: each
        restyle walks every line below it."""
        changed = [name for name, on in classes.items() if self.has_class(name) != on]
        for name in changed:
            self.set_class(classes[name], name, update=False)
        if changed:
            self.update_node_styles()

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
