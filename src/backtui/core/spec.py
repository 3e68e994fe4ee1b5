"""One declaration per file format: each field's kind, range, default, help and label.

A format (an exercise, a step, the breath, a routine, the settings) is a
dataclass made with `@declared`, whose fields are made with `spec(KIND, help=…)`.
Everything else is derived from that one declaration:

- reading an untrusted TOML table, each bad value a located `Problem`
  (`read_object`, `read_fields`, `read_entry`),
- writing it as TOML, leaving out what is at an empty default (`to_table`, `dumps`),
- its JSON form (`to_json`, for `backtui catalog --json`),
- its JSON Schema, draft 2020-12 (`object_schema`, `document_schema`),
- the editor's form (the dose form walks `fields_of(Step)`).

So adding a field to a format is one edit. Rules that tie fields or files
together (a step's exercise must exist, a built-in id may not be redefined, …)
stay as code beside the reader that needs them (core/routine_file.py).

The reader and the schema agree by construction: both use the same numbers and
the same regular expressions (`ID_PATTERN`, `text.VISIBLE_PATTERN`), and the
patterns are written for `re.search`, as JSON Schema validators apply them.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar, dataclass_transform, overload

from backtui.core.reader import Problems, describe, number_text
from backtui.core.text import VISIBLE_PATTERN, clean, shorten

JSON_SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"

ID_MAX = 64
# `(?![\s\S])` is a true end of text: `$` would also match before a final newline.
# The pattern is written for JSON Schema (`re.search`); Python checks it with
# `fullmatch`, as every id, key and name pattern in the core is checked.
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*(?![\s\S])"
_ID = re.compile(ID_PATTERN)
_VISIBLE = re.compile(VISIBLE_PATTERN)

_SPEC = "backtui.spec"
_T = TypeVar("_T")
_K = TypeVar("_K", bound="Kind")


def is_id(value: object) -> bool:
    """Kebab-case ASCII, at most 64 characters, and nothing after it (not even a newline)."""
    return isinstance(value, str) and len(value) <= ID_MAX and _ID.fullmatch(value) is not None


def whole_number(value: object) -> int | None:
    """An integer, or a float with an integral value (JSON has no other); never a boolean."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return None


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()
"""What a kind's `read` gives back for a bad value, after recording the problem."""


@dataclass(frozen=True)
class At:
    """Where a value is in a file (`steps[3].hold_s`), and the problems to record there."""

    problems: Problems
    where: str = ""
    key: str = ""
    owner: str = ""  # the format being read ("routine"), for messages

    def __truediv__(self, key: str) -> At:
        return At(self.problems, f"{self.where}.{key}" if self.where else key, key, self.owner)

    def item(self, number: int) -> At:
        """The `number`th entry of a list, counting from 1 as people do."""
        return At(self.problems, f"{self.where}[{number}]", self.key, self.owner)

    def error(self, message: str) -> None:
        self.problems.error(self.where, message)

    def warning(self, message: str) -> None:
        self.problems.warning(self.where, message)


@dataclass(frozen=True)
class Context:
    """What a schema may mention that the declarations do not hold (the catalogue's ids)."""

    exercise_ids: tuple[str, ...] = ()


class Kind:
    """What one field holds: how to read it from TOML, write it back, and describe it."""

    def read(self, value: Any, at: At) -> Any:
        """The value to keep, or INVALID after recording a problem at `at`.

        Keyed tables keep their good entries when some have errors, so the rest of
        a file can still be checked against them; the errors still fail the file.
        """
        raise NotImplementedError

    def write(self, value: Any) -> Any:
        """The TOML value (tomli-w writes it)."""
        return value

    def to_json(self, value: Any) -> Any:
        return None if value is None else self.write(value)

    def schema(self, context: Context) -> dict[str, Any]:
        raise NotImplementedError

    def missing(self, at: At) -> str:
        return "missing (required)"

    def accepts(self, value: Any) -> bool:
        return self.read(value, At(Problems(""))) is not INVALID


@dataclass(frozen=True)
class Integer(Kind):
    low: int
    high: int
    unit: str = ""

    @property
    def bounds(self) -> tuple[int, int]:
        return self.low, self.high

    @property
    def span(self) -> str:
        return f"{self.low}–{self.high}{' ' + self.unit if self.unit else ''}"

    def read(self, value: Any, at: At) -> Any:
        number = whole_number(value)
        if number is None:
            at.error(f"must be a whole number {self.span}, got {describe(value)}")
            return INVALID
        if not self.low <= number <= self.high:
            shown = value if isinstance(value, float) else number_text(number)
            at.error(f"must be {self.span}, got {shown}")
            return INVALID
        return number

    def parse_text(self, text: str) -> tuple[int | None, str | None]:
        """A form's entry: (value, None), or (None, what is wrong); blank is (None, None)."""
        text = text.strip()
        if not text:
            return None, None
        try:
            value = int(text)
        except ValueError:
            return None, f"a whole number {self.span}"
        if not self.low <= value <= self.high:
            return None, f"must be {self.span}"
        return value, None

    def schema(self, context: Context) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.low, "maximum": self.high}


@dataclass(frozen=True)
class Text(Kind):
    max_len: int
    visible: bool = False  # must show at least one character (a name)
    multiline: bool = False

    def read(self, value: Any, at: At) -> Any:
        if not isinstance(value, str):
            at.error(f"must be text, got {describe(value)}")
            return INVALID
        if len(value) > self.max_len:
            at.error(f"must be at most {self.max_len} characters, got {len(value)}")
            return INVALID
        if self.visible and not _VISIBLE.search(value):
            # Zero-width and other hidden characters alone show nothing either.
            at.error("must not be empty" if not value.strip() else "must have a visible character")
            return INVALID
        return clean(value, multiline=self.multiline).strip()

    def schema(self, context: Context) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "maxLength": self.max_len}
        if self.visible:
            schema["pattern"] = VISIBLE_PATTERN
        return schema


@dataclass(frozen=True)
class Choice(Kind):
    enum: type[StrEnum]

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(member.value for member in self.enum)

    def read(self, value: Any, at: At) -> Any:
        if isinstance(value, str) and value in self.values:
            return self.enum(value)
        at.error(f"must be one of {' | '.join(self.values)}, got {describe(value)}")
        return INVALID

    def write(self, value: Any) -> Any:
        return value.value

    def schema(self, context: Context) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.values)}


@dataclass(frozen=True)
class Flag(Kind):
    def read(self, value: Any, at: At) -> Any:
        if not isinstance(value, bool):
            at.error(f"must be true or false, got {describe(value)}")
            return INVALID
        return value

    def schema(self, context: Context) -> dict[str, Any]:
        return {"type": "boolean"}


@dataclass(frozen=True)
class TextList(Kind):
    item: Text
    min_items: int = 0
    max_items: int = 50

    def read(self, value: Any, at: At) -> Any:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            at.error(f"must be a list of text, got {describe(value)}")
            return INVALID
        if not self.min_items <= len(value) <= self.max_items:
            at.error(f"must have {self.min_items}–{self.max_items} entries, got {len(value)}")
            return INVALID
        items = [self.item.read(text, at.item(number)) for number, text in enumerate(value, 1)]
        return INVALID if INVALID in items else tuple(items)

    def write(self, value: Any) -> Any:
        return list(value)

    def schema(self, context: Context) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.schema(context)}
        if self.min_items:
            schema["minItems"] = self.min_items
        schema["maxItems"] = self.max_items
        return schema


@dataclass(frozen=True)
class Id(Kind):
    """An exercise id: kebab-case ASCII, at most 64 characters (the key of `[exercises.ID]`)."""

    def read(self, value: Any, at: At) -> Any:
        if not is_id(value):
            at.error("id must be kebab-case ASCII (a-z, 0-9, -), at most 64 characters")
            return INVALID
        return value

    def schema(self, context: Context) -> dict[str, Any]:
        return {"type": "string", "maxLength": ID_MAX, "pattern": ID_PATTERN}


@dataclass(frozen=True)
class IdList(Kind):
    max_items: int = 50

    def read(self, value: Any, at: At) -> Any:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            at.error(f"must be a list of text, got {describe(value)}")
            return INVALID
        if len(value) > self.max_items:
            at.error(f"must have 0–{self.max_items} entries, got {len(value)}")
            return INVALID
        for item in value:
            if not is_id(item):
                shown = shorten(repr(item), 40)
                at.error(f"{shown} is not an exercise id (kebab-case, ≤ {ID_MAX} characters)")
                return INVALID
        return tuple(value)

    def write(self, value: Any) -> Any:
        return list(value)

    def schema(self, context: Context) -> dict[str, Any]:
        return {"type": "array", "items": Id().schema(context), "maxItems": self.max_items}


@dataclass(frozen=True)
class ExerciseRef(Kind):
    """A step's exercise. Whether it exists is the routine file's to check: it needs the
    catalogue and the file's own [exercises]."""

    def read(self, value: Any, at: At) -> Any:
        if not isinstance(value, str):
            at.error(f"must be an exercise id, got {describe(value)}")
            return INVALID
        return value

    def schema(self, context: Context) -> dict[str, Any]:
        schema = Id().schema(context)
        if context.exercise_ids:
            schema["examples"] = list(context.exercise_ids)
        return schema


@dataclass(frozen=True)
class Nested(Kind):
    """A table of another format (`[breath]`)."""

    cls: type

    def read(self, value: Any, at: At) -> Any:
        if not isinstance(value, dict):
            at.error(f"must be a table, got {describe(value)}")
            return INVALID
        found = read_object(self.cls, value, at)
        return INVALID if found is None else found

    def write(self, value: Any) -> Any:
        return to_table(value)

    def to_json(self, value: Any) -> Any:
        return None if value is None else to_json(value)

    def schema(self, context: Context) -> dict[str, Any]:
        return object_schema(self.cls, context)


@dataclass(frozen=True)
class TableList(Kind):
    """An array of tables of another format (`[[steps]]`)."""

    cls: type
    min_items: int
    max_items: int

    def missing(self, at: At) -> str:
        return f"missing (required): {self._needs(at)}"

    def _needs(self, at: At) -> str:
        count = "one" if self.min_items == 1 else str(self.min_items)
        return f"a {at.owner} needs at least {count} [[{at.key}]]"

    def too_many(self, value: Any, at: At) -> bool:
        """Check the count alone: a limit refused before anything else is read."""
        if isinstance(value, list) and len(value) > self.max_items:
            at.error(f"at most {self.max_items} {at.key}, got {len(value)}")
            return True
        return False

    def read(self, value: Any, at: At) -> Any:
        if value == [] and self.min_items:
            at.error(f"is empty: {self._needs(at)} table")
            return INVALID
        if not isinstance(value, list):
            span = f"{self.min_items}–{self.max_items}"
            at.error(f"must be {span} [[{at.key}]] tables, got {describe(value)}")
            return INVALID
        if self.too_many(value, at):
            return INVALID
        if len(value) < self.min_items:
            at.error(f"must have at least {self.min_items} [[{at.key}]] tables, got {len(value)}")
            return INVALID
        items: list[Any] = []
        for number, table in enumerate(value, 1):
            if not isinstance(table, dict):
                at.item(number).error(f"must be a table, got {describe(table)}")
                items.append(None)
                continue
            items.append(read_object(self.cls, table, at.item(number)))
        return INVALID if None in items else tuple(items)

    def write(self, value: Any) -> Any:
        return [to_table(item) for item in value]

    def to_json(self, value: Any) -> Any:
        return [to_json(item) for item in value]

    def schema(self, context: Context) -> dict[str, Any]:
        return {
            "type": "array",
            "minItems": self.min_items,
            "maxItems": self.max_items,
            "items": object_schema(self.cls, context),
        }


@dataclass(frozen=True)
class KeyedTables(Kind):
    """Tables of another format by their key (`[exercises.ID]`); the key is its key field."""

    cls: type
    max_items: int
    noun: str  # what the tables are, for the limit's message

    def too_many(self, value: Any, at: At) -> bool:
        if isinstance(value, dict) and len(value) > self.max_items:
            at.error(f"at most {self.max_items} {self.noun}, got {len(value)}")
            return True
        return False

    def read(self, value: Any, at: At) -> Any:
        if not isinstance(value, dict):
            at.error(f"must be a table of {at.key}, got {describe(value)}")
            return INVALID
        if self.too_many(value, at):
            return INVALID
        # The good entries are kept (their errors are recorded): the rest of the
        # file can still be checked against them.
        found = {key: read_entry(self.cls, key, table, at / key) for key, table in value.items()}
        return {key: entry for key, entry in found.items() if entry is not None}

    def write(self, value: Any) -> Any:
        return {key: to_table(item) for key, item in value.items()}

    def to_json(self, value: Any) -> Any:
        return {key: to_json(item) for key, item in value.items()}

    def schema(self, context: Context) -> dict[str, Any]:
        return {
            "type": "object",
            "maxProperties": self.max_items,
            "propertyNames": key_field(self.cls).kind.schema(context),
            "additionalProperties": object_schema(self.cls, context),
        }


# --- the declaration ---------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    kind: Kind
    help: str
    label: str = ""
    key: bool = False  # the table's key (`[exercises.ID]`), not a value inside the table
    sided_only: bool = False  # only for moves done one side at a time
    reps_only: bool = False  # only for moves done in repetitions
    absent_means: Any = None  # what leaving the value out means, when not the default


@overload
def spec(
    kind: Kind,
    *,
    help: str,
    label: str = "",
    key: bool = False,
    sided_only: bool = False,
    reps_only: bool = False,
    absent_means: Any = None,
) -> Any: ...
@overload
def spec(
    kind: Kind,
    *,
    default: _T,
    help: str,
    label: str = "",
    key: bool = False,
    sided_only: bool = False,
    reps_only: bool = False,
    absent_means: Any = None,
) -> _T: ...
@overload
def spec(
    kind: Kind,
    *,
    default_factory: Callable[[], _T],
    help: str,
    label: str = "",
    key: bool = False,
    sided_only: bool = False,
    reps_only: bool = False,
    absent_means: Any = None,
) -> _T: ...
def spec(
    kind: Kind,
    *,
    default: Any = dataclasses.MISSING,
    default_factory: Any = dataclasses.MISSING,
    help: str,
    label: str = "",
    key: bool = False,
    sided_only: bool = False,
    reps_only: bool = False,
    absent_means: Any = None,
) -> Any:
    """A dataclass field that declares what it holds; a field without a default is required."""
    return dataclasses.field(
        default=default,
        default_factory=default_factory,
        metadata={_SPEC: FieldSpec(kind, help, label, key, sided_only, reps_only, absent_means)},
    )


@dataclass_transform(field_specifiers=(dataclasses.field, spec))
def declared(*, frozen: bool = False, slots: bool = False) -> Callable[[type[_T]], type[_T]]:
    """`@dataclass` for a declared format (so type checkers know `spec` makes fields)."""

    def make(cls: type[_T]) -> type[_T]:
        return dataclasses.dataclass(frozen=frozen, slots=slots)(cls)

    return make


@dataclass(frozen=True)
class SpecField:
    """One declared field, as the reader, writer, schema and forms see it."""

    name: str
    spec: FieldSpec
    required: bool
    default: Any  # the default value (None for a required field)

    @property
    def kind(self) -> Kind:
        return self.spec.kind

    @property
    def key(self) -> bool:
        return self.spec.key

    @property
    def label(self) -> str:
        return self.spec.label or self.name

    @property
    def help(self) -> str:
        return self.spec.help


_FIELDS: dict[type, tuple[SpecField, ...]] = {}


def fields_of(cls: type) -> tuple[SpecField, ...]:
    """The declared fields of a format, in declaration order."""
    if (known := _FIELDS.get(cls)) is not None:
        return known
    found = []
    for field in dataclasses.fields(cls):
        if _SPEC not in field.metadata:
            continue
        required = (
            field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        )
        if field.default is not dataclasses.MISSING:
            default = field.default
        elif field.default_factory is not dataclasses.MISSING:
            default = field.default_factory()
        else:
            default = None
        found.append(SpecField(field.name, field.metadata[_SPEC], required, default))
    _FIELDS[cls] = tuple(found)
    return _FIELDS[cls]


def field_of(cls: type, name: str) -> SpecField:
    for field in fields_of(cls):
        if field.name == name:
            return field
    raise KeyError(f"{cls.__name__} declares no field {name!r}")


def kind_of(cls: type, name: str, kind: type[_K]) -> _K:
    """A field's kind, of the kind expected (for the constants other modules use)."""
    found = field_of(cls, name).kind
    if not isinstance(found, kind):
        raise TypeError(f"{cls.__name__}.{name} is {type(found).__name__}, not {kind.__name__}")
    return found


def key_field(cls: type) -> SpecField:
    return next(field for field in fields_of(cls) if field.key)


def table_keys(cls: type) -> tuple[str, ...]:
    """The keys a table of this format may hold."""
    return tuple(field.name for field in fields_of(cls) if not field.key)


# --- reading -----------------------------------------------------------------------


def read_fields(
    cls: type, table: Mapping[str, Any], at: At, *, also: Iterable[str] = ()
) -> dict[str, Any]:
    """The good values of a table by field name; a located problem for each bad one.

    Missing required keys are errors, unknown keys warnings (an older backtui can
    read a newer file's additions); `also` names keys that are read elsewhere.
    """
    inside = dataclasses.replace(at, owner=cls.__name__.lower())
    values: dict[str, Any] = {}
    for field in fields_of(cls):
        if field.key:
            continue
        place = inside / field.name
        if field.name not in table:
            if field.required:
                place.error(field.kind.missing(place))
            continue
        value = field.kind.read(table[field.name], place)
        if value is not INVALID:
            values[field.name] = value
    known = {*table_keys(cls), *also}
    for key in table:
        if key not in known:
            (inside / key).warning("unknown key, ignored")
    return values


def read_object(cls: type[_T], table: Mapping[str, Any], at: At, **given: Any) -> _T | None:
    """One table as an object of the format; None if it has any error."""
    before = len(at.problems)
    values = read_fields(cls, table, at)
    if any(problem.is_error for problem in at.problems[before:]):
        return None
    return cls(**given, **values)


def read_entry(cls: type[_T], key: str, table: Any, at: At) -> _T | None:
    """One `[exercises.KEY]`-style table; the key becomes the object's key field."""
    field = key_field(cls)
    if field.kind.read(key, at) is INVALID:
        return None
    if not isinstance(table, dict):
        at.error(f"must be a table, got {describe(table)}")
        return None
    return read_object(cls, table, at, **{field.name: key})


def over_limits(cls: type, table: Mapping[str, Any], at: At) -> bool:
    """Refuse oversized lists and tables before looking at a single entry."""
    for field in fields_of(cls):
        if (
            isinstance(field.kind, TableList | KeyedTables)
            and field.name in table
            and field.kind.too_many(table[field.name], at / field.name)
        ):
            return True
    return False


# --- writing -----------------------------------------------------------------------


def _left_out(field: SpecField, value: Any) -> bool:
    # A default that means "nothing" (None, "", [], false) is left out; a real one
    # (4 s in, 6 s out) is written, so the file says what it does.
    return not field.required and not field.default and value == field.default


def to_table(obj: Any) -> dict[str, Any]:
    """An object as a TOML table, in declaration order, leaving out empty defaults."""
    table: dict[str, Any] = {}
    for field in fields_of(type(obj)):
        value = getattr(obj, field.name)
        if field.key or _left_out(field, value):
            continue
        table[field.name] = field.kind.write(value)
    return table


def to_json(obj: Any) -> dict[str, Any]:
    """An object as JSON: every field, defaults included (its key field too)."""
    return {
        field.name: field.kind.to_json(getattr(obj, field.name)) for field in fields_of(type(obj))
    }


def dumps(obj: Any, head: Mapping[str, Any] | None = None) -> str:
    """An object as a TOML document, `head` first (`schema = 1`).

    Arrays of tables are written as `[[steps]]` blocks, the form people read and
    edit by hand (tomli-w would fold short ones into one inline array); keyed
    tables (`[exercises.ID]`) come last.
    """
    import tomli_w  # only for writing: reading never needs it

    table = to_table(obj)
    first: dict[str, Any] = dict(head or {})
    blocks: list[str] = []
    last: dict[str, Any] = {}
    for field in fields_of(type(obj)):
        if field.name not in table:
            continue
        if isinstance(field.kind, TableList):
            blocks.extend(
                f"\n[[{field.name}]]\n{tomli_w.dumps(item)}" for item in table[field.name]
            )
        elif isinstance(field.kind, KeyedTables):
            last[field.name] = table[field.name]
        else:
            first[field.name] = table[field.name]
    parts = [tomli_w.dumps(first), *blocks]
    if last:
        parts.append("\n" + tomli_w.dumps(last))
    return "".join(parts)


# --- JSON Schema -------------------------------------------------------------------


def object_schema(cls: type, context: Context) -> dict[str, Any]:
    """The JSON Schema of a table of this format; unknown keys stay allowed, as in the reader."""
    properties: dict[str, Any] = {}
    required = []
    for field in fields_of(cls):
        if field.key:
            continue
        prop: dict[str, Any] = {"description": field.help}
        if field.spec.label:
            prop["title"] = field.spec.label
        prop.update(field.kind.schema(context))
        default = field.default if field.spec.absent_means is None else field.spec.absent_means
        if not field.required and default is not None:
            prop["default"] = field.kind.to_json(default)
        properties[field.name] = prop
        if field.required:
            required.append(field.name)
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def document_schema(
    cls: type,
    *,
    schema_id: str,
    title: str,
    description: str,
    context: Context | None = None,
    head: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A whole file's JSON Schema; `head` adds required keys read outside the format."""
    body = object_schema(cls, context or Context())
    if head:
        body["properties"] = {**head, **body["properties"]}
        body["required"] = [*head, *body.get("required", [])]
    return {
        "$schema": JSON_SCHEMA_DRAFT,
        "$id": schema_id,
        "title": title,
        "description": description,
        **body,
    }


# --- tables with no declared format (themes, a catalogue file's header) -------------


class Fields:
    """Typed access to one TOML table, recording a located problem for each bad value."""

    def __init__(self, table: dict[str, Any], where: str, problems: Problems) -> None:
        self.table = table
        self.at = At(problems, where)

    def error(self, key: str, message: str) -> None:
        (self.at / key).error(message)

    def get(self, key: str, kind: Kind, *, required: bool = False) -> Any:
        place = self.at / key
        if key not in self.table:
            if required:
                place.error(kind.missing(place))
            return None
        value = kind.read(self.table[key], place)
        return None if value is INVALID else value

    def integer(self, key: str, bounds: tuple[int, int], unit: str = "") -> int | None:
        low, high = bounds
        result: int | None = self.get(key, Integer(low, high, unit))
        return result

    def text(
        self, key: str, max_len: int, *, required: bool = False, multiline: bool = False
    ) -> str | None:
        kind = Text(max_len, visible=required, multiline=multiline)
        result: str | None = self.get(key, kind, required=required)
        return result

    def flag(self, key: str) -> bool | None:
        result: bool | None = self.get(key, Flag())
        return result

    def warn_unknown(self, known: Iterable[str]) -> None:
        known = set(known)
        for key in self.table:
            if key not in known:
                (self.at / key).warning("unknown key, ignored")
