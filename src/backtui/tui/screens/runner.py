"""The session runner: one routine, full-screen, paced by the clock.

The person is on the floor, glancing from a metre away: the countdown is big,
the words are few, every control is one key and shown at the bottom. All timing
comes from the pure `Session` engine on an injected monotonic clock; this screen
only asks it what to show, a few times a second, and repaints what changed.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.widgets import Footer, Static

from backtui.core import resume
from backtui.core.model import Exercise, Routine, Side
from backtui.core.outcome import Outcome
from backtui.core.pain import PainKeys
from backtui.core.session import Clock, Cue, Phase, PhaseKind, Session, Status
from backtui.core.settings import Settings
from backtui.tui.screens.base import Dialog, PlainScreen
from backtui.tui.widgets.big_countdown import BigCountdown
from backtui.tui.widgets.breath_pacer import BreathPacer, pacer_text
from backtui.tui.widgets.text_line import TextLine

TICK_S = 0.1  # how often the screen asks the engine; it repaints only what changed
SAVE_EVERY_S = 15.0  # how often the place is kept on disk, besides each change of phase
FLASH_S = 1.2
PROGRESS_CELLS = 24

# What the banner says at a change, and the class that colours it.
CUES = {
    Cue.SWITCH_SIDES: ("Switch sides", "-switch"),
    Cue.REST: ("Rest", "-rest"),
    Cue.LAST_SET: ("Last set", "-last"),
    Cue.NEXT_EXERCISE: ("Next exercise", "-go"),
    Cue.START: ("Go", "-go"),
}

RUNNER_NOTES = Text.assemble(
    ("Pain ratings\n", "bold underline"),
    "  While getting ready, 0–9 rates your pain now (1 then 0 for ten). It is optional.\n",
)

BAD_PAIN = (
    "Stopped. That was the right call.\n\n"
    "Bad pain is pain that shoots, burns or tingles down a leg, or that rises "
    "sharply. Ordinary discomfort that stays in your back and eases as you move "
    "is not that.\n\n"
    "Lie in whatever position is most comfortable and breathe slowly. If bad pain "
    "keeps coming back, talk to a clinician before the next session."
)


def clock_text(seconds: float) -> str:
    """MM:SS, rounding up so a hold reads 00:01 until it is really over."""
    whole = max(0, int(-(-seconds // 1)))
    return f"{whole // 60:02d}:{whole % 60:02d}"


@dataclass(frozen=True)
class RunResult:
    outcome: Outcome


class PainAfterScreen(Dialog[int | None]):
    """An optional 0–10 rating once the session is over."""

    BINDINGS = [Binding("escape,enter", "skip", "Skip")]

    def __init__(self) -> None:
        super().__init__()
        self.keys = PainKeys()
        self.pending_one = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(
                Text("Well done. How is your back now?\n\nPress 0–9, or 1 then 0 for ten."),
                classes="dialog-question",
            )
            yield Static(Text("Enter skips."), id="pain-after-echo", classes="dialog-hint")

    def on_key(self, event: events.Key) -> None:
        if not (event.character and event.character.isdigit()):
            return
        event.stop()
        now = time.monotonic()
        rating = self.keys.press(int(event.character), now)
        self.pending_one = self.keys.expecting_zero(now)
        if not self.pending_one:
            self.dismiss(rating)
            return
        self.query_one("#pain-after-echo", Static).update(Text("1… (press 0 for ten)"))
        self.set_timer(1.0, self.settle)

    def settle(self) -> None:
        """No 0 came after the 1: the rating is 1."""
        if self.pending_one and self.is_current:
            self.dismiss(1)

    def action_skip(self) -> None:
        # Enter right after a 1 means 1, not "skip".
        self.dismiss(1 if self.pending_one else None)


class RunnerScreen(PlainScreen[RunResult]):
    BINDING_GROUP_TITLE = "Session"
    CSS_PATH = "runner.tcss"

    BINDINGS = [
        Binding("space", "pause", "Pause", id="run.pause"),
        Binding("space", "unpause", "Resume", id="run.resume"),
        Binding("n", "next", "Next", id="run.next"),
        Binding("b", "back", "Back", id="run.back"),
        Binding("plus,equals_sign", "adjust(10)", "+10s", key_display="+", id="run.more"),
        Binding("minus", "adjust(-10)", "-10s", key_display="-", id="run.less"),
        Binding("enter", "rep", "Rep done", id="run.rep"),
        Binding("h", "toggle_pacer", "Pacer", id="run.pacer"),
        Binding("x", "bad_pain", "Bad pain", id="run.pain"),
        Binding("q", "quit_session", "Quit", id="run.quit"),
        Binding("question_mark", "help", "Help", key_display="?", id="run.help"),
    ]

    def __init__(
        self,
        routine: Routine,
        catalog: Mapping[str, Exercise],
        *,
        key: str,
        settings: Settings,
        clock: Clock = time.monotonic,
        history_path: Path | None = None,
    ) -> None:
        super().__init__()
        self.routine = routine
        self.catalog = catalog
        self.key = key
        self.settings = settings
        self.clock = clock
        self.history_path = history_path
        self.session = Session(routine, catalog, clock)
        self.started_at: datetime | None = None
        self.pain_before: int | None = None
        self.record_id: int | None = None  # this session's row in history, once it has one
        self._pain_keys = PainKeys()
        self._last_save = clock()
        self._flash_until = 0.0
        self._pacer_anchor = clock()
        self._show_pacer = settings.show_pacer
        self._ended = False
        self._self_paced = False

    @property
    def lookup(self) -> Mapping[str, Exercise]:
        return self.session.lookup

    @property
    def ended(self) -> bool:
        """The session is over (its row written); only the closing questions remain."""
        return self._ended

    # Layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield TextLine(id="run-title")
        with Vertical(id="run-body"):
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
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        # Looked up once: the tick runs ten times a second.
        self._lines = {line.id: line for line in self.query(TextLine)}
        self._instruction = self.query_one("#run-instruction", Static)
        self._instruction_text = ""
        self._clock_widget = self.query_one(BigCountdown)
        self._pacer = self.query_one(BreathPacer)
        self._clock_widget.display = False  # until the session begins (or is resumed)
        self._pacer.display = self._show_pacer
        self._set("run-pain", "x = stop: pain down a leg, or sharply worse")
        offered = resume.restore(self.key, self.routine, self.catalog, self.clock)
        if offered is not None:
            self.offer_resume(*offered)
        else:
            self.begin()
        self._ticker = self.set_interval(TICK_S, self.tick)
        self._handle_hangups(True)

    def on_unmount(self) -> None:
        self._handle_hangups(False)

    def _handle_hangups(self, handle: bool) -> None:
        """SIGHUP (the terminal went away) and SIGTERM end the session cleanly.
        Where the loop cannot take signal handlers (not the main thread), skip."""
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                if handle:
                    loop.add_signal_handler(sig, self.interrupted)
                else:
                    loop.remove_signal_handler(sig)

    def begin(self) -> None:
        self.started_at = datetime.now(UTC)
        self.session.start()
        self.tick()

    def offer_resume(self, session: Session, saved: resume.Saved) -> None:
        from backtui.tui.screens.dialogs import ChoiceScreen

        phase = session.status().phase
        where = "the start"
        if phase is not None and phase.step_index >= 0:
            exercise = session.lookup.get(phase.exercise)
            where = f"step {phase.step_index + 1}, {exercise.name if exercise else phase.exercise}"

        def answered(answer: str | None) -> None:
            if answer == "over":
                resume.clear(self.key)
                self.begin()
                return
            # Resume, also on Escape: a stray key must not throw the place away.
            self.session = session
            self.started_at = saved.started_at or datetime.now(UTC)
            self.pain_before = saved.pain_before
            self.record_id = saved.record_id
            session.resume()
            self.tick()

        self.app.push_screen(
            ChoiceScreen(
                Text(
                    f"You stopped “{self.routine.name}” part-way, at {where}. "
                    "Pick up where you left off?"
                ),
                [("resume", "Resume"), ("over", "Start over")],
            ),
            answered,
        )

    # The tick: ask the engine, repaint what changed ---------------------------------------
    def tick(self) -> None:
        if self._ended or not self.session.started:
            return
        for transition in self.session.update():
            if transition.phase is not None:
                self.announce(transition.cue)
                if transition.phase.kind is not PhaseKind.GET_READY:  # nothing to resume yet
                    self.keep_place()
        status = self.session.status()
        if status.ended:
            self.finish(Outcome.COMPLETED)
            return
        self.show(status)
        if self.clock() - self._last_save >= SAVE_EVERY_S:
            self.keep_place()

    def show(self, status: Status) -> None:
        phase = status.phase
        assert phase is not None
        exercise = self.lookup.get(phase.exercise) if phase.exercise else None
        title = Text(" ")
        title.append(self.routine.name, "bold")
        if phase.step_index >= 0:
            title.append(f"  ·  step {phase.step_index + 1} of {self.session.steps_total}")
        if status.paused:
            title.append("  ·  PAUSED", "bold reverse")
        self._lines["run-title"].text = title

        upcoming = None
        if phase.next_step is not None and phase.next_step < len(self.routine.steps):
            upcoming = self.lookup.get(self.routine.steps[phase.next_step].exercise)

        if phase.kind is PhaseKind.GET_READY:
            name, detail = "Get ready", self.pain_prompt()
        elif phase.kind is PhaseKind.REST:
            name, detail = "Rest", f"then {upcoming.name}" if upcoming else ""
        elif phase.kind is PhaseKind.SWITCH:
            name, detail = "Switch sides", f"now the {phase.side} side" if phase.side else ""
        else:
            name = exercise.name if exercise else phase.exercise
            detail = self.work_detail(status)
        self._set("run-name", name)
        self._set("run-detail", detail)

        clock = self._clock_widget
        clock.display = True
        if status.remaining_s is None:  # self-paced: the rep being done, big
            clock.text = str(min(status.reps_counted + 1, phase.reps or 1))
        else:
            clock.text = clock_text(status.remaining_s)
        if self._self_paced != phase.self_paced:
            self._self_paced = phase.self_paced
            self.refresh_bindings()  # +/- do nothing on self-paced reps; Enter does

        instruction = self.instruction(phase, exercise, upcoming)
        if instruction != self._instruction_text:
            self._instruction_text = instruction
            self._instruction.update(Text(instruction))
        if self._show_pacer:
            breath = self.routine.breath
            inhale, exhale = (breath.inhale_s, breath.exhale_s) if breath else (4, 6)
            self._pacer.text = pacer_text(self.clock() - self._pacer_anchor, inhale, exhale)

        self._set("run-next", self.next_text(status.next))
        filled = round(PROGRESS_CELLS * status.fraction)
        bar = "█" * filled + "░" * (PROGRESS_CELLS - filled)
        # Whole minutes: the big clock has the seconds, and this line stays still.
        left = (
            f"about {round(status.left_s / 60)} min left"
            if status.left_s >= 90
            else "under 2 min left"
            if status.left_s >= 60
            else "under a minute left"
        )
        self._set("run-progress", f"{bar} {status.fraction:4.0%}  {left}")
        cue = self._lines["run-cue"]
        if self.clock() >= self._flash_until and cue.has_class("-flash"):
            cue.remove_class("-flash")
            self._set("run-cue", "")

    def _set(self, line_id: str, text: str) -> None:
        """Change a line only when its words change: an unchanged line costs nothing."""
        line = self._lines[line_id]
        if line.text.plain != text:
            line.text = Text(text, justify="center")

    def next_text(self, following: Phase | None) -> str:
        if following is None:
            return "Next: the end"
        if following.kind is not PhaseKind.WORK:
            return f"Next: {'rest' if following.kind is PhaseKind.REST else 'switch sides'}"
        exercise = self.lookup.get(following.exercise)
        text = f"Next: {exercise.name if exercise else following.exercise}"
        return text + (f" ({following.side})" if following.side is not None else "")

    def work_detail(self, status: Status) -> str:
        phase = status.phase
        assert phase is not None
        parts = []
        if phase.reps:
            if phase.self_paced:
                parts.append(f"rep {status.reps_counted + 1} of {phase.reps}: Enter after each")
            else:
                parts.append(f"rep {status.rep} of {phase.reps}")
        if phase.sets > 1:
            parts.append(f"set {phase.set_number} of {phase.sets}")
        if phase.side is not None and phase.side is not Side.BOTH:
            parts.append(f"{phase.side} side")
        return "  ·  ".join(parts)

    def instruction(
        self, phase: Phase, exercise: Exercise | None, upcoming: Exercise | None
    ) -> str:
        if phase.kind in (PhaseKind.REST, PhaseKind.GET_READY) and upcoming is not None:
            return f"Coming up: {upcoming.name}. {upcoming.steps[0]}"
        if exercise is None:
            return ""
        step = self.routine.steps[phase.step_index]
        # The first instruction (getting into position) was shown while getting ready.
        lines = [" ".join(exercise.steps[1:] or exercise.steps)]
        if step.note:
            lines.append(f"Note: {step.note}")
        if exercise.cue:
            lines.append(exercise.cue)
        return "\n".join(lines)

    def pain_prompt(self) -> str:
        if not self.settings.pain_ratings:
            return ""
        if self.pain_before is None:
            return "Pain now? 0–9 (1 0 = ten), or just begin"
        return f"Pain before: {self.pain_before}/10"

    def announce(self, cue: Cue) -> None:
        """A visible flash, and the bell unless it is switched off, at each change."""
        words, colour = CUES[cue]
        self._flash_until = self.clock() + FLASH_S
        banner = self._lines["run-cue"]
        banner.set_classes(f"-flash {colour}")
        self._set("run-cue", words.upper())
        if self.settings.bell:
            self.app.bell()

    # Keys ----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pause", "unpause"):
            return self.session.paused == (action == "unpause")
        if action == "adjust":
            return not self._self_paced
        if action == "rep":
            return self._self_paced
        return True

    def on_key(self, event: events.Key) -> None:
        """Digits rate the pain before, while getting ready (and a 0 just after a 1)."""
        if not (self.settings.pain_ratings and event.character and event.character.isdigit()):
            return
        now = self.clock()
        phase = self.session.status().phase
        getting_ready = phase is not None and phase.kind is PhaseKind.GET_READY
        if getting_ready or (event.character == "0" and self._pain_keys.expecting_zero(now)):
            self.pain_before = self._pain_keys.press(int(event.character), now)
            event.stop()
            self.tick()

    def action_pause(self) -> None:
        self.session.toggle_pause()
        self.refresh_bindings()  # the Footer says Resume while paused
        self.keep_place()
        self.tick()

    def action_unpause(self) -> None:
        self.action_pause()

    def action_next(self) -> None:
        self.session.next()
        self.tick()

    def action_back(self) -> None:
        self.session.back()
        self.tick()

    def action_adjust(self, seconds: int) -> None:
        self.session.adjust(seconds)
        self.tick()

    def action_rep(self) -> None:
        self.session.count_rep()
        self.tick()

    def action_toggle_pacer(self) -> None:
        self._show_pacer = not self._show_pacer
        self._pacer.display = self._show_pacer

    def action_bad_pain(self) -> None:
        if self._ended or not self.session.started:
            return
        self.session.stop(Outcome.STOPPED_FOR_PAIN.value)
        self.finish(Outcome.STOPPED_FOR_PAIN)

    def paused_while(self, screen: Dialog, then: Callable[[object], None] | None = None) -> None:
        """Show a dialog with the session paused; it carries on afterwards if it was running."""
        was_running = self.session.started and not self.session.paused and not self._ended
        self.session.pause()

        def closed(result: object) -> None:
            if then is not None:
                then(result)
            if was_running and not self._ended:
                self.session.resume()
            self.refresh_bindings()
            self.tick()

        self.app.push_screen(screen, closed)

    def action_quit_session(self) -> None:
        from backtui.tui.screens.dialogs import ChoiceScreen

        def answered(answer: object) -> None:
            if answer == "end":
                self.session.stop(Outcome.QUIT.value)
                self.finish(Outcome.QUIT)

        self.paused_while(
            ChoiceScreen(
                "End this session? Your place is kept for next time.",
                [("keep", "Keep going"), ("end", "End session")],
            ),
            answered,
        )

    def action_help(self) -> None:
        from backtui.tui.screens.help import HelpScreen

        self.paused_while(HelpScreen.for_screen(self, RUNNER_NOTES))

    def on_screen_suspend(self) -> None:
        self._ticker.pause()

    def on_screen_resume(self) -> None:
        self._ticker.resume()
        self.tick()

    # Ending --------------------------------------------------------------------------------
    def keep_place(self) -> None:
        """Save the place to resume from: cheap, so only at changes and now and then.
        Nothing is kept while still getting ready: there is nothing to resume."""
        if self.session.started and self.session.index == 0:
            resume.clear(self.key)
        elif self.session.started:
            self._last_save = self.clock()
            resume.save(
                self.key,
                self.session.snapshot(),
                started_at=self.started_at,
                pain_before=self.pain_before,
                record_id=self.record_id,
            )

    def interrupted(self) -> None:
        """The terminal hung up or we were asked to stop: record it, keep the place, exit."""
        if not self._ended and self.session.started:
            self._ended = True
            self.session.stop(Outcome.INTERRUPTED.value)
            self.record(Outcome.INTERRUPTED, None)
            self.keep_place()
        self.app.exit()  # also after the end: the row is already written

    def record(self, outcome: Outcome, pain_after: int | None) -> None:
        """Write (or bring up to date) this session's one row in history."""
        from backtui.core.history import History, HistoryError, SessionRecord  # sqlite3: only now

        session = self.session
        entry = SessionRecord(
            routine_name=self.routine.name,
            routine_key=self.key,
            started_at=self.started_at or datetime.now(UTC),
            ended_at=datetime.now(UTC),
            seconds_done=round(session.seconds_done),
            steps_completed=session.steps_completed,
            steps_total=session.steps_total,
            pain_before=self.pain_before,
            pain_after=pain_after,
            outcome=outcome,
            id=self.record_id,
        )
        try:
            with History(self.history_path) as history:
                self.record_id = history.record(entry)
        except (HistoryError, OSError) as error:
            self.notify(f"Could not record this session: {error}", severity="error")

    def finish(self, outcome: Outcome) -> None:
        if self._ended:
            return
        self._ended = True
        self._ticker.pause()
        self.record(outcome, None)  # now, so a hang-up during the questions loses nothing
        if outcome is Outcome.QUIT:
            self.keep_place()  # ended on purpose, but perhaps only to answer the door
        else:
            resume.clear(self.key)
        if outcome is Outcome.COMPLETED and self.settings.pain_ratings:

            def rated(pain_after: int | None) -> None:
                if pain_after is not None:
                    self.record(outcome, pain_after)
                self.conclude(outcome, pain_after)

            self.app.push_screen(PainAfterScreen(), rated)
        else:
            self.conclude(outcome, None)

    def conclude(self, outcome: Outcome, pain_after: int | None) -> None:
        def closed(_: object) -> None:
            if self.app.screen_stack[0] is self:  # the whole app (`backtui run`)
                self.app.exit(RunResult(outcome))
            else:  # pushed from the builder
                self.dismiss(RunResult(outcome))

        self.app.push_screen(SummaryScreen(self.summary(outcome, pain_after)), closed)

    def summary(self, outcome: Outcome, pain_after: int | None) -> Text:
        if outcome is Outcome.STOPPED_FOR_PAIN:
            return Text(BAD_PAIN)
        session = self.session
        minutes, seconds = divmod(round(session.seconds_done), 60)
        done = outcome is Outcome.COMPLETED
        text = Text("Session complete.\n\n" if done else "Session ended.\n\n", "bold")
        steps = f"{session.steps_completed} of {session.steps_total} steps"
        text.append(f"{steps} in {minutes}:{seconds:02d}.\n")
        if self.pain_before is not None or pain_after is not None:
            before = "–" if self.pain_before is None else str(self.pain_before)
            after = "–" if pain_after is None else str(pain_after)
            text.append(f"Pain {before} → {after}.\n")
        from backtui.core.balance import unbalanced

        for warning in unbalanced(self.routine, self.catalog):
            text.append(f"\nNext time: {warning.message(self.lookup)}.")
        return text


class SummaryScreen(Dialog[None]):
    BINDINGS = [Binding("escape,enter,q,space", "dismiss(None)", "Close")]

    def __init__(self, text: Text) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.text, classes="dialog-question")
            yield Static(Text("Press Enter to close."), classes="dialog-hint")
