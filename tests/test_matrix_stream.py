"""`yigai matrix` writes as it goes: its outputs are, byte for byte, what the whole-at-once rendering wrote
(tests/matrix_previous.py), and the memory of the process that writes them does not grow with the documents."""

from __future__ import annotations

import importlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from yigai.align import align, topics_of
from yigai.documents import read_document
from yigai.matrix import Order, Summaries, Summary, labels_of, ordered
from yigai.vocab import load_vocabulary
from yigai_cli import jsonout
from yigai_cli.formats import matrix as fmt
from yigai_cli.main import main

from . import matrix_previous as previous
from .conftest import BAOKANG, CITY, GUANGXI, NATIONAL, ROUNDUP, SICHUAN
from .peak import PARENT_PEAK, PEAK_FILE

ROOT = Path(__file__).resolve().parent.parent
# Several columns of one name (四川 from two files, 广西 twice), a multi-document file, a ref given twice (a
# counter in its label), a county and a city: every rule of the labels and of the orders has something to do.
REFS = [str(SICHUAN), str(ROUNDUP), GUANGXI, str(CITY), str(BAOKANG), str(SICHUAN)]
matrix_module = importlib.import_module("yigai.matrix")  # (`yigai.matrix` the attribute is the API's function)


@pytest.fixture(scope="module")
def decided(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A decisions file for the city draft: its first pair rejected (a cell that carries a decision)."""
    alignment = align(read_document(NATIONAL), read_document(str(CITY)), load_vocabulary())
    pair = alignment.pairs[0]
    entry = {"action": "reject", "national": {"title": alignment.national.item(pair.national).title},
             "local": {"title": alignment.local.item(pair.local).title}}
    path = tmp_path_factory.mktemp("decisions") / "city.yaml"
    path.write_text(yaml.safe_dump({"local": "某市", "decisions": [entry]}, allow_unicode=True), encoding="utf-8")
    return path


_WHOLE: dict[str, list] = {}  # type: ignore[type-arg]


def whole_columns(order: str, decisions: Path) -> list:  # type: ignore[type-arg]
    """The columns as the matrix held them before it streamed: every one whole, labelled, then ordered."""
    if order not in _WHOLE:
        from yigai.decisions import load_decisions

        national = read_document(NATIONAL)
        columns = matrix_module.matrix(national, REFS, workers=1, decisions=(load_decisions(decisions),))
        _WHOLE[order] = ordered(columns, Order(order))
    return _WHOLE[order]


def previous_text(fmt_name: str, transpose: bool, order: str, decisions: Path) -> str:
    national, columns = read_document(NATIONAL), whole_columns(order, decisions)
    if fmt_name == "json":
        return fmt.as_json(national, columns)
    render = previous.as_csv if fmt_name == "csv" else previous.as_markdown
    return ("\ufeff" if fmt_name == "csv" else "") + render(national, columns, transpose)


FORMATS = [("json", False), ("csv", False), ("csv", True), ("markdown", False), ("markdown", True)]


@pytest.mark.parametrize("order", ["given", "coverage", "name"])
@pytest.mark.parametrize(("fmt_name", "transpose"), FORMATS)
def test_a_streamed_file_is_the_whole_rendering(tmp_path, decided, fmt_name, transpose, order):
    out = tmp_path / f"matrix.{'md' if fmt_name == 'markdown' else fmt_name}"
    args = ["matrix", NATIONAL, *REFS, "--sort", order, "--decisions", str(decided), "-o", str(out)]
    assert main(args + (["--transpose"] if transpose else [])) == 0
    expected = previous_text(fmt_name, transpose, order, decided)
    assert len(expected) > 2000 and out.read_bytes() == expected.encode("utf-8")


@pytest.mark.parametrize("piece", [2, 3])
@pytest.mark.parametrize("fmt_name", ["csv", "markdown"])
def test_a_row_across_the_columns_written_in_pieces_is_the_whole_row(tmp_path, monkeypatch, decided, fmt_name, piece):
    """A row of every column's cells (labels, grades, coverage) is written a few cells at a time: the same text."""
    monkeypatch.setattr(fmt, "_PIECE", piece)
    written: list[str] = []
    pieces = list(fmt._pieces(["a", "b", "c", "d", "e", "f", ""]))
    assert [c for p in pieces for c in p] == ["a", "b", "c", "d", "e", "f", ""] and len(pieces) > 1
    assert all(len(p) >= 2 for p in pieces) and max(map(len, pieces)) < 2 * piece
    row = ["x", "", "y,z", '"q"', "=1", "a\nb", ""]
    fmt._wide_row(written.append, row)
    whole = io.StringIO()
    fmt.CsvWriter(whole, lineterminator="\n").writerow(row)
    assert len(written) > 2 and "".join(written) == whole.getvalue()
    out = tmp_path / f"matrix.{'md' if fmt_name == 'markdown' else fmt_name}"
    assert main(["matrix", NATIONAL, *REFS, "--decisions", str(decided), "-o", str(out)]) == 0
    assert out.read_bytes() == previous_text(fmt_name, False, "given", decided).encode("utf-8")


@pytest.mark.parametrize(("fmt_name", "transpose"), FORMATS)
def test_streamed_stdout_from_workers_is_the_whole_rendering(cli, monkeypatch, decided, fmt_name, transpose):
    """The parallel path (each column's JSON made in a worker), to standard output (a line break at the end)."""
    monkeypatch.setattr(matrix_module, "PARALLEL_FROM", 2)
    result = cli("matrix", NATIONAL, *REFS, "-f", fmt_name, "--sort", "coverage", "--decisions", decided,
                 *(["--transpose"] if transpose else []))
    expected = previous_text(fmt_name, transpose, "coverage", decided)
    assert result.status == 0 and result.out == expected + ("" if expected.endswith("\n") else "\n")


def test_a_reader_that_stops_early_stops_the_workers(monkeypatch):
    """The workers are handed refs a few batches ahead of the reader; a reader that stops (an error writing the
    output) ends the pool at once, its thread waiting for room included."""
    import time

    monkeypatch.setattr(matrix_module, "PARALLEL_FROM", 2)
    national = read_document(NATIONAL)
    refs = [str(CITY), str(BAOKANG), str(SICHUAN), GUANGXI] * 30
    start = time.monotonic()
    made = matrix_module.summaries(national, refs, workers=2)
    taken = [next(made) for _ in range(3)]
    made.close()
    assert [number for number, _, _ in taken] == [0, 1, 2] and time.monotonic() - start < 60
    assert [s.source for _, s, _ in matrix_module.summaries(national, refs[:8], workers=2)] == [
        ref if "#" in ref else f"{ref}#1" for ref in refs[:8]]


def test_json_of_one_column_and_of_none(tmp_path):
    """The list's edges: one column, and none (a folder whose only document is the national list itself)."""
    national = read_document(NATIONAL)
    one = tmp_path / "one.json"
    assert main(["matrix", NATIONAL, str(CITY), "-o", str(one)]) == 0
    assert one.read_text(encoding="utf-8") == fmt.as_json(national, matrix_module.matrix(national, [str(CITY)], workers=1))
    with fmt.Spool() as spool:
        written: list[str] = []
        fmt.write_json(written.append, national, Summaries(len(national.items), []), spool)
    assert "".join(written) == fmt.as_json(national, [])


def test_packed_summaries_are_labelled_and_ordered_as_columns():
    """Labels found by hashes first, then by text: the same as labels_of on every case, a file named like a
    selector (`b.txt#2`, whose plain label reads like a qualified one) too; the orders those of `ordered`."""
    refs = ["a.txt", "b.txt", "b.txt", "c/a.txt", "b.txt#2", "d.txt", "a.txt", "elsewhere.txt"]
    made = [Summary("四川", "a.txt", 2021, 0.5, "fpn"), Summary("广西", "b.txt#1", 2023, 0.75, "ffn", decided=(1,)),
            Summary("广西", "b.txt#2", 2023, 0.25, "nnn", level="provincial"), Summary("四川", "c/a.txt", 2021, 0.5, "ppp"),
            Summary("广西", "b.txt#2", 2023, 1.0, "fff", jurisdiction="广西"), Summary("某县", "d.txt", None, 0.0, "nnn"),
            Summary("四川", "a.txt", 2021, 0.5, "fpn"), Summary("保康县", "e.txt", 2017, 0.75, "pfn", level="county")]
    packed = Summaries(3, refs)
    for number, summary in enumerate(made):
        packed.add(summary, number)
    packed.label()
    expected = labels_of(made)
    assert [s.label for s in packed] == expected
    assert len(set(expected)) == len(expected) and "四川 2021 (a.txt#None) [3]" in expected  # (as labels_of has it)
    assert "广西 2023 (b.txt#2) [2]" in expected  # the file named b.txt#2 reads like b.txt's second document
    for summary, made_one in zip(packed, made):
        assert (summary.source, summary.grades, summary.decided, summary.year, summary.level) == (
            made_one.source, made_one.grades, made_one.decided, made_one.year, made_one.level)
    for made_one, label in zip(made, expected):
        made_one.label = label
    for order in Order:
        view = packed.ordered(order)
        assert [s.label for s in view] == [s.label for s in ordered(made, order)]
        assert [view.row(1)] == ["".join(s.grades[1] for s in ordered(made, order))]
        assert [view.number(k) for k in range(len(view))] == [made.index(s) for s in ordered(made, order)]
    with pytest.raises(ValueError):
        packed.add(Summary("x", "y.txt", None, 0.0, "ff"), 0)


def test_a_folder_is_listed_as_rglob_lists_it(tmp_path):
    """expand() lists a folder's documents without pathlib's rglob (which holds every path it gave): the same files
    in the same order, whatever the names (a-b sorts after a/b for Path, before it for text), links and hidden ones."""
    import os

    root = tmp_path / "d"
    for name in ["a/b.txt", "a-b.txt", "a.txt", "A.txt", "a b/c.docx", ".hidden/x.txt", "z/.y.txt", "z/四川.TXT",
                 "z/q.md", "z/.txt", "z/e.", "deep/er/and/deeper/f.pdf", "a0/x.htm"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("1.任务\n", encoding="utf-8")
    (root / "dir.txt").mkdir()
    os.symlink(root / "a", root / "link-to-a")  # a folder behind a link: not entered (as rglob)
    os.symlink(root / "a.txt", root / "link.txt")  # a file behind a link: listed
    os.symlink(root / "gone.txt", root / "broken.txt")
    (root / "out.csv").write_text("national_index,national_title\n", encoding="utf-8")  # yigai's own output: skipped
    for folder in (str(root), str(root) + "/", str(root / "a" / ".." / "z")):
        before = [str(p) for p in sorted(p for p in Path(folder).rglob("*") if p.is_file()
                                         and p.suffix.lower() in matrix_module.SUPPORTED_SUFFIXES
                                         and not matrix_module.written_by_yigai(p))]
        assert matrix_module.expand([folder]) == before and len(before) >= 2
    os.chdir(root)
    try:
        assert matrix_module.expand(["."]) == [str(p) for p in sorted(Path(".").rglob("*"))
                                              if p.suffix.lower() in matrix_module.SUPPORTED_SUFFIXES and p.is_file()]
    finally:
        os.chdir(ROOT)


def _cells(sheet):  # type: ignore[no-untyped-def]
    return [[(c.value, c.data_type, c.number_format, c.fill.fill_type, c.fill.fgColor.rgb, c.font.b,
              c.font.color and c.font.color.rgb, c.alignment.horizontal, c.alignment.vertical, c.alignment.wrap_text)
             for c in row]
            for row in sheet.iter_rows()]


def _layout(sheet):  # type: ignore[no-untyped-def]
    setup = sheet.page_setup
    return (sheet.freeze_panes, sheet.auto_filter.ref, sheet.print_title_rows, setup.orientation, setup.paperSize,
            setup.fitToWidth, setup.fitToHeight, sheet.sheet_properties.pageSetUpPr.fitToPage,
            sheet.print_options.gridLines, sheet.page_margins.left, sheet.page_margins.right,
            {key: dim.width for key, dim in sheet.column_dimensions.items()})


def test_the_write_only_workbook_is_the_whole_one(tmp_path, decided):
    out = tmp_path / "matrix.xlsx"
    assert main(["matrix", NATIONAL, *REFS, "--sort", "name", "--decisions", str(decided), "-o", str(out)]) == 0
    national = read_document(NATIONAL)
    before = tmp_path / "before.xlsx"
    before.write_bytes(previous.matrix_workbook(national, whole_columns("name", decided), topics_of(national, load_vocabulary())))
    streamed, whole = load_workbook(out), load_workbook(before)
    assert streamed.sheetnames == whole.sheetnames == ["matrix", "columns"]
    assert streamed.properties.creator == whole.properties.creator
    for name in whole.sheetnames:
        assert _cells(streamed[name]) == _cells(whole[name])
        assert _layout(streamed[name]) == _layout(whole[name])
    assert len(_cells(whole["matrix"])[0]) == 3 + len(whole_columns("name", decided)) + 1


def test_too_many_columns_for_a_sheet_is_one_line(tmp_path, monkeypatch, capsys):
    from yigai_cli.formats import xlsx

    monkeypatch.setattr(xlsx, "MATRIX_COLUMNS_MOST", 3)
    out = tmp_path / "m.xlsx"
    assert main(["matrix", NATIONAL, *REFS, "-o", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()[-1]  # (after the warning on lists older than the reference)
    assert err.startswith(f"yigai: error: {out}: the matrix has 37 columns, an xlsx sheet holds 3 at the most (")
    assert "--transpose" in err
    assert not out.exists() and not list(tmp_path.glob(".yigai-*"))


def _parent_peak_kib(args: list[str], tmp: Path) -> int:
    peak = tmp / "peak"
    env = {**os.environ, PEAK_FILE: str(peak)}
    done = subprocess.run([sys.executable, "-c", PARENT_PEAK, *args], env=env, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-500:]
    return int(peak.read_text())


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """Generated local documents (bench/corpus.py), a small and a large folder: both take the parallel path."""
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import generate

    found = {}
    for count in (SMALL, LARGE):
        folder = tmp_path_factory.mktemp(f"corpus-{count}")
        generate(folder, count)
        found[count] = folder
    return found


# Both past what the workers are handed at once (16 documents a batch from 256 documents on two cores), which sets
# what is in flight: below it, the parent's peak rises with N for that alone (~1 MiB from 50 to 300).
SMALL, LARGE = 260, 600
# What the parent may gain a document: before it streamed it kept 26 KiB a document with JSON (every column, then the
# JSON as a tree), 9 KiB with CSV; now ~0.1 KiB (a column's packed summary). The rest is room for a run's noise.
GROWTH_MOST_KIB = 4


@pytest.mark.parametrize("args", [["-f", "json"], ["-f", "csv"], ["-f", "csv", "--transpose"], ["-f", "markdown"],
                                  ["-f", "xlsx"], ["-f", "json", "--sort", "name"]],
                         ids=lambda a: "-".join(a).replace("-f-", "").replace("--", ""))
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak from /proc (Linux)")
def test_the_parents_memory_does_not_grow_with_the_documents(corpora, tmp_path, args):
    # (--no-cache: the results cache's SQLite pages grow to their bound, 2 MiB, over the first few hundred documents,
    # which at these sizes would read as growth a document; bench/speed.py measures the parent with the cache)
    suffix = {"json": ".json", "csv": ".csv", "markdown": ".md", "xlsx": ".xlsx"}[args[1]]
    peaks = {}
    for count, folder in corpora.items():
        out = tmp_path / f"out-{count}{suffix}"
        peaks[count] = _parent_peak_kib(["matrix", NATIONAL, str(folder), *args, "--no-cache", "-o", str(out)], tmp_path)
        assert out.stat().st_size > 1000
    growth = (peaks[LARGE] - peaks[SMALL]) / (LARGE - SMALL)
    assert growth < GROWTH_MOST_KIB, f"the parent grew {growth:.1f} KiB a document ({peaks} KiB)"


def test_a_summary_crosses_from_a_worker_whole():
    """Workers send a summary as the tuple of its fields: every field, in order."""
    import dataclasses

    from yigai.decisions import DecisionWarning

    s = Summary("四川", "a/b.txt#1", 2021, 0.5, "fpn", (1,), (DecisionWarning("d.yaml", 1, "stale", "drop it"),),
                "四川省", "province", "四川 2021 (b.txt)")
    assert Summary(*matrix_module._fields(s)) == s
    assert len(matrix_module._fields(s)) == len(dataclasses.fields(Summary))


@pytest.mark.parametrize("count", [1, 40, 300, 3000, 30000])
@pytest.mark.parametrize("workers", [2, 4])
def test_refs_are_handed_out_in_batches_that_shrink_towards_the_end(count, workers):
    """Few messages (each costs the parent's pool threads), but no long batch left at the end for one worker."""
    sizes = matrix_module._sizes(count, workers)
    assert sum(sizes) == count and all(1 <= size <= matrix_module.BATCH_MOST for size in sizes)
    assert sizes == sorted(sizes, reverse=True)
    for at, size in enumerate(sizes):  # each a quarter of a worker's share of what is left, at the most
        assert size == 1 or size * workers * 4 <= sum(sizes[at:])
    if count >= 3000:
        assert len(sizes) < count / 16  # (batches of 16 documents: the messages it took before)


def _odd_columns(decided: Path) -> list:  # type: ignore[type-arg]
    """Columns whose JSON orjson would not write as the standard encoder does, or not at all, and one with a
    decision: the fallbacks of a column's JSON."""
    import dataclasses

    from yigai.decisions import load_decisions

    national = read_document(NATIONAL)
    plain = matrix_module.matrix(national, [str(CITY), str(SICHUAN)], workers=1, decisions=(load_decisions(decided),))
    city, sichuan = plain
    assert any(cell.decision for cell in city.cells)
    first = sichuan.cells[0]
    return [city, dataclasses.replace(sichuan, coverage=1e-5), dataclasses.replace(sichuan, name="四川\udc80"),
            dataclasses.replace(sichuan, year=2**70), dataclasses.replace(sichuan, coverage=float("inf")),
            dataclasses.replace(sichuan, cells=(dataclasses.replace(first, score=-0.0), *sichuan.cells[1:]))]


def test_a_columns_json_parts_are_its_text_in_the_whole_json(decided):
    """A column's JSON, made where the column is made (json_parts, a quicker check that it is plain than jsonout's),
    is the column's text in as_json, whatever it holds: a decision, a float orjson writes otherwise, a lone
    surrogate, an integer past 64 bits, an infinite figure."""
    national = read_document(NATIONAL)
    for column in _odd_columns(decided):
        whole = fmt.as_json(national, [column])
        head, tail = fmt.json_parts(column)
        text = head.decode("utf-8", "surrogatepass") + jsonout.dumps(column.label or column.name) + \
            tail.decode("utf-8", "surrogatepass")
        assert whole.endswith(text + "\n  ]\n}"), column
