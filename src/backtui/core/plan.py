"""A session's timeline as a therapist reads it: every phase, its move and seconds.

Built from the very timeline the runner follows (`session.build_timeline`), each
timed rep opened into its lift, hold and lower, so `backtui plan` shows what the
person will be asked to do, second by second, and adds up to the runner's total.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from itertools import groupby
from typing import Any

from backtui.core.model import Exercise, Routine
from backtui.core.pacing import DEFAULT_PACING, Pacing
from backtui.core.session import Phase, PhaseKind, Stage, build_timeline

KINDS = ("get-ready", "position", "hold", "lift", "lower", "self-paced", "rest")


@dataclass(frozen=True, slots=True)
class PlanPhase:
    kind: str  # one of KINDS
    exercise: str | None  # the move's id; None for the get-ready
    seconds: int
    step: int  # 1-based; the step a get-into-position or rest leads into; 0: get-ready
    rep: int | None
    set: int  # 1-based; 0 outside a step's sets
    side: str | None  # "left", "right", or None for both sides at once


@dataclass(frozen=True, slots=True)
class Plan:
    routine: str
    total_s: int
    phases: tuple[PlanPhase, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "routine": self.routine,
            "total_s": self.total_s,
            "phases": [asdict(phase) for phase in self.phases],
        }


def plan(
    routine: Routine, catalog: Mapping[str, Exercise], pacing: Pacing = DEFAULT_PACING
) -> Plan:
    """The session the runner would give, at the person's pacing (their settings)."""
    timeline = build_timeline(routine, catalog, pacing)
    phases = tuple(entry for phase in timeline for entry in _entries(phase))
    return Plan(routine.name, sum(p.seconds for p in phases), phases)


def _entries(phase: Phase) -> Iterator[PlanPhase]:
    side = None if phase.side is None else str(phase.side)
    exercise = phase.exercise or None
    step = phase.step_index + 1

    def entry(kind: str, seconds: int, rep: int | None = None, at_step: int = step):
        return PlanPhase(kind, exercise, seconds, at_step, rep, phase.set_number, side)

    if phase.kind is PhaseKind.GET_READY:
        yield entry("get-ready", phase.planned_s, at_step=0)
    elif phase.kind in (PhaseKind.POSITION, PhaseKind.SWITCH):
        yield entry("position", phase.planned_s)  # into the move, or onto the other side
    elif phase.kind is PhaseKind.REST:
        yield PlanPhase("rest", exercise, phase.planned_s, step, None, phase.set_number, None)
    elif phase.self_paced:
        yield entry("self-paced", phase.planned_s)
    elif phase.reps is None:
        yield entry("hold", phase.planned_s)
    else:
        for rep in range(1, phase.reps + 1):
            if not (phase.lift_s or phase.lower_s):
                yield entry("hold", phase.rep_s, rep)
                continue
            for stage, seconds in (
                (Stage.LIFT, phase.lift_s),
                (Stage.HOLD, phase.hold_s or 0),
                (Stage.LOWER, phase.lower_s),
            ):
                if seconds:
                    yield entry(str(stage), seconds, rep)


def format_plan(plan: Plan, lookup: Mapping[str, Exercise]) -> str:
    """A table a person reads: one line per phase, a set's reps on one line."""
    lines = [f"{plan.routine}: {plan.total_s} s, about {round(plan.total_s / 60)} min", ""]
    lines.append(f"{'at':>5}  {'step':>4}  {'phase':<16} {'s':>4}  move")
    at = 0
    numbered = enumerate(plan.phases)
    for _, group in groupby(numbered, key=lambda item: _row_key(*item)):
        phases = [phase for _, phase in group]
        first, seconds = phases[0], sum(p.seconds for p in phases)
        found = lookup.get(first.exercise or "")
        name = found.name if found is not None else first.exercise or ""
        tempo = ""
        if first.rep is None:
            what = first.kind
        else:
            what = f"{phases[-1].rep} reps"
            one_rep = [p for p in phases if p.rep == first.rep]
            if len(one_rep) > 1:
                tempo = "(" + ", ".join(f"{p.kind} {p.seconds}" for p in one_rep) + " s)"
        parts = [name, f"set {first.set}" if first.set > 1 else "", first.side or "", tempo]
        step = str(first.step) if first.step else ""
        lines.append(
            f"{_clock(at):>5}  {step:>4}  {what:<16} {seconds:>4}  {' '.join(filter(None, parts))}"
        )
        at += seconds
    lines.append(f"{_clock(at):>5}  end")
    return "\n".join(lines)


def _row_key(index: int, phase: PlanPhase) -> tuple[Any, ...]:
    """The reps of one set on one side share a row; every other phase has its own."""
    if phase.rep is None:
        return ("phase", index)
    return ("reps", phase.step, phase.set, phase.side)


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"
