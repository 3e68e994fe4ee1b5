"""Each file format is declared once; the reader, writer, JSON, schema and form follow."""

import math
import re
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backtui.core import model
from backtui.core.model import Breath, Exercise, Routine, Side, Step
from backtui.core.reader import Problems
from backtui.core.routine_file import dumps_routine, loads_routine
from backtui.core.settings import Settings, load_settings
from backtui.core.spec import (
    ID_PATTERN,
    At,
    Context,
    Integer,
    TableList,
    Text,
    declared,
    dumps,
    fields_of,
    is_id,
    object_schema,
    read_object,
    spec,
    table_keys,
    to_json,
    to_table,
    whole_number,
)
from backtui.core.text import VISIBLE_PATTERN, clean
from backtui.tui.screens.dose_form import form_fields
from helpers import write

ROUTINE = "schema = 1\nname = 'x'\n[[steps]]\nexercise = 'cat'\n"


def errors(problems):
    return [str(p) for p in problems if p.is_error]


# --- a format is one declaration --------------------------------------------------


@declared(frozen=True, slots=True)
class Pose:
    name: str = spec(Text(20, visible=True), label="Name", help="What the pose is called.")
    tempo: int | None = spec(
        Integer(1, 4, "beats"), default=None, label="Tempo", help="Beats per breath."
    )


@declared(frozen=True)
class Flow:
    title: str = spec(Text(40, visible=True), help="The flow's title.")
    poses: tuple[Pose, ...] = spec(TableList(Pose, 1, 3), help="The poses, in order.")


def test_a_new_format_is_read_written_and_described_from_its_declaration():
    problems = Problems("flow.toml")
    table = {"title": "Sun", "poses": [{"name": "Up"}, {"name": "Down", "tempo": 2}]}
    flow = read_object(Flow, table, At(problems))
    assert errors(problems) == []
    assert flow == Flow("Sun", (Pose("Up"), Pose("Down", 2)))
    text = dumps(flow)
    assert text == (
        'title = "Sun"\n\n[[poses]]\nname = "Up"\n\n[[poses]]\nname = "Down"\ntempo = 2\n'
    )
    assert read_object(Flow, tomllib.loads(text), At(Problems(""))) == flow
    assert to_json(flow)["poses"][0] == {"name": "Up", "tempo": None}
    schema = object_schema(Flow, Context())
    tempo = schema["properties"]["poses"]["items"]["properties"]["tempo"]
    assert tempo == {
        "description": "Beats per breath.",
        "title": "Tempo",
        "type": "integer",
        "minimum": 1,
        "maximum": 4,
    }
    assert schema["required"] == ["title", "poses"]


def test_a_new_formats_problems_are_located_with_the_shared_messages():
    problems = Problems("flow.toml")
    table = {"title": " ", "poses": [{"name": "Up", "tempo": 9}, {"tempo": 1.5}], "x": 1}
    assert read_object(Flow, table, At(problems)) is None
    assert [str(p) for p in problems] == [
        "flow.toml: title: error: must not be empty",
        "flow.toml: poses[1].tempo: error: must be 1–4 beats, got 9",
        "flow.toml: poses[2].name: error: missing (required)",
        "flow.toml: poses[2].tempo: error: must be a whole number 1–4 beats, got 1.5 (a decimal number)",
        "flow.toml: x: warning: unknown key, ignored",
    ]
    problems = Problems("flow.toml")
    read_object(Flow, {"title": "t"}, At(problems))
    assert errors(problems) == [
        "flow.toml: poses: error: missing (required): a flow needs at least one [[poses]]"
    ]


@declared(frozen=True, slots=True)
class StepWithTempo(Step):
    tempo: int | None = spec(Integer(1, 4), default=None, label="Tempo", help="Beats per rep.")


def test_adding_a_field_to_step_is_one_edit(catalog):
    """The one declaration above is all it takes: reading, writing, JSON, schema and form."""
    problems = Problems("r.toml")
    step = read_object(StepWithTempo, {"exercise": "cat", "tempo": 3}, At(problems))
    assert step == StepWithTempo("cat", tempo=3) and list(problems) == []
    read_object(StepWithTempo, {"exercise": "cat", "tempo": 0}, At(problems, "steps[2]"))
    assert errors(problems) == ["r.toml: steps[2].tempo: error: must be 1–4, got 0"]
    assert to_table(step) == {"exercise": "cat", "tempo": 3}
    assert to_json(step)["tempo"] == 3
    assert "tempo" in object_schema(StepWithTempo, Context())["properties"]
    assert "tempo" in table_keys(StepWithTempo)
    labels = [field.label for field in form_fields(catalog["cat"], StepWithTempo)]
    assert labels[-2:] == ["Note", "Tempo"] and labels[:4] == [
        "Reps",
        "Hold (s)",
        "Sets",
        "Rest (s)",
    ]


def test_the_form_offers_every_settable_step_field_side_only_for_sided_moves(catalog):
    sided = [field.name for field in form_fields(catalog["side-leg-raise"])]
    both = [field.name for field in form_fields(catalog["superman"])]
    hold = [field.name for field in form_fields(catalog["childs-pose"])]
    tempo = ["lift_s", "lower_s", "self_paced"]
    assert sided == ["reps", "hold_s", "sets", "side", "rest_s", *tempo, "note"]
    assert both == ["reps", "hold_s", "sets", "rest_s", *tempo, "note"]
    assert hold == ["reps", "hold_s", "sets", "rest_s", "note"]  # no tempo for a hold
    assert set(table_keys(Step)) - set(sided) == {"exercise"}  # chosen in the catalogue


# --- the reader, writer and JSON follow the declarations ----------------------------


def test_the_files_keys_are_the_declared_fields():
    assert table_keys(Step) == (
        "exercise",
        "reps",
        "hold_s",
        "sets",
        "side",
        "rest_s",
        "lift_s",
        "lower_s",
        "self_paced",
        "note",
    )
    assert table_keys(Breath) == ("inhale_s", "exhale_s")
    assert table_keys(Routine) == ("name", "steps", "description", "breath", "exercises")
    assert "id" not in table_keys(Exercise)  # the id is the key of [exercises.ID]
    assert table_keys(Settings) == (
        "theme",
        "bell",
        "pain_ratings",
        "show_pacer",
        "inhale_s",
        "exhale_s",
        "rest_s",
        "get_ready_s",
        "position_change_s",
        "keymap",
    )


def test_contract_ranges_are_what_the_declarations_say():
    assert (model.REPS_RANGE, model.HOLD_RANGE, model.SETS_RANGE, model.REST_RANGE) == (
        (1, 100),
        (1, 1800),
        (1, 10),
        (0, 600),
    )
    assert (model.INHALE_RANGE, model.EXHALE_RANGE) == ((1, 15), (1, 20))
    assert (model.NAME_MAX, model.DESCRIPTION_MAX, model.NOTE_MAX, model.TEXT_MAX) == (
        80,
        2000,
        500,
        500,
    )
    assert (model.MAX_STEPS, model.MAX_CUSTOM_EXERCISES, model.MAX_EXERCISE_STEPS) == (500, 200, 12)
    assert model.ID_MAX == 64


def test_every_declared_field_has_help_and_every_step_form_field_a_label():
    for cls in (Exercise, Step, Breath, Routine, Settings):
        for field in fields_of(cls):
            assert field.help.strip(), (cls, field.name)
    for field in fields_of(Step):
        assert field.spec.label, field.name


def test_writing_leaves_out_empty_defaults_and_keeps_real_ones():
    assert to_table(Step("cat")) == {"exercise": "cat"}
    assert to_table(Step("cat", side=Side.LEFT, note="n")) == {
        "exercise": "cat",
        "side": "left",
        "note": "n",
    }
    assert to_table(Breath()) == {"inhale_s": 4, "exhale_s": 6}  # the file says its pacing
    assert to_table(Settings(bell=False)) == {
        "theme": "calm-night",
        "bell": False,
        "pain_ratings": True,
        "show_pacer": True,
        "inhale_s": 4,
        "exhale_s": 6,  # rest_s is absent: each exercise's own
        "get_ready_s": 10,
        "position_change_s": 10,
    }


def test_json_has_every_key_with_its_default(catalog):
    entry = to_json(catalog["cat"])
    assert list(entry) == [field.name for field in fields_of(Exercise)]
    assert entry["id"] == "cat" and entry["spine"] == "flexion"
    assert to_json(Step("cat")) == {
        "exercise": "cat",
        "reps": None,
        "hold_s": None,
        "sets": None,
        "side": None,
        "rest_s": None,
        "lift_s": None,
        "lower_s": None,
        "self_paced": False,
        "note": "",
    }


# --- what the reader accepts ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("30", 30), ("30.0", 30), ("1e3", 1000), ("-0.0", None), ("30.5", None)],
)
def test_a_whole_number_may_be_written_as_a_float(catalog, value, expected):
    result = loads_routine(f"{ROUTINE}hold_s = {value}\n".encode(), catalog, "f.toml")
    if expected is None:
        assert result.routine is None
    else:
        assert result.routine.steps[0].hold_s == expected
        assert "hold_s = " + str(expected) in dumps_routine(result.routine)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("nan", "nan (a decimal number)"),
        ("inf", "inf (a decimal number)"),
        ("-inf", "-inf (a decimal number)"),
        ("true", "true (true/false)"),
        ("2.5", "2.5 (a decimal number)"),
    ],
)
def test_not_a_whole_number(catalog, value, shown):
    result = loads_routine(f"{ROUTINE}sets = {value}\n".encode(), catalog, "f.toml")
    assert [str(p) for p in result.problems] == [
        f"f.toml: steps[1].sets: error: must be a whole number 1–10, got {shown}"
    ]


def test_whole_number():
    assert [whole_number(v) for v in (3, 3.0, -2.0, True, 2.5, math.nan, math.inf, "3")] == [
        3,
        3,
        -2,
        None,
        None,
        None,
        None,
        None,
    ]


def test_schema_header_may_be_a_float_too(catalog):
    text = ROUTINE.replace("schema = 1", "schema = 1.0")
    assert loads_routine(text.encode(), catalog, "f.toml").ok


@pytest.mark.parametrize(
    "bad", ["wall-angel\n", " cat", "cat ", "Cat", "-cat", "cat--cow", "a" * 65]
)
def test_an_id_is_kebab_case_to_its_very_end(bad):
    assert not is_id(bad)
    assert len(bad) > model.ID_MAX or not re.search(ID_PATTERN, bad)  # maxLength, or the pattern


def test_a_trailing_newline_in_an_id_is_refused_everywhere(catalog):
    text = (
        'schema = 1\nname = "x"\n[[steps]]\nexercise = "my-move"\n'
        '[exercises.my-move]\nname = "m"\nspine = "flexion"\ncategory = "stretch"\n'
        'position = "any"\nsteps = ["a"]\ncounters = ["cat\\n"]\n'
    )
    result = loads_routine(text.encode(), catalog, "n.toml")
    assert errors(result.problems) == [
        "n.toml: exercises.my-move.counters: error: 'cat\\n' is not an exercise id "
        "(kebab-case, ≤ 64 characters)",
    ]
    keyed = text.replace("[exercises.my-move]", '[exercises."my-move\\n"]').replace(
        'counters = ["cat\\n"]', ""
    )
    assert "id must be kebab-case" in loads_routine(keyed.encode(), catalog, "n.toml").first_error


def test_a_bad_setting_keeps_its_default_and_the_good_ones_apply(tmp_path):
    path = write(tmp_path / "config.toml", "bell = 'loud'\nshow_pacer = false\ntheme = ' '\n")
    settings, problems = load_settings(path)
    assert settings == Settings(show_pacer=False)
    assert [p.where for p in problems] == ["theme", "bell"]


# --- required text: the reader's test is the schema's pattern -----------------------

odd_text = st.text(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(" \t\n\r\x0b\x0c\x1b\x07\x00\x7f\x85\xa0\u2028\u202e\u2066\u3000\ufeff"),
    ),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(odd_text)
def test_visible_text_is_exactly_what_cleaning_leaves_something_of(text):
    shows = re.search(VISIBLE_PATTERN, text) is not None
    assert shows == bool(clean(text).strip()) == bool(clean(text, multiline=True).strip())
