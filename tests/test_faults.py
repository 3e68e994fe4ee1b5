"""Faults on purpose: a writer killed mid-save, a full disk, a read-only folder,
two processes writing at once, a history database killed mid-write.

The loops fork the test process itself (no interpreter start-up per round), so
hundreds of kills take a few seconds. They are marked `slow` but not skipped:
plain `pytest` runs them; `-m "not slow"` leaves them out while you work.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import random
import signal
import sqlite3
import stat
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from backtui.core.catalog import Catalog
from backtui.core.document import Done, Failed, RoutineDocument
from backtui.core.history import History, SessionRecord
from backtui.core.model import Routine, Step
from backtui.core.routine_file import dumps_routine
from backtui.core.store import RoutineStore

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="the fault loops fork"),
    # Forking a process that has threads (xdist's) is fine here: the child only
    # writes files and leaves with os._exit.
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning"),
]

KILL_ROUNDS = 150
RACE_ROUNDS = 20
HISTORY_KILLS = 12

# Two complete contents, different sizes, so a torn file could be neither.
A = Routine("Kill test", tuple(Step("cat-cow", reps=5) for _ in range(40)))
B = Routine("Kill test", (Step("childs-pose", hold_s=30),), description="x" * 500)


@pytest.fixture
def store(tmp_path: Path, catalog: Catalog) -> RoutineStore:
    made = RoutineStore(tmp_path / "routines", catalog)
    made.ensure_folder()
    return made


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def age(paths: list[Path], seconds: float = 120.0) -> None:
    then = time.time() - seconds
    for path in paths:
        os.utime(path, (then, then))


def _child(work) -> int:  # type: ignore[no-untyped-def]
    """Fork; the child runs `work` and leaves without running pytest's exit code."""
    pid = os.fork()
    if pid == 0:
        status = 0
        try:
            work()
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    return pid


def _kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


# --- SIGKILL during saves ---------------------------------------------------------


@pytest.mark.slow
def test_a_save_killed_at_any_moment_leaves_one_whole_version(store, catalog):
    path = store.save(A, "kill-test").path
    whole = {dumps_routine(A).encode(), dumps_routine(B).encode()}
    rng = random.Random(20240510)
    mid_write = 0
    for round_ in range(KILL_ROUNDS):
        ready_r, ready_w = os.pipe()

        def saving(ready_w: int = ready_w) -> None:
            child_store = RoutineStore(store.folder, catalog)
            n = 0
            while True:
                child_store.save(B if n % 2 == 0 else A, "kill-test")
                if n == 0:
                    os.write(ready_w, b"!")
                n += 1

        pid = _child(saving)
        os.close(ready_w)
        assert os.read(ready_r, 1) == b"!"  # one save done: now kill it anywhere
        os.close(ready_r)
        time.sleep(rng.uniform(0, 0.004))
        _kill(pid)
        assert path.read_bytes() in whole, f"round {round_}: torn or empty"
        left = temporaries(store.folder)
        mid_write += bool(left)
        fresh = RoutineStore(store.folder, catalog)
        assert fresh.slugs() == ["kill-test"]  # a leftover is never listed
        age(left)  # a minute later, the next start sweeps it
        RoutineStore(store.folder, catalog).slugs()
        assert temporaries(store.folder) == []
        assert fresh.load("kill-test").routine in (A, B)
    print(f"{KILL_ROUNDS} kills, {mid_write} of them mid-write (a temporary left behind)")


# --- a full disk, a read-only folder ----------------------------------------------


def _saved_document(store: RoutineStore, catalog: Catalog) -> tuple[RoutineDocument, bytes]:
    document = RoutineDocument(store, catalog)
    document.edit(A, "start")
    assert isinstance(document.save(), Done)
    document.edit(B, "change")
    assert document.slug is not None
    return document, store.path_for(document.slug).read_bytes()


@pytest.mark.parametrize("call", ["write", "fsync"])
def test_a_full_disk_is_a_clear_message_and_the_file_is_kept(call, store, catalog, monkeypatch):
    document, before = _saved_document(store, catalog)
    real = getattr(os, call)

    def full(fd: int, *args: object) -> object:
        # Only files: xdist's execnet writes its pipes with os.write from another thread.
        if stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, *args)

    monkeypatch.setattr(os, call, full)
    result = document.save()
    monkeypatch.undo()
    assert isinstance(result, Failed) and "no space left" in result.message
    assert "kill-test.toml is as it was" in result.message
    assert store.path_for("kill-test").read_bytes() == before
    assert temporaries(store.folder) == [] and document.dirty


def test_a_read_only_folder_is_a_clear_message_and_the_file_is_kept(store, catalog, monkeypatch):
    """As root permissions are not checked, so the refusal is made where the
    folder would refuse: creating the temporary file."""
    document, before = _saved_document(store, catalog)

    def refused(*args: object, dir: str | None = None, **kwargs: object) -> object:
        raise PermissionError(errno.EACCES, "Permission denied", f"{dir}/.kill-test.toml.x.tmp")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    result = document.save()
    monkeypatch.undo()
    assert isinstance(result, Failed)
    assert f"no permission to write there ({store.folder})" in result.message
    assert store.path_for("kill-test").read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_a_folder_made_read_only_is_a_clear_message(store, catalog):
    document, before = _saved_document(store, catalog)
    store.folder.chmod(0o555)
    try:
        result = document.save()
    finally:
        store.folder.chmod(0o755)
    assert isinstance(result, Failed) and "no permission to write there" in result.message
    assert store.path_for("kill-test").read_bytes() == before
    assert temporaries(store.folder) == []


# --- two processes at once --------------------------------------------------------

_fork = multiprocessing.get_context("fork")


def _race(work, n: int = 2) -> list[object]:  # type: ignore[no-untyped-def]
    """Run work(i, barrier) in n processes that start it together; their answers."""
    barrier = _fork.Barrier(n)
    answers = _fork.Queue()
    processes = [
        _fork.Process(target=lambda i=i: answers.put((i, work(i, barrier)))) for i in range(n)
    ]
    for process in processes:
        process.start()
    got = dict(answers.get(timeout=30) for _ in processes)
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    return [got[i] for i in range(n)]


@pytest.mark.slow
def test_two_builders_saving_one_routine_at_once_never_both_save(store, catalog):
    path = store.save(A, "kill-test").path
    for round_ in range(RACE_ROUNDS):
        edits = [
            Routine("Kill test", (Step("cat-cow", reps=round_ + 1),)),
            Routine("Kill test", (Step("childs-pose", hold_s=round_ + 10),)),
        ]

        def save(i: int, barrier, edits=edits) -> tuple[str, str]:  # type: ignore[no-untyped-def]
            document = RoutineDocument(RoutineStore(store.folder, catalog), catalog)
            assert isinstance(document.open_slug("kill-test"), Done)
            document.edit(edits[i], "mine")
            barrier.wait()
            result = document.save()
            return type(result).__name__, getattr(result, "message", "")

        results = _race(save)
        kinds = sorted(kind for kind, _ in results)
        assert kinds == ["Conflict", "Done"], f"round {round_}: {results}"
        winner = next(i for i, (kind, _) in enumerate(results) if kind == "Done")
        assert path.read_text() == dumps_routine(edits[winner])
    assert temporaries(store.folder) == []


@pytest.mark.slow
def test_two_imports_of_one_name_at_once_both_save(store, catalog):
    for round_ in range(RACE_ROUNDS):
        name = f"Race {round_}"
        routines = [
            Routine(name, (Step("cat-cow", reps=3),)),
            Routine(name, (Step("childs-pose", hold_s=40),)),
        ]

        def import_(i: int, barrier, routines=routines) -> str:  # type: ignore[no-untyped-def]
            data = dumps_routine(routines[i]).encode()
            own = RoutineStore(store.folder, catalog)
            barrier.wait()
            return own.import_bytes(data, f"{i}.toml").slug

        slugs = _race(import_)
        assert sorted(slugs) == sorted([f"race-{round_}", f"race-{round_}-2"]), slugs
        for i, slug in enumerate(slugs):
            assert store.load(str(slug)).routine == routines[i]


# --- the history database killed mid-write -----------------------------------------


@pytest.mark.slow
def test_a_history_killed_mid_write_keeps_every_committed_row(tmp_path):
    path = tmp_path / "history.sqlite3"
    History(path).recent()  # created, migrated
    start = datetime(2024, 5, 10, 8, tzinfo=UTC)

    def session(n: int) -> SessionRecord:
        return SessionRecord(
            f"Routine {n}", f"key-{n}", start + timedelta(minutes=n), start, n, n % 7, 7
        )

    committed: set[int] = set()
    rng = random.Random(7)
    n = 0
    for _ in range(HISTORY_KILLS):
        done_r, done_w = os.pipe()
        first = n

        def writing(first: int = first, done_w: int = done_w) -> None:
            with History(path) as history:
                for k in range(first, first + 100_000):
                    history.record(session(k))
                    os.write(done_w, k.to_bytes(4, "big"))  # after COMMIT returned

        pid = _child(writing)
        os.close(done_w)
        data = os.read(done_r, 4)  # at least one session written
        time.sleep(rng.uniform(0, 0.02))
        _kill(pid)
        with os.fdopen(done_r, "rb") as reported:
            data += reported.read()
        committed |= {int.from_bytes(data[i : i + 4], "big") for i in range(0, len(data), 4)}
        n = max(committed) + 2  # the row being written at the kill may have committed

        connection = sqlite3.connect(path)
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        connection.close()
        with History(path) as history:
            rows = {r.routine_key: r for r in history.recent(1_000_000)}
        for k in committed:
            assert replace(rows[f"key-{k}"], id=None) == session(k), k
    assert len(committed) >= HISTORY_KILLS
    print(f"{HISTORY_KILLS} kills, {len(committed)} committed sessions all intact")
