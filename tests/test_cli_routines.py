"""The command line's ROUTINE (slug, name or path), import, delete, starters, help."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import unicodedata

import pytest

from backtui.cli import main
from backtui.core import locations
from helpers import write

EVENING = "schema = 1\nname = 'Evening'\n[[steps]]\nexercise = 'childs-pose'\nhold_s = 30\n"


def folder():
    return locations.routines_dir()


def listing():
    return sorted(os.listdir(folder()))


@pytest.fixture
def evening(capsys):
    """A routine named "Evening" saved under a slug unlike its name."""
    main(["list"])
    write(folder() / "new-routine-2.toml", EVENING)
    capsys.readouterr()
    return folder() / "new-routine-2.toml"


@pytest.mark.parametrize("command", ["run", "edit", "plan", "export"])
def test_every_routine_command_takes_a_name(command, evening, capsys):
    status = main([command, "EVENING"])
    out, err = capsys.readouterr()
    assert "no saved routine" not in err
    if command in ("run", "edit"):  # found and read; then it needs a terminal to draw on
        assert status == 1 and "terminal" in err
    else:
        assert status == 0 and ("Child's pose" in out or "childs-pose" in out)


@pytest.mark.parametrize("command", ["run", "edit", "plan", "export", "delete"])
def test_a_misspelt_slug_gets_a_suggestion(command, capsys):
    assert main([command, "quick-releif"]) == 1
    out, err = capsys.readouterr()
    assert err == 'backtui: no saved routine "quick-releif"; did you mean quick-relief?\n'
    assert out == ""


@pytest.mark.parametrize("ref", ["missing.toml", "some/where", "./quick-relief"])
def test_a_path_that_is_not_there_says_so(ref, capsys):
    assert main(["export", ref]) == 1
    assert capsys.readouterr().err.startswith(f"backtui: no such file: {ref}")


def test_two_routines_of_one_name_are_told_apart_by_slug(evening, capsys):
    write(folder() / "another.toml", EVENING.replace("30", "40"))
    assert main(["plan", "evening"]) == 1
    err = capsys.readouterr().err
    assert "another" in err and "new-routine-2" in err and err.count("\n") == 1


def test_delete_with_yes_removes_the_file(evening, capsys):
    assert main(["delete", "Evening", "--yes"]) == 0
    assert capsys.readouterr().out == "deleted new-routine-2.toml\n"
    assert not evening.exists()


def test_delete_without_a_terminal_refuses(evening, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    assert main(["delete", "evening"]) == 1
    err = capsys.readouterr().err
    assert "--yes" in err and err.count("\n") == 1
    assert evening.exists()


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "deleted"), [("y\n", True), ("\n", False), ("", False)])
def test_delete_asks_at_a_terminal(answer, deleted, evening, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", FakeTerminal(answer))
    assert main(["delete", "evening"]) == 0
    err = capsys.readouterr().err
    assert err.startswith('Delete "Evening" (new-routine-2.toml)? [y/N] ')
    assert evening.exists() is not deleted


def test_delete_never_touches_a_file_outside_the_folder(tmp_path, capsys):
    outside = write(tmp_path / "mine.toml", EVENING)
    assert main(["delete", str(outside), "--yes"]) == 1
    assert "not in the routines folder" in capsys.readouterr().err
    assert outside.exists()


def test_importing_a_saved_routine_again_writes_nothing(tmp_path, evening, capsys):
    before = (evening.read_bytes(), evening.stat().st_mtime_ns, listing())
    copy = write(tmp_path / "copy.toml", "# from a friend\n" + EVENING.replace("'", '"'))
    assert main(["import", str(copy)]) == 0
    out, err = capsys.readouterr()
    assert out == f"{evening}\n"
    assert err == "backtui: already saved as new-routine-2\n"
    assert (evening.read_bytes(), evening.stat().st_mtime_ns, listing()) == before


def test_a_taken_name_gets_a_new_slug_and_says_so(tmp_path, capsys):
    main(["list"])
    write(folder() / "evening.toml", EVENING)
    different = write(tmp_path / "e.toml", EVENING.replace("30", "45"))
    capsys.readouterr()
    assert main(["import", str(different)]) == 0
    out, err = capsys.readouterr()
    assert out == f"{folder().resolve() / 'evening-2.toml'}\n"
    assert err == (
        "backtui: saved as evening-2 (evening is taken by a different routine; "
        "--replace overwrites it)\n"
    )
    assert "hold_s = 30" in (folder() / "evening.toml").read_text()
    assert main(["import", str(different), "--replace"]) == 0
    assert "hold_s = 45" in (folder() / "evening.toml").read_text()
    assert "replaced evening" in capsys.readouterr().err


def test_import_help_explains_replace(capsys):
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--replace overwrite the saved routine" in out
    assert "example" in out


def test_starters_restore_brings_back_a_deleted_one_and_leaves_a_changed_one(capsys):
    main(["list"])
    assert main(["delete", "morning", "--yes"]) == 0
    changed = folder() / "quick-relief.toml"
    changed.write_text(changed.read_text().replace("name = ", "description = 'mine'\nname = "))
    mine = changed.read_bytes()
    capsys.readouterr()
    assert main(["starters"]) == 0
    rows = {line.split()[0]: line.split()[-1] for line in capsys.readouterr().out.splitlines()[1:9]}
    assert (rows["morning"], rows["quick-relief"], rows["desk-break"]) == (
        "missing",
        "changed",
        "present",
    )
    assert main(["starters", "--restore"]) == 0
    assert capsys.readouterr().out == 'restored morning.toml ("Morning")\n'
    assert (folder() / "morning.toml").exists() and changed.read_bytes() == mine
    assert main(["starters", "--restore"]) == 0
    assert "nothing to restore" in capsys.readouterr().out


def test_an_unknown_option_is_reported_by_its_subcommand(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["run", "--frobnicate", "x"])
    assert raised.value.code == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("usage: backtui run ")
    assert err[-1] == "backtui run: error: unrecognized arguments: --frobnicate"


def test_every_command_has_a_description_and_an_example(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    top = capsys.readouterr().out
    assert "With no command, backtui opens the builder" in top
    commands = [
        line.split()[0] for line in top.split("COMMAND\n", 1)[1].split("\n\n")[0].splitlines()
    ]
    assert {"run", "delete", "starters", "import", "catalog"} <= set(commands)
    for command in commands:
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = capsys.readouterr().out
        description = text.split("\n\n")[1]
        assert not description.startswith(("positional", "options")), command
        assert f"  backtui {command}" in text.split("example")[-1], command


def test_run_help_lists_every_session_key(capsys):
    from textual.binding import Binding

    from backtui.tui.screens.runner import RunnerScreen

    with pytest.raises(SystemExit) as raised:
        main(["run", "--help"])
    assert raised.value.code == 0
    keys = capsys.readouterr().out.split("keys during a session:\n")[1].split("\n\n")[0]
    shown = [line.split()[0] for line in keys.splitlines()]
    for binding in RunnerScreen.BINDINGS:
        assert isinstance(binding, Binding)
        key = binding.key_display or binding.key.split(",")[0]
        assert key.lower() in [k.lower() for k in shown], key
    assert all(len(line) <= 80 for line in keys.splitlines())


def test_commands_that_do_not_draw_never_load_textual():
    code = (
        "import sys\nfrom backtui.cli import main\n"
        "for argv in (['list'], ['starters'], ['catalog']):\n    main(argv)\n"
        "print('LOADED', sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, env=os.environ.copy(), timeout=60
    )
    assert result.stdout.decode().splitlines()[-1] == "LOADED []", result.stderr


def display_width(text: str) -> int:
    from rich.cells import cell_len  # an independent measure

    return cell_len(text)


def test_the_catalogue_fits_80_columns_even_with_long_ids_and_wide_names(capsys):
    long_id = "a-long-id-" + "x" * 54
    write(
        locations.user_catalog_dir() / "mine.toml",
        f"[exercises.{long_id}]\nname = 'Mine'\nspine = 'neutral'\n"
        "category = 'strengthening'\nposition = 'standing'\nsteps = ['Lean.']\n"
        "[exercises.wide]\nname = '" + "腰痛体操" * 12 + "'\nspine = 'flexion'\n"
        "category = 'stretch'\nposition = 'side-lying'\nsteps = ['Lean.']\n",
    )
    assert main(["catalog"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert max(display_width(line) for line in lines) <= 80
    assert long_id in lines  # an id is never cut: a long one has a line of its own
    assert len(long_id) == 64
    assert any(line.startswith("wide ") and line.endswith("…") for line in lines)
    assert any("Knee to chest with hip" in line for line in lines)
    assert unicodedata.east_asian_width("腰") == "W"


# --- export -o writes regular files only ---------------------------------------


def _special(tmp_path, kind):
    if kind == "symlink":
        target = write(tmp_path / "elsewhere.txt", "the link's target")
        os.symlink(target, tmp_path / "out.toml")
        return tmp_path / "out.toml"
    if kind == "fifo":
        os.mkfifo(tmp_path / "out.toml")
        return tmp_path / "out.toml"
    if kind == "folder":
        (tmp_path / "out").mkdir()
        return tmp_path / "out"
    return "/dev/null"  # a device node: as root, a rename over it would replace it


@pytest.mark.parametrize("kind", ["symlink", "fifo", "folder", "device"])
def test_export_refuses_what_is_not_a_regular_file(kind, tmp_path, capsys):
    target = _special(tmp_path, kind)
    before = os.lstat(target)
    assert main(["export", "morning", "-o", str(target)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1
    assert err.startswith("backtui: not writing to ") and "regular file" in err
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    if kind == "symlink":
        assert (tmp_path / "elsewhere.txt").read_text() == "the link's target"


def test_export_makes_a_file_with_the_umask_and_keeps_an_existing_files_mode(tmp_path, capsys):
    previous = os.umask(0o022)
    try:
        assert main(["export", "morning", "-o", str(tmp_path / "new.toml")]) == 0
    finally:
        os.umask(previous)
    assert os.stat(tmp_path / "new.toml").st_mode & 0o777 == 0o644  # not mkstemp's 0600
    mine = write(tmp_path / "mine.toml", "old")
    os.chmod(mine, 0o600)
    assert main(["export", "morning", "-o", str(mine)]) == 0
    assert os.stat(mine).st_mode & 0o777 == 0o600 and "schema = 1" in mine.read_text()


def test_import_races_end_in_two_routines_each_told_its_own_path(tmp_path, capsys):
    """Two `backtui import` runs of different routines with one name, as processes."""
    main(["list"])
    capsys.readouterr()
    first = write(tmp_path / "a.toml", EVENING)
    second = write(tmp_path / "b.toml", EVENING.replace("hold_s = 30", "hold_s = 40"))
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "backtui", "import", str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=os.environ.copy(),
        )
        for path in (first, second)
    ]
    paths = sorted(run.communicate(timeout=60)[0].decode().strip() for run in runs)
    assert all(run.returncode == 0 for run in runs)
    assert [os.path.basename(p) for p in paths] == ["evening-2.toml", "evening.toml"]
    held = sorted((folder() / name).read_text() for name in ("evening.toml", "evening-2.toml"))
    assert held[0] != held[1]
