"""The command line of CONTRACT §3.

Exit codes: 0 success, 1 invalid input or a failed action (one clear line on
stderr, never a traceback), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from backtui import __version__
from backtui.core import locations
from backtui.core.catalog import Catalog, load_catalog
from backtui.core.model import estimate_minutes
from backtui.core.reader import MAX_FILE_BYTES, Problem, Problems, read_bytes
from backtui.core.routine_file import read_routine
from backtui.core.services import load_catalog_only, load_services, open_store
from backtui.core.store import InvalidRoutine, StoreError, atomic_write
from backtui.core.text import visible

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
SCHEMAS = ("routine", "exercise", "settings")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backtui",
        description="Build a lower-back exercise routine and follow it, timed and paced.",
        epilog="Not medical advice: if pain shoots down a leg or rises sharply, stop.",
    )
    parser.add_argument("--version", action="version", version=f"backtui {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    edit = commands.add_parser("edit", help="open the builder on a routine")
    edit.add_argument("routine", metavar="ROUTINE", help="a saved routine's slug or a .toml path")
    run = commands.add_parser("run", help="run a routine full-screen")
    run.add_argument("routine", metavar="ROUTINE", help="a saved routine's slug or a .toml path")
    commands.add_parser("list", help="list saved routines")
    catalog = commands.add_parser("catalog", help="show the exercise catalogue")
    catalog.add_argument("--json", action="store_true", help="one JSON array of exercises")
    validate = commands.add_parser("validate", help="check routine files")
    validate.add_argument("files", nargs="+", metavar="FILE")
    importer = commands.add_parser("import", help="save a routine file into the routines folder")
    importer.add_argument("file", metavar="FILE", help="a routine file, or - for standard input")
    importer.add_argument("--replace", action="store_true", help="overwrite a routine of that name")
    export = commands.add_parser("export", help="write a self-contained routine file")
    export.add_argument("routine", metavar="ROUTINE")
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    plan = commands.add_parser(
        "plan",
        help="show a routine's session, phase by phase",
        description="The session's timeline from the runner's own engine: each phase with "
        "its move and seconds, and the total.",
    )
    plan.add_argument("routine", metavar="ROUTINE", help="a saved routine's slug or a .toml path")
    plan.add_argument("--json", action="store_true", help="the timeline as one JSON object")
    commands.add_parser("history", help="past sessions")
    schema = commands.add_parser(
        "schema",
        help="print a file format's JSON Schema (for editors)",
        description="Print the JSON Schema (draft 2020-12) of a backtui file format on stdout.",
    )
    schema.add_argument(
        "format",
        choices=SCHEMAS,
        help="routine: a routine file; exercise: one [exercises.ID] table; settings: config.toml",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except BrokenPipeError:
        # The reader went away (`backtui catalog | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILED
    except StoreError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"{error.filename or ''}: {error.strerror or error}".lstrip(": "))
    except KeyboardInterrupt:
        return 130


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
        "schema": _schema,
        "plan": _plan,
    }[args.command]
    return handler(args)


def _needs_terminal() -> int | None:
    if sys.stdin.isatty() and sys.stdout.isatty():
        return None
    return _fail("this command draws on the terminal: run it in one (not through a pipe)")


def _builder(args: argparse.Namespace) -> int:
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

    catalog = load_user_catalog()
    path = open_store(catalog).resolve(args.routine)
    result = read_routine(path, catalog)
    if result.routine is None:
        _report(result.problems)
        return EXIT_FAILED
    timeline = plan(result.routine, catalog)
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


def _fail(message: str) -> int:
    print(f"backtui: {visible(message)}", file=sys.stderr)
    return EXIT_FAILED


def _report(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def load_user_catalog(*, report: bool = False) -> Catalog:
    catalog, problems = load_catalog_only()
    if report:
        _report(problems)
    return catalog


def _list(args: argparse.Namespace) -> int:
    catalog = load_user_catalog()
    store = open_store(catalog)
    rows = []
    for stored in store.list():
        if stored.routine is None:
            first = next((p for p in stored.result.problems if p.is_error), None)
            print(
                f"{stored.path}: skipped: {first.message if first else 'unreadable'}",
                file=sys.stderr,
            )
            continue
        routine = stored.routine
        rows.append(
            (
                stored.slug,
                routine.name,
                str(len(routine.steps)),
                f"~{estimate_minutes(routine, catalog)} min",
            )
        )
    if not rows:
        print(f"no saved routines in {store.folder}")
        return EXIT_OK
    _table(("SLUG", "NAME", "STEPS", "TIME"), rows)
    return EXIT_OK


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())


def _catalog(args: argparse.Namespace) -> int:
    catalog = load_user_catalog(report=True)
    if args.json:
        import json

        from backtui.core.spec import to_json

        json.dump([to_json(e) for e in catalog.values()], sys.stdout, indent=2, ensure_ascii=False)
        print()
        return EXIT_OK
    rows = [
        (e.id, f"{e.spine.marker} {e.spine}", e.category.value, e.position.value, e.name)
        for e in catalog.values()
    ]
    _table(("ID", "SPINE", "CATEGORY", "POSITION", "NAME"), rows)
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    import json

    from backtui.core.routine_file import exercise_schema, routine_schema

    if args.format == "routine":
        builtin = load_catalog(locations.builtin_catalog_dir()).catalog
        schema = routine_schema(exercise_ids=list(builtin))
    elif args.format == "exercise":
        schema = exercise_schema()
    else:
        from backtui.core.settings import settings_schema

        schema = settings_schema()
    json.dump(schema, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from backtui.core.balance import unbalanced

    catalog = load_user_catalog()
    status = EXIT_OK
    for name in args.files:
        result = read_routine(Path(name), catalog)
        _report(result.problems)
        if result.routine is None:
            status = EXIT_FAILED
            continue
        for warning in unbalanced(result.routine, catalog):
            lookup = result.routine.lookup(catalog)
            print(
                f"{visible(name)}: steps[{warning.index + 1}]: warning: {warning.message(lookup)}",
                file=sys.stderr,
            )
        routine = result.routine
        steps = f"{len(routine.steps)} step{'s' if len(routine.steps) != 1 else ''}"
        print(f"{visible(name)}: ok ({steps}, ~{estimate_minutes(routine, catalog)} min)")
    return status


def _import(args: argparse.Namespace) -> int:
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
        saved = store.import_bytes(data, source, replace=args.replace)
    except InvalidRoutine as invalid:
        _report(invalid.result.problems)
        return EXIT_FAILED
    print(saved.path)
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    catalog = load_user_catalog()
    store = open_store(catalog)
    stored = store.load_path(store.resolve(args.routine))
    if stored.routine is None:
        _report(stored.result.problems)
        return EXIT_FAILED
    text = store.export(stored.routine)
    if args.output:
        atomic_write(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return EXIT_OK
