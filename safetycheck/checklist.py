"""Load and validate checklists, profiles and the source registry, with located errors."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from safetycheck import models
from safetycheck.errors import ChecklistError, Location, Problem
from safetycheck.messages import t
from safetycheck.validation import check
from safetycheck.yamlsource import Document, PathKey, YamlLoadError, load_yaml, pointer


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

    def add(self, source: models.SourceFile, doc: Document, problems: list[Problem]) -> None:
        """Merge one sources file, reporting names registered twice."""
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
                problems.append(Problem(doc.locate(key_path), t("check.duplicate_id", id=req.id)))
                continue
            self.requirements[req.id] = req
            self.clauses.setdefault(norm(req.doc), set()).add(norm(req.clause))

    def _put(self, table: dict[str, Any], name: str, value: Any, doc: Document, key_path: PathKey,
             problems: list[Problem]) -> None:
        key = norm(name)
        if key in table:
            problems.append(Problem(doc.locate(key_path), t("registry.duplicate", name=name, where=self.origins[key])))
            return
        table[key] = value
        self.origins[key] = doc.locate(key_path)

    def check_requirements(self, doc: Document, source: models.SourceFile, problems: list[Problem]) -> None:
        """Every requirement must belong to a registered document."""
        for i, req in enumerate(source.requirements):
            if norm(req.doc) not in self.documents:
                problems.append(Problem(doc.locate(("requirements", i, "doc")), t("cite.unknown_doc", doc=req.doc)))
            if req.checkable is False and not req.reason:
                problems.append(Problem(doc.locate(("requirements", i)), t("registry.reason_needed")))


@dataclass
class Loaded:
    """A checklist or profile as loaded from its file."""

    kind: str  # "checklist" or "profile"
    model: models.Checklist | models.Profile
    path: Path
    sha256: str
    origin: str  # "builtin" or the folder it came from
    document: Document

    @property
    def id(self) -> str:
        """The checklist or profile id."""
        return self.model.id


def _decode(model: type[Any], doc: Document, problems: list[Problem]) -> Any:
    """Check ``doc.data`` against ``model``; return the typed value, or None when invalid."""
    found: list[Problem] = []

    def report(key_path: PathKey, message: str, at_key: bool) -> None:
        found.append(Problem(doc.locate(key_path, key=at_key), f"{pointer(key_path) or '.'}: {message}"
                             if key_path else message, pointer(key_path)))

    check(model, doc.data, report)
    problems.extend(found)
    if found:
        return None
    try:
        return msgspec.convert(doc.data, model)
    except msgspec.ValidationError as exc:  # pragma: no cover - the walk should catch all
        problems.append(Problem(doc.locate(()), str(exc)))
        return None


def read_document(path: Path, display: str | None = None) -> Document:
    """Parse a YAML file, turning load failures into a ChecklistError."""
    try:
        return load_yaml(path, display)
    except YamlLoadError as exc:
        raise ChecklistError([exc.problem]) from None


def load_sources(path: Path, registry: Registry, display: str | None = None) -> list[Problem]:
    """Load one ``sources/*.yaml`` file into ``registry``; return its problems."""
    try:
        doc = load_yaml(path, display)
    except YamlLoadError as exc:
        return [exc.problem]
    problems = list(doc.problems)
    source = _decode(models.SourceFile, doc, problems)
    if source is not None:
        registry.add(source, doc, problems)
        registry.check_requirements(doc, source, problems)
    return problems


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
    if checklist is not None:
        _check_checklist(checklist, doc, registry, problems)
    if problems:
        raise ChecklistError(problems)
    return Loaded("checklist", checklist, path, _sha256(path), origin, doc)


def load_profile(path: Path, origin: str = "builtin", display: str | None = None) -> Loaded:
    """Load a profile file; references to checklists are checked by the catalog."""
    doc = read_document(path, display)
    problems = list(doc.problems)
    profile = _decode(models.Profile, doc, problems)
    if profile is not None:
        for i, value in enumerate(profile.industry):
            if value not in models.INDUSTRIES:
                problems.append(Problem(doc.locate(("industry", i)), t("when.bad_value", key="industry", value=value,
                                                                           choices="、".join(models.INDUSTRIES))))
    if problems:
        raise ChecklistError(problems)
    return Loaded("profile", profile, path, _sha256(path), origin, doc)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check_checklist(cl: models.Checklist, doc: Document, registry: Registry, problems: list[Problem]) -> None:
    own_docs = {norm(s.doc) for s in cl.sources}
    seen_sections: dict[str, PathKey] = {}
    seen_items: dict[str, PathKey] = {}
    seen_texts: dict[str, str] = {}
    for si, section in enumerate(cl.sections):
        sp: PathKey = ("sections", si)
        if section.id in seen_sections:
            problems.append(Problem(doc.locate((*sp, "id")), t("check.duplicate_id", id=section.id)))
        seen_sections.setdefault(section.id, sp)
        for ii, item in enumerate(section.items):
            ip: PathKey = (*sp, "items", ii)
            if item.id in seen_items:
                problems.append(Problem(doc.locate((*ip, "id")), t("check.duplicate_id", id=item.id)))
            seen_items.setdefault(item.id, ip)
            text_key = norm(item.text)
            if text_key in seen_texts:
                problems.append(Problem(doc.locate((*ip, "text")), t("check.duplicate_text", id=seen_texts[text_key])))
            seen_texts.setdefault(text_key, item.id)
            if item.verified is False and not item.note:
                problems.append(Problem(doc.locate(ip), t("check.note_needed", id=item.id)))
            for field_name in ("basis", "penalty"):
                for ci, cite in enumerate(getattr(item, field_name)):
                    _check_citation(cite, (*ip, field_name, ci), doc, registry, own_docs, problems)
            if item.when is not None:
                _check_when(item.when, (*ip, "when"), doc, problems)
            if item.same_as is not None and item.same_as.count("/") != 1:
                problems.append(Problem(doc.locate((*ip, "same_as")), t("check.same_as_format", value=item.same_as)))


def _check_citation(cite: models.Citation, key_path: PathKey, doc: Document, registry: Registry,
                    own_docs: set[str], problems: list[Problem]) -> None:
    def bad(message: str, sub: str | None = None) -> None:
        where = (*key_path, sub) if sub else key_path
        problems.append(Problem(doc.locate(where), f"{pointer(where)}: {message}", pointer(where)))

    if (cite.doc is None) == (cite.law is None):
        bad(t("cite.shape"))
        return
    if cite.doc is not None:
        if cite.article is not None:
            bad(t("cite.doc_article"), "article")
        if not cite.clause:
            bad(t("check.missing", key="clause"))
        key = norm(cite.doc)
        if key not in registry.documents and key not in own_docs:
            near = _near(cite.doc, registry.documents)
            bad(t("cite.unknown_doc", doc=cite.doc) + near, "doc")
            return
        known = registry.clauses.get(key)
        if cite.clause and known is not None and norm(cite.clause) not in known:
            bad(t("cite.unknown_clause", doc=cite.doc, clause=cite.clause), "clause")
        if cite.req is not None:
            req = registry.requirements.get(cite.req)
            if req is None:
                bad(t("cite.unknown_req", req=cite.req), "req")
            elif norm(req.doc) != key or (cite.clause and norm(req.clause) != norm(cite.clause)):
                bad(t("cite.req_mismatch", req=cite.req, doc=req.doc, clause=req.clause), "req")
        return
    if cite.clause is not None or cite.req is not None:
        bad(t("cite.law_clause"))
    law = registry.laws.get(norm(cite.law or ""))
    if law is None:
        bad(t("cite.unknown_law", law=cite.law) + _near(cite.law or "", registry.laws), "law")
        return
    if cite.article is None:
        bad(t("check.missing", key="article"))
    elif cite.article > law.articles:
        bad(t("cite.no_article", law=law.law, article=cite.article, count=law.articles), "article")


def _near(name: str, table: Iterable[str]) -> str:
    import difflib

    near = difflib.get_close_matches(norm(name), list(table), n=1, cutoff=0.5)
    return t("check.did_you_mean", name=near[0]) if near else ""


def _check_when(when: dict[str, list[str]], key_path: PathKey, doc: Document, problems: list[Problem]) -> None:
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
        for vi, value in enumerate(values):
            if allowed is not None and value not in allowed:
                problems.append(Problem(doc.locate((*kp, vi)), f"{pointer((*kp, vi))}: " + t(
                    "when.bad_value", key=key, value=value, choices="、".join(allowed))))
