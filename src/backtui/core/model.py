"""The things a routine is made of: exercises, steps with their dose, routines.

Everything here is immutable, so the editor's undo history is simply a list of
earlier routines, and any part of the app can hold one without fear that another
part changes it underneath.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from backtui.core.spec import ID_MAX as ID_MAX  # the id limit lives with the id pattern
from backtui.core.spec import (
    Choice,
    ExerciseRef,
    Flag,
    Id,
    IdList,
    Integer,
    KeyedTables,
    Nested,
    TableList,
    Text,
    TextList,
    declared,
    fields_of,
    kind_of,
    spec,
)


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

# The routine file's values (CONTRACT §2), each declared once. A step's dose and
# an exercise's default dose share these ranges. From the declarations below come
# the reader, the writer, `catalog --json`, the JSON Schema and the dose form.
REPS = Integer(1, 100)
HOLD = Integer(1, 1800, "seconds")
SETS = Integer(1, 10)
REST = Integer(0, 600, "seconds")
NAME = Text(80, visible=True)
TEXT = Text(500)  # each string of an exercise
TEXTS = TextList(TEXT, 0, 50)
IDS = IdList(50)


@declared(frozen=True, slots=True)
class Exercise:
    id: str = spec(
        Id(), key=True, help="The exercise's id: kebab-case ASCII, at most 64 characters."
    )
    name: str = spec(NAME, label="Name", help="The exercise's name, 1–80 characters.")
    spine: Spine = spec(
        Choice(Spine), label="Spine", help="Which way the move bends the lower back."
    )
    category: Category = spec(Choice(Category), label="Category", help="What kind of move it is.")
    position: Position = spec(
        Choice(Position), label="Position", help="The position the move is done in."
    )
    steps: tuple[str, ...] = spec(
        TextList(TEXT, 1, 12), label="Steps", help="How to do it: 1–12 instructions, in order."
    )
    sided: bool = spec(
        Flag(), default=False, label="Sided", help="Done one side at a time (left, then right)."
    )
    hold_s: int | None = spec(
        HOLD, default=None, label="Hold (s)", help="Default seconds of each hold, or of each rep."
    )
    reps: int | None = spec(
        REPS, default=None, label="Reps", help="Default repetitions; absent means a timed hold."
    )
    sets: int | None = spec(SETS, default=None, label="Sets", help="Default number of sets.")
    rest_s: int | None = spec(
        REST, default=None, label="Rest (s)", help="Default seconds of rest after the move."
    )
    cue: str = spec(Text(500, multiline=True), default="", label="Cue", help="The breathing cue.")
    cautions: tuple[str, ...] = spec(
        TEXTS, default=(), label="Cautions", help="When to ease off or stop."
    )
    progressions: tuple[str, ...] = spec(
        IDS, default=(), label="Progressions", help="Ids of harder moves to go on to."
    )
    regressions: tuple[str, ...] = spec(
        IDS, default=(), label="Regressions", help="Ids of easier moves to fall back to."
    )
    counters: tuple[str, ...] = spec(
        IDS,
        default=(),
        label="Counters",
        help="Ids of moves that balance this one (flexion after extension work).",
    )
    aliases: tuple[str, ...] = spec(
        TEXTS, default=(), label="Aliases", help="Other names people search for."
    )


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


@declared(frozen=True, slots=True)
class Step:
    exercise: str = spec(
        ExerciseRef(),
        label="Exercise",
        help="A catalogue id, or the id of an exercise under [exercises] in this file.",
    )
    reps: int | None = spec(
        REPS,
        default=None,
        label="Reps",
        help="Repetitions; absent means the exercise's default, else one timed hold.",
    )
    hold_s: int | None = spec(
        HOLD, default=None, label="Hold (s)", help="Seconds of each hold, or of each rep."
    )
    sets: int | None = spec(SETS, default=None, label="Sets", help="Number of sets.")
    side: Side | None = spec(
        Choice(Side),
        default=None,
        label="Side",
        sided_only=True,
        absent_means=Side.BOTH,
        help="For a move done one side at a time: both sides, or only the left or the right.",
    )
    rest_s: int | None = spec(
        REST, default=None, label="Rest (s)", help="Seconds of rest after the step."
    )
    note: str = spec(Text(500), default="", label="Note", help="A note shown with the step.")

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


@declared(frozen=True, slots=True)
class Breath:
    inhale_s: int = spec(
        Integer(1, 15, "seconds"), default=4, label="Inhale (s)", help="Seconds of each breath in."
    )
    exhale_s: int = spec(
        Integer(1, 20, "seconds"), default=6, label="Exhale (s)", help="Seconds of each breath out."
    )


@declared(frozen=True)
class Routine:
    name: str = spec(NAME, label="Name", help="The routine's name, shown as plain text.")
    steps: tuple[Step, ...] = spec(
        TableList(Step, 1, 500), label="Steps", help="The steps, in the order they are done."
    )
    description: str = spec(
        Text(2000, multiline=True), default="", label="Description", help="What the routine is for."
    )
    breath: Breath | None = spec(
        Nested(Breath),
        default=None,
        label="Breath",
        help="The pacing of the therapeutic breath in this routine.",
    )
    # Custom moves carried in the file itself, so a shared routine stands alone.
    exercises: Mapping[str, Exercise] = spec(
        KeyedTables(Exercise, 200, "custom exercises"),
        default_factory=dict,
        label="Exercises",
        help="Custom exercises by id, so a shared file stands on its own.",
    )

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


# Names other modules use, derived from the declarations above.
REPS_RANGE = REPS.bounds
HOLD_RANGE = HOLD.bounds
SETS_RANGE = SETS.bounds
REST_RANGE = REST.bounds
INHALE_RANGE = kind_of(Breath, "inhale_s", Integer).bounds
EXHALE_RANGE = kind_of(Breath, "exhale_s", Integer).bounds
NAME_MAX = NAME.max_len
DESCRIPTION_MAX = kind_of(Routine, "description", Text).max_len
NOTE_MAX = kind_of(Step, "note", Text).max_len
TEXT_MAX = TEXT.max_len
MAX_STEPS = kind_of(Routine, "steps", TableList).max_items
MAX_CUSTOM_EXERCISES = kind_of(Routine, "exercises", KeyedTables).max_items
MAX_EXERCISE_STEPS = kind_of(Exercise, "steps", TextList).max_items
# The lists of other exercises' ids an exercise holds (progressions, regressions, counters).
REFERENCE_LISTS = tuple(f.name for f in fields_of(Exercise) if isinstance(f.kind, IdList))


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
