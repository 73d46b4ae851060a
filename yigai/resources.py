"""Access to the YAML files in data/, wherever yigai is installed."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

# libyaml's parser where PyYAML was built with it (8x faster on the vocabulary), the pure-Python one otherwise;
# both build the same data with the safe constructors
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str) -> Any:
    """yaml.safe_load, with the C parser when present."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader either way


def data_path(name: str) -> Path:
    """Path of a file shipped in yigai's data package (data/ in a checkout)."""
    try:
        return Path(str(resources.files("yigai.data").joinpath(name)))
    except ModuleNotFoundError:
        # yigai imported from a source checkout, where data/ sits beside the package instead of inside it
        # (pytest run from the root after a plain `pip install .` puts the checkout first on sys.path)
        return Path(__file__).resolve().parent.parent / "data" / name


@cache
def load_data(name: str) -> Any:
    """Parsed YAML from the data package; cached, since every document reuses it."""
    return read_yaml(data_path(name).read_text(encoding="utf-8"))
