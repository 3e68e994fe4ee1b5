from pathlib import Path

import pytest

from backtui.core.model import Breath, Routine, Side, Step
from backtui.core.routine_file import dumps_routine, loads_routine, read_routine
from helpers import write

GOOD = """\
schema = 1
name = "Morning reset"
description = "Wake the back gently."

[breath]
inhale_s = 4
exhale_s = 6

[[steps]]
exercise = "prone-press-up"
reps = 10
hold_s = 3
rest_s = 15
note = "only as far as is comfortable"

[[steps]]
exercise = "doorway-twist"
side = "left"

[[steps]]
exercise = "my-rock"

[exercises.my-rock]
name = "My rock"
spine = "flexion"
category = "stretch"
position = "supine"
hold_s = 20
steps = ["Hug the knees.", "Rock gently."]
"""


def errors(result):
    return [str(p) for p in result.problems if p.is_error]


def test_reads_a_good_file(catalog):
    result = loads_routine(GOOD.encode(), catalog, "good.toml")
    assert errors(result) == []
    routine = result.routine
    assert routine.name == "Morning reset"
    assert routine.breath == Breath(4, 6)
    assert routine.steps[0] == Step(
        "prone-press-up", reps=10, hold_s=3, rest_s=15, note="only as far as is comfortable"
    )
    assert routine.steps[1].side is Side.LEFT
    assert routine.exercises["my-rock"].hold_s == 20


def test_write_then_read_gives_an_equal_routine(catalog):
    routine = loads_routine(GOOD.encode(), catalog, "good.toml").routine
    again = loads_routine(dumps_routine(routine).encode(), catalog, "again.toml").routine
    assert again == routine


def test_bom_and_crlf_are_accepted(catalog):
    data = b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode()
    assert loads_routine(data, catalog, "win.toml").routine is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('schema = 1\nname = "x\n', "bad.toml:2:"),
        (
            "schema = 2\nname = 'x'\n[[steps]]\nexercise = 'cat'\n",
            "bad.toml: schema: error: this file is schema 2, newer than this backtui understands",
        ),
        ("name = 'x'\n[[steps]]\nexercise = 'cat'\n", "bad.toml: schema: error: missing"),
        (
            "schema = 1\nname = 'x'\n[[steps]]\nexercise = 'cat'\nhold_s = -5\n",
            "bad.toml: steps[1].hold_s: error: must be 1–1800 seconds, got -5",
        ),
        (
            "schema = 1\nname = 'x'\n[[steps]]\nexercise = 'cat'\n[[steps]]\nexercise = 'kneez-to-chest'\n",
            "bad.toml: steps[2].exercise: error: unknown exercise 'kneez-to-chest' "
            "(did you mean 'knees-to-chest'?)",
        ),
        (
            "schema = 1\nname = 'x'\n[[steps]]\nexercise = 'cat'\nreps = 'ten'\n",
            "bad.toml: steps[1].reps: error: must be a whole number 1–100, got 'ten' (text)",
        ),
        (
            "schema = 1\nname = 'x'\n[[steps]]\nexercise = 'cat'\nreps = true\n",
            "steps[1].reps: error: must be a whole number 1–100, got true (true/false)",
        ),
        (
            "schema = 1\nname = 'x'\n[[steps]]\nexercise = 'cat'\nsets = 2.5\n",
            "steps[1].sets: error: must be a whole number 1–10, got 2.5 (a decimal number)",
        ),
        (
            "schema = 1\nname = 5\n[[steps]]\nexercise = 'cat'\n",
            "bad.toml: name: error: must be text, got 5",
        ),
        ("schema = 1\nname = ''\n[[steps]]\nexercise = 'cat'\n", "name: error: must not be empty"),
        ("schema = 1\nname = 'x'\nsteps = 'cat'\n", "steps: error: must be 1–500 [[steps]] tables"),
        ("schema = 1\nname = 'x'\n", "steps: error: missing (required)"),
        (
            "schema = 1\nname = 'x'\n[breath]\ninhale_s = 30\n[[steps]]\nexercise = 'cat'\n",
            "breath.inhale_s: error: must be 1–15 seconds, got 30",
        ),
        (
            "schema = 1\nname = 'x'\n[[steps]]\nexercise = 'doorway-twist'\nside = 'up'\n",
            "steps[1].side: error: must be one of both | left | right, got 'up' (text)",
        ),
        (
            "schema = 1\nname = 'x'\n[[steps]]\nexercise = 'cat'\n[exercises.childs-pose]\n"
            "name = 'c'\nspine = 'extension'\ncategory = 'stretch'\nposition = 'any'\nsteps = ['a']\n",
            "exercises.childs-pose: error: is a built-in exercise and cannot be redefined",
        ),
        (
            "schema = 1\nname = 'x'\n[[steps]]\nexercise = 'mine'\n[exercises.mine]\n"
            "name = 'c'\nspine = 'sideways'\ncategory = 'stretch'\nposition = 'any'\nsteps = ['a']\n",
            "exercises.mine.spine: error: must be one of flexion | extension",
        ),
        (
            "schema = 1\nname = 'x'\n[[steps]]\nexercise = 'cat'\n[exercises.Bad_Id]\nname = 'c'\n",
            "exercises.Bad_Id: error: id must be kebab-case",
        ),
    ],
)
def test_bad_values_are_located(catalog, text, expected):
    result = loads_routine(text.encode(), catalog, "bad.toml")
    assert result.routine is None
    assert any(expected in line for line in errors(result)), errors(result)


def test_a_broken_custom_exercise_is_reported_once_and_the_good_ones_still_count(catalog):
    text = (
        "schema = 1\nname = 'x'\n[[steps]]\nexercise = 'my-good'\n[[steps]]\nexercise = 'my-bad'\n"
        "[[steps]]\nexercise = 'my-goof'\n"
        "[exercises.my-good]\nname = 'g'\nspine = 'flexion'\ncategory = 'stretch'\n"
        "position = 'any'\nsteps = ['a']\n"
        "[exercises.my-bad]\nname = 'b'\nspine = 'sideways'\ncategory = 'stretch'\n"
        "position = 'any'\nsteps = ['a']\n"
    )
    result = loads_routine(text.encode(), catalog, "c.toml")
    # Before, my-good's step was also "unknown", and my-bad's "unknown (did you mean 'my-good'?)".
    assert [line.split(": error: ")[0] for line in errors(result)] == [
        "c.toml: exercises.my-bad.spine",
        "c.toml: steps[3].exercise",
    ]
    assert "unknown exercise 'my-goof' (did you mean 'my-good'?)" in errors(result)[1]


def test_unknown_keys_are_warnings(catalog):
    text = "schema = 1\nname = 'x'\ncolour = 'red'\n[[steps]]\nexercise = 'cat'\nspeed = 3\n"
    result = loads_routine(text.encode(), catalog, "new.toml")
    assert result.routine is not None
    warnings = [str(p) for p in result.problems if not p.is_error]
    assert "new.toml: colour: warning: unknown key, ignored" in warnings
    assert "new.toml: steps[1].speed: warning: unknown key, ignored" in warnings


def test_side_on_a_move_done_on_both_sides_at_once_is_ignored(catalog):
    text = "schema = 1\nname = 'x'\n[[steps]]\nexercise = 'cat'\nside = 'left'\n"
    result = loads_routine(text.encode(), catalog, "s.toml")
    assert result.routine.steps[0].side is None
    assert any("not a one-sided move" in str(p) for p in result.problems)


def test_too_many_steps_is_refused_before_checking_them(catalog):
    text = "schema = 1\nname = 'x'\n" + "[[steps]]\nexercise = 'nope'\n" * 501
    result = loads_routine(text.encode(), catalog, "big.toml")
    assert errors(result) == ["big.toml: steps: error: at most 500 steps, got 501"]


def test_too_many_custom_exercises_is_refused(catalog):
    text = "schema = 1\nname = 'x'\n[[steps]]\nexercise = 'cat'\n" + "".join(
        f"[exercises.e{i}]\nname = 'e'\n" for i in range(201)
    )
    result = loads_routine(text.encode(), catalog, "big.toml")
    assert errors(result) == ["big.toml: exercises: error: at most 200 custom exercises, got 201"]


def test_oversized_file_is_refused_unread(tmp_path, catalog):
    path = write(tmp_path / "huge.toml", b"#" * ((1 << 20) + 1))
    result = read_routine(path, catalog)
    assert errors(result) == [f"{path}: error: file is 1.0 MiB; the limit is 1 MiB"]


def test_deep_nesting_is_a_clean_error(catalog):
    data = b"schema = 1\nx = " + b"[" * 50_000 + b"]" * 50_000 + b"\n"
    result = loads_routine(data, catalog, "deep.toml")
    assert result.routine is None
    assert len(errors(result)) == 1


def test_binary_and_non_utf8_files(catalog):
    nul = loads_routine(b"schema = 1\n\x00\x01\x02", catalog, "bin.toml")
    assert errors(nul) == ["bin.toml:2:1: error: binary data (a NUL byte), not TOML text"]
    latin = loads_routine(b"schema = 1\nname = '\xe9'\n", catalog, "latin.toml")
    assert errors(latin) == ["latin.toml:2:9: error: not UTF-8 text (byte 0xe9)"]


def test_control_characters_are_stripped_from_text_and_escaped_in_messages(catalog):
    text = (
        'schema = 1\nname = "evil\\u001b[2Jname\\u0007"\n[[steps]]\nexercise = "cat"\n'
        'note = "a\\u001b]0;title\\u0007b"\n'
        '[[steps]]\nexercise = "x\\u001b[31m"\n'
    )
    result = loads_routine(text.encode(), catalog, "ctl.toml")
    rendered = "\n".join(errors(result))
    assert "\x1b" not in rendered and "\\x1b" in rendered
    text = text.replace('[[steps]]\nexercise = "x\\u001b[31m"\n', "")
    routine = loads_routine(text.encode(), catalog, "ctl.toml").routine
    assert routine.name == "evil[2Jname"
    assert routine.steps[0].note == "a]0;titleb"


def test_reading_never_changes_the_file(tmp_path, catalog):
    path = write(tmp_path / "r.toml", GOOD)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    read_routine(path, catalog)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_a_folder_or_missing_file_is_a_clear_error(tmp_path, catalog):
    assert errors(read_routine(tmp_path, catalog)) == [f"{tmp_path}: error: not a regular file"]
    missing = tmp_path / "nope.toml"
    assert errors(read_routine(missing, catalog)) == [f"{missing}: error: no such file"]


def test_dump_leaves_out_defaults():
    text = dumps_routine(Routine("r", (Step("cat"),)))
    assert text == 'schema = 1\nname = "r"\n\n[[steps]]\nexercise = "cat"\n'


def test_path_is_not_needed_to_read(catalog, tmp_path):
    assert read_routine(write(Path(tmp_path) / "a.toml", GOOD), catalog, "shown.toml").ok


def test_reading_a_routine_looks_exercises_up_without_walking_the_catalogue(catalog):
    """Start-up reads every saved routine: with 50,000 exercises, copying the
    catalogue for each one cost ~25 ms a routine."""
    from collections.abc import Mapping

    class LookUpOnly(Mapping):
        def __getitem__(self, key):
            return catalog[key]

        def __len__(self):
            return len(catalog)

        def __iter__(self):
            raise AssertionError("the catalogue was walked")

    result = loads_routine(GOOD.encode(), LookUpOnly(), "good.toml")
    assert result.routine is not None
    assert result.routine == loads_routine(GOOD.encode(), catalog, "good.toml").routine
