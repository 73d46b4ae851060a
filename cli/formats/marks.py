"""A grade as every table prints it (compare, check, matrix, the report, xlsx): a module of its own, so that a
format that needs only this mark does not load another format's modules."""

from __future__ import annotations

from yigai.align import Grade

MARK = {Grade.FULL: "✓", Grade.PARTIAL: "◐", Grade.NONE: "✗"}
