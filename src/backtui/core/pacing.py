"""The person's own pace for every session: the get-ready, the time to change
position, the rest between steps and the breath.

A routine file says what to do; these say how long the person needs around
it. What the routine sets itself (a step's rest, the routine's breath) wins:
its author chose it. Everything here is applied once, before the timeline is
built, so the runner, `backtui plan` and the estimate agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from backtui.core.model import (
    GET_READY_S,
    Breath,
    Exercise,
    Position,
    Routine,
    estimate_seconds,
    position_change_s,
)

FLOOR_TO_STANDING_S = position_change_s(Position.SUPINE, Position.STANDING)


@dataclass(frozen=True, slots=True)
class Pacing:
    get_ready_s: int = GET_READY_S
    # The longest change, floor to standing; smaller changes take their share of it.
    position_change_s: int = FLOOR_TO_STANDING_S
    rest_s: int | None = None  # None: each exercise's own rest
    breath: Breath | None = None  # None: the routine's, else 4 s in and 6 s out

    def position_s(self, before: Position, after: Position) -> int:
        """Seconds to get from one position into the next, at this person's pace."""
        usual = position_change_s(before, after)
        if not usual or not self.position_change_s:
            return 0
        return max(1, round(usual * self.position_change_s / FLOOR_TO_STANDING_S))

    def estimate_seconds(self, routine: Routine, catalog: Mapping[str, Exercise]) -> int:
        """How long the session will take at this pace: what the runner's timeline adds up to."""
        return estimate_seconds(
            self.applied(routine),
            catalog,
            get_ready_s=self.get_ready_s,
            position_s=self.position_s,
        )

    def applied(self, routine: Routine) -> Routine:
        """The routine with the person's rest and breath where it sets none itself."""
        steps = routine.steps
        if self.rest_s is not None:
            steps = tuple(
                step if step.rest_s is not None else replace(step, rest_s=self.rest_s)
                for step in steps
            )
        breath = routine.breath if routine.breath is not None else self.breath
        if steps is routine.steps and breath is routine.breath:
            return routine
        return replace(routine, steps=steps, breath=breath)


DEFAULT_PACING = Pacing()
