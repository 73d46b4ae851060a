"""`yigai decisions merge`: two reviewers' decisions files as one, their disagreements listed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from .status import ExitStatus

decisions_app = typer.Typer(
    help="Analysts' decisions files (--decisions): merge several reviewers' into one.",
    no_args_is_help=True,
    epilog="""\b
Examples:
  yigai decisions merge wang.yaml li.yaml -o all.yaml     one file; disagreements listed, exit 1
  yigai compare national.txt draft.docx --decisions all.yaml
""",
)


@decisions_app.callback()
def decisions() -> None:
    """Analysts' decisions files (--decisions): merge several reviewers' into one."""


@decisions_app.command("merge", epilog="""\b
Examples:
  yigai decisions merge wang.yaml li.yaml -o all.yaml
Entries on the same pair (same national and local item, by fingerprint, else title, else index) that agree
become one, their notes and names joined; entries that disagree are all kept, the later file's last, and
listed on stderr (exit 1): --decisions applies the last, so delete the ones you disagree with.
""")
def merge(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", show_default=False,
                                                help="Decisions files, in order (a later one's entry applies).")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="FILE",
                                                   help="Write to FILE (whole or not at all).")] = None,
) -> int:
    """Merge decisions files: every entry kept, agreeing ones combined, conflicts listed (exit 1 when any)."""
    from yigai.decisions import dump_decisions, load_decisions, merge_decisions

    from .output import check_output_path, emit

    check_output_path(output, [], (), files)
    merged = merge_decisions([load_decisions(path) for path in files])
    emit(dump_decisions(merged.decisions, merged.conflicts), output)
    for conflict in merged.conflicts:
        sys.stderr.write(f"yigai: conflict: {conflict.line()}\n")
    if merged.conflicts:
        count = len(merged.conflicts)
        sys.stderr.write(f"yigai: {count} conflict{'s' if count > 1 else ''}: every entry is kept and the last of each "
                         "applies; delete the ones you disagree with\n")
        return int(ExitStatus.CONFLICTS)
    return int(ExitStatus.OK)
