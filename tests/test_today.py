"""`backtui today`: one line for a shell prompt, read from history on a fake clock."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest

from backtui.cli import main
from backtui.core import locations
from backtui.core import today as nudge
from backtui.core.history import SCHEMA_VERSION, History, HistoryError, Outcome, SessionRecord
from backtui.core.today import Today, read_today, today_line
from helpers import FakeClock

TZ = timezone(timedelta(hours=-5))  # a fixed zone, so days do not depend on the machine
MORNING_8AM = datetime(2024, 5, 10, 8, tzinfo=TZ)
DAY_S = 24 * 3600


def session(
    clock: FakeClock,
    *,
    name: str = "Morning",
    key: str | None = None,
    seconds: int = 600,
    outcome: Outcome = Outcome.COMPLETED,
) -> SessionRecord:
    """A session that started at the clock's time."""
    start = datetime.fromtimestamp(clock(), TZ)
    return SessionRecord(
        routine_name=name,
        routine_key=key or name.lower(),
        started_at=start,
        ended_at=start + timedelta(seconds=seconds + 10),
        seconds_done=seconds,
        steps_completed=3,
        steps_total=4,
        outcome=outcome,
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MORNING_8AM.timestamp())


@pytest.fixture
def history():
    with History(tz=TZ) as opened:
        yield opened


def said(clock: FakeClock) -> str:
    """What `backtui today` says at the clock's time, read as it reads: read-only."""
    with History(tz=TZ, read_only=True) as reader:
        return today_line(read_today(reader, clock()))


def on_days(history: History, clock: FakeClock, days_ago: list[int], **kwargs) -> None:
    for days in days_ago:
        history.record(session(FakeClock(clock() - days * DAY_S), **kwargs))


def test_no_sessions_yet_and_reading_creates_nothing(clock):
    assert said(clock) == "backtui: no sessions yet — type backtui to start"
    assert not locations.history_file().exists()
    assert not locations.data_dir().exists()


def test_done_today_names_the_routine_and_the_streak(history, clock):
    history.record(session(clock))
    assert said(clock) == "backtui: done today (Morning)"  # one day is not yet "in a row"
    on_days(history, clock, [1, 2, 3])
    assert said(clock) == "backtui: done today (Morning) · 4 days in a row"
    clock.advance(10 * 3600)  # the evening routine, at six
    history.record(session(clock, name="Evening"))
    assert said(clock) == "backtui: done today (Evening, 2 sessions) · 4 days in a row"


def test_not_yet_today_keeps_the_streak_until_yesterday(history, clock):
    on_days(history, clock, [1, 2, 3])
    assert said(clock) == (
        "backtui: not yet today · 3 days in a row until yesterday · most often: Morning"
    )
    clock.advance(DAY_S)  # yesterday was missed: the streak is over, nothing else said
    assert said(clock) == "backtui: not yet today · most often: Morning"


def test_a_broken_streak_counts_only_the_days_since_the_gap(history, clock):
    on_days(history, clock, [1, 2, 4, 5, 6, 7])  # nothing three days ago
    assert said(clock) == (
        "backtui: not yet today · 2 days in a row until yesterday · most often: Morning"
    )
    history.record(session(clock))
    assert said(clock) == "backtui: done today (Morning) · 3 days in a row"
    on_days(history, clock, [1, 2, 4], seconds=0, outcome=Outcome.QUIT)  # no work: no day
    assert said(clock) == "backtui: done today (Morning) · 3 days in a row"


def test_yesterday_alone_is_said_plainly(history, clock):
    on_days(history, clock, [1])
    assert said(clock) == "backtui: not yet today · done yesterday · most often: Morning"


def test_the_day_turns_at_local_midnight(history):
    late = FakeClock(datetime(2024, 5, 10, 23, 50, tzinfo=TZ).timestamp())
    history.record(session(late))  # 04:50 on the 11th in UTC: still the 10th here
    assert said(late) == "backtui: done today (Morning)"
    late.advance(20 * 60)  # ten past midnight
    assert said(late) == "backtui: not yet today · done yesterday · most often: Morning"
    history.record(session(late))
    assert said(late) == "backtui: done today (Morning) · 2 days in a row"
    late.advance(DAY_S)  # ten past midnight a day later: both days still count
    assert said(late) == (
        "backtui: not yet today · 2 days in a row until yesterday · most often: Morning"
    )


def test_a_session_that_runs_past_midnight_counts_for_the_day_it_began(history):
    late = FakeClock(datetime(2024, 5, 10, 23, 55, tzinfo=TZ).timestamp())
    history.record(session(late, seconds=20 * 60))  # ends at a quarter past midnight
    late.advance(30 * 60)
    assert said(late) == "backtui: not yet today · done yesterday · most often: Morning"


def test_most_often_is_by_routine_with_its_latest_name(history, clock):
    on_days(history, clock, [1, 3, 5], name="Morning")
    on_days(history, clock, [2, 4], name="Evening")
    assert said(clock).endswith("most often: Morning")
    on_days(history, clock, [6], name="Evening")  # a tie: the one done last
    assert said(clock).endswith("most often: Morning")
    on_days(history, clock, [7, 8], name="Evening wind-down", key="evening")  # renamed
    assert said(clock).endswith("most often: Evening")


def test_most_often_breaks_a_tie_by_the_one_done_last(history, clock):
    on_days(history, clock, [3], name="Morning")
    on_days(history, clock, [2], name="Evening")
    assert said(clock).endswith("most often: Evening")


@pytest.mark.parametrize(
    ("outcome", "seconds", "counts"),
    [
        (Outcome.COMPLETED, 600, True),
        (Outcome.STOPPED_FOR_PAIN, 0, True),  # stopping when pain rises is doing it right
        (Outcome.STOPPED_FOR_PAIN, 45, True),
        (Outcome.QUIT, 120, True),  # stopped early: still moved
        (Outcome.INTERRUPTED, 200, True),  # a lost terminal: the work before it was done
        (Outcome.QUIT, 0, False),  # opened and closed: nothing done
    ],
)
def test_what_counts_as_done(history, clock, outcome, seconds, counts):
    history.record(session(clock, seconds=seconds, outcome=outcome))
    with History(tz=TZ, read_only=True) as reader:
        summary = read_today(reader, clock())
    assert (summary.done == ("Morning",)) is counts
    assert summary.streak == (1 if counts else 0)
    assert history.streak(datetime.fromtimestamp(clock(), TZ).date()) == summary.streak


def test_a_hostile_name_reaches_the_prompt_as_plain_text(history, clock):
    history.record(session(clock, name="\x1b]0;pwned\x07Morn\x1b[2Jing\u202e\nnext line " * 3))
    line = said(clock)
    assert line.isprintable() and "\x1b" not in line and "\u202e" not in line
    assert line == "backtui: done today (]0;pwnedMorn[2Jing next line ]0…)"


def test_a_name_cannot_make_a_shell_prompt_run_anything(history, clock, tmp_path):
    """Put in PS1 with double quotes, bash expands the line again: a name that
    tries command substitution, variables, escapes or history stays inert."""
    import shutil
    import subprocess

    history.record(session(clock, name="`touch pwned` $(touch pwned2) ${HOME} \\u !! %n Morning"))
    line = said(clock)
    assert not set("`$\\%!") & set(line)
    assert line.startswith("backtui: done today (touch pwned (touch pwned2) {HOM")
    bash = shutil.which("bash")
    if bash is not None:  # and the real thing: bash shows the prompt, runs nothing
        script = f'PS1="{line} \\$ "; echo shown'
        where = tmp_path / "prompt"
        where.mkdir()
        subprocess.run(
            [bash, "--norc", "-i"], input=script, text=True, cwd=where, capture_output=True
        )
        assert list(where.iterdir()) == []


def test_ascii_only_for_a_terminal_that_cannot_show_more():
    assert today_line(Today((), 3, "Morning"), ascii_only=True) == (
        "backtui: not yet today - 3 days in a row until yesterday - most often: Morning"
    )
    assert today_line(Today((), 0, None), ascii_only=True).isascii()


def test_reading_only_never_writes(history, clock):
    history.record(session(clock))
    history.close()
    path = locations.history_file()
    before = (path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent)))
    with History(read_only=True) as reader:
        assert reader.streak() >= 0
        with pytest.raises(HistoryError, match="only to read"):
            reader.record(session(clock))
    assert (path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent))) == before


# --- the command ---------------------------------------------------------------


@pytest.fixture
def local_clock(monkeypatch) -> FakeClock:
    """The command reads the local zone: 8 a.m. local time on a fixed day."""
    clock = FakeClock(datetime(2024, 5, 10, 8).astimezone().timestamp())
    monkeypatch.setattr(nudge, "clock", clock)
    return clock


def local_session(when: datetime) -> SessionRecord:
    return SessionRecord("Morning", "morning", when, when + timedelta(minutes=9), 540, 4, 4)


def test_the_command_says_one_line(local_clock, capsys):
    assert main(["today"]) == 0
    assert capsys.readouterr().out == "backtui: no sessions yet — type backtui to start\n"
    assert not locations.data_dir().exists()  # reading created nothing
    with History() as history:
        now = datetime.fromtimestamp(local_clock()).astimezone()
        for days in (0, 1, 2):
            history.record(local_session(now - timedelta(days=days)))
    assert main(["today", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "backtui: done today (Morning) · 3 days in a row\n"
    assert captured.err == ""


def damaged_history() -> bytes:
    path = locations.history_file()
    path.parent.mkdir(parents=True)
    content = b"this is not a database" * 100
    path.write_bytes(content)
    return content


def test_a_damaged_history_is_one_line_or_silence(capsys):
    content = damaged_history()
    assert main(["today"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert "cannot use the session history: file is not a database" in captured.err
    assert main(["today", "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
    assert locations.history_file().read_bytes() == content


def test_a_newer_history_asks_for_an_update_or_says_nothing(capsys):
    path = locations.history_file()
    path.parent.mkdir(parents=True)
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    assert main(["today"]) == 1
    assert "newer backtui" in capsys.readouterr().err
    assert main(["today", "-q"]) == 0
    assert capsys.readouterr() == ("", "")


def test_a_locked_history_does_not_hold_up_a_login(local_clock, capsys):
    with History() as history:
        history.record(local_session(datetime.fromtimestamp(local_clock()).astimezone()))
    writer = sqlite3.connect(locations.history_file(), isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")  # another backtui in the middle of a write
    try:
        started = time.monotonic()
        assert main(["today", "--quiet"]) == 0
        assert time.monotonic() - started < 2
        assert capsys.readouterr() == ("", "")
        assert main(["today"]) == 1
        assert "database is locked" in capsys.readouterr().err
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert main(["today"]) == 0
    assert "done today" in capsys.readouterr().out


def test_a_folder_where_the_history_should_be(capsys):
    locations.history_file().mkdir(parents=True)
    assert main(["today"]) == 1
    assert "cannot use the session history" in capsys.readouterr().err
    assert main(["today", "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_an_unreadable_folder_is_silence_with_quiet(capsys):
    folder = locations.data_dir()
    folder.mkdir(parents=True)
    folder.chmod(0)
    try:
        assert main(["today", "--quiet"]) == 0
        assert capsys.readouterr() == ("", "")
        assert main(["today"]) == 1
        assert capsys.readouterr().err.count("\n") == 1
    finally:
        folder.chmod(0o700)


def run_today(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backtui", "today", *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
    )


def test_the_process_never_shows_a_traceback():
    damaged_history()
    loud, quiet = run_today(), run_today("--quiet")
    assert loud.returncode == 1 and loud.stdout == ""
    assert loud.stderr.startswith("backtui: ") and loud.stderr.count("\n") == 1
    assert "Traceback" not in loud.stderr
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def test_today_imports_neither_textual_nor_the_catalogue():
    # A fresh interpreter, running the command as `backtui today` does.
    script = (
        "import sys\n"
        "from backtui.cli import main\n"
        "code = main(['today'])\n"
        "heavy = {'textual', 'rich'} & {m.split('.')[0] for m in sys.modules}\n"
        "heavy |= {m for m in sys.modules if m.startswith('backtui.tui')}\n"
        "heavy |= {m for m in sys.modules if m in ('backtui.core.catalog',"
        " 'backtui.core.model', 'backtui.core.store', 'backtui.core.routine_file')}\n"
        "print(code, sorted(heavy))\n"
        "print(sorted({'typing', 'dataclasses', 'inspect'} & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
        check=True,
    )
    imported, slow = result.stdout.splitlines()[-2:]
    assert imported == "0 []"
    # Near a third of the command's time at every login, before they were kept out.
    assert slow == "[]", "typing or dataclasses on the path of `backtui today`"
