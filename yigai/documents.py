"""Read the documents a path holds, and pick one by selector (`PATH#2`, `PATH#四川省`)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from .clean import clean
from .errors import InputError, shown
from .load import load
from .model import Document
from .segment import segment
from .split import split


def read_documents(path: str | Path, data: bytes | None = None) -> list[Document]:
    """Every document in one file: load -> clean -> split -> segment (`data`: the file's bytes, read already)."""
    source = load(path, data)
    parts = split(clean(source.text))
    if not parts:
        raise InputError(source.path, "no text left after cleaning", "is this a reform document?")
    documents = [segment(part, source.path, str(n)) for n, part in enumerate(parts, start=1)]
    if source.ocr is not None:
        from .notes import tell
        from .ocr import note

        tell(f"{shown(source.path)}: {note(source.ocr)}")  # the CLI shows it on stderr
        documents = [replace(document, ocr=True) for document in documents]
    return documents


def parse_ref(ref: str) -> tuple[str, str | None]:
    """`path#sel` -> (path, sel); a `#` inside an existing file name is kept."""
    if "#" in ref and not os.path.exists(ref):  # (False, not an error, for a name too long to be a file)
        path, _, selector = ref.rpartition("#")
        if not selector.strip():  # `file.txt#`: a selector was meant and left out, in every command alike
            raise InputError(ref, "empty selector after '#'", "write PATH#1, PATH#四川, or the PATH alone")
        return path, selector
    return ref, None


def select(documents: list[Document], selector: str, source: str) -> Document:
    """The document named by position (1-based) or jurisdiction (full or short name)."""
    # ASCII digits only: str.isdigit() also accepts ² and ①, which int() refuses
    if selector.isascii() and selector.isdigit() and 1 <= int(selector) <= len(documents):
        return documents[int(selector) - 1]
    for document in documents:
        if selector in {document.jurisdiction, document.short_name}:
            return document
    raise InputError(source, f"no document matches selector '{shown(selector, 60)}'", f"choose one of: {listing(documents)}")


def listing(documents: list[Document], most: int = 10) -> str:
    shown_ = "; ".join(f"#{d.selector} {d.jurisdiction or d.title[:20]}" for d in documents[:most])
    return shown_ + (f"; … {len(documents) - most} more (yigai parse lists them)" if len(documents) > most else "")


def read_ref(ref: str, documents: list[Document] | None = None) -> list[Document]:
    """The documents a ref names: all of `PATH`, or the one `PATH#SEL` picks (`documents`: the file's, read already)."""
    path, selector = parse_ref(ref)
    documents = read_documents(path) if documents is None else documents
    return documents if selector is None else [select(documents, selector, path)]


def read_document(ref: str, documents: list[Document] | None = None) -> Document:
    """Exactly one document: `PATH` holding one, or `PATH#SEL`."""
    path, selector = parse_ref(ref)
    documents = read_ref(ref, documents)
    if selector is None and len(documents) > 1:
        raise InputError(path, f"holds {len(documents)} documents", f"add a selector: {listing(documents)}")
    return documents[0]


def read_pair(first: str, second: str) -> tuple[Document, Document]:
    """Two documents, each `PATH` or `PATH#SEL`; a file that holds both (page.txt#1 page.txt#2) is read once."""
    a, b = parse_ref(first)[0], parse_ref(second)[0]
    if a != b:
        return read_document(first), read_document(second)
    documents = read_documents(a)
    return read_document(first, documents), read_document(second, documents)
