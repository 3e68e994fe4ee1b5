import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from backtui.core import locations
from backtui.core.history import (
    SCHEMA_VERSION,
    History,
    HistoryError,
    Outcome,
    SessionRecord,
    format_history,
    pain_chart,
    pain_report,
    sparkline,
)

TZ = timezone(timedelta(hours=-5))  # a fixed zone, so days do not depend on the machine
TODAY = date(2024, 5, 10)


def at(day: date, hour: int = 8) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def record(
    day=TODAY, hour=8, *, seconds=600, before=None, after=None, outcome="completed", name="Morning"
):
    start = at(day, hour)
    return SessionRecord(
        routine_name=name,
        routine_key="morning",
        started_at=start,
        ended_at=start + timedelta(seconds=seconds + 10),
        seconds_done=seconds,
        steps_completed=3,
        steps_total=4,
        pain_before=before,
        pain_after=after,
        outcome=Outcome(outcome),
    )


@pytest.fixture
def history():
    with History(tz=TZ) as opened:
        yield opened


def test_created_on_first_use_with_folders_and_a_schema_version(history):
    path = locations.history_file()
    assert not path.exists()
    assert history.recent() == []
    assert path.is_file()
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 1
    columns = [row[1] for row in connection.execute("PRAGMA table_info(sessions)")]
    assert columns == [
        "id",
        "routine_name",
        "routine_key",
        "started_at",
        "ended_at",
        "seconds_done",
        "steps_completed",
        "steps_total",
        "pain_before",
        "pain_after",
        "outcome",
    ]
    connection.close()


def test_record_and_recent_newest_first(history):
    first = history.record(record(TODAY - timedelta(days=1), before=6, after=4))
    second = history.record(record(TODAY, 7, outcome="stopped-for-pain"))
    third = history.record(record(TODAY, 18, name="Evening"))
    assert first < second < third
    recent = history.recent()
    assert [r.id for r in recent] == [third, second, first]
    assert [r.id for r in history.recent(limit=2)] == [third, second]
    oldest = recent[-1]
    assert oldest.started_at == at(TODAY - timedelta(days=1))
    assert oldest.started_at.tzinfo is not None
    assert (oldest.pain_before, oldest.pain_after, oldest.outcome) == (6, 4, Outcome.COMPLETED)
    assert recent[1].outcome is Outcome.STOPPED_FOR_PAIN
    # Stored as UTC text.
    raw = sqlite3.connect(history.path).execute(
        "SELECT started_at FROM sessions WHERE id = ?", (first,)
    )
    assert raw.fetchone()[0] == "2024-05-09T13:00:00+00:00"


def test_reopening_keeps_the_sessions(history):
    history.record(record())
    history.close()
    assert len(History().recent()) == 1


def test_streak_counts_days_in_a_row_ending_today_or_yesterday(history):
    assert history.streak(TODAY) == 0
    for days_ago in (1, 2, 2, 3, 5):
        history.record(record(TODAY - timedelta(days=days_ago)))
    assert history.streak(TODAY) == 3  # yesterday and the two before
    history.record(record(TODAY, seconds=0, outcome="quit"))  # no work done: no day
    assert history.streak(TODAY) == 3
    history.record(record(TODAY, 23))
    assert history.streak(TODAY) == 4
    assert history.streak(TODAY + timedelta(days=2)) == 0
    # Late evening in the person's zone is already tomorrow in UTC: still that day.
    assert history.recent(1)[0].started_at.astimezone(UTC).date() == TODAY + timedelta(days=1)


def test_pain_by_day_averages_each_day(history):
    history.record(record(TODAY, 7, before=6, after=4))
    history.record(record(TODAY, 19, before=5, after=None))
    history.record(record(TODAY - timedelta(days=2), before=8, after=7))
    history.record(record(TODAY - timedelta(days=40), before=9, after=9))  # too old
    pain = history.pain_by_day(days=7, today=TODAY)
    assert [day for day, _, _ in pain] == [TODAY - timedelta(days=n) for n in range(6, -1, -1)]
    assert pain[-1] == (TODAY, 5.5, 4.0)
    assert pain[-3] == (TODAY - timedelta(days=2), 8.0, 7.0)
    assert pain[-2] == (TODAY - timedelta(days=1), None, None)
    assert len(history.pain_by_day(today=TODAY)) == 28


def test_records_are_checked():
    with pytest.raises(ValueError):
        record(before=11)
    with pytest.raises(ValueError):
        record(outcome="exploded")
    with pytest.raises(ValueError):
        record(seconds=-1)


@pytest.mark.parametrize(
    "content",
    [b"this is not a database" * 100, b"SQLite format 3\x00" + b"\xff" * 4000],
    ids=["text", "damaged-header"],
)
def test_a_garbage_file_gives_a_history_error(content):
    path = locations.history_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    history = History()
    with pytest.raises(HistoryError, match="history"):
        history.recent()
    with pytest.raises(HistoryError):
        history.record(record())
    assert path.read_bytes() == content  # left as it was, for the person to look at


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "h.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(HistoryError, match="newer backtui"):
        History(path).streak(TODAY)


def test_a_folder_in_the_way_gives_a_history_error(tmp_path):
    (tmp_path / "blocked").write_text("a file, not a folder")
    with pytest.raises(HistoryError):
        History(tmp_path / "blocked" / "history.sqlite3").recent()


def test_sparkline():
    assert sparkline([0, 10, None, 5, 2.5]) == "▁█ ▅▃"


def test_format_history(history):
    history.record(record(TODAY - timedelta(days=1), seconds=754, before=6, after=4))
    history.record(record(TODAY, seconds=20, name="Quick\x1b[31m relief", outcome="quit"))
    text = format_history(
        history.recent(), history.streak(TODAY), history.pain_by_day(7, TODAY), tz=TZ
    )
    lines = text.splitlines()
    assert lines[0].split() == ["When", "Routine", "Min", "Steps", "Pain", "Ended"]
    assert lines[1].split() == [
        "2024-05-10",
        "08:00",
        "Quick[31m",
        "relief",
        "<1",
        "3/4",
        "–",
        "stopped",
        "early",
    ]
    assert lines[2].split() == ["2024-05-09", "08:00", "Morning", "13", "3/4", "6→4", "done"]
    assert "\x1b" not in text
    assert "Streak: 2 days in a row" in text
    assert "before │     ▅ │" in text
    assert " after │     ▄ │" in text
    assert format_history([], 0, []).startswith("No sessions yet")
    no_pain = format_history(history.recent(), 0, [(TODAY, None, None)])
    assert "Pain: no ratings yet" in no_pain and "Streak: none" in no_pain


def test_pain_chart_columns_mark_the_pain_and_leave_unrated_days_blank():
    assert pain_chart([0, 10, None, 5], rows=2) == [" █  ", "▁█ █"]


def test_the_pain_report_lines_every_row_up_with_its_days():
    days = [date(2024, 5, 1) + timedelta(days=n) for n in range(28)]
    pain = [
        (day, 6.0 if n % 3 == 0 else None, 4.0 if n % 2 else None) for n, day in enumerate(days)
    ]
    lines = pain_report(pain)
    framed = [line for line in lines if "│" in line]
    assert len(framed) == 4 + 2  # the chart's rows, then before and after
    assert {line.index("│") for line in framed} == {7}
    assert {line.rindex("│") for line in framed} == {7 + 28 + 1}
    ticks = next(line for line in lines if line.startswith(" " * 8 + "May 01"))
    assert ticks.index("May 01") == 8 and ticks.index("May 08") == 8 + 7
    before = next(line for line in framed if line.lstrip().startswith("before"))
    assert before[8] != " " and before[9] == " "  # day 0 rated before, day 1 not
    assert any("blank: no rating" in line for line in lines)  # the legend is words
    assert pain_report([(days[0], None, None)])[0].startswith("Pain: no ratings yet")


def test_outcomes_read_as_people_say_them():
    assert [o.label for o in Outcome] == [
        "done",
        "stopped for pain",
        "stopped early",
        "interrupted",
    ]


def _insert(path, **values):
    """A row put in by another program: SQLite keeps a BLOB or a number in a TEXT column."""
    row = {
        "routine_name": "Morning",
        "routine_key": "morning",
        "started_at": "2024-05-10T13:00:00+00:00",
        "ended_at": "2024-05-10T13:10:00+00:00",
        "seconds_done": 600,
        "steps_completed": 3,
        "steps_total": 4,
        "pain_before": None,
        "pain_after": None,
        "outcome": "completed",
        **values,
    }
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA ignore_check_constraints = ON")  # as a careless program might
    with connection:
        connection.execute(
            f"INSERT INTO sessions ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
            tuple(row.values()),
        )
    connection.close()


def test_rows_that_are_not_text_where_text_belongs_are_read_not_crashed_on(history, capsys):
    from backtui.cli import main

    history.record(record(name="Kept"))
    path = history.path
    _insert(path, routine_name=b"Blob \xff\xfe name", started_at="2024-05-09T13:00:00+00:00")
    _insert(path, routine_name=12345, routine_key=b"key", started_at="2024-05-08T13:00:00+00:00")
    _insert(path, routine_name=3.5, outcome=b"quit", started_at="2024-05-07T13:00:00+00:00")
    _insert(path, pain_before=b"\x01", pain_after="7", started_at="2024-05-06T13:00:00+00:00")
    # Rows whose required columns cannot be used are left out, not a crash:
    _insert(path, routine_name=b"ok", started_at=b"\x00\xff not a date")
    _insert(path, started_at=7)
    _insert(path, seconds_done=b"\xff", started_at="2024-05-05T13:00:00+00:00")
    _insert(path, steps_total="many", started_at="2024-05-04T13:00:00+00:00")
    _insert(path, outcome="exploded", started_at="2024-05-03T13:00:00+00:00")
    _insert(path, outcome=7, started_at="2024-05-02T13:00:00+00:00")
    history.close()

    records = History(path, tz=TZ).recent(50)
    names = [r.routine_name for r in records]
    assert names == ["Kept", "Blob \ufffd\ufffd name", "12345", "3.5", "Morning"]
    assert records[2].routine_key == "key" and records[3].outcome is Outcome.QUIT
    assert (records[4].pain_before, records[4].pain_after) == (None, 7)
    assert History(path, tz=TZ).streak(TODAY) >= 1
    assert any(b is not None or a is not None for _, b, a in History(path).pain_by_day(28, TODAY))

    assert main(["history"]) == 0  # the command, on the same database
    out = capsys.readouterr()
    assert "Blob" in out.out and "12345" in out.out and "Traceback" not in out.err


async def test_the_builders_history_screen_reads_such_rows(history):
    from textual.app import App
    from textual.widgets import DataTable

    from backtui.tui.screens.history import HistoryScreen

    history.record(record(name="Kept"))
    _insert(history.path, routine_name=b"\xff\xfe blob", outcome="quit")
    _insert(history.path, routine_name=7, started_at=b"\xff")
    history.close()

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(HistoryScreen())

    async with Host().run_test() as pilot:
        await pilot.pause()
        table = pilot.app.screen.query_one(DataTable)
        assert table.row_count == 2
