"""Pacing, on a fake clock: rep tempos, position changes, self-paced reps, a clock
that waits for Enter, and the estimate that counts them all."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backtui.core.model import (
    GET_READY_S,
    Breath,
    Position,
    Routine,
    Step,
    estimate_seconds,
    position_change_s,
)
from backtui.core.session import PhaseKind, Session, Stage
from helpers import CATALOG, FakeClock, exercise

LIFTED = replace(exercise("lifted", reps=3, hold_s=1), lift_s=2, lower_s=2)
BREATHING = replace(exercise("breathing", reps=2, hold_s=3), breath_led=True)
PACK = replace(
    exercise("pack", hold_s=900), starts_on_enter=True, hold_max_s=1200, position=Position.SUPINE
)
STANDING = replace(exercise("standing", hold_s=10), position=Position.STANDING)
PRONE = replace(exercise("prone", hold_s=10), position=Position.PRONE)
SUPINE = replace(exercise("supine", hold_s=10), position=Position.SUPINE)
MORE = {e.id: e for e in (LIFTED, BREATHING, PACK, STANDING, PRONE, SUPINE)} | CATALOG


def started(*steps: Step, breath: Breath | None = None) -> tuple[Session, FakeClock]:
    clock = FakeClock()
    session = Session(Routine("T", steps, breath=breath), MORE, clock)
    session.start()
    clock.advance(GET_READY_S)
    session.update()
    return session, clock


def test_a_rep_is_lift_hold_lower_and_the_stage_follows_the_clock():
    session, clock = started(Step("lifted"))
    work = session.status().phase
    assert work is not None and work.rep_s == 5 and work.duration_s == 15
    seen = []
    for _ in range(15):
        stage = session.stage()
        assert stage is not None
        seen.append((session.status().rep, stage[0]))
        clock.advance(1)
        session.update()
    lift, hold, lower = Stage.LIFT, Stage.HOLD, Stage.LOWER
    assert seen == [
        *[(1, lift)] * 2, (1, hold), *[(1, lower)] * 2,
        *[(2, lift)] * 2, (2, hold), *[(2, lower)] * 2,
        *[(3, lift)] * 2, (3, hold), *[(3, lower)] * 2,
    ]  # fmt: skip


def test_a_routine_sets_its_own_tempo_and_without_one_hold_is_the_rep():
    session, _ = started(Step("lifted", lift_s=3, lower_s=4, hold_s=2))
    assert session.phases[1].rep_s == 9
    plain, _ = started(Step("timed"))  # no tempo: each rep lasts hold_s, no stages
    assert plain.phases[1].rep_s == 3 and plain.stage() is None


def test_a_breath_led_rep_is_one_breath_of_the_routine():
    session, clock = started(Step("breathing"), breath=Breath(inhale_s=5, exhale_s=7))
    work = session.phases[1]
    assert (work.lift_s, work.hold_s, work.lower_s, work.duration_s) == (5, 0, 7, 24)
    assert work.breath_led and session.stage() == (Stage.LIFT, 5)
    clock.advance(5.5)
    assert session.stage() == (Stage.LOWER, 6.5)


def test_self_paced_is_a_step_key_for_any_rep_move():
    session, _ = started(Step("lifted", self_paced=True))
    work = session.phases[1]
    assert work.self_paced and work.kind is PhaseKind.WORK
    for _ in range(3):
        session.proceed()  # Enter per rep
    assert session.finished
    held, _ = started(Step("hold", self_paced=True))  # a hold has no reps: still timed
    assert not held.phases[1].self_paced


@pytest.mark.parametrize(
    ("before", "after", "seconds"),
    [
        (Position.PRONE, Position.SUPINE, 5),
        (Position.SUPINE, Position.QUADRUPED, 7),
        (Position.SUPINE, Position.STANDING, 10),
        (Position.KNEELING, Position.QUADRUPED, 5),
        (Position.STANDING, Position.STANDING, 0),
        (Position.ANY, Position.PRONE, 0),
    ],
)
def test_getting_up_takes_longer_than_rolling_over(before, after, seconds):
    assert position_change_s(before, after) == seconds == position_change_s(after, before)


def test_a_position_change_comes_between_steps_and_enter_ends_it():
    session, clock = started(Step("prone", rest_s=0), Step("supine"), Step("standing"))
    kinds = [(p.kind, p.duration_s) for p in session.phases]
    assert kinds == [
        (PhaseKind.GET_READY, GET_READY_S),
        (PhaseKind.WORK, 10),
        (PhaseKind.POSITION, 5),
        (PhaseKind.WORK, 10),
        (PhaseKind.POSITION, 10),
        (PhaseKind.WORK, 10),
    ]
    assert session.total_s == estimate_seconds(session.routine, MORE)
    clock.advance(10)
    session.update()
    assert session.status().phase.kind is PhaseKind.POSITION
    assert session.status().phase.next_step == 1
    session.proceed()  # Enter: ready early
    assert session.status().phase.kind is PhaseKind.WORK and session.status().index == 3


def test_a_cold_pack_waits_for_enter_and_is_never_longer_than_its_limit():
    session, clock = started(Step("pack", hold_s=1800))
    status = session.status()
    assert status.waiting and status.remaining_s == 1200  # cut to the limit
    clock.advance(60)
    assert session.status().remaining_s == 1200  # still waiting: the pack is not on yet
    session.pause()
    session.resume()
    assert session.status().waiting and session.status().remaining_s == 1200
    session.proceed()  # Enter: the pack is on
    clock.advance(60)
    status = session.status()
    assert not status.waiting and status.remaining_s == 1140


@given(
    st.lists(
        st.sampled_from(["lifted", "breathing", "pack", "standing", "prone", "supine", "sided"]),
        min_size=1,
        max_size=6,
    ),
    st.booleans(),
)
def test_the_timeline_adds_up_to_the_estimate(ids, self_paced):
    steps = tuple(Step(i, self_paced=self_paced and i in ("lifted", "breathing")) for i in ids)
    routine = Routine("T", steps)
    session = Session(routine, MORE, FakeClock())
    assert session.total_s == estimate_seconds(routine, MORE)
    kinds = [p.kind for p in session.phases]
    assert kinds.count(PhaseKind.WORK) >= len(steps)
