"""The things a routine is made of: exercises, steps with their dose, routines.

Everything here is immutable, so the editor's undo history is simply a list of
earlier routines, and any part of the app can hold one without fear that another
part changes it underneath.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Mapping
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
RESUME_READY_S = 5  # a resumed session's short get-ready before its clock runs again

# The routine file's values (CONTRACT §2), each declared once. A step's dose and
# an exercise's default dose share these ranges. From the declarations below come
# the reader, the writer, `catalog --json`, the JSON Schema and the dose form.
REPS = Integer(1, 100)
HOLD = Integer(1, 1800, "seconds")
SETS = Integer(1, 10)
REST = Integer(0, 600, "seconds")
TEMPO = Integer(0, 30, "seconds")  # the lift or the lower of one rep
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
    lift_s: int | None = spec(
        TEMPO,
        default=None,
        label="Lift (s)",
        help="Seconds to lift (or move in) on each rep; with lower_s, hold_s is the hold between.",
    )
    lower_s: int | None = spec(
        TEMPO,
        default=None,
        label="Lower (s)",
        help="Seconds to lower (or return) on each rep.",
    )
    breath_led: bool = spec(
        Flag(),
        default=False,
        label="Breath-led",
        help="Each rep is one breath: move on the breath in, return on the breath out.",
    )
    starts_on_enter: bool = spec(
        Flag(),
        default=False,
        label="Starts on Enter",
        help="The timer waits for Enter (for example, until a cold pack is in place).",
    )
    hold_max_s: int | None = spec(
        HOLD,
        default=None,
        label="Longest hold (s)",
        help="The longest a hold of this move may be; longer doses are cut to it.",
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
    lift_s: int = 0  # a rep's tempo: lift, hold_s, lower; both 0: hold_s is the whole rep
    lower_s: int = 0
    breath_led: bool = False  # lift on the breath in, lower on the breath out
    waits: bool = False  # the timer starts on Enter

    @property
    def self_paced(self) -> bool:
        return self.reps is not None and self.hold_s is None

    @property
    def rep_s(self) -> int:
        """Seconds of one rep: lift + hold + lower, or the hold alone without a tempo."""
        if self.hold_s is None:
            return SELF_PACED_REP_S
        return self.lift_s + self.hold_s + self.lower_s

    @property
    def work_s(self) -> int:
        """Seconds of one set on one side."""
        if self.reps is None:
            return self.hold_s or DEFAULT_HOLD_S
        return self.reps * self.rep_s

    def _amount(self) -> str:
        """One set on one side: a duration, a count of reps, or reps × seconds."""
        if self.reps is None:
            return _duration(self.work_s)
        if self.hold_s is None:
            return f"{self.reps} reps"
        return f"{self.reps}×{self.rep_s}s"

    def describe(self) -> str:
        text = self._amount()
        if self.sets > 1:
            text = f"{self.sets} sets of {text}"
        if len(self.sides) == 2:
            text += " each side"
        elif len(self.sides) == 1:
            text += f" {self.sides[0]}"
        return text

    def describe_short(self) -> str:
        """The dose in few columns, for a narrow row: `10×3s ×2`, `30s`, `12 reps R`.

        "Each side" is left out: the row's `½` marker already says the move is
        done one side at a time, and both sides is what that means unless a side
        is named (`L` or `R`).
        """
        text = self._amount()
        if self.sets > 1:
            text += f" ×{self.sets}"
        if len(self.sides) == 1:
            text += " L" if self.sides[0] is Side.LEFT else " R"
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
    lift_s: int | None = spec(
        TEMPO, default=None, label="Lift (s)", reps_only=True, help="Seconds to lift on each rep."
    )
    lower_s: int | None = spec(
        TEMPO,
        default=None,
        label="Lower (s)",
        reps_only=True,
        help="Seconds to lower on each rep.",
    )
    self_paced: bool = spec(
        Flag(),
        default=False,
        label="Self-paced",
        reps_only=True,
        help="Reps counted with Enter at your own pace instead of timed; then the rest.",
    )
    note: str = spec(Text(500), default="", label="Note", help="A note shown with the step.")

    def dose(self, exercise: Exercise, breath: Breath | None = None) -> Dose:
        """Fill what the step leaves out with the exercise's defaults. A breath-led
        move's rep is one breath of the routine's rhythm."""
        reps = self.reps if self.reps is not None else exercise.reps
        hold = self.hold_s if self.hold_s is not None else exercise.hold_s
        lift = _first(self.lift_s, exercise.lift_s)
        lower = _first(self.lower_s, exercise.lower_s)
        if exercise.breath_led and reps is not None:
            breath = breath or Breath()
            lift, lower = breath.inhale_s, breath.exhale_s
            hold = self.hold_s or 0
        if reps is None and hold is None:
            hold = DEFAULT_HOLD_S
        if reps is not None and self.self_paced:
            hold, lift, lower = None, 0, 0
        if hold is not None and exercise.hold_max_s is not None and reps is None:
            hold = min(hold, exercise.hold_max_s)
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
            lift_s=lift if reps is not None and hold is not None else 0,
            lower_s=lower if reps is not None and hold is not None else 0,
            breath_led=exercise.breath_led and reps is not None and not self.self_paced,
            waits=exercise.starts_on_enter,
        )


def _first(*values: int | None) -> int:
    return next((v for v in values if v is not None), 0)


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


# How far from the floor each position is: getting up takes longer than rolling over.
_LEVEL = {
    Position.SUPINE: 0,
    Position.PRONE: 0,
    Position.SIDE_LYING: 0,
    Position.QUADRUPED: 1,
    Position.KNEELING: 1,
    Position.STANDING: 2,
}
POSITION_CHANGE_S = {0: 5, 1: 7, 2: 10}  # by how many levels the body moves


def position_change_s(before: Position, after: Position) -> int:
    """Seconds to get from one position into the next; 0 when nothing changes.
    "any" fits wherever the person already is."""
    if before == after or Position.ANY in (before, after):
        return 0
    return POSITION_CHANGE_S[abs(_LEVEL[before] - _LEVEL[after])]


def step_seconds(dose: Dose, *, last: bool) -> int:
    """How long one step takes: sets × sides of work, side switches, rests."""
    sides = max(len(dose.sides), 1)
    seconds = dose.sets * sides * dose.work_s
    seconds += dose.sets * (sides - 1) * SWITCH_SIDES_S
    seconds += (dose.sets - 1) * dose.rest_s
    if not last:
        seconds += dose.rest_s
    return seconds


def estimate_seconds(
    routine: Routine,
    catalog: Mapping[str, Exercise],
    *,
    get_ready_s: int = GET_READY_S,
    position_s: Callable[[Position, Position], int] = position_change_s,
) -> int:
    """The expected length of a session, the get-ready included.

    Self-paced reps are counted at SELF_PACED_REP_S each; steps naming an unknown
    exercise count as a default hold; a change of position between steps counts
    `position_s` (a person's own pace: `pacing.Pacing`). The session's timeline
    adds up to exactly this.
    """
    lookup = routine.lookup(catalog)
    total = get_ready_s
    last = len(routine.steps) - 1
    position: Position | None = None
    for index, step in enumerate(routine.steps):
        exercise = lookup.get(step.exercise)
        if exercise is None:
            total += DEFAULT_HOLD_S
            position = None
            continue
        if position is not None:
            total += position_s(position, exercise.position)
        position = exercise.position
        total += step_seconds(step.dose(exercise, routine.breath), last=index == last)
    return total


def estimate_minutes(routine: Routine, catalog: Mapping[str, Exercise]) -> int:
    return max(1, round(estimate_seconds(routine, catalog) / 60))
