"""The command line of CONTRACT §3.

Exit codes: 0 success, 1 invalid input or a failed action (one clear line on
stderr, never a traceback), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from backtui import __version__
from backtui.core import locations
from backtui.core.text import visible

# Each command imports what it needs, inside it: `backtui today` runs from a shell's
# start-up file and must not pay for the catalogue, the routine reader or Textual
# (nor for `typing`: mypy reads this TYPE_CHECKING as typing's).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

    from textual.binding import Binding

    from backtui.core.catalog import Catalog
    from backtui.core.reader import Problem
    from backtui.core.store import RoutineStore

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
SCHEMAS = ("routine", "exercise", "settings", "theme")


ROUTINE_HELP = "a saved routine's slug or name (any case), or a path to a .toml file"


def _command(
    commands: argparse._SubParsersAction[_Parser],
    name: str,
    summary: str,
    description: str,
    examples: str,
    *,
    add_help: bool = True,
) -> argparse.ArgumentParser:
    """A subcommand with a one-line summary (in `backtui --help`), a description
    and examples (in `backtui NAME --help`)."""
    return commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=f"example{'s' if examples.count(chr(10)) else ''}:\n{examples}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=add_help,
    )


class _RunHelp(argparse.Action):
    """`backtui run --help`, with the session's keys read from the runner's own
    bindings. Textual is imported only here, when that help is asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show this help and the session keys")

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        parser.epilog = f"keys during a session:\n{session_keys()}\n\n{parser.epilog}"
        parser.print_help()
        parser.exit()


def session_keys() -> str:
    """One line per key of the session runner, as its bindings describe them."""
    from textual.binding import Binding

    from backtui.tui.screens.runner import RunnerScreen

    keys: dict[str, list[Binding]] = {}
    names = {"space": "space", "enter": "Enter", "escape": "Escape"}
    for binding in RunnerScreen.BINDINGS:
        if not isinstance(binding, Binding):
            continue
        first = binding.key.split(",")[0]
        shown = binding.key_display or names.get(first, first)
        keys.setdefault(shown, []).append(binding)
    width = max(len(key) for key in keys)
    return "\n".join(f"  {key.ljust(width)}  {_said(bound)}" for key, bound in keys.items())


def _said(bindings: list[Binding]) -> str:
    # One key for two actions (space: pause, resume) names both, briefly.
    if len(bindings) > 1:
        return " / ".join(binding.description for binding in bindings)
    return bindings[0].tooltip or bindings[0].description


class _Parser(argparse.ArgumentParser):
    """argparse, whose errors quote what was typed (a file name, an unknown
    option) through `visible` like every other line backtui prints."""

    def error(self, message: str) -> NoReturn:
        super().error(visible(message))


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="backtui",
        description="Build a lower-back exercise routine and follow it, timed and paced.\n\n"
        "With no command, backtui opens the builder: the exercise catalogue and your\n"
        "routine side by side. A command's ROUTINE is a saved routine's slug or name,\n"
        "or a path to a .toml file.",
        epilog="examples:\n  backtui                  open the builder\n"
        "  backtui run morning      do the morning routine, timed and paced\n"
        "  backtui run --help       the keys during a session\n\n"
        "Not medical advice: if pain shoots down a leg or rises sharply, stop.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"backtui {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    edit = _command(
        commands,
        "edit",
        "open the builder on a routine",
        "Open the builder on a routine. A file outside the routines folder is opened\n"
        "as an import: saving it saves a copy into the folder.",
        "  backtui edit evening\n  backtui edit ~/Downloads/shared.toml",
    )
    edit.add_argument("routine", metavar="ROUTINE", help=ROUTINE_HELP)
    run = _command(
        commands,
        "run",
        "run a routine full-screen",
        "Do a routine full-screen: a big countdown, the move and its instruction,\n"
        "the breathing pacer, and what comes next.",
        '  backtui run quick-relief\n  backtui run "Evening wind-down"',
        add_help=False,
    )
    run.add_argument("-h", "--help", action=_RunHelp)
    run.add_argument("routine", metavar="ROUTINE", help=ROUTINE_HELP)
    _command(
        commands,
        "list",
        "list saved routines",
        "Saved routines: slug, name, steps and estimated minutes.",
        "  backtui list",
    )
    catalog = _command(
        commands,
        "catalog",
        "show the exercise catalogue",
        "The exercise catalogue, built-in and your own, grouped by category: each\n"
        "move's id (what a routine file names), spinal direction, position and name.",
        "  backtui catalog\n  backtui catalog --json > catalog.json",
    )
    catalog.add_argument("--json", action="store_true", help="one JSON array of exercises")
    validate = _command(
        commands,
        "validate",
        "check routine files",
        "Check routine files: every problem with where it is, and balance warnings.\n"
        "Exit 1 if any file is invalid; warnings do not change the exit code.",
        "  backtui validate morning.toml shared/*.toml",
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="a routine file to check")
    importer = _command(
        commands,
        "import",
        "save a routine file into the routines folder",
        "Check a routine file and save it into your routines folder; print its path.\n"
        "The same routine saved already is not saved twice. A different routine whose\n"
        "name is taken is saved under a new slug (evening-2), unless --replace.",
        "  backtui import ~/Downloads/evening.toml\n"
        "  ssh host backtui export morning | backtui import -",
    )
    importer.add_argument("file", metavar="FILE", help="a routine file, or - for standard input")
    importer.add_argument(
        "--replace",
        action="store_true",
        help="overwrite the saved routine whose slug is the imported routine's name, "
        "instead of saving under a new slug",
    )
    export = _command(
        commands,
        "export",
        "write a self-contained routine file, or a handout to print",
        "Write a routine file that stands on its own: every exercise of your own that\n"
        "it uses travels inside it. --format html or md writes a handout for people\n"
        "instead: each step with its position, dose, instructions, breathing and\n"
        "cautions, the balance and the total time; one page to print, or notes.",
        "  backtui export morning -o morning.toml\n"
        "  backtui export morning | ssh host backtui import -\n"
        "  backtui export morning --format html -o morning.html",
    )
    export.add_argument("routine", metavar="ROUTINE", help=ROUTINE_HELP)
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    export.add_argument(
        "--format",
        choices=("toml", "html", "md", "json"),
        default="toml",
        help="toml: the routine file (the default); json: the same, as `backtui schema "
        "routine` describes it; html: a page to print; md: Markdown for notes",
    )
    plan = _command(
        commands,
        "plan",
        "show a routine's session, phase by phase",
        "The session's timeline from the runner's own engine: each phase with its\n"
        "move and seconds, and the total.",
        "  backtui plan morning\n  backtui plan morning --json",
    )
    plan.add_argument("routine", metavar="ROUTINE", help=ROUTINE_HELP)
    plan.add_argument("--json", action="store_true", help="the timeline as one JSON object")
    delete = _command(
        commands,
        "delete",
        "delete a saved routine",
        "Delete a routine from your routines folder, after asking. Without a terminal\n"
        "to ask in, it deletes only with --yes. A deleted starter routine comes back\n"
        "with `backtui starters --restore`.",
        '  backtui delete evening-2\n  backtui delete "Old routine" --yes',
    )
    delete.add_argument("routine", metavar="ROUTINE", help="a saved routine's slug or name")
    delete.add_argument("-y", "--yes", action="store_true", help="delete without asking")
    starters = _command(
        commands,
        "starters",
        "the starter routines: which are there, and restore missing ones",
        "The starter routines backtui ships, and whether each is in your routines\n"
        "folder as shipped (present), changed by you (changed) or missing.",
        "  backtui starters\n  backtui starters --restore",
    )
    starters.add_argument(
        "--restore",
        action="store_true",
        help="copy back every missing starter; files that are there are never touched",
    )
    _command(
        commands,
        "history",
        "past sessions",
        "Past sessions, the days-in-a-row streak, and pain before and after over four\nweeks.",
        "  backtui history",
    )
    today = _command(
        commands,
        "today",
        "one line for a shell prompt: done today or not, and the streak",
        "One short line: whether you have done a session today, the days-in-a-row\n"
        "streak, and the routine you do most often. It only reads the history, never\n"
        "writes it, and quickly, so it fits a shell's start-up file:\n\n"
        "  command -v backtui >/dev/null && backtui today --quiet",
        "  backtui today",
    )
    today.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="on any error (no readable history, a locked or damaged one) print nothing and exit 0",
    )
    remind = _command(
        commands,
        "remind",
        "a daily calendar reminder (.ics) for your phone or desktop",
        "Write a calendar file with one event that repeats every day at --time, with\n"
        "an alarm, naming the routine and the command that starts it. Import it into\n"
        "your phone's or desktop's calendar: the nudge reaches you even when backtui\n"
        "lives on another machine. Writing it again for the same routine and importing\n"
        "it updates that event.",
        "  backtui remind --ics --time 07:30 --routine morning -o back.ics\n"
        "  ssh host backtui remind --ics --routine morning > back.ics",
    )
    remind.add_argument(
        "--ics", action="store_true", required=True, help="an iCalendar file (RFC 5545)"
    )
    remind.add_argument(
        "--time",
        type=_time_of_day,
        default="08:00",
        metavar="HH:MM",
        help="the time of day, 24-hour, in your own time zone (default 08:00)",
    )
    remind.add_argument("--routine", metavar="ROUTINE", help=ROUTINE_HELP)
    remind.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    _command(
        commands,
        "keys",
        "the key bindings, with the ids a [keymap] in config.toml names",
        "Every key binding of the builder and the runner: its id, its keys (yours, where\n"
        "config.toml's [keymap] chooses them) and what it does. Choose other keys there:\n\n"
        '  [keymap]\n  "builder.help" = "f1"\n  "run.pain" = "x,p"',
        "  backtui keys\n  backtui keys | grep run.",
    )
    schema = _command(
        commands,
        "schema",
        "print a file format's JSON Schema (for editors)",
        "Print the JSON Schema (draft 2020-12) of a backtui file format on stdout.",
        "  backtui schema routine > ~/.config/backtui/routine.schema.json",
    )
    schema.add_argument(
        "format",
        choices=SCHEMAS,
        help="routine: a routine file; exercise: one [exercises.ID] table; "
        "settings: config.toml; theme: a theme file",
    )
    serve = _command(
        commands,
        "serve",
        "the builder in a web browser (needs the web extra)",
        "Serve the builder, and sessions run from it, to a web browser: one backtui per\n"
        "browser tab. It listens on this machine only unless --host says otherwise; from\n"
        "another computer, forward the port with ssh -L. Closing a tab mid-session keeps\n"
        'the session as interrupted, as closing a terminal does. Needs: pip install "backtui[web]"',
        "  backtui serve\n  backtui serve --port 8080\n"
        "  ssh -L 8000:localhost:8000 me@host   (then open http://localhost:8000/ here)",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)"
    )
    serve.add_argument(
        "--port", type=_port, default=8000, help="the port to listen on (default: 8000)"
    )
    return parser


def _time_of_day(text: str) -> tuple[int, int]:
    from backtui.core.reminder import parse_time

    try:
        return parse_time(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"not a port number (1-65535): {text!r}")
    return int(text)


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line; an unknown option is reported by the subcommand it was
    given to, with that subcommand's usage (exit 2)."""
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        message = f"unrecognized arguments: {' '.join(extra)}"
        subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        sub = subparsers.choices.get(args.command) if args.command else None
        (sub or parser).error(message)
    return args


def _tolerant_output() -> None:
    """Never crash on printing: what the stream's encoding cannot hold (an `é` with
    PYTHONIOENCODING=ascii:strict) is written as a backslash escape instead."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # not a text stream after all
                reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_output()
    args = parse(argv)
    try:
        return _dispatch(args)
    except BrokenPipeError:
        _stdout_gone()
        return EXIT_FAILED
    except _store_error() as error:  # evaluated only when something was raised
        return _fail(str(error))
    except OSError as error:
        return _fail(f"{error.filename or ''}: {error.strerror or error}".lstrip(": "))
    except KeyboardInterrupt:
        return 130


def _stdout_gone() -> None:
    """The reader went away (`backtui catalog | head`): stop quietly, without
    Python's complaint when it flushes stdout on the way out."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _store_error() -> type[Exception]:
    from backtui.core.store import StoreError

    return StoreError


def _dispatch(args: argparse.Namespace) -> int:
    handler = {
        None: _builder,
        "edit": _builder,
        "list": _list,
        "catalog": _catalog,
        "validate": _validate,
        "import": _import,
        "export": _export,
        "run": _run,
        "history": _history,
        "keys": _keys,
        "schema": _schema,
        "plan": _plan,
        "delete": _delete,
        "starters": _starters,
        "today": _today,
        "remind": _remind,
        "serve": _serve,
    }[args.command]
    return handler(args)


def _needs_terminal() -> int | None:
    """Refuse to draw into a pipe; under `backtui serve` the browser is the terminal
    (Textual's web driver talks over pipes by design)."""
    from backtui.tui.web import WEB_DRIVER

    if os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER:
        return None
    if sys.stdin.isatty() and sys.stdout.isatty():
        return None
    return _fail("this command draws on the terminal: run it in one (not through a pipe)")


def _serve(args: argparse.Namespace) -> int:
    from backtui.tui.web import serve

    try:
        serve(args.host, args.port)
    except ImportError as missing:
        return _fail(str(missing))
    return EXIT_OK


def _builder(args: argparse.Namespace) -> int:
    from backtui.core.routine_file import read_routine
    from backtui.core.services import load_services

    services = load_services()
    routine = getattr(args, "routine", None)
    path = None
    if routine is not None:
        path = services.store.resolve(routine)
        result = read_routine(path, services.catalog)
        if result.routine is None:  # as `run` and `validate` do: every problem, located
            _report(result.problems)
            return EXIT_FAILED
    if (refused := _needs_terminal()) is not None:
        return refused
    from backtui.tui.app import BackTUI  # Textual loads only for the commands that draw

    app = BackTUI(path, services=services)
    _freeze_startup_objects()
    app.run()
    return app.return_code or EXIT_OK


def _freeze_startup_objects() -> None:
    """What is loaded by now (the catalogue above all) lives as long as the process;
    keeping it out of the collector's full passes removes 20–30 ms pauses
    mid-keystroke with a large catalogue. Once per process, here, not in an app."""
    import gc

    gc.collect()
    gc.freeze()


def _run(args: argparse.Namespace) -> int:
    from backtui.core.routine_file import read_routine
    from backtui.core.services import open_store

    catalog = load_user_catalog()
    store = open_store(catalog)
    path = store.resolve(args.routine)
    result = read_routine(path, catalog)
    if result.routine is None:
        _report(result.problems)
        return EXIT_FAILED
    if (refused := _needs_terminal()) is not None:
        return refused
    from backtui.core import resume
    from backtui.core.settings import load_settings
    from backtui.tui.runner_app import RunnerApp  # Textual loads only for the commands that draw

    settings, _ = load_settings()
    app = RunnerApp(result.routine, catalog, key=resume.key_for(path), settings=settings)
    _freeze_startup_objects()
    app.run()
    return app.return_code or EXIT_OK


def _plan(args: argparse.Namespace) -> int:
    import json

    from backtui.core.plan import format_plan, plan
    from backtui.core.routine_file import read_routine
    from backtui.core.services import open_store

    catalog = load_user_catalog()
    path = open_store(catalog).resolve(args.routine)
    result = read_routine(path, catalog)
    if result.routine is None:
        _report(result.problems)
        return EXIT_FAILED
    from backtui.core.settings import load_settings

    settings, _ = load_settings()  # the runner's pacing; a broken file keeps the defaults
    timeline = plan(result.routine, catalog, settings.pacing())
    if args.json:
        print(json.dumps(timeline.to_json(), indent=1, ensure_ascii=False))
    else:
        table = format_plan(timeline, result.routine.lookup(catalog))
        print("\n".join(visible(line) for line in table.splitlines()))
    return EXIT_OK


def _history(args: argparse.Namespace) -> int:
    from backtui.core.history import History, HistoryError, format_history

    try:
        with History() as history:
            text = format_history(history.recent(20), history.streak(), history.pain_by_day(28))
    except HistoryError as error:
        return _fail(str(error))
    sys.stdout.write(text)
    return EXIT_OK


TODAY_LOCK_WAIT_S = 0.25  # a login must not hang on a history being written


def _today(args: argparse.Namespace) -> int:
    """`backtui today`: imports the history reader alone (see core/today.py)."""
    try:
        from backtui.core import today
        from backtui.core.history import History

        with History(read_only=True, timeout=TODAY_LOCK_WAIT_S) as history:
            summary = today.read_today(history)
        plain = not _can_encode(sys.stdout, "·—…")
        print(today.today_line(summary, ascii_only=plain), flush=True)
    except BrokenPipeError:
        _stdout_gone()
        return EXIT_OK if args.quiet else EXIT_FAILED
    except Exception as error:  # anything: a login line must never show a traceback
        # A HistoryError says which file and why: "…/history.sqlite3: cannot use
        # the session history: file is not a database".
        return EXIT_OK if args.quiet else _fail(str(error) or type(error).__name__)
    return EXIT_OK


def _can_encode(stream: object, text: str) -> bool:
    try:
        text.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeError, LookupError):
        return False
    return True


def _remind(args: argparse.Namespace) -> int:
    import shlex
    from datetime import UTC, datetime

    from backtui.core import reminder, resume
    from backtui.core.model import estimate_minutes
    from backtui.core.services import open_store

    hour, minute = args.time
    if args.routine is None:
        event = reminder.Reminder(hour, minute, None, "backtui run ROUTINE", "any")
    else:
        catalog = load_user_catalog()
        store = open_store(catalog)
        path = store.resolve(args.routine)  # not found: the closest names, as `run` says
        stored = store.load_path(path)
        if stored.routine is None:
            _report(stored.result.problems)
            return EXIT_FAILED
        which = store.slug_of(path) or shlex.quote(str(path.resolve()))  # runs from any folder
        minutes = estimate_minutes(stored.routine, catalog)
        key = resume.key_for(path)
        event = reminder.Reminder(
            hour, minute, stored.routine.name, f"backtui run {which}", key, minutes
        )
    now = datetime.now(UTC)
    text = reminder.ics(event, first_day=now.astimezone().date(), stamp=now)
    if args.output:
        if (failed := _write_file(Path(args.output), text)) is not None:
            return failed
        print(visible(f"wrote {args.output}: import it into your calendar"), file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))  # UTF-8 and CRLF, whatever the locale
        sys.stdout.buffer.flush()
    return EXIT_OK


def _keys(args: argparse.Namespace) -> int:
    from backtui.core.keymap import keys_rows, load_keymap
    from backtui.core.settings import config_path, load_settings
    from backtui.core.table import WIDTH, cells, fit
    from backtui.core.table import table as lay_out
    from backtui.tui.bindings import known_bindings  # Textual loads only for this command

    known = known_bindings()
    path = config_path()
    settings, problems = load_settings(path)
    keymap, keymap_problems = load_keymap(settings.keymap, known, path)
    _report([p for p in (*problems, *keymap_problems) if p.where.startswith("keymap")])
    rows = keys_rows(known, keymap)
    used = max(cells(ident) for ident, _, _ in rows) + max(cells(k) for _, k, _ in rows) + 4
    width = max(WIDTH - used, 20)
    lines = lay_out(("ID", "KEYS", "DOES"), [(i, k, fit(visible(d), width)) for i, k, d in rows])
    print("\n".join(lines))
    return EXIT_OK


def _fail(message: str) -> int:
    _note(message)
    return EXIT_FAILED


def _note(message: str) -> None:
    print(f"backtui: {visible(message)}", file=sys.stderr)


def _report(problems: Iterable[Problem]) -> None:
    """Every problem printed goes through here: at most 20 per file and severity."""
    from backtui.core.reader import report_lines

    for line in report_lines(problems):
        print(line, file=sys.stderr)


def load_user_catalog(*, report: bool = False) -> Catalog:
    from backtui.core.services import load_catalog_only

    catalog, problems = load_catalog_only()
    if report:
        _report(problems)
    return catalog


def _list(args: argparse.Namespace) -> int:
    from backtui.core.model import estimate_minutes
    from backtui.core.services import open_store

    catalog = load_user_catalog()
    store = open_store(catalog)
    rows = []
    for stored in store.list():
        if stored.routine is None:
            first = next((p for p in stored.result.problems if p.is_error), None)
            print(
                visible(f"{stored.path}: skipped: {first.message if first else 'unreadable'}"),
                file=sys.stderr,
            )
            continue
        routine = stored.routine
        rows.append(
            (
                stored.slug,
                visible(routine.name),
                str(len(routine.steps)),
                f"~{estimate_minutes(routine, catalog)} min",
            )
        )
    if not rows:
        print(visible(f"no saved routines in {store.folder}"))
        return EXIT_OK
    _table(("SLUG", "NAME", "STEPS", "TIME"), rows)
    return EXIT_OK


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    from backtui.core.table import table

    print("\n".join(table(header, rows)))


def _catalog(args: argparse.Namespace) -> int:
    catalog = load_user_catalog(report=True)
    if args.json:
        import json

        from backtui.core.spec import to_json

        json.dump([to_json(e) for e in catalog.values()], sys.stdout, indent=2, ensure_ascii=False)
        print()
        return EXIT_OK
    from backtui.core.table import catalog_table

    print("\n".join(catalog_table(catalog.values())))
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    import json

    from backtui.core.catalog import load_catalog
    from backtui.core.routine_file import exercise_schema, routine_schema

    if args.format == "routine":
        builtin = load_catalog(locations.builtin_catalog_dir()).catalog
        schema = routine_schema(exercise_ids=list(builtin))
    elif args.format == "exercise":
        schema = exercise_schema()
    elif args.format == "theme":
        from backtui.core.theme_file import theme_schema

        schema = theme_schema()
    else:
        from backtui.core.settings import settings_schema

        schema = settings_schema()
    json.dump(schema, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from backtui.core.balance import unbalanced
    from backtui.core.model import estimate_minutes
    from backtui.core.reader import Problems
    from backtui.core.routine_file import read_routine

    catalog = load_user_catalog()
    status = EXIT_OK
    for name in args.files:
        result = read_routine(Path(name), catalog)
        if result.routine is None:
            _report(result.problems)
            status = EXIT_FAILED
            continue
        balance = Problems(name)
        lookup = result.routine.lookup(catalog)
        for warning in unbalanced(result.routine, catalog):
            balance.warning(f"steps[{warning.index + 1}]", warning.message(lookup))
        _report([*result.problems, *balance])
        routine = result.routine
        steps = f"{len(routine.steps)} step{'s' if len(routine.steps) != 1 else ''}"
        print(f"{visible(name)}: ok ({steps}, ~{estimate_minutes(routine, catalog)} min)")
    return status


def _import(args: argparse.Namespace) -> int:
    from backtui.core.reader import MAX_FILE_BYTES, Problems, read_bytes
    from backtui.core.services import open_store
    from backtui.core.store import ImportCase, InvalidRoutine, write_error_text

    catalog = load_user_catalog()
    store = open_store(catalog)
    if args.file == "-":
        source, data = "<stdin>", sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    else:
        source = args.file
        problems = Problems(source)
        data = read_bytes(Path(source), problems)
        if data is None:
            _report(problems)
            return EXIT_FAILED
    try:
        imported = store.import_bytes(data, source, replace=args.replace)
    except InvalidRoutine as invalid:
        _report(invalid.result.problems)
        return EXIT_FAILED
    except OSError as error:
        return _fail(f"could not import {source}: {write_error_text(error)}")
    print(visible(str(imported.path)))  # the path alone, for scripts (CONTRACT §3)
    if imported.case is not ImportCase.SAVED or imported.also_named:
        _note(imported.message())
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from backtui.core.services import open_store

    catalog = load_user_catalog()
    store = open_store(catalog)
    stored = store.load_path(store.resolve(args.routine))
    if stored.routine is None:
        _report(stored.result.problems)
        return EXIT_FAILED
    if args.format == "toml":
        text = store.export(stored.routine)
    else:
        from backtui.core.handout import export_text
        from backtui.core.settings import load_settings

        settings, _ = load_settings()  # the runner's pacing sets the total, as for `plan`
        text = export_text(args.format, stored.routine, store, settings.pacing())
    if args.output:
        return _write_file(Path(args.output), text) or EXIT_OK
    sys.stdout.write(text)
    return EXIT_OK


def _write_file(target: Path, text: str) -> int | None:
    """`-o FILE`: written whole or not at all, never through a link or onto a
    folder; None when written, else the exit code after saying why."""
    from backtui.core.store import atomic_write, refuse_target, write_error_text

    refused = refuse_target(target)
    if refused is not None:
        return _fail(refused)
    try:
        atomic_write(target, text)
    except OSError as error:
        return _fail(f"could not write {target}: {write_error_text(error)}")
    return None


def _delete(args: argparse.Namespace) -> int:
    from backtui.core.services import open_store

    catalog = load_user_catalog()
    store = open_store(catalog)
    path = store.resolve(args.routine)
    slug = store.slug_of(path)
    if slug is None:
        return _fail(f"{path} is not in the routines folder ({store.folder}); nothing deleted")
    stored = store.load_path(path)
    name = stored.routine.name if stored.routine is not None else slug
    if not args.yes:
        if not sys.stdin.isatty():
            return _fail(
                f"not deleting {slug}.toml without asking: run it in a terminal, or add --yes"
            )
        print(
            f'Delete "{visible(name)}" ({slug}.toml)? [y/N] ', end="", file=sys.stderr, flush=True
        )
        answer = sys.stdin.readline().strip().lower()
        if answer not in ("y", "yes"):
            _note(f"kept {slug}.toml")
            return EXIT_OK
    store.delete(slug, expected=stored.fingerprint)  # refused if it changed while we asked
    restore = (
        " (a starter: `backtui starters --restore` brings it back)"
        if _is_starter(store, slug)
        else ""
    )
    print(f"deleted {slug}.toml{restore}")
    return EXIT_OK


def _is_starter(store: RoutineStore, slug: str) -> bool:
    return any(p.stem == slug for p in store.starter_files())


def _starters(args: argparse.Namespace) -> int:
    from backtui.core.services import open_store
    from backtui.core.store import StarterStatus

    store = open_store(load_user_catalog())
    if args.restore:
        restored = store.restore_starters()
        for state in restored:
            print(f'restored {state.slug}.toml ("{visible(state.name)}")')
        if not restored:
            print("every starter routine is there; nothing to restore")
        return EXIT_OK
    states = store.starter_states()
    rows = [(s.slug, visible(s.name), s.status.value) for s in states]
    _table(("SLUG", "NAME", "STATE"), rows)
    if any(s.status is StarterStatus.MISSING for s in states):
        print("\n`backtui starters --restore` copies back the missing ones.")
    return EXIT_OK
