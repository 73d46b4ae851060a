"""The `yigai` command: parses arguments, calls the library, renders results."""

from __future__ import annotations

import re
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from yigai.errors import InputError
from yigai.order import Order

from . import plain_values
from .cache_cmd import cache_app as _cache_app
from .decisions_cmd import decisions_app as _decisions_app
from .status import ExitStatus

try:  # typer >= 0.29 vendors click and exposes its exception base
    from typer import TyperException as _CliError
except ImportError:  # pragma: no cover - older typer on plain click
    from click import ClickException as _CliError  # type: ignore[assignment,no-redef]

def _plain_argument_help() -> None:
    """Arguments read `NATIONAL LOCAL...` in help, as in most command-line tools, not `{national} <str>`.

    Typer prints the Python type and braces and offers no setting for it, so its two display methods are
    replaced; a Typer without them keeps its own display.
    """
    from typer import core

    argument = getattr(core, "TyperArgument", None)
    if argument is None or not hasattr(argument, "_usage_display_name") or not hasattr(argument, "display_type_rich"):
        return

    def usage_name(self) -> str:  # type: ignore[no-untyped-def]
        name = self.display_name_raw
        if self.nargs != 1 and not name.endswith("..."):
            name += "..."
        return name if self.required else f"[{name}]"

    argument._usage_display_name = usage_name
    argument.display_type_rich = lambda self, ctx=None: None


_plain_argument_help()
plain_values.install()

app = typer.Typer(
    name="yigai",
    help="Read health-reform task lists, align local documents with the national one, gate drafts on coverage.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="""\b
Examples:
  yigai parse data/samples/sichuan-2021.txt
  yigai compare 'national.txt' 'page.txt#2'
  yigai matrix national.txt drafts/ --format csv --output matrix.csv
  yigai check national.txt draft.docx --min-coverage 80% --require 集采
  yigai vocab
Run 'yigai COMMAND -h' for a command's options and examples.""",
)


def _version(value: bool) -> None:
    if value:
        from yigai import __version__

        sys.stdout.write(f"yigai {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print yigai's version and exit.")
    ] = False,
) -> None:
    """Read health-reform task lists, align local documents with the national one, gate drafts on coverage."""


VocabOption = Annotated[
    Optional[list[Path]],
    typer.Option("--vocab", metavar="FILE", help="Extra vocabulary YAML (same format as data/vocabulary.yaml; "
                 "`yigai vocab suggest` starts one). Repeatable."),
]
OutputOption = Annotated[
    Optional[Path], typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (whole or not at all).")
]
MinConfidenceOption = Annotated[
    Optional[float],
    typer.Option("--min-confidence", metavar="P", min=0.0, max=1.0,
                 help="Keep only the pairs yigai is at least this sure of (0-1; `sure` pairs are right 95% of the time). "
                      "An analyst's decided pairs are always kept."),
]
DecisionsOption = Annotated[
    Optional[list[Path]],
    typer.Option("--decisions", metavar="FILE", help="An analyst's decisions YAML: confirm, reject, regrade or add "
                 "pairs (start one with compare --format decisions). Repeatable."),
]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Read and align every document afresh, and keep nothing for the next run "
                       "(see `yigai cache info`).")
]
NationalArg = Annotated[str, typer.Argument(metavar="NATIONAL", help="The national document: PATH[#SEL].", show_default=False)]


class ParseFormat(str, Enum):
    table = "table"
    json = "json"
    xlsx = "xlsx"


def _format(given: Enum | None, output: Path | None, choices: type[Enum], default: str) -> str:
    """--format as given, or as --output's extension says (`-o c.xlsx`); a contradiction is refused."""
    from .output import resolve_format

    return resolve_format(given.value if given is not None else None, output,
                          tuple(str(c.value) for c in choices), default)  # type: ignore[attr-defined]


class _Visible:
    """A rich renderable whose text is shown as less shows it: a control or escape character in a document's
    text (`ESC]52;` writes the clipboard) prints as ^[, never reaching the terminal (cells.visible)."""

    def __init__(self, inner: object) -> None:
        self.inner = inner

    def __rich_console__(self, console, options):  # type: ignore[no-untyped-def]
        from rich.segment import Segment

        from .formats.cells import visible

        for segment in console.render(self.inner, options):  # type: ignore[arg-type]
            yield segment if segment.control else Segment(visible(segment.text, "\n"), segment.style)


def _render(renderable: object, output: Path | None) -> None:
    """A rich renderable to the terminal (at its width), or as plain text to --output."""
    import io

    from rich.console import Console

    from .output import STDOUT, emit, for_console, stdout_is_unicode

    renderable = _Visible(renderable)
    if output is not None and str(output) == STDOUT:
        output = None  # `-o -`: standard output, as without -o
    if output is None:
        if stdout_is_unicode():
            Console(soft_wrap=False).print(renderable)
            return
        # A GBK console: render at the terminal's width, then swap the marks GBK lacks (✓ ◐ ✗ -> √ ○ ×).
        width = Console().width
        console = Console(file=io.StringIO(), width=width, force_terminal=sys.stdout.isatty(), soft_wrap=False,
                          color_system="standard" if sys.stdout.isatty() else None)
        console.print(renderable)
        sys.stdout.write(for_console(console.file.getvalue()))  # type: ignore[attr-defined]
        return
    console = Console(record=True, width=160, file=io.StringIO(), color_system=None)
    console.print(renderable)
    emit(console.export_text(), output)


PARSE_EXAMPLES = """\b
Examples:
  yigai parse data/samples/sichuan-2021.txt                 the items of one document
  yigai parse data/samples/national-2022_guangxi-2023.txt   a page with two documents: #1 and #2
  yigai parse 'roundup.txt#四川' --format json              one document of a file, picked by jurisdiction
"""


@app.command(epilog=PARSE_EXAMPLES)
def parse(
    docs: Annotated[list[str], typer.Argument(metavar="PATH[#SEL]...",
                                              help="Document files; PATH#SEL picks one document of a file.")],
    format: Annotated[
        Optional[ParseFormat], typer.Option("--format", "-f", help="Output format (default: --output's extension, else table).")
    ] = None,
    output: OutputOption = None,
) -> None:
    """List the documents a file holds (with their selectors) and every document's items."""
    from yigai.documents import parse_ref, read_ref

    from .formats import parse as fmt
    from .output import check_output_path, emit, emit_bytes

    chosen = _format(format, output, ParseFormat, "table")
    check_output_path(output, docs)
    groups = [(parse_ref(ref)[0], read_ref(ref)) for ref in docs]
    if chosen == "json":
        emit(fmt.as_json(groups), output)
    elif chosen == "xlsx":
        from .formats.xlsx import parse_workbook

        emit_bytes(parse_workbook(groups), output, "an xlsx workbook")
    else:
        _render(fmt.as_table(groups), output)


class CompareFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    xlsx = "xlsx"
    decisions = "decisions"


class MatrixFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    xlsx = "xlsx"


def _load_decisions(files: list[Path] | None):  # type: ignore[no-untyped-def]
    from yigai.decisions import load_decisions

    return [load_decisions(path) for path in files or []]


def _say(text: str) -> None:
    """One line on stderr: a warning or an error, nothing in it a terminal would act on (cells.one_line)."""
    from .formats.cells import one_line

    sys.stderr.write(one_line(text.removesuffix("\n")) + "\n")


def _warn(lines: object) -> None:
    for line in lines:  # type: ignore[attr-defined]
        _say(f"yigai: warning: {line.line()}")


def _align(national_doc, local_doc, national: str, local: str, vocabulary, files,  # type: ignore[no-untyped-def]
           swapped_is_error: bool = False, min_confidence: float | None = None):
    """Align two documents, apply the analyst's decisions, and measure coverage; warn on what looks wrong."""
    from yigai.align import align
    from yigai.coverage import coverage
    from yigai.decisions import apply_decisions

    if local_doc.level == "national" and national_doc.level != "national":
        if swapped_is_error:  # a gate that passes on swapped arguments would wave every draft through
            raise InputError(local, f"is the national document and {national} is not",
                             "the national one comes first: yigai check NATIONAL LOCAL")
        _say(f"yigai: warning: {local} is the national document and {national} is not; "
                         "the national one comes first (yigai compare NATIONAL LOCAL)\n")
    if national_doc.year and local_doc.year and local_doc.year < national_doc.year:
        one_place = bool(local_doc.jurisdiction) and local_doc.jurisdiction == national_doc.jurisdiction
        hint = f"; to see what changed, run yigai diff '{local}' '{national}'" if one_place else ""
        _say(f"yigai: warning: {local} ({local_doc.year}) is older than the reference {national} "
                         f"({national_doc.year}): it could not have followed it{hint}\n")
    alignment = align(national_doc, local_doc, vocabulary)
    if min_confidence is not None:
        from yigai.align import confident

        alignment = confident(alignment, min_confidence)
    if not alignment.reads_as_tasks:
        _say(f"yigai: warning: {local}: does not read as a reform task list: "
             f"{alignment.tasks.reason()}; no pair is graded\n")  # type: ignore[union-attr]
    elif not alignment.on_subject:
        named = round(alignment.subject_share * len(local_doc.items))
        _say(f"yigai: warning: {local}: only {named} of {len(local_doc.items)} items name a reform instrument; "
                         "it does not read as a health-reform list, so no pair is graded full\n")
    if files:
        alignment, warnings = apply_decisions(alignment, files)
        _warn(warnings)
    return alignment, coverage(alignment)


def _compare(national: str, local: str, vocab: list[Path] | None, files: list | None = None,  # type: ignore[no-untyped-def,type-arg]
             swapped_is_error: bool = False, min_confidence: float | None = None):
    """The vocabulary, the alignment of two document refs (after the analyst's decisions) and its coverage."""
    from yigai.documents import read_pair
    from yigai.vocab import load_vocabulary

    vocabulary = load_vocabulary(vocab or [])
    national_doc, local_doc = read_pair(national, local)
    alignment, cover = _align(national_doc, local_doc, national, local, vocabulary, files, swapped_is_error,
                              min_confidence)
    return vocabulary, alignment, cover


COMPARE_EXAMPLES = """\b
Examples:
  yigai compare national.txt sichuan.docx                       coverage table, gaps, local-only items
  yigai compare 'page.txt#1' 'page.txt#2' --format json         two documents of one page
  yigai compare national.txt draft.pdf -o draft.xlsx            the 对标 table (.csv: the same, for Excel)
  yigai compare national.txt draft.pdf --detail 7               national item 7 and its counterparts in full
  yigai compare national.txt draft.docx --format decisions -o draft.decisions.yaml
  yigai compare national.txt draft-v2.docx --decisions draft.decisions.yaml
"""


@app.command(epilog=COMPARE_EXAMPLES)
def compare(
    national: NationalArg,
    local: Annotated[str, typer.Argument(metavar="LOCAL", help="The local document: PATH[#SEL].", show_default=False)],
    format: Annotated[
        Optional[CompareFormat], typer.Option("--format", "-f", help="Output format (default: --output's extension, else table).")
    ] = None,
    detail: Annotated[
        Optional[int], typer.Option("--detail", metavar="N", min=1,
                                    help="Print national item N in full with all its counterparts.")
    ] = None,
    vocab: VocabOption = None,
    decisions: DecisionsOption = None,
    min_confidence: MinConfidenceOption = None,
    output: OutputOption = None,
) -> None:
    """Map each national item to its local counterparts (full/partial), set each pair's targets, deadlines and
    lead departments side by side, list gaps and local-only items."""
    from yigai.promises import load_departments
    from yigai.strength import strength

    from .formats import compare as fmt
    from .output import check_output_path, emit, emit_bytes

    chosen = _format(format, output, CompareFormat, "table")
    if detail is not None and chosen != "table":
        raise InputError(str(output) if output else "--format", f"--detail prints a text view, not {chosen}",
                         "drop --format, or name the file .txt")
    check_output_path(output, [national, local], vocab or [], decisions or [])
    vocabulary, alignment, cover = _compare(national, local, vocab, _load_decisions(decisions),
                                            min_confidence=min_confidence)
    departments = load_departments()
    found = strength(alignment, departments)
    if detail is not None:
        items = len(alignment.national.items)
        if detail > items:
            raise InputError(national, f"no national item {detail}", f"--detail takes 1 to {items}")
        _render(fmt.as_detail(alignment, detail, found, departments), output)
    elif chosen == "table":
        _render(fmt.as_table(alignment, cover, found, departments), output)
    elif chosen == "decisions":
        from yigai.decisions import to_yaml

        emit(to_yaml(alignment), output)
    elif chosen == "xlsx":
        from .formats.xlsx import compare_workbook

        emit_bytes(compare_workbook(alignment, cover, found, departments), output, "an xlsx workbook")
    else:
        emit(fmt.FORMATTERS[chosen](alignment, cover, found, departments), output)


MATRIX_EXAMPLES = """\b
Examples:
  yigai matrix national.txt drafts/                       every document under drafts/, one column each
  yigai matrix national.txt 'drafts/*.docx' roundup.txt   a round-up gives one column per jurisdiction
  yigai matrix national.txt drafts/ --transpose --format markdown -o matrix.md
"""


SortOption = Annotated[
    Order, typer.Option("--sort", help="Order of the columns: as given, coverage (highest first), name, level.")
]


def _guarded_refs(national: str, local: list[str], vocab: list[Path] | None, decisions: list[Path] | None,
                  output: Path | None, store=None) -> list[str]:  # type: ignore[no-untyped-def]
    """The local documents LOCAL... names, once --output is known to be none of the files they are (`store`: the
    results cache, which knows files read before that are not yigai's outputs: they are not read to tell)."""
    from yigai.matrix import expand

    from .output import check_output_path

    refs = expand(local, store.not_outputs if store is not None else None)
    check_output_path(output, [national, *refs], vocab or [], decisions or [])
    return refs


def _warn_columns(national: str, national_doc, columns) -> None:  # type: ignore[no-untyped-def]
    """Decisions that could not be applied, and local lists older than the reference (labelled columns, read once:
    they may be made as they are read)."""
    older, shown = 0, []
    for at in range(len(columns)):  # (Summaries: what is asked of each column, without making its Summary)
        _warn(columns.warnings_of(at))
        year = columns.year_of(at)
        if year and national_doc.year and year < national_doc.year:
            older += 1
            if older <= 5:
                shown.append(columns.label_of(at))
    if older:
        _say(f"yigai: warning: {older} of {len(columns)} local lists are older than the reference "
             f"{national} ({national_doc.year}), so could not have followed it: {', '.join(shown)}"
             f"{' …' if older > 5 else ''}\n")


def _store():  # type: ignore[no-untyped-def]
    """The results cache (yigai.cache.Store); one that cannot be used is said once and left alone."""
    from yigai.cache import Store

    return Store(on_trouble=lambda text: _say(f"yigai: warning: {text}"))


def _summaries(national: str, refs: list[str], vocab: list[Path] | None, decisions: list[Path] | None,  # type: ignore[no-untyped-def]
               spool=None, store=None, min_confidence: float | None = None):
    """As _columns, but what the matrix keeps of the columns (yigai.matrix.Summaries), labelled; with a `spool`,
    each column's JSON goes there as it arrives (made by the worker that made the column). With `store` (_store),
    columns kept by an earlier run are reused (yigai.cache); it is closed once the columns are in."""
    try:
        return _summaries_kept(national, refs, vocab, decisions, spool, store, min_confidence)
    finally:
        if store is not None:
            store.close()


def _summaries_kept(national: str, refs: list[str], vocab: list[Path] | None, decisions: list[Path] | None,  # type: ignore[no-untyped-def]
                    spool, store, min_confidence: float | None):
    from yigai.documents import read_document
    from yigai.matrix import Summaries, summaries
    from yigai.vocab import load_vocabulary

    from .formats.matrix import json_parts

    national_doc = read_document(national)
    vocab_files = tuple(str(p) for p in vocab or [])
    vocabulary = load_vocabulary([Path(p) for p in vocab_files])
    files = tuple(_load_decisions(decisions))
    held = Summaries(len(national_doc.items), refs)
    kept = None
    if store is not None:
        from yigai.cache import ColumnCache

        kept = ColumnCache(store, national_doc, vocab_files, files, min_confidence=min_confidence)

    def gather(tick) -> None:  # type: ignore[no-untyped-def]
        for ref, summary, parts in summaries(national_doc, refs, vocab_files, progress=tick, decisions=files,
                                             vocabulary=vocabulary, render=json_parts if spool is not None else None,
                                             cache=kept, min_confidence=min_confidence):
            held.add(summary, ref)
            if spool is not None:
                spool.add(parts)

    _with_progress(gather, len(refs))
    held.label()
    _warn_columns(national, national_doc, held)
    return national_doc, vocabulary, held


@app.command(epilog=MATRIX_EXAMPLES)
def matrix(
    national: NationalArg,
    local: Annotated[list[str], typer.Argument(metavar="LOCAL...",
                                               help="Local documents: files, globs, directories, multi-document files.")],
    format: Annotated[
        Optional[MatrixFormat], typer.Option("--format", "-f", help="Output format (default: --output's extension, else table).")
    ] = None,
    transpose: Annotated[
        bool, typer.Option("--transpose", help="Jurisdictions as rows (table: automatic when too wide; csv, markdown).")
    ] = False,
    sort: SortOption = Order.given,
    vocab: VocabOption = None,
    decisions: DecisionsOption = None,
    min_confidence: MinConfidenceOption = None,
    no_cache: NoCacheOption = False,
    output: OutputOption = None,
) -> None:
    """One row per national item, one column per local document (a multi-document file gives several)."""
    import contextlib
    import tempfile

    from yigai.align import topics_of

    from .formats import matrix as fmt
    from .output import STDOUT, emit_file, emitting

    store = None if no_cache else _store()
    # before the format: onto --vocab is the graver mistake
    refs = _guarded_refs(national, local, vocab, decisions, output, store)
    chosen = _format(format, output, MatrixFormat, "table")
    if transpose and chosen in ("json", "xlsx"):
        raise InputError("--transpose", f"{chosen} has no rows and columns to swap",
                         "drop --transpose, or use csv, markdown or table")
    with contextlib.ExitStack() as stack:
        spool = stack.enter_context(fmt.Spool()) if chosen == "json" else None
        national_doc, vocabulary, columns = _summaries(national, refs, vocab, decisions, spool, store, min_confidence)
        if chosen == "xlsx":
            from .formats.xlsx import MATRIX_COLUMNS_MOST, write_matrix_workbook

            if len(columns) > MATRIX_COLUMNS_MOST:
                raise InputError(str(output or "-"), f"the matrix has {len(columns)} columns, an xlsx sheet "
                                 f"holds {MATRIX_COLUMNS_MOST} at the most",
                                 "write --format csv --transpose, or fewer documents at a time")
        columns = columns.ordered(sort)
        topics = topics_of(national_doc, vocabulary)
        if chosen == "xlsx":
            book = stack.enter_context(tempfile.TemporaryFile())
            write_matrix_workbook(book, national_doc, columns, topics)
            emit_file(book, output, "an xlsx workbook")
            return
        if chosen == "json":
            with emitting(output) as write:
                fmt.write_json(write, national_doc, columns, spool)  # type: ignore[arg-type]
            return
    if chosen != "table":
        with emitting(output) as write:
            fmt.WRITERS[chosen](write, national_doc, columns, transpose)
        return
    from rich.console import Console

    width = Console().width if output is None or str(output) == STDOUT else 160
    columns = list(columns)  # the table is drawn whole, from each column's Summary
    wide = fmt.needs_transpose(national_doc, columns, topics, width)
    _render(fmt.as_table(national_doc, columns, topics, transpose or wide, width), output)


REPORT_EXAMPLES = """\b
Examples:
  yigai report national.txt drafts/ roundup.txt -o report.html     one page for all of them
  yigai report national.txt draft.docx -o draft.html               the report of one comparison
  yigai report national.txt drafts/ --sort coverage --decisions reviewed.yaml -o report.html
"""


@app.command(epilog=REPORT_EXAMPLES)
def report(
    national: NationalArg,
    local: Annotated[list[str], typer.Argument(metavar="LOCAL...",
                                               help="Local documents, as for matrix (one LOCAL: one comparison).")],
    sort: SortOption = Order.given,
    vocab: VocabOption = None,
    decisions: DecisionsOption = None,
    min_confidence: MinConfidenceOption = None,
    output: OutputOption = None,
) -> None:
    """One self-contained HTML page: coverage bars, the heatmap, and the sentences behind every grade."""
    from yigai.align import topics_of

    from .formats import report as fmt
    from .output import emit_bytes, is_stream

    if output is None and sys.stdout.isatty():
        raise InputError("report", "the report is an HTML page, not terminal text", "give --output report.html")
    refs = _guarded_refs(national, local, vocab, decisions, output)
    if output is not None and not is_stream(output) and output.suffix.lower() not in (".html", ".htm"):
        raise InputError(str(output), "the report is an HTML page: it writes .html or .htm files only",
                         "name the output report.html")
    from yigai.documents import read_document
    from yigai.matrix import Summaries, summaries
    from yigai.vocab import load_vocabulary

    national_doc = read_document(national)
    vocab_files = tuple(str(p) for p in vocab or [])
    vocabulary = load_vocabulary([Path(p) for p in vocab_files])
    files = tuple(_load_decisions(decisions))
    page = fmt.Page(national_doc, topics_of(national_doc, vocabulary), vocabulary, files, min_confidence)
    columns = Summaries(len(national_doc.items), refs)

    def work(tick):  # type: ignore[no-untyped-def]
        # Each column is made into its part of the page (fmt.Panel) where it is aligned, in a worker: this
        # process puts the parts in as they come, while the workers align the next documents, and holds no
        # document and no column, only their summaries.
        # (detail: each column with its pairs and document, in the worker)
        for ref, summary, panel in summaries(national_doc, refs, vocab_files, progress=tick, decisions=files,
                                             vocabulary=vocabulary, render=page.panels, min_confidence=min_confidence,
                                             detail=True):
            page.take(panel)
            columns.add(summary, ref)

    _with_progress(work, len(refs))
    columns.label()
    _warn_columns(national, national_doc, columns)
    emit_bytes(page.html(page.finish(list(columns), sort, relabel=False)), output, "an HTML page")


def _with_progress(work, total: int):  # type: ignore[no-untyped-def]
    """Run `work(tick)` with a progress bar on stderr when stderr is a terminal and the run is long."""
    if total < 20 or not sys.stderr.isatty():
        return work(None)
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("aligning", total=total)
        return work(lambda n: progress.advance(task, n))


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    junit = "junit"
    github = "github"


CHECK_EXAMPLES = """\b
Examples:
  yigai check national.txt draft.docx --min-coverage 0.8     coverage at least 80% (or: 80%)
  yigai check national.txt draft.docx --require 集采          items about 集采 covered, fully or partly
  yigai check national.txt draft.docx --require-full DRG     items about DRG fully covered
  yigai check national.txt draft.docx --max-uncovered 3      at most 3 national items left uncovered
  yigai check national.txt --changed-since origin/main 'drafts/*' --min-coverage 0.8 --format github
  yigai check national.txt draft.docx --min-coverage 0.8 --decisions draft.decisions.yaml
"""


@app.command(epilog=CHECK_EXAMPLES)
def check(
    national: NationalArg,
    local: Annotated[
        Optional[list[str]],
        typer.Argument(metavar="LOCAL...", help="The local documents (drafts): PATH[#SEL]; with --changed-since, "
                       "git pathspecs that limit which changed files count (e.g. 'drafts/*')."),
    ] = None,
    min_coverage: Annotated[
        Optional[str], typer.Option("--min-coverage", metavar="RATIO", help="Least coverage: 0.8 or 80%.")
    ] = None,
    require: Annotated[
        Optional[list[str]],
        typer.Option("--require", metavar="TERM", help="A topic or instrument (see `yigai vocab`) whose national items "
                     "must all be covered; a partial counterpart counts. Repeatable."),
    ] = None,
    require_full: Annotated[
        Optional[list[str]],
        typer.Option("--require-full", metavar="TERM", help="Like --require, but only a full counterpart counts."),
    ] = None,
    max_uncovered: Annotated[
        Optional[int], typer.Option("--max-uncovered", metavar="N", min=0, help="Most national items left uncovered.")
    ] = None,
    changed_since: Annotated[
        Optional[str],
        typer.Option("--changed-since", metavar="REF", help="Check every document git shows as added or changed since "
                     "REF (a branch or commit; all-zero: every tracked document)."),
    ] = None,
    format: Annotated[
        Optional[CheckFormat], typer.Option("--format", "-f", help="Output format (default: --output's extension, else text).")
    ] = None,
    vocab: VocabOption = None,
    decisions: DecisionsOption = None,
    min_confidence: MinConfidenceOption = None,
    output: OutputOption = None,
) -> int:
    """Gate local documents on their coverage of the national one: exit 0 when every gate passes, 1 when one
    fails, 2 on bad input."""
    from yigai.documents import read_document
    from yigai.gate import Gates, judge, parse_ratio

    from .formats import check as fmt
    from .output import append_summary, check_output_path, emit, protected_files, summary_path

    gates = Gates(None if min_coverage is None else parse_ratio(min_coverage), tuple(require or ()), max_uncovered,
                  tuple(require_full or ()))
    if changed_since is not None:
        from yigai.changes import changed_documents

        drafts = [d for d in changed_documents(changed_since, local or []) if not _same_file(d, national)]
    elif not local:
        raise InputError("check", "no local document given", "name a draft, or use --changed-since REF")
    else:
        drafts = list(local)
    check_output_path(output, [national, *drafts], vocab or [], decisions or [])
    chosen = _format(format, output, CheckFormat, "text")  # after the guard: onto --vocab is the graver mistake
    protected = protected_files([national, *drafts], vocab or [], decisions or [])
    summary = summary_path(protected) if chosen == "github" else None
    files = _load_decisions(decisions)
    if not gates.given and (output is not None or chosen != "text"):  # the text on the terminal says it already
        _say(f"yigai: warning: {fmt.NO_GATE}\n")
    results = []
    if len(drafts) == 1 and changed_since is None:
        vocabulary, alignment, cover = _compare(national, drafts[0], vocab, files, swapped_is_error=True,
                                                min_confidence=min_confidence)
        results.append((alignment, cover, judge(alignment, cover, gates, vocabulary)))
    else:
        from yigai.vocab import load_vocabulary

        vocabulary = load_vocabulary(vocab or [])
        national_doc = read_document(national)
        for draft in drafts:
            local_doc = read_document(draft)
            mine = [f for f in files if f.applies_to(local_doc)]
            alignment, cover = _align(national_doc, local_doc, national, draft, vocabulary, mine, swapped_is_error=True,
                                      min_confidence=min_confidence)
            results.append((alignment, cover, judge(alignment, cover, gates, vocabulary)))
        if not drafts:
            _say(f"yigai: warning: no changed documents since {changed_since}: nothing to check\n")
    single = len(results) == 1 and changed_since is None
    emit(fmt.as_single(*results[0], chosen) if single else fmt.as_many(results, chosen), output)
    if summary is not None:
        append_summary("".join(fmt.summary_markdown(*r) for r in results), summary)
    passed = all(verdict.passed for _, _, verdict in results)
    return int(ExitStatus.OK if passed else ExitStatus.GATE_FAILED)


def _same_file(path: str, ref: str) -> bool:
    from yigai.documents import parse_ref

    return Path(path).resolve() == Path(parse_ref(ref)[0]).resolve()


class DiffFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class ChangeKind(str, Enum):
    dropped = "dropped"
    weakened = "weakened"
    merged = "merged"
    split_ = "split"  # named so as not to shadow str.split
    new = "new"
    strengthened = "strengthened"


DIFF_EXAMPLES = """\b
Examples:
  yigai diff sichuan-2021.txt 'roundup-2024.txt#四川'        what Sichuan's list kept, changed, dropped, added
  yigai diff draft-v1.docx draft-v2.docx --fail-on dropped   exit 1 when the redraft lost a task (for CI)
  yigai diff national-2022.txt national-2023.txt -f json     two national lists, as JSON
  yigai compare v1.docx v2.docx -f decisions -o links.yaml   write the links down, correct them, then:
  yigai diff v1.docx v2.docx --decisions links.yaml          the diff as the analyst decided the links
"""


@app.command(epilog=DIFF_EXAMPLES)
def diff(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The earlier list: PATH[#SEL].", show_default=False)],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The later list (or the redraft): PATH[#SEL].",
                                       show_default=False)],
    format: Annotated[
        Optional[DiffFormat], typer.Option("--format", "-f", help="Output format (default: --output's extension, else table).")
    ] = None,
    fail_on: Annotated[
        Optional[list[ChangeKind]], typer.Option("--fail-on", metavar="KIND",
                                                 help="Exit 1 when any item is of this kind (dropped, weakened, "
                                                      "merged, split, new, strengthened). Repeatable.")
    ] = None,
    vocab: VocabOption = None,
    decisions: Annotated[
        Optional[list[Path]],
        typer.Option("--decisions", metavar="FILE", help="An analyst's decisions on the links, OLD as the reference: "
                     "confirm, reject, regrade or add (start one with compare OLD NEW --format decisions). "
                     "Repeatable."),
    ] = None,
    output: OutputOption = None,
) -> int:
    """What changed between two lists: each item kept, strengthened, weakened, merged, split, dropped or new."""
    from yigai.diff import Change
    from yigai.diff import diff as build
    from yigai.documents import read_document
    from yigai.promises import load_departments
    from yigai.vocab import load_vocabulary

    from .formats import diff as fmt
    from .output import check_output_path, emit

    chosen = _format(format, output, DiffFormat, "table")
    check_output_path(output, [old, new], vocab or [], decisions or [])
    vocabulary = load_vocabulary(vocab or [])
    files = tuple(_load_decisions(decisions))
    old_doc, new_doc = read_document(old), read_document(new)
    if old_doc.year and new_doc.year and old_doc.year > new_doc.year:
        _say(f"yigai: warning: {old} is of {old_doc.year}, later than {new} ({new_doc.year}); "
                         "the earlier list comes first (yigai diff OLD NEW)\n")
    result = build(old_doc, new_doc, vocabulary, load_departments(), files)
    _warn(result.warnings)
    from yigai.diff import summary_against_list

    summary = summary_against_list(old_doc, new_doc)
    if summary:
        _say(f"yigai: warning: {summary}\n")
    if chosen == "table":
        _render(fmt.as_table(result), output)
    else:
        emit(fmt.FORMATTERS[chosen](result), output)
    failing = {Change(kind.value) for kind in fail_on or []}
    # an old item for what became of last year's tasks, a new item for what was added
    hits = [c for c in (*result.old_items, *result.new_items)
            if c.change in failing and (c.side == "new") == (c.change is Change.NEW)]
    if hits:
        kinds = sorted({c.change.value for c in hits})
        _say(f"yigai: {len(hits)} {'item' if len(hits) == 1 else 'items'} {' / '.join(kinds)} "
                         f"(--fail-on {' '.join(kinds)})\n")
    return int(ExitStatus.GATE_FAILED if hits else ExitStatus.OK)


vocab_app = typer.Typer(
    help="The reform vocabulary: the topics and instruments --require and --vocab take, and candidates it lacks.",
    invoke_without_command=True,
    no_args_is_help=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="""\b
Examples:
  yigai vocab                                  topics, instruments and their aliases
  yigai vocab --format yaml --vocab extra.yaml the vocabulary as yigai reads it, with your additions
  yigai vocab suggest data/samples/            phrases several jurisdictions print that it lacks
""",
)
app.add_typer(vocab_app, name="vocab")
app.add_typer(_decisions_app, name="decisions")
app.add_typer(_cache_app, name="cache")


class VocabFormat(str, Enum):
    table = "table"
    json = "json"
    yaml = "yaml"


@vocab_app.callback()
def vocab(
    ctx: typer.Context,
    format: Annotated[VocabFormat, typer.Option("--format", "-f", help="Output format.")] = VocabFormat.table,
    vocab: VocabOption = None,
    output: OutputOption = None,
) -> None:
    """List the topics and instruments (with their aliases) that --require and --vocab take."""
    if ctx.invoked_subcommand is not None:
        return
    from yigai.vocab import load_vocabulary

    from .formats import vocab as fmt
    from .output import check_output_path, emit, refuse_foreign

    refuse_foreign(output, (".txt", ".json", ".yaml", ".yml"))
    check_output_path(output, [], vocab or [])
    vocabulary = load_vocabulary(vocab or [])
    if format is VocabFormat.table:
        _render(fmt.as_table(vocabulary), output)
    else:
        emit(fmt.FORMATTERS[format.value](vocabulary), output)


@vocab_app.command("suggest", epilog="""\b
Examples:
  yigai vocab suggest data/samples/                        every document in the folder
  yigai vocab suggest roundup.txt 'drafts/*.docx' -o candidates.yaml
  yigai compare national.txt draft.docx --vocab candidates.yaml   after editing the file
""")
def vocab_suggest(
    docs: Annotated[list[str], typer.Argument(metavar="DOC...", help="Documents of several jurisdictions: files, globs, "
                                              "directories, multi-document files.")],
    least: Annotated[int, typer.Option("--least", metavar="N", min=2,
                                       help="Jurisdictions that must print a phrase.")] = 3,
    limit: Annotated[int, typer.Option("--limit", metavar="N", min=1, help="Most candidates listed.")] = 40,
    vocab: VocabOption = None,
    output: OutputOption = None,
) -> None:
    """Candidate instruments the vocabulary lacks: phrases recurring in several jurisdictions' items, as a YAML
    skeleton to confirm and pass with --vocab."""
    from yigai.documents import read_ref
    from yigai.matrix import expand
    from yigai.suggest import suggest, to_yaml
    from yigai.vocab import load_vocabulary

    from .output import check_output_path, emit, refuse_foreign

    refuse_foreign(output, (".yaml", ".yml", ".txt"))
    refs = expand(docs)
    check_output_path(output, refs, vocab or [])
    vocabulary = load_vocabulary(vocab or [])
    documents = [d for ref in refs for d in read_ref(ref)]
    jurisdictions = {d.short_name or d.jurisdiction or d.source for d in documents}
    if len(jurisdictions) < least:
        raise InputError(docs[0], f"holds {len(jurisdictions)} jurisdictions, fewer than --least {least}",
                         "give documents of more jurisdictions, or lower --least")
    emit(to_yaml(suggest(documents, vocabulary, least=least, limit=limit), least, len(jurisdictions)), output)


COMMANDS = ("parse", "compare", "matrix", "check", "vocab", "decisions", "cache")


def _fail(message: str, status: ExitStatus) -> int:
    _say(f"yigai: error: {message}")
    return int(status)


# Typer words its type checks as a validation library does; a user reads what the value must be.
_PLAIN = (
    (re.compile(r"^Value error, "), ""),
    (re.compile(r"Input should be a valid integer.*"), "must be a whole number"),
    (re.compile(r"Input should be a valid number.*"), "must be a number"),
    (re.compile(r"Input should be greater than or equal to (\S+)"), r"must be at least \1"),
    (re.compile(r"Input should be less than or equal to (\S+)"), r"must be at most \1"),
    (re.compile(r"Input should be "), "must be "),
)


def _usage_line(exc: Exception, argv: list[str]) -> str:
    """A usage error as `<option>: <problem> (see 'yigai <command> --help')`, one line."""
    ctx = getattr(exc, "ctx", None)
    command = getattr(ctx, "command_path", "") or "yigai"
    if command == "yigai" and argv and argv[0] in COMMANDS:  # errors while parsing carry no command
        command = f"yigai {argv[0]}"
    param = getattr(exc, "param", None)
    message = getattr(exc, "message", None) if param is not None else None
    if param is not None and message and type(exc).__name__ == "BadParameter":
        for pattern, plain in _PLAIN:
            message = pattern.sub(plain, message)
        opts = getattr(param, "opts", None) or [getattr(param, "metavar", None) or param.name]
        text = f"{max(opts, key=len)}: {message}"
    else:
        text = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    text = " ".join(text.split()).rstrip(".")
    return f"{text[:1].lower()}{text[1:]} (see '{command} --help')"


class _Stopped(BaseException):
    """SIGINT or SIGTERM: unwinds like KeyboardInterrupt (temp files removed, workers stopped), but is not
    one, so that click does not turn it into an 'Abort' of its own."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: object) -> None:
    raise _Stopped(signum)


def _on_signals() -> dict[int, object]:
    """Install the SIGINT/SIGTERM handler (main thread only); returns the handlers it replaced."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return {}
    return {signum: signal.signal(signum, _stop) for signum in (signal.SIGINT, signal.SIGTERM)}


def _note(text: str) -> None:
    """What the library notes for the analyst (a document read by OCR), as `yigai: note: …` on stderr."""
    _say(f"yigai: note: {text}\n")  # a file name in it is shown as the terminal sanitiser shows it


def _notes_on_stderr() -> None:
    from yigai.notes import listen

    listen(_note)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit status; every failure is one line on stderr."""
    import signal

    from .output import tolerate_console_encoding

    previous = _on_signals()
    _notes_on_stderr()
    try:
        tolerate_console_encoding()  # inside: a signal while the streams are set up still ends with one line
        return _main(argv)
    except _Stopped as stop:  # 130 / 143, as a shell reports a process ended by the signal
        if stop.signum == signal.SIGINT:
            return _fail("interrupted", ExitStatus.INTERRUPTED)
        return _fail("terminated", ExitStatus.TERMINATED)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]


def _main(argv: list[str] | None) -> int:
    try:
        result = app(args=argv, prog_name="yigai", standalone_mode=False)
    except InputError as exc:
        return _fail(exc.line(), ExitStatus.BAD_INPUT)
    except _CliError as exc:  # usage errors: unknown option, bad choice, missing argument
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `yigai`: show help
            sys.stdout.write(exc.format_message() + "\n")
            return int(ExitStatus.OK)
        return _fail(_usage_line(exc, sys.argv[1:] if argv is None else argv), ExitStatus.BAD_INPUT)
    except typer.Abort:
        return _fail("aborted", ExitStatus.BAD_INPUT)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except BrokenPipeError:
        return int(ExitStatus.OK)
    except Exception as exc:  # a bug: still one line, never a traceback
        return _fail(f"internal error: {type(exc).__name__}: {exc} (please report this)", ExitStatus.INTERNAL)
    return int(result) if isinstance(result, int) else int(ExitStatus.OK)


def run() -> None:
    import gc

    # One command is one batch: it builds many small objects (a matrix of 1,000 documents, ~25,000 cells) and
    # frees them all at exit, with hardly a reference cycle among them. Python's default collects the youngest
    # objects every 700 allocations, and each full pass walks everything alive: 290 passes, ~85 ms of such a
    # matrix. Every 50,000: 3 passes, ~25 ms. (The process alone: tests calling main() keep their own.)
    gc.set_threshold(50_000, 10, 10)
    sys.exit(main())
