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
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from backtui import resume
from backtui.balance import unbalanced
from backtui.history import History, HistoryError, Outcome, SessionRecord
from backtui.model import Exercise, Routine, Side
from backtui.screens.base import PlainScreen
from backtui.session import Clock, Cue, PhaseKind, Session, Status
from backtui.settings import Settings
from backtui.widgets.big_countdown import BigCountdown
from backtui.widgets.breath_pacer import BreathPacer, pacer_text
from backtui.widgets.text_line import TextLine

TICK_S = 0.1  # how often the screen asks the engine; it repaints only what changed
SAVE_EVERY_S = 15.0  # how often the place is kept on disk, besides each change of phase
FLASH_S = 1.2
PROGRESS_CELLS = 24

CUE_WORDS = {
    Cue.SWITCH_SIDES: "Switch sides",
    Cue.REST: "Rest",
    Cue.LAST_SET: "Last set",
    Cue.NEXT_EXERCISE: "Next exercise",
    Cue.START: "Go",
    Cue.FINISHED: "Done",
}

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
    record_id: int | None


class PainAfterScreen(ModalScreen[int | None]):
    """An optional 0–10 rating once the session is over."""

    BINDINGS = [Binding("escape,enter", "dismiss(None)", "Skip")]

    def __init__(self) -> None:
        super().__init__(classes="dialog")
        self._tens = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(
                Text(
                    "Well done. How is your back now?\n\nPress 0–9, or 1 then 0 for ten. "
                    "Enter skips."
                ),
                classes="dialog-question",
            )

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            event.stop()
            digit = int(event.character)
            if self._tens and digit == 0:
                self.dismiss(10)
            elif digit == 1:
                self._tens = True
                self.set_timer(0.8, lambda: self.dismiss(1) if self._tens else None)
            else:
                self.dismiss(digit)


class RunnerScreen(PlainScreen[RunResult]):
    BINDINGS = [
        Binding("space", "pause", "Pause", id="run.pause"),
        Binding("n", "next", "Next", id="run.next"),
        Binding("b", "back", "Back", id="run.back"),
        Binding("plus,equals_sign", "adjust(10)", "+10s", key_display="+", id="run.more"),
        Binding("minus", "adjust(-10)", "-10s", key_display="-", id="run.less"),
        Binding("enter", "rep", "Rep done", show=False, id="run.rep"),
        Binding("h", "toggle_pacer", "Pacer", id="run.pacer"),
        Binding("x", "bad_pain", "Bad pain: stop", id="run.pain"),
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
        self.lookup = routine.lookup(catalog)
        self.key = key
        self.settings = settings
        self.clock = clock
        self.history_path = history_path
        self.session = Session(routine, catalog, clock)
        self.started_at: datetime | None = None
        self.pain_before: int | None = None
        self._pain_tens_at: float | None = None
        self._last_save = 0.0
        self._flash_until = 0.0
        self._pacer_anchor = clock()
        self._show_pacer = settings.show_pacer
        self._ended = False

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
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(BigCountdown).display = False
        self.query_one("#run-pacer").display = self._show_pacer
        self._set(
            "#run-pain", "x stops at once for bad pain: shooting down a leg, or sharply worse"
        )
        offered = resume.restore(self.key, self.routine, self.catalog, self.clock)
        if offered is not None:
            self.offer_resume(*offered)
        else:
            self.begin()
        self._ticker = self.set_interval(TICK_S, self.tick)
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(sig, self.interrupted)

    def on_unmount(self) -> None:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                loop.remove_signal_handler(sig)

    def begin(self) -> None:
        self.started_at = datetime.now(UTC)
        self.session.start()
        self.tick()

    def offer_resume(self, session: Session, saved: resume.Saved) -> None:
        from backtui.screens.dialogs import ChoiceScreen

        status = session.status()
        phase = status.phase
        where = "the start"
        if phase is not None and phase.step_index >= 0:
            exercise = self.lookup.get(phase.exercise)
            where = f"step {phase.step_index + 1}, {exercise.name if exercise else phase.exercise}"

        def answered(answer: str | None) -> None:
            if answer == "resume":
                self.session = session
                self.started_at = saved.started_at or datetime.now(UTC)
                session.resume()
                self.tick()
            else:
                resume.clear(self.key)
                self.begin()

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
            self.announce(transition.cue)
            if transition.phase is not None:
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
        self.query_one("#run-title", TextLine).text = title

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
        self._set("#run-name", name)
        self._set("#run-detail", detail)

        clock = self.query_one(BigCountdown)
        clock.display = True  # hidden until the session begins (or is resumed)
        if status.remaining_s is None:  # self-paced: the rep being done, big
            clock.text = str(min(status.reps_counted + 1, phase.reps or 1))
        else:
            clock.text = clock_text(status.remaining_s)

        self._set("#run-instruction", self.instruction(phase, exercise, upcoming))
        if self._show_pacer:
            breath = self.routine.breath
            inhale, exhale = (breath.inhale_s, breath.exhale_s) if breath else (4, 6)
            self.query_one(BreathPacer).text = pacer_text(
                self.clock() - self._pacer_anchor, inhale, exhale
            )

        nxt = status.next
        if nxt is None:
            following = "Next: the end"
        elif nxt.kind is PhaseKind.WORK:
            ex = self.lookup.get(nxt.exercise)
            following = f"Next: {ex.name if ex else nxt.exercise}"
            if nxt.side is not None:
                following += f" ({nxt.side})"
        else:
            following = f"Next: {'rest' if nxt.kind is PhaseKind.REST else 'switch sides'}"
        self._set("#run-next", following)

        filled = round(PROGRESS_CELLS * status.fraction)
        bar = "█" * filled + "░" * (PROGRESS_CELLS - filled)
        self._set(
            "#run-progress",
            f"{bar} {status.fraction:4.0%}  about {max(1, round(status.left_s / 60))} min left",
        )
        cue = self.query_one("#run-cue")
        if self.clock() >= self._flash_until and cue.has_class("-flash"):
            cue.remove_class("-flash")
            self._set("#run-cue", "")

    def _set(self, selector: str, text: str) -> None:
        """Update a line only when its words change: unchanged lines cost nothing."""
        widget = self.query_one(selector)
        if isinstance(widget, TextLine):
            if widget.text.plain != text:
                widget.text = Text(text, justify="center")
        elif getattr(widget, "_shown_text", None) != text:
            widget._shown_text = text  # type: ignore[attr-defined]
            widget.update(Text(text))

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

    def instruction(self, phase, exercise: Exercise | None, upcoming: Exercise | None) -> str:
        if phase.kind in (PhaseKind.REST, PhaseKind.GET_READY) and upcoming is not None:
            return f"Coming up: {upcoming.name}. {upcoming.steps[0]}"
        if exercise is None:
            return ""
        step = self.routine.steps[phase.step_index]
        lines = [exercise.steps[0] if len(exercise.steps) == 1 else " ".join(exercise.steps[:2])]
        if step.note:
            lines.append(f"Note: {step.note}")
        if exercise.cue:
            lines.append(exercise.cue)
        return "\n".join(lines)

    def pain_prompt(self) -> str:
        if not self.settings.pain_ratings:
            return ""
        if self.pain_before is None:
            return "Pain right now? Press 0–9 (1 then 0 for ten), or just begin."
        return f"Pain before: {self.pain_before}/10"

    def announce(self, cue: Cue) -> None:
        """A visible flash, and the bell unless it is switched off, at each change."""
        if cue is Cue.FINISHED:
            return
        self._flash_until = self.clock() + FLASH_S
        banner = self.query_one("#run-cue")
        banner.add_class("-flash")
        for name in ("-switch", "-rest", "-last"):
            banner.remove_class(name)
        banner.add_class({Cue.SWITCH_SIDES: "-switch", Cue.REST: "-rest"}.get(cue, "-last"))
        self._set("#run-cue", CUE_WORDS[cue].upper())
        if self.settings.bell:
            self.app.bell()

    # Keys ----------------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        status = self.session.status()
        if (
            self.settings.pain_ratings
            and status.phase is not None
            and status.phase.kind is PhaseKind.GET_READY
            and event.character
            and event.character.isdigit()
        ):
            digit = int(event.character)
            now = self.clock()
            if (
                digit == 0
                and self.pain_before == 1
                and self._pain_tens_at
                and now - self._pain_tens_at < 1.5
            ):
                digit = 10
            self.pain_before = digit
            self._pain_tens_at = now if digit == 1 else None
            event.stop()
            self.tick()

    def action_pause(self) -> None:
        self.session.toggle_pause()
        self.keep_place()
        self.tick()

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
        self.query_one(BreathPacer).display = self._show_pacer

    def action_bad_pain(self) -> None:
        if self._ended:
            return
        self.session.stop(Outcome.STOPPED_FOR_PAIN.value)
        self.finish(Outcome.STOPPED_FOR_PAIN)

    def action_quit_session(self) -> None:
        from backtui.screens.dialogs import ChoiceScreen

        was_paused = self.session.paused
        self.session.pause()

        def answered(answer: str | None) -> None:
            if answer == "end":
                self.session.stop(Outcome.QUIT.value)
                self.finish(Outcome.QUIT)
            elif not was_paused:
                self.session.resume()

        self.app.push_screen(
            ChoiceScreen(
                "End this session? Your place is kept for next time.",
                [("keep", "Keep going"), ("end", "End session")],
            ),
            answered,
        )

    def action_help(self) -> None:
        from backtui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(RUNNER_HELP))

    def on_screen_suspend(self) -> None:
        self._ticker.pause()

    def on_screen_resume(self) -> None:
        self._ticker.resume()
        self.tick()

    # Ending --------------------------------------------------------------------------------
    def keep_place(self) -> None:
        """Save the place to resume from: cheap, so only at changes and now and then."""
        if self.session.started:
            self._last_save = self.clock()
            resume.save(self.key, self.session.snapshot(), started_at=self.started_at)

    def interrupted(self) -> None:
        """The terminal hung up or we were asked to stop: record it, keep the place, exit."""
        if self._ended:
            return
        self._ended = True
        self.keep_place()
        self.record(Outcome.INTERRUPTED, None)
        self.app.exit()

    def record(self, outcome: Outcome, pain_after: int | None) -> int | None:
        session = self.session
        started = self.started_at or datetime.now(UTC)
        entry = SessionRecord(
            routine_name=self.routine.name,
            routine_key=self.key,
            started_at=started,
            ended_at=datetime.now(UTC),
            seconds_done=round(session.seconds_done),
            steps_completed=session.steps_completed,
            steps_total=session.steps_total,
            pain_before=self.pain_before,
            pain_after=pain_after,
            outcome=outcome,
        )
        try:
            with History(self.history_path) as history:
                return history.record(entry)
        except (HistoryError, OSError) as error:
            self.notify(f"Could not record this session: {error}", severity="error")
            return None

    def finish(self, outcome: Outcome) -> None:
        if self._ended:
            return
        self._ended = True
        self._ticker.pause()
        if outcome is Outcome.QUIT:
            self.keep_place()  # ended on purpose, but perhaps only to answer the door
        else:
            resume.clear(self.key)
        if outcome is Outcome.COMPLETED and self.settings.pain_ratings:

            def rated(pain_after: int | None) -> None:
                self.conclude(outcome, self.record(outcome, pain_after), pain_after)

            self.app.push_screen(PainAfterScreen(), rated)
        else:
            self.conclude(outcome, self.record(outcome, None), None)

    def conclude(self, outcome: Outcome, record_id: int | None, pain_after: int | None) -> None:
        self.app.push_screen(
            SummaryScreen(self.summary(outcome, pain_after)),
            lambda _: self.dismiss(RunResult(outcome, record_id)),
        )

    def summary(self, outcome: Outcome, pain_after: int | None) -> Text:
        if outcome is Outcome.STOPPED_FOR_PAIN:
            return Text(BAD_PAIN)
        session = self.session
        minutes, seconds = divmod(round(session.seconds_done), 60)
        text = Text(
            "Session complete.\n\n" if outcome is Outcome.COMPLETED else "Session ended.\n\n",
            "bold",
        )
        text.append(
            f"{session.steps_completed} of {session.steps_total} steps in "
            f"{minutes}:{seconds:02d}.\n"
        )
        if self.pain_before is not None or pain_after is not None:
            before = "–" if self.pain_before is None else str(self.pain_before)
            after = "–" if pain_after is None else str(pain_after)
            text.append(f"Pain {before} → {after}.\n")
        for warning in unbalanced(self.routine, self.catalog):
            text.append(f"\nNext time: {warning.message(self.lookup)}.")
        return text


class SummaryScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter,q,space", "dismiss(None)", "Close")]

    def __init__(self, text: Text) -> None:
        super().__init__(classes="dialog")
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.text, classes="dialog-question")
            yield Static(Text("Press Enter to close."), classes="dialog-hint")


RUNNER_HELP = [
    (
        "Session",
        [
            ("space", "pause or resume"),
            ("n / b", "next phase / back (restart it, or the one before)"),
            ("+ / -", "ten seconds more / less"),
            ("Enter", "one rep done (self-paced reps)"),
            ("h", "hide or show the breathing pacer"),
            ("x", "stop now: bad pain"),
            ("0–9", "during get-ready: rate your pain (optional)"),
            ("q", "end the session (asks first)"),
        ],
    )
]
