"""Faster must mean the same: alignment, mentions and matrix columns equal what tests/fixtures/same-results.json
recorded (written by `python -m tests.snapshot --write` from the implementation before it was made faster)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import snapshot
from yigai.documents import read_document
from yigai.vocab import load_vocabulary

RECORDED = json.loads(snapshot.FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def now(tmp_path_factory):  # type: ignore[no-untyped-def]
    return snapshot.record(RECORDED["generated_documents"])


def test_the_fixture_covers_every_sample_and_generated_documents() -> None:
    names = set(RECORDED["alignments"])
    assert {"guangxi", "sichuan-2021", "city-2023-draft", "baokang-county-2017"} <= names
    assert sum(n.startswith("roundup#") for n in names) >= 31
    assert sum(n.startswith("generated/") for n in names) == snapshot.GENERATED
    assert sum(len(a["pairs"]) for a in RECORDED["alignments"].values()) > 500


@pytest.mark.parametrize("name", sorted(RECORDED["alignments"]))
def test_alignment_is_what_was_recorded(now, name: str) -> None:  # type: ignore[no-untyped-def]
    assert now["alignments"][name] == RECORDED["alignments"][name]


@pytest.mark.parametrize("name", sorted(RECORDED["mentions"]))
def test_mentions_are_what_was_recorded(now, name: str) -> None:  # type: ignore[no-untyped-def]
    assert now["mentions"][name] == RECORDED["mentions"][name]


def test_matrix_columns_are_what_was_recorded(now) -> None:  # type: ignore[no-untyped-def]
    assert now["columns"] == RECORDED["columns"]


def test_parallel_matrix_is_the_serial_matrix(tmp_path: Path) -> None:
    national = read_document(snapshot.NATIONAL)
    paths = snapshot.write_generated(tmp_path, RECORDED["generated_documents"])
    parallel = snapshot.column_records(national, paths, workers=2)
    assert parallel == snapshot.column_records(national, paths, workers=1)
    assert parallel == RECORDED["columns"]


def test_the_vocabulary_is_the_one_recorded_against() -> None:
    # a vocabulary edit changes answers on purpose: rewrite the fixture then, and read its diff
    assert load_vocabulary().instruments
