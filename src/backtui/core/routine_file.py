"""The routine file, schema 1 (CONTRACT §2): read with tomllib, written with tomli-w.

A routine file may come from a stranger, so reading checks every value, reports
each problem with where it is, and never changes the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backtui.core import model
from backtui.core.reader import Fields, Problems, decode_toml, describe, parse_exercise, read_bytes

SCHEMA = 1
ROUTINE_KEYS = ("schema", "name", "description", "breath", "steps", "exercises")
STEP_KEYS = ("exercise", "reps", "hold_s", "sets", "side", "rest_s", "note")
BREATH_KEYS = ("inhale_s", "exhale_s")


@dataclass
class LoadResult:
    routine: model.Routine | None
    problems: Problems = field(default_factory=lambda: Problems(""))

    @property
    def ok(self) -> bool:
        return self.routine is not None

    @property
    def first_error(self) -> str:
        """The first error as one located line ("" if there is none)."""
        return next((str(p) for p in self.problems if p.is_error), "")


def read_routine(path: Path, catalog: Mapping[str, model.Exercise], name: str = "") -> LoadResult:
    problems = Problems(name or str(path))
    data = read_bytes(path, problems)
    if data is None:
        return LoadResult(None, problems)
    return loads_routine(data, catalog, problems.file)


def loads_routine(data: bytes, catalog: Mapping[str, model.Exercise], name: str) -> LoadResult:
    problems = Problems(name)
    document = decode_toml(data, problems)
    if document is None:
        return LoadResult(None, problems)
    return LoadResult(parse_routine(document, catalog, problems), problems)


def parse_routine(
    document: dict[str, Any], catalog: Mapping[str, model.Exercise], problems: Problems
) -> model.Routine | None:
    """Check a parsed TOML document against schema 1; None if it has any error."""
    top = Fields(document, "", problems)
    if not _schema_ok(document, problems):
        return None
    raw_steps = document.get("steps")
    raw_exercises = document.get("exercises", {})
    # Refuse oversized files before looking at a single step.
    if isinstance(raw_steps, list) and len(raw_steps) > model.MAX_STEPS:
        problems.error("steps", f"at most {model.MAX_STEPS} steps, got {len(raw_steps)}")
        return None
    if isinstance(raw_exercises, dict) and len(raw_exercises) > model.MAX_CUSTOM_EXERCISES:
        problems.error(
            "exercises",
            f"at most {model.MAX_CUSTOM_EXERCISES} custom exercises, got {len(raw_exercises)}",
        )
        return None

    name = top.text("name", model.NAME_MAX, required=True)
    description = top.text("description", model.DESCRIPTION_MAX, multiline=True) or ""
    breath = _parse_breath(document.get("breath"), problems)
    custom = _parse_custom(raw_exercises, catalog, problems)
    known = dict(catalog) | custom
    steps = _parse_steps(raw_steps, known, problems)
    top.warn_unknown(ROUTINE_KEYS)
    if problems.has_errors or name is None or steps is None:
        return None
    return model.Routine(
        name=name, steps=steps, description=description, breath=breath, exercises=custom
    )


def _schema_ok(document: dict[str, Any], problems: Problems) -> bool:
    if "schema" not in document:
        problems.error("schema", f"missing (required); this backtui reads schema = {SCHEMA}")
        return False
    schema = document["schema"]
    if isinstance(schema, bool) or not isinstance(schema, int):
        problems.error("schema", f"must be a whole number, got {describe(schema)}")
        return False
    if schema > SCHEMA:
        problems.error(
            "schema",
            f"this file is schema {schema}, newer than this backtui understands "
            f"(it reads schema {SCHEMA}); update backtui to open it",
        )
        return False
    if schema < 1:
        problems.error("schema", f"must be {SCHEMA}, got {schema}")
        return False
    return True


def _parse_breath(raw: Any, problems: Problems) -> model.Breath | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.error("breath", f"must be a table, got {describe(raw)}")
        return None
    f = Fields(raw, "breath", problems)
    inhale = f.integer("inhale_s", model.INHALE_RANGE, "seconds")
    exhale = f.integer("exhale_s", model.EXHALE_RANGE, "seconds")
    f.warn_unknown(BREATH_KEYS)
    default = model.Breath()
    return model.Breath(inhale or default.inhale_s, exhale or default.exhale_s)


def _parse_custom(
    raw: Any, catalog: Mapping[str, model.Exercise], problems: Problems
) -> dict[str, model.Exercise]:
    if not isinstance(raw, dict):
        problems.error("exercises", f"must be a table of exercises, got {describe(raw)}")
        return {}
    builtin: frozenset[str] = getattr(catalog, "builtin_ids", frozenset())
    custom: dict[str, model.Exercise] = {}
    for exercise_id, table in raw.items():
        where = f"exercises.{exercise_id}"
        if exercise_id in builtin:
            problems.error(
                where, "is a built-in exercise and cannot be redefined; give it another id"
            )
            continue
        exercise = parse_exercise(exercise_id, table, where, problems)
        if exercise is not None:
            custom[exercise_id] = exercise
    known = set(catalog) | set(custom)
    for exercise in custom.values():
        for key in ("progressions", "regressions", "counters"):
            for ref in getattr(exercise, key):
                if ref not in known:
                    problems.warning(
                        f"exercises.{exercise.id}.{key}", f"unknown exercise {ref!r}, ignored"
                    )
    return custom


def _parse_steps(
    raw: Any, known: Mapping[str, model.Exercise], problems: Problems
) -> tuple[model.Step, ...] | None:
    if raw is None:
        problems.error("steps", "missing (required): a routine needs at least one [[steps]]")
        return None
    if raw == []:
        problems.error("steps", "is empty: a routine needs at least one [[steps]] table")
        return None
    if not isinstance(raw, list):
        problems.error(
            "steps",
            f"must be 1–{model.MAX_STEPS} [[steps]] tables, got {describe(raw)}",
        )
        return None
    steps = []
    for number, table in enumerate(raw, start=1):
        where = f"steps[{number}]"
        if not isinstance(table, dict):
            problems.error(where, f"must be a table, got {describe(table)}")
            continue
        step = _parse_step(table, where, known, problems)
        if step is not None:
            steps.append(step)
    return tuple(steps)


def _parse_step(
    table: dict[str, Any], where: str, known: Mapping[str, model.Exercise], problems: Problems
) -> model.Step | None:
    f = Fields(table, where, problems)
    exercise_id = table.get("exercise")
    exercise = None
    if "exercise" not in table:
        f.error("exercise", "missing (required)")
    elif not isinstance(exercise_id, str):
        f.error("exercise", f"must be an exercise id, got {describe(exercise_id)}")
    elif (exercise := known.get(exercise_id)) is None:
        f.error("exercise", _unknown(exercise_id, known))
    side = f.choice("side", model.Side)
    if side is not None and exercise is not None and not exercise.sided:
        problems.warning(f"{where}.side", f"{exercise.id!r} is not a one-sided move; ignored")
        side = None
    step = model.Step(
        exercise=exercise_id if isinstance(exercise_id, str) else "",
        reps=f.integer("reps", model.REPS_RANGE),
        hold_s=f.integer("hold_s", model.HOLD_RANGE, "seconds"),
        sets=f.integer("sets", model.SETS_RANGE),
        side=side,
        rest_s=f.integer("rest_s", model.REST_RANGE, "seconds"),
        note=f.text("note", model.NOTE_MAX) or "",
    )
    f.warn_unknown(STEP_KEYS)
    return step if exercise is not None else None


def _unknown(exercise_id: str, known: Mapping[str, model.Exercise]) -> str:
    import difflib  # only for a mistake: kept off the start-up path

    message = f"unknown exercise {exercise_id!r}"
    close = difflib.get_close_matches(exercise_id, list(known), n=1, cutoff=0.6)
    return f"{message} (did you mean {close[0]!r}?)" if close else message


def exercise_table(exercise: model.Exercise) -> dict[str, Any]:
    """An exercise as a TOML table, leaving out what is at its default."""
    table: dict[str, Any] = {
        "name": exercise.name,
        "spine": exercise.spine.value,
        "category": exercise.category.value,
        "position": exercise.position.value,
    }
    if exercise.sided:
        table["sided"] = True
    for key in ("hold_s", "reps", "sets", "rest_s"):
        if (value := getattr(exercise, key)) is not None:
            table[key] = value
    table["steps"] = list(exercise.steps)
    if exercise.cue:
        table["cue"] = exercise.cue
    for key in ("cautions", "progressions", "regressions", "counters", "aliases"):
        if values := getattr(exercise, key):
            table[key] = list(values)
    return table


def dumps_routine(routine: model.Routine) -> str:
    import tomli_w  # only for writing: reading a routine never needs it

    document: dict[str, Any] = {"schema": SCHEMA, "name": routine.name}
    if routine.description:
        document["description"] = routine.description
    if routine.breath is not None:
        document["breath"] = {
            "inhale_s": routine.breath.inhale_s,
            "exhale_s": routine.breath.exhale_s,
        }
    steps = []
    for step in routine.steps:
        table: dict[str, Any] = {"exercise": step.exercise}
        for key in ("reps", "hold_s", "sets"):
            if (value := getattr(step, key)) is not None:
                table[key] = value
        if step.side is not None:
            table["side"] = step.side.value
        if step.rest_s is not None:
            table["rest_s"] = step.rest_s
        if step.note:
            table["note"] = step.note
        steps.append(table)
    # Steps always as [[steps]] blocks, the form people read and edit by hand;
    # tomli-w would fold short ones into one inline array.
    parts = [tomli_w.dumps(document)]
    parts.extend(f"\n[[steps]]\n{tomli_w.dumps(table)}" for table in steps)
    if routine.exercises:
        exercises = {
            exercise_id: exercise_table(exercise)
            for exercise_id, exercise in routine.exercises.items()
        }
        parts.append("\n" + tomli_w.dumps({"exercises": exercises}))
    return "".join(parts)
