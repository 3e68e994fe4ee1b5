"""What many tests share: writing files, a fake clock, driving the palette."""

from __future__ import annotations

from pathlib import Path


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


class FakeClock:
    """A monotonic clock that moves only when a test moves it."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def run_command(pilot, title: str):
    """Open the command palette and run the command called `title`, as a person would."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    palette._RESULT_BATCH_TIME = 0.0  # type: ignore[misc]  # show results at once, not in 0.25 s batches
    palette.query_one("#--input").value = title
    commands = palette.query_one(CommandList)
    for _ in range(100):
        await pilot.pause(0.01)
        titles = [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]
        matches = [i for i, text in enumerate(titles) if text.split("\n")[0].strip() == title]
        if matches:
            break
    else:
        raise AssertionError(f"no command {title!r} in the palette")
    commands.highlighted = matches[0]
    await pilot.press("enter")
    await pilot.pause()
    assert pilot.app.screen is not palette, f"{title!r} left the palette open"
