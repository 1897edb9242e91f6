"""The catalog: built-in and user checklists, profiles and sources, and name look-up."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from safetycheck.catalog import models
from safetycheck.catalog.checklist import Loaded, Registry, load_checklist, load_profile, load_sources, norm
from safetycheck.catalog.yamlsource import Document, PathKey
from safetycheck.errors import ChecklistError, Location, Problem, UsageError
from safetycheck.inputfiles import is_link_loop, real_path
from safetycheck.messages import t
from safetycheck.resources import builtin_checklists


@dataclass(frozen=True)
class Folder:
    """A checklist folder and how it was named (for ``list``)."""

    path: Path
    origin: str  # "--checklists", "SAFETYCHECK_PATH", "./checklists" or "builtin"


def search_folders(extra: Iterable[Path] = (), env: Mapping[str, str] | None = None,
                   cwd: Path | None = None) -> list[Folder]:
    """Checklist folders in precedence order: options, SAFETYCHECK_PATH, ./checklists, builtin."""
    env = os.environ if env is None else env
    cwd = Path.cwd() if cwd is None else cwd
    folders: list[Folder] = [Folder(Path(p), "--checklists") for p in extra]
    for part in env.get("SAFETYCHECK_PATH", "").split(os.pathsep):
        if part.strip():
            folders.append(Folder(Path(part), "SAFETYCHECK_PATH"))
    local = cwd / "checklists"
    builtin = builtin_checklists()
    if local.is_dir() and real_path(local) != real_path(builtin):
        folders.append(Folder(local, "./checklists"))
    folders.append(Folder(builtin, "builtin"))
    unique: list[Folder] = []
    seen: set[Path] = set()
    for folder in folders:
        key = real_path(folder.path)
        if key not in seen:
            seen.add(key)
            unique.append(folder)
    return unique


def _yaml_files(folder: Path, loops: list[Path]) -> list[Path]:
    """The YAML files of a folder; symbolic-link loops (the folder or a file) go to ``loops``, skipped."""
    if not folder.is_dir():
        if is_link_loop(folder):
            loops.append(folder)
        return []
    found: list[Path] = []
    for p in folder.iterdir():
        if p.suffix in (".yaml", ".yml"):
            if p.is_file():
                found.append(p)
            elif is_link_loop(p):
                loops.append(p)
    return sorted(found)


def display_path(path: Path) -> str:
    """A path as messages show it: relative to the working folder when inside it."""
    try:
        return str(real_path(path).relative_to(real_path(Path.cwd())))
    except ValueError:
        return str(path)


class UnknownNameError(UsageError):
    """No checklist or profile has this name; the message lists the candidates one per line."""

    def __init__(self, name: str, candidates: list[Loaded]) -> None:
        # One candidate per line, so the terminal never cuts an id in two.
        width = max((len(e.id) for e in candidates), default=0)
        lines = "\n".join(f"  {e.id:<{width}}  {e.title}" for e in candidates)
        super().__init__(t("catalog.unknown", name=name, candidates=lines))
        self.inline = t("catalog.unknown_inline", name=name, candidates=_names(candidates))


@dataclass
class Catalog:
    """Everything the search folders hold, with the first definition of each id winning."""

    folders: list[Folder]
    _registry: Registry | None = None
    _raw_sources: bytes | None = None  # from the cache: decoded when the registry is first used
    entries: dict[str, Loaded] = field(default_factory=dict)
    shadowed: list[Loaded] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    failed: list[tuple[str, Document]] = field(default_factory=list)  # files that parsed but are invalid

    @property
    def registry(self) -> Registry:
        """Documents, laws and requirements that citations may name."""
        if self._registry is None:
            self._registry = Registry()
            if self._raw_sources is not None:
                for source in msgspec.msgpack.decode(self._raw_sources, type=list[models.SourceFile]):
                    self._registry.add(source, None, [])
        return self._registry

    def checklists(self) -> list[Loaded]:
        """Checklists, then profiles, in id order."""
        return sorted(self.entries.values(), key=lambda e: (e.kind != "checklist", e.id))

    def resolve(self, name: str) -> Loaded:
        """Find a checklist or profile by id, alias, title or unique id prefix.

        Raises:
            UsageError: unknown or ambiguous name, listing candidates.
        """
        entries = self.checklists()
        key = norm(name)
        for match in (
            lambda e: e.id == key,
            lambda e: key in (norm(a) for a in e.aliases),
            lambda e: norm(e.title) == key,
        ):
            found = [e for e in entries if match(e)]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise UsageError(t("catalog.ambiguous", name=name, candidates=_names(found)))
        found = [e for e in entries if e.id.startswith(key.lower())] if key else []
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise UsageError(t("catalog.ambiguous", name=name, candidates=_names(found)))
        import difflib

        pool = {e.id: e for e in entries}
        for e in entries:
            pool.update({norm(a): e for a in e.aliases})
        near = difflib.get_close_matches(key, list(pool), n=5, cutoff=0.3)
        shown = list({id(pool[n]): pool[n] for n in near}.values()) if near else entries
        # One candidate per line, so the terminal never cuts an id in two.
        raise UnknownNameError(name, shown)

    def expand(self, entry: Loaded, *, check: bool = True) -> list[tuple[Loaded, set[str]]]:
        """The checklists a name stands for, each with the item ids a profile excludes.

        Args:
            entry: a checklist or profile.
            check: refuse a profile that ``validate`` refuses (the same check); off for ``list``,
                which shows every profile.

        Raises:
            ChecklistError: the profile excludes an item it does not hold, or every item of a checklist.
            UsageError: a checklist it names is unknown or is itself a profile.
        """
        if entry.kind == "checklist":
            return [(entry, set())]
        profile = entry.model
        assert isinstance(profile, models.Profile)
        if check:
            findings = self._profile_findings({"checklists": profile.checklists, "exclude": profile.exclude})
            if findings:
                doc = entry.document
                if doc is None:  # loaded from the cache: read the file again, only to locate the problems
                    from safetycheck.catalog.checklist import read_document

                    doc = read_document(entry.path, display_path(entry.path))
                raise ChecklistError([Problem(doc.locate(path), message) for path, message in findings])
        result: list[tuple[Loaded, set[str]]] = []
        for name in profile.checklists:
            target = self.resolve(name)
            if target.kind != "checklist":
                raise UsageError(t("profile.nested", name=name))
            excluded = {x.split("/", 1)[1] for x in profile.exclude if x.split("/", 1)[0] == target.id}
            result.append((target, excluded))
        return result

    def check_references(self) -> None:
        """Check profile references and ``same_as`` links across the catalog."""
        for entry in self.entries.values():
            assert entry.document is not None
            self.problems.extend(self.reference_problems(entry.kind, entry.document))

    def reference_problems(self, kind: str, doc: Document) -> list[Problem]:
        """Problems of one file's links to other files (profile contents, ``same_as``).

        Why raw data: the links are checked even in a file that has other problems, so that one
        run reports everything.
        """
        data = doc.data if isinstance(doc.data, dict) else {}
        if kind == "profile":
            return self._profile_problems(data, doc)
        found: list[Problem] = []
        sections = data.get("sections")
        for si, section in enumerate(sections if isinstance(sections, list) else []):
            items = section.get("items") if isinstance(section, dict) else None
            for ii, item in enumerate(items if isinstance(items, list) else []):
                ref = item.get("same_as") if isinstance(item, dict) else None
                itself = isinstance(item, dict) and ref == f"{data.get('id')}/{item.get('id')}"  # reported on load
                if isinstance(ref, str) and ref.count("/") == 1 and not itself and not self._has_item(*ref.split("/")):
                    found.append(Problem(doc.locate(("sections", si, "items", ii, "same_as")),
                                         t("check.same_as_unknown", value=ref)))
        return found

    def _has_item(self, checklist_id: str, item_id: str) -> bool:
        entry = self.entries.get(checklist_id)
        return entry is not None and isinstance(entry.model, models.Checklist) and any(
            it.id == item_id for sec in entry.model.sections for it in sec.items)

    def _profile_problems(self, data: dict[str, Any], doc: Document) -> list[Problem]:
        return [Problem(doc.locate(path), message) for path, message in self._profile_findings(data)]

    def _profile_findings(self, data: dict[str, Any]) -> list[tuple[PathKey, str]]:
        """What is wrong with a profile's contents: the one check ``validate`` and ``run`` share.

        Why one: ``run`` accepted a profile that ``validate`` refused (an exclude of an unknown
        item), and ``validate`` a profile that excluded every item of a checklist.
        """
        found: list[tuple[PathKey, str]] = []
        ids: dict[str, int] = {}  # checklist id -> its place in ``checklists``
        names = data.get("checklists")
        for i, name in enumerate(names if isinstance(names, list) else []):
            if not isinstance(name, str):
                continue
            try:
                target = self.resolve(name)
            except UsageError as exc:
                message = exc.inline if isinstance(exc, UnknownNameError) else exc.message  # one line per problem
                found.append((("checklists", i), f"checklists[{i}]: {message}"))
                continue
            if target.kind != "checklist":
                found.append((("checklists", i), t("profile.nested", name=name)))
                continue
            ids.setdefault(target.id, i)
        excluded: dict[str, set[str]] = {}
        excludes = data.get("exclude")
        for i, ref in enumerate(excludes if isinstance(excludes, list) else []):
            if not isinstance(ref, str):
                continue
            cl_id, _, item_id = ref.partition("/")
            if not (cl_id in ids and self._has_item(cl_id, item_id)):
                found.append((("exclude", i), t("profile.bad_exclude", value=ref)))
            else:
                excluded.setdefault(cl_id, set()).add(item_id)
        for cl_id, i in ids.items():
            model = self.entries[cl_id].model
            assert isinstance(model, models.Checklist)
            items = {it.id for sec in model.sections for it in sec.items}
            if items <= excluded.get(cl_id, set()):
                found.append((("checklists", i), t("profile.excludes_all", id=cl_id)))
        return found


def _names(entries: list[Loaded]) -> str:
    return "；".join(f"{e.id}（{e.title}）" for e in entries)


def open_catalog(extra: Iterable[Path] = (), env: Mapping[str, str] | None = None, *,
                 strict: bool = False) -> Catalog:
    """Load every search folder.

    Args:
        extra: folders given with ``--checklists``.
        env: environment (for ``SAFETYCHECK_PATH``).
        strict: also check references between files, and never use the cache (for ``validate``).

    Returns:
        The catalog; files that failed to load are in ``problems``, not in ``entries``.
    """
    from safetycheck.catalog import cache
    from safetycheck.messages import get_lang

    folders = search_folders(extra, env)
    use_cache = not strict and cache.is_enabled()
    key = cache.fingerprint([(f.path, f.origin) for f in folders], get_lang()) if use_cache else ""
    if use_cache:
        cached = cache.read(key)
        if cached is not None:
            return _from_cache(folders, cached)
    catalog, sources = _load(folders)
    if strict:
        catalog.check_references()
        for kind, doc in catalog.failed:
            catalog.problems.extend(catalog.reference_problems(kind, doc))
    elif use_cache:
        cache.write(key, _to_cache(catalog, sources))
    return catalog


def _load(folders: list[Folder]) -> tuple[Catalog, list[models.SourceFile]]:
    catalog = Catalog(folders)
    sources: list[models.SourceFile] = []
    loops = [f.path for f in folders if is_link_loop(f.path)]
    folders = [f for f in folders if f.path not in loops]
    for folder in folders:
        if folder.origin != "builtin" and not folder.path.is_dir():
            catalog.problems.append(Problem(Location(str(folder.path)), t("catalog.no_folder", origin=folder.origin)))
        for path in _yaml_files(folder.path / "sources", loops):
            catalog.files.append(path)
            problems = load_sources(path, catalog.registry, display_path(path), sources)
            catalog.problems.extend(problems)
    for folder in folders:
        kinds = (("checklist", _yaml_files(folder.path, loops)),
                 ("profile", _yaml_files(folder.path / "profiles", loops)))
        for kind, paths in kinds:
            for path in paths:
                catalog.files.append(path)
                try:
                    if kind == "checklist":
                        loaded = load_checklist(path, catalog.registry, folder.origin, display_path(path))
                    else:
                        loaded = load_profile(path, folder.origin, display_path(path))
                except ChecklistError as exc:
                    catalog.problems.extend(exc.problems)
                    if isinstance(exc.document, Document):
                        catalog.failed.append((kind, exc.document))
                    continue
                existing = catalog.entries.get(loaded.id)
                if existing is None:
                    catalog.entries[loaded.id] = loaded
                elif existing.origin == loaded.origin:
                    assert loaded.document is not None
                    loc = loaded.document.locate(("id",))
                    catalog.problems.append(Problem(loc, t("catalog.duplicate", id=loaded.id,
                                                           other=display_path(existing.path))))
                else:
                    catalog.shadowed.append(loaded)
    catalog.problems.extend(Problem(Location(display_path(p)), t("catalog.link_loop")) for p in dict.fromkeys(loops))
    return catalog, sources


def _to_cache(catalog: Catalog, sources: list[models.SourceFile]) -> Any:
    from safetycheck.catalog import cache

    def entry(e: Loaded) -> cache.CachedEntry:
        raw = msgspec.Raw(msgspec.msgpack.encode(e.model))
        return cache.CachedEntry(e.kind, str(e.path), e.sha256, e.origin, e.id, e.title, e.aliases, raw)

    return cache.CatalogCache(
        sources=msgspec.Raw(msgspec.msgpack.encode(sources)),
        entries=[entry(e) for e in catalog.entries.values()],
        shadowed=[entry(e) for e in catalog.shadowed],
        problems=[cache.from_problem(p) for p in catalog.problems],
        files=[str(p) for p in catalog.files],
    )


def _from_cache(folders: list[Folder], data: Any) -> Catalog:
    from safetycheck.catalog import cache

    catalog = Catalog(folders, _raw_sources=bytes(data.sources))

    def entry(e: cache.CachedEntry) -> Loaded:
        return Loaded(e.kind, None, Path(e.path), e.sha256, e.origin, raw=bytes(e.model),
                      header=(e.id, e.title, list(e.aliases)))

    catalog.entries = {e.id: e for e in map(entry, data.entries)}
    catalog.shadowed = [entry(e) for e in data.shadowed]
    catalog.problems = [cache.to_problem(p) for p in data.problems]
    catalog.files = [Path(p) for p in data.files]
    return catalog
