"""The keys a person chooses in config.toml's [keymap]: checked in the core, applied
by both apps, shown in the Footer and the help, kept across a restart."""

from __future__ import annotations

import json

import pytest

from backtui.core import locations
from backtui.core.keymap import KnownBinding, Scope, check_keymap, key_name, keys_rows
from backtui.core.model import Routine, Step
from backtui.core.reader import Problems
from backtui.core.settings import Settings, load_settings, save_settings, settings_schema
from backtui.tui.app import BackTUI
from backtui.tui.bindings import known_bindings
from backtui.tui.runner_app import RunnerApp
from backtui.tui.screens.builder import BuilderScreen
from backtui.tui.screens.help import HelpScreen
from backtui.tui.widgets.footer import BindingsFooter
from helpers import write

# --- the core --------------------------------------------------------------------


def known(keys, place, scope, ident="", description="", priority=False) -> KnownBinding:
    return KnownBinding(keys, place, scope, ident, description, place=place, priority=priority)


KNOWN = (
    known(("question_mark",), "Builder", Scope.SCREEN, "builder.help", "Help"),
    known(("r",), "Builder", Scope.SCREEN, "builder.run", "Run"),
    known(("ctrl+s",), "Builder", Scope.SCREEN, "builder.save", "Save"),
    known(("f",), "Builder", Scope.SCREEN, description="Fix"),  # no id: stays
    known(("d",), "Steps", Scope.WIDGET, "step.duplicate", "Duplicate"),
    known(("space",), "Session", Scope.SCREEN, "run.pause", "Pause"),
    known(("space",), "Session", Scope.SCREEN, "run.resume", "Resume"),
    known(("n",), "Session", Scope.SCREEN, "run.next", "Next"),
    known(("b",), "Session", Scope.SCREEN, "run.back", "Back"),
    known(("ctrl+q",), "Anywhere", Scope.APP, "app.quit", "Quit", priority=True),
)


def check(text: str) -> tuple[dict[str, str], list[str]]:
    import tomllib

    problems = Problems("config.toml")
    good = check_keymap(tomllib.loads(text)["keymap"], KNOWN, problems, text)
    return good, [str(p) for p in problems]


@pytest.mark.parametrize(
    ("written", "named"),
    [
        ("f1", "f1"),
        ("F1", "f1"),
        ("?", "question_mark"),
        ("question_mark", "question_mark"),
        ("shift+ctrl+Up", "ctrl+shift+up"),
        ("ctrl+/", "ctrl+slash"),
        ("D", "D"),
        ("+", "plus"),
        ("esc", "escape"),
        ("ctlr+s", None),
        ("ctrl+", None),
        ("foo", None),
        ("ctrl+ctrl+x", None),
        ("", None),
    ],
)
def test_key_names_are_textuals(written, named):
    assert key_name(written) == named


def test_good_entries_apply_and_bad_ones_are_located_and_dropped():
    text = (
        'theme = "daylight"\n'
        "[keymap]\n"
        '"builder.help" = "f1"\n'
        '"builder.hepl" = "f2"\n'
        '"builder.run" = "ctlr+r"\n'
        '"step.duplicate" = "D, ctrl+d"\n'
    )
    good, problems = check(text)
    assert good == {"builder.help": "f1", "step.duplicate": "D,ctrl+d"}
    assert problems == [
        'config.toml:4: keymap."builder.hepl": error: no such key binding; '
        "did you mean builder.help?",
        "config.toml:5: keymap.\"builder.run\": error: 'ctlr+r' is not a key name "
        '(such as "f1", "ctrl+s", "shift+up", "x")',
    ]


def test_a_clash_where_the_binding_works_is_reported_and_the_later_entry_dropped():
    good, problems = check(
        '[keymap]\n"builder.run" = "ctrl+s"\n"run.next" = "p"\n"run.back" = "p"\n'
        '"builder.help" = "f"\n"step.duplicate" = "ctrl+q"\n'
    )
    assert good == {"run.next": "p"}
    assert problems == [
        "config.toml:2: keymap.\"builder.run\": error: 'ctrl+s' is already the key of Save "
        "(builder.save, Builder); entry ignored",
        "config.toml:4: keymap.\"run.back\": error: 'p' is already the key of Next "
        "(run.next, Session); entry ignored",
        "config.toml:5: keymap.\"builder.help\": error: 'f' is already the key of Fix "
        "(Builder); entry ignored",
        "config.toml:6: keymap.\"step.duplicate\": error: 'ctrl+q' is already the key of Quit "
        "(app.quit, Anywhere); entry ignored",
    ]


def test_swapped_keys_shared_keys_by_design_and_other_places_do_not_clash():
    good, problems = check(
        '[keymap]\n"run.next" = "b"\n"run.back" = "n"\n'
        '"run.pause" = "p"\n"run.resume" = "p"\n'
        '"step.duplicate" = "r"\n'  # the builder's r is the screen's; the list's own d moves
    )
    assert problems == []
    assert good == {"run.next": "b", "run.back": "n", "run.pause": "p", "run.resume": "p"} | {
        "step.duplicate": "r"
    }


def test_a_binding_sharing_a_key_with_a_remapped_one_keeps_its_key():
    good, problems = check('[keymap]\n"run.pause" = "p"\n')
    assert problems == []
    assert good == {"run.pause": "p", "run.resume": "space"}  # Textual would drop it


def test_the_settings_reader_keeps_the_keymap_and_saving_writes_it_back(tmp_path):
    path = write(
        tmp_path / "config.toml",
        '[keymap]\n"builder.help" = "f1"\nrun.pain = "x,p"\n"run.next" = 3\n',
    )
    settings, problems = load_settings(path)
    assert settings.keymap == {"builder.help": "f1", "run.pain": "x,p"}  # dotted, unquoted too
    assert [str(p) for p in problems] == [
        f'{path}: keymap."run.next": error: must be keys as text, got 3'
    ]  # no "unknown key" warning for the table itself
    save_settings(Settings(theme="daylight", keymap=settings.keymap), path)
    assert load_settings(path) == (Settings(theme="daylight", keymap=settings.keymap), [])


def test_the_settings_schema_describes_the_keymap():
    keymap = settings_schema()["properties"]["keymap"]
    assert keymap["type"] == "object"
    assert keymap["additionalProperties"] == {"type": "string", "minLength": 1}
    json.dumps(keymap)


def test_every_binding_with_an_id_is_known_once_with_its_keys():
    rows = {ident: keys for ident, keys, _ in keys_rows(known_bindings())}
    assert rows["builder.help"] == "?"
    assert rows["step.remove"] == "delete,x"
    assert rows["run.pain"] == "x"
    assert rows["app.quit"] == "ctrl+q"
    assert {"catalog.add", "detail.back", "history.back", "step.easier"} <= set(rows)


# --- the apps --------------------------------------------------------------------


def footer_keys(app) -> dict[str, str]:
    footer = app.screen.query_one(BindingsFooter)
    return {key.description: key.key_display for key in footer.shown_keys}


def help_text(app) -> str:
    from textual.widgets import Static

    assert isinstance(app.screen, HelpScreen)
    return str(app.screen.query_one(Static).render())


async def test_a_remapped_key_shows_in_the_footer_and_help_works_and_survives_a_restart():
    config = write(
        locations.config_file(),
        '[keymap]\n"builder.help" = "f1"\n"step.duplicate" = "D"\n',
    )
    app = BackTUI()
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        assert footer_keys(app)["Help"] == "f1"
        await pilot.press("question_mark")  # ? is no longer the help's
        assert isinstance(app.screen, BuilderScreen)
        await pilot.press("f1")
        text = help_text(app)
        assert next(line for line in text.splitlines() if "Help" in line).split()[0] == "f1"
        assert next(line for line in text.splitlines() if "Duplicate" in line).split()[0] == "D"
        await pilot.press("escape", "a", "tab", "D")
        assert len(app.screen.routine.steps) == 2
        app.theme = "textual-light"  # saves the settings: the keymap must stay in the file
        await pilot.pause()
        assert not [n for n in app._notifications if "keymap" in n.message]
    assert '"builder.help" = "f1"' in config.read_text()
    again = BackTUI()
    async with again.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "textual-light"
        assert footer_keys(again)["Help"] == "f1"
        await pilot.press("f1")
        assert isinstance(again.screen, HelpScreen)


async def test_an_unknown_id_and_a_clash_are_reported_with_their_lines_and_the_app_starts(
    tmp_path, monkeypatch
):
    config = write(
        tmp_path / "elsewhere.toml",
        '[keymap]\n"builder.hepl" = "f1"\n"builder.run" = "ctrl+s"\n"builder.history" = "f3"\n',
    )
    monkeypatch.setenv("BACKTUI_CONFIG", str(config))
    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        message = "\n".join(n.message for n in app._notifications)
        flat = message.replace("\n", "")  # long lines are broken to fit the toast
        assert (
            'elsewhere.toml:2: keymap."builder.hepl": error: no such key binding; did you' in flat
        )
        assert "elsewhere.toml:3: keymap.\"builder.run\": error: 'ctrl+s' is already" in flat
        assert isinstance(app.screen, BuilderScreen)
        assert app.keymap == {"builder.history": "f3"}
        await pilot.press("f3")  # the good entry still applies
        assert type(app.screen).__name__ == "HistoryScreen"


async def test_the_runner_app_applies_the_keymap_too(catalog, tmp_path):
    config = write(
        tmp_path / "config.toml",
        '[keymap]\n"run.pain" = "p"\n"run.nxt" = "m"\n"run.pause" = "z"\n',
    )
    settings, _ = load_settings(config)
    routine = Routine("Keys", (Step("childs-pose", hold_s=30),))
    app = RunnerApp(
        routine,
        catalog,
        key="keys-test",
        settings=Settings(bell=False, keymap=settings.keymap),
        settings_path=config,
        history_path=tmp_path / "history.sqlite3",
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert footer_keys(app)["Bad pain"] == "p"
        assert any('config.toml:3: keymap."run.nxt"' in n.message for n in app._notifications)
        runner = app.screen
        await pilot.press("enter", "z")  # past the get-ready; z pauses, space still resumes
        assert runner.session.paused
        await pilot.press("space")
        assert not runner.session.paused
        await pilot.press("question_mark")
        line = next(line for line in help_text(app).splitlines() if "Bad pain" in line)
        assert line.split()[0] == "p"


def test_backtui_keys_lists_ids_with_the_keys_in_effect(capsys, monkeypatch, tmp_path):
    from backtui.cli import main

    config = write(tmp_path / "config.toml", '[keymap]\n"run.pain" = "x,p"\n"run.pian" = "y"\n')
    monkeypatch.setenv("BACKTUI_CONFIG", str(config))
    assert main(["keys"]) == 0
    out, err = capsys.readouterr()
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines()[1:]}
    assert rows["run.pain"] == "x,p" and rows["builder.help"] == "?"
    assert rows["run.pause"] == "space"
    assert (
        'config.toml:3: keymap."run.pian": error: no such key binding; did you mean run.pain?'
        in err
    )
    assert all(len(line) <= 80 for line in out.splitlines())


async def test_a_key_changed_on_the_keys_screen_works_and_survives_a_restart():
    from textual.widgets import DataTable

    from backtui.core.settings import load_settings
    from backtui.tui.app import BackTUI
    from backtui.tui.screens.keys_screen import KeysScreen

    app = BackTUI()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("K")
        screen = app.screen
        assert isinstance(screen, KeysScreen)
        table = screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index("builder.history"))
        await pilot.press("enter", "ctrl+s")  # taken by Save: refused, nothing changes
        assert "builder.history" not in app.settings.keymap
        assert any("Not changed" in n.message for n in app._notifications)
        await pilot.press("enter", "f9")
        assert app.settings.keymap == {"builder.history": "f9"}
        await pilot.press("escape", "f9")
        assert type(app.screen).__name__ == "HistoryScreen"
    assert load_settings()[0].keymap == {"builder.history": "f9"}
    again = BackTUI()
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.press("f9")
        assert type(again.screen).__name__ == "HistoryScreen"
        await pilot.press("escape", "K")
        table = again.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index("builder.history"))
        await pilot.press("delete")
        assert again.settings.keymap == {}
