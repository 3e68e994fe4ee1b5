"""What the runner says for a moment of the session: plain words, no widgets.

The screen asks `present()` a few times a second and repaints only the lines
whose words changed; everything a person reads during a session is decided
here, where a test reaches it without the Pilot.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from backtui.core.model import Exercise, Position, Routine, Side
from backtui.core.outcome import Outcome
from backtui.core.session import Cue, Phase, PhaseKind, Session, Stage, Status

PROGRESS_CELLS = 24
PACER_CELLS = 8  # a cell changes under twice a second: smooth enough, cheap to send
PACER_LOOK_S = 0.5  # the pacer is redrawn at most this often, on the tick's half-seconds
MAX_PACER_LOOKS = 20
DEFAULT_BREATH = (4, 6)  # seconds in, out: when the routine sets none

# What the banner says at a change, and the class that colours it. Rests, side
# switches, position changes and going back have none: the name line says it.
CUES: Mapping[Cue, tuple[str, str]] = {
    Cue.LAST_SET: ("Last set", "-last"),
    Cue.NEXT_EXERCISE: ("Go", "-go"),
    Cue.START: ("Go", "-go"),
}

POSITION_WORDS = {
    Position.SUPINE: "lying on your back",
    Position.PRONE: "lying face down",
    Position.SIDE_LYING: "lying on your side",
    Position.QUADRUPED: "on hands and knees",
    Position.KNEELING: "kneeling",
    Position.STANDING: "standing",
    Position.ANY: "any comfortable position",
}

STAGE_WORDS = {Stage.LIFT: "▲ lift", Stage.HOLD: "■ hold", Stage.LOWER: "▼ lower"}
BREATH_STAGE_WORDS = {
    Stage.LIFT: "▲ breathe in",
    Stage.HOLD: "■ hold",
    Stage.LOWER: "▼ breathe out",
}

BAD_PAIN_LINE = "x = stop: pain down a leg, or sharply worse"

BAD_PAIN = (
    "Stopped. That was the right call.\n\n"
    "Bad pain is pain that shoots, burns or tingles down a leg, or that rises "
    "sharply. Ordinary discomfort that stays in your back and eases as you move "
    "is not that.\n\n"
    "Lie in whatever position is most comfortable and breathe slowly. If bad pain "
    "keeps coming back, talk to a clinician before the next session."
)


WARNING_SIGNS = (
    "Get seen promptly for new weakness or numbness in a leg, numbness around the "
    "groin, changes in bladder or bowel control, a fever with back pain, or pain "
    "after a fall."
)

# The one caution, said wherever backtui speaks for itself: the `?` help, a handout.
DISCLAIMER = (
    "backtui is not medical advice. Stop if pain shoots or tingles down a leg or "
    "rises sharply; mild local discomfort that eases as you go is usually fine."
)

UNBALANCED_NOTE = "Note: this routine has back-arching work with no bending forward after it."

PAIN_ROSE = (
    "Your pain is higher than when you started. Rest in whatever position eases it "
    "today, and if this keeps happening, talk to a clinician before going on."
)


def pain_rose(pain_before: int | None, pain_after: int | None) -> bool:
    """Worse by two or more, or high (7 and up) at the end."""
    if pain_after is None:
        return False
    return pain_after >= 7 or (pain_before is not None and pain_after - pain_before >= 2)


def pain_after_question(outcome: Outcome) -> str:
    if outcome is Outcome.STOPPED_FOR_PAIN:
        return "How is your back now, after stopping?"
    return "Well done. How is your back now?"


@dataclass(frozen=True, slots=True)
class RunnerView:
    """Every line of the runner for one moment, as text."""

    routine: str
    where: str  # "step 2 of 5", or "" while getting ready
    paused: bool
    name: str
    detail: str
    clock: str  # MM:SS, or the rep being done when reps are self-paced
    self_paced: bool
    proceeds: bool  # Enter moves things along here (see `Session.proceed`)
    pacer: str  # the breathing pacer; a breath-led rep sets its rhythm
    instruction: str
    next: str
    progress: str
    # Seconds until the words or the big clock could next change: the screen
    # sleeps until then (or the pacer's next look, `pacer_wake`) instead of polling.
    changes_in_s: float = 1.0


@dataclass(frozen=True, slots=True)
class Summary:
    heading: str  # "" when the whole text is one message (stopped for pain)
    body: str


def clock_text(seconds: float) -> str:
    """MM:SS, rounding up so a hold reads 00:01 until it is really over."""
    whole = max(0, int(-(-seconds // 1)))
    return f"{whole // 60:02d}:{whole % 60:02d}"


def pacer_text(t: float, inhale_s: float, exhale_s: float, cells: int = PACER_CELLS) -> str:
    """The breathing pacer `t` seconds into the rhythm: a bar that fills on the
    breath in (through the nose) and empties on the breath out (through the lips)."""
    cycle = inhale_s + exhale_s
    t %= cycle
    if t < inhale_s:
        filled = round(cells * t / inhale_s)
        label = "in, nose   "
    else:
        filled = round(cells * (1 - (t - inhale_s) / exhale_s))
        label = "out, lips  "
    return f"{label}[{'=' * filled}{' ' * (cells - filled)}]"


def to_next_whole(seconds: float, *, down: bool = False) -> float:
    """Seconds until `seconds`, counting up (or `down`), crosses a whole second."""
    part = seconds % 1.0
    if not part:
        return 1.0
    return part if down else 1.0 - part


def pacer_wake(
    t: float, until_tick_s: float, inhale_s: float, exhale_s: float, shown: str
) -> float | None:
    """Seconds until the pacer must be redrawn on its own, before the tick due in
    `until_tick_s`; None when the tick itself will do.

    The pacer is looked at on a half-second grid counted back from the tick, so
    every other look falls in the tick's own frame: at most two wakes a second,
    and the terminal gets one frame where it would get two. `t` is how far into
    the rhythm the pacer is now and `shown` what it shows now."""
    looks = min(int((until_tick_s - 1e-9) // PACER_LOOK_S), MAX_PACER_LOOKS)
    for back in range(looks, 0, -1):
        after = until_tick_s - back * PACER_LOOK_S
        if pacer_text(t + after, inhale_s, exhale_s) != shown:
            return after
    return None


def banner(phase: Phase | None, cue: Cue) -> tuple[str, str] | None:
    """The banner's words and colour class at a change into `phase`, if any: no
    "Go" over "Get ready", nothing that repeats the name line."""
    if phase is None or phase.kind is PhaseKind.GET_READY:
        return None
    return CUES.get(cue)


def breath_rhythm(routine: Routine) -> tuple[int, int]:
    breath = routine.breath
    return (breath.inhale_s, breath.exhale_s) if breath else DEFAULT_BREATH


def present(
    status: Status,
    session: Session,
    *,
    pain_before: int | None,
    pain_ratings: bool,
    breathing_s: float = 0.0,
    balance_note: str = "",
) -> RunnerView:
    """The runner's words for `status` (a session that has not ended).
    `breathing_s` is how long the pacer has been running: it keeps its rhythm
    across phases, except in a breath-led move, whose reps are the breaths."""
    phase = status.phase
    assert phase is not None, "an ended session has a summary, not a view"
    routine, lookup = session.routine, session.lookup
    exercise = lookup.get(phase.exercise) if phase.exercise else None
    upcoming = None
    if phase.next_step is not None and phase.next_step < len(routine.steps):
        upcoming = lookup.get(routine.steps[phase.next_step].exercise)

    resuming = status.lead_in_s is not None
    if resuming:
        upcoming = exercise if phase.kind is PhaseKind.WORK else upcoming
        name, detail = "Get ready", "carrying on where you stopped  ·  Enter when ready"
    elif phase.kind is PhaseKind.GET_READY:
        name, detail = "Get ready", pain_prompt(pain_before, pain_ratings)
    elif phase.kind is PhaseKind.REST:
        name, detail = "Rest", f"then {upcoming.name}" if upcoming else ""
    elif phase.kind is PhaseKind.SWITCH:
        name, detail = "Switch sides", f"now the {phase.side} side" if phase.side else ""
    elif phase.kind is PhaseKind.POSITION:
        name = "Get into position"
        detail = (
            f"for {upcoming.name}: {POSITION_WORDS[upcoming.position]}  ·  Enter when ready"
            if upcoming
            else ""
        )
    elif status.waiting:
        name = exercise.name if exercise else phase.exercise
        detail = "The timer starts when you press Enter"
    else:
        name = exercise.name if exercise else phase.exercise
        detail = work_detail(status)

    if status.lead_in_s is not None:
        clock = clock_text(status.lead_in_s)
    elif status.remaining_s is None:  # self-paced: the rep being done, big
        clock = str(min(status.reps_counted + 1, phase.reps or 1))
    else:
        clock = clock_text(status.remaining_s)

    inhale, exhale = breath_rhythm(routine)
    breath_t = status.elapsed_s if phase.breath_led and not status.waiting else breathing_s
    return RunnerView(
        routine=routine.name,
        where=f"step {phase.step_index + 1} of {session.steps_total}"
        if phase.step_index >= 0
        else "",
        paused=status.paused,
        name=name,
        detail=detail,
        clock=clock,
        self_paced=phase.self_paced,
        proceeds=resuming
        or status.waiting
        or phase.self_paced
        or phase.kind in (PhaseKind.GET_READY, PhaseKind.POSITION),
        pacer=pacer_text(breath_t, inhale, exhale),
        instruction=(
            instruction(routine, replace(phase, kind=PhaseKind.GET_READY), None, upcoming)
            if resuming
            else instruction(routine, phase, exercise, upcoming)
        )
        + (f"\n{balance_note}" if balance_note and phase.kind is PhaseKind.GET_READY else ""),
        next="" if resuming else next_text(phase, status.next, lookup),
        progress=progress_text(status),
        changes_in_s=min(
            [to_next_whole(status.elapsed_s)]
            + [to_next_whole(s, down=True) for s in (status.remaining_s, status.lead_in_s) if s]
        ),
    )


def pain_prompt(pain_before: int | None, pain_ratings: bool) -> str:
    if not pain_ratings:
        return ""
    if pain_before is None:
        return "Pain now? 0–9, 1 then 0 for ten; or just begin"
    return f"Pain before: {pain_before}/10"


def work_detail(status: Status) -> str:
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
    stage = phase.stage(status.elapsed_s)
    if stage is not None:
        words = BREATH_STAGE_WORDS if phase.breath_led else STAGE_WORDS
        parts.append(f"{words[stage[0]]} {math.ceil(stage[1])}")
    return "  ·  ".join(parts)


def cautions(exercise: Exercise) -> list[str]:
    """The move's cautions, each on its own line, said before it begins."""
    return [f"Take care: {caution}" for caution in exercise.cautions]


def instruction(
    routine: Routine, phase: Phase, exercise: Exercise | None, upcoming: Exercise | None
) -> str:
    if phase.kind is PhaseKind.POSITION and upcoming is not None:
        return "\n".join([upcoming.steps[0], *cautions(upcoming)])
    if phase.kind in (PhaseKind.REST, PhaseKind.GET_READY) and upcoming is not None:
        return "\n".join([f"Coming up: {upcoming.name}. {upcoming.steps[0]}", *cautions(upcoming)])
    if exercise is None:
        return ""
    step = routine.steps[phase.step_index]
    # The first instruction (getting into position) was shown while getting ready.
    lines = [" ".join(exercise.steps[1:] or exercise.steps)]
    if step.note:
        lines.append(f"Note: {step.note}")
    if exercise.cue:
        lines.append(exercise.cue)
    return "\n".join(lines)


def next_text(
    current: Phase | None, following: Phase | None, lookup: Mapping[str, Exercise]
) -> str:
    """What comes after this phase; empty while getting ready, changing position
    or resting before a move, since the screen already names that move."""
    if following is None:
        return "Next: the end"
    if following.kind is PhaseKind.REST:
        return "Next: rest"
    if following.kind is PhaseKind.SWITCH:
        return "Next: switch sides"
    if (
        current is not None
        and current.kind in (PhaseKind.GET_READY, PhaseKind.POSITION, PhaseKind.REST)
        and following.step_index == current.next_step
    ):
        return ""
    exercise = lookup.get(following.exercise)
    name = exercise.name if exercise else following.exercise
    if following.kind is PhaseKind.POSITION:
        return f"Next: {name}, after a moment to get into position"
    return f"Next: {name}" + (f" ({following.side})" if following.side is not None else "")


def progress_text(status: Status) -> str:
    """The bar, the share done and the time left, in words that agree with each
    other: never "100%" with time still to go, never "a minute" at one second."""
    # Rounded down: 100% and a full bar mean done.
    share = 1.0 if status.left_s <= 0 else min(status.fraction, 0.99)
    filled = int(PROGRESS_CELLS * share)
    bar = "█" * filled + "░" * (PROGRESS_CELLS - filled)
    # Whole minutes: the big clock has the seconds, and this line stays still.
    if status.left_s >= 90:
        left = f"about {round(status.left_s / 60)} min left"
    elif status.left_s >= 60:
        left = "under 2 min left"
    elif status.left_s > 15:
        left = "under a minute left"
    elif status.left_s > 0:
        left = "nearly done"
    else:
        left = "done"
    return f"{bar} {int(share * 100):3d}%  {left}"


def exercise_in_view(status: Status, session: Session) -> Exercise | None:
    """The move a person means when they ask to read more: the one being done,
    or, while getting ready, resting or changing position, the one coming up."""
    phase = status.phase
    if phase is None:
        return None
    if phase.kind is PhaseKind.WORK or phase.next_step is None:
        return session.lookup.get(phase.exercise)
    if phase.next_step < len(session.routine.steps):
        return session.lookup.get(session.routine.steps[phase.next_step].exercise)
    return None


def resume_question(session: Session) -> str:
    """The question when a kept place is found, saying where it was."""
    phase = session.status().phase
    where = "the start"
    if phase is not None and phase.step_index >= 0:
        exercise = session.lookup.get(phase.exercise)
        parts = [f"step {phase.step_index + 1}", exercise.name if exercise else phase.exercise]
        if phase.kind is PhaseKind.WORK and phase.sets > 1:
            parts.append(f"set {phase.set_number} of {phase.sets}")
        if phase.kind is PhaseKind.WORK and phase.side in (Side.LEFT, Side.RIGHT):
            parts.append(f"{phase.side} side")
        where = ", ".join(parts)
    return f"You stopped “{session.routine.name}” part-way, at {where}. Pick up where you left off?"


def summary(
    outcome: Outcome,
    session: Session,
    catalog: Mapping[str, Exercise],
    *,
    pain_before: int | None,
    pain_after: int | None,
) -> Summary:
    """What the closing screen says, with the balance advice for next time."""
    from backtui.core.balance import unbalanced

    if outcome is Outcome.STOPPED_FOR_PAIN:
        text = BAD_PAIN
        if pain_after is not None:
            text += f"\n\nPain {'–' if pain_before is None else pain_before} → {pain_after}."
        return Summary("", text)
    minutes, seconds = divmod(round(session.seconds_done), 60)
    if outcome is not Outcome.COMPLETED:
        heading = "Session ended."
    elif session.steps_completed < session.steps_total:
        heading = "Session over, with steps skipped."  # not "complete": say what was done
    else:
        heading = "Session complete."
    total = session.steps_total
    steps = f"{session.steps_completed} of {total} step{'' if total == 1 else 's'}"
    lines = [f"{steps} in {minutes}:{seconds:02d}."]
    if pain_before is not None or pain_after is not None:
        before = "–" if pain_before is None else str(pain_before)
        after = "–" if pain_after is None else str(pain_after)
        lines.append(f"Pain {before} → {after}.")
    if pain_rose(pain_before, pain_after):
        lines.append(PAIN_ROSE)
    body = "\n".join(lines) + "\n"
    for warning in unbalanced(session.routine, catalog):
        body += f"\nNext time: {warning.message(session.lookup)}."
    return Summary(heading, body)
