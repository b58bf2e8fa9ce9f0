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


def test_no_module_of_the_core_mentions_the_ui_in_an_import() -> None:
    """Static check, so an import inside a function cannot slip past the runtime one."""
    import ast
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    forbidden = {
        "index": ("textual", "warta.tui", "rich"),
        "lexicons": ("textual", "warta.tui", "warta.index", "rich", "spacy", "whoosh"),
    }
    offences = []
    for package, banned in forbidden.items():
        for path in (repo / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    if any(name == b or name.startswith(b + ".") for b in banned):
                        offences.append(f"{path.relative_to(repo)}:{node.lineno}: {name}")
    assert not offences, offences
