"""Easier and harder versions of a step: the catalogue's regressions and progressions.

A person swapping a bridge for a bridge hold means "the same place in my
routine, a different move"; so what they chose for the place (sets, rest,
side, note) stays, and what belongs to the old move (its tempo, a hold that
means something else) gives way to the new move's defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Literal

from backtui.core.model import Exercise, Step

Direction = Literal["easier", "harder"]


def variants(
    exercise: Exercise, catalog: Mapping[str, Exercise], direction: Direction
) -> list[Exercise]:
    """The catalogue's easier (regressions) or harder (progressions) moves, in its order."""
    ids = exercise.regressions if direction == "easier" else exercise.progressions
    return [catalog[i] for i in ids if i in catalog]


def swapped(step: Step, old: Exercise, new: Exercise) -> Step:
    """`step` done as `new` instead of `old`, keeping what still makes sense."""
    old_reps = step.reps is not None or old.reps is not None
    new_reps = new.reps is not None
    same_kind = old_reps == new_reps
    hold = step.hold_s if same_kind else None
    if hold is not None and new.hold_max_s is not None:
        hold = min(hold, new.hold_max_s)
    return replace(
        step,
        exercise=new.id,
        reps=step.reps if same_kind and new_reps else None,
        hold_s=hold,
        side=step.side if new.sided else None,
        lift_s=None,  # a tempo belongs to the move it was set for
        lower_s=None,
        self_paced=step.self_paced and new_reps,
    )
