"""How a matrix's columns are ordered: its own module, since the command offers the choice on every start-up
and yigai.matrix brings alignment (numpy, rapidfuzz) with it."""

from __future__ import annotations

from enum import Enum


class Order(str, Enum):
    """How to order columns: as given, by coverage (highest first), by name, by level (province first)."""

    given = "given"
    coverage = "coverage"
    name = "name"
    level = "level"
