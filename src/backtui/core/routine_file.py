"""The routine file, schema 1 (CONTRACT §2): read with tomllib, written with tomli-w.

A routine file may come from a stranger, so reading checks every value, reports
each problem with where it is, and never changes the file.

What each value may be is declared once, on the dataclasses of core/model.py
(see core/spec.py); this module adds what ties them together: the `schema = 1`
header, the limits checked before anything else, and the rules that need the
catalogue (a step's exercise must exist, a built-in id may not be redefined,
`side` on a move done on both sides at once is ignored).
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from backtui.core import model
from backtui.core.reader import Problems, decode_toml, describe, number_text, read_bytes
from backtui.core.spec import (
    At,
    Context,
    document_schema,
    dumps,
    fields_of,
    over_limits,
    read_entry,
    read_fields,
    to_table,
    whole_number,
)

SCHEMA = 1
SCHEMA_HELP = f"The version of the routine file format; this backtui reads {SCHEMA}."


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
    at = At(problems)
    if not _schema_ok(document, problems):
        return None
    # Refuse oversized files before looking at a single step.
    if over_limits(model.Routine, document, at):
        return None
    document = _without_redefined_builtins(document, catalog, problems)
    values = read_fields(model.Routine, document, at, also=("schema",))
    custom: dict[str, model.Exercise] = values.get("exercises", {})
    # The file's own moves first; looked through, never copied: a catalogue can
    # hold tens of thousands, and start-up reads every saved routine.
    known: Mapping[str, model.Exercise] = ChainMap(custom, catalog)  # type: ignore[arg-type]
    _check_references(custom, known, problems)
    # A step naming one of the file's own exercises that has errors is not also
    # called unknown: that exercise's own errors say what is wrong.
    raw_exercises = document.get("exercises")
    broken = set(raw_exercises) - set(custom) if isinstance(raw_exercises, dict) else set()
    steps = document.get("steps")
    if isinstance(steps, list):
        for number, table in enumerate(steps, start=1):
            if isinstance(table, dict):
                _check_step(table, f"steps[{number}]", known, broken, problems)
    if problems.has_errors:
        return None
    values["steps"] = tuple(_without_needless_side(step, known) for step in values["steps"])
    return model.Routine(**values)


def _schema_ok(document: dict[str, Any], problems: Problems) -> bool:
    if "schema" not in document:
        problems.error("schema", f"missing (required); this backtui reads schema = {SCHEMA}")
        return False
    schema = whole_number(document["schema"])
    if schema is None:
        problems.error("schema", f"must be a whole number, got {describe(document['schema'])}")
        return False
    if schema > SCHEMA:
        problems.error(
            "schema",
            f"this file is schema {number_text(schema)}, newer than this backtui understands "
            f"(it reads schema {SCHEMA}); update backtui to open it",
        )
        return False
    if schema < 1:
        problems.error("schema", f"must be {SCHEMA}, got {number_text(schema)}")
        return False
    return True


def _without_redefined_builtins(
    document: dict[str, Any], catalog: Mapping[str, model.Exercise], problems: Problems
) -> dict[str, Any]:
    """The document without custom exercises that reuse a built-in id, each an error."""
    raw = document.get("exercises")
    builtin: frozenset[str] = getattr(catalog, "builtin_ids", frozenset())
    if not isinstance(raw, dict) or not builtin & raw.keys():
        return document
    for exercise_id in raw:
        if exercise_id in builtin:
            problems.error(
                f"exercises.{exercise_id}",
                "is a built-in exercise and cannot be redefined; give it another id",
            )
    kept = {key: table for key, table in raw.items() if key not in builtin}
    return document | {"exercises": kept}


def _check_references(
    custom: Mapping[str, model.Exercise], known: Mapping[str, model.Exercise], problems: Problems
) -> None:
    """A custom exercise's progressions, regressions and counters should exist: warnings."""
    for exercise in custom.values():
        for key in model.REFERENCE_LISTS:
            for ref in getattr(exercise, key):
                if ref not in known:
                    problems.warning(
                        f"exercises.{exercise.id}.{key}", f"unknown exercise {ref!r}, ignored"
                    )


def _check_step(
    table: dict[str, Any],
    where: str,
    known: Mapping[str, model.Exercise],
    broken: set[str],
    problems: Problems,
) -> None:
    """A step's exercise must exist; `side` on a move done on both sides at once is ignored."""
    exercise_id = table.get("exercise")
    if not isinstance(exercise_id, str) or exercise_id in broken:
        return  # missing, not text, or a broken exercise of the file: already reported
    exercise = known.get(exercise_id)
    if exercise is None:
        problems.error(f"{where}.exercise", _unknown(exercise_id, known))
        return
    if exercise.sided:
        return
    for f in fields_of(model.Step):
        if f.spec.sided_only and f.name in table and f.kind.accepts(table[f.name]):
            problems.warning(
                f"{where}.{f.name}", f"{exercise.id!r} is not a one-sided move; ignored"
            )


def _without_needless_side(step: model.Step, known: Mapping[str, model.Exercise]) -> model.Step:
    if known[step.exercise].sided:
        return step
    cleared = {f.name: f.default for f in fields_of(model.Step) if f.spec.sided_only}
    if all(getattr(step, key) == value for key, value in cleared.items()):
        return step
    return replace(step, **cleared)


def _unknown(exercise_id: str, known: Mapping[str, model.Exercise]) -> str:
    import difflib  # only for a mistake: kept off the start-up path

    message = f"unknown exercise {exercise_id!r}"
    close = difflib.get_close_matches(exercise_id, list(known), n=1, cutoff=0.6)
    return f"{message} (did you mean {close[0]!r}?)" if close else message


def parse_exercise(
    exercise_id: str, table: Any, where: str, problems: Problems
) -> model.Exercise | None:
    """Check one `[exercises.ID]` table (a routine's or a catalogue file's); None on any error."""
    return read_entry(model.Exercise, exercise_id, table, At(problems, where, exercise_id))


def dumps_routine(routine: model.Routine) -> str:
    return dumps(routine, head={"schema": SCHEMA})


def routine_document(routine: model.Routine) -> dict[str, Any]:
    """The routine as the file holds it, for JSON: what `routine_schema` describes,
    and what `parse_routine` reads back as the same routine."""
    return {"schema": SCHEMA, **to_table(routine)}


def routine_schema(exercise_ids: Sequence[str] = ()) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a routine file; `exercise_ids` become examples."""
    return document_schema(
        model.Routine,
        schema_id=f"urn:backtui:routine:schema-{SCHEMA}",
        title="backtui routine",
        description=(
            f"A backtui routine file, schema {SCHEMA}: the steps of a lower-back exercise "
            "routine, with any custom exercises it uses. Unknown keys are allowed (backtui "
            "warns about them and ignores them). The schema cannot know your own catalogue: "
            "`backtui validate FILE` also checks that every step's exercise exists."
        ),
        context=Context(exercise_ids=tuple(exercise_ids)),
        head={"schema": {"description": SCHEMA_HELP, "type": "integer", "const": SCHEMA}},
    )


def exercise_schema() -> dict[str, Any]:
    """The JSON Schema of one exercise table (`[exercises.ID]`); its id is the table's key."""
    return document_schema(
        model.Exercise,
        schema_id=f"urn:backtui:exercise:schema-{SCHEMA}",
        title="backtui exercise",
        description=(
            "One exercise: an [exercises.ID] table in a routine file, a catalogue file or "
            "your own catalogue folder. Its id, the table's key, is kebab-case ASCII of at "
            "most 64 characters."
        ),
    )
