"""The builder's top line: the routine's name, unsaved mark, steps and minutes."""

from __future__ import annotations

from rich.text import Text

from backtui.tui.widgets.text_line import TextLine


class RoutineTitle(TextLine):
    def show(self, name: str, *, dirty: bool, steps: int, minutes: int, imported: bool) -> None:
        title = Text(" ")
        title.append(name, "bold")  # Text, not markup: the name comes from a file
        if dirty:
            title.append(" ●", "bold")
        title.append(f"  {steps} step{'' if steps == 1 else 's'}")
        if steps:
            title.append(f" · ~{minutes} min")
        if imported:
            title.append("  (imported: saving keeps a copy)")
        self.text = title


class RoutineAbout(TextLine):
    """The routine's breath pacing and description, on one line (F2 edits them)."""

    def show(self, description: str, inhale_s: int, exhale_s: int) -> None:
        about = Text(no_wrap=True, overflow="ellipsis")
        about.append("breath ", "bold")
        about.append(f"{inhale_s} s in, {exhale_s} s out")
        if description:
            about.append(" · ")
            about.append(" ".join(description.split()))  # text, never markup
        self.text = about
