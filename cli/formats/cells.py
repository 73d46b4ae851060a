"""Document text put into cells of files analysts open: Markdown tables and CSV read by Excel or WPS.

Document text is untrusted. In Markdown it must not close a cell or become markup; in a spreadsheet it
must not be run as a formula.
"""

from __future__ import annotations

from typing import Any

_FORMULA_START = ("=", "+", "-", "@")  # what Excel and WPS read as the start of a formula

DECIDED = "✎"  # marks a pair (compare, matrix) or a link (diff) an analyst decided on (--decisions)


def decisions_line(decided: int, rejected: int, what: str) -> str:
    """The summary's word on the analyst's decisions, empty when there were none."""
    return f"{DECIDED} analyst decisions: {decided} {what} decided, {rejected} ⊘ rejected" if decided or rejected else ""


def markdown_cell(text: str, newline: str = " ") -> str:
    """Text for a Markdown table cell: backslashes, pipes and `<` escaped, line breaks as `newline`."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", newline)


def inert(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; other values pass."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value
