"""How a matrix's columns are ordered: its own module, since the command offers the choice on every start-up
and yigai.matrix brings alignment (numpy, rapidfuzz) with it. The Chinese order (division codes, pinyin) loads
its data only when asked for."""

from __future__ import annotations

from enum import Enum
from functools import cache


class Order(str, Enum):
    """How to order columns: as given, by coverage (highest first), by name, by level (province first)."""

    given = "given"
    coverage = "coverage"
    name = "name"
    level = "level"


@cache
def _division_ranks() -> dict[str, int]:
    """Canonical provincial name -> its place in data/jurisdictions.yaml, which lists the provinces in the
    order of their GB/T 2260 division codes (北京 110000, 天津 120000, 河北 130000 …), 兵团 after 新疆."""
    from .resources import load_data

    return {entry["name"]: rank for rank, entry in enumerate(load_data("jurisdictions.yaml")["provinces"])}


@cache
def _pinyin(name: str) -> tuple[str, ...]:
    """The name's syllables with their tone (重庆 -> chong2 qing4), as a Chinese index orders names."""
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True))


def chinese_order(jurisdiction: str, name: str) -> tuple[int, tuple[str, ...]]:
    """A sort key for a jurisdiction: provinces in administrative division order (as national statistics
    list them), then the places whose province yigai does not know (cities and counties), by pinyin."""
    from .jurisdiction import canonical

    ranks = _division_ranks()
    rank = ranks.get(canonical(jurisdiction), ranks.get(canonical(name), len(ranks)))
    return rank, _pinyin(name or jurisdiction)
