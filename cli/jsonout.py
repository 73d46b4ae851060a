"""JSON output: what `json.dumps(data, ensure_ascii=False, indent=2)` writes, byte for byte, written by orjson.

The standard library's indenting encoder is pure Python: on a matrix of 1,000 documents it spends ~0.5 s.
orjson writes the same text for the values yigai outputs (text, integers, booleans, null, lists, objects with
text or integer keys, and floats from 0.0001 up, which all print alike); anything else, or a missing orjson,
goes to the standard encoder.
"""

from __future__ import annotations

import json
import math
from typing import Any

_INT64 = 2**63


def _plain(data: Any) -> bool:
    todo = [data]
    while todo:
        value = todo.pop()
        kind = type(value)
        if kind is str or kind is bool or value is None:
            continue
        if kind is int:
            if not -_INT64 <= value < _INT64:
                return False
        elif kind is float:
            # orjson writes 1e-05 as 0.00001; from 1e-4 up (and 0) both write Python's shortest repr
            if not math.isfinite(value) or (value and not 1e-4 <= abs(value) < 1e16):
                return False
        elif kind is list or kind is tuple:
            todo.extend(value)
        elif kind is dict:
            for key in value:
                if type(key) is not str and type(key) is not int:
                    return False
            todo.extend(value.values())
        else:
            return False
    return True


def plain(data: Any) -> bool:
    """Whether orjson writes `data` as the standard encoder does (text, integers, booleans, null, lists, objects
    with text or integer keys, and floats from 0.0001 up)."""
    return _plain(data)


def dumps(data: Any, plain: bool | None = None) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=2)`; `plain`: what `plain(data)` says, where the caller knows
    it more quickly (False where unsure: the standard encoder writes the same)."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency; the standard encoder says the same
        return json.dumps(data, ensure_ascii=False, indent=2)
    if _plain(data) if plain is None else plain:
        try:
            return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode("utf-8")
        except (TypeError, ValueError):  # a lone surrogate, say: the standard encoder decides
            pass
    return json.dumps(data, ensure_ascii=False, indent=2)
