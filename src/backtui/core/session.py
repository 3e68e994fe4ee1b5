"""The session engine: a routine laid out as a timeline of phases, run on a clock.

Pure and clock-injected so every timing rule is tested in microseconds without
sleeping. Time is always read from deadlines on the clock, never counted in
ticks: a slow, late or skipped timer tick can make the screen lag, never the
session drift. The timeline is built from the same rules as
`model.step_seconds`, so the estimate the builder shows is the session's length.

Cues, for the transition INTO a phase (the UI flashes or rings once per change):

| into                                           | cue             |
| ---------------------------------------------- | --------------- |
| get-ready (at `start()`)                       | `start`         |
| the first work of a step (first set and side)  | `next-exercise` |
| the first side of the last set (sets > 1)      | `last-set`      |
| any other work (second side, a middle set)     | `start`         |
| a side switch                                  | `switch-sides`  |
| a rest                                         | `rest`          |
| the end (a `Transition` only, no phase)        | `finished`      |
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from backtui.core import model
from backtui.core.pacing import DEFAULT_PACING, Pacing
from backtui.core.routine_file import dumps_routine

Clock = Callable[[], float]

BACK_RESTART_S = 2.0
"""back() restarts the current phase when more than this far into it, else goes back one."""
MIN_LEFT_S = 1.0
"""adjust() never leaves less than this in the phase."""
MAX_LEFT_S = float(model.HOLD_RANGE[1])
"""adjust() may extend a phase past its plan (a stretch that feels good), up to this left."""
SNAPSHOT_VERSION = 1


class PhaseKind(StrEnum):
    GET_READY = "get-ready"
    WORK = "work"
    SWITCH = "switch"
    REST = "rest"
    POSITION = "position"  # time to get into the next move's position


class Stage(StrEnum):
    """The parts of one rep, in order."""

    LIFT = "lift"
    HOLD = "hold"
    LOWER = "lower"


class Cue(StrEnum):
    START = "start"
    SWITCH_SIDES = "switch-sides"
    REST = "rest"
    LAST_SET = "last-set"
    NEXT_EXERCISE = "next-exercise"
    POSITION = "position"
    BACK = "back"  # gone back a phase: no banner, no "next exercise"
    FINISHED = "finished"  # only on the Transition that ends the session


@dataclass(frozen=True, slots=True)
class Phase:
    """One stretch of the timeline.

    `step_index` is -1 for get-ready. Rest and switch phases belong to the step
    they follow (as `model.step_seconds` counts them); `next_step` is the step
    the phase leads to (for get-ready, switch and rest; None for work), so a
    rest can show the coming exercise. A switch's `side` is the side coming up.
    """

    kind: PhaseKind
    step_index: int
    exercise: str  # "" for get-ready
    set_number: int  # 1-based; 0 for get-ready
    sets: int  # 0 for get-ready
    side: model.Side | None
    reps: int | None
    hold_s: int | None  # each rep's length or the hold's; None for self-paced reps
    duration_s: int | None  # None for self-paced reps: a key per rep, or one for the set
    cue: Cue
    next_step: int | None = None
    lift_s: int = 0  # each rep's tempo: lift, hold_s, lower
    lower_s: int = 0
    breath_led: bool = False
    waits: bool = False  # the clock starts on Enter (a cold pack being put on)

    @property
    def self_paced(self) -> bool:
        return self.duration_s is None

    @property
    def rep_s(self) -> int:
        return self.lift_s + (self.hold_s or 0) + self.lower_s

    def stage(self, elapsed: float) -> tuple[Stage, float] | None:
        """Where in its rep a timed rep-based phase is at `elapsed`, and the seconds
        left of that stage; None for holds, self-paced reps and other phases."""
        if self.kind is not PhaseKind.WORK or self.reps is None or self.self_paced:
            return None
        if not (self.lift_s or self.lower_s) or self.rep_s <= 0:
            return None
        into = min(elapsed, self.rep_s * self.reps - 1e-9) % self.rep_s
        hold = self.hold_s or 0
        if into < self.lift_s:
            return Stage.LIFT, self.lift_s - into
        if into < self.lift_s + hold:
            return Stage.HOLD, self.lift_s + hold - into
        return Stage.LOWER, self.rep_s - into

    @property
    def planned_s(self) -> int:
        """Seconds this phase counts toward the total and progress."""
        if self.duration_s is not None:
            return self.duration_s
        return (self.reps or 1) * model.SELF_PACED_REP_S


@dataclass(frozen=True, slots=True)
class Transition:
    """A change into phase `index` (`phase` is None when the session finished)."""

    index: int
    phase: Phase | None
    cue: Cue


@dataclass(frozen=True, slots=True)
class Status:
    index: int
    phase: Phase | None  # None once finished
    remaining_s: float | None  # None for self-paced reps
    elapsed_s: float  # in this phase, pauses excluded
    rep: int | None  # the rep being done now, 1-based; None without reps
    reps_counted: int  # self-paced reps counted so far in this phase
    next: Phase | None
    done_s: float  # progress through the plan (self-paced reps at SELF_PACED_REP_S)
    total_s: int
    left_s: float  # what is left, with this phase's adjustments
    started: bool
    paused: bool
    finished: bool
    stopped: str | None  # the reason given to stop(), if stopped early
    waiting: bool = False  # the phase's clock waits for Enter
    lead_in_s: float | None = None  # a resumed session's short get-ready: seconds left

    @property
    def fraction(self) -> float:
        if self.total_s <= 0:
            return 1.0
        return min(1.0, max(0.0, self.done_s / self.total_s))

    @property
    def ended(self) -> bool:
        return self.finished or self.stopped is not None


def build_timeline(
    routine: model.Routine,
    catalog: Mapping[str, model.Exercise],
    pacing: Pacing = DEFAULT_PACING,
) -> tuple[Phase, ...]:
    """Every phase of a session, get-ready first; exactly what `Pacing.estimate_seconds`
    counts. The pacing's rest and breath are applied here, so pass the routine as written."""
    routine = pacing.applied(routine)
    lookup = routine.lookup(catalog)
    phases = [
        Phase(
            kind=PhaseKind.GET_READY,
            step_index=-1,
            exercise="",
            set_number=0,
            sets=0,
            side=None,
            reps=None,
            hold_s=None,
            duration_s=pacing.get_ready_s,
            cue=Cue.START,
            next_step=0 if routine.steps else None,
        )
    ]
    last = len(routine.steps) - 1
    position: model.Position | None = None
    for index, step in enumerate(routine.steps):
        exercise = lookup.get(step.exercise)
        if exercise is not None and position is not None:
            change = pacing.position_s(position, exercise.position)
            if change:
                phases.append(_position_phase(index, step.exercise, change))
        position = exercise.position if exercise is not None else None
        if exercise is None:
            # As estimate_seconds counts it: one default hold, no rest.
            phases.append(
                Phase(
                    kind=PhaseKind.WORK,
                    step_index=index,
                    exercise=step.exercise,
                    set_number=1,
                    sets=1,
                    side=None,
                    reps=None,
                    hold_s=model.DEFAULT_HOLD_S,
                    duration_s=model.DEFAULT_HOLD_S,
                    cue=Cue.NEXT_EXERCISE,
                )
            )
            continue
        dose = step.dose(exercise, routine.breath)
        phases.extend(_step_phases(index, step.exercise, dose, last=index == last))
    return tuple(phases)


def _position_phase(index: int, exercise: str, seconds: int) -> Phase:
    return Phase(
        kind=PhaseKind.POSITION,
        step_index=index,
        exercise=exercise,
        set_number=0,
        sets=0,
        side=None,
        reps=None,
        hold_s=None,
        duration_s=seconds,
        cue=Cue.POSITION,
        next_step=index,
    )


def _step_phases(index: int, exercise: str, dose: model.Dose, *, last: bool) -> list[Phase]:
    """Sets × sides of work, a switch between sides, a rest between sets and after."""
    phases: list[Phase] = []
    sides: tuple[model.Side | None, ...] = dose.sides or (None,)
    duration = None if dose.self_paced else dose.work_s
    hold = dose.hold_s if dose.reps is not None else dose.work_s

    def phase(kind: PhaseKind, set_number: int, side: model.Side | None, seconds, cue, **more):
        return Phase(
            kind=kind,
            step_index=index,
            exercise=exercise,
            set_number=set_number,
            sets=dose.sets,
            side=side,
            reps=more.pop("reps", None),
            hold_s=more.pop("hold_s", None),
            duration_s=seconds,
            cue=cue,
            **more,
        )

    for set_number in range(1, dose.sets + 1):
        for side_number, side in enumerate(sides):
            if side_number > 0:
                phases.append(
                    phase(
                        PhaseKind.SWITCH,
                        set_number,
                        side,
                        model.SWITCH_SIDES_S,
                        Cue.SWITCH_SIDES,
                        next_step=index,
                    )
                )
            if set_number == 1 and side_number == 0:
                cue = Cue.NEXT_EXERCISE
            elif set_number == dose.sets and side_number == 0:
                cue = Cue.LAST_SET
            else:
                cue = Cue.START
            phases.append(
                phase(
                    PhaseKind.WORK,
                    set_number,
                    side,
                    duration,
                    cue,
                    reps=dose.reps,
                    hold_s=hold,
                    lift_s=dose.lift_s,
                    lower_s=dose.lower_s,
                    breath_led=dose.breath_led,
                    waits=dose.waits,
                )
            )
        more_sets = set_number < dose.sets
        if dose.rest_s > 0 and (more_sets or not last):
            phases.append(
                phase(
                    PhaseKind.REST,
                    set_number,
                    None,
                    dose.rest_s,
                    Cue.REST,
                    next_step=index if more_sets else index + 1,
                )
            )
    return phases


def fingerprint(routine: model.Routine, phases: tuple[Phase, ...]) -> str:
    """The routine as written plus the timeline it gives (a changed catalogue default
    changes the timeline without changing the routine file)."""
    import hashlib

    shape = [[p.kind.value, p.step_index, p.duration_s, p.reps] for p in phases]
    text = dumps_routine(routine) + "\n" + json.dumps(shape)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Session:
    """A routine being done, driven by `clock` (seconds, monotonic).

    Call `update()` on every UI tick: it moves past every phase whose deadline
    has passed and returns each change of phase once, whether time or a key
    (`next`, `back`, `count_rep`, `start`) caused it. `status()` also catches up
    with the clock first, so it never shows a phase that is already over.

    Actions before `start()` and after the end do nothing. While paused, time
    stands still; `next`, `back` and `adjust` still work and stay paused;
    `count_rep` is ignored (a stray key while paused should not count).
    """

    def __init__(
        self,
        routine: model.Routine,
        catalog: Mapping[str, model.Exercise],
        clock: Clock = time.monotonic,
        pacing: Pacing = DEFAULT_PACING,
    ) -> None:
        self.routine = pacing.applied(routine)
        self.lookup = routine.lookup(catalog)
        self.clock = clock
        self.pacing = pacing
        self.phases = build_timeline(routine, catalog, pacing)
        self.total_s = sum(p.planned_s for p in self.phases)
        self.steps_total = len(routine.steps)
        # Work phase indices per step, for counting the steps completed.
        self._work_of_step: dict[int, list[int]] = {}
        for i, phase in enumerate(self.phases):
            if phase.kind is PhaseKind.WORK:
                self._work_of_step.setdefault(phase.step_index, []).append(i)
        self._planned_before = [0] * (len(self.phases) + 1)
        for i, phase in enumerate(self.phases):
            self._planned_before[i + 1] = self._planned_before[i] + phase.planned_s

        self._index = 0
        self._length: float | None = self.phases[0].duration_s
        self._anchor = 0.0  # clock value at which this phase's elapsed time was 0
        self._frozen: float | None = 0.0  # elapsed, while paused, stopped or not started
        self._counted = 0
        self._started = False
        self._paused = False
        self._stopped: str | None = None
        self._passed: set[int] = set()  # work phases left forward, by time or a key
        self._active_before = 0.0  # seconds done in phases already left
        self._pending: list[Transition] = []
        self._waiting = False  # a phase that starts on Enter, not yet started
        self._lead_until: float | None = None  # a resumed session's get-ready ends then

    # --- what the UI reads -------------------------------------------------

    @cached_property
    def fingerprint(self) -> str:
        """Computed when first saved, not at start: it writes the whole routine out."""
        return fingerprint(self.routine, self.phases)

    @property
    def started(self) -> bool:
        return self._started

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def finished(self) -> bool:
        return self._index >= len(self.phases)

    @property
    def stopped(self) -> str | None:
        return self._stopped

    @property
    def ended(self) -> bool:
        return self.finished or self._stopped is not None

    @property
    def index(self) -> int:
        return self._index

    @property
    def steps_completed(self) -> int:
        return sum(1 for indices in self._work_of_step.values() if self._passed.issuperset(indices))

    @property
    def seconds_done(self) -> float:
        """Seconds actually spent in work, switch and rest phases, pauses and get-ready
        excluded: what history records."""
        return self._active_before + self._active_in_phase(self._elapsed(self.clock()))

    def exercise(self, phase: Phase) -> model.Exercise | None:
        return self.lookup.get(phase.exercise)

    def status(self) -> Status:
        now = self.clock()
        self._advance(now)
        n = len(self.phases)
        if self._index >= n:
            return Status(
                n,
                None,
                None,
                0.0,
                None,
                0,
                None,
                float(self.total_s),
                self.total_s,
                0.0,
                self._started,
                self._paused,
                True,
                self._stopped,
            )
        phase = self.phases[self._index]
        elapsed = self._elapsed(now)
        remaining = None if self._length is None else max(0.0, self._length - elapsed)
        if phase.self_paced:
            rep: int | None = min(self._counted + 1, phase.reps or 1)
            in_phase: float = min(self._counted * model.SELF_PACED_REP_S, phase.planned_s)
            phase_left = float(phase.planned_s - in_phase)
        else:
            assert remaining is not None
            rep = None
            if phase.reps is not None and phase.rep_s:
                rep = min(math.floor(elapsed / phase.rep_s) + 1, phase.reps)
            in_phase = min(elapsed, phase.planned_s)
            phase_left = remaining
        later = self.total_s - self._planned_before[self._index + 1]
        return Status(
            self._index,
            phase,
            remaining,
            elapsed,
            rep,
            self._counted,
            self.phases[self._index + 1] if self._index + 1 < n else None,
            self._planned_before[self._index] + in_phase,
            self.total_s,
            phase_left + later,
            self._started,
            self._paused,
            False,
            self._stopped,
            self._waiting,
            None if self._lead_until is None else max(0.0, self._lead_until - now),
        )

    def stage(self) -> tuple[Stage, float] | None:
        """The part of the rep being done now (lift, hold, lower) and its seconds left."""
        status = self.status()
        if status.phase is None:
            return None
        return status.phase.stage(status.elapsed_s)

    def update(self) -> list[Transition]:
        """Catch up with the clock; every change of phase since the last call, in order."""
        self._advance(self.clock())
        pending, self._pending = self._pending, []
        return pending

    # --- what the keys do --------------------------------------------------

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        self._anchor, self._frozen = self.clock(), None
        self._pending.append(Transition(0, self.phases[0], self.phases[0].cue))

    def pause(self) -> None:
        if self._running:
            self._frozen = self._elapsed(self.clock())
            self._paused = True
            self._lead_until = None  # resuming again gives a fresh start anyway

    def resume(self, lead_in_s: float = 0.0) -> None:
        """Carry on; with `lead_in_s`, after a short get-ready (a resumed session
        never drops the person into the middle of a countdown)."""
        if self._started and self._paused and not self.ended:
            self._paused = False
            if lead_in_s > 0:
                self._lead_until = self.clock() + lead_in_s  # the clock starts then
            elif not self._waiting:  # a clock waiting for Enter stays still
                self._anchor = self.clock() - (self._frozen or 0.0)
                self._frozen = None

    def proceed(self) -> None:
        """Enter, the key that moves things along: it starts a clock that waits for
        it, counts a self-paced rep, or ends a get-ready or a position change early."""
        if not self._running:
            return
        now = self.clock()
        self._advance(now)
        if self.ended:
            return
        phase = self.phases[self._index]
        if self._lead_until is not None:
            self._lead_until = now  # ready early
            self._advance(now)
        elif self._waiting:
            self._waiting, self._frozen, self._anchor = False, None, now
        elif phase.self_paced:
            self.count_rep()
        elif phase.kind in (PhaseKind.GET_READY, PhaseKind.POSITION):
            self.next()

    def toggle_pause(self) -> None:
        if self._paused:
            self.resume()
        else:
            self.pause()

    def next(self) -> None:
        """Skip to the next phase; on self-paced reps this finishes the set."""
        if not self._live:
            return
        now = self.clock()
        self._advance(now)
        if not self.ended:
            self._leave(self._elapsed(now), forward=True, skipped=True)
            self._enter(self._index + 1, now)

    def back(self) -> None:
        """Restart this phase if more than BACK_RESTART_S in, else go to the one before."""
        if not self._live:
            return
        now = self.clock()
        self._advance(now)
        if self.ended:
            return
        elapsed = self._elapsed(now)
        if self._index == 0 or elapsed > BACK_RESTART_S or self._counted > 0:
            self._leave(elapsed, forward=False)
            self._enter(self._index, now, announce=False)
        else:
            self._leave(elapsed, forward=False)
            self._enter(self._index - 1, now, cue=Cue.BACK)

    def adjust(self, seconds: float) -> None:
        """Add (or with a negative number take) time left in this phase.

        Never leaves less than MIN_LEFT_S (a phase already under it is not
        shortened further) and may extend past the plan up to MAX_LEFT_S left.
        Self-paced phases have no time to adjust.
        """
        if not self._live:
            return
        now = self.clock()
        self._advance(now)
        if self.ended or self._length is None:
            return
        remaining = self._length - self._elapsed(now)
        wanted = min(remaining + seconds, max(remaining, MAX_LEFT_S))
        wanted = max(wanted, min(remaining, MIN_LEFT_S))
        self._length += wanted - remaining

    def count_rep(self) -> None:
        """One self-paced rep done; the last one moves on to the next phase."""
        if not self._running:
            return
        now = self.clock()
        self._advance(now)
        if self.ended or not self.phases[self._index].self_paced:
            return
        self._counted += 1
        if self._counted >= (self.phases[self._index].reps or 1):
            self._leave(self._elapsed(now), forward=True)
            self._enter(self._index + 1, now)

    def stop(self, reason: str) -> None:
        """End early (for pain, on quit…); time stops where it is."""
        if not self._started or self.ended:
            return
        now = self.clock()
        self._advance(now)
        if self.ended:
            return
        if self._frozen is None:
            self._frozen = self._elapsed(now)
        self._stopped = reason

    # --- saving the place --------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Where the session is, as JSON-able data for `restore`."""
        now = self.clock()
        self._advance(now)
        elapsed = self._elapsed(now)
        return {
            "version": SNAPSHOT_VERSION,
            "fingerprint": self.fingerprint,
            "phase_index": self._index,
            "elapsed_s": elapsed,
            "remaining_s": None if self._length is None else self._length - elapsed,
            "reps_counted": self._counted,
            "seconds_done": self.seconds_done,
            "passed": sorted(self._passed),
            "steps_completed": self.steps_completed,
        }

    @classmethod
    def restore(
        cls,
        routine: model.Routine,
        catalog: Mapping[str, model.Exercise],
        snapshot: Mapping[str, Any],
        clock: Clock = time.monotonic,
    ) -> Session:
        """A session at the snapshot's phase with the same time left, paused.

        ValueError if the snapshot is malformed or was taken of another routine.
        """
        session = cls(routine, catalog, clock)
        if not isinstance(snapshot, Mapping) or snapshot.get("version") != SNAPSHOT_VERSION:
            raise ValueError("not a session snapshot this backtui can read")
        if snapshot.get("fingerprint") != session.fingerprint:
            raise ValueError("the snapshot was taken of a different routine")
        try:
            index = _whole(snapshot["phase_index"], 0, len(session.phases) - 1)
            phase = session.phases[index]
            elapsed = _seconds(snapshot["elapsed_s"])
            remaining = snapshot["remaining_s"]
            most = (phase.reps or 1) - 1 if phase.self_paced else 0
            counted = _whole(snapshot["reps_counted"], 0, most)
            done = _seconds(snapshot["seconds_done"])
            passed = {_whole(i, 0, len(session.phases) - 1) for i in snapshot["passed"]}
        except (KeyError, TypeError) as error:
            raise ValueError(f"malformed session snapshot: {error}") from None
        if phase.self_paced:
            length = None
        else:
            length = elapsed + min(max(_seconds(remaining), 0.0), MAX_LEFT_S)
        session._started, session._paused = True, True
        session._index, session._length, session._frozen = index, length, elapsed
        session._counted, session._passed = counted, passed
        session._waiting = phase.waits and elapsed == 0
        session._active_before = max(0.0, done - session._active_in_phase(elapsed))
        return session

    # --- inside ------------------------------------------------------------

    @property
    def _running(self) -> bool:
        return self._started and not self._paused and not self.ended

    @property
    def _ticking(self) -> bool:
        return self._running and not self._waiting

    @property
    def _live(self) -> bool:
        return self._started and not self.ended

    def _elapsed(self, now: float) -> float:
        if self._frozen is not None:
            return self._frozen
        return max(0.0, now - self._anchor)

    def _active_in_phase(self, elapsed: float) -> float:
        if self.finished or self.phases[self._index].kind is PhaseKind.GET_READY:
            return 0.0
        return elapsed

    def _advance(self, now: float) -> None:
        """Leave every timed phase whose deadline has passed. Each next phase starts
        at the previous deadline, not at `now`, so the overshoot carries forward."""
        if self._lead_until is not None and self._running:
            if now < self._lead_until:
                return
            start, self._lead_until = self._lead_until, None
            if not self._waiting:
                self._anchor, self._frozen = start - (self._frozen or 0.0), None
            if not self.finished:
                phase = self.phases[self._index]
                self._pending.append(Transition(self._index, phase, Cue.START))
        if not self._ticking:
            return
        while not self.finished and self._length is not None:
            deadline = self._anchor + self._length
            if now < deadline:
                return
            self._leave(self._length, forward=True)
            self._enter(self._index + 1, deadline)

    def _leave(self, elapsed: float, *, forward: bool, skipped: bool = False) -> None:
        """Leave the current phase. Work skipped with `next` counts as done only if
        at least half of it was done: skipping through a routine completes nothing."""
        self._active_before += self._active_in_phase(elapsed)
        phase = self.phases[self._index]
        if not forward or phase.kind is not PhaseKind.WORK:
            return
        if skipped:
            half_time = elapsed * 2 >= phase.planned_s
            half_reps = phase.self_paced and self._counted * 2 >= (phase.reps or 1)
            if not (half_time or half_reps):
                return
        self._passed.add(self._index)

    def _enter(
        self, index: int, anchor: float, *, announce: bool = True, cue: Cue | None = None
    ) -> None:
        self._index = index
        self._counted = 0
        self._lead_until = None  # any change of phase ends a resumed session's get-ready
        # Paused, the new phase waits at its start; a clock left waiting for Enter runs.
        self._frozen = 0.0 if self._paused else None
        self._anchor = anchor
        if index >= len(self.phases):
            self._length = None
            self._waiting = False
            self._frozen, self._paused = 0.0, False
            self._pending.append(Transition(index, None, Cue.FINISHED))
            return
        phase = self.phases[index]
        self._length = None if phase.duration_s is None else float(phase.duration_s)
        self._waiting = phase.waits
        if phase.waits:
            self._frozen = 0.0  # until Enter
        if announce:
            self._pending.append(Transition(index, phase, cue or phase.cue))


def _whole(value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"malformed session snapshot: {value!r} is not in {low}–{high}")
    return value


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"malformed session snapshot: {value!r} is not a number of seconds")
    return max(0.0, float(value))
