import os
import time
from datetime import UTC, datetime

import pytest

from backtui.core import locations, resume
from backtui.core.model import Routine, Step
from backtui.core.session import Session
from helpers import CATALOG, FakeClock

ROUTINE = Routine("Test", (Step("hold"), Step("sided")))


def paused_session():
    clock = FakeClock()
    session = Session(ROUTINE, CATALOG, clock)
    session.start()
    clock.advance(17.5)
    return session


def test_keys_are_slugs_inside_the_folder_and_hashes_outside(tmp_path):
    inside = locations.routines_dir() / "morning.toml"
    assert resume.key_for(inside) == "morning"
    outside = resume.key_for(tmp_path / "Weird name; rm -rf.toml")
    assert outside.startswith("file-") and len(outside) == 5 + 16
    assert outside == resume.key_for(tmp_path / "." / "Weird name; rm -rf.toml")
    assert resume.key_for(tmp_path / "morning.toml") != "morning"
    assert resume.path_for("morning").parent == locations.data_dir() / "sessions"
    with pytest.raises(ValueError):
        resume.path_for("../escape")


def test_round_trip_and_clear():
    session = paused_session()
    started = datetime(2024, 5, 10, 7, 30, tzinfo=UTC)
    assert resume.load("morning") is None
    assert resume.save("morning", session.snapshot(), started_at=started)
    saved = resume.load("morning")
    assert saved is not None and saved.snapshot == session.snapshot()
    assert saved.started_at == started and saved.saved_at.tzinfo is not None
    back = resume.restore("morning", ROUTINE, CATALOG, FakeClock())
    assert back is not None
    restored, _ = back
    assert restored.paused and restored.status().index == session.status().index
    assert restored.status().remaining_s == pytest.approx(session.status().remaining_s)
    # Saved for another routine: nothing to resume.
    assert resume.restore("morning", ROUTINE.removed(1), CATALOG) is None
    resume.clear("morning")
    resume.clear("morning")
    assert resume.load("morning") is None


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"\xff\xfe garbage",
        b"[1, 2, 3]",
        b'{"format": "something-else", "version": 1, "snapshot": {}}',
        b'{"format": "backtui-session", "version": 99, "snapshot": {}, "saved_at": "2024-01-01T00:00:00+00:00"}',
        b'{"format": "backtui-session", "version": 1, "snapshot": [], "saved_at": "2024-01-01T00:00:00+00:00"}',
        b'{"format": "backtui-session", "version": 1, "snapshot": {}, "saved_at": "yesterday"}',
        b"[" * 100_000,
        b" " * (300 * 1024),
    ],
    ids=[
        "empty",
        "bad-json",
        "not-utf8",
        "a-list",
        "foreign",
        "newer",
        "snapshot-not-a-table",
        "bad-date",
        "deep-nesting",
        "too-big",
    ],
)
def test_a_damaged_or_foreign_file_is_nothing_to_resume(content):
    path = resume.path_for("morning")
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert resume.load("morning") is None
    assert resume.restore("morning", ROUTINE, CATALOG) is None


def test_a_foreign_snapshot_in_a_good_wrapper_is_refused():
    assert resume.save("morning", {"phase_index": 1})
    assert resume.load("morning") is not None
    assert resume.restore("morning", ROUTINE, CATALOG) is None


def test_unreadable_places_do_not_raise(tmp_path):
    resume.path_for("morning").mkdir(parents=True)  # a folder where the file should be
    assert resume.load("morning") is None
    assert resume.save("morning", paused_session().snapshot()) is False
    resume.clear("morning")


def test_the_first_look_sweeps_what_a_killed_save_left(monkeypatch):
    monkeypatch.setattr(resume, "_swept", False)
    resume.save("morning", {"a": 1})
    old = resume.sessions_dir() / ".morning.json.abcd1234.tmp"
    old.write_text("{")
    then = time.time() - 120
    os.utime(old, (then, then))
    assert resume.load("morning") is not None
    assert sorted(p.name for p in resume.sessions_dir().iterdir()) == ["morning.json"]
