"""How a session ended: what history records and the runner reports."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    COMPLETED = "completed"
    STOPPED_FOR_PAIN = "stopped-for-pain"
    QUIT = "quit"
    INTERRUPTED = "interrupted"

    @property
    def label(self) -> str:
        """How a person would say it: the stored value is a stable id, not prose."""
        return _LABELS[self]


_LABELS = {
    Outcome.COMPLETED: "done",
    Outcome.STOPPED_FOR_PAIN: "stopped for pain",
    Outcome.QUIT: "stopped early",
    Outcome.INTERRUPTED: "interrupted",
}
