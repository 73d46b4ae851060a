"""The Python API for notebooks: its documented examples run, its results go into pandas as they are, and
importing yigai stays free."""

from __future__ import annotations

import doctest
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import yigai

from .conftest import CITY, GUANGXI, NATIONAL, SICHUAN

ROOT = Path(__file__).resolve().parent.parent


def test_the_packages_examples_run(monkeypatch):
    monkeypatch.chdir(ROOT)  # the examples name the samples from the repository's root
    failed, tried = doctest.testmod(yigai, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried >= 8 and failed == 0


def test_the_readmes_examples_run(monkeypatch):
    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```pycon\n(.*?)```", readme, re.DOTALL)
    assert blocks
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for k, block in enumerate(blocks):
        runner.run(parser.get_doctest(block, {}, f"README block {k}", "README.md", 0))
    assert runner.failures == 0 and runner.tries >= 5


def _flat(records: list[dict]) -> None:
    """What pandas.DataFrame(records) takes as it is: dicts with the same keys, each value a scalar."""
    assert records and all(isinstance(r, dict) for r in records)
    assert len({tuple(r) for r in records}) == 1
    assert all(v is None or isinstance(v, (str, int, float, bool)) for r in records for v in r.values())
    json.dumps(records, ensure_ascii=False)


def test_results_and_their_records(cli):
    national = yigai.read(NATIONAL)
    _flat(national.to_records())
    assert [r["index"] for r in national.to_records()] == list(range(1, 22))
    result = yigai.compare(NATIONAL, GUANGXI)
    records = result.to_records()
    _flat(records)
    data = cli("compare", NATIONAL, GUANGXI, "--format", "json").json()
    assert result.ratio == pytest.approx(data["coverage"]["ratio"], abs=1e-4)
    pairs = [(r["national_index"], r["local_index"], r["grade"]) for r in records if r["local_index"] is not None]
    assert sorted(pairs) == sorted((p["national"], p["local"], p["grade"]) for p in data["pairs"])
    assert [r["national_index"] for r in records if r["local_index"] is None] == data["coverage"]["uncovered"]
    grid = yigai.matrix(national, [SICHUAN, CITY], sort="coverage")
    _flat(grid.to_records())
    shown = cli("matrix", NATIONAL, SICHUAN, CITY, "--format", "json", "--sort", "coverage").json()["columns"]
    assert [c.label for c in grid.columns] == [c["label"] for c in shown]
    assert [r["grade"] for r in grid.to_records()][:21] == [c["grade"] for c in shown[0]["cells"]]


def test_matrix_stays_the_function_once_the_submodule_is_imported():
    import importlib

    module = importlib.import_module("yigai.matrix")
    from yigai.matrix import Column  # noqa: F401  (the submodule as before)

    assert callable(yigai.matrix) and yigai.matrix is not module and module.matrix is not yigai.matrix


def test_importing_yigai_loads_nothing_else():
    code = "import sys, yigai; print(sorted(m for m in sys.modules if m.startswith('yigai') or m in ('numpy', 'yaml')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['yigai']"


def test_the_package_is_typed():
    assert (ROOT / "yigai" / "py.typed").exists()
    assert '"yigai" = ["py.typed"]' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
