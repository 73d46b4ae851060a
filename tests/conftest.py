"""Shared fixtures: the sample documents and a runner for the real CLI entry point."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from yigai_cli.main import main

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
NATIONAL_PAGE = SAMPLES / "national-2022_guangxi-2023.txt"
NATIONAL = f"{NATIONAL_PAGE}#1"
GUANGXI = f"{NATIONAL_PAGE}#2"
SICHUAN = SAMPLES / "sichuan-2021.txt"
BAOKANG = SAMPLES / "baokang-county-2017.txt"
CITY = SAMPLES / "city-2023-draft.txt"
ROUNDUP = SAMPLES / "provinces-2024-roundup.txt"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory, monkeypatch):  # type: ignore[no-untyped-def]
    """Every test its own results cache (yigai.cache), never the user's: a result one test keeps must not
    answer another's run, and the tests leave nothing in ~/.cache."""
    monkeypatch.setenv("YIGAI_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@dataclass
class Result:
    status: int
    out: str
    err: str

    def json(self):  # type: ignore[no-untyped-def]
        return json.loads(self.out)


@pytest.fixture
def cli(capsys):  # type: ignore[no-untyped-def]
    """Run `yigai ARGS...` through the real entry point; return status, stdout, stderr."""

    def run(*args: object) -> Result:
        status = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(status, captured.out, captured.err)

    return run
