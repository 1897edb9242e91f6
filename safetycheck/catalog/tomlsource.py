"""TOML with a position map: data plus the FILE:LINE:COL of every key, for answers, records and settings.

Why a module of its own: answers files, records and settings files share one TOML reader, so all
three locate problems the same way; it sits beside ``yamlsource`` so nothing above borrows it
from a sibling.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import tomllib
from typing import Any

from safetycheck.catalog.yamlsource import MAX_DEPTH, Document, PathKey, pointer
from safetycheck.errors import Location, Problem
from safetycheck.messages import t


class TomlLoadError(Exception):
    """A TOML file cannot be parsed; carries the located problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def parse_toml(raw: bytes, name: str, *, positions: bool = True) -> Document:
    """Parse TOML bytes into data with the position of every key and value.

    The one TOML reader of answers files, records and settings files, so that all three
    report problems as ``FILE:LINE:COL: key.path: message``.

    Args:
        raw: the file's bytes.
        name: the file as messages name it.
        positions: False skips the position scan (a large record that turns out valid
            never needs it); parse again with positions to locate a problem.

    Raises:
        TomlLoadError: not UTF-8, or a syntax error (located, naming the key it is in,
            explained in the interface language).
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TomlLoadError(Problem(Location(name, line, 1), t("yaml.not_utf8"))) from None
    try:
        data, shallow = _loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlLoadError(_syntax_problem(text, name, str(exc))) from None
    except RecursionError:  # tomllib recurses once per level of arrays and inline tables
        deep = _deep_bracket(text)
        line, col = (text.count("\n", 0, deep) + 1, deep - (text.rfind("\n", 0, deep) + 1) + 1) if deep else (1, 1)
        raise TomlLoadError(Problem(Location(name, line, col), t("yaml.too_deep", limit=MAX_DEPTH))) from None
    doc = Document(name, data)
    deep_path = None if shallow else _deep_path(data) if _too_deep(data) else None
    if positions or deep_path is not None:
        _TomlPositions(text, doc).scan()
    if deep_path is not None:
        raise TomlLoadError(Problem(doc.locate(deep_path, key=True), t("yaml.too_deep", limit=MAX_DEPTH)))
    return doc


def _deep_bracket(text: str) -> int | None:
    """The offset of the first ``[`` or ``{`` nested deeper than MAX_DEPTH, outside strings and comments.

    Only to locate what made tomllib end in RecursionError (near 500 levels); shallower nesting
    is found in the parsed data.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None  # the common case: too few brackets to nest that deep
    depth, i, n = 0, 0, len(text)
    special = _SPECIAL.search
    while True:
        m = special(text, i)
        if m is None:
            return None
        i = m.start()
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith(('"""', "'''"), i):
            quote = text[i:i + 3]
            end = text.find(quote, i + 3)
            while quote == '"""' and end > 0 and text[end - 1] == "\\":
                end = text.find(quote, end + 1)
            i = n if end < 0 else end + 3
        elif ch == '"':
            end = _BASIC_END.match(text, i + 1)
            i = end.end() if end else n
        elif ch == "'":
            end = text.find("'", i + 1)
            i = n if end < 0 else end + 1
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return i
            i += 1
        else:
            depth = max(0, depth - 1)
            i += 1


_SPECIAL = re.compile(r"[\[\]{}#\"']")
_BASIC_END = re.compile(r'(?:[^"\\\n]|\\.)*(?:"|$)', re.MULTILINE)


def _too_deep(data: Any) -> bool:
    """Whether ``data`` nests deeper than MAX_DEPTH (level by level, over containers only: cheap)."""
    level, depth = [data], 0
    while level:
        if depth > MAX_DEPTH:
            return True
        below: list[Any] = []
        for value in level:
            children = value.values() if isinstance(value, dict) else value
            below.extend(c for c in children if isinstance(c, dict | list))
        level, depth = below, depth + 1
    return False


def _deep_path(data: Any) -> PathKey | None:
    """The key path of a value nested deeper than MAX_DEPTH, if any (walked without recursion)."""
    stack: list[tuple[Any, PathKey]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_DEPTH:
            return path
        if isinstance(value, dict):
            stack.extend((v, (*path, k)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(value))
    return None


def loads(text: str) -> dict[str, Any]:
    """TOML text as data, the same data ``tomllib.loads`` gives, from a compiled parser where one is installed.

    rtoml (Rust) reads a record in a small fraction of tomllib's time; its offsets come as its own
    tzinfo class, replaced here by ``datetime.timezone`` (as tomllib gives them) so that the seal and
    everything else see the same objects. Whatever rtoml refuses goes to tomllib, whose data or
    error (and so every message) is then the one used.

    Raises:
        tomllib.TOMLDecodeError: the text is not TOML.
    """
    return _loads(text)[0]


def _loads(text: str) -> tuple[dict[str, Any], bool]:
    """:func:`loads`, and whether the data is known to nest no deeper than MAX_DEPTH (checked on the way)."""
    if _rtoml is not None:
        try:
            return _tomllib_like(_rtoml.loads(text), 0), True
        except (_rtoml.TomlParsingError, ValueError, TypeError, OverflowError, RecursionError, _TooDeep):
            pass  # tomllib reads it, or gives the error (and so the message) it always gave
    return tomllib.loads(text), False


class _TooDeep(Exception):
    """Nested deeper than MAX_DEPTH: read again by tomllib, whose data the depth check then locates."""


_rtoml: Any
try:  # Why optional: rtoml is a compiled wheel; where none exists for the platform, tomllib reads
    import rtoml as _rtoml
except ImportError:  # pragma: no cover - the platforms tested have the wheel
    _rtoml = None

_ZONES: dict[dt.timedelta, dt.timezone] = {}


def _tomllib_like(value: Any, depth: int) -> Any:
    """Replace, in place, rtoml's tzinfo of every offset datetime by a ``datetime.timezone``.

    Why the depth on the way: one walk over the data instead of a second one for the depth check.

    Raises:
        _TooDeep: a table or array nested deeper than MAX_DEPTH (``depth`` counts from the root, 0).
    """
    kind = type(value)
    if kind is dict:
        if depth > MAX_DEPTH:
            raise _TooDeep
        for key, item in value.items():
            if type(item) in _NESTED:
                value[key] = _tomllib_like(item, depth + 1)
    elif kind is list:
        if depth > MAX_DEPTH:
            raise _TooDeep
        for n, item in enumerate(value):
            if type(item) in _NESTED:
                value[n] = _tomllib_like(item, depth + 1)
    elif value.tzinfo is not None:  # a datetime
        offset = value.utcoffset()
        zone = _ZONES.get(offset)
        if zone is None:
            zone = _ZONES.setdefault(offset, dt.timezone(offset))
        value = value.replace(tzinfo=zone)
    return value


_NESTED = (dict, list, dt.datetime)


# tomllib's messages (the text before " (at line …)"), read in the interface language
_TOML_EXPLAINED = (
    ("Invalid date or datetime", "toml.bad_date"),
    ("Invalid value", "toml.bad_value"),
    ("Expected ']' at the end of a table", "toml.table_header"),
    ("Expected ']]' at the end of an array", "toml.array_header"),
    ("Expected '=' after a key", "toml.equals"),
    ("Expected newline or end of document", "toml.one_per_line"),
    ("Invalid statement", "toml.statement"),
    ("Invalid initial character for a key", "toml.key"),
    ("Cannot overwrite a value", "toml.twice"),
    ("Cannot declare", "toml.twice"),
    ("Cannot redefine namespace", "toml.twice"),
    ("Cannot mutate immutable namespace", "toml.twice"),
    ("Duplicate inline table key", "toml.twice"),
    ("Unclosed array", "toml.array"),
    ("Unclosed inline table", "toml.inline_table"),
    ("Unterminated string", "toml.string"),
    ("Expected '\"'", "toml.string"),
    ("Expected \"'\"", "toml.string"),
    ("Unescaped '\\'", "toml.backslash"),
    ("Invalid hex value", "toml.backslash"),
    ("Escaped character", "toml.backslash"),
    ("Illegal character", "toml.character"),
    ("Found invalid character", "toml.character"),
)


def _syntax_problem(text: str, name: str, message: str) -> Problem:
    """A tomllib error as a located problem naming the key it is in."""
    found = re.search(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$", message)
    what = message[: found.start()] if found else message
    if found and found.group(1):
        line, col = int(found.group(1)), int(found.group(2))
        lines = text.split("\n")
        offset = sum(len(ln) + 1 for ln in lines[: line - 1]) + col - 1
    else:  # at the end of the document
        offset = len(text)
        line = text.count("\n") + 1
        col = offset - (text.rfind("\n") + 1) + 1
    msg_id = next((mid for needle, mid in _TOML_EXPLAINED if what.startswith(needle)), None)
    explained = t(msg_id) if msg_id else what
    path = _path_at(text, offset)
    prefix = f"{pointer(path)}{t('colon')}" if path else ""
    return Problem(Location(name, line, col), f"{prefix}{t('toml.syntax', error=explained)}", pointer(path))


def _path_at(text: str, offset: int) -> PathKey:
    """The key path a syntax error at ``offset`` lies in: scan the text up to it (best effort)."""
    scanner = _TomlPositions(text[:offset], Document("", None))
    try:
        scanner.scan()
    except (IndexError, ValueError, _Broken):
        pass  # the text ends (or breaks) inside the statement the error is in
    return scanner.current


class _Broken(Exception):
    """The scanned text ends inside a construct (only when scanning up to a syntax error)."""


class _TomlPositions:
    """Fill a Document's position maps from valid TOML text (tomllib keeps no positions).

    ``current`` is the key path of the statement being read; scanning text cut at a syntax
    error leaves it naming the key the error is in.
    """

    def __init__(self, text: str, doc: Document) -> None:
        self.s = text
        self.i = 0
        self.doc = doc
        self.aot: dict[PathKey, int] = {}
        self.current: PathKey = ()
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]  # offset of each line

    def _at(self, i: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, i)
        return line, i - self.starts[line - 1] + 1

    def _find(self, what: str, start: int) -> int:
        found = self.s.find(what, start)
        if found < 0:
            raise _Broken
        return found

    def _skip(self, newlines: bool = True) -> None:
        s = self.s
        while self.i < len(s):
            ch = s[self.i]
            if ch in " \t\r" or (newlines and ch == "\n"):
                self.i += 1
            elif ch == "#":
                end = s.find("\n", self.i)
                self.i = len(s) if end < 0 else end
            else:
                return

    def scan(self) -> None:
        table: PathKey = ()
        s = self.s
        while True:
            self._skip()
            if self.i >= len(s):
                return
            self.current = ()
            start = self.i
            if s.startswith("[[", self.i):
                self.i += 2
                parts = self._key()
                base = (*self._resolve(parts[:-1]), parts[-1])
                self.aot[base] = self.aot.get(base, -1) + 1
                table = (*base, self.aot[base])
                self.current = table
                self.doc.keys.setdefault(base, self._at(start))
                self.doc.values[table] = self._at(start)
                self.i = self._find("]]", self.i) + 2
            elif s[self.i] == "[":
                self.i += 1
                table = self._resolve(self._key())
                self.current = table
                self.doc.keys[table] = self.doc.values[table] = self._at(start)
                self.i = self._find("]", self.i) + 1
            else:
                path = (*table, *self._key())
                self.current = path
                self.doc.keys[path] = self._at(start)
                self._skip(False)
                self.i += 1  # "="
                self._skip(False)
                self._value(path)
            if self.i < len(s):
                self.current = ()  # the statement ended before the text did

    def _resolve(self, parts: list[str]) -> PathKey:
        path: PathKey = ()
        for part in parts:
            path = (*path, part)
            if path in self.aot:
                path = (*path, self.aot[path])
        return path

    def _key(self) -> list[str]:
        parts: list[str] = []
        s = self.s
        while True:
            self._skip(False)
            ch = s[self.i]
            if ch == '"':
                end = self._string_end(self.i, '"')
                parts.append(tomllib.loads(f"k = {s[self.i:end]}")["k"])
                self.i = end
            elif ch == "'":
                end = s.index("'", self.i + 1) + 1
                parts.append(s[self.i + 1:end - 1])
                self.i = end
            else:
                m = re.compile(r"[A-Za-z0-9_-]+").match(s, self.i)
                parts.append(m.group(0) if m else "")
                self.i = m.end() if m else self.i + 1
            self._skip(False)
            if self.i < len(s) and s[self.i] == ".":
                self.i += 1
                continue
            return parts

    def _string_end(self, i: int, quote: str) -> int:
        j = i + 1
        while j < len(self.s) and self.s[j] != quote:
            j += 2 if self.s[j] == "\\" else 1
        return j + 1

    def _value(self, path: PathKey) -> None:
        s = self.s
        self.doc.values[path] = self._at(self.i)
        ch = s[self.i]
        if ch == "{":
            self.i += 1
            while True:
                self._skip()
                if s[self.i] == "}":
                    self.i += 1
                    return
                start = self.i
                self.current = path
                sub = (*path, *self._key())
                self.current = sub
                self.doc.keys[sub] = self._at(start)
                self._skip(False)
                self.i += 1
                self._skip(False)
                self._value(sub)
                if self.i <= len(s):  # the value ended (an unclosed string runs past the end)
                    self.current = path
                self._skip()
                if s[self.i] == ",":
                    self.i += 1
        elif ch == "[":
            self.i += 1
            index = 0
            while True:
                self._skip()
                if s[self.i] == "]":
                    self.i += 1
                    return
                self.current = (*path, index)
                self._value((*path, index))
                if self.i <= len(s):
                    self.current = path
                index += 1
                self._skip()
                if s[self.i] == ",":
                    self.i += 1
        elif s.startswith('"""', self.i) or s.startswith("'''", self.i):
            quote = s[self.i:self.i + 3]
            end = self._find(quote, self.i + 3)
            while quote == '"""' and s[end - 1] == "\\":
                end = self._find(quote, end + 1)
            self.i = end + 3
            while self.i < len(s) and s[self.i] == quote[0]:
                self.i += 1
        elif ch == '"':
            self.i = self._string_end(self.i, '"')
        elif ch == "'":
            self.i = s.index("'", self.i + 1) + 1
        else:
            m = re.compile(r"[^,\]}\n#]*").match(s, self.i)
            if m is None or m.end() == self.i:
                raise _Broken  # valid TOML has no empty value
            self.i = m.end()


# --- checking and building ----------------------------------------------------------------
