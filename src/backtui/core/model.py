"""The things a routine is made of: exercises, steps with their dose, routines.

Everything here is immutable, so the editor's undo history is simply a list of
earlier routines, and any part of the app can hold one without fear that another
part changes it underneath.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum


class Spine(StrEnum):
    FLEXION = "flexion"
    EXTENSION = "extension"
    NEUTRAL = "neutral"
    LATERAL = "lateral"
    ROTATION = "rotation"
    MIXED = "mixed"

    @property
    def marker(self) -> str:
        """A one-character sign that reads without colour."""
        return _SPINE_MARKERS[self]


_SPINE_MARKERS = {
    Spine.FLEXION: "(",
    Spine.EXTENSION: ")",
    Spine.NEUTRAL: "=",
    Spine.LATERAL: "/",
    Spine.ROTATION: "@",
    Spine.MIXED: "~",
}


class Category(StrEnum):
    STRETCH = "stretch"
    RELAXATION = "relaxation"
    STRENGTHENING = "strengthening"
    COLD = "cold"
    BREATHING = "breathing"


class Position(StrEnum):
    SUPINE = "supine"
    PRONE = "prone"
    QUADRUPED = "quadruped"
    SIDE_LYING = "side-lying"
    KNEELING = "kneeling"
    STANDING = "standing"
    ANY = "any"


class Side(StrEnum):
    BOTH = "both"
    LEFT = "left"
    RIGHT = "right"


# Timing rules shared by the estimate and the session engine, so the two agree.
DEFAULT_HOLD_S = 30
SELF_PACED_REP_S = 4
SWITCH_SIDES_S = 5
GET_READY_S = 10

# Ranges of the routine file (CONTRACT §2), used by the parser and the editor's form.
REPS_RANGE = (1, 100)
HOLD_RANGE = (1, 1800)
SETS_RANGE = (1, 10)
REST_RANGE = (0, 600)
INHALE_RANGE = (1, 15)
EXHALE_RANGE = (1, 20)
NAME_MAX = 80
DESCRIPTION_MAX = 2000
NOTE_MAX = 500
TEXT_MAX = 500
MAX_STEPS = 500
MAX_CUSTOM_EXERCISES = 200
MAX_EXERCISE_STEPS = 12
ID_MAX = 64


@dataclass(frozen=True, slots=True)
class Exercise:
    id: str
    name: str
    spine: Spine
    category: Category
    position: Position
    steps: tuple[str, ...]
    sided: bool = False
    hold_s: int | None = None
    reps: int | None = None
    sets: int | None = None
    rest_s: int | None = None
    cue: str = ""
    cautions: tuple[str, ...] = ()
    progressions: tuple[str, ...] = ()
    regressions: tuple[str, ...] = ()
    counters: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Dose:
    """A step's dose with every default filled in: what the session will do."""

    reps: int | None
    hold_s: int | None  # each hold, or each rep's length; None for self-paced reps
    sets: int
    sides: tuple[Side, ...]  # empty for a move done on both sides at once
    rest_s: int

    @property
    def self_paced(self) -> bool:
        return self.reps is not None and self.hold_s is None

    @property
    def work_s(self) -> int:
        """Seconds of one set on one side."""
        if self.reps is None:
            return self.hold_s or DEFAULT_HOLD_S
        return self.reps * (self.hold_s or SELF_PACED_REP_S)

    def describe(self) -> str:
        if self.reps is None:
            text = _duration(self.work_s)
        elif self.hold_s is None:
            text = f"{self.reps} reps"
        else:
            text = f"{self.reps}×{self.hold_s}s"
        if self.sets > 1:
            text = f"{self.sets} sets of {text}"
        if len(self.sides) == 2:
            text += " each side"
        elif len(self.sides) == 1:
            text += f" {self.sides[0]}"
        return text


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds}s"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}m{rest:02d}s" if rest else f"{minutes}m"


@dataclass(frozen=True, slots=True)
class Step:
    exercise: str
    reps: int | None = None
    hold_s: int | None = None
    sets: int | None = None
    side: Side | None = None
    rest_s: int | None = None
    note: str = ""

    def dose(self, exercise: Exercise) -> Dose:
        """Fill what the step leaves out with the exercise's defaults."""
        reps = self.reps if self.reps is not None else exercise.reps
        hold = self.hold_s if self.hold_s is not None else exercise.hold_s
        if reps is None and hold is None:
            hold = DEFAULT_HOLD_S
        sides: tuple[Side, ...] = ()
        if exercise.sided:
            side = self.side or Side.BOTH
            sides = (Side.LEFT, Side.RIGHT) if side is Side.BOTH else (side,)
        rest = self.rest_s if self.rest_s is not None else exercise.rest_s
        return Dose(
            reps=reps,
            hold_s=hold,
            sets=self.sets or exercise.sets or 1,
            sides=sides,
            rest_s=rest or 0,
        )


@dataclass(frozen=True, slots=True)
class Breath:
    inhale_s: int = 4
    exhale_s: int = 6


@dataclass(frozen=True)
class Routine:
    name: str
    steps: tuple[Step, ...]
    description: str = ""
    breath: Breath | None = None
    # Custom moves carried in the file itself, so a shared routine stands alone.
    exercises: Mapping[str, Exercise] = field(default_factory=dict)

    def lookup(self, catalog: Mapping[str, Exercise]) -> Mapping[str, Exercise]:
        """Exercises by id as this routine sees them: its own first, then the catalogue."""
        if not self.exercises:
            return catalog
        return ChainMap(dict(self.exercises), catalog)  # type: ignore[arg-type]

    def with_steps(self, steps: tuple[Step, ...] | list[Step]) -> Routine:
        return replace(self, steps=tuple(steps))

    def moved(self, old: int, new: int) -> Routine:
        steps = list(self.steps)
        steps.insert(new, steps.pop(old))
        return self.with_steps(steps)

    def inserted(self, index: int, step: Step) -> Routine:
        steps = list(self.steps)
        steps.insert(index, step)
        return self.with_steps(steps)

    def removed(self, index: int) -> Routine:
        return self.with_steps(self.steps[:index] + self.steps[index + 1 :])

    def replaced(self, index: int, step: Step) -> Routine:
        return self.with_steps((*self.steps[:index], step, *self.steps[index + 1 :]))


def step_seconds(dose: Dose, *, last: bool) -> int:
    """How long one step takes: sets × sides of work, side switches, rests."""
    sides = max(len(dose.sides), 1)
    seconds = dose.sets * sides * dose.work_s
    seconds += dose.sets * (sides - 1) * SWITCH_SIDES_S
    seconds += (dose.sets - 1) * dose.rest_s
    if not last:
        seconds += dose.rest_s
    return seconds


def estimate_seconds(routine: Routine, catalog: Mapping[str, Exercise]) -> int:
    """The expected length of a session, the get-ready included.

    Self-paced reps are counted at SELF_PACED_REP_S each; steps naming an unknown
    exercise count as a default hold.
    """
    lookup = routine.lookup(catalog)
    total = GET_READY_S
    last = len(routine.steps) - 1
    for index, step in enumerate(routine.steps):
        exercise = lookup.get(step.exercise)
        if exercise is None:
            total += DEFAULT_HOLD_S
            continue
        total += step_seconds(step.dose(exercise), last=index == last)
    return total


def estimate_minutes(routine: Routine, catalog: Mapping[str, Exercise]) -> int:
    return max(1, round(estimate_seconds(routine, catalog) / 60))
