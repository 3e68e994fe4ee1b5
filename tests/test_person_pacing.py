"""The person's pace (settings) reaches the timeline, the estimate and the plan alike."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from backtui.core import locations
from backtui.core.catalog import load_catalog
from backtui.core.model import Breath, Routine, Step
from backtui.core.pacing import DEFAULT_PACING, Pacing
from backtui.core.plan import plan
from backtui.core.session import PhaseKind, build_timeline
from backtui.core.settings import Settings

CATALOG = load_catalog(locations.builtin_catalog_dir()).catalog
ROUTINE = Routine(
    "Floor and up",
    (
        Step("childs-pose", hold_s=30),
        Step("prone-lying", rest_s=7),
        Step("doorway-twist"),
        Step("cat-cow", reps=2),
    ),
)


def seconds_of(pacing: Pacing, kind: PhaseKind) -> list[int]:
    return [p.duration_s for p in build_timeline(ROUTINE, CATALOG, pacing) if p.kind is kind]


def test_the_default_pace_is_the_usual_one():
    assert build_timeline(ROUTINE, CATALOG) == build_timeline(ROUTINE, CATALOG, Pacing())
    assert Settings().pacing() == DEFAULT_PACING


def test_get_ready_and_position_changes_follow_the_settings():
    assert seconds_of(Pacing(get_ready_s=20), PhaseKind.GET_READY) == [20]
    usual = seconds_of(DEFAULT_PACING, PhaseKind.POSITION)  # knees→floor→standing→knees
    assert usual == [7, 10, 7]
    assert seconds_of(Pacing(position_change_s=20), PhaseKind.POSITION) == [14, 20, 14]
    assert seconds_of(Pacing(position_change_s=0), PhaseKind.POSITION) == []


def test_a_rest_or_breath_the_routine_sets_wins_over_the_settings():
    applied = Pacing(rest_s=25, breath=Breath(5, 7)).applied(ROUTINE)
    assert [s.rest_s for s in applied.steps] == [25, 7, 25, 25]
    assert applied.breath == Breath(5, 7)
    own = Routine("Own", ROUTINE.steps, breath=Breath(3, 3))
    assert Pacing(breath=Breath(5, 7)).applied(own).breath == Breath(3, 3)
    assert Pacing().applied(ROUTINE) is ROUTINE


@settings(max_examples=60, deadline=None)
@given(
    st.integers(3, 60),
    st.integers(0, 30),
    st.none() | st.integers(0, 600),
    st.integers(1, 15),
    st.integers(1, 20),
)
def test_the_timeline_always_adds_up_to_the_estimate(ready, position, rest, inhale, exhale):
    pacing = Settings(
        get_ready_s=ready,
        position_change_s=position,
        rest_s=rest,
        inhale_s=inhale,
        exhale_s=exhale,
    ).pacing()
    timeline = build_timeline(ROUTINE, CATALOG, pacing)
    assert sum(p.planned_s for p in timeline) == pacing.estimate_seconds(ROUTINE, CATALOG)
    assert plan(ROUTINE, CATALOG, pacing).total_s == pacing.estimate_seconds(ROUTINE, CATALOG)
