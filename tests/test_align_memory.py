"""What alignment remembers between documents (a local item read before, a title scored before) changes no
answer: a document aligned with the memory empty, full of other documents' items, or emptied on the way,
gets the same pairs."""

from __future__ import annotations

from dataclasses import replace

from tests.conftest import BAOKANG, NATIONAL, SICHUAN
from yigai import align as alignment
from yigai.documents import read_document
from yigai.vocab import load_vocabulary


def _answers(national, local, vocabulary):  # type: ignore[no-untyped-def]
    found = alignment.align(national, local, vocabulary)
    return found.pairs, found.subject_share, found.on_subject


def test_items_read_before_align_the_same(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    vocabulary = load_vocabulary()
    national, sichuan, baokang = read_document(NATIONAL), read_document(str(SICHUAN)), read_document(str(BAOKANG))
    alignment._READ.clear()
    alignment._PREPARED.clear()
    fresh = {name: _answers(national, d, vocabulary) for name, d in (("sichuan", sichuan), ("baokang", baokang))}
    assert len(alignment._READ) == len(sichuan.items) + len(baokang.items)
    # the same items under other numbers, in another order, in a document of both
    mixed = replace(baokang, items=tuple(replace(i, index=k + 1, label=i.label) for k, i in
                                         enumerate((*baokang.items, *sichuan.items)[::-1])))
    assert _answers(national, sichuan, vocabulary) == fresh["sichuan"]
    monkeypatch.setattr(alignment._READ, "most", 3)  # emptied again and again within one document
    assert _answers(national, baokang, vocabulary) == fresh["baokang"]
    alignment._READ.clear()
    once = _answers(national, mixed, vocabulary)
    monkeypatch.setattr(alignment._READ, "most", 4096)
    assert _answers(national, mixed, vocabulary) == once
    assert once[0]  # pairs were found: the comparison compares something


def test_task_readings_remembered_read_the_same(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from yigai import tasks

    documents = [read_document(str(SICHUAN)), read_document(str(BAOKANG))]
    tasks._READ.clear()
    fresh = [tasks.read_tasks(d) for d in documents]
    assert [tasks.read_tasks(d) for d in documents] == fresh  # every item read before
    monkeypatch.setattr(tasks._READ, "most", 2)  # emptied again and again
    tasks._READ.clear()
    assert [tasks.read_tasks(d) for d in documents] == fresh
    assert fresh[0].tasks == sum(tasks.is_task(i) for i in documents[0].items) > 0
    assert fresh[0].addressed == sum(tasks.addresses_public(i) for i in documents[0].items)


def test_the_collector_is_held_off_while_aligning_and_left_as_found(monkeypatch) -> None:
    import gc

    from yigai import similarity

    national, local = read_document(NATIONAL), read_document(str(BAOKANG))
    seen: list[bool] = []
    cosines = similarity.cosines
    monkeypatch.setattr(similarity, "cosines", lambda *args: (seen.append(gc.isenabled()), cosines(*args))[1])
    assert gc.isenabled()
    try:
        alignment.align(national, local, load_vocabulary())
        assert gc.isenabled() and seen == [False]  # (no long list's pairs and readings scanned over and over)
        gc.disable()
        alignment.align(national, local, load_vocabulary())
        assert not gc.isenabled()  # a caller that held it off keeps it off
    finally:
        gc.enable()
