"""The pure core stays pure: it must import nothing from Textual or Rich."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import backtui.core


def core_modules() -> list[str]:
    return sorted(
        f"backtui.core.{info.name}" for info in pkgutil.iter_modules(backtui.core.__path__)
    )


def test_the_core_has_its_modules():
    assert {"backtui.core.model", "backtui.core.session", "backtui.core.store"} <= set(
        core_modules()
    )


def test_no_core_module_imports_textual_or_rich():
    # A fresh interpreter: this test process has Textual loaded already.
    script = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
