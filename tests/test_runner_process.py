"""A real `backtui run` under a pseudo-terminal, hung up part-way, then resumed."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time

import pytest

from backtui.core import locations, resume
from backtui.core.history import History
from backtui.core.session import Session

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


def read_until(fd: int, needle: bytes, timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def test_sighup_records_an_interrupted_session_and_keeps_the_place(catalog):
    master, slave = pty.openpty()
    env = os.environ | {"TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    process = subprocess.Popen(
        [sys.executable, "-m", "backtui", "run", "quick-relief"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    try:
        screen = read_until(master, b"Get ready", timeout=30)
        assert b"Get ready" in screen
        os.write(master, b"n")  # skip the get-ready: a place is kept once work begins
        read_until(master, b"Therapeutic breath", timeout=10)
        time.sleep(1.5)
        process.send_signal(signal.SIGHUP)
        read_until(master, b"\x00never", timeout=1)  # drain what it writes while closing
        assert process.wait(timeout=20) is not None
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)

    # A second and a half of work is a false start: no row in history (the Pilot
    # tests check the row of a longer one), but the place is kept to resume from.
    with History() as history:
        assert history.recent() == []
    assert resume.load("quick-relief") is not None

    saved = resume.load("quick-relief")
    assert saved is not None
    stored = locations.routines_dir() / "quick-relief.toml"
    from backtui.core.routine_file import read_routine

    routine = read_routine(stored, catalog).routine
    restored = Session.restore(routine, catalog, saved.snapshot, clock=lambda: 0.0)
    status = restored.status()
    # Hung up about 1.5 s into the first exercise: it resumes there, paused.
    assert status.index == saved.snapshot["phase_index"] == 1
    assert status.phase.exercise == routine.steps[0].exercise
    first = status.phase.duration_s
    assert first - 6 < status.remaining_s < first - 0.5
    assert status.paused


def test_run_does_not_import_the_builder():
    code = (
        "import sys, backtui.cli, backtui.tui.runner_app; "
        "print(sorted(m for m in sys.modules if m.startswith('backtui.tui.screens')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = result.stdout
    assert "backtui.tui.screens.runner" in loaded
    assert (
        "backtui.tui.screens.builder" not in loaded
        and "backtui.tui.screens.dose_form" not in loaded
    )
