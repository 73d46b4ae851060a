"""The `yigai` command: parses arguments, calls the library, renders results."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from yigai.errors import InputError

from .status import ExitStatus

try:  # typer >= 0.29 vendors click and exposes its exception base
    from typer import TyperException as _CliError
except ImportError:  # pragma: no cover - older typer on plain click
    from click import ClickException as _CliError  # type: ignore[assignment,no-redef]

app = typer.Typer(
    name="yigai",
    help="Read health-reform task lists, align local documents with the national one, gate drafts on coverage.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root() -> None:
    """Read health-reform task lists, align local documents with the national one, gate drafts on coverage."""


VocabOption = Annotated[
    Optional[list[Path]], typer.Option("--vocab", help="Extra vocabulary YAML (same format as data/vocabulary.yaml).")
]
OutputOption = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to FILE (whole or not at all).")]
DecisionsOption = Annotated[
    Optional[list[Path]],
    typer.Option("--decisions", help="An analyst's decisions YAML: confirm, reject, regrade or add pairs "
                 "(start one with compare --format decisions)."),
]


class ParseFormat(str, Enum):
    table = "table"
    json = "json"


def _render(renderable: object, output: Path | None) -> None:
    """A rich renderable to the terminal, or as plain text to --output."""
    from rich.console import Console

    from .output import emit

    if output is None:
        Console(soft_wrap=False).print(renderable)
        return
    import io

    console = Console(record=True, width=160, file=io.StringIO(), color_system=None)
    console.print(renderable)
    emit(console.export_text(), output)


@app.command()
def parse(
    docs: Annotated[list[str], typer.Argument(help="Document files; PATH#SEL picks one document of a file.")],
    format: Annotated[ParseFormat, typer.Option("--format", "-f", help="Output format.")] = ParseFormat.table,
    output: OutputOption = None,
) -> None:
    """List the documents a file holds (with their selectors) and every document's items."""
    from yigai.documents import parse_ref, read_ref

    from .formats import parse as fmt
    from .output import check_output_path, emit

    check_output_path(output, docs)
    groups = [(parse_ref(ref)[0], read_ref(ref)) for ref in docs]
    if format is ParseFormat.json:
        emit(fmt.as_json(groups), output)
    else:
        _render(fmt.as_table(groups), output)


class CompareFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    decisions = "decisions"


class MatrixFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


def _load_decisions(files: list[Path] | None):  # type: ignore[no-untyped-def]
    from yigai.decisions import load_decisions

    return [load_decisions(path) for path in files or []]


def _warn(lines: object) -> None:
    for line in lines:  # type: ignore[attr-defined]
        sys.stderr.write(f"yigai: warning: {line.line()}\n")


def _compare(national: str, local: str, vocab: list[Path] | None, files: list | None = None,  # type: ignore[no-untyped-def,type-arg]
             swapped_is_error: bool = False):
    """The vocabulary, the alignment of two document refs (after the analyst's decisions) and its coverage."""
    from yigai.align import align
    from yigai.coverage import coverage
    from yigai.decisions import apply_decisions
    from yigai.documents import read_document
    from yigai.vocab import load_vocabulary

    vocabulary = load_vocabulary(vocab or [])
    national_doc, local_doc = read_document(national), read_document(local)
    if local_doc.level == "national" and national_doc.level != "national":
        if swapped_is_error:  # a gate that passes on swapped arguments would wave every draft through
            raise InputError(local, f"is the national document and {national} is not",
                             "the national one comes first: yigai check NATIONAL LOCAL")
        sys.stderr.write(f"yigai: warning: {local} is the national document and {national} is not; "
                         "the national one comes first (yigai compare NATIONAL LOCAL)\n")
    alignment = align(national_doc, local_doc, vocabulary)
    if not alignment.on_subject:
        named = round(alignment.subject_share * len(local_doc.items))
        sys.stderr.write(f"yigai: warning: {local}: only {named} of {len(local_doc.items)} items name a reform instrument; "
                         "it does not read as a health-reform list, so no pair is graded full\n")
    if files:
        alignment, warnings = apply_decisions(alignment, files)
        _warn(warnings)
    return vocabulary, alignment, coverage(alignment)


@app.command()
def compare(
    national: Annotated[str, typer.Argument(help="The national document: PATH or PATH#SEL.")],
    local: Annotated[str, typer.Argument(help="The local document: PATH or PATH#SEL.")],
    format: Annotated[CompareFormat, typer.Option("--format", "-f", help="Output format.")] = CompareFormat.table,
    vocab: VocabOption = None,
    decisions: DecisionsOption = None,
    output: OutputOption = None,
) -> None:
    """Map each national item to its local counterparts (full/partial), list gaps and local-only items."""
    from .formats import compare as fmt
    from .output import check_output_path, emit

    check_output_path(output, [national, local, *map(str, decisions or [])])
    vocabulary, alignment, cover = _compare(national, local, vocab, _load_decisions(decisions))
    if format is CompareFormat.table:
        _render(fmt.as_table(alignment, cover), output)
    elif format is CompareFormat.decisions:
        from yigai.decisions import to_yaml

        emit(to_yaml(alignment), output)
    else:
        emit(fmt.FORMATTERS[format.value](alignment, cover), output)


@app.command()
def matrix(
    national: Annotated[str, typer.Argument(help="The national document: PATH or PATH#SEL.")],
    local: Annotated[list[str], typer.Argument(help="Local documents: files, globs, directories, multi-document files.")],
    format: Annotated[MatrixFormat, typer.Option("--format", "-f", help="Output format.")] = MatrixFormat.table,
    transpose: Annotated[bool, typer.Option("--transpose", help="Jurisdictions as rows (automatic when wide).")] = False,
    vocab: VocabOption = None,
    decisions: DecisionsOption = None,
    output: OutputOption = None,
) -> None:
    """One row per national item, one column per local document (a multi-document file gives several)."""
    from yigai.align import topics_of
    from yigai.documents import read_document
    from yigai.matrix import expand
    from yigai.matrix import matrix as build
    from yigai.vocab import load_vocabulary

    from .formats import matrix as fmt
    from .output import check_output_path, emit

    refs = expand(local)
    check_output_path(output, [national, *refs, *map(str, decisions or [])])
    national_doc = read_document(national)
    vocab_files = tuple(str(p) for p in vocab or [])
    vocabulary = load_vocabulary([Path(p) for p in vocab_files])
    files = tuple(_load_decisions(decisions))
    columns = _with_progress(lambda tick: build(national_doc, refs, vocab_files, progress=tick, decisions=files), len(refs))
    _warn(w for c in columns for w in c.warnings)
    if format is not MatrixFormat.table:
        emit(fmt.FORMATTERS[format.value](national_doc, columns), output)
        return
    from rich.console import Console

    topics = topics_of(national_doc, vocabulary)
    width = Console().width if output is None else 160
    wide = fmt.needs_transpose(columns, width)
    _render(fmt.as_table(national_doc, columns, topics, transpose or wide, width), output)


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
    national: Annotated[str, typer.Argument(metavar="NATIONAL", help="The national document: PATH or PATH#SEL.")],
    local: Annotated[
        Optional[list[str]],
        typer.Argument(metavar="LOCAL...", help="The local documents (drafts): PATH or PATH#SEL; with --changed-since, "
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
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.text,
    vocab: VocabOption = None,
    decisions: DecisionsOption = None,
    output: OutputOption = None,
) -> int:
    """Gate local documents on their coverage of the national one: exit 0 when every gate passes, 1 when one
    fails, 2 on bad input."""
    import os

    from yigai.decisions import apply_decisions
    from yigai.documents import read_document
    from yigai.gate import Gates, judge, parse_ratio

    from .formats import check as fmt
    from .output import check_output_path, emit

    gates = Gates(None if min_coverage is None else parse_ratio(min_coverage), tuple(require or ()), max_uncovered,
                  tuple(require_full or ()))
    if changed_since is not None:
        from yigai.changes import changed_documents

        drafts = [d for d in changed_documents(changed_since, local or []) if not _same_file(d, national)]
    elif not local:
        raise InputError("check", "no local document given", "name a draft, or use --changed-since REF")
    else:
        drafts = list(local)
    check_output_path(output, [national, *drafts, *map(str, decisions or [])])
    files = _load_decisions(decisions)
    if not gates.given:
        sys.stderr.write(f"yigai: warning: {fmt.NO_GATE}\n")
    results = []
    if len(drafts) == 1 and changed_since is None:
        vocabulary, alignment, cover = _compare(national, drafts[0], vocab, files, swapped_is_error=True)
        results.append((alignment, cover, judge(alignment, cover, gates, vocabulary)))
    else:
        from yigai.align import align
        from yigai.coverage import coverage
        from yigai.vocab import load_vocabulary

        vocabulary = load_vocabulary(vocab or [])
        national_doc = read_document(national)
        for draft in drafts:
            local_doc = read_document(draft)
            if local_doc.level == "national" and national_doc.level != "national":
                raise InputError(draft, f"is the national document and {national} is not",
                                 "the national one comes first: yigai check NATIONAL LOCAL")
            alignment = align(national_doc, local_doc, vocabulary)
            mine = [f for f in files if f.applies_to(local_doc)]
            if mine:
                alignment, warnings = apply_decisions(alignment, mine)
                _warn(warnings)
            cover = coverage(alignment)
            results.append((alignment, cover, judge(alignment, cover, gates, vocabulary)))
        if not drafts:
            sys.stderr.write(f"yigai: warning: no changed documents since {changed_since}: nothing to check\n")
    single = len(results) == 1 and changed_since is None
    emit(fmt.as_single(*results[0], format.value) if single else fmt.as_many(results, format.value), output)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if format is CheckFormat.github and summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write("".join(fmt.summary_markdown(*r) for r in results))
    passed = all(verdict.passed for _, _, verdict in results)
    return int(ExitStatus.OK if passed else ExitStatus.GATE_FAILED)


def _same_file(path: str, ref: str) -> bool:
    from yigai.documents import parse_ref

    return Path(path).resolve() == Path(parse_ref(ref)[0]).resolve()


def _fail(message: str, status: ExitStatus) -> int:
    sys.stderr.write(f"yigai: error: {message}\n")
    return int(status)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit status; every failure is one line on stderr."""
    try:
        result = app(args=argv, prog_name="yigai", standalone_mode=False)
    except InputError as exc:
        return _fail(exc.line(), ExitStatus.BAD_INPUT)
    except _CliError as exc:  # usage errors: unknown option, bad choice, missing argument
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `yigai`: show help
            sys.stdout.write(exc.format_message() + "\n")
            return int(ExitStatus.OK)
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        return _fail(f"{message} (see 'yigai --help')", ExitStatus.BAD_INPUT)
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
    sys.exit(main())
