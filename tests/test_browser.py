"""backtui in a real browser: `backtui serve`, the system's Chromium, Playwright.

The terminal in the page is drawn on a canvas, so the test reads it the way the
page does: every byte the server sends over the websocket is fed to a terminal
emulator (pyte), and the screen is read from that. Skipped, saying why, where
Chromium or Playwright is missing; `.ci/run` installs Chromium so CI runs them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from backtui.core import locations
from backtui.core.history import History
from backtui.core.outcome import Outcome
from backtui.tui.widgets.big_countdown import GLYPHS, glyph_rows

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')"
)
pyte = pytest.importorskip("pyte", reason="pyte is not installed (pip install -e '.[test]')")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no Chromium on this machine (apt-get install chromium; .ci/run installs it)",
    ),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(
    check: Callable[[], object], timeout: float, what: str, page: object | None = None
) -> None:
    """Poll `check`; with a `page`, wait through Playwright, which only delivers the
    page's events (the websocket's frames) while one of its calls is running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if page is None:
            time.sleep(0.1)
        else:
            page.wait_for_timeout(100)  # type: ignore[attr-defined]
    raise AssertionError(f"gave up waiting for {what}")


@pytest.fixture
def served(isolated_home: Path) -> Iterator[str]:
    """`backtui serve` on a free port, in this test's own folders."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "backtui", "serve", "--port", str(port)],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )

    def listening() -> bool:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return True
        return False

    try:
        wait_until(listening, 30, "backtui serve to listen")
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        output = server.communicate(timeout=15)[0].decode(errors="replace")
        assert "Traceback" not in output, output


class Screen:
    """What the page's terminal shows, rebuilt from the bytes the server sent it."""

    def __init__(self) -> None:
        self.screen = pyte.Screen(240, 80)  # at least the page's size: positions are absolute
        self.stream = pyte.ByteStream(self.screen)

    def feed(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):  # text frames are the server's own messages
            self.stream.feed(payload)

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    def big_clock(self) -> str | None:
        """The big block-digit countdown, read back with the runner's own glyphs."""
        lines = self.screen.display
        for top in range(len(lines) - 4):
            rows = lines[top : top + 5]
            if "█" in rows[0]:
                start = min(row.index("█") for row in rows if "█" in row)
                for x in range(max(start - 4, 0), start + 1):  # "1" starts with blanks
                    if (clock := read_glyphs(rows, x, 5)) and clock[2] == ":":
                        return clock
        return None


SHAPES = {tuple(glyph_rows(char, 1)): char for char in GLYPHS if char != " "}


def read_glyphs(rows: list[str], x: int, count: int) -> str | None:
    """`count` block glyphs side by side from column `x`, one blank column apart."""
    read = ""
    for _ in range(count):
        glyph = next(
            (
                char
                for shape, char in SHAPES.items()
                if all(
                    row[x : x + len(shape[0])] == part
                    for row, part in zip(rows, shape, strict=True)
                )
            ),
            None,
        )
        if glyph is None:
            return None
        read += glyph
        x += len(glyph_rows(glyph, 1)[0]) + 1
    return read


def open_backtui(browser, url: str) -> tuple[object, Screen]:
    page = browser.new_page(viewport={"width": 1100, "height": 800})
    screen = Screen()
    page.on("websocket", lambda ws: ws.on("framereceived", screen.feed))
    page.goto(url)
    wait_until(lambda: "search exercises" in screen.text, 30, "the builder in the page", page)
    page.click("#terminal")  # the keyboard goes to the terminal
    return page, screen


def test_build_and_run_a_routine_in_the_browser_then_close_the_tab(served: str) -> None:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page, screen = open_backtui(browser, served)
        page.keyboard.press("a")  # the first move of the catalogue
        page.keyboard.press("ArrowDown")
        page.keyboard.press("a")  # and the next one
        wait_until(lambda: "2 steps" in screen.text, 10, "a routine of two steps", page)
        page.keyboard.press("r")
        wait_until(lambda: "Get ready" in screen.text, 10, "the runner", page)
        page.keyboard.press("Enter")  # begin now: the first hold's countdown
        wait_until(lambda: screen.big_clock() not in (None, "00:10"), 10, "the hold's clock", page)
        first = screen.big_clock()
        wait_until(lambda: screen.big_clock() != first, 5, "the countdown to move", page)
        assert screen.big_clock() < first  # type: ignore[operator]
        page.wait_for_timeout(10_500)  # past the 10 s a session needs to be kept
        page.close()  # the tab closes mid-session
        history = locations.history_file()

        def recorded() -> list:
            if not history.exists():
                return []
            with History(history) as rows:
                return rows.recent()

        wait_until(recorded, 15, "the session to be recorded")
        [row] = recorded()
        assert row.outcome is Outcome.INTERRUPTED
        browser.close()


def test_the_start_page_fetches_nothing_from_outside(served: str) -> None:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page()
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.goto(served)
        page.wait_for_load_state("networkidle")
        browser.close()
    assert asked and all(url.startswith(served.rstrip("/")) for url in asked), asked


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_handout_prints_to_pdf_with_every_step(paper: str, tmp_path: Path) -> None:
    """The HTML handout printed by Chromium, as a person would print it: every step's
    name and dose, the total and the safety lines are on the paper."""
    from pypdf import PdfReader

    from backtui.core import handout, presenter
    from backtui.core.services import load_services
    from backtui.core.settings import load_settings

    page_file = tmp_path / "morning.html"
    exported = subprocess.run(
        [sys.executable, "-m", "backtui", "export", "morning", "--format=html", f"-o{page_file}"],
        capture_output=True,
        text=True,
    )
    assert exported.returncode == 0, exported.stderr
    services = load_services()
    routine = services.store.load_path(services.store.resolve("morning")).routine
    assert routine is not None
    expected = handout.build(routine, services.catalog, load_settings()[0].pacing())
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page()
        page.goto(page_file.as_uri())
        pdf = tmp_path / f"morning-{paper}.pdf"
        page.pdf(path=str(pdf), format=paper)
        browser.close()
    pages = PdfReader(pdf).pages
    # NFKC: the PDF's font joins "fi" and "fl" into ligatures
    text = unicodedata.normalize("NFKC", " ".join((p.extract_text() or "") for p in pages))
    text = " ".join(text.split())
    assert 1 <= len(pages) <= 6
    for step in expected.steps:
        assert step.name in text and " ".join(step.dose.split()) in text, step.name
    assert " ".join(presenter.DISCLAIMER.split()) in text
    assert expected.total in text
