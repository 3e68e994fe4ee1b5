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
from textual.widgets import DataTable, Static

from backtui.core.history import (
    History,
    HistoryError,
    SessionRecord,
    minutes_text,
    pain_change,
    pain_report,
    streak_text,
)
from backtui.core.text import clean
from backtui.tui.screens.base import PlainScreen
from backtui.tui.widgets.footer import BindingsFooter

DAYS = 28


def describe_trend(pain: Sequence[tuple[date, float | None, float | None]]) -> Text:
    heading, *rest = pain_report(pain)
    return Text.assemble((heading, "bold" if rest else ""), *(f"\n{line}" for line in rest))


class HistoryScreen(PlainScreen[None]):
    CSS_PATH = "history.tcss"

    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back", id="history.back")]

    def compose(self) -> ComposeResult:
        with Vertical(id="history-body"):
            yield Static(id="history-streak")
            yield Static(id="history-chart")
            yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield BindingsFooter(compact=True)

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
        self.query_one("#history-streak", Static).update(
            Text.assemble(("History", "bold"), f"   streak: {streak_text(streak)}")
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
                Text(record.outcome.label),
            )
        if not records:
            table.display = False
