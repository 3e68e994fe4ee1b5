"""Swapping a step for its easier or harder version keeps a sensible dose."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from backtui.core import locations
from backtui.core.catalog import load_catalog
from backtui.core.model import Side, Step
from backtui.core.variants import swapped, variants

CATALOG = load_catalog(locations.builtin_catalog_dir()).catalog
IDS = sorted(CATALOG)


def test_variants_follow_the_catalogue():
    bridge = CATALOG["bridge"]
    assert [e.id for e in variants(bridge, CATALOG, "harder")] == ["bridge-hold"]
    assert [e.id for e in variants(bridge, CATALOG, "easier")] == ["pelvic-tilt"]
    assert variants(CATALOG["therapeutic-breath"], CATALOG, "easier") == []


def test_reps_become_a_hold_with_the_new_moves_default_and_the_place_stays():
    step = Step("bridge", reps=12, hold_s=3, sets=2, rest_s=20, lift_s=2, note="Slowly.")
    held = swapped(step, CATALOG["bridge"], CATALOG["bridge-hold"])
    assert held == Step("bridge-hold", sets=2, rest_s=20, note="Slowly.")
    back = swapped(held, CATALOG["bridge-hold"], CATALOG["bridge"])
    assert back.reps is None and back.exercise == "bridge"  # the bridge's own default


def test_reps_stay_reps_when_both_moves_count_reps():
    step = Step("pelvic-tilt", reps=8, self_paced=True)
    bridge = swapped(step, CATALOG["pelvic-tilt"], CATALOG["bridge"])
    assert bridge.reps == 8 and bridge.self_paced and bridge.lift_s is None


@given(
    st.sampled_from(IDS),
    st.sampled_from(IDS),
    st.none() | st.integers(1, 100),
    st.none() | st.integers(1, 1800),
    st.none() | st.sampled_from(list(Side)),
    st.booleans(),
)
def test_a_swapped_step_is_always_a_valid_step_of_the_new_move(old, new, reps, hold, side, paced):
    step = Step(
        old, reps=reps, hold_s=hold, side=side, sets=3, rest_s=15, self_paced=paced, note="n"
    )
    result = swapped(step, CATALOG[old], CATALOG[new])
    exercise = CATALOG[new]
    assert result.exercise == new
    assert (result.sets, result.rest_s, result.note) == (3, 15, "n")
    assert result.side is None or exercise.sided
    assert result.lift_s is None and result.lower_s is None
    if result.reps is not None or result.self_paced:
        assert exercise.reps is not None
    if result.hold_s is not None and exercise.hold_max_s is not None:
        assert result.hold_s <= exercise.hold_max_s
    result.dose(exercise)  # fills in without error
