"""The end-of-session rules, on a fake clock: what is kept, what is written, when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from backtui.core import resume
from backtui.core.history import History
from backtui.core.model import GET_READY_S, Routine, Step
from backtui.core.outcome import Outcome
from backtui.core.recorder import SAVE_EVERY_S, SessionRecorder
from backtui.core.session import Session
from helpers import CATALOG, FakeClock

ROUTINE = Routine("Test", (Step("hold"), Step("sided")))
START = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)


class Wall:
    """A wall clock that follows the fake monotonic one."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock, self.origin = clock, clock.now

    def __call__(self) -> datetime:
        return START + timedelta(seconds=self.clock.now - self.origin)


def make(tmp_path: Path, clock: FakeClock | None = None) -> tuple[SessionRecorder, FakeClock]:
    clock = clock or FakeClock()
    session = Session(ROUTINE, CATALOG, clock)
    recorder = SessionRecorder(
        ROUTINE,
        "test",
        session,
        clock=clock,
        now=Wall(clock),
        history_path=tmp_path / "history.sqlite3",
    )
    return recorder, clock


def run(recorder: SessionRecorder, clock: FakeClock, seconds: float) -> None:
    """What the runner's tick does, once a second."""
    for _ in range(int(seconds)):
        clock.advance(1)
        for transition in recorder.session.update():
            if transition.phase is not None:
                recorder.phase_entered(transition.phase)
        recorder.tick()


def rows(tmp_path: Path):
    with History(tmp_path / "history.sqlite3") as history:
        return history.recent()


def test_nothing_is_kept_while_getting_ready(tmp_path):
    recorder, clock = make(tmp_path)
    recorder.begin()
    run(recorder, clock, GET_READY_S - 1)
    recorder.paused()
    recorder.keep_place()
    assert resume.load("test") is None
    run(recorder, clock, 2)  # the first hold has begun
    assert resume.load("test") is not None


def test_the_place_is_kept_at_each_phase_and_every_so_often(tmp_path):
    recorder, clock = make(tmp_path)
    recorder.begin()
    run(recorder, clock, GET_READY_S + 1)
    first = resume.load("test")
    assert first is not None
    run(recorder, clock, SAVE_EVERY_S - 2)  # still in the 30 s hold: not yet
    assert resume.load("test") == first
    run(recorder, clock, 2)
    later = resume.load("test")
    assert later is not None and later.snapshot != first.snapshot


def test_a_pause_keeps_the_place_at_once(tmp_path):
    recorder, clock = make(tmp_path)
    recorder.begin()
    run(recorder, clock, GET_READY_S + 3)
    recorder.session.toggle_pause()
    recorder.paused()
    saved = resume.load("test")
    assert saved is not None and saved.snapshot == recorder.session.snapshot()


def test_a_completed_session_is_one_row_and_forgets_its_place(tmp_path):
    recorder, clock = make(tmp_path)
    recorder.begin()
    recorder.pain_before = 4
    run(recorder, clock, 200)
    assert recorder.session.ended
    assert recorder.end(Outcome.COMPLETED) is None
    assert recorder.end(Outcome.QUIT) is None  # once only
    assert recorder.rate_after(2) is None
    [row] = rows(tmp_path)
    assert (row.outcome, row.pain_before, row.pain_after) == (Outcome.COMPLETED, 4, 2)
    assert row.steps_completed == row.steps_total == 2
    assert row.started_at == START
    assert resume.load("test") is None


@pytest.mark.parametrize(
    ("outcome", "kept"),
    [
        (Outcome.QUIT, True),
        (Outcome.INTERRUPTED, True),
        (Outcome.STOPPED_FOR_PAIN, False),
    ],
)
def test_ending_early_stops_the_session_and_keeps_the_place_only_to_carry_on(
    tmp_path, outcome, kept
):
    recorder, clock = make(tmp_path)
    recorder.begin()
    run(recorder, clock, GET_READY_S + 12)
    assert recorder.end(outcome) is None
    assert recorder.ended and recorder.session.stopped == outcome.value
    [row] = rows(tmp_path)
    assert row.outcome is outcome and row.seconds_done == 12 and row.steps_completed == 0
    assert (resume.load("test") is not None) is kept


def test_a_resumed_session_updates_the_row_it_began(tmp_path):
    recorder, clock = make(tmp_path)
    recorder.begin()
    recorder.pain_before = 7
    run(recorder, clock, GET_READY_S + 12)
    recorder.end(Outcome.INTERRUPTED)
    first_id = recorder.record_id

    later, clock = make(tmp_path, FakeClock(5000))
    restored = resume.restore("test", ROUTINE, CATALOG, clock)
    assert restored is not None
    later.resume_from(*restored)
    assert (later.pain_before, later.record_id, later.started_at) == (7, first_id, START)
    run(later, clock, 200)
    later.end(Outcome.COMPLETED)
    [row] = rows(tmp_path)
    assert row.id == first_id and row.outcome is Outcome.COMPLETED and row.pain_before == 7
    assert row.steps_completed == 2


def test_starting_over_forgets_the_old_place(tmp_path):
    recorder, clock = make(tmp_path)
    recorder.begin()
    run(recorder, clock, GET_READY_S + 5)
    assert resume.load("test") is not None
    again, _ = make(tmp_path)
    again.start_over()
    assert resume.load("test") is None and again.session.started


def test_a_history_that_cannot_be_written_is_a_sentence_not_a_crash(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    recorder_clock = FakeClock()
    recorder = SessionRecorder(
        ROUTINE,
        "test",
        Session(ROUTINE, CATALOG, recorder_clock),
        history_path=blocker / "history.sqlite3",
        clock=recorder_clock,
    )
    recorder.begin()
    run(recorder, recorder_clock, GET_READY_S + 20)
    error = recorder.end(Outcome.QUIT)
    assert error is not None and error.startswith("Could not record this session")
    assert recorder.ended


def test_a_false_start_leaves_no_row_unless_it_was_stopped_for_pain(tmp_path):
    recorder, clock = make(tmp_path)
    recorder.begin()
    run(recorder, clock, GET_READY_S + 5)
    assert recorder.end(Outcome.QUIT) is None
    assert rows(tmp_path) == [] and resume.load("test") is not None
    hurt, clock = make(tmp_path)
    hurt.begin()
    run(hurt, clock, GET_READY_S + 5)
    hurt.end(Outcome.STOPPED_FOR_PAIN)
    [row] = rows(tmp_path)
    assert row.outcome is Outcome.STOPPED_FOR_PAIN
