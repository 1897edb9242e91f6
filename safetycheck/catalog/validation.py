"""Walk plain data against a msgspec model and collect every problem, not just the first.

Why: msgspec stops at the first error; a checklist author wants all of them in one run. The
walk reads the models' own type information, so the rules live only in ``models.py``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from functools import cache
from typing import Any

import msgspec.inspect as mi

from safetycheck.catalog.yamlsource import PathKey
from safetycheck.messages import t

Report = Callable[[PathKey, str, bool], None]  # (key path, message, at the key?)


@cache
def _info(model: type) -> mi.Type:
    return mi.type_info(model)


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def check(model: type, data: Any, report: Report) -> None:
    """Report every way ``data`` fails to match ``model``.

    Args:
        model: a msgspec Struct type.
        data: plain data from YAML or TOML.
        report: called once per problem with the key path and the message.
    """
    _walk(_info(model), data, (), report)


def _type_name(tp: mi.Type) -> str:
    if isinstance(tp, mi.Metadata):
        tp = tp.type
    if isinstance(tp, mi.StrType | mi.LiteralType):
        return t("type.str")
    if isinstance(tp, mi.IntType):
        return t("type.int")
    if isinstance(tp, mi.BoolType):
        return t("type.bool")
    if isinstance(tp, mi.ListType):
        return t("type.list")
    if isinstance(tp, mi.StructType | mi.DictType):
        return t("type.map")
    return t("type.value")


def _got(value: Any) -> str:
    if value is None:
        return t("type.empty")
    if isinstance(value, bool):
        return t("type.bool")
    if isinstance(value, int):
        return t("type.int")
    if isinstance(value, str):
        return t("type.str")
    if isinstance(value, list):
        return t("type.list")
    if isinstance(value, dict):
        return t("type.map")
    return type(value).__name__


def _walk(tp: mi.Type, value: Any, path: PathKey, report: Report) -> None:
    if isinstance(tp, mi.Metadata):
        tp = tp.type
    if isinstance(tp, mi.UnionType):
        options = [x for x in tp.types if not isinstance(x, mi.NoneType)]
        if value is None and len(options) < len(tp.types):
            return
        if len(options) == 1:
            _walk(options[0], value, path, report)
            return
        report(path, t("check.type", expected=_type_name(options[0]), got=_got(value)), False)
        return
    if isinstance(tp, mi.StructType):
        _walk_struct(tp, value, path, report)
    elif isinstance(tp, mi.ListType):
        if not isinstance(value, list):
            report(path, t("check.type", expected=_type_name(tp), got=_got(value)), False)
            return
        if tp.min_length and len(value) < tp.min_length:
            report(path, t("check.empty_list"), False)
        for i, child in enumerate(value):
            _walk(tp.item_type, child, (*path, i), report)
    elif isinstance(tp, mi.DictType):
        if not isinstance(value, dict):
            report(path, t("check.type", expected=_type_name(tp), got=_got(value)), False)
            return
        for key, child in value.items():
            _walk(tp.value_type, child, (*path, key), report)
    elif isinstance(tp, mi.LiteralType):
        if value not in tp.values:
            choices = "、".join(str(v) for v in tp.values)
            report(path, t("check.choice", value=value, choices=choices), False)
    elif isinstance(tp, mi.StrType):
        _walk_str(tp, value, path, report)
    elif isinstance(tp, mi.BoolType):
        if not isinstance(value, bool):
            report(path, t("check.bool", got=value), False)
    elif isinstance(tp, mi.IntType):
        if isinstance(value, bool) or not isinstance(value, int):
            report(path, t("check.type", expected=_type_name(tp), got=_got(value)), False)
        elif tp.ge is not None and value < tp.ge:
            report(path, t("check.min", minimum=tp.ge, value=value), False)


def _walk_str(tp: mi.StrType, value: Any, path: PathKey, report: Report) -> None:
    if not isinstance(value, str):
        hint = t("check.quote") if isinstance(value, int | bool) else ""
        report(path, t("check.type", expected=_type_name(tp), got=_got(value)) + hint, False)
        return
    if tp.min_length and len(value.strip()) < tp.min_length:
        report(path, t("check.empty_text"), False)
    if tp.max_length is not None and len(value) > tp.max_length:
        report(path, t("check.too_long", limit=tp.max_length), False)
    if tp.pattern and not _regex(tp.pattern).match(value):
        report(path, t("check.slug", value=value), False)


def _walk_struct(tp: mi.StructType, value: Any, path: PathKey, report: Report) -> None:
    if not isinstance(value, dict):
        report(path, t("check.type", expected=_type_name(tp), got=_got(value)), False)
        return
    fields = {f.encode_name: f for f in tp.fields}
    for key in value:
        if key not in fields:
            near = difflib.get_close_matches(str(key), list(fields), n=1, cutoff=0.6)
            hint = t("check.did_you_mean", name=near[0]) if near else t("check.allowed", names=", ".join(fields))
            report((*path, key), t("check.unknown_key", key=key) + hint, True)
    for name, f in fields.items():
        if name not in value:
            if f.required:
                report(path, t("check.missing", key=name), False)
            continue
        child = value[name]
        if child is None and f.required:
            report((*path, name), t("check.missing", key=name), False)
            continue
        _walk(f.type, child, (*path, name), report)
