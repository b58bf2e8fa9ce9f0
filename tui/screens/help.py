"""Provides `HelpScreen`: every key, generated from the bindings in force (remaps included)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

Section = tuple[str, list[tuple[str, str, str]]]  # title, [(keys, description, id)]


def binding_sections(groups: Iterable[tuple[str, DOMNode]]) -> list[Section]:
    """One section per node: its bindings with the keys the keymap gives them."""
    app = None
    sections: list[Section] = []
    for title, node in groups:
        app = node.app
        bindings = node._bindings.copy()
        keymap = app._keymap
        if keymap:
            bindings.apply_keymap(keymap)
        by_action: dict[tuple[str, str], list[str]] = {}
        ids: dict[tuple[str, str], str] = {}
        for key, entries in bindings.key_to_bindings.items():
            for binding in entries:
                if not binding.description or binding.system:
                    continue
                shown = app.get_key_display(Binding(key, binding.action))
                slot = (binding.action, binding.description)
                keys = by_action.setdefault(slot, [])
                if shown not in keys:
                    keys.append(shown)
                ids[slot] = binding.id or ""
        rows = [(" ".join(keys), slot[1], ids[slot]) for slot, keys in by_action.items()]
        if rows:
            sections.append((title, rows))
    return sections


class HelpScreen(ModalScreen[None]):
    """Keys by where they work; any key closes it."""

    CSS_PATH = "../help.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, sections: Sequence[Section]) -> None:
        super().__init__()
        self.sections = list(sections)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._table(), id="help-text")

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(justify="right", style="bold", no_wrap=True)
        table.add_column()
        table.add_column(style="dim")
        for number, (title, rows) in enumerate(self.sections):
            if number:
                table.add_row("", "", "")
            table.add_row("", Text(title, style="bold underline"), "")
            for keys, description, binding_id in rows:
                table.add_row(Text(keys), Text(description), Text(binding_id))
        table.add_row("", "", "")
        table.add_row(
            "", Text("Remap keys by id in keys.yaml in the config directory.", style="dim"), ""
        )
        return table

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(result)
