from backtui.core.model import (
    GET_READY_S,
    SWITCH_SIDES_S,
    Category,
    Exercise,
    Position,
    Routine,
    Side,
    Spine,
    Step,
    estimate_seconds,
    step_seconds,
)

HOLD = Exercise(
    "hold", "Hold", Spine.NEUTRAL, Category.RELAXATION, Position.SUPINE, ("a",), hold_s=20, rest_s=5
)
REPS = Exercise(
    "reps",
    "Reps",
    Spine.EXTENSION,
    Category.STRENGTHENING,
    Position.PRONE,
    ("a",),
    reps=10,
    hold_s=2,
)
SIDED = Exercise(
    "sided",
    "Sided",
    Spine.LATERAL,
    Category.STRENGTHENING,
    Position.SIDE_LYING,
    ("a",),
    sided=True,
    reps=10,
)
CATALOG = {e.id: e for e in (HOLD, REPS, SIDED)}


def test_step_takes_exercise_defaults():
    dose = Step("reps").dose(REPS)
    assert (dose.reps, dose.hold_s, dose.sets, dose.sides, dose.rest_s) == (10, 2, 1, (), 0)
    assert dose.describe() == "10×2s"


def test_step_overrides_defaults():
    dose = Step("hold", hold_s=45, sets=2, rest_s=0).dose(HOLD)
    assert (dose.hold_s, dose.sets, dose.rest_s, dose.reps) == (45, 2, 0, None)
    assert dose.describe() == "2 sets of 45s"


def test_sides():
    assert Step("sided").dose(SIDED).sides == (Side.LEFT, Side.RIGHT)
    assert Step("sided", side=Side.RIGHT).dose(SIDED).sides == (Side.RIGHT,)
    assert Step("sided").dose(SIDED).describe() == "10 reps each side"
    assert Step("sided").dose(SIDED).self_paced


def test_a_step_with_no_dose_anywhere_is_a_default_hold():
    bare = Exercise("bare", "Bare", Spine.NEUTRAL, Category.RELAXATION, Position.ANY, ("a",))
    assert Step("bare").dose(bare).work_s == 30


def test_step_seconds_counts_sets_sides_switches_and_rests():
    dose = Step("sided", hold_s=3, sets=2, rest_s=10).dose(SIDED)
    # 2 sets × 2 sides × 30 s, one switch per set, one rest between sets, one after.
    assert step_seconds(dose, last=False) == 120 + 2 * SWITCH_SIDES_S + 10 + 10
    assert step_seconds(dose, last=True) == 120 + 2 * SWITCH_SIDES_S + 10


def test_estimate_includes_get_ready_and_leaves_out_the_last_rest():
    routine = Routine("r", (Step("hold"), Step("hold")))
    assert estimate_seconds(routine, CATALOG) == GET_READY_S + 20 + 5 + 20


def test_edits_return_new_routines():
    routine = Routine("r", (Step("hold"), Step("reps"), Step("sided")))
    assert [s.exercise for s in routine.moved(0, 2).steps] == ["reps", "sided", "hold"]
    assert [s.exercise for s in routine.moved(2, 0).steps] == ["sided", "hold", "reps"]
    assert [s.exercise for s in routine.removed(1).steps] == ["hold", "sided"]
    assert [s.exercise for s in routine.inserted(1, Step("x")).steps] == [
        "hold",
        "x",
        "reps",
        "sided",
    ]
    assert routine.replaced(0, Step("hold", hold_s=9)).steps[0].hold_s == 9
    assert [s.exercise for s in routine.steps] == ["hold", "reps", "sided"]


def test_routine_exercises_shadow_the_catalogue():
    mine = Exercise("hold", "Mine", Spine.FLEXION, Category.STRETCH, Position.ANY, ("a",))
    routine = Routine("r", (Step("hold"),), exercises={"hold": mine})
    assert routine.lookup(CATALOG)["hold"].name == "Mine"
    assert routine.lookup(CATALOG)["reps"] is REPS


def test_spine_markers_are_distinct():
    markers = [spine.marker for spine in Spine]
    assert len(set(markers)) == len(markers)
