"""yigai: read health-reform task lists and align local documents with the national one.

The flow reads one way: load -> clean -> split -> segment -> align -> coverage.
`yigai.documents.read_documents` runs the reading half for one path.

In a notebook, three functions do what the commands do, and return the library's results, each with
`to_records()` for pandas (`pandas.DataFrame(result.to_records())`):

>>> import yigai
>>> national = yigai.read("data/samples/national-2022_guangxi-2023.txt#1")
>>> national.jurisdiction, len(national.items), national.to_records()[6]["title"]
('全国', 21, '开展药品耗材集中带量采购工作')
>>> result = yigai.compare(national, "data/samples/national-2022_guangxi-2023.txt#2")
>>> print(result)
广西壮族自治区 2023 against 全国 2022: coverage 88% (17 full, 3 partial, 1 uncovered of 21)
>>> [r["local_index"] for r in result.to_records() if r["national_index"] == 7]
[14, 6]
>>> grid = yigai.matrix(national, ["data/samples/sichuan-2021.txt", "data/samples/city-2023-draft.txt"])
>>> [c.label for c in grid.columns], len(grid.to_records())
(['四川 2021 (sichuan-2021.txt)', '某市 2023 (city-2023-draft.txt)'], 42)

Each function loads what it needs when called: importing yigai costs nothing.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .api import Comparison, Matrix
    from .model import Document

__version__ = "0.1.0"
__all__ = ["read", "compare", "matrix", "__version__"]


def read(ref: str | Path) -> Document:
    """The one document `ref` names: a file, `PATH#SEL`, an http(s) address, or `-` (standard input)."""
    from . import api

    return api.read(ref)


def compare(national: str | Path | Document, local: str | Path | Document, vocab: Sequence[str | Path] | None = None,
            decisions: Sequence[str | Path] | None = None) -> Comparison:
    """A local document against the national one: `.alignment` (every pair), `.coverage`, `.ratio`."""
    from . import api

    return api.compare(national, local, vocab, decisions)


def matrix(national: str | Path | Document, local: Sequence[str | Path], vocab: Sequence[str | Path] | None = None,
           sort: str = "given", workers: int | None = None) -> Matrix:
    """Many local documents against the national one: `.columns`, one per document, labelled as the report does."""
    from . import api

    return api.matrix(national, local, vocab, sort, workers)


_API = frozenset(__all__)


class _Package(types.ModuleType):
    """`yigai.matrix` is the function above, and stays so once the submodule of that name is imported (the
    import system would set the package's attribute to the submodule); `from yigai.matrix import …` and
    `import yigai.matrix` read the submodule from sys.modules as before."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _API and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
