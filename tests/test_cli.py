import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backtui import __version__
from backtui.cli import main
from backtui.core import locations
from helpers import CONTRACT_IDS, write

VALID = "schema = 1\nname = 'Tiny'\n[[steps]]\nexercise = 'cat'\nreps = 5\n"
UNBALANCED = (
    "schema = 1\nname = 'Arch'\n[[steps]]\nexercise = 'superman'\n"
    "[[steps]]\nexercise = 'childs-pose'\n[[steps]]\nexercise = 'bridge'\n"
    "[[steps]]\nexercise = 'prone-press-up'\n"
)

BAD_FILES = {
    "malformed": (b"schema = 1\nname = = 'x'\n", ":2:8: error: invalid value"),
    "out-of-range": (
        b"schema = 1\nname = 'x'\n[[steps]]\nexercise = 'cat'\nreps = 0\n",
        "steps[1].reps: error: must be 1–100, got 0",
    ),
    "oversized": (b"# " + b"x" * (1 << 20) + b"\n", "the limit is 1 MiB"),
    "deeply-nested": (
        b"schema = 1\nx = " + b"[" * 30_000 + b"]" * 30_000,
        "nested more than 16 deep",
    ),
    "binary": (bytes(range(256)) * 4, "binary data"),
    "not-utf8": (b"schema = 1\nname = '\xff\xfe'\n", "not UTF-8"),
    "wrongly-typed": (b"schema = 1\nname = 'x'\nsteps = [1]\n", "steps[1]: error: must be a table"),
    "unknown-id": (
        b"schema = 1\nname = 'x'\n[[steps]]\nexercise = 'kneez-to-chest'\n",
        "did you mean 'knees-to-chest'?",
    ),
    "future-schema": (
        b"schema = 2\nname = 'x'\n[[steps]]\nexercise = 'cat'\n",
        "newer than this backtui understands",
    ),
    "raw-escape": (
        b"schema = 1\nname = '\x1b[2J'\n",
        ":2:9: error: found invalid character '\\x1b'",
    ),
    "hostile-text": (
        b'schema = 1\nname = "\\u001b[2J"\n[[steps]]\nexercise = "\\u001b]0;pwned\\u0007"\n',
        "unknown exercise '\\x1b]0;pwned\\x07'",
    ),
}


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """The installed command as a user runs it, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "backtui", *args],
        input=stdin,
        capture_output=True,
        env=os.environ.copy(),
        timeout=60,
    )


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_validate_rejects_bad_files_with_one_located_line(tmp_path, kind):
    data, expected = BAD_FILES[kind]
    path = write(tmp_path / f"{kind}.toml", data)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    result = run_cli("validate", str(path))
    stderr = result.stderr.decode()
    assert result.returncode == 1
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(str(path)) and expected in lines[0]
    assert "Traceback" not in stderr
    assert not any(ch in stderr for ch in "\x1b\x07\x00"), repr(stderr)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert result.stdout == b""


def test_validate_passes_good_files_and_warns_about_balance(tmp_path, capsys):
    good = write(tmp_path / "good.toml", VALID)
    arch = write(tmp_path / "arch.toml", UNBALANCED)
    assert main(["validate", str(good), str(arch)]) == 0
    out, err = capsys.readouterr()
    assert f"{good}: ok (1 step, ~1 min)" in out
    warnings = err.splitlines()
    assert len(warnings) == 2
    assert warnings[0].startswith(f"{arch}: steps[3]: warning: step 3, Bridge")
    assert warnings[1].startswith(f"{arch}: steps[4]: warning: step 4, Prone press-up")


def test_validate_exit_code_is_1_if_any_file_is_invalid(tmp_path, capsys):
    good = write(tmp_path / "good.toml", VALID)
    assert main(["validate", str(good), str(tmp_path / "missing.toml")]) == 1


def test_catalog_json_lists_every_contract_id_with_its_spine(capsys):
    assert main(["catalog", "--json"]) == 0
    exercises = json.loads(capsys.readouterr().out)
    spines = {e["id"]: e["spine"] for e in exercises}
    assert {i: spines[i] for i in CONTRACT_IDS} == CONTRACT_IDS
    keys = {
        "id",
        "name",
        "spine",
        "category",
        "position",
        "sided",
        "hold_s",
        "reps",
        "sets",
        "rest_s",
        "lift_s",
        "lower_s",
        "breath_led",
        "starts_on_enter",
        "hold_max_s",
        "steps",
        "cue",
        "cautions",
        "progressions",
        "regressions",
        "counters",
        "aliases",
    }
    assert all(set(e) == keys for e in exercises)


def test_catalog_table_shows_user_exercises_and_reports_broken_ones(capsys):
    user = locations.user_catalog_dir()
    write(
        user / "mine.toml",
        "[exercises.wall-sit]\nname = 'Wall sit'\nspine = 'neutral'\n"
        "category = 'strengthening'\nposition = 'standing'\nsteps = ['Lean.']\n",
    )
    write(user / "broken.toml", "[exercises.x\n")
    assert main(["catalog"]) == 0
    out, err = capsys.readouterr()
    assert "wall-sit" in out and "childs-pose" in out
    assert str(user / "broken.toml") + ":1:" in err


def test_list_shows_the_starters(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["SLUG", "NAME", "STEPS", "TIME"]
    assert "quick-relief" in out and "min" in out


def test_list_skips_a_broken_routine_with_a_message(capsys):
    main(["list"])
    write(locations.routines_dir() / "bad.toml", "nope")
    capsys.readouterr()
    assert main(["list"]) == 0
    out, err = capsys.readouterr()
    assert "bad.toml: skipped" in err and "morning" in out


def test_export_then_import_replace_gives_back_the_same_file():
    path = locations.routines_dir()
    exported = run_cli("export", "morning")
    assert exported.returncode == 0
    before = (path / "morning.toml").read_bytes()
    imported = run_cli("import", "-", "--replace", stdin=exported.stdout)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.decode().strip() == str(path / "morning.toml")
    assert (path / "morning.toml").read_bytes() == before == exported.stdout


def test_import_without_replace_keeps_the_existing_routine(tmp_path, capsys):
    main(["list"])
    before = (locations.routines_dir() / "morning.toml").read_text()
    source = write(tmp_path / "m.toml", before.replace("reps = 10", "reps = 9", 1))
    capsys.readouterr()
    assert main(["import", str(source)]) == 0
    assert capsys.readouterr().out.strip().endswith("morning-2.toml")
    assert (locations.routines_dir() / "morning.toml").read_text() == before


def test_import_of_an_invalid_file_fails_and_leaves_it_alone(tmp_path, capsys):
    bad = write(tmp_path / "bad.toml", BAD_FILES["out-of-range"][0])
    before = bad.read_bytes()
    assert main(["import", str(bad)]) == 1
    assert "steps[1].reps" in capsys.readouterr().err
    assert bad.read_bytes() == before
    assert not (locations.routines_dir() / "x.toml").exists()


def test_a_custom_exercise_travels_inside_the_export(tmp_path, capsys):
    write(
        locations.user_catalog_dir() / "mine.toml",
        "[exercises.wall-sit]\nname = 'Wall sit'\nspine = 'neutral'\n"
        "category = 'strengthening'\nposition = 'standing'\nsteps = ['Lean.']\n",
    )
    routine = write(
        tmp_path / "w.toml", "schema = 1\nname = 'Wall'\n[[steps]]\nexercise = 'wall-sit'\n"
    )
    assert main(["import", str(routine)]) == 0
    out_file = tmp_path / "out.toml"
    assert main(["export", "wall", "-o", str(out_file)]) == 0
    text = out_file.read_text()
    assert "[exercises.wall-sit]" in text
    # On a machine without the user's exercise the export still validates.
    (locations.user_catalog_dir() / "mine.toml").unlink()
    capsys.readouterr()
    assert main(["validate", str(out_file)]) == 0


def test_a_hostile_name_cannot_leave_the_routines_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(write(tmp_path / "a" / "b" / "keep", "").parent)  # ../../x: not there
    hostile = write(
        tmp_path / "h.toml", "schema = 1\nname = '../../x'\n[[steps]]\nexercise = 'cat'\n"
    )
    assert main(["import", str(hostile)]) == 0
    saved = Path(capsys.readouterr().out.strip())
    assert saved.parent == locations.routines_dir().resolve()
    assert main(["export", "../../x"]) == 1
    assert "no such file: ../../x" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["frobnicate"])
    assert raised.value.code == 2
    with pytest.raises(SystemExit) as raised:
        main(["validate"])
    assert raised.value.code == 2


def test_version(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["--version"])
    assert raised.value.code == 0
    assert capsys.readouterr().out.strip() == f"backtui {__version__}"


def test_help_mentions_every_command():
    result = run_cli("--help")
    assert result.returncode == 0
    commands = (
        "edit",
        "run",
        "list",
        "catalog",
        "validate",
        "import",
        "export",
        "history",
        "schema",
        "plan",
        "delete",
        "starters",
    )
    for command in commands:
        assert command in result.stdout.decode()


def test_run_on_an_invalid_file_prints_the_located_error(tmp_path):
    bad = write(tmp_path / "bad.toml", BAD_FILES["out-of-range"][0])
    result = run_cli("run", str(bad))
    assert result.returncode == 1
    assert result.stderr.decode().strip() == (f"{bad}: steps[1].reps: error: must be 1–100, got 0")
    assert run_cli("run", "no-such-routine").returncode == 1


def test_history_prints_sessions_streak_and_pain(capsys):
    from datetime import UTC, datetime, timedelta

    from backtui.core.history import History, Outcome, SessionRecord

    assert main(["history"]) == 0
    assert "No sessions yet" in capsys.readouterr().out
    now = datetime.now(UTC)
    with History() as history:
        for days_ago, before, after in ((1, 6, 4), (0, 5, 3)):
            start = now - timedelta(days=days_ago, minutes=20)
            history.record(
                SessionRecord(
                    "Morning",
                    "morning",
                    start,
                    start + timedelta(minutes=9),
                    540,
                    4,
                    4,
                    before,
                    after,
                    Outcome.COMPLETED,
                )
            )
    assert main(["history"]) == 0
    out = capsys.readouterr().out
    assert "Morning" in out and "2 days" in out


def test_edit_on_an_invalid_file_prints_every_located_error(tmp_path):
    bad = write(
        tmp_path / "bad.toml",
        "schema = 1\nname = 'x'\n[[steps]]\nexercise = 'cat'\nreps = 0\nsets = 99\n",
    )
    result = run_cli("edit", str(bad))
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        f"{bad}: steps[1].reps: error: must be 1–100, got 0",
        f"{bad}: steps[1].sets: error: must be 1–10, got 99",
    ]


def test_the_drawing_commands_refuse_a_pipe_instead_of_spinning():
    result = run_cli("run", "morning")
    assert result.returncode == 1 and b"terminal" in result.stderr


def test_a_closed_pipe_is_not_an_error_message():
    process = subprocess.Popen(
        [sys.executable, "-m", "backtui", "catalog", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.read(10)
    process.stdout.close()
    assert process.wait(timeout=30) in (0, 1)
    assert process.stderr.read() == b""
