"""What a session leaves behind: the place to resume from, and one row in history.

The rules live here, not in the runner's screen, so a test reaches them on a
fake clock without the Pilot:

- nothing is kept while getting ready: there is nothing to resume yet;
- the place is kept at each change of phase, on pause, every `SAVE_EVERY_S`,
  and when the session is quit or interrupted (perhaps only to answer the door);
- the place is forgotten when the session completes, is stopped for pain, or
  is started over;
- a session is one row in history, written the moment it ends (so a hang-up
  during the closing questions loses nothing), then brought up to date with the
  pain rating after it; a resumed session updates the row it began;
- under `MIN_RECORDED_S` of work is a false start and leaves no row, unless
  it was stopped for pain (that is always worth a line in history).

A failure to write is returned as a sentence for the screen to show, never
raised: a full disk must not stop a session in progress.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from backtui.core import resume
from backtui.core.model import RESUME_READY_S, Routine
from backtui.core.outcome import Outcome
from backtui.core.session import Clock, Phase, PhaseKind, Session

SAVE_EVERY_S = 15.0  # how often the place is kept on disk, besides each change of phase
MIN_RECORDED_S = 10  # less work than this is a false start, not a session

# Ended on purpose or by a lost terminal: the person may well want to carry on.
KEEPS_PLACE = frozenset({Outcome.QUIT, Outcome.INTERRUPTED})


def utc_now() -> datetime:
    return datetime.now(UTC)


class SessionRecorder:
    """Keeps one session's place and its history row, following the rules above."""

    def __init__(
        self,
        routine: Routine,
        key: str,
        session: Session,
        *,
        clock: Clock = time.monotonic,
        now: Callable[[], datetime] = utc_now,
        history_path: Path | None = None,
    ) -> None:
        self.routine = routine
        self.key = key
        self.session = session
        self.clock = clock
        self.now = now
        self.history_path = history_path
        self.started_at: datetime | None = None
        self.pain_before: int | None = None
        self.pain_after: int | None = None
        self.record_id: int | None = None  # this session's row, once it has one
        self.outcome: Outcome | None = None
        self._kept_at = clock()

    @property
    def ended(self) -> bool:
        """The session is over and its row written; only closing questions remain."""
        return self.outcome is not None

    # Beginning -------------------------------------------------------------------
    def begin(self) -> None:
        """A fresh session starts now."""
        self.started_at = self.now()
        self.session.start()

    def start_over(self) -> None:
        """The person chose not to resume: the old place goes, a new session starts."""
        resume.clear(self.key)
        self.begin()

    def resume_from(self, session: Session, saved: resume.Saved) -> None:
        """Carry on a kept session: same start time, same pain rating, same row."""
        self.session = session
        self.started_at = saved.started_at or self.now()
        self.pain_before = saved.pain_before
        self.record_id = saved.record_id
        session.resume(lead_in_s=RESUME_READY_S)

    # While it runs ---------------------------------------------------------------
    def phase_entered(self, phase: Phase) -> None:
        if phase.kind is not PhaseKind.GET_READY:
            self.keep_place()

    def paused(self) -> None:
        self.keep_place()

    def tick(self) -> None:
        """Called often; keeps the place only every `SAVE_EVERY_S`."""
        if self.clock() - self._kept_at >= SAVE_EVERY_S:
            self.keep_place()

    def keep_place(self) -> None:
        """Save the place to resume from. Cheap, so only at changes and now and then."""
        if not self.session.started:
            return
        if self.session.index == 0:  # still getting ready
            resume.clear(self.key)
            return
        self._kept_at = self.clock()
        resume.save(
            self.key,
            self.session.snapshot(),
            started_at=self.started_at,
            pain_before=self.pain_before,
            record_id=self.record_id,
        )

    # Ending ----------------------------------------------------------------------
    def end(self, outcome: Outcome) -> str | None:
        """Stop the session (if it has not finished), write its row and keep or
        forget its place. Once only; returns a sentence if history could not be written."""
        if self.ended:
            return None
        self.outcome = outcome
        if not self.session.ended:
            self.session.stop(outcome.value)
        error = self._write()
        if outcome in KEEPS_PLACE:
            self.keep_place()
        else:
            resume.clear(self.key)
        return error

    def rate_after(self, pain: int) -> str | None:
        """The pain rating after the session, added to its row."""
        self.pain_after = pain
        return self._write()

    def _write(self) -> str | None:
        from backtui.core.history import History, HistoryError, SessionRecord  # sqlite3: only now

        assert self.outcome is not None
        session = self.session
        if (
            self.record_id is None
            and session.seconds_done < MIN_RECORDED_S
            and self.outcome is not Outcome.STOPPED_FOR_PAIN
        ):
            return None
        entry = SessionRecord(
            routine_name=self.routine.name,
            routine_key=self.key,
            started_at=self.started_at or self.now(),
            ended_at=self.now(),
            seconds_done=round(session.seconds_done),
            steps_completed=session.steps_completed,
            steps_total=session.steps_total,
            pain_before=self.pain_before,
            pain_after=self.pain_after,
            outcome=self.outcome,
            id=self.record_id,
        )
        try:
            with History(self.history_path) as history:
                self.record_id = history.record(entry)
        except (HistoryError, OSError) as error:
            return f"Could not record this session: {error}"
        return None
