"""Strict YAML loading that keeps a position map beside the data.

Why: PyYAML follows YAML 1.1, where ``no`` is False and ``1.10`` is the float 1.1. Checklist
ids, versions and dates must stay text, so scalars are resolved here by a small YAML 1.2-like
rule set, and every value's line and column is kept for error messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safetycheck.errors import Location, Problem
from safetycheck.inputfiles import InputFileError, read_input
from safetycheck.messages import t

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NODES = 50_000
MAX_DEPTH = 100  # nesting levels; real files use under ten, and deeper ones would exhaust the stack

PathKey = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?[0-9]+$")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_STR = "tag:yaml.org,2002:str"
# The tags plain data resolves to; any other (``!foo``, ``!!binary``, ``!!set``) is reported, not dropped.
_KNOWN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq",
                                                        "map")}
# The tag the loader gives a plain scalar without a tag of its own (the builder reads it by its rules);
# told apart from an explicit ``!!str``, which keeps ``103`` or ``true`` as text.
_PLAIN = "tag:safetycheck,2025:plain"
_KNOWN_TAGS.add(_PLAIN)
# Plain scalars PyYAML's safe resolver gives a tag that is reported (``!!value``, ``!!merge``): kept so
_ODD_PLAIN = {"=": "tag:yaml.org,2002:value", "<<": "tag:yaml.org,2002:merge"}
# YAML 1.1 booleans that YAML 1.2 reads as text: refused unquoted, they are almost always a slip.
_AMBIGUOUS = {"yes", "no", "on", "off", "y", "n"}


@dataclass
class Document:
    """Parsed YAML data with the position of every value and key, by key path."""

    path: str
    data: Any
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # shown only where nothing else is wrong

    def locate(self, key_path: PathKey, *, key: bool = False) -> Location:
        """Location of the value (or key) at ``key_path``, else of its nearest parent."""
        table = self.keys if key else self.values
        probe = key_path
        while True:
            if probe in table:
                line, col = table[probe]
                return Location(self.path, line, col)
            if probe in self.values:
                line, col = self.values[probe]
                return Location(self.path, line, col)
            if not probe:
                return Location(self.path, 1, 1)
            probe = probe[:-1]


class YamlLoadError(Exception):
    """The file is not loadable YAML; carries the located problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def load_yaml(path: Path, display: str | None = None) -> Document:
    """Read and parse a YAML file strictly.

    Args:
        path: the file to read.
        display: how to name the file in messages (defaults to ``path``).

    Returns:
        The data with its position map; ``problems`` lists non-fatal findings
        (duplicate keys, unquoted yes/no).

    Raises:
        YamlLoadError: the file is missing, too large, binary, empty or not YAML.
    """
    name = display or str(path)
    try:
        raw = read_input(path, MAX_FILE_BYTES)
    except InputFileError as exc:
        raise YamlLoadError(Problem(Location(name), exc.message)) from None
    return parse_yaml(raw, name)


def parse_yaml(raw: bytes, name: str) -> Document:
    """Parse YAML bytes strictly; see :func:`load_yaml`."""
    here = Location(name, 1, 1)
    if b"\x00" in raw:
        raise YamlLoadError(Problem(here, t("yaml.binary")))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlLoadError(Problem(Location(name, line, 1), t("yaml.not_utf8"))) from None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise YamlLoadError(Problem(here, t("yaml.empty")))

    import yaml

    try:
        loader = _loader_class()(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(name, mark.line + 1, mark.column + 1) if mark else here
        what = _explain(exc.problem or "") or " ".join(x for x in (exc.context, exc.problem) if x)
        raise YamlLoadError(Problem(loc, t("yaml.syntax", problem=what))) from None
    except yaml.YAMLError as exc:
        raise YamlLoadError(Problem(here, t("yaml.syntax", problem=str(exc)))) from None
    except RecursionError:  # PyYAML's pure-Python composer (no libyaml) recurses per level
        raise YamlLoadError(Problem(here, t("yaml.too_deep", limit=MAX_DEPTH))) from None
    if node is None:
        raise YamlLoadError(Problem(here, t("yaml.empty")))
    doc = Document(name, None)
    builder = _Builder(doc)
    doc.data = builder.build(node, ())
    return doc


_LOADER: list[type] = []


def _loader_class() -> type:
    """PyYAML's parser and composer (C where available) with a resolver that resolves nothing.

    Why: the composer asks the resolver for every scalar's tag, and PyYAML's runs a regular
    expression per scalar; :class:`_Builder` ignores tags and resolves scalars by its own rules, so
    that work was done twice (about a tenth of ``validate``).
    """
    if not _LOADER:
        import yaml
        from yaml.nodes import ScalarNode, SequenceNode

        class PlainResolver(yaml.resolver.BaseResolver):
            def resolve(self, kind: type, value: Any, implicit: Any) -> str:
                if kind is ScalarNode:
                    return _ODD_PLAIN.get(value, _PLAIN) if implicit[0] else str(self.DEFAULT_SCALAR_TAG)
                return str(self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG)

        c_parser = yaml.cyaml.CParser if yaml.__with_libyaml__ else None
        parsing = (c_parser,) if c_parser is not None else (
            yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer)

        def init(self: Any, stream: str) -> None:
            for part in parsing:
                part.__init__(self, stream) if part in (c_parser, yaml.reader.Reader) else part.__init__(self)
            PlainResolver.__init__(self)

        _LOADER.append(type("PlainLoader", (*parsing, PlainResolver), {"__init__": init}))
    return _LOADER[0]


_EXPLAINED = (
    ("cannot start any token", "yaml.tab"),
    ("expected ',' or ']'", "yaml.flow_seq"),
    ("expected ',' or '}'", "yaml.flow_map"),
    ("expected '-' indicator", "yaml.block_seq"),
    ("did not find expected key", "yaml.block_map"),
    ("could not find expected ':'", "yaml.block_map"),
    ("mapping values are not allowed", "yaml.colon"),
    ("end of stream", "yaml.eof"),
    ("found undefined alias", "yaml.alias"),
)


def _explain(problem: str) -> str:
    """A plain-language reading of PyYAML's most common problems."""
    for needle, msg_id in _EXPLAINED:
        if needle in problem:
            return t(msg_id)
    return ""


class _Builder:
    """Turns a composed node graph into plain data, counting nodes against alias bombs."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.count = 0

    def build(self, node: Any, key_path: PathKey) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            loc = Location(self.doc.path, node.start_mark.line + 1, node.start_mark.column + 1)
            raise YamlLoadError(Problem(loc, t("yaml.too_many_nodes", limit=MAX_NODES)))
        if len(key_path) > MAX_DEPTH:
            loc = Location(self.doc.path, node.start_mark.line + 1, node.start_mark.column + 1)
            raise YamlLoadError(Problem(loc, t("yaml.too_deep", limit=MAX_DEPTH)))
        self.doc.values[key_path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _KNOWN_TAGS:
            loc = Location(self.doc.path, node.start_mark.line + 1, node.start_mark.column + 1)
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            message = t("yaml.tag", tag=tag)
            self.doc.problems.append(Problem(loc, f"{_pointer(key_path)}: {message}" if key_path else message,
                                             _pointer(key_path)))
        kind = node.id
        if kind == "scalar":
            return self.scalar(node, key_path)
        if kind == "sequence":
            return [self.build(child, (*key_path, i)) for i, child in enumerate(node.value)]
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.id != "scalar":
                loc = Location(self.doc.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                raise YamlLoadError(Problem(loc, t("yaml.complex_key")))
            key = str(key_node.value)
            child = (*key_path, key)
            if key == "<<":
                loc = Location(self.doc.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                raise YamlLoadError(Problem(loc, t("yaml.merge_key")))
            if key in result:
                loc = Location(self.doc.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                self.doc.problems.append(Problem(loc, t("yaml.duplicate_key", key=key), _pointer(child)))
            self.doc.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, child)
        return result

    def scalar(self, node: Any, key_path: PathKey) -> Any:
        value: str = node.value
        if node.style in ("'", '"', "|", ">"):
            return value  # quoted or block scalars are always text
        if node.tag == _STR and (value in _NULL or value in _TRUE or value in _FALSE or _INT.match(value)):
            return value  # an explicit !!str: the resolver would have given these another tag
        if value in _NULL:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        if _INT.match(value):
            return int(value)
        if value.lower() in _AMBIGUOUS:
            message = t("yaml.ambiguous_bool", value=value)
            if key_path:
                message = f"{_pointer(key_path)}: {message}"
            self.doc.notes.append(Problem(self.doc.locate(key_path), message, _pointer(key_path)))
        return value


def _pointer(key_path: PathKey) -> str:
    """Render a key path as ``sections[0].items[3].id``."""
    out = ""
    for part in key_path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


pointer = _pointer
