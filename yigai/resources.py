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


class DuplicateKey(yaml.constructor.ConstructorError):
    """A mapping names one key twice: YAML would keep the last value and drop the first without a word (an
    instrument given a second `aliases:` list loses its first)."""


class _UniqueKeyLoader(_LOADER):  # type: ignore[misc,valid-type]
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                if key_node.value in seen:
                    raise DuplicateKey(None, None, f"key '{key_node.value}' appears twice in one entry",
                                       key_node.start_mark)
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


def read_yaml(text: str) -> Any:
    """yaml.safe_load, with the C parser when present; a key named twice in one mapping is an error."""
    return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a safe loader either way


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
