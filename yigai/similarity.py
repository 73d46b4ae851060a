"""TF-IDF cosine over character 2-3-grams, on flat numpy arrays.

One national list is read against many local documents: its side of the space (its n-grams, and how many of
its items hold each) is prepared once, and each document pair only counts the local side, weighs both and
multiplies. The numbers are those of the plain definition (tests/test_similarity.py holds it): idf is
log((items + 1) / (df + 1)) + 1 over the pair's items, a text's weights are (1 + log count) x idf, a row is
divided by its norm over all its n-grams and keeps only the n-grams both documents' items use, in the order
their strings sort, as float32.

Arrays' own methods (x.nonzero()[0], x.cumsum(), x.repeat(), x.sort()) stand where numpy's functions of the same
name would only call them: a document makes some fifty such calls on small arrays, and the functions' wrappers cost
as much as the work.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from rapidfuzz import fuzz, process


@dataclass(frozen=True)
class Bags:
    """The n-gram bags of some texts, flattened: entry k is n-gram `grams[gram[k]]`, printed `counts[k]` times
    in text `rows[k]`; entries are sorted by n-gram, then by text.

    An n-gram's code sorts as its string does: its characters (all below U+A000) in 16 bits each, a 2-gram
    padded with 0, which sorts before any character, as "ab" sorts before "abc"."""

    grams: np.ndarray  # every n-gram code the texts hold, sorted (int64)
    gram: np.ndarray  # per entry, its n-gram's position in grams
    counts: np.ndarray
    rows: np.ndarray
    size: int  # how many texts


def _character_table() -> np.ndarray:
    """What an n-gram may hold: CJK unified ideographs, ASCII letters and digits, '+' (互联网+); a table by code
    point up to U+A000, which stands for every character from there on (one look-up where ten comparisons were)."""
    table = np.zeros(0xA001, dtype=bool)
    for first, last in ((0x4E00, 0x9FFF), (0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A), (0x2B, 0x2B)):
        table[first : last + 1] = True
    return table


_TEXT_CHARACTER = _character_table()


def _text_characters(points: np.ndarray) -> np.ndarray:
    return _TEXT_CHARACTER[np.minimum(points, 0xA000)]


# How many texts a key holds beside an n-gram's code, by the bits a character takes: 16 bits a character (the
# codes of Bags) leave 15 for the text; 15 bits a character (see _narrow) leave 18; past that, n-grams are
# numbered first (a second sort). Each path gives the same Bags: only the cost differs, and it stays linear.
WIDE_TEXTS = 1 << 15
NARROW_TEXTS = 1 << 18

# Text characters in 15 bits, in the same order: ASCII ones (below 0x80) as they are, CJK from 0x80 on.
_CJK_SHIFT = 0x4E00 - 0x80


def _narrow(points: np.ndarray) -> np.ndarray:
    return np.where(points >= 0x4E00, points - _CJK_SHIFT, points)


def _widen(codes: np.ndarray) -> np.ndarray:
    """Codes of 15-bit characters as codes of 16-bit ones (the characters of the code, back as printed)."""
    wide = np.zeros(len(codes), dtype=np.int64)
    for shift in (30, 15, 0):
        character = (codes >> shift) & 0x7FFF
        wide = (wide << 16) | np.where(character >= 0x80, character + _CJK_SHIFT, character)
    return wide


def _entries(high: np.ndarray, rows: np.ndarray, row_bits: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct (high, row) pairs in order, and how often each occurs: both in one key, so that one sort
    orders them by high, then by row, and tells the distinct ones."""
    keys = (high << row_bits) | rows
    keys.sort()
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    starts = first.nonzero()[0]
    entries = keys[starts]
    ends = np.empty_like(starts)  # (np.diff and np.append cost more than the sort on a small document)
    ends[:-1] = starts[1:]
    ends[-1:] = len(keys)
    return entries >> row_bits, entries & ((1 << row_bits) - 1), ends - starts


def _codes(points: np.ndarray, bits: int, two: np.ndarray, three: np.ndarray) -> np.ndarray:
    """The codes of the 2-grams starting at `two`, then of the 3-grams starting at `three` (every position's
    codes computed at once: fewer, larger array operations)."""
    pairs = (points[:-1] << 2 * bits) | (points[1:] << bits)
    return np.concatenate((pairs[two], (pairs[:-1] | points[2:])[three]))


def bags(texts: Sequence[str]) -> Bags:
    """Every text's 2- and 3-grams within runs of text characters (punctuation and spaces break a run)."""
    if not texts:
        empty = np.zeros(0, dtype=np.int64)
        return Bags(empty, empty, empty, empty, 0)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    # one separator between texts: it is no text character, so no n-gram spans two texts
    joined = "\x00".join(texts).encode("utf-32-le", "surrogatepass")
    points = np.frombuffer(joined, dtype=np.uint32).astype(np.int64)
    text_of = np.arange(len(texts), dtype=np.int64).repeat(lengths + 1)[: len(points)]
    ok = _text_characters(points)
    pair = ok[:-1] & ok[1:]
    two = pair.nonzero()[0]  # where a 2-gram starts
    three = (pair[:-1] & ok[2:]).nonzero()[0]  # and a 3-gram
    rows = text_of[np.concatenate((two, three))]
    size = len(texts)
    if size < NARROW_TEXTS:
        # code and text in one key: a code of 16-bit characters takes 48 bits and leaves 15 for the text; with
        # more texts, a code of 15-bit characters takes 45 and leaves 18
        wide = size < WIDE_TEXTS
        bits, row_bits = (16, 15) if wide else (15, 18)
        codes = _codes(points if wide else _narrow(points), bits, two, three)
        entry_codes, entry_rows, counts = _entries(codes, rows, row_bits)
        new_gram = np.ones(len(entry_codes), dtype=bool)
        new_gram[1:] = entry_codes[1:] != entry_codes[:-1]
        grams = entry_codes[new_gram]
        return Bags(grams if wide else _widen(grams), new_gram.cumsum() - 1, counts, entry_rows, size)
    # more texts still: n-grams numbered in the order their codes sort, and the number beside the text
    codes = _codes(points, 16, two, three)
    ordered = np.sort(codes)
    new_gram = np.ones(len(ordered), dtype=bool)
    new_gram[1:] = ordered[1:] != ordered[:-1]
    grams = ordered[new_gram]
    gram, entry_rows, counts = _entries(np.searchsorted(grams, codes), rows, (size - 1).bit_length())
    return Bags(grams, gram, counts, entry_rows, size)


@cache
def _idf_table(total: int) -> np.ndarray:
    """idf by document frequency 0..total, for a pair of documents with `total` items between them."""
    return np.array([math.log((total + 1) / (c + 1)) + 1.0 for c in range(total + 1)])


_TF = np.array([0.0] + [1.0 + math.log(c) for c in range(1, 4096)])


def _tf(counts: np.ndarray) -> np.ndarray:
    if len(counts) and counts.max() >= len(_TF):
        return np.array([1.0 + math.log(int(c)) for c in counts])
    return _TF[counts]


def _lookup(sorted_codes: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of `codes` in `sorted_codes`, and which of them are there at all."""
    if not len(sorted_codes):
        return np.zeros(len(codes), dtype=np.int64), np.zeros(len(codes), dtype=bool)
    at = np.minimum(sorted_codes.searchsorted(codes), len(sorted_codes) - 1)
    return at, sorted_codes[at] == codes


def _at(values: np.ndarray, at: np.ndarray, found: np.ndarray) -> np.ndarray:
    """values[at] where found, else 0."""
    return np.where(found, values[at], 0) if len(values) else np.zeros(len(at), dtype=values.dtype)


def _scaled(rows: np.ndarray, weights: np.ndarray, kept: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The entries `kept`: their texts, and their weights in rows of unit length (the norm over all of a text's
    n-grams), as float32."""
    scale = np.sqrt(np.bincount(rows, weights * weights, minlength=size)).astype(np.float32)
    held = rows[kept]
    return held, weights[kept].astype(np.float32) / scale[held]


def _rows(rows: np.ndarray, weights: np.ndarray, kept: np.ndarray, columns: np.ndarray, size: int,
          width: int) -> np.ndarray:
    """Unit-length rows (norm over all of a text's n-grams), holding the entries `kept` in their `columns`."""
    held, values = _scaled(rows, weights, kept, size)
    width = max(width, 1)
    out = np.zeros((size, width), dtype=np.float32)
    # through the flat array: numpy scatters by one index three times as fast as by a pair of them
    out.reshape(-1)[held * width + columns] = values
    return out


def _weighed(counts: np.ndarray, gram: np.ndarray, df: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """(1 + log count) x idf per entry (an n-gram no item holds weighs 1)."""
    return _tf(counts) * np.where(df > 0, idf[df], 1.0)[gram]


def _runs(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions of runs given by their starts and lengths, one run after the other."""
    ends = lengths.cumsum()
    return np.arange(ends[-1] if len(ends) else 0) - (ends - lengths - starts).repeat(lengths)


@dataclass(frozen=True, eq=False)
class Side:
    """The reference document's side of the space: its items' and sentences' bags (texts 0..items-1 are the
    items, the sentences follow), and per n-gram how many of its items hold it.

    Of a pair's weights on this side, only those of the n-grams the local items hold depend on the local
    document (through their document frequency); the others' idf depends only on how many items the pair has:
    each n-gram's idf is kept per item count, and each document pair sets only its own n-grams' anew."""

    bags: Bags
    items: int  # how many of the texts are items
    df: np.ndarray  # per n-gram of bags.grams, how many items hold it (0: only in sentences)
    _idf: dict[int, np.ndarray]  # items of a pair -> every n-gram's idf with this side's df only
    tf: np.ndarray  # per entry, 1 + log count
    starts: np.ndarray  # per n-gram, its first entry (entries are sorted by n-gram)
    lengths: np.ndarray  # per n-gram, how many entries (texts) hold it

    def idf(self, total: int, idf: np.ndarray) -> np.ndarray:
        """Per n-gram, its idf over a pair of `total` items where the local items hold none of it (an n-gram no
        item holds weighs 1, as _weighed weighs it)."""
        found = self._idf.get(total)
        if found is None:
            if len(self._idf) >= 64:  # local documents of many sizes: a few MB at most
                self._idf.clear()
            found = self._idf[total] = np.where(self.df > 0, idf[self.df], 1.0)
        return found

    def entries_of(self, grams: np.ndarray) -> np.ndarray:
        """The entries of the n-grams given (positions in grams, ascending), in the entries' order: each n-gram's
        run, from where it starts (a few operations on as many values as are gathered, where a mask over the
        side's every entry took as many on all of them)."""
        return _runs(self.starts[grams], self.lengths[grams])


def side(items: Sequence[str], sentences: Sequence[str]) -> Side:
    joint = bags([*items, *sentences])
    in_items = joint.rows < len(items)
    lengths = np.bincount(joint.gram, minlength=len(joint.grams))
    return Side(joint, len(items), np.bincount(joint.gram[in_items], minlength=len(joint.grams)), {},
                _tf(joint.counts), np.cumsum(lengths) - lengths, lengths)


def cosines(reference: Side, items: Sequence[str], sentences: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """TF-IDF cosines, reference items x local items and reference sentences x local sentences."""
    local = bags([*items, *sentences])
    local_df = np.bincount(local.gram[local.rows < len(items)], minlength=len(local.grams))
    total = reference.items + len(items)
    idf = _idf_table(total)
    ref = reference.bags

    # document frequency over the pair's items, for the reference's n-grams and for the local ones
    at_ref, in_ref = _lookup(ref.grams, local.grams)
    in_ref_items = _at(reference.df, at_ref, in_ref)  # per local n-gram, how many reference items hold it
    held = in_ref & (local_df > 0)
    both = held & (in_ref_items > 0)  # the n-grams both documents' items hold: the columns, in this order
    moved = at_ref[held]  # the reference's n-grams the local items hold too, in the order their strings sort
    in_both = at_ref[both]
    width = len(in_both)

    # every entry's weight, (1 + log count) x its n-gram's idf: the moved n-grams' idf is the pair's (the local
    # items hold them: their df is above 0, and their idf the table's)
    gram_idf = reference.idf(total, idf).copy()
    gram_idf[moved] = idf[reference.df[moved] + local_df[held]]
    weights = reference.tf * gram_idf[ref.gram]
    n_rows = _rows(ref.rows, weights, reference.entries_of(in_both),
                   np.arange(width).repeat(reference.lengths[in_both]), ref.size, width)

    df_local = in_ref_items + local_df
    local_columns = np.where(both, both.cumsum() - 1, -1)
    l_weights = _weighed(local.counts, local.gram, df_local, idf)
    l_columns = local_columns[local.gram]
    l_kept = (l_columns >= 0).nonzero()[0]
    k, m = reference.items, len(items)
    if local.size > SLICED_FROM:
        return _sliced_products(n_rows, k, m, local.rows, l_weights, l_kept, l_columns[l_kept], local.size, width)
    l_rows = _rows(local.rows, l_weights, l_kept, l_columns[l_kept], local.size, width)
    return n_rows[:k] @ l_rows[:m].T, n_rows[k:] @ l_rows[m:].T


# A local document of more texts (items and sentences) than this has its rows made and multiplied a slice at a time.
# Whole, its rows of some 2,300 columns (the reference's n-grams, all in use in a long document) took 441 MiB at
# 50,000 texts, and their making grew faster than the document. A slice's products may differ from the whole's in
# the last bit of a float32 (BLAS sums in another order): no document of the same-results test is this long, and of
# the 22,469 pairs of a 15,855-item list (bench/align_speed.py) two changed grade: which of two verbatim copies of one
# item is a national item's best match, where their scores differ in the last bits whole or sliced.
SLICED_FROM = 1 << 14
SLICE_TEXTS = 1 << 12


def _sliced_products(n_rows: np.ndarray, k: int, m: int, rows: np.ndarray, weights: np.ndarray, kept: np.ndarray,
                     columns: np.ndarray, size: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """What `cosines` returns, the local rows (the values _rows gives them) made SLICE_TEXTS texts at a time in one
    buffer, and multiplied as they are made."""
    held, values = _scaled(rows, weights, kept, size)
    order = held.argsort(kind="stable")  # the kept entries text by text
    held, at, values = held[order], columns[order], values[order]
    text = np.empty((k, m), dtype=np.float32)
    sentence = np.empty((len(n_rows) - k, size - m), dtype=np.float32)
    width = max(width, 1)
    buffer = np.zeros((SLICE_TEXTS, width), dtype=np.float32)
    bounds = held.searchsorted(np.arange(0, size + SLICE_TEXTS, SLICE_TEXTS))
    for first, start, end in zip(range(0, size, SLICE_TEXTS), bounds[:-1], bounds[1:]):
        last = min(first + SLICE_TEXTS, size)
        buffer[:] = 0.0
        buffer.reshape(-1)[(held[start:end] - first) * width + at[start:end]] = values[start:end]
        part = buffer[: last - first]
        if first < m:  # items in this slice
            upto = min(last, m) - first
            text[:, first : first + upto] = n_rows[:k] @ part[:upto].T
        if last > m:  # sentences in this slice
            since = max(first, m) - first
            sentence[:, first + since - m : last - m] = n_rows[k:] @ part[since:].T
    return text, sentence


@dataclass(frozen=True, eq=False)
class Titles:
    """The reference's titles, for rapidfuzz's partial_ratio against each local document's titles.

    partial_ratio reads only which characters of one title equal which of the other, so the titles are
    rewritten in a small alphabet of their own: each character of the reference's titles a code from 1 to 255,
    and every character no reference title holds the code 0, which equals nothing of a reference title.
    The scores are the same; rapidfuzz compares one-byte strings about twice as fast as CJK ones."""

    titles: tuple[str, ...]  # the reference's titles, rewritten
    table: dict[int, str]  # character -> its code (str.translate's table)
    foreign: re.Pattern[str] | None  # a character no reference title holds (None: titles kept as printed)
    # local title -> its scores against every reference title: local lists copy one another's titles
    seen: dict[str, np.ndarray] = field(default_factory=dict)


def titles(reference: Sequence[str]) -> Titles:
    characters = sorted(set("".join(reference)))
    if len(characters) > 255 or "\x00" in characters:  # no room for one byte each: as printed (slower)
        return Titles(tuple(reference), {}, None)
    table = {ord(c): chr(k + 1) for k, c in enumerate(characters)}
    foreign = re.compile("[^" + "".join(map(re.escape, characters)) + "]" if characters else "(?s:.)")
    return Titles(tuple(t.translate(table) for t in reference), table, foreign)


TITLES_SEEN = 8192  # local titles whose scores are kept (~0.1 kB each against a national list)


def title_similarity(reference: Titles, local: Sequence[str]) -> np.ndarray:
    """partial_ratio of every reference title x every local title (0-100, float32). Each score depends on its two
    titles alone: a title scored before is not scored again."""
    seen = reference.seen
    if len(seen) > TITLES_SEEN:
        seen.clear()
    new = [t for t in dict.fromkeys(local) if t not in seen]
    if new:
        printed = new
        if reference.foreign is not None:
            printed = [reference.foreign.sub("\x00", t).translate(reference.table) for t in new]
        scores = process.cdist(reference.titles, printed, scorer=fuzz.partial_ratio, workers=1)
        for k, title in enumerate(new):
            seen[title] = scores[:, k].copy()
    if not local:
        return np.zeros((len(reference.titles), 0), dtype=np.float32)
    # (rows stacked and turned: a third of np.stack's cost on a short document; laid out as np.stack lays it out)
    return np.array([seen[t] for t in local]).T.copy()
