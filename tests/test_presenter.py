"""What the runner says, without the Pilot: the words for each kind of moment."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backtui.core import presenter
from backtui.core.model import GET_READY_S, Routine, Step
from backtui.core.outcome import Outcome
from backtui.core.session import Cue, Session
from helpers import CATALOG, FakeClock

ROUTINE = Routine("Evening", (Step("timed", sets=2, note="Slowly."), Step("sided")))


def view_after(seconds: float, routine: Routine = ROUTINE, **options) -> presenter.RunnerView:
    clock = FakeClock()
    session = Session(routine, CATALOG, clock)
    session.start()
    clock.advance(seconds)
    options = {"pain_before": None, "pain_ratings": True} | options
    return presenter.present(session.status(), session, **options)


def test_getting_ready_asks_for_pain_and_shows_the_first_move():
    view = view_after(1)
    assert (view.name, view.where, view.clock) == ("Get ready", "", "00:09")
    assert view.detail == "Pain now? 0–9, 1 then 0 for ten; or just begin"
    assert view.instruction == "Coming up: Timed. First, timed."
    assert view.next == ""  # the move coming up is named above; no second time
    assert view_after(1, pain_before=3).detail == "Pain before: 3/10"
    assert view_after(1, pain_ratings=False).detail == ""


def test_work_shows_the_rep_the_set_the_note_and_the_rest_of_the_steps():
    view = view_after(GET_READY_S + 4)  # 5 reps of 3 s: the second rep
    assert (view.name, view.where) == ("Timed", "step 1 of 2")
    assert view.detail == "rep 2 of 5  ·  set 1 of 2"
    assert view.instruction == "Then breathe.\nNote: Slowly."
    assert view.next == "Next: rest" and view.clock == "00:11"
    assert not view.self_paced and not view.paused


def test_rest_and_switch_say_what_comes_next():
    rest = view_after(GET_READY_S + 15 + 1)
    assert (rest.name, rest.detail) == ("Rest", "then Timed")
    # timed: 2 × (15 s + 5 s rest); then sided left 20 s, a switch, right.
    switch = view_after(GET_READY_S + 40 + 20 + 1)
    assert switch.name == "Switch sides" and switch.detail.startswith("now the ")
    assert switch.next.startswith("Next: Sided (")


def test_self_paced_reps_show_the_rep_being_done_big():
    view = view_after(GET_READY_S + 1, Routine("S", (Step("selfpaced"),)))
    assert view.self_paced and view.clock == "1"
    assert view.detail == "rep 1 of 3: Enter after each"


def test_banners_never_repeat_the_name_line():
    clock = FakeClock()
    session = Session(ROUTINE, CATALOG, clock)
    get_ready, work = session.phases[0], session.phases[1]
    assert presenter.banner(get_ready, Cue.START) is None  # no "Go" above "Get ready"
    assert presenter.banner(work, Cue.NEXT_EXERCISE) == ("Go", "-go")
    for quiet in (Cue.REST, Cue.SWITCH_SIDES, Cue.POSITION, Cue.BACK):
        assert presenter.banner(work, quiet) is None


def test_clock_text_rounds_up():
    assert presenter.clock_text(0.2) == "00:01"
    assert presenter.clock_text(61) == "01:01" and presenter.clock_text(0) == "00:00"


@given(st.floats(0, 3600), st.integers(2, 8), st.integers(2, 10))
def test_the_pacer_is_always_the_same_width(t, inhale, exhale):
    text = presenter.pacer_text(t, inhale, exhale)
    assert len(text) == len(presenter.pacer_text(0, 1, 1))
    assert text.startswith(("in, nose", "out, lips"))


@given(st.floats(0, 1), st.floats(0, 7200) | st.just(0.0))
def test_progress_is_a_fixed_width_bar(fraction, left_s):
    status = view_after(0).progress  # any real line has the same shape
    clock = FakeClock()
    session = Session(ROUTINE, CATALOG, clock)
    session.start()
    base = session.status()
    total = 1000
    moved = replace(base, done_s=fraction * total, total_s=total, left_s=left_s)
    line = presenter.progress_text(moved)
    assert line.index(" ") == presenter.PROGRESS_CELLS == status.index(" ")
    assert ("100%" in line) == (left_s <= 0)  # never 100% with time to go
    assert ("min" in line) == (left_s > 15)  # "nearly done" in the last 15 s


def test_progress_words_agree_with_the_clock_near_the_end():
    clock = FakeClock()
    session = Session(ROUTINE, CATALOG, clock)
    session.start()
    base = session.status()
    at_one_second = replace(base, done_s=999, total_s=1000, left_s=1)
    assert presenter.progress_text(at_one_second).endswith(" 99%  nearly done")
    finished = replace(base, done_s=1000, total_s=1000, left_s=0)
    assert presenter.progress_text(finished).endswith("100%  done")


def test_summaries_say_what_happened_and_bad_pain_says_what_to_do():
    clock = FakeClock()
    session = Session(ROUTINE, CATALOG, clock)
    session.start()
    clock.advance(GET_READY_S + 61)
    session.update()
    done = presenter.summary(Outcome.QUIT, session, CATALOG, pain_before=5, pain_after=None)
    assert done.heading == "Session ended."
    assert done.body == "1 of 2 steps in 1:01.\nPain 5 → –.\n"
    pain = presenter.summary(
        Outcome.STOPPED_FOR_PAIN, session, CATALOG, pain_before=5, pain_after=None
    )
    assert pain.heading == "" and "down a leg" in pain.body and "clinician" in pain.body


def test_the_summary_carries_the_balance_advice(catalog):
    routine = Routine("Arched", (Step("superman"),))
    session = Session(routine, catalog, FakeClock())
    text = presenter.summary(Outcome.COMPLETED, session, catalog, pain_before=None, pain_after=3)
    assert text.heading == "Session over, with steps skipped."  # it never ran
    assert "Pain – → 3." in text.body and "\nNext time: " in text.body


def test_the_resume_question_says_where_the_person_was():
    clock = FakeClock()
    session = Session(ROUTINE, CATALOG, clock)
    assert "at the start" in presenter.resume_question(session)
    session.start()
    clock.advance(GET_READY_S + 1)
    assert "at step 1, Timed, set 1 of 2." in presenter.resume_question(session)
    clock.advance(40 + 1)  # into the sided move's left side
    assert "at step 2, Sided, left side." in presenter.resume_question(session)


def test_pain_that_rose_gets_one_calm_answer():
    assert presenter.pain_rose(2, 4) and presenter.pain_rose(None, 7) and presenter.pain_rose(8, 8)
    assert not presenter.pain_rose(3, 4) and not presenter.pain_rose(None, None)
    session = Session(ROUTINE, CATALOG, FakeClock())
    worse = presenter.summary(Outcome.COMPLETED, session, CATALOG, pain_before=2, pain_after=5)
    assert worse.body.count(presenter.PAIN_ROSE) == 1 and "clinician" in worse.body
    same = presenter.summary(Outcome.COMPLETED, session, CATALOG, pain_before=2, pain_after=3)
    assert presenter.PAIN_ROSE not in same.body
    stopped = presenter.summary(
        Outcome.STOPPED_FOR_PAIN, session, CATALOG, pain_before=3, pain_after=6
    )
    assert stopped.body.endswith("Pain 3 → 6.")


def test_the_next_line_names_a_change_of_position_as_one(catalog):
    routine = Routine("R", (Step("childs-pose", hold_s=30, rest_s=0), Step("doorway-twist")))
    session = Session(routine, catalog, FakeClock())
    phases = session.phases
    kinds = [phase.kind.value for phase in phases]
    assert kinds[:3] == ["get-ready", "work", "position"]
    in_childs_pose = presenter.next_text(phases[1], phases[2], catalog)
    assert in_childs_pose == "Next: Doorway twist, after a moment to get into position"
    assert presenter.next_text(phases[2], phases[3], catalog) == ""


@given(st.text(max_size=2) | st.none())
def test_only_the_ten_ascii_digits_are_pain_digits(character):
    from backtui.core.pain import pain_digit

    digit = pain_digit(character)
    if character is not None and len(character) == 1 and character in "0123456789":
        assert digit == int(character)
    else:
        assert digit is None


def test_the_runner_knows_when_it_next_needs_to_look():
    from backtui.core.presenter import to_next_whole

    assert to_next_whole(3.25) == 0.75 and to_next_whole(3.25, down=True) == 0.25
    assert to_next_whole(4.0) == 1.0 == to_next_whole(4.0, down=True)


@given(
    t=st.floats(0, 1000, allow_nan=False),
    until_tick=st.floats(0.02, 3, allow_nan=False),
    inhale=st.integers(2, 10),
    exhale=st.integers(2, 12),
)
def test_the_pacer_is_looked_at_on_the_ticks_half_seconds(t, until_tick, inhale, exhale):
    from backtui.core.presenter import PACER_LOOK_S, pacer_text, pacer_wake

    shown = pacer_text(t, inhale, exhale)
    wake = pacer_wake(t, until_tick, inhale, exhale, shown)
    looks = [until_tick - k * PACER_LOOK_S for k in range(1, 7)]
    looks = [after for after in looks if after > 1e-9]
    changed = [after for after in looks if pacer_text(t + after, inhale, exhale) != shown]
    if wake is None:
        assert not changed  # the tick itself will show the pacer
    else:
        # on the grid counted back from the tick, before it, and the first look that differs
        assert 0 < wake < until_tick
        assert wake == pytest.approx(min(changed))
