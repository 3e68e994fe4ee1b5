"""One session as history keeps it.

Its own module, imported by history.py only when a session is written or listed:
reading the history for `backtui today` at every login must not pay for
dataclasses and the inspect module it loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from backtui.core.history import PAIN_RANGE
from backtui.core.outcome import Outcome


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One session as history keeps it. Naive datetimes are taken as local time."""

    routine_name: str
    routine_key: str
    started_at: datetime
    ended_at: datetime
    seconds_done: int
    steps_completed: int
    steps_total: int
    pain_before: int | None = None
    pain_after: int | None = None
    outcome: Outcome = Outcome.COMPLETED
    id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "outcome", Outcome(self.outcome))
        for name in ("seconds_done", "steps_completed", "steps_total"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        for name in ("pain_before", "pain_after"):
            value = getattr(self, name)
            if value is not None and not PAIN_RANGE[0] <= value <= PAIN_RANGE[1]:
                raise ValueError(f"{name} must be 0–10, got {value}")
