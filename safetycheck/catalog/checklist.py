"""Load and validate checklists, profiles and the source registry, with located errors."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from safetycheck.catalog import models
from safetycheck.catalog.validation import check
from safetycheck.catalog.yamlsource import Document, PathKey, YamlLoadError, load_yaml, pointer
from safetycheck.errors import ChecklistError, Location, Problem
from safetycheck.messages import t
from safetycheck.text import has_bidi_control, visible


def norm(text: str) -> str:
    """Normalise a name or clause for comparison (full-width and half-width are the same)."""
    return unicodedata.normalize("NFKC", text).strip()


@dataclass
class Registry:
    """Documents, laws and requirements that citations may name."""

    documents: dict[str, models.Document] = field(default_factory=dict)
    laws: dict[str, models.Law] = field(default_factory=dict)
    requirements: dict[str, models.Requirement] = field(default_factory=dict)
    clauses: dict[str, set[str]] = field(default_factory=dict)  # doc -> clauses in the index
    origins: dict[str, Location] = field(default_factory=dict)

    def add(self, source: models.SourceFile, doc: Document | None, problems: list[Problem]) -> None:
        """Merge one sources file, reporting names registered twice (when ``doc`` is given)."""
        for i, d in enumerate(source.documents):
            self._put(self.documents, d.doc, d, doc, ("documents", i, "doc"), problems)
            for alias in d.aliases:
                self.documents.setdefault(norm(alias), d)
        for i, law in enumerate(source.laws):
            self._put(self.laws, law.law, law, doc, ("laws", i, "law"), problems)
            for alias in law.aliases:
                self.laws.setdefault(norm(alias), law)
        for i, req in enumerate(source.requirements):
            key_path: PathKey = ("requirements", i, "id")
            if req.id in self.requirements:
                if doc is not None:
                    problems.append(Problem(doc.locate(key_path), t("check.duplicate_id", id=req.id)))
                continue
            self.requirements[req.id] = req
            self.clauses.setdefault(norm(req.doc), set()).add(norm(req.clause))

    def _put(self, table: dict[str, Any], name: str, value: Any, doc: Document | None, key_path: PathKey,
             problems: list[Problem]) -> None:
        key = norm(name)
        if key in table:
            if doc is not None:
                where = self.origins.get(key, "")
                problems.append(Problem(doc.locate(key_path), t("registry.duplicate", name=name, where=where)))
            return
        table[key] = value
        if doc is not None:
            self.origins[key] = doc.locate(key_path)

    def major_industries(self, item: models.Item) -> list[str] | None:
        """The industries whose units ``item``'s major-hazard flag applies to; None = any unit.

        Why the union: an item may cite standards of several industries (工贸 and 化工); the flag
        applies wherever one of them does. A cited standard without ``industries`` leaves the
        flag unscoped.
        """
        if not item.major_possible:
            return None
        scope: list[str] = []
        for cite in item.basis:
            document = self.documents.get(norm(cite.doc)) if cite.doc else None
            if document is None or document.kind != "standard":
                continue
            if not document.industries:
                return None
            scope.extend(i for i in document.industries if i not in scope)
        return scope or None

    def check_requirements(self, doc: Document, source: models.SourceFile, problems: list[Problem]) -> None:
        """Every requirement must belong to a registered document; standards name known industries."""
        for i, document in enumerate(source.documents):
            for j, value in enumerate(document.industries):
                if value not in models.INDUSTRIES:
                    problems.append(Problem(doc.locate(("documents", i, "industries", j)), t(
                        "when.bad_value", key="industries", value=value, choices="、".join(models.INDUSTRIES))))
        for i, req in enumerate(source.requirements):
            if norm(req.doc) not in self.documents:
                problems.append(Problem(doc.locate(("requirements", i, "doc")), t("cite.unknown_doc", doc=req.doc)))
            if req.checkable is False and not req.reason:
                problems.append(Problem(doc.locate(("requirements", i)), t("registry.reason_needed")))


@dataclass
class Loaded:
    """A checklist or profile as loaded from its file (or from the catalog cache)."""

    kind: str  # "checklist" or "profile"
    decoded: models.Checklist | models.Profile | None
    path: Path
    sha256: str
    origin: str  # "builtin" or the folder it came from
    document: Document | None = None  # positions; absent when loaded from the catalog cache
    raw: bytes | None = None  # msgpack from the cache, decoded on first use
    header: tuple[str, str, list[str]] | None = None  # id, title, aliases without decoding

    @property
    def model(self) -> models.Checklist | models.Profile:
        """The typed checklist or profile.

        Why lazy: a command usually needs one checklist of the catalog; decoding only that one
        keeps start-up short.
        """
        if self.decoded is None:
            assert self.raw is not None
            if self.kind == "checklist":
                self.decoded = msgspec.msgpack.decode(self.raw, type=models.Checklist)
            else:
                self.decoded = msgspec.msgpack.decode(self.raw, type=models.Profile)
        return self.decoded

    @property
    def id(self) -> str:
        """The checklist or profile id."""
        return self.header[0] if self.header else self.model.id

    @property
    def title(self) -> str:
        """The title."""
        return self.header[1] if self.header else self.model.title

    @property
    def aliases(self) -> list[str]:
        """The aliases."""
        return self.header[2] if self.header else list(self.model.aliases)


def _decode(model: type[Any], doc: Document, problems: list[Problem]) -> Any:
    """Decode ``doc.data`` as ``model``; on failure, report every problem, not just the first.

    Why two passes: msgspec's decoder is fast but stops at the first error, so the slower
    walk over the model's type information runs only for files that are invalid.
    """
    try:
        return msgspec.convert(doc.data, model)
    except msgspec.ValidationError:
        pass
    found: list[Problem] = []

    def report(key_path: PathKey, message: str, at_key: bool) -> None:
        text = f"{pointer(key_path)}: {message}" if key_path else message
        found.append(Problem(doc.locate(key_path, key=at_key), text, pointer(key_path)))

    check(model, doc.data, report)
    if not found:  # pragma: no cover - the walk mirrors msgspec's rules
        found.append(Problem(doc.locate(()), t("check.type", expected=t("type.map"), got=t("type.value"))))
    problems.extend(found)
    return None


def read_document(path: Path, display: str | None = None) -> Document:
    """Parse a YAML file, turning load failures into a ChecklistError."""
    try:
        return load_yaml(path, display)
    except YamlLoadError as exc:
        raise ChecklistError([exc.problem]) from None


def load_sources(path: Path, registry: Registry, display: str | None = None,
                 loaded: list[models.SourceFile] | None = None) -> list[Problem]:
    """Load one ``sources/*.yaml`` file into ``registry``; return its problems.

    The decoded file is appended to ``loaded`` when given (the catalog cache keeps it).
    """
    try:
        doc = load_yaml(path, display)
    except YamlLoadError as exc:
        return [exc.problem]
    problems = list(doc.problems)
    source = _decode(models.SourceFile, doc, problems)
    if source is not None:
        registry.add(source, doc, problems)
        registry.check_requirements(doc, source, problems)
        if loaded is not None:
            loaded.append(source)
    return _merge(problems, doc.notes)


def _merge(problems: list[Problem], notes: list[Problem]) -> list[Problem]:
    """Add the loader's notes (unquoted yes/no) where no other problem stands at that place."""
    taken = {p.location for p in problems}
    return problems + [n for n in notes if n.location not in taken]


def load_checklist(path: Path, registry: Registry, origin: str = "builtin", display: str | None = None) -> Loaded:
    """Load and validate a checklist file.

    Args:
        path: the YAML file.
        registry: documents and laws that citations may name.
        origin: where the file comes from, for ``list``.
        display: how to name the file in messages.

    Returns:
        The checklist with its path and SHA-256.

    Raises:
        ChecklistError: with every problem found in the file.
    """
    doc = read_document(path, display)
    problems = list(doc.problems)
    checklist = _decode(models.Checklist, doc, problems)
    _check_checklist(doc.data, doc, registry, problems)
    problems = _merge(problems, doc.notes)
    if problems:
        raise ChecklistError(problems, doc)
    return Loaded("checklist", checklist, path, _sha256(path), origin, doc)


def load_profile(path: Path, origin: str = "builtin", display: str | None = None) -> Loaded:
    """Load a profile file; references to checklists are checked by the catalog."""
    doc = read_document(path, display)
    problems = list(doc.problems)
    profile = _decode(models.Profile, doc, problems)
    _check_names(_as_dict(doc.data), doc, problems)
    problems = _merge(problems, doc.notes)
    for i, value in enumerate(_as_list(_as_dict(doc.data).get("industry"))):
        if isinstance(value, str) and value not in models.INDUSTRIES:
            problems.append(_at(doc, ("industry", i), t("when.bad_value", key="industry", value=value,
                                                         choices="、".join(models.INDUSTRIES))))
    if problems:
        raise ChecklistError(problems, doc)
    return Loaded("profile", profile, path, _sha256(path), origin, doc)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _at(doc: Document, key_path: PathKey, message: str) -> Problem:
    """A problem at ``key_path``, its message led by the path (``sections[0].items[1].id: …``)."""
    return Problem(doc.locate(key_path), f"{pointer(key_path)}: {message}", pointer(key_path))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _check_checklist(data: Any, doc: Document, registry: Registry, problems: list[Problem]) -> None:
    """Rules across fields: unique ids and texts, citations, conditions.

    Why raw data: these checks run even when some field has the wrong type, so that one run
    reports every problem in the file.
    """
    root = _as_dict(data)
    _check_names(root, doc, problems)
    own_docs = {norm(s["doc"]) for s in _as_list(root.get("sources")) if isinstance(_as_dict(s).get("doc"), str)}
    seen_sections: set[str] = set()
    seen_items: set[str] = set()
    seen_texts: dict[str, str] = {}
    for si, section in enumerate(_as_list(root.get("sections"))):
        sp: PathKey = ("sections", si)
        section = _as_dict(section)
        _check_names(section, doc, problems, sp)
        sid = section.get("id")
        if isinstance(sid, str):
            if sid in seen_sections:
                problems.append(_at(doc, (*sp, "id"), t("check.duplicate_id", id=sid)))
            seen_sections.add(sid)
        for ii, item in enumerate(_as_list(section.get("items"))):
            ip: PathKey = (*sp, "items", ii)
            item = _as_dict(item)
            iid = item.get("id")
            if isinstance(iid, str):
                if iid in seen_items:
                    problems.append(_at(doc, (*ip, "id"), t("check.duplicate_id", id=iid)))
                seen_items.add(iid)
            text = item.get("text")
            if isinstance(text, str) and text.strip():
                key = norm(text)
                if key in seen_texts:
                    problems.append(_at(doc, (*ip, "text"), t("check.duplicate_text", id=seen_texts[key])))
                seen_texts.setdefault(key, str(iid))
            if item.get("verified") is False and not item.get("note"):
                problems.append(_at(doc, (*ip, "verified"), t("check.note_needed", id=iid)))
            for field_name in ("basis", "penalty"):
                for ci, cite in enumerate(_as_list(item.get(field_name))):
                    if isinstance(cite, dict):
                        _check_citation(cite, (*ip, field_name, ci), doc, registry, own_docs, problems)
            when = item.get("when")
            if isinstance(when, dict):
                _check_when(when, (*ip, "when"), doc, problems)
            same_as = item.get("same_as")
            if isinstance(same_as, str) and same_as.count("/") != 1:
                problems.append(_at(doc, (*ip, "same_as"), t("check.same_as_format", value=same_as)))
            elif isinstance(same_as, str) and same_as == f"{root.get('id')}/{iid}":
                problems.append(_at(doc, (*ip, "same_as"), t("check.same_as_self", value=same_as)))


def _check_names(node: dict[str, Any], doc: Document, problems: list[Problem], key_path: PathKey = ()) -> None:
    """Ids and aliases name things people type and compare: no bidi override may reorder them on screen."""
    values = [("id", node.get("id"))] + [(("aliases", i), a) for i, a in enumerate(_as_list(node.get("aliases")))]
    for sub, value in values:
        if isinstance(value, str) and has_bidi_control(value):
            where = (*key_path, *((sub,) if isinstance(sub, str) else sub))
            problems.append(_at(doc, where, t("check.bidi", value=visible(value))))


def _check_citation(cite: dict[str, Any], key_path: PathKey, doc: Document, registry: Registry,
                    own_docs: set[str], problems: list[Problem]) -> None:
    def bad(message: str, sub: str | None = None) -> None:
        where = (*key_path, sub) if sub else key_path
        problems.append(Problem(doc.locate(where), f"{pointer(where)}: {message}", pointer(where)))

    doc_name, law_name = cite.get("doc"), cite.get("law")
    clause, req_id, article = cite.get("clause"), cite.get("req"), cite.get("article")
    if (doc_name is None) == (law_name is None):
        bad(t("cite.shape"))
        return
    if isinstance(doc_name, str):
        if article is not None:
            bad(t("cite.doc_article"), "article")
        if not clause:
            bad(t("check.missing", key="clause"))
        key = norm(doc_name)
        if key not in registry.documents and key not in own_docs:
            bad(t("cite.unknown_doc", doc=doc_name) + _near(doc_name, registry.documents), "doc")
            return
        known = registry.clauses.get(key)
        if isinstance(clause, str) and known is not None and norm(clause) not in known:
            bad(t("cite.unknown_clause", doc=doc_name, clause=clause), "clause")
        if isinstance(req_id, str):
            req = registry.requirements.get(req_id)
            if req is None:
                bad(t("cite.unknown_req", req=req_id), "req")
            elif norm(req.doc) != key or (isinstance(clause, str) and norm(req.clause) != norm(clause)):
                bad(t("cite.req_mismatch", req=req_id, doc=req.doc, clause=req.clause), "req")
        return
    if not isinstance(law_name, str):
        return
    if clause is not None or req_id is not None:
        bad(t("cite.law_clause"))
    law = registry.laws.get(norm(law_name))
    if law is None:
        bad(t("cite.unknown_law", law=law_name) + _near(law_name, registry.laws), "law")
        return
    if article is None:
        bad(t("check.missing", key="article"))
    elif isinstance(article, int) and not isinstance(article, bool) and article > law.articles:
        bad(t("cite.no_article", law=law.law, article=article, count=law.articles), "article")


def _near(name: str, table: Iterable[str]) -> str:
    import difflib

    near = difflib.get_close_matches(norm(name), list(table), n=1, cutoff=0.5)
    return t("check.did_you_mean", name=near[0]) if near else ""


def _check_when(when: dict[str, Any], key_path: PathKey, doc: Document, problems: list[Problem]) -> None:
    if not when:
        problems.append(Problem(doc.locate(key_path), f"{pointer(key_path)}: {t('when.empty')}"))
    for key, values in when.items():
        kp = (*key_path, key)
        if key not in models.WHEN_KEYS:
            problems.append(Problem(doc.locate(kp, key=True), f"{pointer(kp)}: " + t(
                "when.bad_key", key=key, keys="、".join(models.WHEN_KEYS))))
            continue
        if not values:
            problems.append(Problem(doc.locate(kp), f"{pointer(kp)}: {t('when.empty')}"))
        allowed = models.WHEN_KEYS[key]
        for vi, value in enumerate(_as_list(values)):
            if allowed is not None and value not in allowed:
                problems.append(Problem(doc.locate((*kp, vi)), f"{pointer((*kp, vi))}: " + t(
                    "when.bad_value", key=key, value=value, choices="、".join(allowed))))
