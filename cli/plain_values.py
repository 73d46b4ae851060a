"""Command-line values of plain types converted without pydantic.

Typer (0.29) converts every argument through a pydantic TypeAdapter: importing pydantic and building the
adapters costs ~65 ms of CPU a run, a fifth of `yigai compare`. Text, paths, choices (enums) and lists or
optionals of them, which are all most commands take, are converted here as the adapter converts them; any
other type, any parameter with a range or a parser, and any value these conversions refuse go to Typer's own
conversion (and its messages), built only then. A Typer without these internals keeps its own conversion.
"""

from __future__ import annotations

import types
from enum import Enum
from pathlib import Path
from typing import Any, Union, get_args, get_origin


class _NotPlain(Exception):
    pass


def _convert(annotation: Any, value: Any) -> Any:
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        args = [a for a in get_args(annotation) if a is not type(None)]
        if value is None:
            return None
        if len(args) == 1:
            return _convert(args[0], value)
        raise _NotPlain
    if origin is list:
        (inner,) = get_args(annotation) or (Any,)
        return [_convert(inner, v) for v in (value if isinstance(value, (list, tuple)) else [value])]
    if annotation is str and isinstance(value, str):
        return value
    if annotation is Path and isinstance(value, (str, Path)):
        return Path(value)
    if isinstance(annotation, type) and issubclass(annotation, Enum) and not isinstance(value, bool):
        try:
            return annotation(value)
        except ValueError:
            raise _NotPlain from None
    raise _NotPlain


def install() -> None:
    try:
        from typer import core
        from typer._coercion import RuntimeParam, build_runtime_param
    except ImportError:  # pragma: no cover - another Typer: its own conversion stays
        return
    parameter = getattr(core, "_TyperParameter", None)
    if parameter is None or not hasattr(parameter, "get_runtime_param") or not hasattr(RuntimeParam, "_coerce_value"):
        return  # pragma: no cover

    class PlainParam(RuntimeParam):  # type: ignore[misc]
        """Converts plain values itself; hands the others to the parameter Typer would have built."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            info = self.parameter_info
            if getattr(info, "min", None) is None and getattr(info, "max", None) is None \
                    and getattr(info, "parser", None) is None and getattr(info, "click_type", None) is None:
                try:
                    return _convert(self.annotation, value)
                except _NotPlain:
                    pass
            return build_runtime_param(param.type_descriptor)._coerce_value(value, param=param, ctx=ctx)

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            if descriptor.file_annotation is not None:
                self._runtime_param = build_runtime_param(descriptor)
            else:
                self._runtime_param = PlainParam(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation)
        return self._runtime_param

    parameter.get_runtime_param = get_runtime_param
