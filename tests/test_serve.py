"""`backtui serve` without a browser: its words, its refusals, its page, and the
runner's stand-in for the bell in a browser tab (tests/test_browser.py has the rest)."""

from __future__ import annotations

import re
import sys

import pytest

from backtui import cli
from backtui.tui import web


def test_it_listens_on_this_machine_unless_told_otherwise():
    args = cli.parse(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    assert cli.parse(["serve", "--port", "8123"]).port == 8123


@pytest.mark.parametrize("port", ["0", "65536", "http", "-1", "٨٠٨٠", "²"])
def test_a_port_that_is_not_one_is_a_usage_error(port, capsys):
    with pytest.raises(SystemExit) as exit:
        cli.parse(["serve", "--port", port])
    assert exit.value.code == cli.EXIT_USAGE
    assert "not a port number" in capsys.readouterr().err


def test_it_says_how_to_reach_it_over_ssh():
    words = "\n".join(web.how_to_reach("127.0.0.1", 8123))
    assert "http://127.0.0.1:8123/" in words
    assert "ssh -L 8123:localhost:8123" in words
    assert "http://localhost:8123/" in words
    wide = "\n".join(web.how_to_reach("0.0.0.0", 8000))
    assert "ssh -L" not in wide and "anyone who can reach the port" in wide
    assert web.is_loopback("::1") and web.is_loopback("localhost")
    assert not web.is_loopback("0.0.0.0") and not web.is_loopback("example.org")


def test_without_the_web_extra_it_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)  # as if not installed
    assert cli.main(["serve"]) == cli.EXIT_FAILED
    err = capsys.readouterr().err
    assert 'pip install "backtui[web]"' in err and "Traceback" not in err


def test_the_page_fetches_nothing_from_outside_the_server():
    page = (web.TEMPLATES / "app_index.html").read_text()
    sources = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']|url\(["']?([^"')]*)""", page)
    urls = [a or b for a, b in sources]
    assert urls and all(url.startswith("{{ config.static.url }}") for url in urls), urls
    assert "googleapis" not in page and "@import" not in page


def test_under_the_web_driver_the_browser_is_the_terminal(monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    assert cli._needs_terminal() == cli.EXIT_FAILED
    monkeypatch.setenv("TEXTUAL_DRIVER", web.WEB_DRIVER)
    assert cli._needs_terminal() is None


async def test_in_a_browser_tab_the_bell_is_a_flash(catalog, tmp_path, monkeypatch):
    from textual.app import App

    from backtui.core.settings import Settings
    from backtui.tui.runner_app import RunnerApp
    from backtui.tui.widgets.text_line import TextLine
    from helpers import FakeClock, write

    rung: list[bool] = []
    monkeypatch.setattr(App, "is_web", property(lambda app: True))
    monkeypatch.setattr(App, "bell", lambda app: rung.append(True))
    routine = write(
        tmp_path / "r.toml", 'schema = 1\nname = "R"\n[[steps]]\nexercise = "childs-pose"\n'
    )
    from backtui.core.routine_file import read_routine

    app = RunnerApp(
        read_routine(routine, catalog).routine,
        catalog,
        key="web",
        settings=Settings(bell=True),
        history_path=tmp_path / "history.sqlite3",
        clock=FakeClock(),
    )
    async with app.run_test(size=(80, 24)):
        runner = app.runner
        runner.announce(None)  # a change with nothing to say: the bell alone, at home
        cue = runner.query_one("#run-cue", TextLine)
        assert cue.has_class("-flash") and cue.has_class("-bell") and not rung


def test_serving_prints_where_to_go_and_not_every_request(tmp_path):
    """A real server on a free port, asked for its page twice: the person who
    started it sees the address and the ssh line, not a log line per request."""
    import os
    import socket
    import subprocess
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "backtui", "serve", "--port", str(port)],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        page = ""
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as answer:
                    page = answer.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert "textual-terminal" in page and "googleapis" not in page
        assert f"ws://127.0.0.1:{port}/ws" in page  # where the browser came from
        assert websocket_status(port, "http://evil.example") == 403
        assert websocket_status(port, f"http://127.0.0.1:{port}") == 101
    finally:
        server.terminate()
        output = server.communicate(timeout=15)[0].decode()
    assert f"http://127.0.0.1:{port}/" in output and f"ssh -L {port}:localhost:{port}" in output
    assert "GET /" not in output and "Traceback" not in output


def test_only_its_own_page_may_drive_it():
    local = "127.0.0.1"
    assert web.may_connect("http://127.0.0.1:8000", "127.0.0.1:8000", local)
    assert web.may_connect("http://localhost:9000", "localhost:9000", local)  # ssh -L 9000
    assert web.may_connect(None, "127.0.0.1:8000", local)  # not a browser
    assert not web.may_connect("http://evil.example", "127.0.0.1:8000", local)
    assert not web.may_connect("http://127.0.0.1:9999", "127.0.0.1:8000", local)
    # a page that points its own name at this machine (DNS rebinding)
    assert not web.may_connect("http://evil.example:8000", "evil.example:8000", local)
    assert web.may_connect("http://box.lan:8000", "box.lan:8000", "0.0.0.0")
    assert web.may_connect("http://box.lan:8000", "box.lan:8000", "box.lan")
    assert not web.may_connect("http://evil.example:8000", "evil.example:8000", "box.lan")


def test_a_port_in_use_is_said_before_anything_is_announced(capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["serve", "--port", str(port)]) == cli.EXIT_FAILED
    out, err = capsys.readouterr()
    assert out == "" and f"cannot listen on 127.0.0.1 port {port}" in err
    assert "Traceback" not in err


def websocket_status(port: int, origin: str) -> int:
    """The HTTP status a websocket handshake from a page at `origin` gets."""
    import asyncio

    import aiohttp

    async def knock() -> int:
        url = f"http://127.0.0.1:{port}/ws?width=80&height=24"
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(url, headers={"Origin": origin}) as socket:
                    await socket.close()
                    return 101
            except aiohttp.WSServerHandshakeError as refused:
                return refused.status

    return asyncio.run(knock())
