"""`backtui schema`: JSON Schemas that accept what the reader accepts, and nothing else."""

import contextlib
import copy
import datetime
import io
import json
import tomllib

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from backtui.cli import main
from backtui.core import locations
from backtui.core.reader import Problems
from backtui.core.routine_file import parse_exercise, parse_routine
from backtui.core.settings import Settings
from backtui.core.spec import At, read_fields, to_table


def schema_of(capsys, name):
    assert main(["schema", name]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    schema = json.loads(out)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] and schema["title"] and schema["description"]
    return schema


class Printed:
    """A validator that Hypothesis can show in a report without printing the whole schema."""

    def __init__(self, schema):
        self.schema = schema
        self.validator = Draft202012Validator(schema)

    def is_valid(self, instance):
        return self.validator.is_valid(instance)

    def iter_errors(self, instance):
        return self.validator.iter_errors(instance)

    def __repr__(self):
        return f"<validator for {self.schema['title']}>"


@pytest.fixture(scope="module")
def routine_validator():
    """The schema as `backtui schema routine` prints it."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["schema", "routine"]) == 0
    return Printed(json.loads(out.getvalue()))


def starter_documents():
    return {
        path.name: tomllib.loads(path.read_text(encoding="utf-8"))
        for path in sorted(locations.starters_dir().glob("*.toml"))
    }


def catalogue_exercises():
    found = {}
    for path in sorted(locations.builtin_catalog_dir().glob("*.toml")):
        for exercise_id, table in tomllib.loads(path.read_text())["exercises"].items():
            found[exercise_id] = table
    return found


def test_routine_schema_accepts_every_starter_and_refuses_a_negative_hold(capsys, catalog):
    schema = schema_of(capsys, "routine")
    validator = Draft202012Validator(schema)
    documents = starter_documents()
    assert len(documents) >= 5
    for name, document in documents.items():
        assert list(validator.iter_errors(document)) == [], name
    bad = copy.deepcopy(documents["morning.toml"])
    bad["steps"][2]["hold_s"] = -5
    (error,) = validator.iter_errors(bad)
    assert list(error.absolute_path) == ["steps", 2, "hold_s"]
    step = schema["properties"]["steps"]["items"]["properties"]["exercise"]
    assert set(step["examples"]) == set(catalog)
    assert schema["required"] == ["schema", "name", "steps"]


def test_exercise_schema_accepts_every_catalogue_exercise(capsys):
    validator = Draft202012Validator(schema_of(capsys, "exercise"))
    exercises = catalogue_exercises()
    assert len(exercises) >= 21
    for exercise_id, table in exercises.items():
        assert list(validator.iter_errors(table)) == [], exercise_id
    table = dict(exercises["cat"], hold_s=-5)
    assert not validator.is_valid(table)
    assert not validator.is_valid({k: v for k, v in exercises["cat"].items() if k != "steps"})


def test_settings_schema(capsys):
    validator = Draft202012Validator(schema_of(capsys, "settings"))
    assert validator.is_valid(to_table(Settings()))
    assert validator.is_valid({})
    assert not validator.is_valid({"bell": "loud"})
    schema = validator.schema
    assert schema["properties"]["theme"]["default"] == Settings().theme


def test_theme_schema_accepts_every_shipped_theme(capsys):
    import tomllib

    from backtui.core import locations

    validator = Draft202012Validator(schema_of(capsys, "theme"))
    themes = sorted(locations.builtin_themes_dir().glob("*.toml"))
    assert len(themes) == 4
    for path in themes:
        assert validator.is_valid(tomllib.loads(path.read_text())), path
    assert not validator.is_valid({"name": "x"})  # primary is required


def test_schema_defaults_and_descriptions_come_from_the_declarations(capsys):
    schema = schema_of(capsys, "routine")
    breath = schema["properties"]["breath"]["properties"]
    assert breath["inhale_s"]["default"] == 4 and breath["exhale_s"]["maximum"] == 20
    step = schema["properties"]["steps"]["items"]["properties"]
    assert step["side"]["default"] == "both" and step["side"]["enum"] == ["both", "left", "right"]
    assert step["hold_s"]["title"] == "Hold (s)" and step["hold_s"]["description"]
    exercises = schema["properties"]["exercises"]
    assert exercises["propertyNames"]["maxLength"] == 64
    assert "additionalProperties" not in schema  # unknown keys are only warnings


def test_an_unknown_format_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["schema", "recipe"])
    assert raised.value.code == 2
    with pytest.raises(SystemExit) as raised:
        main(["schema"])
    assert raised.value.code == 2


# --- the limits, at and just past their maxima ---------------------------------------


def reader_accepts(document, catalog):
    return parse_routine(copy.deepcopy(document), catalog, Problems("gen")) is not None


def small_exercise(name="m"):
    return {
        "name": name,
        "spine": "flexion",
        "category": "stretch",
        "position": "any",
        "steps": ["a"],
    }


def tiny(**changes):
    return {"schema": 1, "name": "x", "steps": [{"exercise": "cat"}], **changes}


@pytest.mark.parametrize(
    ("document", "ok"),
    [
        (tiny(steps=[{"exercise": "cat"}] * 500), True),
        (tiny(steps=[{"exercise": "cat"}] * 501), False),
        (tiny(exercises={f"my-{i}": small_exercise() for i in range(200)}), True),
        (tiny(exercises={f"my-{i}": small_exercise() for i in range(201)}), False),
        (tiny(exercises={"my-x": dict(small_exercise(), steps=["s"] * 12)}), True),
        (tiny(exercises={"my-x": dict(small_exercise(), steps=["s"] * 13)}), False),
        (tiny(exercises={"my-x": dict(small_exercise(), aliases=["a"] * 50)}), True),
        (tiny(exercises={"my-x": dict(small_exercise(), aliases=["a"] * 51)}), False),
        (tiny(exercises={"my-x": dict(small_exercise(), counters=["cat"] * 51)}), False),
        (tiny(exercises={"a" * 64: small_exercise()}), True),
        (tiny(exercises={"a" * 65: small_exercise()}), False),
        (tiny(exercises={"my-x": small_exercise("n" * 80)}), True),
        (tiny(exercises={"my-x": small_exercise("n" * 81)}), False),
        (tiny(description="d" * 2000), True),
        (tiny(description="d" * 2001), False),
        (tiny(name="n" * 80), True),
        (tiny(name="n" * 81), False),
        (tiny(steps=[]), False),
    ],
    ids=lambda value: "" if isinstance(value, dict) else str(value),
)
def test_reader_and_schema_agree_at_the_limits(catalog, routine_validator, document, ok):
    assert reader_accepts(document, catalog) is ok
    assert routine_validator.is_valid(document) is ok


# --- the reader accepts exactly what the schema accepts -------------------------------
#
# Bad values are plain lists, so one test walks every (place, bad value) pair and a
# Hypothesis property mixes them, up to two at a time, into valid routines.

WHITE = " \t\n\r\x85\xa0\u3000"
HIDDEN = "\x1b\x07\x00\x7f\u202e\u2066"
chars = st.one_of(st.characters(codec="utf-8"), st.sampled_from(WHITE + HIDDEN))
visible_char = st.sampled_from("aZ9é-.\u4e2d")
custom_id = st.from_regex(r"\Amy-[a-z0-9]{1,6}(-[a-z0-9]{1,4})?\Z")
BAD_IDS = ["Cat", "cat\n", " cat", "cat ", "-cat", "cat--cow", "a" * 65, "", "c\u0430t", "cat_cow"]
NOT_TEXT = [True, 3, 2.5, [], {}, ["a"], datetime.date(2026, 1, 1)]
BLANK = ["", " ", "\t\n", "\x1b", "\x07\x00", "\u202e", WHITE, HIDDEN, WHITE + HIDDEN]


def text(max_len, *, visible=False):
    """Text that fits: any characters, some visible one if required, up to the limit."""
    body = st.text(chars, max_size=min(max_len - 1, 12))
    if not visible:
        return body | st.just("t" * max_len)
    with_one = st.builds(lambda a, v, b: (a + v + b)[:max_len], body, visible_char, body)
    return with_one | st.just("n" * max_len) | st.just(HIDDEN + "n" + WHITE)


def bad_texts(max_len, *, visible=False):
    return ["x" * (max_len + 1), *NOT_TEXT, *(BLANK if visible else [])]


def whole(low, high):
    return st.integers(low, high) | st.integers(low, high).map(float)


def bad_wholes(low, high):
    nan, inf = float("nan"), float("inf")
    return [low - 1, high + 1, float(high + 1), low + 0.5, 10**20, nan, inf, -inf, True, "3", []]


def bad_choices(values):
    return ["sideways", "", values[0].upper(), " " + values[0], values[0] + "\n", 1, True, []]


DOSE = {"reps": (1, 100), "hold_s": (1, 1800), "sets": (1, 10), "rest_s": (0, 600)}
SPINE = ["flexion", "extension", "neutral", "lateral", "rotation", "mixed"]
CATEGORY = ["stretch", "relaxation", "strengthening", "cold", "breathing"]
POSITION = ["supine", "prone", "quadruped", "side-lying", "kneeling", "standing", "any"]
SIDE = ["both", "left", "right"]
choice = st.sampled_from


@st.composite
def optional_keys(draw, strategies):
    """Some of the optional keys, each with a fitting value."""
    return {key: draw(value) for key, value in strategies.items() if draw(st.booleans())}


def an_exercise():
    required = st.fixed_dictionaries(
        {
            "name": text(80, visible=True),
            "spine": choice(SPINE),
            "category": choice(CATEGORY),
            "position": choice(POSITION),
            "steps": st.lists(text(500), min_size=1, max_size=3),
        }
    )
    optional = optional_keys(
        {
            "sided": st.booleans(),
            **{key: whole(*bounds) for key, bounds in DOSE.items()},
            "cue": text(500),
            "cautions": st.lists(text(500), max_size=2),
            "progressions": st.lists(custom_id | st.sampled_from(["cat", "cow"]), max_size=2),
            "counters": st.lists(st.sampled_from(["childs-pose", "no-such-move"]), max_size=2),
            "aliases": st.lists(text(500), max_size=2),
            "later-key": st.integers(),
        }
    )
    return st.builds(lambda a, b: {**a, **b}, required, optional)


def a_step(known):
    return st.builds(
        lambda exercise, rest: {"exercise": exercise, **rest},
        st.sampled_from(known),
        optional_keys(
            {
                **{key: whole(*bounds) for key, bounds in DOSE.items()},
                "side": choice(SIDE),
                "note": text(500),
                "speed": st.integers(),
            }
        ),
    )


@st.composite
def a_valid_routine(draw, catalog_ids):
    custom = draw(st.dictionaries(custom_id, an_exercise(), max_size=2))
    known = sorted(catalog_ids) + sorted(custom)
    document = {
        "schema": draw(st.sampled_from([1, 1.0])),
        "name": draw(text(80, visible=True)),
        "steps": draw(st.lists(a_step(known), min_size=1, max_size=3)),
    }
    document |= draw(
        optional_keys(
            {
                "description": text(2000),
                "breath": optional_keys({"inhale_s": whole(1, 15), "exhale_s": whole(1, 20)}),
                "colour": st.just("red"),
            }
        )
    )
    if custom:
        document["exercises"] = custom
    return document


# What breaks each value of a routine.
STEP_BREAKERS = {
    **{key: bad_wholes(*bounds) for key, bounds in DOSE.items()},
    "side": bad_choices(SIDE),
    "note": bad_texts(500),
    "exercise": [*BAD_IDS, 5, True, ["cat"]],
}
EXERCISE_BREAKERS = {
    **{key: bad_wholes(*bounds) for key, bounds in DOSE.items()},
    "name": bad_texts(80, visible=True),
    "spine": bad_choices(SPINE),
    "category": bad_choices(CATEGORY),
    "position": bad_choices(POSITION),
    "sided": ["true", 1, 0],
    "steps": [[], ["s"] * 13, "one step", [1], ["x" * 501]],
    "cue": bad_texts(500),
    "cautions": ["c", [1], ["c"] * 51, ["x" * 501]],
    "aliases": [[True], ["a"] * 51],
    "progressions": [[bad] for bad in BAD_IDS],
    "counters": [["ok", 1], "cat"],
    "regressions": [["x\n"], ["a" * 65]],
}
TOP_BREAKERS = {
    "schema": [2, 0, -1, 1.5, "1", True, [1]],
    "name": bad_texts(80, visible=True),
    "description": bad_texts(2000),
    "breath": [
        5,
        "4/6",
        [4, 6],
        *({"inhale_s": bad} for bad in bad_wholes(1, 15)),
        *({"exhale_s": bad} for bad in bad_wholes(1, 20)),
    ],
    "steps": [[], "cat", [1], [{"exercise": "cat"}, "cat"], {"exercise": "cat"}],
    "exercises": [5, [], {"my-x": 5}, {"my-x": {}}, "none", *({bad: {}} for bad in BAD_IDS)],
}
REQUIRED_TOP = ["schema", "name", "steps"]
REQUIRED_EXERCISE = ["name", "spine", "category", "position", "steps"]


@st.composite
def mutated(draw, document):
    """One thing broken, where an earlier mutation left something to break."""
    kind = draw(st.sampled_from(["top", "drop", "step", "exercise", "exercise-key"]))
    steps = [step for step in document.get("steps", ()) if isinstance(step, dict)]
    exercises = document.get("exercises")
    exercises = exercises if isinstance(exercises, dict) else {}
    tables = sorted(key for key, table in exercises.items() if isinstance(table, dict))
    if kind == "top":
        key = draw(st.sampled_from(sorted(TOP_BREAKERS)))
        document[key] = copy.deepcopy(draw(st.sampled_from(TOP_BREAKERS[key])))
    elif kind == "drop":
        document.pop(draw(st.sampled_from(REQUIRED_TOP)), None)
    elif kind == "step" and isinstance(document.get("steps"), list) and steps:
        step = draw(st.sampled_from(steps))
        key = draw(st.sampled_from(sorted(STEP_BREAKERS)))
        if key == "exercise" and draw(st.booleans()):
            step.pop("exercise", None)
        else:
            step[key] = draw(st.sampled_from(STEP_BREAKERS[key]))
    elif kind.startswith("exercise") and tables:
        exercise_id = draw(st.sampled_from(tables))
        if kind == "exercise-key":
            exercises[draw(st.sampled_from(BAD_IDS))] = exercises.pop(exercise_id)
        elif draw(st.booleans()):
            exercises[exercise_id].pop(draw(st.sampled_from(REQUIRED_EXERCISE)), None)
        else:
            key = draw(st.sampled_from(sorted(EXERCISE_BREAKERS)))
            exercises[exercise_id][key] = draw(st.sampled_from(EXERCISE_BREAKERS[key]))
    return document


@st.composite
def routine_documents(draw, catalog_ids):
    document = draw(a_valid_routine(catalog_ids))
    for _ in range(draw(st.integers(0, 2))):
        document = draw(mutated(document))
    return document


def every_broken_routine():
    """Each bad value in its place in a small valid routine (with one custom exercise)."""
    for key, values in TOP_BREAKERS.items():
        for value in values:
            yield f"{key}={value!r}", {key: value}, None, None
    for key in REQUIRED_TOP:
        yield f"no {key}", {key: DROP}, None, None
    for key, values in STEP_BREAKERS.items():
        for value in values:
            yield f"steps[1].{key}={value!r}", {}, {key: value}, None
    for key, values in EXERCISE_BREAKERS.items():
        for value in values:
            yield f"exercises.my-x.{key}={value!r}", {}, None, {key: value}
    for key in REQUIRED_EXERCISE:
        yield f"exercises.my-x without {key}", {}, None, {key: DROP}


DROP = object()


def apply(table, changes):
    for key, value in changes.items():
        if value is DROP:
            del table[key]
        else:
            table[key] = copy.deepcopy(value)


@pytest.mark.parametrize(
    ("top", "step", "exercise"),
    [case[1:] for case in every_broken_routine()],
    ids=[case[0][:60] for case in every_broken_routine()],
)
def test_every_bad_value_is_refused_by_the_reader_and_the_schema(
    catalog, routine_validator, top, step, exercise
):
    document = tiny(steps=[{"exercise": "my-x"}, {"exercise": "side-leg-raise", "side": "left"}])
    document["exercises"] = {"my-x": small_exercise()}
    assert reader_accepts(document, catalog) and routine_validator.is_valid(document)
    apply(document["steps"][0], step or {})
    apply(document["exercises"]["my-x"], exercise or {})
    apply(document, top)
    assert not routine_validator.is_valid(document)
    assert not reader_accepts(document, catalog)


@pytest.fixture(scope="module")
def catalog_ids(catalog):
    ids = sorted(catalog)
    assert not [i for i in ids if i.startswith("my-")]  # generated custom ids never clash
    return ids


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_the_reader_accepts_exactly_what_the_schema_accepts(
    catalog, catalog_ids, routine_validator, data
):
    document = data.draw(routine_documents(catalog_ids))
    problems = Problems("gen.toml")
    routine = parse_routine(copy.deepcopy(document), catalog, problems)
    schema_errors = [e.message for e in routine_validator.iter_errors(document)]
    reader_errors = [str(p) for p in problems if p.is_error]
    event("accepted" if routine is not None else "refused")
    assert (routine is not None) == (not schema_errors), (reader_errors, schema_errors)
    assert (routine is None) == bool(reader_errors)


@settings(max_examples=100, deadline=None)
@given(
    table=an_exercise(),
    key=st.sampled_from([None, *sorted(EXERCISE_BREAKERS)]),
    data=st.data(),
)
def test_the_exercise_reader_agrees_with_the_exercise_schema(table, key, data):
    from backtui.core.routine_file import exercise_schema

    if key is not None:
        table[key] = data.draw(st.sampled_from(EXERCISE_BREAKERS[key]))
    read = parse_exercise("my-move", copy.deepcopy(table), "exercises.my-move", Problems(""))
    assert (read is not None) == Draft202012Validator(exercise_schema()).is_valid(table)


@pytest.mark.parametrize(
    "table",
    [{}, {"bell": False}, {"theme": " "}, {"theme": "t" * 65}, {"bell": 1}, {"show_pacer": "no"}],
)
def test_the_settings_reader_agrees_with_the_settings_schema(capsys, table):
    validator = Draft202012Validator(schema_of(capsys, "settings"))
    problems = Problems("config.toml")
    read_fields(Settings, table, At(problems))
    assert (not problems.has_errors) == validator.is_valid(table)
