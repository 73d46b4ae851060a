"""Each command loads only what it uses: JSON output draws no rich table, and plain arguments need no pydantic."""

from __future__ import annotations

import json
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import pytest
import typer

from tests.conftest import GUANGXI, NATIONAL, SICHUAN
from yigai_cli import plain_values
from yigai_cli.main import app

PROBE = """
import io, contextlib, json, sys
from yigai_cli.main import main
with contextlib.redirect_stdout(io.StringIO()):
    status = main(sys.argv[1:])
print(json.dumps([status, sorted(m for m in ("pydantic", "rich", "jieba", "numpy", "rapidfuzz") if m in sys.modules)]))
"""


@pytest.mark.parametrize(("args", "needs"), [
    (["compare", NATIONAL, GUANGXI, "--format", "json"], ["numpy", "rapidfuzz"]),
    (["check", NATIONAL, GUANGXI, "--format", "json"], ["numpy", "rapidfuzz"]),
    (["matrix", NATIONAL, GUANGXI, "--format", "json", "--no-cache"], ["numpy", "rapidfuzz"]),
    (["parse", str(SICHUAN), "--format", "json"], []),  # reading aligns nothing
    (["--help"], []),
])
def test_each_command_loads_only_what_it_uses(args: list[str], needs: list[str]) -> None:
    out = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True).stdout
    status, loaded = json.loads(out)
    assert status in (0, 1) and loaded == needs  # JSON output draws no rich table; no pydantic for plain arguments


def _samples(annotation: Any) -> list[Any]:
    origin = get_origin(annotation)
    if origin is Union:
        inner = [a for a in get_args(annotation) if a is not type(None)][0]
        return [None, *_samples(inner)]
    if origin is list:
        return [[s, s] for s in _samples(get_args(annotation)[0]) if s is not None] + [[]]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [m.value for m in annotation] + [list(annotation)[0]]
    if annotation is Path:
        return ["data/x.txt", "页面.txt#2", Path("a")]
    if annotation is str:
        return ["data/samples/page.txt#四川", "", "--"]
    return []


def test_plain_values_convert_as_typer_does() -> None:
    from typer._coercion import build_runtime_param

    command = typer.main.get_command(app)
    checked = 0
    for sub in command.commands.values():  # type: ignore[attr-defined]
        for param in sub.params:
            descriptor = getattr(param, "type_descriptor", None)
            if descriptor is None or descriptor.file_annotation is not None:
                continue
            typer_param = build_runtime_param(descriptor)
            for value in _samples(descriptor.annotation):
                if value is None:
                    continue
                try:
                    ours = plain_values._convert(descriptor.annotation, value)
                except plain_values._NotPlain:
                    continue
                assert ours == typer_param._coerce_value(value, param=param, ctx=None), (sub.name, param.name, value)
                checked += 1
    assert checked > 40


# cli/plain_values.py and cli/main.py replace these Typer internals (~65 ms a run: no pydantic). Their source, as
# the tested Typer range (pyproject.toml) has it; a Typer that changes any of them fails here, so that the
# replacements are checked against it before the pin moves.
TYPER_INTERNALS = """
import hashlib, inspect
from typer import __version__, _coercion, core
parts = [core.TyperArgument._usage_display_name, core.TyperArgument.display_type_rich,
         core._TyperParameter.get_runtime_param, _coercion.RuntimeParam, _coercion.TypeDescriptor,
         _coercion.build_runtime_param]
print(__version__, hashlib.sha256("".join(inspect.getsource(p) for p in parts).encode()).hexdigest())
"""
# the internals' digest -> the Typer releases it was read in (a release that leaves them as they were passes: 0.29.3
# changed none of them)
TESTED = {"2a66fc0218e489416829042e300063b405d9ac00c8efa703737902f8efd1f7a7": ("0.29.2", "0.29.3")}


def test_the_typer_internals_replaced_are_those_tested() -> None:
    # in a process of its own: here they are already replaced
    version, digest = subprocess.run([sys.executable, "-c", TYPER_INTERNALS], capture_output=True, text=True,
                                     check=True).stdout.split()
    assert digest in TESTED, (f"Typer {version} changed the internals plain_values.py and main.py replace: check them "
                              "against it, then add its digest here")


def test_the_replacements_are_in_place() -> None:
    """install() steps aside silently on a Typer without the internals: here they must be replaced."""
    from typer import core

    assert core._TyperParameter.get_runtime_param.__module__ == "yigai_cli.plain_values"
    assert core.TyperArgument._usage_display_name.__module__ == "yigai_cli.main"
    usage = subprocess.run([sys.executable, "-m", "yigai_cli", "compare", "-h"], capture_output=True, text=True).stdout
    assert "NATIONAL LOCAL" in usage and "<str>" not in usage
