"""Past sessions, in SQLite, so `backtui history` can show a streak and pain over time.

SQLite because it survives a crash mid-write (each write is one transaction) and
a later release can migrate it in place (`PRAGMA user_version` counts the
migrations applied). Dates are stored as UTC ISO-8601 text and grouped into days
in local time, where a person's "today" is.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from types import TracebackType

from backtui.core import locations
from backtui.core.outcome import Outcome
from backtui.core.text import clean, shorten

# typing.TYPE_CHECKING without importing typing (mypy reads any TYPE_CHECKING so).
# `typing` and `dataclasses` (with the `inspect` it loads) were together near a
# third of `backtui today`'s time, at every login; so SessionRecord, a dataclass,
# lives in session_record.py and is imported when first used.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from backtui.core.session_record import SessionRecord as SessionRecord

PAIN_RANGE = (0, 10)
SPARKS = "▁▂▃▄▅▆▇█"

# Each migration is a list of statements run in one transaction together with
# the new user_version. Append; never edit a migration that has shipped.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            routine_name TEXT NOT NULL,
            routine_key TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT NOT NULL,
            seconds_done INTEGER NOT NULL CHECK (seconds_done >= 0),
            steps_completed INTEGER NOT NULL CHECK (steps_completed >= 0),
            steps_total INTEGER NOT NULL CHECK (steps_total >= 0),
            pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
            pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10),
            outcome TEXT NOT NULL
        )
        """,
        "CREATE INDEX sessions_by_start ON sessions (started_at)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

# Which sessions count as having done your exercise that day, for the streak here
# and for `backtui today`: one rule, so the two never disagree.
# - Any session with some work in it, however it ended. Stopped early still moved
#   the back; interrupted (a lost terminal, a closed tab) did the work before it.
#   The nudge is about the habit, not the dose.
# - A session stopped for pain, even seconds in: stopping when pain rises is
#   doing the routine right, not failing it, and a nudge must never read as
#   "go back and push through". (The recorder keeps such a session however
#   short; other false starts, under a few seconds, leave no row at all.)
DONE_SQL = "(seconds_done > 0 OR outcome = 'stopped-for-pain')"


_COLUMNS = (
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
)


class HistoryError(Exception):
    """The history database cannot be used (damaged, locked, newer, unwritable)."""


def __getattr__(name: str) -> object:
    """`from backtui.core.history import SessionRecord` as before: imported on use."""
    if name == "SessionRecord":
        from backtui.core.session_record import SessionRecord

        return SessionRecord
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class History:
    """The history database, opened (and created, folders too) on first use.

    The default rollback journal with `synchronous=FULL`: one tiny write per
    session costs nothing, a committed session survives a power cut, and the
    history stays one file (no -wal/-shm beside it) to copy or back up.

    `read_only=True` only reads (for `backtui today`, run at every login): it
    opens the file read-only, so it never creates it, its folders, or a journal,
    and never migrates it; a history not there yet reads as no sessions. It waits
    at most `timeout` seconds for a writer's lock.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        tz: tzinfo | None = None,
        read_only: bool = False,
        timeout: float = 5.0,
    ) -> None:
        self.path = path if path is not None else locations.history_file()
        self.tz = tz  # for grouping into days; None is the local time zone
        self.read_only = read_only
        self.timeout = timeout
        self._connection: sqlite3.Connection | None = None

    def __enter__(self) -> History:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def record(self, record: SessionRecord) -> int:
        """Add a session, or with `record.id` set, bring that row up to date; its id.

        A session that is interrupted and later resumed stays one row.
        """
        values = (
            record.routine_name,
            record.routine_key,
            _iso(record.started_at),
            _iso(record.ended_at),
            round(record.seconds_done),
            record.steps_completed,
            record.steps_total,
            record.pain_before,
            record.pain_after,
            record.outcome.value,
        )
        connection = self._connect()
        try:
            with _transaction(connection):
                if record.id is not None:
                    cursor = connection.execute(
                        f"UPDATE sessions SET {', '.join(c + ' = ?' for c in _COLUMNS)}"
                        " WHERE id = ?",
                        (*values, record.id),
                    )
                    if cursor.rowcount == 1:
                        return record.id
                cursor = connection.execute(
                    f"INSERT INTO sessions ({', '.join(_COLUMNS)})"
                    f" VALUES ({', '.join('?' for _ in _COLUMNS)})",
                    values,
                )
        except sqlite3.Error as error:
            raise self._error(error) from error
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def recent(self, limit: int = 20) -> list[SessionRecord]:
        """The latest sessions, newest first.

        Read defensively: SQLite keeps whatever another program put in a column
        (a BLOB, a number where text belongs), so text columns are decoded or
        turned into text, and a row whose dates, counts or outcome cannot be used
        is left out rather than stopping `backtui history` or the builder's `H`.
        """
        rows = self._query(
            f"SELECT {', '.join(_COLUMNS)}, id"
            " FROM sessions ORDER BY started_at DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [record for record in map(_record, rows) if record is not None]

    def streak(self, today: date | None = None) -> int:
        """Days in a row with a session that counts as done (`DONE_SQL`), ending
        today or yesterday."""
        today = today or self._today()
        rows = self._query(f"SELECT DISTINCT started_at FROM sessions WHERE {DONE_SQL}")
        days = {day for day in (self._day(row[0]) for row in rows) if day is not None}
        day = today if today in days else today - timedelta(days=1)
        count = 0
        while day in days:
            count += 1
            day -= timedelta(days=1)
        return count

    def pain_by_day(
        self, days: int = 28, today: date | None = None
    ) -> list[tuple[date, float | None, float | None]]:
        """(day, average pain before, average pain after) for each of the last `days`
        days up to today, oldest first; None where nothing was rated."""
        today = today or self._today()
        first = today - timedelta(days=days - 1)
        # A day's bounds in UTC, with a day's slack for time zones; grouped exactly below.
        since = datetime.combine(first - timedelta(days=1), datetime.min.time(), UTC)
        rows = self._query(
            "SELECT started_at, pain_before, pain_after FROM sessions"
            " WHERE started_at >= ? AND (pain_before IS NOT NULL OR pain_after IS NOT NULL)",
            (_iso(since),),
        )
        before: dict[date, list[int]] = {}
        after: dict[date, list[int]] = {}
        for started, pain_before, pain_after in rows:
            day = self._day(started)
            if day is None:
                continue
            if (value := _pain(pain_before)) is not None:
                before.setdefault(day, []).append(value)
            if (value := _pain(pain_after)) is not None:
                after.setdefault(day, []).append(value)
        return [
            (day, _mean(before.get(day)), _mean(after.get(day)))
            for day in (first + timedelta(days=n) for n in range(days))
        ]

    def done_on(self, day: date) -> list[str]:
        """The names of the routines done (`DONE_SQL`) on that local day, in the
        order they were started."""
        # The day's bounds in UTC, with a day's slack for time zones; exactly below.
        since = datetime.combine(day - timedelta(days=1), datetime.min.time(), UTC)
        until = datetime.combine(day + timedelta(days=2), datetime.min.time(), UTC)
        rows = self._query(
            f"SELECT started_at, routine_name FROM sessions WHERE {DONE_SQL}"
            " AND started_at >= ? AND started_at < ? ORDER BY started_at, id",
            (_iso(since), _iso(until)),
        )
        return [_text(name) or "" for started, name in rows if self._day(started) == day]

    def most_done(self) -> str | None:
        """The routine done (`DONE_SQL`) most often, by the name it last had; on a
        tie, the one done last. None before any session counts."""
        rows = self._query(
            f"SELECT routine_key, COUNT(*) AS times, MAX(started_at) AS last FROM sessions"
            f" WHERE {DONE_SQL} GROUP BY routine_key ORDER BY times DESC, last DESC LIMIT 1"
        )
        if not rows:
            return None
        named = self._query(
            "SELECT routine_name FROM sessions WHERE routine_key = ?"
            " ORDER BY started_at DESC, id DESC LIMIT 1",
            (rows[0][0],),
        )
        return _text(named[0][0]) if named else None

    # --- inside ------------------------------------------------------------

    def _today(self) -> date:
        return datetime.now(self.tz).date() if self.tz else date.today()

    def _day(self, value: object) -> date | None:
        """The local day of a stored date; None for one that cannot be read."""
        moment = _moment(value)
        return None if moment is None else moment.astimezone(self.tz).date()

    def _query(self, sql: str, parameters: Sequence[object] = ()) -> list[tuple]:
        connection = self._read_connection() if self.read_only else self._connect()
        if connection is None:
            return []  # read-only, and nothing recorded yet
        try:
            return connection.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            raise self._error(error) from error

    def _read_connection(self) -> sqlite3.Connection | None:
        """The database opened read-only; None where there is no history yet (no
        file, or one that was never given its tables)."""
        if self._connection is not None:
            return self._connection
        try:
            if not self.path.exists():
                return None
            # `mode=ro`: SQLite opens nothing for writing and creates nothing.
            uri = f"{self.path.absolute().as_uri()}?mode=ro"
            connection = sqlite3.connect(uri, uri=True, timeout=self.timeout, isolation_level=None)
        except (OSError, ValueError, sqlite3.Error) as error:
            raise self._error(error) from error
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.Error as error:
            connection.close()
            raise self._error(error) from error
        if version > SCHEMA_VERSION:
            connection.close()
            raise _newer(self.path, version)
        if version == 0:
            connection.close()
            return None
        self._connection = connection
        return connection

    def _connect(self) -> sqlite3.Connection:
        if self.read_only:
            raise HistoryError(f"{self.path}: the session history was opened only to read")
        if self._connection is not None:
            return self._connection
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: no implicit transactions; each write opens its own.
            connection = sqlite3.connect(self.path, timeout=5.0, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise self._error(error) from error
        try:
            connection.execute("PRAGMA synchronous = FULL")
            _migrate(connection, self.path)
        except sqlite3.Error as error:
            connection.close()
            raise self._error(error) from error
        except HistoryError:
            connection.close()
            raise
        self._connection = connection
        return connection

    def _error(self, error: Exception) -> HistoryError:
        return HistoryError(f"{self.path}: cannot use the session history: {error}")


def _migrate(connection: sqlite3.Connection, path: Path) -> None:
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise _newer(path, version)
    for number in range(version, SCHEMA_VERSION):
        with _transaction(connection):
            for statement in MIGRATIONS[number]:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number + 1}")


def _newer(path: Path, version: int) -> HistoryError:
    return HistoryError(
        f"{path}: the session history was written by a newer backtui "
        f"(version {version}, this one knows {SCHEMA_VERSION}); update backtui"
    )


class _transaction:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK if anything fails in between."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> None:
        self.connection.execute("BEGIN IMMEDIATE")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.connection.execute("COMMIT")
        else:
            self.connection.execute("ROLLBACK")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _parse(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _text(value: object) -> str | None:
    """A text column as text, whatever SQLite holds there; None for NULL."""
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value if isinstance(value, str) else str(value)


def _moment(value: object) -> datetime | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return _parse(text)
    except (ValueError, OverflowError):
        return None


def _count(value: object) -> int | None:
    """A non-negative whole number, or None."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = int(value)
    except (ValueError, OverflowError):
        return None
    return number if number >= 0 else None


def _pain(value: object) -> int | None:
    number = _count(value)
    return number if number is not None and number <= PAIN_RANGE[1] else None


def _record(row: Sequence[object]) -> SessionRecord | None:
    """A session from a row as stored, or None if its required columns are unusable."""
    from backtui.core.session_record import SessionRecord

    name, key, started, ended = (_text(value) for value in row[:4])
    started_at, ended_at = _moment(started), _moment(ended)
    counts = [_count(value) for value in row[4:7]]
    outcome = _text(row[9])
    if name is None or key is None or started_at is None or ended_at is None:
        return None
    if outcome not in {o.value for o in Outcome}:
        return None
    seconds, done, total = counts
    if seconds is None or done is None or total is None:
        return None
    row_id = row[10]
    return SessionRecord(
        name,
        key,
        started_at,
        ended_at,
        seconds,
        done,
        total,
        _pain(row[7]),
        _pain(row[8]),
        Outcome(outcome),
        row_id if isinstance(row_id, int) else None,
    )


def _mean(values: list[int] | None) -> float | None:
    return sum(values) / len(values) if values else None


# --- the text `backtui history` prints ---------------------------------------


def sparkline(values: Iterable[float | None]) -> str:
    """One character per value on the 0–10 pain scale; a space where there is none."""
    top = len(SPARKS) - 1
    return "".join(
        " " if value is None else SPARKS[max(0, min(top, round(value / PAIN_RANGE[1] * top)))]
        for value in values
    )


def format_history(
    records: Sequence[SessionRecord],
    streak: int,
    pain: Sequence[tuple[date, float | None, float | None]],
    *,
    tz: tzinfo | None = None,
) -> str:
    """Recent sessions as a small table, the streak, and pain over the days as a chart."""
    if not records:
        return "No sessions yet. Start one with `backtui run ROUTINE`.\n"
    lines = [f"{'When':<16}  {'Routine':<24}  {'Min':>3}  {'Steps':>5}  {'Pain':<5}  Ended"]
    for record in records:
        when = record.started_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        name = shorten(clean(record.routine_name), 24)
        minutes = minutes_text(record.seconds_done)
        steps = f"{record.steps_completed}/{record.steps_total}"
        lines.append(
            f"{when:<16}  {name:<24}  {minutes:>3}  {steps:>5}  "
            f"{pain_change(record):<5}  {record.outcome.label}"
        )
    lines.append("")
    lines.append(f"Streak: {streak_text(streak)}")
    lines.append("")
    lines.extend(pain_report(pain))
    return "\n".join(lines) + "\n"


def streak_text(streak: int) -> str:
    if streak > 0:
        return f"{streak} day{'s' if streak != 1 else ''} in a row"
    return "none running; a session today starts one"


CHART_ROWS = 4
BLOCKS = " ▁▂▃▄▅▆▇█"
_MARGIN = 6  # the row labels' width: "before", "after", "10", "0"
_WEEK = 7


def pain_chart(values: Sequence[float | None], rows: int = CHART_ROWS) -> list[str]:
    """A column per day, as tall as the pain (0–10); a day with no rating is blank."""
    levels = rows * (len(BLOCKS) - 1)
    lines = []
    for row in range(rows - 1, -1, -1):
        line = []
        for value in values:
            if value is None:
                line.append(" ")
                continue
            filled = round(value / 10 * levels) - row * (len(BLOCKS) - 1)
            if row == 0:
                filled = max(filled, 1)  # a rating of 0 still shows, unlike no rating
            line.append(BLOCKS[max(0, min(filled, len(BLOCKS) - 1))])
        lines.append("".join(line))
    return lines


def pain_report(
    pain: Sequence[tuple[date, float | None, float | None]], rows: int = CHART_ROWS
) -> list[str]:
    """Pain by day: a heading, the chart, the dates under it, the before and after
    rows, and a legend in words, every row's days in the same columns.

    Nothing here needs colour: height and the words carry it.
    """
    if not any(b is not None or a is not None for _, b, a in pain):
        return ["Pain: no ratings yet. Rate before or after a session to see a trend here."]
    shown = [a if a is not None else b for _, b, a in pain]
    chart = pain_chart(shown, rows)
    labels = ["10", *([""] * (len(chart) - 2)), "0"] if len(chart) > 1 else ["0–10"]
    lines = [
        f"Pain by day, {pain[0][0]:%b %d} to {pain[-1][0]:%b %d}: after the session, "
        "or before if that is the only rating"
    ]
    lines += [f"{label:>{_MARGIN}} │{line}│" for label, line in zip(labels, chart, strict=True)]
    lines.append(f"{'':>{_MARGIN}} └{'─' * len(pain)}┘")
    lines.append(" " * (_MARGIN + 2) + _date_ticks([day for day, _, _ in pain]))
    lines.append(f"{'before':>{_MARGIN}} │{sparkline(b for _, b, _ in pain)}│")
    lines.append(f"{'after':>{_MARGIN}} │{sparkline(a for _, _, a in pain)}│")
    lines.append("One column a day; taller is more pain (▁ 0 … █ 10); blank: no rating.")
    return lines


def _date_ticks(days: Sequence[date]) -> str:
    """Weekly dates, each starting under its own day's column."""
    row = [" "] * (len(days) + 6)
    for index in range(0, len(days), _WEEK):
        label = f"{days[index]:%b %d}"
        if index + len(label) <= len(row):
            row[index : index + len(label)] = label
    return "".join(row).rstrip()


def minutes_text(seconds: int) -> str:
    """Minutes for a table: "<1" for a session that barely began."""
    if 0 < seconds < 30:
        return "<1"
    return str(round(seconds / 60))


def pain_change(record: SessionRecord) -> str:
    if record.pain_before is None and record.pain_after is None:
        return "–"

    def show(value: int | None) -> str:
        return "?" if value is None else str(value)

    return f"{show(record.pain_before)}→{show(record.pain_after)}"
