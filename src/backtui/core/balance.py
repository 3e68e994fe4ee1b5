"""The balance rule (CONTRACT §5): extension work must be followed by flexion.

One pure rule, shared by the editor, `backtui validate` and the runner's summary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from backtui.core.model import Exercise, Routine, Spine, Step

DEFAULT_COUNTER = "childs-pose"
BALANCED = "Balanced: every extension move is followed by flexion."
_BALANCING = (Spine.FLEXION, Spine.MIXED)


@dataclass(frozen=True, slots=True)
class BalanceWarning:
    index: int  # 0-based position of the unbalanced extension step
    exercise_id: str
    exercise_name: str
    suggestions: tuple[str, ...]

    def message(self, lookup: Mapping[str, Exercise] | None = None) -> str:
        names = [
            lookup[s].name if lookup is not None and s in lookup else s for s in self.suggestions
        ]
        return (
            f"step {self.index + 1}, {self.exercise_name}: extension with no flexion after it "
            f"(try {' or '.join(names)})"
        )


def counter_moves(exercise: Exercise, lookup: Mapping[str, Exercise]) -> tuple[str, ...]:
    """The exercise's own counters that really are flexion or mixed, else child's pose."""
    own = tuple(
        ref
        for ref in exercise.counters
        if (counter := lookup.get(ref)) is not None and counter.spine in _BALANCING
    )
    return own or (DEFAULT_COUNTER,)


def unbalanced(routine: Routine, catalog: Mapping[str, Exercise]) -> list[BalanceWarning]:
    """One warning per extension step with no flexion or mixed step after it."""
    lookup = routine.lookup(catalog)
    warnings = []
    balanced_after = False
    for index in range(len(routine.steps) - 1, -1, -1):
        exercise = lookup.get(routine.steps[index].exercise)
        if exercise is None:
            continue
        if exercise.spine in _BALANCING:
            balanced_after = True
        elif exercise.spine is Spine.EXTENSION and not balanced_after:
            warnings.append(
                BalanceWarning(index, exercise.id, exercise.name, counter_moves(exercise, lookup))
            )
    warnings.reverse()
    return warnings


def balancing_fix(routine: Routine, catalog: Mapping[str, Exercise]) -> tuple[int, Step] | None:
    """Where to insert which counter-move so that no warning is left; None if balanced."""
    warnings = unbalanced(routine, catalog)
    if not warnings:
        return None
    last = warnings[-1]
    return last.index + 1, Step(exercise=last.suggestions[0])


def fixed(routine: Routine, catalog: Mapping[str, Exercise]) -> Routine:
    fix = balancing_fix(routine, catalog)
    return routine if fix is None else routine.inserted(*fix)
