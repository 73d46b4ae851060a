"""Fuzzing the reader: random and mutated bytes never crash it; they parse or fail with one InputError.

Two bounded, seeded runs: hypothesis over arbitrary bytes, and a mutation loop in the manner of
atheris (bit flips, cuts, splices and repeats of the real samples in every format), each capped in time.
"""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yigai.documents import read_documents
from yigai.errors import InputError

from . import render
from .conftest import BAOKANG, CITY, SICHUAN

MUTATION_SECONDS = 15


def _read(path):
    try:
        documents = read_documents(path)
    except InputError as exc:
        assert exc.source and exc.problem and "\n" not in exc.line()
        return None
    for document in documents:
        assert [i.index for i in document.items] == list(range(1, len(document.items) + 1))
    return documents


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".txt", ".html", ".docx", ".pdf", ""]))
def test_arbitrary_bytes(tmp_path, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    _read(path)


def _mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        choice = rng.random()
        if not data:
            break
        at = rng.randrange(len(data))
        if choice < 0.35:
            data[at] ^= 1 << rng.randrange(8)  # flip a bit
        elif choice < 0.55:
            del data[at : at + rng.randint(1, 256)]  # cut
        elif choice < 0.75:
            other = rng.randrange(len(data))
            data[at:at] = data[other : other + rng.randint(1, 512)]  # splice a piece elsewhere
        elif choice < 0.9:
            data = data[: rng.randrange(1, len(data) + 1)]  # truncate
        else:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))  # insert noise
    return bytes(data)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    directory = tmp_path_factory.mktemp("seeds")
    found = []
    for sample in (CITY, SICHUAN, BAOKANG):
        text = sample.read_text(encoding="utf-8")
        found.append(sample.read_bytes())
        found.append(text.encode("gb18030", errors="ignore"))
        found.append(render.to_html(text, directory / f"{sample.stem}.html").read_bytes())
    found.append(render.to_docx(CITY.read_text(encoding="utf-8"), directory / "city.docx").read_bytes())
    found.append(render.to_pdf(CITY.read_text(encoding="utf-8")[:1500], directory / "city.pdf").read_bytes())
    return found


def test_mutated_samples(tmp_path, seeds):
    rng = random.Random(20261123)
    deadline = time.monotonic() + MUTATION_SECONDS
    runs = 0
    while time.monotonic() < deadline:
        seed = rng.choice(seeds)
        path = tmp_path / f"mutant{rng.choice(['.txt', '.html', '.docx', '.pdf'])}"
        path.write_bytes(_mutate(seed, rng))
        _read(path)
        runs += 1
    assert runs > 20
