"""The documents a commit range changed, as git reports them: what `check --changed-since REF` gates.

Names come from `git diff -z`, raw: no quoting of Chinese names (core.quotePath), no splitting on spaces.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .errors import InputError
from .matrix import SUPPORTED_SUFFIXES

# A push that creates a branch reports this as the previous commit (GitHub's `before`, GitLab's
# CI_COMMIT_BEFORE_SHA): there is nothing to compare with, so every document counts as changed.
NO_COMMIT = "0" * 40


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise InputError("--changed-since", "git is not installed", "install git, or name the drafts") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError("git", message[-1] if message else f"git {args[0]} failed", "check the repository and REF")
    return done.stdout.decode("utf-8", "surrogateescape")


def changed_documents(ref: str, pathspecs: list[str] | tuple[str, ...] = (), cwd: str | Path = ".") -> list[str]:
    """Supported documents added or modified since `ref` (from the merge base, up to the working tree).

    Paths come back relative to `cwd`, in git's order; deleted files are left out. An empty `ref` or
    the all-zero commit means every tracked document (a new branch has no earlier commit).
    """
    cwd = Path(cwd)
    root = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    spec = ["--", *pathspecs] if pathspecs else []
    if set(ref.strip()) <= {"0"}:
        names = _git(["ls-files", "-z", "--full-name", *spec], cwd).split("\0")
    else:
        try:
            base = _git(["merge-base", ref, "HEAD"], cwd).strip()
        except InputError:
            raise InputError(ref, "is not a commit this repository has",
                             "fetch the history: actions/checkout with fetch-depth: 0, GitLab GIT_DEPTH: 0") from None
        names = _git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=AM", base, *spec], cwd).split("\0")
    found = []
    for name in names:
        if not name:
            continue
        path = root / name
        if path.suffix.lower() in SUPPORTED_SUFFIXES and path.is_file():
            found.append(os.path.relpath(path, cwd.resolve()))
    return found
