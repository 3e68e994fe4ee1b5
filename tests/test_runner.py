"""The runner through the Pilot, on a fake clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from backtui.core.history import History, Outcome
from backtui.core.model import RESUME_READY_S, Routine, Step
from backtui.core.presenter import clock_text
from backtui.core.session import PhaseKind
from backtui.core.settings import Settings
from backtui.tui.runner_app import RunnerApp
from backtui.tui.screens.runner import RunnerScreen
from backtui.tui.screens.session_end import PainAfterScreen, SummaryScreen
from backtui.tui.widgets.big_countdown import MAX_ROWS, BigCountdown, big_width, glyph_rows
from helpers import FakeClock

ROUTINE = Routine(
    "Test run",
    # No tempo (lift_s = lower_s = 0): each rep is its 2 s hold, so the sums stay plain.
    (
        Step("superman", reps=3, hold_s=2, rest_s=5, lift_s=0, lower_s=0),
        Step("childs-pose", hold_s=20),
    ),
)


PRONE_TO_KNEELING_S = 7  # superman, then child's pose: time to get up onto the knees


def make_app(catalog, tmp_path: Path, clock: FakeClock, **settings) -> RunnerApp:
    return RunnerApp(
        ROUTINE,
        catalog,
        key="test-run",
        settings=Settings(bell=False, **settings),
        history_path=tmp_path / "history.sqlite3",
        clock=clock,
    )


async def advance(pilot, screen: RunnerScreen, clock: FakeClock, seconds: float) -> None:
    clock.now += seconds
    screen.tick()
    await pilot.pause()


async def run_through(pilot, screen: RunnerScreen, clock: FakeClock, seconds: float) -> None:
    """Let `seconds` of the session pass, ten at a time, as the ticker would."""
    while seconds > 0:
        await advance(pilot, screen, clock, min(10, seconds))
        seconds -= 10


def rows(tmp_path: Path):
    with History(tmp_path / "history.sqlite3") as history:
        return history.recent()


def test_clock_text_rounds_up():
    assert clock_text(0.2) == "00:01" and clock_text(61) == "01:01" and clock_text(0) == "00:00"
    assert len(glyph_rows("0", 1)) == 5 and len(glyph_rows("0", 2)) == 10
    assert big_width("01:30", 1) == 4 * 6 + 2 + 4


async def test_countdown_pause_and_next(catalog, tmp_path):
    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.runner
        await pilot.pause()
        digits = screen.query_one(BigCountdown)
        assert screen.session.status().phase.kind is PhaseKind.GET_READY
        assert digits.text == "00:10"
        await advance(pilot, screen, clock, 3.5)
        assert digits.text == "00:07"
        await pilot.press("space")
        await advance(pilot, screen, clock, 30)
        assert digits.text == "00:07" and screen.session.paused
        await pilot.press("space")
        await advance(pilot, screen, clock, 7)
        status = screen.session.status()
        assert status.phase.kind is PhaseKind.WORK and status.phase.exercise == "superman"
        assert digits.text == "00:06"  # 3 reps of 2 s
        assert "rep 1 of 3" in str(screen.query_one("#run-detail").render())
        await pilot.press("n")
        assert screen.session.status().phase.kind is PhaseKind.REST
        assert "Child's pose" in str(screen.query_one("#run-instruction").render())


async def test_the_pain_key_ends_the_session_and_records_why(catalog, tmp_path):
    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.runner
        await advance(pilot, screen, clock, 12)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, PainAfterScreen)  # still asked, after stopping
        await pilot.press("enter")  # skipped
        assert isinstance(app.screen, SummaryScreen)
        assert "down a leg" in str(app.screen.query_one(".dialog-question").render())
        await pilot.press("enter")
    assert app.return_value.outcome is Outcome.STOPPED_FOR_PAIN
    [row] = rows(tmp_path)
    assert row.outcome is Outcome.STOPPED_FOR_PAIN and row.steps_completed == 0


async def test_a_completed_session_records_pain_before_and_after(catalog, tmp_path):
    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.runner
        await pilot.press("4")
        assert screen.pain_before == 4
        await run_through(pilot, screen, clock, 80)
        assert isinstance(app.screen, PainAfterScreen)
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Pain 4 → 2" in str(app.screen.query_one(".dialog-question").render())
        await pilot.press("enter")
    [row] = rows(tmp_path)
    assert (row.outcome, row.pain_before, row.pain_after) == (Outcome.COMPLETED, 4, 2)
    assert row.steps_completed == row.steps_total == 2
    assert row.seconds_done == 6 + 5 + PRONE_TO_KNEELING_S + 20


async def test_no_rating_holds_up_the_start(catalog, tmp_path):
    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock, pain_ratings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.runner
        await advance(pilot, screen, clock, 10.5)
        assert screen.session.status().phase.kind is PhaseKind.WORK
        await run_through(pilot, screen, clock, 40)
        assert isinstance(app.screen, SummaryScreen)  # no rating asked after either
        await pilot.press("enter")
    [row] = rows(tmp_path)
    assert row.pain_before is None and row.pain_after is None


async def test_quitting_asks_and_keeps_the_place(catalog, tmp_path):
    from backtui.core import resume

    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.runner
        await advance(pilot, screen, clock, 21)  # superman and its rest: 11 s of work
        await pilot.press("q")
        await pilot.click("#choice-end")
        await pilot.press("enter")
    assert rows(tmp_path)[0].outcome is Outcome.QUIT
    assert resume.load("test-run") is not None


async def test_resume_offers_the_same_step_and_time_left(catalog, tmp_path):
    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.runner
        await advance(pilot, screen, clock, 13.25)  # 3.25 s into superman's 6 s
        screen.interrupted()
        await pilot.pause()
    assert rows(tmp_path) == []  # 3 s of work is a false start: no row, but the place is kept

    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#choice-resume")
        status = app.runner.session.status()
        assert status.phase.exercise == "superman"
        assert status.remaining_s == pytest.approx(2.75)
        # A short get-ready first: never straight into the middle of a countdown.
        assert status.lead_in_s == RESUME_READY_S
        assert app.runner.query_one("#run-name").text.plain == "Get ready"
        assert "Coming up: Superman" in str(app.runner.query_one("#run-instruction").render())
        await advance(pilot, app.runner, clock, RESUME_READY_S)
        assert app.runner.query_one(BigCountdown).text == "00:03"
        assert app.runner.query_one("#run-name").text.plain == "Superman"


def test_runner_snapshot_in_a_hold_with_the_pacer(snap_compare, catalog, tmp_path):
    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)

    async def into_the_hold(pilot):
        await pilot.pause()  # the session starts once the screen is up
        # get-ready, superman, rest, up onto the knees; then child's pose, 12.7 s left
        await advance(pilot, app.runner, clock, 10 + 6 + 5 + PRONE_TO_KNEELING_S + 5.3)
        await advance(pilot, app.runner, clock, 2)  # the "Go" banner has faded

    assert snap_compare(app, terminal_size=(80, 24), run_before=into_the_hold)


async def test_history_screen_shows_the_streak_the_chart_and_the_sessions(catalog, tmp_path):
    from datetime import UTC, datetime, timedelta

    from backtui.core.history import History, SessionRecord
    from backtui.tui.app import BackTUI
    from backtui.tui.screens.history import HistoryScreen

    now = datetime.now(UTC)
    with History() as history:
        for days_ago, before, after in ((2, 7, 5), (1, 6, 4), (0, 5, 2)):
            start = now - timedelta(days=days_ago, minutes=30)
            history.record(
                SessionRecord(
                    "Morning [/]",
                    "morning",
                    start,
                    start + timedelta(minutes=8),
                    480,
                    4,
                    4,
                    before,
                    after,
                    Outcome.COMPLETED,
                )
            )
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("H")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        assert "3 days in a row" in str(screen.query_one("#history-streak").render())
        assert "Pain by day" in str(screen.query_one("#history-chart").render())
        assert screen.query_one("#history-table").row_count == 3
        await pilot.press("escape")
        assert not isinstance(app.screen, HistoryScreen)


async def test_resizing_mid_session_keeps_the_time(catalog, tmp_path):
    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.runner
        await advance(pilot, screen, clock, 4)
        glyphs = list(screen.query("Glyph"))
        assert {g.scale for g in glyphs} == {1}
        await pilot.resize_terminal(120, 40)
        await advance(pilot, screen, clock, 0)
        assert screen.query_one(BigCountdown).text == "00:06"
        # The digits stay 5 rows high on a big terminal: bigger costs bytes every second.
        assert {g.scale for g in screen.query("Glyph")} == {1}
        assert all(g.size.height <= MAX_ROWS for g in screen.query("Glyph"))


def test_pain_keys_make_ten_from_one_then_zero():
    from backtui.core.pain import PainKeys

    keys = PainKeys()
    assert keys.press(1, 0.0) == 1 and keys.expecting_zero(1.0)
    assert keys.press(0, 1.0) == 10 and not keys.expecting_zero(1.1)
    assert keys.press(1, 5.0) == 1 and keys.press(0, 7.0) == 0  # too late: a plain 0
    assert keys.press(7, 8.0) == 7


async def test_one_then_zero_across_the_end_of_get_ready_is_ten(catalog, tmp_path):
    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.runner
        await advance(pilot, screen, clock, 9.6)
        await pilot.press("1")
        await advance(pilot, screen, clock, 0.6)  # the work has begun
        await pilot.press("0")
        assert screen.pain_before == 10


async def test_a_hangup_during_the_closing_questions_exits_with_the_row_written(catalog, tmp_path):
    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.runner
        await run_through(pilot, screen, clock, 50)
        assert isinstance(app.screen, PainAfterScreen)
        screen.interrupted()
        await pilot.pause()
    [row] = rows(tmp_path)
    assert row.outcome is Outcome.COMPLETED and row.pain_after is None


async def test_a_hangup_before_the_session_starts_writes_nothing(catalog, tmp_path):
    from backtui.core import resume

    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, app.runner, clock, 21)
        app.runner.interrupted()
    app = make_app(catalog, tmp_path, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()  # the resume question is showing
        app.runner.interrupted()
    assert len(rows(tmp_path)) == 1 and resume.load("test-run") is not None


async def test_a_resumed_session_stays_one_row_with_its_pain_rating(catalog, tmp_path):
    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("7")
        await advance(pilot, app.runner, clock, 13)
        app.runner.interrupted()
    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()  # the question comes once the runner is up
        await pilot.click("#choice-resume")
        await run_through(pilot, app.runner, clock, 40)
        await pilot.press("3")
        await pilot.press("enter")
    [row] = rows(tmp_path)
    assert (row.outcome, row.pain_before, row.pain_after) == (Outcome.COMPLETED, 7, 3)
    assert row.seconds_done == 6 + 5 + PRONE_TO_KNEELING_S + 20


async def test_ctrl_q_asks_and_help_pauses_the_session(catalog, tmp_path):
    from backtui.tui.screens.dialogs import ChoiceScreen

    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.runner
        await advance(pilot, screen, clock, 12)
        await pilot.press("question_mark")
        assert screen.session.paused
        await pilot.press("escape")
        assert not screen.session.paused
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ChoiceScreen) and app.is_running
        await pilot.press("escape")
        assert not screen.session.paused


async def test_a_rating_of_one_after_the_session_settles_by_itself_or_on_enter(catalog, tmp_path):
    for finish_with in ("wait", "enter"):
        clock = FakeClock()
        app = make_app(catalog, tmp_path / finish_with, clock)
        async with app.run_test(size=(80, 24)) as pilot:
            await run_through(pilot, app.runner, clock, 50)
            assert isinstance(app.screen, PainAfterScreen)
            await pilot.press("1")
            if finish_with == "wait":
                app.screen.settle()  # what its timer does a second later
                await pilot.pause()
            else:
                await pilot.press("enter")
            assert isinstance(app.screen, SummaryScreen)
            await pilot.press("enter")
        [row] = rows(tmp_path / finish_with)
        assert row.pain_after == 1


async def test_escape_on_the_resume_question_means_not_now(catalog, tmp_path):
    from backtui.core import resume

    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, app.runner, clock, 21)
        app.runner.interrupted()
    app = make_app(catalog, tmp_path, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "set" not in str(app.screen.query_one(".dialog-question").render())  # one set
        await pilot.press("escape")
        await pilot.pause()
    assert not app.is_running and app.return_value.outcome is None
    assert resume.load("test-run") is not None  # kept for another time


async def test_a_place_kept_for_a_routine_that_changed_is_dropped_and_said(catalog, tmp_path):
    from backtui.core import resume

    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, app.runner, clock, 21)
        app.runner.interrupted()
    changed = Routine(ROUTINE.name, (*ROUTINE.steps, Step("cat")))
    app = RunnerApp(
        changed,
        catalog,
        key="test-run",
        settings=Settings(bell=False),
        history_path=tmp_path / "history.sqlite3",
        clock=FakeClock(),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert any(n.message == resume.DROPPED for n in app._notifications)
        assert app.runner.query_one("#run-name").text.plain == "Get ready"
    assert resume.load("test-run") is None


LONG_NOTE = (
    "Go gently today: my physio said to keep the lift small, breathe out as I rise, "
    "and stop at once if the ache moves into my left buttock or leg. Count slowly "
    "and rest longer between reps if needed, as long as I like."
)
STRENGTH = Routine(
    "Strength",
    (
        Step("superman", reps=10, note=LONG_NOTE),  # catalogue tempo: lift, hold, lower
        Step("childs-pose", hold_s=30),
    ),
)


def strength_app(catalog, tmp_path, clock, routine=STRENGTH) -> RunnerApp:
    return RunnerApp(
        routine,
        catalog,
        key="strength",
        settings=Settings(bell=False),
        history_path=tmp_path / "history.sqlite3",
        clock=clock,
    )


def shown_text(app) -> str:
    return " ".join(str(app.runner.query_one("#run-instruction").render()).split())


async def test_a_long_note_and_the_breathing_cue_are_shown_whole_at_80x24(catalog, tmp_path):
    clock = FakeClock()
    app = strength_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, app.runner, clock, 10.5)  # into the first lift
        instruction = app.runner.query_one("#run-instruction")
        assert len(LONG_NOTE) >= 200 and " ".join(LONG_NOTE.split()) in shown_text(app)
        assert " ".join(catalog["superman"].cue.split()) in shown_text(app)
        # Whole: the widget is as tall as its wrapped words, and inside the screen.
        assert instruction.size.height == instruction.virtual_size.height
        assert instruction.region.bottom <= app.screen.size.height - 1
        assert "▲ lift" in app.runner.query_one("#run-detail").text.plain


async def test_c_opens_the_moves_steps_and_cautions_with_the_session_waiting(catalog, tmp_path):
    from backtui.tui.screens.session_end import ExerciseScreen

    clock = FakeClock()
    app = strength_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, app.runner, clock, 2)  # getting ready: the move coming up
        await pilot.press("c")
        assert isinstance(app.screen, ExerciseScreen)
        text = str(app.screen.text)
        assert "Superman" in text and catalog["superman"].cautions[0] in text
        assert app.runner.session.paused
        await pilot.press("enter")
        assert not app.runner.session.paused


async def test_pain_that_rose_is_answered_in_a_calm_line(catalog, tmp_path):
    clock = FakeClock()
    app = strength_app(catalog, tmp_path, clock, Routine("Short", (Step("childs-pose"),)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")  # before
        await run_through(pilot, app.runner, clock, 10 + 60)
        assert isinstance(app.screen, PainAfterScreen)
        await pilot.press("6")
        assert isinstance(app.screen, SummaryScreen)
        text = str(app.screen.text)
        assert "Pain 2 → 6." in text and "talk to a clinician" in text


async def test_after_a_bad_pain_stop_the_rating_is_still_offered_and_kept(catalog, tmp_path):
    clock = FakeClock()
    app = strength_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await advance(pilot, app.runner, clock, 14)
        await pilot.press("x")
        assert isinstance(app.screen, PainAfterScreen)
        assert "after stopping" in str(app.screen.question)
        await pilot.press("7")
        assert isinstance(app.screen, SummaryScreen)
        assert "down a leg" in str(app.screen.text) and "Pain – → 7." in str(app.screen.text)
    [row] = rows(tmp_path)
    assert row.outcome is Outcome.STOPPED_FOR_PAIN and row.pain_after == 7


def test_runner_snapshot_in_a_lift(snap_compare, catalog, tmp_path):
    clock = FakeClock()
    app = strength_app(catalog, tmp_path, clock)

    async def into_a_lift(pilot):
        await pilot.pause()
        await advance(pilot, app.runner, clock, 10 + 2)
        await advance(pilot, app.runner, clock, 3.5)  # rep 2, lifting; the banner faded

    assert snap_compare(app, terminal_size=(80, 24), run_before=into_a_lift)


def test_runner_snapshot_getting_into_position(snap_compare, catalog, tmp_path):
    clock = FakeClock()
    routine = Routine("Up", (Step("superman", reps=2, rest_s=0), Step("childs-pose")))
    app = strength_app(catalog, tmp_path, clock, routine)

    async def into_the_change(pilot):
        await pilot.pause()
        await advance(pilot, app.runner, clock, 10 + 2 * 5 + 1)  # onto the knees

    assert snap_compare(app, terminal_size=(80, 24), run_before=into_the_change)


def test_runner_snapshot_of_the_end_after_pain_rose(snap_compare, catalog, tmp_path):
    clock = FakeClock()
    app = strength_app(catalog, tmp_path, clock, Routine("Short", (Step("childs-pose"),)))

    async def to_the_end(pilot):
        await pilot.pause()
        await pilot.press("3")
        await run_through(pilot, app.runner, clock, 10 + 60)
        await pilot.press("6")

    assert snap_compare(app, terminal_size=(80, 24), run_before=to_the_end)


async def test_digits_from_other_scripts_are_not_ratings(catalog, tmp_path):
    """'²' is a key on AZERTY keyboards, and str.isdigit says yes to it."""
    from textual import events

    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        for character in ("²", "٣", "½"):
            app.post_message(events.Key(character, character))
        await pilot.press("4")
        assert app.runner.recorder.pain_before == 4 and app.is_running
        await run_through(pilot, app.runner, clock, 50)
        assert isinstance(app.screen, PainAfterScreen)
        app.post_message(events.Key("²", "²"))
        await pilot.pause()
        assert isinstance(app.screen, PainAfterScreen) and app.is_running
        await pilot.press("3")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
    [row] = rows(tmp_path)
    assert (row.pain_before, row.pain_after) == (4, 3)


async def test_nothing_ticks_while_paused_and_the_pacer_stands_still(catalog, tmp_path):
    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.runner
        await advance(pilot, screen, clock, 3.3)
        assert screen.ticking
        await pilot.press("space")
        assert screen.session.paused and not screen.ticking
        pacer, digits = screen.query_one("#run-pacer"), screen.query_one(BigCountdown)
        shown = (pacer.text, digits.text)
        await advance(pilot, screen, clock, 2.7)  # a tick while paused changes nothing
        assert (pacer.text, digits.text) == shown and not screen.ticking
        await pilot.press("space")
        assert screen.ticking
        assert (pacer.text, digits.text) == shown  # the breath carries on where it was
        await advance(pilot, screen, clock, 1)
        assert pacer.text != shown[0] and digits.text == "00:06"
        await pilot.press("question_mark")  # a dialog pauses the session: no ticks behind it
        assert not screen.ticking
        await pilot.press("escape")
        assert screen.ticking


async def test_the_tick_sleeps_until_the_next_change(catalog, tmp_path):
    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.runner
        await advance(pilot, screen, clock, 3.25)  # 6.75 s of get-ready left
        due = screen._wake._interval  # type: ignore[union-attr]
        assert 0.02 < due <= 0.76  # the next second (or the pacer's next cell), not 0.1 s
        await pilot.press("h")  # the pacer hidden: only the clock wakes the screen
        assert screen._wake._interval == pytest.approx(0.75 + 0.005)  # type: ignore[union-attr]


async def test_a_second_passing_repaints_only_the_rows_that_changed(catalog, tmp_path):
    from textual.geometry import Region

    from backtui.tui.widgets.big_countdown import Glyph

    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.runner
        await advance(pilot, screen, clock, 3)  # 00:07
        glyphs = list(screen.query(Glyph))
        refreshed: list[tuple[int, tuple]] = []
        for index, glyph in enumerate(glyphs):
            glyph.refresh = (  # type: ignore[method-assign]
                lambda *regions, index=index, **_: refreshed.append((index, regions))
            )
        await advance(pilot, screen, clock, 1)  # 00:06
        assert screen.query_one(BigCountdown).text == "00:06"
        # "7" to "6": four rows of the last glyph change; its top row and the rest stay
        assert refreshed == [(4, (Region(0, y, 6, 1),)) for y in (1, 2, 3, 4)]


async def test_between_two_seconds_only_the_pacer_is_redrawn(catalog, tmp_path, monkeypatch):
    """A pacer-only wake moves the bar and nothing else: no session update, no view."""
    from backtui.core import presenter

    clock = FakeClock()
    app = make_app(catalog, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        runner = app.runner
        await advance(pilot, runner, clock, 12)  # into the first hold
        runner._full_tick_at = clock() + 0.9  # the next second is still ahead
        before = runner._view.pacer.text
        presented = []
        real_present = presenter.present
        monkeypatch.setattr(
            presenter, "present", lambda *a, **k: presented.append(1) or real_present(*a, **k)
        )
        clock.advance(0.5)
        runner.breathe()
        assert presented == [] and runner._view.pacer.text != before
        clock.advance(0.5)  # past the second: the full tick again
        runner.breathe()
        assert presented == [1]


async def test_a_pacer_move_repaints_only_the_cells_that_changed(catalog, tmp_path):
    from textual.geometry import Region

    from backtui.core.presenter import pacer_text

    app = make_app(catalog, tmp_path, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        pacer = app.runner._view.pacer
        pacer.text = pacer_text(1.0, 4, 6)  # in, two cells of eight
        await pilot.pause()
        refreshed: list[tuple] = []
        pacer.refresh = lambda *regions, **_: refreshed.append(regions)  # type: ignore[method-assign]
        pacer.text = pacer_text(1.5, 4, 6)  # one more cell
        start = pacer_text(1.0, 4, 6).index("[") + 3
        assert refreshed == [(Region(start, 0, 1, 1),)]
