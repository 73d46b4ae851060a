"""What alignment answers on every sample and on generated documents, written down to compare against.

`tests/fixtures/same-results.json` holds, for the national list against each local document (Guangxi, Sichuan,
the city draft, Baokang, every round-up paragraph, the texts on other subjects, and generated documents):
every pair's grade, score and sentence similarity as printed (3 decimals), evidence, quoted sentences and
terms, the topics, and whether the document reads on the subject; and every instrument mention in every
item. A change that means to change alignment rewrites it (`python -m tests.snapshot --write`) and the diff
shows what moved; a change meant only to make yigai faster must leave it as it is.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from yigai.align import align
from yigai.documents import read_document, read_documents
from yigai.matrix import matrix
from yigai.model import Document
from yigai.vocab import Vocabulary, load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
FIXTURE = ROOT / "tests" / "fixtures" / "same-results.json"
NATIONAL = f"{SAMPLES / 'national-2022_guangxi-2023.txt'}#1"
GENERATED = 40  # at least yigai.matrix.PARALLEL_FROM, so that matrix takes its parallel path


def sample_documents() -> list[tuple[str, Document]]:
    found = [("guangxi", read_document(f"{SAMPLES / 'national-2022_guangxi-2023.txt'}#2"))]
    for name in ("sichuan-2021", "city-2023-draft", "baokang-county-2017"):
        found.append((name, read_document(str(SAMPLES / f"{name}.txt"))))
    found += [(f"roundup#{d.selector}", d) for d in read_documents(SAMPLES / "provinces-2024-roundup.txt")]
    found += [(f"unrelated/{p.name}", d) for p in sorted((ROOT / "tests" / "fixtures" / "unrelated").glob("*.txt"))
              for d in read_documents(p)]
    return found


def alignment_record(national: Document, local: Document, vocabulary: Vocabulary) -> dict[str, Any]:
    alignment = align(national, local, vocabulary)
    return {"on_subject": alignment.on_subject, "subject_share": round(alignment.subject_share, 3),
            "topics": {str(k): v for k, v in alignment.topics.items()}, "pairs": [p.as_dict() for p in alignment.pairs]}


def mention_record(document: Document, vocabulary: Vocabulary) -> list[list[Any]]:
    found = []
    for item in document.items:
        whole = item.title + "。" + item.measures
        for text, context in ((whole, ""), (item.title, whole), (item.text, "")):
            found.append([[m.instrument, m.surface, m.start, m.specific] for m in vocabulary.mentions(text, context)])
    return found


def column_records(national: Document, paths: list[str], workers: int) -> list[dict[str, Any]]:
    return [{"coverage": c.coverage, "cells": c.as_dict()["cells"]} for c in matrix(national, paths, workers=workers)]


def write_generated(directory: Path, texts: list[str]) -> list[str]:
    paths = []
    for n, text in enumerate(texts):
        path = directory / f"local-{n:04d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def record(generated: list[str]) -> dict[str, Any]:
    vocabulary = load_vocabulary()
    national = read_document(NATIONAL)
    documents = sample_documents()
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_generated(Path(tmp), generated)
        documents += [(f"generated/{n}", read_document(p)) for n, p in enumerate(paths)]
        columns = column_records(national, paths, workers=1)
    return {
        "alignments": {name: alignment_record(national, d, vocabulary) for name, d in documents},
        "mentions": {name: mention_record(d, vocabulary) for name, d in [("national", national), *documents]},
        "columns": columns,
    }


def dumps(data: dict[str, Any]) -> str:
    """One line per document, so that a diff of the fixture names the documents whose answers moved."""
    lines = []
    for key, value in sorted(data.items()):
        if isinstance(value, dict):
            entries = [f"  {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False, sort_keys=True)}"
                       for k, v in sorted(value.items())]
        else:
            entries = [f"  {json.dumps(v, ensure_ascii=False, sort_keys=True)}" for v in value]
        lines.append(f"{json.dumps(key)}: " + ("{" if isinstance(value, dict) else "[") + "\n" + ",\n".join(entries)
                     + "\n" + ("}" if isinstance(value, dict) else "]"))
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main(argv: list[str]) -> int:
    if argv != ["--write"]:
        sys.stderr.write("usage: python -m tests.snapshot --write   (rewrites tests/fixtures/same-results.json)\n")
        return 2
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import texts

    generated = texts(GENERATED)
    data = {"generated_documents": generated, **record(generated)}
    FIXTURE.write_text(dumps(data), encoding="utf-8")
    print(f"wrote {FIXTURE} ({len(data['alignments'])} alignments)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
