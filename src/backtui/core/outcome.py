"""How a session ended: what history records and the runner reports."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    COMPLETED = "completed"
    STOPPED_FOR_PAIN = "stopped-for-pain"
    QUIT = "quit"
    INTERRUPTED = "interrupted"
