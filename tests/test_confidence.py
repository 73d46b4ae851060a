"""Every pair says how sure it is: a probability and a word, from data/confidence.yaml; --min-confidence keeps the
sure ones; the table marks the unsure ones for an analyst to check first."""

from __future__ import annotations

import pytest

from yigai.align import Confidence, align, confident, pair_features, signals
from yigai.documents import read_document
from yigai.vocab import load_vocabulary

from .conftest import CITY, NATIONAL, SICHUAN

LEVELS = {"sure", "likely", "unsure"}


@pytest.fixture(scope="module")
def city():  # type: ignore[no-untyped-def]
    return align(read_document(NATIONAL), read_document(str(CITY)), load_vocabulary())


def test_every_pair_has_a_probability_and_the_word_for_it(city) -> None:  # type: ignore[no-untyped-def]
    model = Confidence.load()
    assert 0 < model.unsure <= model.sure < 1
    assert city.pairs
    for p in city.pairs:
        assert 0.0 < p.confidence < 1.0
        assert p.certainty == ("sure" if p.confidence >= model.sure else "unsure" if p.confidence < model.unsure
                               else "likely")
    assert {p.certainty for p in city.pairs} >= {"sure", "unsure"}  # a real list has both kinds


def test_confidence_grows_with_the_pairs_score(city) -> None:  # type: ignore[no-untyped-def]
    model = Confidence.load()
    assert model.weights[model.features.index("score")] > 0
    assert model.weights[model.features.index("shared")] > 0  # a shared instrument makes a pair surer


def test_the_model_reads_every_feature_alignment_gives(city) -> None:  # type: ignore[no-untyped-def]
    features = pair_features(city.pairs, signals(city.national, city.local, load_vocabulary()))
    assert set(Confidence.load().features) == set(features)
    assert all(len(v) == len(city.pairs) for v in features.values())


def test_min_confidence_keeps_the_pairs_at_least_that_sure(city) -> None:  # type: ignore[no-untyped-def]
    cut = sorted(p.confidence for p in city.pairs)[len(city.pairs) // 2]
    kept = confident(city, cut)
    assert 0 < len(kept.pairs) < len(city.pairs)
    assert all(p.confidence >= cut for p in kept.pairs)
    assert {(p.national, p.local) for p in city.pairs if p.confidence >= cut} == {(p.national, p.local) for p in kept.pairs}


def test_json_carries_the_confidence(cli) -> None:  # type: ignore[no-untyped-def]
    data = cli("compare", NATIONAL, SICHUAN, "--format", "json").json()
    assert all(set(p["confidence"]) == {"value", "level"} and p["confidence"]["level"] in LEVELS for p in data["pairs"])
    kept = cli("compare", NATIONAL, SICHUAN, "--format", "json", "--min-confidence", "0.9").json()
    assert kept["pairs"] and all(p["confidence"]["value"] >= 0.9 for p in kept["pairs"])
    assert len(kept["pairs"]) < len(data["pairs"]) and kept["coverage"]["ratio"] <= data["coverage"]["ratio"]


def test_the_table_marks_the_unsure_pairs(cli) -> None:  # type: ignore[no-untyped-def]
    data = cli("compare", NATIONAL, CITY, "--format", "json").json()
    unsure = [p for p in data["pairs"] if p["confidence"]["level"] == "unsure"]
    assert unsure
    rows = cli("compare", NATIONAL, CITY, "--format", "csv").out
    assert "certainty" in rows.splitlines()[0] and ",unsure," in rows
    table = cli("compare", NATIONAL, CITY).out
    # (the table shows the first counterparts of an item, then "+N more")
    assert 0 < table.count("(?)") <= len(unsure)
    assert "(?)" not in cli("compare", NATIONAL, CITY, "--min-confidence", "0.9").out


def test_a_bad_min_confidence_is_a_usage_error(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("compare", NATIONAL, CITY, "--min-confidence", "1.5")
    assert result.status == 2 and "--min-confidence" in result.err


def test_matrix_keeps_the_pairs_compare_keeps(cli) -> None:  # type: ignore[no-untyped-def]
    """matrix --min-confidence grades each column as compare --min-confidence grades that document, and a result kept
    by the cache under one minimum is not given for another."""

    def grades(*args: str) -> list[str]:
        cells = cli("matrix", NATIONAL, CITY, SICHUAN, "--format", "json", *args).json()["columns"]
        return ["".join(c["grade"][0] for c in column["cells"]) for column in cells]

    def compared(local: str, minimum: str) -> str:
        cover = cli("compare", NATIONAL, local, "--format", "json", "--min-confidence", minimum).json()["coverage"]
        return "".join("f" if n in cover["full"] else "p" if n in cover["partial"] else "n"
                       for n in range(1, cover["total"] + 1))

    everything = grades()
    strict = grades("--min-confidence", "0.95")
    assert strict == [compared(CITY, "0.95"), compared(SICHUAN, "0.95")]
    assert strict != everything  # some pairs are less sure than that
    rank = {"n": 0, "p": 1, "f": 2}  # (fewer pairs: an item's grade can only fall)
    assert all(rank[s] <= rank[e] for a, b in zip(strict, everything) for s, e in zip(a, b))
    assert grades() == everything  # (the cache, warm now, keeps the two apart)
    assert grades("--min-confidence", "0.95") == strict
