"""Files from strangers, made hostile on purpose: every one is generated here.

Each goes through `backtui validate` and `backtui import` (in process, through
`backtui.cli.main`, to keep the module fast; a few in a subprocess where the
process's own streams matter). Whatever the file: one located line per problem,
at most 20 per file and severity, no control or invisible character reaching
the terminal, no traceback, the file's bytes unchanged, and nothing written
anywhere when it is invalid (when valid, one file in the routines folder alone).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from backtui.cli import main
from backtui.core import locations
from backtui.core.catalog import Problems
from backtui.core.reader import (
    MAX_ENTRIES,
    decode_toml,
    describe,
    number_text,
    report_lines,
    scan_shape,
)
from backtui.core.settings import load_settings
from backtui.core.spec import is_id
from backtui.core.store import is_slug
from backtui.core.text import clean, visible
from backtui.core.theme_file import read_theme_file

HEAD = "schema = 1\nname = 'Hostile'\n"
STEP = "[[steps]]\nexercise = 'cat'\n"
EXERCISE = (
    "[exercises.my-move]\nname = 'My move'\nspine = 'neutral'\ncategory = 'stretch'\n"
    "position = 'any'\nsteps = ['Do it']\n"
)
# What must never reach a terminal: C0 but newline, C1, DEL, bidi, zero-width,
# the line and paragraph separators, lone surrogates.
FORBIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069"
    "\u2028\u2029\ufeff\ud800-\udfff]"
)
HIDDEN = ["\u202e", "\u2066", "\u200b", "\u200d", "\u2060", "\ufeff", "\u2028", "\u2029"]


def routine(top: str = "", step: str = "", tail: str = "") -> str:
    return HEAD + top + STEP + step + tail


def toml_text(value: str) -> str:
    """A TOML basic string holding `value`, escapes written as TOML escapes."""
    return tomli_w.dumps({"v": value})[4:].strip()


def custom(**fields: str) -> str:
    """A routine using its own exercise, with some text fields replaced."""
    values = {
        "name": "'My move'",
        "spine": "'neutral'",
        "category": "'stretch'",
        "position": "'any'",
        "steps": "['Do it']",
        **fields,
    }
    body = "".join(f"{key} = {value}\n" for key, value in values.items())
    return HEAD + "[[steps]]\nexercise = 'my-move'\n[exercises.'my-move']\n" + body


# name -> (the file, exit code of validate, what stderr must say)
CASES: dict[str, tuple[str | bytes, int, str]] = {
    # syntax
    "syntax-double-equals": ("schema = 1\nname = = 'x'\n", 1, ":2:8: error: invalid value"),
    "syntax-unclosed-string": ("schema = 1\nname = 'x\n", 1, ":3: error: expected"),
    "syntax-unclosed-array": (routine("aliases = [1, 2\n"), 1, ":4:1: error: unclosed array"),
    "syntax-half-header": ("schema = 1\nname = 'x'\n[[steps]\n", 1, ":3:"),
    "syntax-duplicate-key": ("schema = 1\nname = 'a'\nname = 'b'\n", 1, ":3:"),
    "syntax-duplicate-table": (routine("[breath]\n[breath]\n"), 1, ":4:"),
    # wrong types
    "type-name-number": ("schema = 1\nname = 1\n" + STEP, 1, "name: error: must be text"),
    "type-steps-text": ("schema = 1\nname = 'x'\nsteps = 'cat'\n", 1, "steps: error:"),
    "type-reps-text": (routine(step="reps = '3'\n"), 1, "steps[1].reps: error:"),
    "type-hold-bool": (routine(step="hold_s = true\n"), 1, "got true (true/false)"),
    "type-breath-number": (routine("breath = 4\n"), 1, "breath: error: must be a table"),
    "type-schema-date": ("schema = 1979-05-27\nname = 'x'\n" + STEP, 1, "schema: error:"),
    # out of range, one past each end, and the ends themselves
    "reps-0": (routine(step="reps = 0\n"), 1, "must be 1–100, got 0"),
    "reps-101": (routine(step="reps = 101\n"), 1, "must be 1–100, got 101"),
    "reps-100": (routine(step="reps = 100\n"), 0, ""),
    "hold-0": (routine(step="hold_s = 0\n"), 1, "got 0"),
    "hold-1801": (routine(step="hold_s = 1801\n"), 1, "got 1801"),
    "hold-1800": (routine(step="hold_s = 1800\n"), 0, ""),
    "sets-11": (routine(step="sets = 11\n"), 1, "got 11"),
    "rest-minus-1": (routine(step="rest_s = -1\n"), 1, "got -1"),
    "rest-601": (routine(step="rest_s = 601\n"), 1, "got 601"),
    "inhale-16": (routine("[breath]\ninhale_s = 16\n"), 1, "breath.inhale_s: error:"),
    "exhale-0": (routine("[breath]\nexhale_s = 0\n"), 1, "breath.exhale_s: error:"),
    "name-81": (f"schema = 1\nname = '{'n' * 81}'\n" + STEP, 1, "at most 80 characters"),
    "name-80": (f"schema = 1\nname = '{'n' * 80}'\n" + STEP, 0, ""),
    "description-2001": (routine(f"description = '{'d' * 2001}'\n"), 1, "at most 2000"),
    "note-501": (routine(step=f"note = '{'n' * 501}'\n"), 1, "at most 500 characters"),
    "steps-501": (HEAD + STEP * 501, 1, "at most 500 steps, got 501"),
    "exercises-201": (
        routine(tail="".join(EXERCISE.replace("my-move", f"m-{i}") for i in range(201))),
        1,
        "at most 200",
    ),
    "schema-huge-float": (f"schema = 1e300\nname = 'x'\n{STEP}", 1, "schema 1"),
    # numbers that are not numbers, and numbers too long
    "nan": (routine(step="hold_s = nan\n"), 1, "got nan"),
    "inf": (routine(step="hold_s = inf\n"), 1, "got inf"),
    "minus-inf": (routine(step="rest_s = -inf\n"), 1, "got -inf"),
    "float-overflow": (routine(step="reps = 1e400\n"), 1, "got inf"),
    "int-41-digits": (routine(step=f"reps = {'9' * 41}\n"), 1, ":5:8: error: a number too long"),
    "int-40-digits": (
        routine(step=f"reps = {'9' * 40}\n"),
        1,
        "must be 1–100, got a number of 40 digits",
    ),
    "int-4400-digits": (routine(step=f"hold_s = {'9' * 4400}\n"), 1, ":5:10: error: a number"),
    "int-underscores": (routine(step=f"hold_s = {'9_' * 45}9\n"), 1, "a number too long"),
    "int-hex-10000": (routine(step=f"hold_s = 0x{'f' * 10_000}\n"), 1, "a number too long"),
    "int-octal": (routine(step=f"hold_s = 0o{'7' * 5000}\n"), 1, "a number too long"),
    "int-binary": (routine(step=f"hold_s = 0b{'1' * 20_000}\n"), 1, "a number too long"),
    "int-in-array": (routine(f"aliases = [1, {'9' * 50}]\n"), 1, ":3:15: error: a number"),
    "float-mantissa": (routine(step=f"hold_s = 1.{'5' * 5000}\n"), 1, "a number too long"),
    "float-exponent": (routine(step=f"hold_s = 1e{'9' * 50}\n"), 1, "a number too long"),
    # long texts, deep nesting, long keys, many keys
    "string-100k": (routine(step=f"note = '{'n' * 100_000}'\n"), 1, ":5:8: error: text of more"),
    "nested-lists": ("schema = 1\nx = " + "[" * 17 + "]" * 17 + "\n", 1, ":2:"),
    "nested-lists-16": (routine("x = " + "[" * 16 + "]" * 16 + "\n"), 0, "x: warning: unknown"),
    "nested-inline": ("schema = 1\nx = " + "{a = " * 17 + "1" + "}" * 17, 1, "nested more"),
    "nested-30000": ("schema = 1\nx = " + "[" * 30_000 + "]" * 30_000, 1, "nested more"),
    "dotted-24000": ("a" + ".a" * 24_000 + " = 1\n", 1, ":1:1: error: a key of more than 16"),
    "dotted-header": (routine("[" + "a." * 20 + "a]\n"), 1, ":3:1: error: a key of more"),
    "dotted-quoted": (routine('"a"' + '."a"' * 20 + " = 1\n"), 1, ":3:1: error: a key"),
    "many-keys": (routine("".join(f"k{i} = 1\n" for i in range(MAX_ENTRIES))), 1, "more than"),
    "many-items": (routine("x = [" + "1," * MAX_ENTRIES + "]\n"), 1, "more than 20,000"),
    "many-blank-lines": (routine("\n" * 60_000), 1, "more than 50,000 lines"),
    # encodings
    "utf16-bom": (b"\xff\xfe" + routine().encode("utf-16-le"), 1, "binary data"),
    "latin1": (routine("description = 'caf\xe9'\n").encode("latin-1"), 1, "not UTF-8"),
    "nul": (routine().encode() + b"\x00", 1, "binary data (a NUL byte)"),
    "utf8-bom-crlf": (b"\xef\xbb\xbf" + routine().replace("\n", "\r\n").encode(), 0, ""),
    "raw-escape-byte": (b"schema = 1\nname = '\x1b[2J'\n", 1, "\\x1b"),
    "raw-c1-byte": ("schema = 1\nname = '\x9b2J'\n" + STEP, 0, ""),
    # escapes and markup in text: shown as plain text, stripped before the terminal
    "markup-bold": (routine("description = '[bold]big[/]'\n"), 0, ""),
    "markup-close": ("schema = 1\nname = '[/]'\n" + STEP, 0, ""),
    "markup-link": ("schema = 1\nname = '[link=https://x.example]x'\n" + STEP, 0, ""),
    "osc8-link": (
        "schema = 1\nname = "
        + toml_text("\x1b]8;;https://x.example\x1b\\x\x1b]8;;\x1b\\")
        + "\n"
        + STEP,
        0,
        "",
    ),
    "escape-in-unknown-id": (
        routine().replace("'cat'", toml_text("\x1b]0;pwned\x07")),
        1,
        "unknown exercise '\\x1b]0;pwned\\x07'",
    ),
    "escape-in-unknown-key": (routine(toml_text("\x1b[2J\u202e") + " = 1\n"), 0, "warning"),
    "escape-in-choice": (custom(spine=toml_text("\x1b[31m\u2028")), 1, "spine: error"),
    "markup-in-unknown-id": (routine().replace("'cat'", "'[bold]x[/]'"), 1, "unknown exercise"),
    # names of nothing visible
    "name-zero-width": (custom().replace("'My move'", toml_text("\u200b\u2060\ufeff")), 1, ""),
    "name-bidi-only": ("schema = 1\nname = " + toml_text("\u202e\u2066") + "\n" + STEP, 1, ""),
    "name-separators": ("schema = 1\nname = " + toml_text("\u2028 \u2029") + "\n" + STEP, 1, ""),
    "exercise-name-zero-width": (custom(name=toml_text("\u200d\u200c")), 1, "visible"),
    # ids that look like paths
    "id-dotdot": (routine().replace("'cat'", "'../x'"), 1, "unknown exercise '../x'"),
    "id-etc-passwd": (custom().replace("'my-move'", "'/etc/passwd'"), 1, "id must be kebab-case"),
    "id-backslash": (custom().replace("'my-move'", "'a\\b'"), 1, "id must be kebab-case"),
    "id-newline": (custom().replace("'my-move'", '"my-move\\n"'), 1, "id must be kebab-case"),
    "id-con": (custom().replace("'my-move'", "'con'"), 0, ""),
    "name-path": ("schema = 1\nname = '../../../etc/passwd'\n" + STEP, 0, ""),
    "name-backslashes": ("schema = 1\nname = '..\\..\\con'\n" + STEP, 0, ""),
}
# Every text field, with every hidden character: valid, and cleaned before it shows.
for char in HIDDEN:
    code = f"u{ord(char):04x}"
    text = toml_text(f"a{char}b")
    CASES[f"hidden-{code}-name"] = (f"schema = 1\nname = {text}\n{STEP}", 0, "")
    CASES[f"hidden-{code}-description"] = (routine(f"description = {text}\n"), 0, "")
    CASES[f"hidden-{code}-note"] = (routine(step=f"note = {text}\n"), 0, "")
    CASES[f"hidden-{code}-exercise-texts"] = (
        custom(name=text, steps=f"[{text}]", cue=text, cautions=f"[{text}]"),
        0,
        "",
    )


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` and its bytes; the routines folder's empty lock file,
    which a save or an import takes, is backtui's own and not a write of the file's."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not (path.name == ".lock" and path.stat().st_size == 0)
    }


def check_output(text: str, path: Path) -> list[str]:
    assert "Traceback" not in text
    assert not FORBIDDEN.search(text), repr(FORBIDDEN.search(text))
    lines = text.splitlines()
    assert len(lines) <= 2 * 20 + 2, len(lines)
    for line in lines:
        assert line.startswith((str(path), "backtui: ")), line
        assert len(line) < 1000
    return lines


@pytest.fixture
def started(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A home whose routines folder has been set up (the starters copied in)."""
    assert main(["list"]) == 0
    capsys.readouterr()
    return isolated_home


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_file_is_checked_and_imported_safely(tmp_path, started, capsys, name):
    data, code, expected = CASES[name]
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    path = tmp_path / "in" / f"{name}.toml"
    path.parent.mkdir()
    path.write_bytes(raw)

    assert main(["validate", str(path)]) == code
    out, err = capsys.readouterr()
    lines = check_output(err, path)
    assert expected in err, err
    if code:
        assert out == "" and any(": error: " in line for line in lines), err
        assert sum(": error: " in line for line in lines) >= 1
    else:
        assert out.startswith(f"{path}: ok")
        assert not FORBIDDEN.search(out)
    assert path.read_bytes() == raw

    routines = locations.routines_dir()
    before = tree(started)
    status = main(["import", str(path)])
    out, err = capsys.readouterr()
    check_output(err, path)
    after = tree(started)
    assert path.read_bytes() == raw
    if code:
        assert status == 1 and out == ""
        assert after == before  # nothing written anywhere
    else:
        assert status == 0
        added = set(after) - set(before)
        changed = {key for key in before if after.get(key) != before[key]}
        assert not changed and len(added) <= 1
        for key in added:
            saved = started / key
            assert saved.parent == routines and is_slug(saved.stem)
            assert Path(out.strip()) == saved
            assert not FORBIDDEN.search(saved.read_text(encoding="utf-8").replace("\n", ""))


def test_the_whole_module_of_hostile_files_is_quick():
    start = time.perf_counter()
    for data, _, _ in CASES.values():
        raw = data if isinstance(data, bytes) else data.encode("utf-8")
        decode_toml(raw, Problems("f"))
    assert time.perf_counter() - start < 2


# --- bounded output -----------------------------------------------------------------


def test_3500_errors_print_as_20_lines_and_a_count(tmp_path, capsys):
    bad_step = "[[steps]]\nexercise = 1\nreps = 0\nhold_s = 0\nsets = 0\nrest_s = -1\n"
    bad_step += "side = 1\nnote = 1\n"
    path = tmp_path / "many.toml"
    path.write_text(HEAD + bad_step * 500, encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 21
    assert lines[-1] == f"… and 3480 more errors in {path}"


def test_many_warnings_of_a_valid_file_print_as_20_lines_and_a_count(tmp_path, capsys):
    path = tmp_path / "warn.toml"
    path.write_text(routine("".join(f"k{i} = 1\n" for i in range(19_000))), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 21 and lines[-1] == f"… and 18980 more warnings in {path}"
    assert captured.out.startswith(f"{path}: ok")


def test_balance_warnings_are_bounded_the_same_way(tmp_path, capsys):
    path = tmp_path / "arch.toml"
    path.write_text(HEAD + "[[steps]]\nexercise = 'superman'\n" * 300, encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 21 and lines[-1] == f"… and 280 more warnings in {path}"


def test_report_lines_counts_per_file_and_severity():
    problems = Problems("a")
    for i in range(25):
        problems.error(f"x{i}", "bad")
        problems.warning(f"y{i}", "odd")
    lines = report_lines(problems)
    assert len(lines) == 42
    assert lines[-2:] == ["… and 5 more errors in a", "… and 5 more warnings in a"]
    errors = [p for p in problems if p.is_error][:21]
    assert report_lines(errors)[-1] == "… and 1 more error in a"


# --- huge numbers anywhere a file is read ---------------------------------------------

HUGE = f"x = {'9' * 4400}\n"


def test_huge_numbers_in_the_other_files_are_located_not_raised(tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text(f"bell = 0x{'f' * 10_000}\n", encoding="utf-8")
    settings_read, problems = load_settings(config)
    assert settings_read.bell is True  # the default kept
    assert [str(p) for p in problems] == [
        f"{config}:1:8: error: a number too long to be a backtui value (more than 40 digits)"
    ]

    theme = tmp_path / "t.toml"
    theme.write_text(f"name = 'x'\nprimary = 'red'\ndark = {'1' * 5000}\n", encoding="utf-8")
    file, problems = read_theme_file(theme)
    assert file is None and "t.toml:3:8: error: a number too long" in str(problems[0])

    mine = locations.user_catalog_dir() / "mine.toml"
    mine.parent.mkdir(parents=True)
    mine.write_text(EXERCISE + f"hold_s = {'9' * 4400}\n", encoding="utf-8")
    assert main(["catalog"]) == 0
    err = capsys.readouterr().err
    assert (
        err
        == f"{mine}:7:10: error: a number too long to be a backtui value (more than 40 digits)\n"
    )

    saved = locations.routines_dir() / "huge.toml"
    main(["list"])
    capsys.readouterr()
    saved.write_text(routine(step=HUGE), encoding="utf-8")
    assert main(["list"]) == 0
    err = capsys.readouterr().err
    assert f"{saved}: skipped: a number too long" in err and "Traceback" not in err


def test_a_number_is_never_turned_into_thousands_of_digits():
    assert number_text(10**38) == str(10**38)
    assert number_text(-(10**39)) == "a number of 40 digits"
    assert number_text(10**5000) == "a number of 5,001 digits"
    assert number_text(-(10**5000) + 1) == "a number of 5,000 digits"
    assert describe(16**10_000) == "a number of 12,042 digits"


def test_tomllibs_own_valueerror_is_a_located_problem(monkeypatch):
    monkeypatch.setattr("backtui.core.reader.scan_shape", lambda text: None)
    problems = Problems("f.toml")
    assert decode_toml(routine(step=f"hold_s = {'9' * 4400}\n").encode(), problems) is None
    assert [str(p) for p in problems] == [
        "f.toml:5:10: error: a number too long to be a backtui value (more than 40 digits)"
    ]


# --- the shape scan accepts every plain TOML document --------------------------------

scalars = st.one_of(
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=False),
    st.booleans(),
    st.text(max_size=20),
)
keys = st.text(min_size=1, max_size=8)
documents = st.dictionaries(
    keys,
    st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
        max_leaves=12,
    ),
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(documents)
def test_the_scan_lets_every_ordinary_document_through(document):
    text = tomli_w.dumps(document)
    assert scan_shape(text) is None
    assert scan_shape(text.replace("\n", "\r\n")) is None


def test_the_scan_is_linear_on_a_mebibyte_of_each_shape():
    size = 1 << 20
    for text in (
        "a" + ".a" * (size // 2) + " = 1",
        '"a"' + '."a"' * (size // 4) + " = 1",
        "x = " + "[" * size,
        "x = " + "9" * size,
        "".join(f"k{i} = 1\n" for i in range(size // 10)),
    ):
        start = time.perf_counter()
        assert scan_shape(text) is not None
        assert time.perf_counter() - start < 0.5


# --- one id rule, and text safe for the terminal --------------------------------------


def test_ids_and_slugs_end_at_the_end_of_the_text():
    assert is_id("wall-angel") and not is_id("wall-angel\n")
    assert is_slug("morning") and not is_slug("morning\n")


def test_visible_escapes_everything_a_terminal_would_obey_or_hide():
    shown = visible("a\udc9b\x1b\x7f\u202e\u200b\u2028\u2029\ufeff\ud800b\n")
    assert shown == "a\\x9b\\x1b\\x7f\\u202e\\u200b\\u2028\\u2029\\ufeff\\ud800b\\x0a"
    assert visible("a\nb\u2028", keep_newlines=True) == "a\nb\\u2028"
    assert clean("a\u200bb\u2028c\u2066d\udc9b") == "ab cd"
    assert clean("a\u2029b", multiline=True) == "a\nb"


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "backtui", *args],
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )


def test_an_undecodable_file_name_under_a_strict_encoding(tmp_path):
    folder = os.fsencode(tmp_path)
    bad = os.path.join(folder, b"bad\x9b\xe9.toml")
    good = os.path.join(folder, b"good\x9b.toml")
    with open(bad, "wb") as handle:
        handle.write(b"schema = 1\nname = = 'x'\n")
    with open(good, "wb") as handle:
        handle.write(f"schema = 1\nname = 'caf\u00e9'\n{STEP}".encode())
    env = {**os.environ, "PYTHONIOENCODING": "ascii:strict"}
    result = run_cli("validate", "bad\udc9b\udce9.toml", "good\udc9b.toml", env=env, cwd=tmp_path)
    # (the arguments are given as os.fsdecode gives them; subprocess encodes them back)
    assert result.returncode == 1
    assert result.stderr == b"bad\\x9b\\xe9.toml:2:8: error: invalid value\n"
    assert result.stdout.startswith(b"good\\x9b.toml: ok (1 step")
    assert b"\x9b" not in result.stdout + result.stderr


def test_a_hostile_argument_is_escaped_in_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["validate", "x.toml", "--\x1b]0;pwned\x07"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "\\x1b]0;pwned\\x07" in err and "\x1b" not in err
