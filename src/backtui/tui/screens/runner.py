"""The session runner: one routine, full-screen, paced by the clock.

The person is on the floor, glancing from a metre away: the countdown is big,
the words are few, every control is one key and shown at the bottom. Timing
comes from the pure `Session` engine on an injected monotonic clock, the words
from `presenter`, what is kept on disk from `SessionRecorder`; this screen asks
them a few times a second and repaints only what changed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer

from backtui.core import presenter, resume
from backtui.core.model import Exercise, Routine
from backtui.core.outcome import Outcome
from backtui.core.pain import PainKeys, pain_digit
from backtui.core.presenter import RunnerView
from backtui.core.recorder import SessionRecorder
from backtui.core.session import Clock, PhaseKind, Session
from backtui.core.settings import Settings
from backtui.tui.hangups import handle_hangups
from backtui.tui.screens.base import Dialog, PlainScreen
from backtui.tui.screens.session_end import PainAfterScreen, SummaryScreen
from backtui.tui.widgets.footer import BindingsFooter
from backtui.tui.widgets.session_view import SessionView
from backtui.tui.widgets.text_line import TextLine

FLASH_S = 1.2
WAKE_LATE_S = 0.005  # wake just after a change is due, not just before it
WAKE_MIN_S = 0.02

RUNNER_NOTES = Text.assemble(
    ("Pain ratings\n", "bold underline"),
    "  While getting ready, 0–9 rates your pain now (1 then 0 for ten). It is optional.\n\n",
    ("Warning signs\n", "bold underline"),
    f"  {presenter.WARNING_SIGNS}\n",
)


@dataclass(frozen=True)
class RunResult:
    outcome: Outcome | None  # None: the person chose not to start ("not now")


class RunnerScreen(PlainScreen[RunResult]):
    BINDING_GROUP_TITLE = "Session"
    CSS_PATH = "runner.tcss"

    BINDINGS = [
        Binding(
            "space", "pause", "Pause", id="run.pause", tooltip="Pause the session; the clock stops"
        ),
        Binding(
            "space", "unpause", "Resume", id="run.resume", tooltip="Resume the session from here"
        ),
        Binding("n", "next", "Next", id="run.next", tooltip="Skip to the next part"),
        Binding(
            "b",
            "back",
            "Back",
            id="run.back",
            tooltip="Back: restart this part, or go to the one before",
        ),
        Binding(
            "plus,equals_sign",
            "adjust(10)",
            "+10s",
            key_display="+",
            id="run.more",
            tooltip="Ten seconds more on this hold or rest",
        ),
        Binding(
            "minus",
            "adjust(-10)",
            "-10s",
            key_display="-",
            show=False,  # beside +10s it goes without saying; the help lists it
            id="run.less",
            tooltip="Ten seconds less on this hold or rest",
        ),
        Binding(
            "enter",
            "proceed",
            "Go on",
            id="run.proceed",
            tooltip="Go on: start a timer that waits, count a rep, or end a get-ready early",
        ),
        Binding(
            "h",
            "toggle_pacer",
            "Pacer",
            show=False,  # the footer fits 80 columns; the help lists it
            id="run.pacer",
            tooltip="Show or hide the breathing pacer",
        ),
        Binding(
            "c",
            "read_exercise",
            "Cautions",
            id="run.exercise",
            tooltip="The move's full steps and cautions; the session waits",
        ),
        Binding(
            "x",
            "bad_pain",
            "Bad pain",
            id="run.pain",
            tooltip="Bad pain: stop now (pain down a leg, or sharply worse)",
        ),
        Binding(
            "q",
            "quit_session",
            "Quit",
            id="run.quit",
            tooltip="Quit the session; your place is kept",
        ),
        Binding(
            "question_mark",
            "help",
            "Help",
            key_display="?",
            id="run.help",
            tooltip="Help: these keys",
        ),
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
        self.recorder = SessionRecorder(
            routine,
            key,
            Session(routine, catalog, clock, settings.pacing()),
            clock=clock,
            history_path=history_path,
        )
        self._pain_keys = PainKeys()
        self._flash_until = 0.0
        self._pacer_anchor = clock()
        self._pacer_frozen_at: float | None = None  # the pacer stands still while paused
        self._wake: Timer | None = None
        self._full_tick_at = 0.0  # when the pacer-only wakes hand back to a full tick
        self._show_pacer = settings.show_pacer
        self._balance_note = ""
        self._keys_for: tuple[bool, bool] = (False, False)  # (self-paced, Enter goes on)

    @property
    def session(self) -> Session:
        return self.recorder.session

    @property
    def pain_before(self) -> int | None:
        return self.recorder.pain_before

    @property
    def ended(self) -> bool:
        """The session is over (its row written); only the closing questions remain."""
        return self.recorder.ended

    # Layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield TextLine(id="run-title")
        yield SessionView(id="run-body")
        yield BindingsFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        from backtui.core.balance import unbalanced

        if unbalanced(self.routine, self.catalog):
            self._balance_note = (
                "Note: this routine has back-arching work with no flexion after it."
            )
        self._title: tuple[str, str, bool] | None = None
        self._view = self.query_one(SessionView)
        self._view.pacer.display = self._show_pacer
        offered = resume.find(self.key, self.routine, self.catalog, self.clock)
        if isinstance(offered, tuple):
            self.offer_resume(*offered)
        else:
            if offered is not None:
                self.notify(offered, timeout=8)
            self.recorder.begin()
            self.tick()
        handle_hangups(self.interrupted)

    def on_unmount(self) -> None:
        """However the app ends (a closed terminal, its host telling it to quit, as a
        browser tab closing does), a session under way is recorded as interrupted."""
        handle_hangups(None)
        if not self.ended and self.session.started:
            self.recorder.end(Outcome.INTERRUPTED)

    def offer_resume(self, session: Session, saved: resume.Saved) -> None:
        from backtui.tui.screens.dialogs import ChoiceScreen

        def answered(answer: str | None) -> None:
            if answer == "over":
                self.recorder.start_over()
            elif answer == "resume":
                self.recorder.resume_from(session, saved)
            else:  # Escape or "Not now": leave, the place kept for another time
                self.leave(RunResult(None))
                return
            self.tick()

        self.app.push_screen(
            ChoiceScreen(
                Text(presenter.resume_question(session)),
                [("resume", "Resume"), ("over", "Start over"), ("later", "Not now")],
            ),
            answered,
        )

    # The tick: ask the engine, repaint what changed ---------------------------------------
    @property
    def ticking(self) -> bool:
        """A tick is due: the session is running and the runner is on screen."""
        return self._wake is not None

    def sleep(self) -> None:
        """No more ticks until something (a key, a closed dialog) calls `tick`."""
        if self._wake is not None:
            self._wake.stop()
            self._wake = None

    def breathing_s(self, running: bool) -> float:
        """How long the pacer has run, leaving out the time it stood still."""
        now = self.clock()
        if running and self._pacer_frozen_at is not None:
            self._pacer_anchor += now - self._pacer_frozen_at
            self._pacer_frozen_at = None
        elif not running and self._pacer_frozen_at is None:
            self._pacer_frozen_at = now
        frozen = self._pacer_frozen_at
        return (now if frozen is None else frozen) - self._pacer_anchor

    def tick(self) -> None:
        """Show the session now, then sleep until the next thing that can change
        (the next second, the pacer's next cell, the flash fading); while paused,
        waiting for Enter or covered by a dialog, nothing changes: no tick is due."""
        self.sleep()
        if self.ended or not self.session.started:
            return
        transitions = [t for t in self.session.update() if t.phase is not None]
        for transition in transitions:
            assert transition.phase is not None
            self.recorder.phase_entered(transition.phase)
        if transitions:  # after a stall, only the phase now showing is announced
            last = transitions[-1]
            self.announce(presenter.banner(last.phase, last.cue))
        status = self.session.status()
        if status.ended:
            self.finish(Outcome.COMPLETED)
            return
        running = not status.paused and not status.waiting
        breathing_s = self.breathing_s(running)
        view = presenter.present(
            status,
            self.session,
            pain_before=self.pain_before,
            pain_ratings=self.settings.pain_ratings,
            breathing_s=breathing_s,
            balance_note=self._balance_note,
        )
        self.show(view)
        self.recorder.tick()
        if running and self.is_current:
            delay = view.changes_in_s
            if self._flash_until > self.clock():
                delay = min(delay, self._flash_until - self.clock())
            self._full_tick_at = self.clock() + delay
            breath_led = status.phase is not None and status.phase.breath_led
            # A breath-led rep's pacer follows the session clock: the tick moves it.
            if self._show_pacer and not breath_led:
                self.sleep_until_pacer_or_tick(breathing_s, view.pacer)
            else:
                self.wake_in(delay, self.tick)

    def wake_in(self, seconds: float, callback: Callable[[], None]) -> None:
        self._wake = self.set_timer(max(seconds, WAKE_MIN_S) + WAKE_LATE_S, callback)

    def sleep_until_pacer_or_tick(self, breathing_s: float, shown: str) -> None:
        """Wake for the pacer alone if its bar moves before the next tick (on the
        tick's half-second grid, `presenter.pacer_wake`), else for the tick."""
        delay = self._full_tick_at - self.clock()
        inhale, exhale = presenter.breath_rhythm(self.session.routine)
        pacer_at = presenter.pacer_wake(breathing_s, delay, inhale, exhale, shown)
        if pacer_at is None:
            self.wake_in(delay, self.tick)
        else:
            self.wake_in(pacer_at, self.breathe)

    def breathe(self) -> None:
        """Move the pacer only, between two ticks: no session update, no other line."""
        self._wake = None
        if self.ended or not self._show_pacer or self.clock() >= self._full_tick_at:
            self.tick()
            return
        breathing_s = self.breathing_s(True)
        inhale, exhale = presenter.breath_rhythm(self.session.routine)
        shown = presenter.pacer_text(breathing_s, inhale, exhale)
        self._view.pacer.text = shown
        self.sleep_until_pacer_or_tick(breathing_s, shown)

    def show(self, view: RunnerView) -> None:
        if self._title != (view.routine, view.where, view.paused):
            self._title = (view.routine, view.where, view.paused)
            title = Text.assemble(" ", (view.routine, "bold"))
            if view.where:
                title.append(f"  ·  {view.where}")
            if view.paused:
                title.append("  ·  PAUSED", "bold reverse")
            self.query_one("#run-title", TextLine).text = title
        self._view.show(view)
        if self._keys_for != (view.self_paced, view.proceeds):
            self._keys_for = (view.self_paced, view.proceeds)
            self.refresh_bindings()  # +/- do nothing on self-paced reps; Enter only where it can
        if self._show_pacer:
            self._view.pacer.text = view.pacer
        if self.clock() >= self._flash_until:
            self._view.clear_flash()

    def announce(self, banner: tuple[str, str] | None) -> None:
        """The bell at each change (unless switched off), and a flash where it says
        something. A browser tab has no bell: there the flash stands in for it."""
        ring = self.settings.bell
        if ring and self.app.is_web and banner is None:
            banner = ("", "-bell")
        if banner is not None:
            self._flash_until = self.clock() + FLASH_S
            self._view.flash(*banner)
        else:
            self._view.clear_flash()
        if ring and not self.app.is_web:
            self.app.bell()

    # Keys ----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pause", "unpause"):
            return self.session.paused == (action == "unpause")
        if action == "adjust":
            return not self._keys_for[0]
        if action == "proceed":
            return self._keys_for[1]
        return True

    def on_key(self, event: events.Key) -> None:
        """Digits rate the pain before, while getting ready (and a 0 just after a 1)."""
        digit = pain_digit(event.character)
        if not self.settings.pain_ratings or digit is None:
            return
        now = self.clock()
        phase = self.session.status().phase
        getting_ready = phase is not None and phase.kind is PhaseKind.GET_READY
        if getting_ready or (digit == 0 and self._pain_keys.expecting_zero(now)):
            self.recorder.pain_before = self._pain_keys.press(digit, now)
            event.stop()
            self.tick()

    def action_pause(self) -> None:
        self.session.toggle_pause()
        self.refresh_bindings()  # the Footer says Resume while paused
        self.recorder.paused()
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

    def action_proceed(self) -> None:
        self.session.proceed()
        self.tick()

    def action_toggle_pacer(self) -> None:
        self._show_pacer = not self._show_pacer
        self._view.pacer.display = self._show_pacer
        self.tick()  # shown again, it is brought up to date; hidden, it wakes nothing

    def action_bad_pain(self) -> None:
        if not self.ended and self.session.started:
            self.finish(Outcome.STOPPED_FOR_PAIN)

    def paused_while(self, screen: Dialog, then: Callable[[object], None] | None = None) -> None:
        """Show a dialog with the session paused; it carries on afterwards if it was running."""
        was_running = self.session.started and not self.session.paused and not self.ended
        self.session.pause()
        self.breathing_s(running=False)
        self.sleep()

        def closed(result: object) -> None:
            if then is not None:
                then(result)
            if was_running and not self.ended:
                self.session.resume()
            self.refresh_bindings()
            self.tick()

        self.app.push_screen(screen, closed)

    def action_quit_session(self) -> None:
        from backtui.tui.screens.dialogs import ChoiceScreen

        def answered(answer: object) -> None:
            if answer == "end":
                self.finish(Outcome.QUIT)

        self.paused_while(
            ChoiceScreen(
                "End this session? Your place is kept for next time.",
                [("keep", "Keep going"), ("end", "End session")],
            ),
            answered,
        )

    def action_read_exercise(self) -> None:
        from backtui.tui.screens.session_end import ExerciseScreen
        from backtui.tui.widgets.exercise_detail import describe_exercise

        exercise = presenter.exercise_in_view(self.session.status(), self.session)
        if exercise is not None:
            text = describe_exercise(exercise, self.session.lookup)
            self.paused_while(ExerciseScreen(text))

    def action_help(self) -> None:
        from backtui.tui.screens.help import HelpScreen

        self.paused_while(HelpScreen.for_screen(self, RUNNER_NOTES))

    def on_screen_suspend(self) -> None:
        self.sleep()

    def on_screen_resume(self) -> None:
        self.tick()

    # Ending --------------------------------------------------------------------------------
    def interrupted(self) -> None:
        """The terminal hung up or we were asked to stop: record it, keep the place, exit."""
        if not self.ended and self.session.started:
            self.report(self.recorder.end(Outcome.INTERRUPTED))
        self.app.exit()  # also after the end: the row is already written

    def report(self, error: str | None) -> None:
        if error is not None:
            self.notify(error, severity="error")

    def finish(self, outcome: Outcome) -> None:
        if self.ended:
            return
        self.sleep()
        self.report(self.recorder.end(outcome))
        if outcome in (Outcome.COMPLETED, Outcome.STOPPED_FOR_PAIN) and self.settings.pain_ratings:

            def rated(pain_after: int | None) -> None:
                if pain_after is not None:
                    self.report(self.recorder.rate_after(pain_after))
                self.conclude(outcome)

            question = presenter.pain_after_question(outcome)
            self.app.push_screen(PainAfterScreen(question, self.clock), rated)
        else:
            self.conclude(outcome)

    def leave(self, result: RunResult) -> None:
        if self.app.screen_stack[0] is self:  # the whole app (`backtui run`)
            self.app.exit(result)
        else:  # pushed from the builder
            self.dismiss(result)

    def conclude(self, outcome: Outcome) -> None:
        def closed(_: object) -> None:
            self.leave(RunResult(outcome))

        summary = presenter.summary(
            outcome,
            self.session,
            self.catalog,
            pain_before=self.pain_before,
            pain_after=self.recorder.pain_after,
        )
        self.app.push_screen(SummaryScreen(summary), closed)
