"""Markdown pipe tables: the one rule for splitting rows, shared by the reader and the pages."""

import re

SEPARATOR_CELL = re.compile(r"^:?-+:?$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def split_row(line: str) -> list[str]:
    """Cells of one table row: outer pipes dropped, `\\|` read as a literal pipe."""
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [cell.strip().replace("\\|", "|") for cell in _UNESCAPED_PIPE.split(line)]


def is_separator(cells: list[str], width: int) -> bool:
    return len(cells) == width and all(SEPARATOR_CELL.match(cell) for cell in cells)
