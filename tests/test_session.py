import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backtui.core import locations
from backtui.core.model import (
    GET_READY_S,
    SELF_PACED_REP_S,
    SWITCH_SIDES_S,
    Routine,
    Side,
    Step,
    estimate_seconds,
)
from backtui.core.routine_file import read_routine
from backtui.core.session import Cue, PhaseKind, Session
from helpers import CATALOG, FakeClock, exercise

K = PhaseKind


def make(*steps, clock=None):
    clock = clock or FakeClock()
    return Session(Routine("Test", tuple(steps)), CATALOG, clock), clock


def shape(session):
    return [(p.kind, p.step_index, p.set_number, p.side, p.duration_s) for p in session.phases]


def run_through(session, clock, seconds):
    """Advance in small uneven steps, calling update() like a UI timer would; a clock
    waiting for Enter (a cold pack) gets it at once."""
    transitions = []
    end = clock.now + seconds
    while clock.now < end:
        clock.advance(min(0.25, end - clock.now))
        transitions += session.update()
        if session.status().waiting:
            session.proceed()
    return transitions


# --- the timeline -------------------------------------------------------------


@pytest.mark.parametrize("starter", sorted(p.stem for p in locations.starters_dir().glob("*.toml")))
def test_starter_timelines_last_as_long_as_the_estimate(starter, catalog):
    result = read_routine(locations.starters_dir() / f"{starter}.toml", catalog)
    assert result.routine is not None
    session = Session(result.routine, catalog, FakeClock())
    assert session.total_s == estimate_seconds(result.routine, catalog)
    phases = session.phases
    assert phases[0].kind is K.GET_READY and phases[0].duration_s == GET_READY_S
    assert phases[-1].kind is K.WORK  # no rest after the last step
    assert [p.step_index for p in phases if p.kind is K.WORK][-1] == len(result.routine.steps) - 1
    # Every step is done, in order, and every rest leads where the next work is;
    # a change of position comes only between steps, just before the work.
    for i, phase in enumerate(phases[:-1]):
        if phase.kind is not K.WORK:
            following = next(p for p in phases[i + 1 :] if p.kind is K.WORK)
            assert phase.next_step == following.step_index
        if phase.kind is K.POSITION:
            assert phases[i + 1].kind is K.WORK and phases[i + 1].set_number == 1
    # Run it to the end in real-time ticks: it finishes exactly on time.
    session.start()
    clock = session.clock
    run_through(session, clock, session.total_s - 0.5)
    assert not session.finished
    run_through(session, clock, 0.5)
    assert session.finished and session.steps_completed == len(result.routine.steps)
    assert session.seconds_done == pytest.approx(session.total_s - GET_READY_S)


def test_sided_multi_set_step_expands_to_sides_switches_and_rests():
    session, _ = make(Step("sided", sets=2), Step("hold"))
    S, L, R = SWITCH_SIDES_S, Side.LEFT, Side.RIGHT
    assert shape(session) == [
        (K.GET_READY, -1, 0, None, GET_READY_S),
        (K.WORK, 0, 1, L, 20),
        (K.SWITCH, 0, 1, R, S),
        (K.WORK, 0, 1, R, 20),
        (K.REST, 0, 1, None, 15),
        (K.WORK, 0, 2, L, 20),
        (K.SWITCH, 0, 2, R, S),
        (K.WORK, 0, 2, R, 20),
        (K.REST, 0, 2, None, 15),
        (K.WORK, 1, 1, None, 30),
    ]
    assert [p.cue for p in session.phases] == [
        Cue.START,
        Cue.NEXT_EXERCISE,
        Cue.SWITCH_SIDES,
        Cue.START,
        Cue.REST,
        Cue.LAST_SET,
        Cue.SWITCH_SIDES,
        Cue.START,
        Cue.REST,
        Cue.NEXT_EXERCISE,
    ]
    # A rest between sets leads back to the same step, after the step to the next.
    assert [p.next_step for p in session.phases if p.kind is K.REST] == [0, 1]
    assert session.total_s == estimate_seconds(session.routine, CATALOG)


def test_one_side_only_and_zero_rest_make_no_switch_and_no_rest():
    session, _ = make(Step("sided", side=Side.RIGHT, sets=2, rest_s=0), Step("hold", rest_s=0))
    assert [(p.kind, p.side) for p in session.phases[1:]] == [
        (K.WORK, Side.RIGHT),
        (K.WORK, Side.RIGHT),
        (K.WORK, None),
    ]


def test_unknown_exercise_counts_as_a_default_hold_like_the_estimate():
    routine = Routine("Test", (Step("hold"), Step("gone"), Step("hold")))
    session = Session(routine, CATALOG, FakeClock())
    assert session.total_s == estimate_seconds(routine, CATALOG)


def test_self_paced_phase_counts_reps_toward_the_total():
    session, _ = make(Step("selfpaced"))
    work = session.phases[1]
    assert work.self_paced and work.duration_s is None and work.reps == 3
    assert work.planned_s == 3 * SELF_PACED_REP_S
    assert (
        session.total_s
        == GET_READY_S + 3 * SELF_PACED_REP_S
        == estimate_seconds(session.routine, CATALOG)
    )


steps_strategy = st.lists(
    st.builds(
        Step,
        exercise=st.sampled_from(["hold", "sided", "timed", "selfpaced", "gone"]),
        reps=st.none() | st.integers(1, 4),
        hold_s=st.none() | st.integers(1, 40),
        sets=st.none() | st.integers(1, 3),
        side=st.none() | st.sampled_from(list(Side)),
        rest_s=st.none() | st.integers(0, 20),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=40, deadline=None)
@given(steps_strategy)
def test_any_routine_lasts_its_estimate_and_every_step_can_be_done(steps):
    routine = Routine("Any", tuple(steps))
    clock = FakeClock()
    session = Session(routine, CATALOG, clock)
    assert session.total_s == estimate_seconds(routine, CATALOG)
    session.start()
    visited = 0
    while (status := session.status()).phase is not None:
        assert status.done_s <= status.total_s
        if status.phase.self_paced:
            for _ in range(status.phase.reps):
                session.count_rep()
        else:
            clock.advance(status.remaining_s)
        visited += 1
    transitions = session.update()
    assert visited == len(session.phases) == len(transitions) - 1
    assert [t.phase for t in transitions[:-1]] == list(session.phases)
    assert session.steps_completed == len(steps)


# --- running --------------------------------------------------------------------


def test_nothing_moves_before_start():
    session, clock = make(Step("hold"))
    clock.advance(100)
    status = session.status()
    assert not status.started and status.index == 0 and status.remaining_s == GET_READY_S
    session.next()
    assert session.update() == [] and session.index == 0
    session.start()
    assert [(t.index, t.cue) for t in session.update()] == [(0, Cue.START)]


def test_phases_advance_on_time_with_their_cues_and_finish():
    session, clock = make(Step("sided"), Step("hold"))
    session.start()
    session.update()
    clock.advance(GET_READY_S - 0.001)
    assert session.update() == []
    clock.advance(0.001)
    assert [t.cue for t in session.update()] == [Cue.NEXT_EXERCISE]
    status = session.status()
    assert status.phase.side is Side.LEFT and status.remaining_s == 20
    assert status.next.kind is K.SWITCH and status.next.side is Side.RIGHT
    clock.advance(20)
    assert [t.cue for t in session.update()] == [Cue.SWITCH_SIDES]
    clock.advance(SWITCH_SIDES_S + 20)
    assert [t.cue for t in session.update()] == [Cue.START, Cue.REST]
    rest = session.status()
    assert rest.phase.next_step == 1
    assert session.exercise(session.phases[-1]).steps[0] == "First, hold."
    # One late tick jumps over several phases and reports each change once.
    clock.advance(15 + 30 + 5)
    transitions = session.update()
    assert [t.cue for t in transitions] == [Cue.NEXT_EXERCISE, Cue.FINISHED]
    assert transitions[-1].phase is None
    final = session.status()
    assert final.finished and final.phase is None and final.fraction == 1.0
    assert final.left_s == 0 and session.steps_completed == 2
    assert session.seconds_done == 20 + SWITCH_SIDES_S + 20 + 15 + 30
    assert session.update() == []


def test_status_catches_up_without_losing_the_transitions():
    session, clock = make(Step("hold"))
    session.start()
    clock.advance(GET_READY_S + 5)
    status = session.status()
    assert status.phase.kind is K.WORK and status.remaining_s == 25
    assert [t.cue for t in session.update()] == [Cue.START, Cue.NEXT_EXERCISE]


def test_progress_and_time_left():
    session, clock = make(Step("hold"), Step("hold"))
    total = GET_READY_S + 30 + 10 + 30
    session.start()
    clock.advance(GET_READY_S + 12)
    status = session.status()
    assert status.total_s == total
    assert status.done_s == GET_READY_S + 12
    assert status.left_s == total - GET_READY_S - 12
    assert status.fraction == pytest.approx((GET_READY_S + 12) / total)
    assert status.elapsed_s == 12


def test_pause_stops_time_and_resume_continues():
    session, clock = make(Step("hold"))
    session.start()
    session.update()
    clock.advance(4)
    session.pause()
    clock.advance(500)
    status = session.status()
    assert status.paused and status.index == 0 and status.remaining_s == GET_READY_S - 4
    assert session.update() == []
    session.toggle_pause()
    assert not session.paused
    clock.advance(GET_READY_S - 4)
    assert [t.cue for t in session.update()] == [Cue.NEXT_EXERCISE]
    clock.advance(10)
    session.toggle_pause()
    clock.advance(1000)
    assert session.seconds_done == 10  # get-ready and paused time are not work


def test_next_skips_and_back_restarts_or_goes_back():
    session, clock = make(Step("hold"), Step("hold"))
    session.start()
    session.update()
    session.next()  # skip the get-ready
    assert [t.index for t in session.update()] == [1]
    clock.advance(5)
    session.back()  # 5 s in: restart this phase
    assert session.update() == []
    assert session.status().index == 1 and session.status().remaining_s == 30
    clock.advance(1)
    session.back()  # 1 s in: go to the one before, without a "next exercise" banner
    assert [t.cue for t in session.update()] == [Cue.BACK]
    assert session.status().index == 0 and session.status().remaining_s == GET_READY_S
    clock.advance(1)
    session.back()  # at the first phase it restarts
    assert session.status().index == 0 and session.status().elapsed_s == 0
    session.next()
    clock.advance(15)
    session.next()  # half the hold done, then skipped: the step counts
    assert session.steps_completed == 1
    assert session.status().phase.kind is K.REST
    session.next()
    session.next()  # skipped at once: this one does not
    assert session.finished and session.steps_completed == 1
    assert [t.cue for t in session.update()][-1] is Cue.FINISHED
    session.back()
    session.next()
    assert session.finished  # the end is the end


def test_next_and_back_while_paused_stay_paused():
    session, clock = make(Step("hold"))
    session.start()
    session.pause()
    session.next()
    clock.advance(100)
    status = session.status()
    assert status.paused and status.index == 1 and status.remaining_s == 30
    session.resume()
    clock.advance(29)
    assert session.status().remaining_s == pytest.approx(1)


def test_adjust_adds_and_takes_time_within_limits():
    session, clock = make(Step("hold"))
    session.start()
    session.next()
    clock.advance(5)
    session.adjust(+10)
    status = session.status()
    assert status.remaining_s == 35 and status.elapsed_s == 5
    session.adjust(-10)
    session.adjust(-10)
    assert session.status().remaining_s == 15
    session.adjust(-10)
    session.adjust(-10)
    assert session.status().remaining_s == 1  # never below a second
    clock.advance(0.5)
    session.adjust(-10)
    assert session.status().remaining_s == pytest.approx(0.5)  # not shortened further
    session.update()
    session.adjust(+10_000)
    assert session.status().remaining_s == 1800  # extended, but within reason
    # Progress counts the plan, so an extended hold cannot push past 100 %.
    clock.advance(1000)
    assert session.status().done_s == GET_READY_S + 30
    # The extension is spent, and the phase ends at its new deadline.
    clock.advance(799.5)
    assert session.update() == []
    clock.advance(0.5)
    assert [t.cue for t in session.update()] == [Cue.FINISHED]


def test_back_restart_drops_an_adjustment():
    session, clock = make(Step("hold"))
    session.start()
    session.next()
    session.adjust(+10)
    clock.advance(3)
    session.back()
    assert session.status().remaining_s == 30


def test_timed_reps_number():
    session, clock = make(Step("timed"))
    session.start()
    session.next()
    status = session.status()
    assert (status.rep, status.remaining_s) == (1, 15)
    clock.advance(2.99)
    assert session.status().rep == 1
    clock.advance(0.01)
    assert session.status().rep == 2
    session.adjust(+10)
    clock.advance(20)
    assert session.status().rep == 5  # capped at the reps, even when extended


def test_self_paced_reps_count_by_key():
    session, clock = make(Step("selfpaced", rest_s=5), Step("hold"))
    session.start()
    session.next()
    session.update()
    clock.advance(3600)  # waits for the person, however long
    status = session.status()
    assert status.phase.self_paced and status.remaining_s is None and status.rep == 1
    assert session.update() == []
    session.count_rep()
    session.count_rep()
    status = session.status()
    assert (status.rep, status.reps_counted) == (3, 2)
    assert status.done_s == GET_READY_S + 2 * SELF_PACED_REP_S
    session.adjust(+10)  # nothing to adjust
    session.pause()
    session.count_rep()  # ignored while paused
    assert session.status().reps_counted == 2
    session.resume()
    session.update()
    session.count_rep()
    assert [t.cue for t in session.update()] == [Cue.REST]
    assert session.steps_completed == 1
    session.count_rep()  # not a self-paced phase: nothing
    assert session.status().phase.kind is K.REST


def test_next_finishes_a_self_paced_set_and_back_clears_its_count():
    session, _ = make(Step("selfpaced", sets=2, rest_s=5), Step("hold"))
    session.start()
    session.next()
    session.count_rep()
    session.back()  # reps counted: restart the set
    assert session.status().reps_counted == 0 and session.status().index == 1
    session.next()
    assert session.status().phase.kind is K.REST and session.steps_completed == 0
    session.next()
    session.count_rep()
    session.count_rep()
    session.next()  # two reps of three, then "set done": this set counts…
    status = session.status()
    assert status.phase.next_step == 1
    assert session.steps_completed == 0  # …but the first set was skipped
    assert [t.cue for t in session.update()][-3:] == [Cue.REST, Cue.LAST_SET, Cue.REST]


def test_stop_ends_early_and_freezes_time():
    session, clock = make(Step("hold"), Step("hold"))
    session.start()
    session.next()
    clock.advance(12)
    session.stop("stopped-for-pain")
    clock.advance(100)
    status = session.status()
    assert status.stopped == "stopped-for-pain" and status.ended and not status.finished
    assert status.index == 1 and status.elapsed_s == 12
    assert session.seconds_done == 12 and session.steps_completed == 0
    session.next()
    session.resume()
    assert session.status().index == 1


def test_no_drift_over_an_hour_of_uneven_ticks():
    # Long timed phases only (no self-paced), sided, with sets and rests.
    steps = [Step("sided", sets=3, hold_s=37, rest_s=7), Step("timed", reps=7), Step("hold")] * 14
    session, clock = make(*steps)
    assert session.total_s > 3600 + 600
    starts = [0.0]
    for phase in session.phases:
        starts.append(starts[-1] + phase.duration_s)
    start = clock.now
    session.start()
    rng = random.Random(5)
    changes = 0
    paused_for = 0.0
    while clock.now - start < 3600:
        clock.advance(rng.uniform(0.01, 1.7))
        changes += len(session.update())
        if 1800 <= clock.now - start < 1802 and not session.paused:
            session.pause()
            pause_at = clock.now
            clock.advance(123.456)
            paused_for = clock.now - pause_at
            session.resume()
    assert paused_for > 0
    t = clock.now - start - paused_for
    index = next(i for i in range(len(session.phases)) if starts[i] <= t < starts[i + 1])
    status = session.status()
    assert status.index == index and changes == index + 1
    assert status.remaining_s == pytest.approx(starts[index + 1] - t, abs=1e-6)
    assert status.done_s == pytest.approx(t, abs=1e-6)


# --- saving the place ---------------------------------------------------------


def test_snapshot_restore_resumes_at_the_same_place_paused():
    routine = Routine("Test", (Step("sided", sets=2), Step("selfpaced"), Step("hold")))
    clock = FakeClock()
    session = Session(routine, CATALOG, clock)
    session.start()
    clock.advance(GET_READY_S + 20 + 2)  # 2 s into the switch
    session.adjust(+10)
    session.next()
    clock.advance(7.25)
    snapshot = json.loads(json.dumps(session.snapshot()))
    before = session.status()

    other_clock = FakeClock(5.0)
    restored = Session.restore(routine, CATALOG, snapshot, other_clock)
    status = restored.status()
    assert status.paused and status.started
    assert status.index == before.index
    assert status.remaining_s == pytest.approx(before.remaining_s)
    assert status.elapsed_s == pytest.approx(7.25)
    assert restored.seconds_done == pytest.approx(session.seconds_done)
    other_clock.advance(60)
    assert restored.status().remaining_s == pytest.approx(before.remaining_s)
    restored.resume()
    assert restored.update() == []
    other_clock.advance(before.remaining_s)
    assert [t.cue for t in restored.update()] == [Cue.REST]


def test_snapshot_keeps_self_paced_count_and_steps_completed():
    routine = Routine("Test", (Step("hold"), Step("selfpaced")))
    session = Session(routine, CATALOG, FakeClock())
    session.start()
    session.next()
    session.clock.advance(30)  # the hold, done in full
    session.update()
    session.next()
    session.count_rep()
    restored = Session.restore(routine, CATALOG, session.snapshot(), FakeClock())
    assert restored.status().reps_counted == 1 and restored.steps_completed == 1
    restored.resume()
    restored.count_rep()
    restored.count_rep()
    assert restored.finished and restored.steps_completed == 2


def test_restore_refuses_another_routine_or_a_damaged_snapshot():
    routine = Routine("Test", (Step("hold"), Step("hold")))
    session = Session(routine, CATALOG, FakeClock())
    snapshot = session.snapshot()
    changed = routine.replaced(1, Step("hold", hold_s=31))
    with pytest.raises(ValueError, match="different routine"):
        Session.restore(changed, CATALOG, snapshot)
    # The same file with a changed catalogue default gives another timeline: refused too.
    with pytest.raises(ValueError, match="different routine"):
        Session.restore(routine, {"hold": exercise("hold", hold_s=45, rest_s=10)}, snapshot)
    for damage in (
        {"phase_index": 99},
        {"phase_index": "1"},
        {"elapsed_s": float("nan")},
        {"remaining_s": None},
        {"passed": None},
        {"version": 2},
    ):
        with pytest.raises(ValueError):
            Session.restore(routine, CATALOG, {**snapshot, **damage})
    with pytest.raises(ValueError):
        Session.restore(routine, CATALOG, {k: v for k, v in snapshot.items() if k != "passed"})
