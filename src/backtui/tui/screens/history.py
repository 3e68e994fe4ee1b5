"""Past sessions: the streak, pain over the last four weeks as a chart, and a table.

People would rather see a trend than read rows, so the chart comes first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static

from backtui.core.history import (
    History,
    HistoryError,
    SessionRecord,
    minutes_text,
    pain_change,
    sparkline,
)
from backtui.core.text import clean
from backtui.tui.screens.base import PlainScreen

CHART_ROWS = 4
BLOCKS = " ▁▂▃▄▅▆▇█"
DAYS = 28


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


def describe_trend(pain: Sequence[tuple[date, float | None, float | None]]) -> Text:
    after = [a if a is not None else b for _, b, a in pain]
    text = Text()
    if not any(v is not None for v in after):
        text.append("No pain ratings yet. Rate before or after a session to see a trend here.")
        return text
    text.append(
        f"Pain by day, {pain[0][0]:%b %d} to {pain[-1][0]:%b %d}: after the session, "
        "or before if that is the only rating (0 low, 10 high)\n",
        "bold",
    )
    chart = pain_chart(after)
    labels = ["10", *([""] * (len(chart) - 2)), " 0"]
    for label, line in zip(labels, chart, strict=True):
        text.append(f"{label:>3} │{line}│\n")
    text.append(f"    └{'─' * len(after)}┘\n")
    text.append(f"     before {sparkline(b for _, b, _ in pain)}\n")
    text.append(f"     after  {sparkline(a for _, _, a in pain)}")
    return text


class HistoryScreen(PlainScreen[None]):
    CSS_PATH = "history.tcss"

    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back", id="history.back")]

    def compose(self) -> ComposeResult:
        with Vertical(id="history-body"):
            yield Static(id="history-streak")
            yield Static(id="history-chart")
            yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        try:
            with History() as history:
                records = history.recent(50)
                streak = history.streak()
                pain = history.pain_by_day(DAYS)
        except HistoryError as error:
            self.query_one("#history-streak", Static).update(
                Text(f"History cannot be read: {error}")
            )
            return
        self.show(records, streak, pain)

    def show(
        self,
        records: list[SessionRecord],
        streak: int,
        pain: list[tuple[date, float | None, float | None]],
    ) -> None:
        days = f"{streak} day{'s' if streak != 1 else ''} in a row" if streak else "no streak yet"
        self.query_one("#history-streak", Static).update(
            Text.assemble(("History", "bold"), f"   streak: {days}   latest sessions below")
        )
        self.query_one("#history-chart", Static).update(describe_trend(pain))
        table = self.query_one(DataTable)
        table.add_columns("When", "Routine", "Min", "Steps", "Pain", "Ended")
        for record in records:
            table.add_row(
                Text(record.started_at.astimezone().strftime("%Y-%m-%d %H:%M")),
                Text(clean(record.routine_name)),
                Text(minutes_text(record.seconds_done)),
                Text(f"{record.steps_completed}/{record.steps_total}"),
                Text(pain_change(record)),
                Text(record.outcome.value),
            )
        if not records:
            table.display = False
