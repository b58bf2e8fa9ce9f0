"""Tests that the headless core stays headless: index and lexicons never import Textual."""

from __future__ import annotations

import subprocess
import sys


def test_core_never_imports_textual() -> None:
    code = (
        "import sys\n"
        "import warta.index, warta.index.library, warta.index.fulltext, warta.lexicons\n"
        "import pkgutil, importlib\n"
        "for pkg in (warta.index, warta.lexicons):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if m.name.endswith('__main__'):\n"
        "            continue\n"
        "        importlib.import_module(m.name)\n"
        "ui = ('textual.', 'warta.tui')\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith(ui))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
