from backtui.core.balance import balancing_fix, fixed, unbalanced
from backtui.core.model import Category, Exercise, Position, Routine, Spine, Step


def routine(*ids):
    return Routine("r", tuple(Step(i) for i in ids))


def test_no_extension_no_warning(catalog):
    assert unbalanced(routine("cat", "childs-pose", "therapeutic-breath"), catalog) == []


def test_extension_followed_by_flexion_is_balanced(catalog):
    assert unbalanced(routine("superman", "therapeutic-breath", "childs-pose"), catalog) == []
    assert unbalanced(routine("cow", "cat-cow"), catalog) == []


def test_flexion_before_does_not_balance(catalog):
    warnings = unbalanced(routine("childs-pose", "superman", "bridge"), catalog)
    assert [(w.index, w.exercise_id) for w in warnings] == [(1, "superman"), (2, "bridge")]
    superman = warnings[0]
    assert superman.suggestions == catalog["superman"].counters
    assert "step 2, Superman" in superman.message(catalog)


def test_the_fix_goes_after_the_last_unbalanced_step_and_clears_every_warning(catalog):
    r = routine("superman", "therapeutic-breath", "bridge", "prone-lying")
    index, step = balancing_fix(r, catalog)
    assert index == 3
    assert step.exercise == catalog["bridge"].counters[0]
    assert unbalanced(fixed(r, catalog), catalog) == []
    assert balancing_fix(fixed(r, catalog), catalog) is None


def test_counters_that_are_not_flexion_fall_back_to_childs_pose(catalog):
    odd = Exercise(
        "odd",
        "Odd",
        Spine.EXTENSION,
        Category.STRETCH,
        Position.ANY,
        ("a",),
        counters=("bridge", "nowhere"),
    )
    r = Routine("r", (Step("odd"),), exercises={"odd": odd})
    assert unbalanced(r, catalog)[0].suggestions == ("childs-pose",)
